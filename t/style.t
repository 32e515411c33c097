#!/bin/bash
# House rules that a machine can check (STYLE.md practices 2, 8 and 11,
# DESIGN.md section 2): no banned C functions in lib/ and plugins/, no
# exit() in lib/, no absolute paths of a build machine in the sources,
# includes that only run downwards through the floors of lib/.
. "${top_srcdir:-.}/t/tap.sh"
cd "$top_srcdir" || exit 1

src=$(ls lib/*/*.c lib/*/*.h plugins/*.c)
banned='\b(sprintf|vsprintf|strcpy|strcat|strtok|gets|atoi|atol|alarm|select|signal)[[:space:]]*\('
hits=$(grep -nE "$banned" $src | grep -vE '^[^:]+:[0-9]+:[[:space:]]*(/\*|\*)')
[ -z "$hits" ]
ok $? "no banned function in lib/ or plugins/"
[ -z "$hits" ] || diag "$hits"

hits=$(grep -nE '\b(exit|_exit|abort)\(' lib/*/*.c | grep -vE '^[^:]+:[0-9]+:[[:space:]]*(/\*|\*)')
[ -z "$hits" ]
ok $? "lib/ never exits: the plugin module returns the code to main()"
[ -z "$hits" ] || diag "$hits"

hits=$(grep -nE '/(home|root|work|Users)/' $src t/*.t t/lab/up t/lab/down contrib/demo 2>/dev/null)
[ -z "$hits" ]
ok $? "no absolute path of a build machine"
[ -z "$hits" ] || diag "$hits"

# The floors of lib/ (DESIGN.md section 2): a file includes only its own
# floor and those below it (plugins -> mail -> net -> core), always by
# folder ("net/dns.h"), so the direction can be read off the line.
floor_rank() {
	case "$1" in
	core) echo 1 ;; net) echo 2 ;; mail) echo 3 ;; plugins) echo 4 ;;
	*) echo 0 ;;
	esac
}
hits=
for f in lib/*/*.[ch] plugins/*.c; do
	mine=$(floor_rank "$(basename "$(dirname "$f")")")
	while IFS= read -r line; do
		inc=${line#*\"}
		inc=${inc%%\"*}
		case "$inc" in
		*/*) ;;
		*) hits="$hits$f: $inc: not named by its floor
" ; continue ;;
		esac
		theirs=$(floor_rank "${inc%%/*}")
		if [ "$theirs" -eq 0 ] || [ "$theirs" -gt "$mine" ]; then
			hits="$hits$f: includes $inc (upwards)
"
		fi
	done < <(grep -E '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f")
done
[ -z "$hits" ]
ok $? "lib/ includes run only downwards: plugins -> mail -> net -> core"
[ -z "$hits" ] || diag "$hits"

# lib/core stands on no network library
hits=$(grep -nE '#[[:space:]]*include[[:space:]]*<(ares|gnutls|idn2)' lib/core/*.[ch])
[ -z "$hits" ]
ok $? "lib/core includes no c-ares, GnuTLS or libidn2 header"
[ -z "$hits" ] || diag "$hits"

# STYLE.md practice 1: every function a lib/ header declares carries the
# module's prefix (lib/net/smtp_wire.h: smtp_wire_*)
hits=
for h in lib/*/*.h; do
	m=$(basename "$h" .h)
	bad=$(grep -oE '^[a-z][a-z_0-9 *]*[ *][a-z_0-9]+\(' "$h" |
		sed -E 's/.*[ *]([a-z_0-9]+)\($/\1/' | grep -v "^${m}_")
	[ -z "$bad" ] || hits="$hits$h: $(echo $bad)
"
done
[ -z "$hits" ]
ok $? "every function a lib/ header declares carries its module prefix"
[ -z "$hits" ] || diag "$hits"

# DESIGN.md section 3: the result is core/plugin's; plugins reach it only
# through its functions (plugin_finding, plugin_summary_append, ...)
hits=$(grep -nE '\bp(->|\.)(state|summary|perf|lines|nlines|caplines|oom|printed|usage_error)\b' plugins/*.c)
[ -z "$hits" ]
ok $? "plugins touch no field of core/plugin's result"
[ -z "$hits" ] || diag "$hits"

# DESIGN.md section 2: plugins make no network calls of their own; they
# ask lib/mail.
hits=
for f in plugins/*.c; do
	h=$(grep -nE '\b(dns|smtp|tls|ares)_[a-z_0-9]+[[:space:]]*\(' "$f" |
		grep -vE '^[0-9]+:[[:space:]]*(/\*|\*)')
	[ -z "$h" ] || hits="$hits$f: $h
"
done
[ -z "$hits" ]
ok $? "plugins call no dns_*, smtp_*, tls_* or ares_* function"
[ -z "$hits" ] || diag "$hits"

# every plugin's long options include the common ones
for p in plugins/check_*.c; do
	grep -q 'OPTIONS_COMMON_LONGOPTS' "$p"
	ok $? "$p takes the common options"
done
done_testing
