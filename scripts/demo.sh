#!/bin/bash
# `make demo`: boot the test VM, run the bridged-VPS story in it
# (tests/vm/demo.sh) and show what the admin would see: nfdump's per-IP
# bandwidth and /proc/net/stat/ipt_netflow. Nothing is loaded on this host.
set -u
cd "$(dirname "$0")/.."
tests/vm/run demo
rc=$?
log=tests/vm/.build/results/demo.log
echo
echo "===== $log ====="
cat "$log" 2>/dev/null || echo "(no log: see tests/vm/.build/console-*.log)"
exit $rc
