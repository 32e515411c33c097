/*
 * https - one HTTPS GET on the loop with libcurl's multi-socket
 * interface (see https.h).  curl tells us which sockets to watch
 * (CURLMOPT_SOCKETFUNCTION) and when to call it back without I/O
 * (CURLMOPT_TIMERFUNCTION); we give it readiness and timeouts through
 * curl_multi_socket_action(), never from inside one of its callbacks.
 *
 * libcurl is opened with dlopen() by the first fetch, not linked: its
 * GnuTLS flavour brings some 25 shared libraries (LDAP, Kerberos, SSH,
 * HTTP/2, ...) that cost every run of a plugin about 5 ms and 5 MiB
 * before main(), fetch or not (DESIGN.md section 6).  The header gives
 * the types and constants; the functions come from the table below.
 */
#include <config.h>

#include "net/https.h"
#include "net/loop.h"
#include "core/state.h"
#include "core/text.h"

#define CURL_DISABLE_TYPECHECK	/* the calls go through pointers */
#include <curl/curl.h>
#include <dlfcn.h>
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct https {
	struct loop *loop;
	CURLM *multi;
	CURL *easy;
	struct curl_slist *resolve;
	struct loop_timer *timer;	/* curl's timeout, when one is set */
	https_done_cb cb;
	void *arg;
	size_t max_size;
	bool too_big, done, added;
	double start;
	struct https_result res;
	char errbuf[CURL_ERROR_SIZE];
};

/*
 * The libcurl functions we call, looked up in the library dlopen()ed by
 * the first fetch.  curl's global state (its TLS back end) is
 * process-wide in curl itself; counting the fetches that use it lets the
 * first one load and initialise it and the last one clean it up and
 * close the library.  The plugins are single-threaded.
 */
static struct https_curl {
	void *dl;
	unsigned users;
	CURLcode (*global_init)(long);
	void (*global_cleanup)(void);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
	void (*easy_cleanup)(CURL *);
	const char *(*easy_strerror)(CURLcode);
	CURLM *(*multi_init)(void);
	CURLMcode (*multi_setopt)(CURLM *, CURLMoption, ...);
	CURLMcode (*multi_add_handle)(CURLM *, CURL *);
	CURLMcode (*multi_remove_handle)(CURLM *, CURL *);
	CURLMcode (*multi_socket_action)(CURLM *, curl_socket_t, int, int *);
	CURLMsg *(*multi_info_read)(CURLM *, int *);
	CURLMcode (*multi_cleanup)(CURLM *);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void (*slist_free_all)(struct curl_slist *);
} cu;

static const struct {
	const char *name;
	size_t offset;
} cu_syms[] = {
#define CU_SYM(f) { "curl_" #f, offsetof(struct https_curl, f) }
	CU_SYM(global_init), CU_SYM(global_cleanup), CU_SYM(easy_init),
	CU_SYM(easy_setopt), CU_SYM(easy_getinfo), CU_SYM(easy_cleanup),
	CU_SYM(easy_strerror), CU_SYM(multi_init), CU_SYM(multi_setopt),
	CU_SYM(multi_add_handle), CU_SYM(multi_remove_handle),
	CU_SYM(multi_socket_action), CU_SYM(multi_info_read),
	CU_SYM(multi_cleanup), CU_SYM(slist_append), CU_SYM(slist_free_all),
#undef CU_SYM
};

/*
 * Libraries below curl report their allocation failures only as text:
 * GnuTLS's GNUTLS_E_MEMORY_ERROR reaches us as CURLE_SSL_CONNECT_ERROR
 * with "Internal error in memory allocation" or its number, the dynamic
 * linker as "cannot allocate memory".  Those are ours, not the peer's.
 */
static bool
says_oom(const char *text)
{
	/* -25 is GNUTLS_E_MEMORY_ERROR in curl's "failed: -25", "(-25)" */
	static const char *const marks[] = { "memory allocation",
	    "allocate memory", "out of memory", "failed: -25", "(-25)" };
	size_t i, j, n;

	for (i = 0; text[i] != '\0'; i++)
		for (j = 0; j < sizeof(marks) / sizeof(marks[0]); j++) {
			n = strlen(marks[j]);
			if (text_ncasecmp(text + i, marks[j], n) == 0)
				return true;
		}
	return false;
}

static int
https_global_get(char *err, size_t errlen)
{
	size_t i;

	if (cu.users > 0) {
		cu.users++;
		return 0;
	}
	cu.dl = dlopen(CURL_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (cu.dl == NULL) {
		const char *why = dlerror();

		if (why != NULL && says_oom(why))
			state_note_oom("dlopen of libcurl");
		snprintf(err, errlen, "cannot load %s: %s", CURL_SONAME,
		    why ? why : "?");
		return -1;
	}
	for (i = 0; i < sizeof(cu_syms) / sizeof(cu_syms[0]); i++) {
		void *f = dlsym(cu.dl, cu_syms[i].name);

		if (f == NULL) {
			snprintf(err, errlen, "%s has no %s", CURL_SONAME,
			    cu_syms[i].name);
			dlclose(cu.dl);
			memset(&cu, 0, sizeof(cu));
			return -1;
		}
		/* POSIX: a function pointer survives a trip through void * */
		memcpy((char *)&cu + cu_syms[i].offset, &f, sizeof(f));
	}
	if (cu.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		/* it fails only when its (or GnuTLS's) allocations do */
		state_note_oom("libcurl initialisation");
		snprintf(err, errlen, "cannot initialise libcurl");
		dlclose(cu.dl);
		memset(&cu, 0, sizeof(cu));
		return -1;
	}
	cu.users = 1;
	return 0;
}

static void
https_global_put(void)
{
	if (cu.users == 0 || --cu.users > 0)
		return;
	cu.global_cleanup();
	dlclose(cu.dl);
	memset(&cu, 0, sizeof(cu));
}

const char *
https_fail_name(enum https_fail f)
{
	switch (f) {
	case HTTPS_OK: return "ok";
	case HTTPS_E_CONNECT: return "connect failed";
	case HTTPS_E_TLS: return "TLS failed";
	case HTTPS_E_TIMEOUT: return "timeout";
	case HTTPS_E_TOO_BIG: return "too big";
	case HTTPS_E_REDIRECT: return "redirect";
	case HTTPS_E_STATUS: return "HTTP status";
	case HTTPS_E_HTTP: return "HTTP failed";
	default: return "local error";
	}
}

const struct https_result *
https_result(const struct https *h)
{
	return &h->res;
}

static void
set_error(struct https *h, const char *text)
{
	text_sanitize(h->res.error, sizeof(h->res.error), text, strlen(text),
	    0);
}

/* ---- curl's callbacks ------------------------------------------------ */

static size_t
on_body(char *data, size_t size, size_t nmemb, void *userp)
{
	struct https *h = userp;
	size_t n = size * nmemb;

	/* the cap holds even without (or against) a Content-Length */
	if (n > h->max_size - h->res.body.len) {
		h->too_big = true;
		return 0;	/* CURLE_WRITE_ERROR */
	}
	if (buf_append(&h->res.body, data, n) < 0) {
		state_note_oom("HTTPS body");
		return 0;
	}
	return n;
}

static void action(struct https *h, curl_socket_t fd, int flags);

static void
on_fd(struct loop *l, int fd, int revents, void *arg)
{
	int flags = 0;

	if (((struct https *)arg)->done) {
		loop_unwatch(l, fd);	/* nothing more to read for us */
		return;
	}
	if (revents & (POLLIN | POLLHUP))
		flags |= CURL_CSELECT_IN;
	if (revents & POLLOUT)
		flags |= CURL_CSELECT_OUT;
	if (revents & POLLERR)
		flags |= CURL_CSELECT_ERR;
	action(arg, fd, flags);
}

static int
on_socket(CURL *e, curl_socket_t fd, int what, void *userp, void *sockp)
{
	struct https *h = userp;
	short events = 0;

	(void)e;
	(void)sockp;
	if (what == CURL_POLL_REMOVE) {
		loop_unwatch(h->loop, fd);
		return 0;
	}
	if (what & CURL_POLL_IN)
		events |= POLLIN;
	if (what & CURL_POLL_OUT)
		events |= POLLOUT;
	return loop_watch(h->loop, fd, events, on_fd, h) < 0 ? -1 : 0;
}

static void
on_timer(struct loop *l, void *arg)
{
	struct https *h = arg;

	(void)l;
	h->timer = NULL;	/* the loop freed it as it fired */
	action(h, CURL_SOCKET_TIMEOUT, 0);
}

static int
on_timeout(CURLM *m, long ms, void *userp)
{
	struct https *h = userp;

	(void)m;
	if (h->timer != NULL) {
		loop_timer_cancel(h->loop, h->timer);
		h->timer = NULL;
	}
	if (ms < 0)
		return 0;
	/* even "now" (0) goes through the loop: no re-entry into curl */
	h->timer = loop_timer_add(h->loop, (double)ms / 1e3, on_timer, h);
	return h->timer == NULL ? -1 : 0;
}

/* ---- the outcome ------------------------------------------------------ */

static void
classify(struct https *h, CURLcode rc)
{
	struct https_result *r = &h->res;
	char *ct = NULL, *loc = NULL;
	long code = 0;

	cu.easy_getinfo(h->easy, CURLINFO_RESPONSE_CODE, &code);
	r->status = code;
	if (cu.easy_getinfo(h->easy, CURLINFO_CONTENT_TYPE, &ct) ==
	    CURLE_OK && ct != NULL)
		text_sanitize(r->ctype, sizeof(r->ctype), ct, strlen(ct), 100);
	switch (rc) {
	case CURLE_OK:
		if (code >= 300 && code <= 399) {
			r->fail = HTTPS_E_REDIRECT;
			/* the target of a redirect that was not followed */
			if (cu.easy_getinfo(h->easy, CURLINFO_REDIRECT_URL,
			    &loc) == CURLE_OK && loc != NULL)
				text_sanitize(r->location, sizeof(r->location),
				    loc, strlen(loc), 120);
			snprintf(r->error, sizeof(r->error), "HTTP %ld "
			    "redirect%s%s (redirects are not followed)", code,
			    r->location[0] ? " to " : "", r->location);
		} else if (code != 200) {
			r->fail = HTTPS_E_STATUS;
			snprintf(r->error, sizeof(r->error), "HTTP %ld", code);
		} else
			r->fail = HTTPS_OK;
		return;
	case CURLE_WRITE_ERROR:
	case CURLE_FILESIZE_EXCEEDED:
		if (h->too_big || rc == CURLE_FILESIZE_EXCEEDED) {
			r->fail = HTTPS_E_TOO_BIG;
			snprintf(r->error, sizeof(r->error), "body larger "
			    "than %zu bytes", h->max_size);
			return;
		}
		r->fail = HTTPS_E_LOCAL;	/* our buffer: out of memory */
		break;
	case CURLE_OPERATION_TIMEDOUT:
		r->fail = HTTPS_E_TIMEOUT;
		break;
	case CURLE_COULDNT_CONNECT:
		r->fail = HTTPS_E_CONNECT;
		break;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_USE_SSL_FAILED:
		r->fail = HTTPS_E_TLS;
		break;
	case CURLE_OUT_OF_MEMORY:
		state_note_oom("libcurl");
		r->fail = HTTPS_E_LOCAL;
		break;
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_FAILED_INIT:
		r->fail = HTTPS_E_LOCAL;
		break;
	default:
		r->fail = HTTPS_E_HTTP;
		break;
	}
	set_error(h, h->errbuf[0] ? h->errbuf : cu.easy_strerror(rc));
	/*
	 * Only texts of our side's TLS work, never a certificate's names (a
	 * failed name check quotes them): there only the error number.
	 */
	if (((rc == CURLE_SSL_CONNECT_ERROR || rc == CURLE_SSL_CERTPROBLEM ||
	    rc == CURLE_SSL_CACERT_BADFILE || rc == CURLE_RECV_ERROR ||
	    rc == CURLE_SEND_ERROR) && says_oom(h->res.error)) ||
	    (rc == CURLE_PEER_FAILED_VERIFICATION &&
	    text_ncasecmp(h->res.error, "server cert verify failed: -25",
	    30) == 0)) {
		state_note_oom("HTTPS fetch (GnuTLS)");
		r->fail = HTTPS_E_LOCAL;
	}
}

/* Drive curl; when the transfer is over, report it (the callback is the
 * last thing that touches h: it may free it). */
static void
action(struct https *h, curl_socket_t fd, int flags)
{
	CURLMsg *msg;
	int running = 0, left;

	if (h->done)
		return;
	if (cu.multi_socket_action(h->multi, fd, flags, &running) !=
	    CURLM_OK) {
		h->res.fail = HTTPS_E_LOCAL;
		set_error(h, "curl_multi_socket_action failed");
	} else {
		while ((msg = cu.multi_info_read(h->multi, &left)) != NULL)
			if (msg->msg == CURLMSG_DONE && msg->easy_handle ==
			    h->easy) {
				classify(h, msg->data.result);
				running = 0;
				break;
			}
		if (running > 0 || msg == NULL)
			return;
	}
	h->done = true;
	h->res.elapsed = loop_now() - h->start;
	h->cb(h->arg, h);
}

/* ---- setup ------------------------------------------------------------ */

/* CURLOPT_RESOLVE's "HOST:443:ADDR[,ADDR...]", IPv6 in brackets. */
static struct curl_slist *
pin_list(const struct https_request *rq)
{
	struct buf b;
	struct curl_slist *l = NULL;
	size_t i;
	int rc;

	buf_init(&b, 8192);
	rc = buf_printf(&b, "%s:443:", rq->host);
	for (i = 0; i < rq->naddrs && rc == 0; i++)
		rc = buf_printf(&b, strchr(rq->addrs[i], ':') ? "%s[%s]" :
		    "%s%s", i ? "," : "", rq->addrs[i]);
	if (rc == 0)
		l = cu.slist_append(NULL, b.data);
	buf_release(&b);
	return l;
}

static int
setup(struct https *h, const struct https_request *rq)
{
	char url[512];
	long ms = (long)(rq->timeout * 1e3);
	CURL *e = h->easy;
	int bad = 0;

	if (ms < 1)
		ms = 1;
	if ((size_t)snprintf(url, sizeof(url), "https://%s%s", rq->host,
	    rq->path) >= sizeof(url))
		return -1;
	h->resolve = pin_list(rq);
	if (h->resolve == NULL)
		return -1;
	bad |= cu.easy_setopt(e, CURLOPT_URL, url);
	bad |= cu.easy_setopt(e, CURLOPT_RESOLVE, h->resolve);
	/* RFC 8461 §3.3: HTTPS only, and a redirect is a failure */
#if LIBCURL_VERSION_NUM >= 0x075500
	bad |= cu.easy_setopt(e, CURLOPT_PROTOCOLS_STR, "https");
	bad |= cu.easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "https");
#else
	bad |= cu.easy_setopt(e, CURLOPT_PROTOCOLS, CURLPROTO_HTTPS);
	bad |= cu.easy_setopt(e, CURLOPT_REDIR_PROTOCOLS, CURLPROTO_HTTPS);
#endif
	bad |= cu.easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	/* the policy host itself, never a proxy from the environment */
	bad |= cu.easy_setopt(e, CURLOPT_PROXY, "");
	bad |= cu.easy_setopt(e, CURLOPT_NOPROXY, "*");
	bad |= cu.easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	bad |= cu.easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	bad |= cu.easy_setopt(e, CURLOPT_SSLVERSION,
	    (long)CURL_SSLVERSION_TLSv1_2);
	if (rq->cafile != NULL) {
		/* --cafile is the whole trust store, as for SMTP */
		bad |= cu.easy_setopt(e, CURLOPT_CAINFO, rq->cafile);
		bad |= cu.easy_setopt(e, CURLOPT_CAPATH, NULL);
	}
	bad |= cu.easy_setopt(e, CURLOPT_HTTP_VERSION,
	    (long)CURL_HTTP_VERSION_1_1);
	bad |= cu.easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)rq->max_size);
	bad |= cu.easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	bad |= cu.easy_setopt(e, CURLOPT_WRITEDATA, h);
	bad |= cu.easy_setopt(e, CURLOPT_TIMEOUT_MS, ms);
	bad |= cu.easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, ms);
	bad |= cu.easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	/* one fetch per run: close the connection when it is done */
	bad |= cu.easy_setopt(e, CURLOPT_FORBID_REUSE, 1L);
	bad |= cu.easy_setopt(e, CURLOPT_ERRORBUFFER, h->errbuf);
	bad |= cu.easy_setopt(e, CURLOPT_USERAGENT,
	    PACKAGE_NAME "/" PACKAGE_VERSION);
	bad |= cu.easy_setopt(e, CURLOPT_PRIVATE, h);
	bad |= cu.multi_setopt(h->multi, CURLMOPT_SOCKETFUNCTION, on_socket);
	bad |= cu.multi_setopt(h->multi, CURLMOPT_SOCKETDATA, h);
	bad |= cu.multi_setopt(h->multi, CURLMOPT_TIMERFUNCTION, on_timeout);
	bad |= cu.multi_setopt(h->multi, CURLMOPT_TIMERDATA, h);
	return bad ? -1 : 0;
}

int
https_get(struct https **out, struct loop *l, const struct https_request *rq,
    https_done_cb cb, void *arg, char *err, size_t errlen)
{
	struct https *h;

	*out = NULL;
	if (rq->naddrs == 0 || rq->max_size == 0) {
		snprintf(err, errlen, "no address to fetch %s from", rq->host);
		return -1;
	}
	h = calloc(1, sizeof(*h));
	if (h == NULL) {
		state_note_oom("HTTPS fetch");
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	h->loop = l;
	h->cb = cb;
	h->arg = arg;
	h->max_size = rq->max_size;
	buf_init(&h->res.body, rq->max_size);
	if (https_global_get(err, errlen) < 0) {
		buf_release(&h->res.body);
		free(h);
		return -1;
	}
	h->multi = cu.multi_init();
	h->easy = cu.easy_init();
	if (h->multi == NULL || h->easy == NULL || setup(h, rq) < 0) {
		snprintf(err, errlen, "cannot set up the HTTPS fetch of %s",
		    rq->host);
		https_free(h);
		return -1;
	}
	h->start = loop_now();
	/* adding the handle sets curl's first timer; the work starts there */
	if (cu.multi_add_handle(h->multi, h->easy) != CURLM_OK) {
		snprintf(err, errlen, "cannot start the HTTPS fetch of %s",
		    rq->host);
		https_free(h);
		return -1;
	}
	h->added = true;
	*out = h;
	return 0;
}

void
https_free(struct https *h)
{
	if (h == NULL)
		return;
	h->done = true;		/* no callback from here on */
	if (h->added)
		cu.multi_remove_handle(h->multi, h->easy);
	if (h->easy != NULL)
		cu.easy_cleanup(h->easy);
	if (h->multi != NULL)
		cu.multi_cleanup(h->multi);
	if (h->timer != NULL)
		loop_timer_cancel(h->loop, h->timer);
	cu.slist_free_all(h->resolve);
	buf_release(&h->res.body);
	free(h);
	https_global_put();
}
