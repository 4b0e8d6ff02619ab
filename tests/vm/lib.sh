#!/bin/sh
# Helpers for scenario scripts (sourced; run as root in the guest).
IP=/usr/sbin/ip
KO=${KO:-$XT/kernel/ipt_NETFLOW.ko}	# guest.sh sets it from xt.ko=
PROC=/proc/net/stat/ipt_netflow

fail() {
	echo "FAIL: $*"
	exit 1
}

note() {
	echo "--- $*"
}

# icount boots (tests/vm/run --icount) run a nice-19 busy loop so that guest
# time passes by instructions only (initramfs-init says why). spin_stop lets
# the CPU idle, so a sleep jumps the guest clock at no host cost; spin_start
# brings the loop back for parts whose timing is checked.
spin_stop() {
	[ -f /run/xt-spin.pid ] || return 0
	kill "$(cat /run/xt-spin.pid)" 2>/dev/null
	rm -f /run/xt-spin.pid
}
spin_start() {
	grep -q 'xt\.spin=1' /proc/cmdline || return 0
	[ -f /run/xt-spin.pid ] && return 0
	( while :; do :; done ) < /dev/null > /dev/null 2>&1 &
	echo $! > /run/xt-spin.pid
	renice -n 19 -p $! > /dev/null
}

# assert_eq ACTUAL EXPECTED WHAT
assert_eq() {
	[ "$1" = "$2" ] || fail "$3: got '$1', expected '$2'"
	echo "ok: $3 = $2"
}

# assert_near ACTUAL EXPECTED PERCENT WHAT
assert_near() {
	awk -v a="$1" -v e="$2" -v p="$3" 'BEGIN {
		d = a - e; if (d < 0) d = -d; exit !(e != 0 && d * 100 <= p * e) }' ||
		fail "$4: got $1, expected $2 within $3%"
	echo "ok: $4 = $1 (expected $2 within $3%)"
}

netfilter_modules() {
	for m in x_tables ip_tables ip6_tables iptable_filter iptable_raw \
		iptable_mangle iptable_nat ip6table_filter ip6table_raw \
		ip6table_mangle nf_tables nft_compat nf_conntrack br_netfilter \
		veth bridge; do
		# modprobe reads modules.dep over 9p: only for what is missing
		[ -d /sys/module/$m ] || modprobe "$m" 2>/dev/null
	done
}

# nf_load [param=value ...]: insmod the module built in the repo
nf_load() {
	netfilter_modules
	insmod "$KO" "$@" || fail "insmod $* failed"
}

nf_unload() {
	# nf_tables releases a deleted rule's target from a work item: wait
	for _ in $(seq 20); do
		[ "$(cat /sys/module/ipt_NETFLOW/refcnt 2>/dev/null)" = 0 ] && break
		sleep 0.25
	done
	rmmod ipt_NETFLOW || fail "rmmod failed"
	[ ! -e $PROC ] || fail "$PROC left behind after rmmod"
}

# snmp KEY: one value from /proc/net/stat/ipt_netflow_snmp
snmp() {
	awk -v k="$1" '$1 == k { print $2; f = 1 } END { exit !f }' \
		${PROC}_snmp || fail "no key $1 in ${PROC}_snmp"
}

# ns_exec NS CMD...
ns_exec() {
	ns=$1
	shift
	$IP netns exec "$ns" "$@"
}

# ns_host NAME: the root namespace under NAME, so a scenario addresses the
# side with the NETFLOW rules like any namespace (ns_exec NAME ...). The
# module refuses NETFLOW outside the root namespace (netns=0); its rules
# there must name the veth (-i/-o), or they meter the export traffic too.
ns_host() {
	$IP netns attach "$1" 1 || fail "netns attach $1"
}

# A netns pair: ns_pair NS_A NS_B ADDR_A ADDR_B (/24 IPv4, offloads off);
# ns_pair_host: the same with NS_B the root namespace (ns_host)
ns_pair_host() {
	$IP netns add "$1" || fail "netns add"
	ns_host "$2"
	ns_pair_links "$@"
}

ns_pair() {
	$IP netns add "$1" && $IP netns add "$2" || fail "netns add"
	ns_pair_links "$@"
}

ns_pair_links() {
	$IP link add veth-"$1" netns "$1" type veth peer name veth-"$2" netns "$2"
	ns_exec "$1" $IP addr add "$3/24" dev veth-"$1"
	ns_exec "$2" $IP addr add "$4/24" dev veth-"$2"
	for n in "$1" "$2"; do
		ns_exec "$n" $IP link set lo up
		ns_exec "$n" $IP link set veth-"$n" up
		ns_exec "$n" ethtool -K veth-"$n" tso off gso off gro off \
			tx off rx off >/dev/null 2>&1
	done
}

ns_cleanup() {
	for n in $($IP netns list | awk '{print $1}'); do
		$IP netns del "$n"
	done
}

# Remove every rule in the root namespace in both backends.
rules_flush() {
	for t in iptables-legacy ip6tables-legacy iptables-nft ip6tables-nft; do
		for tb in filter raw mangle; do
			$t -t $tb -F 2>/dev/null
		done
	done
	nft flush ruleset 2>/dev/null
}

# collector_start DIR [PORT] [BIND]: nfcapd on BIND (default 127.0.0.1)
collector_start() {
	bind=${3:-127.0.0.1}
	fam=""
	case $bind in *:*) fam=-6 ;; esac
	rm -rf "$1"
	mkdir -p "$1"
	# a big receive buffer: under emulation nfcapd drains slowly, and a
	# burst of PDUs must not be dropped before it reads them
	sysctl -qw net.core.rmem_max=33554432
	nfcapd $fam -w "$1" -p "${2:-2055}" -b "$bind" -t 3600 -B 16777216 \
		> "$1.log" 2>&1 &
	echo $! > "$1.pid"
	sleep 1
}

# collector_kill DIR: stop nfcapd (it writes its file on SIGTERM); no
# packet it received may have been malformed
collector_kill() {
	kill "$(cat "$1.pid")"
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		kill -0 "$(cat "$1.pid")" 2>/dev/null || break
		sleep 0.5
	done
	grep "Ident:" "$1.log"
	! grep -E "Bad Packets: [1-9]" "$1.log" || fail "nfcapd: bad packets"
}

# collector_stop DIR: collector_kill, and no gap in the sequence numbers
collector_stop() {
	collector_kill "$1"
	! grep -E "Sequence Errors: [1-9]" "$1.log" ||
		fail "the collector saw sequence errors"
}

# nf_flows DIR [nfdump args]: one line per flow record:
# "src dst proto sport dport pkts bytes seconds". A flow seen on several
# CPUs is one record per CPU: pass -a to merge them as a collector would.
nf_flows() {
	d=$1
	shift
	nfdump -R "$d" -q -N "$@" -o "fmt:%sa %da %pr %sp %dp %pkt %byt %td" 2>/dev/null |
		awk 'NF >= 8 { print $1, $2, $3, $4, $5, $6, $7, $8 }'
}

# ip_totals FLOWS IP: "pkts bytes" of flows from or to IP
ip_totals() {
	echo "$1" | awk -v ip="$2" '$1 == ip || $2 == ip { p += $6; b += $7 }
		END { print p + 0, b + 0 }'
}

# vps_bridge: the bridged-VPS topology of the demo and the seed scenario:
# br0 10.10.0.1/24 in the root namespace; namespaces vps1 (.11), vps2 (.12)
# and wan (.100) each on a bridge port p-NAME; IPv6 off, offloads off (so
# iptables counts what goes on the wire); downloads shaped at 4 and 2 mbit
# on the ports towards vps1 and vps2.
vps_bridge() {
	sysctl -qw net.bridge.bridge-nf-call-iptables=1
	$IP link add br0 type bridge
	$IP link set br0 up
	$IP addr add 10.10.0.1/24 dev br0
	for n in vps1:11 vps2:12 wan:100; do
		ns=${n%:*}
		$IP netns add $ns
		$IP link add p-$ns type veth peer name eth0 netns $ns
		$IP link set p-$ns master br0 up
		ns_exec $ns $IP addr add 10.10.0.${n#*:}/24 dev eth0
		ns_exec $ns $IP link set eth0 up
		ns_exec $ns $IP link set lo up
		ns_exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1
		ns_exec $ns ethtool -K eth0 tso off gso off gro off tx off \
			rx off >/dev/null 2>&1
		ethtool -K p-$ns tso off gso off gro off tx off rx off \
			>/dev/null 2>&1
	done
	ethtool -K br0 tso off gso off gro off tx off rx off >/dev/null 2>&1
	tc qdisc add dev p-vps1 root tbf rate 4mbit burst 4kb latency 200ms
	tc qdisc add dev p-vps2 root tbf rate 2mbit burst 4kb latency 200ms
}
