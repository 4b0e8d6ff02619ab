#!/bin/sh
# The NETFLOW target through iptables-legacy and iptables-nft, IPv4 and
# IPv6: add, list, save/restore round trip, nat refused with a message.
. "$XT/tests/vm/lib.sh"
nf_load protocol=10

for be in legacy nft; do
	for fam in iptables ip6tables; do
		t=$fam-$be
		note "$t"
		for spec in "-t filter -A INPUT" "-t filter -A OUTPUT" \
			"-t filter -A FORWARD" "-t raw -A PREROUTING" \
			"-t mangle -A POSTROUTING"; do
			$t $spec -j NETFLOW || fail "$t $spec -j NETFLOW refused"
		done
		$t -L INPUT -nv | grep -q NETFLOW || fail "$t -L does not show NETFLOW"
		saved=$($t-save)
		echo "$saved" | grep -q -- "-A INPUT -j NETFLOW" ||
			fail "$t-save lacks the rule"
		rules_flush
		echo "$saved" | $t-restore || fail "$t-restore failed"
		n=$($t-save | grep -c -- "-j NETFLOW")
		assert_eq "$n" 5 "$t rules after restore"
		dmesg -C
		out=$($t -t nat -A POSTROUTING -j NETFLOW 2>&1) &&
			fail "$t accepted NETFLOW in nat"
		echo "$out"
		dmesg | grep -q "not allowed in the nat table" ||
			fail "$t nat refusal has no explanation in dmesg"
		$t -h 2>/dev/null >/dev/null
		$t -j NETFLOW --help | grep -q "NETFLOW target" ||
			fail "$t -j NETFLOW --help has no help"
		rules_flush
	done
done
nf_unload

# NetFlow v5 cannot carry IPv6: ip6tables rules are refused with protocol 5.
nf_load protocol=5
dmesg -C
ip6tables-legacy -A INPUT -j NETFLOW 2>/dev/null && fail "IPv6 rule accepted with protocol 5"
dmesg | grep -q "NetFlow v5 has no IPv6" || fail "no explanation for the IPv6 refusal"
rules_flush
nf_unload
echo "rules ok"
