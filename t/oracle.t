#!/bin/bash
# The reference: for every lab scenario the lab's sending Postfix
# (t/lab/sender) delivers one small message, and check_smtp_relay_path,
# run on the same recipient, sender, EHLO name and TLS level, must reach
# the verdict that Postfix's first delivery attempt implies:
#
#   sent to a host of the lowest preference  -> OK, naming that host or
#                                               preference
#   sent to a higher preference              -> WARNING
#   deferred on a 4xx reply                  -> WARNING
#   bounced                                  -> CRITICAL
#   deferred for a failure (nothing reachable, required TLS failed,
#   DNS failure)                             -> CRITICAL
#
# Rows with a state of their own are the deliberate differences listed in
# README.md ("Where the verdict differs from a sending MTA, and why").
# Every scenario runs three times; a verdict that changes between runs is
# a failure.  Only the first attempt is read: each message is deleted from
# the queue as soon as that attempt is logged.
. "${top_srcdir:-.}/t/tap.sh"
lab_required
# Options in the table carry globs (--trap 'cluster*a.trap.test'), passed
# on unquoted: no pathname expansion.
set -f

S=$LAB_DIR/sender
CA=$LAB_DIR/ca.pem
P=check_smtp_relay_path
FROM=oracle@sender.test
HELO=lab-sender.test
RUNS=3
JOBS=${MAILPATH_ORACLE_JOBS:-8}
# The plugin may run under valgrind (MAILPATH_WRAPPER): generous limits.
PLUGIN_LIMIT=120
# Postfix's smtp timeouts are 5 s (t/lab/sender); two hosts that time out
# and a slow DNS failure stay well within this.
LOG_WAIT=60

if ! { [ -s "$S/spool/pid/master.pid" ] && kill -0 "$(tr -d ' ' <"$S/spool/pid/master.pid")" 2>/dev/null; }; then
	echo "Bail out! the lab's sending Postfix is not running ($S)"
	exit 1
fi

# Scenarios, one a line:  NAME LEVEL TARGET EXPECT [PLUGIN-OPTIONS...]
#   TARGET  a recipient domain (the MX walk; reject-@DOMAIN: a local part
#           starting "reject-"), or h:KEY for -H, where KEY is i-A-B-C-D
#           (an IPv4 address), v6 (::1) or n-NAME (NAME.hosts.test)
#   EXPECT  -          the state Postfix's first attempt implies (above)
#           STATE      a documented difference: the state the plugin gives
#           STATE/TODO-N  that state once defect N of issue 9 is fixed;
#                      until then the row is a TAP TODO
#           -/TODO-X   a disagreement outside issue 9's defect list: the
#                      row is a TODO and is reported
SCENARIOS=$(
	cat <<'EOF'
single         may      single.dom.test        -
two            may      two.dom.test           -
three          may      three.dom.test         -
equal          may      equal.dom.test         -
trap-last      may      trap-last.dom.test     -
trap-first     may      trap-first.dom.test    -
trap-first-t   may      trap-first.dom.test    CRITICAL  --trap cluster*a.trap.test
walk-trap      may      walk-trap.dom.test     -
walk-trap-t    may      walk-trap.dom.test     -         --trap cluster*a.trap.test
nullmx         may      nullmx.dom.test        -
nullmix        may      nullmix.dom.test       -
implicit       may      implicit.dom.test      -
nothing        may      nothing.dom.test       -
missing        may      missing.dom.test       -
cname-mx       may      cname-mx.dom.test      -
literal        may      literal.dom.test       WARNING
noaddr         may      noaddr.dom.test        -
noaddr-only    may      noaddr-only.dom.test   -
fb-refused     may      fallback-refused.dom.test -
fb-silent      may      fallback-silent.dom.test  -
fb-slow        may      fallback-slow.dom.test    -
fb-greylist    may      fallback-greylist.dom.test -
all-dead       may      all-dead.dom.test      -
rcpt-reject    may      rcpt-reject.dom.test   -
greylist       may      greylist.dom.test      -
trap           may      trap.dom.test          -
nopipe         may      nopipe.dom.test        -
v6only         may      v6only.dom.test        -
dual           may      dual.dom.test          -
multi          may      multi.dom.test         -
refused        may      refused.dom.test       -
silent         may      silent.dom.test        -
slow           may      slow.dom.test          -
endless        may      endless.dom.test       -
garbage        may      garbage.dom.test       -
heloonly       may      heloonly.dom.test      -
private        may      private.dom.test       -
many           may      many.dom.test          -
servfail       may      servfail.dom.test      -
timeout        may      timeout.dom.test       -
idn            may      xn--bcher-kva.dom.test -
bad            may      bad.dom.test           -
bogus          may      bogus.test             -
bogus-dane     dane     bogus.test             -
tls-none       none     tls.dom.test           -
tls-may        may      tls.dom.test           -
tls-encrypt    encrypt  tls.dom.test           -
tls-verify     verify   tls.dom.test           -
tls-secure     secure   tls.dom.test           -
tls-dane       dane     tls.dom.test           -
expired-may    may      expired.dom.test       -
expired-enc    encrypt  expired.dom.test       -
expired-verify verify   expired.dom.test       -
wrongname-may  may      wrongname.dom.test     -
wrongname-ver  verify   wrongname.dom.test     -
soon-verify    verify   soon.dom.test          -
soon-warn      verify   soon.dom.test          WARNING   --cert-warn 14
accept-encrypt encrypt  single.dom.test        -
tlsreset-none  none     tlsreset.dom.test      -
tlsreset-may   may      tlsreset.dom.test      WARNING
tlsreset-enc   encrypt  tlsreset.dom.test      -
inject-may     may      inject.dom.test        WARNING
inject-enc     encrypt  inject.dom.test        -
dane-secure    dane     secure.test            -
dane-badmx     dane     badmx.secure.test      -
dane-fallback  dane     fallback.secure.test   -
dane-notls     dane     notls.secure.test      -
dane-pkix      dane     pkix.secure.test       -
dane-ta        dane     ta.secure.test         -
dane-tlsafail  dane     tlsafail.secure.test   -
dane-cnamemx   dane     cnamemx.secure.test    -
secure-secure  secure   secure.test            -
secure-verify  verify   secure.test            -
extra          may      extra.dom.test         -
extralate      may      extralate.dom.test     -
longehlo       may      longehlo.dom.test      -
longtls        may      longtls.dom.test       -
longtls-enc    encrypt  longtls.dom.test       -
mixed          may      mixed.dom.test         WARNING
mixed-reject   may      reject-@mixed.dom.test -
nobye          may      nobye.dom.test         -
nobye-enc      encrypt  nobye.dom.test         -
nulname-may    may      nulname.dom.test       -
nulname-verify verify   nulname.dom.test       -
nulname-secure secure   nulname.dom.test       -
nolisting      may      nolisting.dom.test     -
nolisting-er   may      nolisting.dom.test     OK        --expect-refuse nolist*.hosts.test
nolist-open    may      nolisting-open.dom.test -
nolist-open-er may      nolisting-open.dom.test WARNING  --expect-refuse nolist*.hosts.test
h-extra        none     h:i-127-0-26-8         -
h-extralate    none     h:i-127-0-26-9         -
h-mixed        none     h:i-127-0-26-11        WARNING
h-accept       none     h:i-127-0-25-1         -
h-v6           none     h:v6                   -
h-reject       none     h:i-127-0-25-2         -
h-greylist     none     h:i-127-0-25-3         -
h-trap         none     h:i-127-0-25-4         -
h-refused      none     h:i-127-0-27-1         -
h-garbage      none     h:i-127-0-26-4         -
h-heloonly     none     h:i-127-0-26-6         -
h-name         may      h:n-accept             -
h-tls-encrypt  encrypt  h:i-127-0-25-5         -
h-exp-encrypt  encrypt  h:i-127-0-25-6         -
h-tls-verify   verify   h:n-tls                -
h-tls-secure   secure   h:n-tls                -
h-ip-verify    verify   h:i-127-0-25-5         UNKNOWN
rcpt-reject-lp none     reject-@rcpt-reject.dom.test -
h-wrong-verify verify   h:n-wrongname          -
EOF
)

# ok_todo CONDITION DESCRIPTION TODO-REASON: a test point, a TAP TODO when
# a reason is given (a failing TODO point does not fail the script; one
# that passes is reported by the harness as an unexpected pass)
ok_todo() {
	if [ -z "$3" ]; then
		ok "$1" "$2"
		return
	fi
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $tap_n - $2 # TODO $3"
	else
		echo "not ok $tap_n - $2 # TODO $3"
	fi
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
nonce=$(date +%s)$$

# host_arg KEY: the -H argument of the plugin for a transport key
host_arg() {
	case $1 in
	i-*) echo "${1#i-}" | tr - . ;;
	v6) echo ::1 ;;
	n-*) echo "${1#n-}.hosts.test" ;;
	esac
}

# One run of one scenario: inject, read the first attempt, delete the
# message, run the plugin.  Writes $work/NAME.RUN.{pf,rc,out}.
one() {
	local name=$1 level=$2 target=$3 r=$4 rcpt hopt=() line qid t0
	shift 4
	case $target in
	h:*)
		rcpt="o-$level-$r-${target#h:}-$name-$nonce@relay.dom.test"
		hopt=(-H "$(host_arg "${target#h:}")")
		;;
	reject-@*) rcpt="reject-o-$level-$r-$name-$nonce@${target#*@}" ;;
	*) rcpt="o-$level-$r-$name-$nonce@$target" ;;
	esac
	printf 'Subject: oracle %s\n\n%s\n' "$name" "$rcpt" |
		sendmail -C "$S/etc" -f "$FROM" -- "$rcpt" 2>"$work/$name.$r.err"
	t0=$(date +%s)
	line=
	while [ $(($(date +%s) - t0)) -lt $LOG_WAIT ]; do
		line=$(grep -F " to=<$rcpt>, " "$S/maillog" | grep -m1 ' status=')
		[ -n "$line" ] && break
		sleep 0.2
	done
	qid=$(printf '%s\n' "$line" | sed -n 's/^.*\]: \([0-9A-F]*\): to=<.*$/\1/p')
	[ -n "$qid" ] && postsuper -c "$S/etc" -d "$qid" >/dev/null 2>&1
	printf '%s\n' "$line" >"$work/$name.$r.pf"
	run -T $PLUGIN_LIMIT $P -R "$rcpt" -f "$FROM" -F "$HELO" --tls "$level" \
		--cafile "$CA" -s "$LAB_RESOLVER" --stage-timeout 5 -t 60 "${hopt[@]}" "$@"
	printf '%s\n' "$RC" >"$work/$name.$r.rc"
	printf '%s\n' "$OUT" >"$work/$name.$r.out"
	printf '%s\n' "$LAST_CMD" >"$work/$name.$r.cmd"
}

# Start every run, at most JOBS at a time.  The three runs of a scenario use
# different transports (smtp_LEVEL_1..3), so a failing run never suspends
# the next one in the queue manager.
while read -r name level target expect opts; do
	[ -n "$name" ] || continue
	for r in $(seq 1 $RUNS); do
		while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do
			wait -n
		done
		# shellcheck disable=SC2086
		one "$name" "$level" "$target" "$r" $opts &
	done
done <<<"$SCENARIOS"
wait

# mx_prefs DOMAIN: "HOST PREF" lines of the domain's MX set
mx_prefs() {
	timeout 10 dig +short +time=2 +tries=2 @"$LAB_RESOLVER" "$1" MX |
		awk 'NF == 2 { h = $2; sub(/\.$/, "", h); print h, $1 }'
}

# outcome FILE TARGET: what Postfix's first attempt says, one word in
# $pf_out (sent-lowest, sent-higher, defer-4xx, bounce, defer-fail,
# suspended, none), with the relay and its preference in $pf_relay and
# $pf_pref.
outcome() {
	local line status reason relay host low pref
	line=$(cat "$1")
	pf_relay= pf_pref= pf_out=
	[ -n "$line" ] || { pf_out=none; return; }
	status=$(printf '%s\n' "$line" | sed -n 's/.* status=\([a-z]*\).*/\1/p')
	reason=$(printf '%s\n' "$line" | sed -n 's/.* status=[a-z]* (\(.*\))$/\1/p')
	relay=$(printf '%s\n' "$line" | sed -n 's/.* relay=\([^,]*\),.*/\1/p')
	case $reason in *"delivery temporarily suspended"*)
		pf_out=suspended
		return
		;;
	esac
	# The plugin stops at RCPT TO: a host that accepted RCPT and then
	# refused DATA (the scripted peers do) accepted the recipient.
	# A reply Postfix could not place ("Protocol error: ... said: 250 ...
	# (in reply to DATA command)", replies out of step) is no acceptance.
	if printf '%s\n' "$reason" | grep -Eq '^host .* said: [45][0-9][0-9][ -].*\(in reply to (end of )?DATA command\)$'; then
		status=sent
	fi
	case $status in
	sent)
		pf_relay=$relay
		host=${relay%%\[*}
		case $2 in
		h:*) pf_out=sent-lowest; return ;;
		esac
		mx_prefs "${2#*@}" >"$1.mx"
		if [ ! -s "$1.mx" ]; then
			# no MX: the implicit MX, preference 0
			pf_pref=0
			pf_out=sent-lowest
			return
		fi
		low=$(sort -k2n "$1.mx" | awk 'NR == 1 { print $2 }')
		pref=$(awk -v h="$host" '$1 == h { print $2; exit }' "$1.mx")
		pf_pref=$pref
		if [ "$pref" = "$low" ]; then pf_out=sent-lowest; else pf_out=sent-higher; fi
		;;
	bounced) pf_out=bounce ;;
	deferred)
		if printf '%s\n' "$reason" | grep -Eq '(said|refused to talk to me): 4[0-9][0-9]'; then
			pf_out=defer-4xx
		else
			pf_out=defer-fail
		fi
		;;
	*) pf_out=none ;;
	esac
}

state_name() {
	case $1 in
	0) echo OK ;; 1) echo WARNING ;; 2) echo CRITICAL ;; 3) echo UNKNOWN ;; *) echo "exit $1" ;;
	esac
}
state_code() {
	case $1 in
	OK) echo 0 ;; WARNING) echo 1 ;; CRITICAL) echo 2 ;; UNKNOWN) echo 3 ;;
	esac
}
implied() {
	case $1 in
	sent-lowest) echo OK ;;
	sent-higher | defer-4xx) echo WARNING ;;
	bounce | defer-fail) echo CRITICAL ;;
	*) echo none ;;
	esac
}

while read -r name level target expect opts; do
	[ -n "$name" ] || continue
	todo=
	case $expect in */TODO-X) todo="a disagreement outside issue 9's list" ;;
	*/TODO-*) todo="defect ${expect##*/TODO-} of issue 9" ;;
	esac
	want_doc=${expect%%/*}
	outs= states= first_pf=
	for r in $(seq 1 $RUNS); do
		outcome "$work/$name.$r.pf" "$target"
		outs="$outs $pf_out"
		[ -n "$first_pf" ] || first_pf=$(cat "$work/$name.$r.pf")
	done
	# Postfix itself must be deterministic here, or the row proves nothing.
	set -- $outs
	[ "$1" != none ] && [ "$1" != suspended ] && [ "$*" = "$1 $1 $1" ]
	ok $? "$name: Postfix's first attempt is the same in $RUNS runs ($1)"
	[ "$*" = "$1 $1 $1" ] || diag "outcomes:$outs" "first: $first_pf" \
		"sendmail: $(for r in $(seq 1 $RUNS); do cat "$work/$name.$r.err"; done)"
	pf=$1
	if [ "$want_doc" = - ]; then want=$(implied "$pf"); else want=$want_doc; fi
	for r in $(seq 1 $RUNS); do
		outcome "$work/$name.$r.pf" "$target"
		o=$pf_out
		RC=$(cat "$work/$name.$r.rc")
		OUT=$(cat "$work/$name.$r.out")
		LAST_CMD=$(cat "$work/$name.$r.cmd")
		ERR=
		states="$states $RC"
		wantc=$(state_code "$want")
		[ -n "$wantc" ] && [ "$RC" -eq "$wantc" ]
		r_ok=$?
		if [ "$want_doc" = - ]; then
			why="Postfix: $o"
		else
			why="documented; Postfix: $o"
		fi
		ok_todo $r_ok "$name run $r: $want (exit ${wantc:-?}; $why)" "$todo"
		[ $r_ok -eq 0 ] || { diag "postfix: $(cat "$work/$name.$r.pf")"; tap_show; }
		head=$(printf '%s\n' "$OUT" | head -n 1)
		printf '%s\n' "$head" | grep -q "^SMTP RELAY PATH $want - "
		r_ok=$?
		# Sent: the plugin names the host Postfix used, or its preference
		# (equal preferences are shuffled by both).
		if [ $r_ok -eq 0 ] && [ "$want_doc" = - ] && [ "${o%%-*}" = sent ]; then
			if [ -n "$pf_pref" ]; then
				printf '%s\n' "$head" | grep -Fq -e "$pf_relay" -e "(preference $pf_pref)"
			else
				printf '%s\n' "$head" | grep -Fq -e "$pf_relay" -e "[${pf_relay#*\[}"
			fi
			r_ok=$?
		fi
		ok_todo $r_ok "$name run $r: status line says $want${pf_relay:+ and names $pf_relay${pf_pref:+ or preference $pf_pref}}" "$todo"
		[ $r_ok -eq 0 ] || { diag "postfix: $(cat "$work/$name.$r.pf")"; tap_show; }
	done
	set -- $states
	[ "$*" = "$1 $1 $1" ]
	ok $? "$name: the plugin's verdict is the same in $RUNS runs (exit$states)"
done <<<"$SCENARIOS"

# Nothing of this run is left in the sender's queue.
left=$(postqueue -c "$S/etc" -p 2>/dev/null | grep -c -- "-$nonce@")
[ "$left" -eq 0 ]
ok $? "no message of this run left in the sender's queue ($left)"

done_testing
