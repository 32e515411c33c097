/*
 * mail/sts: the _mta-sts TXT record (RFC 8461 §3.1), the policy file
 * (§3.2), mx pattern matching (§4.1) and the TLS-RPT record (RFC 8460
 * §3), as tables.
 */
#include <config.h>

#include "mail/sts.h"
#include "mail/sts_facts.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct txt_case {
	const char *text;
	size_t len;		/* 0: strlen */
	int is_sts;
	int ok;			/* 0 valid, -1 invalid */
	const char *id;
	const char *err;	/* a part of the message, when invalid */
};

static const struct txt_case txts[] = {
	{ "v=STSv1; id=20160831085700Z;", 0, 1, 0, "20160831085700Z", NULL },
	{ "v=STSv1; id=20160831085700Z", 0, 1, 0, "20160831085700Z", NULL },
	{ "v=STSv1;id=abc", 0, 1, 0, "abc", NULL },
	{ "v=STSv1 ; id=abc ; ", 0, 1, 0, "abc", NULL },
	{ "v=STSv1; id=abc; ext.x-y_z=v!1;", 0, 1, 0, "abc", NULL },
	{ "v=STSv1; ext=1; id=9", 0, 1, 0, "9", NULL },
	{ "v=STSv1; id=12345678901234567890123456789012", 0, 1, 0,
	    "12345678901234567890123456789012", NULL },
	{ "v=STSv1; id=123456789012345678901234567890123", 0, 1, -1, "",
	    "1-32" },
	{ "v=STSv1; id=2016-08-31", 0, 1, -1, "", "1-32" },
	{ "v=STSv1; id=", 0, 1, -1, "", "1-32" },
	{ "v=STSv1;", 0, 1, -1, "", "no field" },
	{ "v=STSv1", 0, 1, -1, "", "no field" },
	{ "v=STSv1; ext=1", 0, 1, -1, "", "no id" },
	{ "v=STSv1; id=a; id=b", 0, 1, -1, "", "twice" },
	{ "v=STSv1; id=a;; x=1", 0, 1, -1, "", "empty field" },
	{ "v=STSv1; id=a b", 0, 1, -1, "", "1-32" },
	{ "v=STSv1; idabc", 0, 1, -1, "", "without '='" },
	{ "v=STSv1; id=a\0b", 16, 1, -1, "", "1-32" },
	{ "v=STSv10; id=a", 0, 0, -1, "", "does not start" },
	{ "v=stsv1; id=a", 0, 0, -1, "", "does not start" },
	{ " v=STSv1; id=a", 0, 0, -1, "", "does not start" },
	{ "v=spf1 -all", 0, 0, -1, "", "does not start" },
	{ "", 0, 0, -1, "", "does not start" },
};

struct policy_case {
	const char *text;
	size_t len;		/* 0: strlen */
	int ok;
	enum sts_mode mode;
	long max_age;
	size_t nmx;
	const char *mx0, *mx1;
	const char *err;
};

static const struct policy_case policies[] = {
	{ "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\n"
	    "mx: *.example.net\r\nmx: backupmx.example.com\r\n"
	    "max_age: 604800\r\n", 0, 0, STS_MODE_ENFORCE, 604800, 3,
	    "mail.example.com", "*.example.net", NULL },
	{ "version: STSv1\nmode: testing\nmx: MX1.Example.COM\nmax_age: 86400",
	    0, 0, STS_MODE_TESTING, 86400, 1, "mx1.example.com", NULL, NULL },
	{ "version: STSv1\nmode: none\nmax_age: 0\n", 0, 0, STS_MODE_NONE, 0,
	    0, NULL, NULL, NULL },
	{ "version:STSv1\nmode:enforce\t\nmx:a.test \nmax_age:  31557600\n",
	    0, 0, STS_MODE_ENFORCE, 31557600, 1, "a.test", NULL, NULL },
	{ "max_age: 60\nmx: a.test\nmode: enforce\nversion: STSv1\n", 0, 0,
	    STS_MODE_ENFORCE, 60, 1, "a.test", NULL, NULL },
	{ "version: STSv1\n\nmode: enforce\nmx: a.test\nmax_age: 60\n\n", 0, 0,
	    STS_MODE_ENFORCE, 60, 1, "a.test", NULL, NULL },
	{ "version: STSv1\nmode: enforce\nmx: a.test\nmax_age: 60\n"
	    "x-extension.1: some value here\n", 0, 0, STS_MODE_ENFORCE, 60, 1,
	    "a.test", NULL, NULL },
	/* invalid */
	{ "version: STSv1\nmode: enforce\nmx: a.test\nmax_age: 31557601\n", 0,
	    -1, 0, 0, 0, NULL, NULL, "above 31557600" },
	{ "version: STSv1\nmode: enforce\nmx: a.test\nmax_age: -1\n", 0, -1,
	    0, 0, 0, NULL, NULL, "not a number" },
	{ "version: STSv1\nmode: enforce\nmx: a.test\nmax_age: 12345678901\n",
	    0, -1, 0, 0, 0, NULL, NULL, "not a number" },
	{ "version: STSv1\nmode: enforce\nmx: a.test\nmax_age:\n", 0, -1, 0,
	    0, 0, NULL, NULL, "not a number" },
	{ "version: STSv1\nmode: enforce\nmx: a.test\n", 0, -1, 0, 0, 0, NULL,
	    NULL, "no max_age" },
	{ "version: STSv1\nmode: enforce\nmax_age: 60\n", 0, -1, 0, 0, 0,
	    NULL, NULL, "no mx" },
	{ "version: STSv1\nmode: testing\nmax_age: 60\n", 0, -1, 0, 0, 0,
	    NULL, NULL, "no mx" },
	{ "mode: enforce\nmx: a.test\nmax_age: 60\n", 0, -1, 0, 0, 0, NULL,
	    NULL, "no version" },
	{ "version: STSv1\nmx: a.test\nmax_age: 60\n", 0, -1, 0, 0, 0, NULL,
	    NULL, "no mode" },
	{ "version: STSv2\nmode: enforce\nmx: a.test\nmax_age: 60\n", 0, -1,
	    0, 0, 0, NULL, NULL, "not STSv1" },
	{ "version: STSv1\nmode: Enforce\nmx: a.test\nmax_age: 60\n", 0, -1,
	    0, 0, 0, NULL, NULL, "not enforce" },
	{ "version: STSv1\nmode: strict\nmx: a.test\nmax_age: 60\n", 0, -1,
	    0, 0, 0, NULL, NULL, "not enforce" },
	{ "version: STSv1\nmode: enforce\nmode: none\nmx: a.test\n"
	    "max_age: 60\n", 0, -1, 0, 0, 0, NULL, NULL, "mode given twice" },
	{ "version: STSv1\nmode: enforce\nmx: *.*.a.test\nmax_age: 60\n", 0,
	    -1, 0, 0, 0, NULL, NULL, "not a host name" },
	{ "version: STSv1\nmode: enforce\nmx: a.test.\nmax_age: 60\n", 0, -1,
	    0, 0, 0, NULL, NULL, "not a host name" },
	{ "version: STSv1\nmode: enforce\nmx: a_b.test\nmax_age: 60\n", 0, -1,
	    0, 0, 0, NULL, NULL, "not a host name" },
	{ "version: STSv1\nmode: enforce\nmx: -a.test\nmax_age: 60\n", 0, -1,
	    0, 0, 0, NULL, NULL, "not a host name" },
	{ "version: STSv1\nmode: enforce\nmx: mail.a.test mail.b.test\n"
	    "max_age: 60\n", 0, -1, 0, 0, 0, NULL, NULL, "not a host name" },
	{ "version: STSv1\nmode: enforce\nmx:\nmax_age: 60\n", 0, -1, 0, 0, 0,
	    NULL, NULL, "not a host name" },
	{ "version: STSv1\nmode enforce\nmx: a.test\nmax_age: 60\n", 0, -1, 0,
	    0, 0, NULL, NULL, "line 2: no ':'" },
	{ "Version: STSv1\nmode: enforce\nmx: a.test\nmax_age: 60\n", 0, -1,
	    0, 0, 0, NULL, NULL, "no version" },	/* names are case-sensitive */
	{ "version: STSv1\nmode: enforce\r\r\nmx: a.test\nmax_age: 60\n", 0,
	    -1, 0, 0, 0, NULL, NULL, "control" },
	{ "version: STSv1\nmode: enforce\nmx: a.test\nmax_age: 60\0\n", 53,
	    -1, 0, 0, 0, NULL, NULL, "control" },
	{ "<html><body>Not Found</body></html>\n", 0, -1, 0, 0, 0, NULL, NULL,
	    "no ':'" },
	{ "", 0, -1, 0, 0, 0, NULL, NULL, "no version" },
	{ "bad key!: x\nversion: STSv1\n", 0, -1, 0, 0, 0, NULL, NULL,
	    "invalid field" },
};

struct match_case {
	const char *pattern, *host;
	int match;
};

static const struct match_case matches[] = {
	{ "mail.example.com", "mail.example.com", 1 },
	{ "mail.example.com", "MAIL.Example.Com", 1 },
	{ "mail.example.com", "mail.example.com.", 1 },
	{ "mail.example.com", "mail2.example.com", 0 },
	{ "mail.example.com", "example.com", 0 },
	/* §4.1: the wildcard is one left-most label, no more, no less */
	{ "*.example.com", "mx1.example.com", 1 },
	{ "*.example.com", "MX1.EXAMPLE.COM.", 1 },
	{ "*.example.com", "example.com", 0 },
	{ "*.example.com", "a.b.example.com", 0 },
	{ "*.example.com", ".example.com", 0 },
	{ "*.example.com", "mx1.example.com.evil.test", 0 },
	{ "*.example.com", "mx1example.com", 0 },
	{ "*.example.com", "*.example.com", 1 },	/* as a name, literally */
	{ "example.com", "", 0 },
	{ "", "example.com", 0 },
};

struct rpt_case {
	const char *text;
	int is_rpt;
	int ok;
	size_t nrua, nignored;
	const char *rua0;
	const char *err;
};

static const struct rpt_case rpts[] = {
	{ "v=TLSRPTv1; rua=mailto:reports@example.com", 1, 0, 1, 0,
	    "mailto:reports@example.com", NULL },
	{ "v=TLSRPTv1;rua=https://reporting.example.com/v1/tlsrpt;", 1, 0, 1,
	    0, "https://reporting.example.com/v1/tlsrpt", NULL },
	{ "v=TLSRPTv1; rua=mailto:a@example.com, https://r.example.com/x", 1,
	    0, 2, 0, "mailto:a@example.com", NULL },
	{ "v=TLSRPTv1; rua=mailto:a@example.com,ftp://x.test/y; x=1", 1, 0, 1,
	    1, "mailto:a@example.com", NULL },
	{ "v=TLSRPTv1; rua=MAILTO:a@example.com", 1, 0, 1, 0,
	    "MAILTO:a@example.com", NULL },
	{ "v=TLSRPTv1; rua=ftp://x.test/y", 1, -1, 0, 1, NULL,
	    "no mailto: or https:" },
	{ "v=TLSRPTv1; rua=reports@example.com", 1, -1, 0, 0, NULL,
	    "not a URI" },
	{ "v=TLSRPTv1; rua=mailto:nobody", 1, -1, 0, 0, NULL, "no address" },
	{ "v=TLSRPTv1; rua=https:///x", 1, -1, 0, 0, NULL, "no host" },
	{ "v=TLSRPTv1; rua=", 1, -1, 0, 0, NULL, "empty rua" },
	{ "v=TLSRPTv1; rua=mailto:a@x.test,", 1, -1, 0, 0, NULL, "empty rua" },
	{ "v=TLSRPTv1;", 1, -1, 0, 0, NULL, "no field" },
	{ "v=TLSRPTv1; x=1", 1, -1, 0, 0, NULL, "no rua" },
	{ "v=TLSRPTv1; rua=mailto:a@x.test; rua=mailto:b@x.test", 1, -1, 0, 0,
	    NULL, "twice" },
	{ "v=TLSRPTv2; rua=mailto:a@x.test", 0, -1, 0, 0, NULL,
	    "does not start" },
	{ "v=STSv1; id=1", 0, -1, 0, 0, NULL, "does not start" },
};

/* mail/sts_facts: the MX hosts against a policy. */
static void
test_cover(void)
{
	static const struct {
		const char *name;
		unsigned pref, flags;
		size_t naddrs;
	} hv[] = {
		{ "mx1.a.test", 10, 0, 1 },
		{ "mx2.a.test", 20, 0, 1 },
		{ "backup.other.test", 30, 0, 1 },
		{ "noaddr.other.test", 40, MX_F_NOADDR, 0 },
		{ "trap.other.test", 50, MX_F_TRAP, 1 },
		{ "mx1.a.test", 60, MX_F_DUP, 1 },
	};
	struct mx_host hosts[6];
	struct mx_set set;
	struct sts_check *c = calloc(1, sizeof(*c));
	struct sts_cover *cv = malloc(sizeof(*cv));
	size_t order[6], i;
	char err[200], text[300], line[2400];
	static const char pol[] = "version: STSv1\nmode: enforce\n"
	    "mx: *.a.test\nmax_age: 86400\n";

	if (c == NULL || cv == NULL)
		return;
	memset(&set, 0, sizeof(set));
	memset(hosts, 0, sizeof(hosts));
	for (i = 0; i < 6; i++) {
		snprintf(hosts[i].name, sizeof(hosts[i].name), "%s", hv[i].name);
		hosts[i].pref = hv[i].pref;
		hosts[i].flags = hv[i].flags;
		hosts[i].res.naddrs = hv[i].naddrs;
		order[i] = 5 - i;	/* any order: the lowest is found */
	}
	set.hosts = hosts;
	set.nhosts = 6;
	sts_check_init(c);
	c->outcome = STS_USABLE;
	ok(sts_policy_parse(pol, strlen(pol), &c->policy, err,
	    sizeof(err)) == 0, "cover: the policy parses");
	sts_facts_cover(c, &set, order, cv);
	ok(cv->judged, "cover: enforce is judged");
	is_int(cv->hosts, 4, "cover: traps and repeats left out");
	is_int(cv->matched, 2, "cover: two hosts match *.a.test");
	is_int(cv->nuncovered, 1, "cover: one usable host is left out");
	is_int(cv->uncovered[0], 2, "cover: ... backup.other.test");
	is_int(cv->lowest, 10, "cover: the lowest preference");
	is_str(cv->unmatched_names, "noaddr.other.test, backup.other.test",
	    "cover: the names not matched, in the order given");
	is_str(sts_facts_state(c), "enforce", "state: the mode");
	c->fetch_time = 0.0125;
	sts_facts_policy(c, cv, "a.test", line, sizeof(line));
	ok(strncmp(line, "MTA-STS policy: mode enforce, ", 30) == 0 &&
	    strstr(line, "; fetched in 12.5 ms; matched: mx2.a.test, "
	    "mx1.a.test; not matched: noaddr.other.test, backup.other.test") !=
	    NULL, "policy line: the policy, its fetch, the hosts");
	sts_facts_policy(c, cv, "a.test", line, 20);
	is_int(strlen(line), 19, "policy line: cut, never overrun");
	c->policy.mode = STS_MODE_NONE;
	sts_facts_cover(c, &set, order, cv);
	ok(!cv->judged && cv->hosts == 0, "cover: mode none judges nothing");
	c->outcome = STS_FETCH_FAILED;
	c->fetch_fail = HTTPS_E_TLS;
	is_str(sts_facts_state(c), "sts-webpki-invalid",
	    "state: a certificate fault of the policy host");
	c->fetch_fail = HTTPS_E_STATUS;
	is_str(sts_facts_state(c), "sts-policy-fetch-error",
	    "state: another fetch failure");
	c->outcome = STS_ABSENT;
	is_str(sts_facts_state(c), "not published", "state: no record");
	sts_facts_policy(c, cv, "a.test", line, sizeof(line));
	is_str(line, "MTA-STS: no _mta-sts.a.test record (not published)",
	    "policy line: no record");
	c->outcome = STS_DNS_FAILED;
	sts_facts_policy(c, cv, "a.test", line, sizeof(line));
	is_str(line, "", "policy line: a failure is the judge's");
	c->rpt = RPT_ABSENT;
	sts_facts_tlsrpt(c, "a.test", text, sizeof(text));
	is_str(text, "no _smtp._tls.a.test record (no reports of TLS "
	    "failures)", "TLS-RPT: missing is said");
	c->rpt = RPT_INVALID;
	sts_facts_tlsrpt(c, "a.test", text, sizeof(text));
	is_str(text, "", "TLS-RPT: an invalid record is the judge's");
	free(c);
	free(cv);
}

/* mail/sts_facts: --cafile's check before the run. */
static void
test_cafile(void)
{
	char path[] = "/tmp/sts_test.XXXXXX", err[200];
	int fd = mkstemp(path);

	if (fd < 0)
		return;
	close(fd);
	is_int(sts_facts_cafile_check(path, err, sizeof(err)), 0,
	    "--cafile: a regular file");
	unlink(path);
	is_int(sts_facts_cafile_check(path, err, sizeof(err)), -1,
	    "--cafile: a missing file");
	is_str(err, "No such file or directory", "--cafile: why, from errno");
	is_int(sts_facts_cafile_check("/", err, sizeof(err)), -1,
	    "--cafile: a directory");
	is_str(err, "not a regular file", "--cafile: not a regular file");
}

int
main(void)
{
	static const char two[] = "version: STSv1\nmode: enforce\n"
	    "mx: a.test\nmx: *.b.test\nmax_age: 60\n";
	char id[STS_ID_MAX], err[200];
	struct sts_policy *pol = malloc(sizeof(*pol));
	struct sts_tlsrpt *rpt = malloc(sizeof(*rpt));
	size_t i;

	if (pol == NULL || rpt == NULL)
		return 1;
	for (i = 0; i < sizeof(txts) / sizeof(txts[0]); i++) {
		const struct txt_case *c = &txts[i];
		size_t len = c->len ? c->len : strlen(c->text);
		int rc;

		is_int(sts_txt_is_sts(c->text, len), c->is_sts,
		    "TXT %zu is%s v=STSv1", i, c->is_sts ? "" : " not");
		err[0] = '\0';
		rc = sts_txt_parse(c->text, len, id, err, sizeof(err));
		is_int(rc, c->ok, "TXT %zu parses as %s", i,
		    c->ok ? "invalid" : "valid");
		if (c->ok == 0)
			is_str(id, c->id, "TXT %zu: id", i);
		else
			ok(strstr(err, c->err) != NULL, "TXT %zu: error '%s' "
			    "says '%s'", i, err, c->err);
	}
	for (i = 0; i < sizeof(policies) / sizeof(policies[0]); i++) {
		const struct policy_case *c = &policies[i];
		size_t len = c->len ? c->len : strlen(c->text);
		int rc;

		err[0] = '\0';
		rc = sts_policy_parse(c->text, len, pol, err, sizeof(err));
		is_int(rc, c->ok, "policy %zu parses as %s (%s)", i,
		    c->ok ? "invalid" : "valid", err);
		if (c->ok != 0) {
			ok(strstr(err, c->err) != NULL, "policy %zu: error "
			    "'%s' says '%s'", i, err, c->err);
			continue;
		}
		is_int(pol->mode, c->mode, "policy %zu: mode", i);
		is_int(pol->max_age, c->max_age, "policy %zu: max_age", i);
		is_int(pol->nmx, c->nmx, "policy %zu: mx count", i);
		if (c->mx0)
			is_str(pol->mx[0], c->mx0, "policy %zu: mx 1", i);
		if (c->mx1)
			is_str(pol->mx[1], c->mx1, "policy %zu: mx 2", i);
	}
	for (i = 0; i < sizeof(matches) / sizeof(matches[0]); i++) {
		const struct match_case *c = &matches[i];

		is_int(sts_pattern_match(c->pattern, c->host), c->match,
		    "'%s' %s '%s'", c->pattern, c->match ? "matches" :
		    "does not match", c->host);
	}
	/* the policy's list: any pattern */
	ok(sts_policy_parse(two, strlen(two), pol, err, sizeof(err)) == 0,
	    "a two-pattern policy parses");
	ok(sts_policy_match(pol, "x.b.test") && sts_policy_match(pol,
	    "a.test") && !sts_policy_match(pol, "b.test"),
	    "sts_policy_match tries every pattern");
	for (i = 0; i < sizeof(rpts) / sizeof(rpts[0]); i++) {
		const struct rpt_case *c = &rpts[i];
		size_t len = strlen(c->text);
		int rc;

		is_int(sts_tlsrpt_is_tlsrpt(c->text, len), c->is_rpt,
		    "TLS-RPT %zu is%s v=TLSRPTv1", i, c->is_rpt ? "" : " not");
		err[0] = '\0';
		rc = sts_tlsrpt_parse(c->text, len, rpt, err, sizeof(err));
		is_int(rc, c->ok, "TLS-RPT %zu parses as %s (%s)", i,
		    c->ok ? "invalid" : "valid", err);
		if (c->ok != 0) {
			ok(strstr(err, c->err) != NULL, "TLS-RPT %zu: error "
			    "'%s' says '%s'", i, err, c->err);
			continue;
		}
		is_int(rpt->nrua, c->nrua, "TLS-RPT %zu: rua count", i);
		is_int(rpt->nignored, c->nignored, "TLS-RPT %zu: ignored", i);
		is_str(rpt->rua[0], c->rua0, "TLS-RPT %zu: first rua", i);
	}
	is_str(sts_mode_name(STS_MODE_ENFORCE), "enforce", "mode names");
	test_cover();
	test_cafile();
	free(pol);
	free(rpt);
	return tap_done();
}
