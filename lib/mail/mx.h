/*
 * mx - where mail for a domain goes (RFC 5321 §5.1): the MX set, the
 * hosts a sender would try in its order, with what each is (flags), and
 * the few things every reader asks of it (role, display order, traps,
 * timed out).  Pure: mail/mx_answer builds the hosts from an MX answer,
 * mail/mx_resolve fills a set on the loop, mail/mx_facts reads it;
 * nothing here decides a state.
 *
 * Ownership: struct mx_set lives in caller storage: mx_set_init(), then
 * mx_set_release(); the hosts and what they hold belong to the set.
 * Functions return 0 or -1 with a message in a caller's buffer.
 */
#ifndef MAILPATH_MX_H
#define MAILPATH_MX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/dns.h"
#include "net/resolve.h"
#include "mail/trap.h"

#define MX_NAME_MAX 254		/* 253 octets + NUL */
#define MX_MAX_HOSTS 64		/* records kept from one answer */

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
	const char *trap;	/* the rule ("--trap GLOB", provider) or NULL */
	struct resolve_host res; /* addresses (port 0), statuses, AD, alias */
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
	struct mx_run *run;	/* private to mx_resolve.c */
};

void mx_set_init(struct mx_set *s);
void mx_set_release(struct mx_set *s);
/* Drop the hosts (an MX answer that could not be kept). */
void mx_set_clear(struct mx_set *s);
/* Indices of s->hosts by preference, then name: stable output order. */
void mx_display_order(const struct mx_set *s, size_t *idx);
bool mx_is_literal(const char *name);
const char *mx_role(const struct mx_set *s, const struct mx_host *h);
/* The MX or an address lookup ran out of time (--timeout-result's). */
bool mx_set_timed_out(const struct mx_set *s);

/* MX_F_TRAP and h->trap for the hosts the rules match (t may be NULL). */
void mx_mark_traps(struct mx_set *s, const struct trap_set *t);

#endif
