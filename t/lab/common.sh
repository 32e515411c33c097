# Shared definitions of the lab scripts (sourced by t/lab/up, t/lab/down,
# t/lab/install-witnesses and bench/run).  Part of mailpath-plugins,
# GPL-3.0-or-later.

LAB_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LAB_DIR=${MAILPATH_LAB_DIR:-${TMPDIR:-/tmp}/mailpath-lab}
LAB_RESOLVER=127.0.53.53

# Debian packages of the servers and of the witness tools.
LAB_SERVER_PACKAGES="nsd unbound rbldnsd postfix ldnsutils gnutls-bin openssl python3 iproute2 util-linux procps"
# the MTA-STS policy server
LAB_SERVER_PACKAGES="$LAB_SERVER_PACKAGES nginx-light"
LAB_WITNESS_PACKAGES="swaks dnsutils monitoring-plugins-basic monitoring-plugins-standard monitoring-plugins-contrib openssl time
	libmonitoring-plugin-perl libreadonly-perl libnet-dns-perl libnet-ip-perl libdata-validate-domain-perl libdata-validate-ip-perl libcapture-tiny-perl libio-socket-inet6-perl libnet-ssleay-perl libio-socket-ssl-perl"

say() { printf 'lab: %s\n' "$*"; }
die() { printf 'lab: error: %s\n' "$*" >&2; exit 1; }

pkg_missing() {
	# Print the packages among $@ that are not installed.
	local p
	for p in "$@"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			printf '%s\n' "$p"
	done
}

pkg_install() {
	# Install the named Debian packages that are missing, without letting
	# their daemons start.
	local missing made_policy=0
	missing=$(pkg_missing "$@")
	[ -n "$missing" ] || return 0
	[ "$(id -u)" -eq 0 ] || die "missing packages ($(echo $missing)); run as root to install them"
	say "installing:" $missing
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
		chmod 755 /usr/sbin/policy-rc.d
		made_policy=1
	fi
	echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
	# shellcheck disable=SC2086
	if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >"${TMPDIR:-/tmp}/mailpath-lab-apt.log" 2>&1; then
		say "apt-get install failed; refreshing the package lists once"
		DEBIAN_FRONTEND=noninteractive apt-get update -q >>"${TMPDIR:-/tmp}/mailpath-lab-apt.log" 2>&1 || true
		# shellcheck disable=SC2086
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >>"${TMPDIR:-/tmp}/mailpath-lab-apt.log" 2>&1 || {
			[ $made_policy = 1 ] && rm -f /usr/sbin/policy-rc.d
			tail -20 "${TMPDIR:-/tmp}/mailpath-lab-apt.log" >&2
			die "apt-get install failed (log: ${TMPDIR:-/tmp}/mailpath-lab-apt.log)"
		}
	fi
	[ $made_policy = 1 ] && rm -f /usr/sbin/policy-rc.d
	return 0
}

pid_alive() {
	# True if PID exists and is not a zombie.
	local st
	[ -r "/proc/$1/stat" ] || return 1
	st=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) || return 1
	[ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

lab_lock() {
	# Serialise up and down (t/lab/up may call t/lab/down itself).  The
	# lock file sits beside the run directory, which down removes.
	[ -z "${MAILPATH_LAB_LOCKED:-}" ] || return 0
	exec 9>"$LAB_DIR.lock"
	flock -w 120 9 || die "another t/lab/up or t/lab/down holds $LAB_DIR.lock"
	export MAILPATH_LAB_LOCKED=1
}
