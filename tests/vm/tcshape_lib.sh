# Shared by the tcshape scenarios (sourced, not run): paths, fail,
# check_near and the router topology they shape.
IP=/usr/sbin/ip
XT=${XT:-$(pwd)}
TCS=$XT/tools/tcshape/tcshape
RESULTS=${RESULTS:-/tmp}

fail() {
	echo "FAIL: $*"
	exit 1
}

# check_near NAME GOT WANT PCT: a measured mbit within PCT% of WANT
check_near() {
	awk -v a="$2" -v e="$3" -v p="$4" 'BEGIN { d = a - e; if (d < 0) d = -d
		exit !(d * 100 <= p * e) }' ||
		fail "$1: measured $2 mbit, expected $3 within $4%"
	echo "ok: $1 = $2 mbit (ceil $3, within $4%)"
}

# tcshape_router S G C HOST...: three namespaces, S (servers) and C
# (tenants 10.0.0.HOST) routed through the shaper G, which forwards:
#   S: s0 10.99.0.1/24 --- g0 10.99.0.2/24 [G] g1 10.0.0.1/24 --- c0 :C
tcshape_router() {
	rs=$1 rg=$2 rc=$3
	shift 3
	for n in $rs $rg $rc; do
		$IP netns add $n || fail "netns add $n"
		$IP -n $n link set lo up
	done
	$IP link add s0 netns $rs type veth peer name g0 netns $rg || fail veth
	$IP link add c0 netns $rc type veth peer name g1 netns $rg || fail veth
	$IP -n $rs addr add 10.99.0.1/24 dev s0
	$IP -n $rg addr add 10.99.0.2/24 dev g0
	$IP -n $rg addr add 10.0.0.1/24 dev g1
	for h in "$@"; do $IP -n $rc addr add 10.0.0.$h/24 dev c0; done
	for l in "$rs s0" "$rg g0" "$rg g1" "$rc c0"; do
		$IP -n "${l% *}" link set "${l#* }" up
	done
	$IP -n $rs route add 10.0.0.0/24 via 10.99.0.2
	$IP -n $rc route add 10.99.0.0/24 via 10.0.0.1
	$IP netns exec $rg sysctl -qw net.ipv4.ip_forward=1
	$IP netns exec $rc ping -c 1 -W 5 10.99.0.1 >/dev/null || fail "no route"
}
