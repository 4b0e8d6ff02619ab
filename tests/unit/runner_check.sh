#!/bin/bash
# The runner's totals cannot lie: tests/run with fake suites (XT_SUITES)
# and a fake manifest. A suite that crashes without output, one that exits
# 0 but skips a manifest name, one whose FAIL line comes with exit 0, must
# each turn the run red; an honest green run stays green with exact totals.
# Also: a unit test program that fails and leaks (LeakSanitizer _exit())
# still shows its PASS/FAIL lines through a pipe (tests/unit/unit.h).
set -u
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '# fake\nfake/a\nfake/b\n' > "$tmp/manifest"
fails=0

# run NAME WANT_RC WANT_LAST SUITES: tests/run with these suites only
run() {
	local out rc last
	out=$(env -u XT_WRITE_MANIFEST XT_MANIFEST="$tmp/manifest" XT_SUITES="$4" \
		tests/run 2>&1)
	rc=$?
	last=$(echo "$out" | tail -n 1)
	local ok=0
	[ "$2" = 0 ] && [ $rc = 0 ] && ok=1
	[ "$2" != 0 ] && [ $rc != 0 ] && ok=1
	if [ $ok = 1 ] && [ "$last" = "$3" ]; then
		echo "PASS: runner/$1 (exit $rc, '$last')"
	else
		fails=$((fails + 1))
		echo "FAIL: runner/$1: exit $rc, last line '$last', wanted exit ${2/1/non-zero} and '$3'"
		echo "$out" | sed 's/^/    /'
	fi
}

run green 0 "2 passed, 0 failed" \
	'ok=echo PASS: fake/a; echo PASS: fake/b'
run crash-without-output 1 "2 passed, 1 failed" \
	'ok=echo PASS: fake/a; echo PASS: fake/b|crash=kill -SEGV $$'
# an earlier suite's FAIL line must not hide a later silent crash
run crash-after-a-failure 1 "1 passed, 2 failed" \
	'bad=echo PASS: fake/a; echo FAIL: fake/b; exit 1|crash=exit 3'
run missing-manifest-name 1 "1 passed, 1 failed" \
	'short=echo PASS: fake/a; exit 0'
run fail-line-exit-0 1 "1 passed, 1 failed" \
	'liar=echo PASS: fake/a; echo FAIL: fake/b; exit 0'

# The VM scheduler: fake boots (XT_VM_RUN) of three kernels, two groups
# each and a quiet group; two at once, never one kernel twice at once, the
# quiet group alone, every boot's PASS lines counted.
cat > "$tmp/fakevm" <<'SH'
#!/bin/bash
k=$2
shift 2
names=()
while [ $# -gt 0 ]; do
	case $1 in
	--timeout) shift 2 ;;
	--*) shift ;;
	*) names+=("$1"); shift ;;
	esac
done
echo "S $(date +%s%N) $k ${names[0]}" >> "$FAKE_LOG"
sleep 1
echo "E $(date +%s%N) $k ${names[0]}" >> "$FAKE_LOG"
for n in "${names[@]}"; do
	echo "PASS: vm/$(scripts/kver.sh --label "$k")/$n"
done
SH
chmod +x "$tmp/fakevm"
ks="9.1.0-1-amd64 9.2.0+x-amd64 9.2.0+x-rt-amd64"
{
	for l in 9.1 9.2 9.2-rt; do
		printf 'vm/%s/%s\n' $l a $l b $l c
	done
	printf 'vm/9.2/%s\n' q1 q2
} > "$tmp/vm-manifest"
out=$(env -u XT_WRITE_MANIFEST XT_MANIFEST="$tmp/vm-manifest" XT_SKIP_HOST=1 \
	XT_NO_DKMS=1 XT_KERNELS="$ks" XT_VM_GROUPS="a b|--icount c" \
	XT_VM_ONCE="q1 q2" XT_VM_JOBS=2 XT_VM_RUN="$tmp/fakevm" \
	FAKE_LOG="$tmp/fake.log" tests/run 2>&1)
rc=$?
# replay the boots in time order: at most 2 at once (and 2 seen), one
# kernel once at a time, the quiet group (q1) alone, 7 boots in all
why=$(sort -k2,2n "$tmp/fake.log" | awk '
	$1 == "S" { n++; boots++; if (n > max) max = n
		    if (run[$3]++) print "kernel " $3 " booted twice at once"
		    if ($4 == "q1") quiet = 1
		    if (quiet && n > 1) print "the quiet group ran beside another boot" }
	$1 == "E" { n--; run[$3]--; if ($4 == "q1") quiet = 0 }
	END { if (max != 2) print "at most " max " boots at once, wanted 2"
	      if (boots != 7) print boots " boots, wanted 7" }')
last=$(echo "$out" | tail -n 1)
if [ $rc = 0 ] && [ -z "$why" ] && [ "$last" = "11 passed, 0 failed" ]; then
	echo "PASS: runner/vm-scheduler (7 boots, 2 at once, '$last')"
else
	fails=$((fails + 1))
	echo "FAIL: runner/vm-scheduler: exit $rc, '$last'; $why"
	echo "$out" | sed 's/^/    /'
fi

# unit.h: stdout unbuffered, so a leaking, failing test keeps its lines
cat > "$tmp/leak.c" <<'C'
#include "unit.h"
#include <string.h>
static void test_ok(void) { CHECK(1); }
static void test_leaks(void)
{
	char *p = malloc(64);

	memset(p, 1, 64);
	CHECK_EQ(p[0], 2);
}
int main(void)
{
	RUN_TEST(test_ok);
	RUN_TEST(test_leaks);
	return UNIT_EXIT();
}
C
if ! cc -fsanitize=address -Itests/unit -o "$tmp/leak" "$tmp/leak.c" 2>"$tmp/cc.log"; then
	fails=$((fails + 1))
	echo "FAIL: runner/unit-leak-keeps-lines: cannot build: $(cat "$tmp/cc.log")"
else
	"$tmp/leak" 2>/dev/null | cat > "$tmp/leak.out"
	if [ "$(grep -c -e '^PASS: test_ok$' -e '^FAIL: test_leaks' "$tmp/leak.out")" = 2 ]; then
		echo "PASS: runner/unit-leak-keeps-lines"
	else
		fails=$((fails + 1))
		echo "FAIL: runner/unit-leak-keeps-lines: got '$(cat "$tmp/leak.out")'"
	fi
fi
[ $fails = 0 ]
