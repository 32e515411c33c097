#!/bin/bash
# The Debian package: dpkg-buildpackage -us -uc -b on a copy of the source
# tree (debhelper compat 13), the files where Debian keeps them, lintian
# without errors, then the package installed into an empty root (dpkg
# --root) and a plugin from it run against the lab.
. "${top_srcdir:-.}/t/tap.sh"
. "$top_srcdir/t/daemons/common.sh"
daemons_heavy
lab_required
daemons_need deb

work=$LAB_DIR/deb
rm -rf "$work"
mkdir -p "$work/src" "$work/inst/var/lib/dpkg/info" "$work/inst/var/lib/dpkg/updates"
: >"$work/inst/var/lib/dpkg/status"
# the tracked (and new, not ignored) files only: no build tree, no
# generated configure; git only when top_srcdir is the checkout itself (a
# distcheck tarball unpacked inside an ignored build tree is not)
if [ "$(git -C "$top_srcdir" rev-parse --show-toplevel 2>/dev/null)" = \
	"$(cd "$top_srcdir" && pwd -P)" ]; then
	(cd "$top_srcdir" && git ls-files -co --exclude-standard -z |
		tar --null --ignore-failed-read -T - -cf - 2>/dev/null) |
		tar -C "$work/src" -xf -
else
	(cd "$top_srcdir" && tar --exclude=./build --exclude='./build-*' --exclude=./_build -cf - .) |
		tar -C "$work/src" -xf -
fi
ok $? "source tree copied"

# a build of its own: nothing of the make check around this test (its
# MAKEFLAGS carry TESTS= and the jobserver) may reach the package's make
(cd "$work/src" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES \
	-u TESTS -u TEST_LOGS -u top_srcdir -u top_builddir -u srcdir \
	-u MAILPATH_REQUIRE_LAB -u MAILPATH_LAB_DIR -u MAILPATH_WRAPPER \
	dpkg-buildpackage -us -uc -b) >"$work/build.log" 2>&1
RC=$?
OUT=$(tail -n 30 "$work/build.log")
LAST_CMD="dpkg-buildpackage -us -uc -b (log: $work/build.log)"
expect_rc 0 "dpkg-buildpackage -us -uc -b"
deb=$(ls "$work"/mailpath-plugins_*_*.deb 2>/dev/null | head -n 1)
[ -f "$deb" ]
ok $? "a .deb was built (${deb##*/})"

OUT=$(dpkg-deb -c "$deb" | awk '{ print $6 }')
RC=0
LAST_CMD="dpkg-deb -c $deb"
for f in /usr/lib/nagios/plugins/check_mx_preference \
	/usr/lib/nagios/plugins/check_smtp_relay_path \
	/usr/lib/nagios/plugins/check_dnsbl_sender \
	/usr/share/man/man1/check_mx_preference.1.gz \
	/usr/share/man/man1/check_smtp_relay_path.1.gz \
	/usr/share/man/man1/check_dnsbl_sender.1.gz \
	/usr/share/mailpath-plugins/dnsbl.lists \
	/usr/share/icinga2/include/plugins-contrib.d/check_mx_preference.conf \
	/usr/share/icinga2/include/plugins-contrib.d/check_smtp_relay_path.conf \
	/usr/share/icinga2/include/plugins-contrib.d/check_dnsbl_sender.conf \
	/etc/nagios-plugins/config/check_mx_preference.cfg \
	/etc/nagios-plugins/config/check_smtp_relay_path.cfg \
	/etc/nagios-plugins/config/check_dnsbl_sender.cfg; do
	expect_out "^\.${f//./\\.}\$" "package has $f"
done
OUT=$(dpkg-deb -f "$deb" Depends)
expect_out 'libc-ares2' "Depends from shlibs: libc-ares2"
expect_out 'libgnutls30' "Depends from shlibs: libgnutls30"

OUT=$(lintian "$work"/mailpath-plugins_*.changes 2>&1)
RC=$?
LAST_CMD="lintian"
expect_rc 0 "lintian"
expect_no_out '^E: ' "lintian: no error"
[ -z "$(printf '%s\n' "$OUT" | grep '^W: ')" ] || diag "lintian warnings:" "$(printf '%s\n' "$OUT" | grep '^W: ')"

run dpkg --root="$work/inst" --force-depends --force-not-root --log=/dev/null \
	--instdir="$work/inst" --admindir="$work/inst/var/lib/dpkg" -i "$deb"
expect_rc 0 "dpkg --root installs it into an empty root"
p=$work/inst/usr/lib/nagios/plugins
run "$p/check_mx_preference" -D single.dom.test -s "$LAB_RESOLVER" --allow-private
expect_rc 0 "the installed check_mx_preference runs"
expect_out '^MX PREFERENCE OK - single\.dom\.test: 1 MX, 1 usable, primary accept\.hosts\.test \(10\)\|mx=1;;;0 ' \
	"the installed check_mx_preference against the lab"
run "$p/check_dnsbl_sender" --help
expect_out 'Without -l, -d and -L: /usr/share/mailpath-plugins/dnsbl\.lists$' \
	"the installed check_dnsbl_sender names the packaged list file"
OUT=$(zcat "$work/inst/usr/share/man/man1/check_dnsbl_sender.1.gz")
expect_out '^\.I /usr/share/mailpath-plugins/dnsbl\.lists$' "its man page names the packaged list file"
expect_no_out 'pkgdatadir' "no make variable left in the man page"
done_testing
