#!/bin/bash
# Per-packet cost of the engine core under callgrind's cache simulator.
# Each number is (run with 2N) - (run with N), divided by N, minus the
# same difference for the trace generator alone, so setup, start-up and
# the generator cancel out. Fixed cache geometry, so results do not depend
# on the host: I1/D1 32 KiB 8-way, LL 8 MiB 16-way, 64-byte lines.
#
# usage: run.sh BIG_FLOWS N  -> lines "cg NAME Ir D1miss LLmiss"
set -u
here=$(cd "$(dirname "$0")" && pwd)
big=$1 n=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# cg BIN MODE FLOWS N: "Ir D1mr+D1mw DLmr+DLmw" of bench_phase
cg() {
	out=$tmp/cg.$$.$RANDOM
	valgrind --tool=callgrind --cache-sim=yes \
		--I1=32768,8,64 --D1=32768,8,64 --LL=8388608,16,64 \
		--toggle-collect=bench_phase --callgrind-out-file="$out" \
		"$here/$1" "$2" "$3" "$4" > "$tmp/stdout" 2> "$tmp/stderr" ||
		{ cat "$tmp/stderr" >&2; echo "bench_core $2 $3 $4 failed" >&2; exit 1; }
	awk '/^events:/ { for (i = 2; i <= NF; i++) col[$i] = i - 1 }
	     /^summary:/ { print $(col["Ir"] + 1),
			   $(col["D1mr"] + 1) + $(col["D1mw"] + 1),
			   $(col["DLmr"] + 1) + $(col["DLmw"] + 1) }' "$out"
	rm -f "$out"
}

# per BIN MODE FLOWS N: per-unit "Ir D1 LL" from the N / 2N difference
per() {
	read -r i1 d1 l1 <<< "$(cg "$1" "$2" "$3" "$4")"
	read -r i2 d2 l2 <<< "$(cg "$1" "$2" "$3" $(($4 * 2)))"
	awk -v n="$4" -v a="$i1 $d1 $l1" -v b="$i2 $d2 $l2" 'BEGIN {
		split(a, x); split(b, y)
		printf "%.2f %.3f %.3f\n", (y[1] - x[1]) / n, (y[2] - x[2]) / n,
			(y[3] - x[3]) / n }'
}

# net NAME BIN MODE BASEMODE FLOWS N
net() {
	read -r i d l <<< "$(per "$2" "$3" "$5" "$6")"
	if [ "$4" = - ]; then
		echo "cg $1 $i $d $l"
		return
	fi
	read -r bi bd bl <<< "$(per "$2" "$4" "$5" "$6")"
	awk -v nm="$1" -v a="$i $d $l" -v b="$bi $bd $bl" 'BEGIN {
		split(a, x); split(b, y)
		printf "cg %s %.1f %.2f %.2f\n", nm, x[1] - y[1], x[2] - y[2],
			x[3] - y[3] }'
}

net hit_10k bench_core hit gen 10000 "$n"
net hit_big bench_core hit gen "$big" "$n"
net hit6_10k bench_core hit6 gen6 10000 "$n"
net hitmul_10k bench_core_mul hit gen 10000 "$n"
# few enough that the chains stay at load <= 1 (16384 buckets)
net new_10k bench_core new gennew 10000 2500
net new_big bench_core new gennew "$big" "$n"
# table limited to 4096 flows, hour-long timeouts: each packet evicts one
net full_4k bench_core full gennew 4096 "$n"
net expipfix_10k bench_core expipfix - 10000 "$n"
net expipfix_big bench_core expipfix - "$big" "$n"
net exp5_10k bench_core exp5 - 10000 "$n"
echo "cg size $("$here/bench_core" size)"
