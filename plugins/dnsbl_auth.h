/*
 * dnsbl_auth - check_dnsbl_sender --auth: the sender's standing beyond
 * blocklists (FCrDNS, SPF evaluation, DMARC, DKIM keys) through
 * mail/auth, and the one table that maps its results to states.
 *
 * The plugin calls in at fixed points: its option loop hands over the
 * two options, discovery starts the domain's lookups (they ride in the
 * first DNS round), the sending addresses are added once known (their
 * PTR lookups ride with the list queries), and after the lists the
 * findings and perfdata are reported.  Without --auth nothing here runs
 * and the plugin's output is what it was.
 */
#ifndef MAILPATH_DNSBL_AUTH_H
#define MAILPATH_DNSBL_AUTH_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/options.h"
#include "core/plugin.h"
#include "mail/auth.h"

struct dns;
struct loop;

enum {
	DNSBL_AUTH_OPT_AUTH = OPTIONS_OPT_LAST + 64,
	DNSBL_AUTH_OPT_SELECTOR
};

#define DNSBL_AUTH_LONGOPTS \
	{ "auth", no_argument, NULL, DNSBL_AUTH_OPT_AUTH }, \
	{ "dkim-selector", required_argument, NULL, DNSBL_AUTH_OPT_SELECTOR }

struct dnsbl_auth_opts {
	bool enabled;
	char selectors[AUTH_MAX_SELECTORS][AUTH_SELECTOR_MAX];	/* A-labels */
	size_t nselectors;
};

/* One option of the loop: 1 taken, 0 not ours, -1 a usage error. */
int dnsbl_auth_option(struct plugin *p, struct dnsbl_auth_opts *o, int c,
    const char *arg);
/* After the loop: what the options need of each other.  0 or -1. */
int dnsbl_auth_check(struct plugin *p, const struct dnsbl_auth_opts *o,
    const char *sender);
void dnsbl_auth_help(void);

struct dnsbl_auth;

/* sender: the -S text (or NULL); sends the domain's lookups at once.
 * error_state: --error-result, for lookups that failed. */
int dnsbl_auth_start(struct dnsbl_auth **out, struct plugin *p,
    struct dns *d, struct loop *l, const struct dnsbl_auth_opts *o,
    const char *sender, enum state error_state);
/* A sending address (4 or 16 bytes), before dnsbl_auth_addresses(). */
void dnsbl_auth_address(struct dnsbl_auth *a, int family,
    const unsigned char *addr);
/* Every sending address is known: their lookups go out. */
void dnsbl_auth_addresses(struct dnsbl_auth *a);
/* Waits for what is still out (not past the deadline), then reports the
 * findings, the summary part and the perfdata. */
void dnsbl_auth_report(struct dnsbl_auth *a, bool deadline);
/* After dns_free(). */
void dnsbl_auth_free(struct dnsbl_auth *a);

#endif
