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
# Debian's 2.6 configuration files, unchanged: a modprobe.d line with every
# parameter of its build (natevents and aggregation of other builds too,
# snmp-rules spelt with a dash) and a sysctl.d holding what `sysctl -a`
# prints there; every line applies.
cat > /tmp/ipt_NETFLOW.modprobe <<'EOF'
options ipt_NETFLOW destination=127.0.0.1:2055 sampler= inactive_timeout=15 active_timeout=1800 exportcpu=-1 promisc=1 debug=0 sndbuf=0 protocol=9 refresh_rate=20 timeout_rate=30 scan_min=1 snmp-rules= natevents=1 hashsize=0 maxflows=2000000 engine_id=0 aggregation=
EOF
cat > /tmp/ipt_NETFLOW.sysctl <<'EOF'
net.netflow.active_timeout = 1800
net.netflow.debug = 0
net.netflow.destination = 127.0.0.1:2055
net.netflow.flush = 0
net.netflow.hashsize = 655360
net.netflow.inactive_timeout = 15
net.netflow.maxflows = 2000000
net.netflow.natevents = 0
net.netflow.promisc = 0
net.netflow.protocol = 5
net.netflow.refresh-rate = 20
net.netflow.sampler = 
net.netflow.scan-min = 1
net.netflow.sndbuf = 212992
net.netflow.snmp-rules = 
net.netflow.timeout-rate = 30
EOF
# shellcheck disable=SC2046
nf_load $(sed -n 's/^options ipt_NETFLOW //p' /tmp/ipt_NETFLOW.modprobe)
assert_eq "$(sysctl -n net.netflow.promisc) $(sysctl -n net.netflow.natevents) $(sysctl -n net.netflow.protocol)" \
	"1 1 9" "promisc, natevents, protocol from the 2.6 modprobe.d line"
sysctl -p /tmp/ipt_NETFLOW.sysctl > /tmp/sysctl.out 2>&1 ||
	fail "sysctl -p of the 2.6 sysctl.d: $(cat /tmp/sysctl.out)"
assert_eq "$(sysctl -n net.netflow.promisc) $(sysctl -n net.netflow.natevents) $(sysctl -n net.netflow.protocol) $(sysctl -n net.netflow.hashsize)" \
	"0 0 5 655360" "promisc, natevents, protocol, hashsize from the 2.6 sysctl.d"
nf_unload
echo "module load/unload ok"
