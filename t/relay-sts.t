#!/bin/bash
# check_smtp_relay_path --tls sts against the lab's sts.test domains
# (nginx on 127.0.29.1:443 serves the policies, the MX hosts are the lab
# Postfix's TLS listeners): every state of RFC 8461 the walk judges, each
# asserting the exit code and the text that explains it.
. "${top_srcdir:-.}/t/tap.sh"
lab_required

P=check_smtp_relay_path
CA=$LAB_DIR/ca.pem
sts() { # sts NAME [ARGS...]: postmaster@NAME.sts.test at --tls sts
	d=$1
	shift
	run $P -s "$LAB_RESOLVER" -D "$d.sts.test" --tls sts --cafile "$CA" "$@"
}

# ---- OK -------------------------------------------------------------------
sts enforce
expect_rc 0 "enforce, the MX matches and verifies: OK"
expect_out '^SMTP RELAY PATH OK - <postmaster@enforce\.sts\.test> accepted by MX tls\.hosts\.test\[127\.0\.25\.5\]:25 \(preference 10\): 250 2\.1\.5 Ok, TLS1\.3\|' \
	"enforce: accepted by the first preference over TLS"
expect_text "certificate verified for tls.hosts.test" "enforce: the certificate verified for the MX name"
expect_out '^MTA-STS policy of enforce\.sts\.test: mode enforce, max_age 604800, mx tls\.hosts\.test, id 20260101T000000$' \
	"enforce: the policy in the long output"
expect_out '^MX tls\.hosts\.test \(preference 10\): matches the MTA-STS mx patterns$' "enforce: the host matched"
expect_out ' sts_fetch_time=[0-9.]+s;;;0' "enforce: the fetch time as perfdata"

sts wildcard
expect_rc 0 "wildcard: OK"
expect_out '^MX soon\.hosts\.test \(preference 20\): matches the MTA-STS mx patterns$' "wildcard: *.hosts.test matches the backup too"

sts none
expect_rc 0 "mode none: OK, walked as may"
expect_out '^SMTP RELAY PATH OK - <postmaster@none\.sts\.test> accepted by MX accept\.hosts\.test' "none: the MX without STARTTLS accepts"
expect_text "MTA-STS policy of none.sts.test: mode none" "none: the mode named"
expect_no_out 'matches the MTA-STS' "none: no host judged against patterns"

sts rptbad
expect_rc 0 "no MTA-STS at all: OK"
expect_out '^MTA-STS: rptbad\.sts\.test publishes no _mta-sts record: walked as .may.$' "no MTA-STS: said so"
expect_no_out 'sts_fetch_time' "no MTA-STS: no fetch, no fetch time"

# ---- WARNING ------------------------------------------------------------
sts testing
expect_rc 1 "testing, the MX certificate expired: WARNING, delivered"
expect_out '^SMTP RELAY PATH WARNING - MTA-STS testing: expired\.hosts\.test would not be used under enforce \(certificate not verified\), <postmaster@testing\.sts\.test> accepted by MX' \
	"testing: names what would fail under enforce"
expect_text "would not be used under enforce (certificate not verified): The certificate is NOT trusted. The certificate chain uses expired certificate." \
	"testing: the verification result"

sts uncovered
expect_rc 1 "enforce, the primary not covered: WARNING, the backup accepts"
expect_out '^SMTP RELAY PATH WARNING - <postmaster@uncovered\.sts\.test> accepted only by the backup MX tls\.hosts\.test\[127\.0\.25\.5\]:25 \(preference 20\)' \
	"uncovered: the backup in the headline"
expect_text "<postmaster@uncovered.sts.test> accepted only by the backup MX tls.hosts.test[127.0.25.5]:25 (preference 20): 250 2.1.5 Ok, TLS1.3: the first preference matches no MTA-STS mx pattern" \
	"uncovered: the backup, and why"
expect_text "MX accept.hosts.test (preference 10): not probed: MTA-STS: accept.hosts.test matches no mx pattern of the enforce policy (RFC 8461 section 4.1)" \
	"uncovered: the skipped primary is named"
expect_out "hosts_tried=1" "uncovered: only the backup counts as tried (the primary is dropped after EHLO)"

unusable() { # unusable NAME TLSRPT-NAME WHY-TEXT: announced, policy unusable
	sts "$1"
	expect_rc 1 "$1: announced but unusable: WARNING"
	expect_out "^SMTP RELAY PATH WARNING - MTA-STS announced but the policy cannot be used \\($2\\): senders apply no policy, <postmaster@$1\\.sts\\.test> accepted by MX" \
		"$1: the headline says why"
	expect_text "$3" "$1: the fault"
}
unusable notfound sts-policy-fetch-error "policy fetch from mta-sts.notfound.sts.test: HTTP 404"
unusable redirect sts-policy-fetch-error "HTTP 301 redirect to https://mta-sts.enforce.sts.test/.well-known/mta-sts.txt (redirects are not followed)"
unusable tlsfail sts-webpki-invalid "does not match target host name 'mta-sts.tlsfail.sts.test'"
unusable html sts-policy-fetch-error 'Content-Type "text/html", not text/plain'
unusable badsyntax sts-policy-invalid 'max_age "one week" is not a number of seconds'
unusable twotxt sts-policy-invalid "2 v=STSv1 TXT records at _mta-sts (RFC 8461 section 3.1 wants exactly one)"
unusable silent sts-policy-fetch-error "policy fetch from mta-sts.silent.sts.test: "
expect_out ' sts_fetch_time=[0-9.]+s;;;0' "silent: the fetch time of the timeout"

# the _mta-sts lookup fails (SERVFAIL): delivered as may, but a WARNING
sts dnsfail
expect_rc 1 "TXT lookup failed: WARNING"
expect_out "^SMTP RELAY PATH WARNING - MTA-STS lookup failed \\(TXT _mta-sts: SERVFAIL\\): whether a policy applies cannot be known, senders without a cached one apply none, <postmaster@dnsfail\\.sts\\.test> accepted" \
	"dnsfail: the headline says why"
expect_out "^MTA-STS lookup failed \\(TXT _mta-sts: SERVFAIL\\): whether a policy applies cannot be known, senders without a cached one apply none$" \
	"dnsfail: the finding"
expect_text "accepted by MX tls.hosts.test[127.0.25.5]:25 (preference 10): 250 2.1.5 Ok, TLS1.3" "dnsfail: delivered as may"
expect_no_out 'sts_fetch_time' "dnsfail: nothing fetched"

# ---- CRITICAL -----------------------------------------------------------
sts mismatch
expect_rc 2 "enforce, no MX matches: CRITICAL"
expect_out '^SMTP RELAY PATH CRITICAL - <postmaster@mismatch\.sts\.test>: no MX host of mismatch\.sts\.test matches its MTA-STS enforce policy: MTA-STS senders will not deliver\|' \
	"mismatch: the summary"
expect_out '^MX tls\.hosts\.test \(preference 10\): matches none of the MTA-STS mx patterns$' "mismatch: the host not matched"
expect_out "hosts_tried=0" "mismatch: no host tried"

sts badcert
expect_rc 2 "enforce, every matching host fails verification: CRITICAL"
expect_out '^SMTP RELAY PATH CRITICAL - <postmaster@badcert\.sts\.test>: every MX host the MTA-STS enforce policy of badcert\.sts\.test names fails TLS: MTA-STS senders will not deliver' \
	"badcert: the summary"
expect_text "MX wrongname.hosts.test[127.0.25.7]:25 (preference 20): TLS failure at TLS handshake" "badcert: the second host failed too"
expect_no_out 'retried without STARTTLS' "badcert: no plaintext retry under enforce"
expect_out "hosts_tried=2" "badcert: both hosts tried"

# the same certificates pass at may: enforce is what fails them
run $P -s "$LAB_RESOLVER" -D badcert.sts.test --tls may
expect_rc 0 "badcert at may: OK (the policy is what refuses)"

# ---- --tls auto: DANE where it applies, else MTA-STS, else may ----------
auto() { # auto ARGS...
	run $P -s "$LAB_RESOLVER" --tls auto --cafile "$CA" "$@"
}
auto -D secure.test
expect_rc 0 "auto, validated usable TLSA: OK by DANE"
expect_out '^SMTP RELAY PATH OK - <postmaster@secure\.test> accepted by MX tls\.secure\.test\[127\.0\.25\.5\]:25 \(preference 10\): 250 2\.1\.5 Ok, TLS1\.3, DANE: TLSA 3 1 1 matched\|' \
	"auto, secure.test: DANE decided"
expect_text "MTA-STS: secure.test publishes no _mta-sts record: hosts without DANE walked as 'may'" \
	"auto, secure.test: no MTA-STS"
auto -R u@secure.test -H badtlsa.secure.test
expect_rc 2 "auto, usable TLSA that does not match: CRITICAL (DANE, no downgrade)"
expect_text "DANE authentication failed: no TLSA record matches the certificate (3 1 1) (tlsa-invalid)" \
	"auto, badtlsa: the DANE failure"
expect_no_out 'MTA-STS' "auto, -H: no MTA-STS for a relay"
auto -D enforce.sts.test
expect_rc 0 "auto, no DNSSEC, an enforce policy: OK by MTA-STS"
expect_text "certificate verified for tls.hosts.test" "auto, enforce: verified for the MX name"
expect_out '^MTA-STS policy of enforce\.sts\.test: mode enforce' "auto, enforce: the policy"
auto -D mismatch.sts.test
expect_rc 2 "auto, enforce matching no MX: CRITICAL"
expect_text "no MX host of mismatch.sts.test matches its MTA-STS enforce policy" "auto, mismatch: the summary"
auto -D testing.sts.test
expect_rc 1 "auto, testing with an expired certificate: WARNING"
expect_text "MTA-STS testing: expired.hosts.test would not be used under enforce (certificate not verified)" \
	"auto, testing: what enforce would refuse"
auto -D single.dom.test
expect_rc 0 "auto, neither DANE nor MTA-STS: OK as may"
expect_out '^SMTP RELAY PATH OK - <postmaster@single\.dom\.test> accepted by MX accept\.hosts\.test\[127\.0\.25\.1\]:25 \(preference 10\): 250 2\.1\.5 Ok\|' \
	"auto, single.dom.test: the same summary as may"
auto -D notfound.sts.test
expect_rc 1 "auto, announced but unusable: WARNING"
expect_text "MTA-STS announced but the policy cannot be used (sts-policy-fetch-error)" "auto, notfound: why"

# ---- usage ------------------------------------------------------------
expect_usage 'SMTP RELAY PATH' "--tls sts with -H" \
	"--tls sts judges the MX hosts of the recipient domain: it cannot be combined with -H" \
	$P -R a@x.test -H 127.0.25.5 --tls sts -s "$LAB_RESOLVER"

done_testing
