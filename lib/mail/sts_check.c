/*
 * sts_check - MTA-STS and TLS-RPT on the loop (see sts_check.h).
 */
#include <config.h>

#include "mail/sts_check.h"
#include "net/loop.h"
#include "net/resolve.h"
#include "core/state.h"
#include "core/text.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define STS_MAX_ADDRS 16	/* addresses of the policy host tried */
#define STS_HOST_MAX 262	/* "mta-sts." + 253 + NUL */

enum sts_query { Q_STS, Q_RPT, Q_N };

struct sts_run;

struct sts_q {
	struct sts_run *run;
	enum sts_query kind;
};

struct sts_run {
	struct sts_check *c;
	struct loop *loop;
	struct sts_params par;
	sts_done_cb cb;
	void *arg;
	struct sts_q q[Q_N];
	bool asked[Q_N], answered[Q_N];
	bool finished;
	char host[STS_HOST_MAX];
	struct dns *dns;
	struct resolve *res;		/* the policy host's addresses */
	struct resolve_host policy_host;
	bool addr_done;
	struct https *fetch;
};

void
sts_check_init(struct sts_check *c)
{
	memset(c, 0, sizeof(*c));
	c->outcome = STS_PENDING;
	c->rpt = RPT_PENDING;
}

void
sts_check_release(struct sts_check *c)
{
	if (c->run != NULL) {
		https_free(c->run->fetch);
		resolve_free(c->run->res);
		resolve_host_release(&c->run->policy_host);
		free(c->run);
	}
	sts_check_init(c);
}

/* ---- the run ---------------------------------------------------------- */

static void
finish(struct sts_run *run)
{
	struct sts_check *c = run->c;
	size_t i;

	if (run->finished)
		return;
	for (i = 0; i < Q_N; i++)
		if (run->asked[i] && !run->answered[i])
			return;
	if (!run->addr_done)
		return;
	if (run->fetch != NULL && c->fetch_pending)
		return;
	run->finished = true;
	run->cb(run->arg, c);
}

/* text/plain, with or without parameters, any case (RFC 8461 §3.3) */
static bool
plain_text(const char *ctype)
{
	size_t n = strlen("text/plain");

	return text_ncasecmp(ctype, "text/plain", n) == 0 &&
	    (ctype[n] == '\0' || ctype[n] == ';' || text_is_space(ctype[n]));
}

static void
on_fetch(void *arg, struct https *h)
{
	struct sts_run *run = arg;
	struct sts_check *c = run->c;
	const struct https_result *res = https_result(h);
	char err[200];

	c->fetch_pending = false;
	c->fetch_fail = res->fail;
	c->http_status = res->status;
	c->fetch_time = res->elapsed;
	if (res->fail != HTTPS_OK) {
		c->outcome = STS_FETCH_FAILED;
		snprintf(c->why, sizeof(c->why), "policy fetch from %s: %s",
		    run->host, res->error);
	} else if (!plain_text(res->ctype)) {
		c->outcome = STS_FETCH_FAILED;
		c->fetch_fail = HTTPS_E_STATUS;
		snprintf(c->why, sizeof(c->why), "policy fetch from %s: "
		    "Content-Type %s%s%s, not text/plain", run->host,
		    res->ctype[0] ? "\"" : "",
		    res->ctype[0] ? res->ctype : "missing",
		    res->ctype[0] ? "\"" : "");
	} else if (sts_policy_parse(res->body.data, res->body.len, &c->policy,
	    err, sizeof(err)) < 0) {
		c->outcome = STS_POLICY_INVALID;
		snprintf(c->why, sizeof(c->why), "policy: %s", err);
	} else
		c->outcome = STS_USABLE;
	finish(run);
}

static void
start_fetch(struct sts_run *run)
{
	struct sts_check *c = run->c;
	struct https_request rq;
	const struct resolve_host *ph = &run->policy_host;
	const char *addrs[STS_MAX_ADDRS];
	char err[200];
	size_t i, n = 0;

	/* net/resolve's order: IPv6 first, then IPv4, each as answered */
	for (i = 0; i < ph->naddrs && n < STS_MAX_ADDRS; i++)
		addrs[n++] = ph->addrs[i].text;
	if (n == 0) {
		c->outcome = STS_FETCH_FAILED;
		c->fetch_fail = HTTPS_E_CONNECT;
		snprintf(c->why, sizeof(c->why), "%s has no address%s",
		    run->host, run->par.family == AF_INET ? " (IPv4 only)" :
		    run->par.family == AF_INET6 ? " (IPv6 only)" : "");
		return;
	}
	memset(&rq, 0, sizeof(rq));
	rq.host = run->host;
	rq.path = "/.well-known/mta-sts.txt";	/* RFC 8461 §3.3 */
	rq.addrs = addrs;
	rq.naddrs = n;
	rq.cafile = run->par.cafile;
	rq.max_size = STS_BODY_MAX;
	/* never past the run's deadline: a timeout here is a verdict */
	rq.timeout = run->par.fetch_timeout;
	if (loop_remaining(run->loop) * 0.9 < rq.timeout)
		rq.timeout = loop_remaining(run->loop) * 0.9;
	c->fetched = true;
	if (https_get(&run->fetch, run->loop, &rq, on_fetch, run, err,
	    sizeof(err)) < 0) {
		c->outcome = STS_FETCH_FAILED;
		c->fetch_fail = HTTPS_E_LOCAL;
		snprintf(c->why, sizeof(c->why), "%s", err);
		return;
	}
	c->fetch_pending = true;
}

/* Both the TXT answer and the addresses are in: fetch, or not. */
static void
maybe_fetch(struct sts_run *run)
{
	/* once: the outcome stays pending while the fetch runs */
	if (!run->answered[Q_STS] || run->c->outcome != STS_PENDING ||
	    !run->addr_done || run->c->fetched)
		return;
	start_fetch(run);
}

static void
on_sts_txt(struct sts_run *run, const struct dns_answer *a)
{
	struct sts_check *c = run->c;
	const struct dns_rr *one = NULL;
	char err[200];
	size_t i;

	c->txt_pending = false;
	c->txt_status = a->status;
	if (a->status == DNS_NXDOMAIN || a->status == DNS_NODATA) {
		c->outcome = STS_ABSENT;
		return;
	}
	if (a->status != DNS_OK) {
		c->outcome = STS_DNS_FAILED;
		snprintf(c->why, sizeof(c->why), "TXT _mta-sts: %s",
		    dns_status_name(a->status));
		return;
	}
	/* §3.1: discard records not starting v=STSv1, then exactly one */
	for (i = 0; i < a->n; i++)
		if (sts_txt_is_sts(a->rr[i].u.txt.text, a->rr[i].u.txt.len)) {
			c->nsts++;
			one = &a->rr[i];
		}
	if (c->nsts == 0)
		c->outcome = STS_ABSENT;
	else if (c->nsts > 1) {
		c->outcome = STS_TXT_SEVERAL;
		snprintf(c->why, sizeof(c->why), "%zu v=STSv1 TXT records at "
		    "_mta-sts (RFC 8461 section 3.1 wants exactly one)",
		    c->nsts);
	} else if (sts_txt_parse(one->u.txt.text, one->u.txt.len, c->id, err,
	    sizeof(err)) < 0) {
		c->outcome = STS_TXT_INVALID;
		snprintf(c->why, sizeof(c->why), "TXT _mta-sts: %s", err);
	}
}

static void
on_rpt_txt(struct sts_run *run, const struct dns_answer *a)
{
	struct sts_check *c = run->c;
	const struct dns_rr *one = NULL;
	size_t i, n = 0;
	char err[200];

	c->rpt_pending = false;
	if (a->status == DNS_NXDOMAIN || a->status == DNS_NODATA) {
		c->rpt = RPT_ABSENT;
		return;
	}
	if (a->status != DNS_OK) {
		c->rpt = RPT_DNS_FAILED;
		snprintf(c->rpt_why, sizeof(c->rpt_why), "TXT _smtp._tls: %s",
		    dns_status_name(a->status));
		return;
	}
	/* RFC 8460 §3: records not starting v=TLSRPTv1 are discarded */
	for (i = 0; i < a->n; i++)
		if (sts_tlsrpt_is_tlsrpt(a->rr[i].u.txt.text,
		    a->rr[i].u.txt.len)) {
			n++;
			one = &a->rr[i];
		}
	if (n == 0)
		c->rpt = RPT_ABSENT;
	else if (n > 1) {
		c->rpt = RPT_SEVERAL;
		snprintf(c->rpt_why, sizeof(c->rpt_why), "%zu v=TLSRPTv1 TXT "
		    "records at _smtp._tls (RFC 8460 section 3 wants exactly "
		    "one)", n);
	} else if (sts_tlsrpt_parse(one->u.txt.text, one->u.txt.len,
	    &c->tlsrpt, err, sizeof(err)) < 0) {
		c->rpt = RPT_INVALID;
		snprintf(c->rpt_why, sizeof(c->rpt_why), "%s", err);
	} else
		c->rpt = RPT_VALID;
}

static void
on_addrs(void *arg, struct resolve *r)
{
	struct sts_run *run = arg;

	(void)r;
	run->addr_done = true;
	run->c->addr_pending = false;
	if (run->finished)
		return;	/* still sending: sts_check_start() goes on */
	maybe_fetch(run);
	finish(run);
}

static void
on_answer(void *arg, struct dns_answer *a)
{
	struct sts_q *q = arg;
	struct sts_run *run = q->run;

	run->answered[q->kind] = true;
	switch (q->kind) {
	case Q_STS:
		on_sts_txt(run, a);
		break;
	case Q_RPT:
		on_rpt_txt(run, a);
		break;
	default:
		break;
	}
	if (run->finished)
		return;	/* still sending: sts_check_start() goes on */
	maybe_fetch(run);
	finish(run);
}

static int
ask(struct sts_run *run, enum sts_query kind, const char *name, int type)
{
	run->q[kind].run = run;
	run->q[kind].kind = kind;
	run->asked[kind] = true;
	return dns_query(run->dns, name, type, on_answer, &run->q[kind]);
}

int
sts_check_start(struct sts_check *c, struct loop *l, struct dns *d,
    const char *domain, const struct sts_params *par, sts_done_cb cb,
    void *arg, char *err, size_t errlen)
{
	struct sts_run *run;
	char name[STS_HOST_MAX + 8];

	if (strlen(domain) > 253 - strlen("_smtp._tls.")) {
		snprintf(err, errlen, "domain too long for _smtp._tls and "
		    "_mta-sts names");
		return -1;
	}
	run = calloc(1, sizeof(*run));
	if (run == NULL) {
		state_note_oom("MTA-STS lookup");
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	c->run = run;
	run->c = c;
	run->loop = l;
	run->dns = d;
	run->par = *par;
	run->cb = cb;
	run->arg = arg;
	snprintf(run->host, sizeof(run->host), "mta-sts.%s", domain);
	c->txt_pending = c->rpt_pending = true;
	c->addr_pending = true;
	/*
	 * Everything of the first round at once: the policy host's
	 * addresses are asked beside the TXT record (a sender would wait for
	 * the TXT first), so the fetch costs no resolver round trip of its
	 * own.  Answers may come inside dns_query(): finish() waits until
	 * every query was sent.
	 */
	run->asked[Q_STS] = run->asked[Q_RPT] = true;
	run->finished = true;	/* no callback while sending */
	snprintf(name, sizeof(name), "_mta-sts.%s", domain);
	if (ask(run, Q_STS, name, DNS_TXT) < 0)
		goto fail;
	snprintf(name, sizeof(name), "_smtp._tls.%s", domain);
	if (ask(run, Q_RPT, name, DNS_TXT) < 0)
		goto fail;
	if (resolve_new(&run->res, d, par->family) < 0 ||
	    resolve_add(run->res, &run->policy_host, run->host, 443) < 0 ||
	    resolve_start(run->res, on_addrs, run) < 0)
		goto fail;
	run->finished = false;
	maybe_fetch(run);
	finish(run);
	return 0;
fail:
	snprintf(err, errlen, "cannot send the MTA-STS queries for %s",
	    domain);
	return -1;
}
