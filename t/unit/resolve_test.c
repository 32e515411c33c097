/*
 * resolve_test - net/resolve against a tiny responder on 127.0.0.1 that
 * this test runs on its own loop: one query per name and family however
 * often a name is added, literals never asked, -4/-6, IPv6 before IPv4,
 * ports and scopes on every address, NXDOMAIN and a silent name.
 */
#include <config.h>

#include "net/resolve.h"
#include "net/loop.h"
#include "tap.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void
bail(const char *why)
{
	printf("Bail out! %s\n", why);
	exit(1);
}

struct responder {
	int fd;
	unsigned asked[8];	/* per name below, A and AAAA together */
};

static const char *const names[] = {
	"two.test", "v4.test", "gone.test", "silent.test"
};

/* The query name of a packet, dotted, into out; offset after it. */
static size_t
qname(const unsigned char *p, size_t n, char *out, size_t size)
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
answer_rr(unsigned char *p, size_t *n, int type, const void *data,
    size_t len)
{
	unsigned char rr[12] = { 0xc0, 12, 0, (unsigned char)type, 0, 1,
		0, 0, 0, 60, 0, (unsigned char)len };

	memcpy(p + *n, rr, sizeof(rr));
	memcpy(p + *n + sizeof(rr), data, len);
	*n += sizeof(rr) + len;
}

static void
on_query(struct loop *l, int fd, int revents, void *arg)
{
	struct responder *rs = arg;
	unsigned char p[512];
	struct sockaddr_storage from;
	socklen_t flen = sizeof(from);
	ssize_t got = recvfrom(fd, p, sizeof(p) - 64, 0, (void *)&from, &flen);
	char name[256];
	size_t n, i, ancount = 0;
	int type;

	(void)l;
	(void)revents;
	if (got < 17)
		return;
	n = qname(p, (size_t)got, name, sizeof(name));
	if (n + 4 > (size_t)got)
		return;
	type = p[n] << 8 | p[n + 1];
	n += 4;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i]) == 0)
			rs->asked[i]++;
	if (strcmp(name, "silent.test") == 0)
		return;
	p[2] = 0x81;		/* QR, RD */
	p[3] = 0x80;		/* RA, NOERROR */
	p[7] = p[9] = p[11] = 0;	/* no answer, authority, additional */
	if (strcmp(name, "gone.test") == 0) {
		p[3] |= 3;	/* NXDOMAIN */
	} else if (type == 1) {
		static const unsigned char a1[4] = { 192, 0, 2, 1 };
		static const unsigned char a2[4] = { 10, 0, 0, 2 };

		answer_rr(p, &n, 1, a1, 4);
		answer_rr(p, &n, 1, a2, 4);
		ancount = 2;
	} else if (type == 28 && strcmp(name, "two.test") == 0) {
		unsigned char a6[16];

		inet_pton(AF_INET6, "2001:db8::25", a6);
		answer_rr(p, &n, 28, a6, 16);
		ancount = 1;
	}
	p[7] = (unsigned char)ancount;
	sendto(fd, p, n, 0, (void *)&from, flen);
}

static void
on_done(void *arg, struct resolve *r)
{
	(void)r;
	loop_stop(arg);
}

static void
run(int family, struct resolve_host *h, size_t nh, const char *const *add,
    unsigned *asked, unsigned long *queries, bool *timed_out)
{
	struct responder rs = { .fd = -1 };
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t slen = sizeof(sin);
	char server[64], err[128];
	const char *servers[1] = { server };
	struct dns_config cfg = { 0.3, 1, servers, 1 };
	struct loop *l = loop_new();
	struct dns *d = NULL;
	struct resolve *r = NULL;
	size_t i;

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	rs.fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (l == NULL || rs.fd < 0 || bind(rs.fd, (void *)&sin,
	    sizeof(sin)) < 0 || getsockname(rs.fd, (void *)&sin, &slen) < 0)
		bail("no loopback socket");
	snprintf(server, sizeof(server), "127.0.0.1:%u", ntohs(sin.sin_port));
	loop_watch(l, rs.fd, POLLIN, on_query, &rs);
	loop_set_deadline(l, 5);
	if (dns_new(&d, l, &cfg, err, sizeof(err)) < 0 ||
	    resolve_new(&r, d, family) < 0)
		bail(err);
	for (i = 0; i < nh; i++)
		ok(resolve_add(r, &h[i], add[i], 25 + (unsigned)i) == 0,
		    "add %s", add[i]);
	ok(resolve_start(r, on_done, l) == 0, "started");
	loop_run(l);
	*queries = resolve_queries(r);
	*timed_out = resolve_timed_out(r);
	memcpy(asked, rs.asked, sizeof(rs.asked));
	dns_free(d);
	resolve_free(r);
	loop_unwatch(l, rs.fd);
	close(rs.fd);
	loop_free(l);
}

int
main(void)
{
	static const char *const add[] = {
		"two.test", "192.0.2.9", "two.test", "gone.test", "v4.test",
		"2001:db8::7"
	};
	struct resolve_host h[6];
	unsigned asked[8];
	unsigned long queries;
	bool to;
	size_t i;

	run(AF_UNSPEC, h, 6, add, asked, &queries, &to);
	is_int(asked[0], 2, "two.test asked once per family");
	is_int(queries, 6, "six queries for three names");
	ok(!to, "nothing timed out");
	is_int(h[0].naddrs, 3, "two.test: three addresses");
	is_str(h[0].addrs[0].text, "2001:db8::25", "IPv6 first");
	is_str(h[0].addrs[1].text, "192.0.2.1", "then IPv4 in answer order");
	is_str(h[0].addrs[2].scope, "private-use", "scope of 10.0.0.2");
	is_int(ntohs(((struct sockaddr_in *)(void *)&h[0].addrs[1].ss)->
	    sin_port), 25, "port of the first add");
	ok(h[0].asked4 && h[0].asked6 && !h[0].pending4 && !h[0].pending6,
	    "both families asked and answered");
	is_int(h[2].naddrs, 3, "the second two.test shares the answers");
	is_int(ntohs(((struct sockaddr_in6 *)(void *)&h[2].addrs[0].ss)->
	    sin6_port), 27, "... with its own port");
	ok(h[1].literal && !h[1].asked4 && h[1].naddrs == 1,
	    "a literal is not asked");
	is_str(h[1].addrs[0].text, "192.0.2.9", "literal address");
	is_int(h[3].st4, DNS_NXDOMAIN, "gone.test A NXDOMAIN");
	is_int(h[3].naddrs, 0, "gone.test no address");
	is_int(h[4].st6, DNS_NODATA, "v4.test AAAA NODATA");
	is_int(h[4].naddrs, 2, "v4.test two addresses");
	for (i = 0; i < 6; i++)
		resolve_host_release(&h[i]);

	run(AF_INET, h, 6, add, asked, &queries, &to);
	is_int(queries, 3, "-4: A only");
	is_int(h[0].naddrs, 2, "-4: two.test IPv4 only");
	ok(!h[0].asked6, "-4: AAAA not asked");
	is_int(h[5].naddrs, 0, "-4: an IPv6 literal has no address");
	for (i = 0; i < 6; i++)
		resolve_host_release(&h[i]);

	{
		static const char *const one[] = { "silent.test" };

		run(AF_INET6, h, 1, one, asked, &queries, &to);
		ok(to, "a name that never answers is a timeout");
		ok(h[0].st6 == DNS_TIMEOUT || h[0].pending6,
		    "silent.test AAAA timed out");
		resolve_host_release(&h[0]);
	}
	return tap_done();
}
