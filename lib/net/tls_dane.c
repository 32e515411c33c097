/*
 * tls_dane - DANE matching for SMTP (see tls_dane.h).
 */
#include <config.h>

#include "net/tls_dane.h"
#include "core/text.h"

#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <stdio.h>
#include <string.h>

#define TLS_DANE_MAX_CHAIN 16	/* certificates looked at per chain */

const char *
tls_dane_unusable(const struct tls_tlsa *r)
{
	/* RFC 7672 §3.1.3: PKIX usages are not for SMTP */
	if (r->usage == 0)
		return "usage 0 (PKIX-TA) is not used for SMTP";
	if (r->usage == 1)
		return "usage 1 (PKIX-EE) is not used for SMTP";
	if (r->usage != 2 && r->usage != 3)
		return "unknown usage";
	if (r->selector > 1)
		return "unknown selector";
	/* RFC 7671 §5.1: a digest of the wrong length can never match */
	switch (r->mtype) {
	case 0:
		return r->len > 0 ? NULL : "empty association data";
	case 1:
		return r->len == 32 ? NULL : "SHA-256 data is not 32 octets";
	case 2:
		return r->len == 64 ? NULL : "SHA-512 data is not 64 octets";
	default:
		return "unknown matching type";
	}
}

/* The selected part of a certificate: the DER itself, or its SPKI. */
static int
tls_dane_selected(const unsigned char *der, size_t len, unsigned selector,
    gnutls_datum_t *out, bool *allocated)
{
	gnutls_datum_t in = { (unsigned char *)der, (unsigned)len };
	gnutls_pubkey_t pk;
	int r;

	*allocated = false;
	if (selector == 0) {
		*out = in;
		return 0;
	}
	if (gnutls_pubkey_init(&pk) < 0)
		return -1;
	r = gnutls_pubkey_import_x509_raw(pk, &in, GNUTLS_X509_FMT_DER, 0);
	if (r == 0)
		r = gnutls_pubkey_export2(pk, GNUTLS_X509_FMT_DER, out);
	gnutls_pubkey_deinit(pk);
	if (r < 0)
		return -1;
	*allocated = true;
	return 0;
}

/* Does certificate der match record r?  r must be usable. */
static bool
tls_dane_cert_matches(const unsigned char *der, size_t len,
    const struct tls_tlsa *r)
{
	unsigned char md[64];
	gnutls_datum_t sel;
	bool alloc, hit = false;

	if (tls_dane_selected(der, len, r->selector, &sel, &alloc) < 0)
		return false;
	if (r->mtype == 0)
		hit = sel.size == r->len && memcmp(sel.data, r->data,
		    r->len) == 0;
	else if (gnutls_hash_fast(r->mtype == 1 ? GNUTLS_DIG_SHA256 :
	    GNUTLS_DIG_SHA512, sel.data, sel.size, md) == 0)
		hit = memcmp(md, r->data, r->len) == 0;
	if (alloc)
		gnutls_free(sel.data);
	return hit;
}

/*
 * RFC 7672 §3.1.2: the chain must lead from the leaf to the anchor, and
 * a name of the leaf must be the TLSA base domain.  The anchor goes into
 * a trust list of its own, so nothing else (no system store) can vouch.
 */
static int
tls_dane_ta_verify(const unsigned char *const *der, const size_t *derlen,
    size_t nder, const unsigned char *ta, size_t talen, const char *name,
    char *why, size_t whylen)
{
	gnutls_x509_crt_t chain[TLS_DANE_MAX_CHAIN], anchor = NULL;
	gnutls_x509_trust_list_t tl = NULL;
	gnutls_typed_vdata_st vd;
	gnutls_datum_t d;
	unsigned status = 0, i, n = 0;
	int r = -1, e;

	if (gnutls_x509_crt_init(&anchor) < 0)
		goto out;
	d.data = (unsigned char *)ta;
	d.size = (unsigned)talen;
	if (gnutls_x509_crt_import(anchor, &d, GNUTLS_X509_FMT_DER) < 0) {
		snprintf(why, whylen, "the trust anchor is not a certificate");
		goto out;
	}
	for (i = 0; i < nder && i < TLS_DANE_MAX_CHAIN; i++) {
		if (gnutls_x509_crt_init(&chain[n]) < 0)
			goto out;
		d.data = (unsigned char *)der[i];
		d.size = (unsigned)derlen[i];
		if (gnutls_x509_crt_import(chain[n], &d,
		    GNUTLS_X509_FMT_DER) < 0) {
			gnutls_x509_crt_deinit(chain[n]);
			snprintf(why, whylen, "certificate %u of the chain "
			    "does not parse", i);
			goto out;
		}
		n++;
	}
	if (gnutls_x509_trust_list_init(&tl, 0) < 0)
		goto out;
	/* the list owns the anchor from here on */
	if (gnutls_x509_trust_list_add_cas(tl, &anchor, 1, 0) != 1)
		goto out;
	anchor = NULL;
	memset(&vd, 0, sizeof(vd));
	vd.type = GNUTLS_DT_DNS_HOSTNAME;
	vd.data = (unsigned char *)name;
	vd.size = 0;
	e = gnutls_x509_trust_list_verify_crt2(tl, chain, n, &vd, 1,
	    GNUTLS_VERIFY_ALLOW_UNSORTED_CHAIN, &status, NULL);
	if (e < 0) {
		snprintf(why, whylen, "chain verification did not run: %s",
		    gnutls_strerror(e));
		goto out;
	}
	if (status != 0) {
		gnutls_datum_t txt = { NULL, 0 };

		if (gnutls_certificate_verification_status_print(status,
		    GNUTLS_CRT_X509, &txt, 0) == 0) {
			size_t k = txt.size;

			while (k > 0 && txt.data[k - 1] == ' ')
				k--;
			text_sanitize(why, whylen, (const char *)txt.data, k,
			    200);
			gnutls_free(txt.data);
		} else
			snprintf(why, whylen, "not trusted (status 0x%x)",
			    status);
		goto out;
	}
	r = 0;
out:
	if (tl != NULL)
		gnutls_x509_trust_list_deinit(tl, 1);
	if (anchor != NULL)
		gnutls_x509_crt_deinit(anchor);
	for (i = 0; i < n; i++)
		gnutls_x509_crt_deinit(chain[i]);
	return r;
}

void
tls_dane_match(const unsigned char *const *der, const size_t *derlen,
    size_t nder, const struct tls_tlsa *recs, size_t nrecs,
    const char *name, struct tls_dane *out)
{
	char why[200] = "";
	size_t i, k, usable = 0;
	bool ta_key_only = false;
	int ta_fail = -1;

	memset(out, 0, sizeof(*out));
	out->record = -1;
	if (nder == 0) {
		snprintf(out->text, sizeof(out->text), "no certificate from "
		    "the server");
		return;
	}
	if (nder > TLS_DANE_MAX_CHAIN)
		nder = TLS_DANE_MAX_CHAIN;
	for (i = 0; i < nrecs; i++) {
		const struct tls_tlsa *r = &recs[i];

		if (tls_dane_unusable(r) != NULL)
			continue;
		usable++;
		if (r->usage == 3) {
			/* §3.1.1: the leaf alone, no names, no dates */
			if (!tls_dane_cert_matches(der[0], derlen[0], r))
				continue;
			out->matched = true;
			out->record = (int)i;
			snprintf(out->text, sizeof(out->text), "TLSA %u %u %u "
			    "matched", r->usage, r->selector, r->mtype);
			return;
		}
		/* DANE-TA: a certificate above the leaf, or the record's */
		for (k = 1; k < nder; k++) {
			if (!tls_dane_cert_matches(der[k], derlen[k], r))
				continue;
			if (tls_dane_ta_verify(der, derlen, nder, der[k],
			    derlen[k], name, why, sizeof(why)) == 0)
				break;
			ta_fail = (int)i;
		}
		if (k == nder && r->selector == 0 && r->mtype == 0) {
			if (tls_dane_ta_verify(der, derlen, nder, r->data,
			    r->len, name, why, sizeof(why)) == 0)
				k = 0;
			else
				ta_fail = (int)i;
		} else if (k == nder && r->selector == 1 && r->mtype == 0)
			ta_key_only = true;
		if (k < nder) {
			out->matched = true;
			out->record = (int)i;
			snprintf(out->text, sizeof(out->text), "TLSA %u %u %u "
			    "matched, chain verified for %s", r->usage,
			    r->selector, r->mtype, name);
			return;
		}
	}
	if (usable == 0)
		snprintf(out->text, sizeof(out->text), "no usable TLSA record");
	else if (ta_fail >= 0)
		snprintf(out->text, sizeof(out->text), "TLSA %u %u %u matched "
		    "a chain certificate, but the chain does not verify for "
		    "%s: %s", recs[ta_fail].usage, recs[ta_fail].selector,
		    recs[ta_fail].mtype, name, why);
	else {
		size_t n;

		snprintf(out->text, sizeof(out->text), "no TLSA record "
		    "matches the certificate (");
		for (i = 0; i < nrecs; i++) {
			if (tls_dane_unusable(&recs[i]) != NULL)
				continue;
			n = strlen(out->text);
			snprintf(out->text + n, sizeof(out->text) - n, "%s%u "
			    "%u %u", out->text[n - 1] == '(' ? "" : ", ",
			    recs[i].usage, recs[i].selector, recs[i].mtype);
		}
		n = strlen(out->text);
		snprintf(out->text + n, sizeof(out->text) - n, ")%s",
		    ta_key_only ? "; a 2 1 0 key outside the chain is not "
		    "supported" : "");
	}
}

void
tls_dane_check(struct tls *t, const struct tls_tlsa *recs, size_t nrecs,
    const char *name, struct tls_dane *out)
{
	const unsigned char *der[TLS_DANE_MAX_CHAIN];
	size_t len[TLS_DANE_MAX_CHAIN], n;

	n = tls_peer_chain(t, der, len, TLS_DANE_MAX_CHAIN);
	tls_dane_match(der, len, n, recs, nrecs, name, out);
}
