#!/bin/sh
# Split writes on one open sysctl file follow kernel.sysctl_writes_strict,
# as the kernel's own sysctls do: in strict mode (the default) a write at a
# non-zero offset is ignored, so the first part applies whole and a
# fragment never does. net.core.somaxconn is the oracle.
. "$XT/tests/vm/lib.sh"
S=/proc/sys/net/netflow

assert_eq "$(sysctl -n kernel.sysctl_writes_strict)" 1 "kernel.sysctl_writes_strict"
nf_load destination=127.0.0.1:2055

# split FILE FIRST SECOND: two writes on one fd; both must succeed
split() {
	exec 3> "$1"
	printf '%s' "$2" >&3 || { exec 3>&-; fail "$1: first write '$2' failed"; }
	printf '%s\n' "$3" >&3 || { exec 3>&-; fail "$1: second write '$3' failed"; }
	exec 3>&-
}

note "the kernel's own numeric sysctl (the oracle)"
old=$(sysctl -n net.core.somaxconn)
split /proc/sys/net/core/somaxconn 12 34
assert_eq "$(sysctl -n net.core.somaxconn)" 12 "net.core.somaxconn after '12' then '34'"
sysctl -qw net.core.somaxconn="$old"

note "every numeric netflow sysctl: the first part applies, the second is ignored"
for kv in maxflows:12:34 active_timeout:12:34 inactive_timeout:12:34 \
	hashsize:512:1024 sndbuf:65536:1 protocol:9:0 refresh-rate:12:34 \
	timeout-rate:12:34 debug:1:2 scan-min:12:34; do
	k=${kv%%:*}
	rest=${kv#*:}
	first=${rest%%:*}
	second=${rest#*:}
	old=$(cat $S/$k)
	split $S/$k "$first" "$second"
	assert_eq "$(cat $S/$k)" "$first" "$k after '$first' then '$second'"
	echo "$old" > $S/$k || fail "restoring $k=$old"
done

note "flush written twice on one fd"
split $S/flush 1 1
assert_eq "$(cat $S/flush)" 0 "flush reads 0"

note "destination in two parts: the first applies whole, the second is ignored"
split $S/destination 127.0.0.1:2056 ,127.0.0.1:2057
assert_eq "$(cat $S/destination)" 127.0.0.1:2056 "destination after two writes"
grep -q '^sock0: 127.0.0.1:2056 ' $PROC || fail "sock0 is not 127.0.0.1:2056: $(grep sock $PROC)"
grep -q '^sock1' $PROC && fail "the ignored fragment opened a second destination"
echo "ok: one destination, 127.0.0.1:2056"

note "a refused first part still keeps the old value"
exec 3> $S/maxflows
printf 'abc' >&3 2>/dev/null && { exec 3>&-; fail "maxflows accepted 'abc'"; }
exec 3>&-
assert_eq "$(cat $S/maxflows)" 2000000 "maxflows after refused 'abc'"

nf_unload
echo "sysctl split writes ok"
