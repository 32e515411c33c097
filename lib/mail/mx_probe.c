#include <config.h>

#include "mail/mx_probe.h"
#include "net/addr.h"
#include "net/smtp.h"
#include "core/state.h"
#include "core/text.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool
mx_probe_running(enum mx_probe_state st)
{
	return st == MX_PROBE_CONNECTING || st == MX_PROBE_BANNER;
}

/* The one place a probe changes state (STYLE.md practice 3). */
static void
mx_probe_set_state(struct mx_probe *pr, enum mx_probe_state st)
{
	struct mx_probes *ps = pr->ps;
	enum mx_probe_state from = pr->st;

	pr->st = st;
	if (ps->par.trace != NULL)
		ps->par.trace(ps->par.arg, pr, from);
	if (mx_probe_running(st))
		return;
	/* the starting loop holds one count: done() runs once, at its end */
	if (--ps->pending == 0 && ps->par.done != NULL)
		ps->par.done(ps->par.arg);
}

/*
 * net/smtp's outcome as the probe's state: the session reads and checks
 * the greeting, the probe only names what happened.
 */
static void
mx_probe_done(struct smtp_session *s, void *arg)
{
	struct mx_probe *pr = arg;
	enum mx_probe_state st;

	pr->connect_time = s->t_connect;
	(void)text_copy(pr->why, sizeof(pr->why), s->errtext);
	switch (s->error) {
	case SMTP_OK:
		pr->greet = s->banner;
		pr->banner_time = s->t_connect + s->t_banner;
		st = s->banner.code == 220 ? MX_PROBE_ACCEPTING :
		    MX_PROBE_REFUSING;
		break;
	case SMTP_ERR_CONNECT:
		st = MX_PROBE_CONNECT_FAILED;
		break;
	case SMTP_ERR_TIMEOUT:
		st = s->failed_stage == SMTP_CONNECT ?
		    MX_PROBE_CONNECT_TIMEOUT : MX_PROBE_BANNER_TIMEOUT;
		break;
	case SMTP_ERR_CLOSED:
		st = MX_PROBE_CLOSED;
		break;
	case SMTP_ERR_PROTOCOL:
		st = MX_PROBE_BAD;
		break;
	default:
		st = MX_PROBE_LOCAL_ERROR;
		break;
	}
	mx_probe_set_state(pr, st);
}

static void
mx_probe_connect(struct mx_probe *pr, struct loop *l)
{
	const struct mx_probes *ps = pr->ps;
	const struct addr_sock *a =
	    &ps->set->hosts[pr->host].res.addrs[pr->addr];
	struct smtp_params sp;

	memset(&sp, 0, sizeof(sp));
	memcpy(&sp.addr, &a->ss, sizeof(sp.addr));
	sp.addrlen = a->len;
	addr_set_port(&sp.addr, ps->par.port);
	sp.banner_only = true;
	sp.tls = SMTP_TLS_NEVER;
	sp.connect_timeout = sp.banner_timeout = sp.command_timeout =
	    ps->par.timeout;
	sp.done = mx_probe_done;
	sp.arg = pr;
	if (smtp_session_new(&pr->s, l, &sp) < 0) {
		(void)text_copy(pr->why, sizeof(pr->why), strerror(ENOMEM));
		smtp_session_free(pr->s);
		pr->s = NULL;
		mx_probe_set_state(pr, MX_PROBE_LOCAL_ERROR);
	}
}

void
mx_probe_init(struct mx_probes *ps)
{
	memset(ps, 0, sizeof(*ps));
}

int
mx_probe_start(struct mx_probes *ps, struct loop *l,
    const struct mx_set *s, const struct mx_probe_params *par)
{
	size_t at, i, j, n = 0;

	ps->set = s;
	ps->par = *par;
	for (i = 0; i < s->nhosts; i++)
		if (!(s->hosts[i].flags & MX_F_DUP))
			n += s->hosts[i].res.naddrs;
	if (n > par->max) {
		ps->not_probed = n - par->max;
		n = par->max;
	}
	if (n > 0 && (ps->v = calloc(n, sizeof(*ps->v))) == NULL) {
		state_note_oom("MX probes");
		return -1;
	}
	for (at = 0; at < s->nhosts && ps->n < n; at++) {
		i = par->order[at];
		if (s->hosts[i].flags & MX_F_DUP)
			continue;
		for (j = 0; j < s->hosts[i].res.naddrs && ps->n < n; j++) {
			struct mx_probe *pr = &ps->v[ps->n++];

			pr->ps = ps;
			pr->host = i;
			pr->addr = j;
			pr->st = MX_PROBE_CONNECTING;
		}
	}
	ps->pending = ps->n + 1;
	for (i = 0; i < ps->n; i++)
		mx_probe_connect(&ps->v[i], l);
	if (--ps->pending == 0 && par->done != NULL)
		par->done(par->arg);
	return 0;
}

void
mx_probe_sync(struct mx_probes *ps)
{
	size_t i;

	for (i = 0; i < ps->n; i++) {
		struct mx_probe *pr = &ps->v[i];

		if (pr->s != NULL && mx_probe_running(pr->st))
			pr->st = pr->s->stage == SMTP_CONNECT ?
			    MX_PROBE_CONNECTING : MX_PROBE_BANNER;
	}
}

void
mx_probe_release(struct mx_probes *ps)
{
	size_t i;

	for (i = 0; i < ps->n; i++)
		smtp_session_free(ps->v[i].s);
	free(ps->v);
	ps->v = NULL;
	ps->n = ps->pending = 0;
}
