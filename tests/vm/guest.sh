#!/bin/sh
# Stage 2 in the guest: run each scenario named on the kernel command line
# (xt.run=a,b,c), record its exit code and kernel log, then power off.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root XT=/xt RESULTS=/results LANG=C
export XTABLES_LIBDIR=/xt/xtables:/usr/lib/x86_64-linux-gnu/xtables
mkdir -p /dev/pts /dev/shm /sys/kernel/debug
mount -t devpts devpts /dev/pts 2>/dev/null
mount -t tmpfs shm /dev/shm 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
hostname xt-guest
ip link set lo up
spin=
if [ -f /run/xt-spin.pid ]; then
	spin=", busy loop $(cat /run/xt-spin.pid)"
	kill -0 "$(cat /run/xt-spin.pid)" 2>/dev/null || spin="$spin (dead)"
fi
echo "XT-INIT stage2 $(uname -r) at uptime $(cut -d' ' -f1 /proc/uptime) s$spin"

run=$(sed -n 's/.*xt\.run=\([^ ]*\).*/\1/p' /proc/cmdline | tr ',' ' ')
tmo=$(sed -n 's/.*xt\.timeout=\([0-9]*\).*/\1/p' /proc/cmdline)
# the module to load (lib.sh's KO): tests/vm/run --kernel passes its build
ko=$(sed -n 's/.*xt\.ko=\([^ ]*\).*/\1/p' /proc/cmdline)
[ -n "$ko" ] && export KO="$ko"
[ -n "$tmo" ] || tmo=600
BAD='BUG:|WARNING:|Oops|Call Trace|soft lockup|KASAN|lockdep|possible circular locking|INFO: task .* blocked|general protection'
# a debug kernel's banners, not reports
BANNERS='RCU lockdep checking is enabled|KernelAddressSanitizer initialized|kmemleak: Kernel memory leak detector initialized|kmemleak: Automatic memory scanning thread'
badlines() {
	grep -E "$BAD" "$1" | grep -v -E "$BANNERS"
}

# A kernel complaint during boot poisons every result: report it on its own.
dmesg > /results/boot.dmesg
badlines /results/boot.dmesg > /results/boot.dmesg-bad
# After a failed scenario: undo what it may have left (rules, module,
# namespaces, daemons), so the next scenario of the boot starts clean
# instead of failing on "module already loaded".
reset_guest() {
	pkill -9 nfcapd 2>/dev/null
	pkill -9 iperf3 2>/dev/null
	for t in iptables-legacy ip6tables-legacy; do
		for tb in raw mangle filter; do $t -t $tb -F 2>/dev/null; done
	done
	nft flush ruleset 2>/dev/null
	for ns in $(ip netns list | cut -d' ' -f1); do ip netns del "$ns"; done
	ip link del br0 2>/dev/null
	sleep 1
	rmmod ipt_NETFLOW 2>/dev/null
	lsmod | grep -q '^ipt_NETFLOW' && echo "XT-RESET could not unload ipt_NETFLOW"
}

# make check-debug's kernel has kmemleak: what leaked before the first
# scenario is not ours; after each scenario (the module unloaded) a scan
# must find nothing new. Objects younger than 5 s are not reported yet:
# they show in the next scenario's scan, never lost.
KMEMLEAK=/sys/kernel/debug/kmemleak
kmemleak_scan() {
	[ -w $KMEMLEAK ] || return 0
	echo scan > $KMEMLEAK
	cat $KMEMLEAK > "$1"
	echo clear > $KMEMLEAK
}
kmemleak_scan /results/boot.kmemleak

cd /xt || exit 1
for name in $run; do
	script=/xt/tests/vm/$name.sh
	dmesg -C
	echo "XT-START $name at uptime $(cut -d' ' -f1 /proc/uptime) s"
	t0=$(cut -d. -f1 /proc/uptime)
	if [ -f "$script" ]; then
		timeout -k 5 "$tmo" sh "$script" > "/results/$name.log" 2>&1
		rc=$?
	else
		echo "no such scenario: $script" > "/results/$name.log"
		rc=127
	fi
	echo $(( $(cut -d. -f1 /proc/uptime) - t0 )) > "/results/$name.secs"
	dmesg > "/results/$name.dmesg"
	# what it needed from the kernel (make check-debug builds these in)
	cut -d' ' -f1 /proc/modules > "/results/$name.modules"
	if badlines "/results/$name.dmesg" > "/results/$name.bad"; then
		echo "kernel log has a warning or crash:" >> "/results/$name.log"
		cat "/results/$name.bad" >> "/results/$name.log"
		[ "$rc" = 0 ] && rc=99
	fi
	kmemleak_scan "/results/$name.kmemleak"
	if [ -s "/results/$name.kmemleak" ]; then
		echo "kmemleak: $(grep -c '^unreferenced object' "/results/$name.kmemleak") new leaks:" >> "/results/$name.log"
		head -n 60 "/results/$name.kmemleak" >> "/results/$name.log"
		[ "$rc" = 0 ] && rc=98
	fi
	echo "$rc" > "/results/$name.rc"
	echo "XT-RESULT $name $rc"
	[ "$rc" = 0 ] || reset_guest
done
sync
echo "XT-DONE"
reboot -f
