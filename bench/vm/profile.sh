#!/bin/sh
# Where a packet's instructions go: perf's cpu-clock sampling in the -icount
# guest (1 ns = 1 instruction, so time samples are instruction samples)
# while pktgen runs the 1-flow scenario with the NETFLOW rule, our defaults
# and everything off. Run by tests/vm/bench_profile.sh (make bench-profile);
# writes $RESULTS/bench_profile.txt.
COUNT=400000
# shellcheck disable=SC2034 # lib.sh truncates it
OUT=$RESULTS/bench_profile.tsv
. "$XT/bench/vm/lib.sh"
TXT=$RESULTS/bench_profile.txt
: > "$TXT"
params="protocol=10 inactive_timeout=3600 active_timeout=3600 hashsize=262144 maxflows=0"
pg_flow4 10.1.0.1 10.1.0.1 40000 40000 0
for opts in "" "mac=0 vlan=0"; do
	# shellcheck disable=SC2086
	nf_load $params $opts
	rule netflow 4
	run 1000 > /dev/null
	pg $DEV "count $COUNT"
	perf record -q -a -e cpu-clock -F 20000 -o /tmp/perf.data \
		sh -c "echo start > $PG/pgctrl" 2> /tmp/perf.err ||
		{ cat /tmp/perf.err; fail "perf record"; }
	{
		echo "=== NETFLOW, 1 flow, options: ${opts:-defaults}"
		perf report -q -i /tmp/perf.data --no-children --sort sym \
			--percent-limit 0.3 2> /dev/null | head -60
	} >> "$TXT"
	rule none
	nf_unload
done
cat "$TXT"
