/*
 * A tiny assertion framework for the core's C unit tests.
 *
 * A test binary lists its cases with TEST_MAIN(); each TEST() is one case,
 * except that a test made of table rows (ROW(...) { ... }) counts each row as
 * one case. The runner prints "ok NAME" or "FAIL NAME" per case, then
 * "# done"; tests/core/Makefile sums those lines over every binary.
 *
 * CHECK* macros record a failure and go on (so a table shows every bad row);
 * REQUIRE* record it and return from the test function.
 */
#ifndef SDIAG_TEST_H
#define SDIAG_TEST_H

#include <stddef.h>
#include <string.h>

typedef struct t_case {
	const char *name;
	void (*fn)(void);
} t_case_t;

#define TEST(name) static void name(void)
#define T(name) {#name, name}

int t_run(const char *suite, const t_case_t *cases, size_t n, int argc, char **argv);
#define TEST_MAIN(suite, ...)                                                        \
	int main(int argc, char **argv)                                                  \
	{                                                                                \
		static const t_case_t cases_[] = {__VA_ARGS__};                              \
		return t_run(suite, cases_, sizeof(cases_) / sizeof(cases_[0]), argc, argv); \
	}

void t_fail(const char *file, int line, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
	__attribute__((format(printf, 3, 4)))
#endif
	;
int t_failures(void);  /* failures so far in the running case */

/* Table rows: ROW("fmt", ...) { checks } counts as its own case. Do not
 * `break` out of a row's block (use continue or an if). */
int t_row_begin(const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
	__attribute__((format(printf, 1, 2)))
#endif
	;
int t_row_end(void);
#define ROW(...) for (int row_once_ = t_row_begin(__VA_ARGS__); row_once_; row_once_ = t_row_end())

/* Escaped, NUL-safe rendering for messages; returns a static ring slot. */
const char *t_show(const char *s, size_t n);
#define t_shows(s) ((s) ? t_show((s), strlen(s)) : "(null)")

#define CHECK(c)                                   \
	do {                                           \
		if (!(c)) {                                \
			t_fail(__FILE__, __LINE__, "%s", #c); \
		}                                          \
	} while (0)

#define CHECK_INT(a, b)                                                                          \
	do {                                                                                         \
		long long a_ = (long long)(a), b_ = (long long)(b);                                      \
		if (a_ != b_) {                                                                          \
			t_fail(__FILE__, __LINE__, "%s == %s: got %lld, expected %lld", #a, #b, a_, b_); \
		}                                                                                        \
	} while (0)

#define CHECK_SIZE(a, b)                                                                       \
	do {                                                                                       \
		size_t a_ = (size_t)(a), b_ = (size_t)(b);                                             \
		if (a_ != b_) {                                                                        \
			t_fail(__FILE__, __LINE__, "%s == %s: got %zu, expected %zu", #a, #b, a_, b_); \
		}                                                                                      \
	} while (0)

#define CHECK_STR(a, b)                                                                                        \
	do {                                                                                                       \
		const char *a_ = (a), *b_ = (b);                                                                       \
		if ((a_ == NULL) != (b_ == NULL) || (a_ && strcmp(a_, b_) != 0)) {                                     \
			t_fail(__FILE__, __LINE__, "%s == %s: got \"%s\", expected \"%s\"", #a, #b, t_shows(a_), t_shows(b_)); \
		}                                                                                                      \
	} while (0)

#define CHECK_MEM(a, alen, b, blen)                                                                            \
	do {                                                                                                       \
		const char *a_ = (const char *)(a), *b_ = (const char *)(b);                                           \
		size_t al_ = (size_t)(alen), bl_ = (size_t)(blen);                                                     \
		if (al_ != bl_ || (al_ && memcmp(a_, b_, al_) != 0)) {                                                 \
			t_fail(__FILE__, __LINE__, "%s == %s: got \"%s\", expected \"%s\"", #a, #b, t_show(a_, al_), t_show(b_, bl_)); \
		}                                                                                                      \
	} while (0)

#define CHECK_CONTAINS(hay, needle)                                                                          \
	do {                                                                                                     \
		const char *h_ = (hay), *n_ = (needle);                                                              \
		if (!h_ || !strstr(h_, n_)) {                                                                        \
			t_fail(__FILE__, __LINE__, "%s contains \"%s\": got \"%s\"", #hay, n_, t_shows(h_));           \
		}                                                                                                    \
	} while (0)

#define REQUIRE(c)                                 \
	do {                                           \
		if (!(c)) {                                \
			t_fail(__FILE__, __LINE__, "%s", #c); \
			return;                                \
		}                                          \
	} while (0)

/* ---- allocation-failure injection (tests/core/test_support.c) ----
 * Every sdiag_malloc/realloc/calloc of the core goes through the hooks.
 * t_alloc_fail_nth(n): the n-th allocation from now fails (1-based), the
 * others succeed. t_alloc_fail_from(n): the n-th and every later one fail.
 * t_alloc_reset(): no more failures. t_alloc_hit(): whether a failure was
 * injected since the last arm. */
void t_alloc_fail_nth(unsigned long n);
void t_alloc_fail_from(unsigned long n);
void t_alloc_reset(void);
int t_alloc_hit(void);
unsigned long t_alloc_count(void);

#endif
