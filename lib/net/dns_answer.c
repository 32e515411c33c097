#include <config.h>

#include "net/dns_answer.h"
#include "core/state.h"
#include "core/text.h"

#include <arpa/inet.h>
#include <ares.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Bounds on what one answer may make us hold. */
#define DNS_MAX_RR 512
#define DNS_MAX_TXT 65535
#define DNS_MAX_CHAIN 16

/* ---- answer parsing ---------------------------------------------------- */

static unsigned
get16(const unsigned char *p)
{
	return ((unsigned)p[0] << 8) | p[1];
}

static uint32_t
get32(const unsigned char *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	    ((uint32_t)p[2] << 8) | p[3];
}

/* c-ares reports its own allocation failures as a status */
static void
dns_note_status(int status, const char *what)
{
	if (status == ARES_ENOMEM)
		state_note_oom(what);
}

/* Expand a (possibly compressed) name that must end within [p, end). */
static int
dns_expand(const unsigned char *abuf, size_t alen, const unsigned char *p,
    const unsigned char *end, char **name, long *enclen)
{
	int r;

	if (p >= end)
		return -1;
	r = ares_expand_name(p, abuf, (int)alen, name, enclen);
	if (r != ARES_SUCCESS) {
		dns_note_status(r, "DNS answer");
		return -1;
	}
	if (*enclen <= 0 || p + *enclen > end) {
		ares_free_string(*name);
		*name = NULL;
		return -1;
	}
	return 0;
}

static bool
dns_same_name(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	/* ignore one trailing dot on either side */
	if (la > 0 && a[la - 1] == '.')
		la--;
	if (lb > 0 && b[lb - 1] == '.')
		lb--;
	return la == lb && text_ncasecmp(a, b, la) == 0;
}

static char *
dns_strdup_ares(char *s)
{
	char *c = strdup(s);

	if (c == NULL)
		state_note_oom("DNS answer");
	ares_free_string(s);
	return c;
}

struct rr_ref {
	char *owner;
	unsigned type, cls;
	uint32_t ttl;
	const unsigned char *rdata;
	unsigned rdlen;
};

/* Parse one record's RDATA of the wanted type into rr; -1 if malformed. */
static int
dns_parse_rdata(const unsigned char *abuf, size_t alen,
    const struct rr_ref *ref, struct dns_rr *rr)
{
	const unsigned char *p = ref->rdata, *end = ref->rdata + ref->rdlen;
	char *name = NULL;
	long enc;

	memset(rr, 0, sizeof(*rr));
	rr->ttl = ref->ttl;
	switch (ref->type) {
	case DNS_A:
		if (ref->rdlen != 4)
			return -1;
		memcpy(&rr->u.a, p, 4);
		return 0;
	case DNS_AAAA:
		if (ref->rdlen != 16)
			return -1;
		memcpy(&rr->u.aaaa, p, 16);
		return 0;
	case DNS_MX:
		if (ref->rdlen < 3)
			return -1;
		rr->u.mx.pref = get16(p);
		if (dns_expand(abuf, alen, p + 2, end, &name, &enc) < 0 ||
		    p + 2 + enc != end) {
			if (name)
				ares_free_string(name);
			return -1;
		}
		rr->u.mx.host = dns_strdup_ares(name);
		return rr->u.mx.host ? 0 : -1;
	case DNS_PTR:
	case DNS_CNAME:
		if (dns_expand(abuf, alen, p, end, &name, &enc) < 0 ||
		    p + enc != end) {
			if (name)
				ares_free_string(name);
			return -1;
		}
		rr->u.name = dns_strdup_ares(name);
		return rr->u.name ? 0 : -1;
	case DNS_TXT: {
		size_t total = 0;
		const unsigned char *q;

		if (ref->rdlen == 0)
			return -1;
		/* RFC 1035 §3.3.14: one or more <character-string>s */
		for (q = p; q < end; q += 1 + *q) {
			if (q + 1 + *q > end)
				return -1;
			total += *q;
		}
		if (total > DNS_MAX_TXT)
			return -1;
		rr->u.txt.text = malloc(total + 1);
		if (rr->u.txt.text == NULL) {
			state_note_oom("DNS answer");
			return -1;
		}
		for (q = p; q < end; q += 1 + *q) {
			memcpy(rr->u.txt.text + rr->u.txt.len, q + 1, *q);
			rr->u.txt.len += *q;
		}
		rr->u.txt.text[rr->u.txt.len] = '\0';
		return 0;
	}
	case DNS_TLSA:
		/* RFC 6698 §2.1: usage, selector, matching type, data */
		if (ref->rdlen < 3)
			return -1;
		rr->u.tlsa.usage = p[0];
		rr->u.tlsa.selector = p[1];
		rr->u.tlsa.mtype = p[2];
		rr->u.tlsa.len = ref->rdlen - 3;
		rr->u.tlsa.data = malloc(rr->u.tlsa.len + 1);
		if (rr->u.tlsa.data == NULL) {
			state_note_oom("DNS answer");
			return -1;
		}
		memcpy(rr->u.tlsa.data, p + 3, rr->u.tlsa.len);
		return 0;
	default:
		return -1;
	}
}

static void
dns_rr_release(int type, struct dns_rr *rr)
{
	switch (type) {
	case DNS_MX:
		free(rr->u.mx.host);
		break;
	case DNS_PTR:
	case DNS_CNAME:
		free(rr->u.name);
		break;
	case DNS_TXT:
		free(rr->u.txt.text);
		break;
	case DNS_TLSA:
		free(rr->u.tlsa.data);
		break;
	default:
		break;
	}
}

void
dns_answer_release(struct dns_answer *a)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		dns_rr_release(a->type, &a->rr[i]);
	free(a->rr);
	free(a->cname);
	a->rr = NULL;
	a->cname = NULL;
	a->n = 0;
}

void
dns_answer_move(struct dns_answer *dst, struct dns_answer *src)
{
	*dst = *src;
	src->rr = NULL;
	src->cname = NULL;
	src->n = 0;
}

int
dns_answer_parse(const unsigned char *abuf, size_t alen, const char *qname,
    int type, struct dns_answer *out)
{
	struct rr_ref *refs = NULL;
	const unsigned char *p, *end = abuf + alen;
	unsigned qd, an, i, nrefs = 0, hops;
	const char *cur = qname;
	char *name;
	long enc;
	int ret = -1;

	memset(out, 0, sizeof(*out));
	out->type = type;
	out->status = DNS_BADANSWER;
	if (alen < 12 || alen > 65535 || !(abuf[2] & 0x80))
		return -1;
	out->rcode = abuf[3] & 0x0f;
	out->ad = (abuf[3] & 0x20) != 0;
	qd = get16(abuf + 4);
	an = get16(abuf + 6);
	if (an > DNS_MAX_RR || qd > 1)
		return -1;
	p = abuf + 12;
	for (i = 0; i < qd; i++) {
		if (dns_expand(abuf, alen, p, end, &name, &enc) < 0)
			return -1;
		ares_free_string(name);
		p += enc;
		if (end - p < 4)
			return -1;
		p += 4;
	}
	if (an > 0 && (refs = calloc(an, sizeof(*refs))) == NULL) {
		state_note_oom("DNS answer");
		return -1;
	}
	for (i = 0; i < an; i++) {
		struct rr_ref *r = &refs[nrefs];

		if (dns_expand(abuf, alen, p, end, &name, &enc) < 0)
			goto out;
		r->owner = name;
		nrefs++;
		p += enc;
		if (end - p < 10)
			goto out;
		r->type = get16(p);
		r->cls = get16(p + 2);
		r->ttl = get32(p + 4);
		r->rdlen = get16(p + 8);
		p += 10;
		if ((size_t)(end - p) < r->rdlen)
			goto out;
		r->rdata = p;
		p += r->rdlen;
	}

	switch (out->rcode) {
	case 0:
		break;
	case 2:
		out->status = DNS_SERVFAIL;
		ret = 0;
		goto out;
	case 3:
		out->status = DNS_NXDOMAIN;
		ret = 0;
		goto out;
	case 5:
		out->status = DNS_REFUSED;
		ret = 0;
		goto out;
	default:
		goto out;	/* FORMERR, NOTIMP, ...: bad answer */
	}

	/* Follow the CNAME chain from the query name (RFC 1034 §3.6.2). */
	for (hops = 0; hops < DNS_MAX_CHAIN && type != DNS_CNAME; hops++) {
		bool moved = false;

		for (i = 0; i < nrefs; i++) {
			struct dns_rr tmp;

			if (refs[i].type != DNS_CNAME || refs[i].cls != 1 ||
			    !dns_same_name(refs[i].owner, cur))
				continue;
			if (dns_parse_rdata(abuf, alen, &refs[i], &tmp) < 0)
				goto out;
			free(out->cname);
			out->cname = tmp.u.name;
			cur = out->cname;
			moved = true;
			break;
		}
		if (!moved)
			break;
	}
	if (hops == DNS_MAX_CHAIN)
		goto out;

	for (i = 0; i < nrefs; i++)
		if ((int)refs[i].type == type && refs[i].cls == 1 &&
		    dns_same_name(refs[i].owner, cur))
			out->n++;
	if (out->n > 0) {
		size_t k = 0;

		out->rr = calloc(out->n, sizeof(*out->rr));
		if (out->rr == NULL) {
			state_note_oom("DNS answer");
			out->n = 0;
			goto out;
		}
		for (i = 0; i < nrefs; i++) {
			if ((int)refs[i].type != type || refs[i].cls != 1 ||
			    !dns_same_name(refs[i].owner, cur))
				continue;
			if (dns_parse_rdata(abuf, alen, &refs[i],
			    &out->rr[k]) < 0) {
				dns_rr_release(type, &out->rr[k]);
				out->n = k;
				goto out;
			}
			k++;
		}
	}
	out->status = out->n > 0 ? DNS_OK : DNS_NODATA;
	ret = 0;
out:
	for (i = 0; i < nrefs; i++)
		ares_free_string(refs[i].owner);
	free(refs);
	if (ret < 0) {
		dns_answer_release(out);
		out->status = DNS_BADANSWER;
	}
	return ret;
}
