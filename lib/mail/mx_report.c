/*
 * mx_report - an MX audit in the words of a report (see mx_report.h).
 */
#include <config.h>

#include "mail/mx_report.h"
#include "mail/mx_facts.h"
#include "mail/mx_greeting.h"

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

void
mx_report_outcomes(const struct mx_audit *a, size_t host, bool full,
    char *out, size_t size)
{
	const struct mx_probes *ps = &a->probes;
	size_t i, used = strlen(out);

	for (i = 0; i < ps->n && used < size; i++) {
		const struct mx_probe *pr = &ps->v[i];
		const char *addr =
		    a->set.hosts[host].res.addrs[pr->addr].text;
		const char *st = mx_greeting_state_name(pr->st);
		const char *sep = full ? "; " : used ? ", " : "";
		char text[160];
		int k;

		if (pr->host != host)
			continue;
		mx_greeting_text(pr, text, sizeof(text));
		if (full && a->timed_out && (pr->st == MX_PROBE_CONNECTING ||
		    pr->st == MX_PROBE_BANNER))
			st = "no answer before the deadline";
		if (full && (pr->st == MX_PROBE_ACCEPTING ||
		    pr->st == MX_PROBE_REFUSING))
			k = snprintf(out + used, size - used, "%s%s %d after "
			    "%.1f ms (connect %.1f ms) \"%s\"", sep, addr,
			    pr->greet.code, pr->banner_time * 1e3,
			    pr->connect_time * 1e3, text);
		else if (pr->st == MX_PROBE_REFUSING)
			k = snprintf(out + used, size - used, "%s%s %d %s",
			    sep, addr, pr->greet.code, text);
		else if (pr->st == MX_PROBE_CONNECT_FAILED ||
		    pr->st == MX_PROBE_LOCAL_ERROR)
			k = snprintf(out + used, size - used, "%s%s %s", sep,
			    addr, pr->why);
		else if (pr->st == MX_PROBE_BAD && full)
			k = snprintf(out + used, size - used, "%s%s %s (%s)",
			    sep, addr, st, pr->why);
		else if (pr->st == MX_PROBE_BAD)
			k = snprintf(out + used, size - used, "%s%s %s: %s",
			    sep, addr, st, pr->why);
		else
			k = snprintf(out + used, size - used, "%s%s %s", sep,
			    addr, st);
		if (k < 0 || (size_t)k >= size - used)
			break;
		used += (size_t)k;
	}
}

void
mx_report_record(const struct mx_audit *a, size_t host, bool dns,
    char *out, size_t size)
{
	const struct mx_set *s = &a->set;
	const struct mx_host *h = &s->hosts[host];
	char st[128];
	size_t k, used;

	if (h->flags & MX_F_NULL) {
		snprintf(out, size, "MX %u . (null MX)", h->pref);
		return;
	}
	snprintf(out, size, "%sMX %u %s (%s%s%s):",
	    h->flags & MX_F_IMPLICIT ? "implicit " : "", h->pref,
	    h->name, mx_role(s, h), h->trap ? ", " : "",
	    h->trap ? h->trap : "");
	used = strlen(out);
	for (k = 0; k < h->res.naddrs && used < size; k++) {
		int n = snprintf(out + used, size - used,
		    "%s %s", k ? "," : "", h->res.addrs[k].text);

		if (n > 0)
			used += (size_t)n;
	}
	if (used >= size)
		used = size - 1;
	if (h->flags & MX_F_LITERAL)
		snprintf(out + used, size - used,
		    " IP literal, not looked up");
	else if (h->flags & MX_F_DUP)
		snprintf(out + used, size - used,
		    " (duplicate of an earlier record)");
	else if (h->res.naddrs == 0) {
		mx_facts_dns_status(h, st, sizeof(st));
		snprintf(out + used, size - used,
		    " no address (%s)", st);
	}
	used = strlen(out);
	if (h->res.cname != NULL)
		snprintf(out + used, size - used,
		    " [alias of %s]", h->res.cname);
	if (dns) {
		used = strlen(out);
		mx_facts_dns_status(h, st, sizeof(st));
		snprintf(out + used, size - used,
		    " [DNS: %s%s]", st, (h->res.asked4 && h->res.ad4) ||
		    (h->res.asked6 && h->res.ad6) ? ", AD" : "");
	}
	mx_report_outcomes(a, host, true, out, size);
}

void
mx_report_timeout(const struct mx_audit *a, double timeout, char *out,
    size_t size)
{
	const struct mx_set *s = &a->set;
	char list[1024];

	if (s->stage == MX_STAGE_MX)
		snprintf(out, size, "no MX answer for %s within %gs",
		    s->domain, timeout);
	else if (!a->dns_done) {
		mx_facts_pending(s, a->order, list, sizeof(list));
		snprintf(out, size, "after %gs still waiting for %s",
		    timeout, list);
	} else {
		snprintf(out, size, "after %gs still waiting for %s",
		    timeout, mx_greeting_pending(&a->probes, list,
		    sizeof(list)) ? list : "the probes");
	}
}

void
mx_report_primary(const struct mx_audit *a, char *out, size_t size)
{
	char names[512];
	unsigned lowest;

	out[0] = '\0';
	if (mx_facts_lowest(&a->set, false, &lowest) &&
	    mx_facts_primaries(&a->set, a->order, false, names,
	    sizeof(names)) > 0)
		snprintf(out, size, ", primary %s (%u)", names, lowest);
}

void
mx_report_no_usable(const struct mx_audit *a, int family, char *out,
    size_t size)
{
	size_t n = a->set.nrecords;

	snprintf(out, size, "none of %zu record%s is a non-trap host with an "
	    "address%s", n, n == 1 ? "" : "s", family == AF_INET ?
	    " (IPv4 only)" : family == AF_INET6 ? " (IPv6 only)" : "");
}
