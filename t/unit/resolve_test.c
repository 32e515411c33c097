/*
 * resolve_test - net/resolve against the unit tests' responder
 * (t/unit/responder) on the test's own loop: one query per name and family however
 * often a name is added, literals never asked, -4/-6, IPv6 before IPv4,
 * ports and scopes on every address, NXDOMAIN and a silent name.
 */
#include <config.h>

#include "net/resolve.h"
#include "net/loop.h"
#include "responder.h"
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

static const struct responder_rec zone[] = {
	{ "two.test", 1, "192.0.2.1" },
	{ "two.test", 1, "10.0.0.2" },
	{ "two.test", 28, "2001:db8::25" },
	{ "v4.test", 1, "192.0.2.1" },
	{ "v4.test", 1, "10.0.0.2" },
	{ "silent.test", 0, "-" },
};

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
	const char *servers[1];
	struct dns_config cfg = { 0.3, 1, servers, 1 };
	struct loop *l = loop_new();
	struct responder *rs;
	struct dns *d = NULL;
	struct resolve *r = NULL;
	char err[128] = "";
	size_t i;

	if (l == NULL)
		bail("no loop");
	rs = responder_start(l, zone, sizeof(zone) / sizeof(zone[0]),
	    &servers[0]);
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
	*asked = responder_asked(rs, "two.test");
	dns_free(d);
	resolve_free(r);
	responder_stop(l, rs);
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
	unsigned asked;
	unsigned long queries;
	bool to;
	size_t i;

	run(AF_UNSPEC, h, 6, add, &asked, &queries, &to);
	is_int(asked, 2, "two.test asked once per family");
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

	run(AF_INET, h, 6, add, &asked, &queries, &to);
	is_int(queries, 3, "-4: A only");
	is_int(h[0].naddrs, 2, "-4: two.test IPv4 only");
	ok(!h[0].asked6, "-4: AAAA not asked");
	is_int(h[5].naddrs, 0, "-4: an IPv6 literal has no address");
	for (i = 0; i < 6; i++)
		resolve_host_release(&h[i]);

	{
		static const char *const one[] = { "silent.test" };

		run(AF_INET6, h, 1, one, &asked, &queries, &to);
		ok(to, "a name that never answers is a timeout");
		ok(h[0].st6 == DNS_TIMEOUT || h[0].pending6,
		    "silent.test AAAA timed out");
		resolve_host_release(&h[0]);
	}
	return tap_done();
}
