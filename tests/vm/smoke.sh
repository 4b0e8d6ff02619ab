#!/bin/sh
# The harness itself: the guest sees /usr, /etc, the repo and its kernel.
set -e
uname -r
test -x /usr/sbin/iptables
test -f /xt/kernel/ipt_NETFLOW.ko
/usr/sbin/ip -V
iptables-legacy -L -n >/dev/null
echo ok
