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

/* c-ares out of memory: the run's result is not ours to give. */
static void
dns_note_status(int status, const char *what)
{
	if (status == ARES_ENOMEM)
		state_note_oom(what);
}

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
