#!/bin/bash
# check_smtp_relay_path and TLS as a sending Postfix sees it: --tls may
# retries a failed handshake in plaintext, a verified level always checks
# a name (--tls-name for -H addresses), and certificate names with an
# embedded NUL never match.  Each test asserts the exit code and the text.
. "${top_srcdir:-.}/t/tap.sh"
lab_required

P=check_smtp_relay_path
S="-s $LAB_RESOLVER"
CA=$LAB_DIR/ca.pem

# ---- --tls may and a failed handshake: a plaintext retry ----------------
run $P -D tlsreset.dom.test $S
expect_rc 1 "tlsreset, may: WARNING (Postfix delivers in plaintext on a retry)"
expect_out '^SMTP RELAY PATH WARNING - TLS handshake failed, accepted in plaintext: senders that retry without TLS deliver, delayed, ' \
	"tlsreset, may: the headline says what happened"
expect_text "TLS handshake failed, accepted in plaintext: senders that retry without TLS deliver, delayed, <postmaster@tlsreset.dom.test> accepted by MX tlsreset.hosts.test[127.0.26.5]:25 (preference 10): 250 2.1.5 Ok" \
	"tlsreset, may: the whole summary in the long output"
expect_text "MX tlsreset.hosts.test[127.0.26.5]:25 (preference 10): with STARTTLS: TLS handshake failed: " \
	"tlsreset, may: the first attempt is reported"
expect_out "hosts_tried=1" "tlsreset, may: the same address, not another host"
run $P -D tlsreset.dom.test $S -vv
expect_out '^--- conversation with MX tlsreset\.hosts\.test\[127\.0\.26\.5\]:25 \(preference 10\) \(with STARTTLS\) ---$' \
	"tlsreset -vv: the TLS conversation"
expect_out '^--- conversation with MX tlsreset\.hosts\.test\[127\.0\.26\.5\]:25 \(preference 10\) \(retried without STARTTLS\) ---$' \
	"tlsreset -vv: and the plaintext one"
[ "$(printf '%s\n' "$OUT" | grep -c '> STARTTLS$')" = 1 ]
ok $? "tlsreset -vv: STARTTLS only in the first session"
for lvl in encrypt verify secure; do
	run $P -D tlsreset.dom.test $S --tls $lvl --cafile "$CA"
	expect_rc 2 "tlsreset, $lvl: CRITICAL (TLS is required)"
	expect_text "TLS failure in stage TLS handshake" "tlsreset, $lvl: the handshake failure"
	expect_no_out 'retried without STARTTLS' "tlsreset, $lvl: no plaintext retry"
done
run $P -D tlsreset.dom.test $S --all
expect_rc 1 "tlsreset, may, --all: WARNING"
expect_text "TLS handshake failed; accepted in plaintext" "tlsreset, --all: says why"

# ---- a verified level always checks a name ------------------------------
bad() {
	# bad DESCRIPTION EXPECTED-TEXT ARGS...
	expect_usage 'SMTP RELAY PATH' "$1" "$2" $P "${@:3}"
}
for lvl in verify secure; do
	bad "-H address at $lvl without --tls-name" \
		"-H '127.0.25.7' at --tls $lvl: an IP address names no certificate, give the name to check with --tls-name NAME" \
		-R a@x.test -H 127.0.25.7 --tls $lvl --cafile "$CA" $S
done
bad "--via address at verify" "--via '127.0.25.1' at --tls verify: an IP address names no certificate, give the hop as a host name" \
	-D tls.dom.test --via 127.0.25.1 --tls verify --cafile "$CA" $S
bad "--tls-name on an MX walk" "--tls-name 'tls.hosts.test' names the certificate of the -H relays, an MX walk checks each MX host's own name" \
	-D tls.dom.test --tls verify --tls-name tls.hosts.test --cafile "$CA" $S
bad "--tls-name an address" "invalid --tls-name '127.0.25.5': expected a host name, not an address" \
	-R a@x.test -H 127.0.25.5 --tls-name 127.0.25.5 $S
bad "--tls-name not a name" "invalid --tls-name 'a..b'" -R a@x.test -H 127.0.25.5 --tls-name a..b $S

# 127.0.25.7 serves a certificate for other-name.test
run $P -R a@x.test -H 127.0.25.7 --tls verify --tls-name wrongname.hosts.test --cafile "$CA" $S
expect_rc 2 "-H address, verify, --tls-name not in the certificate: CRITICAL"
expect_text "relay [127.0.25.7]:25 TLS verification failed (--tls verify)" "verify --tls-name: fails"
expect_text "The name in the certificate does not match the expected" "verify --tls-name: the name mismatch"
expect_no_out 'chain only' "verify --tls-name: never 'chain only'"
run $P -R a@x.test -H 127.0.25.7 --tls verify --tls-name other-name.test --cafile "$CA" $S
expect_rc 0 "-H address, verify, --tls-name in the certificate: OK"
expect_text "certificate verified for other-name.test" "verify --tls-name: the name checked"
run $P -R a@x.test -H 127.0.25.5 --tls secure --tls-name hosts.test --cafile "$CA" $S
expect_rc 0 "-H address, secure, --tls-name a parent domain: OK"
expect_text "certificate verified for hosts.test" "secure --tls-name: the next hop is that name"
run $P -R a@x.test -H wrongname.hosts.test --tls verify --tls-name other-name.test --cafile "$CA" $S
expect_rc 0 "-H name, verify, --tls-name instead of the host name: OK"
run $P -R a@x.test -H 127.0.25.7 --tls may --tls-name tls.hosts.test --cafile "$CA" $S
expect_rc 0 "may with --cafile and --tls-name: OK (may does not require a match)"
expect_text "The name in the certificate does not match the expected" "may --tls-name: the mismatch reported"

# ---- certificate names with an embedded NUL never match -----------------
# 127.0.26.13's certificate names "nulname.dom.test\0.other-name.test" and
# "nulname.hosts.test\0.other-name.test" (lab CA)
run $P -D nulname.dom.test --tls secure --cafile "$CA" $S
expect_rc 2 "NUL in the name, secure: CRITICAL"
expect_text "MX nulname.hosts.test[127.0.26.13]:25 (preference 10) TLS verification failed (--tls secure)" \
	"NUL in the name, secure: verification fails"
expect_text "no certificate name is nulname.dom.test or below it" "NUL in the name, secure: no name matches"
run $P -D nulname.dom.test --tls verify --cafile "$CA" $S
expect_rc 2 "NUL in the name, verify: CRITICAL"
expect_text "The name in the certificate does not match the expected" "NUL in the name, verify: no match"
run $P -R a@x.test -H 127.0.26.13 --tls secure --tls-name hosts.test --cafile "$CA" $S
expect_rc 2 "NUL in the name, secure, a parent as --tls-name: CRITICAL"
expect_text "no certificate name is hosts.test or below it" "NUL in the name: not below the parent either"
run $P -D nulname.dom.test --cafile "$CA" $S
expect_rc 0 "NUL in the name, may: OK (may does not require a match)"

done_testing
