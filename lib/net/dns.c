#include <config.h>

#include "net/dns.h"
#include "net/addr.h"
#include "net/loop.h"
#include "core/state.h"
#include "core/text.h"

#include <arpa/inet.h>
#include <ares.h>
#include <errno.h>
#include <idn2.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

/* Bounds on what one answer may make us hold. */
#define DNS_MAX_RR 512
#define DNS_MAX_TXT 65535
#define DNS_MAX_CHAIN 16
#define DNS_UDP_SIZE 1232

struct dns {
	ares_channel ch;
	struct loop *loop;
	struct loop_timer *timer;
	unsigned short next_id;
	size_t pending;
	unsigned long sent;
	bool closing;
};

struct dns_query {
	struct dns *d;
	dns_cb cb;
	void *arg;
	int type;
	double start;
	char name[256];
};

static int dns_lib_users;

static const char *const status_names[] = {
	"NOERROR", "NODATA", "NXDOMAIN", "SERVFAIL", "REFUSED", "timeout",
	"bad answer", "error", "resolver unreachable"
};

const char *
dns_status_name(enum dns_status s)
{
	if ((unsigned)s >= sizeof(status_names) / sizeof(status_names[0]))
		return "error";
	return status_names[s];
}

const char *
dns_type_name(int type)
{
	switch (type) {
	case DNS_A: return "A";
	case DNS_CNAME: return "CNAME";
	case DNS_PTR: return "PTR";
	case DNS_MX: return "MX";
	case DNS_TXT: return "TXT";
	case DNS_AAAA: return "AAAA";
	case DNS_TLSA: return "TLSA";
	default: return "?";
	}
}

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

/* ---- the channel on the loop ------------------------------------------- */

static void dns_rearm(struct dns *d);

static void
dns_on_fd(struct loop *l, int fd, int revents, void *arg)
{
	struct dns *d = arg;
	ares_socket_t r = ARES_SOCKET_BAD, w = ARES_SOCKET_BAD;

	(void)l;
	if (revents & (POLLIN | POLLERR | POLLHUP))
		r = fd;
	if (revents & POLLOUT)
		w = fd;
	ares_process_fd(d->ch, r, w);
	dns_rearm(d);
}

static void
dns_on_timer(struct loop *l, void *arg)
{
	struct dns *d = arg;

	(void)l;
	d->timer = NULL;	/* the loop frees it after this call */
	ares_process_fd(d->ch, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
	dns_rearm(d);
}

static void
dns_rearm(struct dns *d)
{
	struct timeval tv, *tvp;

	if (d->timer != NULL) {
		loop_timer_cancel(d->loop, d->timer);
		d->timer = NULL;
	}
	if (d->pending == 0 || d->closing)
		return;
	tvp = ares_timeout(d->ch, NULL, &tv);
	if (tvp == NULL)
		return;
	d->timer = loop_timer_add(d->loop,
	    (double)tvp->tv_sec + (double)tvp->tv_usec / 1e6, dns_on_timer, d);
}

static void
dns_sock_state(void *data, ares_socket_t fd, int readable, int writable)
{
	struct dns *d = data;

	if (readable || writable)
		loop_watch(d->loop, fd,
		    (short)((readable ? POLLIN : 0) | (writable ? POLLOUT : 0)),
		    dns_on_fd, d);
	else
		loop_unwatch(d->loop, fd);
}

/* One server as c-ares' CSV syntax wants it: a.b.c.d:port or [v6]:port. */
static int
dns_server_csv(const char *text, char *out, size_t outsize)
{
	int n;

	if (text[0] != '[' && strchr(text, ':') != NULL &&
	    strchr(strchr(text, ':') + 1, ':') != NULL)
		n = snprintf(out, outsize, "[%s]:53", text);
	else if (strchr(text, ':') == NULL)
		n = snprintf(out, outsize, "%s:53", text);
	else if (text[0] == '[' && strstr(text, "]:") == NULL)
		n = snprintf(out, outsize, "%s:53", text);
	else
		n = snprintf(out, outsize, "%s", text);
	return (n < 0 || (size_t)n >= outsize) ? -1 : 0;
}

int
dns_new(struct dns **out, struct loop *l, const struct dns_config *cfg,
    char *err, size_t errlen)
{
	struct ares_options o;
	struct dns *d;
	int mask, r;
	size_t i;

	*out = NULL;
	d = calloc(1, sizeof(*d));
	if (d == NULL) {
		state_note_oom("resolver setup");
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	d->loop = l;
	if (dns_lib_users++ == 0 &&
	    (r = ares_library_init(ARES_LIB_INIT_ALL)) != ARES_SUCCESS) {
		dns_note_status(r, "resolver setup");
		dns_lib_users--;
		snprintf(err, errlen, "c-ares initialisation failed");
		free(d);
		return -1;
	}
	memset(&o, 0, sizeof(o));
	/*
	 * NOCHECKRESP: without it c-ares hides SERVFAIL and REFUSED by
	 * moving on to the next server, and we must see them.  Timeouts and
	 * tries are explicit: the defaults (5 s, 4 tries, doubling) can take
	 * longer than a whole plugin run.
	 */
	o.flags = ARES_FLAG_NOCHECKRESP | ARES_FLAG_NOSEARCH | ARES_FLAG_EDNS;
	o.timeout = (int)((cfg->timeout > 0 ? cfg->timeout : 2.0) * 1000);
	o.tries = cfg->tries > 0 ? cfg->tries : 2;
	o.ednspsz = DNS_UDP_SIZE;
	o.sock_state_cb = dns_sock_state;
	o.sock_state_cb_data = d;
	mask = ARES_OPT_FLAGS | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES |
	    ARES_OPT_EDNSPSZ | ARES_OPT_SOCK_STATE_CB;
	r = ares_init_options(&d->ch, &o, mask);
	if (r != ARES_SUCCESS) {
		dns_note_status(r, "resolver setup");
		snprintf(err, errlen, "resolver setup failed: %s",
		    ares_strerror(r));
		goto fail;
	}
	if (cfg->nservers > 0) {
		char csv[1024] = "", one[80];
		size_t used = 0;

		for (i = 0; i < cfg->nservers; i++) {
			size_t n;

			if (addr_server_check(cfg->servers[i], err, errlen) < 0 ||
			    dns_server_csv(cfg->servers[i], one,
			    sizeof(one)) < 0) {
				goto fail_ch;
			}
			n = strlen(one);
			if (used + n + 2 > sizeof(csv)) {
				snprintf(err, errlen, "too many DNS servers");
				goto fail_ch;
			}
			if (used)
				csv[used++] = ',';
			memcpy(csv + used, one, n + 1);
			used += n;
		}
		r = ares_set_servers_ports_csv(d->ch, csv);
		if (r != ARES_SUCCESS) {
			dns_note_status(r, "resolver setup");
			snprintf(err, errlen, "bad DNS server list: %s",
			    ares_strerror(r));
			goto fail_ch;
		}
	}
	if (getrandom(&d->next_id, sizeof(d->next_id), 0) < 0)
		d->next_id = (unsigned short)(loop_now() * 1000);
	*out = d;
	return 0;
fail_ch:
	ares_destroy(d->ch);
fail:
	if (--dns_lib_users == 0)
		ares_library_cleanup();
	free(d);
	return -1;
}

void
dns_free(struct dns *d)
{
	if (d == NULL)
		return;
	d->closing = true;
	if (d->timer != NULL)
		loop_timer_cancel(d->loop, d->timer);
	ares_destroy(d->ch);	/* pending callbacks run, and are dropped */
	if (--dns_lib_users == 0)
		ares_library_cleanup();
	free(d);
}

static void
dns_on_answer(void *arg, int status, int timeouts, unsigned char *abuf,
    int alen)
{
	struct dns_query *q = arg;
	struct dns *d = q->d;
	struct dns_answer a;

	(void)timeouts;
	d->pending--;
	if (d->closing) {
		free(q);
		return;
	}
	memset(&a, 0, sizeof(a));
	a.type = q->type;
	if (status == ARES_SUCCESS && abuf != NULL && alen > 0) {
		dns_answer_parse(abuf, (size_t)alen, q->name, q->type, &a);
	} else if (status == ARES_ETIMEOUT) {
		a.status = DNS_TIMEOUT;
	} else if (status == ARES_ECONNREFUSED) {
		/* every server refused the connection: no resolver there */
		a.status = DNS_UNREACHABLE;
	} else if (status == ARES_EBADRESP) {
		a.status = DNS_BADANSWER;
	} else {
		/* ARES_ENOMEM included: DNS_ERROR, and the note says ours */
		dns_note_status(status, "DNS query");
		a.status = DNS_ERROR;
	}
	a.elapsed = loop_now() - q->start;
	q->cb(q->arg, &a);
	dns_answer_release(&a);
	free(q);
}

int
dns_query(struct dns *d, const char *name, int type, dns_cb cb, void *arg)
{
	struct dns_query *q;
	unsigned char *qbuf = NULL;
	int qlen = 0, r;
	size_t len = strlen(name);

	if (len == 0 || len > 253)
		return -1;
	q = calloc(1, sizeof(*q));
	if (q == NULL) {
		state_note_oom("DNS query");
		return -1;
	}
	memcpy(q->name, name, len + 1);
	q->d = d;
	q->cb = cb;
	q->arg = arg;
	q->type = type;
	r = ares_create_query(name, 1 /* IN */, type, d->next_id++, 1, &qbuf,
	    &qlen, DNS_UDP_SIZE);
	if (r != ARES_SUCCESS || qlen < 12) {
		dns_note_status(r, "DNS query");
		if (qbuf)
			ares_free_string(qbuf);
		free(q);
		return -1;
	}
	qbuf[3] |= 0x20;	/* AD: RFC 6840 §5.7 */
	q->start = loop_now();
	d->pending++;
	d->sent++;
	ares_send(d->ch, qbuf, qlen, dns_on_answer, q);
	ares_free_string(qbuf);
	dns_rearm(d);
	return 0;
}

size_t
dns_pending(const struct dns *d)
{
	return d->pending;
}

unsigned long
dns_sent(const struct dns *d)
{
	return d->sent;
}

/* ---- names ------------------------------------------------------------- */

/*
 * RFC 3696 §2: a top-level label is never all-numeric, so "127.1",
 * "0177.0.0.1", "1.2.3.4.5" or "65536" are no host names, and what
 * inet_pton() refused as an address must not come back as a name.
 */
static bool
dns_last_label_numeric(const char *name)
{
	const char *last = strrchr(name, '.');

	last = last != NULL ? last + 1 : name;
	if (*last == '\0')
		return false;
	for (; *last != '\0'; last++)
		if (*last < '0' || *last > '9')
			return false;
	return true;
}

/*
 * Every "xn--" label must be valid Punycode that decodes to a label which
 * encodes back to the same A-label (RFC 5890 §2.3.2.1, RFC 5891 §5.4):
 * libidn2 decodes, then checks the U-label by encoding it again.
 */
static int
dns_alabels_check(const char *name, char *err, size_t errlen)
{
	char label[64], *u = NULL, *a = NULL;
	const char *p = name, *dot;
	size_t len;
	int r;

	for (; *p != '\0'; p = *dot ? dot + 1 : dot) {
		dot = strchr(p, '.');
		if (dot == NULL)
			dot = p + strlen(p);
		len = (size_t)(dot - p);
		if (len < 4 || text_ncasecmp(p, "xn--", 4) != 0)
			continue;
		if (len >= sizeof(label))
			goto bad;	/* longer than 63: caught before */
		memcpy(label, p, len);
		label[len] = '\0';
		r = idn2_to_unicode_8z8z(label, &u, 0);
		if (r == IDN2_MALLOC)
			state_note_oom("IDNA conversion");
		if (r != IDN2_OK)
			goto bad;
		r = idn2_to_ascii_8z(u, &a, IDN2_NONTRANSITIONAL);
		if (r == IDN2_MALLOC)
			state_note_oom("IDNA conversion");
		if (r != IDN2_OK || text_casecmp(a, label) != 0)
			goto bad;
		idn2_free(u);
		idn2_free(a);
		u = a = NULL;
	}
	return 0;
bad:
	if (u)
		idn2_free(u);
	if (a)
		idn2_free(a);
	snprintf(err, errlen, "the label '%.*s' is not a valid A-label "
	    "(Punycode)", (int)len, p);
	return -1;
}

int
dns_name_normalize(const char *in, char *out, size_t outsize, char *err,
    size_t errlen)
{
	char *ascii = NULL;
	const char *s = in;
	size_t len, i, label = 0;
	bool nonascii = false;
	int ret = -1;

	if (in == NULL || *in == '\0') {
		snprintf(err, errlen, "empty domain name");
		return -1;
	}
	len = strlen(in);
	if (len > 1024) {
		snprintf(err, errlen, "domain name too long");
		return -1;
	}
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)in[i];

		if (c >= 0x80)
			nonascii = true;
		else if (c <= 0x20 || c == 0x7f) {
			snprintf(err, errlen, "domain name contains a space or "
			    "control character");
			return -1;
		}
	}
	if (nonascii) {
		int r = idn2_to_ascii_8z(in, &ascii,
		    IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT);

		if (r == IDN2_MALLOC)
			state_note_oom("IDNA conversion");
		if (r != IDN2_OK) {
			snprintf(err, errlen, "not a valid internationalised "
			    "domain name (%s)", idn2_strerror(r));
			return -1;
		}
		s = ascii;
	}
	len = strlen(s);
	if (len > 0 && s[len - 1] == '.')
		len--;		/* the root label: absolute either way */
	if (len == 0) {
		snprintf(err, errlen, "empty domain name");
		goto out;
	}
	if (len > 253) {
		snprintf(err, errlen, "domain name longer than 253 octets");
		goto out;
	}
	if (len + 1 > outsize) {
		snprintf(err, errlen, "domain name too long");
		goto out;
	}
	for (i = 0; i <= len; i++) {
		char c = i < len ? s[i] : '.';

		if (c == '.') {
			if (label == 0) {
				snprintf(err, errlen, "empty label in domain "
				    "name");
				goto out;
			}
			if (label > 63) {
				snprintf(err, errlen, "label longer than 63 "
				    "octets in domain name");
				goto out;
			}
			if (s[i - 1] == '-' || s[i - label] == '-') {
				snprintf(err, errlen, "label starts or ends "
				    "with '-' in domain name");
				goto out;
			}
			label = 0;
			if (i < len)
				out[i] = '.';
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_')) {
			snprintf(err, errlen, "invalid character '%c' in "
			    "domain name", c);
			goto out;
		}
		out[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
		label++;
	}
	out[len] = '\0';
	if (dns_last_label_numeric(out)) {
		snprintf(err, errlen, "the last label is all-numeric (RFC 3696 "
		    "section 2): neither an address nor a host name");
		goto out;
	}
	if (dns_alabels_check(out, err, errlen) < 0)
		goto out;
	ret = 0;
out:
	if (ascii)
		idn2_free(ascii);
	return ret;
}

int
dns_reverse_name(int family, const void *addr, const char *suffix,
    char *out, size_t outsize)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *b = addr;
	size_t o = 0;
	int i, n;

	if (family == AF_INET) {
		n = snprintf(out, outsize, "%u.%u.%u.%u", b[3], b[2], b[1],
		    b[0]);
		if (n < 0 || (size_t)n >= outsize)
			return -1;
		o = (size_t)n;
	} else if (family == AF_INET6) {
		if (outsize < 64)
			return -1;
		/* RFC 3596 §2.5 / RFC 5782 §2.4: every nibble, reversed */
		for (i = 15; i >= 0; i--) {
			out[o++] = hex[b[i] & 15];
			out[o++] = '.';
			out[o++] = hex[b[i] >> 4];
			out[o++] = i ? '.' : '\0';
		}
		o--;
	} else {
		return -1;
	}
	if (suffix != NULL && *suffix != '\0') {
		n = snprintf(out + o, outsize - o, ".%s", suffix);
		if (n < 0 || (size_t)n >= outsize - o)
			return -1;
	}
	return 0;
}
