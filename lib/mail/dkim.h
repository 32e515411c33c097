/*
 * dkim - DKIM key records (RFC 6376 §3.6.1) as published at
 * SELECTOR._domainkey.DOMAIN: the tag list, the key type and the size of
 * the public key.  Pure: no DNS here (mail/auth asks for the TXT).
 *
 * The p= value is base64 of the key.  For k=rsa it is in practice a DER
 * SubjectPublicKeyInfo (what "openssl rsa -pubout" writes); a bare DER
 * RSAPublicKey is accepted too.  The size is the bit length of the RSA
 * modulus, read with a small bounded DER reader (no crypto library).  For
 * k=ed25519 (RFC 8463 §4) p= is the bare 32-octet key: 256 bits.
 *
 * dkim_key_parse() fills caller storage and needs no release; it returns
 * 0, or -1 with the reason in err (the record is malformed).  An empty
 * p= is no error: the key is revoked (§3.6.1), and said so in the result.
 */
#ifndef MAILPATH_DKIM_H
#define MAILPATH_DKIM_H

#include <stdbool.h>
#include <stddef.h>

#define DKIM_KEY_MAX 2048	/* octets of decoded key (RSA 16384 bits) */

enum dkim_key_type { DKIM_RSA, DKIM_ED25519, DKIM_OTHER };

struct dkim_key {
	enum dkim_key_type type;
	char type_text[16];	/* the k= value (sanitised, cut) */
	bool revoked;		/* p= empty */
	unsigned bits;		/* key size; 0: revoked or type unknown */
	bool testing;		/* t=y: the domain is testing DKIM */
	bool has_version;	/* v=DKIM1 was given */
};

/*
 * RFC 6376 §3.2 tag lists, which DMARC records use too (RFC 7489 §6.4):
 * the next "name=value" of text[*pos, len), blanks around both trimmed.
 * 1 and the tag in t, 0 at the end, -1 on a syntax error.
 */
struct dkim_tag {
	const char *name, *value;
	size_t nlen, vlen;
};
int dkim_tag_next(const char *text, size_t len, size_t *pos,
    struct dkim_tag *t);

int dkim_key_parse(const char *text, size_t len, struct dkim_key *out,
    char *err, size_t errlen);
/* The bit length of an RSA modulus in DER (SubjectPublicKeyInfo or
 * RSAPublicKey): 0, or -1 when der is not such a structure. */
int dkim_rsa_bits(const unsigned char *der, size_t len, unsigned *bits);
/* Decode base64 (blanks allowed between groups): length, or -1. */
long dkim_base64_decode(const char *in, size_t len, unsigned char *out,
    size_t outsize);

#endif
