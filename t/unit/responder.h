/*
 * responder - a DNS server for unit tests: a UDP socket on 127.0.0.1
 * (a free port) watched on the test's own loop, answering from a table
 * of records, so lib code that asks DNS is tested without the lab.
 *
 * A record is (name, type, data in text form): A and AAAA addresses, MX
 * "PREF HOST", PTR and CNAME-less names, TXT one string up to 255 bytes.
 * Data "" makes every query for the name SERVFAIL; a record of type 0
 * with data "-" makes the name never answer.  A name with no record is
 * NXDOMAIN; a name with records of other types only is NODATA.
 *
 * Ownership: responder_start() watches the socket on l and returns the
 * server's "127.0.0.1:PORT" text; responder_stop() unwatches and frees
 * it (before loop_free()).  The table must outlive the responder.  Any
 * setup failure ends the test with "Bail out!".
 */
#ifndef MAILPATH_T_RESPONDER_H
#define MAILPATH_T_RESPONDER_H

#include <stddef.h>

struct loop;
struct responder;

struct responder_rec {
	const char *name;
	int type;		/* 1 A, 28 AAAA, 15 MX, 16 TXT, 12 PTR, 0 */
	const char *data;
};

struct responder *responder_start(struct loop *l,
    const struct responder_rec *zone, size_t n, const char **server);
/* Queries received for name, any type. */
unsigned responder_asked(const struct responder *r, const char *name);
void responder_stop(struct loop *l, struct responder *r);

#endif
