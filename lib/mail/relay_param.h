/*
 * relay_param - what a relay walk is asked to do (envelope, hosts, TLS
 * level, limits), checked from user text; no network.  The plugin fills
 * a struct relay_params with these checks and hands it to mail/relay.
 * Every check returns 0, or -1 with the reason in err (without the
 * option's name unless said).  Names become lower-case A-labels without
 * the final dot; addresses are checked to RFC 5321 §4.1.2 syntax and
 * §4.5.3.1 limits, so no CR or LF from user input reaches SMTP.
 */
#ifndef MAILPATH_RELAY_PARAM_H
#define MAILPATH_RELAY_PARAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mail/mx.h"
#include "mail/trap.h"

#define RELAY_MAX_RELAYS 16
#define RELAY_MAX_VIA 8
#define RELAY_PATH_MAX 300

/* Postfix's smtp_tls_security_level names, in rising order, then
 * MTA-STS (RFC 8461), which Postfix leaves to a policy service, and
 * auto: DANE where it applies, else MTA-STS, else may (RFC 8461 §2). */
enum relay_level { RELAY_TLS_NONE, RELAY_TLS_MAY, RELAY_TLS_ENCRYPT,
	RELAY_TLS_VERIFY, RELAY_TLS_SECURE, RELAY_TLS_DANE, RELAY_TLS_STS,
	RELAY_TLS_AUTO, RELAY_TLS_NLEVELS };

struct relay_spec {		/* -H / --via: HOST[:PORT] */
	char name[MX_NAME_MAX];	/* A-label, or the address literal */
	bool literal;
	unsigned port;		/* 0: the walk's port */
};

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

const char *relay_param_level_name(enum relay_level l);
/* "none" ... "dane"; -1 when text names no level. */
int relay_param_level(const char *text, enum relay_level *out);
/* HOST[:PORT], ADDR, [ADDR]:PORT (IPv6). */
int relay_param_spec(const char *text, struct relay_spec *out, char *err,
    size_t errlen);
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
/* The numbers: a port (1-65535), whole days (0-36500), seconds (> 0, at
 * most 3600), a seed (0-2147483647), a --tls level; -1 with what was
 * expected in err. */
int relay_param_port(const char *text, unsigned *out, char *err,
    size_t errlen);
int relay_param_days(const char *text, long *out, char *err, size_t errlen);
int relay_param_seconds(const char *text, double *out, char *err,
    size_t errlen);
int relay_param_seed(const char *text, uint64_t *out, char *err,
    size_t errlen);
int relay_param_tls(const char *text, enum relay_level *out, char *err,
    size_t errlen);
/* --seed's default: a fresh one for every run; the run's deadline and
 * --stage-timeout's default, a quarter of it. */
uint64_t relay_param_default_seed(void);
void relay_param_timeouts(struct relay_params *rp, double timeout);
/* Read the --cafile now, so a bad file is a usage error. */
int relay_param_cafile(struct relay_params *rp, char *err, size_t errlen);
void relay_param_release(struct relay_params *rp);

#endif
