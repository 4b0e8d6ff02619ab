#!/bin/bash
# DKMS cycle as an admin runs it, against the installed Debian headers (not
# the running kernel): `dkms add; dkms build -k; dkms install -k` through
# scripts/dkms.sh, then a VM boots that kernel and modprobe loads the
# DKMS-installed module (tests/vm/dkms_modprobe.sh), then `dkms remove
# --all` leaves nothing behind. Also `make install` into a staging DESTDIR.
# Builds and copies files on the host; never loads a module here.
# Prints PASS:/FAIL: lines; exits non-zero on any failure.
set -u
cd "$(dirname "$0")/.."
NAME=xt-netflow
fails=0

pass() { echo "PASS: dkms/$1"; }
fail() {
	echo "FAIL: dkms/$1${2:+: $2}"
	fails=$((fails + 1))
}

[ "$(id -u)" = 0 ] || { fail setup "needs root (dkms writes /usr/src, /var/lib/dkms, /lib/modules)"; exit 1; }
command -v dkms >/dev/null || { fail setup "dkms not installed: make deps"; exit 1; }
[ -f kernel/ipt_NETFLOW.ko ] || { fail setup "build first: make"; exit 1; }
VER=$(scripts/dkms.sh version) || { fail setup "scripts/dkms.sh version"; exit 1; }
# The kernel the VM boots: the one the repo module was built for.
KVER=$(modinfo -F vermagic kernel/ipt_NETFLOW.ko | cut -d' ' -f1)
echo "dkms: $NAME/$VER for kernel $KVER (running $(uname -r))"
if [ -n "$(dkms status -m $NAME -v "$VER" 2>/dev/null)" ]; then
	fail setup "$NAME/$VER is already DKMS-installed here; this test would remove it: run 'scripts/dkms.sh remove' first"
	exit 1
fi
# dkms creates a module signing key on first use: keep this host as found
mok=
[ -e /var/lib/dkms/mok.key ] || mok=/var/lib/dkms/mok
cleanup() {
	scripts/dkms.sh remove >/dev/null 2>&1
	[ -n "$mok" ] && rm -f "$mok.key" "$mok.pub"
}
trap cleanup EXIT
log=$(mktemp)

if scripts/dkms.sh install "$KVER" > "$log" 2>&1; then
	pass "add-build-install"
else
	fail "add-build-install" "see below"
	tail -n 30 "$log"
	find /var/lib/dkms/$NAME -name make.log -exec tail -n 30 {} \; 2>/dev/null
	exit 1
fi
[ -f /usr/src/$NAME-$VER/dkms.conf ] && [ ! -e /usr/src/$NAME-$VER/kernel/ipt_NETFLOW.ko ] &&
	[ -z "$(find /usr/src/$NAME-$VER -name '*.o' -o -name '*.mod.c' -o -name '*.cmd')" ] &&
	pass "source tree without build products" || fail "source tree" "$(ls -R /usr/src/$NAME-$VER)"
if dkms status -m $NAME -v "$VER" -k "$KVER" | grep -q "installed"; then
	pass "status installed"
else
	fail "status" "$(dkms status -m $NAME)"
fi
ko=$(ls /lib/modules/"$KVER"/updates/dkms/ipt_NETFLOW.ko* 2>/dev/null | head -n 1)
if [ -n "$ko" ] && [ "$(modinfo -k "$KVER" -n ipt_NETFLOW)" = "$ko" ] &&
	[ "$(modinfo -k "$KVER" -n xt_NETFLOW)" = "$ko" ]; then
	pass "modules.dep: ipt_NETFLOW and alias xt_NETFLOW -> $ko"
else
	fail "modules.dep" "ko '$ko', modinfo '$(modinfo -k "$KVER" -n ipt_NETFLOW 2>&1)'"
fi
if [ "$(modinfo -F version "$ko")" = "$VER" ] &&
	[ "$(modinfo -F vermagic "$ko")" = "$(modinfo -F vermagic kernel/ipt_NETFLOW.ko)" ]; then
	pass "modinfo version $VER, vermagic $KVER"
else
	fail "modinfo" "$(modinfo "$ko" | head -n 12)"
fi

# The guest shares this /usr (so /lib/modules): modprobe there.
tests/vm/run dkms_modprobe
[ $? = 0 ] || fails=$((fails + 1))

if scripts/dkms.sh remove > "$log" 2>&1 &&
	[ -z "$(dkms status -m $NAME 2>/dev/null)" ] &&
	[ ! -e /usr/src/$NAME-$VER ] &&
	! ls /lib/modules/"$KVER"/updates/dkms/ipt_NETFLOW.ko* >/dev/null 2>&1 &&
	! modinfo -k "$KVER" -n ipt_NETFLOW >/dev/null 2>&1; then
	pass "remove --all leaves nothing (dkms tree, /usr/src, module, modules.dep)"
else
	fail "remove" "$(cat "$log")"
fi
cleanup
trap - EXIT

# make install, staged: module in extra/, extension in xtlibdir, example conf.
stage=$(mktemp -d)
if make -s install DESTDIR="$stage" > "$log" 2>&1 &&
	[ -f "$stage/lib/modules/$KVER/extra/ipt_NETFLOW.ko" ] &&
	[ -f "$stage$(pkg-config --variable=xtlibdir xtables)/libxt_NETFLOW.so" ] &&
	grep -q '^options ipt_NETFLOW ' "$stage/etc/modprobe.d/ipt_NETFLOW.conf"; then
	pass "make install DESTDIR: extra/ipt_NETFLOW.ko, xtlibdir/libxt_NETFLOW.so, modprobe.d"
else
	fail "make install" "$(cat "$log"; find "$stage" -type f)"
fi
rm -rf "$stage" "$log"
[ $fails = 0 ]
