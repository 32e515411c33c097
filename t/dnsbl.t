#!/bin/bash
# check_dnsbl_sender against the lab: rbldnsd lists under dnsbl.test,
# SPF records under spf.test, Unbound at 127.0.53.53.  Every answer kind
# (listed, clean, list error, DNS failure, broken list), filters, masks,
# weights, SPF expansion and its limits, the deadline, and bad input.
. "${top_srcdir:-.}/t/tap.sh"

lab_required

P=check_dnsbl_sender
S="-s $LAB_RESOLVER"

# Bad input: UNKNOWN and one line naming option and value.
bad() {
	# bad DESCRIPTION EXPECTED-TEXT ARGS...
	local desc=$1 text=$2
	shift 2
	run $P "$@"
	expect_rc 3 "$desc"
	expect_text "DNSBL SENDER UNKNOWN - $text" "$desc: message"
	expect_lines 1 "$desc: one line"
}
bad "bad IP" "invalid -H '1.2.3'" -H 1.2.3 -l zen.dnsbl.test $S
bad "bad host" "invalid -H 'a b'" -H 'a b' -l zen.dnsbl.test $S
bad "bad zone" "invalid --list 'bad..zone': bad zone" \
	-H 203.0.113.2 -l bad..zone $S
bad "one-label zone" "invalid --list 'zen'" -H 203.0.113.2 -l zen $S
bad "bad filter" "invalid --list 'zen.dnsbl.test=127.0.0.[2..x]': bad filter" \
	-H 203.0.113.2 -l 'zen.dnsbl.test=127.0.0.[2..x]' $S
bad "short filter" "invalid --domain-list 'dbl.dnsbl.test=127.0.1': bad filter" \
	-S x.test -d 'dbl.dnsbl.test=127.0.1' $S
bad "bad mask" "invalid --list 'bits.dnsbl.test&0': bad mask" \
	-H 203.0.113.2 -l 'bits.dnsbl.test&0' $S
bad "bad weight" "invalid --list 'zen.dnsbl.test*x': bad weight 'x'" \
	-H 203.0.113.2 -l 'zen.dnsbl.test*x' $S
bad "weight out of range" "invalid --list 'zen.dnsbl.test*5000': bad weight '5000'" \
	-H 203.0.113.2 -l 'zen.dnsbl.test*5000' $S
bad "unreadable list file" "cannot read list file '/nonexistent/dnsbl.lists'" \
	-H 203.0.113.2 -L /nonexistent/dnsbl.lists $S
tmp=$(mktemp)
printf 'ip zen.dnsbl.test\nbogus l01.dnsbl.test\n' >"$tmp"
bad "list file with a bad line" "list file '$tmp' line 2: expected 'ip' or 'domain'" \
	-H 203.0.113.2 -L "$tmp" $S
printf 'ip zen.dnsbl.test=127.0.0.[2..\n' >"$tmp"
bad "list file with a bad spec" "list file '$tmp' line 1: invalid list (bad filter)" \
	-H 203.0.113.2 -L "$tmp" $S
expect_no_out "127\.0\.0\.\[2" "list file with a bad spec: its content not echoed"
printf 'ip zen.dnsbl.test\nsecret-token-xyz l01.dnsbl.test\n' >"$tmp"
bad "list file, bad kind word" "list file '$tmp' line 2: expected 'ip' or 'domain'" \
	-H 203.0.113.2 -L "$tmp" $S
expect_no_out "secret-token" "list file, bad kind word: its content not echoed"
printf 'ip zen.dnsbl.test*secret99\n' >"$tmp"
bad "list file, bad weight" "list file '$tmp' line 1: invalid list (bad weight)" \
	-H 203.0.113.2 -L "$tmp" $S
expect_no_out "secret99" "list file, bad weight: its content not echoed"
bad "directory as list file" "list file '/tmp' is not a regular file" \
	-H 203.0.113.2 -L /tmp $S
fifo=$(mktemp -u)
mkfifo "$fifo"
bad "FIFO as list file: refused, never waited on" "list file '$fifo' is not a regular file" \
	-H 203.0.113.2 -L "$fifo" $S
rm -f "$fifo"
bad "no target" "nothing to check" -l zen.dnsbl.test $S
bad "bad -S" "invalid -S 'a..b'" -S a..b -l zen.dnsbl.test $S
bad "bad --error-result" "invalid --error-result 'maybe'" \
	-H 203.0.113.2 -l zen.dnsbl.test --error-result maybe $S
bad "bad --max-addresses" "invalid --max-addresses '0'" \
	-S cidr.spf.test -l zen.dnsbl.test --max-addresses 0 $S

# listed, with the codes' meaning and the TXT reasons (fetched with A)
run $P -H 203.0.113.2 -l zen.dnsbl.test $S
expect_rc 2 "listed on zen"
expect_out '^DNSBL SENDER CRITICAL - score 1: 203\.0\.113\.2 on zen\.dnsbl\.test \(127\.0\.0\.2 SBL, 127\.0\.0\.4 XBL\)\|' \
	"summary names the address, list and every code"
expect_text "Listed in the lab SBL" "TXT reason of the SBL listing"
expect_text "Listed in the lab XBL" "TXT reason of the XBL listing"
expect_out "listed=1;;;0 score=1;;~:0 addresses=1;;;0 lists=1;;;0 errors=0;;;0 time=[0-9.]+s;;;0$" \
	"perfdata listed score addresses lists errors time"
expect_text "203.0.113.2 (from -H): listed on 1 of 1 list(s)" \
	"per-address line: listed everywhere it was asked"
expect_no_out "clean on none" "a listed address is not called clean"

run $P -H 203.0.113.2 -l zen.dnsbl.test --no-txt $S
expect_rc 2 "listed without TXT"
expect_no_out "Listed in the lab" "--no-txt asks for no reason"

# clean
run $P -H 198.51.100.5 -l zen.dnsbl.test -l l01.dnsbl.test $S
expect_rc 0 "clean address"
expect_out '^DNSBL SENDER OK - 1 address not listed on 2 list\(s\)\|' "clean summary"
expect_text "198.51.100.5 (from -H): clean on 2 of 2 list(s): zen.dnsbl.test, l01.dnsbl.test" \
	"clean lists named per address"

# list errors: never listings
run $P -H 203.0.113.2 -l refused.dnsbl.test $S
expect_rc 1 "127.255.255.254 is an error (WARNING by default)"
expect_text "list error 127.255.255.254, not a listing: query refused: use your own resolver" \
	"127.255.255.254 explained"
expect_out "listed=0;.* errors=1;" "counted as an error, not a listing"
run $P -H 203.0.113.2 -l dblerr.dnsbl.test --error-result critical $S
expect_rc 2 "--error-result critical"
expect_text "list error 127.0.1.255, not a listing" "127.0.1.255 is an error"
run $P -H 203.0.113.2 -l parked.dnsbl.test --error-result ok $S
expect_rc 0 "--error-result ok"
expect_text "list error 198.51.100.117, not a listing: an answer outside 127.0.0.0/8" \
	"an answer outside 127/8 is an error"

# bitmask list and domain list
run $P -S spam-domain.test --no-spf -d 'bits.dnsbl.test&8' $S
expect_rc 2 "bitmask: bit 8 set in 127.0.0.72"
expect_text "spam-domain.test on bits.dnsbl.test (127.0.0.72)" "bitmask listing"
run $P -S spam-domain.test --no-spf -d 'bits.dnsbl.test&16' $S
expect_rc 0 "bitmask: bit 16 not set"
expect_out '^DNSBL SENDER OK - 1 domain not listed' "mask mismatch is not a listing"
run $P -S blocked.test --no-spf -d 'bits.dnsbl.test&255' $S
expect_rc 1 "bitmask list answering 127.0.0.1"
expect_text "list error 127.0.0.1, not a listing: query blocked" \
	"127.0.0.1 on a bitmask list is an error"
run $P -S bad.dom.test --no-spf -d dbl.dnsbl.test $S
expect_rc 2 "domain list"
expect_text "bad.dom.test on dbl.dnsbl.test (127.0.1.2 spam domain)" \
	"domain listing with its meaning"
run $P -H bad.dom.test -d dbl.dnsbl.test $S
expect_rc 2 "-H host name checked on domain lists"
expect_text "bad.dom.test listed on dbl.dnsbl.test" "host name on the domain list"

# IPv6
run $P -H 2001:db8::2 -l v6.dnsbl.test $S
expect_rc 2 "IPv6 address listed"
expect_text "2001:db8::2 on v6.dnsbl.test (127.0.0.2)" "IPv6 nibble query"
run $P -H 2001:db8::3 -l v6.dnsbl.test $S
expect_rc 0 "IPv6 address clean"
expect_text "2001:db8::3 (from -H): clean on 1 of 1" "IPv6 clean"
run $P -H ::ffff:203.0.113.2 -l zen.dnsbl.test $S
expect_rc 2 "IPv4-mapped address queried as IPv4"
expect_text "203.0.113.2 on zen.dnsbl.test" "mapped address shown as IPv4"

# filters and weights (postscreen: each entry counts once)
run $P -H 203.0.113.2 -l 'zen.dnsbl.test=127.0.0.10' $S
expect_rc 0 "filter not matching"
expect_out '^DNSBL SENDER OK - ' "unmatched code is not a listing"
run $P -H 203.0.113.2 -l 'zen.dnsbl.test=127.0.0.[2..11]*3' -c 5 -w 2 $S
expect_rc 1 "weight 3 against -w 2 -c 5"
expect_out "score=3;2;5" "score 3 with thresholds in perfdata"
run $P -H 203.0.113.2 -l 'zen.dnsbl.test=127.0.0.2*2' -l 'zen.dnsbl.test=127.0.0.4*3' \
	-l 'zen.dnsbl.test=127.0.0.10*5' -w 4 -c 10 $S
expect_rc 1 "same zone, several filters: 2 + 3"
expect_out "^DNSBL SENDER WARNING - score 5: " "summary score 5"
expect_out "listed=2;" "two entries matched"
run $P -H 203.0.113.2 -l zen.dnsbl.test -l 'l01.dnsbl.test=127.0.0.2*-1' $S
expect_out "score=" "allow-list score printed"
# an address named with -H is checked even when special-purpose: 127.0.0.2
# is the RFC 5782 test point, how an admin tests a list
run $P -H 127.0.0.2 -l zen.dnsbl.test $S
expect_rc 2 "-H 127.0.0.2 is checked: the test point is listed"
expect_out '^DNSBL SENDER CRITICAL - score 1: 127\.0\.0\.2 on zen\.dnsbl\.test ' \
	"the test point's listing in the summary"
expect_no_out "skipped 127\.0\.0\.2" "a named address is not skipped"
run $P -H 127.0.0.1 -l zen.dnsbl.test $S
expect_rc 0 "-H 127.0.0.1 is checked: the negative test point is clean"
expect_out '^DNSBL SENDER OK - 1 address not listed on 1 list\(s\)' "clean on zen"
# a host name whose only address is loopback: discovered, so skipped, and
# nothing is left to check
run $P -H accept.hosts.test -l zen.dnsbl.test $S
expect_rc 3 "-H host with only a loopback address: nothing was checked"
expect_out '^DNSBL SENDER UNKNOWN - nothing was checked: no address to ask the IP list\(s\) about \(every address found is special-purpose\), no domain list for 1 domain\(s\)$' \
	"says why nothing was checked"
expect_text "skipped 127.0.25.1 (loopback address) from -H accept.hosts.test: not a public sender" \
	"the skipped address named with the reason"
# the same list twice, by -l and -L: asked and counted once
printf 'ip zen.dnsbl.test\n' >"$tmp"
run $P -H 203.0.113.2 -l zen.dnsbl.test -l zen.dnsbl.test -L "$tmp" $S
expect_rc 2 "a list given three times"
expect_out "score=1;" "counted once"
expect_out "lists=1;" "one list"
expect_lines 3 "one listing line, one target line"
# a list zone that lists nothing (or does not exist: NXDOMAIN for all) is
# found out in the same round by the RFC 5782 test point, without --selftest
run $P -H 203.0.113.2 -l empty.dnsbl.test $S
expect_rc 1 "a list that lists nothing is a list error, not clean"
expect_out '^DNSBL SENDER WARNING - no listing found for 1 address on 1 list\(s\), 1 error\(s\)\|' \
	"the summary does not claim clean"
expect_text "list empty.dnsbl.test is broken (RFC 5782 section 5): control 2.0.0.127.empty.dnsbl.test is not listed (NXDOMAIN): the zone does not exist, is lame or lists nothing" \
	"the dead zone named"
run $P -H 203.0.113.2 -l empty.dnsbl.test --error-result critical $S
expect_rc 2 "--error-result applies to a dead zone"
run $P -S x.dom.test --no-spf -d empty.dnsbl.test $S
expect_rc 1 "a domain list that lists nothing"
expect_text "control test.empty.dnsbl.test is not listed (NXDOMAIN)" "its test point named"
run $P -S world.allow.test --no-spf -d 'dbl.dnsbl.test' -H 203.0.113.2 \
	-l 'zen.dnsbl.test=127.0.0.[2..11]*-5' $S
expect_rc 0 "negative weight: an allow-list listing lowers the score"
expect_out "score=-5;;~:0" "score -5"
expect_text "203.0.113.2 allow-listed on zen.dnsbl.test" "allow-list line"

# selftest: RFC 5782 §5 controls
run $P -H 203.0.113.2 -l world.dnsbl.test -l empty.dnsbl.test -l zen.dnsbl.test --selftest $S
expect_rc 2 "selftest: zen still listed"
expect_text "list world.dnsbl.test is broken (RFC 5782 section 5): control 1.0.0.127.world.dnsbl.test is listed" \
	"world lists 127.0.0.1: broken"
expect_text "list empty.dnsbl.test is broken (RFC 5782 section 5): control 2.0.0.127.empty.dnsbl.test is not listed" \
	"empty does not list 127.0.0.2: broken"
expect_out "errors=2;" "broken lists count as errors"
run $P -H 203.0.113.100 -l zen.dnsbl.test -l l01.dnsbl.test -d dbl.dnsbl.test -S x.dom.test --no-spf --selftest $S
expect_rc 0 "selftest passes on healthy lists"
expect_no_out "broken" "no list broken"
run $P -H 2001:db8::3 -l v6.dnsbl.test --selftest -vv $S
expect_rc 0 "IPv6 control passes on the v6 list"
expect_text "2.0.0.0.0.0.f.7.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.v6.dnsbl.test: NOERROR" \
	"::FFFF:7F00:2 queried as 32 nibbles"

# SPF expansion
run $P -S include.spf.test -l l01.dnsbl.test $S
expect_rc 0 "nested include"
expect_text "198.51.100.11 (from SPF deep.spf.test ip4:198.51.100.11)" "deep include followed"
expect_text "2001:db8::7 (from SPF ip.spf.test ip6:2001:db8::7)" "ip6 from include"
run $P -S redirect.spf.test -l l01.dnsbl.test $S
expect_rc 0 "redirect"
expect_text "203.0.113.7 (from SPF ip.spf.test ip4:203.0.113.7)" "redirect followed"
run $P -S a.spf.test -l l01.dnsbl.test $S
expect_rc 0 "a and mx"
expect_text "203.0.113.8 (from SPF a.spf.test a)" "a mechanism"
expect_text "2001:db8::9 (from SPF a.spf.test mx (MX mail.a.spf.test))" "mx mechanism, AAAA"
run $P -S toomany.spf.test -l l01.dnsbl.test $S
expect_rc 1 "too many lookups"
expect_text "more than 10 DNS-querying terms" "limit of 10 reported"
expect_out "addresses=10;" "the first ten includes still checked"
run $P -S loop.spf.test -l l01.dnsbl.test $S
expect_rc 3 "include loop: nothing was checked"
expect_out '^DNSBL SENDER UNKNOWN - nothing was checked: ' "include loop: why"
expect_text "SPF permerror for receivers: loop:" "loop reported"
run $P -S void.spf.test -l l01.dnsbl.test $S
expect_rc 3 "void lookups: nothing was checked"
expect_text "more than 2 void lookups" "void limit reported"
run $P -S cidr.spf.test -l l01.dnsbl.test $S
expect_rc 0 "cidr over --max-addresses"
expect_text "not expanded: 198.51.100.0/24" "the /24 is reported, not expanded"
expect_out "addresses=1;" "only the single address checked"
run $P -S cidr.spf.test -l l01.dnsbl.test --max-addresses 300 $S
expect_rc 0 "cidr within --max-addresses"
expect_out "addresses=257;" "the /24 expanded"
run $P -S private.spf.test -l l01.dnsbl.test $S
expect_rc 0 "private addresses skipped"
expect_text "skipped 10.1.2.3 (private-use address) from SPF private.spf.test" "10/8 skipped"
expect_text "skipped 127.0.0.5 (loopback address)" "127/8 skipped"
run $P -S special-only.spf.test -l l01.dnsbl.test -d dbl.dnsbl.test --no-txt $S
expect_rc 0 "SPF with only special addresses, a domain list: the domain is checked"
run $P -S special-only.spf.test -l l01.dnsbl.test $S
expect_rc 3 "SPF with only special-purpose addresses: nothing was checked"
expect_out '^DNSBL SENDER UNKNOWN - nothing was checked: no address to ask the IP list\(s\) about \(every address found is special-purpose\), no domain list for 1 domain\(s\)$' \
	"never OK - 0 addresses not listed"
expect_text "skipped fd00::5 (unique-local address) from SPF special-only.spf.test ip6:fd00::5: not a public sender" \
	"each skipped address named with the reason"
run $P -S user@nospf.spf.test -l l01.dnsbl.test $S
expect_rc 3 "no SPF record and no domain list: nothing was checked"
expect_out '^DNSBL SENDER UNKNOWN - nothing was checked: no address to ask the IP list\(s\) about, no domain list for 1 domain\(s\)$' \
	"never OK - 0 addresses not listed"
expect_text "nospf.spf.test publishes no SPF record: no sender addresses from SPF" "missing SPF named"
run $P -S listed.spf.test -l zen.dnsbl.test $S
expect_rc 2 "SPF address listed"
expect_text "203.0.113.2 on zen.dnsbl.test" "listing from SPF"
expect_text "(from SPF listed.spf.test ip4:203.0.113.2)" "origin of the address"
run $P -S a.spf.test --no-spf --include-a --include-mx -l l01.dnsbl.test $S
expect_rc 0 "--include-a --include-mx without SPF"
expect_text "203.0.113.8 (from A of a.spf.test)" "own address"
expect_text "203.0.113.9 (from MX mail.a.spf.test of a.spf.test)" "MX address"
run $P -S a.spf.test -4 -l l01.dnsbl.test $S
expect_no_out "2001:db8::9" "-4 checks IPv4 addresses only"

# silent list: the run ends by the deadline, the other results stand
start=$(date +%s)
run -T 15 $P -H 203.0.113.2 -l zen.dnsbl.test -l silent.dnsbl.test -t 3 $S
end=$(date +%s)
expect_rc 2 "silent list: zen listing still CRITICAL"
expect_text "203.0.113.2 on silent.dnsbl.test: DNS failure" "silent list reported as failed"
expect_text "203.0.113.2 on zen.dnsbl.test (127.0.0.2 SBL, 127.0.0.4 XBL)" "zen result kept"
[ $((end - start)) -le 4 ]
ok $? "ended by the 3 s deadline ($((end - start)) s)"
run -T 15 $P -H 198.51.100.5 -l zen.dnsbl.test -l silent.dnsbl.test -t 3 $S
# Unbound answers a timeout first, SERVFAIL once it remembers the failure:
# the timeout state (CRITICAL) or the error state (WARNING), never clean
[ "$RC" -eq 1 ] || [ "$RC" -eq 2 ]
ok $? "silent list alone: a failure is never clean (exit 1 or 2, got $RC)"
expect_out "errors=1;" "failure counted"

# the black hole itself as resolver: guaranteed timeouts
run -T 15 $P -H 203.0.113.2 -l zen.dnsbl.test -t 2 -s 127.0.54.9
expect_rc 2 "per-query timeout below the deadline: the timeout state, not clean"
expect_out '^DNSBL SENDER CRITICAL - no listing found for 1 address on 1 list\(s\), 1 error\(s\)\|' \
	"summary does not claim clean"
expect_text "203.0.113.2 on zen.dnsbl.test: DNS failure (timeout): neither listed nor clean" \
	"timeout named"
run -T 15 $P -S ip.spf.test -d dbl.dnsbl.test -t 2 --timeout-result warning -s 127.0.54.9
expect_rc 1 "deadline during the list queries: --timeout-result"
# ip.spf.test is asked as itself and as its registered domain spf.test
expect_text "deadline of 2s reached with 2 list query(ies) unanswered; the other results stand" \
	"deadline reported with what was pending"
expect_text "ip.spf.test on dbl.dnsbl.test: DNS failure (no answer by the deadline)" \
	"the unanswered pair named"
expect_text "SPF incomplete: SPF lookup of ip.spf.test: timeout" "SPF lookup timeout"
expect_out "time=2\.[0-9]+s" "ended at the deadline"

rm -f "$tmp"
done_testing
