/*
 * dnsbl_verdict - what a blocklist answer means (RFC 5782): the class of
 * an answer under a spec (mail/dnsbl), the words for classes and codes,
 * and the §5 control test.  Pure functions: no network, no state; the
 * plugin judges the verdicts.
 *
 * Classification reads ALL A records of an answer (RFC 5782 §2.3):
 * error codes (127.255.255.0/24, 127.0.1.255, 127.0.0.1 unless the filter
 * names it, anything outside 127.0.0.0/8) make a list error, never a
 * listing; NXDOMAIN/NODATA is clean; SERVFAIL, REFUSED, timeouts and bad
 * answers are DNS failures, never clean.
 *
 * Ownership: verdicts and texts are in caller storage; the why of a
 * verdict and the names and meanings returned are static text.  Nothing
 * here fails: out-of-range input gives "?" or NULL, long text is cut at
 * outsize.
 */
#ifndef MAILPATH_DNSBL_VERDICT_H
#define MAILPATH_DNSBL_VERDICT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mail/dnsbl.h"
#include "net/dns.h"

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

/* codes: the A records in host order. */
void dnsbl_verdict_classify(const struct dnsbl_spec *s,
    enum dns_status status, const uint32_t *codes, size_t ncodes, struct dnsbl_verdict *v);
const char *dnsbl_verdict_class_name(enum dnsbl_class c);
/* What a code means on a well-known list (by zone label), or NULL. */
const char *dnsbl_verdict_code_meaning(const char *zone, uint32_t code);
/* "127.0.0.2" into out (at least 16 bytes). */
void dnsbl_verdict_code_text(uint32_t code, char *out, size_t outsize);
/* "127.0.0.2 SBL, 127.0.0.4 XBL": codes with their meaning on zone. */
void dnsbl_verdict_codes_text(const char *zone, const uint32_t *codes,
    size_t n, char *out, size_t outsize);

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
bool dnsbl_verdict_control_fails(enum dnsbl_control c, const char *qname,
    const char *zone, enum dns_status status, const uint32_t *codes,
    size_t ncodes, bool full, char *why, size_t whylen);

#endif
