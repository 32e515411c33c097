#!/bin/bash
# The distributed case: an Icinga 2 master and an agent, two private
# instances with their own certificates on loopback.  The agent has the
# installed suite and executes the checks (command_endpoint); the master,
# whose PluginDir has no plugins, schedules them and records the results,
# read back through its API.  This is how a site with many mail domains
# spreads the checks over its agents.
. "${top_srcdir:-.}/t/tap.sh"
. "$top_srcdir/t/daemons/common.sh"
daemons_heavy
lab_required
daemons_need icinga2

base=$LAB_DIR/icinga-agent
rm -rf "$base"
mkdir -p "$base"
daemons_stage "$base"
m=$base/master
a=$base/agent
trap 'i2_stop "$m"; i2_stop "$a"' EXIT
i2_pki "$base/pki" master agent || { echo "Bail out! openssl: no certificates"; exit 1; }
i2_prepare "$m" master "$base/pki"
i2_prepare "$a" agent "$base/pki"
maddr=127.0.30.3
aaddr=127.0.30.4

zones() {
	cat <<CONF
object Endpoint "master" { }
object Endpoint "agent" {
	host = "$aaddr"
	port = 5665
}
object Zone "master" { endpoints = [ "master" ] }
object Zone "agent" {
	endpoints = [ "agent" ]
	parent = "master"
}
CONF
}

cat >"$a/icinga2.conf" <<CONF
include <itl>
const NodeName = "agent"
const PluginDir = "$STAGE_PLUGINS"
include "$STAGE_ICINGA2/*.conf"
object FileLogger "main" {
	path = "$a/log/icinga2.log"
	severity = "information"
}
object ApiListener "api" {
	bind_host = "$aaddr"
	bind_port = 5665
	accept_commands = true
	accept_config = true
}
$(zones)
CONF

cat >"$m/icinga2.conf" <<CONF
include <itl>
const NodeName = "master"
const PluginDir = "$base/no-plugins-here"
include "$STAGE_ICINGA2/*.conf"
object FileLogger "main" {
	path = "$m/log/icinga2.log"
	severity = "information"
}
object CheckerComponent "checker" { }
object ApiListener "api" {
	bind_host = "$maddr"
	bind_port = 5665
}
object ApiUser "test" {
	password = "test"
	permissions = [ "objects/query/*" ]
}
$(zones)

template Service "on-agent" {
	check_interval = 2s
	retry_interval = 2s
	max_check_attempts = 1
	command_endpoint = "agent"
	zone = "master"
}
object Host "agent" {
	zone = "master"
	check_command = "dummy"
	address = "203.0.113.2"
}
object Service "mx-example" {
	import "on-agent"
	host_name = "agent"
	check_command = "mx_preference"
	vars.mx_preference_domain = "single.dom.test"
	vars.mx_preference_dns_server = [ "$LAB_RESOLVER" ]
	vars.mx_preference_allow_private = true
}
object Service "relay-example" {
	import "on-agent"
	host_name = "agent"
	check_command = "smtp_relay_path"
	vars.smtp_relay_path_domain = "fallback-refused.dom.test"
	vars.smtp_relay_path_dns_server = [ "$LAB_RESOLVER" ]
}
object Service "dnsbl" {
	import "on-agent"
	host_name = "agent"
	check_command = "dnsbl_sender"
	vars.dnsbl_sender_list = [ "zen.dnsbl.test" ]
	vars.dnsbl_sender_dns_server = [ "$LAB_RESOLVER" ]
}
CONF

for side in agent master; do
	# shellcheck disable=SC2046
	run icinga2 daemon -C $(i2_args "$base/$side")
	expect_rc 0 "$side: icinga2 daemon -C"
	expect_no_out '(warning|critical)/' "$side: no warning"
done

i2_start "$a"
ok $? "agent started"
i2_start "$m"
ok $? "master started"
OUT=$(I2_SOURCE=1 i2_results "$maddr:5665" "$base/pki/ca.crt" 3)
RC=$?
LAST_CMD="I2_SOURCE=1 i2-results $maddr:5665"
expect_rc 0 "the master has a result for every service"
expect_lines 3 "three services"
diag "recorded by the daemon:" "$OUT"
expect_out '^agent!mx-example	0	MX PREFERENCE OK - single\.dom\.test: 1 MX, 1 usable, primary accept\.hosts\.test \(10\)	mx=1;;;0 usable=1;;1:;0 traps=0;;;0 dns_time=[0-9.]+s;;;0	agent$' \
	"mx_preference OK, run by the agent, recorded by the master"
expect_out '^agent!relay-example	1	SMTP RELAY PATH WARNING - <postmaster@fallback-refused\.dom\.test> accepted only by the backup MX .*hosts_tried=2	agent$' \
	"smtp_relay_path WARNING, run by the agent"
expect_out '^agent!dnsbl	2	DNSBL SENDER CRITICAL - score 1: 203\.0\.113\.2 on zen\.dnsbl\.test .*	agent$' \
	"dnsbl_sender CRITICAL for the host's address, run by the agent"
# the logs while both run (stopping one makes the other warn that its
# peer went away)
for side in agent master; do
	OUT=$(cat "$base/$side/log/icinga2.log")
	expect_out "information/ApiListener: Finished syncing endpoint '(agent|master)'" \
		"$side: the log shows the cluster connection"
	expect_no_out '(warning|critical)/' "$side: no warning in the daemon's log"
done
i2_stop "$m"
i2_stop "$a"
done_testing
