#!/bin/bash
# Debian's Nagios 4 runs the installed suite: make install into a staging
# directory, a private nagios4 whose objects use only the installed
# command definitions (with $USER1$ as the plugin directory), "nagios4 -v"
# clean, then the daemon runs the plugins against the lab and the test
# reads state, output and perfdata from status.dat.  The resolver comes
# from plugins.ini through the *_opts commands, or from the lab's
# resolv.conf (t/lab/with-resolver) for the plain ones.
. "${top_srcdir:-.}/t/tap.sh"
. "$top_srcdir/t/daemons/common.sh"
daemons_heavy
lab_required
daemons_need nagios4

base=$LAB_DIR/nagios
rm -rf "$base"
mkdir -p "$base/tmp" "$base/checkresults"
daemons_stage "$base"
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null' EXIT

cat >"$base/plugins.ini" <<INI
[mx]
dns-server = $LAB_RESOLVER
allow-private =
domain = single.dom.test

[dnsbl]
dns-server = $LAB_RESOLVER
list = zen.dnsbl.test
INI
cat >"$base/resource.cfg" <<CFG
\$USER1\$=$STAGE_PLUGINS
CFG
cat >"$base/objects.cfg" <<CFG
define timeperiod {
	timeperiod_name	always
	alias		always
	sunday		00:00-24:00
	monday		00:00-24:00
	tuesday		00:00-24:00
	wednesday	00:00-24:00
	thursday	00:00-24:00
	friday		00:00-24:00
	saturday	00:00-24:00
}
define command {
	command_name	lab_true
	command_line	/bin/true
}
define contact {
	contact_name			lab
	host_notifications_enabled	0
	service_notifications_enabled	0
	host_notification_period	always
	service_notification_period	always
	host_notification_options	n
	service_notification_options	n
	host_notification_commands	lab_true
	service_notification_commands	lab_true
}
define host {
	host_name		listed
	address			203.0.113.2
	check_command		lab_true
	max_check_attempts	1
	check_period		always
	contacts		lab
	notification_period	always
}
define service {
	name			lab-service
	register		0
	check_interval		2
	retry_interval		2
	max_check_attempts	1
	check_period		always
	contacts		lab
	notification_period	always
}
define service {
	use			lab-service
	host_name		listed
	service_description	mx
	check_command		check_mx_preference_opts!mx@$base/plugins.ini
}
define service {
	use			lab-service
	host_name		listed
	service_description	mx-null
	check_command		check_mx_preference_null!single.dom.test
}
define service {
	use			lab-service
	host_name		listed
	service_description	relay
	check_command		check_smtp_relay_path_domain!fallback-refused.dom.test
}
define service {
	use			lab-service
	host_name		listed
	service_description	relay-reject
	check_command		check_smtp_relay_path!nobody@rcpt-reject.dom.test
}
define service {
	use			lab-service
	host_name		listed
	service_description	dnsbl
	check_command		check_dnsbl_sender_opts!dnsbl@$base/plugins.ini
}
CFG
{
	echo "log_file=$base/nagios.log"
	for f in "$STAGE_NAGIOS"/*.cfg; do echo "cfg_file=$f"; done
	echo "cfg_file=$base/objects.cfg"
	cat <<CFG
resource_file=$base/resource.cfg
status_file=$base/status.dat
status_update_interval=1
object_cache_file=$base/objects.cache
precached_object_file=$base/objects.precache
temp_file=$base/nagios.tmp
temp_path=$base/tmp
lock_file=$base/nagios.lock
retain_state_information=0
state_retention_file=$base/retention.dat
check_result_path=$base/checkresults
check_result_reaper_frequency=1
check_external_commands=0
command_file=$base/nagios.cmd
query_socket=$base/nagios.qh
illegal_macro_output_chars=\`~\$&|'"<>
nagios_user=root
nagios_group=root
interval_length=1
max_service_check_spread=1
max_host_check_spread=1
enable_notifications=0
use_syslog=0
log_rotation_method=n
CFG
} >"$base/nagios.cfg"

run nagios4 -v "$base/nagios.cfg"
expect_rc 0 "nagios4 -v accepts the installed command definitions"
expect_out '^Total Warnings: 0$' "nagios4 -v: no warning"
expect_out '^Total Errors: +0$' "nagios4 -v: no error"
for c in check_mx_preference check_mx_preference_opts check_smtp_relay_path \
	check_smtp_relay_path_domain check_dnsbl_sender check_dnsbl_sender_opts; do
	grep -q "command_name	$c\$" "$STAGE_NAGIOS"/*.cfg
	ok $? "command $c installed in nagios-plugins/config"
done
hits=$(grep -h 'command_line' "$STAGE_NAGIOS"/*.cfg | grep -oE '\$[A-Z0-9]+\$' | sort -u | tr '\n' ' ')
[ "$hits" = '$ARG1$ $ARG2$ $ARG3$ $HOSTADDRESS$ $USER1$ ' ]
ok $? "only \$USER1\$, \$HOSTADDRESS\$ and \$ARGn\$ in the definitions ($hits)"

"$top_srcdir/t/lab/with-resolver" nagios4 "$base/nagios.cfg" >"$base/daemon.out" 2>&1 &
pid=$!
for i in $(seq 1 120); do
	[ "$(sh "$top_srcdir/t/daemons/status-dat" "$base/status.dat" 2>/dev/null | wc -l)" -ge 5 ] && break
	sleep 0.5
done
OUT=$(sh "$top_srcdir/t/daemons/status-dat" "$base/status.dat")
RC=0
LAST_CMD="status-dat $base/status.dat"
expect_lines 5 "every service checked by the daemon"
diag "recorded by the daemon:" "$OUT"
expect_out '^listed!mx	0	MX PREFERENCE OK - single\.dom\.test: 1 MX, 1 usable, primary accept\.hosts\.test \(10\)	mx=1;;;0 usable=1;;1:;0 traps=0;;;0 dns_time=[0-9.]+s;;;0$' \
	"check_mx_preference_opts: OK with the options of plugins.ini"
expect_out '^listed!mx-null	2	MX PREFERENCE CRITICAL - single\.dom\.test: ' \
	"check_mx_preference_null: CRITICAL, the domain has a real MX"
expect_out '^listed!relay	1	SMTP RELAY PATH WARNING - <postmaster@fallback-refused\.dom\.test> accepted only by the backup MX .*	dns=[0-9.]+s;;;0 connect=[0-9.]+s;;;0 banner=[0-9.]+s;;;0 ehlo=[0-9.]+s;;;0 rcpt=[0-9.]+s;;;0 time=[0-9.]+s;;;0 hosts_tried=2$' \
	"check_smtp_relay_path_domain: WARNING, perfdata without U"
expect_out '^listed!relay-reject	2	SMTP RELAY PATH CRITICAL - <nobody@rcpt-reject\.dom\.test>: MX reject\.hosts\.test' \
	"check_smtp_relay_path: CRITICAL on the 550"
expect_out '^listed!dnsbl	2	DNSBL SENDER CRITICAL - score 1: 203\.0\.113\.2 on zen\.dnsbl\.test ' \
	"check_dnsbl_sender_opts: CRITICAL for \$HOSTADDRESS\$"
expect_no_out '=U|'"'" "no U, no quoted label in any recorded perfdata"
kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
pid=
OUT=$(cat "$base/nagios.log")
expect_out 'Nagios 4\.[0-9.]+ starting' "the daemon's log is there"
expect_no_out 'Warning|Error' "no warning or error in the daemon's log"
done_testing
