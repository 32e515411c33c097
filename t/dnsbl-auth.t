#!/bin/bash
# check_dnsbl_sender --auth against the lab: FCrDNS of the sending
# addresses (PTR zones 113.0.203.in-addr.arpa and 2001:db8:a::/48), SPF
# evaluated per address, DMARC and DKIM records of the sender domains
# under auth.test and orgdmarc.test (t/lab/templates/auth.test.zone).
# Every finding, its state, its line and its perfdata count; bad input.
. "${top_srcdir:-.}/t/tap.sh"

lab_required

P=check_dnsbl_sender
L="DNSBL SENDER"
# one clean list: the states below come from --auth alone; --no-spf
# keeps the list side to the -H addresses
S="-s $LAB_RESOLVER -l zen.dnsbl.test"
A="-H 203.0.113.200 --auth $S --no-spf"

# ---- bad input: UNKNOWN and one line naming option and value ------------
expect_usage "$L" "selector without --auth" "--dkim-selector 's1' needs --auth" \
	$P -H 203.0.113.200 -S pass.auth.test --dkim-selector s1 $S
expect_usage "$L" "selector without -S" "--dkim-selector 's1' needs -S" \
	$P -H 203.0.113.200 --auth --dkim-selector s1 $S
expect_usage "$L" "bad selector" "invalid --dkim-selector 'a b'" \
	$P -S pass.auth.test --auth --dkim-selector 'a b' $S
expect_usage "$L" "selector with a newline" "invalid --dkim-selector 'a" \
	$P -S pass.auth.test --auth --dkim-selector "$(printf 'a\nb')" $S
many=
for i in $(seq 1 17); do many="$many --dkim-selector s$i"; done
# shellcheck disable=SC2086
expect_usage "$L" "too many selectors" "too many --dkim-selector options (at most 16)" \
	$P -S pass.auth.test --auth $many $S

# ---- without --auth the output is what it was ----------------------------
run $P -H 203.0.113.201 $S
expect_rc 0 "no --auth: no sender checks"
expect_no_out "fcrdns|FCrDNS|DMARC|sender checks" "no --auth: no auth line or perfdata"

# ---- everything in order: OK ----------------------------------------------
run $P $A -S pass.auth.test --dkim-selector s2048 --dkim-selector ed
expect_rc 0 "a sender in good standing"
expect_out "^$L OK - 1 address not listed on 1 list\(s\)\|" "OK summary, no sender problem"
expect_out "fcrdns_fail=0;;;0 spf_fail=0;;;0 dmarc_fail=0;;;0 dkim_fail=0;;;0 auth_errors=0;;;0$" \
	"perfdata counts per finding class"
expect_text "203.0.113.200: FCrDNS pass (good.auth.test)" "FCrDNS pass names the name"
expect_text "203.0.113.200: SPF pass for pass.auth.test (ip4:203.0.113.200/29 in pass.auth.test)" \
	"SPF pass names the term"
expect_text "DMARC of pass.auth.test: p=reject at _dmarc.pass.auth.test" "DMARC policy named"
expect_text "DKIM key s2048._domainkey.pass.auth.test: rsa 2048 bits" "DKIM RSA key size"
expect_text "DKIM key ed._domainkey.pass.auth.test: ed25519 256 bits" "DKIM ed25519 key"

# ---- FCrDNS (RFC 8601 iprev) ----------------------------------------------
run $P --auth $S -H 203.0.113.200 -H 203.0.113.201 -H 203.0.113.202 \
	-H 203.0.113.203 -H 203.0.113.204 -H 2001:db8:a::200 -H 2001:db8:a::201
expect_rc 1 "FCrDNS problems are a WARNING"
expect_out "^$L WARNING - 7 addresses not listed on 1 list\(s\), sender checks: 4 FCrDNS problem\(s\)\|" \
	"summary counts the FCrDNS problems"
expect_out " fcrdns_fail=4;;;0 " "perfdata fcrdns_fail"
expect_text "203.0.113.201: no PTR record (FCrDNS fails: NXDOMAIN)" "missing PTR"
expect_text "203.0.113.202: FCrDNS mismatch: no PTR name resolves back to it (PTR wrong.auth.test -> 203.0.113.99)" \
	"mismatch names the PTR name and where it leads"
expect_text "203.0.113.203: FCrDNS mismatch: no PTR name resolves back to it (PTR noaddr.auth.test (NXDOMAIN))" \
	"PTR name without address"
expect_text "203.0.113.204: FCrDNS pass (good4.auth.test)" "two PTR names, the second leads back"
expect_text "2001:db8:a::200: FCrDNS pass (good6.auth.test)" "IPv6 FCrDNS pass (AAAA)"
expect_text "2001:db8:a::201: no PTR record (FCrDNS fails: NXDOMAIN)" "IPv6 missing PTR"
expect_no_out "^203\.0\.113\.200: no PTR|^203\.0\.113\.200: FCrDNS mismatch" "the good address is no finding"

# -H a host name: its addresses are the sending addresses
run $P --auth $S -H good.auth.test -H wrong.auth.test
expect_rc 1 "-H names: FCrDNS of their addresses"
expect_text "203.0.113.200: FCrDNS pass (good.auth.test)" "the name's address passes"
expect_text "203.0.113.99: no PTR record (FCrDNS fails: NXDOMAIN)" "the other name's address has no PTR"

# -S alone: the sending addresses are those its SPF record names
run $P -S pass.auth.test --auth $S --max-addresses 8
expect_rc 1 "-S alone: FCrDNS of the SPF addresses"
expect_text "203.0.113.205: no PTR record (FCrDNS fails: NXDOMAIN)" "an SPF address without PTR"
expect_text "203.0.113.200: FCrDNS pass (good.auth.test)" "an SPF address with FCrDNS"

# ---- SPF evaluation (RFC 7208 check_host) -------------------------------------
spf() {
	# spf DOMAIN RC TEXT DESCRIPTION
	run $P $A -S "$1"
	expect_rc "$2" "$4"
	expect_text "$3" "$4: line"
	if [ "$2" = 1 ]; then
		expect_out "sender checks: 1 SPF problem\(s\)\|" "$4: summary"
		expect_out " spf_fail=1;;;0 " "$4: perfdata spf_fail"
	fi
}
spf fail.auth.test 1 "203.0.113.200 is not authorised by the SPF record of fail.auth.test: fail (-all in fail.auth.test)" "SPF fail"
spf soft.auth.test 1 "203.0.113.200 is not authorised by the SPF record of soft.auth.test: softfail (~all in soft.auth.test)" "SPF softfail"
spf neutral.auth.test 1 "203.0.113.200 is not authorised by the SPF record of neutral.auth.test: neutral (?all in neutral.auth.test)" "SPF neutral"
spf plusall.auth.test 1 "SPF of plusall.auth.test authorises every address (+all in plusall.auth.test)" "SPF +all"
spf void.auth.test 1 "SPF permerror for void.auth.test: more than 2 void lookups (a:nx3.auth.test in void.auth.test)" "SPF void lookups"
spf toomany.auth.test 1 "SPF permerror for toomany.auth.test: more than 10 DNS-querying terms (include:i11.spf.test in toomany.auth.test)" "SPF over 10 lookups"
spf twospf.auth.test 1 "SPF permerror for twospf.auth.test: 2 SPF records (RFC 7208 section 4.5) (the record of twospf.auth.test)" "two SPF records"
spf badspf.auth.test 1 "SPF permerror for badspf.auth.test: bad term 'ip4:203.0.113.300'" "SPF syntax error"
spf nospf.auth.test 1 "SPF: nospf.auth.test publishes no SPF record" "no SPF record"
spf include.auth.test 0 "203.0.113.200: SPF pass for include.auth.test (include:pass.auth.test in include.auth.test)" "SPF pass through include"
spf mx.auth.test 0 "203.0.113.200: SPF pass for mx.auth.test (mx in mx.auth.test)" "SPF pass through mx"
spf ptr.auth.test 0 "203.0.113.200: SPF for ptr.auth.test not evaluated: ptr needs the client's validated names (ptr in ptr.auth.test)" "ptr: not evaluated, no alarm"
# the -H address that the record does list passes while another fails
run $P --auth $S --no-spf -H 203.0.113.200 -H 203.0.113.250 -S fail.auth.test
expect_rc 1 "one listed and one unlisted address"
expect_text "203.0.113.250: SPF pass for fail.auth.test (ip4:203.0.113.250 in fail.auth.test)" "listed address passes"
expect_text "203.0.113.200 is not authorised by the SPF record of fail.auth.test: fail" "unlisted address fails"

# ---- DMARC (RFC 7489) ----------------------------------------------------------
dmarc() {
	# dmarc DOMAIN RC TEXT DESCRIPTION
	run $P $A -S "$1"
	expect_rc "$2" "$4"
	expect_text "$3" "$4: line"
	if [ "$2" = 1 ]; then
		expect_out "sender checks: 1 DMARC problem\(s\)\|" "$4: summary"
		expect_out " dmarc_fail=1;;;0 " "$4: perfdata dmarc_fail"
	else
		expect_out " dmarc_fail=0;;;0 " "$4: perfdata dmarc_fail"
	fi
}
dmarc nodmarc.auth.test 1 "DMARC: no record for nodmarc.auth.test (none at _dmarc.nodmarc.auth.test, nor at its organizational domain)" "DMARC missing"
dmarc baddmarc.auth.test 1 "DMARC: malformed record at _dmarc.baddmarc.auth.test: p= is not none, quarantine or reject" "DMARC malformed"
dmarc twodmarc.auth.test 1 "DMARC: several records at _dmarc.twodmarc.auth.test: receivers apply none (RFC 7489 section 6.6.3)" "two DMARC records"
dmarc nonepolicy.auth.test 0 "DMARC of nonepolicy.auth.test: p=none (monitoring only: receivers apply no policy) at _dmarc.nonepolicy.auth.test" "p=none is informational"
dmarc sub.orgdmarc.test 0 "DMARC of sub.orgdmarc.test: p=quarantine at _dmarc.orgdmarc.test (the organizational domain)" "DMARC of the organizational domain"

# ---- DKIM keys (RFC 6376 3.6.1) ------------------------------------------------
dkim() {
	# dkim SELECTOR TEXT DESCRIPTION
	run $P $A -S pass.auth.test --dkim-selector "$1"
	expect_rc 1 "$3"
	expect_text "$2" "$3: line"
	expect_out "sender checks: 1 DKIM problem\(s\)\|" "$3: summary"
	expect_out " dkim_fail=1;;;0 " "$3: perfdata dkim_fail"
}
dkim short "DKIM: the key at short._domainkey.pass.auth.test is RSA 512 bits, under 1024 (RFC 8301 section 3.2)" "short RSA key"
dkim revoked "DKIM: the key at revoked._domainkey.pass.auth.test is revoked (empty p=, RFC 6376 section 3.6.1)" "empty p="
dkim bad "DKIM: malformed key record at bad._domainkey.pass.auth.test: p= is not base64" "malformed p="
dkim nokey "DKIM: malformed key record at nokey._domainkey.pass.auth.test: no p= tag" "no p= tag"
dkim nosuch "DKIM: no key at nosuch._domainkey.pass.auth.test (NXDOMAIN)" "missing key"
run $P $A -S pass.auth.test --dkim-selector s1024
expect_rc 0 "a 1024-bit key is no finding"
expect_text "DKIM key s1024._domainkey.pass.auth.test: rsa 1024 bits" "1024 bits named"

# all classes at once: the summary and the perfdata count each
run $P --auth $S --no-spf -H 203.0.113.201 -S nodmarc.auth.test --dkim-selector nosuch
expect_rc 1 "several classes"
expect_out "sender checks: 1 FCrDNS, 1 DMARC, 1 DKIM problem\(s\)\|" "summary names each class"
expect_out "fcrdns_fail=1;;;0 spf_fail=0;;;0 dmarc_fail=1;;;0 dkim_fail=1;;;0 auth_errors=0;;;0$" \
	"perfdata of several classes"

# ---- lookups that fail: --error-result; out of time: --timeout-result ---------
# names under dnsbl.test that rbldnsd does not serve: SERVFAIL
run $P $A -S nosuch.dnsbl.test --error-result critical
expect_rc 2 "SERVFAIL: --error-result"
expect_text "SPF of nosuch.dnsbl.test not evaluated: TXT nosuch.dnsbl.test: SERVFAIL" "SPF lookup failure named"
expect_text "DMARC of nosuch.dnsbl.test not known: SERVFAIL" "DMARC lookup failure named"
expect_out " auth_errors=[1-9][0-9]*;;;0$" "perfdata auth_errors"
# timeout.dom.test never answers
run $P $A -S timeout.dom.test -t 3 --timeout-result warning
expect_rc 1 "no answer: --timeout-result"
expect_text "SPF of timeout.dom.test not evaluated" "SPF timeout named"
expect_text "DMARC of timeout.dom.test not known" "DMARC timeout named"

done_testing
