/* smtpdiag core: poll-based event loop with timers. */
#include "loop.h"

#include <string.h>

void sdiag_loop_init(sdiag_loop_t *l)
{
	memset(l, 0, sizeof(*l));
}

void sdiag_loop_free(sdiag_loop_t *l)
{
	sdiag_free(l->watches);
	memset(l, 0, sizeof(*l));
}

int sdiag_loop_watch(sdiag_loop_t *l, sdiag_socket_t fd, short events, sdiag_io_cb cb, void *ud)
{
	size_t i;
	for (i = 0; i < l->n; i++) {
		if (l->watches[i].fd == fd) {
			if (!events) {
				l->watches[i] = l->watches[--l->n];
			} else {
				l->watches[i].events = events;
				l->watches[i].cb = cb;
				l->watches[i].ud = ud;
			}
			return 0;
		}
	}
	if (!events) {
		return 0;
	}
	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 8;
		sdiag_watch_t *nw = sdiag_realloc(l->watches, ncap * sizeof(*nw));
		if (!nw) {
			return -1;
		}
		l->watches = nw;
		l->cap = ncap;
	}
	l->watches[l->n].fd = fd;
	l->watches[l->n].events = events;
	l->watches[l->n].cb = cb;
	l->watches[l->n].ud = ud;
	l->n++;
	return 0;
}

void sdiag_loop_timer_clear(sdiag_loop_t *l, sdiag_timer_t *t)
{
	sdiag_timer_t **pp;
	if (!t->armed) {
		return;
	}
	for (pp = &l->timers; *pp; pp = &(*pp)->next) {
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	}
	t->armed = 0;
	t->next = NULL;
}

void sdiag_loop_timer_set(sdiag_loop_t *l, sdiag_timer_t *t, double deadline, sdiag_timer_cb cb, void *ud)
{
	sdiag_loop_timer_clear(l, t);
	t->deadline = deadline;
	t->cb = cb;
	t->ud = ud;
	t->armed = 1;
	t->next = l->timers;
	l->timers = t;
}

/* Fire every expired timer; a callback may re-arm or clear any timer. */
static int fire_timers(sdiag_loop_t *l)
{
	int fired = 0;
	for (;;) {
		double now = sdiag_now_ms();
		sdiag_timer_t *t, *due = NULL;
		for (t = l->timers; t; t = t->next) {
			if (t->deadline <= now && (!due || t->deadline < due->deadline)) {
				due = t;
			}
		}
		if (!due) {
			return fired;
		}
		t = due;
		sdiag_loop_timer_clear(l, t);
		t->cb(t->ud);
		fired++;
	}
}

int sdiag_loop_run_once(sdiag_loop_t *l)
{
	sdiag_pollfd_t stackfds[32], *fds = stackfds;
	size_t n = l->n, i;
	double wait = -1;
	int timeout, r, dispatched = 0;
	sdiag_timer_t *t;
	if (fire_timers(l)) {
		return 0;
	}
	if (!n && !l->timers) {
		return -1;
	}
	for (t = l->timers; t; t = t->next) {
		double d = t->deadline - sdiag_now_ms();
		if (d < 0) {
			d = 0;
		}
		if (wait < 0 || d < wait) {
			wait = d;
		}
	}
	timeout = wait < 0 ? -1 : (int)(wait + 0.999);
	if (n > sizeof(stackfds) / sizeof(*stackfds)) {
		fds = sdiag_malloc(n * sizeof(*fds));
		if (!fds) {
			return -1;
		}
	}
	for (i = 0; i < n; i++) {
		fds[i].fd = l->watches[i].fd;
		fds[i].events = (short)(((l->watches[i].events & SDIAG_POLLIN) ? POLLIN : 0) | ((l->watches[i].events & SDIAG_POLLOUT) ? POLLOUT : 0));
		fds[i].revents = 0;
	}
#ifdef _WIN32
	if (n == 0) {
		Sleep((DWORD)(timeout < 0 ? 0 : timeout));
		r = 0;
	} else
#endif
		r = sdiag_poll(fds, (unsigned long)n, timeout);
	if (r > 0) {
		for (i = 0; i < n; i++) {
			short rev = 0;
			size_t j;
			if (!fds[i].revents) {
				continue;
			}
			if (fds[i].revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL)) {
				rev |= SDIAG_POLLIN;
			}
			if (fds[i].revents & (POLLOUT | POLLERR | POLLHUP)) {
				rev |= SDIAG_POLLOUT;
			}
			/* the watch may have been removed or replaced by an earlier callback */
			for (j = 0; j < l->n; j++) {
				if (l->watches[j].fd == (sdiag_socket_t)fds[i].fd) {
					short want = l->watches[j].events & rev;
					if (want) {
						l->watches[j].cb(l->watches[j].ud, l->watches[j].fd, want);
						dispatched++;
					}
					break;
				}
			}
		}
	}
	if (fds != stackfds) {
		sdiag_free(fds);
	}
	fire_timers(l);
	return dispatched;
}

int sdiag_loop_run(sdiag_loop_t *l, int (*done)(void *ud), void *ud)
{
	while (!done(ud)) {
		if (sdiag_loop_run_once(l) < 0) {
			return -1;
		}
	}
	return 0;
}
