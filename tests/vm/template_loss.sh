#!/bin/sh
# v9 templates lost with a failed datagram are sent again in the next one:
# with template refresh off (refresh_rate=0, timeout_rate=0), a collector
# that comes up after the datagrams carrying the templates were lost still
# decodes the first records it receives, without waiting for a refresh.
#
#   [a] 10.24.0.1 ---veth--- 10.24.0.2 [b: root ns] NETFLOW in b: INPUT, OUTPUT
#   collector 127.0.0.1:2055: down (ICMP port unreachable), then nfcapd
. "$XT/tests/vm/lib.sh"
NF=/tmp/nf-tmpl

counted() {
	{ ns_exec b iptables-legacy -L INPUT -nvx
	  ns_exec b iptables-legacy -L OUTPUT -nvx; } |
		awk '$3 == "NETFLOW" { p += $1; b += $2 } END { print p + 0, b + 0 }'
}
received() {
	nf_flows "$1" | awk '{ p += $6; b += $7 } END { print p + 0, b + 0 }'
}

nf_load destination=127.0.0.1:2055 protocol=9 refresh_rate=0 timeout_rate=0
ns_pair_host a b 10.24.0.1 10.24.0.2
ns_exec b iptables-legacy -A INPUT -i veth-b -j NETFLOW || fail "INPUT rule refused"
ns_exec b iptables-legacy -A OUTPUT -o veth-b -j NETFLOW || fail "OUTPUT rule refused"

note "collector down: the datagrams carrying the templates are lost"
for i in 1 2 3; do
	ns_exec a ping -c 2 -i 0.1 -q 10.24.0.2 > /dev/null
	sysctl -qw net.netflow.flush=1
	sleep 1.5
done
lost=$(snmp lostFlows)
[ "$lost" -ge 2 ] || fail "only $lost flows lost with the collector down"
echo "ok: $lost flows lost while the collector was down"

note "collector up: its first datagram decodes (no template refresh)"
collector_start $NF
ns_exec b iptables-legacy -Z
ns_exec a ping -c 5 -i 0.1 -q 10.24.0.2 > /dev/null
sysctl -qw net.netflow.flush=1
sleep 2
collector_kill $NF
got=$(received $NF)
echo "collector decoded: $got; nfcapd: $(grep -i 'flows\|Records' $NF.log | tr '\n' ' ')"
assert_eq "$got" "$(counted)" "records after recovery: collector vs iptables"
rules_flush
ns_exec b iptables-legacy -F
nf_unload
ns_cleanup
echo "template loss ok"
