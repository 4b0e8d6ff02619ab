#!/bin/sh
# Which kernel to build for: one rule for the Makefile, scripts/dkms.sh
# and the tests. Prints "KVER WHY" on one line.
#   1. the running kernel, when its headers are installed;
#   2. else the newest generic flavour under /lib/modules/*/build (not -rt,
#      not -cloud: those are chosen on purpose, with KVER=...);
#   3. else the newest headers of any flavour.
# usage: scripts/kver.sh [--all | --vm | --label KVER]
#   --all      every kernel with headers, newest first, one per line
#   --vm       the kernels the VM tests boot, oldest first: headers and an
#              image in /boot, not -cloud (a build check only: Debian's
#              cloud kernel is for cloud VMs, not our QEMU/9p guest)
#   --label K  the short name tests use for kernel K (6.1, 6.12, 6.12-rt)
set -eu

# (an -xtdebug kernel is make check-debug's own: never chosen or listed)
headers() {
	for b in /lib/modules/*/build; do
		[ -e "$b/Makefile" ] || continue
		b=${b%/build}
		case $b in *-xtdebug) continue ;; esac
		echo "${b##*/}"
	done | sort -V -r
}

generic() {
	grep -v -e '-rt-' -e '-rt$' -e '-cloud-' -e '-cloud$'
}

case ${1:-} in
--all)
	headers
	exit 0
	;;
--vm)
	for k in $(headers | sort -V | grep -v -e '-cloud-' -e '-cloud$'); do
		[ -r "/boot/vmlinuz-$k" ] && echo "$k"
	done
	exit 0
	;;
--label)
	# 6.12.117+deb12-rt-amd64 -> 6.12-rt; 6.1.0-57-amd64 -> 6.1;
	# 6.12.118-xtdebug -> 6.12-debug
	echo "$2" | sed -E -e 's/^([0-9]+\.[0-9]+).*-(rt|cloud)-[a-z0-9_]+$/\1-\2/; t' \
		-e 's/^([0-9]+\.[0-9]+).*-xtdebug$/\1-debug/; t' \
		-e 's/^([0-9]+\.[0-9]+)[.+-].*/\1/'
	exit 0
	;;
esac

r=$(uname -r)
if [ -e "/lib/modules/$r/build/Makefile" ]; then
	echo "$r (the running kernel)"
	exit 0
fi
k=$(headers | generic | head -n 1)
if [ -n "$k" ]; then
	echo "$k (no headers for the running $r: newest generic flavour)"
	exit 0
fi
k=$(headers | head -n 1)
if [ -n "$k" ]; then
	echo "$k (no headers for the running $r, no generic flavour: newest)"
	exit 0
fi
echo "kver.sh: no kernel headers under /lib/modules/*/build: run 'make deps' or set KDIR" >&2
exit 1
