/*
 * Fuzz target: the sans-I/O SMTP engine (src/core/smtp.c) as a fake server.
 * Byte 0: bits 0-1 the encryption (none, starttls, implicit, auto), bit 2
 * QUIT once READY, bit 3 end with EOF. Byte 1 seeds the chunking. The rest
 * is what the server sends. When the engine asks for the TLS handshake the
 * harness completes it at once (the driver would) and drops the rest of
 * that read, as the driver does.
 *
 * Invariants: only whole CRLF-terminated commands of the engine's own
 * vocabulary reach the wire, never a bare CR or LF; STARTTLS or implicit TLS
 * is never silently skipped; a failure always carries an error record; the
 * transcript stays clean.
 */
#include "fuzz_common.h"
#include "smtp.h"

#include <string.h>

static void check_out(sdiag_smtp_t *s)
{
	const char *p = s->out.data;
	size_t n = s->out.len, i = 0;
	while (i < n) {
		const char *crlf = NULL;
		size_t k;
		for (k = i; k + 1 < n; k++) {
			if (p[k] == '\r' && p[k + 1] == '\n') {
				crlf = p + k;
				break;
			}
		}
		FUZZ_ASSERT(crlf != NULL);
		for (k = i; p + k < crlf; k++) {
			FUZZ_ASSERT(p[k] != '\r' && p[k] != '\n' && p[k] != '\0');
		}
		FUZZ_ASSERT(strncmp(p + i, "EHLO ", 5) == 0 || strncmp(p + i, "HELO ", 5) == 0 || (size_t)(crlf - p - i) == 8 || (size_t)(crlf - p - i) == 4);
		if ((size_t)(crlf - p - i) == 8) {
			FUZZ_ASSERT(strncmp(p + i, "STARTTLS", 8) == 0);
		} else if ((size_t)(crlf - p - i) == 4) {
			FUZZ_ASSERT(strncmp(p + i, "QUIT", 4) == 0);
		}
		i = (size_t)(crlf - p) + 2;
	}
	sdiag_buf_reset(&s->out);
}

static void check_state(const sdiag_smtp_t *s, const sdiag_config_t *cfg, const sdiag_error_t *err)
{
	FUZZ_ASSERT(s->state >= SDIAG_SMTP_IDLE && s->state < SDIAG_SMTP__COUNT);
	if (s->state == SDIAG_SMTP_READY || s->state == SDIAG_SMTP_QUIT) {
		/* required TLS is never skipped */
		if (cfg->encryption == SDIAG_ENC_STARTTLS || cfg->encryption == SDIAG_ENC_IMPLICIT) {
			FUZZ_ASSERT(s->tls_active);
		}
		if (cfg->encryption == SDIAG_ENC_AUTO && !s->tls_active) {
			FUZZ_ASSERT(s->tls_skipped);
		}
		FUZZ_ASSERT(err->category == SDIAG_CAT_NONE);
	}
	if (s->state == SDIAG_SMTP_FAILED) {
		FUZZ_ASSERT(err->category != SDIAG_CAT_NONE);
		FUZZ_ASSERT(err->message[0] != '\0');
		FUZZ_ASSERT(err->hint[0] != '\0');
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const sdiag_encryption_t encs[] = {SDIAG_ENC_NONE, SDIAG_ENC_STARTTLS, SDIAG_ENC_IMPLICIT, SDIAG_ENC_AUTO};
	sdiag_config_t cfg;
	sdiag_transcript_t tr;
	sdiag_error_t err;
	sdiag_smtp_t s;
	fuzz_rng_t rng;
	const char *d;
	size_t len, off = 0, i, handshakes = 0, maxchunk;
	uint8_t mode;
	if (size < 2) {
		return 0;
	}
	mode = data[0];
	rng.s = 0xC0FFEEu + data[1];
	maxchunk = (size_t)(data[1] % 48) + 1;
	d = (const char *)data + 2;
	len = size - 2;

	sdiag_config_init(&cfg);
	sdiag_config_set(&cfg, "host", "mx.example.com", &err);
	cfg.encryption = encs[mode & 3];
	cfg.port = cfg.encryption == SDIAG_ENC_IMPLICIT ? 465 : 587;
	sdiag_transcript_init(&tr);
	sdiag_error_clear(&err);
	sdiag_smtp_init(&s, &cfg, &tr, &err);
	snprintf(s.helo, sizeof(s.helo), "fuzz.example");
	sdiag_smtp_start(&s, cfg.encryption == SDIAG_ENC_IMPLICIT);

	while (off < len) {
		size_t n = 1 + fuzz_next(&rng) % maxchunk;
		sdiag_status_t st;
		sdiag_smtp_state_t before = s.state;
		if (n > len - off) {
			n = len - off;
		}
		st = sdiag_smtp_feed(&s, d + off, n);
		off += n;
		FUZZ_ASSERT(st == SDIAG_OK || s.state == SDIAG_SMTP_FAILED);
		FUZZ_ASSERT(st == SDIAG_ERR || s.state != SDIAG_SMTP_FAILED || before == SDIAG_SMTP_FAILED);
		check_state(&s, &cfg, &err);
		if (s.state == SDIAG_SMTP_TLS_HANDSHAKE) {
			FUZZ_ASSERT(cfg.encryption == SDIAG_ENC_STARTTLS || cfg.encryption == SDIAG_ENC_AUTO);
			FUZZ_ASSERT(!s.tls_active);
			FUZZ_ASSERT(!sdiag_reply_parser_pending(&s.parser));
			check_out(&s);
			sdiag_smtp_tls_ready(&s);
			handshakes++;
			FUZZ_ASSERT(handshakes == 1);
		}
		if (s.state == SDIAG_SMTP_READY && (mode & 4)) {
			sdiag_smtp_quit(&s);
			FUZZ_ASSERT(s.state == SDIAG_SMTP_QUIT);
		}
		check_out(&s);
		if (s.state == SDIAG_SMTP_FAILED || s.state == SDIAG_SMTP_CLOSED) {
			/* later bytes change nothing */
			sdiag_smtp_state_t end = s.state;
			sdiag_smtp_feed(&s, d + off, len - off);
			FUZZ_ASSERT(s.state == end);
			FUZZ_ASSERT(s.out.len == 0);
			break;
		}
	}
	if (mode & 8) {
		sdiag_smtp_eof(&s);
		FUZZ_ASSERT(s.state == SDIAG_SMTP_FAILED || s.state == SDIAG_SMTP_CLOSED);
		check_state(&s, &cfg, &err);
	}
	for (i = 0; i < tr.n; i++) {
		FUZZ_ASSERT(clean_text(sdiag_tentry_text(&tr, &tr.entries[i]), tr.entries[i].len));
	}
	(void)sdiag_smtp_phase(&s);
	(void)sdiag_smtp_waiting(&s);
	sdiag_smtp_free(&s);
	sdiag_transcript_free(&tr);
	sdiag_config_free(&cfg);
	return 0;
}
