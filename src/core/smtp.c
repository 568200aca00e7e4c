/* smtpdiag core: SMTP session engine (sans I/O). */
#include "smtp.h"
#include "classify.h"
#include "compat.h"

#include <stdio.h>
#include <string.h>

static const char *state_names[SDIAG_SMTP__COUNT] = {
	"idle", "banner", "ehlo", "helo", "starttls", "tls_handshake", "ready", "quit", "closed", "failed",
};

const char *sdiag_smtp_state_name(sdiag_smtp_state_t st)
{
	return (st >= 0 && st < SDIAG_SMTP__COUNT) ? state_names[st] : "?";
}

void sdiag_smtp_init(sdiag_smtp_t *s, const sdiag_config_t *cfg, sdiag_transcript_t *t, sdiag_error_t *err)
{
	memset(s, 0, sizeof(*s));
	s->cfg = cfg;
	s->transcript = t;
	s->err = err;
	sdiag_reply_parser_init(&s->parser);
	sdiag_buf_init(&s->out, SDIAG_OUT_MAX);
	sdiag_caps_init(&s->caps);
}

void sdiag_smtp_free(sdiag_smtp_t *s)
{
	sdiag_reply_parser_free(&s->parser);
	sdiag_buf_free(&s->out);
	sdiag_caps_free(&s->caps);
	sdiag_free(s->banner);
	s->banner = NULL;
}

void sdiag_smtp_reset(sdiag_smtp_t *s)
{
	sdiag_reply_parser_reset(&s->parser);
	sdiag_buf_reset(&s->out);
	sdiag_caps_free(&s->caps);
	sdiag_free(s->banner);
	s->banner = NULL;
	s->banner_code = 0;
	s->tls_active = s->tls_skipped = s->helo_fallback = s->starttls_offered = 0;
	s->injected = 0;
	s->last_code = 0;
	sdiag_smtp_set_state(s, SDIAG_SMTP_IDLE);
}

void sdiag_smtp_set_state(sdiag_smtp_t *s, sdiag_smtp_state_t to)
{
	sdiag_smtp_state_t from = s->state;
	s->state = to;
	s->entered[to] = sdiag_now_ms();
	if (s->trace && from != to) {
		s->trace(s->trace_ud, from, to);
	}
}

sdiag_phase_t sdiag_smtp_phase(const sdiag_smtp_t *s)
{
	switch (s->state) {
		case SDIAG_SMTP_IDLE: return SDIAG_PHASE_CONNECT;
		case SDIAG_SMTP_BANNER: return SDIAG_PHASE_BANNER;
		case SDIAG_SMTP_EHLO:
		case SDIAG_SMTP_HELO: return SDIAG_PHASE_EHLO;
		case SDIAG_SMTP_STARTTLS: return SDIAG_PHASE_STARTTLS;
		case SDIAG_SMTP_TLS_HANDSHAKE: return SDIAG_PHASE_TLS;
		case SDIAG_SMTP_QUIT: return SDIAG_PHASE_QUIT;
		default: return SDIAG_PHASE_NONE;
	}
}

int sdiag_smtp_waiting(const sdiag_smtp_t *s)
{
	return s->state == SDIAG_SMTP_BANNER || s->state == SDIAG_SMTP_EHLO || s->state == SDIAG_SMTP_HELO ||
		s->state == SDIAG_SMTP_STARTTLS || s->state == SDIAG_SMTP_QUIT;
}

void sdiag_smtp_fail(sdiag_smtp_t *s)
{
	sdiag_smtp_set_state(s, SDIAG_SMTP_FAILED);
}

/* Queue a command line (without CRLF) and log it. */
static sdiag_status_t send_cmd(sdiag_smtp_t *s, const char *fmt, const char *arg)
{
	size_t start = s->out.len;
	if (sdiag_buf_addf(&s->out, fmt, arg) != SDIAG_BUF_OK) {
		sdiag_error_set(s->err, SDIAG_CAT_PROTOCOL_ERROR, sdiag_smtp_phase(s), "out of memory queueing a command");
		sdiag_smtp_fail(s);
		return SDIAG_ERR;
	}
	sdiag_transcript_add(s->transcript, SDIAG_DIR_CLIENT, s->tls_active, s->out.data + start, s->out.len - start);
	if (sdiag_buf_add(&s->out, "\r\n", 2) != SDIAG_BUF_OK) {
		sdiag_error_set(s->err, SDIAG_CAT_PROTOCOL_ERROR, sdiag_smtp_phase(s), "out of memory queueing a command");
		sdiag_smtp_fail(s);
		return SDIAG_ERR;
	}
	return SDIAG_OK;
}

void sdiag_smtp_start(sdiag_smtp_t *s, int tls_active)
{
	s->tls_active = tls_active;
	sdiag_smtp_set_state(s, SDIAG_SMTP_BANNER);
}

/* A reply the engine did not want: classify it, keep the server's words. */
static sdiag_status_t fail_reply(sdiag_smtp_t *s, const char *what, const sdiag_reply_t *r)
{
	sdiag_phase_t ph = sdiag_smtp_phase(s);
	const char *text = r->text.data ? r->text.data : "";
	sdiag_error_set(s->err, SDIAG_CAT_OTHER, ph, "%s: %d %.*s", what, r->code, 300, text);
	sdiag_classify_reply(s->err, r->code, r->enhanced, text, ph);
	sdiag_smtp_fail(s);
	return SDIAG_ERR;
}

static sdiag_status_t after_greeting(sdiag_smtp_t *s)
{
	const sdiag_config_t *c = s->cfg;
	if (!s->tls_active) {
		int offered = sdiag_caps_find(&s->caps, "STARTTLS") != NULL;
		s->starttls_offered = offered;
		if (c->encryption == SDIAG_ENC_STARTTLS || c->encryption == SDIAG_ENC_AUTO) {
			if (offered) {
				sdiag_smtp_set_state(s, SDIAG_SMTP_STARTTLS);
				return send_cmd(s, "%s", "STARTTLS");
			}
			if (c->encryption == SDIAG_ENC_STARTTLS) {
				sdiag_error_set(s->err, SDIAG_CAT_TLS_REQUIRED, SDIAG_PHASE_STARTTLS,
					s->helo_fallback ? "STARTTLS is required, but the server refused EHLO, so it cannot offer STARTTLS"
									 : "STARTTLS is required, but the server does not offer it");
				if (c->port == 465) {
					sdiag_error_hint(s->err, "Port 465 normally speaks TLS from the first byte: use encryption \"implicit\" (smtps://).");
				}
				sdiag_smtp_fail(s);
				return SDIAG_ERR;
			}
			s->tls_skipped = 1;
			sdiag_transcript_addf(s->transcript, SDIAG_DIR_INFO, 0, "%s", "warning: the server does not offer STARTTLS; continuing without encryption (encryption \"auto\")");
		}
	}
	sdiag_smtp_set_state(s, SDIAG_SMTP_READY);
	return SDIAG_OK;
}

static sdiag_status_t on_reply(sdiag_smtp_t *s, const sdiag_reply_t *r, size_t left)
{
	const char *text = r->text.data ? r->text.data : "";
	s->last_code = r->code;
	switch (s->state) {
		case SDIAG_SMTP_BANNER:
			s->banner_code = r->code;
			sdiag_free(s->banner);
			s->banner = sdiag_strdup(text);
			if (r->code == 220) {
				sdiag_smtp_set_state(s, SDIAG_SMTP_EHLO);
				return send_cmd(s, "EHLO %s", s->helo);
			}
			if (r->code == 421 || r->code == 554) {
				sdiag_error_set(s->err, SDIAG_CAT_SERVICE_UNAVAILABLE, SDIAG_PHASE_BANNER, "the server refused the session in its greeting: %d %.*s", r->code, 300, text);
				sdiag_classify_reply(s->err, r->code, r->enhanced, text, SDIAG_PHASE_BANNER);
				if (s->err->category == SDIAG_CAT_SPAM_OR_POLICY) {
					sdiag_error_hint(s->err, "%s", "The server refuses connections from this machine's address (often a blocklist or a reputation filter): check the address against public blocklists, give it a PTR record, or send through the provider's submission port with authentication.");
				} else {
					sdiag_error_hint(s->err, "%s", sdiag_category_hint(SDIAG_CAT_SERVICE_UNAVAILABLE));
				}
				s->err->category = SDIAG_CAT_SERVICE_UNAVAILABLE;
				s->err->transient = r->code == 421;
				sdiag_smtp_fail(s);
				return SDIAG_ERR;
			}
			return fail_reply(s, "unexpected greeting", r);
		case SDIAG_SMTP_EHLO:
			if (r->code == 250) {
				if (sdiag_caps_parse(&s->caps, text, r->text.len) < 0) {
					sdiag_error_set(s->err, SDIAG_CAT_PROTOCOL_ERROR, SDIAG_PHASE_EHLO, "out of memory parsing the EHLO reply");
					sdiag_smtp_fail(s);
					return SDIAG_ERR;
				}
				return after_greeting(s);
			}
			if (r->code == 500 || r->code == 501 || r->code == 502 || r->code == 504) {
				s->helo_fallback = 1;
				sdiag_transcript_addf(s->transcript, SDIAG_DIR_INFO, s->tls_active, "%s", "EHLO refused: falling back to HELO");
				sdiag_smtp_set_state(s, SDIAG_SMTP_HELO);
				return send_cmd(s, "HELO %s", s->helo);
			}
			return fail_reply(s, "EHLO refused", r);
		case SDIAG_SMTP_HELO:
			if (r->code == 250) {
				sdiag_caps_free(&s->caps);
				return after_greeting(s);
			}
			return fail_reply(s, "HELO refused", r);
		case SDIAG_SMTP_STARTTLS:
			if (r->code == 220) {
				size_t pending = left + s->parser.line.len;
				if (pending) {
					s->injected = pending;
					sdiag_transcript_addf(s->transcript, SDIAG_DIR_INFO, 0,
						"discarded %zu bytes the server sent after \"220\" to STARTTLS, before the TLS handshake (possible STARTTLS command injection)", pending);
				}
				sdiag_reply_parser_reset(&s->parser);
				sdiag_smtp_set_state(s, SDIAG_SMTP_TLS_HANDSHAKE);
				return SDIAG_OK;
			}
			sdiag_error_set(s->err, SDIAG_CAT_TLS_ERROR, SDIAG_PHASE_STARTTLS, "the server refused STARTTLS: %d %.*s", r->code, 300, text);
			s->err->smtp_code = r->code;
			snprintf(s->err->enhanced, sizeof(s->err->enhanced), "%s", r->enhanced);
			s->err->transient = r->code / 100 == 4;
			sdiag_error_hint(s->err, "The server offered STARTTLS but refused it%s; no plaintext fallback is made. Check the server's TLS configuration (certificate and key files) and its logs.",
				r->code / 100 == 4 ? " temporarily" : "");
			sdiag_smtp_fail(s);
			return SDIAG_ERR;
		case SDIAG_SMTP_QUIT:
			sdiag_smtp_set_state(s, SDIAG_SMTP_CLOSED);
			return SDIAG_OK;
		case SDIAG_SMTP_READY:
			if (r->code == 421) {
				sdiag_error_set(s->err, SDIAG_CAT_SERVICE_UNAVAILABLE, SDIAG_PHASE_NONE, "the server is closing the connection: %d %.*s", r->code, 300, text);
				sdiag_smtp_fail(s);
				return SDIAG_ERR;
			}
			return fail_reply(s, "unexpected reply while idle", r);
		default:
			return fail_reply(s, "unexpected reply", r);
	}
}

static void on_line(void *ud, const char *line, size_t len)
{
	sdiag_smtp_t *s = ud;
	sdiag_transcript_add(s->transcript, SDIAG_DIR_SERVER, s->tls_active, line, len);
}

sdiag_status_t sdiag_smtp_feed(sdiag_smtp_t *s, const char *data, size_t len)
{
	while (len > 0) {
		size_t used = 0;
		sdiag_reply_result_t r;
		sdiag_status_t st;
		if (s->state == SDIAG_SMTP_FAILED || s->state == SDIAG_SMTP_CLOSED) {
			return s->state == SDIAG_SMTP_FAILED ? SDIAG_ERR : SDIAG_OK;
		}
		if (s->state == SDIAG_SMTP_TLS_HANDSHAKE) {
			return SDIAG_OK; /* the driver discards anything here */
		}
		if (s->state == SDIAG_SMTP_IDLE) {
			sdiag_error_set(s->err, SDIAG_CAT_PROTOCOL_ERROR, SDIAG_PHASE_NONE, "data received before the session started");
			sdiag_smtp_fail(s);
			return SDIAG_ERR;
		}
		r = sdiag_reply_parser_feed(&s->parser, data, len, &used, on_line, s);
		if (r == SDIAG_REPLY_NEED_MORE) {
			return SDIAG_OK;
		}
		if (r != SDIAG_REPLY_DONE) {
			sdiag_error_set(s->err, SDIAG_CAT_PROTOCOL_ERROR, sdiag_smtp_phase(s), "invalid reply from the server: %s",
				r == SDIAG_REPLY_NOMEM ? "out of memory" : s->parser.error);
			if (s->state == SDIAG_SMTP_BANNER || s->state == SDIAG_SMTP_EHLO) {
				sdiag_error_hint(s->err, "%s", "The server does not speak SMTP here: check the host and port, and whether this port expects TLS from the first byte (encryption \"implicit\", port 465).");
			}
			sdiag_smtp_fail(s);
			return SDIAG_ERR;
		}
		data += used;
		len -= used;
		st = on_reply(s, &s->parser.reply, len);
		if (st != SDIAG_OK) {
			return st;
		}
		if (s->state == SDIAG_SMTP_TLS_HANDSHAKE) {
			return SDIAG_OK; /* whatever followed "220" was counted and is dropped */
		}
	}
	return SDIAG_OK;
}

void sdiag_smtp_tls_ready(sdiag_smtp_t *s)
{
	s->tls_active = 1;
	sdiag_caps_free(&s->caps);
	sdiag_smtp_set_state(s, SDIAG_SMTP_EHLO);
	send_cmd(s, "EHLO %s", s->helo);
}

void sdiag_smtp_eof(sdiag_smtp_t *s)
{
	if (s->state == SDIAG_SMTP_QUIT || s->state == SDIAG_SMTP_CLOSED) {
		sdiag_smtp_set_state(s, SDIAG_SMTP_CLOSED);
		return;
	}
	if (s->state == SDIAG_SMTP_FAILED) {
		return;
	}
	if (s->parser.line.len) {
		/* keep what arrived of an unfinished line */
		sdiag_transcript_add(s->transcript, SDIAG_DIR_SERVER, s->tls_active, s->parser.line.data, s->parser.line.len);
	}
	sdiag_error_set(s->err, SDIAG_CAT_CONNECTION_LOST, sdiag_smtp_phase(s), "the server closed the connection%s%s",
		s->state == SDIAG_SMTP_BANNER ? (sdiag_reply_parser_pending(&s->parser) ? " in the middle of its greeting" : " before sending a greeting") : " while waiting for ",
		s->state == SDIAG_SMTP_BANNER ? "" : (s->state == SDIAG_SMTP_READY ? "a command" : "a reply"));
	if (s->state == SDIAG_SMTP_BANNER && s->cfg->encryption != SDIAG_ENC_IMPLICIT) {
		sdiag_error_hint(s->err, "%s", "The server closed the connection without a greeting: it may expect TLS from the first byte (encryption \"implicit\", port 465), or it rejects this client's address.");
	}
	sdiag_smtp_fail(s);
}

void sdiag_smtp_quit(sdiag_smtp_t *s)
{
	if (s->state != SDIAG_SMTP_READY) {
		return;
	}
	sdiag_smtp_set_state(s, SDIAG_SMTP_QUIT);
	send_cmd(s, "%s", "QUIT");
}
