#include <config.h>

#include "mail/trap.h"
#include "core/text.h"

#include <stdio.h>
#include <string.h>

static int
trap_lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

/*
 * Broadcom/Symantec Email Security.cloud (MessageLabs) publishes
 * clusterNa.REGION.messagelabs.com beside the real clusterN hosts; its
 * documentation says legitimate senders never connect to the "a" host and
 * that it must rank below (higher preference number than) clusterN.
 */
static bool
trap_messagelabs(const char *h)
{
	static const char suffix[] = ".messagelabs.com";
	size_t len = strlen(h), sl = sizeof(suffix) - 1;
	const char *p = h, *region, *end;

	if (text_ncasecmp(p, "cluster", 7) != 0)
		return false;
	p += 7;
	if (*p < '0' || *p > '9')
		return false;
	while (*p >= '0' && *p <= '9')
		p++;
	if (trap_lower(*p) != 'a' || p[1] != '.')
		return false;
	region = p + 2;
	if (len < sl || text_casecmp(h + len - sl, suffix) != 0)
		return false;
	end = h + len - sl;
	if (end <= region)
		return false;
	for (p = region; p < end; p++)
		if (*p == '.')
			return false;	/* exactly one region label */
	return true;
}

static const struct trap_rule trap_builtin_rules[] = {
	{ "cluster<N>a.<region>.messagelabs.com",
	    "Broadcom Email Security.cloud (MessageLabs)",
	    "spam-trap host beside the real cluster<N>; must never be the "
	    "lowest preference", trap_messagelabs },
};

const struct trap_rule *
trap_builtin(size_t *n)
{
	*n = sizeof(trap_builtin_rules) / sizeof(trap_builtin_rules[0]);
	return trap_builtin_rules;
}

void
trap_set_init(struct trap_set *t)
{
	memset(t, 0, sizeof(*t));
}

int
trap_glob_check(const char *glob, char *err, size_t errlen)
{
	size_t len = strlen(glob), i;

	if (len > 0 && glob[len - 1] == '.')
		len--;
	if (len == 0) {
		snprintf(err, errlen, "empty pattern");
		return -1;
	}
	if (len > 253) {
		snprintf(err, errlen, "pattern longer than 253 octets");
		return -1;
	}
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)glob[i];

		if (c == '.' && (i == 0 || glob[i - 1] == '.')) {
			snprintf(err, errlen, "empty label in pattern");
			return -1;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    c == '.' || c == '*' || c == '?')) {
			char what[8];

			if (c > 0x20 && c < 0x7f)
				snprintf(what, sizeof(what), "'%c'", c);
			else
				snprintf(what, sizeof(what), "0x%02x", c);
			snprintf(err, errlen, "character %s impossible in a "
			    "host name (patterns use A-labels, '*' and '?')",
			    what);
			return -1;
		}
	}
	return 0;
}

bool
trap_glob_match(const char *glob, const char *host)
{
	const char *g = glob, *h = host, *star = NULL, *mark = NULL;
	size_t gl = strlen(glob), hl = strlen(host);
	const char *gend, *hend;

	/* one final dot on either side means the same name */
	if (gl > 0 && glob[gl - 1] == '.')
		gl--;
	if (hl > 0 && host[hl - 1] == '.')
		hl--;
	gend = glob + gl;
	hend = host + hl;
	while (h < hend) {
		if (g < gend && *g == '*') {
			star = g++;
			mark = h;
		} else if (g < gend && (*g == '?' ||
		    trap_lower((unsigned char)*g) == trap_lower((unsigned char)*h))) {
			g++;
			h++;
		} else if (star != NULL) {
			g = star + 1;
			h = ++mark;
		} else {
			return false;
		}
	}
	while (g < gend && *g == '*')
		g++;
	return g == gend;
}

int
trap_set_add(struct trap_set *t, const char *glob, char *err, size_t errlen)
{
	if (trap_glob_check(glob, err, errlen) < 0)
		return -1;
	if (t->n >= TRAP_MAX_GLOBS) {
		snprintf(err, errlen, "too many patterns (at most %d)",
		    TRAP_MAX_GLOBS);
		return -1;
	}
	t->globs[t->n] = glob;
	snprintf(t->labels[t->n], sizeof(t->labels[t->n]), "--trap %s", glob);
	t->n++;
	return 0;
}

const char *
trap_match(const struct trap_set *t, const char *host)
{
	size_t i, nb;
	const struct trap_rule *b;

	if (host == NULL || host[0] == '\0')
		return NULL;
	if (t != NULL)
		for (i = 0; i < t->n; i++)
			if (trap_glob_match(t->globs[i], host))
				return t->labels[i];
	if (t != NULL && t->no_builtin)
		return NULL;
	b = trap_builtin(&nb);
	for (i = 0; i < nb; i++)
		if (b[i].match(host))
			return b[i].provider;
	return NULL;
}

