#include <config.h>

#include "mail/sender.h"
#include "net/addr.h"
#include "net/resolve.h"
#include "core/state.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define SENDER_MAX_HOSTS 64	/* -H names and the domain; MX targets */
#define SENDER_MAX_EXPAND 20	/* host bits of the largest range walked */

/* A name to resolve and where it came from. */
struct sender_host {
	struct resolve_host h;
	char origin[SENDER_ORIGIN_MAX];
};

/* One resolve set: round 1 (-H names, the domain) or 2 (MX targets). */
struct sender_set {
	struct resolve *r;
	struct sender_host hosts[SENDER_MAX_HOSTS];
	size_t n;
	bool started, done;
};

struct sender {
	struct dns *dns;
	struct sender_params par;
	struct sender_target *targets;
	size_t ntargets, naddrs;
	struct sender_note *notes;
	size_t nnotes, capnotes;
	size_t skipped, skipped_special;
	char domain[DNSBL_ZONE_MAX];	/* -S, "" when none */
	struct sender_set set[2];
	bool mx_asked, mx_pending;
	enum dns_status mx_status;
	struct spf_expand *spf;
	bool started, done, collected;
	sender_done_cb cb;
	void *arg;
	struct sender_result res;
};

int
sender_new(struct sender **out, struct dns *d,
    const struct sender_params *par)
{
	struct sender *s;
	int k;

	*out = NULL;
	s = calloc(1, sizeof(*s));
	if (s == NULL || (s->targets = calloc(SENDER_MAX_TARGETS,
	    sizeof(*s->targets))) == NULL) {
		free(s);
		state_note_oom("sender discovery");
		return -1;
	}
	s->dns = d;
	s->par = *par;
	for (k = 0; k < 2; k++)
		if (resolve_new(&s->set[k].r, d, par->family) < 0) {
			sender_free(s);
			state_note_oom("sender discovery");
			return -1;
		}
	*out = s;
	return 0;
}

void
sender_free(struct sender *s)
{
	size_t i;
	int k;

	if (s == NULL)
		return;
	for (k = 0; k < 2; k++) {
		resolve_free(s->set[k].r);
		for (i = 0; i < s->set[k].n; i++)
			resolve_host_release(&s->set[k].hosts[i].h);
	}
	spf_expand_free(s->spf);
	free(s->notes);
	free(s->targets);
	free(s);
}

/* ---- targets and notes ----------------------------------------------- */

static struct sender_note *
sender_note(struct sender *s, enum sender_note_kind kind, const char *what,
    const char *origin)
{
	struct sender_note *n;

	if (s->nnotes == s->capnotes) {
		size_t cap = s->capnotes ? s->capnotes * 2 : 16;

		n = realloc(s->notes, cap * sizeof(*n));
		if (n == NULL) {
			state_note_oom("sender notes");
			return NULL;
		}
		s->notes = n;
		s->capnotes = cap;
	}
	n = &s->notes[s->nnotes++];
	memset(n, 0, sizeof(*n));
	n->kind = kind;
	snprintf(n->what, sizeof(n->what), "%s", what);
	snprintf(n->origin, sizeof(n->origin), "%s", origin);
	return n;
}

static struct sender_target *
sender_find(struct sender *s, enum dnsbl_kind kind, int family,
    const unsigned char *addr, const char *name)
{
	size_t i;

	for (i = 0; i < s->ntargets; i++) {
		struct sender_target *t = &s->targets[i];

		if (t->kind != kind)
			continue;
		if (kind == DNSBL_IP ? t->family == family &&
		    memcmp(t->addr, addr, family == AF_INET ? 4 : 16) == 0 :
		    strcmp(t->name, name) == 0)
			return t;
	}
	return NULL;
}

static void
sender_target_add(struct sender *s, enum dnsbl_kind kind, int family,
    const unsigned char *addr, const char *name, const char *origin)
{
	struct sender_target *t = sender_find(s, kind, family, addr, name);

	if (t == NULL) {
		if (s->ntargets >= SENDER_MAX_TARGETS)
			return;
		t = &s->targets[s->ntargets++];
		memset(t, 0, sizeof(*t));
		t->kind = kind;
		t->family = family;
		if (kind == DNSBL_IP) {
			memcpy(t->addr, addr, family == AF_INET ? 4 : 16);
			inet_ntop(family, addr, t->name, sizeof(t->name));
			s->naddrs++;
		} else {
			snprintf(t->name, sizeof(t->name), "%s", name);
		}
	}
	sender_facts_origin_append(t->origin, origin);
}

/*
 * An address found somewhere: skip what is not a public sender.  An
 * address the user names with -H is checked whatever its scope: -H
 * 127.0.0.2 is the RFC 5782 §5 test point every list must list, and how
 * a list is tested by hand.  Only discovered ones (SPF, MX, A) are skipped.
 */
static void
sender_address(struct sender *s, int family, const unsigned char *addr,
    const char *origin, bool named)
{
	struct sender_note *n;
	const char *scope;
	char text[INET6_ADDRSTRLEN];

	if (family == AF_INET6 && memcmp(addr, "\0\0\0\0\0\0\0\0\0\0\xff\xff",
	    12) == 0) {
		family = AF_INET;	/* ::ffff:a.b.c.d is an IPv4 sender */
		addr += 12;
	}
	inet_ntop(family, addr, text, sizeof(text));
	if (s->par.family != AF_UNSPEC && family != s->par.family) {
		sender_note(s, SENDER_OTHER_FAMILY, text, origin);
		return;
	}
	if (!named && (scope = addr_scope(family, addr)) != NULL) {
		s->skipped_special++;
		if ((n = sender_note(s, SENDER_SPECIAL, text, origin)) != NULL)
			n->scope = scope;
		return;
	}
	if (sender_find(s, DNSBL_IP, family, addr, NULL) == NULL &&
	    s->naddrs >= s->par.max_addresses) {
		s->skipped++;
		sender_note(s, SENDER_OVER_MAX, text, origin);
		return;
	}
	sender_target_add(s, DNSBL_IP, family, addr, NULL, origin);
}

/* An SPF network: single addresses, small ranges expanded, big ones not. */
static void
sender_network(struct sender *s, const struct spf_net *net)
{
	int bits = net->family == AF_INET ? 32 : 128;
	int host = bits - net->prefix;
	size_t left = s->par.max_addresses > s->naddrs ?
	    s->par.max_addresses - s->naddrs : 0;
	struct sender_note *n;
	unsigned char a[16];
	unsigned long i, size;
	char text[INET6_ADDRSTRLEN];

	if (host == 0) {
		sender_address(s, net->family, net->addr, net->origin, false);
		return;
	}
	if (host >= SENDER_MAX_EXPAND || (1ul << host) > left) {
		s->skipped++;
		inet_ntop(net->family, net->addr, text, sizeof(text));
		if ((n = sender_note(s, SENDER_NOT_EXPANDED, text,
		    net->origin)) != NULL) {
			n->prefix = net->prefix;
			n->left = left;
		}
		return;
	}
	size = 1ul << host;
	for (i = 0; i < size; i++) {
		int k, byte = bits / 8 - 1;
		unsigned long v = i;

		memcpy(a, net->addr, sizeof(a));
		/* clear the host part, then add i */
		for (k = 0; k < host; k++)
			a[(bits - 1 - k) / 8] &= (unsigned char)~(1u <<
			    (k % 8));
		for (; v > 0 && byte >= 0; byte--, v >>= 8)
			a[byte] |= (unsigned char)(v & 255);
		sender_address(s, net->family, a, net->origin, false);
	}
}

/* ---- what to look up -------------------------------------------------- */

static int
sender_set_add(struct sender *s, int k, const char *name,
    const char *origin)
{
	struct sender_set *set = &s->set[k];
	struct sender_host *h;

	if (set->n >= SENDER_MAX_HOSTS)
		return -1;
	h = &set->hosts[set->n];
	memset(h, 0, sizeof(*h));
	if (resolve_add(set->r, &h->h, name, 0) < 0)
		return -1;
	snprintf(h->origin, sizeof(h->origin), "%s", origin);
	set->n++;
	return 0;
}

bool
sender_host_valid(const char *arg)
{
	unsigned char a[16];
	char name[DNSBL_ZONE_MAX], err[160];

	if (addr_parse(arg, a) != 0)
		return true;
	return strspn(arg, "0123456789.") != strlen(arg) &&
	    dns_name_normalize(arg, name, sizeof(name), err,
	    sizeof(err)) == 0;
}

int
sender_add_host(struct sender *s, const char *arg, char *err,
    size_t errlen)
{
	unsigned char a[16];
	char name[DNSBL_ZONE_MAX], origin[SENDER_ORIGIN_MAX];
	int family = addr_parse(arg, a);

	if (family != 0) {
		/* the unspecified address (RFC 6890) is no sender */
		if (addr_unspecified(family, a)) {
			snprintf(err, errlen, "the unspecified address is not "
			    "a sender");
			return -1;
		}
		sender_address(s, family, a, "-H", true);
		return 0;
	}
	if (dns_name_normalize(arg, name, sizeof(name), err, errlen) < 0)
		return -1;
	snprintf(origin, sizeof(origin), "-H %s", name);
	sender_target_add(s, DNSBL_DOMAIN, 0, NULL, name, "-H");
	if (sender_set_add(s, 0, name, origin) < 0) {
		snprintf(err, errlen, "too many host names");
		return -1;
	}
	return 0;
}

int
sender_add_domain(struct sender *s, const char *arg, char *err,
    size_t errlen)
{
	const char *at = strrchr(arg, '@');
	char origin[SENDER_ORIGIN_MAX];

	if (dns_name_normalize(at ? at + 1 : arg, s->domain,
	    sizeof(s->domain), err, errlen) < 0 ||
	    strchr(s->domain, '.') == NULL) {
		if (strchr(s->domain, '.') == NULL)
			snprintf(err, errlen, "not a domain");
		s->domain[0] = '\0';
		return -1;
	}
	sender_target_add(s, DNSBL_DOMAIN, 0, NULL, s->domain, "-S");
	snprintf(origin, sizeof(origin), "A of %s", s->domain);
	if (s->par.include_a && sender_set_add(s, 0, s->domain, origin) < 0) {
		snprintf(err, errlen, "too many host names");
		return -1;
	}
	return 0;
}

/* ---- the lookups --------------------------------------------------------- */

static void
sender_check_done(struct sender *s)
{
	if (s->done || !s->started || (s->set[0].started &&
	    !s->set[0].done) || s->mx_pending || (s->set[1].started &&
	    !s->set[1].done) || (s->spf != NULL &&
	    spf_expand_result(s->spf)->pending > 0))
		return;
	s->done = true;
	if (s->cb != NULL)
		s->cb(s->arg);
}

static void
sender_set_done(void *arg, struct resolve *r)
{
	struct sender *s = arg;

	s->set[r == s->set[0].r ? 0 : 1].done = true;
	sender_check_done(s);
}

static void
sender_set_start(struct sender *s, int k)
{
	if (s->set[k].n == 0)
		return;
	s->set[k].started = true;
	if (resolve_start(s->set[k].r, sender_set_done, s) < 0)
		s->set[k].done = true;	/* nothing sent: no answers */
}

static void
sender_on_mx(void *arg, struct dns_answer *a)
{
	struct sender *s = arg;
	char origin[SENDER_ORIGIN_MAX];
	size_t i;

	s->mx_pending = false;
	s->mx_status = a->status;
	for (i = 0; a->status == DNS_OK && i < a->n; i++) {
		const char *host = a->rr[i].u.mx.host;

		if (host[0] == '\0')
			continue;	/* RFC 7505 null MX: no host */
		snprintf(origin, sizeof(origin), "MX %s of %s", host,
		    s->domain);
		sender_set_add(s, 1, host, origin);
	}
	sender_set_start(s, 1);
	sender_check_done(s);
}

static void
sender_spf_done(void *arg)
{
	sender_check_done(arg);
}

int
sender_start(struct sender *s, sender_done_cb cb, void *arg)
{
	s->cb = cb;
	s->arg = arg;
	if (s->domain[0] != '\0' && s->par.spf && spf_expand_new(&s->spf,
	    s->dns, s->domain, sender_spf_done, s) < 0) {
		state_note_oom("SPF lookup");
		return -1;
	}
	if (s->domain[0] != '\0' && s->par.include_mx) {
		s->mx_asked = s->mx_pending = true;
		s->mx_status = DNS_TIMEOUT;
		if (dns_query(s->dns, s->domain, DNS_MX, sender_on_mx,
		    s) < 0) {
			s->mx_pending = false;
			s->mx_status = DNS_ERROR;
		}
	}
	sender_set_start(s, 0);
	s->started = true;
	sender_check_done(s);
	return 0;
}

bool
sender_done(const struct sender *s)
{
	return s->done;
}

/* ---- the result ---------------------------------------------------------- */

static void
sender_lookup_note(struct sender *s, int type, const char *name,
    enum dns_status st, const char *origin)
{
	struct sender_note *n = sender_note(s, SENDER_LOOKUP, name, origin);

	if (n != NULL) {
		n->type = type;
		n->status = st;
		n->type_text = dns_type_name(type);
		n->status_text = dns_status_name(st);
	}
}

/* A host's answers: A then AAAA, as they were asked. */
static void
sender_host_collect(struct sender *s, const struct sender_host *sh)
{
	static const int fams[2] = { AF_INET, AF_INET6 };
	const struct resolve_host *h = &sh->h;
	size_t i;
	int k;

	for (k = 0; k < 2; k++) {
		bool v4 = fams[k] == AF_INET;

		if (h->literal || !(v4 ? h->asked4 : h->asked6) ||
		    (v4 ? h->pending4 : h->pending6))
			continue;
		sender_lookup_note(s, v4 ? DNS_A : DNS_AAAA, h->name,
		    v4 ? h->st4 : h->st6, sh->origin);
		for (i = 0; i < h->naddrs; i++) {
			const struct sockaddr_storage *ss = &h->addrs[i].ss;

			if (ss->ss_family != fams[k])
				continue;
			sender_address(s, fams[k], v4 ?
			    (const unsigned char *)&((const struct
			    sockaddr_in *)ss)->sin_addr :
			    (const unsigned char *)&((const struct
			    sockaddr_in6 *)ss)->sin6_addr, sh->origin, false);
		}
	}
	/* an MX target that is an IP literal is its own address */
	for (i = 0; h->literal && i < h->naddrs; i++) {
		const struct sockaddr_storage *ss = &h->addrs[i].ss;

		sender_address(s, ss->ss_family, ss->ss_family == AF_INET ?
		    (const unsigned char *)&((const struct sockaddr_in *)ss)->
		    sin_addr : (const unsigned char *)&((const struct
		    sockaddr_in6 *)ss)->sin6_addr, sh->origin, false);
	}
}

const struct sender_result *
sender_result(struct sender *s)
{
	const struct spf_result *spf;
	size_t i;

	if (s->collected)
		return &s->res;
	s->collected = true;
	for (i = 0; i < s->set[0].n; i++)
		sender_host_collect(s, &s->set[0].hosts[i]);
	if (s->mx_asked && !s->mx_pending)
		sender_lookup_note(s, DNS_MX, s->domain, s->mx_status, "MX");
	for (i = 0; i < s->set[1].n; i++)
		sender_host_collect(s, &s->set[1].hosts[i]);
	if (s->spf != NULL) {
		spf = spf_expand_result(s->spf);
		for (i = 0; i < spf->nnets; i++)
			sender_network(s, &spf->nets[i]);
		s->res.spf = spf;
	}
	s->res.targets = s->targets;
	s->res.ntargets = s->ntargets;
	s->res.naddrs = s->naddrs;
	s->res.notes = s->notes;
	s->res.nnotes = s->nnotes;
	s->res.skipped = s->skipped;
	s->res.skipped_special = s->skipped_special;
	return &s->res;
}
