# Shared parts of the daemon tests (t/icinga.t, t/icinga_agent.t,
# t/nagios.t, t/deb.t): when they run, the staging install, private
# Icinga 2 instances.  Sourced after t/tap.sh.

# The daemon tests and the package build are heavy: they run once per CI
# run, in the plain build.  They skip, and say why, only under a
# MAILPATH_WRAPPER (valgrind) or in a sanitizer build; anything else that
# goes wrong (a package that cannot be installed, a daemon that does not
# start) is a failure, never a skip.
daemons_heavy() {
	if [ -n "${MAILPATH_WRAPPER:-}" ]; then
		echo "1..0 # SKIP daemon tests run in the plain pass only (MAILPATH_WRAPPER is set)"
		exit 0
	fi
	if grep -Eq '^CFLAGS = .*-fsanitize' "$top_builddir/Makefile" 2>/dev/null; then
		echo "1..0 # SKIP daemon tests run in the plain pass only (sanitizer build)"
		exit 0
	fi
}

# daemons_need icinga2|nagios4|deb: install the Debian packages when the
# program is missing (t/daemons/install; nothing is started).
daemons_need() {
	local prog
	case $1 in
	icinga2) prog=icinga2 ;;
	nagios4) prog=nagios4 ;;
	deb) prog=dh ;;
	esac
	command -v "$prog" >/dev/null 2>&1 && return 0
	# the daemon tests run in parallel: one dpkg at a time
	mkdir -p "$LAB_DIR"
	if ! flock "$LAB_DIR/daemons-install.lock" sh -c \
		'command -v "$1" >/dev/null 2>&1 || "$2" "$3"' sh \
		"$prog" "$top_srcdir/t/daemons/install" "$1" >&2; then
		echo "Bail out! cannot install $1 (t/daemons/install $1)"
		exit 1
	fi
}

# daemons_stage DIR: make install DESTDIR=DIR/stage, then set the paths of
# what was installed: STAGE_PLUGINS, STAGE_ICINGA2, STAGE_NAGIOS, STAGE_DATA.
daemons_stage() {
	local stage=$1/stage
	rm -rf "$stage"
	if ! make -s -C "$top_builddir" install DESTDIR="$stage" >"$1/install.log" 2>&1; then
		cat "$1/install.log" >&2
		echo "Bail out! make install DESTDIR=$stage failed"
		exit 1
	fi
	STAGE_PLUGINS=$(dirname "$(find "$stage" -name check_mx_preference -type f | head -n 1)")
	STAGE_ICINGA2=$(find "$stage" -type d -path '*/icinga2/include/plugins-contrib.d' | head -n 1)
	STAGE_NAGIOS=$(find "$stage" -type d -path '*/nagios-plugins/config' | head -n 1)
	STAGE_DATA=$(dirname "$(find "$stage" -name dnsbl.lists | head -n 1)")
}

# i2_pki DIR NAME...: a CA and one certificate per endpoint name (CN).
i2_pki() {
	local dir=$1 name
	shift
	mkdir -p "$dir"
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$dir/ca.key" \
		-out "$dir/ca.crt" -subj "/CN=mailpath-lab-icinga-ca" -days 2 2>/dev/null || return 1
	for name in "$@"; do
		openssl req -newkey rsa:2048 -nodes -keyout "$dir/$name.key" \
			-out "$dir/$name.csr" -subj "/CN=$name" 2>/dev/null &&
		openssl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.crt" \
			-CAkey "$dir/ca.key" -CAcreateserial -out "$dir/$name.crt" \
			-days 2 2>/dev/null || return 1
	done
}

# i2_start DIR NAME PKI: an Icinga 2 instance with every path under DIR,
# running as root (no privileges to drop in the test), its config in
# DIR/icinga2.conf and its certificates (NAME) from PKI.  The PID is in
# DIR/run/icinga2.pid.
i2_args() {
	local d=$1
	echo "-c $d/icinga2.conf -DRunAsUser=root -DRunAsGroup=root" \
		"-DInitRunDir=$d/run -DLogDir=$d/log -DCacheDir=$d/cache" \
		"-DSpoolDir=$d/spool -DDataDir=$d/lib -DZonesDir=$d/zones.d" \
		"-DPidPath=$d/run/icinga2.pid -DStatePath=$d/lib/icinga2.state" \
		"-DObjectsPath=$d/cache/icinga2.debug -DVarsPath=$d/cache/icinga2.vars" \
		"-DModAttrPath=$d/lib/modified-attributes.conf"
}
i2_prepare() {
	local d=$1 name=$2 pki=$3
	mkdir -p "$d/run" "$d/log" "$d/cache" "$d/spool" "$d/lib/certs" "$d/zones.d"
	cp "$pki/$name.crt" "$pki/$name.key" "$pki/ca.crt" "$d/lib/certs/"
}
i2_start() {
	local d=$1 i
	# shellcheck disable=SC2046
	icinga2 daemon $(i2_args "$d") >"$d/daemon.out" 2>&1 &
	for i in $(seq 1 100); do
		[ -s "$d/run/icinga2.pid" ] && return 0
		sleep 0.2
	done
	return 1
}
i2_stop() {
	local d=$1 pid i
	pid=$(cat "$d/run/icinga2.pid" 2>/dev/null) || return 0
	kill "$pid" 2>/dev/null || return 0
	for i in $(seq 1 50); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.2
	done
	kill -9 "$pid" 2>/dev/null || true
}

# i2_results ADDR:PORT CA [N]: wait (up to 60 s) until N services have a
# check result, then print one line per service, sorted:
#   name<TAB>state<TAB>first output line<TAB>perfdata items joined by ' '
i2_results() {
	python3 "$top_srcdir/t/daemons/i2-results" "$@"
}
