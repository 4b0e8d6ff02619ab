#!/bin/sh
# Where a packet's instructions go: perf's cpu-clock sampling in the -icount
# guest (1 ns = 1 instruction, so time samples are instruction samples)
# while pktgen runs the 1-flow scenario with the NETFLOW rule, our defaults
# and everything off; then the export of a flushed table (v5 to a reading
# sink), per record. Run by tests/vm/bench_profile.sh (make bench-profile);
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

# export per record: EXPFLOWS flows metered, then flushed as v5 to a sink
EXPFLOWS=131072
kill "$holdpid"
sleep 1
"$SINK" hold 2055 > /tmp/hold2055 &
holdpid=$!
sleep 1
nf_load protocol=5 inactive_timeout=3600 active_timeout=3600 \
	hashsize=$EXPFLOWS maxflows=4000000 sndbuf=4194304
pg_flow4 10.16.0.0 10.31.255.255 40000 40000 0
rule netflow 4
run "$EXPFLOWS" > /dev/null
rule none
kill "$holdpid"
sleep 1
perf record -q -a -e cpu-clock -F 20000 -o /tmp/perf.data \
	"$SINK" count 2055 268435456 2000 /proc/sys/net/netflow/flush \
	> /tmp/sink.out 2> /tmp/perf.err || { cat /tmp/perf.err; fail "perf record"; }
{
	echo "=== export: $EXPFLOWS flows flushed as v5 ($(grep '^flush_ns' /tmp/sink.out)), % of busy samples"
	# the sink waits for stragglers: its idle time left out
	perf report -q -i /tmp/perf.data --no-children --sort sym \
		--percent-limit 0.01 2> /dev/null |
		awk '$NF ~ /halt|idle/ { next } { sub("%", "", $1); v[NR] = $1; l[NR] = $0; t += $1 }
			END { for (i = 1; i <= NR; i++) if (i in v && v[i] * 100 / t >= 0.5)
				printf "%7.2f%% %s\n", v[i] * 100 / t, substr(l[i], index(l[i], "[")) }' |
		head -60
} >> "$TXT"
nf_unload
cat "$TXT"
