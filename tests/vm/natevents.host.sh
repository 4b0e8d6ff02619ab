#!/bin/sh
# natevents.sh's host half (tests/vm/run runs it after the guest passed):
# tshark decodes the v9 NAT event records field by field: pre/post tuples
# of the three translations, each create exported before its delete.
XT=$(cd "$(dirname "$0")/../.." && pwd)
. "$XT/tests/vm/lib.sh"

tshark_recs=$(HOME=/tmp TZ=UTC tshark -n -r "$RESULTS/natevents.out.pcap" -d udp.port==2055,cflow -V 2>/dev/null |
	awk '/^Frame [0-9]+:/ { if (r) print r; r = ""; f = $2 + 0 }
	/^ *Flow [0-9]+$/ { if (r) print r; r = "" }
	/^ *(SrcAddr|SrcAddrV6|DstAddr|DstAddrV6|Post NAT Source IPv[46] Address|Post NAT Destination IPv[46] Address|SrcPort|DstPort|Post NAPT Source Transport Port|Post NAPT Destination Transport Port|Protocol|Nat Event): / {
		v = $NF; gsub(/[()]/, "", v); k = $0; sub(/:.*/, "", k); gsub(/^ +/, "", k); r = r (r ? ";" : "f=" f ";") k "=" v }
	END { if (r) print r }' | grep 'Nat Event')
echo "$tshark_recs"
rec() {	# rec EVENT SRC DST POSTSRC POSTDST SPORT DPORT POSTSPORT POSTDPORT: the line
	echo "$tshark_recs" | grep -F "SrcAddr=$2;" | grep -F "DstAddr=$3;" | grep "Nat Event=$1" |
		grep -F "DstPort=$7;" | grep -F "Post NAPT Source Transport Port=$8;" |
		grep -F "Post NAPT Destination Transport Port=$9" | grep -F "Source IPv4 Address=$4;
Source IPv6 Address=$4;" | grep -F "Destination IPv4 Address=$5;
Destination IPv6 Address=$5;" |
		grep -F "SrcPort=$6;"
}
n=$(echo "$tshark_recs" | grep -c 'Nat Event')
assert_eq "$n" 6 "NAT event records in the v9 stream"
for e in 1 2; do
	r=$(rec $e 10.40.0.2 10.41.0.2 10.41.0.1 10.41.0.2 5001 9000 5001 9000)
	[ -n "$r" ] || fail "MASQUERADE event $e: no record with the pre/post tuples"
	r=$(rec $e 10.40.0.2 10.40.0.1 10.40.0.2 10.41.0.2 5002 8053 5002 53)
	[ -n "$r" ] || fail "DNAT event $e: no record with the pre/post tuples"
	r=$(rec $e fd40::2 fd41::2 fd41::1 fd41::2 5003 9000 5003 9000)
	[ -n "$r" ] || fail "IPv6 MASQUERADE event $e: no record with the pre/post tuples"
done
echo "ok: pre/post tuples of the 3 translations, created and deleted"
for p in 5001 5002 5003; do
	c=$(echo "$tshark_recs" | grep -F "SrcPort=$p;" | grep 'Nat Event=1' | sed 's/^f=\([0-9]*\);.*/\1/')
	d=$(echo "$tshark_recs" | grep -F "SrcPort=$p;" | grep 'Nat Event=2' | sed 's/^f=\([0-9]*\);.*/\1/')
	[ "$c" -le "$d" ] || fail "sport $p: delete (frame $d) before create (frame $c)"
done
echo "ok: each create is exported before its delete"

