#!/bin/bash
# Allocation-failure torture, as curl's test suite does it: for a
# representative run of each plugin against the lab, count the allocations
# made from main() on, then run it again once per N, with the N-th
# allocation failing (t/alloc/failmalloc.c, preloaded).  Every run must end
# in the state of the normal run or UNKNOWN: never another state, never a
# crash or a hang, and "out of memory" never under a state but UNKNOWN.
. "${top_srcdir:-.}/t/tap.sh"

lab_required

shim=$top_builddir/t/alloc/failmalloc.so
plugins=$top_builddir/plugins
if [ -n "${MAILPATH_WRAPPER:-}" ]; then
	echo "1..0 # SKIP valgrind brings its own allocator: the preloaded shim cannot count or fail allocations under it"
	exit 0
fi
if grep -qa __asan_init "$plugins/check_mx_preference"; then
	echo "1..0 # SKIP AddressSanitizer brings its own allocator: the preloaded shim cannot count or fail allocations under it"
	exit 0
fi
if [ ! -f "$shim" ]; then
	echo "Bail out! $shim was not built"
	exit 1
fi

S="-s $LAB_RESOLVER"
jobs=2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# one run with the N-th allocation failing; prints "N RC FIRST-LINE"
one() {
	local n=$1
	shift
	local out rc
	# the shim counts in programs named check_* only, not in timeout
	out=$(MAILPATH_ALLOC_FAIL=$n LD_PRELOAD=$shim \
		timeout -k 2 30 "$@" 2>/dev/null)
	rc=$?
	printf '%s %s %s\n' "$n" "$rc" "$(printf '%s\n' "$out" | head -n 1)"
}
export -f one
export shim

torture() {
	# torture NAME LABEL PLUGIN ARGS...
	local name=$1 label=$2 plugin=$3
	shift 3
	local pcmd=("$plugins/$plugin" "$@")
	local count normal bad

	rm -f "$work/count"
	run env MAILPATH_ALLOC_COUNT="$work/count" LD_PRELOAD="$shim" "${pcmd[@]}"
	normal=$RC
	count=$(cat "$work/count" 2>/dev/null || echo 0)
	[ "$normal" -le 2 ] && [ "$count" -gt 0 ]
	ok $? "$name: a normal run ends $normal after $count allocations"
	[ "$normal" -le 2 ] && [ "$count" -gt 0 ] || { tap_show; return; }
	expect_out "^$label (OK|WARNING|CRITICAL) - " "$name: normal status line"

	seq 1 "$count" | xargs -P "$jobs" -I{} bash -c 'one "$@"' _ {} \
		"${pcmd[@]}" >"$work/$name.res"
	bad=$(awk -v normal="$normal" -v label="$label" '
		{
			n = $1; rc = $2; line = $0
			sub(/^[0-9]+ [0-9]+ /, "", line)
			if (rc != normal && rc != 3) { print "N=" n ": exit " rc ": " line; next }
			if (index(line, label " ") != 1) { print "N=" n ": exit " rc ": no status line: " line; next }
			if (rc != 3 && line ~ /out of memory/) { print "N=" n ": exit " rc ": " line; next }
			if (rc == 3 && line !~ / UNKNOWN - ./) { print "N=" n ": exit 3 without UNKNOWN: " line }
		}' "$work/$name.res")
	[ "$(wc -l <"$work/$name.res")" -eq "$count" ] && [ -z "$bad" ]
	ok $? "$name: each of $count runs with one allocation failing ends $normal or UNKNOWN"
	[ -z "$bad" ] || diag "$(printf '%s\n' "$bad" | head -n 20)"
	# the failure is reported as ours
	grep -q " 3 $label UNKNOWN - .*out of memory" "$work/$name.res"
	ok $? "$name: some failed allocation is reported as out of memory"
}

torture relay "SMTP RELAY PATH" check_smtp_relay_path -D single.dom.test $S -t 5
torture mx "MX PREFERENCE" check_mx_preference -D single.dom.test $S -t 5
torture dnsbl-H "DNSBL SENDER" check_dnsbl_sender -H 203.0.113.2 \
	-l zen.dnsbl.test $S -t 5
torture dnsbl-S "DNSBL SENDER" check_dnsbl_sender -S include.spf.test \
	-l l01.dnsbl.test $S -t 5
# discovery on net/resolve (A and MX hosts), DQS, registered domains
# (the Public Suffix List), the test point cache
mkdir "$work/cache"
torture dnsbl-dqs "DNSBL SENDER" check_dnsbl_sender -S a.spf.test --include-a \
	--include-mx -l l01.dnsbl.test -l zen.spamhaus.org -d dbl.spamhaus.org \
	--dqs-key labdqskey0 --dqs-suffix dq.dnsbl.test --cache-dir "$work/cache" $S -t 5

done_testing
