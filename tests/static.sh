#!/bin/bash
# Static checks of the kernel code: sparse (make C=2) must print nothing,
# and the module must build warning-free with W=1 against every installed
# Debian kernel's headers.
set -u
cd "$(dirname "$0")/.."
rc=0
for build in /lib/modules/*/build; do
	[ -f "$build/Makefile" ] || continue
	kver=$(basename "$(dirname "$build")")
	out=$(make -s -C "$build" M="$PWD" C=2 W=1 NETFLOW_WERROR=y modules 2>&1 |
		grep -E "warning|error" | grep -v "Skipping BTF")
	if [ -n "$out" ]; then
		echo "$out"
		echo "FAIL: static/sparse-W1-$kver"
		rc=1
	else
		echo "PASS: static/sparse-W1-$kver"
	fi
done
exit $rc
