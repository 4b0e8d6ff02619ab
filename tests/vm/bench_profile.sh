#!/bin/sh
# A perf profile of the packet path (make bench-profile): see bench/vm/profile.sh.
exec sh "$XT/bench/vm/profile.sh"
