#include <config.h>

#include "mail/dkim.h"
#include "core/text.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define DKIM_MAX_TAGS 32

/* RFC 6376 §2.8 FWS, as it can appear in one joined TXT string */
static bool
dkim_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int
dkim_tag_next(const char *text, size_t len, size_t *pos, struct dkim_tag *t)
{
	size_t i = *pos, end, eq;

	/* skip empty specs: "a=1;;" and a trailing ";" are allowed (§3.2) */
	for (;;) {
		while (i < len && dkim_blank(text[i]))
			i++;
		if (i >= len) {
			*pos = i;
			return 0;
		}
		if (text[i] != ';')
			break;
		i++;
	}
	end = i;
	while (end < len && text[end] != ';')
		end++;
	for (eq = i; eq < end && text[eq] != '='; eq++)
		;
	if (eq == end)
		return -1;		/* a spec without "=" */
	t->name = text + i;
	t->nlen = eq - i;
	while (t->nlen > 0 && dkim_blank(t->name[t->nlen - 1]))
		t->nlen--;
	/* tag-name = ALPHA *ALNUMPUNC (§3.2) */
	if (t->nlen == 0 || !((t->name[0] >= 'a' && t->name[0] <= 'z') ||
	    (t->name[0] >= 'A' && t->name[0] <= 'Z')))
		return -1;
	for (i = 1; i < t->nlen; i++) {
		char c = t->name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '_'))
			return -1;
	}
	t->value = text + eq + 1;
	t->vlen = end - eq - 1;
	while (t->vlen > 0 && dkim_blank(t->value[0])) {
		t->value++;
		t->vlen--;
	}
	while (t->vlen > 0 && dkim_blank(t->value[t->vlen - 1]))
		t->vlen--;
	if (memchr(t->value, '\0', t->vlen) != NULL)
		return -1;
	*pos = end < len ? end + 1 : end;
	return 1;
}

static int
dkim_b64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

long
dkim_base64_decode(const char *in, size_t len, unsigned char *out,
    size_t outsize)
{
	uint32_t acc = 0;
	size_t i, o = 0, pad = 0;
	unsigned n = 0;

	for (i = 0; i < len; i++) {
		int v;

		if (dkim_blank(in[i]))
			continue;
		if (in[i] == '=') {
			pad++;
			continue;
		}
		if (pad > 0 || (v = dkim_b64_value(in[i])) < 0)
			return -1;	/* data after padding, or no base64 */
		acc = acc << 6 | (uint32_t)v;
		if (++n == 4) {
			if (o + 3 > outsize)
				return -1;
			out[o++] = (unsigned char)(acc >> 16);
			out[o++] = (unsigned char)(acc >> 8);
			out[o++] = (unsigned char)acc;
			acc = 0;
			n = 0;
		}
	}
	/* a final group of 2 or 3 symbols, padded to 4 (or not) */
	if (n == 1 || pad > 2 || (pad > 0 && n + pad != 4))
		return -1;
	if (n >= 2) {
		if (o + n - 1 > outsize)
			return -1;
		acc <<= 6 * (4 - n);
		out[o++] = (unsigned char)(acc >> 16);
		if (n == 3)
			out[o++] = (unsigned char)(acc >> 8);
	}
	return (long)o;
}

/* ---- a bounded DER reader (X.690 §8.1: tag, length, contents) ---------- */

struct dkim_der {
	const unsigned char *p;
	size_t len;
};

/* The next element of d: its tag and contents; d moves past it. */
static int
dkim_der_next(struct dkim_der *d, unsigned *tag, struct dkim_der *inner)
{
	size_t n, i, clen;

	if (d->len < 2)
		return -1;
	*tag = d->p[0];
	if ((*tag & 0x1f) == 0x1f)
		return -1;		/* high tag numbers: none expected */
	if (d->p[1] < 0x80) {
		clen = d->p[1];
		i = 2;
	} else {
		n = d->p[1] & 0x7f;
		/* DER: definite length, at most 4 octets here */
		if (n == 0 || n > 4 || d->len < 2 + n)
			return -1;
		for (clen = 0, i = 0; i < n; i++)
			clen = clen << 8 | d->p[2 + i];
		i = 2 + n;
	}
	if (clen > d->len - i)
		return -1;
	inner->p = d->p + i;
	inner->len = clen;
	d->p += i + clen;
	d->len -= i + clen;
	return 0;
}

/* RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER } */
static int
dkim_rsa_pubkey_bits(struct dkim_der d, unsigned *bits)
{
	struct dkim_der seq, n, e;
	unsigned tag;
	size_t skip = 0;
	unsigned char top;

	if (dkim_der_next(&d, &tag, &seq) < 0 || tag != 0x30 || d.len != 0)
		return -1;
	if (dkim_der_next(&seq, &tag, &n) < 0 || tag != 0x02 || n.len == 0)
		return -1;
	if (dkim_der_next(&seq, &tag, &e) < 0 || tag != 0x02 || seq.len != 0)
		return -1;
	if (n.p[0] & 0x80)
		return -1;		/* a negative modulus */
	while (skip < n.len && n.p[skip] == 0)
		skip++;
	if (skip == n.len)
		return -1;
	top = n.p[skip];
	*bits = (unsigned)(n.len - skip - 1) * 8;
	while (top != 0) {
		(*bits)++;
		top >>= 1;
	}
	return 0;
}

int
dkim_rsa_bits(const unsigned char *der, size_t len, unsigned *bits)
{
	/* rsaEncryption, 1.2.840.113549.1.1.1 (RFC 8017 Appendix C) */
	static const unsigned char rsa_oid[] = {
		0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01
	};
	struct dkim_der d = { der, len }, spki, alg, oid, key, probe;
	unsigned tag;

	if (dkim_der_next(&d, &tag, &spki) < 0 || tag != 0x30 || d.len != 0)
		return -1;
	probe = spki;
	if (dkim_der_next(&probe, &tag, &alg) < 0)
		return -1;
	if (tag == 0x02) {
		struct dkim_der whole = { der, len };

		return dkim_rsa_pubkey_bits(whole, bits);
	}
	/* SubjectPublicKeyInfo (RFC 5280 §4.1): algorithm, BIT STRING */
	if (tag != 0x30 || dkim_der_next(&alg, &tag, &oid) < 0 ||
	    tag != 0x06 || oid.len != sizeof(rsa_oid) ||
	    memcmp(oid.p, rsa_oid, sizeof(rsa_oid)) != 0)
		return -1;
	if (dkim_der_next(&probe, &tag, &key) < 0 || tag != 0x03 ||
	    probe.len != 0 || key.len < 2 || key.p[0] != 0)
		return -1;		/* no unused bits in a key */
	key.p++;
	key.len--;
	return dkim_rsa_pubkey_bits(key, bits);
}

/* ---- the key record ---------------------------------------------------- */

static bool
dkim_tag_is(const struct dkim_tag *t, const char *name)
{
	return strlen(name) == t->nlen && memcmp(t->name, name, t->nlen) == 0;
}

int
dkim_key_parse(const char *text, size_t len, struct dkim_key *out,
    char *err, size_t errlen)
{
	unsigned char key[DKIM_KEY_MAX];
	struct dkim_tag t, seen[DKIM_MAX_TAGS];
	const struct dkim_tag *p = NULL;
	size_t pos = 0, ntags = 0, i;
	long klen;
	int rc;

	memset(out, 0, sizeof(*out));
	out->type = DKIM_RSA;		/* k= defaults to rsa (§3.6.1) */
	snprintf(out->type_text, sizeof(out->type_text), "rsa");
	while ((rc = dkim_tag_next(text, len, &pos, &t)) == 1) {
		if (ntags >= DKIM_MAX_TAGS) {
			snprintf(err, errlen, "more than %d tags",
			    DKIM_MAX_TAGS);
			return -1;
		}
		/* §3.2: a tag given twice makes the whole list invalid */
		for (i = 0; i < ntags; i++)
			if (seen[i].nlen == t.nlen &&
			    memcmp(seen[i].name, t.name, t.nlen) == 0) {
				snprintf(err, errlen, "tag %.*s given twice",
				    (int)(t.nlen > 16 ? 16 : t.nlen), t.name);
				return -1;
			}
		seen[ntags++] = t;
		if (dkim_tag_is(&t, "v")) {
			/* §3.6.1: if present, first, and exactly DKIM1 */
			if (ntags != 1 || t.vlen != 5 ||
			    memcmp(t.value, "DKIM1", 5) != 0) {
				snprintf(err, errlen, "v= is not the first tag "
				    "or not DKIM1");
				return -1;
			}
			out->has_version = true;
		} else if (dkim_tag_is(&t, "k")) {
			text_sanitize(out->type_text, sizeof(out->type_text),
			    t.value, t.vlen, 12);
			if (t.vlen == 3 &&
			    text_ncasecmp(t.value, "rsa", 3) == 0)
				out->type = DKIM_RSA;
			else if (t.vlen == 7 &&
			    text_ncasecmp(t.value, "ed25519", 7) == 0)
				out->type = DKIM_ED25519;
			else
				out->type = DKIM_OTHER;
		} else if (dkim_tag_is(&t, "p")) {
			p = &seen[ntags - 1];
		} else if (dkim_tag_is(&t, "t")) {
			/* t= is a colon-separated flag list; y = testing */
			for (i = 0; i < t.vlen; i++)
				if ((t.value[i] == 'y' || t.value[i] == 'Y') &&
				    (i == 0 || t.value[i - 1] == ':' ||
				    dkim_blank(t.value[i - 1])) &&
				    (i + 1 == t.vlen || t.value[i + 1] == ':' ||
				    dkim_blank(t.value[i + 1])))
					out->testing = true;
		}
		/* h=, n=, s= and unknown tags: ignored (§3.6.1) */
	}
	if (rc < 0) {
		snprintf(err, errlen, "not a tag=value list");
		return -1;
	}
	if (p == NULL) {
		snprintf(err, errlen, "no p= tag");
		return -1;
	}
	if (p->vlen == 0) {
		out->revoked = true;
		return 0;
	}
	klen = dkim_base64_decode(p->value, p->vlen, key, sizeof(key));
	if (klen <= 0) {
		snprintf(err, errlen, "p= is not base64 (or longer than %d "
		    "octets)", DKIM_KEY_MAX);
		return -1;
	}
	switch (out->type) {
	case DKIM_RSA:
		if (dkim_rsa_bits(key, (size_t)klen, &out->bits) < 0) {
			snprintf(err, errlen, "p= is no RSA public key");
			return -1;
		}
		break;
	case DKIM_ED25519:
		if (klen != 32) {
			snprintf(err, errlen, "an ed25519 key is 32 octets, "
			    "p= has %ld", klen);
			return -1;
		}
		out->bits = 256;
		break;
	case DKIM_OTHER:
		break;		/* a type we do not know: size unknown */
	}
	return 0;
}
