#!/bin/bash
# check_dnsbl_sender and blocklists as production uses them, against the
# lab: Spamhaus DQS (the fake tree dq.dnsbl.test, keys labdqskey0 and
# badkey0), host names checked as their registered domains (Public Suffix
# List), the test point cache, and the wording after a listing.
. "${top_srcdir:-.}/t/tap.sh"

lab_required

P=check_dnsbl_sender
S="-s $LAB_RESOLVER"
DQS="--dqs-suffix dq.dnsbl.test"
KEY=LabDqsKey0

# --- Spamhaus DQS --------------------------------------------------------
run $P -H 203.0.113.2 -l zen.spamhaus.org --dqs-key $KEY $DQS $S -vv
expect_rc 2 "DQS: listed on zen through the key"
expect_out '^DNSBL SENDER CRITICAL - score 1: 203\.0\.113\.2 on zen\.spamhaus\.org \(127\.0\.0\.2 SBL, 127\.0\.0\.4 XBL\)\|' \
	"DQS: the zone shown as given, the codes' meaning"
expect_text "2.113.0.203.<key>.zen.dq.dnsbl.test: NOERROR" "DQS: -vv shows the query with the key masked"
expect_no_out "LabDqsKey0" "DQS: the key is never printed"
expect_no_out "labdqskey0" "DQS: the key is never printed (lower case)"

run $P -S bad.dom.test --no-spf -d dbl.spamhaus.org --dqs-key $KEY $DQS $S
expect_rc 2 "DQS: a domain on DBL through the key"
expect_text "bad.dom.test listed on dbl.spamhaus.org (127.0.1.2 spam domain)" "DQS: DBL listing"

# an invalid key: 127.255.255.250 on every query, a list error, never a listing
run $P -H 203.0.113.2 -l zen.spamhaus.org -d dbl.spamhaus.org -S bad.dom.test --no-spf \
	--dqs-key badkey0 $DQS $S
expect_rc 1 "DQS: an invalid key is an error (WARNING), never a listing"
expect_out '^DNSBL SENDER WARNING - no listing found for 1 address and 1 domain on 2 list\(s\), 3 error\(s\)\|' \
	"DQS: invalid key: not called clean"
expect_text "203.0.113.2 on zen.spamhaus.org: list error 127.255.255.250, not a listing: the DQS key is invalid or not registered" \
	"DQS: the invalid-key code explained"
expect_out "listed=0;" "DQS: no listing counted"
expect_no_out "badkey0" "DQS: the invalid key is not printed either"
run $P -H 203.0.113.2 -l zen.spamhaus.org --dqs-key badkey0 $DQS --selftest $S
expect_rc 1 "DQS: invalid key with --selftest: the list is broken"
expect_text "list zen.spamhaus.org is broken (RFC 5782 section 5): control 2.0.0.127.<key>.zen.dq.dnsbl.test is not listed (list error 127.255.255.250)" \
	"DQS: broken list named with the key masked"

# the key from --extra-opts, as it should be kept
ini=$(mktemp)
printf '[dqs]\ndqs-key = %s\ndqs-suffix = dq.dnsbl.test\n' "$KEY" >"$ini"
run $P --extra-opts="dqs@$ini" -H 203.0.113.2 -l zen.spamhaus.org $S
expect_rc 2 "DQS: the key read through --extra-opts"
expect_no_out "labdqskey0" "DQS: --extra-opts key not printed"
# non-Spamhaus lists are asked as they are
run $P -H 203.0.113.2 -l zen.dnsbl.test --dqs-key $KEY $DQS $S -vv
expect_rc 2 "DQS: another list untouched"
expect_text "2.113.0.203.zen.dnsbl.test: NOERROR" "DQS: non-Spamhaus zone asked as given"

# bad input: UNKNOWN, one line, the key never echoed
run $P -H 203.0.113.2 -l zen.spamhaus.org --dqs-key 'bad key!x9' $S
expect_rc 3 "DQS: a bad key is a usage error"
expect_out '^DNSBL SENDER UNKNOWN - invalid --dqs-key: expected letters and digits only$' "DQS: bad key named, not echoed"
expect_lines 1 "DQS: bad key: one line"
run $P -H 203.0.113.2 -l zen.spamhaus.org --dqs-suffix dq.dnsbl.test $S
expect_rc 3 "DQS: a suffix without a key"
expect_out "^DNSBL SENDER UNKNOWN - --dqs-suffix 'dq.dnsbl.test' without --dqs-key$" "DQS: suffix without key named"
run $P -H 203.0.113.2 -l zen.spamhaus.org --dqs-key $KEY --dqs-suffix 'a..b' $S
expect_rc 3 "DQS: a bad suffix"
expect_out "^DNSBL SENDER UNKNOWN - invalid --dqs-suffix 'a..b'" "DQS: bad suffix named"
expect_no_out "labdqskey0" "DQS: bad suffix: the key not echoed"

# --- registered domains (Public Suffix List) -----------------------------
# DBL lists host names and registered domains: both asked
run $P -S www.spamreg.test --no-spf -d dbl.dnsbl.test $S -vv
expect_rc 2 "registered domain: www.spamreg.test listed as spamreg.test on a DBL-style list"
expect_text "www.spamreg.test (as spamreg.test) listed on dbl.dnsbl.test (127.0.1.2 spam domain)" \
	"registered domain: the listing names both"
expect_text "www.spamreg.test.dbl.dnsbl.test: NXDOMAIN" "registered domain: DBL asked for the host name too"
expect_out "score=1;" "registered domain: counted once"
# URIBL lists registered domains only: the host name itself is never asked
run $P -S host.hostonly.test --no-spf -d multi.uribl.dnsbl.test -vv $S
expect_rc 0 "registered domain: URIBL-style list asked for hostonly.test only"
expect_no_out "host\.hostonly\.test\.multi" "registered domain: URIBL never asked for the host name"
expect_text "hostonly.test.multi.uribl.dnsbl.test: NXDOMAIN" "registered domain: URIBL asked for the registered domain"
run $P -S host.hostonly.test --no-spf -d dbl.dnsbl.test $S
expect_rc 2 "registered domain: a host name DBL lists"
expect_text "host.hostonly.test listed on dbl.dnsbl.test" "registered domain: the host's own listing"
# the name and its registered domain both listed: one listing, weight once
run $P -S www.spamreg.test --no-spf -d multi.uribl.dnsbl.test -d 'dbl.dnsbl.test*3' -w 3 -c 5 $S
expect_rc 1 "registered domain: weights 1 + 3 against -w 3 -c 5"
expect_out "score=4;3;5" "registered domain: each list once"
expect_text "www.spamreg.test (from -S): listed on 2 of 2 list(s)" "registered domain: per-target line"

# --- wording after a listing ---------------------------------------------
run $P -H 203.0.113.2 -l zen.dnsbl.test -l l01.dnsbl.test -l l10.dnsbl.test $S
expect_rc 2 "wording: listed on two of three"
expect_text "203.0.113.2 (from -H): listed on 2 of 3 list(s), clean on l01.dnsbl.test" \
	"wording: listed on N of M, and where clean"
expect_no_out "clean on none" "wording: no 'clean on none' after a listing"

# --- the test point cache ------------------------------------------------
cache=$(mktemp -d)
run $P -H 203.0.113.5 -l zen.dnsbl.test -l l01.dnsbl.test --selftest --cache-dir "$cache" -vv $S
expect_rc 0 "cache: first run asks the test points"
expect_text "2.0.0.127.zen.dnsbl.test: NOERROR, 3 A record(s) (" "cache: first run: asked"
[ -f "$cache/dnsbl-testpoints.cache" ]
ok $? "cache: written"
[ "$(stat -c %a "$cache/dnsbl-testpoints.cache")" = 600 ]
ok $? "cache: only ours to read"
run $P -H 203.0.113.5 -l zen.dnsbl.test -l l01.dnsbl.test --selftest --cache-dir "$cache" -vv $S
expect_rc 0 "cache: second run"
expect_text "2.0.0.127.zen.dnsbl.test: NOERROR, 3 A record(s) (cached)" "cache: positive test point from the cache"
expect_text "1.0.0.127.l01.dnsbl.test: NXDOMAIN, 0 A record(s) (cached)" "cache: negative test point from the cache"
expect_text "5.113.0.203.zen.dnsbl.test: NXDOMAIN, 0 A record(s) (" "cache: the sender is always asked"
# a broken list is not cached: asked again next time, still broken
run $P -H 203.0.113.5 -l empty.dnsbl.test --cache-dir "$cache" $S
expect_rc 1 "cache: a list failing its test point"
run $P -H 203.0.113.5 -l empty.dnsbl.test --cache-dir "$cache" -vv $S
expect_text "list empty.dnsbl.test is broken" "cache: a failing test point is asked again"
expect_no_out "2.0.0.127.empty.dnsbl.test: .*cached" "cache: never from the cache"
# a bad cache file is ignored
printf 'garbage\n' >"$cache/dnsbl-testpoints.cache"
run $P -H 203.0.113.5 -l zen.dnsbl.test --cache-dir "$cache" -vv $S
expect_rc 0 "cache: a bad file is ignored"
expect_no_out "cached" "cache: nothing taken from a bad file"
# a directory others may write is not used
chmod 777 "$cache"
run $P -H 203.0.113.5 -l zen.dnsbl.test --cache-dir "$cache" -v $S
expect_rc 0 "cache: an unsafe directory does not fail the check"
expect_text "--cache-dir $cache not used: not a directory of ours that only we can write" "cache: unsafe directory named"
run $P -H 203.0.113.5 -l zen.dnsbl.test --cache-dir /nonexistent/dir $S
expect_rc 0 "cache: a missing directory does not fail the check"

rm -rf "$cache" "$ini"
done_testing
