/*
 * dnsbl - DNS blocklist specs and query names (RFC 5782).  Pure
 * functions: no network, no state; mail/dnsbl_verdict classifies the
 * answers, the plugin sends the queries and judges the verdicts.
 *
 * A spec is ZONE[=FILTER|&MASK][*WEIGHT], postscreen's syntax
 * (postconf(5) postscreen_dnsbl_sites) plus &MASK for bit-encoded lists:
 *   FILTER  d.d.d.d, each d a number or [n;n..m;...]   127.0.0.[2..11]
 *   MASK    a dotted quad or a number 1..255 (the last octet)   &0.0.0.72, &72
 *   WEIGHT  an integer, negative for allow-lists (default 1)
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
/* Is label one of zone's labels ("zen" in KEY.zen.dq.spamhaus.net)? */
bool dnsbl_zone_has_label(const char *zone, const char *label);

#endif
