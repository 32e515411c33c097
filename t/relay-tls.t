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
expect_out '^SMTP RELAY PATH WARNING - TLS handshake failed; accepted in plaintext: senders that retry without TLS deliver, delayed; <postmaster@tlsreset\.dom\.test> accepted by MX tlsreset\.hosts\.test\[127\.0\.26\.5\]:25 \(preference 10\): 250 2\.1\.5 Ok\|' \
	"tlsreset, may: the headline says what happened"
expect_text "MX tlsreset.hosts.test[127.0.26.5]:25 (preference 10): with STARTTLS: TLS handshake failed: " \
	"tlsreset, may: the first attempt is reported"
expect_out "'hosts_tried'=1" "tlsreset, may: the same address, not another host"
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
done_testing
