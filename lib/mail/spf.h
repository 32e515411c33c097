/*
 * spf - SPF records (RFC 7208): parsing, and expansion of a domain's
 * record to the networks it authorises, on the run's loop.
 *
 * Expansion follows ip4, ip6, a, mx, include and redirect within the
 * RFC 7208 §4.6.4 limits (10 DNS-querying terms, 10 MX hosts per mx,
 * 2 void lookups) and detects include/redirect loops.  exists, ptr and
 * macros that need the client (%{i}, %{s}, ...) cannot be enumerated and
 * are reported.  All lookups of one level go out at once.
 *
 * lib reports: a result is a list of networks (with where each came from)
 * and notes, each with a kind; the plugin decides what they are worth.
 * Ownership: spf_expand_new()/spf_expand_free(), the latter after
 * dns_free() (pending answers point into the expansion); the result
 * belongs to the expansion.  spf_parse() fills caller storage and needs
 * no release.
 */
#ifndef MAILPATH_SPF_H
#define MAILPATH_SPF_H

#include <stdbool.h>
#include <stddef.h>

struct dns;
struct spf_expand;

#define SPF_MAX_TERMS 64
#define SPF_MAX_LOOKUPS 10	/* RFC 7208 §4.6.4 */
#define SPF_MAX_VOIDS 2
#define SPF_MAX_MX 10
#define SPF_TERM_TEXT 80
#define SPF_ORIGIN_MAX 200

enum spf_mech {
	SPF_ALL, SPF_INCLUDE, SPF_A, SPF_MX, SPF_PTR, SPF_IP4, SPF_IP6,
	SPF_EXISTS, SPF_REDIRECT, SPF_EXP, SPF_OTHER_MOD
};

struct spf_term {
	enum spf_mech mech;
	char qualifier;			/* + - ~ ? */
	char domain[254];	/* expanded domain-spec; "" = current */
	bool unexpandable;		/* a macro needs the client */
	int family;			/* ip4/ip6 */
	unsigned char addr[16];
	int prefix;			/* ip4/ip6 */
	int cidr4, cidr6;		/* a/mx */
	char text[SPF_TERM_TEXT];	/* the term as written (cut) */
};

struct spf_record {
	struct spf_term terms[SPF_MAX_TERMS];
	size_t n;
	bool has_all;
};

/* Is this TXT string an SPF record ("v=spf1" then space or end)? */
bool spf_is_record(const char *text, size_t len);
/*
 * Parse a record for domain (the current domain, for %{d}); sender is
 * the -S domain (%{o}).  0, or -1 and a permerror reason in err.
 */
int spf_parse(const char *text, size_t len, const char *domain,
    const char *sender, struct spf_record *out, char *err, size_t errlen);
/* Does this term cost a DNS lookup (§4.6.4)? */
bool spf_term_queries(enum spf_mech m);

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
