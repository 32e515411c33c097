/*
 * tls - a GnuTLS client session over a non-blocking fd that is already
 * connected (STARTTLS hand-off), and the facts of the peer's certificate.
 * DANE matching on the peer's chain is net/tls_dane.
 *
 * Nothing is loaded until it is needed (DESIGN.md §6): tls_creds_new()
 * reads a CA file and/or the system trust store only when asked to, and
 * GnuTLS is not touched at all by a run that never calls this module.
 * Verification is not done inside the handshake: tls_verify() runs after
 * it, so the caller can report version, cipher, the verification text and
 * the days left, and still end the SMTP session with a clean QUIT.
 *
 * The session's I/O is the tls_io interface (tls_io.h) that net/smtp
 * drives: tls_io_gnutls.  Errors come back as text in the session or a
 * caller buffer; nothing exits.
 */
#ifndef MAILPATH_TLS_H
#define MAILPATH_TLS_H

#include <stdbool.h>
#include <stddef.h>

#include "net/tls_io.h"

struct tls;
struct tls_creds;

/* cafile: PEM file or NULL; system: also the system trust store. */
int tls_creds_new(struct tls_creds **out, const char *cafile, bool system,
    char *err, size_t errlen);
void tls_creds_free(struct tls_creds *c);

/* sni: a host name (no trailing dot) or NULL for none (IP literals). */
int tls_new(struct tls **out, struct tls_creds *c, int fd, const char *sni,
    char *err, size_t errlen);
void tls_free(struct tls *t);
/* handshake, read, write on a tls_new() session (direction from
 * gnutls_record_get_direction) */
extern const struct tls_io_ops tls_io_gnutls;

enum tls_names { TLS_NAMES_NONE, TLS_NAMES_HOST, TLS_NAMES_DOMAIN };

struct tls_facts {
	char version[16];	/* "TLS1.3" */
	char cipher[128];	/* gnutls_session_get_desc() */
	bool has_cert;
	long days_left;		/* leaf expiry, whole days from now */
	char subject[128];
	bool verified;		/* chain (and names, if asked) good */
	char verify_text[256];	/* "certificate is trusted" or why not */
};

/*
 * Facts about the session, and verification when names != NONE or the
 * credentials hold a trust store: HOST matches name by RFC 6125 rules;
 * DOMAIN accepts name itself or any name below it (Postfix "secure":
 * nexthop, dot-nexthop).
 */
void tls_facts_get(struct tls *t, enum tls_names names, const char *name,
    struct tls_facts *f);
/* DOMAIN's rule for one certificate DNS name of len octets (a "*."
 * wildcard counts by its parent); a name holding a NUL never matches. */
bool tls_dnsname_in_domain(const char *name, size_t len,
    const char *domain);

/* The peer's chain after the handshake: up to max DER certificates,
 * leaf first, pointing into the session (valid until tls_free()); the
 * count.  For the DANE matcher (net/tls_dane). */
size_t tls_peer_chain(struct tls *t, const unsigned char **der,
    size_t *len, size_t max);

#endif
