#include <config.h>

#include "core/options.h"
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

#define OPTIONS_ARG "--extra-opts"

/* The names monitoring-plugins looks for, in its order. */
static const char *const options_file_names[] = {
	"monitoring-plugins.ini", "plugins.ini", "nagios-plugins.ini", NULL
};
static const char *const options_file_paths[] = {
	"/usr/local/etc/monitoring-plugins/monitoring-plugins.ini",
	"/usr/local/etc/monitoring-plugins.ini",
	"/etc/monitoring-plugins/monitoring-plugins.ini",
	"/etc/monitoring-plugins.ini",
	"/etc/nagios/plugins.ini",
	"/usr/local/nagios/etc/plugins.ini",
	"/usr/local/etc/nagios/plugins.ini",
	"/etc/opt/nagios/plugins.ini",
	"/etc/nagios-plugins.ini",
	"/usr/local/etc/nagios-plugins.ini",
	"/etc/opt/nagios-plugins.ini",
	NULL
};

static void options_err(char *err, size_t errsize, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
options_err(char *err, size_t errsize, const char *fmt, ...)
{
	va_list ap;

	if (errsize == 0)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(err, errsize, fmt, ap);
	va_end(ap);
}

static int
options_reserve(struct options_args *a, size_t extra)
{
	size_t want = (size_t)a->argc + extra + 1;
	char **n;

	if (want <= a->cap)
		return 0;
	if (want < 16)
		want = 16;
	n = realloc(a->argv, want * sizeof(*n));
	if (n == NULL)
		return -1;
	a->argv = n;
	a->cap = want;
	return 0;
}

/* Append s to argv; when owned, a takes s over (freed even on failure). */
static int
options_push(struct options_args *a, char *s, bool owned)
{
	if (owned) {
		char **n = realloc(a->owned, (a->nowned + 1) * sizeof(*n));

		if (n == NULL) {
			free(s);
			return -1;
		}
		a->owned = n;
		a->owned[a->nowned++] = s;
	}
	if (options_reserve(a, 1) < 0)
		return -1;
	a->argv[a->argc++] = s;
	a->argv[a->argc] = NULL;
	return 0;
}

static char *
options_strndup(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d != NULL) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

static bool
options_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static void
options_trim(const char **s, const char **e)
{
	while (*s < *e && options_blank(**s))
		(*s)++;
	while (*e > *s && options_blank((*e)[-1]))
		(*e)--;
}

/*
 * One option line "key[ = value]" of the section: --key=value, --key for
 * an empty value, "-k" "value" for a one-letter key (monitoring-plugins
 * writes "-k=value", which getopt reads as the value "=value").
 */
static int
options_line(struct options_args *out, const char *line, const char *end,
    const char *name, unsigned lineno, char *err, size_t errsize)
{
	const char *eq = memchr(line, '=', (size_t)(end - line));
	const char *k = line, *ke = eq != NULL ? eq : end;
	const char *v = eq != NULL ? eq + 1 : end, *ve = end;
	size_t klen, vlen, i;
	char *arg;

	options_trim(&k, &ke);
	options_trim(&v, &ve);
	klen = (size_t)(ke - k);
	vlen = (size_t)(ve - v);
	if (eq == NULL) {
		options_err(err, errsize, "%s line %u: expected OPTION = VALUE "
		    "or OPTION =", name, lineno);
		return -1;
	}
	for (i = 0; i < klen; i++)
		if (!((k[i] >= 'a' && k[i] <= 'z') ||
		    (k[i] >= 'A' && k[i] <= 'Z') ||
		    (k[i] >= '0' && k[i] <= '9') || (k[i] == '-' && i > 0)))
			break;
	if (klen == 0 || i < klen) {
		options_err(err, errsize, "%s line %u: '%.*s' is not an "
		    "option name", name, lineno, (int)(klen > 60 ? 60 : klen),
		    k);
		return -1;
	}
	if (klen == strlen("extra-opts") && memcmp(k, "extra-opts", klen) == 0) {
		options_err(err, errsize, "%s line %u: extra-opts cannot be "
		    "nested", name, lineno);
		return -1;
	}
	if (out->nextra >= OPTIONS_MAX_EXTRA) {
		options_err(err, errsize, "%s: more than %d options", name,
		    OPTIONS_MAX_EXTRA);
		return -1;
	}
	arg = malloc(klen + vlen + 4);
	if (arg == NULL)
		goto oom;
	if (klen == 1) {
		arg[0] = '-';
		arg[1] = k[0];
		arg[2] = '\0';
		if (options_push(out, arg, true) < 0)
			goto oom;
		if (vlen > 0) {
			char *val = options_strndup(v, vlen);

			if (val == NULL || options_push(out, val, true) < 0)
				goto oom;
		}
	} else {
		memcpy(arg, "--", 2);
		memcpy(arg + 2, k, klen);
		if (vlen > 0) {
			arg[2 + klen] = '=';
			memcpy(arg + 3 + klen, v, vlen);
			arg[3 + klen + vlen] = '\0';
		} else
			arg[2 + klen] = '\0';
		if (options_push(out, arg, true) < 0)
			goto oom;
	}
	out->nextra++;
	return 0;
oom:
	options_err(err, errsize, "out of memory");
	return -1;
}

/* "[ name ]" is the section name when it matches, ignoring blanks. */
static bool
options_header_is(const char *line, const char *end, const char *section)
{
	const char *s = line + 1, *e;

	e = memchr(s, ']', (size_t)(end - s));
	if (e == NULL)
		return false;
	options_trim(&s, &e);
	return (size_t)(e - s) == strlen(section) &&
	    memcmp(s, section, (size_t)(e - s)) == 0;
}

int
options_ini_section(FILE *f, const char *name, const char *section,
    struct options_args *out, char *err, size_t errsize)
{
	char line[OPTIONS_LINE_MAX];
	enum { NONE, OTHER, OURS } where = NONE;
	unsigned lineno = 0;
	bool found = false;
	int n = 0;

	while (fgets(line, sizeof(line), f) != NULL) {
		const char *s = line, *e = line + strlen(line);

		lineno++;
		if (e > s && e[-1] == '\n')
			e--;
		else if (!feof(f)) {
			options_err(err, errsize, "%s line %u: longer than %d "
			    "bytes", name, lineno, OPTIONS_LINE_MAX - 2);
			return -1;
		}
		options_trim(&s, &e);
		if (s == e || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			where = options_header_is(s, e, section) ? OURS : OTHER;
			found = found || where == OURS;
			continue;
		}
		if (where == NONE) {
			options_err(err, errsize, "%s line %u: an option before "
			    "the first [section]", name, lineno);
			return -1;
		}
		if (where == OTHER)
			continue;
		if (options_line(out, s, e, name, lineno, err, errsize) < 0)
			return -1;
		n++;
	}
	if (ferror(f)) {
		options_err(err, errsize, "cannot read %s: %s", name,
		    strerror(errno));
		return -1;
	}
	if (!found || n == 0) {
		options_err(err, errsize, "%s has %s [%s]", name,
		    found ? "no options in section" : "no section", section);
		return -1;
	}
	return n;
}

const char *
options_default_file(bool *heap)
{
	const char *env = getenv("MP_CONFIG_FILE");
	const char *dirs;
	size_t i;

	*heap = false;
	if (env != NULL && env[0] != '\0')
		return env;
	dirs = getenv("NAGIOS_CONFIG_PATH");
	while (dirs != NULL && *dirs != '\0') {
		size_t len = strcspn(dirs, ":");

		for (i = 0; len > 0 && options_file_names[i] != NULL; i++) {
			size_t nlen = strlen(options_file_names[i]);
			char *path = malloc(len + nlen + 2);

			if (path == NULL)
				return NULL;
			memcpy(path, dirs, len);
			path[len] = '/';
			memcpy(path + len + 1, options_file_names[i], nlen + 1);
			if (access(path, F_OK) == 0) {
				*heap = true;
				return path;
			}
			free(path);
		}
		dirs += len;
		if (*dirs == ':')
			dirs++;
	}
	for (i = 0; options_file_paths[i] != NULL; i++)
		if (access(options_file_paths[i], F_OK) == 0)
			return options_file_paths[i];
	return NULL;
}

/* One --extra-opts value: [section][@file]. */
static int
options_locator(struct options_args *out, const char *loc,
    const char *section_default, char *err, size_t errsize)
{
	char section[256], what[300];
	const char *at = loc != NULL ? strchr(loc, '@') : NULL;
	size_t slen = loc == NULL ? 0 : at != NULL ? (size_t)(at - loc) :
	    strlen(loc);
	const char *file;
	bool heap = false;
	FILE *f;
	int r;

	(void)snprintf(what, sizeof(what), "%s%s%.256s%s", OPTIONS_ARG,
	    loc != NULL ? " '" : "", loc != NULL ? loc : "",
	    loc != NULL ? "'" : "");
	if (slen >= sizeof(section)) {
		options_err(err, errsize, "invalid %s: section name too long",
		    what);
		return -1;
	}
	if (slen > 0) {
		memcpy(section, loc, slen);
		section[slen] = '\0';
	} else
		(void)snprintf(section, sizeof(section), "%s",
		    section_default);
	if (at != NULL) {
		file = at + 1;
		if (*file == '\0') {
			options_err(err, errsize, "invalid %s: no file after "
			    "'@'", what);
			return -1;
		}
	} else {
		file = options_default_file(&heap);
		if (file == NULL) {
			options_err(err, errsize, "invalid %s: no "
			    "plugins.ini in any standard place (give "
			    "SECTION@FILE)", what);
			return -1;
		}
	}
	f = strcmp(file, "-") == 0 ? stdin : fopen(file, "r");
	if (f == NULL) {
		options_err(err, errsize, "invalid %s: cannot read %s: %s",
		    what, file, strerror(errno));
		r = -1;
	} else {
		char inner[512];

		r = options_ini_section(f, file, section, out, inner,
		    sizeof(inner));
		if (r < 0)
			options_err(err, errsize, "invalid %s: %s", what,
			    inner);
		if (f != stdin)
			fclose(f);
	}
	if (heap)
		free((char *)file);
	return r < 0 ? -1 : 0;
}

int
options_extra_expand(struct options_args *out, int argc, char **argv,
    const char *section_default, char *err, size_t errsize)
{
	size_t alen = strlen(OPTIONS_ARG);
	int i, rest = 1;
	bool any = false;

	memset(out, 0, sizeof(*out));
	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strncmp(argv[i], OPTIONS_ARG, alen) == 0 &&
		    (argv[i][alen] == '\0' || argv[i][alen] == '='))
			any = true;
	if (!any) {
		out->argc = argc;
		out->argv = argv;
		return 0;
	}
	out->expanded = true;
	if (options_reserve(out, (size_t)argc) < 0)
		goto oom;
	out->argv[out->argc++] = argv[0];
	out->argv[out->argc] = NULL;
	/* first the ini options, in the order of the --extra-opts */
	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		const char *loc;

		if (strncmp(argv[i], OPTIONS_ARG, alen) != 0)
			continue;
		if (argv[i][alen] == '=')
			loc = argv[i] + alen + 1;
		else if (argv[i][alen] != '\0')
			continue;
		else if (i + 1 < argc && argv[i + 1][0] != '-')
			loc = argv[++i];	/* --extra-opts LOCATOR */
		else
			loc = NULL;
		if (options_locator(out, loc, section_default, err,
		    errsize) < 0)
			return -1;
	}
	/* then the command line without them */
	for (i = 1; i < argc; i++) {
		if (rest && strcmp(argv[i], "--") == 0)
			rest = 0;
		if (rest && strncmp(argv[i], OPTIONS_ARG, alen) == 0) {
			if (argv[i][alen] == '=')
				continue;
			if (argv[i][alen] == '\0') {
				if (i + 1 < argc && argv[i + 1][0] != '-')
					i++;
				continue;
			}
		}
		if (options_push(out, argv[i], false) < 0)
			goto oom;
	}
	return 0;
oom:
	options_err(err, errsize, "out of memory");
	return -1;
}

void
options_args_release(struct options_args *a)
{
	size_t i;

	for (i = 0; i < a->nowned; i++)
		free(a->owned[i]);
	free(a->owned);
	if (a->cap > 0)
		free(a->argv);	/* else the caller's own */
	memset(a, 0, sizeof(*a));
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
	if (options_extra_expand(p->args, argc, argv, p->progname, err,
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
