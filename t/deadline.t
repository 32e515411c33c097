#!/bin/bash
# Deadlines mean the same in all three plugins: --timeout-result is the
# state of every outcome the deadline caused, a DNS timeout inside a
# plugin's own DNS budget included; and a short -t against a resolver that
# answers in 200 ms gives the real verdict or the timeout state, never a
# made-up failure.  The slow resolver is bench/delay-proxy in front of the
# lab's Unbound, on an address of the proxies' range, stopped at the end.
. "${top_srcdir:-.}/t/tap.sh"

lab_required

proxy_addr=127.0.28.20
work=$(mktemp -d)
proxy_pid=
cleanup() {
	[ -n "$proxy_pid" ] && kill "$proxy_pid" 2>/dev/null && wait "$proxy_pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

# 100 ms each way: every answer takes 200 ms
python3 "$top_srcdir/bench/delay-proxy" --delay-ms 100 \
	--udp "$proxy_addr:53=$LAB_RESOLVER:53" \
	--tcp "$proxy_addr:53=$LAB_RESOLVER:53" \
	--control "$proxy_addr:5399" --ready-file "$work/ready" \
	</dev/null >"$work/proxy.log" 2>&1 &
proxy_pid=$!
for _ in $(seq 1 50); do
	[ -s "$work/ready" ] && break
	sleep 0.1
done
if [ ! -s "$work/ready" ]; then
	echo "Bail out! bench/delay-proxy did not start: $(cat "$work/proxy.log")"
	exit 1
fi
slow="-s $proxy_addr"
hole="-s 127.0.54.9"	# the lab's black hole: no answer ever
# -t 0.5 leaves room for two answers of 200 ms in a row (the MX, then the
# address); under valgrind (MAILPATH_WRAPPER) the plugin's own work takes
# longer than that, so the deadline there is 2 s, still a handful of
# answers' worth
short=0.5
[ -n "${MAILPATH_WRAPPER:-}" ] && short=2

# 200 ms answers, -t $short: the real verdict
run check_smtp_relay_path -D single.dom.test $slow -t $short
expect_rc 0 "relay, slow resolver, -t $short: the real verdict"
expect_out '^SMTP RELAY PATH OK - <postmaster@single\.dom\.test> accepted by MX accept\.hosts\.test' \
	"relay: accepted, no made-up DNS failure"
run check_mx_preference -D single.dom.test $slow -t $short
expect_rc 1 "mx, slow resolver, -t $short: the real verdict"
expect_out '^MX PREFERENCE WARNING - single\.dom\.test: non-public address: accept\.hosts\.test' \
	"mx: the loopback finding, not a lookup failure"
run check_dnsbl_sender -H 203.0.113.2 -l zen.dnsbl.test $slow -t $short
expect_rc 2 "dnsbl, slow resolver, -t $short: the real verdict"
expect_out '^DNSBL SENDER CRITICAL - score 1: 203\.0\.113\.2 on zen\.dnsbl\.test' \
	"dnsbl: the listing, not a DNS failure"

# No answer at all: whatever ran out first, the DNS budget or the
# deadline, the state is --timeout-result's (default CRITICAL).
for plugin in "check_smtp_relay_path -D single.dom.test" \
	"check_dnsbl_sender -H 203.0.113.2 -l zen.dnsbl.test" \
	"check_mx_preference -D single.dom.test"; do
	name=${plugin%% *}
	for tr in warning unknown ok critical; do
		case $tr in
		ok) code=0 ;; warning) code=1 ;; critical) code=2 ;; *) code=3 ;;
		esac
		# shellcheck disable=SC2086
		run -T 20 $plugin $hole -t 1 --timeout-result=$tr
		expect_rc $code "$name, no DNS answer, --timeout-result=$tr"
		expect_out "^[A-Z ]+ ${tr^^} - " "$name: the state line says ${tr^^}"
	done
done
run -T 20 check_smtp_relay_path -D single.dom.test $hole -t 1 --timeout-result=ok
expect_no_out 'lookup failed' "relay: a timeout is not called a failed lookup"

# check_dnsbl_sender's SPF lookups: a timeout in the DNS budget is no
# "SPF incomplete" error but the deadline's outcome
run -T 20 check_dnsbl_sender -S ip.spf.test -d dbl.dnsbl.test $hole -t 2 \
	--timeout-result=ok
expect_rc 0 "dnsbl: SPF and list lookups out of time, --timeout-result=ok"
expect_out '^SPF incomplete: SPF lookup of ip\.spf\.test: timeout' \
	"dnsbl: the SPF timeout named"
run -T 20 check_dnsbl_sender -S ip.spf.test -d dbl.dnsbl.test $hole -t 2 \
	--timeout-result=unknown --error-result=warning
expect_rc 3 "dnsbl: SPF timeout, --timeout-result=unknown beats --error-result"

done_testing
