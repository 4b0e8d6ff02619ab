#!/bin/bash
# Run each fuzzer for its time over a temp copy of its seed corpus, as many
# at once as there are CPUs (each is one process), and print PASS:/FAIL: per
# fuzzer in the order given. Crash inputs and logs stay in the temp dir,
# which is kept on failure.
# usage: check.sh SECONDS FLOWKEY_SECONDS FUZZER...
secs=$1 flowkey_secs=$2
shift 2
tmp=$(mktemp -d /tmp/netflow-fuzz.XXXXXX)
jobs=$(nproc)

run_one() {
	f=$1 t=$secs
	[ "$f" = fuzz_flowkey ] && t=$flowkey_secs
	mkdir -p "$tmp/$f"
	cp corpus/"$f"/* "$tmp/$f/" 2>/dev/null
	./"$f" -max_total_time="$t" -timeout=10 -artifact_prefix="$tmp/$f-" \
		"$tmp/$f" > "$tmp/$f.log" 2>&1
	echo $? > "$tmp/$f.rc"
}

running=0
for f in "$@"; do
	run_one "$f" &
	running=$((running + 1))
	if [ $running -ge "$jobs" ]; then
		wait -n
		running=$((running - 1))
	fi
done
wait
rc=0
for f in "$@"; do
	if [ "$(cat "$tmp/$f.rc" 2>/dev/null)" = 0 ]; then
		echo "PASS: $f"
	else
		tail -n 40 "$tmp/$f.log"
		echo "FAIL: $f: log and crash input in $tmp"
		rc=1
	fi
done
[ $rc = 0 ] && rm -rf "$tmp"
exit $rc
