/*
 * loop - the one poll() loop of a run: fd watchers, one-shot timers and
 * the run's hard deadline.  No select(), no alarm(), no blocking calls:
 * every protocol module registers what it waits for and is called back.
 *
 * Ownership: loop_new()/loop_free() own the loop; timers are owned by the
 * loop and freed when they fire or are cancelled (a struct loop_timer *
 * must not be used after that).  Callbacks may add or remove watchers and
 * timers, and may call loop_stop().
 *
 * loop_run() returns LOOP_DONE when loop_stop() was called or nothing is
 * left to wait for, LOOP_DEADLINE when the deadline fired first, and
 * LOOP_ERROR when poll() itself failed.
 */
#ifndef MAILPATH_LOOP_H
#define MAILPATH_LOOP_H

#include <stdbool.h>

struct loop;
struct loop_timer;

enum loop_result { LOOP_DONE, LOOP_DEADLINE, LOOP_ERROR };

/* revents are poll() bits (POLLIN, POLLOUT, POLLERR, POLLHUP). */
typedef void (*loop_fd_cb)(struct loop *l, int fd, int revents, void *arg);
typedef void (*loop_timer_cb)(struct loop *l, void *arg);

struct loop *loop_new(void);
void loop_free(struct loop *l);

/* Watch fd for events (POLLIN|POLLOUT); replaces an existing watch. */
int loop_watch(struct loop *l, int fd, short events, loop_fd_cb cb,
    void *arg);
void loop_unwatch(struct loop *l, int fd);

/* A one-shot timer after seconds; NULL when out of memory. */
struct loop_timer *loop_timer_add(struct loop *l, double seconds,
    loop_timer_cb cb, void *arg);
void loop_timer_cancel(struct loop *l, struct loop_timer *t);

/* The deadline, in seconds from now (<= 0: none). */
void loop_set_deadline(struct loop *l, double seconds);
/* Seconds left before the deadline (a large number when none). */
double loop_remaining(const struct loop *l);

enum loop_result loop_run(struct loop *l);
void loop_stop(struct loop *l);

/* Monotonic time in seconds. */
double loop_now(void);

#endif
