/* smtpdiag core: SMTP session engine (sans I/O). */
#include "smtp.h"
#include "classify.h"
#include "compat.h"

#include <stdio.h>
#include <string.h>

static const char *state_names[SDIAG_SMTP__COUNT] = {
	"idle", "banner", "ehlo", "helo", "starttls", "tls_handshake", "auth", "ready", "txn", "noop", "quit", "closed", "failed",
};

static void advance(sdiag_smtp_t *s);

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
	s->sasl.mech = SDIAG_SASL_NONE;
	sdiag_reply_parser_init(&s->parser);
	sdiag_buf_init(&s->out, SDIAG_OUT_MAX);
	sdiag_caps_init(&s->caps);
}

static void wipe_auth(sdiag_smtp_t *s)
{
	size_t i;
	sdiag_sasl_free(&s->sasl);
	sdiag_buf_wipe_spare(&s->out);
	for (i = 0; i < sizeof(s->auth_secrets) / sizeof(*s->auth_secrets); i++) {
		sdiag_free_secret(s->auth_secrets[i]);
		s->auth_secrets[i] = NULL;
	}
}

/* Remember a secret the server might echo back (a broken or hostile server
 * may quote the AUTH line in its error reply). */
static void remember_secret(sdiag_smtp_t *s, const char *secret, size_t len)
{
	size_t i;
	if (len < 4) {
		return;
	}
	for (i = 0; i < sizeof(s->auth_secrets) / sizeof(*s->auth_secrets); i++) {
		if (!s->auth_secrets[i]) {
			s->auth_secrets[i] = sdiag_strndup(secret, len);
			return;
		}
	}
}

/* Copy text into out with every remembered secret replaced by the marker. */
static void scrub(const sdiag_smtp_t *s, const char *text, size_t len, sdiag_buf_t *out)
{
	size_t i = 0, k;
	while (i < len) {
		size_t hit = 0;
		for (k = 0; k < sizeof(s->auth_secrets) / sizeof(*s->auth_secrets) && !hit; k++) {
			const char *sec = s->auth_secrets[k];
			size_t sl = sec ? strlen(sec) : 0;
			if (sl && sl <= len - i && memcmp(text + i, sec, sl) == 0) {
				hit = sl;
			}
		}
		if (hit) {
			sdiag_buf_addstr(out, SDIAG_REDACTED);
			i += hit;
		} else {
			sdiag_buf_add(out, text + i, 1);
			i++;
		}
	}
}

void sdiag_smtp_free(sdiag_smtp_t *s)
{
	wipe_auth(s);
	sdiag_reply_parser_free(&s->parser);
	sdiag_buf_free(&s->out);
	sdiag_caps_free(&s->caps);
	sdiag_free(s->banner);
	s->banner = NULL;
}

void sdiag_smtp_reset(sdiag_smtp_t *s)
{
	wipe_auth(s);
	sdiag_reply_parser_reset(&s->parser);
	sdiag_buf_reset(&s->out);
	sdiag_caps_free(&s->caps);
	sdiag_free(s->banner);
	s->banner = NULL;
	s->banner_code = 0;
	s->tls_active = s->tls_skipped = s->helo_fallback = s->starttls_offered = 0;
	s->authenticated = 0;
	s->sasl.mech = SDIAG_SASL_NONE;
	s->auth_offered[0] = s->auth_reason[0] = '\0';
	s->injected = 0;
	s->txns = NULL;
	s->ntxns = s->txn_cur = s->txn_done = 0;
	s->pend_head = s->pend_len = 0;
	s->body = NULL;
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

static const sdiag_pending_t *pend_head(const sdiag_smtp_t *s)
{
	return s->pend_len ? &s->pending[s->pend_head] : NULL;
}

sdiag_phase_t sdiag_smtp_phase(const sdiag_smtp_t *s)
{
	const sdiag_pending_t *p;
	switch (s->state) {
		case SDIAG_SMTP_IDLE: return SDIAG_PHASE_CONNECT;
		case SDIAG_SMTP_BANNER: return SDIAG_PHASE_BANNER;
		case SDIAG_SMTP_EHLO:
		case SDIAG_SMTP_HELO: return SDIAG_PHASE_EHLO;
		case SDIAG_SMTP_STARTTLS: return SDIAG_PHASE_STARTTLS;
		case SDIAG_SMTP_TLS_HANDSHAKE: return SDIAG_PHASE_TLS;
		case SDIAG_SMTP_AUTH: return SDIAG_PHASE_AUTH;
		case SDIAG_SMTP_QUIT: return SDIAG_PHASE_QUIT;
		case SDIAG_SMTP_TXN:
			if (s->body) {
				return SDIAG_PHASE_DATA;
			}
			p = pend_head(s);
			if (!p) {
				return SDIAG_PHASE_NONE;
			}
			return p->cmd == SDIAG_CMD_MAIL ? SDIAG_PHASE_MAIL : p->cmd == SDIAG_CMD_RCPT ? SDIAG_PHASE_RCPT : p->cmd == SDIAG_CMD_RSET ? SDIAG_PHASE_NONE : SDIAG_PHASE_DATA;
		default: return SDIAG_PHASE_NONE;
	}
}

int sdiag_smtp_next_reply(const sdiag_smtp_t *s)
{
	const sdiag_pending_t *p = pend_head(s);
	return p ? (int)p->cmd : -1;
}

int sdiag_smtp_waiting(const sdiag_smtp_t *s)
{
	switch (s->state) {
		case SDIAG_SMTP_BANNER:
		case SDIAG_SMTP_EHLO:
		case SDIAG_SMTP_HELO:
		case SDIAG_SMTP_STARTTLS:
		case SDIAG_SMTP_AUTH:
		case SDIAG_SMTP_NOOP:
		case SDIAG_SMTP_QUIT:
			return 1;
		case SDIAG_SMTP_TXN:
			return s->pend_len > 0;
		default:
			return 0;
	}
}

static void oom(sdiag_smtp_t *s)
{
	sdiag_error_set(s->err, SDIAG_CAT_OTHER, sdiag_smtp_phase(s), "out of memory queueing a command");
	sdiag_smtp_fail(s);
}

/* Queue a command line (without CRLF); log it, or log shown instead when given. */
static sdiag_status_t send_line(sdiag_smtp_t *s, const char *line, size_t len, const char *shown)
{
	if (sdiag_buf_add(&s->out, line, len) != SDIAG_BUF_OK || sdiag_buf_add(&s->out, "\r\n", 2) != SDIAG_BUF_OK) {
		oom(s);
		return SDIAG_ERR;
	}
	if (shown) {
		sdiag_transcript_add(s->transcript, SDIAG_DIR_CLIENT, s->tls_active, shown, strlen(shown));
	} else {
		sdiag_transcript_add(s->transcript, SDIAG_DIR_CLIENT, s->tls_active, line, len);
	}
	return SDIAG_OK;
}

static sdiag_status_t send_cmd(sdiag_smtp_t *s, const char *fmt, const char *arg)
{
	char line[1024];
	int n = snprintf(line, sizeof(line), fmt, arg);
	if (n < 0 || (size_t)n >= sizeof(line)) {
		oom(s);
		return SDIAG_ERR;
	}
	return send_line(s, line, (size_t)n, NULL);
}

void sdiag_smtp_start(sdiag_smtp_t *s, int tls_active)
{
	s->tls_active = tls_active;
	sdiag_smtp_set_state(s, SDIAG_SMTP_BANNER);
}

/* A reply's text on one line (lines joined with " / "), cut to fit, for messages. */
static const char *one_line(const sdiag_reply_t *r, char *buf, size_t size)
{
	const char *t = r->text.data ? r->text.data : "";
	size_t i, o = 0;
	for (i = 0; t[i] && o + 4 < size; i++) {
		if (t[i] == '\n') {
			memcpy(buf + o, " / ", 3);
			o += 3;
		} else {
			buf[o++] = t[i];
		}
	}
	buf[o] = '\0';
	return buf;
}

/* A reply the engine did not want: classify it, keep the server's words. */
static sdiag_status_t fail_reply(sdiag_smtp_t *s, const char *what, const sdiag_reply_t *r)
{
	sdiag_phase_t ph = sdiag_smtp_phase(s);
	const char *text = r->text.data ? r->text.data : "";
	char line[400];
	sdiag_error_set(s->err, SDIAG_CAT_OTHER, ph, "%s: %d %s", what, r->code, one_line(r, line, sizeof(line)));
	sdiag_classify_reply_host(s->err, r->code, r->enhanced, text, ph, s->cfg->host);
	sdiag_smtp_fail(s);
	return SDIAG_ERR;
}

/* ---- AUTH ---- */

static sdiag_status_t auth_error(sdiag_smtp_t *s, sdiag_category_t cat, const char *hint, const char *fmt, const char *a, const char *b)
{
	char msg[SDIAG_MSG_MAX];
	snprintf(msg, sizeof(msg), fmt, a, b);
	sdiag_error_set(s->err, cat, SDIAG_PHASE_AUTH, "%s", msg);
	if (hint) {
		sdiag_error_hint(s->err, "%s", hint);
	}
	sdiag_smtp_fail(s);
	return SDIAG_ERR;
}

static sdiag_status_t start_auth(sdiag_smtp_t *s)
{
	const sdiag_config_t *c = s->cfg;
	const sdiag_cap_t *a = sdiag_caps_find(&s->caps, "AUTH");
	sdiag_sasl_mech_t m = SDIAG_SASL_NONE;
	sdiag_buf_t ir;
	sdiag_status_t st;
	int blocked = 0;
	char line[64];

	snprintf(s->auth_offered, sizeof(s->auth_offered), "%s", a && a->params ? a->params : "");
	if (!a || !a->params) {
		return auth_error(s, SDIAG_CAT_AUTH_UNSUPPORTED,
			s->tls_active ? "The server offers no AUTH on this port: use the provider's submission port (587 with STARTTLS or 465), or remove the credentials if this server relays by IP address."
						  : "The server offers no AUTH before TLS: enable encryption (STARTTLS on 587 or implicit TLS on 465); most servers offer AUTH only on an encrypted connection.",
			"credentials are configured but the server offers no AUTH%s%s", s->tls_active ? "" : " (the connection is not encrypted)", "");
	}
	if (c->auth && sdiag_strcasecmp(c->auth, "auto") != 0) {
		m = sdiag_sasl_lookup(c->auth, strlen(c->auth));
		if (!sdiag_caps_has_auth(&s->caps, sdiag_sasl_name(m))) {
			return auth_error(s, SDIAG_CAT_AUTH_UNSUPPORTED, "Set auth to one of the offered mechanisms, or to \"auto\".",
				"the auth option asks for %s, but the server offers only %s", sdiag_sasl_name(m), s->auth_offered);
		}
		if (sdiag_sasl_reveals_secret(m) && !s->tls_active && !c->allow_plaintext_auth) {
			return auth_error(s, SDIAG_CAT_TLS_REQUIRED, "Enable encryption (starttls or implicit); allow_plaintext_auth exists for test servers only.",
				"refusing to send the %s credentials over an unencrypted connection%s", sdiag_sasl_name(m), "");
		}
		snprintf(s->auth_reason, sizeof(s->auth_reason), "requested with the auth option");
	} else {
		int i;
		for (i = 0; i < SDIAG_SASL__COUNT; i++) {
			if (sdiag_sasl_is_oauth((sdiag_sasl_mech_t)i) || !sdiag_caps_has_auth(&s->caps, sdiag_sasl_name((sdiag_sasl_mech_t)i))) {
				continue;
			}
			if (sdiag_sasl_reveals_secret((sdiag_sasl_mech_t)i) && !s->tls_active && !c->allow_plaintext_auth) {
				blocked = 1;
				continue;
			}
			m = (sdiag_sasl_mech_t)i;
			break;
		}
		if (m == SDIAG_SASL_NONE) {
			if (blocked) {
				return auth_error(s, SDIAG_CAT_TLS_REQUIRED, "Enable encryption (starttls on 587 or implicit TLS on 465): the password would otherwise cross the network readable by anyone on the path.",
					"the server offers only %s over an unencrypted connection: refusing to send the password in plaintext%s", s->auth_offered, "");
			}
			return auth_error(s, SDIAG_CAT_AUTH_UNSUPPORTED, "For OAuth (XOAUTH2, OAUTHBEARER) set auth to the mechanism and give the access token as the password.",
				"the server offers only %s: none of them works with a password%s", s->auth_offered, "");
		}
		snprintf(s->auth_reason, sizeof(s->auth_reason), "the strongest mechanism offered%s",
			!sdiag_sasl_reveals_secret(m) ? "" : s->tls_active ? "; TLS protects the password" : "; the password crosses the network unencrypted (allow_plaintext_auth)");
	}
	sdiag_transcript_addf(s->transcript, SDIAG_DIR_INFO, s->tls_active, "AUTH: the server offers %s; using %s (%s)", s->auth_offered, sdiag_sasl_name(m), s->auth_reason);
	sdiag_sasl_init(&s->sasl, m, c->username, c->password, c->host, c->port);
	remember_secret(s, c->password, strlen(c->password));
	{
		sdiag_buf_t b64;
		sdiag_buf_init(&b64, 4096);
		if (sdiag_b64_encode(&b64, (const unsigned char *)c->password, strlen(c->password)) == 0 && b64.data) {
			remember_secret(s, b64.data, b64.len);
		}
		sdiag_buf_wipe_spare(&b64);
		if (b64.data) {
			memset(b64.data, 0, b64.len);
		}
		sdiag_buf_free(&b64);
	}
	sdiag_buf_init(&ir, 16384);
	if (sdiag_sasl_initial(&s->sasl, &ir, s->err) != SDIAG_OK) {
		sdiag_buf_free(&ir);
		sdiag_smtp_fail(s);
		return SDIAG_ERR;
	}
	sdiag_smtp_set_state(s, SDIAG_SMTP_AUTH);
	if (ir.len) {
		remember_secret(s, ir.data, ir.len);
		sdiag_buf_t cmd;
		sdiag_buf_init(&cmd, 20000);
		snprintf(line, sizeof(line), "AUTH %s %s", sdiag_sasl_name(m), SDIAG_REDACTED);
		if (sdiag_buf_addf(&cmd, "AUTH %s ", sdiag_sasl_name(m)) != SDIAG_BUF_OK || sdiag_buf_add(&cmd, ir.data, ir.len) != SDIAG_BUF_OK) {
			sdiag_buf_wipe_spare(&cmd);
			sdiag_buf_free(&cmd);
			sdiag_buf_free(&ir);
			oom(s);
			return SDIAG_ERR;
		}
		st = send_line(s, cmd.data, cmd.len, line);
		memset(cmd.data, 0, cmd.cap);
		sdiag_buf_free(&cmd);
	} else {
		snprintf(line, sizeof(line), "AUTH %s", sdiag_sasl_name(m));
		st = send_line(s, line, strlen(line), NULL);
	}
	if (ir.data) {
		memset(ir.data, 0, ir.cap);
	}
	sdiag_buf_free(&ir);
	return st;
}

static sdiag_status_t on_auth_reply(sdiag_smtp_t *s, const sdiag_reply_t *r)
{
	const char *text = r->text.data ? r->text.data : "";
	if (r->code == 334) {
		sdiag_buf_t resp;
		sdiag_status_t st;
		if (s->sasl.step > 8) {
			sdiag_error_set(s->err, SDIAG_CAT_PROTOCOL_ERROR, SDIAG_PHASE_AUTH, "the server keeps sending AUTH challenges");
			sdiag_smtp_fail(s);
			return SDIAG_ERR;
		}
		sdiag_buf_init(&resp, 16384);
		if (sdiag_sasl_step(&s->sasl, text, strcspn(text, " \n"), &resp, s->err) != SDIAG_OK) {
			sdiag_buf_free(&resp);
			wipe_auth(s);
			sdiag_smtp_fail(s);
			return SDIAG_ERR;
		}
		if (resp.len) {
			remember_secret(s, resp.data, resp.len);
		}
		st = send_line(s, resp.data ? resp.data : "", resp.len, SDIAG_REDACTED);
		if (resp.data) {
			memset(resp.data, 0, resp.cap);
		}
		sdiag_buf_free(&resp);
		return st;
	}
	if (r->code == 235) {
		if (s->sasl.mech == SDIAG_SASL_SCRAM_SHA_256 && !s->sasl.server_verified) {
			wipe_auth(s);
			sdiag_error_set(s->err, SDIAG_CAT_AUTH_FAILED, SDIAG_PHASE_AUTH, "the server accepted SCRAM-SHA-256 without proving that it knows the password");
			sdiag_error_hint(s->err, "%s", "A genuine server sends its signature before 235: check that this is the right server, or set auth to another mechanism.");
			sdiag_smtp_fail(s);
			return SDIAG_ERR;
		}
		s->authenticated = 1;
		wipe_auth(s);
		sdiag_smtp_set_state(s, SDIAG_SMTP_READY);
		return SDIAG_OK;
	}
	{
		/* the reply may quote what we sent: scrub before it reaches an error message */
		sdiag_buf_t clean;
		sdiag_reply_t copy = *r;
		sdiag_status_t st;
		sdiag_buf_init(&clean, SDIAG_REPLY_MAX_BYTES + 1024);
		scrub(s, r->text.data ? r->text.data : "", r->text.len, &clean);
		copy.text = clean;
		if (!copy.text.data) {
			sdiag_buf_add(&copy.text, "", 0);
		}
		wipe_auth(s);
		st = fail_reply(s, "authentication failed", &copy);
		sdiag_buf_free(&copy.text);
		return st;
	}
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
	if (c->username && !(c->auth && sdiag_strcasecmp(c->auth, "none") == 0)) {
		return start_auth(s);
	}
	sdiag_smtp_set_state(s, SDIAG_SMTP_READY);
	return SDIAG_OK;
}

/* ---- transactions ---- */

static int push(sdiag_smtp_t *s, sdiag_cmd_t cmd, sdiag_txn_t *t, size_t idx)
{
	sdiag_pending_t *p;
	if (s->pend_len >= SDIAG_PENDING_MAX) {
		sdiag_error_set(s->err, SDIAG_CAT_OTHER, sdiag_smtp_phase(s), "too many commands in flight");
		sdiag_smtp_fail(s);
		return -1;
	}
	p = &s->pending[(s->pend_head + s->pend_len) % SDIAG_PENDING_MAX];
	p->cmd = cmd;
	p->txn = t;
	p->idx = idx;
	s->pend_len++;
	return 0;
}

static void txn_fail(sdiag_smtp_t *s, sdiag_txn_t *t, sdiag_category_t cat, sdiag_phase_t ph, const char *fmt, const char *a, const char *b)
{
	char msg[SDIAG_MSG_MAX];
	snprintf(msg, sizeof(msg), fmt, a, b);
	sdiag_error_set(&t->err, cat, ph, "%s", msg);
	t->state = SDIAG_TXN_FAILED;
	t->t_final = sdiag_now_ms();
	s->txn_done++;
}

static void txn_fail_reply(sdiag_smtp_t *s, sdiag_txn_t *t, const char *what, const sdiag_reply_t *r, sdiag_phase_t ph)
{
	const char *text = r->text.data ? r->text.data : "";
	char line[400];
	sdiag_error_set(&t->err, SDIAG_CAT_OTHER, ph, "%s: %d %s", what, r->code, one_line(r, line, sizeof(line)));
	sdiag_classify_reply_host(&t->err, r->code, r->enhanced, text, ph, s->cfg->host);
	t->state = SDIAG_TXN_FAILED;
	t->t_final = sdiag_now_ms();
	s->txn_done++;
}

/* Finish a command built in place at the end of s->out (from start): log
 * it, then add its CRLF. r is the OR of the appends' results. */
static int end_line(sdiag_smtp_t *s, size_t start, int r)
{
	if (r != SDIAG_BUF_OK) {
		s->out.len = start;
		if (s->out.data) {
			s->out.data[start] = '\0';
		}
		oom(s);
		return -1;
	}
	sdiag_transcript_add(s->transcript, SDIAG_DIR_CLIENT, s->tls_active, s->out.data + start, s->out.len - start);
	if (sdiag_buf_add(&s->out, "\r\n", 2) != SDIAG_BUF_OK) {
		oom(s);
		return -1;
	}
	return 0;
}

/* MAIL FROM with its parameters, built straight into the output buffer. */
static int queue_mail(sdiag_smtp_t *s, sdiag_txn_t *t)
{
	sdiag_buf_t *b = &s->out;
	size_t start = b->len;
	int r = sdiag_buf_add(b, "MAIL FROM:<", 11) | sdiag_buf_add(b, t->from, t->fromlen) | sdiag_buf_add(b, ">", 1);
	if (s->ext & SDIAG_EXT_SIZE) {
		r |= sdiag_buf_addf(b, " SIZE=%zu", t->size);
	}
	if (t->eightbit && (s->ext & SDIAG_EXT_8BITMIME)) {
		r |= sdiag_buf_add(b, " BODY=8BITMIME", 14);
	}
	if (t->utf8_addrs) {
		r |= sdiag_buf_add(b, " SMTPUTF8", 9);
	}
	if (s->ext & SDIAG_EXT_DSN) {
		if (t->dsn_ret) {
			r |= sdiag_buf_addf(b, " RET=%s", t->dsn_ret);
		}
		if (t->dsn_envid) {
			r |= sdiag_buf_addf(b, " ENVID=%s", t->dsn_envid);
		}
	}
	if (end_line(s, start, r) < 0) {
		return -1;
	}
	return push(s, SDIAG_CMD_MAIL, t, 0);
}

/* xtext (RFC 3461): '+', '=' and bytes outside 33..126 as "+XX". */
static int xtext(sdiag_buf_t *b, const char *s, size_t n)
{
	size_t i;
	int r = 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		r |= (c < 33 || c > 126 || c == '+' || c == '=') ? sdiag_buf_addf(b, "+%02X", c) : sdiag_buf_add(b, s + i, 1);
	}
	return r;
}

static int queue_rcpt(sdiag_smtp_t *s, sdiag_txn_t *t, size_t i)
{
	sdiag_buf_t *b = &s->out;
	size_t start = b->len;
	const sdiag_rcpt_t *rc = &t->rcpts[i];
	int r = sdiag_buf_add(b, "RCPT TO:<", 9) | sdiag_buf_add(b, rc->addr, rc->len) | sdiag_buf_add(b, ">", 1);
	if (s->ext & SDIAG_EXT_DSN) {
		if (t->dsn_notify) {
			r |= sdiag_buf_addf(b, " NOTIFY=%s", t->dsn_notify);
		}
		if (t->dsn_orcpt) {
			r |= sdiag_buf_add(b, " ORCPT=rfc822;", 14) | xtext(b, rc->addr, rc->len);
		}
	}
	if (end_line(s, start, r) < 0) {
		return -1;
	}
	return push(s, SDIAG_CMD_RCPT, t, i);
}

/* The transaction fails on its recipients: the first rejection's
 * classification speaks for it, and the open transaction is reset. */
static void fail_recipients(sdiag_smtp_t *s, sdiag_txn_t *t)
{
	size_t i, rejected = t->nrcpt - t->accepted;
	char what[64];
	snprintf(what, sizeof(what), "%zu of %zu", rejected, t->nrcpt);
	txn_fail(s, t, SDIAG_CAT_OTHER, SDIAG_PHASE_RCPT, "%s recipients were rejected%s", what,
		t->accepted ? "; nothing was sent (set partial to deliver to the accepted ones)" : "");
	for (i = 0; i < t->nrcpt; i++) {
		if (t->rcpts[i].code && t->rcpts[i].code / 100 != 2) {
			sdiag_error_t e;
			sdiag_error_clear(&e);
			sdiag_classify_reply_host(&e, t->rcpts[i].code, t->rcpts[i].enhanced, t->rcpts[i].text ? t->rcpts[i].text : "", SDIAG_PHASE_RCPT, s->cfg->host);
			t->err.category = e.category;
			t->err.transient = e.transient;
			t->err.smtp_code = e.smtp_code;
			snprintf(t->err.enhanced, sizeof(t->err.enhanced), "%s", e.enhanced);
			snprintf(t->err.hint, sizeof(t->err.hint), "%s", e.hint);
			break;
		}
	}
	if (t->mail_ok && send_cmd(s, "%s", "RSET") == SDIAG_OK) {
		push(s, SDIAG_CMD_RSET, t, 0);
	}
}

/* All recipient replies are in and DATA was not pipelined: go on or give up. */
static void envelope_decision(sdiag_smtp_t *s, sdiag_txn_t *t)
{
	size_t rejected = t->nrcpt - t->accepted;
	if (t->probe && t->state == SDIAG_TXN_ENVELOPE && rejected == 0) {
		t->state = SDIAG_TXN_DONE;
		t->t_final = sdiag_now_ms();
		s->txn_done++;
		if (send_cmd(s, "%s", "RSET") == SDIAG_OK) {
			push(s, SDIAG_CMD_RSET, t, 0);
		}
		return;
	}
	if (t->state != SDIAG_TXN_ENVELOPE || t->data_sent || rejected == 0 || (t->partial && t->accepted > 0 && !t->probe)) {
		return;
	}
	fail_recipients(s, t);
}

static int data_now(const sdiag_smtp_t *s, const sdiag_txn_t *t)
{
	if (t->probe) {
		return 0;
	}
	if (s->pipelining && (t->nrcpt == 1 || t->partial)) {
		return 1;
	}
	return t->replies == t->nrcpt && t->state == SDIAG_TXN_ENVELOPE && t->accepted > 0;
}

static void batch_done(sdiag_smtp_t *s)
{
	s->body = NULL;
	s->txns = NULL; /* the caller's array: never touched after the batch */
	s->ntxns = s->txn_cur = 0;
	sdiag_smtp_set_state(s, SDIAG_SMTP_READY);
}

static void advance(sdiag_smtp_t *s)
{
	while (s->state == SDIAG_SMTP_TXN && !s->body && s->txn_cur < s->ntxns) {
		sdiag_txn_t *t = s->txns[s->txn_cur];
		if (t->state == SDIAG_TXN_FAILED || t->state == SDIAG_TXN_DONE || (t->dot_sent && s->pipelining)) {
			s->txn_cur++; /* the next envelope may follow this one's end-of-data */
			continue;
		}
		if (!s->pipelining && s->pend_len > 0) {
			return;
		}
		if (t->next_cmd == 0) {
			t->state = SDIAG_TXN_ENVELOPE;
			t->t_start = sdiag_now_ms();
			if (queue_mail(s, t) < 0) {
				return;
			}
			t->next_cmd = 1;
		} else if (t->next_cmd <= t->nrcpt) {
			if (queue_rcpt(s, t, t->next_cmd - 1) < 0) {
				return;
			}
			t->next_cmd++;
		} else if (t->next_cmd == t->nrcpt + 1 && data_now(s, t) && s->chunking) {
			/* BDAT: the message follows its command in the same write, and the
			 * one reply to BDAT LAST is the final one: a round trip saved */
			char line[48];
			snprintf(line, sizeof(line), "BDAT %zu LAST", t->size);
			if (send_cmd(s, "%s", line) != SDIAG_OK || push(s, SDIAG_CMD_DOT, t, 0) < 0) {
				return;
			}
			t->bdat = t->data_sent = 1;
			t->next_cmd++;
			t->state = SDIAG_TXN_BODY;
			t->t_data = sdiag_now_ms();
			s->body = t; /* the driver writes it (sdiag_smtp_fill) before anything else */
		} else if (t->next_cmd == t->nrcpt + 1 && data_now(s, t)) {
			if (send_cmd(s, "%s", "DATA") != SDIAG_OK || push(s, SDIAG_CMD_DATA, t, 0) < 0) {
				return;
			}
			t->data_sent = 1;
			t->next_cmd++;
		} else {
			return; /* waiting for replies */
		}
	}
	if (s->state == SDIAG_SMTP_TXN && !s->body && s->pend_len == 0 && s->txn_cur >= s->ntxns) {
		batch_done(s);
	}
}

static int pre_check(sdiag_smtp_t *s, sdiag_txn_t *t)
{
	sdiag_txn_measure(t);
	if (s->caps.size_limit && t->size > s->caps.size_limit) {
		char a[32], b[32];
		snprintf(a, sizeof(a), "%zu", t->size);
		snprintf(b, sizeof(b), "%llu", s->caps.size_limit);
		txn_fail(s, t, SDIAG_CAT_MESSAGE_TOO_LARGE, SDIAG_PHASE_DATA, "the message has %s bytes, more than the server's limit of %s bytes (SIZE): nothing was sent", a, b);
		return -1;
	}
	if (t->eightbit && !sdiag_caps_find(&s->caps, "8BITMIME")) {
		txn_fail(s, t, SDIAG_CAT_OTHER, SDIAG_PHASE_DATA, "the message contains 8-bit bytes but the server does not offer 8BITMIME%s%s", "", "");
		sdiag_error_hint(&t->err, "%s", "Encode the body with quoted-printable or base64 (mail libraries do this when asked for 7-bit transfer encoding).");
		return -1;
	}
	if (t->utf8_addrs && !sdiag_caps_find(&s->caps, "SMTPUTF8")) {
		txn_fail(s, t, SDIAG_CAT_MAILBOX_NAME_INVALID, sdiag_addr_ascii(t->from, t->fromlen) ? SDIAG_PHASE_RCPT : SDIAG_PHASE_MAIL,
			"%s contains non-ASCII characters but the server does not offer SMTPUTF8%s", sdiag_addr_ascii(t->from, t->fromlen) ? "a recipient's address" : "the sender's address", "");
		sdiag_error_hint(&t->err, "%s", "Use an ASCII address (an IDN domain can be written in its xn-- form), or a server with SMTPUTF8.");
		return -1;
	}
	return 0;
}

void sdiag_smtp_send(sdiag_smtp_t *s, sdiag_txn_t **txns, size_t n)
{
	size_t i;
	if (s->state != SDIAG_SMTP_READY) {
		return;
	}
	s->txns = txns;
	s->ntxns = n;
	s->txn_cur = s->txn_done = 0;
	s->pipelining = s->cfg->pipelining && sdiag_caps_find(&s->caps, "PIPELINING") != NULL;
	s->chunking = s->cfg->chunking && sdiag_caps_find(&s->caps, "CHUNKING") != NULL;
	s->ext = (sdiag_caps_find(&s->caps, "SIZE") ? SDIAG_EXT_SIZE : 0) | (sdiag_caps_find(&s->caps, "8BITMIME") ? SDIAG_EXT_8BITMIME : 0) |
		(sdiag_caps_find(&s->caps, "DSN") ? SDIAG_EXT_DSN : 0);
	for (i = 0; i < n; i++) {
		pre_check(s, txns[i]);
	}
	sdiag_smtp_set_state(s, SDIAG_SMTP_TXN);
	advance(s);
}

int sdiag_smtp_wants_fill(const sdiag_smtp_t *s)
{
	return s->state == SDIAG_SMTP_TXN && s->body != NULL;
}

void sdiag_smtp_fill(sdiag_smtp_t *s)
{
	sdiag_txn_t *t = s->body;
	size_t room;
	if (!t || s->out.len >= SDIAG_OUT_MAX / 2) {
		return;
	}
	room = SDIAG_OUT_MAX - s->out.len - 64;
	if (room > SDIAG_BODY_CHUNK) {
		room = SDIAG_BODY_CHUNK;
	}
	if (sdiag_body_encode(t->msg, t->msglen, &t->body_pos, &t->body_bol, &s->out, room, !t->bdat)) {
		t->dot_sent = 1;
		t->state = SDIAG_TXN_FINAL;
		s->body = NULL;
		if (t->bdat) {
			sdiag_transcript_addf(s->transcript, SDIAG_DIR_INFO, s->tls_active, "message: %zu bytes in the BDAT chunk", t->size);
			advance(s); /* the final reply is already awaited */
		} else {
			sdiag_transcript_add(s->transcript, SDIAG_DIR_CLIENT, s->tls_active, ".", 1);
			if (push(s, SDIAG_CMD_DOT, t, 0) == 0) {
				advance(s);
			}
		}
	}
}

static char *dup_text(const sdiag_reply_t *r)
{
	return sdiag_strdup(r->text.data ? r->text.data : "");
}

static sdiag_status_t on_txn_reply(sdiag_smtp_t *s, const sdiag_reply_t *r)
{
	sdiag_pending_t p;
	sdiag_txn_t *t;
	int ok = r->code / 100 == 2;
	if (!s->pend_len) {
		return fail_reply(s, "unexpected reply during a transaction", r);
	}
	p = s->pending[s->pend_head];
	s->pend_head = (s->pend_head + 1) % SDIAG_PENDING_MAX;
	s->pend_len--;
	t = p.txn;
	switch (p.cmd) {
		case SDIAG_CMD_MAIL:
			t->mail_code = r->code;
			sdiag_free(t->mail_text);
			t->mail_text = dup_text(r);
			if (ok) {
				t->mail_ok = 1;
				if (t->probe && t->nrcpt == 0) {
					envelope_decision(s, t);
				}
			} else if (t->state != SDIAG_TXN_FAILED) {
				txn_fail_reply(s, t, "the sender was rejected", r, SDIAG_PHASE_MAIL);
			}
			break;
		case SDIAG_CMD_RCPT: {
			sdiag_rcpt_t *rc = &t->rcpts[p.idx];
			rc->code = r->code;
			snprintf(rc->enhanced, sizeof(rc->enhanced), "%s", r->enhanced);
			sdiag_free(rc->text);
			rc->text = dup_text(r);
			t->replies++;
			if (ok) {
				t->accepted++;
			}
			if (t->replies == t->nrcpt && t->mail_ok) {
				envelope_decision(s, t);
			}
			break;
		}
		case SDIAG_CMD_DATA:
			t->data_code = r->code;
			t->t_data = sdiag_now_ms();
			if (r->code == 354) {
				if (t->state != SDIAG_TXN_ENVELOPE || t->accepted == 0) {
					/* a server that says "go ahead" with no valid recipient: ending DATA would
					 * send an empty message, so the connection is dropped instead */
					sdiag_error_set(s->err, SDIAG_CAT_PROTOCOL_ERROR, SDIAG_PHASE_DATA, "the server accepted DATA although no recipient was accepted");
					sdiag_smtp_fail(s);
					return SDIAG_ERR;
				}
				t->state = SDIAG_TXN_BODY;
				s->body = t;
				sdiag_transcript_addf(s->transcript, SDIAG_DIR_INFO, s->tls_active, "message: %zu bytes", t->size);
				sdiag_smtp_fill(s);
				return SDIAG_OK;
			}
			if (t->state == SDIAG_TXN_ENVELOPE) {
				if (t->accepted == 0 && t->nrcpt) {
					fail_recipients(s, t); /* DATA refused because no recipient was accepted */
				} else {
					txn_fail_reply(s, t, "DATA was refused", r, SDIAG_PHASE_DATA);
					if (t->mail_ok && send_cmd(s, "%s", "RSET") == SDIAG_OK) {
						push(s, SDIAG_CMD_RSET, t, 0);
					}
				}
			}
			break;
		case SDIAG_CMD_DOT:
			t->final_code = r->code;
			snprintf(t->final_enhanced, sizeof(t->final_enhanced), "%s", r->enhanced);
			sdiag_free(t->final_text);
			t->final_text = dup_text(r);
			t->t_final = sdiag_now_ms();
			if (ok) {
				sdiag_queue_id(t->final_text, t->queue_id, sizeof(t->queue_id));
				t->state = SDIAG_TXN_DONE;
				s->txn_done++;
			} else if (t->bdat && t->state != SDIAG_TXN_FAILED && (!t->mail_ok || (t->nrcpt && t->accepted == 0))) {
				/* BDAT went with the envelope: its refusal follows the envelope's */
				if (t->mail_ok) {
					fail_recipients(s, t);
				}
			} else if (t->state != SDIAG_TXN_FAILED) {
				txn_fail_reply(s, t, "the message was refused", r, SDIAG_PHASE_DATA);
			}
			break;
		case SDIAG_CMD_RSET:
			if (!ok) {
				return fail_reply(s, "RSET refused", r);
			}
			break;
	}
	advance(s);
	return SDIAG_OK;
}

/* ---- replies ---- */

static sdiag_status_t on_reply(sdiag_smtp_t *s, const sdiag_reply_t *r, size_t left)
{
	const char *text = r->text.data ? r->text.data : "";
	char line[400];
	s->last_activity = sdiag_now_ms();
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
				sdiag_error_set(s->err, SDIAG_CAT_SERVICE_UNAVAILABLE, SDIAG_PHASE_BANNER, "the server refused the session in its greeting: %d %s", r->code, one_line(r, line, sizeof(line)));
				sdiag_classify_reply_host(s->err, r->code, r->enhanced, text, SDIAG_PHASE_BANNER, s->cfg->host);
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
					oom(s);
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
			sdiag_error_set(s->err, SDIAG_CAT_TLS_ERROR, SDIAG_PHASE_STARTTLS, "the server refused STARTTLS: %d %s", r->code, one_line(r, line, sizeof(line)));
			s->err->smtp_code = r->code;
			snprintf(s->err->enhanced, sizeof(s->err->enhanced), "%s", r->enhanced);
			s->err->transient = r->code / 100 == 4;
			sdiag_error_hint(s->err, "The server offered STARTTLS but refused it%s; no plaintext fallback is made. Check the server's TLS configuration (certificate and key files) and its logs.",
				r->code / 100 == 4 ? " temporarily" : "");
			sdiag_smtp_fail(s);
			return SDIAG_ERR;
		case SDIAG_SMTP_AUTH:
			return on_auth_reply(s, r);
		case SDIAG_SMTP_TXN:
			return on_txn_reply(s, r);
		case SDIAG_SMTP_NOOP:
			if (r->code / 100 == 2) {
				sdiag_smtp_set_state(s, SDIAG_SMTP_READY);
				return SDIAG_OK;
			}
			return fail_reply(s, "NOOP refused", r);
		case SDIAG_SMTP_QUIT:
			sdiag_smtp_set_state(s, SDIAG_SMTP_CLOSED);
			return SDIAG_OK;
		case SDIAG_SMTP_READY:
			if (r->code == 421) {
				sdiag_error_set(s->err, SDIAG_CAT_SERVICE_UNAVAILABLE, SDIAG_PHASE_NONE, "the server is closing the connection: %d %s", r->code, one_line(r, line, sizeof(line)));
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
	if (s->state == SDIAG_SMTP_AUTH && len >= 4 && memcmp(line, "334", 3) == 0 &&
		(sdiag_sasl_is_oauth(s->sasl.mech) || s->sasl.mech == SDIAG_SASL_SCRAM_SHA_256)) {
		/* OAuth error payloads may echo the token; SCRAM messages are not for logs */
		char shown[32];
		snprintf(shown, sizeof(shown), "%.4s%s", line, SDIAG_REDACTED);
		sdiag_transcript_add(s->transcript, SDIAG_DIR_SERVER, s->tls_active, shown, strlen(shown));
		return;
	}
	if (s->state == SDIAG_SMTP_AUTH && s->auth_secrets[0]) {
		sdiag_buf_t clean;
		sdiag_buf_init(&clean, SDIAG_REPLY_MAX_LINE + 1024);
		scrub(s, line, len, &clean);
		sdiag_transcript_add(s->transcript, SDIAG_DIR_SERVER, s->tls_active, clean.data ? clean.data : "", clean.len);
		sdiag_buf_free(&clean);
		return;
	}
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

void sdiag_smtp_fail(sdiag_smtp_t *s)
{
	size_t i;
	wipe_auth(s);
	for (i = 0; s->txns && i < s->ntxns; i++) {
		sdiag_txn_t *t = s->txns[i];
		if (t->state == SDIAG_TXN_DONE || t->state == SDIAG_TXN_FAILED) {
			continue;
		}
		t->err = *s->err;
		t->state = SDIAG_TXN_FAILED;
		t->t_final = sdiag_now_ms();
		s->txn_done++;
		if (t->dot_sent) {
			t->delivery_unknown = 1;
			t->err.transient = 0;
			t->err.phase = SDIAG_PHASE_DATA;
			snprintf(t->err.hint, sizeof(t->err.hint), "%s",
				"The end of the message was sent but never answered: it may have been delivered. It is not sent again automatically, to avoid a duplicate; check the server's logs or the recipient's mailbox.");
		}
	}
	s->body = NULL;
	s->pend_len = 0;
	sdiag_smtp_set_state(s, SDIAG_SMTP_FAILED);
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

void sdiag_smtp_noop(sdiag_smtp_t *s)
{
	if (s->state != SDIAG_SMTP_READY) {
		return;
	}
	sdiag_smtp_set_state(s, SDIAG_SMTP_NOOP);
	send_cmd(s, "%s", "NOOP");
}
