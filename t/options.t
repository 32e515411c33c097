#!/bin/bash
# The plugin contract every plugin keeps (DESIGN.md §4): -V and -h exit
# UNKNOWN with the standard layout; bad common options are UNKNOWN with
# one clear line.  Needs no lab.
. "${top_srcdir:-.}/t/tap.sh"

for prog in check_mx_preference check_dnsbl_sender check_smtp_relay_path; do
	run $prog -V
	expect_rc 3 "$prog -V"
	expect_out "^$prog v[0-9]+\.[0-9]+\.[0-9]+ \(mailpath-plugins [0-9.]+\)$" \
		"$prog -V prints the revision line"
	expect_lines 1 "$prog -V is one line"

	run $prog --help
	expect_rc 3 "$prog --help"
	expect_out "^$prog v" "$prog --help starts with the revision line"
	expect_out '^Copyright' "$prog --help has the copyright line"
	expect_out "^Usage: $prog " "$prog --help has the usage"
	expect_out '^ -t, --timeout=' "$prog --help documents -t"
	expect_out '^ -w, --warning=' "$prog --help documents -w"
	# the guidelines' order: -h and -V first, -t and -v last
	order=$(printf '%s\n' "$OUT" | grep -E '^ (-h|-t|-v|-V), ' | cut -c2-3 | tr -d '\n')
	[ "$order" = "-h-V-t-v" ]
	ok $? "$prog --help lists -h, -V first and -t, -v last ($order)"

	for bad in abc 10:5 ':' '1,10' '@' '~10' '5x'; do
		run $prog -w "$bad"
		expect_rc 3 "$prog -w '$bad'"
		expect_out "^[A-Z ]+ UNKNOWN - invalid warning range '$bad'" \
			"$prog -w '$bad' names the option and value"
		expect_lines 1 "$prog -w '$bad' one line"
	done
	run $prog -c 'x:y'
	expect_rc 3 "$prog -c bad"
	expect_out "UNKNOWN - invalid critical range 'x:y'" "$prog -c message"
	expect_lines 1 "$prog -c bad one line"

	for bad in abc 0 -1 '' '5:bogus' 1e3 99999999; do
		run $prog -t "$bad"
		expect_rc 3 "$prog -t '$bad'"
		expect_out "UNKNOWN - invalid timeout '$bad'" "$prog -t '$bad' message"
		expect_lines 1 "$prog -t '$bad' one line"
	done
	run $prog --timeout-result=maybe
	expect_rc 3 "$prog --timeout-result=maybe"
	expect_out "UNKNOWN - invalid --timeout-result 'maybe'" \
		"$prog --timeout-result message"
	for bad in localhost 127.0.0.1:0 '1.2.3.4:99999' '[::1' 'a b'; do
		run $prog -s "$bad"
		expect_rc 3 "$prog -s '$bad'"
		expect_text "UNKNOWN - invalid --dns-server '$bad'" \
			"$prog -s '$bad' message"
		expect_lines 1 "$prog -s '$bad' one line"
	done
	run $prog --no-such-option
	expect_rc 3 "$prog unknown option"
	expect_out "UNKNOWN - invalid option or missing argument: --no-such-option" \
		"$prog unknown option named"
	expect_lines 1 "$prog unknown option one line"
	run $prog -t
	expect_rc 3 "$prog -t without value"
	expect_lines 1 "$prog -t without value one line"
done

# A resolver that is not there (nothing listens on 127.0.0.9:53) is a
# fact about the service, judged and named, not a usage error.
run check_mx_preference -D single.dom.test -s 127.0.0.9 -t 5
expect_rc 2 "mx: unreachable resolver"
expect_text "MX lookup failed: MX single.dom.test: resolver unreachable" \
	"mx: unreachable resolver named"
run check_dnsbl_sender -H 203.0.113.2 -l zen.dnsbl.test -s 127.0.0.9 -t 5
expect_rc 1 "dnsbl: unreachable resolver is an error, never clean"
expect_text "DNS failure (resolver unreachable): neither listed nor clean" \
	"dnsbl: unreachable resolver named"
run check_smtp_relay_path -D single.dom.test -s 127.0.0.9 -t 5
expect_rc 2 "relay: unreachable resolver"
expect_text "MX lookup for single.dom.test: resolver unreachable" \
	"relay: unreachable resolver named"
done_testing
