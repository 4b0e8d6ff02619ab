#!/bin/sh
# snmp_rules.sh's host half (tests/vm/run runs it after the guest passed):
# the v9 interface-name options record carries the mapped ifIndex.
XT=$(cd "$(dirname "$0")/../.." && pwd)
. "$XT/tests/vm/lib.sh"
. "$XT/tests/vm/cflow_lib.sh"

# the scope ifIndex is the one flows carry: ppp11 under ppp:200
names=$(cflow_fields "$RESULTS/snmp_rules.out.pcap" 2055 |
	awk -F '\t' '$10 != "" { print $9, $10 }' | tr '\n' '|')
echo "$names" | grep -q "211 ppp11" || fail "no v9 name record 211 ppp11: $names"
echo "ok: v9 interface name options: 211 ppp11"
