/*
 * auth - a sender's standing beyond blocklists, as receivers check it:
 * FCrDNS of the sending addresses (mail/fcrdns), SPF evaluated for each
 * of them (mail/spf_eval), the domain's DMARC policy (mail/dmarc) and
 * its DKIM keys for given selectors (mail/dkim), all on one DNS channel.
 *
 * auth_start() sends the domain's first round at once: the SPF record,
 * _dmarc (and the organizational domain's), every selector's key; the
 * sending addresses follow with auth_start_addresses() as soon as they
 * are known (their PTR queries, then the names' A or AAAA).  done runs
 * each time nothing is left pending, so a caller checks auth_pending().
 *
 * lib reports: results are facts and verdicts per RFC; the plugin maps
 * them to states.  Ownership: auth_new()/auth_free(), the latter after
 * dns_free(); results belong to the auth and are read after done (or at
 * a deadline: what answered by then).
 */
#ifndef MAILPATH_AUTH_H
#define MAILPATH_AUTH_H

#include <stdbool.h>
#include <stddef.h>

#include "mail/dkim.h"
#include "mail/dmarc.h"
#include "mail/fcrdns.h"
#include "mail/spf_eval.h"

#define AUTH_MAX_SELECTORS 16
#define AUTH_SELECTOR_MAX 64

struct auth_config {
	const char *domain;	/* a domain, or an address (its domain after
				   '@'); NULL: no domain checks */
	const char *const *selectors;	/* DKIM selectors (valid names) */
	size_t nselectors;
};

struct auth_dkim {
	char name[AUTH_SELECTOR_MAX + 12 + 254];	/* S._domainkey.D */
	bool done;
	enum dns_status status;
	size_t nrecords;	/* TXT records in the answer */
	bool parsed;		/* the first one parsed */
	struct dkim_key key;
	char err[160];
};

/* RFC 6376 §3.1: a selector is one or more DNS labels; the lower-case
 * A-label form into out.  0, or -1 (not a name, or too long). */
int auth_selector_normalize(const char *in, char *out, size_t size);

/* The name of a lookup's outcome ("NXDOMAIN", "SERVFAIL", ...). */
const char *auth_status_name(enum dns_status s);

struct auth;
typedef void (*auth_done_cb)(void *arg);

/* -1: out of memory, too many selectors, or c->domain no domain name. */
int auth_new(struct auth **out, struct dns *d, const struct auth_config *c,
    auth_done_cb done, void *arg);
void auth_free(struct auth *a);
int auth_start(struct auth *a);
/* Before auth_start_addresses(); 0 or -1 (too many, out of memory). */
int auth_add_address(struct auth *a, int family, const unsigned char *addr);
int auth_start_addresses(struct auth *a);
bool auth_pending(const struct auth *a);

const char *auth_domain(const struct auth *a);	/* A-label, or NULL */
/* NULL when there is no domain: */
const struct spf_eval *auth_spf(const struct auth *a);
struct dmarc_lookup *auth_dmarc(const struct auth *a);
struct fcrdns *auth_fcrdns(const struct auth *a);
size_t auth_dkim_count(const struct auth *a);
const struct auth_dkim *auth_dkim_get(const struct auth *a, size_t i);

#endif
