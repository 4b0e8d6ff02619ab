#!/bin/bash
# Layering check: data flows one way between the files of kernel/. From the
# object files of one build, file A depends on file B when A uses a symbol B
# defines; the dependency graph must have no loop (tsort finds one). Prints
# the edges of a loop when there is one. Usage: tests/layering.sh OBJDIR
set -u -o pipefail
objdir=${1:?usage: tests/layering.sh OBJDIR}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
objs=$(ls "$objdir"/*.o 2>/dev/null | grep -vE '/(ipt_NETFLOW|.*\.mod)\.o$')
if [ -z "$objs" ]; then
	echo "FAIL: static/layering: no object files in $objdir"
	exit 1
fi
for o in $objs; do
	f=$(basename "$o" .o)
	nm "$o" | awk '$2 ~ /^[TDBR]$/ {print $3}' | sed "s/\$/ $f/" >> "$tmp/defs"
	nm -u "$o" | awk '{print $2}' | sed "s/^/$f /" >> "$tmp/uses"
done
sort -k1,1 -u "$tmp/defs" > "$tmp/defs.s"
# edges "user definer", each file also depends on itself so tsort sees it
awk 'NR == FNR {def[$1] = $2; next} ($2 in def) && def[$2] != $1 {print $1, def[$2]}' \
	"$tmp/defs.s" "$tmp/uses" | sort -u > "$tmp/edges"
for o in $objs; do f=$(basename "$o" .o); echo "$f $f"; done >> "$tmp/edges"
if out=$(tsort "$tmp/edges" 2>&1 >/dev/null) && [ -z "$out" ]; then
	echo "PASS: static/layering ($(echo "$objs" | wc -w) files, $(awk '$1 != $2' "$tmp/edges" | wc -l) one-way links)"
	exit 0
fi
echo "$out" | sed 's/^/    /'
echo "FAIL: static/layering: kernel/ files call each other in a loop"
exit 1
