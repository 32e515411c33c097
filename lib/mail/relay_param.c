/*
 * relay_param - the checks of what a relay walk is asked to do (see
 * relay_param.h).
 */
#include <config.h>

#include "mail/relay_param.h"
#include "mail/relay_value.h"

#include "net/addr.h"
#include "net/dns_name.h"
#include "net/smtp_wire.h"
#include "net/tls.h"
#include "core/text.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int
relay_param_address(const char *text, bool null_ok, char *out,
    size_t outsize, bool *utf8, char *err, size_t errlen)
{
	return smtp_wire_address_check(text, null_ok, out, outsize, utf8, err,
	    errlen);
}

int
relay_param_helo(const char *in, char *out, size_t outsize, char *err,
    size_t errlen)
{
	if (dns_name_normalize(in, out, outsize, err, errlen) < 0)
		return -1;
	if (strchr(out, '.') == NULL) {
		(void)text_format(err, errlen, "not a fully qualified domain "
		    "name");
		return -1;
	}
	return 0;
}

void
relay_param_default_helo(char *out, size_t outsize)
{
	char name[256], err[128];

	if (gethostname(name, sizeof(name)) == 0) {
		name[sizeof(name) - 1] = '\0';
		if (relay_param_helo(name, out, outsize, err, sizeof(err)) == 0)
			return;
	}
	/* a bare host name would be a syntax error in EHLO; this is the
	 * conventional stand-in that every server accepts */
	(void)text_copy(out, outsize, "localhost.localdomain");
}

int
relay_param_add(struct relay_params *rp, bool via, const char *text,
    char *err, size_t errlen)
{
	size_t *n = via ? &rp->nvia : &rp->nrelays;

	if (*n >= (via ? RELAY_MAX_VIA : RELAY_MAX_RELAYS)) {
		(void)text_format(err, errlen, "too many %s options (at most "
		    "%d)", via ? "--via" : "-H", via ? RELAY_MAX_VIA :
		    RELAY_MAX_RELAYS);
		return -2;
	}
	return relay_value_spec(text, via ? &rp->via[(*n)++] :
	    &rp->relays[(*n)++], err, errlen);
}

void
relay_param_timeouts(struct relay_params *rp, double timeout)
{
	rp->timeout = timeout;
	if (rp->stage_timeout == 0)
		rp->stage_timeout = timeout / 4;
}

int
relay_param_tls_name(const char *text, char *out, size_t outsize,
    char *err, size_t errlen)
{
	unsigned char bin[16];

	/* a certificate name to check and to send as SNI: a DNS name,
	 * never an address (RFC 6066 section 3) */
	if (addr_parse(text, bin) != 0) {
		(void)text_format(err, errlen, "expected a host name, not an "
		    "address");
		return -1;
	}
	return dns_name_normalize(text, out, outsize, err, errlen);
}

int
relay_param_recipient(struct relay_params *rp, const char *rcpt,
    const char *domain, bool *utf8, char *err, size_t errlen)
{
	char tmp[RELAY_PATH_MAX], why[160];
	const char *at;

	if (domain != NULL) {
		/* RFC 5321 §4.5.1: every domain must accept postmaster */
		int n = snprintf(tmp, sizeof(tmp), "postmaster@%s", domain);

		if (n < 0 || (size_t)n >= sizeof(tmp) || strchr(domain, '@')) {
			(void)text_format(err, errlen, "invalid -D '%s': not a "
			    "domain", domain);
			return -1;
		}
		if (smtp_wire_address_check(tmp, false, rp->rcpt,
		    sizeof(rp->rcpt), utf8, why, sizeof(why)) < 0) {
			(void)text_format(err, errlen, "invalid -D '%s': %s",
			    domain, why);
			return -1;
		}
	} else if (smtp_wire_address_check(rcpt, false, rp->rcpt,
	    sizeof(rp->rcpt), utf8, why, sizeof(why)) < 0) {
		(void)text_format(err, errlen, "invalid -R '%s': %s", rcpt,
		    why);
		return -1;
	}
	at = strrchr(rp->rcpt, '@');
	if (text_copy(rp->domain, sizeof(rp->domain), at + 1) < 0) {
		(void)text_format(err, errlen, "recipient domain too long");
		return -1;
	}
	if (rp->domain[0] == '[' && rp->nrelays == 0) {
		(void)text_format(err, errlen, "invalid %s '%s': an address "
		    "literal domain has no MX set; give the relay with -H", rcpt
		    ? "-R" : "-D", rcpt ? rcpt : domain);
		return -1;
	}
	return 0;
}

int
relay_param_check(const struct relay_params *rp, char *err, size_t errlen)
{
	size_t i;

	if (rp->all && rp->nrelays > 0) {
		(void)text_format(err, errlen, "--all audits the MX set: it "
		    "cannot be combined with -H");
		return -1;
	}
	if (rp->tls == RELAY_TLS_STS && rp->nrelays > 0) {
		/* RFC 8461 §4.1: the policy names the recipient's MX hosts */
		(void)text_format(err, errlen, "--tls sts judges the MX hosts "
		    "of the recipient domain: it cannot be combined with -H");
		return -1;
	}
	if (rp->tls_name[0] != '\0' && rp->nrelays == 0) {
		(void)text_format(err, errlen, "--tls-name '%s' names the "
		    "certificate of the -H relays; an MX walk checks each MX "
		    "host's own name", rp->tls_name);
		return -1;
	}
	for (i = 0; (rp->tls == RELAY_TLS_VERIFY ||
	    rp->tls == RELAY_TLS_SECURE) && i < rp->nrelays + rp->nvia; i++) {
		/* a verified level always checks a name: an address names
		 * no certificate, "chain only" would accept any host's */
		const struct relay_spec *h = i < rp->nrelays ? &rp->relays[i] :
		    &rp->via[i - rp->nrelays];

		if (!h->literal || (i < rp->nrelays && rp->tls_name[0]))
			continue;
		(void)text_format(err, errlen, "%s '%s' at --tls %s: an IP "
		    "address names no certificate; %s", i < rp->nrelays ? "-H" :
		    "--via", h->name, relay_value_level_name(rp->tls), i <
		    rp->nrelays ? "give the name to check with --tls-name "
		    "NAME" : "give the hop as a host name");
		return -1;
	}
	return 0;
}

int
relay_param_cafile(struct relay_params *rp, char *err, size_t errlen)
{
	if (access(rp->cafile, R_OK) != 0) {
		(void)text_format(err, errlen, "%s", strerror(errno));
		return -1;
	}
	/* kept: the file is read once, not again at STARTTLS */
	return tls_creds_new(&rp->cafile_creds, rp->cafile, false, err,
	    errlen);
}

void
relay_param_release(struct relay_params *rp)
{
	tls_creds_free(rp->cafile_creds);
	rp->cafile_creds = NULL;
}
