#include <config.h>

#include "mail/mx.h"
#include "mail/mx_resolve.h"
#include "net/addr.h"
#include "core/state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the set ----------------------------------------------------------- */

void
mx_set_init(struct mx_set *s)
{
	memset(s, 0, sizeof(*s));
	s->stage = MX_STAGE_IDLE;
	s->mx_status = DNS_ERROR;
}

void
mx_set_clear(struct mx_set *s)
{
	size_t i;

	for (i = 0; i < s->nhosts; i++)
		resolve_host_release(&s->hosts[i].res);
	free(s->hosts);
	s->hosts = NULL;
	s->nhosts = 0;
}

void
mx_set_release(struct mx_set *s)
{
	mx_set_clear(s);
	free(s->mx_cname);
	s->mx_cname = NULL;
	mx_resolve_release(s);
}

bool
mx_is_literal(const char *name)
{
	unsigned char tmp[16];

	/* an IP address, or the address-literal form of RFC 5321 §4.1.3 */
	return addr_parse(name, tmp) != 0 ||
	    addr_parse_smtp(name, strlen(name), tmp) != 0;
}

/* preference, then name, then index: the order of mx_display_order() */
static int
mx_cmp_idx(const struct mx_set *s, size_t a, size_t b)
{
	const struct mx_host *x = &s->hosts[a], *y = &s->hosts[b];
	int c;

	if (x->pref != y->pref)
		return x->pref < y->pref ? -1 : 1;
	c = strcmp(x->name, y->name);
	if (c == 0)
		c = a < b ? -1 : (a > b);
	return c;
}

void
mx_display_order(const struct mx_set *s, size_t *idx)
{
	size_t i, j;

	/* insertion sort: at most MX_MAX_HOSTS entries */
	for (i = 0; i < s->nhosts; i++) {
		size_t v = i;

		for (j = i; j > 0 && mx_cmp_idx(s, idx[j - 1], v) > 0; j--)
			idx[j] = idx[j - 1];
		idx[j] = v;
	}
}

const char *
mx_role(const struct mx_set *s, const struct mx_host *h)
{
	size_t i;
	bool lowest = true;

	if (h->flags & MX_F_NULL)
		return "null";
	if (h->flags & MX_F_TRAP)
		return "trap";
	for (i = 0; i < s->nhosts; i++)
		if (!(s->hosts[i].flags & MX_F_NULL) &&
		    s->hosts[i].pref < h->pref)
			lowest = false;
	return lowest ? "primary" : "backup";
}

/* ---- traps ------------------------------------------------------------- */

void
mx_mark_traps(struct mx_set *s, const struct trap_set *t)
{
	size_t i;

	for (i = 0; i < s->nhosts; i++) {
		struct mx_host *h = &s->hosts[i];

		if (h->flags & (MX_F_NULL | MX_F_IMPLICIT))
			continue;
		h->trap = trap_match(t, h->name);
		if (h->trap != NULL)
			h->flags |= MX_F_TRAP;
		else
			h->flags &= ~(unsigned)MX_F_TRAP;
	}
}

bool
mx_set_timed_out(const struct mx_set *s)
{
	size_t i;

	if (s->mx_status == DNS_TIMEOUT)
		return true;
	for (i = 0; i < s->nhosts; i++) {
		const struct resolve_host *h = &s->hosts[i].res;

		if ((h->asked4 && h->st4 == DNS_TIMEOUT) ||
		    (h->asked6 && h->st6 == DNS_TIMEOUT))
			return true;
	}
	return false;
}
