#!/bin/bash
# check_smtp_relay_path against scripted peers whose replies are out of
# the ordinary: an unsolicited line that puts every reply out of step (in
# the greeting's segment and in a later one), a 100,000-line EHLO reply,
# mixed codes in one reply, and a TLS server that closes without
# close_notify after its 221.  Each test asserts the exit code and the
# text; the verdicts that depend on timing run three times.
. "${top_srcdir:-.}/t/tap.sh"
lab_required

P=check_smtp_relay_path
S="-s $LAB_RESOLVER"
CA=$LAB_DIR/ca.pem

# ---- replies out of step: the same verdict whatever the segmentation ----
for n in 1 2 3; do
	# the unsolicited line arrives with the greeting: bytes before EHLO
	run $P -D extra.dom.test $S
	expect_rc 2 "extra ($n): CRITICAL"
	expect_text "MX extra.hosts.test[127.0.26.8]:25 (preference 10) protocol error in stage banner: unexpected data after the reply to the connection" \
		"extra ($n): bytes before the first command are a protocol error of that host"
	# it arrives after EHLO went out: taken for the EHLO reply, every
	# reply after it is one late; the EHLO reply then answers MAIL
	run $P -D extralate.dom.test $S
	expect_rc 2 "extralate ($n): CRITICAL, not OK with MAIL's 250 taken for RCPT's"
	expect_text "protocol error in stage MAIL FROM: the reply to MAIL FROM cannot belong to it (a 5-line reply listing EHLO keywords): replies out of step" \
		"extralate ($n): the late EHLO reply is recognised"
	expect_no_out 'accepted by' "extralate ($n): never accepted"
done
run $P -D extralate.dom.test $S --no-pipelining -vv
expect_rc 2 "extralate, no pipelining: CRITICAL"
expect_text "the reply to MAIL FROM cannot belong to it" "extralate, no pipelining: the same finding"
expect_out '^ +[0-9]+ ms < 250 2\.0\.0 unsolicited$' "extralate: the unsolicited line in the transcript"
# a real backup behind it: the walk moves on, as after any protocol error
run $P -D extralate.dom.test $S -H extralate.hosts.test -H accept.hosts.test
expect_rc 1 "extralate then a working relay: WARNING (only the second relay accepts)"
expect_text "accepted only by the backup relay accept.hosts.test[127.0.25.1]:25" \
	"extralate then a working relay: the second one accepts"

# ---- a 100,000-line EHLO reply: read to its end, bounded memory ---------
for n in 1 2 3; do
	run $P -D longehlo.dom.test $S -t 30
	expect_rc 0 "longehlo ($n): OK (Postfix delivers too)"
	expect_out '^SMTP RELAY PATH OK - <postmaster@longehlo\.dom\.test> accepted by MX longehlo\.hosts\.test\[127\.0\.26\.10\]:25 \(preference 10\): 250 2\.1\.5 Ok\|' \
		"longehlo ($n): accepted"
done
run $P -D longehlo.dom.test $S -vv -t 30
expect_rc 0 "longehlo -vv: OK"
expect_out '^ +[0-9]+ ms < 250-X-FILLER-000019$' "longehlo -vv: the reply's first lines in the transcript"
expect_no_out 'X-FILLER-000020' "longehlo -vv: not the 99,979 in the middle"
expect_out '^ +[0-9]+ ms < \.\.\. 99979 more lines$' "longehlo -vv: they are counted"
expect_out '^ +[0-9]+ ms < 250 SIZE 10240000$' "longehlo -vv: and the last line"
expect_out '^ +[0-9]+ ms > MAIL FROM:<> *$' "longehlo -vv: MAIL follows (pipelined: PIPELINING was on line 2)"
expect_out '^ +[0-9]+ ms > QUIT$' "longehlo -vv: the transcript goes on to QUIT"
# the same reply over TLS, in 16 KiB records
run $P -D longtls.dom.test $S --cafile "$CA" -vv -t 30
expect_rc 0 "longtls: OK"
expect_out '^SMTP RELAY PATH OK - <postmaster@longtls\.dom\.test> accepted by MX longtls\.hosts\.test\[127\.0\.26\.14\]:25 \(preference 10\): 250 2\.1\.5 Ok, TLS1\.[23]\|' \
	"longtls: accepted over TLS"
expect_out '^ +[0-9]+ ms < \.\.\. 99979 more lines$' "longtls: the reply read to its end"
expect_text "certificate verified for longtls.hosts.test" "longtls: the certificate"
# the per-line limit stays (RFC 5321 section 4.5.3.1.5)
run $P -D endless.dom.test $S --stage-timeout 3
expect_rc 2 "endless line: CRITICAL"
expect_text "reply line longer than 1000 octets" "endless line: the per-line limit"

# ---- mixed codes in one reply: judged by the last line, as Postfix ------
run $P -R user@mixed.dom.test $S
expect_rc 1 "mixed codes, last line 250: WARNING"
expect_out '^SMTP RELAY PATH WARNING - mixed\.hosts\.test mixes reply codes 550 and 250 in one reply to RCPT TO \(RFC 5321 section 4\.2\.1\); <user@mixed\.dom\.test> accepted by MX mixed\.hosts\.test' \
	"mixed codes: the headline names the violation and the host, and the acceptance"
expect_text "MX mixed.hosts.test[127.0.26.11]:25 (preference 10): the reply to RCPT TO has code 550 on its first line and 250 on its last (RFC 5321 section 4.2.1 violation); judged by the last line, as Postfix does" \
	"mixed codes: the finding"
run $P -R reject@mixed.dom.test $S
expect_rc 2 "mixed codes, last line 550: CRITICAL (rejected)"
expect_text "said: 550 5.1.1 this line says yes / User unknown (in reply to RCPT TO)" \
	"mixed codes, last line 550: the rejection"
expect_text "has code 250 on its first line and 550 on its last" "mixed codes, last line 550: the finding"

# ---- TLS: a close without close_notify after the 221 is a normal end ----
for n in 1 2 3; do
	run $P -D nobye.dom.test $S --cafile "$CA"
	expect_rc 0 "nobye ($n): OK"
	expect_out '^SMTP RELAY PATH OK - <postmaster@nobye\.dom\.test> accepted by MX nobye\.hosts\.test\[127\.0\.26\.12\]:25 \(preference 10\): 250 2\.1\.5 Ok, TLS1\.[23]\|' \
		"nobye ($n): the replies read with the close count"
done
run $P -D nobye.dom.test $S --tls verify --cafile "$CA" --no-pipelining -vv
expect_rc 0 "nobye, verify, no pipelining: OK"
expect_out '^ +[0-9]+ ms < 221 2\.0\.0 Bye$' "nobye: the 221 in the transcript"

done_testing
