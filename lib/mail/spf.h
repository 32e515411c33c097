/*
 * spf - SPF records (RFC 7208): is a TXT string a record, and its terms
 * parsed (macros that need no client expanded).  Pure; spf_parse() fills
 * caller storage, returns 0 or -1 with a permerror reason.  The expansion
 * of a domain's record to networks is mail/spf_expand.

 */
#ifndef MAILPATH_SPF_H
#define MAILPATH_SPF_H

#include <stdbool.h>
#include <stddef.h>

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

#endif
