#!/bin/sh
# Install every Debian package the build, tests, demo and benchmarks use.
# Idempotent: does nothing when all are present. Needs root (or sudo).
# Kernels: 6.1 and 6.12 generic and rt (images and headers: the VM tests
# boot them), 6.12 cloud (headers only: a build check in tests/static.sh).
set -eu

PKGS="build-essential linux-headers-amd64 linux-image-amd64
linux-image-6.12-amd64 linux-headers-6.12-amd64
linux-image-6.12-rt-amd64 linux-headers-6.12-rt-amd64
linux-headers-6.12-cloud-amd64 libxtables-dev
pkg-config iptables iproute2 qemu-system-x86 busybox-static kmod cpio
nfdump tshark iperf3 dkms sparse clang libclang-rt-14-dev pmacct
ethtool conntrack netcat-openbsd iputils-ping wget procps valgrind util-linux python3 bc
linux-source-6.12 xz-utils flex bison libelf-dev libssl-dev"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done
# checkpatch.pl: Debian ships it only inside the kernel source tarball;
# take the three files it reads (tests/static.sh runs it)
CHECKPATCH_DIR=/usr/local/share/xt-netflow/checkpatch
checkpatch() {
	[ -x $CHECKPATCH_DIR/checkpatch.pl ] && return 0
	tarball=$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | tail -n 1)
	[ -n "$tarball" ] || { echo "deps: no linux-source tarball for checkpatch.pl" >&2; return 1; }
	tmp=$(mktemp -d)
	tar -xJf "$tarball" -C "$tmp" --wildcards '*/scripts/checkpatch.pl' \
		'*/scripts/spelling.txt' '*/scripts/const_structs.checkpatch'
	$SUDO mkdir -p $CHECKPATCH_DIR
	$SUDO cp "$tmp"/*/scripts/checkpatch.pl "$tmp"/*/scripts/spelling.txt \
		"$tmp"/*/scripts/const_structs.checkpatch $CHECKPATCH_DIR/
	rm -rf "$tmp"
	echo "deps: checkpatch.pl from $tarball in $CHECKPATCH_DIR"
}
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
if [ -z "$missing" ]; then
	echo "deps: all packages present"
	checkpatch
	exit 0
fi
echo "deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture: answer no, silently.
echo "wireshark-common wireshark-common/install-setuid boolean false" |
	$SUDO debconf-set-selections
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
checkpatch
