/* Unit tests: src/core/loop.c, the poll loop with timers. */
#include "test.h"
#include "loop.h"

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* ---- timers ---- */

static char order[64];
static size_t norder;

typedef struct {
	sdiag_loop_t *l;
	sdiag_timer_t *self, *other;
	char name;
	int fired, rearm_left;
	double rearm_ms;
} tctx_t;

static void record(void *ud)
{
	tctx_t *c = ud;
	c->fired++;
	if (norder + 1 < sizeof(order)) {
		order[norder++] = c->name;
		order[norder] = '\0';
	}
}

static void reset_order(void)
{
	norder = 0;
	order[0] = '\0';
}

TEST(nothing_to_wait_for)
{
	sdiag_loop_t l;
	sdiag_loop_init(&l);
	CHECK_INT(sdiag_loop_run_once(&l), -1);
	sdiag_loop_free(&l);
}

TEST(future_timers_fire_in_deadline_order)
{
	sdiag_loop_t l;
	sdiag_timer_t ta, tb, tc;
	tctx_t a = {0}, b = {0}, c = {0};
	double now = sdiag_now_ms();
	int guard = 0;
	memset(&ta, 0, sizeof(ta));
	memset(&tb, 0, sizeof(tb));
	memset(&tc, 0, sizeof(tc));
	a.name = 'a', b.name = 'b', c.name = 'c';
	reset_order();
	sdiag_loop_init(&l);
	/* armed latest first, so that this test does not depend on the order in
	 * which timers due in the same round fire (due_timers_... covers that) */
	sdiag_loop_timer_set(&l, &ta, now + 30, record, &a);
	sdiag_loop_timer_set(&l, &tc, now + 20, record, &c);
	sdiag_loop_timer_set(&l, &tb, now + 10, record, &b);
	while (sdiag_loop_run_once(&l) >= 0 && guard++ < 100) {
	}
	CHECK_STR(order, "bca");
	CHECK(sdiag_now_ms() - now >= 29.0);
	CHECK(!ta.armed && !tb.armed && !tc.armed);
	sdiag_loop_free(&l);
}

/* Timers already due when the loop looks at them fire earliest deadline
 * first too, whatever order they were armed in. */
TEST(due_timers_fire_in_deadline_order)
{
	sdiag_loop_t l;
	sdiag_timer_t ta, tb, tc;
	tctx_t a = {0}, b = {0}, c = {0};
	double now = sdiag_now_ms();
	memset(&ta, 0, sizeof(ta));
	memset(&tb, 0, sizeof(tb));
	memset(&tc, 0, sizeof(tc));
	a.name = 'a', b.name = 'b', c.name = 'c';
	reset_order();
	sdiag_loop_init(&l);
	sdiag_loop_timer_set(&l, &ta, now - 3, record, &a);
	sdiag_loop_timer_set(&l, &tb, now - 1, record, &b);
	sdiag_loop_timer_set(&l, &tc, now - 2, record, &c);
	CHECK_INT(sdiag_loop_run_once(&l), 0);
	CHECK_STR(order, "acb");
	CHECK_INT(sdiag_loop_run_once(&l), -1);
	sdiag_loop_free(&l);
}

static void rearm_self(void *ud)
{
	tctx_t *c = ud;
	record(ud);
	if (c->rearm_left-- > 0) {
		sdiag_loop_timer_set(c->l, c->self, sdiag_now_ms() + c->rearm_ms, rearm_self, c);
	}
}

TEST(callback_rearms_itself)
{
	sdiag_loop_t l;
	sdiag_timer_t t;
	tctx_t c = {0};
	int guard = 0;
	memset(&t, 0, sizeof(t));
	reset_order();
	sdiag_loop_init(&l);
	c.l = &l, c.self = &t, c.name = 'r', c.rearm_left = 3, c.rearm_ms = 2;
	sdiag_loop_timer_set(&l, &t, sdiag_now_ms() + 1, rearm_self, &c);
	while (sdiag_loop_run_once(&l) >= 0 && guard++ < 100) {
	}
	CHECK_INT(c.fired, 4);
	CHECK_STR(order, "rrrr");
	CHECK(!t.armed);
	CHECK(l.timers == NULL);
	sdiag_loop_free(&l);
}

static void clear_other(void *ud)
{
	tctx_t *c = ud;
	record(ud);
	sdiag_loop_timer_clear(c->l, c->other);
}

TEST(callback_clears_another_timer)
{
	sdiag_loop_t l;
	sdiag_timer_t ta, tb;
	tctx_t a = {0}, b = {0};
	double now = sdiag_now_ms();
	int guard = 0;
	memset(&ta, 0, sizeof(ta));
	memset(&tb, 0, sizeof(tb));
	reset_order();
	sdiag_loop_init(&l);
	a.l = &l, a.name = 'a', a.other = &tb;
	b.name = 'b';
	sdiag_loop_timer_set(&l, &tb, now + 15, record, &b);
	sdiag_loop_timer_set(&l, &ta, now + 5, clear_other, &a);
	while (sdiag_loop_run_once(&l) >= 0 && guard++ < 100) {
	}
	CHECK_STR(order, "a");
	CHECK_INT(b.fired, 0);
	/* both due in the same round: the first clears the second */
	reset_order();
	a.fired = 0;
	sdiag_loop_timer_set(&l, &tb, now - 1, record, &b);
	sdiag_loop_timer_set(&l, &ta, now - 2, clear_other, &a);
	sdiag_loop_run_once(&l);
	CHECK_INT(a.fired, 1);
	CHECK_INT(b.fired, 0);
	CHECK(l.timers == NULL);
	sdiag_loop_free(&l);
}

static void rearm_other_earlier(void *ud)
{
	tctx_t *c = ud;
	record(ud);
	sdiag_loop_timer_set(c->l, c->other, sdiag_now_ms() + 1, record, c + 1);
}

TEST(callback_rearms_another_timer)
{
	sdiag_loop_t l;
	sdiag_timer_t ta, tb;
	tctx_t ctx[2];
	double now = sdiag_now_ms();
	int guard = 0;
	memset(&ta, 0, sizeof(ta));
	memset(&tb, 0, sizeof(tb));
	memset(ctx, 0, sizeof(ctx));
	reset_order();
	sdiag_loop_init(&l);
	ctx[0].l = &l, ctx[0].name = 'a', ctx[0].other = &tb;
	ctx[1].name = 'b';
	sdiag_loop_timer_set(&l, &tb, now + 10000, record, &ctx[1]);
	sdiag_loop_timer_set(&l, &ta, now + 2, rearm_other_earlier, &ctx[0]);
	while (sdiag_loop_run_once(&l) >= 0 && guard++ < 100) {
	}
	CHECK_STR(order, "ab");
	CHECK(sdiag_now_ms() - now < 5000);
	sdiag_loop_free(&l);
}

TEST(timer_set_twice_and_clear_unarmed)
{
	sdiag_loop_t l;
	sdiag_timer_t t;
	tctx_t c = {0};
	size_t n = 0;
	sdiag_timer_t *p;
	memset(&t, 0, sizeof(t));
	sdiag_loop_init(&l);
	sdiag_loop_timer_clear(&l, &t);
	sdiag_loop_timer_set(&l, &t, sdiag_now_ms() + 1000, record, &c);
	sdiag_loop_timer_set(&l, &t, sdiag_now_ms() - 1, record, &c);
	for (p = l.timers; p; p = p->next) {
		n++;
	}
	CHECK_SIZE(n, 1);
	CHECK_INT(sdiag_loop_run_once(&l), 0);
	CHECK_INT(c.fired, 1);
	CHECK_INT(sdiag_loop_run_once(&l), -1);
	sdiag_loop_free(&l);
}

TEST(waits_until_the_timer)
{
	sdiag_loop_t l;
	sdiag_timer_t t;
	tctx_t c = {0};
	double start = sdiag_now_ms();
	memset(&t, 0, sizeof(t));
	sdiag_loop_init(&l);
	sdiag_loop_timer_set(&l, &t, start + 25, record, &c);
	CHECK_INT(sdiag_loop_run_once(&l), 0);
	CHECK_INT(c.fired, 1);
	CHECK(sdiag_now_ms() - start >= 24.0);
	sdiag_loop_free(&l);
}

/* ---- watches ---- */

typedef struct {
	sdiag_loop_t *l;
	int calls;
	short last;
	sdiag_socket_t remove_fd;  /* remove this watch from the callback */
} wctx_t;

static void on_io(void *ud, sdiag_socket_t fd, short revents)
{
	wctx_t *w = ud;
	char buf[64];
	w->calls++;
	w->last = revents;
	if (revents & SDIAG_POLLIN) {
		(void)!read(fd, buf, sizeof(buf));
	}
	if (w->remove_fd >= 0) {
		sdiag_loop_watch(w->l, w->remove_fd, 0, NULL, NULL);
	}
}

TEST(watch_fires_on_readability)
{
	sdiag_loop_t l;
	int sv[2];
	wctx_t w = {0};
	sdiag_timer_t t;
	tctx_t tc = {0};
	REQUIRE(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	memset(&t, 0, sizeof(t));
	sdiag_loop_init(&l);
	w.l = &l;
	w.remove_fd = -1;
	CHECK_INT(sdiag_loop_watch(&l, sv[0], SDIAG_POLLIN, on_io, &w), 0);
	/* not readable yet: only the timer ends the round */
	sdiag_loop_timer_set(&l, &t, sdiag_now_ms() + 10, record, &tc);
	CHECK_INT(sdiag_loop_run_once(&l), 0);
	CHECK_INT(w.calls, 0);
	CHECK_INT(tc.fired, 1);
	CHECK_INT(write(sv[1], "x", 1), 1);
	CHECK_INT(sdiag_loop_run_once(&l), 1);
	CHECK_INT(w.calls, 1);
	CHECK_INT(w.last, SDIAG_POLLIN);
	/* POLLOUT only when asked for */
	CHECK_INT(sdiag_loop_watch(&l, sv[0], SDIAG_POLLOUT, on_io, &w), 0);
	CHECK_SIZE(l.n, 1);
	CHECK_INT(sdiag_loop_run_once(&l), 1);
	CHECK_INT(w.last, SDIAG_POLLOUT);
	/* the peer closes: a POLLIN watch wakes up (read gives EOF) */
	CHECK_INT(sdiag_loop_watch(&l, sv[0], SDIAG_POLLIN, on_io, &w), 0);
	close(sv[1]);
	CHECK_INT(sdiag_loop_run_once(&l), 1);
	CHECK(w.last & SDIAG_POLLIN);
	CHECK_INT(sdiag_loop_watch(&l, sv[0], 0, NULL, NULL), 0);
	CHECK_SIZE(l.n, 0);
	CHECK_INT(sdiag_loop_run_once(&l), -1);
	close(sv[0]);
	sdiag_loop_free(&l);
}

TEST(remove_watch_inside_callback)
{
	sdiag_loop_t l;
	int a[2], b[2];
	wctx_t wa = {0}, wb = {0};
	REQUIRE(socketpair(AF_UNIX, SOCK_STREAM, 0, a) == 0);
	REQUIRE(socketpair(AF_UNIX, SOCK_STREAM, 0, b) == 0);
	sdiag_loop_init(&l);
	/* a's callback removes itself; b is still dispatched in the same round */
	wa.l = wb.l = &l;
	wa.remove_fd = a[0];
	wb.remove_fd = -1;
	sdiag_loop_watch(&l, a[0], SDIAG_POLLIN, on_io, &wa);
	sdiag_loop_watch(&l, b[0], SDIAG_POLLIN, on_io, &wb);
	CHECK_INT(write(a[1], "x", 1), 1);
	CHECK_INT(write(b[1], "y", 1), 1);
	CHECK_INT(sdiag_loop_run_once(&l), 2);
	CHECK_INT(wa.calls, 1);
	CHECK_INT(wb.calls, 1);
	CHECK_SIZE(l.n, 1);
	/* a's callback removes b: b is not called with stale events */
	wa.calls = wb.calls = 0;
	wa.remove_fd = b[0];
	sdiag_loop_watch(&l, b[0], 0, NULL, NULL);
	sdiag_loop_watch(&l, a[0], SDIAG_POLLIN, on_io, &wa);
	sdiag_loop_watch(&l, b[0], SDIAG_POLLIN, on_io, &wb);
	CHECK(l.n == 2 && l.watches[0].fd == a[0]);
	CHECK_INT(write(a[1], "x", 1), 1);
	CHECK_INT(write(b[1], "y", 1), 1);
	CHECK_INT(sdiag_loop_run_once(&l), 1);
	CHECK_INT(wa.calls, 1);
	CHECK_INT(wb.calls, 0);
	CHECK_SIZE(l.n, 1);
	sdiag_loop_watch(&l, a[0], 0, NULL, NULL);
	CHECK_INT(sdiag_loop_run_once(&l), -1);
	close(a[0]), close(a[1]), close(b[0]), close(b[1]);
	sdiag_loop_free(&l);
}

TEST(many_watches)
{
	enum { N = 40 };
	sdiag_loop_t l;
	int sv[N][2], i, ok = 1;
	wctx_t w = {0};
	sdiag_loop_init(&l);
	w.l = &l;
	w.remove_fd = -1;
	for (i = 0; i < N; i++) {
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv[i]) != 0) {
			ok = 0;
			break;
		}
		CHECK_INT(sdiag_loop_watch(&l, sv[i][0], SDIAG_POLLIN, on_io, &w), 0);
		CHECK_INT(write(sv[i][1], "z", 1), 1);
	}
	REQUIRE(ok);
	CHECK_SIZE(l.n, N);
	CHECK_INT(sdiag_loop_run_once(&l), N);
	CHECK_INT(w.calls, N);
	for (i = 0; i < N; i++) {
		sdiag_loop_watch(&l, sv[i][0], 0, NULL, NULL);
		close(sv[i][0]);
		close(sv[i][1]);
	}
	CHECK_SIZE(l.n, 0);
	sdiag_loop_free(&l);
}

TEST(remove_unknown_is_noop)
{
	sdiag_loop_t l;
	sdiag_loop_init(&l);
	CHECK_INT(sdiag_loop_watch(&l, 12345, 0, NULL, NULL), 0);
	CHECK_SIZE(l.n, 0);
	sdiag_loop_free(&l);
}

static int done_after;
static int done_pred(void *ud)
{
	tctx_t *c = ud;
	return c->fired >= done_after;
}

TEST(run_until_done_and_dry)
{
	sdiag_loop_t l;
	sdiag_timer_t t;
	tctx_t c = {0};
	memset(&t, 0, sizeof(t));
	sdiag_loop_init(&l);
	c.l = &l, c.self = &t, c.name = 'x', c.rearm_left = 100, c.rearm_ms = 1;
	sdiag_loop_timer_set(&l, &t, sdiag_now_ms(), rearm_self, &c);
	done_after = 3;
	CHECK_INT(sdiag_loop_run(&l, done_pred, &c), 0);
	CHECK_INT(c.fired, 3);
	sdiag_loop_timer_clear(&l, &t);
	done_after = 1000;
	CHECK_INT(sdiag_loop_run(&l, done_pred, &c), -1);
	sdiag_loop_free(&l);
}

TEST(watch_allocation_failure)
{
	sdiag_loop_t l;
	wctx_t w = {0};
	sdiag_loop_init(&l);
	t_alloc_fail_nth(1);
	CHECK_INT(sdiag_loop_watch(&l, 3, SDIAG_POLLIN, on_io, &w), -1);
	t_alloc_reset();
	CHECK_SIZE(l.n, 0);
	CHECK_INT(sdiag_loop_watch(&l, 3, SDIAG_POLLIN, on_io, &w), 0);
	CHECK_SIZE(l.n, 1);
	sdiag_loop_free(&l);
}

TEST_MAIN("loop",
	T(nothing_to_wait_for),
	T(future_timers_fire_in_deadline_order),
	T(due_timers_fire_in_deadline_order),
	T(callback_rearms_itself),
	T(callback_clears_another_timer),
	T(callback_rearms_another_timer),
	T(timer_set_twice_and_clear_unarmed),
	T(waits_until_the_timer),
	T(watch_fires_on_readability),
	T(remove_watch_inside_callback),
	T(many_watches),
	T(remove_unknown_is_noop),
	T(run_until_done_and_dry),
	T(watch_allocation_failure))
