#include <config.h>

#include "responder.h"
#include "net/loop.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define RESPONDER_NAMES 128

struct responder {
	int fd;
	const struct responder_rec *zone;
	size_t n;
	char server[32];
	const char *names[RESPONDER_NAMES];	/* distinct names asked */
	unsigned asked[RESPONDER_NAMES];
	size_t nnames;
};

static void
responder_bail(const char *why)
{
	printf("Bail out! responder: %s\n", why);
	exit(1);
}

/* name into wire labels at out; the length */
static size_t
responder_put_name(unsigned char *out, const char *name)
{
	size_t n = 0;

	while (*name != '\0') {
		size_t l = strcspn(name, ".");

		out[n++] = (unsigned char)l;
		memcpy(out + n, name, l);
		n += l;
		name += l;
		if (*name == '.')
			name++;
	}
	out[n++] = 0;
	return n;
}

/* The query name of a packet, dotted, into out; the offset after it. */
static size_t
responder_qname(const unsigned char *p, size_t n, char *out, size_t size)
{
	size_t at = 12, used = 0;

	while (at < n && p[at] != 0 && used + p[at] + 2 < size) {
		if (used)
			out[used++] = '.';
		memcpy(out + used, p + at + 1, p[at]);
		used += p[at];
		at += 1u + p[at];
	}
	out[used] = '\0';
	return at + 1;
}

static void
responder_count(struct responder *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nnames; i++)
		if (strcmp(r->names[i], name) == 0) {
			r->asked[i]++;
			return;
		}
	for (i = 0; i < r->n && r->nnames < RESPONDER_NAMES; i++)
		if (strcmp(r->zone[i].name, name) == 0) {
			r->names[r->nnames] = r->zone[i].name;
			r->asked[r->nnames++] = 1;
			return;
		}
}

/* The record's data in wire form into rd; its length. */
static size_t
responder_rdata(const struct responder_rec *z, unsigned char *rd)
{
	size_t len;

	switch (z->type) {
	case 1:
		inet_pton(AF_INET, z->data, rd);
		return 4;
	case 28:
		inet_pton(AF_INET6, z->data, rd);
		return 16;
	case 15:
		rd[0] = 0;
		rd[1] = (unsigned char)strtol(z->data, NULL, 10);
		return 2 + responder_put_name(rd + 2, strchr(z->data, ' ') + 1);
	case 12:
		return responder_put_name(rd, z->data);
	default:
		len = strlen(z->data);
		rd[0] = (unsigned char)len;
		memcpy(rd + 1, z->data, len);
		return len + 1;
	}
}

static void
responder_on_query(struct loop *l, int fd, int revents, void *arg)
{
	struct responder *r = arg;
	unsigned char p[1500], rd[300];
	struct sockaddr_storage from;
	socklen_t flen = sizeof(from);
	ssize_t got = recvfrom(fd, p, 512, 0, (void *)&from, &flen);
	char name[256];
	size_t n, i, ancount = 0;
	bool exists = false, servfail = false;
	int type;

	(void)l;
	(void)revents;
	if (got < 17)
		return;
	n = responder_qname(p, (size_t)got, name, sizeof(name));
	if (n + 4 > (size_t)got)
		return;
	type = p[n] << 8 | p[n + 1];
	n += 4;
	responder_count(r, name);
	p[2] = 0x81;		/* QR, RD */
	p[3] = 0x80;		/* RA, NOERROR */
	p[7] = p[9] = p[11] = 0;
	for (i = 0; i < r->n; i++) {
		const struct responder_rec *z = &r->zone[i];
		unsigned char rr[12] = { 0xc0, 12, 0, 0, 0, 1, 0, 0, 0, 60, 0, 0 };
		size_t len;

		if (strcmp(z->name, name) != 0)
			continue;
		if (z->type == 0 && strcmp(z->data, "-") == 0)
			return;		/* silence */
		exists = true;
		if (z->type != type)
			continue;
		if (z->data[0] == '\0') {
			servfail = true;
			break;
		}
		len = responder_rdata(z, rd);
		rr[3] = (unsigned char)type;
		rr[11] = (unsigned char)len;
		memcpy(p + n, rr, sizeof(rr));
		memcpy(p + n + sizeof(rr), rd, len);
		n += sizeof(rr) + len;
		ancount++;
	}
	if (servfail) {
		p[3] |= 2;
		ancount = 0;
		n = (size_t)got;
	} else if (!exists) {
		p[3] |= 3;	/* NXDOMAIN */
	}
	p[7] = (unsigned char)ancount;
	sendto(fd, p, n, 0, (void *)&from, flen);
}

struct responder *
responder_start(struct loop *l, const struct responder_rec *zone, size_t n,
    const char **server)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t slen = sizeof(sin);
	struct responder *r = calloc(1, sizeof(*r));

	if (r == NULL)
		responder_bail("out of memory");
	r->zone = zone;
	r->n = n;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	r->fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (r->fd < 0 || bind(r->fd, (void *)&sin, sizeof(sin)) < 0 ||
	    getsockname(r->fd, (void *)&sin, &slen) < 0)
		responder_bail("no loopback socket");
	snprintf(r->server, sizeof(r->server), "127.0.0.1:%u",
	    ntohs(sin.sin_port));
	if (loop_watch(l, r->fd, POLLIN, responder_on_query, r) < 0)
		responder_bail("cannot watch the socket");
	*server = r->server;
	return r;
}

unsigned
responder_asked(const struct responder *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nnames; i++)
		if (strcmp(r->names[i], name) == 0)
			return r->asked[i];
	return 0;
}

void
responder_stop(struct loop *l, struct responder *r)
{
	loop_unwatch(l, r->fd);
	close(r->fd);
	free(r);
}
