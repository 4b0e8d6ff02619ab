#!/bin/sh
# Benchmark scenarios (make bench, not make check): see bench/vm/guest.sh.
exec sh "$XT/bench/vm/guest.sh"
