/* smtpdiag core: transcript. */
#include "transcript.h"
#include "compat.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void sdiag_transcript_init(sdiag_transcript_t *t)
{
	memset(t, 0, sizeof(*t));
	t->start = sdiag_now_ms();
	sdiag_buf_init(&t->text, SDIAG_TRANSCRIPT_MAX_BYTES);
}

void sdiag_transcript_free(sdiag_transcript_t *t)
{
	sdiag_free(t->entries);
	sdiag_buf_free(&t->text);
	t->entries = NULL;
	t->n = t->cap = 0;
}

void sdiag_transcript_clear(sdiag_transcript_t *t)
{
	t->n = 0;
	t->truncated = 0;
	sdiag_buf_reset(&t->text);
	t->start = sdiag_now_ms();
}

const char *sdiag_dir_name(sdiag_dir_t d)
{
	switch (d) {
		case SDIAG_DIR_CLIENT: return "client";
		case SDIAG_DIR_SERVER: return "server";
		default: return "info";
	}
}

size_t sdiag_utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t need, i;
	unsigned int cp;
	if (c < 0x80) {
		return 1;
	} else if (c >= 0xC2 && c <= 0xDF) {
		need = 2;
		cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 3;
		cp = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (n < need) {
		return 0;
	}
	for (i = 1; i < need; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			return 0;
		}
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if ((need == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (need == 4 && (cp < 0x10000 || cp > 0x10FFFF))) {
		return 0;
	}
	return need;
}

static int sanitize(sdiag_buf_t *b, const char *s, size_t len, int keep_lf);

int sdiag_sanitize(sdiag_buf_t *b, const char *s, size_t len)
{
	return sanitize(b, s, len, 0);
}

int sdiag_sanitize_lines(sdiag_buf_t *b, const char *s, size_t len)
{
	return sanitize(b, s, len, 1);
}

static int sanitize(sdiag_buf_t *b, const char *s, size_t len, int keep_lf)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	int r = SDIAG_BUF_OK;
	while (i < len && r == SDIAG_BUF_OK) {
		size_t run = i;
		/* copy printable runs at once */
		while (run < len && p[run] >= 0x20 && p[run] < 0x7F) {
			run++;
		}
		if (run > i) {
			r = sdiag_buf_add(b, s + i, run - i);
			i = run;
			continue;
		}
		if (p[i] == '\t' || (keep_lf && p[i] == '\n')) {
			r = sdiag_buf_add(b, s + i, 1);
			i++;
		} else if (p[i] >= 0x80) {
			size_t u = sdiag_utf8_len(p + i, len - i);
			if (u == 2 && p[i] == 0xC2 && p[i + 1] < 0xA0) {
				/* C1 controls (U+0080..U+009F): an 8-bit CSI would drive a terminal */
				r = sdiag_buf_addf(b, "\\u%04X", p[i + 1]);
				i += 2;
			} else if (u) {
				r = sdiag_buf_add(b, s + i, u);
				i += u;
			} else {
				r = sdiag_buf_addf(b, "\\x%02X", p[i]);
				i++;
			}
		} else {
			r = sdiag_buf_addf(b, "\\x%02X", p[i]);
			i++;
		}
	}
	return r;
}

void sdiag_transcript_add(sdiag_transcript_t *t, sdiag_dir_t dir, int tls, const char *line, size_t len)
{
	size_t off = t->text.len;
	size_t cut = len > SDIAG_TRANSCRIPT_LINE_MAX ? SDIAG_TRANSCRIPT_LINE_MAX : len;
	sdiag_tentry_t *e;
	if (t->truncated) {
		return;
	}
	if (t->n + 1 >= SDIAG_TRANSCRIPT_MAX_ENTRIES || t->text.len + SDIAG_TRANSCRIPT_RESERVE > t->text.max) {
		static const char note[] = "transcript truncated: size limit reached";
		t->truncated = 1;
		dir = SDIAG_DIR_INFO;
		line = note;
		len = cut = sizeof(note) - 1;
	}
	if (t->n == t->cap) {
		size_t ncap = t->cap ? t->cap * 2 : 32;
		sdiag_tentry_t *ne = sdiag_realloc(t->entries, ncap * sizeof(*ne));
		if (!ne) {
			return;
		}
		t->entries = ne;
		t->cap = ncap;
	}
	if (sdiag_sanitize(&t->text, line, cut) != SDIAG_BUF_OK ||
		(cut < len && sdiag_buf_addf(&t->text, " [... %zu more bytes]", len - cut) != SDIAG_BUF_OK) ||
		sdiag_buf_add(&t->text, "", 1) != SDIAG_BUF_OK) {
		t->text.len = off;
		return;
	}
	e = &t->entries[t->n++];
	e->t = sdiag_now_ms() - t->start;
	e->dir = (unsigned char)dir;
	e->tls = tls ? 1 : 0;
	e->off = off;
	e->len = t->text.len - off - 1;
}

void sdiag_transcript_addf(sdiag_transcript_t *t, sdiag_dir_t dir, int tls, const char *fmt, ...)
{
	char line[SDIAG_TRANSCRIPT_LINE_MAX + 1];
	va_list ap;
	int n;
	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0) {
		return;
	}
	sdiag_transcript_add(t, dir, tls, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

int sdiag_transcript_format_line(sdiag_buf_t *out, double t, sdiag_dir_t dir, int tls, const char *text, int with_time)
{
	const char *mark;
	if (dir == SDIAG_DIR_INFO) {
		mark = "===";
	} else if (dir == SDIAG_DIR_SERVER) {
		mark = tls ? "<~ " : "<- ";
	} else {
		mark = tls ? " ~>" : " ->";
	}
	if (with_time && sdiag_buf_addf(out, "[%9.3f] ", t) != SDIAG_BUF_OK) {
		return -1;
	}
	return sdiag_buf_addf(out, "%s %s\n", mark, text) == SDIAG_BUF_OK ? 0 : -1;
}

int sdiag_transcript_format(const sdiag_transcript_t *t, sdiag_buf_t *out, int with_time)
{
	size_t i;
	for (i = 0; i < t->n; i++) {
		const sdiag_tentry_t *e = &t->entries[i];
		if (sdiag_transcript_format_line(out, e->t, (sdiag_dir_t)e->dir, e->tls, sdiag_tentry_text(t, e), with_time) < 0) {
			return -1;
		}
	}
	return 0;
}
