#!/bin/sh
# Every malformed parameter is refused with -EINVAL, one dmesg line naming
# it, and leaves nothing behind.
. "$XT/tests/vm/lib.sh"
netfilter_modules

refuse() {
	dmesg -C
	out=$(insmod "$KO" "$@" 2>&1) && fail "insmod $* was accepted"
	echo "$out" | grep -q "Invalid argument\|Invalid parameters" ||
		fail "insmod $*: expected EINVAL, got: $out"
	lsmod | grep -q '^ipt_NETFLOW' && fail "module loaded after $*"
	[ -e $PROC ] && fail "$PROC left behind after $*"
	[ -d /proc/sys/net/netflow ] && fail "sysctl left behind after $*"
	echo "ok: refused $* ($(dmesg | grep ipt_NETFLOW | tail -n 1))"
}

# destination: each malformed entry is named in the log
for bad in 'destination=300.1.1.1:2055' 'destination=127.0.0.1:99999' \
	'destination=127.0.0.1:0' 'destination=127.0.0.1:20x5' \
	'destination=[::1' 'destination=::g' 'destination=127.0.0.1:2055,foo' \
	'destination=1.2.3.4/v7' 'destination=[::1]:2055/v5' \
	'destination=1.2.3.4@::1' 'destination=' 'destination=,;'; do
	refuse "$bad"
	val=${bad#destination=}
	[ -z "$(echo "$val" | tr -d ',; ')" ] && continue
	dmesg | grep -q "bad destination" || fail "no dmesg line naming $bad"
done
refuse protocol=7
refuse protocol=0
refuse hashsize=100
refuse active_timeout=0
refuse inactive_timeout=0
refuse sndbuf=-1
echo "bad parameters refused"
