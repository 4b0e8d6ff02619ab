#!/bin/sh
# Side by side with Debian's ipt_NETFLOW 2.6 (make bench): see bench/vm/ref26.sh.
exec sh "$XT/bench/vm/ref26.sh"
