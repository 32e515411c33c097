/*
 * tls - a GnuTLS client session over a non-blocking fd that is already
 * connected (STARTTLS hand-off), and the facts of the peer's certificate.
 *
 * Nothing is loaded until it is needed (DESIGN.md §6): tls_creds_new()
 * reads a CA file and/or the system trust store only when asked to, and
 * GnuTLS is not touched at all by a run that never calls this module.
 * Verification is not done inside the handshake: tls_verify() runs after
 * it, so the caller can report version, cipher, the verification text and
 * the days left, and still end the SMTP session with a clean QUIT.
 *
 * I/O returns TLS_IO_* so the caller can wait on the loop for the right
 * direction (gnutls_record_get_direction).  Errors come back as text in
 * the session (tls_error) or a caller buffer; nothing exits.
 */
#ifndef MAILPATH_TLS_H
#define MAILPATH_TLS_H

#include <stdbool.h>
#include <stddef.h>

struct tls;
struct tls_creds;

/* CLOSED: close_notify received; TRUNCATED: the TCP stream ended without
 * one (what many servers do after their 221 to QUIT). */
enum tls_io { TLS_IO_DONE, TLS_IO_WANT_READ, TLS_IO_WANT_WRITE,
	TLS_IO_CLOSED, TLS_IO_TRUNCATED, TLS_IO_ERROR };

/* cafile: PEM file or NULL; system: also the system trust store. */
int tls_creds_new(struct tls_creds **out, const char *cafile, bool system,
    char *err, size_t errlen);
void tls_creds_free(struct tls_creds *c);

/* sni: a host name (no trailing dot) or NULL for none (IP literals). */
int tls_new(struct tls **out, struct tls_creds *c, int fd, const char *sni,
    char *err, size_t errlen);
void tls_free(struct tls *t);
enum tls_io tls_handshake(struct tls *t);
enum tls_io tls_read(struct tls *t, void *data, size_t len, size_t *got);
enum tls_io tls_write(struct tls *t, const void *data, size_t len,
    size_t *sent);
bool tls_pending(struct tls *t);
const char *tls_error(const struct tls *t);

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

/*
 * DANE (RFC 7672, RFC 7671) on GnuTLS x509 primitives, without
 * libgnutls-dane.  A record is usable for SMTP when its usage is DANE-TA
 * (2) or DANE-EE (3) (RFC 7672 §3.1.3 leaves 0 and 1 out), its selector
 * 0 (certificate) or 1 (SubjectPublicKeyInfo), and its matching type 0
 * (exact), 1 (SHA-256, 32 octets) or 2 (SHA-512, 64 octets).
 *
 * DANE-EE matches the leaf only, with no name or date checks (§3.1.1).
 * DANE-TA matches a certificate of the presented chain above the leaf
 * (or, for "2 0 0", the certificate carried in the record); the chain is
 * then verified up to that anchor, names against `name` (the TLSA base
 * domain, §3.2.2).  A "2 1 0" key whose certificate is not in the chain
 * is not supported: it never matches and tls_dane_check() says so.
 */
struct tls_tlsa {
	unsigned char usage, selector, mtype;
	const unsigned char *data;
	size_t len;
};

/* NULL when usable, else why not ("usage 1 (PKIX-EE) ..."). */
const char *tls_tlsa_unusable(const struct tls_tlsa *r);

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
