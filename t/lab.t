#!/bin/bash
# The lab itself: every behaviour the plugins' integration tests rely on is
# really there, as seen by independent tools (dig, swaks, openssl s_client,
# Debian's check_smtp and check_rbl, and a raw TCP probe).  Needs a running
# lab (t/lab/up); skipped otherwise.
#
# Copyright the mailpath-plugins authors.  GPL-3.0-or-later.
set -u
. "${top_srcdir:-.}/t/tap.sh"
lab_required

LAB=$top_srcdir/t/lab
WR=$LAB/with-resolver
# Run the whole test where /etc/resolv.conf is the lab's, so that no tool
# can ask a resolver outside the lab.
if [ -z "${MAILPATH_LAB_NS:-}" ]; then
	MAILPATH_LAB_NS=1 exec "$WR" bash "$0" "$@"
fi
PROBE=$LAB/probe
NP=/usr/lib/nagios/plugins
CA=$LAB_DIR/ca.pem

# dig at the lab resolver, one try, short wait.
q() { run -T 10 dig +time=2 +tries=1 @"$LAB_RESOLVER" "$@"; }
qs() { run -T 10 dig +short +time=2 +tries=1 @"$LAB_RESOLVER" "$@"; }
# expect_set "SORTED LINES" DESCRIPTION: $OUT sorted equals the lines given
expect_set() {
	local got want
	got=$(printf '%s\n' "$OUT" | sort)
	want=$(printf '%s\n' "$1" | tr ';' '\n' | sort)
	[ "$got" = "$want" ]
	r=$?
	ok $r "$2"
	[ $r -eq 0 ] || { diag "want: $want"; tap_show; }
}

# ---------------------------------------------------------------- DNS ---
qs single.dom.test MX
expect_set "10 accept.hosts.test." "single.dom.test has one MX"
qs two.dom.test MX
expect_set "10 accept.hosts.test.;20 nopipe.hosts.test." "two.dom.test has two preferences"
qs three.dom.test MX
expect_set "10 accept.hosts.test.;20 nopipe.hosts.test.;30 dual.hosts.test." "three.dom.test has three preferences"
qs equal.dom.test MX
expect_set "10 accept.hosts.test.;10 nopipe.hosts.test.;20 dual.hosts.test." "equal.dom.test has two equal preferences"
qs trap-last.dom.test MX
expect_set "10 cluster1.trap.test.;20 cluster1a.trap.test." "trap-last: trap at the highest preference"
qs trap-first.dom.test MX
expect_set "10 cluster1a.trap.test.;20 cluster1.trap.test." "trap-first: trap as primary"
qs walk-trap.dom.test MX
expect_set "10 refused.hosts.test.;20 cluster1a.trap.test." "walk-trap: refused primary, trap secondary"
qs cluster1a.trap.test A
expect_set "127.0.25.4" "cluster1a.trap.test is the refusing listener"
qs nullmx.dom.test MX
expect_set "0 ." "nullmx.dom.test is a null MX"
qs nullmix.dom.test MX
expect_set "0 .;10 accept.hosts.test." "nullmix.dom.test mixes a null MX with a real one"

q implicit.dom.test MX
expect_out 'status: NOERROR' "implicit.dom.test exists"
expect_out 'ANSWER: 0,' "implicit.dom.test has no MX"
qs implicit.dom.test A
expect_set "127.0.25.1" "implicit.dom.test has an address (implicit MX)"
q nothing.dom.test MX
expect_out 'status: NOERROR.*|ANSWER: 0,' "nothing.dom.test exists without MX"
q nothing.dom.test A
expect_out 'ANSWER: 0,' "nothing.dom.test has no address"
q missing.dom.test MX
expect_out 'status: NXDOMAIN' "missing.dom.test does not exist"

qs cname-mx.dom.test MX
expect_set "10 cname.hosts.test." "cname-mx.dom.test points at a CNAME"
q cname.hosts.test A
expect_out '^cname\.hosts\.test\..*CNAME[[:space:]]+accept\.hosts\.test\.' "cname.hosts.test is a CNAME"
qs literal.dom.test MX
expect_set "10 127.0.25.1." "literal.dom.test has an IP literal as MX"
q 127.0.25.1. A
expect_out 'status: NXDOMAIN' "the IP literal written as a name does not resolve"
qs noaddr.dom.test MX
expect_set "10 accept.hosts.test.;20 noaddr.hosts.test." "noaddr.dom.test"
q noaddr.hosts.test A
expect_out 'status: NOERROR' "noaddr.hosts.test exists"
expect_out 'ANSWER: 0,' "noaddr.hosts.test has no A"
q noaddr.hosts.test AAAA
expect_out 'ANSWER: 0,' "noaddr.hosts.test has no AAAA"

qs v6only.hosts.test AAAA
expect_set "::1" "v6only.hosts.test has AAAA ::1"
q v6only.hosts.test A
expect_out 'ANSWER: 0,' "v6only.hosts.test has no A"
qs dual.hosts.test A
expect_set "127.0.25.1" "dual.hosts.test has A"
qs dual.hosts.test AAAA
expect_set "::1" "dual.hosts.test has AAAA"
qs multi.hosts.test A
expect_set "127.0.25.1;127.0.27.1" "multi.hosts.test has a live and a dead address"
for h in accept:127.0.25.1 reject:127.0.25.2 greylist:127.0.25.3 trap:127.0.25.4 tls:127.0.25.5 \
	expired:127.0.25.6 wrongname:127.0.25.7 nopipe:127.0.25.8 soon:127.0.25.9 refused:127.0.27.1 \
	silent:127.0.26.1 slow:127.0.26.2 endless:127.0.26.3 garbage:127.0.26.4 tlsreset:127.0.26.5 \
	heloonly:127.0.26.6 inject:127.0.26.7 extra:127.0.26.8 extralate:127.0.26.9 \
	longehlo:127.0.26.10 mixed:127.0.26.11 nobye:127.0.26.12 nulname:127.0.26.13 longtls:127.0.26.14 \
	nolist:127.0.27.2 nolist-open:127.0.25.1; do
	qs "${h%%:*}.hosts.test" A
	expect_set "${h#*:}" "${h%%:*}.hosts.test is ${h#*:}"
done
fails=0
for n in rcpt-reject:reject greylist trap tls expired wrongname nopipe soon v6only dual silent slow \
	endless garbage tlsreset heloonly inject multi extra extralate longehlo mixed nobye nulname longtls; do
	qs "${n%%:*}.dom.test" MX
	[ "$OUT" = "10 ${n#*:}.hosts.test." ] || { fails=$((fails + 1)); diag "${n%%:*}.dom.test: $OUT"; }
done
ok $fails "every <name>.dom.test has MX 10 <name>.hosts.test"
for n in refused silent slow greylist; do
	qs "fallback-$n.dom.test" MX
	expect_set "10 $n.hosts.test.;20 accept.hosts.test." "fallback-$n.dom.test"
done
qs nolisting.dom.test MX
expect_set "10 nolist.hosts.test.;20 accept.hosts.test." "nolisting.dom.test: a dummy primary, a real backup"
qs nolisting-open.dom.test MX
expect_set "10 nolist-open.hosts.test.;20 accept.hosts.test." "nolisting-open.dom.test: the dummy accepts"
qs all-dead.dom.test MX
expect_set "10 refused.hosts.test.;20 silent.hosts.test." "all-dead.dom.test"
qs many.dom.test MX
expect_lines 10 "many.dom.test has ten MX records"
qs xn--bcher-kva.dom.test MX
expect_set "10 accept.hosts.test." "the IDN domain xn--bcher-kva.dom.test has an MX"

# DNSSEC
q secure.test MX +adflag
expect_out 'flags:[^;]* ad[ ;]' "secure.test: validated answer has AD"
expect_out 'MX[[:space:]]+10 tls\.secure\.test\.' "secure.test has MX tls.secure.test"
q tls.secure.test A +dnssec
expect_out 'flags:[^;]* ad[ ;]' "tls.secure.test A is validated (DO)"
q _25._tcp.tls.secure.test TLSA +adflag
expect_out 'TLSA[[:space:]]+3 1 1 [0-9A-Fa-f]{16}' "tls.secure.test has a TLSA record"
expect_out 'flags:[^;]* ad[ ;]' "the TLSA record is validated"
q single.dom.test MX +adflag
expect_no_out 'flags:[^;]* ad[ ;]' "single.dom.test (unsigned) has no AD"
expect_out 'status: NOERROR' "single.dom.test still answers"
q mx.bogus.test MX
expect_out 'status: SERVFAIL' "bogus.test (tampered signatures) gives SERVFAIL"
q mx.bogus.test MX +cd
expect_out 'status: NOERROR' "bogus.test answers with checking disabled (it is a validation failure)"
q servfail.dom.test MX
expect_out 'status: SERVFAIL' "servfail.dom.test MX gives SERVFAIL"

# Silent servers: no answer (Unbound may give up with SERVFAIL later).
q 2.0.0.127.silent.dnsbl.test A
expect_no_out 'status: (NOERROR|NXDOMAIN)' "silent.dnsbl.test never answers"
run -T 10 dig +time=1 +tries=1 @127.0.54.9 timeout.dom.test MX
expect_out 'timed out' "the black hole 127.0.54.9 reads and never answers"
q x.silent-ns.test A
expect_no_out 'status: (NOERROR|NXDOMAIN)' "silent-ns.test never answers"

# Other transports and the authoritative server
run -T 10 dig +tcp +short +time=2 +tries=1 @"$LAB_RESOLVER" single.dom.test MX
expect_out '^10 accept\.hosts\.test\.$' "the resolver answers over TCP"
run -T 10 dig +norec +time=2 +tries=1 @127.0.53.1 single.dom.test MX
expect_out 'flags:[^;]* aa[ ;]' "NSD on 127.0.53.1 answers authoritatively"
q www.example.com A
expect_out 'status: (NXDOMAIN|REFUSED)' "names outside the lab are not resolved"

# SPF
spf() { # spf NAME EXPECTED-TXT...
	local n=$1
	shift
	qs "$n" TXT
	expect_set "$(printf '%s;' "$@" | sed 's/;$//')" "$n TXT"
}
spf ip.spf.test '"v=spf1 ip4:203.0.113.7 ip6:2001:db8::7 -all"'
spf a.spf.test '"v=spf1 a mx -all"'
qs a.spf.test A
expect_set 203.0.113.8 "a.spf.test A"
qs a.spf.test MX
expect_set "10 mail.a.spf.test." "a.spf.test MX"
qs mail.a.spf.test AAAA
expect_set "2001:db8::9" "mail.a.spf.test AAAA"
spf include.spf.test '"v=spf1 include:ip.spf.test include:nested.spf.test -all"'
spf nested.spf.test '"v=spf1 ip4:198.51.100.10 include:deep.spf.test ~all"'
spf deep.spf.test '"v=spf1 ip4:198.51.100.11 -all"'
spf redirect.spf.test '"v=spf1 redirect=ip.spf.test"'
qs toomany.spf.test TXT
n=$(printf '%s' "$OUT" | grep -o 'include:' | wc -l)
[ "$n" -eq 11 ]
ok $? "toomany.spf.test has 11 includes ($n)"
fails=0
for i in $(seq 1 11); do
	qs "i$i.spf.test" TXT
	[ "$OUT" = "\"v=spf1 ip4:198.51.100.$((20 + i)) -all\"" ] || fails=$((fails + 1))
done
ok $fails "i1..i11.spf.test exist"
spf loop.spf.test '"v=spf1 include:loop2.spf.test -all"'
spf loop2.spf.test '"v=spf1 include:loop.spf.test -all"'
spf cidr.spf.test '"v=spf1 ip4:198.51.100.0/24 ip4:203.0.113.50 -all"'
spf private.spf.test '"v=spf1 ip4:10.1.2.3 ip4:127.0.0.5 ip4:203.0.113.7 -all"'
spf void.spf.test '"v=spf1 a:nx1.spf.test a:nx2.spf.test a:nx3.spf.test -all"'
q nx1.spf.test A
expect_out 'status: NXDOMAIN' "nx1.spf.test does not exist (void lookup)"
spf multi-string.spf.test '"v=spf1 ip4:203.0.113.7 " "ip4:203.0.113.8 -all"'
spf nospf.spf.test '"google-site-verification=lab-not-spf"'
spf twospf.spf.test '"v=spf1 ip4:203.0.113.7 -all"' '"v=spf1 ip4:203.0.113.8 -all"'
spf listed.spf.test '"v=spf1 ip4:203.0.113.2 -all"'

# DNSBL (rbldnsd behind Unbound)
qs 2.113.0.203.zen.dnsbl.test A
expect_set "127.0.0.2;127.0.0.4" "zen: 203.0.113.2 is SBL and XBL (two A records)"
qs 2.113.0.203.zen.dnsbl.test TXT
expect_out 'SBL.*203\.0\.113\.2' "zen: TXT reason names the address"
qs 3.113.0.203.zen.dnsbl.test A
expect_set "127.0.0.10" "zen: 203.0.113.3 is PBL"
qs 4.113.0.203.zen.dnsbl.test A
expect_set "127.0.0.4" "zen: 203.0.113.4 is XBL"
q 77.100.51.198.zen.dnsbl.test A
expect_out 'status: NXDOMAIN' "zen: 198.51.100.77 is clean"
q 200.113.0.203.l10.dnsbl.test A
expect_out 'status: NXDOMAIN' "l10: 203.0.113.200 is clean"
qs spam-domain.test.bits.dnsbl.test A
expect_set "127.0.0.72" "bits: spam-domain.test has bits 8|64"
qs phish.test.bits.dnsbl.test A
expect_set "127.0.0.8" "bits: phish.test has bit 8"
qs blocked.test.bits.dnsbl.test A
expect_set "127.0.0.1" "bits: blocked.test gives the 'query blocked' code"
qs bad.dom.test.dbl.dnsbl.test A
expect_set "127.0.1.2" "dbl: bad.dom.test is listed"
qs bad.dom.test.dbl.dnsbl.test TXT
expect_out 'lab DBL' "dbl: TXT reason"
qs spam-domain.test.dbl.dnsbl.test A
expect_set "127.0.1.2" "dbl: spam-domain.test is listed"
qs 9.100.51.198.refused.dnsbl.test A
expect_set "127.255.255.254" "refused: any IPv4 gets 127.255.255.254"
qs 9.100.51.198.refused.dnsbl.test TXT
expect_out 'query refused' "refused: TXT says query refused"
qs 2.0.0.127.dblerr.dnsbl.test A
expect_set "127.0.1.255" "dblerr: an IP query gets 127.0.1.255"
qs 9.100.51.198.parked.dnsbl.test A
expect_set "198.51.100.117" "parked: answers outside 127/8"
qs 1.0.0.127.world.dnsbl.test A
expect_set "127.0.0.2" "world: lists even 127.0.0.1"
q 2.0.0.127.empty.dnsbl.test A
expect_out 'status: NXDOMAIN' "empty: not even 127.0.0.2 is listed"
q 2.0.0.127.nosuch.dnsbl.test A
expect_out 'status: SERVFAIL' "a zone rbldnsd does not serve gives SERVFAIL"

nib_mapped=2.0.0.0.0.0.f.7.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0
nib_mapped1=1.0.0.0.0.0.f.7.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0
nib_doc2=2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2
nib_doc3=3.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2
qs "$nib_mapped.v6.dnsbl.test" A
expect_set "127.0.0.2" "v6: ::ffff:127.0.0.2 (RFC 5782 nibble name) is listed"
q "$nib_mapped1.v6.dnsbl.test" A
expect_out 'status: NXDOMAIN' "v6: ::ffff:127.0.0.1 is not listed"
qs "$nib_doc2.v6.dnsbl.test" A
expect_set "127.0.0.2" "v6: 2001:db8::2 is listed"
q "$nib_doc3.v6.dnsbl.test" A
expect_out 'status: NXDOMAIN' "v6: 2001:db8::3 is not listed"
qs 2.113.0.203.v6.dnsbl.test A
expect_set "127.0.0.2" "v6: 203.0.113.2 is listed (IPv4 too)"

# RFC 5782 section 5 test entries on every ordinary zone.
fails=0
for z in zen v6 $(seq -f 'l%02g' 1 60); do
	qs "2.0.0.127.$z.dnsbl.test" A
	[ -n "$OUT" ] || { fails=$((fails + 1)); diag "$z: 127.0.0.2 not listed"; }
	q "1.0.0.127.$z.dnsbl.test" A
	printf '%s' "$OUT" | grep -q 'status: NXDOMAIN' || { fails=$((fails + 1)); diag "$z: 127.0.0.1 listed"; }
done
ok $fails "zen, v6 and l01..l60 list 127.0.0.2 and not 127.0.0.1"
listed=""
for z in $(seq -f 'l%02g' 1 60); do
	qs "2.113.0.203.$z.dnsbl.test" A
	[ -n "$OUT" ] && listed="$listed $z"
done
[ "$listed" = " l10 l20 l30 l40 l50 l60" ]
ok $? "203.0.113.2 is on l10, l20 ... l60 only (got:$listed)"
for z in bits dbl; do
	qs "test.$z.dnsbl.test" A
	[ -n "$OUT" ]
	ok $? "$z: the domain test entry 'test' is listed"
	q "invalid.$z.dnsbl.test" A
	expect_out 'status: NXDOMAIN' "$z: 'invalid' is not listed"
done

# --------------------------------------------------------------- SMTP ---
sw() { run -T 20 swaks --timeout 10 --from sender@lab.test --quit-after RCPT "$@"; }
sw --server 127.0.25.1 --to user@single.dom.test
expect_rc 0 "swaks: 127.0.25.1 accepts"
expect_out '^ *<- +250 2\.1\.5 Ok' "127.0.25.1: RCPT gets 250"
expect_out '^ *<- +250-PIPELINING' "127.0.25.1 offers PIPELINING"
expect_out '^ *<- +250-ENHANCEDSTATUSCODES' "127.0.25.1 offers ENHANCEDSTATUSCODES"
expect_no_out 'STARTTLS' "127.0.25.1 offers no STARTTLS"
sw --server 127.0.25.2 --to user@single.dom.test
expect_out '^ *<\*\* +550 5\.1\.1 <user@single\.dom\.test>: Recipient address rejected: User unknown' "127.0.25.2 rejects user with 550 5.1.1"
sw --server 127.0.25.2 --to postmaster@single.dom.test
expect_rc 0 "127.0.25.2 accepts postmaster"
expect_out '^ *<- +250 2\.1\.5 Ok' "127.0.25.2: postmaster gets 250"
sw --server 127.0.25.3 --to user@single.dom.test
expect_out '^ *<\*\* +451 4\.7\.1 .*Greylisted, try again later' "127.0.25.3 greylists with 451 4.7.1"
sw --server 127.0.25.4 --to user@single.dom.test
expect_out '^ *<\*\* +554 ' "127.0.25.4 refuses at connect with 554"
sw --server 127.0.25.5 --to user@single.dom.test
expect_out '^ *<- +250-STARTTLS' "127.0.25.5 offers STARTTLS"
expect_out '^ *<- +250-PIPELINING' "127.0.25.5 offers PIPELINING"
for a in 6 7 9; do
	sw --server 127.0.25.$a --to user@single.dom.test
	expect_out '^ *<- +250-STARTTLS' "127.0.25.$a offers STARTTLS"
done
sw --server 127.0.25.8 --to user@single.dom.test
expect_rc 0 "127.0.25.8 accepts"
expect_no_out 'PIPELINING' "127.0.25.8 does not offer PIPELINING"
sw --server ::1 --to user@single.dom.test
expect_rc 0 "[::1]:25 accepts"
expect_out '^ *<- +250 2\.1\.5 Ok' "[::1]: RCPT gets 250"
# swaks finds the MX itself, through the lab resolver.
run -T 20 "$WR" swaks --timeout 10 --from sender@lab.test --quit-after RCPT --to user@rcpt-reject.dom.test
expect_out 'Connected to reject\.hosts\.test' "swaks with the lab resolver follows rcpt-reject.dom.test's MX"
expect_out '550 5\.1\.1' "... and is rejected there"

# TLS, seen by openssl s_client (checks chain and name).
tls() { # tls ADDR NAME
	run -T 15 sh -c 'echo QUIT | openssl s_client -starttls smtp -connect "$1:25" -CAfile "$2" \
		-verify_hostname "$3" -verify_return_error -showcerts 2>&1' sh "$1" "$CA" "$2"
}
tls 127.0.25.5 tls.hosts.test
expect_out 'Verify return code: 0 \(ok\)' "127.0.25.5: certificate verifies for tls.hosts.test"
tls 127.0.25.5 tls.secure.test
expect_out 'Verify return code: 0 \(ok\)' "127.0.25.5: certificate verifies for tls.secure.test"
tls 127.0.25.6 expired.hosts.test
expect_out 'certificate has expired' "127.0.25.6: the certificate has expired"
tls 127.0.25.7 wrongname.hosts.test
expect_out 'hostname mismatch' "127.0.25.7: the certificate is for another name"
expect_out 'CN *= *other-name\.test' "127.0.25.7: ... other-name.test"
tls 127.0.25.9 soon.hosts.test
expect_out 'Verify return code: 0 \(ok\)' "127.0.25.9: certificate verifies"
soon_cert=$(printf '%s\n' "$OUT" | sed -n '/BEGIN CERT/,/END CERT/p' | head -n 100)
printf '%s\n' "$soon_cert" | openssl x509 -noout -checkend $((6 * 86400)) >/dev/null
[ $? -eq 1 ]
ok $? "127.0.25.9: the certificate expires within 6 days"
printf '%s\n' "$soon_cert" | openssl x509 -noout -checkend $((3 * 86400)) >/dev/null
ok $? "127.0.25.9: ... but not within 3 days"

# Debian's check_smtp
run -T 20 "$NP/check_smtp" -H 127.0.25.1
expect_rc 0 "check_smtp: 127.0.25.1 is OK"
expect_out '^SMTP OK' "check_smtp: SMTP OK"
run -T 20 "$WR" "$NP/check_smtp" -H accept.hosts.test
expect_rc 0 "check_smtp with the lab resolver: accept.hosts.test is OK"
run -T 20 "$NP/check_smtp" -H 127.0.25.4
expect_rc 1 "check_smtp: 127.0.25.4 is WARNING (554 banner)"
expect_out '554 5\.7\.1' "check_smtp: shows the 554 banner"
run -T 20 "$NP/check_smtp" -H 127.0.27.1
expect_rc 2 "check_smtp: 127.0.27.1 is CRITICAL"
expect_out 'Connection refused' "check_smtp: connection refused"
run -T 20 "$NP/check_smtp" -H 127.0.25.6 -S -D 30
expect_rc 2 "check_smtp -S: the expired certificate is CRITICAL"
expect_out "Certificate 'expired\.hosts\.test' expired" "check_smtp -S: ... expired"
run -T 20 "$NP/check_smtp" -H 127.0.25.9 -S -D 30,10
expect_rc 2 "check_smtp -S: the certificate of 127.0.25.9 expires soon"
expect_out "Certificate 'soon\.hosts\.test' expires in [45] day" "check_smtp -S: ... in 4-5 days"

# Debian's check_rbl (it counts every A answer as a listing)
rbl() { run -T 30 "$WR" "$NP/check_rbl" -t 20 "$@"; }
rbl -H 203.0.113.2 -s zen.dnsbl.test -s l10.dnsbl.test -s l01.dnsbl.test -w 1 -c 2
expect_rc 2 "check_rbl: 203.0.113.2 is listed on 2 of 3"
expect_out 'BLACKLISTED on 2 servers of 3' "check_rbl: 2 servers of 3"
rbl -H 198.51.100.1 -s l01.dnsbl.test -s refused.dnsbl.test -s parked.dnsbl.test -w 1 -c 5
expect_rc 1 "check_rbl: error answers count as listings (its known flaw)"
expect_out 'refused\.dnsbl\.test \(127\.255\.255\.254\)' "check_rbl: shows 127.255.255.254 as a listing"
expect_out 'parked\.dnsbl\.test \(198\.51\.100\.117\)' "check_rbl: shows the parked answer as a listing"
rbl -H 127.0.0.2 -s empty.dnsbl.test -s nosuch.dnsbl.test -w 1 -c 5
expect_rc 0 "check_rbl: an empty list and a missing zone look clean (its known flaw)"
expect_out 'BLACKLISTED on 0 servers of 2' "check_rbl: 0 servers of 2"

# ------------------------------------------------------ scripted peers ---
run -T 10 "$PROBE" bytes 127.0.26.1 25 2
expect_out '^bytes=0 ' "127.0.26.1 (silent): no bytes within 2 s"
run -T 10 "$PROBE" bytes 127.0.26.2 25 1.5
expect_out '^bytes=0 ' "127.0.26.2 (slow): no banner within 1.5 s"
run -T 10 "$PROBE" smtp 127.0.26.2 25 'EHLO probe.test' 'MAIL FROM:<a@lab.test>' 'RCPT TO:<b@single.dom.test>' QUIT
expect_out '^< 220 ' "127.0.26.2 (slow): a banner comes eventually"
expect_out '^< 250 2\.1\.5' "127.0.26.2 (slow): then accepts the recipient"
expect_out '^< 221 ' "127.0.26.2 (slow): and says goodbye"
run -T 10 "$PROBE" bytes 127.0.26.3 25 2
expect_out '^bytes=([7-9][0-9]{4}|[0-9]{6,}) crlf=no' "127.0.26.3 (endless): more than 64 KiB without CRLF"
run -T 10 "$PROBE" smtp 127.0.26.4 25 'EHLO probe.test' 'MAIL FROM:<>'
expect_out '^< abc hello$' "127.0.26.4 (garbage): banner without a reply code"
expect_out '^< 999 what$' "127.0.26.4 (garbage): reply code 999"
expect_out '^< 2x0 huh$' "127.0.26.4 (garbage): reply code 2x0"
run -T 15 "$PROBE" starttls 127.0.26.5 25
expect_out '^starttls-reply=220 ' "127.0.26.5 (tlsreset): STARTTLS is answered with 220"
expect_out '^tls=(reset|closed)$' "127.0.26.5 (tlsreset): the connection is reset in the handshake"
run -T 10 "$PROBE" smtp 127.0.26.6 25 'EHLO probe.test' 'HELO probe.test' 'MAIL FROM:<>' \
	'RCPT TO:<b@single.dom.test>' QUIT
expect_out '^< 502 ' "127.0.26.6 (heloonly): EHLO is not recognised"
expect_out '^< 250 heloonly\.hosts\.test$' "127.0.26.6 (heloonly): HELO is"
expect_out '^< 250 2\.1\.5' "127.0.26.6 (heloonly): then accepts the recipient"
run -T 10 "$PROBE" smtp 127.0.26.7 25 'EHLO probe.test' STARTTLS NOOP
expect_out '^< 250-STARTTLS$' "127.0.26.7 (inject): offers STARTTLS"
expect_out '^< 220 2\.0\.0 Ready' "127.0.26.7 (inject): answers STARTTLS with 220"
expect_out '^< 250 2\.1\.5 injected$' "127.0.26.7 (inject): and a forged reply in plaintext behind it"
run -T 10 "$PROBE" bytes 127.0.27.1 25 1
expect_out '^refused$' "127.0.27.1: connection refused"
run -T 10 "$PROBE" bytes 127.0.27.2 25 1
expect_out '^refused$' "127.0.27.2 (nolist): connection refused"
run -T 10 "$PROBE" segments 127.0.26.8 25 1
expect_out '^seg=1 220 extra\.hosts\.test ESMTP\|250 2\.0\.0 unsolicited$' \
	"127.0.26.8 (extra): greeting and an unsolicited line in one segment"
run -T 10 "$PROBE" smtp 127.0.26.9 25 'EHLO probe.test' NOOP
expect_out '^< 220 extralate' "127.0.26.9 (extralate): a one-line greeting"
expect_out '^< 250 2\.0\.0 unsolicited$' "127.0.26.9 (extralate): an unsolicited line before the EHLO reply"
expect_out '^< 250-extralate\.hosts\.test$' "127.0.26.9 (extralate): the EHLO reply comes one reply late"
run -T 20 "$PROBE" ehlo 127.0.26.10 25
expect_out '^lines=100000 last=250 SIZE' "127.0.26.10 (longehlo): an EHLO reply of 100,000 lines"
run -T 10 "$PROBE" smtp 127.0.26.11 25 'EHLO probe.test' 'MAIL FROM:<>' 'RCPT TO:<user@mixed.dom.test>' \
	'RCPT TO:<reject@mixed.dom.test>'
expect_out '^< 550-5\.1\.1 ' "127.0.26.11 (mixed): RCPT reply starts with 550 ..."
expect_out '^< 250 2\.1\.5 Ok$' "127.0.26.11 (mixed): ... and ends with 250"
expect_out '^< 250-2\.1\.5 ' "127.0.26.11 (mixed): reject@ starts with 250 ..."
expect_out '^< 550 5\.1\.1 ' "127.0.26.11 (mixed): ... and ends with 550"
run -T 15 "$PROBE" tls 127.0.26.12 25 'EHLO probe.test' 'MAIL FROM:<>' 'RCPT TO:<a@nobye.dom.test>' QUIT
expect_out '^tls=TLSv1\.[23]$' "127.0.26.12 (nobye): STARTTLS and a handshake"
expect_out '^< 250 2\.1\.5 Ok$' "127.0.26.12 (nobye): accepts over TLS"
expect_out '^< 221 ' "127.0.26.12 (nobye): answers QUIT"
expect_out '^end=eof$' "127.0.26.12 (nobye): then closes without close_notify"
run -T 15 sh -c 'echo QUIT | openssl s_client -starttls smtp -connect 127.0.26.12:25 -CAfile "$1" \
	-verify_hostname nobye.hosts.test 2>&1' sh "$CA"
expect_out 'Verify return code: 0 \(ok\)' "127.0.26.12: certificate verifies for nobye.hosts.test"
run -T 15 "$PROBE" tls 127.0.26.13 25 'EHLO probe.test' QUIT
expect_out '^cert-nul=yes$' "127.0.26.13 (nulname): a certificate DNS name with an embedded NUL"
expect_out '^< 221 ' "127.0.26.13 (nulname): a clean dialogue over TLS"
run -T 20 "$PROBE" tls 127.0.26.14 25 'EHLO probe.test' QUIT
expect_out '^< 250-X-FILLER-099998$' "127.0.26.14 (longtls): the long EHLO reply over TLS"
expect_out '^< 250 SIZE 10240000$' "127.0.26.14 (longtls): to its last line"
run -T 15 sh -c 'echo QUIT | openssl s_client -starttls smtp -connect 127.0.26.13:25 -CAfile "$1" \
	-verify_hostname nulname.hosts.test 2>&1' sh "$CA"
expect_out 'Verify return code: 62 ' "127.0.26.13: openssl finds no name nulname.hosts.test (the NUL)"
run -T 15 sh -c 'echo QUIT | openssl s_client -starttls smtp -connect 127.0.26.13:25 -CAfile "$1" 2>&1' sh "$CA"
expect_out 'Verify return code: 0 \(ok\)' "127.0.26.13: the chain itself verifies (lab CA)"

# MTA-STS (sts.test): the TXT records, and the policy server on
# 127.0.29.1:443 as openssl s_client sees it (chain and name checked).
qs _mta-sts.enforce.sts.test TXT
expect_text '"v=STSv1; id=20260101T000000;"' "_mta-sts.enforce.sts.test announces MTA-STS"
qs _mta-sts.twotxt.sts.test TXT
expect_lines 2 "_mta-sts.twotxt.sts.test has two TXT records"
qs _smtp._tls.enforce.sts.test TXT
expect_text '"v=TLSRPTv1; rua=mailto:tlsrpt@sts.test"' "_smtp._tls.enforce.sts.test is a TLS-RPT record"
qs _smtp._tls.rptbad.sts.test TXT
expect_out 'rua=ftp:' "_smtp._tls.rptbad.sts.test names only an ftp: URI"
qs mta-sts.enforce.sts.test A
expect_set "127.0.29.1" "mta-sts.enforce.sts.test is the policy server"
q mta-sts.nohost.sts.test A
expect_out 'status: NXDOMAIN' "mta-sts.nohost.sts.test has no address"
get() { # get DOMAIN: the policy of DOMAIN.sts.test over HTTPS, verified
	run -T 15 sh -c 'printf "GET /.well-known/mta-sts.txt HTTP/1.0\r\nHost: %s\r\n\r\n" "$1" |
		openssl s_client -quiet -connect 127.0.29.1:443 -servername "$1" -CAfile "$2" \
		-verify_hostname "$1" -verify_return_error 2>&1' sh "mta-sts.$1.sts.test" "$CA"
}
get enforce
expect_out '^HTTP/1\.1 200 ' "mta-sts.enforce.sts.test: 200, certificate verified"
expect_out '^Content-Type: text/plain' "... as text/plain"
expect_out '^mode: enforce' "... mode enforce"
expect_out 'max_age: 604800.$' "... with CRLF line ends"
get wildcard
expect_out '^mx: \*\.hosts\.test$' "mta-sts.wildcard.sts.test: a wildcard pattern"
get testing
expect_out '^mode: testing$' "mta-sts.testing.sts.test: mode testing"
get none
expect_out '^mode: none$' "mta-sts.none.sts.test: mode none"
get mismatch
expect_out '^mx: mx\.elsewhere\.test$' "mta-sts.mismatch.sts.test: a pattern no MX matches"
get uncovered
expect_out '^mx: tls\.hosts\.test$' "mta-sts.uncovered.sts.test: the backup only"
get shortage
expect_out '^max_age: 3600$' "mta-sts.shortage.sts.test: max_age an hour"
get badsyntax
expect_out '^max_age: one week$' "mta-sts.badsyntax.sts.test: max_age is no number"
get notfound
expect_out '^HTTP/1\.1 404 ' "mta-sts.notfound.sts.test: 404"
get redirect
expect_out '^HTTP/1\.1 301 ' "mta-sts.redirect.sts.test: 301"
expect_out '^Location: https://mta-sts\.enforce\.sts\.test/' "... to another policy host"
get html
expect_out '^Content-Type: text/html' "mta-sts.html.sts.test: the policy as text/html"
run -T 10 sh -c 'openssl s_client -connect 127.0.27.1:443 </dev/null 2>&1'
expect_out 'refused|errno=111' "127.0.27.1:443: connection refused (mta-sts.refused.sts.test)"
run -T 10 "$PROBE" bytes 127.0.29.2 443 1
expect_out '^bytes=0 ' "127.0.29.2:443 (mta-sts.silent.sts.test): accepts, never a byte"
run -T 15 sh -c 'printf "GET /.well-known/mta-sts.txt HTTP/1.0\r\nHost: mta-sts.v6.sts.test\r\n\r\n" |
	openssl s_client -quiet -connect "[::1]:443" -servername mta-sts.v6.sts.test -CAfile "$1" \
	-verify_hostname mta-sts.v6.sts.test -verify_return_error 2>&1' sh "$CA"
expect_out '^HTTP/1\.1 200 ' "[::1]:443: the policy of mta-sts.v6.sts.test, certificate verified"
get tlsfail
expect_out 'verify error|hostname mismatch' "mta-sts.tlsfail.sts.test: a certificate for another name"
expect_no_out '^HTTP/' "... and no answer"

done_testing
