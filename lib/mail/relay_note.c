/*
 * relay_note - the sentences of a relay report (see relay_note.h).
 */
#include <config.h>

#include "mail/relay_note.h"

#include "mail/dane.h"
#include "mail/relay_outcome.h"
#include "mail/relay_report.h"
#include "mail/sts_relay.h"
#include "mail/sts_outcome.h"
#include "core/text.h"

#include <string.h>

void
relay_note_walk(const struct relay *run, const struct relay_walk *w,
    const struct relay_judgement *j, char *sum, size_t sumsz)
{
	const char *rcpt = run->rp->rcpt;
	const struct relay_attempt *a = j->about >= 0 ? &w->a[j->about] : NULL;
	char where[400] = "", said[700] = "", reply[120], dane[300];
	size_t n;

	if (a != NULL) {
		relay_report_where(a, where, sizeof(where));
		relay_report_said(a, said, sizeof(said));
	}
	switch (j->v) {
	case RV_TRAP:
		(void)text_format(sum, sumsz, "<%s>: the walk reaches trap "
		    "host %s (preference %u, %s): every host before it failed, "
		    "real mail would go to the trap", rcpt, a->host, a->pref,
		    a->trap);
		break;
	case RV_ACCEPTED:
	case RV_BACKUP:
		relay_report_rcpt(a, reply, sizeof(reply));
		dane_describe(a, dane, sizeof(dane));
		(void)text_format(sum, sumsz, "<%s> %s %s: %s%s%s%s", rcpt,
		    j->v == RV_BACKUP ? "accepted only by the backup" :
		    "accepted by", where, reply, a->has_facts ? ", " : "",
		    a->has_facts ? a->facts.version : "", j->v != RV_BACKUP ?
		    "" : w->a[0].policy_skip && !dane_applies(&w->a[0]) &&
		    sts_relay_check(run) != NULL ?
		    ": the first preference matches no MTA-STS mx pattern" :
		    strcmp(w->what, "MX") == 0 ? ": the first preference "
		    "failed" : ": the first relay failed");
		n = strlen(sum);
		if (dane[0] != '\0')
			(void)text_format(sum + n, sumsz - n, "; %s", dane);
		break;
	case RV_REJECTED:
		(void)text_format(sum, sumsz, "<%s>: %s %s", rcpt, where, said);
		break;
	case RV_DEFERRED:
		(void)text_format(sum, sumsz, "<%s> deferred: %s %s", rcpt,
		    where, said);
		break;
	case RV_STS_NOMATCH:
		(void)text_format(sum, sumsz, "<%s>: no MX host of %s matches "
		    "its MTA-STS enforce policy: MTA-STS senders will not "
		    "deliver", rcpt, run->rp->domain);
		break;
	case RV_STS_TLSFAIL:
		(void)text_format(sum, sumsz, "<%s>: every MX host the MTA-STS "
		    "enforce policy of %s names fails TLS: MTA-STS senders "
		    "will not deliver; %s %s", rcpt, run->rp->domain, where,
		    said);
		break;
	case RV_UNUSABLE:
		(void)text_format(sum, sumsz, "<%s>: no %s host could be used; "
		    "%s: %s", rcpt, w->what, where, a->note);
		break;
	case RV_NOADDR:
	case RV_NOADDR_TIMEOUT:
		(void)text_format(sum, sumsz, "<%s>: no %s host has an address "
		    "to try", rcpt, w->what);
		break;
	default:
		(void)text_format(sum, sumsz, "<%s>: no host accepted (%zu "
		    "address%s tried); %s %s", rcpt, j->tried, j->tried == 1 ?
		    "" : "es", where, said);
		break;
	}
}

void
relay_note_all(const struct relay *run, const struct relay_judgement *j,
    char *sum, size_t sumsz)
{
	if (j->traps == 0)
		(void)text_format(sum, sumsz, "<%s>: %zu of %zu MX addresses "
		    "accept", run->rp->rcpt, j->ok, j->real);
	else
		(void)text_format(sum, sumsz, "<%s>: %zu of %zu MX addresses "
		    "accept; %zu trap address%s %s", run->rp->rcpt, j->ok,
		    j->real, j->traps, j->traps == 1 ? "" : "es", j->trap_ok ?
		    "accepted (unexpected)" : "refused as expected");
}

enum relay_verdict
relay_note_mx_set(const struct relay *run, char *finding, size_t findsize,
    char *sum, size_t sumsize)
{
	const struct mx_set *mx = &run->mx;
	const char *domain = run->rp->domain, *rcpt = run->rp->rcpt;

	if (!run->use_mx)
		return RV_NVERDICTS;
	if (mx->mx_status != DNS_OK && mx->mx_status != DNS_NODATA) {
		(void)text_format(finding, findsize, "MX lookup for %s: %s",
		    domain, relay_report_mx_status(run));
		(void)text_format(sum, sumsize, "<%s>: %s", rcpt,
		    mx->mx_status == DNS_NXDOMAIN ? "the domain does not "
		    "exist (NXDOMAIN)" : mx->mx_status == DNS_TIMEOUT ?
		    "no MX answer within the DNS budget" : "the MX lookup "
		    "failed, mail is deferred");
		/* no answer in the DNS budget: --timeout-result's to judge */
		return mx->mx_status == DNS_TIMEOUT ? RV_MX_TIMEOUT :
		    RV_MX_FAILED;
	}
	if (mx->null_mx) {
		(void)text_format(finding, findsize, "%s publishes a null MX "
		    "(RFC 7505): senders get 556 5.1.10", domain);
		(void)text_format(sum, sumsize, "<%s>: domain accepts no mail "
		    "(null MX)", rcpt);
		return RV_NULL_MX;
	}
	if (mx->null_mixed) {
		/*
		 * RFC 7505 section 3 forbids other records beside a null MX.
		 * Postfix, the reference sender, honours the null MX whatever
		 * stands beside it and bounces (5.1.0 "does not accept mail"):
		 * walking the others would predict a delivery that does not
		 * happen.
		 */
		(void)text_format(finding, findsize, "%s mixes a null MX with "
		    "other MX records (RFC 7505 section 3 forbids it): senders "
		    "that honour the null MX, Postfix among them, bounce; the "
		    "other records were not tried", domain);
		(void)text_format(sum, sumsize, "<%s>: domain accepts no mail "
		    "(null MX mixed with other MX records)", rcpt);
		return RV_NULL_MIXED;
	}
	return RV_NVERDICTS;
}

void
relay_note_cert(const struct relay_attempt *a, bool crit, long lim,
    char *note, size_t notesz)
{
	long days = a->facts.days_left;

	(void)text_format(note, notesz, "certificate of %s %s %ld days%s "
	    "(--cert-%s %ld)", a->host, days < 0 ? "expired" : "expires in",
	    days < 0 ? -days : days, days < 0 ? " ago" : "", crit ?
	    "crit" : "warn", lim);
}

void
relay_note_sts_policy(const struct relay *run, char *out, size_t outsize)
{
	const struct sts_check *c = sts_relay_check(run);
	const char *domain = run->rp->domain;
	const char *walked = run->rp->tls == RELAY_TLS_AUTO ?
	    "hosts without DANE walked" : "walked";
	char pol[1200];

	out[0] = '\0';
	if (c == NULL)
		return;
	sts_outcome_describe(c, pol, sizeof(pol));
	if (c->outcome == STS_USABLE)
		(void)text_format(out, outsize, "MTA-STS policy of %s: %s",
		    domain, pol);
	else if (c->outcome == STS_ABSENT)
		(void)text_format(out, outsize, "MTA-STS: %s publishes no "
		    "_mta-sts record: %s as 'may'", domain, walked);
	else if (c->outcome == STS_DNS_FAILED)
		(void)text_format(out, outsize, "MTA-STS: the _mta-sts.%s "
		    "lookup failed%s%s%s: senders apply no policy, %s as "
		    "'may'", domain, c->why[0] ? " (" : "", c->why,
		    c->why[0] ? ")" : "", walked);
}

bool
relay_note_sts_host(const struct relay *run, size_t i, char *out,
    size_t outsize)
{
	const struct sts_check *c = sts_relay_check(run);
	const struct mx_host *h;

	if (c == NULL || c->outcome != STS_USABLE || c->policy.mode ==
	    STS_MODE_NONE || !run->use_mx || i >= run->mx.nhosts)
		return false;
	h = &run->mx.hosts[i];	/* only now: hosts may be NULL */
	if (h->flags & (MX_F_NULL | MX_F_DUP))
		return false;
	(void)text_format(out, outsize, "MX %s (preference %u): %s the "
	    "MTA-STS mx patterns", h->name, h->pref, (h->flags &
	    MX_F_LITERAL) == 0 && sts_policy_match(&c->policy, h->name) ?
	    "matches" : "matches none of");
	return true;
}

void
relay_note_sts_beside(const struct relay *run, enum relay_verdict beside,
    const struct relay_attempt *a, char *note, size_t notesz)
{
	const struct sts_check *c = sts_relay_check(run);

	if (beside == RV_STS_UNUSABLE && c != NULL)
		(void)text_format(note, notesz, "MTA-STS announced but the "
		    "policy cannot be used (%s): senders apply no policy",
		    sts_outcome_name(c));
	else if (beside == RV_STS_DNS && c != NULL)
		(void)text_format(note, notesz, "MTA-STS lookup failed (%s): "
		    "whether a policy applies cannot be known, senders "
		    "without a cached one apply none", c->why);
	else
		(void)text_format(note, notesz, "MTA-STS testing: %s would not "
		    "be used under enforce (%s)", a->host, c == NULL ||
		    !sts_relay_matched(c, a) ? "no mx pattern matches" :
		    !a->has_facts ? "no STARTTLS" : a->tls_s != NULL ?
		    "TLS handshake failed" : "certificate not verified");
}

void
relay_note_via(const char *name, const struct relay_attempt *vd, char *note,
    size_t notesz)
{
	char said[700];

	if (vd != NULL) {
		relay_report_said(vd, said, sizeof(said));
		(void)text_format(note, notesz, "via hop %s failed: %s", name,
		    said);
	} else
		(void)text_format(note, notesz, "via hop %s failed", name);
}

void
relay_note_deadline(const struct relay *run, double timeout, char *out,
    size_t outsize)
{
	char pend[500];

	relay_report_pending(run, pend, sizeof(pend));
	if (run->loop_failed)
		(void)text_format(out, outsize, "poll() failed while waiting "
		    "for %s", pend);
	else
		(void)text_format(out, outsize, "deadline of %g s reached "
		    "while waiting for %s", timeout, pend);
}

bool
relay_note_mixed(const struct relay_attempt *a, size_t i, char *note,
    size_t notesz, char *finding, size_t findsz)
{
	char where[400];
	const char *cmd;
	int first, last;

	if (relay_report_mixed(a, i, &cmd, &first, &last) < 0)
		return false;
	relay_report_where(a, where, sizeof(where));
	if (note != NULL)
		(void)text_format(note, notesz, "%s mixes reply codes %d and %d "
		    "in one reply to %s (RFC 5321 section 4.2.1)", a->host,
		    first, last, cmd);
	(void)text_format(finding, findsz, "%s: the reply to %s has code %d "
	    "on its first line and %d on its last (RFC 5321 section 4.2.1 "
	    "violation); judged by the last line, as Postfix does", where,
	    cmd, first, last);
	return true;
}

void
relay_note_address(const struct relay_attempt *a, enum relay_verdict v,
    char *out, size_t outsize)
{
	char where[400], said[700];

	relay_report_where(a, where, sizeof(where));
	relay_report_said(a, said, sizeof(said));
	if (v == RV_TRAP_ACCEPTS)
		(void)text_format(out, outsize, "trap %s accepted the recipient "
		    "(rule %s)", where, a->trap);
	else
		(void)text_format(out, outsize, "%s %s", where,
		    v == RV_ADDR_UNUSED ? a->note : said);
}

void
relay_note_attempt(const struct relay_attempt *a, char *out, size_t outsize)
{
	char where[400], said[700], tls[400];
	struct relay_times t;

	relay_report_where(a, where, sizeof(where));
	relay_report_said(a, said, sizeof(said));
	relay_report_tls(a, tls, sizeof(tls));
	relay_report_times(a, &t);
	(void)text_format(out, outsize, "%s: %s at %s, %s%s; %.3f s", where,
	    relay_outcome_name(a->out), relay_report_stage(a), said,
	    tls, t.t_total);
}

void
relay_note_accepted(const struct relay_attempt *a, enum relay_verdict v,
    char *out, size_t outsize)
{
	if (v == RV_REFUSE_ACCEPTS)
		(void)text_format(out, outsize, "%s is meant to refuse "
		    "(--expect-refuse '%s') but accepted the recipient: "
		    "nolisting is not in place", a->host, a->refuse);
	else
		(void)text_format(out, outsize, "TLS handshake failed; "
		    "accepted in plaintext: senders that retry without TLS "
		    "deliver, delayed");
}

void
relay_note_literal(const char *target, char *out, size_t outsize)
{
	(void)text_format(out, outsize, "MX target %s is an IP address "
	    "literal, not a host name (RFC 5321 section 5.1): walked as "
	    "Postfix does, but some senders (Exim by default) refuse it",
	    target);
}

void
relay_note_time(double at, bool crit, char *out, size_t outsize)
{
	(void)text_format(out, outsize, "time to acceptance %.3f s is outside "
	    "the %s range", at, crit ? "critical" : "warning");
}
