#!/bin/bash
# check_smtp_relay_path on MX sets a sending Postfix walks in its own way:
# an MX target that is an IP address literal, and nolisting (a lowest
# preference that refuses on purpose, --expect-refuse).  Each test
# asserts the exit code and the text.
. "${top_srcdir:-.}/t/tap.sh"
lab_required

P=check_smtp_relay_path
S="-s $LAB_RESOLVER"

# ---- an IP-literal MX target: Postfix delivers to the address -----------
run $P -D literal.dom.test $S
expect_rc 1 "literal MX: WARNING, not CRITICAL"
expect_out '^SMTP RELAY PATH WARNING - MX target 127\.0\.25\.1 is an IP address literal, not a host name \(RFC 5321 section 5\.1\): walked as Postfix does, but some senders \(Exim by default\) refuse it; <postmaster@literal\.dom\.test> accepted by MX \[127\.0\.25\.1\]:25 \(preference 10\): 250 2\.1\.5 Ok\|' \
	"literal MX: the headline says why, the walk reached the address"
expect_out "'hosts_tried'=1" "literal MX: the address was tried"
run $P -D literal.dom.test $S -6
expect_rc 2 "literal MX with -6: CRITICAL (an IPv4 literal is excluded)"
expect_text "MX 127.0.25.1 (preference 10): not probed: address family excluded by -4/-6" \
	"literal MX with -6: says why it was not tried"
run $P -D literal.dom.test $S --all
expect_rc 1 "literal MX, --all: WARNING"
expect_text "1 of 1 MX addresses accept" "literal MX, --all: the address accepts"
done_testing
