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
ethtool netcat-openbsd iputils-ping wget procps valgrind util-linux python3 bc"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done
if [ -z "$missing" ]; then
	echo "deps: all packages present"
	exit 0
fi
echo "deps: installing:$missing"
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture: answer no, silently.
echo "wireshark-common wireshark-common/install-setuid boolean false" |
	$SUDO debconf-set-selections
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
