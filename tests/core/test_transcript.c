/* Unit tests: src/core/transcript.c, sanitising, caps and the swaks text form. */
#include "test.h"
#include "transcript.h"
#include "clean_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

TEST(sanitize_table)
{
	static const struct {
		const char *name, *in;
		size_t inlen;
		const char *out;
	} rows[] = {
		{"ascii", "hello world", 11, "hello world"},
		{"tab kept", "a\tb", 3, "a\tb"},
		{"CR LF escaped", "a\rb\n", 4, "a\\x0Db\\x0A"},
		{"NUL", "x\0y", 3, "x\\x00y"},
		{"DEL", "\x7f", 1, "\\x7F"},
		{"ANSI escape", "\x1b[31mred", 8, "\\x1B[31mred"},
		{"2-byte UTF-8", "caf\xc3\xa9", 5, "caf\xc3\xa9"},
		{"C1 control NEL", "a\xc2\x85" "b", 4, "a\\u0085b"},
		{"C1 CSI", "\xc2\x9b" "31m", 5, "\\u009B31m"},
		{"NBSP kept", "\xc2\xa0", 2, "\xc2\xa0"},
		{"3-byte UTF-8", "\xe2\x82\xac 5", 5, "\xe2\x82\xac 5"},
		{"4-byte UTF-8", "\xf0\x9f\x98\x80", 4, "\xf0\x9f\x98\x80"},
		{"U+FFFF", "\xef\xbf\xbf", 3, "\xef\xbf\xbf"},
		{"U+10FFFF", "\xf4\x8f\xbf\xbf", 4, "\xf4\x8f\xbf\xbf"},
		{"truncated 2-byte", "\xc3", 1, "\\xC3"},
		{"truncated 3-byte then ASCII", "\xe2\x82x", 3, "\\xE2\\x82x"},
		{"overlong 2-byte", "\xc0\xaf", 2, "\\xC0\\xAF"},
		{"overlong 3-byte", "\xe0\x80\xaf", 3, "\\xE0\\x80\\xAF"},
		{"overlong 4-byte", "\xf0\x80\x80\xaf", 4, "\\xF0\\x80\\x80\\xAF"},
		{"surrogate", "\xed\xa0\x80", 3, "\\xED\\xA0\\x80"},
		{"above U+10FFFF", "\xf4\x90\x80\x80", 4, "\\xF4\\x90\\x80\\x80"},
		{"F5 lead", "\xf5\x80\x80\x80", 4, "\\xF5\\x80\\x80\\x80"},
		{"FF", "\xff", 1, "\\xFF"},
		{"lone continuation", "\x80", 1, "\\x80"},
		{"valid then truncated", "\xc3\xa9\xc3", 3, "\xc3\xa9\\xC3"},
		{"Latin-1 text", "caf\xe9!", 5, "caf\\xE9!"},
		{"empty", "", 0, ""},
	};
	size_t i;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ROW("%s", rows[i].name)
		{
			sdiag_buf_t b;
			sdiag_buf_init(&b, 4096);
			CHECK_INT(sdiag_sanitize(&b, rows[i].in, rows[i].inlen), SDIAG_BUF_OK);
			CHECK_MEM(b.data ? b.data : "", b.len, rows[i].out, strlen(rows[i].out));
			CHECK(clean_text(b.data ? b.data : "", b.len));
			sdiag_buf_free(&b);
		}
	}
}

TEST(sanitize_every_byte_value)
{
	/* all 256 single bytes and all two-byte pairs give clean UTF-8 */
	sdiag_buf_t b;
	unsigned int x, y;
	int bad = 0;
	sdiag_buf_init(&b, 4096);
	for (x = 0; x < 256; x++) {
		for (y = 0; y < 256; y++) {
			char in[3] = {(char)x, (char)y, 'z'};
			sdiag_buf_reset(&b);
			if (sdiag_sanitize(&b, in, 3) != SDIAG_BUF_OK || !clean_text(b.data, b.len)) {
				bad++;
			}
		}
	}
	CHECK_INT(bad, 0);
	sdiag_buf_free(&b);
}

TEST(sanitize_respects_buffer_cap)
{
	sdiag_buf_t b;
	sdiag_buf_init(&b, 10);
	CHECK_INT(sdiag_sanitize(&b, "\x01\x02\x03", 3), SDIAG_BUF_TOO_BIG);
	CHECK(b.len <= 10);
	sdiag_buf_free(&b);
}

TEST(add_entries)
{
	sdiag_transcript_t t;
	sdiag_transcript_init(&t);
	sdiag_transcript_add(&t, SDIAG_DIR_SERVER, 0, "220 mx ESMTP", 12);
	sdiag_transcript_add(&t, SDIAG_DIR_CLIENT, 0, "EHLO [127.0.0.1]", 16);
	sdiag_transcript_add(&t, SDIAG_DIR_SERVER, 1, "250 ok\r\n", 8);
	sdiag_transcript_addf(&t, SDIAG_DIR_INFO, 1, "TLS %s, %d bits", "TLSv1.3", 256);
	REQUIRE(t.n == 4);
	CHECK_STR(sdiag_tentry_text(&t, &t.entries[0]), "220 mx ESMTP");
	CHECK_SIZE(t.entries[0].len, 12);
	CHECK_INT(t.entries[0].dir, SDIAG_DIR_SERVER);
	CHECK_INT(t.entries[0].tls, 0);
	CHECK_STR(sdiag_tentry_text(&t, &t.entries[1]), "EHLO [127.0.0.1]");
	CHECK_INT(t.entries[1].dir, SDIAG_DIR_CLIENT);
	CHECK_STR(sdiag_tentry_text(&t, &t.entries[2]), "250 ok\\x0D\\x0A");
	CHECK_INT(t.entries[2].tls, 1);
	CHECK_STR(sdiag_tentry_text(&t, &t.entries[3]), "TLS TLSv1.3, 256 bits");
	CHECK_INT(t.entries[3].dir, SDIAG_DIR_INFO);
	CHECK(t.entries[0].t >= 0);
	CHECK(t.entries[1].t >= t.entries[0].t);
	CHECK(t.entries[3].t >= t.entries[2].t);
	CHECK(!t.truncated);
	CHECK_STR(sdiag_dir_name(SDIAG_DIR_CLIENT), "client");
	CHECK_STR(sdiag_dir_name(SDIAG_DIR_SERVER), "server");
	CHECK_STR(sdiag_dir_name(SDIAG_DIR_INFO), "info");
	sdiag_transcript_clear(&t);
	CHECK_SIZE(t.n, 0);
	CHECK_SIZE(t.text.len, 0);
	sdiag_transcript_add(&t, SDIAG_DIR_CLIENT, 0, "QUIT", 4);
	CHECK_SIZE(t.n, 1);
	CHECK_STR(sdiag_tentry_text(&t, &t.entries[0]), "QUIT");
	sdiag_transcript_free(&t);
}

TEST(line_cut_at_1000)
{
	static const struct {
		size_t len;
		const char *note;
	} rows[] = {
		{999, NULL},
		{1000, NULL},
		{1001, " [... 1 more bytes]"},
		{1500, " [... 500 more bytes]"},
		{100000, " [... 99000 more bytes]"},
	};
	size_t i;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ROW("%zu bytes", rows[i].len)
		{
			sdiag_transcript_t t;
			char *line = malloc(rows[i].len), expect[1100];
			size_t kept = rows[i].len > 1000 ? 1000 : rows[i].len;
			memset(line, 'a', rows[i].len);
			memset(expect, 'a', kept);
			snprintf(expect + kept, sizeof(expect) - kept, "%s", rows[i].note ? rows[i].note : "");
			sdiag_transcript_init(&t);
			sdiag_transcript_add(&t, SDIAG_DIR_SERVER, 0, line, rows[i].len);
			CHECK_SIZE(t.n, 1);
			if (t.n) {
				CHECK_STR(sdiag_tentry_text(&t, &t.entries[0]), expect);
				CHECK_SIZE(t.entries[0].len, strlen(expect));
			}
			sdiag_transcript_free(&t);
			free(line);
		}
	}
}

TEST(cut_line_with_escapes)
{
	/* 1000 control bytes become 4000 bytes of escapes: the cut is on input bytes */
	sdiag_transcript_t t;
	char line[1200];
	memset(line, '\x01', sizeof(line));
	sdiag_transcript_init(&t);
	sdiag_transcript_add(&t, SDIAG_DIR_SERVER, 0, line, sizeof(line));
	REQUIRE(t.n == 1);
	CHECK_SIZE(t.entries[0].len, 4000 + strlen(" [... 200 more bytes]"));
	CHECK(clean_text(sdiag_tentry_text(&t, &t.entries[0]), t.entries[0].len));
	sdiag_transcript_free(&t);
}

static size_t count_truncated(const sdiag_transcript_t *t)
{
	size_t i, n = 0;
	for (i = 0; i < t->n; i++) {
		if (strstr(sdiag_tentry_text(t, &t->entries[i]), "truncated")) {
			n++;
		}
	}
	return n;
}

TEST(entry_cap)
{
	sdiag_transcript_t t;
	size_t i;
	sdiag_transcript_init(&t);
	for (i = 0; i < SDIAG_TRANSCRIPT_MAX_ENTRIES + 5000; i++) {
		sdiag_transcript_add(&t, SDIAG_DIR_CLIENT, 0, "NOOP", 4);
	}
	CHECK_SIZE(t.n, SDIAG_TRANSCRIPT_MAX_ENTRIES);
	CHECK(t.truncated);
	CHECK_SIZE(count_truncated(&t), 1);
	REQUIRE(t.n > 0);
	CHECK_INT(t.entries[t.n - 1].dir, SDIAG_DIR_INFO);
	CHECK_CONTAINS(sdiag_tentry_text(&t, &t.entries[t.n - 1]), "transcript truncated");
	CHECK_STR(sdiag_tentry_text(&t, &t.entries[t.n - 2]), "NOOP");
	sdiag_transcript_free(&t);
}

TEST(byte_cap)
{
	sdiag_transcript_t t;
	char line[1000];
	size_t i;
	memset(line, 'b', sizeof(line));
	sdiag_transcript_init(&t);
	for (i = 0; i < 3000; i++) {
		sdiag_transcript_add(&t, SDIAG_DIR_SERVER, 0, line, sizeof(line));
	}
	CHECK(t.truncated);
	CHECK(t.text.len <= SDIAG_TRANSCRIPT_MAX_BYTES);
	CHECK(t.n < 3000);
	CHECK_SIZE(count_truncated(&t), 1);
	REQUIRE(t.n > 0);
	CHECK_INT(t.entries[t.n - 1].dir, SDIAG_DIR_INFO);
	CHECK_CONTAINS(sdiag_tentry_text(&t, &t.entries[t.n - 1]), "transcript truncated");
	/* nothing after the note */
	i = t.n;
	sdiag_transcript_add(&t, SDIAG_DIR_CLIENT, 0, "QUIT", 4);
	CHECK_SIZE(t.n, i);
	sdiag_transcript_free(&t);
}

/* The byte cap keeps a margin of 4 * 1000 + 64 bytes for the next line, but a
 * cut line of 1000 escaped bytes with a long "[... N more bytes]" note uses
 * 4000 + 24 + 1 of it, and the 41-byte "truncated" note no longer fits. */
TEST(byte_cap_note_always_fits)
{
	sdiag_transcript_t t;
	const size_t max = SDIAG_TRANSCRIPT_MAX_BYTES, margin = SDIAG_TRANSCRIPT_RESERVE;
	size_t target = max - margin, n_before;
	char fill[1000];
	char *evil = malloc(200000);
	memset(fill, 'f', sizeof(fill));
	memset(evil, '\x01', 200000);
	sdiag_transcript_init(&t);
	/* bring the text to exactly max - margin bytes, every line accepted */
	while (t.text.len + sizeof(fill) + 1 <= target) {
		sdiag_transcript_add(&t, SDIAG_DIR_SERVER, 0, fill, sizeof(fill));
	}
	if (t.text.len < target) {
		sdiag_transcript_add(&t, SDIAG_DIR_SERVER, 0, fill, target - t.text.len - 1);
	}
	CHECK_SIZE(t.text.len, target);
	CHECK(!t.truncated);
	/* still under the cap: accepted, and it leaves less than the note needs */
	sdiag_transcript_add(&t, SDIAG_DIR_SERVER, 0, evil, 200000);
	CHECK(!t.truncated);
	n_before = t.n;
	sdiag_transcript_add(&t, SDIAG_DIR_CLIENT, 0, "QUIT", 4);
	CHECK(t.truncated);
	CHECK_SIZE(t.n, n_before + 1);
	CHECK_SIZE(count_truncated(&t), 1);
	if (t.n) {
		CHECK_CONTAINS(sdiag_tentry_text(&t, &t.entries[t.n - 1]), "transcript truncated");
	}
	sdiag_transcript_free(&t);
	free(evil);
}

TEST(format_line_swaks)
{
	static const struct {
		double t;
		sdiag_dir_t dir;
		int tls, with_time;
		const char *text, *out;
	} rows[] = {
		{0, SDIAG_DIR_SERVER, 0, 0, "220 mx ESMTP", "<-  220 mx ESMTP\n"},
		{0, SDIAG_DIR_CLIENT, 0, 0, "EHLO client", " -> EHLO client\n"},
		{0, SDIAG_DIR_SERVER, 1, 0, "250 ok", "<~  250 ok\n"},
		{0, SDIAG_DIR_CLIENT, 1, 0, "QUIT", " ~> QUIT\n"},
		{0, SDIAG_DIR_INFO, 0, 0, "connected", "=== connected\n"},
		{0, SDIAG_DIR_INFO, 1, 0, "TLS established", "=== TLS established\n"},
		{1.5, SDIAG_DIR_SERVER, 0, 1, "220 hi", "[    1.500] <-  220 hi\n"},
		{12345.678, SDIAG_DIR_CLIENT, 0, 1, "QUIT", "[12345.678]  -> QUIT\n"},
		{0.25, SDIAG_DIR_CLIENT, 1, 1, "EHLO x", "[    0.250]  ~> EHLO x\n"},
		{3, SDIAG_DIR_INFO, 0, 1, "done", "[    3.000] === done\n"},
		{0, SDIAG_DIR_SERVER, 0, 0, "", "<-  \n"},
	};
	size_t i;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ROW("%s", t_shows(rows[i].out))
		{
			sdiag_buf_t b;
			sdiag_buf_init(&b, 4096);
			CHECK_INT(sdiag_transcript_format_line(&b, rows[i].t, rows[i].dir, rows[i].tls, rows[i].text, rows[i].with_time), 0);
			CHECK_STR(b.data, rows[i].out);
			sdiag_buf_free(&b);
		}
	}
}

TEST(format_whole_transcript)
{
	sdiag_transcript_t t;
	sdiag_buf_t b;
	size_t i, lines = 0;
	sdiag_transcript_init(&t);
	sdiag_transcript_add(&t, SDIAG_DIR_INFO, 0, "connected", 9);
	sdiag_transcript_add(&t, SDIAG_DIR_SERVER, 0, "220 mx", 6);
	sdiag_transcript_add(&t, SDIAG_DIR_CLIENT, 0, "STARTTLS", 8);
	sdiag_transcript_add(&t, SDIAG_DIR_CLIENT, 1, "EHLO x", 6);
	sdiag_transcript_add(&t, SDIAG_DIR_SERVER, 1, "250 ok", 6);
	sdiag_buf_init(&b, 1 << 20);
	CHECK_INT(sdiag_transcript_format(&t, &b, 0), 0);
	CHECK_STR(b.data, "=== connected\n<-  220 mx\n -> STARTTLS\n ~> EHLO x\n<~  250 ok\n");
	sdiag_buf_reset(&b);
	CHECK_INT(sdiag_transcript_format(&t, &b, 1), 0);
	for (i = 0; i < b.len; i++) {
		lines += b.data[i] == '\n';
	}
	CHECK_SIZE(lines, 5);
	CHECK(b.data && b.data[0] == '[' && b.data[10] == ']');
	CHECK_CONTAINS(b.data, "] <~  250 ok\n");
	/* too small an output buffer fails cleanly */
	{
		sdiag_buf_t small;
		sdiag_buf_init(&small, 20);
		CHECK_INT(sdiag_transcript_format(&t, &small, 0), -1);
		CHECK(small.len <= 20);
		sdiag_buf_free(&small);
	}
	sdiag_buf_free(&b);
	sdiag_transcript_free(&t);
}

TEST(allocation_failure)
{
	unsigned long n;
	for (n = 1; n < 100; n++) {
		sdiag_transcript_t t;
		size_t i;
		int hit;
		sdiag_transcript_init(&t);
		t_alloc_fail_nth(n);
		for (i = 0; i < 40; i++) {
			sdiag_transcript_add(&t, SDIAG_DIR_SERVER, 0, "250-PIPELINING and some more text to grow the buffer", 52);
		}
		hit = t_alloc_hit();
		t_alloc_reset();
		/* every entry still points at its own NUL-terminated text */
		for (i = 0; i < t.n; i++) {
			CHECK(t.entries[i].off + t.entries[i].len < t.text.len);
			CHECK_STR(sdiag_tentry_text(&t, &t.entries[i]), "250-PIPELINING and some more text to grow the buffer");
		}
		CHECK(t.n >= 39 || hit);
		sdiag_transcript_free(&t);
		if (!hit) {
			break;
		}
	}
}

TEST_MAIN("transcript",
	T(sanitize_table),
	T(sanitize_every_byte_value),
	T(sanitize_respects_buffer_cap),
	T(add_entries),
	T(line_cut_at_1000),
	T(cut_line_with_escapes),
	T(entry_cap),
	T(byte_cap),
	T(byte_cap_note_always_fits),
	T(format_line_swaks),
	T(format_whole_transcript),
	T(allocation_failure))
