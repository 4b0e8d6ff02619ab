#!/bin/bash
# Mutation check: does the suite notice a one-line break of real behaviour?
# Copies the tree to a temp dir, and for each row of tests/mutations.txt
# applies that one-line change to the copy, runs the fast test the row
# names, and restores the line. Prints caught/missed per row and
# "N of M caught"; exits non-zero unless every row was caught.
#
# usage: tests/mutate.sh [-k] [-l LIST] [REGEX]
#   REGEX  only rows matching it (grep -E)
#   -k     keep the temp copy
#   -l     another list than tests/mutations.txt
# Rows whose line is no longer in the code are "stale"; a mutation that
# does not build is "nobuild"; neither counts as caught. vm: rows boot the
# VM (one at a time, tests/vm/run); MUTATE_NO_VM=1 reports them "skipped".
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
list=$top/tests/mutations.txt
keep=0
while getopts kl: o; do
	case $o in
	k) keep=1 ;;
	l) list=$(realpath "$OPTARG") ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
filter=${1:-}

work=$(mktemp -d /tmp/netflow-mutate.XXXXXX)
[ $keep = 1 ] || trap 'rm -rf "$work"' EXIT
tree=$work/tree
mkdir -p "$tree"
# the sources as they are now (committed or not), no build products
(cd "$top" && git ls-files -co --exclude-standard -z) |
	(cd "$top" && xargs -0 cp --parents -t "$tree" 2>/dev/null)
cp "$top/xtables/"*.so "$tree/xtables/" 2>/dev/null

# The kernel the VM boots is the one the built module is for.
kver=
[ -f "$top/kernel/ipt_NETFLOW.ko" ] &&
	kver=$(modinfo -F vermagic "$top/kernel/ipt_NETFLOW.ko" | cut -d' ' -f1)
[ -n "$kver" ] || kver=$(ls /lib/modules | sort -V | head -n 1)

log=$work/log
# run_test TEST: 0 passed, 1 failed, 2 did not build
run_test() {
	case $1 in
	unit)
		make -s -C "$tree/tests/unit" all >>"$log" 2>&1 || return 2
		make -s -C "$tree/tests/unit" check >>"$log" 2>&1 || return 1
		;;
	unit:*)
		make -s -C "$tree/tests/unit" "${1#unit:}" >>"$log" 2>&1 ||
			return 2
		(cd "$tree/tests/unit" && "./${1#unit:}") >>"$log" 2>&1 ||
			return 1
		;;
	fuzz:*)
		local fz=${1#fuzz:}
		make -s -C "$tree/tests/fuzz" "$fz" >>"$log" 2>&1 || return 2
		rm -rf "$work/fuzz" && mkdir -p "$work/fuzz"
		cp "$tree/tests/fuzz/corpus/$fz/"* "$work/fuzz/" 2>/dev/null
		(cd "$work" && "$tree/tests/fuzz/$fz" -max_total_time=12 \
			-timeout=10 -artifact_prefix="$work/" "$work/fuzz") \
			>>"$log" 2>&1 || return 1
		;;
	vm:*)
		make -s -C "/lib/modules/$kver/build" M="$tree" modules \
			>>"$log" 2>&1 || return 2
		"$tree/tests/vm/run" "${1#vm:}" >>"$log" 2>&1 || return 1
		;;
	*)
		echo "unknown test '$1'" >>"$log"
		return 2
		;;
	esac
	return 0
}

# rows: "file<TAB>original<TAB>replacement<TAB>test"
rows=$(awk -F ' *@@ *' '/^[ \t]*(#|$)/ { next }
	{ sub(/^[ \t]+/, "", $1); sub(/[ \t]+$/, "", $4)
	  print $1 "\t" $2 "\t" $3 "\t" $4 }' "$list")
[ -n "$filter" ] && rows=$(echo "$rows" | grep -E -- "$filter")
[ -n "$rows" ] || { echo "no mutations selected"; exit 2; }

declare -A base
caught=0 total=0
while IFS=$'\t' read -r -u 3 file orig repl test; do
	total=$((total + 1))
	what="$file: $orig -> $repl ($test)"
	f=$tree/$file
	if [ ! -f "$f" ]; then
		echo "stale: $what: no such file"
		continue
	fi
	# line numbers whose text equals ORIGINAL, blanks normalised
	lines=$(awk -v want="$orig" '{ s = $0; gsub(/[ \t]+/, " ", s)
		sub(/^ /, "", s); sub(/ $/, "", s); w = want
		gsub(/[ \t]+/, " ", w); if (s == w) print NR }' "$f")
	n=$(echo "$lines" | grep -c .)
	if [ "$n" = 0 ]; then
		echo "stale: $what: line not found"
		continue
	fi
	if [ "$n" != 1 ]; then
		echo "ambiguous: $what: $n lines ($(echo $lines))"
		continue
	fi
	if [ "${test%%:*}" = vm ] && [ -n "${MUTATE_NO_VM:-}" ]; then
		echo "skipped: $what"
		continue
	fi
	# the test must pass on the unmutated tree, once per test
	if [ -z "${base[$test]:-}" ]; then
		echo "=== baseline $test" >>"$log"
		run_test "$test" </dev/null
		base[$test]=$?
		[ "${base[$test]}" = 0 ] ||
			echo "baseline: $test fails without any mutation (log: $log)"
	fi
	if [ "${base[$test]}" != 0 ]; then
		echo "unjudged: $what: baseline fails"
		continue
	fi
	cp -p "$f" "$work/orig"
	awk -v ln="$lines" -v repl="$repl" 'NR == ln {
		match($0, /^[ \t]*/); $0 = substr($0, 1, RLENGTH) repl } { print }' \
		"$work/orig" >"$f"
	echo "=== $what" >>"$log"
	run_test "$test" </dev/null
	rc=$?
	cp "$work/orig" "$f"
	touch "$f"	# older than the objects of the mutant: rebuild
	case $rc in
	0) echo "missed: $what" ;;
	1) echo "caught: $what"; caught=$((caught + 1)) ;;
	*) echo "nobuild: $what (log: $log)" ;;
	esac
done 3<<<"$rows"
echo "$caught of $total caught"
[ "$caught" = "$total" ]
