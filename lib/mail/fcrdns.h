/*
 * fcrdns - forward-confirmed reverse DNS of sending addresses: the
 * "iprev" method of RFC 8601 §3.  The PTR names of each address are
 * asked, then each name's A (IPv4) or AAAA (IPv6); the address passes
 * when one of its names resolves back to it.  Results follow RFC 8601
 * §2.7.3: pass, fail (no name leads back), permerror (no PTR record) and
 * temperror (a lookup failed or did not answer).
 *
 * All PTR queries go out at once; when they have answered, every PTR
 * name's address lookup goes out at once through net/resolve (one set
 * per family, a name shared by several addresses asked once): two
 * rounds for any number of addresses.  At most
 * FCRDNS_MAX_NAMES names per address are followed (the cap RFC 7208
 * §5.5 puts on ptr), the rest are counted.
 *
 * Ownership: fcrdns_new()/fcrdns_free(), the latter after dns_free()
 * (pending answers point into it); results belong to the set and are
 * judged from what has answered when read (at a deadline: so far).
 */
#ifndef MAILPATH_FCRDNS_H
#define MAILPATH_FCRDNS_H

#include <stdbool.h>
#include <stddef.h>

#include "net/dns.h"
#include "net/resolve.h"

#define FCRDNS_MAX_NAMES 10
#define FCRDNS_NAME_MAX 254
#define FCRDNS_FWD_TEXT 120

enum fcrdns_result {
	FCRDNS_PASS, FCRDNS_FAIL, FCRDNS_PERMERROR, FCRDNS_TEMPERROR
};

struct fcrdns_name {
	char name[FCRDNS_NAME_MAX];
	bool done;
	enum dns_status status;	/* of the forward lookup */
	bool matches;		/* resolves back to the address */
	char addrs[FCRDNS_FWD_TEXT];	/* what it resolves to (cut) */
	struct resolve_host res;	/* the forward lookup (net/resolve) */
};

struct fcrdns_addr {
	int family;		/* AF_INET or AF_INET6 */
	unsigned char addr[16];
	char text[46];
	enum fcrdns_result result;
	bool ptr_done, timeout;
	enum dns_status ptr_status;
	size_t nptr;		/* PTR records in the answer */
	size_t nnames;		/* followed: at most FCRDNS_MAX_NAMES */
	struct fcrdns_name names[FCRDNS_MAX_NAMES];
	struct fcrdns *f;	/* the set (for its PTR answer) */
};

struct fcrdns;
typedef void (*fcrdns_done_cb)(void *arg);

int fcrdns_new(struct fcrdns **out, struct dns *d);
void fcrdns_free(struct fcrdns *f);
/* Before fcrdns_start(); an address added twice is kept once. 0 or -1. */
int fcrdns_add(struct fcrdns *f, int family, const unsigned char *addr);
/* Sends the PTR queries; done runs once, when all have answered (perhaps
 * before fcrdns_start() returns). */
int fcrdns_start(struct fcrdns *f, fcrdns_done_cb done, void *arg);
size_t fcrdns_pending(const struct fcrdns *f);
size_t fcrdns_count(const struct fcrdns *f);
const struct fcrdns_addr *fcrdns_get(struct fcrdns *f, size_t i);
const char *fcrdns_result_name(enum fcrdns_result r);

#endif
