#include <config.h>

#include "mail/dnsbl_query.h"
#include "mail/regdom.h"
#include "net/dns.h"
#include "core/state.h"
#include "core/text.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

struct dnsbl_target {
	enum dnsbl_kind kind;
	int family;
	unsigned char addr[16];
	char name[DNSBL_ZONE_MAX];
	char reg[DNSBL_ZONE_MAX];	/* registered domain, "" = name */
};

/* One answer's bookkeeping: which parts are still out. */
struct dnsbl_slot {
	struct dnsbl_query *q;
	bool a_done, txt_done, want_txt;
	char wire[DNSBL_NAME_MAX];	/* the name asked (a DQS key in it) */
};

struct dnsbl_pair {
	size_t target, zone;
};

struct dnsbl_query {
	struct dns *dns;
	const struct dnsbl_spec *specs;
	size_t nspecs;
	struct dnsbl_query_params par;
	void *arg;
	struct dnsbl_target *targets;
	size_t ntargets, captargets;
	struct dnsbl_zone *zones;
	size_t nzones;
	struct dnsbl_answer *answers;
	struct dnsbl_slot *slots;
	size_t nanswers, capanswers, dropped;
	struct dnsbl_pair *toolong;
	size_t ntoolong;
	size_t next;		/* the next answer to send */
	size_t open;		/* answers with a part still out */
	bool sending, started, done;
	dnsbl_query_cb cb;
	struct regdom *regdom;		/* loaded when a domain list needs it */
};

int
dnsbl_query_new(struct dnsbl_query **out, struct dns *d,
    const struct dnsbl_spec *specs, size_t nspecs,
    const struct dnsbl_query_params *par, void *arg)
{
	struct dnsbl_query *q;
	size_t i, k;

	*out = NULL;
	q = calloc(1, sizeof(*q));
	if (q == NULL || (q->zones = calloc(nspecs ? nspecs : 1,
	    sizeof(*q->zones))) == NULL) {
		free(q);
		state_note_oom("DNSBL queries");
		return -1;
	}
	q->dns = d;
	q->specs = specs;
	q->nspecs = nspecs;
	q->par = *par;
	q->arg = arg;
	/* a zone given several times (filters, weights) is asked once */
	for (i = 0; i < nspecs; i++) {
		for (k = 0; k < q->nzones; k++)
			if (q->zones[k].spec->kind == specs[i].kind &&
			    strcmp(q->zones[k].spec->zone, specs[i].zone) == 0)
				break;
		if (k == q->nzones)
			q->zones[q->nzones++].spec = &specs[i];
	}
	*out = q;
	return 0;
}

void
dnsbl_query_free(struct dnsbl_query *q)
{
	if (q == NULL)
		return;
	free(q->targets);
	free(q->zones);
	free(q->answers);
	free(q->slots);
	free(q->toolong);
	regdom_free(q->regdom);
	free(q);
}

int
dnsbl_query_add(struct dnsbl_query *q, enum dnsbl_kind kind, int family,
    const unsigned char *addr, const char *name)
{
	struct dnsbl_target *t;

	if (q->ntargets == q->captargets) {
		size_t cap = q->captargets ? q->captargets * 2 : 16;

		t = realloc(q->targets, cap * sizeof(*t));
		if (t == NULL) {
			state_note_oom("DNSBL targets");
			return -1;
		}
		q->targets = t;
		q->captargets = cap;
	}
	t = &q->targets[q->ntargets++];
	memset(t, 0, sizeof(*t));
	t->kind = kind;
	t->family = family;
	if (kind == DNSBL_IP)
		memcpy(t->addr, addr, family == AF_INET ? 4 : 16);
	else
		snprintf(t->name, sizeof(t->name), "%s", name);
	return 0;
}

static void
dnsbl_query_pair(struct dnsbl_query *q, enum dnsbl_role role,
    enum dnsbl_control c, size_t target, size_t zone, const char *name,
    bool registered)
{
	struct dnsbl_answer *a;
	struct dnsbl_slot *s;

	if (q->nanswers >= q->capanswers) {
		q->dropped++;
		return;
	}
	a = &q->answers[q->nanswers];
	s = &q->slots[q->nanswers++];
	memset(a, 0, sizeof(*a));
	a->role = role;
	a->control = c;
	a->target = target;
	a->zone = zone;
	a->registered = registered;
	a->status = DNS_TIMEOUT;	/* until an answer says otherwise */
	snprintf(s->wire, sizeof(s->wire), "%s", name);
	dnsbl_name_masked(q->zones[zone].spec, name, a->name,
	    sizeof(a->name));
	s->q = q;
	s->want_txt = role == DNSBL_Q_TARGET && q->par.txt;
	s->txt_done = !s->want_txt;
}

static void
dnsbl_query_ctl(struct dnsbl_query *q, enum dnsbl_control c, size_t z,
    const char *name)
{
	dnsbl_query_pair(q, DNSBL_Q_CONTROL, c, 0, z, name, false);
}

/*
 * RFC 5782 §5 controls of one zone.  The positive one always, in the same
 * round: a zone that does not exist or lists nothing answers NXDOMAIN for
 * every query, which would read as clean.  The full test (negative, and
 * the IPv6 pair when an IPv6 address is checked) with --selftest.
 */
static void
dnsbl_query_controls(struct dnsbl_query *q, size_t z, bool have6)
{
	static const unsigned char c2[4] = { 127, 0, 0, 2 },
	    c1[4] = { 127, 0, 0, 1 };
	static const unsigned char m2[16] = { [10] = 0xff, [11] = 0xff,
		127, 0, 0, 2 }, m1[16] = { [10] = 0xff, [11] = 0xff,
		127, 0, 0, 1 };
	const char *zone = dnsbl_spec_qzone(q->zones[z].spec);
	char name[DNSBL_NAME_MAX];

	if (q->zones[z].spec->kind == DNSBL_DOMAIN) {
		dnsbl_domain_name("test", zone, name, sizeof(name));
		dnsbl_query_ctl(q, DNSBL_CTL_POS, z, name);
		if (!q->par.selftest)
			return;
		dnsbl_domain_name("invalid", zone, name, sizeof(name));
		dnsbl_query_ctl(q, DNSBL_CTL_NEG, z, name);
		return;
	}
	dnsbl_ip_name(AF_INET, c2, false, zone, name, sizeof(name));
	dnsbl_query_ctl(q, DNSBL_CTL_POS, z, name);
	if (!q->par.selftest)
		return;
	dnsbl_ip_name(AF_INET, c1, false, zone, name, sizeof(name));
	dnsbl_query_ctl(q, DNSBL_CTL_NEG, z, name);
	if (!have6)
		return;
	/* ::FFFF:7F00:2 as 32 nibbles, not as IPv4 */
	if (dnsbl_ip_name(AF_INET6, m2, true, zone, name, sizeof(name)) == 0)
		dnsbl_query_ctl(q, DNSBL_CTL_POS6, z, name);
	if (dnsbl_ip_name(AF_INET6, m1, true, zone, name, sizeof(name)) == 0)
		dnsbl_query_ctl(q, DNSBL_CTL_NEG6, z, name);
}

/*
 * RFC 5782 §3: a host name on a domain list is asked as its registered
 * domain (the Public Suffix List), and as itself where the list lists
 * host names too.  Returns how many targets have a registered domain of
 * their own.
 */
static size_t
dnsbl_query_registered_domains(struct dnsbl_query *q)
{
	size_t t, z, n = 0;
	bool domlist = false;

	for (z = 0; z < q->nzones; z++)
		domlist |= q->zones[z].spec->kind == DNSBL_DOMAIN;
	for (t = 0; domlist && t < q->ntargets; t++) {
		struct dnsbl_target *tg = &q->targets[t];

		if (tg->kind != DNSBL_DOMAIN)
			continue;
		if (q->regdom == NULL && (q->regdom = regdom_new()) == NULL)
			return n;	/* no list: each name as it is */
		if (regdom_get(q->regdom, tg->name, tg->reg,
		    sizeof(tg->reg)) < 0 || strcmp(tg->reg, tg->name) == 0)
			tg->reg[0] = '\0';
		n += tg->reg[0] != '\0';
	}
	return n;
}

/* A target on one list: its query names (a domain: up to two). */
static void
dnsbl_query_target_pairs(struct dnsbl_query *q, size_t t, size_t z)
{
	const struct dnsbl_target *tg = &q->targets[t];
	const struct dnsbl_spec *s = q->zones[z].spec;
	const char *names[2];
	char name[DNSBL_NAME_MAX];
	size_t n = 0, i;

	if (tg->kind == DNSBL_IP || tg->reg[0] == '\0' ||
	    dnsbl_zone_wants_hosts(s->zone))
		names[n++] = tg->name;
	if (tg->kind == DNSBL_DOMAIN && tg->reg[0] != '\0')
		names[n++] = tg->reg;
	for (i = 0; i < n; i++) {
		if ((tg->kind == DNSBL_IP ? dnsbl_ip_name(tg->family,
		    tg->addr, false, dnsbl_spec_qzone(s), name,
		    sizeof(name)) : dnsbl_domain_name(names[i],
		    dnsbl_spec_qzone(s), name, sizeof(name))) < 0) {
			if (q->ntoolong < q->capanswers) {
				q->toolong[q->ntoolong].target = t;
				q->toolong[q->ntoolong++].zone = z;
			}
			continue;
		}
		dnsbl_query_pair(q, DNSBL_Q_TARGET, DNSBL_CTL_POS, t, z, name,
		    names[i] == tg->reg);
	}
}

int
dnsbl_query_build(struct dnsbl_query *q)
{
	bool have6 = false;
	size_t z, t, nreg = dnsbl_query_registered_domains(q);

	q->capanswers = q->nzones * (q->ntargets + nreg + 4);
	if (q->capanswers > DNSBL_QUERY_MAX)
		q->capanswers = DNSBL_QUERY_MAX;
	q->answers = calloc(q->capanswers ? q->capanswers : 1,
	    sizeof(*q->answers));
	q->slots = calloc(q->capanswers ? q->capanswers : 1,
	    sizeof(*q->slots));
	q->toolong = calloc(q->capanswers ? q->capanswers : 1,
	    sizeof(*q->toolong));
	if (q->answers == NULL || q->slots == NULL || q->toolong == NULL) {
		state_note_oom("DNSBL queries");
		return -1;
	}
	for (t = 0; t < q->ntargets; t++)
		have6 |= q->targets[t].kind == DNSBL_IP &&
		    q->targets[t].family == AF_INET6;
	for (z = 0; z < q->nzones; z++) {
		const struct dnsbl_spec *s = q->zones[z].spec;

		for (t = 0; t < q->ntargets; t++)
			if (q->targets[t].kind == s->kind)
				dnsbl_query_target_pairs(q, t, z);
		dnsbl_query_controls(q, z, have6);
	}
	return 0;
}

/* ---- sending and answers ------------------------------------------------ */

static void dnsbl_query_send(struct dnsbl_query *q);

static int
dnsbl_code_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static int
dnsbl_txt_cmp(const void *a, const void *b)
{
	const struct dns_rr *x = a, *y = b;
	size_t n = x->u.txt.len < y->u.txt.len ? x->u.txt.len : y->u.txt.len;
	int c = memcmp(x->u.txt.text, y->u.txt.text, n);

	return c ? c : (x->u.txt.len > y->u.txt.len) -
	    (x->u.txt.len < y->u.txt.len);
}

static struct dnsbl_answer *
dnsbl_slot_answer(struct dnsbl_slot *s)
{
	return &s->q->answers[s - s->q->slots];
}

static void
dnsbl_query_part_done(struct dnsbl_slot *s)
{
	struct dnsbl_query *q = s->q;

	if (s->a_done && s->txt_done)
		q->open--;
	dnsbl_query_send(q);
	if (!q->done && q->open == 0 && q->next == q->nanswers &&
	    !q->sending) {
		q->done = true;
		if (q->cb != NULL)
			q->cb(q->arg);
	}
}

static void
dnsbl_query_on_a(void *arg, struct dns_answer *da)
{
	struct dnsbl_slot *s = arg;
	struct dnsbl_answer *a = dnsbl_slot_answer(s);
	size_t i;

	s->a_done = true;
	a->answered = true;
	a->status = da->status;
	a->elapsed = da->elapsed;
	for (i = 0; da->status == DNS_OK && i < da->n &&
	    a->ncodes < DNSBL_MAX_CODES; i++)
		a->codes[a->ncodes++] = ntohl(da->rr[i].u.a.s_addr);
	/* deterministic output whatever order the resolver used */
	qsort(a->codes, a->ncodes, sizeof(a->codes[0]), dnsbl_code_cmp);
	dnsbl_query_part_done(s);
}

/* A reason that echoes the query name must not show a DQS key either. */
static void
dnsbl_key_mask(const struct dnsbl_spec *sp, char *text, size_t size)
{
	char out[DNSBL_TXT_MAX], key[DNSBL_ZONE_MAX];
	const char *p = text, *hit;
	size_t used = 0;
	int w;

	if (sp->keylen == 0 || sp->keylen >= sizeof(key))
		return;
	/* the key is the first keylen octets of qzone */
	memcpy(key, sp->qzone, sp->keylen);
	key[sp->keylen] = '\0';
	while (used < sizeof(out) && (hit = strstr(p, key)) != NULL) {
		w = snprintf(out + used, sizeof(out) - used, "%.*s<key>",
		    (int)(hit - p), p);
		if (w < 0)
			break;
		used += (size_t)w;
		p = hit + sp->keylen;
	}
	if (used < sizeof(out))
		snprintf(out + used, sizeof(out) - used, "%s", p);
	out[sizeof(out) - 1] = '\0';
	snprintf(text, size, "%s", out);
}

static void
dnsbl_query_on_txt(void *arg, struct dns_answer *da)
{
	struct dnsbl_slot *s = arg;
	struct dnsbl_answer *a = dnsbl_slot_answer(s);
	size_t i, used = 0;

	s->txt_done = true;
	if (da->status == DNS_OK && da->n > 1)
		qsort(da->rr, da->n, sizeof(da->rr[0]), dnsbl_txt_cmp);
	for (i = 0; da->status == DNS_OK && i < da->n; i++) {
		char clean[DNSBL_TXT_MAX];

		/* network text: sanitised before it goes anywhere */
		text_sanitize(clean, sizeof(clean), da->rr[i].u.txt.text,
		    da->rr[i].u.txt.len, 120);
		dnsbl_key_mask(s->q->zones[a->zone].spec, clean,
		    sizeof(clean));
		if (used + strlen(clean) + 4 >= sizeof(a->txt))
			break;
		used += (size_t)snprintf(a->txt + used, sizeof(a->txt) - used,
		    "%s%s", used ? " / " : "", clean);
	}
	dnsbl_query_part_done(s);
}

/* Fill the window: two queries (A, TXT) per pair at most. */
static void
dnsbl_query_send(struct dnsbl_query *q)
{
	if (q->sending || !q->started)
		return;		/* an answer that came inside dns_query() */
	q->sending = true;
	while (q->next < q->nanswers &&
	    dns_pending(q->dns) + 2 <= DNSBL_QUERY_INFLIGHT) {
		struct dnsbl_slot *s = &q->slots[q->next];
		struct dnsbl_answer *a = &q->answers[q->next++];

		if (a->cached)
			continue;
		q->open++;
		if (dns_query(q->dns, s->wire, DNS_A, dnsbl_query_on_a,
		    s) < 0) {
			s->a_done = s->txt_done = true;
			a->answered = true;	/* no answer will come */
			a->status = DNS_ERROR;
			q->open--;
			continue;
		}
		if (s->want_txt && !s->txt_done && dns_query(q->dns, s->wire,
		    DNS_TXT, dnsbl_query_on_txt, s) < 0)
			s->txt_done = true;
	}
	q->sending = false;
}

/* Test points answered by the cache are not asked again. */
static void
dnsbl_query_from_cache(struct dnsbl_query *q)
{
	size_t i;

	for (i = 0; q->par.cache != NULL && i < q->nanswers; i++) {
		struct dnsbl_answer *a = &q->answers[i];

		if (a->role != DNSBL_Q_CONTROL || !dnsbl_cache_get(q->par.cache,
		    a->name, &a->status, a->codes, &a->ncodes))
			continue;
		a->answered = a->cached = true;
		q->slots[i].a_done = q->slots[i].txt_done = true;
	}
}

void
dnsbl_query_start(struct dnsbl_query *q, dnsbl_query_cb cb)
{
	q->cb = cb;
	q->started = true;
	dnsbl_query_from_cache(q);
	dnsbl_query_send(q);
	if (!q->done && q->open == 0 && q->next == q->nanswers) {
		q->done = true;
		if (cb != NULL)
			cb(q->arg);
	}
}

bool
dnsbl_query_done(const struct dnsbl_query *q)
{
	return q->done;
}

const struct dnsbl_answer *
dnsbl_query_answers(const struct dnsbl_query *q, size_t *n)
{
	*n = q->nanswers;
	return q->answers;
}

const struct dnsbl_zone *
dnsbl_query_zones(struct dnsbl_query *q, size_t *n)
{
	size_t i;

	for (i = 0; i < q->nzones; i++) {
		q->zones[i].broken = q->zones[i].broken6 = false;
		q->zones[i].broken_why[0] = '\0';
	}
	for (i = 0; i < q->nanswers; i++) {
		const struct dnsbl_answer *a = &q->answers[i];
		struct dnsbl_zone *zn = &q->zones[a->zone];
		bool v6 = a->control == DNSBL_CTL_POS6 ||
		    a->control == DNSBL_CTL_NEG6;

		if (a->role != DNSBL_Q_CONTROL || zn->broken ||
		    (v6 && zn->broken6))
			continue;
		if (!dnsbl_verdict_control_fails(a->control, a->name,
		    zn->spec->zone, a->status, a->codes, a->ncodes,
		    q->par.selftest, zn->broken_why, sizeof(zn->broken_why))) {
			/* a passing test point is kept for the next runs;
			 * a failing one is asked again each time */
			if (q->par.cache != NULL && a->answered && !a->cached)
				dnsbl_cache_put(q->par.cache, a->name,
				    a->status, a->codes, a->ncodes);
			continue;
		}
		/* a list without IPv6 support still serves IPv4 */
		if (v6)
			zn->broken6 = true;
		else
			zn->broken = true;
	}
	*n = q->nzones;
	return q->zones;
}

size_t
dnsbl_query_dropped(const struct dnsbl_query *q)
{
	return q->dropped;
}

void
dnsbl_query_toolong(const struct dnsbl_query *q,
    void (*each)(void *arg, size_t target, size_t zone), void *arg)
{
	size_t i;

	for (i = 0; i < q->ntoolong; i++)
		each(arg, q->toolong[i].target, q->toolong[i].zone);
}

const char *
dnsbl_query_registered(const struct dnsbl_query *q, size_t target)
{
	return q->targets[target].reg[0] != '\0' ? q->targets[target].reg :
	    NULL;
}

const struct dnsbl_spec *
dnsbl_query_specs(const struct dnsbl_query *q, size_t *n)
{
	*n = q->nspecs;
	return q->specs;
}

const struct dnsbl_zone *
dnsbl_query_zone(const struct dnsbl_query *q, size_t zone)
{
	return &q->zones[zone];
}

int
dnsbl_query_family(const struct dnsbl_query *q, size_t target,
    enum dnsbl_kind *kind)
{
	*kind = q->targets[target].kind;
	return q->targets[target].family;
}
