#!/bin/sh
# natevents: conntrack NAT translations exported as NAT event records.
# MASQUERADE and DNAT over IPv4, MASQUERADE over IPv6, in a namespace;
# conntrack -F deletes them. tshark decodes the v9 stream field by field
# on the host (natevents.host.sh: pre/post tuples, create before delete),
# nfdump decodes the same events (its NEL fields), /proc counts match;
# `conntrack -E` (ctnetlink, whose notifier ours chains) sees the same
# events meanwhile and after disable.
#
#   cli 10.40.0.2 fd40::2 --- 10.40.0.1 fd40::1 [rtr] 10.41.0.1 fd41::1 --- srv 10.41.0.2 fd41::2
#   rtr: MASQUERADE udp dport 9000 (v4, v6) out to srv; DNAT 10.40.0.1:8053 -> 10.41.0.2:53
#   export from the root namespace to nfcapd 127.0.0.1:2055 (v9), captured on lo
. "$XT/tests/vm/lib.sh"
. "$XT/tests/vm/cflow_lib.sh"
NF=/tmp/nf-nat PCAP=/tmp/nat.pcap EV=/tmp/ct-events
t0=$(date +%s)
phase() {
	note "[$(($(date +%s) - t0)) s] $*"
}

netfilter_modules
modprobe nf_nat 2>/dev/null
for n in cli rtr srv; do
	$IP netns add $n
	ns_exec $n $IP link set lo up
done
$IP link add veth-c netns cli type veth peer name veth-rc netns rtr
$IP link add veth-s netns srv type veth peer name veth-rs netns rtr
ns_exec cli $IP addr add 10.40.0.2/24 dev veth-c
ns_exec cli $IP -6 addr add fd40::2/64 dev veth-c nodad
ns_exec rtr $IP addr add 10.40.0.1/24 dev veth-rc
ns_exec rtr $IP -6 addr add fd40::1/64 dev veth-rc nodad
ns_exec rtr $IP addr add 10.41.0.1/24 dev veth-rs
ns_exec rtr $IP -6 addr add fd41::1/64 dev veth-rs nodad
ns_exec srv $IP addr add 10.41.0.2/24 dev veth-s
ns_exec srv $IP -6 addr add fd41::2/64 dev veth-s nodad
for l in cli:veth-c rtr:veth-rc rtr:veth-rs srv:veth-s; do
	ns_exec ${l%:*} $IP link set ${l#*:} up
done
ns_exec cli $IP route add default via 10.40.0.1
ns_exec cli $IP -6 route add default via fd40::1
ns_exec srv $IP route add default via 10.41.0.1
ns_exec srv $IP -6 route add default via fd41::1
ns_exec rtr sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
ns_exec rtr iptables-legacy -t nat -A POSTROUTING -o veth-rs -p udp --dport 9000 -j MASQUERADE
ns_exec rtr iptables-legacy -t nat -A PREROUTING -i veth-rc -d 10.40.0.1 -p udp --dport 8053 \
	-j DNAT --to-destination 10.41.0.2:53
ns_exec rtr ip6tables-legacy -t nat -A POSTROUTING -o veth-rs -p udp --dport 9000 -j MASQUERADE

# send NS SRC DST SPORT DPORT: one UDP datagram (nc: python starts slowly
# under emulation)
send() {
	echo nat | ns_exec "$1" /usr/bin/nc.openbsd -u -w0 -s "$2" -p "$4" "$3" "$5" \
		> /dev/null 2>&1
}

# nat_counts: "start stop" from the Natevents line of /proc
nat_counts() {
	sed -n 's/^Natevents [a-z]*, count start \([0-9]*\), stop \([0-9]*\)\.$/\1 \2/p' $PROC
}

phase "parameter 0, then sysctl: enable, refusals, the auto-events warning"
collector_start $NF 2055
cap_start $PCAP "udp port 2055"
nf_load protocol=9
grep -q '^Natevents disabled, count start 0, stop 0\.$' $PROC ||
	fail "no 'Natevents disabled' line: $(grep -i nat $PROC)"
awk '/^Natevents/ { n = NR } /^Flows:/ { f = NR } END { exit !(n && f == n + 1) }' $PROC ||
	fail "the Natevents line is not just before Flows:"
dmesg -C
sysctl -qw net.netflow.natevents=1 || fail "sysctl natevents=1 refused"
assert_eq "$(sysctl -n net.netflow.natevents)" 1 "natevents after enable"
dmesg | grep -q 'ipt_NETFLOW: enable natevents\.' || fail "no 'enable natevents.' in dmesg"
dmesg | grep -q 'nf_conntrack_events is 2 .*set it to 1' ||
	fail "no warning about nf_conntrack_events=2: $(dmesg | grep ipt_NETFLOW)"
lsmod | grep -q '^nf_conntrack_netlink' || fail "nf_conntrack_netlink not loaded at enable"
for v in 2 -1 abc; do
	sysctl -qw net.netflow.natevents=$v 2>/dev/null && fail "natevents=$v accepted"
	dmesg | grep -qF "net.netflow.natevents: refused '$v'" ||
		fail "no log line for natevents=$v"
done
assert_eq "$(sysctl -n net.netflow.natevents)" 1 "natevents after refused writes"
sysctl -qw net.netflow.natevents=1 || fail "rewriting 1 refused"
assert_eq "$(dmesg | grep -c 'enable natevents')" 1 "enable lines after a same-state write"

phase "connections through MASQUERADE and DNAT (IPv4), MASQUERADE (IPv6)"
ns_exec rtr sysctl -qw net.netfilter.nf_conntrack_events=1
ns_exec rtr conntrack -E -e NEW,DESTROY > $EV 2>&1 &
ev_pid=$!
sleep 0.5
send cli 10.40.0.2 10.41.0.2 5001 9000
send cli 10.40.0.2 10.40.0.1 5002 8053
send cli fd40::2 fd41::2 5003 9000
sleep 0.3
ns_exec rtr conntrack -F 2>/dev/null
for _ in $(seq 20); do
	[ "$(nat_counts)" = "3 3" ] && break
	sleep 0.25
done
assert_eq "$(nat_counts)" "3 3" "/proc Natevents start, stop"
sleep 1.5	# the export tick sends the queue

phase "after disable: no NAT events counted, ctnetlink still notified"
sysctl -qw net.netflow.natevents=0 || fail "sysctl natevents=0 refused"
dmesg | grep -q 'ipt_NETFLOW: disable natevents\.' || fail "no 'disable natevents.' in dmesg"
send cli 10.40.0.2 10.41.0.2 5004 9000
sleep 0.3
ns_exec rtr conntrack -F 2>/dev/null
sleep 0.5
assert_eq "$(nat_counts)" "3 3" "counts after disable"
grep -q '^Natevents disabled' $PROC || fail "Natevents not disabled in /proc"
kill $ev_pid
cat $EV
for p in 5001 5002 5003 5004; do
	assert_eq "$(grep -c "sport=$p " $EV)" 2 "conntrack -E: NEW and DESTROY of sport $p"
done

phase "stop; the capture goes to the host half"
ns_cleanup
nf_unload
cap_stop $PCAP
collector_kill $NF
phase "nfdump's NEL decoding of the same events"
nfdump -R $NF -q -N -o "fmt:%nevt %sa %da %nsa %nda %sp %dp %nsp %ndp" 2>&1 |
	awk '{ $1 = $1; print }' | tee /tmp/nat.nfdump
assert_eq "$(wc -l < /tmp/nat.nfdump)" 6 "nfdump NAT event records"
for e in ADD DELETE; do
	for t in "10.40.0.2 10.41.0.2 10.41.0.1 10.41.0.2 5001 9000 5001 9000" \
		"10.40.0.2 10.40.0.1 10.40.0.2 10.41.0.2 5002 8053 5002 53" \
		"fd40::2 fd41::2 fd41::1 fd41::2 5003 9000 5003 9000"; do
		grep -qx "$e $t" /tmp/nat.nfdump || fail "nfdump: no '$e $t'"
	done
done
echo "ok: nfdump decodes the 6 events with their pre/post tuples"
# the host half (natevents.host.sh) decodes the v9 capture with tshark
cp $PCAP "$RESULTS/natevents.out.pcap" || fail "keep the capture"
dmesg | grep -q 'WARNING\|Call Trace\|BUG' && fail "kernel warning: $(dmesg | grep -A5 'WARNING\|BUG')"
echo "ok: no kernel warning"
echo "ok: guest time of the scenario $(($(date +%s) - t0)) s"
