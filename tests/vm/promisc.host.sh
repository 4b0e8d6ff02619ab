#!/bin/sh
# promisc.sh's host half (tests/vm/run runs it after the guest passed):
# each observed flow's MPLS stack (200, 70-72), ethertype (256) and VLAN
# as tshark decodes them, v9 and IPFIX.
XT=$(cd "$(dirname "$0")/../.." && pwd)
. "$XT/tests/vm/lib.sh"
. "$RESULTS/promisc.out.vars"
f=$(mktemp)
trap 'rm -f "$f"' EXIT

# one line per flow record ("-": not in the template):
# port sport pkts dstmac ttl label/exp/bos x3 ethertype vid
HOME=/tmp tshark -n -r "$RESULTS/promisc.out.pcap" -d udp.port==2055,cflow \
	-d udp.port==4739,cflow -V 2>/dev/null | awk '
	BEGIN { sp = "-" }
	function out() {
		if (sp != "-")
			print port, sp, pk, dm, ttl, l[1], l[2], l[3], et, v
		sp = pk = dm = ttl = et = v = l[1] = l[2] = l[3] = "-"
	}
	/^Frame [0-9]+:/ { out() }
	/^User Datagram Protocol/ { port = $NF }
	/^ *Flow [0-9]+$/ { out() }
	/^ *SrcPort: / { sp = $2 }
	/^ *Packets: / { pk = $2 }
	/^ *Destination Mac Address: / { dm = $NF }
	/^ *Vlan Id: / { v = $NF }
	/^ *Dot1q Vlan Id: / { v = $NF }
	/^ *Ethernet Type: / { et = $NF }
	/^ *MPLS Top Label TTL: / { ttl = $NF }
	/^ *MPLS-Label[123]: / {
		n = substr($1, 11, 1)
		l[n] = $2 "/" $4 "/" ($NF == "bottom-of-stack" ? 1 : 0)
	}
	/\[Malformed/ { print "malformed" }
	END { out() }' > "$f" || fail "tshark"
cat "$f"
assert_eq "$(grep -c malformed "$f")" 0 "malformed PDUs"
for port in 2055 4739; do
	# rec SPORT: the distinct records' fields after the source port
	rec() {
		awk -v p=$port -v sp="$1" '$1 == p && $2 == sp {
			$1 = $2 = ""; print substr($0, 3) }' "$f" | sort -u |
			tr '\n' '|'
	}
	# the label stack is in the key: another bottom label, another flow
	assert_eq "$(rec 4003)" "1 $OTHER 63 1001/5/0 2003/5/1 0/0/0 2048 0|3 $OTHER 63 1001/5/0 2002/5/1 0/0/0 2048 0|" \
		"$port: IPv4 under two labels, two stacks"
	assert_eq "$(rec 4004)" "2 $OTHER 63 3003/5/0 4004/5/0 5005/5/1 34525 0|" \
		"$port: IPv6 under three labels"
	assert_eq "$(rec 4005)" "2 $OTHER 0 0/0/0 0/0/0 0/0/0 2048 300|" \
		"$port: IPv4 tagged VLAN 300, no labels"
	assert_eq "$(rec 4001)" "5 $OTHER 0 0/0/0 0/0/0 0/0/0 2048 0|" \
		"$port: plain IPv4"
done
echo "PASS: promisc.host"
