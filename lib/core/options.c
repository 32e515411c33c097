#include <config.h>

#include "core/options.h"
#include "core/extraopts.h"
#include "core/plugin.h"
#include "core/plugin_run.h"
#include "core/text.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

/* ---- the common options as parsed ---- */

int
options_verbosity(const struct plugin *p)
{
	return p->verbose;
}

double
options_timeout(const struct plugin *p)
{
	return p->timeout;
}

enum state
options_timeout_state(const struct plugin *p)
{
	return p->timeout_state;
}

int
options_family(const struct plugin *p)
{
	return p->family;
}

const char *const *
options_dns_servers(const struct plugin *p, size_t *n)
{
	*n = p->ndns;
	return p->dns_servers;
}

struct range_thresholds *
options_thresholds(struct plugin *p)
{
	return &p->thr;
}

/* ---- the common options and the option loop ---- */

int
options_bad(struct plugin *p, int argc, char **argv)
{
	const char *opt = (optind > 0 && optind <= argc) ?
	    argv[optind - 1] : "?";

	return plugin_usage_error(p, "invalid option or missing argument: %s "
	    "(see %s --help)", opt, p->progname);
}

static void
options_print_version(const struct plugin *p)
{
	printf("%s v%s (%s %s)\n", p->progname, PACKAGE_VERSION,
	    PACKAGE_NAME, PACKAGE_VERSION);
}

static int
options_parse_timeout(struct plugin *p, const char *arg)
{
	char num[32];
	const char *colon = strchr(arg, ':');
	size_t len = colon ? (size_t)(colon - arg) : strlen(arg);
	double t;

	if (len == 0 || len >= sizeof(num))
		goto bad;
	memcpy(num, arg, len);
	num[len] = '\0';
	if (text_parse_seconds(num, 86400, &t) < 0 || t <= 0)
		goto bad;
	/* nagios-plugins form "SECONDS:STATE" */
	if (colon != NULL && state_parse(colon + 1, &p->timeout_state) < 0)
		goto bad;
	p->timeout = t;
	return 1;
bad:
	return plugin_usage_error(p, "invalid timeout '%s': expected seconds "
	    "> 0 (optionally SECONDS:STATE)", arg);
}

int
options_common(struct plugin *p, int opt, const char *arg)
{
	struct range r;
	char err[128];

	switch (opt) {
	case 'h':
		options_print_version(p);
		printf("Copyright (c) 2026 the %s developers\n", PACKAGE_NAME);
		printf("License GPL-3.0-or-later: there is NO WARRANTY.\n\n");
		if (p->help != NULL)
			p->help();
		p->printed = true;
		p->state = STATE_UNKNOWN;
		return -1;
	case 'V':
		options_print_version(p);
		p->printed = true;
		p->state = STATE_UNKNOWN;
		return -1;
	case 'v':
		if (p->verbose < 3)
			p->verbose++;
		return 1;
	case 't':
		return options_parse_timeout(p, arg);
	case OPTIONS_OPT_TIMEOUT_RESULT:
		if (state_parse(arg, &p->timeout_state) < 0)
			return plugin_usage_error(p, "invalid --timeout-result "
			    "'%s': expected ok, warning, critical or unknown",
			    arg);
		return 1;
	case 's':
		if (p->ndns >= PLUGIN_MAX_DNS)
			return plugin_usage_error(p, "too many --dns-server "
			    "options (at most %d)", PLUGIN_MAX_DNS);
		/* core knows no address syntax: the plugin names the check */
		if (p->server_check != NULL &&
		    p->server_check(arg, err, sizeof(err)) < 0)
			return plugin_usage_error(p, "invalid --dns-server "
			    "'%s': %s", arg, err);
		p->dns_servers[p->ndns++] = arg;
		return 1;
	case '4':
		p->family = AF_INET;
		return 1;
	case '6':
		p->family = AF_INET6;
		return 1;
	case 'w':
	case 'c':
		if (range_parse(arg, &r) < 0)
			return plugin_usage_error(p, "invalid %s range '%s' "
			    "(expected [@][start:][end], see --help)",
			    opt == 'w' ? "warning" : "critical", arg);
		if (opt == 'w') {
			p->thr.warn = r;
			p->thr.has_warn = true;
		} else {
			p->thr.crit = r;
			p->thr.has_crit = true;
		}
		return 1;
	default:
		return 0;
	}
}

/* The plugin's default ranges where -w / -c set none (its config). */
static int
options_default_thresholds(struct plugin *p)
{
	struct range_thresholds *t = &p->thr;
	bool crit = !t->has_crit && !(p->crit_alone && t->has_warn);

	if (p->default_warn != NULL && !t->has_warn) {
		if (range_parse(p->default_warn, &t->warn) < 0)
			return plugin_usage_error(p, "internal error: default "
			    "warning range '%s'", p->default_warn);
		t->has_warn = true;
	}
	if (p->default_crit != NULL && crit) {
		if (range_parse(p->default_crit, &t->crit) < 0)
			return plugin_usage_error(p, "internal error: default "
			    "critical range '%s'", p->default_crit);
		t->has_crit = true;
	}
	return 0;
}

int
options_getopt(struct plugin *p, int argc, char **argv, const char *shortopts,
    const struct option *longopts, options_fn handle, void *ctx)
{
	char all[128], err[640];
	int c, r, n;

	p->args = calloc(1, sizeof(*p->args));
	if (p->args == NULL) {
		p->oom = true;
		return -1;
	}
	if (extraopts_expand(p->args, argc, argv, p->progname, err,
	    sizeof(err)) < 0)
		return plugin_usage_error(p, "%s", err);
	argc = p->args->argc;
	argv = p->args->argv;
	n = snprintf(all, sizeof(all), "%s%s", OPTIONS_COMMON_SHORTOPTS,
	    shortopts != NULL ? shortopts : "");
	if (n < 0 || (size_t)n >= sizeof(all))
		return plugin_usage_error(p, "internal error: option table");
	opterr = 0;	/* our own one-line message instead of getopt's */
	while ((c = getopt_long(argc, argv, all, longopts, NULL)) != -1) {
		if (c == '?' || c == ':')
			return options_bad(p, argc, argv);
		r = options_common(p, c, optarg);
		if (r == 0 && handle != NULL)
			r = handle(p, ctx, c, optarg);
		if (r < 0)
			return -1;
		if (r == 0)
			return options_bad(p, argc, argv);
	}
	if (optind < argc)
		return plugin_usage_error(p, "unexpected argument '%s'",
		    argv[optind]);
	return options_default_thresholds(p);
}

void
options_help_head(void)
{
	printf(" -h, --help\n    Print this help and exit (UNKNOWN)\n");
	printf(" -V, --version\n    Print the version and exit (UNKNOWN)\n");
	printf(" --extra-opts=[SECTION][@FILE]\n"
	    "    Read options from an ini file (default section: the plugin's "
	    "name;\n    default file: plugins.ini in the monitoring-plugins "
	    "places)\n");
}

void
options_help_tail(bool thresholds)
{
	printf(" -s, --dns-server=ADDRESS[:PORT]\n"
	    "    Resolver to ask instead of those of /etc/resolv.conf; IPv4 or "
	    "IPv6\n    literal, [ADDRESS]:PORT for IPv6 with a port; "
	    "repeatable\n");
	printf(" -4, --use-ipv4\n    Use IPv4 addresses only\n");
	printf(" -6, --use-ipv6\n    Use IPv6 addresses only\n");
	if (thresholds)
		printf(" -w, --warning=RANGE\n    Warning range\n"
		    " -c, --critical=RANGE\n    Critical range\n");
	printf(" -t, --timeout=SECONDS[:STATE]\n"
	    "    Hard deadline for the whole run (default %.0f); the result "
	    "still\n    names what was pending\n", PLUGIN_DEFAULT_TIMEOUT);
	printf(" --timeout-result=STATE\n"
	    "    State of whatever the deadline caused, a DNS timeout inside "
	    "the DNS\n    budget included: ok, warning, critical (default) "
	    "or unknown\n");
	printf(" -v, --verbose\n    More detail: -v a line per item, -vv "
	    "protocol transcripts and\n    DNS answers, -vvv debugging\n");
}
