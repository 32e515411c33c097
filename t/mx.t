#!/bin/bash
# check_mx_preference against the lab: every state the plugin judges,
# asserting the exit code and the text that explains it.
. "${top_srcdir:-.}/t/tap.sh"
lab_required

S="-s $LAB_RESOLVER"
P="--allow-private"		# every lab address is loopback
T="--trap cluster*a.trap.test"
set -f				# $T holds a glob for the plugin, not the shell
mx() {
	if [ "$1" = -T ]; then
		lim=$2
		shift 2
		run -T "$lim" check_mx_preference $S "$@"
	else
		run check_mx_preference $S "$@"
	fi
}

# ---- OK -------------------------------------------------------------------
mx -D single.dom.test $P
expect_rc 0 "single MX"
expect_out '^MX PREFERENCE OK - single\.dom\.test: 1 MX, 1 usable, primary accept\.hosts\.test \(10\)\|' "single: summary"
expect_text "mx=1;;;0 usable=1;;1:;0 traps=0;;;0 dns_time=" "single: perfdata"
expect_out '^MX 10 accept\.hosts\.test \(primary\): 127\.0\.25\.1$' "single: record line"

mx -D three.dom.test $P
expect_rc 0 "three preferences"
expect_lines 4 "three: status + one line per record"
expect_out '^MX 30 dual\.hosts\.test \(backup\): ::1, 127\.0\.25\.1$' "three: IPv6 first, both families"

# output order is deterministic although equal preferences are shuffled
first=
same=0
for i in 1 2 3 4 5 6; do
	mx -D equal.dom.test $P
	# everything but the measured time
	o=$(printf '%s\n' "$OUT" | sed "s/dns_time=[0-9.]*s//")
	[ -z "$first" ] && first=$o
	[ "$o" = "$first" ] || same=1
done
ok $same "equal preferences: identical output over 6 runs"
expect_out 'primary accept\.hosts\.test, nopipe\.hosts\.test \(10\)' "equal: both primaries, by name"

mx -D trap-last.dom.test $P $T
expect_rc 0 "trap after every real host is expected"
expect_text "OK: trap: cluster1a.trap.test (--trap cluster*a.trap.test) at preference 20, after every real host: expected" "trap-last: named as a trap"
expect_text "traps=1;" "trap-last: traps perfdata"

mx -D xn--bcher-kva.dom.test $P
expect_rc 0 "A-label domain"
mx -D 'bücher.dom.test.' $P
expect_rc 0 "Unicode domain with final dot"
expect_out '^MX PREFERENCE OK - xn--bcher-kva\.dom\.test: ' "Unicode: looked up as the A-label"
expect_text "domain given in Unicode; looked up as xn--bcher-kva.dom.test" "Unicode: says so"

mx -D SINGLE.Dom.Test. $P
expect_rc 0 "upper case and final dot"
expect_out '^MX PREFERENCE OK - single\.dom\.test:' "normalised name"

mx -D secure.test $P --require-dnssec
expect_rc 0 "--require-dnssec on a signed zone"

mx -D implicit.dom.test $P --allow-implicit
expect_rc 0 "--allow-implicit"
expect_text "OK: implicit MX (allowed)" "implicit allowed: named"

mx -D nullmx.dom.test --expect-null
expect_rc 0 "--expect-null on a null MX"
expect_text "null MX, as expected" "null expected: named"

mx -D two.dom.test $P -E '10 accept.hosts.test, 20 nopipe.hosts.test.'
expect_rc 0 "-E met"
mx -D equal.dom.test $P -P 'accept.hosts.test,nopipe.*'
expect_rc 0 "-P met by every primary"

mx -D dual.dom.test $P -4
expect_rc 0 "-4 on a dual-stack host"
expect_out '^MX 10 dual\.hosts\.test \(primary\): 127\.0\.25\.1$' "-4: IPv4 only"
mx -D v6only.dom.test $P -6
expect_rc 0 "-6 on an IPv6-only host"
expect_out '^MX 10 v6only\.hosts\.test \(primary\): ::1$' "-6: IPv6 only"

# ---- WARNING --------------------------------------------------------------
mx -D private.dom.test
expect_rc 1 "loopback target without --allow-private"
expect_text "WARNING: non-public address: accept.hosts.test resolves to 127.0.25.1 (loopback)" "private: names host and address"

mx -D implicit.dom.test $P
expect_rc 1 "implicit MX"
expect_out '^MX PREFERENCE WARNING - implicit\.dom\.test: implicit MX: no MX records' "implicit: summary"
expect_out '^implicit MX 0 implicit\.dom\.test \(primary\): 127\.0\.25\.1$' "implicit: record line"

mx -D cname-mx.dom.test $P
expect_rc 1 "CNAME target"
expect_text "MX target is a CNAME: cname.hosts.test is an alias of accept.hosts.test" "cname: names the target"

mx -D noaddr.dom.test $P
expect_rc 1 "backup without address"
expect_text "WARNING: MX target without address: backup noaddr.hosts.test at preference 20 has no address (A NODATA, AAAA NODATA)" "noaddr: backup named"

mx -D two.dom.test $P -w 3:
expect_rc 1 "usable count outside -w"
expect_text "usable count: 2 usable outside -w 3:" "-w: says why"
expect_text "usable=2;3:;1:;0" "-w: in perfdata"

mx -D two.dom.test $P --trap nopipe.hosts.test --connect
# a trap refuses mail, not connections: a greeting accepts none
expect_rc 0 "a trap that answers 220 is no WARNING"
expect_out '^MX PREFERENCE OK - ' "trap greeting: OK"
expect_text "OK: trap greets: nopipe.hosts.test (--trap nopipe.hosts.test) answers 220; a greeting accepts no mail, a trap refuses at MAIL or RCPT" \
	"trap greeting: named in the long output"
expect_no_out '^WARNING' "trap greeting: no warning line"

mx -D fallback-refused.dom.test $P --connect
expect_rc 1 "primary refused, backup answers"
expect_text "primary not accepting: refused.hosts.test (127.0.27.1 Connection refused); mail goes to a backup" "fallback-refused: says why"
expect_out " accept_hosts_test_connect_time=[0-9.]+s;;;0 " "fallback-refused: connect_time per host, dots as _"
expect_no_out "refused_hosts_test_connect_time|=U" "fallback-refused: no time for the refused host"
expect_text "reachable=1;" "fallback-refused: reachable"

mx -T 20 -D fallback-silent.dom.test $P --connect -t 3
expect_rc 1 "primary silent, backup answers"
expect_text "silent.hosts.test (127.0.26.1 banner timeout)" "fallback-silent: banner timeout"

mx -D nullmix.dom.test $P --connect
expect_rc 2 "null MX mixed (CRITICAL beats the rest)"

# ---- CRITICAL -------------------------------------------------------------
mx -D missing.dom.test
expect_rc 2 "NXDOMAIN"
expect_out '^MX PREFERENCE CRITICAL - missing\.dom\.test: domain does not exist' "missing: summary"

mx -D nothing.dom.test
expect_rc 2 "no MX and no address"
expect_text "no MX and no address: nothing.dom.test has neither MX nor address (A NODATA, AAAA NODATA)" "nothing: says so"

mx -D nullmx.dom.test
expect_rc 2 "null MX"
expect_text "null MX: nullmx.dom.test publishes MX 0 . and accepts no mail (RFC 7505)" "nullmx: says so"
expect_out '^MX 0 \. \(null MX\)$' "nullmx: record line"

mx -D nullmix.dom.test $P
expect_rc 2 "null MX mixed with others"
expect_text "null MX mixed with other MX" "nullmix: says so"

mx -D single.dom.test $P --expect-null
expect_rc 2 "--expect-null and a real MX"
expect_text "real MX where a null MX was expected" "expect-null: says so"

mx -D servfail.dom.test
expect_rc 2 "MX SERVFAIL"
expect_text "MX lookup failed: MX servfail.dom.test: SERVFAIL" "servfail: says so"

mx -D noaddr-only.dom.test $P
expect_rc 2 "no usable MX host"
expect_text "no usable MX host" "noaddr-only: says so"

mx -D literal.dom.test $P
expect_rc 2 "IP literal as the only target"
expect_text "WARNING: MX target is an IP literal: 127.0.25.1 at preference 10" "literal: warned"
expect_text "CRITICAL: no usable MX host" "literal: not usable"

mx -D trap-first.dom.test $P $T
expect_rc 2 "trap at the lowest preference"
expect_out '^MX PREFERENCE CRITICAL - trap-first\.dom\.test: trap at the lowest preference: cluster1a\.trap\.test' "trap-first: summary"

mx -D trap-first.dom.test $P $T --no-builtin-traps
expect_rc 2 "--no-builtin-traps keeps the user's globs"

mx -D two.dom.test $P -E '10 accept.hosts.test'
expect_rc 2 "-E not met"
expect_text "MX set differs: expected 10 accept.hosts.test; found 10 accept.hosts.test, 20 nopipe.hosts.test" "-E: expected vs found"

mx -D equal.dom.test $P -P 'accept.*'
expect_rc 2 "-P not met"
expect_text "unexpected primary: expected accept.*, found accept.hosts.test, nopipe.hosts.test (preference 10)" "-P: expected vs found"

mx -D two.dom.test $P -c 3:
expect_rc 2 "usable count outside -c"
expect_text "usable count: 2 usable outside -c 3:" "-c: says why"

mx -D v6only.dom.test $P -4
expect_rc 2 "-4 and an IPv6-only MX"
expect_text "(IPv4 only)" "-4: says which family"

mx -D single.dom.test $P --require-dnssec
expect_rc 2 "--require-dnssec on an unsigned zone"
expect_text "not DNSSEC-validated: answers without the AD bit: MX single.dom.test" "dnssec: names the answers"

mx -D trap.dom.test $P --connect
expect_rc 2 "the only MX answers 554"
expect_text "no MX host answers 220: none of 1 MX host answers 220 on port 25" "trap host: says so"
expect_out '127\.0\.25\.4 554 after [0-9.]+ ms' "trap host: the 554 shown"

mx -T 20 -D all-dead.dom.test $P --connect -t 3
expect_rc 2 "every MX dead"
expect_text "reachable=0" "all-dead: reachable 0"

mx -D garbage.dom.test $P --connect
expect_rc 2 "garbage greeting"
expect_text "bad greeting (malformed reply line (no valid 3-digit code))" "garbage: says why"

mx -T 20 -D endless.dom.test $P --connect -t 3
expect_rc 2 "never-ending greeting line"
expect_text "bad greeting (reply line longer than 1000 octets)" "endless: bounded read"

mx -D walk-trap.dom.test $P $T --connect
expect_rc 2 "real host refused, only the trap answers (and refuses)"

# ---- the deadline ---------------------------------------------------------
# Through Unbound: a name in a zone whose server never answers.  A fresh
# name each try, and up to three tries: Unbound remembers a final
# SERVFAIL per name, and for a moment after many timeouts (other tests
# use the same black hole) it answers SERVFAIL at once for the server.
for try in 1 2 3; do
	silent=t$$-$try-$RANDOM.silent-ns.test
	mx -T 20 -D $silent -t 2
	case "$OUT" in *"timeout: no MX answer"*) break ;; esac
	sleep 2
done
expect_rc 2 "MX lookup never answered (default --timeout-result)"
expect_out "^MX PREFERENCE CRITICAL - ${silent//./\\.}: timeout: no MX answer for ${silent//./\\.} within 2s\$" "deadline: says what was pending"
expect_no_out "\\||=U" "deadline: unknown counts left out, no U"
# Straight at the black hole as the resolver: the state mapping, exactly.
hole="-s 127.0.54.9"
run -T 20 check_mx_preference $hole -D single.dom.test -t 1
expect_rc 2 "silent resolver: CRITICAL by default"
expect_out '^MX PREFERENCE CRITICAL - single\.dom\.test: timeout: no MX answer for single\.dom\.test within 1s$' "silent resolver: says what was pending"
run -T 20 check_mx_preference $hole -D single.dom.test -t 1 --timeout-result=warning
expect_rc 1 "--timeout-result=warning"
expect_out '^MX PREFERENCE WARNING - single\.dom\.test: timeout: no MX answer' "--timeout-result=warning: says timeout"
run -T 20 check_mx_preference $hole -D single.dom.test -t 1 --timeout-result=unknown
expect_rc 3 "--timeout-result=unknown"
run -T 20 check_mx_preference $hole -D single.dom.test -t 1:ok
expect_rc 0 "-t SECONDS:STATE"
expect_out '^MX PREFERENCE OK - single\.dom\.test: timeout: no MX answer' "-t 1:ok: still says timeout"

# ---- speed: two resolver round trips whatever the number of hosts ---------
mx -D many.dom.test $P -vvv
expect_rc 0 "ten MX hosts"
expect_text "resolver round trips: 2, queries: 21," "many: MX + 20 address queries in 2 rounds"
mx -D implicit.dom.test $P --allow-implicit -vvv
expect_text "resolver round trips: 2, queries: 3," "implicit: 2 rounds too"

# ---- informational --------------------------------------------------------
run check_mx_preference --list-traps
expect_rc 3 "--list-traps exits like --help"
expect_text "cluster<N>a.<region>.messagelabs.com" "--list-traps: built-in pattern"
expect_text "MessageLabs" "--list-traps: provider"
run check_mx_preference --list-traps --no-builtin-traps --trap 'x*.test'
expect_text "(built-in table switched off)" "--list-traps honours --no-builtin-traps"
expect_out '^ x\*\.test$' "--list-traps lists --trap"

# ---- bad input: UNKNOWN with one line naming option and value ------------
long63=$(printf 'a%.0s' $(seq 1 64))
long253=$(for i in $(seq 1 26); do printf 'abcdefghi.'; done)x
bad() {
	# bad REGEX DESCRIPTION ARGS...
	re=$1 desc=$2
	shift 2
	run check_mx_preference $S "$@"
	expect_rc 3 "$desc"
	expect_out "^MX PREFERENCE UNKNOWN - $re" "$desc: message"
	expect_lines 1 "$desc: one line"
}
bad 'missing -D/--domain' "-D missing"
bad "invalid -D/--domain '': empty" "-D empty" -D ''
bad "invalid -D/--domain '$long253': domain name longer than 253 octets" "-D over 253 octets" -D "$long253"
bad "invalid -D/--domain '$long63.test': label longer than 63" "-D label over 63" -D "$long63.test"
bad "invalid -D/--domain 'a b.test': .*space" "-D with a space" -D 'a b.test'
bad "invalid -D/--domain 'a\.\.b\.test': empty label" "-D with .." -D a..b.test
bad "invalid -D/--domain '127\.0\.0\.1': an IP address" "-D an IP" -D 127.0.0.1
bad "invalid --trap '': empty pattern" "--trap empty" -D single.dom.test --trap ''
bad "invalid --trap 'a/b': character '/' impossible" "--trap bad character" -D single.dom.test --trap a/b
bad "invalid --trap 'a\.\.b': empty label" "--trap with .." -D single.dom.test --trap a..b
bad "invalid --expect-primary 'a b'" "-P with a space" -D single.dom.test -P 'a b'
bad "invalid --expect-primary 'a,,b': empty item" "-P empty item" -D single.dom.test -P 'a,,b'
bad "invalid --expect-mx '10': '10' is not 'PREFERENCE HOST'" "-E without host" -D single.dom.test -E 10
bad "invalid --expect-mx 'x a\.test': preference 'x' is not 0-65535" "-E bad preference" -D single.dom.test -E 'x a.test'
bad "invalid --expect-mx '70000 a\.test'" "-E preference too big" -D single.dom.test -E '70000 a.test'
bad "invalid --expect-mx '10 a\.\.b': host 'a\.\.b'" "-E bad host" -D single.dom.test -E '10 a..b'
bad "invalid warning range 'foo'" "-w bad range" -D single.dom.test -w foo
bad "invalid critical range '5:1'" "-c bad range" -D single.dom.test -c 5:1
bad "invalid -p/--port '0'" "-p 0" -D single.dom.test --connect -p 0
bad "invalid -p/--port '99999'" "-p too big" -D single.dom.test --connect -p 99999
bad "invalid -p/--port 'smtp'" "-p not a number" -D single.dom.test --connect -p smtp
bad "-p/--port 2525 is only used with --connect" "-p without --connect" -D single.dom.test -p 2525
bad "unexpected argument 'extra'" "positional argument" -D single.dom.test extra

done_testing
