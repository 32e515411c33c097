/*
 * dmarc - DMARC policy records (RFC 7489): the parser, and the lookup of
 * a domain's policy with the fallback to its organizational domain.
 *
 * The lookup asks TXT _dmarc.DOMAIN and, when the organizational domain
 * (the registered domain, from mail/regdom's Public Suffix List) differs,
 * TXT _dmarc.ORGDOMAIN in the same round: the second answer is used only
 * when the first has no DMARC record (§6.6.3), and costs no extra round.
 *
 * lib reports: the result says what was found (one valid record, none,
 * several, a malformed one, a DNS failure); the plugin judges it.
 * Ownership: dmarc_lookup_new()/dmarc_lookup_free(), the latter after
 * dns_free() (pending answers point into the lookup); the result belongs
 * to the lookup.  dmarc_parse() fills caller storage and needs no release.
 */
#ifndef MAILPATH_DMARC_H
#define MAILPATH_DMARC_H

#include <stdbool.h>
#include <stddef.h>

#include "net/dns.h"

#define DMARC_NAME_MAX 262	/* "_dmarc." + a domain */

enum dmarc_policy { DMARC_P_NONE, DMARC_P_QUARANTINE, DMARC_P_REJECT };

struct dmarc_record {
	enum dmarc_policy p, sp;	/* sp defaults to p (§6.3) */
	bool p_assumed;		/* no valid p, but rua: taken as none */
	int pct;		/* 0-100, default 100 */
	char adkim, aspf;	/* 'r' or 's', default 'r' */
	bool has_rua, has_ruf;
};

/* Does this TXT string start with the v=DMARC1 tag (§6.4)? */
bool dmarc_is_record(const char *text, size_t len);
/* 0, or -1 with the reason in err (the record is malformed). */
int dmarc_parse(const char *text, size_t len, struct dmarc_record *out,
    char *err, size_t errlen);
const char *dmarc_policy_name(enum dmarc_policy p);
/* The organizational domain of domain (§3.2): 0, or -1 (no PSL, too
 * long, or domain is itself a public suffix). */
int dmarc_org_domain(const char *domain, char *out, size_t size);

enum dmarc_status {
	DMARC_FOUND,		/* exactly one record, valid */
	DMARC_MISSING,		/* none at the domain or org domain */
	DMARC_MULTIPLE,		/* more than one: no DMARC is applied */
	DMARC_MALFORMED,	/* one record that does not parse */
	DMARC_TEMPERROR		/* a lookup failed or did not answer */
};

struct dmarc_result {
	enum dmarc_status status;
	char name[DMARC_NAME_MAX];	/* where found (or asked) */
	bool at_org;		/* found at the organizational domain */
	struct dmarc_record rec;	/* DMARC_FOUND */
	enum dns_status dns;	/* DMARC_TEMPERROR: what the lookup got */
	char err[160];		/* DMARC_MALFORMED: why */
};

struct dmarc_lookup;
typedef void (*dmarc_done_cb)(void *arg);

/* domain: an A-label name without the final dot.  done runs once,
 * perhaps before dmarc_lookup_new() returns (*out is set by then). */
int dmarc_lookup_new(struct dmarc_lookup **out, struct dns *d,
    const char *domain, dmarc_done_cb done, void *arg);
void dmarc_lookup_free(struct dmarc_lookup *l);
/* Judged from what has answered (at a deadline: what came in). */
const struct dmarc_result *dmarc_lookup_result(struct dmarc_lookup *l);
bool dmarc_lookup_pending(const struct dmarc_lookup *l);

#endif
