/*
 * https - one HTTPS GET on the run's loop (libcurl's multi-socket
 * interface: curl's sockets become loop watchers, its timeout a loop
 * timer).  Made for policy files (RFC 8461 §3.3): https only, no
 * redirects followed, no proxy, no content decoding, a hard body cap, the
 * certificate verified for the URL's host against --cafile or the system
 * store, and never a name lookup of curl's own: the caller gives the
 * addresses (from net/dns or net/resolve, so --dns-server applies) and
 * they are pinned with CURLOPT_RESOLVE.
 *
 * libcurl (and with it its TLS back end and trust store) is opened with
 * dlopen() and initialised by the first https_get() of a run, never
 * before: a run that fetches nothing pays nothing, not even the dynamic
 * linker's work for curl's libraries.  https_free() of the last fetch
 * cleans it up and closes it.
 *
 * Ownership: https_get() creates the fetch; the callback runs once, from
 * the loop (never inside https_get()); the result stays readable until
 * https_free().  Failure classes (enum https_fail) say whose fault it was:
 * HTTPS_E_LOCAL is ours (out of memory is noted with core/state), the
 * others are the peer's or the network's.
 */
#ifndef MAILPATH_HTTPS_H
#define MAILPATH_HTTPS_H

#include <stddef.h>

#include "core/buf.h"

struct loop;
struct https;

enum https_fail {
	HTTPS_OK,		/* a 200 answer, body complete */
	HTTPS_E_CONNECT,	/* no TCP connection to any address */
	HTTPS_E_TLS,		/* handshake or certificate verification */
	HTTPS_E_TIMEOUT,	/* the fetch's own time ran out */
	HTTPS_E_TOO_BIG,	/* the body exceeds max_size */
	HTTPS_E_REDIRECT,	/* a 3xx answer (not followed) */
	HTTPS_E_STATUS,		/* another answer than 200 */
	HTTPS_E_HTTP,		/* broken or missing HTTP answer */
	HTTPS_E_LOCAL		/* ours: setup failed, out of memory */
};

struct https_request {
	const char *host;	/* A-label, no final dot: URL host, SNI, name */
	const char *path;	/* "/.well-known/mta-sts.txt" */
	const char *const *addrs;	/* IP literals to connect to, in order */
	size_t naddrs;
	const char *cafile;	/* NULL: the system trust store */
	size_t max_size;	/* body cap, octets */
	double timeout;		/* seconds for the whole fetch */
};

struct https_result {
	enum https_fail fail;
	long status;		/* HTTP status, 0 when none came */
	char ctype[128];	/* Content-Type, sanitised ("" when none) */
	char location[160];	/* Location of a 3xx, sanitised */
	char error[384];	/* what failed, sanitised, for the report */
	struct buf body;	/* raw bytes, at most max_size */
	double elapsed;		/* seconds from start to end */
};

typedef void (*https_done_cb)(void *arg, struct https *h);

/* 0, or -1 (HTTPS_E_LOCAL: nothing started, no callback; err says why). */
int https_get(struct https **out, struct loop *l,
    const struct https_request *rq, https_done_cb cb, void *arg, char *err,
    size_t errlen);
const struct https_result *https_result(const struct https *h);
/* A fetch still running is abandoned; the callback will not run. */
void https_free(struct https *h);
const char *https_fail_name(enum https_fail f);

#endif
