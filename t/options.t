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
	for bad in localhost 127.0.0.1:0 '1.2.3.4:99999' '[::1' 'a b' :: 0.0.0.0 \
		'[::]:53' 127.1 0177.0.0.1; do
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

	# SIGPIPE never ends a run: stdout closed before the plugin writes
	(sleep 0.3; exec "$top_builddir/plugins/$prog" --help) | true
	rc=${PIPESTATUS[0]}
	[ "$rc" -eq 3 ]
	ok $? "$prog with a closed stdout exits 3, not by SIGPIPE (got $rc)"
done

# Host arguments that are neither a valid address nor a valid host name
# are usage errors naming option and value: dotted or bare numbers, an
# all-numeric last label (RFC 3696 section 2), the unspecified address,
# invalid Punycode.
badhost() {
	# badhost OPTION-TEXT PLUGIN ARGS... (the value is the last argument)
	local what=$1
	shift
	local value=${!#}
	run "$@"
	expect_rc 3 "$1 $what '$value'"
	expect_out "^[A-Z ]+ UNKNOWN - invalid $what '$(printf '%s' "$value" | sed 's/[][\.*^$]/\\&/g')'" \
		"$1 $what '$value': option and value named"
	expect_lines 1 "$1 $what '$value': one line"
}
for v in 0 65536 127.1 0177.0.0.1 1.2.3.4.5 mail.123 xn--zz.test xn--a.example; do
	badhost -D/--domain check_mx_preference -s 127.0.0.9 -D "$v"
	badhost -D check_smtp_relay_path -s 127.0.0.9 -D "$v"
	badhost -R check_smtp_relay_path -s 127.0.0.9 -R "postmaster@$v"
	badhost --via check_smtp_relay_path -s 127.0.0.9 -D x.test --via "$v"
	badhost -H check_dnsbl_sender -s 127.0.0.9 -l zen.dnsbl.test -H "$v"
done
for v in :: 0.0.0.0 '[::]:25'; do
	badhost --via check_smtp_relay_path -s 127.0.0.9 -D x.test --via "$v"
	badhost -H check_smtp_relay_path -s 127.0.0.9 -R a@x.test -H "$v"
done
for v in :: 0.0.0.0; do
	badhost -H check_dnsbl_sender -s 127.0.0.9 -l zen.dnsbl.test -H "$v"
done
# valid A-labels and numbers inside a name still pass the check
run check_mx_preference -D xn--bcher-kva.example -s 127.0.0.9 -t 2
expect_no_out "invalid" "a valid A-label is accepted"
run check_mx_preference -D 1.2.3.example -s 127.0.0.9 -t 2
expect_no_out "invalid" "numeric labels before a non-numeric last one are accepted"

# A long option value is a usage error naming the option, never "out of
# memory"
long=$(head -c 5000 /dev/zero | tr '\0' a)
for args in "check_mx_preference -D" "check_mx_preference --trap" \
	"check_smtp_relay_path -D x.test --via" "check_smtp_relay_path -D x.test --trap" \
	"check_dnsbl_sender -l" "check_dnsbl_sender -H" "check_mx_preference -w"; do
	# shellcheck disable=SC2086
	run $args "$long" -s 127.0.0.9
	expect_rc 3 "$args <5000 characters>"
	expect_out "^[A-Z ]+ UNKNOWN - invalid [-a-zA-Z/ ]*(range )?'aaaa" \
		"$args <5000 characters>: the option named"
	expect_no_out "out of memory" "$args <5000 characters>: not out of memory"
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
# Every long option of --help is mapped in the plugin's Icinga 2
# CheckCommand (only --help, --version and --list-traps, which print and
# exit, are not).
for prog in check_mx_preference check_dnsbl_sender check_smtp_relay_path; do
	conf=$top_srcdir/contrib/icinga2/$prog.conf
	run $prog --help
	missing=
	for opt in $(printf '%s\n' "$OUT" | grep -oE '^ +(-[a-zA-Z0-9], )?--[a-z0-9-]+' |
		grep -oE -- '--[a-z0-9-]+' | sort -u); do
		case $opt in --help | --version | --list-traps) continue ;; esac
		grep -qF "\"$opt\"" "$conf" || missing="$missing $opt"
	done
	[ -z "$missing" ]
	ok $? "$prog: every option of --help is in contrib/icinga2/$prog.conf${missing:+ (missing:$missing)}"
done
done_testing
