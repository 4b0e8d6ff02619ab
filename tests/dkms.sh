#!/bin/bash
# DKMS cycle as an admin runs it, for every kernel the VM tests boot
# (scripts/kver.sh --vm: 6.1, 6.12, 6.12-rt; or the KVERs given): `dkms
# add; dkms build -k; dkms install -k` through scripts/dkms.sh, then for
# each kernel a VM boots it and modprobe loads the DKMS-installed module
# (tests/vm/dkms_modprobe.sh), then `dkms remove --all` leaves nothing
# behind. Also `make install` into a staging DESTDIR.
# Builds and copies files on the host; never loads a module here.
# usage: tests/dkms.sh [--install-only | --remove-only] [KVER...]
#   --install-only: add, build, install and check, and leave it installed
#   for the VM groups (tests/run boots dkms_modprobe in each kernel's big
#   group, saving a boot per kernel); --remove-only: the remove checks and
#   make install, after them. Without either: the whole cycle, own boots.
# Prints PASS:/FAIL: lines (dkms/LABEL/...); exits non-zero on any failure.
set -u
cd "$(dirname "$0")/.."
NAME=xt-netflow
fails=0
phase=all
case ${1:-} in
--install-only) phase=install; shift ;;
--remove-only) phase=remove; shift ;;
esac
# whether dkms's signing key was made by the install phase (remove it then)
mokflag=/var/lib/dkms/.xt-netflow-test-made-mok

pass() { echo "PASS: dkms/$1"; }
fail() {
	echo "FAIL: dkms/$1${2:+: $2}"
	fails=$((fails + 1))
}

[ "$(id -u)" = 0 ] || { fail setup "needs root (dkms writes /usr/src, /var/lib/dkms, /lib/modules)"; exit 1; }
command -v dkms >/dev/null || { fail setup "dkms not installed: make deps"; exit 1; }
[ -f kernel/ipt_NETFLOW.ko ] || { fail setup "build first: make"; exit 1; }
VER=$(scripts/dkms.sh version) || { fail setup "scripts/dkms.sh version"; exit 1; }
[ $# -gt 0 ] || set -- $(scripts/kver.sh --vm)
[ $# -gt 0 ] || { fail setup "no kernel with headers and image (make deps)"; exit 1; }
echo "dkms: $NAME/$VER for kernels $* (running $(uname -r))"
if [ $phase != remove ] && [ -n "$(dkms status -m $NAME -v "$VER" 2>/dev/null)" ]; then
	fail setup "$NAME/$VER is already DKMS-installed here; this test would remove it: run 'scripts/dkms.sh remove' first"
	exit 1
fi
# dkms creates a module signing key on first use: keep this host as found
mok=
if [ $phase = remove ]; then
	[ -e $mokflag ] && mok=/var/lib/dkms/mok
else
	rm -f $mokflag
	[ -e /var/lib/dkms/mok.key ] || mok=/var/lib/dkms/mok
fi
cleanup() {
	scripts/dkms.sh remove >/dev/null 2>&1
	[ -n "$mok" ] && rm -f "$mok.key" "$mok.pub" $mokflag
}
if [ $phase = install ]; then
	trap 'cleanup; exit 1' INT TERM
else
	trap cleanup EXIT
fi
log=$(mktemp)

if [ $phase != remove ]; then

if scripts/dkms.sh install "$@" > "$log" 2>&1; then
	pass "add-build-install"
else
	fail "add-build-install" "see below"
	tail -n 30 "$log"
	find /var/lib/dkms/$NAME -name make.log -exec tail -n 30 {} \; 2>/dev/null
	exit 1
fi
[ -f /usr/src/$NAME-$VER/dkms.conf ] && [ ! -e /usr/src/$NAME-$VER/kernel/ipt_NETFLOW.ko ] &&
	[ -z "$(find /usr/src/$NAME-$VER -name '*.o' -o -name '*.mod.c' -o -name '*.cmd')" ] &&
	pass "source-tree (no build products)" || fail "source-tree" "$(ls -R /usr/src/$NAME-$VER)"
for KVER in "$@"; do
	L=$(scripts/kver.sh --label "$KVER")
	if dkms status -m $NAME -v "$VER" -k "$KVER" | grep -q "installed"; then
		pass "$L/status (installed for $KVER)"
	else
		fail "$L/status" "$(dkms status -m $NAME)"
	fi
	ko=$(ls /lib/modules/"$KVER"/updates/dkms/ipt_NETFLOW.ko* 2>/dev/null | head -n 1)
	if [ -n "$ko" ] && [ "$(modinfo -k "$KVER" -n ipt_NETFLOW)" = "$ko" ] &&
		[ "$(modinfo -k "$KVER" -n xt_NETFLOW)" = "$ko" ]; then
		pass "$L/modules-dep (ipt_NETFLOW and alias xt_NETFLOW -> $ko)"
	else
		fail "$L/modules-dep" "ko '$ko', modinfo '$(modinfo -k "$KVER" -n ipt_NETFLOW 2>&1)'"
	fi
	if [ -n "$ko" ] && [ "$(modinfo -F version "$ko")" = "$VER" ] &&
		[ "$(modinfo -F vermagic "$ko" | cut -d' ' -f1)" = "$KVER" ]; then
		pass "$L/modinfo (version $VER, vermagic $KVER)"
	else
		fail "$L/modinfo" "$(modinfo "$ko" 2>&1 | head -n 12)"
	fi
done

fi	# install checks

if [ $phase = install ]; then
	trap - INT TERM
	[ -n "$mok" ] && touch $mokflag
	rm -f "$log"
	[ $fails = 0 ]
	exit
fi

no_module_left() {
	for k in "$@"; do
		! modinfo -k "$k" -n ipt_NETFLOW >/dev/null 2>&1 || return 1
	done
}

# The guest shares this /usr (so /lib/modules): modprobe there, each kernel.
if [ $phase = all ]; then
	for KVER in "$@"; do
		tests/vm/run --kernel "$KVER" dkms_modprobe || fails=$((fails + 1))
	done
fi

if scripts/dkms.sh remove > "$log" 2>&1 &&
	[ -z "$(dkms status -m $NAME 2>/dev/null)" ] &&
	[ ! -e /usr/src/$NAME-$VER ] &&
	! ls /lib/modules/*/updates/dkms/ipt_NETFLOW.ko* >/dev/null 2>&1 &&
	no_module_left "$@"; then
	pass "remove (--all leaves nothing: dkms tree, /usr/src, modules, modules.dep)"
else
	fail "remove" "$(cat "$log")"
fi
cleanup
trap - EXIT

# make install, staged: module in extra/, extension in xtlibdir, example conf.
KVER=$(modinfo -F vermagic kernel/ipt_NETFLOW.ko | cut -d' ' -f1)
stage=$(mktemp -d)
if make -s install DESTDIR="$stage" > "$log" 2>&1 &&
	[ -f "$stage/lib/modules/$KVER/extra/ipt_NETFLOW.ko" ] &&
	[ -f "$stage$(pkg-config --variable=xtlibdir xtables)/libxt_NETFLOW.so" ] &&
	grep -q '^options ipt_NETFLOW ' "$stage/etc/modprobe.d/ipt_NETFLOW.conf"; then
	pass "make-install-destdir (extra/ipt_NETFLOW.ko, xtlibdir/libxt_NETFLOW.so, modprobe.d)"
else
	fail "make install" "$(cat "$log"; find "$stage" -type f)"
fi
rm -rf "$stage" "$log"
[ $fails = 0 ]
