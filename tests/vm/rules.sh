#!/bin/sh
# The NETFLOW target through iptables-legacy and iptables-nft, IPv4 and
# IPv6: add, list, save/restore round trip, nat refused with a message.
. "$XT/tests/vm/lib.sh"
nf_load protocol=10

# dmesg lines since the mark (no dmesg -C: the guest checks the whole log
# of the scenario for kernel warnings afterwards)
mark() {
	dmark=$(dmesg | wc -l)
}
since_mark() {
	dmesg | tail -n +$((dmark + 1))
}

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
		mark
		out=$($t -t nat -A POSTROUTING -j NETFLOW 2>&1) &&
			fail "$t accepted NETFLOW in nat"
		echo "$out"
		case $out in
		*"Invalid argument"*) ;;
		*) fail "$t nat refusal is not EINVAL: $out" ;;
		esac
		[ "$($t-save -t nat 2>/dev/null | grep -c -- "-j NETFLOW")" = 0 ] ||
			fail "$t nat rule present after the refusal"
		since_mark | grep -q "not allowed in the nat table" ||
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
iptables-legacy -A INPUT -j NETFLOW || fail "IPv4 rule refused with protocol 5"
for t in ip6tables-legacy ip6tables-nft; do
	mark
	out=$($t -A INPUT -j NETFLOW 2>&1) && fail "$t: IPv6 rule accepted with protocol 5"
	case $out in
	*"Invalid argument"*) ;;
	*) fail "$t: IPv6 refusal is not EINVAL: $out" ;;
	esac
	[ "$($t-save | grep -c -- "-j NETFLOW")" = 0 ] ||
		fail "$t: IPv6 rule present after the refusal"
	since_mark | grep -q "NetFlow v5 has no IPv6" ||
		fail "$t: no explanation for the IPv6 refusal"
	echo "ok: $t refused with EINVAL and a dmesg line"
done
rules_flush
nf_unload
echo "rules ok"
