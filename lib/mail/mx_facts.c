#include <config.h>

#include "mail/mx_facts.h"
#include "net/dns.h"
#include "mail/trap.h"
#include "core/text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- facts ------------------------------------------------------------- */

/*
 * snprintf at out + *used.  What does not fit is cut and ends the list:
 * *used becomes size, and later items are dropped, not squeezed in.
 */
static void
mx_append(char *out, size_t size, size_t *used, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void
mx_append(char *out, size_t size, size_t *used, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (*used >= size)
		return;
	va_start(ap, fmt);
	k = vsnprintf(out + *used, size - *used, fmt, ap);
	va_end(ap);
	if (k < 0)
		out[*used] = '\0';
	else if ((size_t)k < size - *used)
		*used += (size_t)k;
	else
		*used = size;
}

static bool
mx_facts_host_usable(const struct mx_host *h)
{
	return !(h->flags & (MX_F_NULL | MX_F_TRAP | MX_F_LITERAL)) &&
	    h->res.naddrs > 0;
}

size_t
mx_facts_usable(const struct mx_set *s)
{
	size_t i, n = 0;

	for (i = 0; i < s->nhosts; i++)
		if (mx_facts_host_usable(&s->hosts[i]) &&
		    !(s->hosts[i].flags & MX_F_DUP))
			n++;
	return n;
}

size_t
mx_facts_traps(const struct mx_set *s)
{
	size_t i, n = 0;

	for (i = 0; i < s->nhosts; i++)
		if (s->hosts[i].flags & MX_F_TRAP)
			n++;
	return n;
}

bool
mx_facts_lowest(const struct mx_set *s, bool skip_traps, unsigned *pref)
{
	size_t i;
	bool any = false;

	for (i = 0; i < s->nhosts; i++) {
		const struct mx_host *h = &s->hosts[i];

		if ((h->flags & MX_F_NULL) ||
		    (skip_traps && (h->flags & MX_F_TRAP)))
			continue;
		if (!any || h->pref < *pref)
			*pref = h->pref;
		any = true;
	}
	return any;
}

unsigned
mx_facts_highest_real(const struct mx_set *s)
{
	unsigned high = 0;
	size_t i;

	for (i = 0; i < s->nhosts; i++) {
		const struct mx_host *h = &s->hosts[i];

		if (!(h->flags & (MX_F_NULL | MX_F_TRAP)) && h->pref > high)
			high = h->pref;
	}
	return high;
}

size_t
mx_facts_dns_status(const struct mx_host *h, char *out, size_t size)
{
	size_t used = 0;

	out[0] = '\0';
	if (h->res.asked4)
		mx_append(out, size, &used, "A %s", h->res.pending4 ?
		    "pending" : dns_status_name(h->res.st4));
	if (h->res.asked6)
		mx_append(out, size, &used, "%sAAAA %s", used ? ", " : "",
		    h->res.pending6 ? "pending" : dns_status_name(h->res.st6));
	return used;
}

size_t
mx_facts_nonpublic(const struct mx_host *h, char *out, size_t size)
{
	size_t k, used = 0, n = 0;

	out[0] = '\0';
	for (k = 0; k < h->res.naddrs; k++) {
		const char *sp = h->res.addrs[k].scope;

		if (sp == NULL)
			continue;
		/* room for one more, or stop: the list says enough */
		if (used + 64 >= size)
			break;
		mx_append(out, size, &used, "%s%s (%s)", used ? ", " : "",
		    h->res.addrs[k].text, sp);
		n++;
	}
	return n;
}

size_t
mx_facts_unvalidated(const struct mx_set *s, const size_t *order, char *out,
    size_t size)
{
	size_t at, used = 0;

	out[0] = '\0';
	if (!s->mx_ad)
		mx_append(out, size, &used, "MX %s", s->domain);
	for (at = 0; at < s->nhosts; at++) {
		const struct mx_host *h = &s->hosts[order[at]];

		if (h->flags & MX_F_DUP)
			continue;
		if (h->res.asked4 && !h->res.pending4 && !h->res.ad4)
			mx_append(out, size, &used, "%sA %s", used ? ", " : "",
			    h->name);
		if (h->res.asked6 && !h->res.pending6 && !h->res.ad6)
			mx_append(out, size, &used, "%sAAAA %s",
			    used ? ", " : "", h->name);
	}
	return used;
}

size_t
mx_facts_primaries(const struct mx_set *s, const size_t *order, bool dups,
    char *out, size_t size)
{
	size_t at, used = 0, n = 0;
	unsigned lowest;

	out[0] = '\0';
	if (!mx_facts_lowest(s, false, &lowest))
		return 0;
	for (at = 0; at < s->nhosts; at++) {
		const struct mx_host *h = &s->hosts[order[at]];

		if ((h->flags & MX_F_NULL) || h->pref != lowest ||
		    (!dups && (h->flags & MX_F_DUP)))
			continue;
		mx_append(out, size, &used, "%s%s", used ? ", " : "",
		    h->name);
		n++;
	}
	return n;
}

bool
mx_facts_primaries_match(const struct mx_set *s,
    const char (*globs)[MX_NAME_MAX], size_t nglobs)
{
	size_t i, j;
	unsigned lowest;
	bool m = true;

	if (!mx_facts_lowest(s, false, &lowest))
		return false;
	for (i = 0; i < s->nhosts && m; i++) {
		const struct mx_host *h = &s->hosts[i];

		if ((h->flags & MX_F_NULL) || h->pref != lowest)
			continue;
		m = false;
		for (j = 0; j < nglobs && !m; j++)
			m = trap_glob_match(globs[j], h->name);
	}
	return m;
}

size_t
mx_facts_pending(const struct mx_set *s, const size_t *order, char *out,
    size_t size)
{
	size_t at, used = 0;

	out[0] = '\0';
	for (at = 0; at < s->nhosts; at++) {
		const struct mx_host *h = &s->hosts[order[at]];

		if (!h->res.pending4 && !h->res.pending6)
			continue;
		mx_append(out, size, &used, "%s%s%s%s %s", used ? ", " : "",
		    h->res.pending4 ? "A" : "",
		    h->res.pending4 && h->res.pending6 ? "+" : "",
		    h->res.pending6 ? "AAAA" : "", h->name);
	}
	return used;
}

size_t
mx_facts_walk(const struct mx_set *s, char *out, size_t size)
{
	size_t i, used = 0;

	out[0] = '\0';
	for (i = 0; i < s->nhosts; i++)
		mx_append(out, size, &used, "%s%s", i ? ", " : "",
		    s->hosts[i].name[0] ? s->hosts[i].name : ".");
	return used;
}

const char *
mx_facts_status_name(const struct mx_set *s)
{
	return dns_status_name(s->mx_status);
}

/* ---- names and records, parsed and compared ------------------------------ */

int
mx_facts_domain_parse(const char *text, char *out, size_t size, char *err,
    size_t errlen)
{
	/* an address first: it would read as an all-numeric name */
	if (mx_is_literal(text)) {
		snprintf(err, errlen, "an IP address, not a mail domain");
		return -1;
	}
	return dns_name_normalize(text, out, size, err, errlen);
}

static int
mx_facts_rec_parse(const char *text, struct mx_rec *out, char *err,
    size_t errlen)
{
	const char *sp = strchr(text, ' '), *host;
	char num[16], why[160];
	long pref;

	if (sp == NULL || (size_t)(sp - text) >= sizeof(num)) {
		snprintf(err, errlen, "'%s' is not 'PREFERENCE HOST'", text);
		return -1;
	}
	memcpy(num, text, (size_t)(sp - text));
	num[sp - text] = '\0';
	for (host = sp; *host == ' '; host++)
		;
	if (text_parse_long(num, 0, 65535, &pref) < 0) {
		snprintf(err, errlen, "preference '%s' is not 0-65535", num);
		return -1;
	}
	out->pref = (unsigned)pref;
	if (strcmp(host, ".") == 0) {
		out->host[0] = '\0';	/* the null MX of RFC 7505 */
		return 0;
	}
	if (dns_name_normalize(host, out->host, sizeof(out->host), why,
	    sizeof(why)) < 0) {
		snprintf(err, errlen, "host '%s': %s", host, why);
		return -1;
	}
	return 0;
}

static int
mx_rec_cmp(const void *a, const void *b)
{
	const struct mx_rec *x = a, *y = b;

	if (x->pref != y->pref)
		return x->pref < y->pref ? -1 : 1;
	return strcmp(x->host, y->host);
}

/*
 * A comma list, each item trimmed of spaces and given to one(); the
 * reason of a failure goes to err.  No strtok (STYLE.md practice 8).
 */
static int
mx_facts_each(const char *list, int (*one)(void *ctx, const char *item,
    char *err, size_t errlen), void *ctx, char *err, size_t errlen)
{
	const char *p = list;
	char item[512];

	if (*list == '\0') {
		snprintf(err, errlen, "empty");
		return -1;
	}
	for (;;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		while (len > 0 && *p == ' ') {
			p++;
			len--;
		}
		while (len > 0 && p[len - 1] == ' ')
			len--;
		if (len == 0 || len >= sizeof(item)) {
			snprintf(err, errlen, "%s item", len ? "too long an" :
			    "empty");
			return -1;
		}
		memcpy(item, p, len);
		item[len] = '\0';
		if (one(ctx, item, err, errlen) < 0)
			return -1;
		if (e == NULL)
			return 0;
		p = e + 1;
	}
}

struct mx_facts_list {
	void *v;
	size_t max, *n;
};

static int
mx_facts_one_rec(void *ctx, const char *item, char *err, size_t errlen)
{
	struct mx_facts_list *l = ctx;
	struct mx_rec *v = l->v;

	if (*l->n >= l->max) {
		snprintf(err, errlen, "more than %zu records", l->max);
		return -1;
	}
	if (mx_facts_rec_parse(item, &v[*l->n], err, errlen) < 0)
		return -1;
	(*l->n)++;
	return 0;
}

static int
mx_facts_one_glob(void *ctx, const char *item, char *err, size_t errlen)
{
	struct mx_facts_list *l = ctx;
	char (*v)[MX_NAME_MAX] = l->v, why[160];

	if (*l->n >= l->max) {
		snprintf(err, errlen, "more than %zu patterns", l->max);
		return -1;
	}
	/* trap_glob_check() holds a pattern to 253 octets: it fits */
	if (trap_glob_check(item, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "'%s': %s", item, why);
		return -1;
	}
	memcpy(v[(*l->n)++], item, strlen(item) + 1);
	return 0;
}

int
mx_facts_recs_parse(const char *list, struct mx_rec *out, size_t max,
    size_t *n, char *err, size_t errlen)
{
	struct mx_facts_list l = { out, max, n };

	return mx_facts_each(list, mx_facts_one_rec, &l, err, errlen);
}

int
mx_facts_globs_parse(const char *list, char (*out)[MX_NAME_MAX], size_t max,
    size_t *n, char *err, size_t errlen)
{
	struct mx_facts_list l = { out, max, n };

	return mx_facts_each(list, mx_facts_one_glob, &l, err, errlen);
}

static void
mx_facts_recs_sort(struct mx_rec *v, size_t n)
{
	qsort(v, n, sizeof(*v), mx_rec_cmp);
}

static size_t
mx_facts_records(const struct mx_set *s, struct mx_rec *out, size_t max)
{
	size_t i, n = 0;

	/* the implicit MX is no record: the domain published none */
	for (i = 0; i < s->nhosts && !s->implicit && n < max; i++) {
		out[n].pref = s->hosts[i].pref;
		memcpy(out[n].host, s->hosts[i].name, MX_NAME_MAX);
		n++;
	}
	mx_facts_recs_sort(out, n);
	return n;
}

static bool
mx_facts_recs_equal(const struct mx_rec *a, size_t na, const struct mx_rec *b,
    size_t nb)
{
	size_t i;

	if (na != nb)
		return false;
	for (i = 0; i < na; i++)
		if (mx_rec_cmp(&a[i], &b[i]) != 0)
			return false;
	return true;
}

static void
mx_facts_recs_format(char *out, size_t size, const struct mx_rec *v, size_t n)
{
	size_t i, used = 0;

	out[0] = '\0';
	if (n == 0) {
		snprintf(out, size, "(none)");
		return;
	}
	for (i = 0; i < n; i++)
		mx_append(out, size, &used, "%s%u %s", i ? ", " : "",
		    v[i].pref, v[i].host[0] ? v[i].host : ".");
}

bool
mx_facts_expect_mx(const struct mx_set *s, const struct mx_rec *want,
    size_t nwant, char *wtext, char *gtext, size_t size)
{
	struct mx_rec w[MX_MAX_HOSTS], g[MX_MAX_HOSTS];
	size_t ng;

	if (nwant > MX_MAX_HOSTS)
		nwant = MX_MAX_HOSTS;
	if (nwant > 0)
		memcpy(w, want, nwant * sizeof(*w));
	mx_facts_recs_sort(w, nwant);
	ng = mx_facts_records(s, g, MX_MAX_HOSTS);
	if (mx_facts_recs_equal(w, nwant, g, ng))
		return true;
	mx_facts_recs_format(wtext, size, w, nwant);
	mx_facts_recs_format(gtext, size, g, ng);
	return false;
}
