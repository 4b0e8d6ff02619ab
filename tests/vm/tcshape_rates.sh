#!/bin/sh
# tcshape under real traffic, both directions. Three tenants limited to 1, 2
# and 5 mbit and one unlimited tenant pull (then push) bulk TCP at once; each
# limited class must carry its ceil within 5%, the unlimited one the rest,
# as iperf3's receiver counts them second by second (and as tcshape show
# reports them).
# Then one limit changes under traffic: only that class changes, no flow
# restarts, the root is never replaced.
#
#   ns tsS (servers)           ns tsG (shaper)                 ns tsC (tenants)
#   s0 10.99.0.1/24 ------- g0 10.99.0.2/24  [WAN: uploads, by src]
#                              g1 10.0.0.1/24  [LAN: downloads, by dst] --- c0
#                                                    10.0.0.11 .12 .13 .14/24
set -u
. "${XT:-$(pwd)}/tests/vm/tcshape_lib.sh"
export TCSHAPE_RUNDIR="$RESULTS/tcshape-run.$$"
LEAF=${TCSHAPE_TEST_LEAF:-sfq}	# host kernels without sch_sfq: pfifo
T=24				# seconds per traffic run (TCG: slow tc startup)
pids=""

cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	for n in tsS tsG tsC; do $IP netns del $n 2>/dev/null; done
	rm -rf "$TCSHAPE_RUNDIR"
}
trap cleanup EXIT

for m in sch_htb sch_sfq sch_ingress cls_u32 cls_fw act_mirred ifb veth; do
	modprobe "$m" 2>/dev/null
done
[ -x "$TCS" ] || fail "build tools/tcshape first"
command -v iperf3 >/dev/null || fail "no iperf3"

tcshape_router tsS tsG tsC 11 12 13 14

conf=$RESULTS/tcshape_rates.conf
write_conf() {	# $1: limit of tenant t2
	cat > "$conf" <<EOF
leaf $LEAF
iface g1 rate 20mbit side lan
iface g0 rate 20mbit side wan
tenant t1 10.0.0.11 down 1mbit up 1mbit
tenant t2 10.0.0.12 down $1 up $1
tenant t3 10.0.0.13 down 5mbit up 5mbit
EOF
}
write_conf 2mbit
tsg() { $IP netns exec tsG env TCSHAPE_RUNDIR="$TCSHAPE_RUNDIR" "$TCS" "$@"; }
tsg -c "$conf" apply || fail "apply"
out=$(tsg -c "$conf" apply) || fail "re-apply"
echo "$out"
[ "$out" = "tcshape: no changes" ] || fail "re-apply changed something"

for p in 1 2 3 4; do
	# the upload's receiver: its per-second counts, in a log of its own
	$IP netns exec tsS iperf3 -s -p 520$p -f k \
		--logfile "$RESULTS/tcshape_srv_$p.log" >/dev/null 2>&1 &
	pids="$pids $!"
done
sleep 1

# traffic DIR SECONDS: one bulk TCP flow per tenant, all at once
traffic() {
	rev=""
	[ "$1" = down ] && rev=-R
	for h in 1 2 3 4; do
		$IP netns exec tsC iperf3 -c 10.99.0.1 -p 520$h -B 10.0.0.1$h \
			$rev -t "$2" -O 4 -f k \
			> "$RESULTS/tcshape_iperf_$1_$h.log" 2>&1 &
		eval "ip$h=\$!"
	done
}

# check_rx NAME MEASURED GOODPUT: a receiver gets its cap: at most 5% more
# than the cap's goodput (the cap holds), at most 8% less (TCP recovering
# from the drops of a full 127-packet leaf queue carries retransmissions
# the receiver does not count twice)
check_rx() {
	awk -v a="$2" -v e="$3" 'BEGIN { exit !(a <= e * 1.05 && a >= e * 0.92) }' ||
		fail "$1: measured $2 mbit, expected $3 (+5%/-8%)"
	echo "ok: $1 = $2 mbit (goodput of the cap $3, +5%/-8%)"
}

# goodput MBIT: TCP payload mbit of a class shaped to MBIT (full segments)
goodput() {
	awk -v r="$1" 'BEGIN { printf "%.3f\n", r * 1448 / 1514 }'
}

# rx_mbit DIR HOST [FROM TO]: what iperf3's receiver got per second,
# averaged over seconds FROM..TO (2..16) after the 4 it omits (6..20 of the
# run). Not its summary:
# that spans the whole run, slow start and the end, where a bulk flow
# leaves seconds of data queued in the shaper that never arrive.
# Downloads: the client receives (-R); uploads: the server's log.
rx_mbit() {
	f=$RESULTS/tcshape_iperf_$1_$2.log
	[ "$1" = up ] && f=$RESULTS/tcshape_srv_$2.log
	awk -v lo="${3:-2}" -v hi="${4:-16}" '/omitted|sender|receiver/ { next }
		{ iv = v = ""
		  for (i = 1; i < NF; i++) {
			if ($(i + 1) == "sec" && $i ~ /^[0-9.]+-[0-9.]+$/) iv = $i
			if ($(i + 1) == "Kbits/sec") v = $i
		  }
		  if (iv == "" || v == "") next
		  split(iv, t, "-")
		  if (t[1] >= lo && t[2] <= hi + 0.5) { s += v * (t[2] - t[1]); d += t[2] - t[1] } }
		END { if (d < 10) exit 1; printf "%.3f\n", s / d / 1000 }' "$f" ||
		fail "fewer than 10 receiver seconds in $f"
}

# measure DEV SECONDS: "tenant mbit" lines from tcshape show
measure() {
	tsg -c "$conf" show -i "$2" | tee "$RESULTS/tcshape_show_$1.txt" |
		awk -v d="$1" '$1 == d { sub("mbit", "", $7); print $3, $7 }'
}

# A bulk flow leaves megabytes in the shaper's queues (127 sfq slots of
# 64 KB GSO frames): the class keeps sending them for many seconds after
# iperf3 ends, and the next run's ACKs queue behind them. Start each run on
# empty queues.
fresh_queues() {
	tsg clear >/dev/null || fail "clear between runs"
	tsg -c "$conf" apply >/dev/null || fail "apply between runs"
}

run_dir() {	# DIR DEV
	fresh_queues
	for h in 1 2 3 4; do : > "$RESULTS/tcshape_srv_$h.log"; done
	traffic "$1" $T
	sleep 4	# past slow start
	# a long window: a 1 mbit TCP flow refills its class in bursts
	measure "$2" 12 > "$RESULTS/tcshape_m_$1.txt"
	cat "$RESULTS/tcshape_show_$2.txt"
	wait $ip1 $ip2 $ip3 $ip4
	while read -r t r; do
		case $t in
		t1) check_near "$1 t1" "$r" 1 5 ;;
		t2) check_near "$1 t2" "$r" 2 5 ;;
		t3) check_near "$1 t3" "$r" 5 5 ;;
		"(default)")
			# the unlimited tenant takes what the others leave
			awk -v r="$r" 'BEGIN { exit !(r >= 8) }' ||
				fail "$1 unlimited got only $r mbit"
			echo "ok: $1 unlimited = $r mbit (link 20, others 8)" ;;
		esac
	done < "$RESULTS/tcshape_m_$1.txt"
	[ "$(wc -l < "$RESULTS/tcshape_m_$1.txt")" -eq 4 ] ||
		fail "$1: expected 4 measured classes"
	# the oracle: the receiving iperf3's own count, over 6..20 s. It counts
	# TCP payload, the class whole frames: a full segment is 1448 bytes
	# of 1514 (Ethernet, IPv4, TCP with timestamps)
	check_rx "$1 t1 (iperf3 receiver)" "$(rx_mbit "$1" 1)" "$(goodput 1)"
	check_rx "$1 t2 (iperf3 receiver)" "$(rx_mbit "$1" 2)" "$(goodput 2)"
	check_rx "$1 t3 (iperf3 receiver)" "$(rx_mbit "$1" 3)" "$(goodput 5)"
	r=$(rx_mbit "$1" 4)
	awk -v r="$r" -v m="$(goodput 8)" 'BEGIN { exit !(r >= m) }' ||
		fail "$1 unlimited: iperf3 receiver got only $r mbit"
	echo "ok: $1 unlimited (iperf3 receiver) = $r mbit"
}

echo "--- downloads, shaped on g1 by destination"
run_dir down g1
echo "--- uploads, shaped on g0 by source"
run_dir up g0

echo "--- change t2 from 2 to 4 mbit under traffic"
bytes() {	# DEV CLASSID -> bytes sent
	$IP netns exec tsG tc -s class show dev "$1" classid "$2" |
		awk '$1 == "Sent" { print $2 }'
}
fresh_queues
traffic down 30
sleep 5
b1=$(bytes g1 1:10)
write_conf 4mbit
out=$(tsg -c "$conf" plan)
echo "$out"
[ "$(echo "$out" | wc -l)" -eq 2 ] || fail "a one-tenant change should be 2 lines (g0, g1)"
echo "$out" | grep -q "qdisc" && fail "change touches a qdisc"
tsg -c "$conf" apply || fail "apply of the change"
sleep 3
b2=$(bytes g1 1:10)
[ "$b2" -gt "$b1" ] || fail "t1 class counter reset ($b1 -> $b2): class was recreated"
measure g1 6 > "$RESULTS/tcshape_m_change.txt"	# shown, not judged
cat "$RESULTS/tcshape_show_g1.txt"
for h in 1 2 3 4; do
	eval "wait \$ip$h" || fail "iperf3 flow of tenant $h failed during the change"
done
grep -q "Connection reset\|error" "$RESULTS"/tcshape_iperf_down_*.log &&
	fail "an iperf3 flow broke"
# the receivers over 5..25 s of the run's measured time (the change
# applies at about 2): t2 at its new limit, t1 at its old one
check_rx "t2 after change (iperf3 receiver)" "$(rx_mbit down 2 5 25)" "$(goodput 4)"
check_rx "t1 untouched (iperf3 receiver)" "$(rx_mbit down 1 5 25)" "$(goodput 1)"

echo "--- clear removes only what tcshape made"
tsg clear || fail clear
$IP netns exec tsG tc qdisc show dev g1 | grep -q htb && fail "htb left on g1"
echo "PASS: tcshape_rates"
