/*
 * lib/spf: record detection, term parsing (qualifiers, domain-specs,
 * dual CIDR lengths, ip4/ip6 networks, modifiers, macros) and which terms
 * count against the RFC 7208 §4.6.4 lookup limit.
 */
#include <config.h>

#include "mail/spf.h"
#include "tap.h"

#include <stdlib.h>
#include <sys/socket.h>

struct detect_case {
	const char *text;
	int is;
};

static const struct detect_case detects[] = {
	{ "v=spf1 -all", 1 }, { "v=spf1", 1 }, { "V=SPF1 a", 1 },
	{ "v=spf10 a", 0 }, { "v=spf1a", 0 }, { "spf1", 0 },
	{ "google-site-verification=x", 0 }, { "", 0 },
};

struct term_case {
	const char *record;
	int ok;			/* 0 parsed, -1 permerror */
	size_t n;		/* terms */
	enum spf_mech mech;	/* of the first term */
	char qualifier;
	const char *domain;	/* of the first term */
	int prefix_or_cidr4, cidr6;
	int unexpandable;
};

static const struct term_case terms[] = {
	{ "v=spf1 ip4:203.0.113.7 -all", 0, 2, SPF_IP4, '+', "", 32, 0, 0 },
	{ "v=spf1 ip4:198.51.100.0/24", 0, 1, SPF_IP4, '+', "", 24, 0, 0 },
	{ "v=spf1 ip6:2001:db8::/32", 0, 1, SPF_IP6, '+', "", 32, 0, 0 },
	{ "v=spf1 -ip6:2001:db8::7", 0, 1, SPF_IP6, '-', "", 128, 0, 0 },
	{ "v=spf1 a", 0, 1, SPF_A, '+', "", 32, 128, 0 },
	{ "v=spf1 ~a:mail.example.test/24//64", 0, 1, SPF_A, '~',
	    "mail.example.test", 24, 64, 0 },
	{ "v=spf1 mx//64", 0, 1, SPF_MX, '+', "", 32, 64, 0 },
	{ "v=spf1 ?mx:example.test", 0, 1, SPF_MX, '?', "example.test", 32,
	    128, 0 },
	{ "v=spf1 include:_spf.example.test", 0, 1, SPF_INCLUDE, '+',
	    "_spf.example.test", 32, 128, 0 },
	{ "v=spf1 redirect=ip.spf.test", 0, 1, SPF_REDIRECT, '+',
	    "ip.spf.test", 32, 128, 0 },
	{ "v=spf1 exp=explain.test", 0, 1, SPF_EXP, '+', "", 32, 128, 0 },
	{ "v=spf1 foo=bar -all", 0, 2, SPF_OTHER_MOD, '+', "", 32, 128, 0 },
	{ "v=spf1 ptr", 0, 1, SPF_PTR, '+', "", 32, 128, 0 },
	{ "v=spf1 exists:%{i}.x.test", 0, 1, SPF_EXISTS, '+',
	    "%{i}.x.test", 32, 128, 1 },
	{ "v=spf1 include:%{d}.x.test", 0, 1, SPF_INCLUDE, '+',
	    "dom.test.x.test", 32, 128, 0 },
	{ "v=spf1 a:%{o}", 0, 1, SPF_A, '+', "sender.test", 32, 128, 0 },
	{ "v=spf1 a:%{l}.x.test", 0, 1, SPF_A, '+', "%{l}.x.test", 32, 128,
	    1 },
	{ "v=spf1   ip4:203.0.113.7   ", 0, 1, SPF_IP4, '+', "", 32, 0, 0 },
	/* permerrors */
	{ "v=spf1 ip4:203.0.113.7/33", -1, 0, SPF_ALL, 0, NULL, 0, 0, 0 },
	{ "v=spf1 ip4:2001:db8::1", -1, 0, SPF_ALL, 0, NULL, 0, 0, 0 },
	{ "v=spf1 ip6:2001:db8::/129", -1, 0, SPF_ALL, 0, NULL, 0, 0, 0 },
	{ "v=spf1 include", -1, 0, SPF_ALL, 0, NULL, 0, 0, 0 },
	{ "v=spf1 include:", -1, 0, SPF_ALL, 0, NULL, 0, 0, 0 },
	{ "v=spf1 a/33", -1, 0, SPF_ALL, 0, NULL, 0, 0, 0 },
	{ "v=spf1 a//", -1, 0, SPF_ALL, 0, NULL, 0, 0, 0 },
	{ "v=spf1 allx", -1, 0, SPF_ALL, 0, NULL, 0, 0, 0 },
	{ "v=spf1 -all:x", -1, 0, SPF_ALL, 0, NULL, 0, 0, 0 },
	{ "v=spf1 bogus", -1, 0, SPF_ALL, 0, NULL, 0, 0, 0 },
	{ "v=spf1 a:%x", -1, 0, SPF_ALL, 0, NULL, 0, 0, 0 },
	{ "v=spf1 a:%{", -1, 0, SPF_ALL, 0, NULL, 0, 0, 0 },
	{ "v=spf1 redirect=a.test redirect=b.test", -1, 0, SPF_ALL, 0, NULL,
	    0, 0, 0 },
	{ "not spf", -1, 0, SPF_ALL, 0, NULL, 0, 0, 0 },
};

int
main(void)
{
	struct spf_record *rec = malloc(sizeof(*rec));
	char err[160], big[2048];
	size_t i, len;

	if (rec == NULL)
		return 1;
	for (i = 0; i < sizeof(detects) / sizeof(detects[0]); i++)
		is_int(spf_is_record(detects[i].text, strlen(detects[i].text)),
		    detects[i].is, "'%s' %s an SPF record", detects[i].text,
		    detects[i].is ? "is" : "is not");

	for (i = 0; i < sizeof(terms) / sizeof(terms[0]); i++) {
		const struct term_case *c = &terms[i];
		const struct spf_term *t = &rec->terms[0];
		int r = spf_parse(c->record, strlen(c->record), "dom.test",
		    "sender.test", rec, err, sizeof(err));

		is_int(r, c->ok, "'%s' %s", c->record,
		    c->ok ? "is a permerror" : "parses");
		if (r != 0 || c->ok != 0)
			continue;
		is_int(rec->n, c->n, "'%s': terms", c->record);
		is_int(t->mech, c->mech, "'%s': mechanism", c->record);
		is_int(t->qualifier, c->qualifier, "'%s': qualifier",
		    c->record);
		is_str(t->domain, c->domain, "'%s': domain", c->record);
		is_int(t->unexpandable, c->unexpandable, "'%s': %s",
		    c->record, c->unexpandable ? "not enumerable" :
		    "enumerable");
		if (c->mech == SPF_IP4 || c->mech == SPF_IP6)
			is_int(t->prefix, c->prefix_or_cidr4, "'%s': prefix",
			    c->record);
		if (c->mech == SPF_A || c->mech == SPF_MX) {
			is_int(t->cidr4, c->prefix_or_cidr4, "'%s': ip4 cidr",
			    c->record);
			is_int(t->cidr6, c->cidr6, "'%s': ip6 cidr",
			    c->record);
		}
	}
	spf_parse("v=spf1 a -all", 13, "d.test", "d.test", rec, err,
	    sizeof(err));
	ok(rec->has_all, "a record with all");
	spf_parse("v=spf1 redirect=x.test", 22, "d.test", "d.test", rec, err,
	    sizeof(err));
	ok(!rec->has_all, "a record without all");

	/* RFC 7208 §4.6.4: which terms cost a DNS lookup */
	ok(spf_term_queries(SPF_INCLUDE) && spf_term_queries(SPF_A) &&
	    spf_term_queries(SPF_MX) && spf_term_queries(SPF_PTR) &&
	    spf_term_queries(SPF_EXISTS) && spf_term_queries(SPF_REDIRECT),
	    "include a mx ptr exists redirect count as lookups");
	ok(!spf_term_queries(SPF_IP4) && !spf_term_queries(SPF_IP6) &&
	    !spf_term_queries(SPF_ALL) && !spf_term_queries(SPF_EXP),
	    "ip4 ip6 all exp are free");

	/* a hostile record: more terms than the parser keeps */
	len = (size_t)snprintf(big, sizeof(big), "v=spf1");
	for (i = 0; i < SPF_MAX_TERMS + 1 && len + 8 < sizeof(big); i++)
		len += (size_t)snprintf(big + len, sizeof(big) - len, " a");
	is_int(spf_parse(big, len, "d.test", "d.test", rec, err, sizeof(err)),
	    -1, "more than %d terms is refused", SPF_MAX_TERMS);
	ok(spf_parse("v=spf1 a\0b", 10, "d.test", "d.test", rec, err,
	    sizeof(err)) < 0, "a NUL inside a record is refused");
	free(rec);
	return tap_done();
}
