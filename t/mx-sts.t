#!/bin/bash
# check_mx_preference --mta-sts against the lab's sts.test domains (nginx
# on 127.0.29.1:443 serves the policies): every MTA-STS and TLS-RPT state
# the plugin judges, asserting the exit code and the text that explains it.
. "${top_srcdir:-.}/t/tap.sh"
lab_required

CA=$LAB_DIR/ca.pem
sts() { # sts NAME [ARGS...]: NAME.sts.test with --mta-sts and the lab CA
	d=$1
	shift
	run check_mx_preference -s "$LAB_RESOLVER" --allow-private -D "$d.sts.test" \
		--mta-sts --cafile "$CA" "$@"
}

# ---- OK -------------------------------------------------------------------
sts enforce
expect_rc 0 "enforce, every MX matched"
expect_out '^MX PREFERENCE OK - enforce\.sts\.test: 1 MX, 1 usable, primary tls\.hosts\.test \(10\), MTA-STS enforce\|' "enforce: the mode in the summary"
expect_out '^MTA-STS policy: mode enforce, max_age 604800, mx tls\.hosts\.test, id 20260101T000000; fetched in [0-9.]+ ms; matched: tls\.hosts\.test$' "enforce: the policy (CRLF lines) and the hosts matched"
expect_out ' sts_fetch_time=[0-9.]+s;;;0' "enforce: the fetch time as perfdata"
expect_out '^TLS-RPT: reports to mailto:tlsrpt@sts\.test$' "enforce: the TLS-RPT record"

sts wildcard
expect_rc 0 "wildcard"
expect_out 'mx \*\.hosts\.test, .*matched: tls\.hosts\.test, soon\.hosts\.test$' "wildcard: *.hosts.test matches both hosts"

sts v6
expect_rc 0 "the policy host on IPv6 only"
expect_out '^MTA-STS policy: mode enforce, .*matched: tls\.hosts\.test$' "v6: fetched from [::1]"

sts testing
expect_rc 0 "testing (the expired MX certificate is the relay's concern)"
expect_out '^MX PREFERENCE OK - testing\.sts\.test: .*, MTA-STS testing\|' "testing: the mode named"

sts none
expect_rc 0 "mode none"
expect_out ', MTA-STS none\|' "none: the mode named"
expect_no_out 'matched' "none: no host is judged"

run check_mx_preference -s "$LAB_RESOLVER" --allow-private -D single.dom.test --mta-sts
expect_rc 0 "no MTA-STS published is OK"
expect_out ', MTA-STS not published\|' "single.dom.test: not published"
expect_text "MTA-STS: no _mta-sts.single.dom.test record (not published)" "single.dom.test: says which name was asked"
expect_text "TLS-RPT: no _smtp._tls.single.dom.test record" "single.dom.test: no TLS-RPT record, noted"
expect_no_out 'sts_fetch_time' "single.dom.test: nothing fetched"

# ---- CRITICAL -------------------------------------------------------------
sts mismatch
expect_rc 2 "enforce matching no MX host"
expect_out '^MX PREFERENCE CRITICAL - mismatch\.sts\.test: MTA-STS enforce policy matches no MX host: ' "mismatch: headline"
expect_text "CRITICAL: MTA-STS enforce policy matches no MX host: the policy (mode enforce, max_age 604800, mx mx.elsewhere.test, id 1) matches none of 1 MX host: STS senders will not deliver" "mismatch: the finding"
expect_no_out '^WARNING' "mismatch: no per-host warning beside it"

# ---- WARNING --------------------------------------------------------------
sts uncovered
expect_rc 1 "the primary left uncovered"
expect_text "WARNING: MX host not in the MTA-STS policy: primary accept.hosts.test (10) matches no mx pattern: STS senders skip it" "uncovered: the primary named"
expect_out 'matched: tls\.hosts\.test; not matched: accept\.hosts\.test$' "uncovered: matched and not matched"

sts shortage
expect_rc 1 "max_age under a day in enforce"
expect_text "WARNING: MTA-STS max_age under a day: max_age 3600s in mode enforce" "shortage: the finding"

# announced, unusable: NAME, then what the finding says
unusable() {
	sts "$1"
	expect_rc 1 "$1: announced but unusable"
	expect_out "^MX PREFERENCE WARNING - $1\\.sts\\.test: MTA-STS announced but unusable: " "$1: headline"
	expect_text "$2" "$1: $2"
	expect_out "senders act as if there were no policy \\($3\\)$" "$1: $3"
}
unusable notfound "policy fetch from mta-sts.notfound.sts.test: HTTP 404" sts-policy-fetch-error
unusable redirect "HTTP 301 redirect to https://mta-sts.enforce.sts.test/.well-known/mta-sts.txt (redirects are not followed)" sts-policy-fetch-error
unusable badsyntax 'policy: line 4: max_age "one week" is not a number of seconds' sts-policy-invalid
unusable twotxt "2 v=STSv1 TXT records at _mta-sts (RFC 8461 section 3.1 wants exactly one)" sts-policy-invalid
unusable tlsfail "policy fetch from mta-sts.tlsfail.sts.test: " sts-webpki-invalid
unusable html 'Content-Type "text/html", not text/plain' sts-policy-fetch-error
unusable nohost "mta-sts.nohost.sts.test has no address" sts-policy-fetch-error
expect_no_out 'sts_fetch_time' "nohost: nothing fetched"
unusable refused "policy fetch from mta-sts.refused.sts.test: " sts-policy-fetch-error
expect_out 'refused|connect' "refused: the connection failure named"
# the _mta-sts lookup fails (SERVFAIL): not knowable, a WARNING
sts dnsfail
expect_rc 1 "TXT lookup failed: WARNING"
expect_out "^MX PREFERENCE WARNING - dnsfail\\.sts\\.test: MTA-STS lookup failed: TXT _mta-sts: SERVFAIL, " "dnsfail: headline"
expect_text "WARNING: MTA-STS lookup failed: TXT _mta-sts: SERVFAIL" "dnsfail: the finding"
# the fetch gets 80 % of -t: its timeout is a verdict, not the deadline
sts silent -t 3
expect_rc 1 "silent: the policy host never answers"
expect_out 'policy fetch from mta-sts\.silent\.sts\.test: .*[Tt]imeout|timed out' "silent: a fetch timeout"
expect_out 'senders act as if there were no policy \(sts-policy-fetch-error\)$' "silent: sts-policy-fetch-error"
expect_no_out '^(CRITICAL|UNKNOWN)' "silent: not the run's deadline"

# without --cafile the system store is the trust store: the lab CA is not in it
run check_mx_preference -s "$LAB_RESOLVER" --allow-private -D enforce.sts.test --mta-sts
expect_rc 1 "no --cafile: the lab's certificate is not trusted"
expect_out 'senders act as if there were no policy \(sts-webpki-invalid\)$' "no --cafile: sts-webpki-invalid"

sts rptbad
expect_rc 1 "a malformed TLS-RPT record"
expect_text "WARNING: TLS-RPT record unusable: _smtp._tls.rptbad.sts.test: no mailto: or https: URI in rua (RFC 8460 section 3)" "rptbad: the finding"
expect_out ', MTA-STS not published$' "rptbad: no MTA-STS (the whole summary, first long-output line)"

# -6: the policy host (as the MX) has only an IPv4 address
sts enforce -6
expect_rc 2 "-6: no usable MX host, and no policy host"
expect_text "mta-sts.enforce.sts.test has no address (IPv6 only)" "-6: says so"

# ---- usage ----------------------------------------------------------------
expect_usage "MX PREFERENCE" "--cafile of a missing file" "invalid --cafile '/nonexistent/ca.pem': No such file or directory" \
	check_mx_preference -D enforce.sts.test --mta-sts --cafile /nonexistent/ca.pem
expect_usage "MX PREFERENCE" "--cafile of a directory" "invalid --cafile '/': not a regular file" \
	check_mx_preference -D enforce.sts.test --mta-sts --cafile /
expect_usage "MX PREFERENCE" "--cafile without --mta-sts" "--cafile '$CA' is only used with --mta-sts" \
	check_mx_preference -D enforce.sts.test --cafile "$CA"

# one fetch per run, whatever order the three first-round answers come
# in (the policy server's access log counts them)
log=$LAB_DIR/nginx/access.log
before=$(wc -l <"$log")
for i in 1 2 3 4 5 6 7 8 9 10; do
	sts none
done
after=$(wc -l <"$log")
[ $((after - before)) -eq 10 ]
ok $? "ten runs, ten policy fetches (got $((after - before)))"

# libcurl is opened by the first fetch, never linked: start-up stays lean
run ldd "$top_builddir/plugins/check_mx_preference"
expect_rc 0 "ldd reads the plugin"
expect_no_out 'libcurl' "check_mx_preference links no libcurl"

# without --mta-sts nothing of it is asked or printed
run check_mx_preference -s "$LAB_RESOLVER" --allow-private -D mismatch.sts.test
expect_rc 0 "without --mta-sts the policy is not judged"
expect_no_out 'MTA-STS|TLS-RPT|sts_fetch' "without --mta-sts: no word of it"

done_testing
