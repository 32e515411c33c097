/*
 * mx - where mail for a domain goes (RFC 5321 §5.1): the MX answer turned
 * into the list of hosts a sender would try, in the order it would try
 * them, with every fact about each target that a judge needs.  It reports;
 * it never decides a state.
 *
 * Selection (pure, unit-tested): hosts sorted by preference, equal
 * preferences shuffled by a seedable PRNG (same set + same seed = same
 * order, whatever order the resolver returned the records in).  No MX
 * records → the domain itself, preference 0, MX_F_IMPLICIT.  The record
 * "MX 0 ." is a null MX (RFC 7505): it becomes a host with an empty name
 * and MX_F_NULL; s->null_mx when it is the only record, s->null_mixed when
 * others sit beside it.  Targets that are IPv4/IPv6 literals get
 * MX_F_LITERAL and are never looked up.
 *
 * Resolution (on the loop): round 1 is the MX query (net/dns); round 2
 * is one net/resolve set of every target, A and AAAA (as -4/-6 allow) at
 * once, so the whole lookup is two resolver round trips for any number of
 * hosts.  Each host keeps in h->res its addresses (IPv6 first, then IPv4,
 * each in resolver order), the status and AD bit of each family's answer,
 * and the CNAME target if the name was an alias (MX_F_CNAME).  A host with no address after both
 * answers gets MX_F_NOADDR.  The callback runs once, when everything has
 * answered; if the loop's deadline fires first, the set is still readable:
 * s->stage and each host's res.pending4/6 say what was outstanding.
 *
 * Traps (lib/trap): mx_resolve_start() marks the hosts a trap_set matches
 * MX_F_TRAP and names the rule in host->trap.
 *
 * Ownership: struct mx_set lives in caller storage; mx_set_init() before
 * use, mx_set_release() after (free the struct dns first, or let every
 * query finish, so no callback can reach a released set).  Host and
 * address arrays belong to the set.  Functions return 0 or -1 with a
 * message in a caller-supplied buffer.
 */
#ifndef MAILPATH_MX_H
#define MAILPATH_MX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "net/dns.h"
#include "net/resolve.h"
#include "mail/trap.h"

#define MX_NAME_MAX 254		/* 253 octets + NUL */
#define MX_MAX_HOSTS 64		/* records kept from one answer */
#define TRAP_MAX_GLOBS 16		/* --trap globs */

enum mx_flag {
	MX_F_IMPLICIT = 1 << 0,	/* no MX: the domain itself, pref 0 */
	MX_F_NULL = 1 << 1,	/* the "." target of RFC 7505 */
	MX_F_LITERAL = 1 << 2,	/* target is an IP address literal */
	MX_F_CNAME = 1 << 3,	/* target is an alias (RFC 2181 §10.3) */
	MX_F_NOADDR = 1 << 4,	/* resolved, no address of the families */
	MX_F_TRAP = 1 << 5,	/* matches a trap rule */
	MX_F_DUP = 1 << 6	/* same name as an earlier record */
};

enum mx_stage { MX_STAGE_IDLE, MX_STAGE_MX, MX_STAGE_ADDR, MX_STAGE_DONE };

struct mx_host {
	char name[MX_NAME_MAX];	/* lower-case A-label, no final dot */
	unsigned pref;
	unsigned flags;		/* enum mx_flag bits */
	const char *trap;	/* rule that matched ("--trap GLOB" or the
				   provider's name), NULL if not a trap */
	/* the address lookup (net/resolve): addresses with port 0, IPv6
	   first; statuses, AD bits and alias of each family's answer */
	struct resolve_host res;
};

struct mx_set {
	char domain[MX_NAME_MAX];
	enum mx_stage stage;
	enum dns_status mx_status;	/* of the MX query */
	bool mx_ad;
	char *mx_cname;		/* the domain was an alias of this name */
	bool implicit, null_mx, null_mixed;
	size_t nrecords;	/* MX records as published (incl. ".") */
	size_t nhosts;
	struct mx_host *hosts;	/* walk order: preference, ties shuffled */
	unsigned rounds;	/* resolver round trips started (<= 2) */
	unsigned long queries;	/* queries sent */
	double mx_time;		/* seconds for the MX answer */
	double elapsed;		/* seconds from start to the last answer */
	/* private to mx.c */
	struct mx_run *run;
};

/* ---- selection (pure) ---- */
void mx_set_init(struct mx_set *s);
void mx_set_release(struct mx_set *s);
/* Fill s->hosts from an MX answer for domain (A-label, no final dot):
 * NODATA gives the implicit MX; other failures leave no hosts. */
int mx_set_from_answer(struct mx_set *s, const char *domain,
    const struct dns_answer *a, uint64_t seed, char *err, size_t errlen);
/* Sort by preference and shuffle equal preferences with seed. */
void mx_order(struct mx_host *h, size_t n, uint64_t seed);
/* Indices of s->hosts by preference, then name: stable output order. */
void mx_display_order(const struct mx_set *s, size_t *idx);
bool mx_is_literal(const char *name);
const char *mx_role(const struct mx_set *s, const struct mx_host *h);
/* true when the MX lookup or an address lookup ran out of time: the
 * deadline's outcome, not the domain's (the plugin's --timeout-result). */
bool mx_set_timed_out(const struct mx_set *s);

/* ---- traps (lib/trap) ---- */
void mx_mark_traps(struct mx_set *s, const struct trap_set *t);

/* ---- resolution on the loop ---- */
struct mx_params {
	int family;		/* AF_UNSPEC, AF_INET or AF_INET6 */
	uint64_t seed;
	const struct trap_set *traps;	/* may be NULL */
};
typedef void (*mx_done_cb)(void *arg, struct mx_set *s);
/* domain: A-label without the final dot (dns_name_normalize()).  cb may
 * run before this returns.  -1: nothing was started. */
int mx_resolve_start(struct mx_set *s, struct dns *d, const char *domain,
    const struct mx_params *par, mx_done_cb cb, void *arg, char *err,
    size_t errlen);

#endif
