/* Unit tests: src/core/ehlo.c, the EHLO capability parser. */
#include "test.h"
#include "ehlo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse(sdiag_caps_t *c, const char *text)
{
	return sdiag_caps_parse(c, text, strlen(text));
}

static const char *params_of(const sdiag_caps_t *c, const char *kw)
{
	const sdiag_cap_t *cap = sdiag_caps_find(c, kw);
	return cap ? (cap->params ? cap->params : "") : NULL;
}

TEST(postfix_reply)
{
	sdiag_caps_t c;
	sdiag_caps_init(&c);
	CHECK_INT(parse(&c, "mx.example.com\nPIPELINING\nSIZE 10240000\nVRFY\nETRN\nSTARTTLS\nENHANCEDSTATUSCODES\n8BITMIME\nDSN\nSMTPUTF8\nCHUNKING"), 0);
	CHECK_STR(c.greeting, "mx.example.com");
	CHECK_SIZE(c.n, 10);
	CHECK_STR(c.caps[0].keyword, "PIPELINING");
	CHECK(c.caps[0].params == NULL);
	CHECK_STR(params_of(&c, "SIZE"), "10240000");
	CHECK(sdiag_caps_find(&c, "STARTTLS") != NULL);
	CHECK(sdiag_caps_find(&c, "starttls") != NULL);
	CHECK(sdiag_caps_find(&c, "AUTH") == NULL);
	CHECK(sdiag_caps_find(&c, "STARTTL") == NULL);
	CHECK(c.size_limit == 10240000ULL);
	CHECK(!sdiag_caps_has_auth(&c, "PLAIN"));
	sdiag_caps_free(&c);
	CHECK_SIZE(c.n, 0);
	CHECK(c.greeting == NULL);
}

TEST(keywords_upper_cased_params_kept)
{
	static const struct {
		const char *line, *kw, *params;
	} rows[] = {
		{"starttls", "STARTTLS", NULL},
		{"Size 1000", "SIZE", "1000"},
		{"x-custom-ext Some Params", "X-CUSTOM-EXT", "Some Params"},
		{"  pipelining", "PIPELINING", NULL},
		{"SIZE   52428800  ", "SIZE", "52428800"},
		{"auth plain login", "AUTH", "plain login"},
		{"8bitmime", "8BITMIME", NULL},
		{"DELIVERBY 300", "DELIVERBY", "300"},
		{"XCLIENT NAME ADDR PROTO HELO", "XCLIENT", "NAME ADDR PROTO HELO"},
	};
	size_t i;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ROW("%s", rows[i].line)
		{
			sdiag_caps_t c;
			char text[256];
			sdiag_caps_init(&c);
			snprintf(text, sizeof(text), "greeting\n%s", rows[i].line);
			CHECK_INT(parse(&c, text), 0);
			CHECK_SIZE(c.n, 1);
			CHECK_STR(c.caps[0].keyword, rows[i].kw);
			CHECK_STR(c.caps[0].params, rows[i].params);
			sdiag_caps_free(&c);
		}
	}
}

TEST(auth_merging_and_dedup)
{
	static const struct {
		const char *text, *auth;
	} rows[] = {
		{"g\nAUTH PLAIN LOGIN\nAUTH=LOGIN CRAM-MD5", "PLAIN LOGIN CRAM-MD5"},
		{"g\nAUTH=LOGIN PLAIN\nAUTH PLAIN LOGIN XOAUTH2", "LOGIN PLAIN XOAUTH2"},
		{"g\nAUTH=PLAIN\nAUTH=PLAIN", "PLAIN"},
		{"g\nAUTH LOGIN PLAIN\nAUTH login plain", "LOGIN PLAIN"},
		{"g\nAUTH=LOGIN", "LOGIN"},
		{"g\nAUTH GSSAPI NTLM\nSIZE 1\nAUTH=NTLM LOGIN", "GSSAPI NTLM LOGIN"},
	};
	size_t i;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ROW("%s", t_shows(rows[i].text))
		{
			sdiag_caps_t c;
			size_t k, nauth = 0;
			sdiag_caps_init(&c);
			CHECK_INT(parse(&c, rows[i].text), 0);
			CHECK_STR(params_of(&c, "AUTH"), rows[i].auth);
			for (k = 0; k < c.n; k++) {
				nauth += strcmp(c.caps[k].keyword, "AUTH") == 0;
			}
			CHECK_SIZE(nauth, 1);
			sdiag_caps_free(&c);
		}
	}
}

TEST(has_auth)
{
	sdiag_caps_t c;
	sdiag_caps_init(&c);
	CHECK_INT(parse(&c, "g\nAUTH PLAIN LOGIN\nAUTH=LOGIN CRAM-MD5"), 0);
	CHECK(sdiag_caps_has_auth(&c, "PLAIN"));
	CHECK(sdiag_caps_has_auth(&c, "plain"));
	CHECK(sdiag_caps_has_auth(&c, "LOGIN"));
	CHECK(sdiag_caps_has_auth(&c, "CRAM-MD5"));
	CHECK(!sdiag_caps_has_auth(&c, "CRAM"));
	CHECK(!sdiag_caps_has_auth(&c, "PLAI"));
	CHECK(!sdiag_caps_has_auth(&c, "PLAINX"));
	CHECK(!sdiag_caps_has_auth(&c, "XOAUTH2"));
	CHECK(!sdiag_caps_has_auth(&c, ""));
	sdiag_caps_free(&c);
	/* AUTH without mechanisms, and no AUTH at all */
	CHECK_INT(parse(&c, "g\nAUTH"), 0);
	CHECK(sdiag_caps_find(&c, "AUTH") != NULL);
	CHECK(!sdiag_caps_has_auth(&c, "PLAIN"));
	sdiag_caps_free(&c);
	CHECK_INT(parse(&c, "g\nSIZE 5"), 0);
	CHECK(!sdiag_caps_has_auth(&c, "PLAIN"));
	sdiag_caps_free(&c);
}

TEST(size_parsing)
{
	static const struct {
		const char *line;
		unsigned long long size;
		int huge;
	} rows[] = {
		{"SIZE 35882577", 35882577ULL, 0},
		{"SIZE", 0, 0},
		{"SIZE 0", 0, 0},
		{"SIZE abc", 0, 0},
		{"SIZE 1000 extra", 1000, 0},
		{"size 157286400", 157286400ULL, 0},
		{"SIZE 99999999999999999999999999999999", 0, 1},
		{"SIZE 18446744073709551616", 0, 1},
	};
	size_t i;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ROW("%s", rows[i].line)
		{
			sdiag_caps_t c;
			char text[128];
			sdiag_caps_init(&c);
			snprintf(text, sizeof(text), "g\n%s", rows[i].line);
			CHECK_INT(parse(&c, text), 0);
			if (rows[i].huge) {
				/* capped: large, but no overflow/wrap-around */
				CHECK(c.size_limit > 100000000000ULL);
				CHECK(c.size_limit < 10000000000000ULL);
			} else {
				CHECK(c.size_limit == rows[i].size);
			}
			sdiag_caps_free(&c);
		}
	}
}

TEST(keyword_cap_64)
{
	char *text = malloc(100 * 16 + 16);
	size_t i, o = 0;
	sdiag_caps_t c;
	o += (size_t)sprintf(text, "greeting");
	for (i = 0; i < 100; i++) {
		o += (size_t)sprintf(text + o, "\nX-EXT%zu %zu", i, i);
	}
	o += (size_t)sprintf(text + o, "\nSTARTTLS");
	sdiag_caps_init(&c);
	CHECK_INT(sdiag_caps_parse(&c, text, o), 0);
	CHECK_SIZE(c.n, SDIAG_CAPS_MAX);
	CHECK_STR(c.caps[0].keyword, "X-EXT0");
	CHECK_STR(c.caps[63].keyword, "X-EXT63");
	CHECK_STR(c.caps[63].params, "63");
	CHECK(sdiag_caps_find(&c, "X-EXT64") == NULL);
	/* an already-known keyword is still merged after the cap */
	sdiag_caps_free(&c);
	free(text);
}

TEST(junk_lines_ignored)
{
	static const struct {
		const char *line;
	} rows[] = {
		{""},
		{"   "},
		{"=foo"},
		{"SIZE=100"},
		{"STARTTLS!"},
		{"caf\xc3\xa9"},
		{"\x01\x02"},
		{"A_B"},
		{"SIZE\t100"},
		{"1234567890123456789012345678901234567890123456789012345678901234 x"}, /* 64 chars: too long */
	};
	size_t i;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ROW("%s", t_shows(rows[i].line))
		{
			sdiag_caps_t c;
			char text[256];
			sdiag_caps_init(&c);
			snprintf(text, sizeof(text), "g\nPIPELINING\n%s\n8BITMIME", rows[i].line);
			CHECK_INT(parse(&c, text), 0);
			CHECK_SIZE(c.n, 2);
			CHECK_STR(c.caps[0].keyword, "PIPELINING");
			CHECK_STR(c.caps[1].keyword, "8BITMIME");
			sdiag_caps_free(&c);
		}
	}
}

TEST(keyword_of_63_chars_kept)
{
	sdiag_caps_t c;
	static const char kw[] = "X23456789012345678901234567890123456789012345678901234567890123";
	char text[128];
	sdiag_caps_init(&c);
	snprintf(text, sizeof(text), "g\n%s", kw);
	CHECK_INT(parse(&c, text), 0);
	CHECK_SIZE(c.n, 1);
	CHECK_STR(c.caps[0].keyword, kw);
	sdiag_caps_free(&c);
}

TEST(greeting_only_and_empty)
{
	sdiag_caps_t c;
	sdiag_caps_init(&c);
	CHECK_INT(parse(&c, "mail.example.org at your service"), 0);
	CHECK_STR(c.greeting, "mail.example.org at your service");
	CHECK_SIZE(c.n, 0);
	CHECK_INT(sdiag_caps_parse(&c, "", 0), 0);
	CHECK(c.greeting == NULL);
	CHECK_SIZE(c.n, 0);
	CHECK(c.size_limit == 0);
	sdiag_caps_free(&c);
}

TEST(reparse_replaces_previous)
{
	sdiag_caps_t c;
	sdiag_caps_init(&c);
	CHECK_INT(parse(&c, "first\nSTARTTLS\nSIZE 100"), 0);
	CHECK_INT(parse(&c, "second\nAUTH PLAIN"), 0);
	CHECK_STR(c.greeting, "second");
	CHECK_SIZE(c.n, 1);
	CHECK(sdiag_caps_find(&c, "STARTTLS") == NULL);
	CHECK(c.size_limit == 0);
	CHECK(sdiag_caps_has_auth(&c, "PLAIN"));
	sdiag_caps_free(&c);
}

TEST(exchange_style_reply)
{
	sdiag_caps_t c;
	sdiag_caps_init(&c);
	CHECK_INT(parse(&c, "AM0PR01CA0001.outlook.office365.com Hello [192.0.2.1]\nSIZE 157286400\nPIPELINING\nDSN\nENHANCEDSTATUSCODES\nAUTH LOGIN XOAUTH2\n8BITMIME\nBINARYMIME\nCHUNKING\nSMTPUTF8"), 0);
	CHECK_SIZE(c.n, 9);
	CHECK(c.size_limit == 157286400ULL);
	CHECK(sdiag_caps_has_auth(&c, "XOAUTH2"));
	CHECK(sdiag_caps_has_auth(&c, "login"));
	CHECK(!sdiag_caps_has_auth(&c, "PLAIN"));
	sdiag_caps_free(&c);
}

TEST(allocation_failure)
{
	static const char text[] = "mx\nAUTH PLAIN LOGIN\nAUTH=LOGIN CRAM-MD5 XOAUTH2\nSIZE 1000\nSTARTTLS\nX-A b c d";
	unsigned long n;
	for (n = 1; n < 200; n++) {
		sdiag_caps_t c;
		int r, hit;
		sdiag_caps_init(&c);
		t_alloc_fail_nth(n);
		r = sdiag_caps_parse(&c, text, sizeof(text) - 1);
		hit = t_alloc_hit();
		t_alloc_reset();
		CHECK(r == 0 || (hit && r == -1));
		if (r == 0 && hit) {
			t_fail(__FILE__, __LINE__, "allocation %lu failed but the parse reported success", n);
		}
		sdiag_caps_free(&c);
		if (!hit) {
			break;
		}
	}
}

TEST_MAIN("ehlo",
	T(postfix_reply),
	T(keywords_upper_cased_params_kept),
	T(auth_merging_and_dedup),
	T(has_auth),
	T(size_parsing),
	T(keyword_cap_64),
	T(junk_lines_ignored),
	T(keyword_of_63_chars_kept),
	T(greeting_only_and_empty),
	T(reparse_replaces_previous),
	T(exchange_style_reply),
	T(allocation_failure))
