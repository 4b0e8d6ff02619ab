#!/bin/sh
# NETFLOW outside the host's network namespace is refused (netns=0, the
# default): a root container netns (ip netns) and an unprivileged user's
# `unshare -Urnm` cannot add the rule, so their traffic never reaches the
# host's collector, and dmesg says why. netns=1 (labelled per-namespace
# flows) is not supported yet: refused at load and by sysctl.
#
#   root ns: NETFLOW in OUTPUT -d 127.0.0.2 (the one flow the collector sees)
#   [c] (ip netns) and uid 1234's unshare -Urnm: lo only, rule refused
. "$XT/tests/vm/lib.sh"
NF=/tmp/nf-netns
MSG="NETFLOW refused in a network namespace other than the host's (net.netflow.netns=0)"

note "netns=1 is refused at load and by sysctl"
netfilter_modules
! insmod "$KO" netns=1 2>/dev/null || fail "insmod netns=1 accepted"
dmesg | grep -q "netns=1 is not supported yet" || fail "no dmesg line for netns=1"
collector_start $NF 2055
nf_load destination=127.0.0.1:2055 protocol=9
assert_eq "$(cat /proc/sys/net/netflow/netns)" 0 "net.netflow.netns"
! sysctl -qw net.netflow.netns=1 2>/dev/null || fail "sysctl netns=1 accepted"
assert_eq "$(cat /proc/sys/net/netflow/netns)" 0 "net.netflow.netns after the refused write"
dmesg | grep -q "sysctl net.netflow.netns: refused '1'" || fail "no dmesg line for sysctl netns=1"

note "a root container namespace (ip netns)"
$IP netns add c
ns_exec c $IP link set lo up
dmesg -C
for ipt in iptables-legacy iptables-nft; do
	! ns_exec c $ipt -A OUTPUT -j NETFLOW 2>/tmp/netns.err ||
		fail "$ipt: NETFLOW rule accepted in netns c"
	echo "$ipt in c: $(cat /tmp/netns.err)"
	assert_eq "$(ns_exec c $ipt -S OUTPUT | grep -c NETFLOW)" 0 "$ipt NETFLOW rules in c"
done
dmesg | grep -qF "$MSG" || fail "dmesg does not say why: $(dmesg | tail -n 3)"
ns_exec c ping -c 10 -i 0.05 -q 127.0.0.1 > /dev/null || fail "ping in c"

note "an unprivileged user's namespace (uid 1234, unshare -Urnm)"
[ "$(cat /proc/sys/kernel/unprivileged_userns_clone 2>/dev/null || echo 1)" = 1 ] ||
	sysctl -qw kernel.unprivileged_userns_clone=1
dmesg -C
cat > /tmp/netns-user.sh <<'EOF2'
# as uid 1234 in its own user, net and mount namespaces
mount -t tmpfs tmp /run || exit 3
ip link set lo up
if iptables-legacy -A OUTPUT -j NETFLOW 2>/tmp/netns-user.err; then
	echo "rule accepted"
	exit 4
fi
echo "refused: $(cat /tmp/netns-user.err)"
n=$(iptables-legacy -S OUTPUT | grep -c NETFLOW)
[ "$n" = 0 ] || exit 5
ping -c 10 -i 0.2 -q 127.0.0.1 > /dev/null || exit 6
readlink /proc/self/ns/net
EOF2
chmod 0755 /tmp/netns-user.sh
out=$(setpriv --reuid 1234 --regid 1234 --clear-groups \
	unshare -Urnm sh /tmp/netns-user.sh 2>&1) || fail "unprivileged case: exit $?: $out"
echo "$out"
dmesg | grep -qF "$MSG" || fail "dmesg does not say why (unprivileged)"
assert_eq "$(dmesg | grep -cF "$MSG")" 1 "dmesg lines for the unprivileged refusal"

note "the host's own rule still works"
iptables-legacy -A OUTPUT -d 127.0.0.2 -p icmp -j NETFLOW || fail "NETFLOW refused in init_net"
# one CPU: a sender moving between CPUs is one record per CPU (issue 14)
taskset -c 0 ping -c 3 -i 0.2 -q 127.0.0.2 > /dev/null || fail "ping 127.0.0.2"
sysctl -qw net.netflow.flush=1
sleep 1
collector_stop $NF
flows=$(nf_flows $NF)
echo "$flows"
assert_eq "$(echo "$flows" | grep -c .)" 1 "flows at the collector"
assert_eq "$(echo "$flows" | awk '{ print $1, $2, $6 }')" "127.0.0.1 127.0.0.2 3" \
	"the host's flow"
assert_eq "$(snmp inPackets)" 3 "inPackets"
iptables-legacy -F OUTPUT
ns_cleanup
nf_unload
