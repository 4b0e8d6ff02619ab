#!/bin/sh
# The DKMS-installed module, as an admin loads it. tests/dkms.sh runs
# `dkms build/install -k <this kernel>` on the host before this boot; the
# guest sees the host's /lib/modules through the shared /usr. Checks:
# modprobe resolves to updates/dkms, modinfo documents every parameter,
# options come from /etc/modprobe.d, the aliases (xt_NETFLOW, ip6t_NETFLOW)
# and iptables' own request_module load it, and so do boot-time lists
# (systemd modules-load.d, RHEL's IPTABLES_MODULES). Then real export.
. "$XT/tests/vm/lib.sh"
netfilter_modules

loaded() {
	grep -q '^ipt_NETFLOW ' /proc/modules
}
unload() {
	rmmod ipt_NETFLOW || fail "rmmod"
	! loaded || fail "still loaded after rmmod"
}

path=$(modinfo -n ipt_NETFLOW) || fail "modinfo finds no ipt_NETFLOW"
case $path in
*/lib/modules/$(uname -r)/updates/dkms/ipt_NETFLOW.ko*) ;;
*) fail "ipt_NETFLOW resolves to $path, not the DKMS one" ;;
esac
echo "ok: ipt_NETFLOW resolves to $path"
for a in xt_NETFLOW ip6t_NETFLOW; do
	assert_eq "$(modinfo -n $a)" "$path" "alias $a"
done
assert_eq "$(modinfo -F version ipt_NETFLOW)" \
	"$(sed -n 's/^#define NETFLOW_VERSION[[:space:]]*"\(.*\)"/\1/p' $XT/kernel/netflow.h)" \
	"modinfo version"
modinfo ipt_NETFLOW | grep '^parm:'
for p in destination protocol active_timeout inactive_timeout maxflows \
	hashsize sndbuf refresh_rate timeout_rate engine_id debug scan_min \
	sampler aggregation natevents physdev mac vlan promisc snmp_rules exportcpu \
	netns; do
	modinfo -F parm ipt_NETFLOW | awk -v p=$p '
		index($0, p ":") == 1 { d = substr($0, length(p) + 2)
			sub(/ \([a-z]+\)$/, "", d); if (length(d) > 8) f = 1 }
		END { exit !f }' || fail "modinfo: parameter $p missing or undescribed"
done
echo "ok: modinfo describes all 22 parameters"

# Options from /etc/modprobe.d (the guest's /etc is a private copy).
NF=/tmp/nf-dkms
cat > /etc/modprobe.d/ipt_NETFLOW.conf <<'EOF'
options ipt_NETFLOW destination=127.0.0.1:2056 protocol=9 inactive_timeout=7 active_timeout=120
EOF
modprobe -n -v ipt_NETFLOW | tee /tmp/plan
grep -q "insmod $path destination=127.0.0.1:2056 protocol=9 inactive_timeout=7 active_timeout=120" /tmp/plan ||
	fail "modprobe would not load the DKMS module with the modprobe.d options"
# the collector first: a datagram refused before it listens would be lost
collector_start $NF 2056
modprobe ipt_NETFLOW || fail "modprobe ipt_NETFLOW"
loaded || fail "modprobe did not load it"
P=/sys/module/ipt_NETFLOW/parameters
assert_eq "$(cat $P/destination) $(cat $P/protocol)" "127.0.0.1:2056 9" "parameters from modprobe.d"
assert_eq "$(sysctl -n net.netflow.inactive_timeout) $(sysctl -n net.netflow.active_timeout)" \
	"7 120" "sysctl shows the modprobe.d timeouts"
grep -q "^ipt_NETFLOW (xt-netflow) version $(modinfo -F version ipt_NETFLOW)" $PROC ||
	fail "status file version differs from modinfo"
echo "ok: status file shows the DKMS module's version"

# It works: a ping through a NETFLOW rule reaches the collector as v9.
iptables-legacy -A OUTPUT -o lo -p icmp -j NETFLOW || fail "rule"
ping -c 3 -i 0.2 -q 127.0.0.1 >/dev/null || fail "ping"
sysctl -qw net.netflow.flush=1
sleep 2
collector_stop $NF
assert_eq "$(nf_flows $NF | awk '$3 == "ICMP" || $3 == 1 { p += $6 } END { print p + 0 }')" \
	6 "collector got the 6 ICMP packets from the DKMS module"
rules_flush
unload

for a in xt_NETFLOW ip6t_NETFLOW; do
	modprobe $a || fail "modprobe $a"
	loaded || fail "modprobe $a did not load ipt_NETFLOW"
	echo "ok: modprobe $a loads ipt_NETFLOW"
	unload
done

# iptables asks the kernel for the target; the kernel runs modprobe.
for t in iptables-legacy ip6tables-nft; do
	$t -A OUTPUT -j NETFLOW || fail "$t: rule with the module not loaded"
	loaded || fail "$t did not autoload ipt_NETFLOW"
	echo "ok: $t -j NETFLOW autoloads the module"
	rules_flush
	unload
done

# Boot-time loading: systemd-modules-load reads /etc/modules-load.d.
echo ipt_NETFLOW > /etc/modules-load.d/xt-netflow.conf
/usr/lib/systemd/systemd-modules-load || fail "systemd-modules-load"
loaded || fail "modules-load.d did not load ipt_NETFLOW"
assert_eq "$(cat $P/destination)" "127.0.0.1:2056" "modules-load.d load used modprobe.d options"
unload
rm /etc/modules-load.d/xt-netflow.conf

# RHEL-like hosts: the iptables service loads IPTABLES_MODULES with modprobe.
mkdir -p /etc/sysconfig
echo 'IPTABLES_MODULES="ipt_NETFLOW"' > /etc/sysconfig/iptables-config
. /etc/sysconfig/iptables-config
for m in $IPTABLES_MODULES; do
	modprobe "$m" || fail "modprobe $m from IPTABLES_MODULES"
done
loaded || fail "IPTABLES_MODULES did not load ipt_NETFLOW"
echo "ok: IPTABLES_MODULES=\"ipt_NETFLOW\" loads it"
unload
rm /etc/modprobe.d/ipt_NETFLOW.conf
