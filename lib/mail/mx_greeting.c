/*
 * mx_greeting - what the greeting probes found (see mx_greeting.h).
 */
#include <config.h>

#include "mail/mx_greeting.h"

#include "core/text.h"

#include <stdio.h>
#include <string.h>

static const char *const mx_probe_state_names[MX_PROBE_NSTATES] = {
	[MX_PROBE_CONNECTING] = "connecting",
	[MX_PROBE_BANNER] = "waiting for the banner",
	[MX_PROBE_ACCEPTING] = "accepting",
	[MX_PROBE_REFUSING] = "not accepting",
	[MX_PROBE_BAD] = "bad greeting",
	[MX_PROBE_CONNECT_FAILED] = "connect failed",
	[MX_PROBE_CONNECT_TIMEOUT] = "connect timeout",
	[MX_PROBE_BANNER_TIMEOUT] = "banner timeout",
	[MX_PROBE_CLOSED] = "closed before the banner",
	[MX_PROBE_LOCAL_ERROR] = "local error",
};

const char *
mx_greeting_state_name(enum mx_probe_state st)
{
	return st < MX_PROBE_NSTATES ? mx_probe_state_names[st] : "?";
}

bool
mx_greeting_accepting(const struct mx_probes *ps, size_t host)
{
	size_t i;

	for (i = 0; i < ps->n; i++)
		if (ps->v[i].host == host && ps->v[i].st == MX_PROBE_ACCEPTING)
			return true;
	return false;
}

double
mx_greeting_best_connect(const struct mx_probes *ps, size_t host)
{
	double best = -1;
	size_t i;

	for (i = 0; i < ps->n; i++) {
		const struct mx_probe *pr = &ps->v[i];

		if (pr->host == host && pr->connect_time > 0 &&
		    (best < 0 || pr->connect_time < best))
			best = pr->connect_time;
	}
	return best;
}

size_t
mx_greeting_pending(const struct mx_probes *ps, char *out, size_t size)
{
	size_t i, used = 0;

	out[0] = '\0';
	for (i = 0; i < ps->n; i++) {
		const struct mx_probe *pr = &ps->v[i];
		const struct mx_host *h = &ps->set->hosts[pr->host];
		int k;

		/* the states of a probe still running */
		if (pr->st != MX_PROBE_CONNECTING && pr->st != MX_PROBE_BANNER)
			continue;
		k = snprintf(out + used, size - used, "%s%s of %s [%s]",
		    used ? ", " : "", pr->st == MX_PROBE_CONNECTING ?
		    "connect" : "banner", h->name,
		    h->res.addrs[pr->addr].text);
		if (k < 0 || (size_t)k >= size - used)
			break;
		used += (size_t)k;
	}
	return used;
}

void
mx_greeting_text(const struct mx_probe *pr, char *out, size_t size)
{
	char raw[SMTP_TEXT_MAX + 24];
	const struct smtp_reply *rp = &pr->greet;

	snprintf(raw, sizeof(raw), "%s%s%s", rp->enh, rp->enh[0] ? " " : "",
	    rp->text);
	/* server text is data: printable, one line, at most 80 columns */
	text_sanitize(out, size, raw, strlen(raw), 80);
}
