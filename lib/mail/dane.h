/*
 * dane - the RFC 7672 policy of a relay walk (--tls dane), per host and
 * per address; certificate matching itself is net/tls's.
 *
 * Per host and port (prepare): where the MX RRset (on an MX walk) and the
 * host's address records carry the AD bit, _PORT._tcp.HOST TLSA is asked
 * for every host at once (one resolver round trip).  Behind a validated
 * CNAME the expanded name is asked first and, without secure TLSA there,
 * the MX name (§2.2.3); the name that answers is the TLSA base domain and
 * the SNI (§8.1).  dane_classify() is the table from the answer to a
 * state; a FAILED lookup rules the host out (§2.1.1: never a downgrade).
 * Per address: USABLE and UNUSABLE require TLS, USABLE must match (§3.1),
 * the rest is opportunistic.  The answers belong to the walk's policy
 * state, released with it.
 */
#ifndef MAILPATH_DANE_H
#define MAILPATH_DANE_H

#include "mail/relay_policy.h"
#include "net/dns.h"
#include "net/tls_dane.h"

enum dane_state {
	DANE_OFF,	/* not looked at (an address has no base domain) */
	DANE_PENDING,	/* TLSA query outstanding */
	DANE_INSECURE,	/* MX or address records not validated: may */
	DANE_NOTLSA,	/* validated denial of TLSA: may */
	DANE_FAILED,	/* TLSA lookup failed: host not used (§2.1.1) */
	DANE_UNUSABLE,	/* validated TLSA, none usable: encrypt (§6) */
	DANE_USABLE	/* validated, usable TLSA: authenticated TLS */
};

struct dane_host {
	char base[MX_NAME_MAX];	/* TLSA base domain (and SNI) */
	char alias[MX_NAME_MAX]; /* the MX name, tried second (§2.2.3) */
	unsigned port;
	bool secure;		/* MX (if any) and address records had AD */
	char why[120];		/* why insecure */
	enum dane_state st;
	struct dns_answer ans;	/* the TLSA answer, kept */
	struct tls_tlsa *recs;
	size_t nrecs, usable;
};

extern const struct relay_policy dane_policy;

/* Validated TLSA (usable or not) or a failed lookup decides a's TLS:
 * RFC 8461 §2, DANE wins over MTA-STS (--tls auto). */
bool dane_applies(const struct relay_attempt *a);
/* The answer (moved into dh) → dh->st; -1 when out of memory (FAILED). */
int dane_classify(struct dane_host *dh, struct dns_answer *ans);
/* What DANE made of a's host, for its report line ("" without --tls
 * dane, and at auto where DANE does not apply). */
void dane_describe(const struct relay_attempt *a, char *out, size_t outsize);
/* The hosts of w's TLSA lookups (-vv), or NULL. */
const struct dane_host *dane_hosts(const struct relay_walk *w, size_t *n);
/* "_25._tcp.HOST: OK (AD), 2 records" for -vv. */
void dane_host_text(const struct dane_host *dh, char *out, size_t outsize);
/* The i-th TLSA record of a host as a report line; -1 past the end. */
int dane_record_text(const struct dane_host *dh, size_t i, char *out,
    size_t outsize);

#endif
