#!/bin/sh
# Load with good parameters, see /proc, refuse unload while a rule uses the
# target, unload clean once it is gone.
. "$XT/tests/vm/lib.sh"

nf_load destination=127.0.0.1:2055
grep -q "ipt_NETFLOW" $PROC || fail "$PROC has no version line"
[ -e ${PROC}_snmp ] || fail "no ${PROC}_snmp"
lsmod | grep -q '^ipt_NETFLOW' || fail "module not listed"
modinfo "$KO" | grep -q '^parm:.*destination' || fail "modinfo lacks destination"

iptables-legacy -A INPUT -j NETFLOW || fail "rule refused"
rmmod ipt_NETFLOW 2>/dev/null && fail "rmmod succeeded while a rule uses NETFLOW"
lsmod | grep -q '^ipt_NETFLOW' || fail "module gone while a rule uses it"
iptables-legacy -D INPUT -j NETFLOW
nf_unload

# Several destinations, IPv6 and suffixes, and the same again after reload.
nf_load 'destination=127.0.0.1:2055,[::1]:4739 10.1.1.1;127.0.0.1:2055' protocol=9
nf_unload
nf_load
grep -q "127.0.0.1:2055" $PROC || fail "default destination not shown"
nf_unload
echo "module load/unload ok"
