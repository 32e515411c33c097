/*
 * lib/mail/sender without a network: -H literals and names, -S, the
 * family and --max-addresses rules, deduplication and origins, as the
 * result lists them before any lookup has answered.
 */
#include <config.h>

#include "mail/sender.h"
#include "tap.h"

#include <string.h>
#include <sys/socket.h>

struct host_case {
	const char *arg;
	int ok;			/* 0, or -1 with a reason */
	const char *why;
};

static const struct host_case hosts[] = {
	{ "203.0.113.2", 0, NULL },
	{ "::ffff:203.0.113.9", 0, NULL },
	{ "2001:db8::2", 0, NULL },
	{ "127.0.0.2", 0, NULL },	/* named: checked, the test point */
	{ "mail.example.test", 0, NULL },
	{ "MAIL.Example.TEST.", 0, NULL },	/* the same name */
	{ "0.0.0.0", -1, "unspecified" },
	{ "::", -1, "unspecified" },
	{ "a..b", -1, "" },
};

static const struct sender_params par_any = {
	.family = AF_UNSPEC, .max_addresses = 4, .spf = false,
};

int
main(void)
{
	const struct sender_result *res;
	struct sender_params par = par_any;
	struct sender *s;
	char err[200];
	size_t i;

	ok(sender_new(&s, NULL, &par) == 0, "new");
	for (i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++) {
		err[0] = '\0';
		is_int(sender_add_host(s, hosts[i].arg, err, sizeof(err)),
		    hosts[i].ok, "-H %s", hosts[i].arg);
		if (hosts[i].why != NULL)
			ok(err[0] != '\0' && strstr(err, hosts[i].why) != NULL,
			    "-H %s: says why (%s)", hosts[i].arg, err);
	}
	is_int(sender_add_domain(s, "user@Example.TEST", err, sizeof(err)), 0,
	    "-S an address: its domain");
	res = sender_result(s);
	is_int(res->ntargets, 6, "4 addresses, the host name, the domain");
	is_int(res->naddrs, 4, "addresses counted");
	is_str(res->targets[1].name, "203.0.113.9", "::ffff:a.b.c.d is IPv4");
	is_int(res->targets[1].family, AF_INET, "... of family AF_INET");
	is_str(res->targets[3].name, "127.0.0.2", "a named special address "
	    "is checked");
	is_str(res->targets[4].name, "mail.example.test", "the host name, "
	    "normalised, once");
	is_int(res->targets[4].kind, DNSBL_DOMAIN, "... on domain lists");
	is_str(res->targets[4].origin, "-H", "... from -H");
	is_str(res->targets[5].name, "example.test", "-S domain");
	is_str(res->targets[5].origin, "-S", "... from -S");
	is_int(res->nnotes, 0, "no lookup has answered: no notes");
	sender_free(s);

	/* -4: an IPv6 literal is skipped with a note; over the maximum */
	par.family = AF_INET;
	par.max_addresses = 1;
	sender_new(&s, NULL, &par);
	sender_add_host(s, "2001:db8::2", err, sizeof(err));
	sender_add_host(s, "203.0.113.2", err, sizeof(err));
	sender_add_host(s, "203.0.113.2", err, sizeof(err));
	sender_add_host(s, "203.0.113.3", err, sizeof(err));
	res = sender_result(s);
	is_int(res->ntargets, 1, "one address within --max-addresses 1");
	is_int(res->nnotes, 2, "two notes");
	is_int(res->notes[0].kind, SENDER_OTHER_FAMILY, "-4 skips IPv6");
	is_str(res->notes[0].what, "2001:db8::2", "... naming it");
	is_int(res->notes[1].kind, SENDER_OVER_MAX, "the second address is "
	    "over the maximum (a repeat is not)");
	is_str(res->notes[1].what, "203.0.113.3", "... naming it");
	is_int(res->skipped, 1, "counted as skipped");
	sender_free(s);

	/* the -H syntax check of the option parser */
	ok(sender_host_valid("203.0.113.2"), "-H an IPv4 literal");
	ok(sender_host_valid("2001:db8::2"), "-H an IPv6 literal");
	ok(sender_host_valid("mail.example.test"), "-H a host name");
	ok(!sender_host_valid("1.2.3"), "-H a dotted number is no name");
	ok(!sender_host_valid("a b"), "-H with a space");
	ok(!sender_host_valid("a..b"), "-H with an empty label");

	sender_new(&s, NULL, &par_any);
	is_int(sender_add_domain(s, "localhost", err, sizeof(err)), -1,
	    "-S one label");
	is_str(err, "not a domain", "... is not a domain");
	sender_free(s);
	return tap_done();
}
