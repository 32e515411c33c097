/*
 * relay_test - the relay's verdict table without a network: sessions'
 * facts classified into outcomes, walks of outcomes into verdicts (RFC
 * 5321 §5.1 and the --all audit), the MTA-STS reading of a walk (RFC
 * 8461 §5.1), and every row of relay_verdicts[] reached and given its
 * state; the report's sentences (mail/relay_note) on hand-made runs, and
 * the option values (mail/relay_param, mail/relay_value).
 */
#include <config.h>

#include "mail/dane.h"
#include "mail/relay.h"
#include "mail/relay_note.h"
#include "mail/relay_outcome.h"
#include "mail/relay_param.h"
#include "mail/relay_report.h"
#include "mail/relay_value.h"
#include "mail/relay_verdict.h"
#include "mail/sts_relay.h"
#include "net/smtp.h"
#include "tap.h"

#include <string.h>

static bool covered[RV_NVERDICTS];

/* ---- one session's facts → outcome ---- */

static void
test_outcomes(void)
{
	static const struct {
		const char *what;
		enum smtp_error error;
		int banner, ehlo, starttls, mail, rcpt;
		enum relay_outcome want;
	} t[] = {
		{ "2xx to RCPT", SMTP_OK, 220, 250, 0, 250, 250,
		    RELAY_ACCEPTED },
		{ "2xx to RCPT, closed after", SMTP_ERR_CLOSED, 220, 250, 0,
		    250, 250, RELAY_ACCEPTED },
		{ "out of step: never accepted", SMTP_ERR_PROTOCOL, 220, 250, 0,
		    250, 250, RELAY_PROTOCOL },
		{ "RCPT 2xx after MAIL 5xx", SMTP_OK, 220, 250, 0, 550, 250,
		    RELAY_REJECTED },
		{ "5xx to RCPT", SMTP_OK, 220, 250, 0, 250, 550,
		    RELAY_REJECTED },
		{ "5xx to MAIL", SMTP_OK, 220, 250, 0, 553, 503,
		    RELAY_REJECTED },
		{ "no SMTPUTF8", SMTP_ERR_NOUTF8, 220, 250, 0, 0, 0,
		    RELAY_NOUTF8 },
		{ "4xx to RCPT", SMTP_OK, 220, 250, 0, 250, 451,
		    RELAY_DEFERRED },
		{ "421 greeting", SMTP_ERR_CLOSED, 421, 0, 0, 0, 0,
		    RELAY_DEFERRED },
		{ "554 greeting", SMTP_OK, 554, 0, 0, 0, 0, RELAY_REFUSED },
		{ "5xx to EHLO and HELO", SMTP_OK, 220, 502, 0, 0, 0,
		    RELAY_REFUSED },
		{ "handshake failed", SMTP_ERR_TLS, 220, 250, 220, 0, 0,
		    RELAY_TLS },
		{ "TLS required, not offered", SMTP_ERR_NOTLS, 220, 250, 0, 0,
		    0, RELAY_TLS },
		{ "certificate refused", SMTP_ERR_POLICY, 220, 250, 220, 0, 0,
		    RELAY_TLS },
		{ "connection refused", SMTP_ERR_CONNECT, 0, 0, 0, 0, 0,
		    RELAY_UNREACHABLE },
		{ "stage timeout", SMTP_ERR_TIMEOUT, 220, 0, 0, 0, 0,
		    RELAY_UNREACHABLE },
		{ "closed", SMTP_ERR_CLOSED, 220, 0, 0, 0, 0,
		    RELAY_UNREACHABLE },
		{ "socket failed", SMTP_ERR_LOCAL, 0, 0, 0, 0, 0,
		    RELAY_UNREACHABLE },
		{ "5xx to optional STARTTLS", SMTP_OK, 220, 250, 554, 0, 0,
		    RELAY_REFUSED },
		{ "no reply at all", SMTP_OK, 0, 0, 0, 0, 0, RELAY_PROTOCOL },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct smtp_session s;

		memset(&s, 0, sizeof(s));
		s.error = t[i].error;
		s.banner.code = t[i].banner;
		s.ehlo.code = t[i].ehlo;
		s.starttls.code = t[i].starttls;
		s.mail.code = t[i].mail;
		s.rcpt.code = t[i].rcpt;
		is_str(relay_outcome_name(relay_outcome_classify(&s)),
		    relay_outcome_name(t[i].want), "outcome: %s",
		    t[i].what);
	}
}

/* ---- walks ---- */

#define MAXA 6

struct att {			/* one address of a walk, as fed */
	enum relay_outcome out;
	unsigned pref;
	bool tried, trap, refuse, policy_skip;
};

static size_t
feed(struct relay_walk *w, struct relay_attempt *a, const struct att *in)
{
	size_t n;

	memset(w, 0, sizeof(*w));
	memset(a, 0, MAXA * sizeof(*a));
	for (n = 0; n < MAXA && in[n].pref != 0; n++) {
		a[n].w = w;
		a[n].out = in[n].out;
		a[n].pref = in[n].pref;
		a[n].tried = in[n].tried;
		a[n].trap = in[n].trap ? "--trap t*" : NULL;
		a[n].refuse = in[n].refuse ? "nolist*" : NULL;
		a[n].policy_skip = in[n].policy_skip;
	}
	w->what = "MX";
	w->a = a;
	w->n = n;
	w->decisive = -1;
	return n;
}

#define T(o, p) { RELAY_##o, p, true, false, false, false }
#define SKIP(p) { RELAY_SKIPPED, p, false, false, false, false }
#define TRAP(p) { RELAY_SKIPPED, p, false, true, false, false }
#define POLICY(p) { RELAY_SKIPPED, p, false, false, false, true }
#define REFUSE(o, p) { RELAY_##o, p, true, false, true, false }
#define UNTRIED(p) { RELAY_PENDING, p, false, false, false, false }

static void
test_walks(void)
{
	static const struct {
		const char *what;
		struct att a[MAXA];
		int decisive;
		bool trap_reached, timed_out;
		enum relay_verdict want;
		int about, shown;
		size_t tried;
	} t[] = {
		{ "the primary accepts", { T(ACCEPTED, 10), UNTRIED(20) }, 0,
		    false, false, RV_ACCEPTED, 0, 0, 1 },
		{ "a second address of the primary accepts",
		    { T(UNREACHABLE, 10), T(ACCEPTED, 10) }, 1, false, false,
		    RV_ACCEPTED, 1, 1, 2 },
		{ "only the backup accepts", { T(UNREACHABLE, 10),
		    T(ACCEPTED, 20) }, 1, false, false, RV_BACKUP, 1, 0, 2 },
		{ "a deferring primary, the backup accepts", { T(DEFERRED, 10),
		    T(ACCEPTED, 20) }, 1, false, false, RV_BACKUP, 1, 0, 2 },
		{ "nolisting: the refusing primary is not the first",
		    { REFUSE(UNREACHABLE, 10), T(ACCEPTED, 20) }, 1, false,
		    false, RV_ACCEPTED, 1, 1, 2 },
		{ "nolisting host that accepts is the first", {
		    REFUSE(ACCEPTED, 10), UNTRIED(20) }, 0, false, false,
		    RV_ACCEPTED, 0, 0, 1 },
		{ "5xx to RCPT", { T(REJECTED, 10), UNTRIED(20) }, 0, false,
		    false, RV_REJECTED, 0, 0, 1 },
		{ "no SMTPUTF8", { T(NOUTF8, 10) }, 0, false, false,
		    RV_REJECTED, 0, 0, 1 },
		{ "the walk reaches a trap", { T(UNREACHABLE, 10), TRAP(20) },
		    1, true, false, RV_TRAP, 1, 0, 1 },
		{ "every host 4xx", { T(DEFERRED, 10), T(DEFERRED, 20) }, -1,
		    false, false, RV_DEFERRED, 0, 0, 2 },
		{ "a 4xx after a refusal", { T(UNREACHABLE, 10),
		    T(DEFERRED, 20) }, -1, false, false, RV_DEFERRED, 1, 1, 2 },
		{ "nothing accepts", { T(UNREACHABLE, 10), T(TLS, 20),
		    T(PROTOCOL, 30) }, -1, false, false, RV_FAILED, 0, 0, 3 },
		{ "TLSA failed for every host", { POLICY(10), POLICY(20) }, -1,
		    false, false, RV_UNUSABLE, 0, -1, 0 },
		{ "a failure beats a policy skip", { POLICY(10),
		    T(REFUSED, 20) }, -1, false, false, RV_FAILED, 1, 1, 1 },
		{ "no address anywhere", { SKIP(10), SKIP(20) }, -1, false,
		    false, RV_NOADDR, -1, -1, 0 },
		{ "no address: lookups out of time", { SKIP(10) }, -1, false,
		    true, RV_NOADDR_TIMEOUT, -1, -1, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct relay_attempt a[MAXA];
		struct relay_walk w;
		struct relay_judgement j;

		feed(&w, a, t[i].a);
		w.decisive = t[i].decisive;
		w.trap_reached = t[i].trap_reached;
		relay_verdict_walk(&w, t[i].timed_out, &j);
		is_str(relay_verdicts[j.v].name, relay_verdicts[t[i].want].name,
		    "walk: %s", t[i].what);
		is_int(j.about, t[i].about, "walk: %s: the summary's address",
		    t[i].what);
		is_int(j.shown, t[i].shown, "walk: %s: the conversation shown",
		    t[i].what);
		is_int(j.tried, t[i].tried, "walk: %s: addresses tried",
		    t[i].what);
		covered[j.v] = true;
	}
}

static void
test_all(void)
{
	static const struct {
		const char *what;
		struct att a[MAXA];
		enum relay_verdict want;
		size_t real, ok, traps, trap_ok;
		int shown;
		enum relay_verdict roles[MAXA];
	} t[] = {
		{ "every host accepts, the trap refuses", { T(ACCEPTED, 10),
		    T(ACCEPTED, 20), { RELAY_REFUSED, 30, true, true, false,
		    false } }, RV_ALL_OK, 2, 2, 1, 0, -1,
		    { RV_NVERDICTS, RV_NVERDICTS, RV_NVERDICTS } },
		{ "a backup does not accept", { T(ACCEPTED, 10),
		    T(DEFERRED, 20) }, RV_ALL_PARTIAL, 2, 1, 0, 0, 1,
		    { RV_NVERDICTS, RV_ADDR_FAILS } },
		{ "the trap accepts", { T(ACCEPTED, 10), { RELAY_ACCEPTED, 20,
		    true, true, false, false } }, RV_ALL_PARTIAL, 1, 1, 1, 1,
		    -1, { RV_NVERDICTS, RV_TRAP_ACCEPTS } },
		{ "a nolisting host accepts", { REFUSE(ACCEPTED, 10),
		    T(ACCEPTED, 20) }, RV_ALL_PARTIAL, 1, 1, 0, 0, -1,
		    { RV_NVERDICTS, RV_NVERDICTS } },
		{ "a nolisting host refuses", { REFUSE(UNREACHABLE, 10),
		    T(ACCEPTED, 20) }, RV_ALL_OK, 1, 1, 0, 0, -1,
		    { RV_NVERDICTS, RV_NVERDICTS } },
		{ "TLSA failed for a host", { POLICY(10), T(ACCEPTED, 20) },
		    RV_ALL_PARTIAL, 2, 1, 0, 0, -1,
		    { RV_ADDR_UNUSED, RV_NVERDICTS } },
		{ "nothing accepts", { T(UNREACHABLE, 10), SKIP(20),
		    T(REJECTED, 30) }, RV_ALL_NONE, 2, 0, 0, 0, 0,
		    { RV_ADDR_FAILS, RV_NVERDICTS, RV_ADDR_FAILS } },
	};
	size_t i, k;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct relay_attempt a[MAXA];
		struct relay_walk w;
		struct relay_judgement j;
		size_t n = feed(&w, a, t[i].a);

		w.parallel = true;
		relay_verdict_all(&w, &j);
		is_str(relay_verdicts[j.v].name, relay_verdicts[t[i].want].name,
		    "--all: %s", t[i].what);
		ok(j.real == t[i].real && j.ok == t[i].ok &&
		    j.traps == t[i].traps && j.trap_ok == t[i].trap_ok,
		    "--all: %s: %zu of %zu accept, %zu traps, %zu accept",
		    t[i].what, j.ok, j.real, j.traps, j.trap_ok);
		is_int(j.shown, t[i].shown, "--all: %s: the conversation shown",
		    t[i].what);
		covered[j.v] = true;
		for (k = 0; k < n; k++) {
			enum relay_verdict v = relay_verdict_address(&a[k]);

			is_int(v, t[i].roles[k], "--all: %s: address %zu's "
			    "finding", t[i].what, k);
			if (v < RV_NVERDICTS)
				covered[v] = true;
		}
	}
}

/* ---- --tls sts: the policy's reading of a judged walk ---- */

static void
test_sts(void)
{
	/* hosts a.test (10) and b.test (20); verified: a's certificate */
	static const struct {
		const char *what;
		enum sts_outcome outcome;
		enum sts_mode mode;
		const char *mx;		/* the one pattern */
		struct att a[MAXA];
		int decisive;
		bool verified, trap_reached;
		enum relay_verdict want, beside;
		int about;
	} t[] = {
		{ "enforce, every host skipped", STS_USABLE, STS_MODE_ENFORCE,
		    "mx.test", { POLICY(10), POLICY(20) }, -1, false, false,
		    RV_STS_NOMATCH, RV_NVERDICTS, -1 },
		{ "enforce, every matching host fails TLS", STS_USABLE,
		    STS_MODE_ENFORCE, "*.test", { T(TLS, 10), T(TLS, 20) }, -1,
		    false, false, RV_STS_TLSFAIL, RV_NVERDICTS, -1 },
		{ "enforce, one fails TLS, one is unreachable", STS_USABLE,
		    STS_MODE_ENFORCE, "*.test", { T(TLS, 10),
		    T(UNREACHABLE, 20) }, -1, false, false, RV_FAILED,
		    RV_NVERDICTS, -1 },
		{ "enforce, the primary skipped, the backup accepts",
		    STS_USABLE, STS_MODE_ENFORCE, "b.test", { POLICY(10),
		    T(ACCEPTED, 20) }, 1, false, false, RV_BACKUP,
		    RV_NVERDICTS, -1 },
		{ "enforce, accepted", STS_USABLE, STS_MODE_ENFORCE, "a.test",
		    { T(ACCEPTED, 10) }, 0, true, false, RV_ACCEPTED,
		    RV_NVERDICTS, -1 },
		{ "enforce, the walk reaches a trap", STS_USABLE,
		    STS_MODE_ENFORCE, "*.test", { T(TLS, 10), TRAP(20) }, 1,
		    false, true, RV_TRAP, RV_NVERDICTS, -1 },
		{ "testing, accepted, not verified", STS_USABLE,
		    STS_MODE_TESTING, "a.test", { T(ACCEPTED, 10) }, 0, false,
		    false, RV_ACCEPTED, RV_STS_TESTING, 0 },
		{ "testing, accepted, verified", STS_USABLE, STS_MODE_TESTING,
		    "a.test", { T(ACCEPTED, 10) }, 0, true, false, RV_ACCEPTED,
		    RV_NVERDICTS, -1 },
		{ "testing, accepted by a host no pattern matches", STS_USABLE,
		    STS_MODE_TESTING, "mx.test", { T(ACCEPTED, 10) }, 0, true,
		    false, RV_ACCEPTED, RV_STS_TESTING, 0 },
		{ "testing, nothing accepts", STS_USABLE, STS_MODE_TESTING,
		    "a.test", { T(TLS, 10) }, -1, false, false, RV_FAILED,
		    RV_NVERDICTS, -1 },
		{ "mode none", STS_USABLE, STS_MODE_NONE, "mx.test",
		    { T(ACCEPTED, 10) }, 0, false, false, RV_ACCEPTED,
		    RV_NVERDICTS, -1 },
		{ "no MTA-STS", STS_ABSENT, STS_MODE_NONE, "mx.test",
		    { T(ACCEPTED, 10) }, 0, false, false, RV_ACCEPTED,
		    RV_NVERDICTS, -1 },
		{ "announced, fetch failed", STS_FETCH_FAILED, STS_MODE_NONE,
		    "mx.test", { T(ACCEPTED, 10) }, 0, false, false,
		    RV_ACCEPTED, RV_STS_UNUSABLE, -1 },
		{ "announced, several records", STS_TXT_SEVERAL,
		    STS_MODE_NONE, "mx.test", { T(REJECTED, 10) }, 0, false,
		    false, RV_REJECTED, RV_STS_UNUSABLE, -1 },
		{ "TXT lookup failed", STS_DNS_FAILED, STS_MODE_NONE,
		    "mx.test", { T(ACCEPTED, 10) }, 0, false, false,
		    RV_ACCEPTED, RV_STS_DNS, -1 },
		{ "announced, invalid policy", STS_POLICY_INVALID,
		    STS_MODE_NONE, "mx.test", { T(ACCEPTED, 10) }, 0, false,
		    false, RV_ACCEPTED, RV_STS_UNUSABLE, -1 },
	};
	size_t i, k;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct relay_attempt a[MAXA];
		struct relay_walk w;
		struct relay_judgement j;
		struct sts_check c;
		enum relay_verdict v, beside;
		int about;
		size_t n = feed(&w, a, t[i].a);

		for (k = 0; k < n; k++)
			(void)snprintf(a[k].host, sizeof(a[k].host), "%s.test",
			    a[k].pref == 10 ? "a" : "b");
		a[0].has_facts = true;
		a[0].facts.verified = t[i].verified;
		w.decisive = t[i].decisive;
		w.trap_reached = t[i].trap_reached;
		memset(&c, 0, sizeof(c));
		c.outcome = t[i].outcome;
		c.policy.mode = t[i].mode;
		c.policy.nmx = 1;
		(void)snprintf(c.policy.mx[0], sizeof(c.policy.mx[0]), "%s",
		    t[i].mx);
		relay_verdict_walk(&w, false, &j);
		v = sts_relay_judge(&c, &w, &j, &beside, &about);
		is_str(relay_verdicts[v].name, relay_verdicts[t[i].want].name,
		    "sts: %s", t[i].what);
		is_int(beside, t[i].beside, "sts: %s: the finding beside",
		    t[i].what);
		is_int(about, t[i].about, "sts: %s: the attempt it names",
		    t[i].what);
		covered[v] = true;
		if (beside < RV_NVERDICTS)
			covered[beside] = true;
	}
	for (i = 0; i < 2; i++) {
		/* --tls auto, RFC 8461 §2: where DANE applies, the policy
		 * neither rules the host out nor judges its certificate */
		static const struct att one[MAXA] = { T(ACCEPTED, 10) };
		struct relay_attempt a[MAXA];
		struct relay_walk w;
		struct relay_judgement j;
		struct sts_check c;
		struct dane_host dh;
		enum relay_verdict v, beside;
		int about;

		(void)feed(&w, a, one);
		(void)snprintf(a[0].host, sizeof(a[0].host), "a.test");
		memset(&dh, 0, sizeof(dh));
		dh.st = DANE_USABLE;
		a[0].dane = &dh;
		w.decisive = 0;
		memset(&c, 0, sizeof(c));
		c.outcome = STS_USABLE;
		c.policy.mode = i == 0 ? STS_MODE_ENFORCE : STS_MODE_TESTING;
		c.policy.nmx = 1;
		(void)snprintf(c.policy.mx[0], sizeof(c.policy.mx[0]),
		    "mx.test");
		ok(sts_relay_matched(&c, &a[0]), "sts, %s: a DANE host counts "
		    "as matched", sts_mode_name(c.policy.mode));
		relay_verdict_walk(&w, false, &j);
		v = sts_relay_judge(&c, &w, &j, &beside, &about);
		ok(v == RV_ACCEPTED && beside == RV_NVERDICTS, "sts, %s: DANE "
		    "wins, no MTA-STS finding", sts_mode_name(c.policy.mode));
	}
}

/* ---- the table: every row and its state ---- */

static void
test_table(void)
{
	static const struct {
		enum relay_verdict v;
		enum state want;	/* with --timeout-result warning */
	} t[] = {
		{ RV_ACCEPTED, STATE_OK }, { RV_BACKUP, STATE_WARNING },
		{ RV_REJECTED, STATE_CRITICAL }, { RV_TRAP, STATE_CRITICAL },
		{ RV_DEFERRED, STATE_WARNING }, { RV_UNUSABLE, STATE_CRITICAL },
		{ RV_NOADDR, STATE_CRITICAL },
		{ RV_NOADDR_TIMEOUT, STATE_WARNING },
		{ RV_FAILED, STATE_CRITICAL }, { RV_ALL_OK, STATE_OK },
		{ RV_ALL_PARTIAL, STATE_WARNING },
		{ RV_ALL_NONE, STATE_CRITICAL },
		{ RV_ADDR_UNUSED, STATE_WARNING },
		{ RV_ADDR_FAILS, STATE_WARNING },
		{ RV_TRAP_ACCEPTS, STATE_WARNING },
		{ RV_MX_FAILED, STATE_CRITICAL },
		{ RV_MX_TIMEOUT, STATE_WARNING },
		{ RV_NULL_MX, STATE_CRITICAL },
		{ RV_NULL_MIXED, STATE_CRITICAL },
		{ RV_LITERAL, STATE_WARNING },
		{ RV_MIXED_CODES, STATE_WARNING },
		{ RV_REFUSE_ACCEPTS, STATE_WARNING },
		{ RV_PLAINTEXT_RETRY, STATE_WARNING },
		{ RV_STARTTLS_INJECTION, STATE_WARNING },
		{ RV_VIA_FAILED, STATE_CRITICAL },
		{ RV_CERT_WARN, STATE_WARNING },
		{ RV_CERT_CRIT, STATE_CRITICAL },
		{ RV_DEADLINE, STATE_WARNING },
		{ RV_LOOP_FAILED, STATE_UNKNOWN },
		{ RV_CREDS, STATE_UNKNOWN },
		{ RV_STS_NOMATCH, STATE_CRITICAL },
		{ RV_STS_TLSFAIL, STATE_CRITICAL },
		{ RV_STS_UNUSABLE, STATE_WARNING },
		{ RV_STS_DNS, STATE_WARNING },
		{ RV_STS_TESTING, STATE_WARNING },
	};
	bool seen[RV_NVERDICTS] = { false };
	size_t i, n = 0, walked = 0;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		is_str(state_name(relay_verdict_state(t[i].v, STATE_WARNING)),
		    state_name(t[i].want), "row %s",
		    relay_verdicts[t[i].v].name);
		seen[t[i].v] = true;
	}
	for (i = 0; i < RV_NVERDICTS; i++) {
		if (seen[i])
			n++;
		if (covered[i] && i <= RV_TRAP_ACCEPTS)
			walked++;
		ok(relay_verdicts[i].name != NULL, "row %zu has a name", i);
	}
	is_int(n, RV_NVERDICTS, "every row of relay_verdicts[] has its state "
	    "asserted");
	/* the rows a walk reaches: RV_ACCEPTED .. RV_TRAP_ACCEPTS */
	is_int(walked, RV_TRAP_ACCEPTS + 1, "every walk and --all row is "
	    "reached from outcomes");
	ok(covered[RV_STS_NOMATCH] && covered[RV_STS_TLSFAIL] &&
	    covered[RV_STS_UNUSABLE] && covered[RV_STS_DNS] &&
	    covered[RV_STS_TESTING],
	    "every --tls sts row is reached from a walk and a policy");
	is_str(state_name(relay_verdict_state(RV_NVERDICTS, STATE_OK)),
	    "UNKNOWN", "a verdict outside the table is UNKNOWN (a bug)");
	is_str(state_name(relay_verdict_state(RV_DEADLINE, STATE_OK)), "OK",
	    "the deadline's row takes --timeout-result");
}

/* ---- the report's sentences (mail/relay_note) ---- */

static void
test_note(void)
{
	static struct relay run;
	static struct relay_params rp;
	struct relay_attempt a[MAXA];
	struct relay_judgement j;
	char buf[1200], sum[400];
	static const struct att in[] = { SKIP(10), TRAP(20), { 0 } };

	memset(&j, 0, sizeof(j));
	snprintf(rp.rcpt, sizeof(rp.rcpt), "u@dom.test");
	snprintf(rp.domain, sizeof(rp.domain), "dom.test");
	rp.tls = RELAY_TLS_MAY;
	run.rp = &rp;
	run.use_mx = true;
	feed(&run.main, a, in);
	run.main.run = &run;
	snprintf(a[0].host, sizeof(a[0].host), "mx.dom.test");
	snprintf(a[0].note, sizeof(a[0].note), "no address");
	snprintf(a[1].host, sizeof(a[1].host), "trap.dom.test");

	j.v = RV_NOADDR;
	j.about = -1;
	relay_note_walk(&run, &run.main, &j, buf, sizeof(buf));
	is_str(buf, "<u@dom.test>: no MX host has an address to try",
	    "note: no address to try");
	j.v = RV_UNUSABLE;
	j.about = 0;
	relay_note_walk(&run, &run.main, &j, buf, sizeof(buf));
	is_str(buf, "<u@dom.test>: no MX host could be used; MX mx.dom.test "
	    "(preference 10): no address", "note: no host could be used");
	j.v = RV_TRAP;
	j.about = 1;
	relay_note_walk(&run, &run.main, &j, buf, sizeof(buf));
	is_str(buf, "<u@dom.test>: the walk reaches trap host trap.dom.test "
	    "(preference 20, --trap t*): every host before it failed, real "
	    "mail would go to the trap", "note: the walk reaches a trap");
	relay_note_walk(&run, &run.main, &j, buf, 30);
	is_int(strlen(buf), 29, "note: cut, never overrun");
	j.v = RV_STS_NOMATCH;
	relay_note_walk(&run, &run.main, &j, buf, sizeof(buf));
	is_str(buf, "<u@dom.test>: no MX host of dom.test matches its MTA-STS "
	    "enforce policy: MTA-STS senders will not deliver",
	    "note: no host matches the enforce policy");
	j.ok = 1;
	j.real = 2;
	relay_note_all(&run, &j, buf, sizeof(buf));
	is_str(buf, "<u@dom.test>: 1 of 2 MX addresses accept", "note: --all");
	j.traps = 1;
	relay_note_all(&run, &j, buf, sizeof(buf));
	is_str(buf, "<u@dom.test>: 1 of 2 MX addresses accept; 1 trap "
	    "address refused as expected", "note: --all with a trap");
	relay_note_address(&a[0], RV_ADDR_UNUSED, buf, sizeof(buf));
	is_str(buf, "MX mx.dom.test (preference 10) no address",
	    "note: an address --all could not use");
	relay_note_address(&a[1], RV_TRAP_ACCEPTS, buf, sizeof(buf));
	is_str(buf, "trap MX trap.dom.test (preference 20) accepted the "
	    "recipient (rule --trap t*)", "note: a trap that accepts");

	run.mx.mx_status = DNS_NXDOMAIN;
	is_int(relay_note_mx_set(&run, buf, sizeof(buf), sum, sizeof(sum)),
	    RV_MX_FAILED, "mx set: NXDOMAIN is a failed lookup");
	is_str(buf, "MX lookup for dom.test: NXDOMAIN", "mx set: the finding");
	is_str(sum, "<u@dom.test>: the domain does not exist (NXDOMAIN)",
	    "mx set: the summary");
	run.mx.mx_status = DNS_TIMEOUT;
	is_int(relay_note_mx_set(&run, buf, sizeof(buf), sum, sizeof(sum)),
	    RV_MX_TIMEOUT, "mx set: a timeout is --timeout-result's");
	is_str(sum, "<u@dom.test>: no MX answer within the DNS budget",
	    "mx set: the timeout's summary");
	run.mx.mx_status = DNS_OK;
	run.mx.null_mx = true;
	is_int(relay_note_mx_set(&run, buf, sizeof(buf), sum, sizeof(sum)),
	    RV_NULL_MX, "mx set: a null MX");
	is_str(buf, "dom.test publishes a null MX (RFC 7505): senders get "
	    "556 5.1.10", "mx set: the null MX's finding");
	run.mx.null_mx = false;
	is_int(relay_note_mx_set(&run, buf, sizeof(buf), sum, sizeof(sum)),
	    RV_NVERDICTS, "mx set: hosts to walk");
	run.mx.mx_status = DNS_SERVFAIL;
	run.use_mx = false;
	is_int(relay_note_mx_set(&run, buf, sizeof(buf), sum, sizeof(sum)),
	    RV_NVERDICTS, "mx set: -H walks no MX set");
	run.use_mx = true;

	a[0].facts.days_left = 3;
	relay_note_cert(&a[0], true, 5, buf, sizeof(buf));
	is_str(buf, "certificate of mx.dom.test expires in 3 days "
	    "(--cert-crit 5)", "note: a certificate near expiry");
	a[0].facts.days_left = -2;
	relay_note_cert(&a[0], false, 10, buf, sizeof(buf));
	is_str(buf, "certificate of mx.dom.test expired 2 days ago "
	    "(--cert-warn 10)", "note: an expired certificate");
	a[0].refuse = "nolist*";
	relay_note_accepted(&a[0], RV_REFUSE_ACCEPTS, buf, sizeof(buf));
	is_str(buf, "mx.dom.test is meant to refuse (--expect-refuse "
	    "'nolist*') but accepted the recipient: nolisting is not in "
	    "place", "note: nolisting not in place");
	relay_note_literal("192.0.2.1", buf, sizeof(buf));
	ok(strncmp(buf, "MX target 192.0.2.1 is an IP address literal", 44) ==
	    0, "note: an IP literal target");
	relay_note_time(2.5, true, buf, sizeof(buf));
	is_str(buf, "time to acceptance 2.500 s is outside the critical range",
	    "note: the time to acceptance");
	relay_note_via("in.test", NULL, buf, sizeof(buf));
	is_str(buf, "via hop in.test failed", "note: a --via hop");
	relay_note_sts_policy(&run, buf, sizeof(buf));
	is_str(buf, "", "note: no MTA-STS line without --tls sts");
	ok(!relay_note_sts_host(&run, 0, buf, sizeof(buf)),
	    "note: no MTA-STS host line without --tls sts");
	run.mx.stage = MX_STAGE_MX;
	relay_note_deadline(&run, 10, buf, sizeof(buf));
	is_str(buf, "deadline of 10 s reached while waiting for DNS (MX of "
	    "dom.test)", "note: the deadline");
	run.loop_failed = true;
	relay_note_deadline(&run, 10, buf, sizeof(buf));
	is_str(buf, "poll() failed while waiting for DNS (MX of dom.test)",
	    "note: poll() failed");
	a[0].tried = a[1].tried = true;
	is_int(relay_report_tried(&run.main), 2, "report: addresses tried");
}

/* ---- option values (mail/relay_param, mail/relay_value) ---- */

static void
test_param(void)
{
	static struct relay_params rp;
	char err[160];
	unsigned port = 0;
	long days = 0;
	double secs = 0;
	uint64_t seed = 0;
	enum relay_level l = RELAY_TLS_NONE;
	size_t i;

	is_int(relay_value_port("2525", &port, err, sizeof(err)), 0,
	    "port 2525");
	is_int(port, 2525, "port 2525: the value");
	is_int(relay_value_port("0", &port, err, sizeof(err)), -1, "port 0");
	is_str(err, "expected 1-65535", "port 0: what was expected");
	is_int(relay_value_days("36501", &days, err, sizeof(err)), -1,
	    "days 36501");
	is_str(err, "expected whole days 0-36500", "days: what was expected");
	is_int(relay_value_days("14", &days, err, sizeof(err)), 0, "days 14");
	is_int(days, 14, "days 14: the value");
	is_int(relay_value_seconds("0", &secs, err, sizeof(err)), -1,
	    "seconds 0");
	is_str(err, "expected seconds > 0", "seconds: what was expected");
	is_int(relay_value_seconds("1.5", &secs, err, sizeof(err)), 0,
	    "seconds 1.5");
	ok(secs == 1.5, "seconds 1.5: the value");
	is_int(relay_value_seed("2147483648", &seed, err, sizeof(err)), -1,
	    "seed 2^31");
	is_str(err, "expected 0-2147483647", "seed: what was expected");
	is_int(relay_value_seed("42", &seed, err, sizeof(err)), 0, "seed 42");
	ok(seed == 42, "seed 42: the value");
	is_int(relay_value_tls("verify", &l, err, sizeof(err)), 0,
	    "--tls verify");
	is_int(l, RELAY_TLS_VERIFY, "--tls verify: the level");
	is_int(relay_value_tls("strict", &l, err, sizeof(err)), -1,
	    "--tls strict");
	is_str(err, "expected none, may, encrypt, verify, secure, dane, sts "
	    "or auto", "--tls: the levels named");
	for (i = 0; i < RELAY_MAX_VIA; i++)
		if (relay_param_add(&rp, true, "in.test", err, sizeof(err)) < 0)
			break;
	is_int(i, RELAY_MAX_VIA, "--via: up to the limit");
	is_int(relay_param_add(&rp, true, "in.test", err, sizeof(err)), -2,
	    "--via: one more is too many");
	is_str(err, "too many --via options (at most 8)", "--via: the limit");
	is_int(relay_param_add(&rp, false, "a..test", err, sizeof(err)), -1,
	    "-H: a bad host");
	is_int(rp.nrelays, 1, "-H: counted even when bad");
	relay_param_timeouts(&rp, 10);
	ok(rp.timeout == 10 && rp.stage_timeout == 2.5,
	    "the stage timeout's default: a quarter of -t");
	rp.stage_timeout = 1;
	relay_param_timeouts(&rp, 10);
	ok(rp.stage_timeout == 1, "a --stage-timeout given is kept");
}

int
main(void)
{
	test_outcomes();
	test_walks();
	test_all();
	test_sts();
	test_table();
	test_note();
	test_param();
	return tap_done();
}
