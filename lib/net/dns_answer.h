/*
 * dns_answer - DNS answers as the suite keeps them: each outcome distinct
 * (NOERROR with data, NODATA, NXDOMAIN, SERVFAIL, REFUSED, timeout), the
 * AD bit, the CNAME chain's last target, and the records of the types we
 * ask for.  dns_answer_parse() reads a raw answer by hand with bounds
 * checks (A, AAAA, MX, TXT with the strings of one record joined, PTR,
 * CNAME, TLSA); only records owned by the query name or by the CNAME
 * chain from it count.  Pure: unit-tested and fuzzed on made packets.
 *
 * Ownership: an answer owns its records; dns_answer_release() frees them,
 * dns_answer_move() hands them over.  dns_answer_parse() returns 0, or -1
 * for an answer it cannot read (out->status says which).
 */
#ifndef MAILPATH_DNS_ANSWER_H
#define MAILPATH_DNS_ANSWER_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

int dns_answer_parse(const unsigned char *abuf, size_t alen,
    const char *qname, int type, struct dns_answer *out);
void dns_answer_release(struct dns_answer *a);
void dns_answer_move(struct dns_answer *dst, struct dns_answer *src);

#endif
