#!/bin/sh
# Side by side with Debian's ipt_NETFLOW 2.6 (bench/ref26 builds it from
# its package), run in the guest by tests/vm/bench_ref26.sh in one boot of
# a kernel 2.6 builds for, under the same -icount conditions as guest.sh.
# Only one module called ipt_NETFLOW can be loaded at a time: each group
# of scenarios loads ours, then 2.6, with the same parameters.
#   ours     our defaults (mac=1 vlan=1: what Debian's 2.6 build exports)
#   ours_off every optional field off (mac=0 vlan=0)
#   ref      Debian's 2.6, the options its dkms.conf compiles in
# Writes pps / mem / exp lines (variant-tagged) to $RESULTS/bench_ref26.tsv.
COUNT=200000 WARM=300000 MEMFLOWS=1048576
[ -f "$RESULTS/bench_vm.conf" ] && . "$RESULTS/bench_vm.conf"
OUT=$RESULTS/bench_ref26.tsv
. "$XT/bench/vm/lib.sh"
REF=$XT/tests/vm/.build/ref26/$(uname -r)/ipt_NETFLOW.ko
[ -f "$REF" ] || fail "no $REF: bench/ref26 $(uname -r) builds it"
OURS=$KO

# load WHICH PARAMS...: ours | ours_off | ref
load() {
	w=$1
	shift
	case $w in
	ours) KO=$OURS nf_load "$@" ;;
	ours_off) KO=$OURS nf_load "$@" mac=0 vlan=0 ;;
	ref) KO=$REF nf_load "$@" ;;
	esac
	NFLABEL=$w
}

# both SCENARIO FAMILY WARM PARAMS...: the NETFLOW rule under each module;
# the ACCEPT baseline is measured once per scenario by the caller
both() {
	s=$1 f=$2 wm=$3
	shift 3
	for w in ours ours_off ref; do
		load $w "$@"
		scenario "$s" "$f" "$wm" netflow
		nf_unload
	done
}

# maxflows well above every scenario's flows, for both (2.6: 0 = no limit
# is not its meaning everywhere; a number is)
params="protocol=10 inactive_timeout=3600 active_timeout=3600 hashsize=262144 maxflows=4000000"

note "1 flow (established)"
pg_flow4 10.1.0.1 10.1.0.1 40000 40000 0
scenario flow1 4 1000 accept
both flow1 4 1000 $params

note "64k flows: random source over a /16 (established after the warm-up)"
for w in ours ours_off ref; do
	load $w $params
	pg_flow4 10.2.0.0 10.2.255.255 40000 40000 0
	rule netflow 4
	run 65536 > /dev/null
	pg_flow4 10.2.0.0 10.2.255.255 40000 40000 1
	scenario flows64k 4 0 netflow
	echo "flows $w $(awk '$1 == "hashFlows" { print $2 }' ${PROC}_snmp 2>/dev/null)"
	nf_unload
done
scenario flows64k 4 0 accept

note "flood of new flows: random source address and port"
pg_flow4 10.3.0.0 10.3.255.255 1 65535 1
scenario flood 4 0 accept
both flood 4 0 $params

note "table full: maxflows 4096 (ours evicts and exports one; 2.6 drops the packet from accounting)"
pg_flow4 10.4.0.0 10.4.255.255 1 65535 1
for w in ours ref; do
	load $w protocol=10 inactive_timeout=3600 active_timeout=3600 \
		hashsize=4096 maxflows=4096
	rule netflow 4
	run 8192 > /dev/null
	scenario full 4 0 netflow
	grep -iE "maxflows|drop" $PROC | head -3
	nf_unload
done
scenario full 4 0 accept

note "export on: new flows idle out after 1 s, IPFIX to 127.0.0.1:2055"
pg_flow4 10.5.0.0 10.5.255.255 1 65535 1
scenario export 4 "$WARM" accept
for w in ours ref; do
	load $w protocol=10 inactive_timeout=1 active_timeout=3600 \
		hashsize=262144 maxflows=4000000
	scenario export 4 "$WARM" netflow
	nf_unload
done

note "IPv6: 1 flow, then a flood of new flows (random source port)"
pg_flow6 40000 40000 0
scenario v6flow1 6 1000 accept
both v6flow1 6 1000 $params
pg_flow6 1 65535 1
scenario v6flood 6 0 accept
both v6flood 6 0 $params
pg $DEV "flag !IPV6"

note "memory per flow and export per record: $MEMFLOWS IPv4 flows flushed as v5"
kill "$holdpid"
sleep 1
for w in ours ref; do
	"$SINK" hold 2055 > /tmp/hold2055 &
	holdpid=$!
	sleep 1
	load $w protocol=5 inactive_timeout=3600 active_timeout=3600 \
		hashsize=$MEMFLOWS maxflows=4000000 sndbuf=4194304
	pg_flow4 10.16.0.0 10.31.255.255 40000 40000 0
	rule netflow 4
	slab0=$(awk '/^Slab:/ { print $2 }' /proc/meminfo)
	run "$MEMFLOWS" > /dev/null
	rule none
	slab1=$(awk '/^Slab:/ { print $2 }' /proc/meminfo)
	echo "mem $w slab_kb_delta $((slab1 - slab0))" >> "$OUT"
	# each module's own cache (a merged alias of an unloaded one stays)
	S=/sys/kernel/slab/netflow_flow
	[ $w = ref ] && S=/sys/kernel/slab/ipt_netflow
	[ -r $S/slab_size ] && echo "mem $w slab_size $(cat $S/slab_size)" >> "$OUT"
	kill "$holdpid"
	sleep 1
	"$SINK" count 2055 268435456 2000 /proc/sys/net/netflow/flush > /tmp/sink.out
	cat /tmp/sink.out
	echo "exp $w flows $MEMFLOWS" >> "$OUT"
	sed -n "s/^flush_ns /exp $w flush_ns /p" /tmp/sink.out >> "$OUT"
	echo "exp $w sink $(grep '^pdus' /tmp/sink.out)" >> "$OUT"
	nf_unload
done
echo "ref $(cat "$XT/tests/vm/.build/ref26/$(uname -r)/version" 2>/dev/null)" >> "$OUT"
cat "$OUT"
