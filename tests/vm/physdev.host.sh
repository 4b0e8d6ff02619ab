#!/bin/sh
# physdev.sh's host half (tests/vm/run runs it after the guest passed):
# every flow record's 252/253 as tshark decodes them, v9 and IPFIX.
XT=$(cd "$(dirname "$0")/../.." && pwd)
. "$XT/tests/vm/lib.sh"
. "$RESULTS/physdev.out.vars"
f=$(mktemp)
trap 'rm -f "$f"' EXIT

# one line per flow record: port src in out physin physout ("-": absent)
HOME=/tmp tshark -n -r "$RESULTS/physdev.out.pcap" -d udp.port==2055,cflow \
	-d udp.port==4739,cflow -V 2>/dev/null | awk '
	function out() {
		if (src != "") print port, src, i, o, pi, po
		src = ""; i = o = pi = po = "-"
	}
	/^Frame [0-9]+:/ { out() }
	/^User Datagram Protocol/ { port = $NF }
	/^ *Flow [0-9]+$/ { out() }
	/^ *SrcAddr: / { src = $2 }
	/^ *InputInt: / { i = $2 }
	/^ *OutputInt: / { o = $2 }
	/^ *Ingress Physical Interface: / { pi = $NF }
	/^ *Egress Physical Interface: / { po = $NF }
	/\[Malformed/ { print "malformed" }
	END { out() }' > "$f" || fail "tshark"
cat "$f"
assert_eq "$(grep -c malformed "$f")" 0 "malformed PDUs"
for port in 2055 4739; do
	rec() {
		awk -v p=$port -v s="$1" '$1 == p && $2 == s {
			print $3, $4, $5, $6 }' "$f" | sort -u | tr '\n' '|'
	}
	# ping a <-> b while on; b -> a and its replies after physdev=0:
	# bridge in 10/14, ports in 252/253 ("-": not in the template)
	assert_eq "$(rec 10.50.0.1)" "$BR $BR - -|$BR $BR $PA $PB|" \
		"$port: IPv4 from a: ports while on, none after physdev=0"
	assert_eq "$(rec 10.50.0.2)" "$BR $BR - -|$BR $BR $PB $PA|" \
		"$port: IPv4 from b"
	assert_eq "$(rec fd50::1)" "$BR $BR $PA $PB|" "$port: IPv6 a -> b"
	assert_eq "$(rec fd50::2)" "$BR $BR $PB $PA|" "$port: IPv6 b -> a"
	# the tap port under snmp-rules tap:300, flooded to a or b first
	t=$(rec 10.40.0.1)
	[ "$t" = "$BR $BR 300 $PA|" ] || [ "$t" = "$BR $BR 300 $PB|" ] ||
		fail "$port: tap0 frames: got '$t', expected '$BR $BR 300 $PA|' or '... $PB|'"
	echo "ok: $port: tap0 frames: $t"
done
echo "ok: 252/253 carry the bridge ports in v9 and IPFIX"
