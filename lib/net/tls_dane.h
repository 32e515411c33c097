/*
 * tls_dane - DANE (RFC 7672, RFC 7671) on GnuTLS x509 primitives, without
 * libgnutls-dane; pure but for tls_dane_check(), which reads the peer
 * chain of a net/tls session.  The caller owns the records and the
 * chain; results come back in a caller-supplied struct tls_dane, whose
 * text says why nothing matched (nothing is allocated, nothing exits).
 *
 * A record is usable for SMTP when its usage is DANE-TA (2) or DANE-EE
 * (3) (RFC 7672 §3.1.3 leaves 0 and 1 out), its selector 0 (certificate)
 * or 1 (SubjectPublicKeyInfo), and its matching type 0 (exact), 1
 * (SHA-256, 32 octets) or 2 (SHA-512, 64 octets).
 *
 * DANE-EE matches the leaf only, with no name or date checks (§3.1.1).
 * DANE-TA matches a certificate of the presented chain above the leaf
 * (or, for "2 0 0", the certificate carried in the record); the chain is
 * then verified up to that anchor, names against `name` (the TLSA base
 * domain, §3.2.2).  A "2 1 0" key whose certificate is not in the chain
 * is not supported: it never matches and tls_dane_check() says so.
 */
#ifndef MAILPATH_TLS_DANE_H
#define MAILPATH_TLS_DANE_H

#include <stdbool.h>
#include <stddef.h>

#include "net/tls.h"

struct tls_tlsa {
	unsigned char usage, selector, mtype;
	const unsigned char *data;
	size_t len;
};

/* NULL when usable, else why not ("usage 1 (PKIX-EE) ..."). */
const char *tls_dane_unusable(const struct tls_tlsa *r);

struct tls_dane {
	bool matched;
	int record;		/* index of the matching record, or -1 */
	char text[256];		/* "TLSA 3 1 1 matched" or why nothing did */
};

/* chain: DER certificates, leaf first, as the server sent them. */
void tls_dane_match(const unsigned char *const *der, const size_t *derlen,
    size_t nder, const struct tls_tlsa *recs, size_t nrecs,
    const char *name, struct tls_dane *out);
/* The same on the session's peer chain, after the handshake. */
void tls_dane_check(struct tls *t, const struct tls_tlsa *recs,
    size_t nrecs, const char *name, struct tls_dane *out);

#endif
