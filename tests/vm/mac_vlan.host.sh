#!/bin/sh
# mac_vlan.sh's host half (tests/vm/run runs it after the guest passed):
# every flow record's MACs, VLAN fields and ethertype as tshark decodes
# them, v9 and IPFIX.
XT=$(cd "$(dirname "$0")/../.." && pwd)
. "$XT/tests/vm/lib.sh"
. "$RESULTS/mac_vlan.out.vars"
f=$(mktemp)
trap 'rm -f "$f"' EXIT

# one line per flow record ("-": not in the template):
# port src sport pkts srcmac dstmac vid pcp cvid cpcp ethertype
HOME=/tmp tshark -n -r "$RESULTS/mac_vlan.out.pcap" -d udp.port==2055,cflow \
	-d udp.port==4739,cflow -V 2>/dev/null | awk '
	function out() {
		if (src != "")
			print port, src, sp, pk, sm, dm, v, p, cv, cp, et
		src = ""; sp = pk = sm = dm = v = p = cv = cp = et = "-"
	}
	/^Frame [0-9]+:/ { out() }
	/^User Datagram Protocol/ { port = $NF }
	/^ *Flow [0-9]+$/ { out() }
	/^ *SrcAddr: / { src = $2 }
	/^ *SrcPort: / { sp = $2 }
	/^ *Packets: / { pk = $2 }
	/^ *Source Mac Address: / { sm = $NF }
	/^ *Destination Mac Address: / { dm = $NF }
	/^ *Vlan Id: / { v = $NF }
	/^ *Dot1q Vlan Id: / { v = $NF }
	/^ *Dot1q Priority: / { p = $NF }
	/^ *Dot1q Customer Vlan Id: / { cv = $NF }
	/^ *Dot1q Customer Priority: / { cp = $NF }
	/^ *Ethernet Type: / { et = $NF }
	/\[Malformed/ { print "malformed" }
	END { out() }' > "$f" || fail "tshark"
cat "$f"
assert_eq "$(grep -c malformed "$f")" 0 "malformed PDUs"
Z=00:00:00:00:00:00
for port in 2055 4739; do
	# rec SRC [SPORT]: the sorted distinct link-layer tuples of its records
	rec() {
		awk -v p=$port -v s="$1" -v sp="${2:-}" '$1 == p && $2 == s &&
			(sp == "" || $3 == sp) {
			print $4, $5, $6, $7, $8, $9, $10, $11 }' "$f" |
			sort -u | tr '\n' '|'
	}
	if [ $port = 2055 ]; then
		# v9: the outer VID only
		tag() { echo "$1 - - -"; }
	else
		tag() { echo "$1 $2 $3 $4"; }
	fi
	assert_eq "$(rec 10.61.0.2 -)" "3 $MAC_A $MAC_VA $(tag 100 0 0 0) 2048|" \
		"$port: VLAN 100 sub-interface, IPv4"
	assert_eq "$(rec fd61::2 -)" "3 $MAC_A $MAC_VA $(tag 100 0 0 0) 34525|" \
		"$port: VLAN 100 sub-interface, IPv6"
	assert_eq "$(rec 10.61.0.2 5555)" \
		"2 02:00:00:00:61:02 $MAC_VA $(tag 100 0 0 0) 2048|2 $MAC_A $MAC_VA $(tag 100 0 0 0) 2048|" \
		"$port: one UDP 5-tuple from two MACs: two flows"
	assert_eq "$(rec 10.61.0.1 5007)" "2 $Z $Z $(tag 0 0 0 0) 2048|" \
		"$port: local packet: no MACs, no tag"
	# b -> c: PCP 3 in the TCI, c -> b: PCP 0. Both on: b's pings and
	# c's replies; mac=0: b's pings again; vlan=0 too: c's pings
	assert_eq "$(rec 10.62.0.2 -)" \
		"2 - - - - - - -|2 - - $(tag 200 3 0 0) 2048|3 $MAC_B $MAC_C $(tag 200 3 0 0) 2048|" \
		"$port: vlan-filtering bridge b -> c: whole TCI; mac=0: no 80/56; vlan=0: none"
	assert_eq "$(rec 10.62.0.3 -)" \
		"2 - - - - - - -|2 - - $(tag 200 0 0 0) 2048|3 $MAC_C $MAC_B $(tag 200 0 0 0) 2048|" \
		"$port: vlan-filtering bridge c -> b"
done
echo "ok: 80/56, 58 or 243-246 and 256 as the frames carried them"
