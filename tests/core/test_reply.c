/* Unit tests: src/core/reply.c, the SMTP reply parser. */
#include "test.h"
#include "reply.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a driver that feeds a byte string in chosen chunks ---- */

#define MAX_REPLIES 16

typedef struct {
	int code;
	char enhanced[16];
	size_t nlines;
	char *text;
	size_t textlen;
	size_t end;       /* offset in the input just after the reply */
} got_reply_t;

typedef struct {
	size_t n;
	got_reply_t r[MAX_REPLIES];
	int error;        /* SDIAG_REPLY_ERROR or SDIAG_REPLY_NOMEM, 0 when none */
	char errmsg[128];
	int bad_consumed; /* NEED_MORE without consuming the whole chunk */
	int pending;
	size_t lines_seen;
	char lines[2048]; /* on_line output, each line followed by '|' */
	size_t lines_len;
} result_t;

static void on_line(void *ud, const char *line, size_t len)
{
	result_t *res = ud;
	res->lines_seen++;
	if (res->lines_len + len + 1 < sizeof(res->lines)) {
		memcpy(res->lines + res->lines_len, line, len);
		res->lines_len += len;
		res->lines[res->lines_len++] = '|';
		res->lines[res->lines_len] = '\0';
	}
}

static void result_free(result_t *res)
{
	size_t i;
	for (i = 0; i < res->n; i++) {
		free(res->r[i].text);
	}
	memset(res, 0, sizeof(*res));
}

/* Feed data cut after each offset in cuts[] (ascending); record every reply. */
static void feed_cuts(result_t *res, const char *data, size_t len, const size_t *cuts, size_t ncuts)
{
	sdiag_reply_parser_t p;
	size_t a = 0, ci = 0;
	memset(res, 0, sizeof(*res));
	sdiag_reply_parser_init(&p);
	while (a < len && !res->error) {
		size_t b = ci < ncuts ? cuts[ci++] : len, off = a;
		if (b > len) {
			b = len;
		}
		if (b <= a) {
			continue;
		}
		while (off < b) {
			size_t used = 12345;
			sdiag_reply_result_t r = sdiag_reply_parser_feed(&p, data + off, b - off, &used, on_line, res);
			if (r == SDIAG_REPLY_DONE) {
				off += used;
				if (res->n < MAX_REPLIES) {
					got_reply_t *g = &res->r[res->n++];
					g->code = p.reply.code;
					memcpy(g->enhanced, p.reply.enhanced, sizeof(g->enhanced));
					g->nlines = p.reply.nlines;
					g->textlen = p.reply.text.len;
					g->text = malloc(g->textlen + 1);
					memcpy(g->text, p.reply.text.data ? p.reply.text.data : "", g->textlen);
					g->text[g->textlen] = '\0';
					g->end = off;
				}
				continue;
			}
			if (r == SDIAG_REPLY_NEED_MORE) {
				if (used != b - off) {
					res->bad_consumed = 1;
				}
				break;
			}
			res->error = r;
			snprintf(res->errmsg, sizeof(res->errmsg), "%s", p.error);
			break;
		}
		a = b;
	}
	res->pending = sdiag_reply_parser_pending(&p);
	sdiag_reply_parser_free(&p);
}

static void feed_all(result_t *res, const char *data, size_t len)
{
	feed_cuts(res, data, len, NULL, 0);
}

static void feed_step(result_t *res, const char *data, size_t len, size_t step)
{
	size_t *cuts = malloc((len / step + 2) * sizeof(*cuts)), n = 0, i;
	for (i = step; i < len; i += step) {
		cuts[n++] = i;
	}
	feed_cuts(res, data, len, cuts, n);
	free(cuts);
}

/* Whether two runs saw the same replies, ends, lines and outcome. */
static int same_result(const result_t *a, const result_t *b, char *why, size_t whylen)
{
	size_t i;
	if (a->n != b->n) {
		snprintf(why, whylen, "%zu replies vs %zu", a->n, b->n);
		return 0;
	}
	for (i = 0; i < a->n; i++) {
		const got_reply_t *x = &a->r[i], *y = &b->r[i];
		if (x->code != y->code || strcmp(x->enhanced, y->enhanced) || x->nlines != y->nlines || x->textlen != y->textlen ||
			memcmp(x->text, y->text, x->textlen) || x->end != y->end) {
			snprintf(why, whylen, "reply %zu differs (code %d/%d, end %zu/%zu)", i, x->code, y->code, x->end, y->end);
			return 0;
		}
	}
	if (a->error != b->error || a->pending != b->pending || a->lines_seen != b->lines_seen || strcmp(a->lines, b->lines)) {
		snprintf(why, whylen, "outcome differs: error %d/%d pending %d/%d lines %zu/%zu", a->error, b->error, a->pending, b->pending, a->lines_seen, b->lines_seen);
		return 0;
	}
	if (a->bad_consumed || b->bad_consumed) {
		snprintf(why, whylen, "NEED_MORE left bytes unconsumed");
		return 0;
	}
	return 1;
}

/* ---- tests ---- */

/* Exim's real "571 No PTR Record found": a second digit past 5 still parses */
TEST(second_digit_past_five)
{
	sdiag_reply_parser_t p;
	sdiag_reply_parser_init(&p);
	CHECK_INT(sdiag_reply_parse_text(&p, "571 No PTR Record found", 23), SDIAG_REPLY_DONE);
	CHECK_INT(p.reply.code, 571);
	sdiag_reply_parser_free(&p);
}

TEST(single_line)
{
	sdiag_reply_parser_t p;
	size_t used;
	static const char in[] = "250 OK\r\n";
	sdiag_reply_parser_init(&p);
	CHECK_INT(sdiag_reply_parser_feed(&p, in, sizeof(in) - 1, &used, NULL, NULL), SDIAG_REPLY_DONE);
	CHECK_SIZE(used, sizeof(in) - 1);
	CHECK_INT(p.reply.code, 250);
	CHECK_STR(p.reply.text.data, "OK");
	CHECK_SIZE(p.reply.nlines, 1);
	CHECK_STR(p.reply.enhanced, "");
	CHECK(!sdiag_reply_parser_pending(&p));
	/* nothing to feed */
	CHECK_INT(sdiag_reply_parser_feed(&p, in, 0, &used, NULL, NULL), SDIAG_REPLY_NEED_MORE);
	CHECK_SIZE(used, 0);
	sdiag_reply_parser_free(&p);
}

static const struct {
	const char *name, *in;
	int code;
	const char *enhanced, *text;
	size_t nlines;
} good[] = {
	{"banner", "220 mx.example.com ESMTP Postfix\r\n", 220, "", "mx.example.com ESMTP Postfix", 1},
	{"banner bare LF", "220 mx.example.com ESMTP\n", 220, "", "mx.example.com ESMTP", 1},
	{"multi-line CRLF", "250-mx.example.com\r\n250-PIPELINING\r\n250 SIZE 10240000\r\n", 250, "", "mx.example.com\nPIPELINING\nSIZE 10240000", 3},
	{"multi-line LF", "250-mx.example.com\n250-PIPELINING\n250 SIZE 10240000\n", 250, "", "mx.example.com\nPIPELINING\nSIZE 10240000", 3},
	{"multi-line mixed endings", "250-a\n250-b\r\n250 c\n", 250, "", "a\nb\nc", 3},
	{"250 alone", "250\r\n", 250, "", "", 1},
	{"250 alone, LF", "250\n", 250, "", "", 1},
	{"empty texts", "250-\r\n250 \r\n", 250, "", "\n", 2},
	{"hyphen line then bare code", "250-x\r\n250\r\n", 250, "", "x\n", 2},
	{"5.7.8", "535 5.7.8 Authentication credentials invalid\r\n", 535, "5.7.8", "5.7.8 Authentication credentials invalid", 1},
	{"4.7.0", "421 4.7.0 Try again later, closing connection.\r\n", 421, "4.7.0", "4.7.0 Try again later, closing connection.", 1},
	{"2.0.0", "250 2.0.0 Ok: queued as 4B2F21C0A\r\n", 250, "2.0.0", "2.0.0 Ok: queued as 4B2F21C0A", 1},
	{"code alone at end of line", "550 5.1.1\r\n", 550, "5.1.1", "5.1.1", 1},
	{"tab after code", "550 5.1.1\tUser unknown\r\n", 550, "5.1.1", "5.1.1\tUser unknown", 1},
	{"three-digit parts", "550 5.123.456 x\r\n", 550, "5.123.456", "5.123.456 x", 1},
	{"rejects 5.7", "550 5.7 short\r\n", 550, "", "5.7 short", 1},
	{"rejects 9.1.1", "550 9.1.1 bad class\r\n", 550, "", "9.1.1 bad class", 1},
	{"rejects 5.1.1x", "550 5.1.1x junk\r\n", 550, "", "5.1.1x junk", 1},
	{"rejects class mismatch 2xx/5", "250 5.0.0 mismatch\r\n", 250, "", "5.0.0 mismatch", 1},
	{"rejects class mismatch 4xx/5", "450 5.1.1 mismatch\r\n", 450, "", "5.1.1 mismatch", 1},
	{"rejects four-digit part", "550 5.1234.1 x\r\n", 550, "", "5.1234.1 x", 1},
	{"rejects empty part", "550 5..1 x\r\n", 550, "", "5..1 x", 1},
	{"rejects 3.1.1", "550 3.1.1 x\r\n", 550, "", "3.1.1 x", 1},
	{"first line's code wins", "550-5.7.1 first\r\n550 5.7.8 second\r\n", 550, "5.7.1", "5.7.1 first\n5.7.8 second", 2},
	{"multi-line enhanced", "550-5.1.1 The email account that you tried to reach does not exist.\r\n550 5.1.1 https://support.google.com/mail/?p=NoSuchUser\r\n", 550, "5.1.1",
		"5.1.1 The email account that you tried to reach does not exist.\n5.1.1 https://support.google.com/mail/?p=NoSuchUser", 2},
	{"only the last CR is stripped", "250 a\r\r\n", 250, "", "a\r", 1},
	{"inner CR kept", "250 a\rb\r\n", 250, "", "a\rb", 1},
	{"8-bit text kept", "250 caf\xc3\xa9\r\n", 250, "", "caf\xc3\xa9", 1},
	{"lowest code", "200 x\r\n", 200, "", "x", 1},
	{"highest code", "559 x\r\n", 559, "", "x", 1},
};

TEST(good_replies)
{
	size_t i;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		ROW("%s", good[i].name)
		{
			result_t res;
			feed_all(&res, good[i].in, strlen(good[i].in));
			CHECK_INT(res.error, 0);
			CHECK_SIZE(res.n, 1);
			if (res.n == 1) {
				CHECK_INT(res.r[0].code, good[i].code);
				CHECK_STR(res.r[0].enhanced, good[i].enhanced);
				CHECK_MEM(res.r[0].text, res.r[0].textlen, good[i].text, strlen(good[i].text));
				CHECK_SIZE(res.r[0].nlines, good[i].nlines);
				CHECK_SIZE(res.r[0].end, strlen(good[i].in));
			}
			CHECK(!res.pending);
			result_free(&res);
		}
	}
}

static const struct {
	const char *name, *in, *error;
} bad[] = {
	{"letter in code", "25O ok\r\n", "three-digit"},
	{"no code", "ok\r\n", "three-digit"},
	{"empty line", "\r\n", "three-digit"},
	{"two digits", "25\r\n", "three-digit"},
	{"1xx", "199 x\r\n", "not a valid SMTP code"},
	{"100", "100 x\r\n", "not a valid SMTP code"},
	{"6xx", "600 x\r\n", "not a valid SMTP code"},
	{"699", "699 x\r\n", "not a valid SMTP code"},
	{"0xx", "099 x\r\n", "not a valid SMTP code"},
	{"bad separator", "250x\r\n", "neither space nor hyphen"},
	{"tab separator", "250\tx\r\n", "neither space nor hyphen"},
	{"code change mid-reply", "250-a\r\n550 b\r\n", "changes code"},
	{"code change after several lines", "250-a\r\n250-b\r\n251 c\r\n", "changes code"},
	{"junk in a continuation", "250-a\r\nhello\r\n", "three-digit"},
};

TEST(bad_replies)
{
	size_t i;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ROW("%s", bad[i].name)
		{
			result_t res;
			feed_all(&res, bad[i].in, strlen(bad[i].in));
			CHECK_INT(res.error, SDIAG_REPLY_ERROR);
			CHECK_SIZE(res.n, 0);
			CHECK_CONTAINS(res.errmsg, bad[i].error);
			result_free(&res);
		}
	}
}

TEST(consumed_stops_at_end_of_reply)
{
	static const struct {
		const char *in;
		size_t end;
		const char *rest;
	} rows[] = {
		{"220 go ahead\r\nEHLO injected\r\n", 14, "EHLO injected\r\n"},
		{"220 go ahead\r\nX", 14, "X"},
		{"220 go ahead\nRSET\n", 13, "RSET\n"},
		{"250-a\r\n250 b\r\n250 c\r\n", 14, "250 c\r\n"},
		{"220 Ready to start TLS\r\n\x16\x03\x01", 24, "\x16\x03\x01"},
	};
	size_t i;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ROW("%s", t_shows(rows[i].in))
		{
			sdiag_reply_parser_t p;
			size_t used = 0, len = strlen(rows[i].in);
			sdiag_reply_parser_init(&p);
			CHECK_INT(sdiag_reply_parser_feed(&p, rows[i].in, len, &used, NULL, NULL), SDIAG_REPLY_DONE);
			CHECK_SIZE(used, rows[i].end);
			CHECK_STR(rows[i].in + used, rows[i].rest);
			/* nothing of what follows was buffered */
			CHECK(!sdiag_reply_parser_pending(&p));
			CHECK_SIZE(p.line.len, 0);
			sdiag_reply_parser_free(&p);
		}
	}
}

TEST(reply_end_in_second_chunk_keeps_the_rest)
{
	/* "220 go" then "\r\nEVIL": the second feed stops after its "\r\n" */
	sdiag_reply_parser_t p;
	size_t used = 0;
	sdiag_reply_parser_init(&p);
	CHECK_INT(sdiag_reply_parser_feed(&p, "220 go", 6, &used, NULL, NULL), SDIAG_REPLY_NEED_MORE);
	CHECK_SIZE(used, 6);
	CHECK(sdiag_reply_parser_pending(&p));
	CHECK_INT(sdiag_reply_parser_feed(&p, "\r\nEVIL", 6, &used, NULL, NULL), SDIAG_REPLY_DONE);
	CHECK_SIZE(used, 2);
	CHECK_STR(p.reply.text.data, "go");
	CHECK(!sdiag_reply_parser_pending(&p));
	sdiag_reply_parser_free(&p);
}

static const char *streams[] = {
	"220 mx.example.com ESMTP\r\n",
	"250-mx.example.com Hello [192.0.2.1]\r\n250-SIZE 35882577\r\n250-8BITMIME\r\n250-STARTTLS\r\n250-ENHANCEDSTATUSCODES\r\n250 SMTPUTF8\r\n",
	"220 a\r\n250-b\n250 c\r\n221 2.0.0 Bye\r\n",
	"550-5.7.1 [192.0.2.1] Our system has detected that\r\n550-5.7.1 this message is likely unsolicited mail.\r\n550 5.7.1 https://support.google.com/mail/?p=UnsolicitedMessage\r\n",
	"250\r\n250-\r\n250 \r\n354 End data with <CR><LF>.<CR><LF>\r\n",
	"220 go\r\nEHLO smuggled\r\n",
	"250-a\r\n250 b\r\n25",
	"250-a\r\n550 b\r\n",
	"220 caf\xc3\xa9 \x01\x7f\r\n",
};

TEST(split_at_every_byte_boundary)
{
	size_t i, k;
	for (i = 0; i < sizeof(streams) / sizeof(streams[0]); i++) {
		ROW("stream %zu", i)
		{
			size_t len = strlen(streams[i]);
			result_t whole, split;
			char why[200];
			feed_all(&whole, streams[i], len);
			for (k = 1; k < len; k++) {
				feed_cuts(&split, streams[i], len, &k, 1);
				if (!same_result(&whole, &split, why, sizeof(why))) {
					t_fail(__FILE__, __LINE__, "split at %zu: %s", k, why);
				}
				result_free(&split);
			}
			/* three chunks, every pair of cuts */
			for (k = 1; k + 1 < len; k++) {
				size_t m;
				for (m = k + 1; m < len; m++) {
					size_t cuts[2] = {k, m};
					feed_cuts(&split, streams[i], len, cuts, 2);
					if (!same_result(&whole, &split, why, sizeof(why))) {
						t_fail(__FILE__, __LINE__, "split at %zu and %zu: %s", k, m, why);
					}
					result_free(&split);
				}
			}
			result_free(&whole);
		}
	}
}

TEST(one_byte_at_a_time)
{
	size_t i;
	for (i = 0; i < sizeof(streams) / sizeof(streams[0]); i++) {
		ROW("stream %zu", i)
		{
			size_t len = strlen(streams[i]);
			result_t whole, bytes;
			char why[200];
			feed_all(&whole, streams[i], len);
			feed_step(&bytes, streams[i], len, 1);
			if (!same_result(&whole, &bytes, why, sizeof(why))) {
				t_fail(__FILE__, __LINE__, "%s", why);
			}
			result_free(&whole);
			result_free(&bytes);
		}
	}
}

TEST(stream_of_replies)
{
	result_t res;
	const char *s = streams[2];
	feed_all(&res, s, strlen(s));
	REQUIRE(res.n == 3);
	CHECK_INT(res.r[0].code, 220);
	CHECK_INT(res.r[1].code, 250);
	CHECK_STR(res.r[1].text, "b\nc");
	CHECK_INT(res.r[2].code, 221);
	CHECK_STR(res.r[2].enhanced, "2.0.0");
	CHECK_SIZE(res.r[0].end, 7);
	CHECK_SIZE(res.r[1].end, 20);
	CHECK_SIZE(res.r[2].end, strlen(s));
	CHECK_SIZE(res.lines_seen, 4);
	CHECK_STR(res.lines, "220 a|250-b|250 c|221 2.0.0 Bye|");
	result_free(&res);
	/* a partial reply at the end stays pending */
	feed_all(&res, streams[6], strlen(streams[6]));
	CHECK_SIZE(res.n, 1);
	CHECK(res.pending);
	result_free(&res);
}

static char *repeat_line(const char *prefix, size_t textlen, const char *eol)
{
	size_t pl = strlen(prefix), el = strlen(eol);
	char *s = malloc(pl + textlen + el + 1);
	memcpy(s, prefix, pl);
	memset(s + pl, 'a', textlen);
	memcpy(s + pl + textlen, eol, el + 1);
	return s;
}

TEST(line_cap_4096)
{
	static const struct {
		size_t textlen;
		const char *eol;
		int ok;
	} rows[] = {
		/* the cap counts the line without its CR LF */
		{4096 - 4, "\n", 1},
		{4096 - 4 + 1, "\n", 0},
		{4096 - 4, "\r\n", 1},
		{4096 - 4 + 1, "\r\n", 0},
		{4096 - 4 - 1, "\r\r\n", 1}, /* an inner CR counts */
		{4096 - 4, "\r\r\n", 0},
		{10000, "\r\n", 0},
	};
	size_t i;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ROW("%zu text bytes + %s", rows[i].textlen, t_shows(rows[i].eol))
		{
			char *s = repeat_line("250 ", rows[i].textlen, rows[i].eol);
			result_t whole, bytes;
			feed_all(&whole, s, strlen(s));
			feed_step(&bytes, s, strlen(s), 1);
			if (rows[i].ok) {
				CHECK_INT(whole.error, 0);
				CHECK_SIZE(whole.n, 1);
				if (whole.n) {
					/* the text keeps an inner CR, never the CR of CRLF */
					CHECK_SIZE(whole.r[0].textlen, rows[i].textlen + (strcmp(rows[i].eol, "\r\r\n") == 0));
				}
			} else {
				CHECK_INT(whole.error, SDIAG_REPLY_ERROR);
				CHECK_CONTAINS(whole.errmsg, "line longer than 4096");
			}
			CHECK_INT(bytes.error, whole.error);
			CHECK_SIZE(bytes.n, whole.n);
			result_free(&whole);
			result_free(&bytes);
			free(s);
		}
	}
}

TEST(line_cap_without_newline)
{
	/* an endless line with no LF at all fails once it passes the cap */
	char *s = malloc(5000);
	result_t res;
	memcpy(s, "250 ", 4);
	memset(s + 4, 'b', 5000 - 4);
	feed_step(&res, s, 5000, 1000);
	CHECK_INT(res.error, SDIAG_REPLY_ERROR);
	CHECK_CONTAINS(res.errmsg, "line longer");
	result_free(&res);
	free(s);
}

static char *many_lines(size_t nlines, const char *last_text)
{
	size_t i, cap = nlines * 12 + 64, o = 0;
	char *s = malloc(cap);
	for (i = 0; i + 1 < nlines; i++) {
		o += (size_t)snprintf(s + o, cap - o, "250-l%zu\r\n", i);
	}
	snprintf(s + o, cap - o, "250 %s\r\n", last_text);
	return s;
}

TEST(line_count_cap_256)
{
	char *ok = many_lines(256, "end"), *over = many_lines(257, "end");
	result_t res;
	feed_all(&res, ok, strlen(ok));
	CHECK_INT(res.error, 0);
	CHECK_SIZE(res.n, 1);
	if (res.n) {
		CHECK_SIZE(res.r[0].nlines, 256);
	}
	result_free(&res);
	feed_all(&res, over, strlen(over));
	CHECK_INT(res.error, SDIAG_REPLY_ERROR);
	CHECK_CONTAINS(res.errmsg, "more than 256 lines");
	result_free(&res);
	free(ok);
	free(over);
}

/* n lines of exactly linelen bytes each (CR included, LF not) */
static char *big_reply(size_t n, size_t linelen, size_t *outlen)
{
	size_t i, o = 0;
	char *s = malloc(n * (linelen + 1) + 1);
	for (i = 0; i < n; i++) {
		memcpy(s + o, i + 1 < n ? "250-" : "250 ", 4);
		memset(s + o + 4, 'c', linelen - 5);
		s[o + linelen - 1] = '\r';
		s[o + linelen] = '\n';
		o += linelen + 1;
	}
	s[o] = '\0';
	*outlen = o;
	return s;
}

TEST(reply_cap_64k)
{
	size_t len;
	char *s;
	result_t res;
	/* 16 lines of 4096 bytes: exactly 64 KiB of line bytes */
	s = big_reply(16, 4096, &len);
	feed_all(&res, s, len);
	CHECK_INT(res.error, 0);
	CHECK_SIZE(res.n, 1);
	result_free(&res);
	free(s);
	/* 17 lines: over */
	s = big_reply(17, 4096, &len);
	feed_all(&res, s, len);
	CHECK_INT(res.error, SDIAG_REPLY_ERROR);
	CHECK_CONTAINS(res.errmsg, "reply longer than 65536");
	result_free(&res);
	feed_step(&res, s, len, 1);
	CHECK_INT(res.error, SDIAG_REPLY_ERROR);
	result_free(&res);
	feed_step(&res, s, len, 777);
	CHECK_INT(res.error, SDIAG_REPLY_ERROR);
	result_free(&res);
	free(s);
	/* 200 lines of 400 bytes: line count fine, bytes over */
	s = big_reply(200, 400, &len);
	feed_all(&res, s, len);
	CHECK_INT(res.error, SDIAG_REPLY_ERROR);
	CHECK_CONTAINS(res.errmsg, "longer than 65536");
	result_free(&res);
	free(s);
}

TEST(byte_budget_is_per_reply)
{
	/* many replies of 16 KiB each in one stream: each reply has its own budget */
	size_t len1, i, o = 0;
	char *one = big_reply(4, 4096, &len1), *s = malloc(len1 * 6 + 1);
	result_t res;
	for (i = 0; i < 6; i++) {
		memcpy(s + o, one, len1);
		o += len1;
	}
	feed_all(&res, s, o);
	CHECK_INT(res.error, 0);
	CHECK_SIZE(res.n, 6);
	result_free(&res);
	free(one);
	free(s);
}

TEST(on_line_sees_raw_lines)
{
	result_t res;
	static const char in[] = "250-First\r\n250-Second\n250 2.0.0 Last\r\n";
	feed_all(&res, in, sizeof(in) - 1);
	CHECK_STR(res.lines, "250-First|250-Second|250 2.0.0 Last|");
	CHECK_SIZE(res.lines_seen, 3);
	result_free(&res);
	/* a line that fails is still reported (it goes to the transcript) */
	feed_all(&res, "bogus\r\n", 7);
	CHECK_STR(res.lines, "bogus|");
	result_free(&res);
}

TEST(reset_and_pending)
{
	sdiag_reply_parser_t p;
	size_t used;
	sdiag_reply_parser_init(&p);
	CHECK(!sdiag_reply_parser_pending(&p));
	CHECK_INT(sdiag_reply_parser_feed(&p, "250-a\r\n", 7, &used, NULL, NULL), SDIAG_REPLY_NEED_MORE);
	CHECK(sdiag_reply_parser_pending(&p));
	sdiag_reply_parser_reset(&p);
	CHECK(!sdiag_reply_parser_pending(&p));
	CHECK_INT(sdiag_reply_parser_feed(&p, "25", 2, &used, NULL, NULL), SDIAG_REPLY_NEED_MORE);
	CHECK(sdiag_reply_parser_pending(&p));
	sdiag_reply_parser_reset(&p);
	/* a different code after the reset is a new reply, not a code change */
	CHECK_INT(sdiag_reply_parser_feed(&p, "220 x\r\n", 7, &used, NULL, NULL), SDIAG_REPLY_DONE);
	CHECK_INT(p.reply.code, 220);
	CHECK_SIZE(p.reply.nlines, 1);
	CHECK_STR(p.reply.text.data, "x");
	sdiag_reply_parser_free(&p);
}

TEST(parse_enhanced_direct)
{
	static const struct {
		const char *s;
		int code;
		const char *out;
	} rows[] = {
		{"5.7.8", 535, "5.7.8"},
		{"5.7.8 Error", 535, "5.7.8"},
		{"4.7.0", 421, "4.7.0"},
		{"2.0.0 OK", 250, "2.0.0"},
		{"2.0.0", 0, "2.0.0"},      /* code 0: any class */
		{"5.7", 550, ""},
		{"9.1.1", 550, ""},
		{"5.1.1x", 550, ""},
		{"5.1.1.", 550, ""},
		{"5.1.", 550, ""},
		{"5.1.1", 450, ""},
		{"", 550, ""},
		{"550", 550, ""},
		{"5.999.999", 550, "5.999.999"},
	};
	size_t i;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ROW("\"%s\" with %d", rows[i].s, rows[i].code)
		{
			char out[16] = "unchanged";
			size_t n = sdiag_parse_enhanced(rows[i].s, strlen(rows[i].s), rows[i].code, out);
			CHECK_SIZE(n, strlen(rows[i].out));
			if (n) {
				CHECK_STR(out, rows[i].out);
			}
		}
	}
}

TEST(parse_enhanced_respects_len)
{
	char out[16];
	/* the length bounds the scan: "5.1.1" inside a longer buffer */
	CHECK_SIZE(sdiag_parse_enhanced("5.1.12345", 5, 550, out), 5);
	CHECK_STR(out, "5.1.1");
	CHECK_SIZE(sdiag_parse_enhanced("5.1.1", 4, 550, out), 0);
}

TEST(parse_text)
{
	static const struct {
		const char *in;
		int result, code;
		const char *enhanced, *text, *error;
	} rows[] = {
		{"250 OK", SDIAG_REPLY_DONE, 250, "", "OK", NULL},
		{"250 OK\r\n", SDIAG_REPLY_DONE, 250, "", "OK", NULL},
		{"550 5.1.1 <a@b>: Recipient address rejected: User unknown", SDIAG_REPLY_DONE, 550, "5.1.1", "5.1.1 <a@b>: Recipient address rejected: User unknown", NULL},
		{"550-5.7.1 first\n550 5.7.1 second", SDIAG_REPLY_DONE, 550, "5.7.1", "5.7.1 first\n5.7.1 second", NULL},
		{"550-5.7.1 first\r\n550 5.7.1 second\r\n", SDIAG_REPLY_DONE, 550, "5.7.1", "5.7.1 first\n5.7.1 second", NULL},
		{"250", SDIAG_REPLY_DONE, 250, "", "", NULL},
		{"", SDIAG_REPLY_ERROR, 0, "", "", "empty reply"},
		{"550-a", SDIAG_REPLY_ERROR, 0, "", "", "no final line"},
		{"550-a\n", SDIAG_REPLY_ERROR, 0, "", "", "no final line"},
		{"hello", SDIAG_REPLY_ERROR, 0, "", "", "three-digit"},
		{"150 x", SDIAG_REPLY_ERROR, 0, "", "", "not a valid SMTP code"},
		{"550-a\n451 b", SDIAG_REPLY_ERROR, 0, "", "", "changes code"},
	};
	size_t i;
	sdiag_reply_parser_t p;
	sdiag_reply_parser_init(&p);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ROW("%s", t_shows(rows[i].in))
		{
			int r = sdiag_reply_parse_text(&p, rows[i].in, strlen(rows[i].in));
			CHECK_INT(r, rows[i].result);
			if (r == SDIAG_REPLY_DONE) {
				CHECK_INT(p.reply.code, rows[i].code);
				CHECK_STR(p.reply.enhanced, rows[i].enhanced);
				CHECK_STR(p.reply.text.data ? p.reply.text.data : "", rows[i].text);
			} else if (rows[i].error) {
				CHECK_CONTAINS(p.error, rows[i].error);
			}
		}
	}
	sdiag_reply_parser_free(&p);
}

TEST(parse_text_resets_leftovers)
{
	sdiag_reply_parser_t p;
	size_t used;
	sdiag_reply_parser_init(&p);
	CHECK_INT(sdiag_reply_parser_feed(&p, "250-half", 8, &used, NULL, NULL), SDIAG_REPLY_NEED_MORE);
	CHECK_INT(sdiag_reply_parse_text(&p, "550 y", 5), SDIAG_REPLY_DONE);
	CHECK_INT(p.reply.code, 550);
	CHECK_SIZE(p.reply.nlines, 1);
	CHECK_STR(p.reply.text.data, "y");
	sdiag_reply_parser_free(&p);
}

/* Allocation failure anywhere while parsing: NOMEM (or success), never
 * another error, never a crash or a leak. The first line has 63 bytes of
 * text so that appending the '\n' separator for the second line needs the
 * reply text to grow. */
TEST(allocation_failure_returns_nomem)
{
	static const char in[] = "250-123456789012345678901234567890123456789012345678901234567890123\r\n250-second\r\n250 third\r\n";
	unsigned long n;
	for (n = 1; n < 100; n++) {
		ROW("allocation %lu fails", n)
		{
			sdiag_reply_parser_t p;
			size_t used = 0;
			int r, hit;
			sdiag_reply_parser_init(&p);
			t_alloc_fail_nth(n);
			r = sdiag_reply_parser_feed(&p, in, sizeof(in) - 1, &used, NULL, NULL);
			hit = t_alloc_hit();
			t_alloc_reset();
			if (hit) {
				if (r != SDIAG_REPLY_NOMEM) {
					t_fail(__FILE__, __LINE__, "result %d (error \"%s\"), expected SDIAG_REPLY_NOMEM (%d)", r, p.error, SDIAG_REPLY_NOMEM);
				}
			} else {
				CHECK_INT(r, SDIAG_REPLY_DONE);
			}
			/* the parser is usable again after a reset */
			sdiag_reply_parser_reset(&p);
			CHECK_INT(sdiag_reply_parser_feed(&p, "220 x\r\n", 7, &used, NULL, NULL), SDIAG_REPLY_DONE);
			sdiag_reply_parser_free(&p);
			if (!hit) {
				n = 1000; /* every allocation was tried */
			}
		}
	}
}

TEST(allocation_failure_parse_text)
{
	static const char in[] = "550-5.1.1 one\n550-5.1.1 two two two two two two two two two two two two two two two two two two two two\n550 5.1.1 three";
	unsigned long n;
	for (n = 1; n < 100; n++) {
		sdiag_reply_parser_t p;
		int r, hit;
		sdiag_reply_parser_init(&p);
		t_alloc_fail_nth(n);
		r = sdiag_reply_parse_text(&p, in, sizeof(in) - 1);
		hit = t_alloc_hit();
		t_alloc_reset();
		CHECK(r == SDIAG_REPLY_DONE || (hit && (r == SDIAG_REPLY_NOMEM || r == SDIAG_REPLY_ERROR)));
		sdiag_reply_parser_free(&p);
		if (!hit) {
			break;
		}
	}
}

TEST_MAIN("reply",
	T(single_line),
	T(good_replies),
	T(bad_replies),
	T(second_digit_past_five),
	T(consumed_stops_at_end_of_reply),
	T(reply_end_in_second_chunk_keeps_the_rest),
	T(split_at_every_byte_boundary),
	T(one_byte_at_a_time),
	T(stream_of_replies),
	T(line_cap_4096),
	T(line_cap_without_newline),
	T(line_count_cap_256),
	T(reply_cap_64k),
	T(byte_budget_is_per_reply),
	T(on_line_sees_raw_lines),
	T(reset_and_pending),
	T(parse_enhanced_direct),
	T(parse_enhanced_respects_len),
	T(parse_text),
	T(parse_text_resets_leftovers),
	T(allocation_failure_returns_nomem),
	T(allocation_failure_parse_text))
