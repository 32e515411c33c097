#include <config.h>

#include "mail/dnsbl_cache.h"
#include "mail/dnsbl_verdict.h"
#include "core/state.h"
#include "core/text.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DNSBL_CACHE_BYTES (1 << 20)	/* a bigger file is not ours */

struct dnsbl_cache_entry {
	char name[DNSBL_NAME_MAX];
	long when;
	enum dns_status status;
	uint32_t codes[DNSBL_MAX_CODES];
	size_t ncodes;
};

struct dnsbl_cache {
	int dirfd;
	long now;
	struct dnsbl_cache_entry *e;
	size_t n;
	bool dirty;
};

/* Ours and writable by no one else: nobody can plant answers. */
static bool
dnsbl_cache_safe(const struct stat *st)
{
	return st->st_uid == geteuid() && (st->st_mode & 022) == 0;
}

/* One line: NAME WHEN STATUS CODE...; false when malformed. */
static bool
dnsbl_cache_line(struct dnsbl_cache *c, char *line)
{
	struct dnsbl_cache_entry *e = &c->e[c->n];
	char *tok[3 + DNSBL_MAX_CODES], *save = line, *p;
	size_t n = 0, i;
	long v;

	while (n < sizeof(tok) / sizeof(tok[0]) &&
	    (p = strsep(&save, " ")) != NULL)
		if (*p != '\0')
			tok[n++] = p;
	if (n < 3 || save != NULL || strlen(tok[0]) >= sizeof(e->name) ||
	    strspn(tok[0], "abcdefghijklmnopqrstuvwxyz0123456789.-_<>") !=
	    strlen(tok[0]))
		return false;
	memset(e, 0, sizeof(*e));
	memcpy(e->name, tok[0], strlen(tok[0]) + 1);
	if (text_parse_long(tok[1], 0, 1L << 40, &e->when) < 0 ||
	    text_parse_long(tok[2], DNS_OK, DNS_NXDOMAIN, &v) < 0)
		return false;
	e->status = (enum dns_status)v;
	for (i = 3; i < n; i++) {
		struct in_addr a;

		if (inet_pton(AF_INET, tok[i], &a) != 1)
			return false;
		e->codes[e->ncodes++] = ntohl(a.s_addr);
	}
	/* only fresh entries, and never one from the future */
	if (e->when <= c->now && c->now - e->when < DNSBL_CACHE_LIFETIME)
		c->n++;
	return true;
}

static void
dnsbl_cache_read(struct dnsbl_cache *c)
{
	char line[DNSBL_NAME_MAX + 64 + 16 * DNSBL_MAX_CODES];
	struct stat st;
	FILE *f;
	int fd;

	fd = openat(c->dirfd, DNSBL_CACHE_FILE, O_RDONLY | O_NOFOLLOW |
	    O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return;		/* none yet */
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    !dnsbl_cache_safe(&st) || st.st_size > DNSBL_CACHE_BYTES ||
	    (f = fdopen(fd, "r")) == NULL) {
		close(fd);
		return;
	}
	while (c->n < DNSBL_CACHE_MAX && fgets(line, sizeof(line), f) !=
	    NULL) {
		char *nl = strchr(line, '\n');

		if (nl == NULL || (*nl = '\0', !dnsbl_cache_line(c, line))) {
			c->n = 0;	/* a bad cache is no cache */
			break;
		}
	}
	fclose(f);
}

int
dnsbl_cache_open(struct dnsbl_cache **out, const char *dir, long now,
    char *why, size_t whylen)
{
	struct dnsbl_cache *c;
	struct stat st;

	*out = NULL;
	c = calloc(1, sizeof(*c));
	if (c == NULL || (c->e = calloc(DNSBL_CACHE_MAX,
	    sizeof(*c->e))) == NULL) {
		free(c);
		state_note_oom("test point cache");
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	c->now = now;
	c->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (c->dirfd < 0 || fstat(c->dirfd, &st) < 0 ||
	    !dnsbl_cache_safe(&st)) {
		snprintf(why, whylen, "%s", c->dirfd < 0 ? strerror(errno) :
		    "not a directory of ours that only we can write");
		dnsbl_cache_free(c);
		return -1;
	}
	dnsbl_cache_read(c);
	*out = c;
	return 0;
}

void
dnsbl_cache_free(struct dnsbl_cache *c)
{
	if (c == NULL)
		return;
	if (c->dirfd >= 0)
		close(c->dirfd);
	free(c->e);
	free(c);
}

static struct dnsbl_cache_entry *
dnsbl_cache_find(const struct dnsbl_cache *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (strcmp(c->e[i].name, name) == 0)
			return &c->e[i];
	return NULL;
}

bool
dnsbl_cache_get(const struct dnsbl_cache *c, const char *name,
    enum dns_status *status, uint32_t *codes, size_t *ncodes)
{
	const struct dnsbl_cache_entry *e = dnsbl_cache_find(c, name);

	if (e == NULL)
		return false;
	*status = e->status;
	memcpy(codes, e->codes, e->ncodes * sizeof(codes[0]));
	*ncodes = e->ncodes;
	return true;
}

void
dnsbl_cache_put(struct dnsbl_cache *c, const char *name,
    enum dns_status status, const uint32_t *codes, size_t ncodes)
{
	struct dnsbl_cache_entry *e = dnsbl_cache_find(c, name);

	if (status != DNS_OK && status != DNS_NODATA &&
	    status != DNS_NXDOMAIN)
		return;		/* only what the list said */
	if (e == NULL) {
		if (c->n >= DNSBL_CACHE_MAX ||
		    strlen(name) >= sizeof(e->name))
			return;
		e = &c->e[c->n++];
	}
	memset(e, 0, sizeof(*e));
	memcpy(e->name, name, strlen(name) + 1);
	e->when = c->now;
	e->status = status;
	e->ncodes = ncodes < DNSBL_MAX_CODES ? ncodes : DNSBL_MAX_CODES;
	if (e->ncodes > 0)
		memcpy(e->codes, codes, e->ncodes * sizeof(codes[0]));
	c->dirty = true;
}

int
dnsbl_cache_save(struct dnsbl_cache *c, char *why, size_t whylen)
{
	char tmp[64], code[16];
	size_t i, k;
	FILE *f;
	int fd;

	if (!c->dirty)
		return 0;
	/* a new file of our own, then one rename(): readers see the old
	 * file or the new one, never half of one */
	snprintf(tmp, sizeof(tmp), ".%s.%ld", DNSBL_CACHE_FILE,
	    (long)getpid());
	fd = openat(c->dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	if (fd < 0 || (f = fdopen(fd, "w")) == NULL) {
		snprintf(why, whylen, "%s", strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlinkat(c->dirfd, tmp, 0);
		}
		return -1;
	}
	for (i = 0; i < c->n; i++) {
		fprintf(f, "%s %ld %d", c->e[i].name, c->e[i].when,
		    (int)c->e[i].status);
		for (k = 0; k < c->e[i].ncodes; k++) {
			dnsbl_verdict_code_text(c->e[i].codes[k], code,
			    sizeof(code));
			fprintf(f, " %s", code);
		}
		fputc('\n', f);
	}
	if (fclose(f) != 0 || renameat(c->dirfd, tmp, c->dirfd,
	    DNSBL_CACHE_FILE) < 0) {
		snprintf(why, whylen, "%s", strerror(errno));
		unlinkat(c->dirfd, tmp, 0);
		return -1;
	}
	c->dirty = false;
	return 0;
}
