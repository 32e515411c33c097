# Shell helpers for TAP tests.  Source this file from a test script:
#
#   . "${top_srcdir:-.}/t/tap.sh"
#   lab_required                      # skip (or bail out) without the lab
#   run check_mx_preference -D single.dom.test -s "$LAB_RESOLVER"
#   expect_rc 0 "single MX is OK"
#   expect_out '^MX PREFERENCE OK - ' "status line"
#
# run() executes a command with a time limit and keeps its stdout in $OUT,
# stderr in $ERR and the exit code in $RC.  Plugins named without a path
# are taken from the build tree; MAILPATH_WRAPPER (e.g. "valgrind -q
# --error-exitcode=99") is put in front of them.

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
LAB_DIR=${MAILPATH_LAB_DIR:-${TMPDIR:-/tmp}/mailpath-lab}
LAB_RESOLVER=127.0.53.53
tap_n=0
tap_failed=0

plan() { echo "1..$1"; }

ok() {
	# ok CONDITION-EXIT-CODE DESCRIPTION
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $tap_n - $2"
	else
		echo "not ok $tap_n - $2"
		tap_failed=$((tap_failed + 1))
	fi
}

diag() { printf '%s\n' "$@" | sed 's/^/# /'; }

skip() { tap_n=$((tap_n + 1)); echo "ok $tap_n # SKIP $1"; }

done_testing() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
}

lab_required() {
	if [ -f "$LAB_DIR/up.ok" ]; then
		return 0
	fi
	if [ "${MAILPATH_REQUIRE_LAB:-0}" = 1 ]; then
		echo "Bail out! the lab is not running (start it with t/lab/up)"
		exit 1
	fi
	echo "1..0 # SKIP the lab is not running (t/lab/up)"
	exit 0
}

run() {
	# run [-T SECONDS] COMMAND ARGS...
	limit=60
	if [ "$1" = "-T" ]; then
		limit=$2
		shift 2
	fi
	cmd=$1
	shift
	case "$cmd" in
	check_*) set -- ${MAILPATH_WRAPPER:-} "$top_builddir/plugins/$cmd" "$@" ;;
	*) set -- "$cmd" "$@" ;;
	esac
	tap_errf=$(mktemp)
	OUT=$(timeout -k 5 "$limit" "$@" 2>"$tap_errf")
	RC=$?
	ERR=$(cat "$tap_errf")
	rm -f "$tap_errf"
	LAST_CMD="$*"
}

tap_show() {
	diag "command: $LAST_CMD" "exit: $RC" "stdout:" "$OUT"
	[ -n "$ERR" ] && diag "stderr:" "$ERR"
	return 0
}

expect_rc() {
	# expect_rc CODE DESCRIPTION
	[ "$RC" -eq "$1" ]
	r=$?
	ok $r "$2 (exit $1)"
	[ $r -eq 0 ] || tap_show
	return $r
}

expect_usage() {
	# expect_usage LABEL DESCRIPTION EXPECTED-TEXT PROG ARGS...: PROG ARGS
	# is a usage error: UNKNOWN, a status line "LABEL UNKNOWN - ", the
	# text, and nothing but that one line
	u_label=$1 u_desc=$2 u_want=$3
	shift 3
	run "$@"
	expect_rc 3 "$u_desc"
	expect_out "^$u_label UNKNOWN - " "$u_desc: UNKNOWN status line"
	expect_text "$u_want" "$u_desc: message"
	expect_lines 1 "$u_desc: one line"
}

# tap_match WANT GREP-FLAG PATTERN DESCRIPTION WHAT: one test point on
# whether some line of stdout matches (WANT=1) or none does (WANT=0)
tap_match() {
	printf '%s\n' "$OUT" | grep -q "$2" -- "$3"
	found=$?	# 0 match, 1 none, 2 a bad pattern: never a pass
	if [ "$1" = 1 ]; then r=$found; else [ $found -eq 1 ]; r=$?; fi
	ok $r "$4"
	[ $r -eq 0 ] || { diag "$5"; tap_show; }
	return $r
}

# expect_out EXTENDED-REGEX DESCRIPTION: some line of stdout matches
expect_out() { tap_match 1 -E "$1" "$2" "expected /$1/"; }
# expect_no_out EXTENDED-REGEX DESCRIPTION: no line of stdout matches
expect_no_out() { tap_match 0 -E "$1" "$2" "unexpected /$1/"; }
# expect_text FIXED-STRING DESCRIPTION: stdout contains the string
expect_text() { tap_match 1 -F "$1" "$2" "expected text: $1"; }

expect_lines() {
	# expect_lines N DESCRIPTION: stdout has exactly N lines
	n=$(printf '%s\n' "$OUT" | wc -l)
	[ -z "$OUT" ] && n=0
	[ "$n" -eq "$1" ]
	r=$?
	ok $r "$2 ($1 line(s))"
	[ $r -eq 0 ] || tap_show
	return $r
}
