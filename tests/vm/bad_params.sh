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

# refuse_num NAME VALUE: EINVAL, exactly one ipt_NETFLOW line in dmesg, and
# that line names both the parameter and the refused token
refuse_num() {
	refuse "$1=$2"
	n=$(dmesg | grep -c ipt_NETFLOW)
	[ "$n" = 1 ] || fail "$1=$2: $n dmesg lines, expected one: $(dmesg | grep ipt_NETFLOW)"
	dmesg | grep ipt_NETFLOW | grep -F -- "$2" | grep -qF "$1" ||
		fail "$1=$2: the dmesg line does not name '$2' and $1"
}

note "every numeric parameter: below, above, garbage, overflow"
for nv in protocol=0 protocol=4 protocol=7 protocol=11 protocol=abc protocol=-1 \
	active_timeout=0 active_timeout=604801 active_timeout=abc \
	active_timeout=99999999999 inactive_timeout=0 inactive_timeout=604801 \
	inactive_timeout=-1 maxflows=1073741825 maxflows=4294967296 \
	maxflows=-1 maxflows=12x hashsize=100 hashsize=255 hashsize=67108865 \
	hashsize=abc sndbuf=-1 sndbuf=1073741825 sndbuf=1k \
	refresh_rate=1000001 refresh_rate=abc timeout_rate=10081 \
	timeout_rate=-5 engine_id=4294967296 engine_id=abc engine_id=-1 \
	debug=11 debug=abc debug=-1 scan_min=0 scan_min=1001 \
	scan_min=4000000000 scan_min=abc natevents=abc natevents=-1 \
	natevents=4294967296 physdev=2 physdev=-1 physdev=abc mac=2 mac=-1 \
	mac=abc vlan=2 vlan=x promisc=abc promisc=-1 promisc=4294967296; do
	refuse_num "${nv%%=*}" "${nv#*=}"
done

note "sampler: a bad mode or N is refused, one line naming sampler"
for nv in sampler=hash:1 sampler=random:16384 sampler=x:5 sampler=deterministic \
	sampler=random:5x; do
	refuse "$nv"
	assert_eq "$(dmesg | grep -c ipt_NETFLOW)" 1 "dmesg lines for $nv"
	dmesg | grep ipt_NETFLOW | grep -qF "sampler: refused '${nv#sampler=}'" ||
		fail "$nv: no dmesg line naming sampler and the value"
done

note "aggregation: a rule that does not parse refuses the load"
for nv in aggregation=8=255.0.0.0 aggregation=10.0.0.0/33=8 \
	aggregation=80-89=80,90-80=1 aggregation=65536=1; do
	refuse "$nv"
	assert_eq "$(dmesg | grep -c ipt_NETFLOW)" 1 "dmesg lines for $nv"
	dmesg | grep ipt_NETFLOW | grep -q "aggregation: refused" ||
		fail "$nv: no dmesg line naming aggregation"
done

note "the ends of every range load"
for p in "protocol=10 active_timeout=604800 inactive_timeout=1 maxflows=1073741824 hashsize=256 sndbuf=0 refresh_rate=1000000 timeout_rate=10080 engine_id=4294967295 debug=10 scan_min=1000" \
	"protocol=9 active_timeout=1 inactive_timeout=604800 maxflows=0 hashsize=0 refresh_rate=0 timeout_rate=0 engine_id=0 debug=0 scan_min=1 sampler= aggregation= natevents=0" \
	"sampler=deterministic:16383" "sampler=r:2" "sampler=hash:100" "sampler=off" \
	"natevents=1" "natevents=2" "physdev=1" "mac=0 vlan=0" "mac=1 vlan=0" \
	"promisc=1" "promisc=4294967295 mac=0 vlan=0" \
	"aggregation=10.0.0.0/8=16,80-89=80,3128=80"; do
	# shellcheck disable=SC2086
	insmod "$KO" $p || fail "insmod $p refused"
	rmmod ipt_NETFLOW || fail "rmmod after $p"
done
echo "ok: range ends accepted"

note "debug is writable in /sys: checked there too"
nf_load
D=/sys/module/ipt_NETFLOW/parameters/debug
echo 11 > $D 2>/dev/null && fail "/sys debug accepted 11"
echo abc > $D 2>/dev/null && fail "/sys debug accepted abc"
assert_eq "$(cat $D)" 0 "debug after refused /sys writes"
echo 3 > $D || fail "/sys debug refused 3"
assert_eq "$(sysctl -n net.netflow.debug)" 3 "sysctl debug after /sys write of 3"
nf_unload
echo "bad parameters refused"
