/*
 * Test support: the runner behind test.h and the allocation hooks that
 * compat.h routes the core's allocations through under SDIAG_ALLOC_HOOK.
 * The mutable state lives here, in the tests, never in the core.
 */
#include "test.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- runner ---- */

static const char *cur_suite = "";
static const char *cur_test = "";
static int cur_failures;       /* in the running test function, rows included */
static char row_label[256];
static int row_open, row_failures_at_start, rows_in_test, failures_in_rows;
static int total_pass, total_fail;

static void report(const char *test, const char *row, int failed)
{
	if (failed) {
		total_fail++;
	} else {
		total_pass++;
	}
	printf("%s %s/%s%s%s\n", failed ? "FAIL" : "ok", cur_suite, test, row ? " :: " : "", row ? row : "");
	fflush(stdout);
}

void t_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	cur_failures++;
	failures_in_rows += row_open;
	printf("  %s:%d: %s%s%s", file, line, row_open ? "[" : "", row_open ? row_label : "", row_open ? "] " : "");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

int t_failures(void)
{
	return cur_failures;
}

int t_row_end(void)
{
	if (row_open) {
		row_open = 0;
		report(cur_test, row_label, cur_failures > row_failures_at_start);
	}
	return 0;
}

int t_row_begin(const char *fmt, ...)
{
	va_list ap;
	t_row_end();
	va_start(ap, fmt);
	vsnprintf(row_label, sizeof(row_label), fmt, ap);
	va_end(ap);
	row_open = 1;
	rows_in_test++;
	row_failures_at_start = cur_failures;
	return 1;
}

const char *t_show(const char *s, size_t n)
{
	static char ring[4][600];
	static int slot;
	char *out = ring[slot++ % 4];
	size_t i, o = 0;
	if (!s) {
		return "(null)";
	}
	for (i = 0; i < n && o + 8 < sizeof(ring[0]); i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\r') {
			o += (size_t)snprintf(out + o, sizeof(ring[0]) - o, "\\r");
		} else if (c == '\n') {
			o += (size_t)snprintf(out + o, sizeof(ring[0]) - o, "\\n");
		} else if (c < 0x20 || c == 0x7F) {
			o += (size_t)snprintf(out + o, sizeof(ring[0]) - o, "\\x%02X", c);
		} else {
			out[o++] = (char)c;
		}
	}
	if (i < n) {
		o += (size_t)snprintf(out + o, sizeof(ring[0]) - o, "...(%zu bytes)", n);
	}
	if (o >= sizeof(ring[0])) {
		o = sizeof(ring[0]) - 1; /* the note was cut */
	}
	out[o] = '\0';
	return out;
}

int t_run(const char *suite, const t_case_t *cases, size_t n, int argc, char **argv)
{
	size_t i;
	cur_suite = suite;
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* a hung test (a loop that never ends, a server that never answers) fails the binary */
	alarm(120);
	for (i = 0; i < n; i++) {
		if (argc > 1 && !strstr(cases[i].name, argv[1])) {
			continue;
		}
		cur_test = cases[i].name;
		cur_failures = 0;
		rows_in_test = 0;
		failures_in_rows = 0;
		row_open = 0;
		t_alloc_reset();
		cases[i].fn();
		t_row_end();
		t_alloc_reset();
		if (!rows_in_test) {
			report(cur_test, NULL, cur_failures > 0);
		} else if (cur_failures > failures_in_rows) {
			/* failures outside any row count as one more case */
			report(cur_test, "(outside the rows)", 1);
		}
	}
	printf("# %s: %d passed, %d failed\n# done\n", suite, total_pass, total_fail);
	return total_fail ? 1 : 0;
}

/* ---- allocation hooks ---- */

static unsigned long alloc_seen;    /* allocations since the last arm/reset */
static unsigned long alloc_fail_at; /* 0: never */
static int alloc_fail_rest;         /* fail every allocation from alloc_fail_at on */
static int alloc_hit;

void t_alloc_fail_nth(unsigned long n)
{
	alloc_seen = 0;
	alloc_fail_at = n;
	alloc_fail_rest = 0;
	alloc_hit = 0;
}

void t_alloc_fail_from(unsigned long n)
{
	t_alloc_fail_nth(n);
	alloc_fail_rest = 1;
}

void t_alloc_reset(void)
{
	t_alloc_fail_nth(0);
}

int t_alloc_hit(void)
{
	return alloc_hit;
}

unsigned long t_alloc_count(void)
{
	return alloc_seen;
}

static int should_fail(void)
{
	alloc_seen++;
	if (alloc_fail_at && (alloc_seen == alloc_fail_at || (alloc_fail_rest && alloc_seen > alloc_fail_at))) {
		alloc_hit = 1;
		return 1;
	}
	return 0;
}

void *sdiag_test_malloc(size_t n)
{
	return should_fail() ? NULL : malloc(n);
}

void *sdiag_test_realloc(void *p, size_t n)
{
	return should_fail() ? NULL : realloc(p, n);
}

void *sdiag_test_calloc(size_t n, size_t m)
{
	return should_fail() ? NULL : calloc(n, m);
}
