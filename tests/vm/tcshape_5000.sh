#!/bin/sh
# 5,000 tenants (an IPv4 and an IPv6 address each) on one device: apply is
# a tc batch linear in the tenants, re-apply must be empty, and packets to
# sampled tenants must land in exactly their own class (u32 hash lookups,
# IPv4 and IPv6).
#
#   ns t5S 10.98.0.1/24, fd00:98::1/64 -- s0 | g0 -- ns t5G (shaper, g1 egress)
#   g1 10.1.0.1/16, 2001:db8::1/64 ----------- c0 -- ns t5C (tenant addresses)
set -u
IP=/usr/sbin/ip
XT=${XT:-$(pwd)}
TCS=$XT/tools/tcshape/tcshape
RESULTS=${RESULTS:-/tmp}
export TCSHAPE_RUNDIR="$RESULTS/tcshape-run5k.$$"
N=5000

fail() {
	echo "FAIL: $*"
	exit 1
}

cleanup() {
	for n in t5S t5G t5C; do $IP netns del $n 2>/dev/null; done
	rm -rf "$TCSHAPE_RUNDIR"
}
trap cleanup EXIT

for m in sch_htb cls_u32 veth; do modprobe "$m" 2>/dev/null; done
[ -x "$TCS" ] || fail "build tools/tcshape first"

for n in t5S t5G t5C; do
	$IP netns add $n || fail "netns add $n"
	$IP -n $n link set lo up
done
$IP link add s0 netns t5S type veth peer name g0 netns t5G || fail veth
$IP link add c0 netns t5C type veth peer name g1 netns t5G || fail veth
$IP -n t5S addr add 10.98.0.1/24 dev s0
$IP -n t5S addr add fd00:98::1/64 dev s0 nodad
$IP -n t5G addr add 10.98.0.2/24 dev g0
$IP -n t5G addr add fd00:98::2/64 dev g0 nodad
$IP -n t5G addr add 10.1.255.254/16 dev g1
$IP -n t5G addr add 2001:db8::ffff:fffe/64 dev g1 nodad
for l in "t5S s0" "t5G g0" "t5G g1" "t5C c0"; do
	$IP -n ${l% *} link set ${l#* } up
done
$IP -n t5S route add 10.1.0.0/16 via 10.98.0.2
$IP -n t5S route add 2001:db8::/64 via fd00:98::2
$IP netns exec t5G sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1

# tenant i: 10.1.(i/256).(i%256) and 2001:db8::1:<i hex>, class 1:(0x10+i)
conf=$RESULTS/tcshape_5000.conf
awk -v n=$N 'BEGIN {
	print "leaf pfifo	# 5,000 sfq/fq_codel leaves cost memory"
	print "iface g1 rate 1gbit side lan"
	for (i = 0; i < n; i++)
		printf "tenant t%d 10.1.%d.%d,2001:db8::1:%x down %dkbit\n",
			i, int(i / 256), i % 256, i, 100 + i % 100
}' > "$conf"
tsg() { $IP netns exec t5G env TCSHAPE_RUNDIR="$TCSHAPE_RUNDIR" "$TCS" "$@"; }

# The time is printed, never asserted (it is the guest's TCG speed under
# the host's load); what must hold is a batch linear in the tenants: about
# 4 changes each (class, leaf, IPv4 and IPv6 filter).
s=$(date +%s.%N)
out=$(tsg -c "$conf" apply) || fail "apply of $N tenants"
e=$(date +%s.%N)
echo "$out"
t=$(awk -v s="$s" -v e="$e" 'BEGIN { printf "%.2f", e - s }')
echo "applied $N tenants in $t s"
changes=$(echo "$out" | sed -n 's/.*applied \([0-9]*\) changes.*/\1/p')
[ -n "$changes" ] || fail "apply did not say how many changes it made"
[ "$changes" -ge $((4 * N)) ] && [ "$changes" -le $((5 * N + 64)) ] ||
	fail "apply made $changes changes for $N tenants (expected 4..5 each)"

s=$(date +%s.%N)
out=$(tsg -c "$conf" apply) || fail "re-apply"
e=$(date +%s.%N)
echo "$out (in $(awk -v s="$s" -v e="$e" 'BEGIN { printf "%.2f", e - s }') s)"
[ "$out" = "tcshape: no changes" ] || fail "re-apply changed something"

n=$($IP netns exec t5G tc class show dev g1 | grep -c "^class htb")
[ "$n" -eq $((N + 2)) ] || fail "expected $((N + 2)) classes, got $n"

# classify: ping sampled tenants from the server side, check the counters
bytes() {
	$IP netns exec t5G tc -s class show dev g1 classid "$1" |
		awk '$1 == "Sent" { print $2 }'
}
for i in 0 1 255 256 2500 4095 4999; do
	a4=10.1.$((i / 256)).$((i % 256))
	a6=2001:db8::1:$(printf %x $i)
	cls=1:$(printf %x $((0x10 + i)))
	$IP -n t5C addr add $a4/16 dev c0
	$IP -n t5C addr add $a6/64 dev c0 nodad
	$IP -n t5C route replace default via 10.1.255.254 2>/dev/null
	$IP -n t5C -6 route replace default via 2001:db8::ffff:fffe 2>/dev/null
	before=$(bytes $cls)
	def0=$(bytes 1:2)
	$IP netns exec t5S ping -c 2 -i 0.2 -W 2 -q $a4 >/dev/null ||
		fail "ping $a4"
	mid=$(bytes $cls)
	$IP netns exec t5S ping -6 -c 2 -i 0.2 -W 2 -q $a6 >/dev/null ||
		fail "ping $a6"
	after=$(bytes $cls)
	def1=$(bytes 1:2)
	[ "$mid" -gt "$before" ] || fail "IPv4 $a4 not in $cls"
	[ "$after" -gt "$mid" ] || fail "IPv6 $a6 not in $cls"
	# ARP/ND may hit the default class; the echo requests must not
	[ $((def1 - def0)) -lt 400 ] ||
		fail "tenant $i traffic fell into the default class"
	echo "ok: tenant $i ($a4, $a6) -> $cls"
	$IP -n t5C addr del $a4/16 dev c0
	$IP -n t5C addr del $a6/64 dev c0
done

echo "--- one tenant change among $N"
sed -i 's/^tenant t2500 \(.*\) down .*/tenant t2500 \1 down 7mbit/' "$conf"
out=$(tsg -c "$conf" plan)
echo "$out"
[ "$(echo "$out" | wc -l)" -eq 1 ] || fail "expected a one-line change"
s=$(date +%s.%N)
tsg -c "$conf" apply || fail "apply of one change"
e=$(date +%s.%N)
echo "one change applied in $(awk -v s="$s" -v e="$e" 'BEGIN { printf "%.2f", e - s }') s"
tsg clear || fail clear
echo "PASS: tcshape_5000"
