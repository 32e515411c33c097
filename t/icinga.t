#!/bin/bash
# Debian's Icinga 2 runs the installed suite: make install into a staging
# directory, a private icinga2 whose config includes only the installed
# CheckCommands (and Icinga's own ITL), "icinga2 daemon -C" clean, then
# the daemon itself runs the three plugins against the lab and the test
# reads state, output and perfdata back through the API on loopback.
# Icinga's GraphiteWriter sends the perfdata to a line sink on loopback:
# it logs "Ignoring invalid perfdata" for what it cannot parse (a U), and
# a label's dots would become extra levels of the metric path, so a clean
# log and flat metric names are part of the result.
. "${top_srcdir:-.}/t/tap.sh"
. "$top_srcdir/t/daemons/common.sh"
daemons_heavy
lab_required
daemons_need icinga2

base=$LAB_DIR/icinga
rm -rf "$base"
mkdir -p "$base"
daemons_stage "$base"
d=$base/master
sink=
trap 'i2_stop "$d"; [ -n "$sink" ] && kill "$sink" 2>/dev/null' EXIT
i2_pki "$base/pki" master || { echo "Bail out! openssl: no certificates"; exit 1; }
i2_prepare "$d" master "$base/pki"
api=127.0.30.1:5665

cat >"$d/icinga2.conf" <<CONF
include <itl>
const NodeName = "master"
const PluginDir = "$STAGE_PLUGINS"
include "$STAGE_ICINGA2/*.conf"

object FileLogger "main" {
	path = "$d/log/icinga2.log"
	severity = "information"
}
object CheckerComponent "checker" { }
object ApiListener "api" {
	bind_host = "${api%:*}"
	bind_port = ${api#*:}
}
object ApiUser "test" {
	password = "test"
	permissions = [ "objects/query/*" ]
}
object Endpoint "master" { }
object Zone "master" { endpoints = [ "master" ] }
object GraphiteWriter "graphite" {
	host = "${api%:*}"
	port = 2003
}

template Service "lab" {
	check_interval = 2s
	retry_interval = 2s
	max_check_attempts = 1
}
object Host "listed" {
	check_command = "dummy"
	address = "203.0.113.2"
}
object Host "clean" {
	check_command = "dummy"
	address = "192.0.2.99"
}
object Service "mx-ok" {
	import "lab"
	host_name = "listed"
	check_command = "mx_preference"
	vars.mx_preference_domain = "single.dom.test"
	vars.mx_preference_dns_server = [ "$LAB_RESOLVER" ]
	vars.mx_preference_allow_private = true
}
object Service "mx-connect" {
	import "lab"
	host_name = "listed"
	check_command = "mx_preference"
	vars.mx_preference_domain = "fallback-refused.dom.test"
	vars.mx_preference_dns_server = [ "$LAB_RESOLVER" ]
	vars.mx_preference_allow_private = true
	vars.mx_preference_connect = true
}
object Service "relay-warning" {
	import "lab"
	host_name = "listed"
	check_command = "smtp_relay_path"
	vars.smtp_relay_path_domain = "fallback-refused.dom.test"
	vars.smtp_relay_path_dns_server = [ "$LAB_RESOLVER" ]
}
object Service "relay-critical" {
	import "lab"
	host_name = "listed"
	check_command = "smtp_relay_path"
	vars.smtp_relay_path_recipient = "nobody@rcpt-reject.dom.test"
	vars.smtp_relay_path_dns_server = [ "$LAB_RESOLVER" ]
}
apply Service "dnsbl" {
	import "lab"
	check_command = "dnsbl_sender"
	vars.dnsbl_sender_list = [ "zen.dnsbl.test" ]
	vars.dnsbl_sender_dns_server = [ "$LAB_RESOLVER" ]
	assign where host.address
}
CONF

# shellcheck disable=SC2046
run icinga2 daemon -C $(i2_args "$d")
expect_rc 0 "icinga2 daemon -C accepts the installed CheckCommands"
expect_out 'Instantiated 3 CheckCommands|Instantiated [0-9]+ CheckCommands' "commands loaded"
expect_no_out '(warning|critical)/' "icinga2 daemon -C: no warning"
for c in mx_preference smtp_relay_path dnsbl_sender; do
	grep -q "object CheckCommand \"$c\"" "$STAGE_ICINGA2"/*.conf
	ok $? "CheckCommand $c installed in plugins-contrib.d"
done

python3 "$top_srcdir/t/daemons/line-sink" "${api%:*}" 2003 "$base/graphite.txt" >"$base/sink.out" 2>&1 &
sink=$!
for i in $(seq 1 50); do grep -q ready "$base/sink.out" 2>/dev/null && break; sleep 0.1; done
i2_start "$d"
ok $? "icinga2 daemon started"
OUT=$(i2_results "$api" "$base/pki/ca.crt" 6)
RC=$?
LAST_CMD="i2-results $api"
expect_rc 0 "every service has a check result from the daemon"
expect_lines 6 "six services"
diag "recorded by the daemon:" "$OUT"
expect_out '^listed!mx-ok	0	MX PREFERENCE OK - single\.dom\.test: 1 MX, 1 usable, primary accept\.hosts\.test \(10\)	mx=1;;;0 usable=1;;1:;0 traps=0;;;0 dns_time=[0-9.]+s;;;0$' \
	"mx_preference OK, output and perfdata as the daemon recorded them"
expect_out '^listed!mx-connect	1	MX PREFERENCE WARNING - fallback-refused\.dom\.test: primary not accepting: .*	.* accept_hosts_test_connect_time=[0-9.]+s;;;0 reachable=1;;;0$' \
	"mx_preference WARNING, a host's connect time under a label with _ for dots"
expect_out '^listed!relay-warning	1	SMTP RELAY PATH WARNING - <postmaster@fallback-refused\.dom\.test> accepted only by the backup MX accept\.hosts\.test.*	dns=[0-9.]+s;;;0 connect=[0-9.]+s;;;0 banner=[0-9.]+s;;;0 ehlo=[0-9.]+s;;;0 rcpt=[0-9.]+s;;;0 time=[0-9.]+s;;;0 hosts_tried=2$' \
	"smtp_relay_path WARNING, no TLS time without TLS"
expect_out '^listed!relay-critical	2	SMTP RELAY PATH CRITICAL - <nobody@rcpt-reject\.dom\.test>: MX reject\.hosts\.test\[127\.0\.25\.2\]:25 \(preference 10\) said: 550 5\.1\.1 ' \
	"smtp_relay_path CRITICAL on the 550"
expect_out '^listed!dnsbl	2	DNSBL SENDER CRITICAL - score 1: 203\.0\.113\.2 on zen\.dnsbl\.test \(127\.0\.0\.2 SBL, 127\.0\.0\.4 XBL\)	listed=1;;;0 score=1;;~:0 addresses=1;;;0 lists=1;;;0 errors=0;;;0 time=[0-9.]+s;;;0$' \
	"dnsbl_sender CRITICAL for the host's address (dnsbl_sender_host defaults to \$address\$)"
expect_out '^clean!dnsbl	0	DNSBL SENDER OK - ' "dnsbl_sender OK for a clean host"
expect_no_out '=U|'"'" "no U and no quoted label in any recorded perfdata"
# the writer connects a few seconds after the start: wait for the metrics
# of later check runs
for i in $(seq 1 60); do
	grep -q 'relay-warning\.smtp_relay_path\.perfdata\.hosts_tried' "$base/graphite.txt" 2>/dev/null &&
		grep -q 'mx-connect\.mx_preference\.perfdata\.' "$base/graphite.txt" && break
	sleep 0.5
done
i2_stop "$d"
OUT=$(cat "$base/graphite.txt" 2>/dev/null)
expect_out '^icinga2\.listed\.services\.mx-connect\.mx_preference\.perfdata\.accept_hosts_test_connect_time\.value [0-9.]+ [0-9]+$' \
	"Graphite: a host's connect time is one metric, no extra levels for its dots"
expect_out '^icinga2\.listed\.services\.relay-warning\.smtp_relay_path\.perfdata\.hosts_tried\.value 2 [0-9]+$' \
	"Graphite: the relay's perfdata arrived"
expect_no_out '\.perfdata\.([^ ]*\.){2,}[^ ]* ' "Graphite: every perfdata metric is LABEL.FIELD, flat"
OUT=$(cat "$d/log/icinga2.log")
expect_out 'information/CheckerComponent' "the daemon's log is there"
expect_no_out '(warning|critical)/' "no warning in the daemon's log (no 'Ignoring invalid perfdata')"
done_testing
