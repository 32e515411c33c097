/*
 * relay_param - what a relay walk is asked to do (envelope, hosts, TLS
 * level, limits), checked from user text; no network.  The plugin fills
 * a struct relay_params with these checks and hands it to mail/relay.
 * Every check returns 0, or -1 with the reason in err (without the
 * option's name unless said).  Names become lower-case A-labels without
 * the final dot; addresses are checked to RFC 5321 §4.1.2 syntax and
 * §4.5.3.1 limits, so no CR or LF from user input reaches SMTP.  The
 * numbers and the TLS level are mail/relay_value's.
 */
#ifndef MAILPATH_RELAY_PARAM_H
#define MAILPATH_RELAY_PARAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mail/mx.h"
#include "mail/relay_value.h"
#include "mail/trap.h"

#define RELAY_MAX_RELAYS 16
#define RELAY_MAX_VIA 8
#define RELAY_PATH_MAX 300

struct tls_creds;

struct relay_params {
	char rcpt[RELAY_PATH_MAX], from[RELAY_PATH_MAX], helo[MX_NAME_MAX];
	char domain[MX_NAME_MAX];	/* of the recipient: MX lookup */
	bool utf8;			/* a UTF-8 local part: SMTPUTF8 */
	struct relay_spec relays[RELAY_MAX_RELAYS], via[RELAY_MAX_VIA];
	size_t nrelays, nvia;
	unsigned port;
	bool all, no_pipelining;
	uint64_t seed;
	const struct trap_set *traps;
	const char *const *refuse;	/* --expect-refuse globs */
	size_t nrefuse;
	enum relay_level tls;
	const char *cafile;
	struct tls_creds *cafile_creds;	/* from relay_param_cafile(), freed
					 * by relay_param_release() */
	char tls_name[MX_NAME_MAX];	/* the -H relays' certificate name */
	double stage_timeout, timeout;	/* seconds: each stage, the run */
	int family;			/* AF_UNSPEC, AF_INET, AF_INET6 */
	const char *const *servers;	/* -s */
	size_t nservers;
	int verbosity;
};

/* One more -H (via: --via) spec into rp; -2: too many (err names the
 * option and the limit). */
int relay_param_add(struct relay_params *rp, bool via, const char *text,
    char *err, size_t errlen);
/* An envelope address into out (no brackets); null_ok: "<>" allowed. */
int relay_param_address(const char *text, bool null_ok, char *out,
    size_t outsize, bool *utf8, char *err, size_t errlen);
/* RFC 5321 §4.1.1.1: the EHLO name is an FQDN. */
int relay_param_helo(const char *text, char *out, size_t outsize, char *err,
    size_t errlen);
/* This machine's name when it is an FQDN, else localhost.localdomain. */
void relay_param_default_helo(char *out, size_t outsize);
/* A certificate name (and SNI): a host name, never an address. */
int relay_param_tls_name(const char *text, char *out, size_t outsize,
    char *err, size_t errlen);
/* -R text or -D domain (postmaster@) into rp->rcpt, rp->domain; err
 * gets the whole usage message, as below. */
int relay_param_recipient(struct relay_params *rp, const char *text,
    const char *domain, bool *utf8, char *err, size_t errlen);
/* The options together (--all, --tls-name, addresses at verify). */
int relay_param_check(const struct relay_params *rp, char *err,
    size_t errlen);
/* The run's deadline and --stage-timeout's default, a quarter of it. */
void relay_param_timeouts(struct relay_params *rp, double timeout);
/* Read the --cafile now, so a bad file is a usage error. */
int relay_param_cafile(struct relay_params *rp, char *err, size_t errlen);
void relay_param_release(struct relay_params *rp);

#endif
