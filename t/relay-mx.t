#!/bin/bash
# check_smtp_relay_path on MX sets a sending Postfix walks in its own way:
# an MX target that is an IP address literal, and nolisting (a lowest
# preference that refuses on purpose, --expect-refuse).  Each test
# asserts the exit code and the text.
. "${top_srcdir:-.}/t/tap.sh"
lab_required

P=check_smtp_relay_path
S="-s $LAB_RESOLVER"

# ---- a null MX beside other records: Postfix bounces ---------------------
run $P -D nullmix.dom.test $S
expect_rc 2 "null MX mixed with others: CRITICAL, as Postfix bounces"
expect_out '^SMTP RELAY PATH CRITICAL - <postmaster@nullmix\.dom\.test>: domain accepts no mail \(null MX mixed with other MX records\)' \
	"null MX mixed: the headline"
expect_text "nullmix.dom.test mixes a null MX with other MX records (RFC 7505 section 3 forbids it): senders that honour the null MX, Postfix among them, bounce; the other records were not tried" \
	"null MX mixed: says why"
expect_no_out "accepted by" "null MX mixed: the other records are not walked"

# ---- an IP-literal MX target: Postfix delivers to the address -----------
run $P -D literal.dom.test $S
expect_rc 1 "literal MX: WARNING, not CRITICAL"
expect_out '^SMTP RELAY PATH WARNING - MX target 127\.0\.25\.1 is an IP address literal, not a host name \(RFC 5321 section 5\.1\): walked as Postfix does, but some senders \(Exim by default\) refuse it\.\.\.\|' \
	"literal MX: the headline says why (cut under 200 characters)"
expect_text "refuse it, <postmaster@literal.dom.test> accepted by MX [127.0.25.1]:25 (preference 10): 250 2.1.5 Ok" \
	"literal MX: the whole summary in the long output, the walk reached the address"
expect_out "hosts_tried=1" "literal MX: the address was tried"
run $P -D literal.dom.test $S -6
expect_rc 2 "literal MX with -6: CRITICAL (an IPv4 literal is excluded)"
expect_text "MX 127.0.25.1 (preference 10): not probed: address family excluded by -4/-6" \
	"literal MX with -6: says why it was not tried"
run $P -D literal.dom.test $S --all
expect_rc 1 "literal MX, --all: WARNING"
expect_text "1 of 1 MX addresses accept" "literal MX, --all: the address accepts"
# ---- nolisting: a lowest preference that refuses on purpose -------------
run $P -D nolisting.dom.test $S
expect_rc 1 "nolisting without --expect-refuse: WARNING (only the backup accepts)"
expect_text "accepted only by the backup MX accept.hosts.test[127.0.25.1]:25 (preference 20)" \
	"nolisting without --expect-refuse: the backup"
run $P -D nolisting.dom.test $S --expect-refuse 'nolist*.hosts.test'
expect_rc 0 "nolisting, the dummy refuses as expected: OK"
expect_out '^SMTP RELAY PATH OK - <postmaster@nolisting\.dom\.test> accepted by MX accept\.hosts\.test\[127\.0\.25\.1\]:25 \(preference 20\): 250 2\.1\.5 Ok\|' \
	"nolisting: accepted by the preference after the dummy, not called a backup"
expect_text "MX nolist.hosts.test[127.0.27.2]:25 (preference 10): refused as expected (--expect-refuse 'nolist*.hosts.test': nolisting)" \
	"nolisting: the refusal is named"
expect_out "hosts_tried=2" "nolisting: both preferences tried, as a real MTA does"
run $P -D nolisting.dom.test $S --expect-refuse 'other*.test' --expect-refuse 'NOLIST.hosts.test'
expect_rc 0 "nolisting, repeatable and case-insensitive globs: OK"
run $P -D nolisting-open.dom.test $S --expect-refuse 'nolist*.hosts.test'
expect_rc 1 "nolisting, the dummy accepts: WARNING"
expect_out "^SMTP RELAY PATH WARNING - nolist-open\.hosts\.test is meant to refuse \(--expect-refuse 'nolist\*\.hosts\.test'\) but accepted the recipient: nolisting is not in place" \
	"nolisting, the dummy accepts: the headline says so"
run $P -D nolisting.dom.test $S --expect-refuse 'nolist*.hosts.test' --all
expect_rc 0 "nolisting --all: OK (the dummy is not counted as a real host)"
expect_text "1 of 1 MX addresses accept" "nolisting --all: the real host accepts"
run $P -D nolisting-open.dom.test $S --expect-refuse 'nolist*.hosts.test' --all
expect_rc 1 "nolisting-open --all: WARNING"
expect_text "nolist-open.hosts.test is meant to refuse" "nolisting-open --all: named"
run $P -D fallback-refused.dom.test $S --expect-refuse 'nolist*.hosts.test'
expect_rc 1 "a refusing host that is not meant to: still WARNING"
run $P -D single.dom.test $S --expect-refuse ''
expect_rc 3 "--expect-refuse '': UNKNOWN"
expect_out "^SMTP RELAY PATH UNKNOWN - invalid --expect-refuse '': " "--expect-refuse '': names option and value"
expect_lines 1 "--expect-refuse '': one line"

done_testing
