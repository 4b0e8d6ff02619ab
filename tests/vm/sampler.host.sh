#!/bin/sh
# sampler.sh's host half (tests/vm/run runs it after the guest passed):
# tshark decodes the capture the guest left in $RESULTS, field by field.
XT=$(cd "$(dirname "$0")/../.." && pwd)
. "$XT/tests/vm/lib.sh"
f=$(mktemp)
trap 'rm -f "$f"' EXIT
. "$RESULTS/sampler.out.vars"
[ "${random_selected:-0}" -gt 0 ] || fail "no random:4 count from the guest"

# tshark, once: one line per PDU
#  1 port 2 version 3 v5 mode 4 v5 rate 5 v9 49 6 v9 50 7 IPFIX 390
#  8 396 9 397 10 309 11 310 12 srcports 13 v9 48s 14 IPFIX 302s 15 malformed
HOME=/tmp tshark -n -r "$RESULTS/sampler.out.pcap" -d udp.port==2055,cflow -d udp.port==2057,cflow \
	-d udp.port==4739,cflow -Y cflow -T fields -E separator=/t \
	-E occurrence=a -E aggregator=, -e udp.dstport -e cflow.version \
	-e cflow.samplingmode -e cflow.samplerate -e cflow.sampler_mode \
	-e cflow.sampler_random_interval -e cflow.flow_selector_algorithm \
	-e cflow.sampling_flow_interval -e cflow.sampling_flow_spacing \
	-e cflow.sampling_size -e cflow.sampling_population -e cflow.srcport \
	-e cflow.sampler_id -e cflow.selector_id -e _ws.malformed \
	> "$f" 2>/dev/null || fail "tshark"
cols() {
	awk -F '\t' -v OFS='\t' "$1" "$f" | sort -u | tr '\n' '|'
}
v5=$(cols '$2 == 5 { print $3, $4 }')
echo "v5 header sampling fields: $v5"
echo "$v5" | grep -q "1	10|" || fail "no v5 header with deterministic (1), 10"
echo "$v5" | grep -q "2	4|" || fail "no v5 header with random (2), 4"
# (48 and 302 are in the flow records of the same PDU too: not these)
v9=$(cols '$2 == 9 && $5 != "" { print $5, $6 }')
echo "v9 sampler options: $v9"
for want in "1	10|" "2	4|" "1	5|"; do
	echo "$v9" | grep -q "$want" || fail "no v9 sampler options record '$want'"
done
fix=$(cols '$2 == 10 && $7 != "" { print $7, $8, $9, $10, $11 }')
echo "IPFIX sampler options: $fix"
for want in "1	1	10		|" "3			1	4|" "1	1	5		|"; do
	echo "$fix" | grep -q "$want" || fail "no IPFIX sampler options record '$want'"
done
# every flow record while sampling names its selector (48 / 302): per
# PDU at least as many selector fields as flow records; the phases' values
selectors() {
	awk -F '\t' -v ver="$1" -v col="$2" -v lo="$3" -v hi="$4" '
		$2 != ver { next }
		{ ns = split($12, a, ","); in_range = 0
		  for (i = 1; i <= ns; i++) if (a[i] >= lo && a[i] < hi) in_range = 1 }
		!in_range { next }
		{ nm = split($col, b, ","); if (nm < ns) short++
		  for (i = 1; i <= nm; i++) v[b[i]] = 1 }
		END { for (k in v) printf "%s ", k; print "short " short + 0 }' "$f"
}
assert_eq "$(selectors 9 13 20000 20100)" "1 short 0" "v9 deterministic records: FLOW_SAMPLER_ID"
assert_eq "$(selectors 9 13 21000 21400)" "2 short 0" "v9 random records: FLOW_SAMPLER_ID"
assert_eq "$(selectors 10 14 20000 20100)" "1 short 0" "IPFIX deterministic records: selectorId"
assert_eq "$(selectors 10 14 21000 21400)" "2 short 0" "IPFIX random records: selectorId"
# a collector applies the rate it learnt to the records that follow: in
# each v9/IPFIX stream the first sampler record comes no later than the
# first flow record (nfacctd showed rate 0 when it came at the next tick)
first_order() {
	awk -F '\t' -v port="$1" -v col="$2" '$1 != port { next }
		!s && $col != "" { s = NR } !d && $12 != "" { d = NR }
		END { print (s && s <= d) ? "sampler first" : "flows at " d ", sampler at " s }' "$f"
}
assert_eq "$(first_order 2055 5)" "sampler first" "v9: sampler record before the first flow"
assert_eq "$(first_order 4739 7)" "sampler first" "IPFIX: sampler record before the first flow"
assert_eq "$(awk -F '\t' '$15 != ""' "$f" | wc -l)" 0 "malformed PDUs"
echo "ok: tshark decodes the sampler fields"

# IPFIX sampler statistics (with every statistics record while sampling):
# observed never below selected
HOME=/tmp tshark -n -r "$RESULTS/sampler.out.pcap" -d udp.port==4739,cflow \
	-Y 'cflow.selectorid_total_flows_observed' -T fields -E separator=/t \
	-E occurrence=f -e cflow.selectorid_total_flows_observed \
	-e cflow.selectorid_total_flows_selected \
	-e cflow.selector_id_total_pkts_observed \
	-e cflow.selector_id_total_pkts_selected > "$f" 2>/dev/null ||
	fail "tshark: sampler statistics"
n=$(wc -l < "$f")
[ "$n" -ge 1 ] || fail "no IPFIX sampler statistics record"
assert_eq "$(awk -F '\t' '$2 > $1 || $4 > $3' "$f" | wc -l)" 0 \
	"sampler statistics with selected > observed"
echo "ok: $n IPFIX sampler statistics records"
