/* The poll loop: timers in order, fd events, cancel, deadline. */
#include <config.h>

#include "net/loop.h"
#include "tap.h"

#include <poll.h>
#include <unistd.h>

static char order[16];
static size_t norder;
static struct loop_timer *victim;

static void
on_timer(struct loop *l, void *arg)
{
	(void)l;
	order[norder++] = *(const char *)arg;
}

static void
on_cancel(struct loop *l, void *arg)
{
	(void)arg;
	loop_timer_cancel(l, victim);
	order[norder++] = 'x';
}

static void
on_read(struct loop *l, int fd, int revents, void *arg)
{
	char c;

	if ((revents & POLLIN) && read(fd, &c, 1) == 1)
		*(char *)arg = c;
	loop_unwatch(l, fd);
}

int
main(void)
{
	struct loop *l = loop_new();
	static const char a = 'a', b = 'b', c = 'c', v = 'v';
	char got = 0;
	int fds[2];
	double t0;

	loop_timer_add(l, 0.03, on_timer, (void *)&c);
	loop_timer_add(l, 0.01, on_timer, (void *)&a);
	loop_timer_add(l, 0.02, on_timer, (void *)&b);
	ok(loop_run(l) == LOOP_DONE, "loop ends when nothing is left");
	order[norder] = '\0';
	is_str(order, "abc", "timers fire in time order");

	norder = 0;
	loop_timer_add(l, 0.01, on_cancel, NULL);
	victim = loop_timer_add(l, 0.02, on_timer, (void *)&v);
	loop_run(l);
	order[norder] = '\0';
	is_str(order, "x", "a cancelled timer never fires");

	ok(pipe(fds) == 0, "pipe");
	loop_watch(l, fds[0], POLLIN, on_read, &got);
	ok(write(fds[1], "z", 1) == 1, "write");
	ok(loop_run(l) == LOOP_DONE && got == 'z', "fd callback reads");

	loop_watch(l, fds[0], POLLIN, on_read, &got);
	loop_set_deadline(l, 0.05);
	t0 = loop_now();
	ok(loop_run(l) == LOOP_DEADLINE, "deadline ends a wait on silence");
	ok(loop_now() - t0 < 1.0 && loop_now() - t0 >= 0.04,
	    "deadline fired on time");
	ok(loop_remaining(l) == 0, "nothing remains after the deadline");
	close(fds[0]);
	close(fds[1]);
	loop_free(l);
	return tap_done();
}
