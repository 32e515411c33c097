#include <config.h>

#include "core/extraopts.h"
#include "core/text.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <unistd.h>

#define EXTRAOPTS_ARG "--extra-opts"

/* The names monitoring-plugins looks for, in its order. */
static const char *const extraopts_file_names[] = {
	"monitoring-plugins.ini", "plugins.ini", "nagios-plugins.ini", NULL
};
static const char *const extraopts_file_paths[] = {
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

static void extraopts_err(char *err, size_t errsize, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
extraopts_err(char *err, size_t errsize, const char *fmt, ...)
{
	va_list ap;

	if (errsize == 0)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(err, errsize, fmt, ap);
	va_end(ap);
}

static int
extraopts_reserve(struct extraopts_args *a, size_t extra)
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
extraopts_push(struct extraopts_args *a, char *s, bool owned)
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
	if (extraopts_reserve(a, 1) < 0)
		return -1;
	a->argv[a->argc++] = s;
	a->argv[a->argc] = NULL;
	return 0;
}

static char *
extraopts_strndup(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d != NULL) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

static bool
extraopts_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static void
extraopts_trim(const char **s, const char **e)
{
	while (*s < *e && extraopts_blank(**s))
		(*s)++;
	while (*e > *s && extraopts_blank((*e)[-1]))
		(*e)--;
}

/*
 * One option line "key[ = value]" of the section: --key=value, --key for
 * an empty value, "-k" "value" for a one-letter key (monitoring-plugins
 * writes "-k=value", which getopt reads as the value "=value").
 */
static int
extraopts_line(struct extraopts_args *out, const char *line, const char *end,
    const char *name, unsigned lineno, char *err, size_t errsize)
{
	const char *eq = memchr(line, '=', (size_t)(end - line));
	const char *k = line, *ke = eq != NULL ? eq : end;
	const char *v = eq != NULL ? eq + 1 : end, *ve = end;
	size_t klen, vlen, i;
	char *arg;

	extraopts_trim(&k, &ke);
	extraopts_trim(&v, &ve);
	klen = (size_t)(ke - k);
	vlen = (size_t)(ve - v);
	if (eq == NULL) {
		extraopts_err(err, errsize, "%s line %u: expected OPTION = VALUE "
		    "or OPTION =", name, lineno);
		return -1;
	}
	for (i = 0; i < klen; i++)
		if (!((k[i] >= 'a' && k[i] <= 'z') ||
		    (k[i] >= 'A' && k[i] <= 'Z') ||
		    (k[i] >= '0' && k[i] <= '9') || (k[i] == '-' && i > 0)))
			break;
	if (klen == 0 || i < klen) {
		extraopts_err(err, errsize, "%s line %u: '%.*s' is not an "
		    "option name", name, lineno, (int)(klen > 60 ? 60 : klen),
		    k);
		return -1;
	}
	if (klen == strlen("extra-opts") && memcmp(k, "extra-opts", klen) == 0) {
		extraopts_err(err, errsize, "%s line %u: extra-opts cannot be "
		    "nested", name, lineno);
		return -1;
	}
	if (out->nextra >= EXTRAOPTS_MAX) {
		extraopts_err(err, errsize, "%s: more than %d options", name,
		    EXTRAOPTS_MAX);
		return -1;
	}
	arg = malloc(klen + vlen + 4);
	if (arg == NULL)
		goto oom;
	if (klen == 1) {
		arg[0] = '-';
		arg[1] = k[0];
		arg[2] = '\0';
		if (extraopts_push(out, arg, true) < 0)
			goto oom;
		if (vlen > 0) {
			char *val = extraopts_strndup(v, vlen);

			if (val == NULL || extraopts_push(out, val, true) < 0)
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
		if (extraopts_push(out, arg, true) < 0)
			goto oom;
	}
	out->nextra++;
	return 0;
oom:
	extraopts_err(err, errsize, "out of memory");
	return -1;
}

/* "[ name ]" is the section name when it matches, ignoring blanks. */
static bool
extraopts_header_is(const char *line, const char *end, const char *section)
{
	const char *s = line + 1, *e;

	e = memchr(s, ']', (size_t)(end - s));
	if (e == NULL)
		return false;
	extraopts_trim(&s, &e);
	return (size_t)(e - s) == strlen(section) &&
	    memcmp(s, section, (size_t)(e - s)) == 0;
}

int
extraopts_ini_section(FILE *f, const char *name, const char *section,
    struct extraopts_args *out, char *err, size_t errsize)
{
	char line[EXTRAOPTS_LINE_MAX];
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
			extraopts_err(err, errsize, "%s line %u: longer than %d "
			    "bytes", name, lineno, EXTRAOPTS_LINE_MAX - 2);
			return -1;
		}
		extraopts_trim(&s, &e);
		if (s == e || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			where = extraopts_header_is(s, e, section) ? OURS : OTHER;
			found = found || where == OURS;
			continue;
		}
		if (where == NONE) {
			extraopts_err(err, errsize, "%s line %u: an option before "
			    "the first [section]", name, lineno);
			return -1;
		}
		if (where == OTHER)
			continue;
		if (extraopts_line(out, s, e, name, lineno, err, errsize) < 0)
			return -1;
		n++;
	}
	if (ferror(f)) {
		extraopts_err(err, errsize, "cannot read %s: %s", name,
		    strerror(errno));
		return -1;
	}
	if (!found || n == 0) {
		extraopts_err(err, errsize, "%s has %s [%s]", name,
		    found ? "no options in section" : "no section", section);
		return -1;
	}
	return n;
}

const char *
extraopts_default_file(bool *heap)
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

		for (i = 0; len > 0 && extraopts_file_names[i] != NULL; i++) {
			size_t nlen = strlen(extraopts_file_names[i]);
			char *path = malloc(len + nlen + 2);

			if (path == NULL)
				return NULL;
			memcpy(path, dirs, len);
			path[len] = '/';
			memcpy(path + len + 1, extraopts_file_names[i], nlen + 1);
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
	for (i = 0; extraopts_file_paths[i] != NULL; i++)
		if (access(extraopts_file_paths[i], F_OK) == 0)
			return extraopts_file_paths[i];
	return NULL;
}

/* One --extra-opts value: [section][@file]. */
static int
extraopts_locator(struct extraopts_args *out, const char *loc,
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

	(void)snprintf(what, sizeof(what), "%s%s%.256s%s", EXTRAOPTS_ARG,
	    loc != NULL ? " '" : "", loc != NULL ? loc : "",
	    loc != NULL ? "'" : "");
	if (slen >= sizeof(section)) {
		extraopts_err(err, errsize, "invalid %s: section name too long",
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
			extraopts_err(err, errsize, "invalid %s: no file after "
			    "'@'", what);
			return -1;
		}
	} else {
		file = extraopts_default_file(&heap);
		if (file == NULL) {
			extraopts_err(err, errsize, "invalid %s: no "
			    "plugins.ini in any standard place (give "
			    "SECTION@FILE)", what);
			return -1;
		}
	}
	f = strcmp(file, "-") == 0 ? stdin : fopen(file, "r");
	if (f == NULL) {
		extraopts_err(err, errsize, "invalid %s: cannot read %s: %s",
		    what, file, strerror(errno));
		r = -1;
	} else {
		char inner[512];

		r = extraopts_ini_section(f, file, section, out, inner,
		    sizeof(inner));
		if (r < 0)
			extraopts_err(err, errsize, "invalid %s: %s", what,
			    inner);
		if (f != stdin)
			fclose(f);
	}
	if (heap)
		free((char *)file);
	return r < 0 ? -1 : 0;
}

int
extraopts_expand(struct extraopts_args *out, int argc, char **argv,
    const char *section_default, char *err, size_t errsize)
{
	size_t alen = strlen(EXTRAOPTS_ARG);
	int i, rest = 1;
	bool any = false;

	memset(out, 0, sizeof(*out));
	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strncmp(argv[i], EXTRAOPTS_ARG, alen) == 0 &&
		    (argv[i][alen] == '\0' || argv[i][alen] == '='))
			any = true;
	if (!any) {
		out->argc = argc;
		out->argv = argv;
		return 0;
	}
	out->expanded = true;
	if (extraopts_reserve(out, (size_t)argc) < 0)
		goto oom;
	out->argv[out->argc++] = argv[0];
	out->argv[out->argc] = NULL;
	/* first the ini options, in the order of the --extra-opts */
	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		const char *loc;

		if (strncmp(argv[i], EXTRAOPTS_ARG, alen) != 0)
			continue;
		if (argv[i][alen] == '=')
			loc = argv[i] + alen + 1;
		else if (argv[i][alen] != '\0')
			continue;
		else if (i + 1 < argc && argv[i + 1][0] != '-')
			loc = argv[++i];	/* --extra-opts LOCATOR */
		else
			loc = NULL;
		if (extraopts_locator(out, loc, section_default, err,
		    errsize) < 0)
			return -1;
	}
	/* then the command line without them */
	for (i = 1; i < argc; i++) {
		if (rest && strcmp(argv[i], "--") == 0)
			rest = 0;
		if (rest && strncmp(argv[i], EXTRAOPTS_ARG, alen) == 0) {
			if (argv[i][alen] == '=')
				continue;
			if (argv[i][alen] == '\0') {
				if (i + 1 < argc && argv[i + 1][0] != '-')
					i++;
				continue;
			}
		}
		if (extraopts_push(out, argv[i], false) < 0)
			goto oom;
	}
	return 0;
oom:
	extraopts_err(err, errsize, "out of memory");
	return -1;
}

void
extraopts_release(struct extraopts_args *a)
{
	size_t i;

	for (i = 0; i < a->nowned; i++)
		free(a->owned[i]);
	free(a->owned);
	if (a->cap > 0)
		free(a->argv);	/* else the caller's own */
	memset(a, 0, sizeof(*a));
}

