#!/bin/bash
# make check-debug: every module scenario of make check (tests/run's VM
# groups, without DKMS and the tcshape groups, which load no module) on
# the debug kernel of scripts/debug-kernel.sh, then fault_inject. A run
# fails on any kernel report (KASAN, lockdep, RCU, DEBUG_OBJECTS, a
# WARNING), on any new kmemleak object after a scenario (tests/vm/guest.sh)
# and on any test name of the manifest (6.12's, renamed) that did not run.
set -euo pipefail
cd "$(dirname "$0")/.."
kver=$(scripts/debug-kernel.sh | tail -n 1)
label=$(scripts/kver.sh --label "$kver")
manifest=$(mktemp)
trap 'rm -f "$manifest"' EXIT
{
	grep "^vm/6\.12/" tests/manifest.txt | grep -v -e '/tcshape_' -e '/dkms_' -e '/boot\.tcshape_' |
		sed "s#^vm/6\.12/#vm/$label/#"
	echo "vm/$label/boot.fault_inject"
	echo "vm/$label/fault_inject"
} > "$manifest"
echo "check-debug: $kver, $(wc -l < "$manifest") tests"
t0=$(date +%s)
# a KASAN + lockdep kernel under TCG: about 3 times slower, more memory;
# slab_nomerge so failslab can be set on the module's own caches
rc=0
XT_KERNELS=$kver XT_NO_DKMS=1 XT_SKIP_HOST=1 XT_VM_ONCE=- XT_VM_JOBS=1 \
	XT_VM_EXTRA=fault_inject XT_MANIFEST=$manifest \
	XT_VM_MEM=2048 XT_VM_SLOW=3 XT_VM_APPEND="slab_nomerge" tests/run || rc=$?
echo "check-debug: $(( $(date +%s) - t0 )) s of scenarios"
exit $rc
