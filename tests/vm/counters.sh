#!/bin/sh
# Known traffic between two namespaces over veth: the packets and bytes the
# module counted equal the iptables NETFLOW rule counters, IPv4 and IPv6
# each on its own, counted after parsing (the flows in the table), so a
# family whose every packet is rejected cannot pass on the other's count.
#
#   [ns a] 10.9.0.1 ---veth--- 10.9.0.2 [b: root ns]   NETFLOW on b: INPUT, OUTPUT
. "$XT/tests/vm/lib.sh"
# long timeouts: every flow stays in the table to be read back
nf_load protocol=10 active_timeout=600 inactive_timeout=600
ns_pair_host a b 10.9.0.1 10.9.0.2
ns_exec a $IP -6 addr add fd00:9::1/64 dev veth-a nodad
ns_exec b $IP -6 addr add fd00:9::2/64 dev veth-b nodad
for fam in iptables-legacy ip6tables-nft; do
	ns_exec b $fam -A INPUT -i veth-b -j NETFLOW || fail "$fam INPUT rule refused"
	ns_exec b $fam -A OUTPUT -o veth-b -j NETFLOW || fail "$fam OUTPUT rule refused"
done

ns_exec a ping -c 20 -i 0.01 -s 1000 -q 10.9.0.2 >/dev/null || fail "ping"
ns_exec a ping -c 7 -i 0.01 -s 300 -q fd00:9::2 >/dev/null || fail "ping6"
# UDP to a closed port: ICMP errors come back
ns_exec a sh -c 'for i in $(seq 50); do head -c 512 /dev/zero; done |
	nc -u -w1 -q1 10.9.0.2 9 ' 2>/dev/null

# "v4pkts v4bytes v6pkts v6bytes" of the rules, then of the flows in the
# table (ipt_netflow_flows: IPv6 flows show nexthop "::"), then the
# module's totals before parsing and its drops
snapshot() {
	{
		ns_exec b iptables-legacy -L INPUT -nvx
		ns_exec b iptables-legacy -L OUTPUT -nvx
	} | awk '$3 == "NETFLOW" { p += $1; b += $2 } END { printf "%d %d ", p, b }'
	{
		ns_exec b ip6tables-nft -L INPUT -nvx
		ns_exec b ip6tables-nft -L OUTPUT -nvx
	} | awk '$3 == "NETFLOW" { p += $1; b += $2 } END { print p + 0, b + 0 }'
	# from the end: the vlan column is there only for tagged flows
	awk '/^#/ { next } $(NF - 4) == "::" { p6 += $(NF - 2); b6 += $(NF - 1); next }
		{ p4 += $(NF - 2); b4 += $(NF - 1) }
		END { print p4 + 0, b4 + 0, p6 + 0, b6 + 0 }' \
		${PROC}_flows
	echo "$(snmp inPackets) $(snmp inBytes) $(snmp dropPackets)"
}
# Background IPv6 chatter (ND, MLD) may land between two reads: read until
# two snapshots agree.
prev=$(snapshot)
for i in 1 2 3 4 5; do
	sleep 1
	cur=$(snapshot)
	[ "$cur" = "$prev" ] && break
	prev=$cur
done
echo "$cur"
set -- $(echo "$cur" | sed -n 1p)
r4p=$1 r4b=$2 r6p=$3 r6b=$4
set -- $(echo "$cur" | sed -n 2p)
f4p=$1 f4b=$2 f6p=$3 f6b=$4
set -- $(echo "$cur" | sed -n 3p)
inp=$1 inb=$2 drop=$3
# 20 echo requests and replies (and the UDP, and ICMP errors back)
[ "$r4p" -ge 40 ] || fail "too few IPv4 packets seen by the rules: $r4p"
# 7 echo requests and replies
[ "$r6p" -ge 14 ] || fail "too few IPv6 packets seen by the rules: $r6p"
# the module's numbers from the same stable snapshot: a fresh read could
# already include the next ND/MLD packet
assert_eq "$f4p $f4b" "$r4p $r4b" "IPv4 packets and bytes in flows vs rules"
assert_eq "$f6p $f6b" "$r6p $r6b" "IPv6 packets and bytes in flows vs rules"
assert_eq "$inp $inb" "$((r4p + r6p)) $((r4b + r6b))" \
	"packets and bytes the module saw"
assert_eq "$drop" 0 "packets dropped"
rules_flush
ns_cleanup
nf_unload
