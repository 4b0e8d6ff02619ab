#!/bin/bash
# The debug kernel of make check-debug: Debian's own linux-source-6.12 with
# Debian's 6.12 config, trimmed to the modules the VM scenarios load
# (scripts/debug-kernel.modules, kept as modules: the scenarios check
# module loading too) and with scripts/debug-kernel.config on top (KASAN,
# lockdep, PROVE_RCU, DEBUG_ATOMIC_SLEEP, DEBUG_OBJECTS, kmemleak, failslab,
# fail_page_alloc).
#
# Built once per configuration, outside the clone: the cache directory is
# keyed by the sources, the base config, the fragment and the module list,
# so a second run, or a fresh clone, does not rebuild. Then installed where
# tests/vm/run finds a kernel: /lib/modules/KVER/ (modules, build -> the
# cached tree for the module build, vmlinuz). scripts/kver.sh leaves an
# -xtdebug kernel out of every list but its own.
#
# usage: scripts/debug-kernel.sh    (as root; prints the kernel release last)
# XT_DEBUG_CACHE=DIR (default /var/cache/xt-netflow/debug-kernel)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${XT_DEBUG_CACHE:-/var/cache/xt-netflow/debug-kernel}
frag=$top/scripts/debug-kernel.config
mods=$top/scripts/debug-kernel.modules

say() { echo "debug-kernel: $*" >&2; }

tarball=$(ls /usr/src/linux-source-6.12.tar.xz 2>/dev/null) ||
	{ say "no /usr/src/linux-source-6.12.tar.xz: run make deps"; exit 2; }
base=$(ls -d /usr/src/linux-headers-6.12.*-amd64 2>/dev/null |
	grep -v -e '-rt-' -e '-cloud-' | sort -V | tail -n 1)/.config
[ -f "$base" ] || { say "no Debian 6.12 headers (their .config is the base): run make deps"; exit 2; }
[ "$(id -u)" = 0 ] || { say "run as root: it installs into /lib/modules"; exit 2; }

key=$( { stat -c '%s %Y' "$tarball"; cat "$base" "$frag" "$mods"; } |
	sha256sum | cut -c1-16)
src=$cache/src-$(stat -c %s "$tarball")
out=$cache/build-$key
mkdir -p "$cache"

if [ ! -f "$src/.extracted" ]; then
	say "extracting $tarball"
	rm -rf "$src"
	mkdir -p "$src"
	tar -xJf "$tarball" -C "$src" --strip-components=1
	touch "$src/.extracted"
fi

if [ ! -f "$out/.built" ]; then
	t0=$(date +%s)
	say "configuring $out (base $base)"
	rm -rf "$out"
	mkdir -p "$out"
	cp "$base" "$out/.config"
	# Debian's modules.order would not match: only ours are kept as =m
	# (yes dies of SIGPIPE when make is done: not a failure)
	{ yes '' || :; } | make -s -C "$src" O="$out" LSMOD="$mods" localmodconfig \
		> "$out/localmodconfig.log" 2>&1
	args=()
	while read -r opt rest; do
		case $opt in
		''|'#'*) continue ;;
		esac
		# shellcheck disable=SC2206
		args+=("$opt" $rest)
	done < "$frag"
	# --set-str values are quoted in the fragment: strip the quotes
	for i in "${!args[@]}"; do
		args[i]=${args[i]//\"/}
	done
	"$src/scripts/config" --file "$out/.config" "${args[@]}"
	make -s -C "$src" O="$out" olddefconfig
	# what the fragment asked for must have survived olddefconfig
	for want in KASAN PROVE_LOCKING PROVE_RCU DEBUG_ATOMIC_SLEEP \
		DEBUG_OBJECTS_WORK DEBUG_KMEMLEAK FAILSLAB FAIL_PAGE_ALLOC; do
		grep -q "^CONFIG_$want=y" "$out/.config" ||
			{ say "CONFIG_$want did not survive olddefconfig"; exit 1; }
	done
	say "building (this takes a while on $(nproc) CPUs)"
	make -s -C "$src" O="$out" -j"$(nproc)" bzImage modules \
		> "$out/build.log" 2>&1 ||
		{ tail -n 40 "$out/build.log"; exit 1; }
	echo $(( $(date +%s) - t0 )) > "$out/.built"
	say "built in $(cat "$out/.built") s"
fi

kver=$(make -s -C "$src" O="$out" kernelrelease)
dest=/lib/modules/$kver
if [ ! -f "$dest/.xt-$key" ]; then
	rm -rf "$dest"
	make -s -C "$src" O="$out" INSTALL_MOD_STRIP=1 modules_install > /dev/null
	ln -sfn "$out" "$dest/build"
	cp "$out/arch/x86/boot/bzImage" "$dest/vmlinuz"
	touch "$dest/.xt-$key"
fi
say "kernel $kver (built in $(cat "$out/.built") s, cached in $out)"
echo "$kver"
