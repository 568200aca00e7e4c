/* Unit tests: src/core/smtp.c, the sans-I/O SMTP engine driven by a fake server. */
#include "test.h"
#include "smtp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TRANS 64

typedef struct {
	sdiag_config_t cfg;
	sdiag_transcript_t tr;
	sdiag_error_t err;
	sdiag_smtp_t s;
	size_t ntrans;
	sdiag_smtp_state_t from[MAX_TRANS], to[MAX_TRANS];
} eng_t;

static void on_trace(void *ud, sdiag_smtp_state_t from, sdiag_smtp_state_t to)
{
	eng_t *e = ud;
	if (e->ntrans < MAX_TRANS) {
		e->from[e->ntrans] = from;
		e->to[e->ntrans] = to;
	}
	e->ntrans++;
}

static void eng_init(eng_t *e, sdiag_encryption_t enc, unsigned port)
{
	sdiag_error_t scratch;
	memset(e, 0, sizeof(*e));
	sdiag_config_init(&e->cfg);
	sdiag_config_set(&e->cfg, "host", "mx.example.com", &scratch);
	e->cfg.encryption = enc;
	e->cfg.port = (uint16_t)port;
	sdiag_transcript_init(&e->tr);
	sdiag_error_clear(&e->err);
	sdiag_smtp_init(&e->s, &e->cfg, &e->tr, &e->err);
	snprintf(e->s.helo, sizeof(e->s.helo), "client.example");
	e->s.trace = on_trace;
	e->s.trace_ud = e;
}

static void eng_free(eng_t *e)
{
	sdiag_smtp_free(&e->s);
	sdiag_transcript_free(&e->tr);
	sdiag_config_free(&e->cfg);
}

static sdiag_status_t feed(eng_t *e, const char *data)
{
	return sdiag_smtp_feed(&e->s, data, strlen(data));
}

/* What the engine queued since the last call, as a string (then dropped). */
static char out_text[4096];
static const char *take_out(eng_t *e)
{
	snprintf(out_text, sizeof(out_text), "%.*s", (int)e->s.out.len, e->s.out.data ? e->s.out.data : "");
	sdiag_buf_reset(&e->s.out);
	return out_text;
}

static const sdiag_tentry_t *last_entry(const eng_t *e, sdiag_dir_t dir)
{
	size_t i;
	for (i = e->tr.n; i > 0; i--) {
		if (e->tr.entries[i - 1].dir == dir) {
			return &e->tr.entries[i - 1];
		}
	}
	return NULL;
}

static int transcript_has(const eng_t *e, sdiag_dir_t dir, const char *needle)
{
	size_t i;
	for (i = 0; i < e->tr.n; i++) {
		if (e->tr.entries[i].dir == dir && strstr(sdiag_tentry_text(&e->tr, &e->tr.entries[i]), needle)) {
			return 1;
		}
	}
	return 0;
}

/* Drive to the given state with a well-behaved server. */
static void drive_to(eng_t *e, sdiag_smtp_state_t target)
{
	if (target == SDIAG_SMTP_IDLE) {
		return;
	}
	sdiag_smtp_start(&e->s, e->cfg.encryption == SDIAG_ENC_IMPLICIT);
	if (target == SDIAG_SMTP_BANNER) {
		return;
	}
	feed(e, "220 mx.example.com ESMTP\r\n");
	if (target == SDIAG_SMTP_EHLO) {
		return;
	}
	if (target == SDIAG_SMTP_HELO) {
		feed(e, "502 5.5.2 Error: command not recognized\r\n");
		return;
	}
	feed(e, "250-mx.example.com\r\n250-STARTTLS\r\n250 8BITMIME\r\n");
	if (target == SDIAG_SMTP_STARTTLS) {
		return;
	}
	if (e->s.state == SDIAG_SMTP_STARTTLS) {
		feed(e, "220 2.0.0 Ready to start TLS\r\n");
		if (target == SDIAG_SMTP_TLS_HANDSHAKE) {
			return;
		}
		sdiag_smtp_tls_ready(&e->s);
		feed(e, "250-mx.example.com\r\n250 AUTH PLAIN\r\n");
	}
	if (target == SDIAG_SMTP_READY) {
		return;
	}
	sdiag_smtp_quit(&e->s);
	if (target == SDIAG_SMTP_QUIT) {
		return;
	}
	feed(e, "221 2.0.0 Bye\r\n");
}

TEST(starttls_session)
{
	static const sdiag_smtp_state_t expect[][2] = {
		{SDIAG_SMTP_IDLE, SDIAG_SMTP_BANNER},
		{SDIAG_SMTP_BANNER, SDIAG_SMTP_EHLO},
		{SDIAG_SMTP_EHLO, SDIAG_SMTP_STARTTLS},
		{SDIAG_SMTP_STARTTLS, SDIAG_SMTP_TLS_HANDSHAKE},
		{SDIAG_SMTP_TLS_HANDSHAKE, SDIAG_SMTP_EHLO},
		{SDIAG_SMTP_EHLO, SDIAG_SMTP_READY},
		{SDIAG_SMTP_READY, SDIAG_SMTP_QUIT},
		{SDIAG_SMTP_QUIT, SDIAG_SMTP_CLOSED},
	};
	eng_t e;
	size_t i;
	eng_init(&e, SDIAG_ENC_STARTTLS, 587);
	CHECK_INT(e.s.state, SDIAG_SMTP_IDLE);
	sdiag_smtp_start(&e.s, 0);
	CHECK_INT(e.s.state, SDIAG_SMTP_BANNER);
	CHECK(sdiag_smtp_waiting(&e.s));
	CHECK_STR(take_out(&e), "");

	CHECK_INT(feed(&e, "220 mx.example.com ESMTP Postfix\r\n"), SDIAG_OK);
	CHECK_INT(e.s.state, SDIAG_SMTP_EHLO);
	CHECK_STR(take_out(&e), "EHLO client.example\r\n");
	CHECK_INT(e.s.banner_code, 220);
	CHECK_STR(e.s.banner, "mx.example.com ESMTP Postfix");

	CHECK_INT(feed(&e, "250-mx.example.com\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-STARTTLS\r\n250 8BITMIME\r\n"), SDIAG_OK);
	CHECK_INT(e.s.state, SDIAG_SMTP_STARTTLS);
	CHECK_STR(take_out(&e), "STARTTLS\r\n");
	CHECK_INT(e.s.starttls_offered, 1);

	CHECK_INT(feed(&e, "220 2.0.0 Ready to start TLS\r\n"), SDIAG_OK);
	CHECK_INT(e.s.state, SDIAG_SMTP_TLS_HANDSHAKE);
	CHECK_SIZE(e.s.injected, 0);
	CHECK(!sdiag_smtp_waiting(&e.s));
	CHECK_STR(take_out(&e), "");

	sdiag_smtp_tls_ready(&e.s);
	CHECK_INT(e.s.state, SDIAG_SMTP_EHLO);
	CHECK_INT(e.s.tls_active, 1);
	CHECK_STR(take_out(&e), "EHLO client.example\r\n");

	CHECK_INT(feed(&e, "250-mx.example.com\r\n250-SIZE 10240000\r\n250 AUTH PLAIN LOGIN\r\n"), SDIAG_OK);
	CHECK_INT(e.s.state, SDIAG_SMTP_READY);
	CHECK(!sdiag_smtp_waiting(&e.s));
	CHECK_STR(take_out(&e), "");
	CHECK(sdiag_caps_has_auth(&e.s.caps, "LOGIN"));
	CHECK(sdiag_caps_find(&e.s.caps, "STARTTLS") == NULL);
	CHECK(e.s.caps.size_limit == 10240000ULL);
	CHECK_INT(e.s.tls_skipped, 0);

	sdiag_smtp_quit(&e.s);
	CHECK_INT(e.s.state, SDIAG_SMTP_QUIT);
	CHECK_STR(take_out(&e), "QUIT\r\n");
	CHECK_INT(feed(&e, "221 2.0.0 Bye\r\n"), SDIAG_OK);
	CHECK_INT(e.s.state, SDIAG_SMTP_CLOSED);
	CHECK_INT(e.err.category, SDIAG_CAT_NONE);

	/* the trace hook saw every transition, each exactly once */
	CHECK_SIZE(e.ntrans, sizeof(expect) / sizeof(expect[0]));
	for (i = 0; i < e.ntrans && i < sizeof(expect) / sizeof(expect[0]); i++) {
		if (e.from[i] != expect[i][0] || e.to[i] != expect[i][1]) {
			t_fail(__FILE__, __LINE__, "transition %zu: %s -> %s, expected %s -> %s", i, sdiag_smtp_state_name(e.from[i]), sdiag_smtp_state_name(e.to[i]),
				sdiag_smtp_state_name(expect[i][0]), sdiag_smtp_state_name(expect[i][1]));
		}
	}
	for (i = SDIAG_SMTP_BANNER; i <= SDIAG_SMTP_CLOSED; i++) {
		if (i != SDIAG_SMTP_HELO && i != SDIAG_SMTP_AUTH && i != SDIAG_SMTP_TXN && i != SDIAG_SMTP_NOOP) {
			CHECK(e.s.entered[i] > 0);
		}
	}
	CHECK(e.s.entered[SDIAG_SMTP_FAILED] == 0);
	CHECK(e.s.entered[SDIAG_SMTP_HELO] == 0);

	/* the transcript: every line, direction and TLS flag */
	{
		static const struct {
			sdiag_dir_t dir;
			int tls;
			const char *text;
		} tx[] = {
			{SDIAG_DIR_SERVER, 0, "220 mx.example.com ESMTP Postfix"},
			{SDIAG_DIR_CLIENT, 0, "EHLO client.example"},
			{SDIAG_DIR_SERVER, 0, "250-mx.example.com"},
			{SDIAG_DIR_SERVER, 0, "250-PIPELINING"},
			{SDIAG_DIR_SERVER, 0, "250-SIZE 10240000"},
			{SDIAG_DIR_SERVER, 0, "250-STARTTLS"},
			{SDIAG_DIR_SERVER, 0, "250 8BITMIME"},
			{SDIAG_DIR_CLIENT, 0, "STARTTLS"},
			{SDIAG_DIR_SERVER, 0, "220 2.0.0 Ready to start TLS"},
			{SDIAG_DIR_CLIENT, 1, "EHLO client.example"},
			{SDIAG_DIR_SERVER, 1, "250-mx.example.com"},
			{SDIAG_DIR_SERVER, 1, "250-SIZE 10240000"},
			{SDIAG_DIR_SERVER, 1, "250 AUTH PLAIN LOGIN"},
			{SDIAG_DIR_CLIENT, 1, "QUIT"},
			{SDIAG_DIR_SERVER, 1, "221 2.0.0 Bye"},
		};
		CHECK_SIZE(e.tr.n, sizeof(tx) / sizeof(tx[0]));
		for (i = 0; i < e.tr.n && i < sizeof(tx) / sizeof(tx[0]); i++) {
			const sdiag_tentry_t *en = &e.tr.entries[i];
			if (en->dir != tx[i].dir || en->tls != tx[i].tls || strcmp(sdiag_tentry_text(&e.tr, en), tx[i].text) != 0) {
				t_fail(__FILE__, __LINE__, "transcript %zu: %s tls=%d \"%s\", expected %s tls=%d \"%s\"", i, sdiag_dir_name((sdiag_dir_t)en->dir), en->tls,
					sdiag_tentry_text(&e.tr, en), sdiag_dir_name(tx[i].dir), tx[i].tls, tx[i].text);
			}
		}
	}
	eng_free(&e);
}

TEST(starttls_injection_counted)
{
	static const struct {
		const char *chunks[3];
		size_t injected;
	} rows[] = {
		{{"220 Ready\r\nMAIL FROM:<evil@example.com>\r\n"}, 30},
		{{"220 Ready\r\nX"}, 1},
		{{"220 go\r\n250 fake"}, 8},
		{{"220 Rea", "dy\r\nXYZ"}, 3},
		{{"220-multi\r\n220 line\r\nRSET\r\nQUIT\r\n"}, 12},
		{{"220 Ready\r\n"}, 0},
		{{"220 Ready\r\n", "RSET\r\n"}, 0}, /* a later read is the TLS layer's business */
	};
	size_t i, k;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ROW("%s", t_shows(rows[i].chunks[0]))
		{
			eng_t e;
			eng_init(&e, SDIAG_ENC_STARTTLS, 587);
			drive_to(&e, SDIAG_SMTP_STARTTLS);
			CHECK_INT(e.s.state, SDIAG_SMTP_STARTTLS);
			take_out(&e);
			for (k = 0; k < 3 && rows[i].chunks[k]; k++) {
				CHECK_INT(feed(&e, rows[i].chunks[k]), SDIAG_OK);
			}
			CHECK_INT(e.s.state, SDIAG_SMTP_TLS_HANDSHAKE);
			CHECK_SIZE(e.s.injected, rows[i].injected);
			CHECK(!sdiag_reply_parser_pending(&e.s.parser));
			if (rows[i].injected) {
				CHECK(transcript_has(&e, SDIAG_DIR_INFO, "possible STARTTLS command injection"));
			} else {
				CHECK(!transcript_has(&e, SDIAG_DIR_INFO, "injection"));
			}
			CHECK_STR(take_out(&e), "");
			/* nothing of the injected bytes survives the handshake */
			sdiag_smtp_tls_ready(&e.s);
			CHECK_STR(take_out(&e), "EHLO client.example\r\n");
			CHECK_INT(feed(&e, "250 mx.example.com\r\n"), SDIAG_OK);
			CHECK_INT(e.s.state, SDIAG_SMTP_READY);
			CHECK_INT(e.err.category, SDIAG_CAT_NONE);
			eng_free(&e);
		}
	}
}

TEST(auto_mode)
{
	eng_t e;
	/* offered: STARTTLS */
	eng_init(&e, SDIAG_ENC_AUTO, 25);
	drive_to(&e, SDIAG_SMTP_STARTTLS);
	CHECK_INT(e.s.state, SDIAG_SMTP_STARTTLS);
	eng_free(&e);
	/* not offered: plaintext, flagged and logged */
	eng_init(&e, SDIAG_ENC_AUTO, 25);
	sdiag_smtp_start(&e.s, 0);
	feed(&e, "220 mx\r\n");
	take_out(&e);
	CHECK_INT(feed(&e, "250-mx\r\n250 8BITMIME\r\n"), SDIAG_OK);
	CHECK_INT(e.s.state, SDIAG_SMTP_READY);
	CHECK_INT(e.s.tls_skipped, 1);
	CHECK_INT(e.s.tls_active, 0);
	CHECK_INT(e.s.starttls_offered, 0);
	CHECK_STR(take_out(&e), "");
	CHECK(transcript_has(&e, SDIAG_DIR_INFO, "does not offer STARTTLS"));
	CHECK_INT(e.err.category, SDIAG_CAT_NONE);
	eng_free(&e);
}

TEST(none_ignores_starttls)
{
	eng_t e;
	eng_init(&e, SDIAG_ENC_NONE, 25);
	sdiag_smtp_start(&e.s, 0);
	feed(&e, "220 mx\r\n");
	CHECK_STR(take_out(&e), "EHLO client.example\r\n");
	CHECK_INT(feed(&e, "250-mx\r\n250 STARTTLS\r\n"), SDIAG_OK);
	CHECK_INT(e.s.state, SDIAG_SMTP_READY);
	CHECK_STR(take_out(&e), "");
	CHECK_INT(e.s.tls_skipped, 0);
	CHECK_INT(e.s.starttls_offered, 1);
	eng_free(&e);
}

TEST(implicit_tls)
{
	eng_t e;
	eng_init(&e, SDIAG_ENC_IMPLICIT, 465);
	sdiag_smtp_start(&e.s, 1);
	CHECK_INT(e.s.tls_active, 1);
	feed(&e, "220 mx ESMTP\r\n");
	CHECK_STR(take_out(&e), "EHLO client.example\r\n");
	/* STARTTLS advertised inside TLS is not used again */
	CHECK_INT(feed(&e, "250-mx\r\n250-STARTTLS\r\n250 AUTH LOGIN\r\n"), SDIAG_OK);
	CHECK_INT(e.s.state, SDIAG_SMTP_READY);
	CHECK_STR(take_out(&e), "");
	CHECK(last_entry(&e, SDIAG_DIR_SERVER) && last_entry(&e, SDIAG_DIR_SERVER)->tls == 1);
	CHECK(last_entry(&e, SDIAG_DIR_CLIENT) && last_entry(&e, SDIAG_DIR_CLIENT)->tls == 1);
	eng_free(&e);
}

TEST(starttls_required_not_offered)
{
	static const unsigned ports[] = {587, 465};
	size_t i;
	for (i = 0; i < 2; i++) {
		ROW("port %u", ports[i])
		{
			eng_t e;
			eng_init(&e, SDIAG_ENC_STARTTLS, ports[i]);
			sdiag_smtp_start(&e.s, 0);
			feed(&e, "220 mx\r\n");
			take_out(&e);
			CHECK_INT(feed(&e, "250-mx\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n"), SDIAG_ERR);
			CHECK_INT(e.s.state, SDIAG_SMTP_FAILED);
			CHECK_INT(e.err.category, SDIAG_CAT_TLS_REQUIRED);
			CHECK_INT(e.err.phase, SDIAG_PHASE_STARTTLS);
			CHECK_INT(e.err.transient, 0);
			CHECK_CONTAINS(e.err.message, "does not offer it");
			/* no plaintext fallback: nothing more is sent */
			CHECK_STR(take_out(&e), "");
			if (ports[i] == 465) {
				CHECK_CONTAINS(e.err.hint, "implicit");
			}
			eng_free(&e);
		}
	}
}

static const struct {
	const char *name, *banner;
	sdiag_category_t cat;
	int transient, code;
	const char *msg;
} banners[] = {
	{"554", "554 5.7.1 No SMTP service here\r\n", SDIAG_CAT_SERVICE_UNAVAILABLE, 0, 554, "refused the session"},
	{"554 multi-line", "554-mx.example.com\r\n554 Your IP is on a blocklist\r\n", SDIAG_CAT_SERVICE_UNAVAILABLE, 0, 554, "refused the session"},
	{"421", "421 4.3.2 Service not available, closing transmission channel\r\n", SDIAG_CAT_SERVICE_UNAVAILABLE, 1, 421, "refused the session"},
	{"421 too many connections", "421 Too many concurrent SMTP connections\r\n", SDIAG_CAT_SERVICE_UNAVAILABLE, 1, 421, "refused the session"},
	{"500", "500 what\r\n", SDIAG_CAT_SYNTAX_ERROR, 0, 500, "unexpected greeting"},
	{"250 as greeting", "250 hello\r\n", SDIAG_CAT_OTHER, 0, 250, "unexpected greeting"},
	{"HTTP", "HTTP/1.1 400 Bad Request\r\n", SDIAG_CAT_PROTOCOL_ERROR, 0, 0, "invalid reply"},
	{"SSH", "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n", SDIAG_CAT_PROTOCOL_ERROR, 0, 0, "invalid reply"},
	{"TLS record", "\x15\x03\x01\x02\x02\x46\n", SDIAG_CAT_PROTOCOL_ERROR, 0, 0, "invalid reply"},
};

TEST(banner_failures)
{
	size_t i;
	for (i = 0; i < sizeof(banners) / sizeof(banners[0]); i++) {
		ROW("%s", banners[i].name)
		{
			eng_t e;
			eng_init(&e, SDIAG_ENC_AUTO, 25);
			sdiag_smtp_start(&e.s, 0);
			CHECK_INT(feed(&e, banners[i].banner), SDIAG_ERR);
			CHECK_INT(e.s.state, SDIAG_SMTP_FAILED);
			CHECK_INT(e.err.category, banners[i].cat);
			CHECK_INT(e.err.transient, banners[i].transient);
			CHECK_INT(e.err.phase, SDIAG_PHASE_BANNER);
			CHECK_INT(e.err.smtp_code, banners[i].code);
			CHECK_CONTAINS(e.err.message, banners[i].msg);
			CHECK(e.err.hint[0] != '\0');
			if (banners[i].cat == SDIAG_CAT_PROTOCOL_ERROR) {
				CHECK_CONTAINS(e.err.hint, "does not speak SMTP");
			}
			CHECK_STR(take_out(&e), "");
			/* later bytes are ignored */
			CHECK_INT(feed(&e, "220 ok\r\n"), SDIAG_ERR);
			CHECK_INT(e.s.state, SDIAG_SMTP_FAILED);
			eng_free(&e);
		}
	}
}

TEST(ehlo_refused_helo_fallback)
{
	static const struct {
		const char *reply;
		sdiag_encryption_t enc;
		int ok;
	} rows[] = {
		{"502 5.5.2 Error: command not recognized\r\n", SDIAG_ENC_NONE, 1},
		{"500 Syntax error, command unrecognized\r\n", SDIAG_ENC_NONE, 1},
		{"501 Syntax error in parameters\r\n", SDIAG_ENC_NONE, 1},
		{"504 Command parameter not implemented\r\n", SDIAG_ENC_NONE, 1},
		{"502 no\r\n", SDIAG_ENC_AUTO, 1},
		{"502 no\r\n", SDIAG_ENC_STARTTLS, 0},
	};
	size_t i;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ROW("%.3s with %s", rows[i].reply, sdiag_encryption_name(rows[i].enc))
		{
			eng_t e;
			eng_init(&e, rows[i].enc, 25);
			sdiag_smtp_start(&e.s, 0);
			feed(&e, "220 old.example.com SMTP\r\n");
			take_out(&e);
			CHECK_INT(feed(&e, rows[i].reply), SDIAG_OK);
			CHECK_INT(e.s.state, SDIAG_SMTP_HELO);
			CHECK_INT(e.s.helo_fallback, 1);
			CHECK_STR(take_out(&e), "HELO client.example\r\n");
			CHECK(transcript_has(&e, SDIAG_DIR_INFO, "falling back to HELO"));
			CHECK(sdiag_smtp_waiting(&e.s));
			CHECK_INT(sdiag_smtp_phase(&e.s), SDIAG_PHASE_EHLO);
			CHECK_INT(feed(&e, "250 old.example.com\r\n"), rows[i].ok ? SDIAG_OK : SDIAG_ERR);
			if (rows[i].ok) {
				CHECK_INT(e.s.state, SDIAG_SMTP_READY);
				CHECK_SIZE(e.s.caps.n, 0);
				CHECK_INT(e.s.tls_skipped, rows[i].enc == SDIAG_ENC_AUTO);
			} else {
				CHECK_INT(e.s.state, SDIAG_SMTP_FAILED);
				CHECK_INT(e.err.category, SDIAG_CAT_TLS_REQUIRED);
				CHECK_CONTAINS(e.err.message, "refused EHLO");
			}
			CHECK_STR(take_out(&e), "");
			eng_free(&e);
		}
	}
}

TEST(ehlo_and_helo_refused)
{
	static const struct {
		const char *name, *ehlo, *helo;
		sdiag_category_t cat;
		int transient;
		const char *msg;
	} rows[] = {
		{"EHLO 550", "550 5.7.1 Access denied\r\n", NULL, SDIAG_CAT_SPAM_OR_POLICY, 0, "EHLO refused"},
		{"EHLO 421", "421 4.7.0 Try again later\r\n", NULL, SDIAG_CAT_SERVICE_UNAVAILABLE, 1, "EHLO refused"},
		{"EHLO 451", "451 4.3.0 Temporary failure\r\n", NULL, SDIAG_CAT_TEMPORARY_LOCAL_ERROR, 1, "EHLO refused"},
		{"HELO 501", "502 no EHLO\r\n", "501 5.5.4 Invalid domain name\r\n", SDIAG_CAT_SYNTAX_ERROR, 0, "HELO refused"},
		{"HELO 421", "502 no EHLO\r\n", "421 Shutting down\r\n", SDIAG_CAT_SERVICE_UNAVAILABLE, 1, "HELO refused"},
	};
	size_t i;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ROW("%s", rows[i].name)
		{
			eng_t e;
			eng_init(&e, SDIAG_ENC_AUTO, 25);
			sdiag_smtp_start(&e.s, 0);
			feed(&e, "220 mx\r\n");
			if (rows[i].helo) {
				CHECK_INT(feed(&e, rows[i].ehlo), SDIAG_OK);
				CHECK_INT(feed(&e, rows[i].helo), SDIAG_ERR);
			} else {
				CHECK_INT(feed(&e, rows[i].ehlo), SDIAG_ERR);
			}
			CHECK_INT(e.s.state, SDIAG_SMTP_FAILED);
			CHECK_INT(e.err.category, rows[i].cat);
			CHECK_INT(e.err.transient, rows[i].transient);
			CHECK_INT(e.err.phase, SDIAG_PHASE_EHLO);
			CHECK_CONTAINS(e.err.message, rows[i].msg);
			eng_free(&e);
		}
	}
}

TEST(starttls_refused)
{
	static const struct {
		const char *reply, *enhanced;
		int code, transient;
	} rows[] = {
		{"454 4.7.0 TLS not available due to local problem\r\n", "4.7.0", 454, 1},
		{"454 TLS not available\r\n", "", 454, 1},
		{"502 5.5.1 Command not implemented\r\n", "5.5.1", 502, 0},
		{"250 ok\r\n", "", 250, 0},
	};
	size_t i;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ROW("%d", rows[i].code)
		{
			eng_t e;
			eng_init(&e, SDIAG_ENC_STARTTLS, 587);
			drive_to(&e, SDIAG_SMTP_STARTTLS);
			take_out(&e);
			CHECK_INT(feed(&e, rows[i].reply), SDIAG_ERR);
			CHECK_INT(e.s.state, SDIAG_SMTP_FAILED);
			CHECK_INT(e.err.category, SDIAG_CAT_TLS_ERROR);
			CHECK_INT(e.err.phase, SDIAG_PHASE_STARTTLS);
			CHECK_INT(e.err.smtp_code, rows[i].code);
			CHECK_STR(e.err.enhanced, rows[i].enhanced);
			CHECK_INT(e.err.transient, rows[i].transient);
			CHECK_CONTAINS(e.err.message, "refused STARTTLS");
			CHECK_CONTAINS(e.err.hint, "no plaintext fallback");
			if (rows[i].transient) {
				CHECK_CONTAINS(e.err.hint, "temporarily");
			}
			CHECK_STR(take_out(&e), "");
			eng_free(&e);
		}
	}
}

TEST(eof_in_each_state)
{
	static const struct {
		sdiag_smtp_state_t state;
		sdiag_encryption_t enc;
		sdiag_smtp_state_t after;
		sdiag_phase_t phase;
		const char *msg;
	} rows[] = {
		{SDIAG_SMTP_IDLE, SDIAG_ENC_STARTTLS, SDIAG_SMTP_FAILED, SDIAG_PHASE_CONNECT, "closed the connection"},
		{SDIAG_SMTP_BANNER, SDIAG_ENC_STARTTLS, SDIAG_SMTP_FAILED, SDIAG_PHASE_BANNER, "before sending a greeting"},
		{SDIAG_SMTP_BANNER, SDIAG_ENC_IMPLICIT, SDIAG_SMTP_FAILED, SDIAG_PHASE_BANNER, "before sending a greeting"},
		{SDIAG_SMTP_EHLO, SDIAG_ENC_STARTTLS, SDIAG_SMTP_FAILED, SDIAG_PHASE_EHLO, "while waiting for a reply"},
		{SDIAG_SMTP_HELO, SDIAG_ENC_NONE, SDIAG_SMTP_FAILED, SDIAG_PHASE_EHLO, "while waiting for a reply"},
		{SDIAG_SMTP_STARTTLS, SDIAG_ENC_STARTTLS, SDIAG_SMTP_FAILED, SDIAG_PHASE_STARTTLS, "while waiting for a reply"},
		{SDIAG_SMTP_TLS_HANDSHAKE, SDIAG_ENC_STARTTLS, SDIAG_SMTP_FAILED, SDIAG_PHASE_TLS, "closed the connection"},
		{SDIAG_SMTP_READY, SDIAG_ENC_STARTTLS, SDIAG_SMTP_FAILED, SDIAG_PHASE_NONE, "while waiting for a command"},
		{SDIAG_SMTP_QUIT, SDIAG_ENC_STARTTLS, SDIAG_SMTP_CLOSED, SDIAG_PHASE_NONE, NULL},
		{SDIAG_SMTP_CLOSED, SDIAG_ENC_STARTTLS, SDIAG_SMTP_CLOSED, SDIAG_PHASE_NONE, NULL},
	};
	size_t i;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ROW("%s (%s)", sdiag_smtp_state_name(rows[i].state), sdiag_encryption_name(rows[i].enc))
		{
			eng_t e;
			size_t before;
			eng_init(&e, rows[i].enc, rows[i].enc == SDIAG_ENC_IMPLICIT ? 465 : 587);
			drive_to(&e, rows[i].state);
			CHECK_INT(e.s.state, rows[i].state);
			before = e.ntrans;
			sdiag_smtp_eof(&e.s);
			CHECK_INT(e.s.state, rows[i].after);
			CHECK_SIZE(e.ntrans, before + (rows[i].state != rows[i].after));
			if (rows[i].msg) {
				CHECK_INT(e.err.category, SDIAG_CAT_CONNECTION_LOST);
				CHECK_INT(e.err.transient, 1);
				CHECK_INT(e.err.phase, rows[i].phase);
				CHECK_CONTAINS(e.err.message, rows[i].msg);
				if (rows[i].state == SDIAG_SMTP_BANNER && rows[i].enc != SDIAG_ENC_IMPLICIT) {
					CHECK_CONTAINS(e.err.hint, "TLS from the first byte");
				}
			} else {
				CHECK_INT(e.err.category, SDIAG_CAT_NONE);
			}
			eng_free(&e);
		}
	}
}

TEST(eof_after_failure_keeps_error)
{
	eng_t e;
	eng_init(&e, SDIAG_ENC_AUTO, 25);
	sdiag_smtp_start(&e.s, 0);
	feed(&e, "554 go away\r\n");
	CHECK_INT(e.err.category, SDIAG_CAT_SERVICE_UNAVAILABLE);
	sdiag_smtp_eof(&e.s);
	CHECK_INT(e.s.state, SDIAG_SMTP_FAILED);
	CHECK_INT(e.err.category, SDIAG_CAT_SERVICE_UNAVAILABLE);
	eng_free(&e);
}

TEST(unsolicited_and_unexpected)
{
	eng_t e;
	/* a reply while idle */
	eng_init(&e, SDIAG_ENC_NONE, 25);
	drive_to(&e, SDIAG_SMTP_READY);
	CHECK_INT(e.s.state, SDIAG_SMTP_READY);
	CHECK_INT(feed(&e, "421 4.4.2 mx.example.com Error: timeout exceeded\r\n"), SDIAG_ERR);
	CHECK_INT(e.err.category, SDIAG_CAT_SERVICE_UNAVAILABLE);
	CHECK_CONTAINS(e.err.message, "closing the connection");
	eng_free(&e);
	eng_init(&e, SDIAG_ENC_NONE, 25);
	drive_to(&e, SDIAG_SMTP_READY);
	CHECK_INT(feed(&e, "250 spurious\r\n"), SDIAG_ERR);
	CHECK_CONTAINS(e.err.message, "unexpected reply while idle");
	eng_free(&e);
	/* bytes before the session started */
	eng_init(&e, SDIAG_ENC_NONE, 25);
	CHECK_INT(feed(&e, "220 early\r\n"), SDIAG_ERR);
	CHECK_INT(e.s.state, SDIAG_SMTP_FAILED);
	CHECK_INT(e.err.category, SDIAG_CAT_PROTOCOL_ERROR);
	eng_free(&e);
	/* a broken reply to EHLO */
	eng_init(&e, SDIAG_ENC_NONE, 25);
	drive_to(&e, SDIAG_SMTP_EHLO);
	CHECK_INT(feed(&e, "250-mx\r\n550 changed\r\n"), SDIAG_ERR);
	CHECK_INT(e.err.category, SDIAG_CAT_PROTOCOL_ERROR);
	CHECK_INT(e.err.phase, SDIAG_PHASE_EHLO);
	CHECK_CONTAINS(e.err.message, "changes code");
	eng_free(&e);
	/* any reply to QUIT closes */
	eng_init(&e, SDIAG_ENC_NONE, 25);
	drive_to(&e, SDIAG_SMTP_QUIT);
	CHECK_INT(feed(&e, "500 what\r\n"), SDIAG_OK);
	CHECK_INT(e.s.state, SDIAG_SMTP_CLOSED);
	/* and after CLOSED nothing happens */
	CHECK_INT(feed(&e, "250 more\r\n"), SDIAG_OK);
	CHECK_INT(e.s.state, SDIAG_SMTP_CLOSED);
	eng_free(&e);
}

TEST(overlong_and_endless_replies)
{
	eng_t e;
	char *line = malloc(6000);
	size_t i;
	memcpy(line, "250-", 4);
	memset(line + 4, 'x', 5990);
	memcpy(line + 5994, "\r\n", 3);
	eng_init(&e, SDIAG_ENC_NONE, 25);
	drive_to(&e, SDIAG_SMTP_EHLO);
	CHECK_INT(feed(&e, line), SDIAG_ERR);
	CHECK_INT(e.err.category, SDIAG_CAT_PROTOCOL_ERROR);
	CHECK_CONTAINS(e.err.message, "line longer");
	eng_free(&e);
	/* endless multi-line reply */
	eng_init(&e, SDIAG_ENC_NONE, 25);
	drive_to(&e, SDIAG_SMTP_EHLO);
	for (i = 0; i < 1000 && e.s.state == SDIAG_SMTP_EHLO; i++) {
		feed(&e, "250-AGAIN\r\n");
	}
	CHECK_INT(e.s.state, SDIAG_SMTP_FAILED);
	CHECK_INT(e.err.category, SDIAG_CAT_PROTOCOL_ERROR);
	CHECK_CONTAINS(e.err.message, "more than 256 lines");
	eng_free(&e);
	free(line);
}

TEST(quit_only_from_ready)
{
	eng_t e;
	eng_init(&e, SDIAG_ENC_NONE, 25);
	drive_to(&e, SDIAG_SMTP_EHLO);
	take_out(&e);
	sdiag_smtp_quit(&e.s);
	CHECK_INT(e.s.state, SDIAG_SMTP_EHLO);
	CHECK_STR(take_out(&e), "");
	eng_free(&e);
}

TEST(phase_waiting_and_names)
{
	static const struct {
		sdiag_smtp_state_t st;
		sdiag_phase_t phase;
		int waiting;
		const char *name;
	} rows[] = {
		{SDIAG_SMTP_IDLE, SDIAG_PHASE_CONNECT, 0, "idle"},
		{SDIAG_SMTP_BANNER, SDIAG_PHASE_BANNER, 1, "banner"},
		{SDIAG_SMTP_EHLO, SDIAG_PHASE_EHLO, 1, "ehlo"},
		{SDIAG_SMTP_HELO, SDIAG_PHASE_EHLO, 1, "helo"},
		{SDIAG_SMTP_STARTTLS, SDIAG_PHASE_STARTTLS, 1, "starttls"},
		{SDIAG_SMTP_TLS_HANDSHAKE, SDIAG_PHASE_TLS, 0, "tls_handshake"},
		{SDIAG_SMTP_READY, SDIAG_PHASE_NONE, 0, "ready"},
		{SDIAG_SMTP_QUIT, SDIAG_PHASE_QUIT, 1, "quit"},
		{SDIAG_SMTP_CLOSED, SDIAG_PHASE_NONE, 0, "closed"},
		{SDIAG_SMTP_FAILED, SDIAG_PHASE_NONE, 0, "failed"},
	};
	size_t i;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ROW("%s", rows[i].name)
		{
			sdiag_smtp_t s;
			memset(&s, 0, sizeof(s));
			s.state = rows[i].st;
			CHECK_INT(sdiag_smtp_phase(&s), rows[i].phase);
			CHECK_INT(sdiag_smtp_waiting(&s), rows[i].waiting);
			CHECK_STR(sdiag_smtp_state_name(rows[i].st), rows[i].name);
		}
	}
	CHECK_STR(sdiag_smtp_state_name(SDIAG_SMTP__COUNT), "?");
}

TEST(reset_for_a_new_connection)
{
	eng_t e;
	eng_init(&e, SDIAG_ENC_STARTTLS, 587);
	drive_to(&e, SDIAG_SMTP_READY);
	CHECK_INT(e.s.state, SDIAG_SMTP_READY);
	feed(&e, "250-half a rep");
	sdiag_smtp_reset(&e.s);
	CHECK_INT(e.s.state, SDIAG_SMTP_IDLE);
	CHECK_SIZE(e.s.out.len, 0);
	CHECK(e.s.banner == NULL);
	CHECK_SIZE(e.s.caps.n, 0);
	CHECK_INT(e.s.tls_active, 0);
	CHECK(!sdiag_reply_parser_pending(&e.s.parser));
	drive_to(&e, SDIAG_SMTP_CLOSED);
	CHECK_INT(e.s.state, SDIAG_SMTP_CLOSED);
	CHECK_INT(e.err.category, SDIAG_CAT_NONE);
	eng_free(&e);
}

/* ---- one byte at a time gives the same result as whole reads ---- */

typedef enum { S_END = 0, S_FEED, S_TLS_READY, S_QUIT, S_EOF } step_kind_t;
typedef struct {
	step_kind_t kind;
	const char *data;
} step_t;

typedef struct {
	char out[4096];
	size_t outlen;
	char tx[8192];
	size_t txlen;
	char trace[512];
	sdiag_smtp_state_t state;
	sdiag_error_t err;
	size_t ncaps, injected;
} run_t;

static void run_script(const step_t *steps, sdiag_encryption_t enc, size_t chunk, run_t *r)
{
	eng_t e;
	size_t i, k;
	memset(r, 0, sizeof(*r));
	eng_init(&e, enc, enc == SDIAG_ENC_IMPLICIT ? 465 : 587);
	sdiag_smtp_start(&e.s, enc == SDIAG_ENC_IMPLICIT);
	for (i = 0; steps[i].kind != S_END; i++) {
		switch (steps[i].kind) {
			case S_FEED: {
				size_t len = strlen(steps[i].data), off;
				for (off = 0; off < len; off += chunk ? chunk : len) {
					size_t n = chunk && len - off > chunk ? chunk : len - off;
					sdiag_smtp_feed(&e.s, steps[i].data + off, n);
				}
				break;
			}
			case S_TLS_READY:
				sdiag_smtp_tls_ready(&e.s);
				break;
			case S_QUIT:
				sdiag_smtp_quit(&e.s);
				break;
			case S_EOF:
				sdiag_smtp_eof(&e.s);
				break;
			default:
				break;
		}
		/* what was queued after each step, separated */
		r->outlen += (size_t)snprintf(r->out + r->outlen, sizeof(r->out) - r->outlen, "%s|", take_out(&e));
	}
	for (k = 0; k < e.tr.n && r->txlen < sizeof(r->tx); k++) {
		r->txlen += (size_t)snprintf(r->tx + r->txlen, sizeof(r->tx) - r->txlen, "%d%d%s\n", e.tr.entries[k].dir, e.tr.entries[k].tls, sdiag_tentry_text(&e.tr, &e.tr.entries[k]));
	}
	for (k = 0; k < e.ntrans && k < MAX_TRANS; k++) {
		size_t l = strlen(r->trace);
		snprintf(r->trace + l, sizeof(r->trace) - l, "%s>%s ", sdiag_smtp_state_name(e.from[k]), sdiag_smtp_state_name(e.to[k]));
	}
	r->state = e.s.state;
	r->err = e.err;
	r->ncaps = e.s.caps.n;
	r->injected = e.s.injected;
	eng_free(&e);
}

static const step_t script_starttls[] = {
	{S_FEED, "220-mx.example.com ESMTP\r\n220 welcome\r\n"},
	{S_FEED, "250-mx.example.com Hello\r\n250-PIPELINING\r\n250-SIZE 52428800\r\n250-STARTTLS\r\n250 SMTPUTF8\r\n"},
	{S_FEED, "220 2.0.0 Ready to start TLS\r\n"},
	{S_TLS_READY, NULL},
	{S_FEED, "250-mx.example.com Hello\r\n250-AUTH PLAIN LOGIN\r\n250-AUTH=LOGIN\r\n250 SIZE 52428800\r\n"},
	{S_QUIT, NULL},
	{S_FEED, "221 2.0.0 Bye\r\n"},
	{S_EOF, NULL},
	{S_END, NULL},
};
static const step_t script_helo[] = {
	{S_FEED, "220 old SMTP\n"},
	{S_FEED, "502 unknown command\n"},
	{S_FEED, "250 old\n"},
	{S_QUIT, NULL},
	{S_EOF, NULL},
	{S_END, NULL},
};
static const step_t script_banner_554[] = {
	{S_FEED, "554-5.7.1 You are not welcome\r\n554 5.7.1 Go away\r\n"},
	{S_EOF, NULL},
	{S_END, NULL},
};
static const step_t script_required[] = {
	{S_FEED, "220 mx\r\n"},
	{S_FEED, "250-mx\r\n250 AUTH PLAIN\r\n"},
	{S_END, NULL},
};
static const step_t script_garbage[] = {
	{S_FEED, "220 mx\r\n"},
	{S_FEED, "250-mx\r\n250 8BITMIME\r\nHTTP/1.0 200 OK\r\n"},
	{S_END, NULL},
};
static const step_t script_lost[] = {
	{S_FEED, "220 mx\r\n"},
	{S_FEED, "250-mx\r\n250-STARTTLS\r\n250-partial"},
	{S_EOF, NULL},
	{S_END, NULL},
};

TEST(byte_at_a_time_same_outputs)
{
	static const struct {
		const char *name;
		const step_t *steps;
		sdiag_encryption_t enc;
	} scripts[] = {
		{"starttls", script_starttls, SDIAG_ENC_STARTTLS},
		{"starttls auto", script_starttls, SDIAG_ENC_AUTO},
		{"starttls script with none", script_starttls, SDIAG_ENC_NONE},
		{"helo fallback", script_helo, SDIAG_ENC_AUTO},
		{"banner 554", script_banner_554, SDIAG_ENC_AUTO},
		{"tls required", script_required, SDIAG_ENC_STARTTLS},
		{"garbage after EHLO", script_garbage, SDIAG_ENC_NONE},
		{"lost mid-reply", script_lost, SDIAG_ENC_STARTTLS},
	};
	static const size_t chunks[] = {1, 2, 3, 7, 13};
	size_t i, c;
	for (i = 0; i < sizeof(scripts) / sizeof(scripts[0]); i++) {
		ROW("%s", scripts[i].name)
		{
			run_t *whole = malloc(sizeof(run_t)), *part = malloc(sizeof(run_t));
			run_script(scripts[i].steps, scripts[i].enc, 0, whole);
			for (c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
				run_script(scripts[i].steps, scripts[i].enc, chunks[c], part);
				if (strcmp(whole->out, part->out) != 0) {
					t_fail(__FILE__, __LINE__, "chunk %zu: output \"%s\" vs \"%s\"", chunks[c], t_shows(part->out), t_shows(whole->out));
				}
				if (strcmp(whole->tx, part->tx) != 0) {
					t_fail(__FILE__, __LINE__, "chunk %zu: transcript differs:\n%s\nvs\n%s", chunks[c], part->tx, whole->tx);
				}
				if (strcmp(whole->trace, part->trace) != 0) {
					t_fail(__FILE__, __LINE__, "chunk %zu: transitions %s vs %s", chunks[c], part->trace, whole->trace);
				}
				CHECK_INT(part->state, whole->state);
				CHECK_INT(part->err.category, whole->err.category);
				CHECK_INT(part->err.phase, whole->err.phase);
				CHECK_INT(part->err.smtp_code, whole->err.smtp_code);
				CHECK_INT(part->err.transient, whole->err.transient);
				CHECK_STR(part->err.message, whole->err.message);
				CHECK_SIZE(part->ncaps, whole->ncaps);
				CHECK_SIZE(part->injected, whole->injected);
			}
			free(whole);
			free(part);
		}
	}
}

TEST(script_outcomes)
{
	run_t *r = malloc(sizeof(run_t));
	run_script(script_starttls, SDIAG_ENC_STARTTLS, 0, r);
	CHECK_INT(r->state, SDIAG_SMTP_CLOSED);
	CHECK_STR(r->out, "EHLO client.example\r\n|STARTTLS\r\n||EHLO client.example\r\n||QUIT\r\n|||");
	CHECK_STR(r->trace, "idle>banner banner>ehlo ehlo>starttls starttls>tls_handshake tls_handshake>ehlo ehlo>ready ready>quit quit>closed ");
	run_script(script_helo, SDIAG_ENC_AUTO, 0, r);
	CHECK_STR(r->out, "EHLO client.example\r\n|HELO client.example\r\n||QUIT\r\n||");
	CHECK_INT(r->state, SDIAG_SMTP_CLOSED);
	run_script(script_lost, SDIAG_ENC_STARTTLS, 0, r);
	CHECK_INT(r->state, SDIAG_SMTP_FAILED);
	CHECK_INT(r->err.category, SDIAG_CAT_CONNECTION_LOST);
	CHECK_INT(r->err.phase, SDIAG_PHASE_EHLO);
	free(r);
}

/* ---- allocation failure anywhere in a session ---- */

TEST(allocation_failure_in_session)
{
	unsigned long n;
	for (n = 1; n < 500; n++) {
		eng_t e;
		int hit;
		eng_init(&e, SDIAG_ENC_STARTTLS, 587);
		t_alloc_fail_nth(n);
		drive_to(&e, SDIAG_SMTP_CLOSED);
		hit = t_alloc_hit();
		t_alloc_reset();
		if (e.s.state != SDIAG_SMTP_CLOSED) {
			/* it may fail, but then it says so */
			if (e.s.state == SDIAG_SMTP_FAILED) {
				CHECK(e.err.category != SDIAG_CAT_NONE);
				CHECK(e.err.message[0] != '\0');
			}
			CHECK(hit);
		}
		eng_free(&e);
		if (!hit) {
			break;
		}
	}
	CHECK(n > 5);
}

TEST_MAIN("smtp",
	T(starttls_session),
	T(starttls_injection_counted),
	T(auto_mode),
	T(none_ignores_starttls),
	T(implicit_tls),
	T(starttls_required_not_offered),
	T(banner_failures),
	T(ehlo_refused_helo_fallback),
	T(ehlo_and_helo_refused),
	T(starttls_refused),
	T(eof_in_each_state),
	T(eof_after_failure_keeps_error),
	T(unsolicited_and_unexpected),
	T(overlong_and_endless_replies),
	T(quit_only_from_ready),
	T(phase_waiting_and_names),
	T(reset_for_a_new_connection),
	T(byte_at_a_time_same_outputs),
	T(script_outcomes),
	T(allocation_failure_in_session))
