#!/bin/sh
# Expiry across the 32-bit jiffies wrap. Linux starts jiffies 300 s before
# (u32)jiffies wraps, so a module loaded at boot meets the wrap 5 minutes
# later. Run first in an icount boot (idle guest time costs no host time):
#   tests/vm/run --icount jiffies_wrap
# Loads the module before uptime 280 s (the icount boot's busy loop keeps
# idle waits during boot from jumping the clock; a boot that still arrives
# late fails here, saying so), checks an idle flow leaves on time,
# sleeps past uptime 305 s, then checks idle, active-timeout and FIN flows
# again (on time, by guest clock) and collector totals = iptables counters.
#
#   [a] 10.21.0.1 ---veth--- 10.21.0.2 [b: root ns] NETFLOW in b: INPUT, OUTPUT
. "$XT/tests/vm/lib.sh"
NF=/tmp/nf-wrap

uptime_s() {
	cut -d. -f1 /proc/uptime
}
# (u32)jiffies, from the kernel's own timer list
jiffies32() {
	awk '$1 == "jiffies:" { printf "%.0f\n", $2 % 4294967296; exit }' /proc/timer_list
}
counted() {
	{ ns_exec b iptables-legacy -L INPUT -nvx
	  ns_exec b iptables-legacy -L OUTPUT -nvx; } |
		awk '$3 == "NETFLOW" { p += $1; b += $2 } END { print p + 0, b + 0 }'
}
received() {
	nf_flows "$1" | awk '{ p += $6; b += $7 } END { print p + 0, b + 0 }'
}
# wait_export BEFORE SECONDS WHAT: outFlows must pass BEFORE within
# SECONDS of guest time (polled every 0.1 s); prints how long it took, or
# the failure (a subshell: the caller exits)
wait_export() {
	t0=$(awk '{ print $1 * 1000 }' /proc/uptime)
	for _ in $(seq $(( $2 * 10 ))); do
		if [ "$(snmp outFlows)" -gt "$1" ]; then
			awk -v t0="$t0" '{ printf "%d", $1 * 1000 - t0 }' /proc/uptime
			return 0
		fi
		sleep 0.1
	done
	fail "$3: not exported within $2 s (outFlows $(snmp outFlows), hashFlows $(snmp hashFlows))"
}
# A TCP connection from a to b that ends with FIN: python3 on both ends
tcp_fin() {
	ns_exec b python3 -c '
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.21.0.2", 5001)); s.listen(1); c, _ = s.accept()
while c.recv(4096): pass
c.close()' &
	srv=$!
	sleep 0.5
	ns_exec a python3 -c '
import socket
s = socket.create_connection(("10.21.0.2", 5001)); s.sendall(b"x" * 3000)
s.shutdown(socket.SHUT_WR); s.recv(1); s.close()'
	wait $srv
}

up=$(uptime_s)
[ "$up" -lt 280 ] ||
	fail "uptime is ${up}s: run first in a fresh boot (tests/vm/run --icount jiffies_wrap)"
j=$(jiffies32)
echo "loaded at uptime ${up}s, (u32)jiffies $j"
[ "$j" -gt 2147483648 ] || fail "(u32)jiffies $j: not before the wrap"

nf_load destination=127.0.0.1:2055 protocol=5 inactive_timeout=2
ns_pair_host a b 10.21.0.1 10.21.0.2
ns_exec b iptables-legacy -A INPUT -i veth-b -j NETFLOW || fail "INPUT rule refused"
ns_exec b iptables-legacy -A OUTPUT -o veth-b -j NETFLOW || fail "OUTPUT rule refused"

note "before the wrap: an idle flow leaves after inactive_timeout (2 s)"
before=$(snmp outFlows)
ns_exec a ping -c 1 -q 10.21.0.2 > /dev/null
ms=$(wait_export "$before" 4 "idle flow before the wrap") || { echo "$ms"; exit 1; }
echo "ok: idle flow exported ${ms} ms after the ping"
sysctl -qw net.netflow.flush=1

note "sleeping past the wrap (uptime 305 s)"
spin_stop
while [ "$(uptime_s)" -lt 305 ]; do
	sleep 10
done
spin_start
j=$(jiffies32)
echo "uptime $(uptime_s)s, (u32)jiffies $j"
[ "$j" -lt 2147483648 ] || fail "(u32)jiffies $j: the wrap has not happened"

collector_start $NF
ns_exec b iptables-legacy -Z

note "after the wrap: an idle flow leaves after inactive_timeout (2 s)"
before=$(snmp outFlows)
ns_exec a ping -c 1 -q 10.21.0.2 > /dev/null
ms=$(wait_export "$before" 4 "idle flow after the wrap") || { echo "$ms"; exit 1; }
echo "ok: idle flow exported ${ms} ms after the ping"
[ "$ms" -ge 1500 ] || fail "idle flow exported after ${ms} ms, before its 2 s timeout"

note "after the wrap: a long flow leaves by active_timeout (2 s) while running"
sysctl -qw net.netflow.active_timeout=2 net.netflow.inactive_timeout=30
before=$(snmp outFlows)
ns_exec a ping -c 60 -i 0.1 -q 10.21.0.2 > /dev/null &
pid=$!
ms=$(wait_export "$before" 4 "active-timeout flow after the wrap") || { echo "$ms"; exit 1; }
kill -0 $pid 2>/dev/null || fail "the ping ended before the active timeout export"
echo "ok: running flow exported ${ms} ms after it started"
wait $pid

note "after the wrap: a FIN-ended TCP flow leaves at the next scan"
sysctl -qw net.netflow.active_timeout=1800 net.netflow.flush=1
before=$(snmp outFlows)
tcp_fin
ms=$(wait_export "$before" 3 "FIN-ended flow after the wrap") || { echo "$ms"; exit 1; }
echo "ok: FIN-ended flow exported ${ms} ms after the close (inactive 30 s)"

sysctl -qw net.netflow.flush=1
sleep 2
collector_stop $NF
assert_eq "$(received $NF)" "$(counted)" "after the wrap: collector vs iptables"
assert_eq "$(snmp dropPackets)" 0 "packets not accounted"
rules_flush
ns_exec b iptables-legacy -F
nf_unload
ns_cleanup
echo "jiffies wrap ok"
