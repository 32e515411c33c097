/*
 * dnsbl_auth - check_dnsbl_sender --auth: the sender's standing beyond
 * blocklists (FCrDNS, SPF evaluation, DMARC, DKIM keys) through
 * mail/auth, and the one table that maps its results to states.
 *
 * The plugin calls in at fixed points: its option loop hands over the
 * two options, the configuration goes into lib/mail/dnsbl_check's one
 * call (which runs mail/auth beside discovery and the lists), and after
 * the lists the findings and perfdata are reported.  Without --auth
 * nothing here runs and the plugin's output is what it was.
 */
#ifndef MAILPATH_DNSBL_AUTH_H
#define MAILPATH_DNSBL_AUTH_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/options.h"
#include "core/plugin.h"
#include "mail/auth.h"

enum {
	DNSBL_AUTH_OPT_AUTH = OPTIONS_OPT_LAST + 64,
	DNSBL_AUTH_OPT_SELECTOR
};

#define DNSBL_AUTH_LONGOPTS \
	{ "auth", no_argument, NULL, DNSBL_AUTH_OPT_AUTH }, \
	{ "dkim-selector", required_argument, NULL, DNSBL_AUTH_OPT_SELECTOR }

struct dnsbl_auth_opts {
	bool enabled;
	/* A-labels */
	char selectors[AUTH_MAX_SELECTORS][AUTH_SELECTOR_MAX];
	size_t nselectors;
};

/* One option of the loop: 1 taken, 0 not ours, -1 a usage error. */
int dnsbl_auth_option(struct plugin *p, struct dnsbl_auth_opts *o, int c,
    const char *arg);
/* After the loop: what the options need of each other.  0 or -1. */
int dnsbl_auth_check(struct plugin *p, const struct dnsbl_auth_opts *o,
    const char *sender);
void dnsbl_auth_help(void);

/* The mail/auth configuration of the options, for lib/mail/dnsbl_check
 * (cfg and sel: caller storage); NULL without --auth. */
const struct auth_config *dnsbl_auth_config(const struct dnsbl_auth_opts *o,
    const char *sender, struct auth_config *cfg, const char **sel);
/*
 * The findings, the summary part and the perfdata of a run's sender
 * checks; a (NULL: no --auth) stays the run's.  error_state is
 * --error-result; timed_out: some lookup had no answer by the deadline.
 */
void dnsbl_auth_report(struct plugin *p, struct auth *a,
    enum state error_state, bool timed_out);

#endif
