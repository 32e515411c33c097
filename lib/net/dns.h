/*
 * dns - c-ares on the run's loop: typed lookups with every outcome kept
 * distinct (NOERROR with data, NODATA, NXDOMAIN, SERVFAIL, REFUSED,
 * timeout), the AD bit of each answer, and explicit per-try timeouts.
 *
 * Queries are sent with ares_send() for the absolute name given: no search
 * list, RD and AD set (RFC 6840 §5.7: AD in a query asks a validating
 * resolver to report validation without DO), EDNS with 1232 octets.
 * Answers are parsed here, by hand and with bounds checks, for A, AAAA,
 * MX, TXT (the strings of one record joined), PTR, CNAME and TLSA (52).
 * Only records owned by the query name or by the CNAME chain from it count.
 *
 * Ownership: dns_new()/dns_free() own the channel.  A callback receives an
 * answer that dns releases when the callback returns; keep it with
 * dns_answer_move().  dns_free() drops pending queries without calling
 * their callbacks.  Functions return 0 or -1; errors come back as text in
 * a caller-supplied buffer.
 */
#ifndef MAILPATH_DNS_H
#define MAILPATH_DNS_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct loop;
struct dns;

enum dns_type {
	DNS_A = 1, DNS_CNAME = 5, DNS_PTR = 12, DNS_MX = 15, DNS_TXT = 16,
	DNS_AAAA = 28, DNS_TLSA = 52
};

enum dns_status {
	DNS_OK,		/* NOERROR with at least one record of the type */
	DNS_NODATA,	/* NOERROR, no record of the type */
	DNS_NXDOMAIN,
	DNS_SERVFAIL,
	DNS_REFUSED,
	DNS_TIMEOUT,
	DNS_BADANSWER,	/* malformed answer or another rcode */
	DNS_ERROR,	/* local failure: bad name, no memory, no server */
	DNS_UNREACHABLE	/* every server refused the connection (ICMP) */
};

struct dns_rr {
	uint32_t ttl;
	union {
		struct in_addr a;
		struct in6_addr aaaa;
		struct { unsigned pref; char *host; } mx; /* "" = "." */
		struct { char *text; size_t len; } txt;
		char *name;			/* PTR, CNAME */
		struct {
			uint8_t usage, selector, mtype;
			unsigned char *data;
			size_t len;
		} tlsa;
	} u;
};

struct dns_answer {
	enum dns_status status;
	int type;
	int rcode;
	bool ad;		/* AD bit of the answer */
	char *cname;		/* last target of a CNAME chain, or NULL */
	size_t n;
	struct dns_rr *rr;
	double elapsed;		/* seconds from send to answer */
};

struct dns_config {
	double timeout;		/* first try, seconds (c-ares doubles it) */
	int tries;
	const char *const *servers;	/* "ADDR[:PORT]"; none: resolv.conf */
	size_t nservers;
};

typedef void (*dns_cb)(void *arg, struct dns_answer *a);

int dns_new(struct dns **out, struct loop *l, const struct dns_config *cfg,
    char *err, size_t errlen);
void dns_free(struct dns *d);
int dns_query(struct dns *d, const char *name, int type, dns_cb cb,
    void *arg);
size_t dns_pending(const struct dns *d);
unsigned long dns_sent(const struct dns *d);

/* Pure parts, unit-tested on hand-made packets. */
int dns_answer_parse(const unsigned char *abuf, size_t alen,
    const char *qname, int type, struct dns_answer *out);
void dns_answer_release(struct dns_answer *a);
void dns_answer_move(struct dns_answer *dst, struct dns_answer *src);

const char *dns_status_name(enum dns_status s);
const char *dns_type_name(int type);
/* User text to a lower-case A-label name without the final dot. */
int dns_name_normalize(const char *in, char *out, size_t outsize,
    char *err, size_t errlen);
/* Reversed octets (IPv4) or nibbles (IPv6) of addr, then "." suffix. */
int dns_reverse_name(int family, const void *addr, const char *suffix,
    char *out, size_t outsize);

#endif
