#!/bin/sh
# tcshape paths that golden plans cover but traffic never did: fwmark
# classification, a single-interface host shaped with an IFB device,
# fq_codel leaves, and a cbq.init config translated to HTB. Bulk TCP
# (iperf3), rates measured with `tcshape show`, each limited class within
# 5% of its ceil.
#
# Part 1, fwmark on a router. Tenants have marks and no addresses; iptables
# in the shaper marks them (m1 in mangle FORWARD, m3 in mangle POSTROUTING,
# both before the egress qdisc); 10.0.0.13 is not marked and must land in
# the default class. Downloads are shaped on g1's egress, uploads on g0's.
#
#   ns tpS (servers)           ns tpG (shaper, marks)          ns tpC (tenants)
#   s0 10.99.0.1/24 ------- g0 10.99.0.2/24  [side wan: uploads]
#                              g1 10.0.0.1/24  [side lan: downloads] --- c0
#                                                    10.0.0.11 .12 .13/24
#
# Part 2, a single-interface host with IFB and fq_codel leaves. The shaper
# namespace is the host itself: it has one interface x0 and runs the iperf3
# servers; the tenants are its clients on the other end of x0. What the host
# sends leaves x0's egress (downloads, classified by destination); what it
# receives arrives on x0's ingress, is redirected to ifb0 and shaped on
# ifb0's egress (uploads, classified by source). The tenant addresses cannot
# be local to the shaper: then nothing would cross x0 at all.
#
#   ns tpH (host: shaper + iperf3 servers)       ns tpK (tenants)
#   x0 10.1.0.1/24  (egress: down; ingress -> ifb0: up) --- k0 10.1.0.11 .12/24
#
# Part 3, on part 2's host: two cbq.init class files (one BOUNDED, one
# borrowing up to the device bandwidth) on a kernel without sch_cbq.
set -u
. "${XT:-$(pwd)}/tests/vm/tcshape_lib.sh"
IPT=iptables-legacy
RUN1="$RESULTS/tcshape-run1.$$"		# one rundir per shaper namespace
RUN2="$RESULTS/tcshape-run2.$$"
pids=""			# iperf3 servers
cpids=""		# iperf3 clients of the current run
t0=$(date +%s)

cleanup() {
	for p in $pids $cpids; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	for n in tpS tpG tpC tpH tpK; do $IP netns del $n 2>/dev/null; done
	rm -rf "$RUN1" "$RUN2"
}
trap cleanup EXIT

for m in sch_htb sch_sfq sch_fq_codel sch_ingress cls_u32 cls_fw act_mirred \
	 ifb veth ip_tables iptable_mangle xt_mark; do
	modprobe "$m" 2>/dev/null
done
[ -x "$TCS" ] || fail "build tools/tcshape first"
command -v iperf3 >/dev/null || fail "no iperf3"
command -v $IPT >/dev/null || fail "no $IPT"

# ts NS RUNDIR ARGS: tcshape in a namespace
ts() {
	ns=$1 rd=$2
	shift 2
	$IP netns exec "$ns" env TCSHAPE_RUNDIR="$rd" "$TCS" "$@"
}

# measure NS RUNDIR CONF DEV SECONDS TAG: "tenant mbit" lines for DEV
measure() {
	ts "$1" "$2" -c "$3" show -i "$5" > "$RESULTS/tcshape_paths_$6.txt" ||
		fail "show $6" >&2
	cat "$RESULTS/tcshape_paths_$6.txt" >&2
	awk -v d="$4" '$1 == d { sub("mbit", "", $7); print $3, $7 }' \
		"$RESULTS/tcshape_paths_$6.txt"
}

# flows NS SERVER PORT DIR TAG ADDR...: one bulk TCP flow per tenant address,
# all at once, to ports PORT+1, PORT+2...; they run until stop_flows, so
# that a slow (loaded, emulated) guest cannot end them inside the window
flows() {
	cns=$1 srv=$2 port=$3 rev="" ftag=$5
	[ "$4" = down ] && rev=-R
	shift 5
	logs=""
	for b in "$@"; do
		port=$((port + 1))
		log=$RESULTS/tcshape_paths_iperf_${ftag}_$port.log
		: > "$log"
		$IP netns exec "$cns" iperf3 -c "$srv" -p $port -B "$b" $rev \
			-t 90 -f k --forceflush > "$log" 2>&1 &
		cpids="$cpids $!"
		logs="$logs $log"
	done
	for _ in $(seq 40); do
		n=0
		for l in $logs; do
			grep -q "connected to" "$l" && n=$((n + 1))
		done
		[ "$n" -eq $# ] && break
		sleep 0.5
	done
	[ "$n" -eq $# ] || fail "$ftag: iperf3 clients did not connect"
	sleep 4	# past slow start
}

# stop_flows: every flow lasted through the measurement, then ends
stop_flows() {
	for p in $cpids; do
		kill -0 "$p" 2>/dev/null ||
			fail "$tag: an iperf3 flow ended before the measurement"
	done
	for p in $cpids; do kill "$p"; done
	for p in $cpids; do wait "$p"; done
	cpids=""
}

# check_rates FILE "TENANT CEIL"...: every listed tenant measured near CEIL
check_rates() {
	f=$1
	shift
	for tw in "$@"; do
		r=$(awk -v t="${tw% *}" '$1 == t { print $2 }' "$f")
		[ -n "$r" ] || fail "${tw% *}: not measured"
		check_near "$tag ${tw% *}" "$r" "${tw#* }" 5
	done
}

reapply_empty() {	# NS RUNDIR CONF
	out=$(ts "$1" "$2" -c "$3" apply) || fail "re-apply"
	echo "$out"
	[ "$out" = "tcshape: no changes" ] || {
		ts "$1" "$2" -c "$3" plan
		fail "re-apply changed something"
	}
}

echo "=== part 1: fwmark tenants on a router"
tcshape_router tpS tpG tpC 11 12 13

g() { $IP netns exec tpG "$@"; }
for d in -s -d; do
	g $IPT -t mangle -A FORWARD $d 10.0.0.11 -j MARK --set-mark 0x10 ||
		fail "iptables MARK"
	g $IPT -t mangle -A POSTROUTING $d 10.0.0.12 -j MARK --set-mark 0x20 ||
		fail "iptables MARK"
done

conf1=$RESULTS/tcshape_paths_1.conf
cat > "$conf1" <<EOF
leaf sfq
iface g1 rate 20mbit side lan
iface g0 rate 20mbit side wan
tenant m1 - mark 0x10 down 1mbit up 1mbit
tenant m3 - mark 0x20 down 3mbit up 3mbit
EOF
ts tpG "$RUN1" -c "$conf1" apply || fail "apply fwmark config"
# iproute2 6.1 prints fw options as plain text even under -j
g tc -j filter show dev g1 parent 1: > "$RESULTS/tcshape_paths_fw.json"
cat "$RESULTS/tcshape_paths_fw.json"; echo
reapply_empty tpG "$RUN1" "$conf1"

for p in 5301 5302 5303 5311 5312 5313; do
	$IP netns exec tpS iperf3 -s -p $p >/dev/null 2>&1 &
	pids="$pids $!"
done
sleep 1

fw_run() {	# DIR DEV PORT
	tag="fw $1"
	flows tpC 10.99.0.1 "$3" "$1" "fw_$1" 10.0.0.11 10.0.0.12 10.0.0.13
	measure tpG "$RUN1" "$conf1" "$2" 12 "fw_$1" > "$RESULTS/tcshape_paths_m.txt"
	stop_flows
	check_rates "$RESULTS/tcshape_paths_m.txt" "m1 1" "m3 3"
	r=$(awk '$1 == "(default)" { print $2 }' "$RESULTS/tcshape_paths_m.txt")
	# the unmarked flow is not capped: it takes what the others leave
	awk -v r="$r" 'BEGIN { exit !(r >= 8) }' ||
		fail "$tag: unmarked flow got only $r mbit in the default class"
	echo "ok: $tag unmarked = $r mbit in the default class (link 20, marked 4)"
}
echo "--- downloads on g1, classified by fwmark"
fw_run down g1 5300
echo "--- uploads on g0, classified by fwmark"
fw_run up g0 5310
g $IPT -t mangle -L -nvx | grep MARK

echo "--- edits keep classes: ids come back from the fw filters"
sed 's/m3 - mark 0x20 down 3mbit up 3mbit/m3 - mark 0x20 down 2mbit up 2mbit/' \
	"$conf1" > "$conf1.edit"
out=$(ts tpG "$RUN1" -c "$conf1.edit" plan) || fail "plan of an edit"
echo "$out"
n=$(echo "$out" | grep -c '^class change dev g[01] parent 1:1 classid 1:11 ')
if [ "$n" -ne 2 ] || [ "$(echo "$out" | wc -l)" -ne 2 ]; then
	fail "a cap edit of a marked tenant should be 2 class changes"
fi
echo "--- a tenant with a mark and an address: fw and u32 side by side"
cp "$conf1" "$conf1.mixed"
echo "tenant u3 10.0.0.13 mark 0x30 down 5mbit up 5mbit" >> "$conf1.mixed"
ts tpG "$RUN1" -c "$conf1.mixed" apply || fail "apply mixed config"
reapply_empty tpG "$RUN1" "$conf1.mixed"
# tc state of g1 as the unit tests read it (tests/unit/tcshape/fixtures)
g tc -j qdisc show dev g1 > "$RESULTS/tcshape_paths_fix_qdisc.json"
g tc -d class show dev g1 > "$RESULTS/tcshape_paths_fix_class.txt"
g tc -j filter show dev g1 parent 1: > "$RESULTS/tcshape_paths_fix_filter.json"
ts tpG "$RUN1" clear || fail "clear part 1"
for d in g0 g1; do
	g tc qdisc show dev $d | grep -q htb && fail "htb left on $d"
done
for p in $pids; do kill "$p" 2>/dev/null; done
pids=""
for n in tpS tpG tpC; do $IP netns del $n; done

echo "=== part 2: single-interface host, uploads on IFB, fq_codel leaves"
for n in tpH tpK; do
	$IP netns add $n || fail "netns add $n"
	$IP -n $n link set lo up
done
$IP link add x0 netns tpH type veth peer name k0 netns tpK || fail veth
$IP -n tpH addr add 10.1.0.1/24 dev x0
for h in 11 12; do $IP -n tpK addr add 10.1.0.$h/24 dev k0; done
$IP -n tpH link set x0 up
$IP -n tpK link set k0 up
$IP netns exec tpK ping -c 1 -W 5 10.1.0.1 >/dev/null || fail "no link"
$IP -n tpH link show ifb0 >/dev/null 2>&1 && fail "ifb0 exists before apply"

conf2=$RESULTS/tcshape_paths_2.conf
cat > "$conf2" <<EOF
leaf fq_codel
iface x0 rate 20mbit side lan ifb ifb0
tenant a 10.1.0.11 down 2mbit up 1mbit
tenant b 10.1.0.12 down 4mbit up 3mbit
EOF
h() { $IP netns exec tpH "$@"; }
ts tpH "$RUN2" -c "$conf2" apply || fail "apply IFB config"
$IP -n tpH link show ifb0 >/dev/null || fail "apply did not create ifb0"
h tc -j filter show dev x0 parent ffff: > "$RESULTS/tcshape_paths_ingress.json"
reapply_empty tpH "$RUN2" "$conf2"
for d in x0 ifb0; do
	q=$(h tc qdisc show dev $d)
	echo "$q"
	for m in 10 11; do
		echo "$q" | grep -q "^qdisc fq_codel $m: parent 1:$m " ||
			fail "$d: leaf of 1:$m is not fq_codel"
	done
	echo "$q" | grep -q sfq && fail "$d: an sfq leaf with leaf fq_codel"
done
h tc qdisc show dev x0 | grep -q "^qdisc ingress ffff:" ||
	fail "no ingress qdisc on x0"
h tc filter show dev x0 parent ffff: | grep -q "Egress Redirect to device ifb0" ||
	fail "x0 ingress is not redirected to ifb0"

for p in 5321 5322 5331 5332; do
	h iperf3 -s -p $p >/dev/null 2>&1 &
	pids="$pids $!"
done
sleep 1

ifb_run() {	# DIR DEV PORT "TENANT CEIL"...
	tag="ifb $1"
	d=$1 dev=$2
	flows tpK 10.1.0.1 "$3" "$d" "ifb_$d" 10.1.0.11 10.1.0.12
	shift 3
	measure tpH "$RUN2" "$conf2" "$dev" 12 "ifb_$d" > "$RESULTS/tcshape_paths_m.txt"
	stop_flows
	check_rates "$RESULTS/tcshape_paths_m.txt" "$@"
}
echo "--- downloads: leave x0 by destination"
ifb_run down x0 5320 "a 2" "b 4"
echo "--- uploads: x0 ingress redirected to ifb0, by source"
ifb_run up ifb0 5330 "a 1" "b 3"
h tc -s qdisc show dev ifb0 | grep -A1 "fq_codel 1[01]:"

echo "--- clear removes root, ingress qdisc and ifb0"
ts tpH "$RUN2" clear || fail "clear part 2"
q=$(h tc qdisc show dev x0)
echo "$q"
echo "$q" | grep -q htb && fail "htb left on x0"
echo "$q" | grep -q ingress && fail "ingress qdisc left on x0"
$IP -n tpH link show ifb0 >/dev/null 2>&1 && fail "ifb0 left behind"
for f in "$RUN2"/owned-*; do
	[ -e "$f" ] && fail "ownership record $f left behind"
done
echo "=== part 3: a cbq.init config on a kernel without sch_cbq"
# Debian 12's kernel has no sch_cbq (removed upstream in 6.3): each class
# must become an HTB tenant with one warning line, and shape as configured.
modprobe sch_cbq 2>/dev/null && fail "this kernel has sch_cbq: part 3 proves nothing"
cbqd=$RESULTS/tcshape_paths_cbq.d
rm -rf "$cbqd"
mkdir -p "$cbqd"
printf '%s\n' DEVICE=x0,10Mbit,1Mbit RATE=1Mbit WEIGHT=100Kbit PRIO=5 \
	RULE=10.1.0.11 BOUNDED=yes > "$cbqd/cbq-0002.tenant-a"
printf '%s\n' DEVICE=x0,10Mbit,1Mbit RATE=2Mbit WEIGHT=200Kbit PRIO=5 \
	RULE=10.1.0.12 BOUNDED=no ISOLATED=no > "$cbqd/cbq-0003.tenant-b"
conf3=$RESULTS/tcshape_paths_3.conf
echo "cbq $cbqd" > "$conf3"
ts tpH "$RUN2" -c "$conf3" apply 2> "$RESULTS/tcshape_paths_cbq.err" ||
	fail "apply of the CBQ config: $(cat "$RESULTS/tcshape_paths_cbq.err")"
cat "$RESULTS/tcshape_paths_cbq.err"
n=$(grep -c "warning: no sch_cbq in this kernel: class" "$RESULTS/tcshape_paths_cbq.err")
[ "$n" -eq 2 ] || fail "expected one warning per CBQ class, got $n"
h tc class show dev x0
h tc class show dev x0 | grep -q "rate 1Mbit ceil 1Mbit" ||
	fail "BOUNDED class is not rate 1Mbit ceil 1Mbit"
h tc class show dev x0 | grep -q "rate 2Mbit ceil 10Mbit" ||
	fail "unbounded class does not borrow up to the 10Mbit bandwidth"
reapply_empty tpH "$RUN2" "$conf3" 2>/dev/null
tag="cbq down"
flows tpK 10.1.0.1 5320 down cbq 10.1.0.11 10.1.0.12
measure tpH "$RUN2" "$conf3" x0 12 cbq 2>/dev/null > "$RESULTS/tcshape_paths_m.txt"
cat "$RESULTS/tcshape_paths_cbq.txt"
stop_flows
# bounded: its rate; unbounded: the 10 mbit bandwidth less what a takes
check_rates "$RESULTS/tcshape_paths_m.txt" "cbq-0002.tenant-a 1" \
	"cbq-0003.tenant-b 9"
ts tpH "$RUN2" clear 2>/dev/null || fail "clear part 3"
h tc qdisc show dev x0 | grep -q htb && fail "htb left on x0 after part 3"

echo "scenario time: $(( $(date +%s) - t0 ))s"
echo "PASS: tcshape_paths"
