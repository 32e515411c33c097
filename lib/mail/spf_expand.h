/*
 * spf_expand - a domain's SPF record expanded to the networks it
 * authorises, on the run's loop.  Follows ip4, ip6, a, mx, include and
 * redirect within the RFC 7208 §4.6.4 limits (10 DNS-querying terms, 10
 * MX hosts per mx, 2 void lookups) and detects include/redirect loops;
 * exists, ptr and macros that need the client (%{i}, %{s}, ...) cannot be
 * enumerated and are reported.  All lookups of one level go out at once;
 * the a and mx hosts' addresses through net/resolve.
 *
 * lib reports: a result is a list of networks (with where each came from)
 * and notes, each with a kind; the plugin decides what they are worth.
 * Ownership: spf_expand_new()/spf_expand_free(), the latter after
 * dns_free() (pending answers point into the expansion); the result
 * belongs to the expansion.
 */
#ifndef MAILPATH_SPF_EXPAND_H
#define MAILPATH_SPF_EXPAND_H

#include <stdbool.h>
#include <stddef.h>

#include "mail/spf.h"

struct dns;
struct spf_expand;

struct spf_net {
	int family;			/* AF_INET or AF_INET6 */
	unsigned char addr[16];
	int prefix;
	char origin[SPF_ORIGIN_MAX];	/* "SPF ip.spf.test ip4:..." */
};

enum spf_note_kind {
	SPF_NOTE_INFO,		/* not enumerable, limits on mx hosts */
	SPF_NOTE_NONE,		/* the domain publishes no SPF record */
	SPF_NOTE_PERMERROR,	/* receivers would fail the record */
	SPF_NOTE_TEMPERROR	/* a lookup failed: the list is incomplete */
};

struct spf_note {
	enum spf_note_kind kind;
	bool timeout;		/* TEMPERROR: the lookup ran out of time */
	char text[256];
};

struct spf_result {
	struct spf_net *nets;
	size_t nnets;
	struct spf_note *notes;
	size_t nnotes;
	unsigned lookups;	/* DNS-querying terms seen */
	unsigned voids;
	size_t pending;		/* lookups still out (at a deadline) */
};

typedef void (*spf_done_cb)(void *arg);

/* Starts the lookups; done runs once, when nothing is pending. */
int spf_expand_new(struct spf_expand **out, struct dns *d,
    const char *domain, spf_done_cb done, void *arg);
void spf_expand_free(struct spf_expand *e);
const struct spf_result *spf_expand_result(const struct spf_expand *e);

#endif
