#!/bin/sh
# aggregation.sh's host half (tests/vm/run runs it after the guest passed):
# tshark decodes 9/13 in the aggregated records, v9 and IPFIX, and finds
# none after the rules were cleared; v5's mask bytes likewise.
XT=$(cd "$(dirname "$0")/../.." && pwd)
. "$XT/tests/vm/lib.sh"
f=$(mktemp)
trap 'rm -f "$f"' EXIT

# one line per flow record: port src srcmask dstmask ("-": absent)
HOME=/tmp tshark -n -r "$RESULTS/aggregation.out.pcap" -d udp.port==2055,cflow \
	-d udp.port==2057,cflow -d udp.port==4739,cflow -V 2>/dev/null | awk '
	function out() {
		if (src != "") print port, src, sm, dm
		src = ""; sm = dm = "-"
	}
	/^Frame [0-9]+:/ { out() }
	/^User Datagram Protocol/ { port = $NF }
	/^ *(Flow [0-9]+|pdu [0-9]+\/[0-9]+)$/ { out() }
	/^ *SrcAddr: / { src = $2 }
	/^ *SrcMask: / { sm = $2 }
	/^ *DstMask: / { dm = $2 }
	/\[Malformed/ { print "malformed" }
	END { out() }' > "$f" || fail "tshark"
cat "$f"
assert_eq "$(grep -c malformed "$f")" 0 "malformed PDUs"
for port in 2055 4739; do
	assert_eq "$(awk -v p=$port '$1 == p { print $2, $3, $4 }' "$f" | sort | tr '\n' '|')" \
		"10.70.1.0 16 16|10.70.1.11 - -|10.70.1.12 - -|10.70.2.0 16 16|10.70.2.13 - -|" \
		"$port: 9/13 while rules are set, none after clearing"
done
# v5 always has the mask bytes: 0 after clearing
assert_eq "$(awk '$1 == 2057 { print $2, $3, $4 }' "$f" | sort | tr '\n' '|')" \
	"10.70.1.0 16 16|10.70.1.11 0 0|10.70.1.12 0 0|10.70.2.0 16 16|10.70.2.13 0 0|" \
	"v5 mask bytes"
echo "ok: tshark decodes the aggregation masks"
