#include <config.h>

#include "tls.h"
#include "text.h"

#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct tls_creds {
	gnutls_certificate_credentials_t cred;
	bool has_trust;
};

struct tls {
	gnutls_session_t session;
	struct tls_creds *creds;
	char err[160];
};

int
tls_creds_new(struct tls_creds **out, const char *cafile, bool system,
    char *err, size_t errlen)
{
	struct tls_creds *c = calloc(1, sizeof(*c));
	int r;

	*out = NULL;
	if (c == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	r = gnutls_certificate_allocate_credentials(&c->cred);
	if (r < 0) {
		snprintf(err, errlen, "%s", gnutls_strerror(r));
		free(c);
		return -1;
	}
	if (cafile != NULL) {
		r = gnutls_certificate_set_x509_trust_file(c->cred, cafile,
		    GNUTLS_X509_FMT_PEM);
		if (r <= 0) {
			snprintf(err, errlen, "no CA certificate loaded from "
			    "'%s'%s%s", cafile, r < 0 ? ": " : "",
			    r < 0 ? gnutls_strerror(r) : "");
			goto fail;
		}
		c->has_trust = true;
	}
	/* DESIGN.md §6: the system store costs 9 ms and 4.7 MiB, so only a
	 * run that verifies against it asks for it */
	if (system) {
		r = gnutls_certificate_set_x509_system_trust(c->cred);
		if (r < 0) {
			snprintf(err, errlen, "system trust store: %s",
			    gnutls_strerror(r));
			goto fail;
		}
		if (r > 0)
			c->has_trust = true;
	}
	*out = c;
	return 0;
fail:
	gnutls_certificate_free_credentials(c->cred);
	free(c);
	return -1;
}

void
tls_creds_free(struct tls_creds *c)
{
	if (c == NULL)
		return;
	gnutls_certificate_free_credentials(c->cred);
	free(c);
}

int
tls_new(struct tls **out, struct tls_creds *c, int fd, const char *sni,
    char *err, size_t errlen)
{
	struct tls *t = calloc(1, sizeof(*t));
	int r;

	*out = NULL;
	if (t == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	t->creds = c;
	r = gnutls_init(&t->session, GNUTLS_CLIENT | GNUTLS_NONBLOCK |
	    GNUTLS_NO_SIGNAL);
	if (r < 0) {
		snprintf(err, errlen, "%s", gnutls_strerror(r));
		free(t);
		return -1;
	}
	r = gnutls_set_default_priority(t->session);
	if (r == 0)
		r = gnutls_credentials_set(t->session, GNUTLS_CRD_CERTIFICATE,
		    c->cred);
	/* RFC 6066 §3: a host name without the trailing dot, never an IP */
	if (r == 0 && sni != NULL && *sni != '\0')
		r = gnutls_server_name_set(t->session, GNUTLS_NAME_DNS, sni,
		    strlen(sni));
	if (r < 0) {
		snprintf(err, errlen, "%s", gnutls_strerror(r));
		tls_free(t);
		return -1;
	}
	gnutls_transport_set_int(t->session, fd);
	*out = t;
	return 0;
}

void
tls_free(struct tls *t)
{
	if (t == NULL)
		return;
	gnutls_deinit(t->session);
	free(t);
}

const char *
tls_error(const struct tls *t)
{
	return t->err[0] ? t->err : "unknown error";
}

static enum tls_io
tls_again(struct tls *t, int r)
{
	if (r == GNUTLS_E_AGAIN || r == GNUTLS_E_INTERRUPTED)
		return gnutls_record_get_direction(t->session) ?
		    TLS_IO_WANT_WRITE : TLS_IO_WANT_READ;
	if (r == GNUTLS_E_FATAL_ALERT_RECEIVED)
		snprintf(t->err, sizeof(t->err), "alert from the server: %s",
		    gnutls_alert_get_name(gnutls_alert_get(t->session)));
	else
		snprintf(t->err, sizeof(t->err), "%s", gnutls_strerror(r));
	return TLS_IO_ERROR;
}

enum tls_io
tls_handshake(struct tls *t)
{
	int r, tries;

	/* a warning alert or another non-fatal code: just go on (bounded,
	 * so a peer sending nothing but warnings cannot spin us) */
	for (tries = 0; tries < 8; tries++) {
		r = gnutls_handshake(t->session);
		if (r == 0)
			return TLS_IO_DONE;
		if (r == GNUTLS_E_AGAIN || r == GNUTLS_E_INTERRUPTED ||
		    gnutls_error_is_fatal(r))
			return tls_again(t, r);
	}
	snprintf(t->err, sizeof(t->err), "handshake: %s", gnutls_strerror(r));
	return TLS_IO_ERROR;
}

enum tls_io
tls_read(struct tls *t, void *data, size_t len, size_t *got)
{
	ssize_t r;
	int tries = 0;

	*got = 0;
	/* non-fatal codes (a warning alert, a refused renegotiation
	 * request): read on, a bounded number of times */
	do
		r = gnutls_record_recv(t->session, data, len);
	while (r < 0 && r != GNUTLS_E_AGAIN && r != GNUTLS_E_INTERRUPTED &&
	    !gnutls_error_is_fatal((int)r) && ++tries < 8);
	if (r > 0) {
		*got = (size_t)r;
		return TLS_IO_DONE;
	}
	if (r == 0)
		return TLS_IO_CLOSED;
	if (r == GNUTLS_E_PREMATURE_TERMINATION) {
		snprintf(t->err, sizeof(t->err), "the server closed the "
		    "connection without a TLS close_notify");
		return TLS_IO_TRUNCATED;
	}
	return tls_again(t, (int)r);
}

enum tls_io
tls_write(struct tls *t, const void *data, size_t len, size_t *sent)
{
	ssize_t r = gnutls_record_send(t->session, data, len);

	*sent = 0;
	if (r >= 0) {
		*sent = (size_t)r;
		return TLS_IO_DONE;
	}
	return tls_again(t, (int)r);
}

bool
tls_pending(struct tls *t)
{
	return gnutls_record_check_pending(t->session) > 0;
}

static bool
tls_name_below(const char *name, const char *domain)
{
	size_t nl = strlen(name), dl = strlen(domain);

	if (text_casecmp(name, domain) == 0)
		return true;
	if (nl > dl + 1 && name[nl - dl - 1] == '.' &&
	    text_casecmp(name + nl - dl, domain) == 0)
		return true;
	return false;
}

bool
tls_dnsname_in_domain(const char *name, size_t len, const char *domain)
{
	char n[256];

	/* the name as the certificate holds it, with its length: a NUL
	 * inside ("host.domain\0.evil.test", CVE-2009-2408's shape) would
	 * cut it to a name the issuer never vouched for: never a match */
	if (len == 0 || len >= sizeof(n) || memchr(name, '\0', len) != NULL)
		return false;
	memcpy(n, name, len);
	n[len] = '\0';
	if (n[0] == '*' && n[1] == '.' && tls_name_below(n + 2, domain))
		return true;
	return tls_name_below(n, domain);
}

/* Postfix "secure" with its default match "nexthop, dot-nexthop": some
 * DNS name of the certificate is the domain or a name below it.  A
 * wildcard counts when its parent is the domain or below it. */
static bool
tls_match_domain(gnutls_x509_crt_t crt, const char *domain)
{
	unsigned i;

	if (gnutls_x509_crt_check_hostname2(crt, domain, 0))
		return true;
	for (i = 0; i < 64; i++) {
		char name[256];
		size_t size = sizeof(name);
		int r = gnutls_x509_crt_get_subject_alt_name(crt, i, name,
		    &size, NULL);

		if (r == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
			break;
		if (r != GNUTLS_SAN_DNSNAME || size >= sizeof(name))
			continue;
		if (tls_dnsname_in_domain(name, size, domain))
			return true;
	}
	return false;
}

void
tls_facts_get(struct tls *t, enum tls_names names, const char *name,
    struct tls_facts *f)
{
	const gnutls_datum_t *peers;
	unsigned npeers = 0, status = 0;
	gnutls_x509_crt_t crt = NULL;
	char *desc;
	const char *ver;
	int r;

	memset(f, 0, sizeof(*f));
	ver = gnutls_protocol_get_name(gnutls_protocol_get_version(
	    t->session));
	snprintf(f->version, sizeof(f->version), "%s", ver ? ver : "?");
	desc = gnutls_session_get_desc(t->session);
	if (desc != NULL) {
		snprintf(f->cipher, sizeof(f->cipher), "%s", desc);
		gnutls_free(desc);
	}
	peers = gnutls_certificate_get_peers(t->session, &npeers);
	if (peers != NULL && npeers > 0 &&
	    gnutls_x509_crt_init(&crt) == 0) {
		if (gnutls_x509_crt_import(crt, &peers[0],
		    GNUTLS_X509_FMT_DER) == 0) {
			time_t exp = gnutls_x509_crt_get_expiration_time(crt);
			gnutls_datum_t dn = { NULL, 0 };
			double d = difftime(exp, time(NULL)) / 86400.0;

			f->has_cert = true;
			/* whole days, rounded down: 0.5 days left is 0 */
			f->days_left = d >= 0 ? (long)d : -(long)(-d) - 1;
			if (gnutls_x509_crt_get_dn3(crt, &dn, 0) == 0) {
				text_sanitize(f->subject, sizeof(f->subject),
				    (const char *)dn.data, dn.size, 100);
				gnutls_free(dn.data);
			}
		}
	}
	if (!t->creds->has_trust) {
		snprintf(f->verify_text, sizeof(f->verify_text),
		    "not verified (no trust store loaded)");
		goto out;
	}
	/* after the handshake, not inside it, so a failure still leaves a
	 * session to report on and to QUIT over (protocol-notes §12) */
	r = gnutls_certificate_verify_peers3(t->session,
	    names == TLS_NAMES_HOST ? name : NULL, &status);
	if (r < 0) {
		snprintf(f->verify_text, sizeof(f->verify_text),
		    "verification did not run: %s", gnutls_strerror(r));
		goto out;
	}
	if (status == 0 && names == TLS_NAMES_DOMAIN &&
	    (crt == NULL || !f->has_cert || !tls_match_domain(crt, name))) {
		snprintf(f->verify_text, sizeof(f->verify_text),
		    "no certificate name is %s or below it", name);
		goto out;
	}
	if (status == 0) {
		f->verified = true;
		snprintf(f->verify_text, sizeof(f->verify_text),
		    "certificate verified%s%s",
		    names == TLS_NAMES_NONE ? " (chain only)" : " for ",
		    names == TLS_NAMES_NONE ? "" : name);
	} else {
		gnutls_datum_t out = { NULL, 0 };

		if (gnutls_certificate_verification_status_print(status,
		    GNUTLS_CRT_X509, &out, 0) == 0) {
			size_t n = out.size;

			/* GnuTLS ends its sentences with a space */
			while (n > 0 && out.data[n - 1] == ' ')
				n--;
			text_sanitize(f->verify_text, sizeof(f->verify_text),
			    (const char *)out.data, n, 200);
			gnutls_free(out.data);
		} else
			snprintf(f->verify_text, sizeof(f->verify_text),
			    "not trusted (status 0x%x)", status);
	}
out:
	if (crt != NULL)
		gnutls_x509_crt_deinit(crt);
}

/* ---- DANE ------------------------------------------------------------ */

#define TLS_DANE_MAX_CHAIN 16	/* certificates looked at per chain */

const char *
tls_tlsa_unusable(const struct tls_tlsa *r)
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

		if (tls_tlsa_unusable(r) != NULL)
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
			if (tls_tlsa_unusable(&recs[i]) != NULL)
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
	size_t len[TLS_DANE_MAX_CHAIN];
	const gnutls_datum_t *peers;
	unsigned npeers = 0, i;

	peers = gnutls_certificate_get_peers(t->session, &npeers);
	if (peers == NULL)
		npeers = 0;
	for (i = 0; i < npeers && i < TLS_DANE_MAX_CHAIN; i++) {
		der[i] = peers[i].data;
		len[i] = peers[i].size;
	}
	tls_dane_match(der, len, i, recs, nrecs, name, out);
}
