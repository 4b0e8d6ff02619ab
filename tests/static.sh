#!/bin/bash
# Static checks of the kernel code against every installed kernel's headers
# (6.1, 6.12 generic, rt and cloud on Debian 12): a fresh W=1 build with
# sparse (C=2) must print no warning or error of the compiler, sparse,
# modpost (ERROR:/WARNING:) or make (Error N), and must produce the module.
# Each kernel builds in its own copy (tests/.build/static/KVER). Prints one
# PASS:/FAIL: line per kernel; fails when no kernel could be built. Then
# tests/layering.sh on the first build's objects (no file loops), then
# checkpatch.pl (kernel style) over kernel/ and xtables/.
set -u -o pipefail
cd "$(dirname "$0")/.."
rc=0 built=0
kernels=$(scripts/kver.sh --all)
if [ -z "$kernels" ]; then
	echo "FAIL: static/headers: no kernel headers under /lib/modules/*/build (make deps)"
	exit 1
fi
for kver in $kernels; do
	label=$(scripts/kver.sh --label "$kver")
	dir=tests/.build/static/$kver
	rm -rf "$dir"	# every file compiled again, so every warning shows
	out=$(tests/build-ko.sh "$kver" "$dir" C=2 W=1 NETFLOW_WERROR=y 2>&1)
	brc=$?
	bad=$(echo "$out" | grep -iE "warning|error" | grep -v "^Skipping BTF generation")
	if [ $brc != 0 ] || [ -n "$bad" ] || [ ! -f "$dir/kernel/ipt_NETFLOW.ko" ]; then
		echo "$out" | tail -n 40 | sed 's/^/    /'
		echo "FAIL: static/$label/W1-sparse ($kver: exit $brc, $(echo "$bad" | grep -c .) bad lines)"
		rc=1
	else
		built=$((built + 1))
		echo "PASS: static/$label/W1-sparse ($kver)"
		layering_dir=${layering_dir:-$dir/kernel}
	fi
done
# one-way data flow between the files of kernel/ (from the first build)
if [ -n "${layering_dir:-}" ]; then
	tests/layering.sh "$layering_dir" || rc=1
fi
# kernel coding style: checkpatch.pl over kernel/ and xtables/ (make deps
# extracts it from Debian's linux-source)
if out=$(make -s checkpatch 2>&1) && ! echo "$out" | grep -qE "^[^ ]+:[0-9]+: (ERROR|WARNING):"; then
	echo "PASS: static/checkpatch (kernel/, xtables/)"
else
	echo "$out" | grep -v "^total: 0 errors, 0 warnings" | tail -n 40 | sed 's/^/    /'
	echo "FAIL: static/checkpatch"
	rc=1
fi
if [ $built = 0 ]; then
	echo "FAIL: static/built: no kernel built the module"
	rc=1
fi
exit $rc
