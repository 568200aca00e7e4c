/*
 * smtpdiag core: the event loop. One poll() over every registered socket
 * (SMTP sessions, port probes, c-ares) with timers for deadlines. Callbacks
 * may add and remove watches and timers while the loop dispatches.
 */
#ifndef SDIAG_LOOP_H
#define SDIAG_LOOP_H

#include "compat.h"

#define SDIAG_POLLIN 0x1
#define SDIAG_POLLOUT 0x4

typedef void (*sdiag_io_cb)(void *ud, sdiag_socket_t fd, short revents);
typedef void (*sdiag_timer_cb)(void *ud);

typedef struct sdiag_watch {
	sdiag_socket_t fd;
	short events;
	sdiag_io_cb cb;
	void *ud;
} sdiag_watch_t;

typedef struct sdiag_timer {
	double deadline;     /* sdiag_now_ms() time */
	sdiag_timer_cb cb;
	void *ud;
	int armed;
	struct sdiag_timer *next;
} sdiag_timer_t;

typedef struct sdiag_loop {
	sdiag_watch_t *watches;
	size_t n, cap;
	sdiag_timer_t *timers;   /* singly linked list of armed timers */
} sdiag_loop_t;

void sdiag_loop_init(sdiag_loop_t *l);
void sdiag_loop_free(sdiag_loop_t *l);
/* Watch fd for events (SDIAG_POLLIN|SDIAG_POLLOUT); events 0 removes it. -1 on ENOMEM. */
int sdiag_loop_watch(sdiag_loop_t *l, sdiag_socket_t fd, short events, sdiag_io_cb cb, void *ud);
void sdiag_loop_timer_set(sdiag_loop_t *l, sdiag_timer_t *t, double deadline, sdiag_timer_cb cb, void *ud);
void sdiag_loop_timer_clear(sdiag_loop_t *l, sdiag_timer_t *t);
/* One poll round, waiting at most until the earliest timer. Returns the
 * number of events dispatched, 0 when only timers fired or nothing happened,
 * -1 when there is nothing to wait for (no watch and no timer). */
int sdiag_loop_run_once(sdiag_loop_t *l);
/* Run until done(ud) is true; -1 if the loop ran dry first. */
int sdiag_loop_run(sdiag_loop_t *l, int (*done)(void *ud), void *ud);

#endif
