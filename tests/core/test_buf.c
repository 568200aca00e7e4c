/* Unit tests: src/core/buf.c, the capped growable buffer. */
#include "test.h"
#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

TEST(add_and_nul_termination)
{
	sdiag_buf_t b;
	sdiag_buf_init(&b, 100);
	CHECK(b.data == NULL);
	CHECK_SIZE(b.len, 0);
	CHECK_INT(sdiag_buf_add(&b, "abc", 3), SDIAG_BUF_OK);
	CHECK_INT(sdiag_buf_addstr(&b, "def"), SDIAG_BUF_OK);
	CHECK_SIZE(b.len, 6);
	CHECK_STR(b.data, "abcdef");
	CHECK(b.cap >= b.len + 1);
	CHECK(b.cap <= b.max + 1);
	/* binary data, NUL included */
	CHECK_INT(sdiag_buf_add(&b, "\0x", 2), SDIAG_BUF_OK);
	CHECK_MEM(b.data, b.len, "abcdef\0x", 8);
	CHECK(b.data[b.len] == '\0');
	/* an empty add keeps everything */
	CHECK_INT(sdiag_buf_add(&b, NULL, 0), SDIAG_BUF_OK);
	CHECK_SIZE(b.len, 8);
	sdiag_buf_free(&b);
	CHECK(b.data == NULL);
	CHECK_SIZE(b.len, 0);
}

TEST(max_is_a_hard_cap)
{
	static const struct {
		size_t max, first, second;
		int r2;
	} rows[] = {
		{0, 0, 1, SDIAG_BUF_TOO_BIG},
		{1, 1, 1, SDIAG_BUF_TOO_BIG},
		{10, 5, 5, SDIAG_BUF_OK},
		{10, 5, 6, SDIAG_BUF_TOO_BIG},
		{10, 10, 0, SDIAG_BUF_OK},
		{64, 63, 1, SDIAG_BUF_OK},
		{64, 64, 1, SDIAG_BUF_TOO_BIG},
		{1000, 999, 2, SDIAG_BUF_TOO_BIG},
		{4096, 4096, 0, SDIAG_BUF_OK},
	};
	size_t i;
	char *src = malloc(8192);
	memset(src, 'x', 8192);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ROW("max %zu: %zu then %zu", rows[i].max, rows[i].first, rows[i].second)
		{
			sdiag_buf_t b;
			sdiag_buf_init(&b, rows[i].max);
			CHECK_INT(sdiag_buf_add(&b, src, rows[i].first), SDIAG_BUF_OK);
			CHECK_INT(sdiag_buf_add(&b, "yyyyyyyyyyyyyyyyyyyy", rows[i].second), rows[i].r2);
			CHECK_SIZE(b.len, rows[i].first + (rows[i].r2 == SDIAG_BUF_OK ? rows[i].second : 0));
			CHECK(b.len <= b.max);
			CHECK(b.cap <= b.max + 1);
			CHECK(b.data != NULL && b.data[b.len] == '\0');
			sdiag_buf_free(&b);
		}
	}
	free(src);
}

TEST(too_big_leaves_contents_unchanged)
{
	sdiag_buf_t b;
	char big[600];
	char *before;
	size_t cap;
	memset(big, 'z', sizeof(big));
	sdiag_buf_init(&b, 300);
	CHECK_INT(sdiag_buf_addstr(&b, "hello"), SDIAG_BUF_OK);
	before = b.data;
	cap = b.cap;
	CHECK_INT(sdiag_buf_add(&b, big, 296), SDIAG_BUF_TOO_BIG);
	CHECK_STR(b.data, "hello");
	CHECK_SIZE(b.len, 5);
	/* addf: short (formatted on the stack) and long (formatted in place) */
	CHECK_INT(sdiag_buf_addf(&b, "%0296d", 1), SDIAG_BUF_TOO_BIG);
	CHECK_STR(b.data, "hello");
	CHECK_INT(sdiag_buf_addf(&b, "%s", "<123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890>"), SDIAG_BUF_TOO_BIG);
	CHECK_STR(b.data, "hello");
	CHECK_SIZE(b.len, 5);
	CHECK(b.data == before);
	CHECK_SIZE(b.cap, cap);
	/* exactly up to the cap still works */
	CHECK_INT(sdiag_buf_add(&b, big, 295), SDIAG_BUF_OK);
	CHECK_SIZE(b.len, 300);
	CHECK_INT(sdiag_buf_add(&b, "", 0), SDIAG_BUF_OK);
	CHECK_INT(sdiag_buf_add(&b, "!", 1), SDIAG_BUF_TOO_BIG);
	CHECK_SIZE(b.len, 300);
	sdiag_buf_free(&b);
}

TEST(addf_short_and_long)
{
	sdiag_buf_t b;
	char expect[1200];
	sdiag_buf_init(&b, 4096);
	CHECK_INT(sdiag_buf_addf(&b, "%d-%s", 42, "x"), SDIAG_BUF_OK);
	CHECK_STR(b.data, "42-x");
	/* longer than the 256-byte stack buffer: formatted into the buffer */
	CHECK_INT(sdiag_buf_addf(&b, "%01000d", 7), SDIAG_BUF_OK);
	snprintf(expect, sizeof(expect), "42-x%01000d", 7);
	CHECK_STR(b.data, expect);
	CHECK_SIZE(b.len, 1004);
	/* boundary: exactly 255 and 256 formatted bytes */
	sdiag_buf_reset(&b);
	CHECK_INT(sdiag_buf_addf(&b, "%0255d", 0), SDIAG_BUF_OK);
	CHECK_SIZE(b.len, 255);
	CHECK_INT(sdiag_buf_addf(&b, "%0256d", 0), SDIAG_BUF_OK);
	CHECK_SIZE(b.len, 511);
	CHECK_SIZE(strlen(b.data), 511);
	sdiag_buf_free(&b);
}

TEST(consume)
{
	static const struct {
		const char *in;
		size_t n;
		const char *out;
	} rows[] = {
		{"abcdef", 0, "abcdef"},
		{"abcdef", 1, "bcdef"},
		{"abcdef", 5, "f"},
		{"abcdef", 6, ""},
		{"abcdef", 100, ""},
		{"", 3, ""},
	};
	size_t i;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ROW("consume %zu of \"%s\"", rows[i].n, rows[i].in)
		{
			sdiag_buf_t b;
			sdiag_buf_init(&b, 64);
			CHECK_INT(sdiag_buf_addstr(&b, rows[i].in), SDIAG_BUF_OK);
			sdiag_buf_consume(&b, rows[i].n);
			CHECK_STR(b.data, rows[i].out);
			CHECK_SIZE(b.len, strlen(rows[i].out));
			/* the buffer stays usable */
			CHECK_INT(sdiag_buf_addstr(&b, "Z"), SDIAG_BUF_OK);
			CHECK_SIZE(b.len, strlen(rows[i].out) + 1);
			sdiag_buf_free(&b);
		}
	}
}

TEST(consume_on_never_allocated_buffer)
{
	sdiag_buf_t b;
	sdiag_buf_init(&b, 10);
	sdiag_buf_consume(&b, 0);
	sdiag_buf_consume(&b, 5);
	sdiag_buf_reset(&b);
	CHECK(b.data == NULL);
	CHECK_SIZE(b.len, 0);
	CHECK(sdiag_buf_take(&b) == NULL);
	sdiag_buf_free(&b);
}

TEST(take)
{
	sdiag_buf_t b;
	char *s;
	sdiag_buf_init(&b, 64);
	CHECK_INT(sdiag_buf_addstr(&b, "owned"), SDIAG_BUF_OK);
	s = sdiag_buf_take(&b);
	CHECK_STR(s, "owned");
	CHECK(b.data == NULL);
	CHECK_SIZE(b.len, 0);
	CHECK_SIZE(b.cap, 0);
	CHECK_SIZE(b.max, 64);
	/* reusable after take */
	CHECK_INT(sdiag_buf_addstr(&b, "again"), SDIAG_BUF_OK);
	CHECK_STR(b.data, "again");
	free(s);
	sdiag_buf_free(&b);
}

TEST(reset_keeps_allocation)
{
	sdiag_buf_t b;
	char *d;
	sdiag_buf_init(&b, 64);
	CHECK_INT(sdiag_buf_addstr(&b, "abc"), SDIAG_BUF_OK);
	d = b.data;
	sdiag_buf_reset(&b);
	CHECK(b.data == d);
	CHECK_STR(b.data, "");
	CHECK_SIZE(b.len, 0);
	sdiag_buf_free(&b);
}

TEST(growth_many_small_adds)
{
	sdiag_buf_t b;
	size_t i;
	sdiag_buf_init(&b, 100000);
	for (i = 0; i < 100000; i++) {
		if (sdiag_buf_add(&b, "a", 1) != SDIAG_BUF_OK) {
			break;
		}
	}
	CHECK_SIZE(b.len, 100000);
	CHECK_INT(sdiag_buf_add(&b, "a", 1), SDIAG_BUF_TOO_BIG);
	CHECK(b.cap == 100001);
	sdiag_buf_free(&b);
}

TEST(nomem_injection)
{
	sdiag_buf_t b;
	sdiag_buf_init(&b, 1 << 20);
	/* first allocation fails: nothing changes */
	t_alloc_fail_nth(1);
	CHECK_INT(sdiag_buf_add(&b, "abc", 3), SDIAG_BUF_NOMEM);
	CHECK(t_alloc_hit());
	CHECK(b.data == NULL);
	CHECK_SIZE(b.len, 0);
	CHECK_SIZE(b.cap, 0);
	t_alloc_reset();
	CHECK_INT(sdiag_buf_add(&b, "abc", 3), SDIAG_BUF_OK);
	/* a growth failure keeps the old contents */
	t_alloc_fail_nth(1);
	{
		char big[500];
		memset(big, 'q', sizeof(big));
		CHECK_INT(sdiag_buf_add(&b, big, sizeof(big)), SDIAG_BUF_NOMEM);
	}
	CHECK_STR(b.data, "abc");
	CHECK_SIZE(b.len, 3);
	/* addf, long path */
	t_alloc_fail_nth(1);
	CHECK_INT(sdiag_buf_addf(&b, "%0700d", 5), SDIAG_BUF_NOMEM);
	CHECK_STR(b.data, "abc");
	/* addf, short path */
	t_alloc_fail_nth(1);
	CHECK_INT(sdiag_buf_addf(&b, "%0100d", 5), SDIAG_BUF_NOMEM);
	CHECK_STR(b.data, "abc");
	t_alloc_reset();
	CHECK_INT(sdiag_buf_addf(&b, "%0100d", 5), SDIAG_BUF_OK);
	CHECK_SIZE(b.len, 103);
	sdiag_buf_free(&b);
}

TEST_MAIN("buf",
	T(add_and_nul_termination),
	T(max_is_a_hard_cap),
	T(too_big_leaves_contents_unchanged),
	T(addf_short_and_long),
	T(consume),
	T(consume_on_never_allocated_buffer),
	T(take),
	T(reset_keeps_allocation),
	T(growth_many_small_adds),
	T(nomem_injection))
