#!/bin/bash
# --extra-opts=[SECTION][@FILE] in all three plugins against the lab:
# options from an ini file (resolver, flags, repeated options), the
# default section and the default search path, and bad files as UNKNOWN
# with one line naming the option and its value.
. "${top_srcdir:-.}/t/tap.sh"
lab_required

ini_dir=$(mktemp -d)
trap 'rm -rf "$ini_dir"' EXIT
ini=$ini_dir/plugins.ini
cat >"$ini" <<INI
# the resolver and the lab's loopback addresses live here, not on the
# command line
[check_mx_preference]
dns-server = $LAB_RESOLVER
allow-private =

[trap-last]
s = $LAB_RESOLVER
allow-private=
domain = trap-last.dom.test
trap = cluster*a.trap.test
connect =

[check_smtp_relay_path]
dns-server = $LAB_RESOLVER

[reject]
dns-server = $LAB_RESOLVER
recipient = nobody@rcpt-reject.dom.test

[check_dnsbl_sender]
dns-server = $LAB_RESOLVER
list = zen.dnsbl.test

[empty]
INI

run check_mx_preference --extra-opts=@"$ini" -D single.dom.test
expect_rc 0 "mx: resolver and --allow-private from the default section"
expect_out '^MX PREFERENCE OK - single\.dom\.test: 1 MX, 1 usable' \
	"mx: the lab's answer, so -s came from the file"

run check_mx_preference --extra-opts "trap-last@$ini"
expect_rc 0 "mx: a named section with every option of the check"
expect_out '^MX PREFERENCE OK - trap-last\.dom\.test: 2 MX, 1 usable' \
	"mx: --trap and --connect from the section"
expect_out ' reachable=1;' "mx: --connect ran (reachable in perfdata)"

run check_smtp_relay_path --extra-opts="reject@$ini"
expect_rc 2 "relay: recipient from the section, rejected"
expect_out '^SMTP RELAY PATH CRITICAL - <nobody@rcpt-reject\.dom\.test>: MX reject\.hosts\.test' \
	"relay: the lab's 550 for the recipient of the section"

run check_dnsbl_sender --extra-opts=@"$ini" -H 203.0.113.2
expect_rc 2 "dnsbl: list and resolver from the file"
expect_out '^DNSBL SENDER CRITICAL - score 1: 203\.0\.113\.2 on zen\.dnsbl\.test' \
	"dnsbl: listed on the list named in the file"

# The default file: MP_CONFIG_FILE, then NAGIOS_CONFIG_PATH/plugins.ini
MP_CONFIG_FILE=$ini run check_dnsbl_sender --extra-opts -H 203.0.113.2
expect_rc 2 "dnsbl: bare --extra-opts reads MP_CONFIG_FILE"
expect_out '^DNSBL SENDER CRITICAL - score 1: ' "dnsbl: MP_CONFIG_FILE: listed"
NAGIOS_CONFIG_PATH=/nonexistent:$ini_dir run check_mx_preference --extra-opts -D single.dom.test
expect_rc 0 "mx: plugins.ini found through NAGIOS_CONFIG_PATH"
expect_out '^MX PREFERENCE OK - single\.dom\.test' "mx: NAGIOS_CONFIG_PATH: OK"

# Errors: UNKNOWN, one line naming --extra-opts and its value
for prog in check_mx_preference check_smtp_relay_path check_dnsbl_sender; do
	run $prog --extra-opts="empty@$ini"
	expect_rc 3 "$prog: a section without options"
	expect_out "^[A-Z ]+ UNKNOWN - invalid --extra-opts 'empty@$ini': $ini has no options in section \[empty\]\$" \
		"$prog: empty section named"
	expect_lines 1 "$prog: empty section, one line"
	run $prog --extra-opts="nosuch@$ini_dir/none.ini"
	expect_rc 3 "$prog: a missing file"
	expect_out "UNKNOWN - invalid --extra-opts 'nosuch@$ini_dir/none\.ini': cannot read $ini_dir/none\.ini: No such file or directory\$" \
		"$prog: missing file named"
	expect_lines 1 "$prog: missing file, one line"
done
printf '[check_mx_preference]\nbogus-option = 1\n' >"$ini_dir/bogus.ini"
run check_mx_preference --extra-opts=@"$ini_dir/bogus.ini" -D single.dom.test
expect_rc 3 "mx: an unknown option in the file"
expect_out "UNKNOWN - invalid option or missing argument: --bogus-option=1" \
	"mx: the unknown option from the file is named like one on the command line"
printf '[check_mx_preference]\ndomain\n' >"$ini_dir/noeq.ini"
run check_mx_preference --extra-opts=@"$ini_dir/noeq.ini"
expect_rc 3 "mx: a line without '='"
expect_out "UNKNOWN - invalid --extra-opts '@$ini_dir/noeq\.ini': $ini_dir/noeq\.ini line 2: expected OPTION = VALUE or OPTION =\$" \
	"mx: the line named"
done_testing
