#!/bin/sh
# Helpers shared by the v9/IPFIX scenarios (sourced after lib.sh): capture
# the export stream on lo and check it with tshark, an independent decoder.

# cap_start PCAP FILTER [IFACE]: dumpcap on IFACE (default lo) until cap_stop
cap_start() {
	rm -f "$1"
	dumpcap -q -i "${3:-lo}" -f "$2" -w "$1" > "$1.log" 2>&1 &
	echo $! > "$1.pid"
	for _ in $(seq 20); do
		[ -s "$1" ] && return 0
		sleep 0.5
	done
	fail "dumpcap did not start: $(cat "$1.log")"
}

cap_stop() {
	kill -INT "$(cat "$1.pid")"
	wait "$(cat "$1.pid")" 2>/dev/null
}

# nfacctd_start DIR PORT AGGREGATE [PRIMITIVES]: pmacct's nfacctd, a second
# decoder, on 127.0.0.1:PORT; one csv line per record of the AGGREGATE
# primitives (comma-separated) in DIR/flows.csv, refreshed every second.
# PRIMITIVES: lines of custom primitives (name=N field_type=IE len=L
# semantics=u_int) for fields pmacct has no name for.
# nfacctd_stop DIR: SIGINT (it writes what it holds), then SIGKILL.
nfacctd_start() {
	rm -rf "$1" && mkdir -p "$1"
	cat > "$1/nfacctd.conf" <<EOF
daemonize: false
nfacctd_ip: 127.0.0.1
nfacctd_port: $2
logfile: $1/nfacctd.log
plugins: print[p]
aggregate[p]: $3
print_output[p]: csv
print_output_file[p]: $1/flows.csv
print_output_file_append[p]: true
print_refresh_time[p]: 1
EOF
	if [ -n "${4:-}" ]; then
		printf '%s\n' "$4" > "$1/primitives"
		echo "aggregate_primitives: $1/primitives" >> "$1/nfacctd.conf"
	fi
	nfacctd -f "$1/nfacctd.conf" > "$1/stdout" 2>&1 &
	echo $! > "$1.pid"
}

nfacctd_stop() {
	kill -INT "$(cat "$1.pid")"
	sleep 2
	kill -9 "$(cat "$1.pid")" 2>/dev/null
}

# cflow_fields PCAP PORT...: one tab-separated line per export datagram:
# port version udp-payload sequence stats(messages flows octets) flow-records
# scope-ifindexes if-names expert-severities malformed
cflow_fields() {
	pcap=$1
	shift
	args=
	for p in "$@"; do
		args="$args -d udp.port==$p,cflow"
	done
	# shellcheck disable=SC2086
	HOME=/tmp TZ=UTC tshark -n -r "$pcap" $args -Y cflow -T fields \
		-E separator=/t -E occurrence=a -E aggregator=, \
		-e udp.dstport -e cflow.version -e udp.length -e cflow.sequence \
		-e cflow.packetsexp -e cflow.flowsexp -e cflow.octetsexp \
		-e cflow.protocol -e cflow.scope_interface -e cflow.if_name \
		-e _ws.expert.severity -e _ws.malformed 2>/dev/null |
		awk -F '\t' -v OFS='\t' '{
			n = $8 == "" ? 0 : split($8, a, ",")
			print $1, $2, $3 - 8, $4, $5, $6, $7, n, $9, $10, $11, $12 }'
}

# cflow_check FIELDS: the stream is sound as tshark sees it; prints one
# "port version pdus flows stats seqerr_nfcapd" line per stream. Checks:
# no malformed packet or expert warning (tshark checks sequence numbers
# per stream; a stream is a port and a version), v9 sequence = PDUs
# before it, and every statistics options record equals exactly what its
# destination (port) sent before it.
# nfcapd 1.7 counts only flow data records in the IPFIX sequence, not the
# options data records RFC 7011 also counts, so it reports one sequence
# error per IPFIX message after one carrying options: the model below
# computes that number for comparison with nfcapd's "Sequence Errors".
cflow_check() {
	echo "$1" | awk -F '\t' '
	{
		k = $1 " " $2
		if (!(k in pdus)) order[++nk] = k
		if ($12 != "") { print "malformed: " $0; bad = 1 }
		# tshark follows sequences per domain, not per version: the
		# first PDU after a protocol switch restarts, legitimately
		ns = pdus[k] ? split($11, sev, ",") : 0
		for (i = 1; i <= ns; i++)
			if (sev[i] + 0 >= 6291456) {
				print "expert warning: " $0; bad = 1
			}
		if ($2 == 9 && $4 != pdus[k] + 0) {
			print "v9 sequence " $4 " after " pdus[k] + 0 " PDUs"; bad = 1
		}
		# statistics count per destination since it was configured:
		# one port, across protocol switches
		p = $1
		if ($5 != "") {
			if ($5 != dpdus[p] + 0 || $6 != dflows[p] + 0 ||
			    $7 != doctets[p] + 0) {
				print "stats " $5 "/" $6 "/" $7 " after " \
				      dpdus[p] + 0 " PDUs, " dflows[p] + 0 \
				      " flows, " doctets[p] + 0 " bytes"
				bad = 1
			}
			stats[k]++
		}
		dpdus[p]++
		dflows[p] += $8
		doctets[p] += $3
		if ($2 == 10) {
			if ($4 != expect[k] + 0 && seen[k]) nerr[k]++
			expect[k] = $4 + $8
			if ($8) seen[k] = 1
		}
		pdus[k]++
		flows[k] += $8
	}
	END {
		for (i = 1; i <= nk; i++) {
			k = order[i]
			print k, pdus[k], flows[k], stats[k] + 0, nerr[k] + 0
		}
		exit bad
	}'
}

# nfcapd_seqerr LOG: the "Sequence Errors" nfcapd printed when stopped
nfcapd_seqerr() {
	sed -n 's/.*Sequence Errors: \([0-9]*\).*/\1/p' "$1" | tail -n 1
}

