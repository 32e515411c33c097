/*
 * options - the common options of every plugin (-t, -s, -4/-6, -v, -w/-c,
 * -h, -V) and the one option loop (at the end), and
 * --extra-opts=[SECTION][@FILE]: options kept in an ini file
 * instead of on the command line (secrets, resolvers), with the semantics
 * of monitoring-plugins' extra-opts so one plugins.ini serves both:
 *
 *   [check_mx_preference]          ; a section per plugin or per use
 *   dns-server = 127.0.0.1         ; becomes --dns-server=127.0.0.1
 *   allow-private =                ; empty value: the flag --allow-private
 *   s = ::1                        ; one letter: -s ::1
 *
 * SECTION defaults to the plugin's name, FILE to the first that exists of
 * $MP_CONFIG_FILE, monitoring-plugins.ini, plugins.ini or nagios-plugins.ini
 * in each directory of $NAGIOS_CONFIG_PATH, then the fixed list in
 * options.c (/etc/monitoring-plugins/monitoring-plugins.ini,
 * /etc/nagios/plugins.ini, ...).  FILE "-" is standard input.  Lines
 * starting with '#' or ';' are comments; the value runs to the end of the
 * line, blanks around it trimmed, no quoting.  The options of every
 * --extra-opts, in their order, come before the rest of the command line.
 * A missing file or section, a section without options, an option line
 * outside a section or without '=' are errors.
 *
 * Ownership: options_extra_expand() fills caller storage whose argv and
 * strings live until options_args_release(); the caller's argv is never
 * modified.  Errors: -1 with one line in err naming the --extra-opts value.
 */
#ifndef MAILPATH_OPTIONS_H
#define MAILPATH_OPTIONS_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define OPTIONS_MAX_EXTRA 256	/* options from all ini sections together */
#define OPTIONS_LINE_MAX 4096

struct options_args {
	int argc;
	char **argv;		/* NULL-terminated; argv[0] is the caller's */
	size_t cap;		/* slots of argv */
	char **owned;		/* heap strings held by argv */
	size_t nowned;
	size_t nextra;		/* options read from ini files */
	bool expanded;		/* false: argv is the caller's own */
};

/*
 * Look for --extra-opts in argv (up to a "--"); without any, out->argv is
 * argv itself.  section_default is the plugin's name.  Returns 0 or -1.
 */
int options_extra_expand(struct options_args *out, int argc, char **argv,
    const char *section_default, char *err, size_t errsize);
void options_args_release(struct options_args *a);

/*
 * Append the options of one section of an open ini file to out (for
 * options_extra_expand() and the unit test).  name is the file's name for
 * messages.  Returns the number of options read, or -1.
 */
int options_ini_section(FILE *f, const char *name, const char *section,
    struct options_args *out, char *err, size_t errsize);
/* The default ini file, or NULL when none exists (heap or static: *heap). */
const char *options_default_file(bool *heap);

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
