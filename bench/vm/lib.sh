#!/bin/sh
# Setup and helpers of the bench scenarios (sourced by guest.sh and
# ref26.sh after they set COUNT and OUT): a dummy device fed by pktgen in
# netif_receive mode, sinks for its packets and for the export, one rule in
# raw PREROUTING at a time. See guest.sh for the picture.
. "$XT/tests/vm/lib.sh"
spin_stop	# the boot's busy loop would take a share of every measurement
: > "$OUT"
PG=/proc/net/pktgen
DEV=bench0
SINK=$XT/bench/vm/nfsink
IPT=iptables-legacy
IP6T=ip6tables-legacy

for m in x_tables ip_tables ip6_tables iptable_raw ip6table_raw nf_conntrack \
	xt_conntrack xt_mark dummy pktgen; do
	modprobe "$m" || fail "modprobe $m"
done
[ -x "$SINK" ] || fail "no $SINK: build with make -C bench"
# conntrack sized so the reference never hits its own limits
echo 262144 > /sys/module/nf_conntrack/parameters/hashsize
sysctl -qw net.netfilter.nf_conntrack_max=4000000
sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0

$IP link add $DEV type dummy || fail "dummy"
$IP link set $DEV up
$IP addr add 10.0.0.1/24 dev $DEV
$IP -6 addr add fd00::1/64 dev $DEV nodad
sysctl -qw net.ipv4.conf.$DEV.rp_filter=0
MAC=$(cat /sys/class/net/$DEV/address)

# the packets' destination: bound, never read (drops at the socket buffer)
"$SINK" hold 9 > /tmp/hold9 &
python3 -c '
import socket, time
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1)
s.bind(("fd00::1", 9))
print("ready", flush=True)
time.sleep(1e9)' > /tmp/hold9v6 &
# the exporter's collector: same, on 127.0.0.1:2055
"$SINK" hold 2055 > /tmp/hold2055 &
# shellcheck disable=SC2034 # the scenario scripts stop it
holdpid=$!
sleep 1

pg() {
	echo "$2" > "$PG/$1" || fail "pktgen $1: $2"
}

pg kpktgend_0 "rem_device_all"
pg kpktgend_0 "add_device $DEV"
pg $DEV "xmit_mode netif_receive"
pg $DEV "clone_skb 0"
pg $DEV "burst 1"
pg $DEV "delay 0"
pg $DEV "pkt_size 64"
pg $DEV "dst_mac $MAC"
pg $DEV "flag UDPCSUM"

# pg_flow4 SRC_MIN SRC_MAX SPORT_MIN SPORT_MAX RANDOM(0|1)
pg_flow4() {
	pg $DEV "dst 10.0.0.1"
	pg $DEV "src_min $1"
	pg $DEV "src_max $2"
	pg $DEV "udp_src_min $3"
	pg $DEV "udp_src_max $4"
	pg $DEV "udp_dst_min 9"
	pg $DEV "udp_dst_max 9"
	if [ "$5" = 1 ]; then
		pg $DEV "flag IPSRC_RND"
		pg $DEV "flag UDPSRC_RND"
	else
		pg $DEV "flag !IPSRC_RND"
		pg $DEV "flag !UDPSRC_RND"
	fi
}

# pg_flow6 SPORT_MIN SPORT_MAX RANDOM: pktgen has no random IPv6 source,
# so IPv6 flows differ by source port
pg_flow6() {
	pg $DEV "dst6 fd00::1"
	pg $DEV "src6 fd00::2"
	pg $DEV "udp_src_min $1"
	pg $DEV "udp_src_max $2"
	pg $DEV "udp_dst_min 9"
	pg $DEV "udp_dst_max 9"
	if [ "$3" = 1 ]; then
		pg $DEV "flag UDPSRC_RND"
	else
		pg $DEV "flag !UDPSRC_RND"
	fi
}

# run COUNT: one pktgen run, prints its pps
run() {
	pg $DEV "count $1"
	echo start > $PG/pgctrl
	r=$(grep -A1 "Result: OK" $PG/$DEV | sed -n 's/^ *\([0-9]*\)pps.*/\1/p')
	[ -n "$r" ] || { cat $PG/$DEV; fail "pktgen gave no result"; }
	echo "$r"
}

# rule VARIANT FAMILY: the one rule in raw PREROUTING
rule() {
	t=$IPT
	[ "$2" = 6 ] && t=$IP6T
	$IPT -t raw -F PREROUTING
	$IP6T -t raw -F PREROUTING
	case $1 in
	accept) $t -t raw -A PREROUTING -j ACCEPT ;;
	netflow) $t -t raw -A PREROUTING -j NETFLOW ;;
	mark) $t -t raw -A PREROUTING -j MARK --set-xmark 0x1/0xffffffff ;;
	conntrack) $t -t raw -A PREROUTING -m conntrack \
		--ctstate NEW,ESTABLISHED -j ACCEPT ;;
	none) ;;
	esac || fail "rule $1"
}

record() {
	echo "pps $1 $2 $3" >> "$OUT"
	echo "pps $1 $2 $3 ($(awk -v p="$3" 'BEGIN { printf "%.0f", 1e9 / p }') instr/pkt)"
}

# scenario NAME FAMILY WARMUP_COUNT VARIANTS...: pg_flow* set up already;
# the netflow variant is recorded as $NFLABEL when set (which module and
# options are loaded)
scenario() {
	name=$1 fam=$2 warm=$3
	shift 3
	for v in "$@"; do
		rule "$v" "$fam"
		[ "$warm" -gt 0 ] && run "$warm" > /dev/null
		lab=$v
		[ "$v" = netflow ] && lab=${NFLABEL:-netflow}
		record "$name" "$lab" "$(run "$COUNT")"
	done
	rule none
}
