/*
 * sender_facts - what mail/sender found a sender sends from: the targets
 * for the blocklist queries, the notes of the discovery and its counts,
 * and the rule by which a target keeps its origins.
 *
 * Targets are deduplicated (each keeps every origin, "; " between) and
 * ordered: what was added, then each host's lookups (A, then AAAA), then
 * the MX hosts', then the SPF networks (small ranges expanded).
 * Discovered addresses that are special-purpose (net/addr) or of a family
 * -4/-6 excludes are skipped, an address named with -H only for the
 * family; past max_addresses they are skipped and counted.  Every such
 * fact and every answered lookup is a note, in that order.
 *
 * Ownership: a struct sender_result and what it points to belong to the
 * struct sender that built it.  Nothing here fails: an origin that does
 * not fit is cut at SENDER_ORIGIN_MAX.
 */
#ifndef MAILPATH_SENDER_FACTS_H
#define MAILPATH_SENDER_FACTS_H

#include <stddef.h>

#include "mail/dnsbl.h"
#include "mail/spf_expand.h"
#include "net/dns.h"

#define SENDER_ORIGIN_MAX 300

struct sender_target {
	enum dnsbl_kind kind;
	int family;			/* DNSBL_IP: AF_INET or AF_INET6 */
	unsigned char addr[16];
	char name[DNSBL_ZONE_MAX];	/* the address as text, or the name */
	char origin[SENDER_ORIGIN_MAX];	/* "-H", "SPF a.test ip4:...", ... */
};

enum sender_note_kind {
	SENDER_LOOKUP,		/* a lookup answered: type, what, status */
	SENDER_OTHER_FAMILY,	/* what: an address -4/-6 excludes */
	SENDER_SPECIAL,		/* what: a special-purpose address, scope */
	SENDER_OVER_MAX,	/* what: an address past max_addresses */
	SENDER_NOT_EXPANDED	/* what/prefix: an SPF range over left */
};

struct sender_note {
	enum sender_note_kind kind;
	int type;		/* SENDER_LOOKUP: DNS_A, DNS_AAAA, DNS_MX */
	enum dns_status status;
	const char *type_text, *status_text;	/* "AAAA", "SERVFAIL" */
	char what[DNSBL_ZONE_MAX];	/* the address or the name asked */
	char origin[SENDER_ORIGIN_MAX];
	const char *scope;	/* SENDER_SPECIAL */
	int prefix;		/* SENDER_NOT_EXPANDED */
	size_t left;
};

struct sender_result {
	const struct sender_target *targets;
	size_t ntargets, naddrs;	/* naddrs: the DNSBL_IP targets */
	const struct sender_note *notes;
	size_t nnotes;
	size_t skipped, skipped_special;
	const struct spf_result *spf;	/* NULL when SPF was not asked */
};

/* Add origin to dst (SENDER_ORIGIN_MAX bytes) unless it is there. */
void sender_facts_origin_append(char *dst, const char *origin);

#endif
