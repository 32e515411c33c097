#include <config.h>

#include "net/tls.h"
#include "core/state.h"
#include "core/text.h"

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

/* GnuTLS reports its own allocation failures as a status */
static void
tls_note_status(int r)
{
	if (r == GNUTLS_E_MEMORY_ERROR)
		state_note_oom("TLS");
}

int
tls_creds_new(struct tls_creds **out, const char *cafile, bool system,
    char *err, size_t errlen)
{
	struct tls_creds *c = calloc(1, sizeof(*c));
	int r;

	*out = NULL;
	if (c == NULL) {
		state_note_oom("TLS setup");
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	r = gnutls_certificate_allocate_credentials(&c->cred);
	if (r < 0) {
		tls_note_status(r);
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
		state_note_oom("TLS setup");
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	t->creds = c;
	r = gnutls_init(&t->session, GNUTLS_CLIENT | GNUTLS_NONBLOCK |
	    GNUTLS_NO_SIGNAL);
	if (r < 0) {
		tls_note_status(r);
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
		tls_note_status(r);
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

static const char *
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
	tls_note_status(r);
	return TLS_IO_ERROR;
}

static enum tls_io
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
	tls_note_status(r);
	snprintf(t->err, sizeof(t->err), "handshake: %s", gnutls_strerror(r));
	return TLS_IO_ERROR;
}

static enum tls_io
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

static enum tls_io
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

static bool
tls_pending(struct tls *t)
{
	return gnutls_record_check_pending(t->session) > 0;
}

const struct tls_io_ops tls_io_gnutls = {
	.handshake = tls_handshake,
	.read = tls_read,
	.write = tls_write,
	.pending = tls_pending,
	.error = tls_error,
};

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

size_t
tls_peer_chain(struct tls *t, const unsigned char **der, size_t *len,
    size_t max)
{
	const gnutls_datum_t *peers;
	unsigned npeers = 0;
	size_t i;

	peers = gnutls_certificate_get_peers(t->session, &npeers);
	if (peers == NULL)
		npeers = 0;
	for (i = 0; i < npeers && i < max; i++) {
		der[i] = peers[i].data;
		len[i] = peers[i].size;
	}
	return i;
}
