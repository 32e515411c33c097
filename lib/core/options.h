/*
 * options - the common options of every plugin (-t, -s, -4/-6, -v, -w/-c,
 * -h, -V, --extra-opts through core/extraopts) and the one option loop.
 * Errors are usage errors recorded on the run (core/plugin): one line
 * naming the option and its value, UNKNOWN.
 */
#ifndef MAILPATH_OPTIONS_H
#define MAILPATH_OPTIONS_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/range.h"
#include "core/state.h"

/* ---- the common options of every plugin and the option loop ---- */

struct plugin;

/* Long-only common options; plugins number their own from OPTIONS_OPT_LAST. */
enum { OPTIONS_OPT_TIMEOUT_RESULT = 0x100, OPTIONS_OPT_LAST };

#define OPTIONS_COMMON_SHORTOPTS "hVvt:s:46w:c:"
#define OPTIONS_COMMON_LONGOPTS                                         \
	{ "help", no_argument, NULL, 'h' },                             \
	{ "version", no_argument, NULL, 'V' },                          \
	{ "verbose", no_argument, NULL, 'v' },                          \
	{ "timeout", required_argument, NULL, 't' },                    \
	{ "timeout-result", required_argument, NULL,                    \
	    OPTIONS_OPT_TIMEOUT_RESULT },                               \
	{ "dns-server", required_argument, NULL, 's' },                 \
	{ "use-ipv4", no_argument, NULL, '4' },                         \
	{ "use-ipv6", no_argument, NULL, '6' },                         \
	{ "warning", required_argument, NULL, 'w' },                    \
	{ "critical", required_argument, NULL, 'c' }

/* The common options as parsed (the defaults of core/plugin where none
 * was given).  -w / -c: a plugin's default ranges are in its config. */
int options_verbosity(const struct plugin *p);		/* -v count, 0-3 */
double options_timeout(const struct plugin *p);		/* -t seconds */
enum state options_timeout_state(const struct plugin *p);
int options_family(const struct plugin *p);	/* AF_UNSPEC, AF_INET(6) */
const char *const *options_dns_servers(const struct plugin *p, size_t *n);
struct range_thresholds *options_thresholds(struct plugin *p);

/*
 * Handle one option of OPTIONS_COMMON_LONGOPTS.  Returns 1 when handled,
 * 0 when it is not a common option, and -1 when the run must end now
 * (a usage error was recorded, or -h/-V were printed): the caller then
 * returns plugin_finish().
 */
int options_common(struct plugin *p, int opt, const char *arg);
/*
 * The option loop of every plugin: getopt_long over the common options
 * plus the plugin's own (shortopts are appended to the common ones; the
 * long table must include OPTIONS_COMMON_LONGOPTS).  Each option the common
 * handler does not know goes to handle(), which returns 1 when handled,
 * 0 when unknown and -1 after recording a usage error.  Positional
 * arguments are refused.  --extra-opts are expanded first (above);
 * the strings stay valid until plugin_finish().  Returns 0, or -1 when the
 * run must end now.
 */
typedef int (*options_fn)(struct plugin *p, void *ctx, int opt,
    const char *arg);
int options_getopt(struct plugin *p, int argc, char **argv,
    const char *shortopts, const struct option *longopts,
    options_fn handle, void *ctx);
/*
 * The common options for --help, in the guidelines' order: the head
 * (-h, -V, --extra-opts) before the plugin's own options, the tail (-s,
 * -4/-6, -w/-c when thresholds, -t, --timeout-result, -v) after them.
 */
void options_help_head(void);
void options_help_tail(bool thresholds);
/* For getopt's '?': the unknown or incomplete option. */
int options_bad(struct plugin *p, int argc, char **argv);

#endif
