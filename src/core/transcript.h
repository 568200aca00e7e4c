/*
 * smtpdiag core: the session transcript. One entry per line sent or
 * received, with a timestamp relative to the session start, the direction and
 * whether it travelled inside TLS. Text is stored sanitised: valid UTF-8 with
 * control characters escaped, so it is safe to print and to json_encode().
 * Capped in entries and bytes; past the cap one "truncated" entry is kept.
 */
#ifndef SDIAG_TRANSCRIPT_H
#define SDIAG_TRANSCRIPT_H

#include <stddef.h>
#include "buf.h"

#define SDIAG_TRANSCRIPT_MAX_ENTRIES 20000
#define SDIAG_TRANSCRIPT_MAX_BYTES (1024 * 1024)
#define SDIAG_TRANSCRIPT_LINE_MAX 1000  /* longer lines are cut with a note */
/* Room kept free below the byte cap: one line fully escaped (4 bytes per
 * byte), its "[... N more bytes]" suffix and the final "truncated" note. */
#define SDIAG_TRANSCRIPT_RESERVE (SDIAG_TRANSCRIPT_LINE_MAX * 4 + 256)
#define SDIAG_REDACTED "[redacted]"      /* stands for every AUTH payload */

typedef enum sdiag_dir { SDIAG_DIR_CLIENT = 0, SDIAG_DIR_SERVER = 1, SDIAG_DIR_INFO = 2 } sdiag_dir_t;

typedef struct sdiag_tentry {
	double t;        /* ms since the transcript started */
	unsigned char dir;
	unsigned char tls;
	size_t off, len; /* into text */
} sdiag_tentry_t;

typedef struct sdiag_transcript {
	double start;    /* sdiag_now_ms() at the start */
	sdiag_tentry_t *entries;
	size_t n, cap;
	sdiag_buf_t text;
	int truncated;
} sdiag_transcript_t;

void sdiag_transcript_init(sdiag_transcript_t *t);
void sdiag_transcript_free(sdiag_transcript_t *t);
void sdiag_transcript_clear(sdiag_transcript_t *t);
/* Add one line; it is sanitised and cut at SDIAG_TRANSCRIPT_LINE_MAX. */
void sdiag_transcript_add(sdiag_transcript_t *t, sdiag_dir_t dir, int tls, const char *line, size_t len);
void sdiag_transcript_addf(sdiag_transcript_t *t, sdiag_dir_t dir, int tls, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
	__attribute__((format(printf, 4, 5)))
#endif
	;
static inline const char *sdiag_tentry_text(const sdiag_transcript_t *t, const sdiag_tentry_t *e)
{
	return t->text.data + e->off;
}
const char *sdiag_dir_name(sdiag_dir_t d);

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when invalid
 * (overlong forms, surrogates and code points past U+10FFFF included). */
size_t sdiag_utf8_len(const unsigned char *s, size_t n);
/* Append a sanitised copy of s to b (control characters and invalid UTF-8 escaped). */
int sdiag_sanitize(sdiag_buf_t *b, const char *s, size_t len);
/* The same, keeping line feeds (the lines of a multi-line reply). */
int sdiag_sanitize_lines(sdiag_buf_t *b, const char *s, size_t len);

/* The swaks-style text form: "<-" server, "->" client, "<~"/"~>" inside TLS, "===" info.
 * With times, each line starts with the time in ms. */
int sdiag_transcript_format_line(sdiag_buf_t *out, double t, sdiag_dir_t dir, int tls, const char *text, int with_time);
int sdiag_transcript_format(const sdiag_transcript_t *t, sdiag_buf_t *out, int with_time);

#endif
