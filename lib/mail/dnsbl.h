/*
 * dnsbl - DNS blocklist specs, query names and answer classification
 * (RFC 5782).  Pure functions: no network, no state; the plugin sends the
 * queries and judges the verdicts.
 *
 * A spec is ZONE[=FILTER|&MASK][*WEIGHT], postscreen's syntax
 * (postconf(5) postscreen_dnsbl_sites) plus &MASK for bit-encoded lists:
 *   FILTER  d.d.d.d, each d a number or [n;n..m;...]   127.0.0.[2..11]
 *   MASK    a dotted quad or a number 1..255 (the last octet)   &0.0.0.72, &72
 *   WEIGHT  an integer, negative for allow-lists (default 1)
 *
 * Classification reads ALL A records of an answer (RFC 5782 §2.3):
 * error codes (127.255.255.0/24, 127.0.1.255, 127.0.0.1 unless the filter
 * names it, anything outside 127.0.0.0/8) make a list error, never a
 * listing; NXDOMAIN/NODATA is clean; SERVFAIL, REFUSED, timeouts and bad
 * answers are DNS failures, never clean.
 *
 * Errors come back as -1 and text in a caller-supplied buffer.
 */
#ifndef MAILPATH_DNSBL_H
#define MAILPATH_DNSBL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/dns.h"

#define DNSBL_ZONE_MAX 254
#define DNSBL_NAME_MAX 256	/* a full query name, NUL included */
#define DNSBL_MAX_CODES 16	/* A records kept per answer */
#define DNSBL_WEIGHT_MAX 1000

enum dnsbl_kind { DNSBL_IP, DNSBL_DOMAIN };

struct dnsbl_spec {
	enum dnsbl_kind kind;
	char zone[DNSBL_ZONE_MAX];	/* lower case, no final dot */
	bool has_filter, has_mask;
	uint32_t filter[4][8];		/* per octet, a 256-bit set */
	uint32_t mask;			/* host order */
	long weight;
	/* the zone as asked when not zone (Spamhaus DQS, dnsbl_list),
	 * with a secret of keylen octets at its start, never shown */
	char qzone[DNSBL_ZONE_MAX];
	size_t keylen;
};

enum dnsbl_class {
	DNSBL_CLEAN,		/* NXDOMAIN or NODATA */
	DNSBL_UNMATCHED,	/* answered, but no code passes the filter */
	DNSBL_LISTED,
	DNSBL_LIST_ERROR,	/* an error code: never a listing */
	DNSBL_FAILURE	/* SERVFAIL, REFUSED, timeout, bad answer */
};

struct dnsbl_verdict {
	enum dnsbl_class cls;
	uint32_t codes[DNSBL_MAX_CODES];	/* listed or error codes */
	size_t ncodes;
	const char *why;	/* static text for errors and failures */
};

int dnsbl_spec_parse(const char *text, enum dnsbl_kind kind,
    struct dnsbl_spec *out, char *err, size_t errlen);
/* Does a code (host order) pass the spec's filter or mask? */
bool dnsbl_spec_match(const struct dnsbl_spec *s, uint32_t code);

/*
 * Query names.  An IPv4-mapped IPv6 address is queried as IPv4 unless
 * keep_mapped (the RFC 5782 §5 IPv6 control ::FFFF:7F00:2 needs the
 * 32-nibble form).
 */
int dnsbl_ip_name(int family, const void *addr, bool keep_mapped,
    const char *zone, char *out, size_t outsize);
int dnsbl_domain_name(const char *domain, const char *zone, char *out,
    size_t outsize);

/* The zone to ask (qzone or zone); a query name with the key masked. */
const char *dnsbl_spec_qzone(const struct dnsbl_spec *s);
void dnsbl_name_masked(const struct dnsbl_spec *s, const char *name,
    char *out, size_t outsize);
/* Which names of a host a domain list is asked for (RFC 5782 §3): the
 * registered domain only (URIBL, SURBL) or that and the name itself. */
bool dnsbl_zone_wants_hosts(const char *zone);

/* codes: the A records in host order. */
void dnsbl_classify(const struct dnsbl_spec *s, enum dns_status status,
    const uint32_t *codes, size_t ncodes, struct dnsbl_verdict *v);
const char *dnsbl_class_name(enum dnsbl_class c);
/* What a code means on a well-known list (by zone label), or NULL. */
const char *dnsbl_code_meaning(const char *zone, uint32_t code);
/* "127.0.0.2" into out (at least 16 bytes). */
void dnsbl_code_text(uint32_t code, char *out, size_t outsize);
/* "127.0.0.2 SBL, 127.0.0.4 XBL": codes with their meaning on zone. */
void dnsbl_codes_text(const char *zone, const uint32_t *codes, size_t n,
    char *out, size_t outsize);

/*
 * RFC 5782 §5 controls: 127.0.0.2 (POS) is listed and 127.0.0.1 (NEG)
 * is not, the same for ::FFFF:7F00:2 and :1 as 32 nibbles (POS6, NEG6),
 * TEST and INVALID on domain lists.  Does this answer to control c break
 * the list?  true with the reason in why.  A DNS failure never does (it
 * shows on the real queries); unless full (--selftest), only a positive
 * control answered clean does: the zone is dead, lame or empty.
 */
enum dnsbl_control { DNSBL_CTL_POS, DNSBL_CTL_NEG, DNSBL_CTL_POS6,
	DNSBL_CTL_NEG6 };
bool dnsbl_control_fails(enum dnsbl_control c, const char *qname,
    const char *zone, enum dns_status status, const uint32_t *codes,
    size_t ncodes, bool full, char *why, size_t whylen);

#endif
