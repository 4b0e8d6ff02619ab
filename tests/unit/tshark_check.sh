#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Cross-check the encoders with a real decoder. test_enc writes v5, v9 and
# IPFIX streams as pcaps (UDP to port 2055) plus the field values tshark
# should print for them; this script decodes them with tshark and compares,
# and also requires no malformed packets or expert warnings (which include
# tshark's own flow sequence analysis) and an IPFIX length equal to the
# UDP payload. Prints PASS:/FAIL: lines, exits non-zero on any failure.
#
# Usage: tests/unit/tshark_check.sh   (builds tests/unit/test_enc if needed;
#        TEST_ENC=/path/to/test_enc uses a prebuilt one instead)

set -u
here=$(cd "$(dirname "$0")" && pwd)
rc=0

pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1${2:+: $2}"; rc=1; }

if ! command -v tshark >/dev/null; then
	fail tshark_check "tshark not installed (make deps)"
	exit 1
fi
test_enc=${TEST_ENC:-$here/test_enc}
if [ -z "${TEST_ENC:-}" ] && ! make -s -C "$here" test_enc >/dev/null; then
	fail tshark_check "cannot build test_enc"
	exit 1
fi

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
if ! NETFLOW_PCAP_DIR=$dir "$test_enc" >"$dir/test_enc.log"; then
	cat "$dir/test_enc.log"
	fail tshark_check "test_enc failed"
	exit 1
fi

# Absolute times print in the local zone; expectations are in UTC.
export TZ=UTC
decode() {
	tshark -n -r "$1" -d udp.port==2055,cflow "${@:2}" 2>/dev/null
}

# Name each mismatching field, packet, wanted and decoded value.
show_diff() {
	awk -F '\t' -v names="$1" '
		BEGIN { n = split(names, f, " ") }
		FNR == NR { want[FNR] = $0; next }
		{
			split(want[FNR], w, "\t")
			for (i = 1; i <= n; i++)
				if (w[i] != $i)
					printf "  packet %d %s: want \"%s\" got \"%s\"\n",
					       FNR, f[i], w[i], $i
		}' "$2" "$3"
}

for p in v5 v9 ipfix v5_sampled v5_random v9_sampled v9_random ipfix_sampled \
	ipfix_random nat_v5 nat_v9 nat_ipfix; do
	pcap=$dir/$p.pcap
	read -r _ fields <"$dir/$p.expect"
	args=()
	for f in $fields; do
		args+=(-e "$f")
	done
	tail -n +2 "$dir/$p.expect" >"$dir/$p.want"
	decode "$pcap" -T fields -E separator=/t -E occurrence=a \
		-E aggregator=, "${args[@]}" >"$dir/$p.got"
	if cmp -s "$dir/$p.want" "$dir/$p.got"; then
		pass "tshark_${p}_fields ($(wc -w <<<"$fields") fields)"
	else
		fail "tshark_${p}_fields"
		show_diff "$fields" "$dir/$p.want" "$dir/$p.got"
	fi

	bad=$(decode "$pcap" -Y '_ws.malformed || _ws.expert.severity >= 0x00600000' \
		-T fields -e frame.number -e _ws.expert.message)
	if [ -z "$bad" ]; then
		pass "tshark_${p}_no_warnings"
	else
		fail "tshark_${p}_no_warnings" "$bad"
	fi

	n=$(decode "$pcap" -Y cflow -T fields -e frame.number | wc -l)
	[ "$n" = 3 ] && pass "tshark_${p}_packets" ||
		fail "tshark_${p}_packets" "$n of 3 decoded as cflow"
done

lens=$(decode "$dir/ipfix.pcap" -T fields -e udp.length -e cflow.len |
	awk '$1 - 8 != $2 { print "udp " $1 " ipfix " $2 }')
[ -z "$lens" ] && pass tshark_ipfix_length || fail tshark_ipfix_length "$lens"

# Negative control: a broken IPFIX sequence number in packet 2 must be
# reported, or the warning check above proves nothing.
cp "$dir/ipfix.pcap" "$dir/bad.pcap"
len1=$(od -An -tu4 -j 32 -N 4 "$dir/bad.pcap" | tr -d ' ')
off=$((24 + 16 + len1 + 16 + 42 + 8))
printf '\x7f\x00\x00\x00' |
	dd of="$dir/bad.pcap" bs=1 seek=$off conv=notrunc status=none
bad=$(decode "$dir/bad.pcap" -Y '_ws.expert.severity >= 0x00600000' \
	-T fields -e frame.number)
[ -n "$bad" ] && pass tshark_negative_control ||
	fail tshark_negative_control "corrupted sequence not reported"

exit $rc
