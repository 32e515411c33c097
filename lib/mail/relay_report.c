/*
 * relay_report - a relay walk's facts as report text (see
 * relay_report.h).
 */
#include <config.h>

#include "mail/relay_report.h"

#include "mail/dane.h"
#include "mail/relay_outcome.h"
#include "mail/relay_value.h"
#include "mail/relay_verdict.h"
#include "net/dns.h"
#include "net/smtp.h"
#include "core/text.h"

#include <stdio.h>
#include <string.h>

void
relay_report_where(const struct relay_attempt *a, char *out, size_t outsize)
{
	const char *what = a->w->what;

	if (a->out == RELAY_SKIPPED || a->s == NULL)
		(void)text_format(out, outsize, "%s %s", what, a->host);
	else if (a->literal)
		(void)text_format(out, outsize, "%s [%s]:%u", what,
		    a->addr.text, a->port);
	else
		(void)text_format(out, outsize, "%s %s[%s]:%u", what, a->host,
		    a->addr.text, a->port);
	if (strcmp(what, "MX") == 0) {
		size_t n = strlen(out);

		(void)text_format(out + n, outsize - n, " (preference %u)",
		    a->pref);
	}
}

void
relay_report_said(const struct relay_attempt *a, char *out, size_t outsize)
{
	const struct smtp_session *s = a->s;
	const char *cmd = "";
	const struct smtp_reply *r;

	if (s == NULL) {
		(void)text_format(out, outsize, "%s", a->note);
		return;
	}
	r = relay_outcome_reply(s, &cmd);
	if (s->error == SMTP_ERR_POLICY && a->has_dres) {
		(void)text_format(out, outsize, "DANE authentication failed: "
		    "%s (tlsa-invalid)", a->dres.text);
		return;
	}
	if (s->error == SMTP_ERR_POLICY) {
		(void)text_format(out, outsize, "TLS verification failed "
		    "(--tls %s)", relay_value_level_name(a->w->run->rp->tls));
		return;
	}
	if (s->error != SMTP_OK && !(r != NULL && r->code >= 400 &&
	    s->error == SMTP_ERR_CLOSED)) {
		(void)text_format(out, outsize, "%s in stage %s: %s",
		    smtp_result_error_name(s->error),
		    smtp_result_stage_name(s->failed_stage), s->errtext);
		return;
	}
	if (r == NULL) {
		(void)text_format(out, outsize, "no reply");
		return;
	}
	(void)text_format(out, outsize, "said: %d%s%s %s (in reply to %s)",
	    r->code, r->enh[0] ? " " : "", r->enh, r->text, cmd);
}

void
relay_report_rcpt(const struct relay_attempt *a, char *out, size_t outsize)
{
	const struct smtp_reply *r = a->s ? &a->s->rcpt : NULL;

	if (r == NULL) {
		out[0] = '\0';
		return;
	}
	(void)text_format(out, outsize, "%d%s%s %.60s", r->code, r->enh[0] ?
	    " " : "", r->enh, r->text);
}

const char *
relay_report_stage(const struct relay_attempt *a)
{
	const struct smtp_session *s = a->s;

	if (s == NULL)
		return "-";
	if (s->error == SMTP_OK && s->stage != SMTP_DONE)
		/* still running */
		return smtp_result_stage_name(s->stage);
	if (s->error != SMTP_OK)
		return smtp_result_stage_name(s->failed_stage);
	return smtp_result_stage_name(s->rcpt.code ? SMTP_RCPT : s->mail.code ?
	    SMTP_MAIL : s->starttls.code && !s->tls_up ? SMTP_STARTTLS :
	    s->ehlo.code ? (s->tls_up ? SMTP_EHLO_TLS : s->used_helo ?
	    SMTP_HELO : SMTP_EHLO) : s->banner.code ? SMTP_BANNER :
	    SMTP_CONNECT);
}

void
relay_report_tls(const struct relay_attempt *a, char *out, size_t outsize)
{
	char dane[300];

	out[0] = '\0';
	dane_describe(a, dane, sizeof(dane));
	if (!a->has_facts) {
		if (dane[0] != '\0')
			(void)text_format(out, outsize, "; %s", dane);
		return;
	}
	/* with DANE the TLSA result is the verification that counts; a
	 * failed match is already what the session "said" */
	if (a->has_dres && !a->dres.matched)
		(void)text_format(out, outsize, "; %s", a->facts.cipher);
	else
		(void)text_format(out, outsize, "; %s; %s", a->facts.cipher,
		    dane[0] ? dane : a->facts.verify_text);
	if (a->facts.has_cert) {
		size_t n = strlen(out);

		if (a->facts.days_left < 0)
			(void)text_format(out + n, outsize - n, "; certificate "
			    "expired %ld days ago", -a->facts.days_left);
		else
			(void)text_format(out + n, outsize - n, "; certificate "
			    "expires in %ld days", a->facts.days_left);
	}
}

const char *
relay_report_transcript(const struct relay_attempt *a, bool first_try)
{
	const struct smtp_session *s = first_try ? a->tls_s : a->s;

	if (s == NULL || s->transcript.len == 0)
		return NULL;
	return s->transcript.data;
}

const char *
relay_report_tls_error(const struct relay_attempt *a)
{
	return a->tls_s ? a->tls_s->errtext : "";
}

bool
relay_report_injection(const struct relay_attempt *a)
{
	/* bytes behind the 220 to STARTTLS are what a command injection
	 * looks like on the wire */
	return (a->s && a->s->plaintext_after_starttls) ||
	    (a->tls_s && a->tls_s->plaintext_after_starttls);
}

int
relay_report_mixed(const struct relay_attempt *a, size_t i, const char **cmd,
    int *first, int *last)
{
	const struct smtp_session *s = a->s;
	const struct {
		const struct smtp_reply *r;
		const char *cmd;
	} rs[] = {
		{ s ? &s->banner : NULL, "the greeting" },
		{ s ? &s->ehlo : NULL, s && s->used_helo ? "HELO" : "EHLO" },
		{ s ? &s->starttls : NULL, "STARTTLS" },
		{ s ? &s->mail : NULL, "MAIL FROM" },
		{ s ? &s->rcpt : NULL, "RCPT TO" },
		{ s ? &s->quit : NULL, "QUIT" },
	};
	size_t k, seen = 0;

	if (s == NULL)
		return -1;
	for (k = 0; k < sizeof(rs) / sizeof(rs[0]); k++) {
		if (rs[k].r->code == 0 || !rs[k].r->mixed)
			continue;
		if (seen++ < i)
			continue;
		*cmd = rs[k].cmd;
		*first = rs[k].r->first_code;
		*last = rs[k].r->code;
		return 0;
	}
	return -1;
}

void
relay_report_times(const struct relay_attempt *a, struct relay_times *t)
{
	const struct smtp_session *s = a ? a->s : NULL;

	memset(t, 0, sizeof(*t));
	if (s == NULL)
		return;
	t->connect = s->stage > SMTP_CONNECT;
	t->banner = s->banner.code != 0;
	t->ehlo = s->ehlo.code != 0;
	t->tls = s->tls_up && s->t_tls > 0;
	t->rcpt = s->rcpt.code != 0;
	t->t_connect = s->t_connect;
	t->t_banner = s->t_banner;
	t->t_ehlo = s->t_ehlo;
	t->t_tls = s->t_tls;
	t->t_rcpt = s->t_rcpt;
	t->t_total = s->t_total;
}

bool
relay_report_pending(const struct relay *run, char *out, size_t outsize)
{
	const struct relay_walk *walks[1 + RELAY_MAX_VIA];
	size_t nw = 0, i, k;

	if (run->main.policy_pending > 0 && (run->rp->tls == RELAY_TLS_STS ||
	    (run->rp->tls == RELAY_TLS_AUTO && run->main.resolved))) {
		(void)text_format(out, outsize, "the MTA-STS policy of %s",
		    run->rp->domain);
		return true;
	}
	if (run->main.policy_pending > 0) {
		(void)text_format(out, outsize, "DNS (TLSA of the %s hosts)",
		    run->main.what);
		return true;
	}
	if (!run->dns_done || (run->use_mx && !run->main.resolved)) {
		(void)text_format(out, outsize, "DNS (%s of %s)", run->use_mx ?
		    (run->mx.stage == MX_STAGE_ADDR ? "addresses of the MX "
		    "hosts" : "MX") : "addresses", run->use_mx ?
		    run->rp->domain : "the relays");
		return true;
	}
	walks[nw++] = &run->main;
	for (i = 0; i < run->rp->nvia; i++)
		walks[nw++] = &run->via[i];
	for (i = 0; i < nw; i++)
		for (k = 0; k < walks[i]->n; k++) {
			const struct relay_attempt *a = &walks[i]->a[k];
			char where[400];
			enum smtp_stage st;

			if (a->s == NULL || a->out != RELAY_PENDING)
				continue;
			st = a->s->stage;
			relay_report_where(a, where, sizeof(where));
			(void)text_format(out, outsize, "%s%s of %s",
			    st == SMTP_CONNECT || st == SMTP_BANNER ||
			    st == SMTP_TLS ? "the " : "the reply to ",
			    st == SMTP_CONNECT ? "connection" :
			    smtp_result_stage_name(st), where);
			return true;
		}
	(void)text_format(out, outsize, "nothing");
	return false;
}

const char *
relay_report_mx_status(const struct relay *r)
{
	return dns_status_name(r->mx.mx_status);
}

size_t
relay_report_tried(const struct relay_walk *w)
{
	size_t i, n = 0;

	for (i = 0; i < w->n; i++)
		if (w->a[i].tried)
			n++;
	return n;
}
