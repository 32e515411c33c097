#!/bin/bash
# check_smtp_relay_path against the lab's Postfix listeners and scripted
# peers: every state of the walk, STARTTLS at each level, --via, --all,
# IPv6, deadlines, hostile peers, and bad input.  Each test asserts the
# exit code and the text.
. "${top_srcdir:-.}/t/tap.sh"
lab_required

P=check_smtp_relay_path
S="-s $LAB_RESOLVER"

# Bad input: UNKNOWN, one line naming option and value.
bad() {
	# bad DESCRIPTION EXPECTED-TEXT ARGS...
	expect_usage 'SMTP RELAY PATH' "$1" "$2" $P "${@:3}"
}
bad "no recipient" "give exactly one of -R RECIPIENT and -D DOMAIN" $S
bad "both -R and -D" "give exactly one of" -R a@single.dom.test -D single.dom.test $S
bad "bad address" "invalid -R 'not-an-address'" -R not-an-address $S
bad "two @" "invalid -R 'a@b@dom.test'" -R a@b@dom.test $S
bad "space in local part" "invalid -R 'a b@dom.test'" -R 'a b@dom.test' $S
bad "local part > 64" "local part longer than 64 octets" \
	-R "$(printf 'a%.0s' $(seq 65))@dom.test" $S
bad "CR/LF in --from" "invalid --from 'a\\x0d\\x0aDATA@x.test': contains a control character" \
	-R a@single.dom.test -f "$(printf 'a\r\nDATA@x.test')" $S
bad "LF in -R" "contains a control character" \
	-R "$(printf 'a@single.dom.test\nRSET')" $S
bad "CR in -D" "invalid -D" -D "$(printf 'single.dom.test\r')" $S
bad "bad -H port" "invalid -H 'accept.hosts.test:99999': port must be 1-65535" \
	-R a@single.dom.test -H accept.hosts.test:99999 $S
bad "port 0" "invalid -H 'accept.hosts.test:0'" -R a@single.dom.test -H accept.hosts.test:0 $S
bad "bad -p" "invalid --port 'smtp'" -D single.dom.test -p smtp $S
bad "bad IPv6 -H" "invalid -H '[::1'" -R a@single.dom.test -H '[::1' $S
bad "bad level" "invalid --tls 'maybe': expected none, may, encrypt, verify, secure, dane, sts or auto" \
	-D single.dom.test --tls maybe $S
bad "missing --cafile" "invalid --cafile '/nonexistent/ca.pem'" \
	-D single.dom.test --cafile /nonexistent/ca.pem $S
bad "--cafile without a certificate" "invalid --cafile '$top_srcdir/t/relay.t': no CA certificate loaded" \
	-D single.dom.test --cafile "$top_srcdir/t/relay.t" $S
bad "bad --helo" "invalid --helo 'nodots'" -D single.dom.test -F nodots $S
bad "bad --cert-warn" "invalid --cert-warn 'soon'" -D single.dom.test --cert-warn soon $S
bad "bad --stage-timeout" "invalid --stage-timeout '0'" -D single.dom.test --stage-timeout 0 $S
bad "--all with -H" "--all audits the MX set" -D single.dom.test --all -H 127.0.25.1 $S
bad "address literal without -H" "invalid -D '[127.0.25.1]': an address literal domain has no MX set" \
	-D '[127.0.25.1]' $S
bad "bad --trap" "invalid --trap" -D single.dom.test --trap '' $S

CA=$LAB_DIR/ca.pem

# The transcript never shows DATA, and a session that was answered ends
# with QUIT.
no_data() {
	expect_no_out '> DATA' "$1: never DATA"
}

run $P -D single.dom.test $S -vv
expect_rc 0 "accept"
expect_out '^SMTP RELAY PATH OK - <postmaster@single\.dom\.test> accepted by MX accept\.hosts\.test\[127\.0\.25\.1\]:25 \(preference 10\): 250 2\.1\.5 Ok\|' \
	"accept: summary names host, preference and reply"
expect_out " time=[0-9.]+s;;;0 hosts_tried=1" "accept: perfdata"
expect_out " banner=[0-9.]+s;;;0 ehlo=[0-9.]+s;;;0 rcpt=[0-9.]+s" \
	"accept: per-stage perfdata, no TLS time left out"
expect_no_out "=U|[ |]tls=" "accept: no U, no tls item"
expect_out '^ +[0-9]+ ms > MAIL FROM:<>$' "accept: -vv transcript, null sender"
expect_out '^ +[0-9]+ ms > QUIT$' "accept: QUIT"
no_data accept

run $P -R nobody@rcpt-reject.dom.test $S
expect_rc 2 "550 at RCPT"
expect_text "CRITICAL - <nobody@rcpt-reject.dom.test>: MX reject.hosts.test[127.0.25.2]:25 (preference 10) said: 550 5.1.1 <nobody@rcpt-reject.dom.test>: Recipient address rejected" \
	"550: the bounce in the summary, with the enhanced code"
expect_text "(in reply to RCPT TO)" "550: names the command"
expect_out '^--- conversation with MX reject\.hosts\.test' "550: bounce-style conversation"
expect_out '^ +[0-9]+ ms < 550 5\.1\.1 ' "550: the reply in the transcript"
expect_out '^ +[0-9]+ ms > QUIT$' "550: QUIT after the rejection"
no_data 550

run $P -D rcpt-reject.dom.test $S
expect_rc 0 "postmaster accepted on the rejecting listener"
expect_text "<postmaster@rcpt-reject.dom.test> accepted by MX reject.hosts.test" \
	"postmaster: summary"

run $P -R someone@greylist.dom.test $S
expect_rc 1 "451 greylisting"
expect_text "WARNING - <someone@greylist.dom.test> deferred: MX greylist.hosts.test[127.0.25.3]:25 (preference 10) said: 451 4.7.1" \
	"451: deferred with the reply"

run $P -D trap.dom.test $S
expect_rc 2 "554 at the greeting"
expect_text "no host accepted (1 address tried)" "554: nothing accepted"
expect_text "said: 554 5.7.1" "554: the greeting reply"
expect_text "(in reply to the greeting)" "554: names the greeting"
expect_out '^ +[0-9]+ ms > QUIT$' "554: QUIT after a 554 greeting (RFC 5321 3.1)"
expect_no_out '> EHLO' "554: no EHLO after a 554 greeting"

for x in refused silent slow greylist; do
	run $P -D fallback-$x.dom.test $S --stage-timeout 2
	expect_rc 1 "primary $x, backup accepts"
	expect_text "WARNING - <postmaster@fallback-$x.dom.test> accepted only by the backup MX accept.hosts.test[127.0.25.1]:25 (preference 20)" \
		"primary $x: summary"
	expect_out "^MX $x\.hosts\.test\[127\.0\.2[5-7]\.[0-9]\]:25 \(preference 10\): " \
		"primary $x: the failed primary is listed"
done
run $P -D fallback-slow.dom.test $S --stage-timeout 5
expect_rc 0 "slow banner within --stage-timeout is OK"
expect_out " banner=[23]\.[0-9]+s" "slow banner: banner time in perfdata"

run $P -D all-dead.dom.test $S --stage-timeout 2
expect_rc 2 "all dead"
expect_text "no host accepted (2 addresses tried)" "all dead: summary"
expect_text "timeout in stage banner: no banner within 2.0 s" "all dead: silent host named"
expect_text "Connection refused" "all dead: refused host named"

run $P -D walk-trap.dom.test --trap 'cluster*a.trap.test' $S
expect_rc 2 "walk reaches the trap"
expect_text "the walk reaches trap host cluster1a.trap.test (preference 20, --trap cluster*a.trap.test)" \
	"trap: summary"
expect_text "MX cluster1a.trap.test (preference 20): not probed" "trap: never connected"

run $P -D trap-last.dom.test --trap 'cluster*a.trap.test' $S
expect_rc 0 "trap ranked last, primary accepts"

run $P -D nullmx.dom.test $S
expect_rc 2 "null MX"
expect_text "domain accepts no mail (null MX)" "null MX: summary"

run $P -D missing.dom.test $S
expect_rc 2 "NXDOMAIN"
expect_text "the domain does not exist (NXDOMAIN)" "NXDOMAIN: summary"

run $P -D implicit.dom.test $S
expect_rc 0 "implicit MX"
expect_text "accepted by MX implicit.dom.test[127.0.25.1]:25 (preference 0)" "implicit MX: the domain itself"

run $P -D bücher.dom.test $S
expect_rc 0 "Unicode domain"
expect_text "<postmaster@xn--bcher-kva.dom.test> accepted" "Unicode domain: A-labels"

# STARTTLS at each level
run $P -D tls.dom.test $S -vv
expect_rc 0 "STARTTLS, may"
expect_out '^ +[0-9]+ ms > STARTTLS$' "may: STARTTLS sent"
expect_out "accepted by MX tls\.hosts\.test\[127\.0\.25\.5\]:25 \(preference 10\): 250 2\.1\.5 Ok, TLS1\.[23]" \
	"may: TLS version in the summary"
expect_out " tls=[0-9.]+s" "may: tls perfdata"
expect_out " cert_days=[0-9]+" "may: cert_days perfdata"
expect_text "not verified (no trust store loaded)" "may: no trust store loaded"
n=$(printf '%s\n' "$OUT" | grep -c '> EHLO')
[ "$n" -eq 2 ]
ok $? "may: EHLO again after TLS (RFC 3207 4.2)"
no_data "may"
for lvl in encrypt verify secure; do
	run $P -D tls.dom.test $S --tls $lvl --cafile "$CA"
	case $lvl in
	secure)
		expect_rc 2 "tls.dom.test at secure"
		expect_text "TLS verification failed (--tls secure)" "secure: MX name is not under the domain"
		expect_text "no certificate name is tls.dom.test or below it" "secure: why"
		;;
	*)
		expect_rc 0 "tls.dom.test at $lvl"
		expect_text "certificate verified for tls.hosts.test" "$lvl: verified"
		;;
	esac
done
run $P -D secure.test $S --tls secure --cafile "$CA"
expect_rc 0 "secure.test at secure"
expect_text "certificate verified for secure.test" "secure: name below the domain"
run $P -D tls.dom.test $S --tls verify --cafile "$CA" -4 -F probe.example.test
expect_rc 0 "verify with an explicit --helo"

for lvl in may encrypt verify secure; do
	for x in expired wrongname; do
		run $P -D $x.dom.test $S --tls $lvl --cafile "$CA"
		case $lvl in
		may | encrypt)
			expect_rc 0 "$x certificate at $lvl: delivered"
			expect_text "certificate is NOT trusted" "$x at $lvl: reported"
			;;
		*)
			expect_rc 2 "$x certificate at $lvl: refused"
			expect_text "TLS verification failed (--tls $lvl)" "$x at $lvl: summary"
			expect_out '^ +[0-9]+ ms > QUIT$' "$x at $lvl: QUIT over TLS"
			;;
		esac
	done
done
run $P -D single.dom.test $S --tls encrypt
expect_rc 2 "encrypt without STARTTLS"
expect_text "TLS not available in stage EHLO: STARTTLS not offered" "encrypt: names the cause"
run $P -D single.dom.test $S --tls none --cafile /nonexistent
expect_rc 0 "--tls none ignores --cafile"

run $P -D soon.dom.test $S --cafile "$CA" --cert-warn 10 --cert-crit 2
expect_rc 1 "certificate within --cert-warn"
expect_out 'WARNING - certificate of soon\.hosts\.test expires in [0-9] days \(--cert-warn 10\), ' \
	"cert-warn: the cause first in the summary"
run $P -D soon.dom.test $S --cafile "$CA" --cert-warn 30 --cert-crit 10
expect_rc 2 "certificate within --cert-crit"
expect_text "(--cert-crit 10)" "cert-crit: named"
run $P -D soon.dom.test $S --cafile "$CA" --cert-warn 2 --cert-crit 1
expect_rc 0 "certificate outside both"
run $P -D expired.dom.test $S --tls may --cafile "$CA" --cert-crit 3
expect_rc 2 "expired certificate within --cert-crit at level may"
expect_out 'CRITICAL - certificate of expired\.hosts\.test expired [0-9]+ days ago \(--cert-crit 3\)' \
	"an expired certificate is said to have expired, days ago"

# PIPELINING
run $P -D nopipe.dom.test $S -vv
expect_rc 0 "no PIPELINING: still OK"
expect_out '> MAIL FROM:<>' "no PIPELINING: MAIL"
# one by one: the MAIL reply comes before RCPT is sent
printf '%s\n' "$OUT" | grep -E '^ +[0-9]+ ms [<>] ' | sed -n '/> MAIL/,/> RCPT/p' | grep -q '< 250'
ok $? "no PIPELINING: MAIL answered before RCPT is sent"
run $P -D single.dom.test $S -vv
printf '%s\n' "$OUT" | grep -E '^ +[0-9]+ ms [<>] ' | sed -n '/> MAIL/,/> QUIT/p' | grep -q 'ms < '
[ $? -ne 0 ]
ok $? "PIPELINING: MAIL, RCPT and QUIT in one group"
run $P -D single.dom.test $S -vv --no-pipelining
printf '%s\n' "$OUT" | grep -E '^ +[0-9]+ ms [<>] ' | sed -n '/> MAIL/,/> RCPT/p' | grep -q '< 250'
ok $? "--no-pipelining: one by one"

# --via
run $P -R nobody@single.dom.test $S --via reject.hosts.test
expect_rc 2 "--via hop rejects"
expect_text "CRITICAL - via hop reject.hosts.test failed: said: 550 5.1.1" "--via: summary"
run $P -D single.dom.test $S --via 127.0.27.1
expect_rc 2 "--via hop refused"
expect_text "via hop 127.0.27.1 failed: connection failed" "--via refused: summary"
run $P -D single.dom.test $S --via accept.hosts.test
expect_rc 0 "--via hop accepts"
expect_text "via accept.hosts.test accepted" "--via accepts: line"

# -H relays
run $P -R a@single.dom.test -H 127.0.27.1 -H accept.hosts.test:25 $S
expect_rc 1 "-H: first relay refused, second accepts"
expect_text "accepted only by the backup relay accept.hosts.test[127.0.25.1]:25" "-H: summary"
run $P -R a@single.dom.test -H '[::1]:25' $S
expect_rc 0 "-H IPv6 literal with port"

# --all
run $P -D three.dom.test --all $S
expect_rc 0 "--all three.dom.test"
expect_text "4 of 4 MX addresses accept" "--all: every address"
run $P -D trap-last.dom.test --all --trap 'cluster*a.trap.test' $S
expect_rc 0 "--all trap-last"
expect_text "1 of 1 MX addresses accept, 1 trap address refused as expected" "--all: trap refused"
run $P -D fallback-refused.dom.test --all $S
expect_rc 1 "--all with one dead host"
expect_text "1 of 2 MX addresses accept" "--all: one dead"
run $P -D all-dead.dom.test --all $S --stage-timeout 1 -t 3
expect_rc 2 "--all with nothing alive"
expect_text "0 of 2 MX addresses accept" "--all: none"
# concurrently: a silent host costs one stage timeout, not one per host
# or stage; run one after the other, the audit would run into the -t
# deadline (asserted by the output, not by a clock: valgrind is slow)
run $P -D all-dead.dom.test --all $S --stage-timeout 2 -t 3.9
expect_rc 2 "--all at once: CRITICAL"
expect_text "0 of 2 MX addresses accept" "--all runs the hosts at once"
expect_no_out "deadline" "--all at once: within the deadline"

# IPv6
run $P -D v6only.dom.test $S
expect_rc 0 "IPv6 only"
expect_text "v6only.hosts.test[::1]:25" "IPv6: address"
run $P -D dual.dom.test $S -4
expect_rc 0 "dual -4"
expect_text "dual.hosts.test[127.0.25.1]" "-4 uses IPv4"
run $P -D dual.dom.test $S -6
expect_rc 0 "dual -6"
expect_text "dual.hosts.test[::1]" "-6 uses IPv6"
run $P -D v6only.dom.test $S -4
expect_rc 2 "v6only with -4: nothing to try"
expect_text "no MX host has an address to try" "v6only -4: summary"

# deadline during a silent banner
run -T 10 $P -D silent.dom.test $S -t 2 --stage-timeout 5
expect_rc 2 "deadline during a silent banner"
expect_text "CRITICAL - deadline of 2 s reached while waiting for the banner of MX silent.hosts.test[127.0.26.1]:25 (preference 10)" \
	"deadline: names the pending stage"
expect_out " hosts_tried=1" "deadline: perfdata still printed"
run -T 10 $P -D silent.dom.test $S -t 2 --stage-timeout 5 --timeout-result warning
expect_rc 1 "deadline with --timeout-result warning"
run -T 10 $P -D silent.dom.test $S -t 1:unknown --stage-timeout 5
expect_rc 3 "deadline with -t 1:unknown"

run -T 10 $P -D timeout.dom.test $S -t 2 --stage-timeout 5
expect_rc 2 "deadline during the MX lookup"
expect_text "deadline of 2 s reached while waiting for DNS (MX of timeout.dom.test)" \
	"deadline: names the pending lookup"
run -T 10 $P -D timeout.dom.test $S -t 4 --stage-timeout 1
expect_rc 2 "MX lookup timing out"
expect_text "the MX lookup failed, mail is deferred" "MX timeout: summary"

# SMTPUTF8 (RFC 6531): a UTF-8 local part is sent with the parameter
run $P -R "$(printf 'j\303\266rg@single.dom.test')" $S -vv
expect_rc 0 "UTF-8 local part, server offers SMTPUTF8"
expect_out '> MAIL FROM:<> SMTPUTF8$' "UTF-8 local part: SMTPUTF8 parameter"
run $P -D single.dom.test -f "$(printf 'j\303\266rg@single.dom.test')" $S -vv
expect_out '> MAIL FROM:<j\\xc3\\xb6rg@single\.dom\.test> SMTPUTF8$' \
	"UTF-8 sender: SMTPUTF8 parameter too"

# hostile peers: the right state, in time, no crash
for x in endless garbage tlsreset; do
	start=$(date +%s%N)
	# at --tls may a failed handshake is retried in plaintext (relay-tls.t)
	lvl=may
	[ $x = tlsreset ] && lvl=encrypt
	run -T 10 $P -D $x.dom.test $S -t 5 --tls $lvl
	el=$((($(date +%s%N) - start) / 1000000))
	expect_rc 2 "hostile $x: CRITICAL"
	[ "$el" -lt 5500 ]
	ok $? "hostile $x: within the deadline (${el} ms)"
	case $x in
	endless) expect_text "protocol error in stage banner: reply line longer than 1000 octets" "endless: named" ;;
	garbage) expect_text "protocol error in stage banner: malformed reply line" "garbage: named" ;;
	tlsreset) expect_text "TLS failure in stage TLS handshake" "tlsreset: named" ;;
	esac
done

# a server from before ESMTP: 502 to EHLO, then HELO (RFC 5321 §3.2)
run $P -D heloonly.dom.test $S -vv
expect_rc 0 "HELO fallback after a 502 to EHLO: accepted"
expect_out '< 502 5\.5\.2 ' "HELO fallback: the 502 to EHLO is in the transcript"
expect_out '> HELO [a-z]' "HELO fallback: HELO sent"
expect_no_out '> (DATA|STARTTLS)' "HELO fallback: no DATA, no STARTTLS without EHLO"

# plaintext behind the 220 to STARTTLS: thrown away, never read as a reply
run $P -D inject.dom.test $S --tls encrypt -vv
expect_rc 2 "injected plaintext, then a failed handshake: CRITICAL"
expect_out '^MX inject\.hosts\.test\[127\.0\.26\.7\]:25 \(preference 10\): plaintext after the 220 to STARTTLS was discarded \(RFC 3207 section 4\.2\)' \
	"injected plaintext: a WARNING finding"
expect_no_out '< 250 2\.1\.5 injected' "injected plaintext: never taken as a reply"
# at may the handshake failure is retried in plaintext (relay-tls.t); the
# injection is still reported
run $P -D inject.dom.test $S --tls may
expect_rc 1 "injected plaintext, may: WARNING"
expect_out '^MX inject\.hosts\.test\[127\.0\.26\.7\]:25 \(preference 10\): plaintext after the 220 to STARTTLS was discarded' \
	"injected plaintext, may: the finding stays after the plaintext retry"

# DANE (RFC 7672): secure.test is signed, tls.secure.test publishes a
# TLSA 3 1 1 of the certificate 127.0.25.5 serves, badtlsa.secure.test
# one of zeros; *.dom.test is unsigned.
run $P -D secure.test $S --tls dane -vv
expect_rc 0 "dane: secure.test through the walk: OK"
expect_out '^SMTP RELAY PATH OK - <postmaster@secure\.test> accepted by MX tls\.secure\.test\[127\.0\.25\.5\]:25 \(preference 10\): 250 2\.1\.5 Ok, TLS1\.[23], DANE: TLSA 3 1 1 matched\|' \
	"dane: the match in the summary"
expect_out '^MX tls\.secure\.test\[127\.0\.25\.5\]:25 \(preference 10\): accepted at RCPT TO, .*; DANE: TLSA 3 1 1 matched; certificate expires in [0-9]+ days' \
	"dane: the match on the address line"
expect_out '^TLSA _25\._tcp\.tls\.secure\.test: NOERROR \(AD\), 1 record$' "dane -vv: the TLSA answer"
expect_out '^  TLSA 3 1 1 [0-9a-f]{32}\.\.\. \(32 octets\)$' "dane -vv: the record, cut"
expect_no_out 'no trust store' "dane: no trust store needed for DANE-EE"

run $P -R u@secure.test -H badtlsa.secure.test $S --tls dane
expect_rc 2 "dane: TLSA that matches nothing: CRITICAL"
expect_out '^SMTP RELAY PATH CRITICAL - <u@secure\.test>: no host accepted \(1 address tried\), relay badtlsa\.secure\.test\[127\.0\.25\.5\]:25 DANE authentication failed: no TLSA record matches the certificate \(3 1 1\)\.\.\.\|' \
	"dane: mismatch named in the summary, cut at a word"
first=$(printf '%s\n' "$OUT" | head -n 1)
status=${first%%|*}
[ "${#status}" -lt 200 ] && [ "${status#*;}" = "$status" ]
ok $? "dane: status line under 200 characters and without ';' (${#status})"
expect_out '^<u@secure\.test>: no host accepted \(1 address tried\), relay badtlsa\.secure\.test\[127\.0\.25\.5\]:25 DANE authentication failed: no TLSA record matches the certificate \(3 1 1\) \(tlsa-invalid\)$' \
	"dane: the whole summary as the first long-output line"
expect_out '> QUIT' "dane mismatch: the session still ends with QUIT"
expect_no_out '> MAIL FROM' "dane mismatch: no MAIL over an unauthenticated session"

run $P -R u@secure.test -H badtlsa.secure.test -H tls.secure.test $S --tls dane
expect_rc 1 "dane: mismatch on the first relay, match on the second: WARNING"
expect_text "accepted only by the backup relay tls.secure.test[127.0.25.5]:25" "dane: moved on to the next relay"
expect_text "DANE: TLSA 3 1 1 matched" "dane: the second relay matched"

run $P -D tls.dom.test $S --tls dane
expect_rc 0 "dane: unsigned domain: OK, opportunistic"
expect_out '^SMTP RELAY PATH OK - .*, TLS1\.[23], DANE: no DNSSEC \(MX of tls\.dom\.test not validated\), opportunistic TLS\|' \
	"dane: unsigned: the note in the summary"

run $P -D single.dom.test $S --tls dane
expect_rc 0 "dane: unsigned, no STARTTLS: OK in plaintext, as Postfix would"
expect_out '^SMTP RELAY PATH OK - <postmaster@single\.dom\.test> accepted by MX accept\.hosts\.test\[127\.0\.25\.1\]:25 \(preference 10\): 250 2\.1\.5 Ok, DANE: no DNSSEC' \
	"dane: plaintext, no TLS version"
expect_no_out "=U|[ |]tls=" "dane: plaintext: no tls time"

run $P -R u@secure.test -H tls.secure.test:2525 $S --tls dane
expect_rc 2 "dane: validated NXDOMAIN for _2525._tcp: nothing listens there"
expect_text "DANE: no TLSA, opportunistic TLS (validated NXDOMAIN for _2525._tcp.tls.secure.test)" \
	"dane: a validated denial of TLSA is opportunistic"

run $P -D secure.test $S --tls dane --all
expect_rc 0 "dane --all: every address authenticated"
expect_out '^MX tls\.secure\.test\[127\.0\.25\.5\]:25 \(preference 10\): accepted at RCPT TO, .*; DANE: TLSA 3 1 1 matched;' \
	"dane --all: the match per address"

run $P -R u@secure.test -H 127.0.25.5 $S --tls dane
expect_rc 0 "dane: an address literal relay: opportunistic"
expect_text "DANE: an address has no TLSA base domain, opportunistic TLS" "dane: literal named"

# the other DANE paths, on the lab's secure.test data
run $P -D badmx.secure.test $S --tls dane
expect_rc 2 "dane: the only MX fails DANE: CRITICAL"
expect_text "DANE authentication failed: no TLSA record matches the certificate (3 1 1) (tlsa-invalid)" \
	"dane: the only MX: tlsa-invalid"
run $P -D fallback.secure.test $S --tls dane
expect_rc 1 "dane: the primary fails DANE, the backup matches: WARNING"
expect_out '^SMTP RELAY PATH WARNING - <postmaster@fallback\.secure\.test> accepted only by the backup MX tls\.secure\.test\[127\.0\.25\.5\]:25 \(preference 20\)' \
	"dane: the walk moved on to the backup"
run $P -R u@secure.test -H notls.secure.test $S --tls dane
expect_rc 2 "dane: usable TLSA, no STARTTLS: CRITICAL, never plaintext"
expect_text "DANE: usable TLSA requires TLS, none was established (starttls-not-supported)" \
	"dane: starttls-not-supported"
expect_no_out '> MAIL FROM' "dane: no MAIL in plaintext when TLSA is usable"
run $P -R u@secure.test -H pkix.secure.test $S --tls dane
expect_rc 0 "dane: only a PKIX usage: TLS without authentication"
expect_text "DANE: no usable TLSA (1 record, usage 1 (PKIX-EE) is not used for SMTP), TLS required but not authenticated" \
	"dane: unusable records named"
run $P -R u@secure.test -H ta.secure.test $S --tls dane
expect_rc 0 "dane: DANE-TA 2 0 0 with the lab CA"
expect_text "DANE: TLSA 2 0 0 matched, chain verified for ta.secure.test" "dane: the trust anchor matched, names checked"
run $P -D tlsafail.secure.test $S --tls dane
expect_rc 2 "dane: bogus TLSA of a secure host: not used, CRITICAL"
expect_text "DANE: TLSA lookup SERVFAIL: host not used (dnssec-invalid)" "dane: dnssec-invalid"
expect_no_out '^ +[0-9]+ ms \* connected' "dane: no connection to a host whose TLSA is bogus"
run $P -D cnamemx.secure.test $S --tls dane -vv
expect_rc 0 "dane: an MX behind a CNAME: the expanded name's TLSA (RFC 7672 section 2.2.3)"
expect_out '^TLSA _25\._tcp\.tls\.secure\.test: NOERROR \(AD\), 1 record$' "dane: TLSA asked at the expanded name"
expect_text "DANE: TLSA 3 1 1 matched" "dane: matched through the alias"

done_testing
