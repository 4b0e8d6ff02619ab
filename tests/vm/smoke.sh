#!/bin/sh
# The harness itself: the guest sees /usr, /etc, the repo and its kernel.
set -e
uname -r
test -x /usr/sbin/iptables
KO=${KO:-/xt/kernel/ipt_NETFLOW.ko}
# the module this boot loads is built for the kernel it runs
test "$(modinfo -F vermagic "$KO" | cut -d' ' -f1)" = "$(uname -r)"
echo "module $KO for $(uname -r)"
/usr/sbin/ip -V
iptables-legacy -L -n >/dev/null
echo ok
