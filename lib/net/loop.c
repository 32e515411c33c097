#include <config.h>

#include "net/loop.h"
#include "core/state.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct loop_watch {
	int fd;
	short events;
	loop_fd_cb cb;
	void *arg;
};

struct loop_timer {
	double when;
	loop_timer_cb cb;
	void *arg;
	struct loop_timer *next;
};

struct loop {
	struct loop_watch *watches;
	size_t nwatches, capwatches;
	struct loop_timer *timers;	/* sorted by when */
	double deadline;		/* 0 = none */
	bool stop;
};

double
loop_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct loop *
loop_new(void)
{
	struct loop *l = calloc(1, sizeof(struct loop));

	if (l == NULL)
		state_note_oom("event loop");
	return l;
}

void
loop_free(struct loop *l)
{
	struct loop_timer *t, *n;

	if (l == NULL)
		return;
	for (t = l->timers; t != NULL; t = n) {
		n = t->next;
		free(t);
	}
	free(l->watches);
	free(l);
}

static struct loop_watch *
loop_find(struct loop *l, int fd)
{
	size_t i;

	for (i = 0; i < l->nwatches; i++)
		if (l->watches[i].fd == fd)
			return &l->watches[i];
	return NULL;
}

int
loop_watch(struct loop *l, int fd, short events, loop_fd_cb cb, void *arg)
{
	struct loop_watch *w = loop_find(l, fd);

	if (w == NULL) {
		if (l->nwatches == l->capwatches) {
			size_t cap = l->capwatches ? l->capwatches * 2 : 16;
			struct loop_watch *n;

			n = realloc(l->watches, cap * sizeof(*n));
			if (n == NULL) {
				/* callers such as c-ares' socket callback
				 * cannot pass this on: the note does */
				state_note_oom("event loop");
				return -1;
			}
			l->watches = n;
			l->capwatches = cap;
		}
		w = &l->watches[l->nwatches++];
	}
	w->fd = fd;
	w->events = events;
	w->cb = cb;
	w->arg = arg;
	return 0;
}

void
loop_unwatch(struct loop *l, int fd)
{
	struct loop_watch *w = loop_find(l, fd);

	if (w == NULL)
		return;
	*w = l->watches[--l->nwatches];
}

struct loop_timer *
loop_timer_add(struct loop *l, double seconds, loop_timer_cb cb, void *arg)
{
	struct loop_timer *t = malloc(sizeof(*t)), **pp;

	if (t == NULL) {
		state_note_oom("event loop");
		return NULL;
	}
	t->when = loop_now() + (seconds > 0 ? seconds : 0);
	t->cb = cb;
	t->arg = arg;
	for (pp = &l->timers; *pp != NULL && (*pp)->when <= t->when;
	    pp = &(*pp)->next)
		;
	t->next = *pp;
	*pp = t;
	return t;
}

void
loop_timer_cancel(struct loop *l, struct loop_timer *t)
{
	struct loop_timer **pp;

	if (t == NULL)
		return;
	for (pp = &l->timers; *pp != NULL; pp = &(*pp)->next)
		if (*pp == t) {
			*pp = t->next;
			free(t);
			return;
		}
}

void
loop_set_deadline(struct loop *l, double seconds)
{
	l->deadline = seconds > 0 ? loop_now() + seconds : 0;
}

double
loop_remaining(const struct loop *l)
{
	double r;

	if (l->deadline == 0)
		return 1e9;
	r = l->deadline - loop_now();
	return r > 0 ? r : 0;
}

void
loop_stop(struct loop *l)
{
	l->stop = true;
}

/* Fire every timer that is due; each at most once per pass. */
static void
loop_fire_timers(struct loop *l)
{
	double now = loop_now();

	while (!l->stop && l->timers != NULL && l->timers->when <= now) {
		struct loop_timer *t = l->timers;

		l->timers = t->next;
		t->cb(l, t->arg);
		free(t);
	}
}

enum loop_result
loop_run(struct loop *l)
{
	struct pollfd *pfd = NULL;
	size_t cap = 0;
	enum loop_result res = LOOP_DONE;

	l->stop = false;
	while (!l->stop) {
		double wait, now = loop_now();
		size_t i, n = l->nwatches;
		int ms, r;

		if (l->deadline != 0 && now >= l->deadline) {
			res = LOOP_DEADLINE;
			break;
		}
		if (n == 0 && l->timers == NULL)
			break;
		wait = l->deadline != 0 ? l->deadline - now : 3600;
		if (l->timers != NULL && l->timers->when - now < wait)
			wait = l->timers->when - now;
		if (wait < 0)
			wait = 0;
		/* round up so a timer is never polled for just short of due */
		ms = (int)(wait * 1000.0 + 0.999);
		if (n > cap) {
			struct pollfd *np = realloc(pfd, n * sizeof(*np));

			if (np == NULL) {
				state_note_oom("event loop");
				res = LOOP_ERROR;
				break;
			}
			pfd = np;
			cap = n;
		}
		for (i = 0; i < n; i++) {
			pfd[i].fd = l->watches[i].fd;
			pfd[i].events = l->watches[i].events;
			pfd[i].revents = 0;
		}
		r = poll(pfd, n, ms);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			res = LOOP_ERROR;
			break;
		}
		for (i = 0; i < n && !l->stop; i++) {
			struct loop_watch *w;

			if (pfd[i].revents == 0)
				continue;
			/* the watch may have been removed or replaced */
			w = loop_find(l, pfd[i].fd);
			if (w == NULL)
				continue;
			w->cb(l, pfd[i].fd, pfd[i].revents, w->arg);
		}
		loop_fire_timers(l);
	}
	free(pfd);
	return res;
}
