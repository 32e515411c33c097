#include <config.h>

#include "mail/dnsbl_list.h"
#include "net/dns.h"
#include "core/state.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void
dnsbl_list_init(struct dnsbl_list *l)
{
	memset(l, 0, sizeof(*l));
}

void
dnsbl_list_release(struct dnsbl_list *l)
{
	free(l->specs);
	dnsbl_list_init(l);
}

static int
dnsbl_list_spec(struct dnsbl_list *l, const char *text, enum dnsbl_kind kind,
    const char *where, bool from_file, char *err, size_t errlen)
{
	struct dnsbl_spec *n;
	char why[200];
	size_t i;

	if (l->n >= DNSBL_LIST_MAX) {
		snprintf(err, errlen, "too many lists (at most %d)",
		    DNSBL_LIST_MAX);
		return -1;
	}
	if (l->n % 16 == 0) {
		n = realloc(l->specs, (l->n + 16) * sizeof(*n));
		if (n == NULL) {
			state_note_oom("list specs");
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		l->specs = n;
	}
	if (dnsbl_spec_parse(text, kind, &l->specs[l->n], why,
	    sizeof(why)) < 0) {
		size_t keep;

		if (!from_file) {
			snprintf(err, errlen, "invalid %s '%s': %s", where,
			    text, why);
			return -1;
		}
		/* from a file: only what kind of error it is, the text
		 * before any quote or colon, never the content */
		keep = strcspn(why, "':(");
		while (keep > 0 && why[keep - 1] == ' ')
			keep--;
		snprintf(err, errlen, "%s: invalid list (%.*s)", where,
		    (int)keep, why);
		return -1;
	}
	/* dnsbl_spec_parse() zeroes the whole spec, so memcmp is exact */
	for (i = 0; i < l->n; i++)
		if (memcmp(&l->specs[i], &l->specs[l->n],
		    sizeof(l->specs[i])) == 0)
			return 0;
	l->n++;
	return 0;
}

int
dnsbl_list_add(struct dnsbl_list *l, const char *text, enum dnsbl_kind kind,
    const char *where, char *err, size_t errlen)
{
	return dnsbl_list_spec(l, text, kind, where, false, err, errlen);
}

/* The next blank-separated word of *pos, NUL-terminated in place. */
static char *
dnsbl_list_word(char **pos)
{
	char *p = *pos, *w;

	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	if (*p == '\0')
		return NULL;
	w = p;
	while (*p != '\0' && *p != ' ' && *p != '\t' && *p != '\r' &&
	    *p != '\n')
		p++;
	if (*p != '\0')
		*p++ = '\0';
	*pos = p;
	return w;
}

int
dnsbl_list_read(struct dnsbl_list *l, const char *path, char *err,
    size_t errlen)
{
	char line[DNSBL_LIST_LINE_MAX], where[96];
	unsigned lineno = 0;
	struct stat st;
	FILE *f = NULL;
	int ret = -1, fd;

	/* O_NONBLOCK: a FIFO must not hang the run before it is refused */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "cannot read list file '%s': %s", path,
		    strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		snprintf(err, errlen, "list file '%s' is not a regular file",
		    path);
		return -1;
	}
	f = fdopen(fd, "r");
	if (f == NULL) {
		close(fd);
		snprintf(err, errlen, "cannot read list file '%s': %s", path,
		    strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		char *pos = line, *tok, *hash;
		enum dnsbl_kind kind;

		lineno++;
		if (strchr(line, '\n') == NULL && !feof(f)) {
			snprintf(err, errlen, "list file '%s' line %u: line "
			    "too long", path, lineno);
			goto out;
		}
		if ((hash = strchr(line, '#')) != NULL)
			*hash = '\0';
		tok = dnsbl_list_word(&pos);
		if (tok == NULL)
			continue;
		if (strcmp(tok, "ip") == 0) {
			kind = DNSBL_IP;
		} else if (strcmp(tok, "domain") == 0) {
			kind = DNSBL_DOMAIN;
		} else {
			snprintf(err, errlen, "list file '%s' line %u: "
			    "expected 'ip' or 'domain'", path, lineno);
			goto out;
		}
		snprintf(where, sizeof(where), "list file '%.60s' line %u",
		    path, lineno);
		while ((tok = dnsbl_list_word(&pos)) != NULL)
			if (dnsbl_list_spec(l, tok, kind, where, true, err,
			    errlen) < 0)
				goto out;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "cannot read list file '%s': %s", path,
		    strerror(errno));
		goto out;
	}
	ret = 0;
out:
	fclose(f);
	return ret;
}

int
dnsbl_list_dqs(struct dnsbl_list *l, const char *key, const char *suffix,
    char *err, size_t errlen)
{
	static const char spamhaus[] = ".spamhaus.org";
	char k[64], sfx[DNSBL_ZONE_MAX], why[128];
	size_t i, klen = strlen(key);
	int n = 0;

	/* a DNS label of letters and digits; the text is never echoed */
	if (klen == 0 || klen >= sizeof(k)) {
		snprintf(err, errlen, "invalid --dqs-key: expected 1 to %zu "
		    "letters and digits", sizeof(k) - 1);
		return -1;
	}
	for (i = 0; i < klen; i++) {
		if (!isalnum((unsigned char)key[i])) {
			snprintf(err, errlen, "invalid --dqs-key: expected "
			    "letters and digits only");
			return -1;
		}
		k[i] = (char)tolower((unsigned char)key[i]);
	}
	k[klen] = '\0';
	if (dns_name_normalize(suffix, sfx, sizeof(sfx), why,
	    sizeof(why)) < 0 || strchr(sfx, '.') == NULL) {
		snprintf(err, errlen, "invalid --dqs-suffix '%s': %s", suffix,
		    strchr(sfx, '.') == NULL ? "not a domain" : why);
		return -1;
	}
	for (i = 0; i < l->n; i++) {
		struct dnsbl_spec *s = &l->specs[i];
		size_t zl = strlen(s->zone), label;
		int w;

		if (zl <= sizeof(spamhaus) - 1 || strcmp(s->zone + zl -
		    (sizeof(spamhaus) - 1), spamhaus) != 0)
			continue;
		label = zl - (sizeof(spamhaus) - 1);
		if (memchr(s->zone, '.', label) != NULL)
			continue;	/* X.spamhaus.org, X one label */
		w = snprintf(s->qzone, sizeof(s->qzone), "%s.%.*s.%s", k,
		    (int)label, s->zone, sfx);
		if (w < 0 || (size_t)w >= sizeof(s->qzone) || w > 253) {
			s->qzone[0] = '\0';
			snprintf(err, errlen, "invalid --dqs-suffix '%s': the "
			    "DQS zone of %s is too long", suffix, s->zone);
			return -1;
		}
		s->keylen = klen;
		n++;
	}
	return n;
}
