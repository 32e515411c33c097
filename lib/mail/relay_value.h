/*
 * relay_value - one option value of a relay walk at a time: the TLS
 * level and its names, each option number checked with its range, and a
 * -H / --via host spec; no network, nothing allocated (mail/relay_param
 * puts them together).  Every check returns 0, or -1 with what was
 * expected in err (without the option's name: the plugin's usage line
 * adds it).
 */
#ifndef MAILPATH_RELAY_VALUE_H
#define MAILPATH_RELAY_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mail/mx.h"

/* Postfix's smtp_tls_security_level names, in rising order, then
 * MTA-STS (RFC 8461), which Postfix leaves to a policy service, and
 * auto: DANE where it applies, else MTA-STS, else may (RFC 8461 §2). */
enum relay_level { RELAY_TLS_NONE, RELAY_TLS_MAY, RELAY_TLS_ENCRYPT,
	RELAY_TLS_VERIFY, RELAY_TLS_SECURE, RELAY_TLS_DANE, RELAY_TLS_STS,
	RELAY_TLS_AUTO, RELAY_TLS_NLEVELS };

const char *relay_value_level_name(enum relay_level l);
/* "none" ... "dane"; -1 when text names no level. */
int relay_value_level(const char *text, enum relay_level *out);
/* The numbers: a port (1-65535), whole days (0-36500), seconds (> 0, at
 * most 3600), a seed (0-2147483647), a --tls level; -1 with what was
 * expected in err. */
int relay_value_port(const char *text, unsigned *out, char *err,
    size_t errlen);
int relay_value_days(const char *text, long *out, char *err, size_t errlen);
int relay_value_seconds(const char *text, double *out, char *err,
    size_t errlen);
int relay_value_seed(const char *text, uint64_t *out, char *err,
    size_t errlen);
int relay_value_tls(const char *text, enum relay_level *out, char *err,
    size_t errlen);
/* --seed's default: a fresh one for every run. */
uint64_t relay_value_default_seed(void);

struct relay_spec {		/* -H / --via: HOST[:PORT] */
	char name[MX_NAME_MAX];	/* A-label, or the address literal */
	bool literal;
	unsigned port;		/* 0: the walk's port */
};

/* HOST[:PORT], ADDR, [ADDR]:PORT (IPv6). */
int relay_value_spec(const char *text, struct relay_spec *out, char *err,
    size_t errlen);

#endif
