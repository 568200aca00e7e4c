/*
 * smtpdiag core: SMTP reply parser (RFC 5321 section 4.2, RFC 3463 codes).
 *
 * Feed it bytes; it returns one complete (possibly multi-line) reply at a time,
 * or "need more". It never reads past the end of the reply it returns, so the
 * caller knows exactly which bytes followed it (STARTTLS injection detection).
 * Every dimension is capped: line length, lines per reply, bytes per reply.
 */
#ifndef SDIAG_REPLY_H
#define SDIAG_REPLY_H

#include <stddef.h>
#include "buf.h"

#define SDIAG_REPLY_MAX_LINE 4096      /* RFC 5321 says 512; real servers exceed it */
#define SDIAG_REPLY_MAX_LINES 256
#define SDIAG_REPLY_MAX_BYTES (64 * 1024)

typedef enum sdiag_reply_result {
	SDIAG_REPLY_NEED_MORE = 0,
	SDIAG_REPLY_DONE = 1,
	SDIAG_REPLY_ERROR = -1,
	SDIAG_REPLY_NOMEM = -2
} sdiag_reply_result_t;

typedef struct sdiag_reply {
	int code;               /* 200..599 */
	char enhanced[16];      /* "5.7.8" or "" */
	size_t nlines;
	sdiag_buf_t text;       /* lines after "NNN-"/"NNN ", joined by '\n', CR stripped */
} sdiag_reply_t;

typedef struct sdiag_reply_parser {
	sdiag_buf_t line;       /* the current partial line */
	sdiag_reply_t reply;    /* the reply being assembled / the last one returned */
	size_t reply_bytes;
	int in_reply;
	char error[128];        /* why the last SDIAG_REPLY_ERROR happened */
} sdiag_reply_parser_t;

void sdiag_reply_parser_init(sdiag_reply_parser_t *p);
void sdiag_reply_parser_free(sdiag_reply_parser_t *p);
/* Forget any partial line or reply (e.g. before a TLS handshake). */
void sdiag_reply_parser_reset(sdiag_reply_parser_t *p);
/* Whether bytes of an unfinished line or reply are buffered. */
int sdiag_reply_parser_pending(const sdiag_reply_parser_t *p);

/*
 * Consume bytes from data[0..len). *consumed is set to the number of bytes used.
 * On SDIAG_REPLY_DONE, p->reply holds the reply until the next call; bytes
 * after *consumed belong to whatever follows. Each line of the reply is also
 * reported through on_line (may be NULL) as it completes, raw without CRLF.
 */
sdiag_reply_result_t sdiag_reply_parser_feed(sdiag_reply_parser_t *p, const char *data, size_t len, size_t *consumed,
	void (*on_line)(void *ud, const char *line, size_t len), void *ud);

/* Parse an RFC 3463 enhanced status code at the start of s ("5.7.8 ..."),
 * whose class must match the reply code's first digit; writes it to out
 * (16 bytes) and returns its length, or 0 when there is none. */
size_t sdiag_parse_enhanced(const char *s, size_t len, int code, char *out);

/*
 * Parse a complete reply given as text (for smtpdiag_classify()): lines
 * separated by CRLF or LF. Returns SDIAG_REPLY_DONE on success.
 */
sdiag_reply_result_t sdiag_reply_parse_text(sdiag_reply_parser_t *p, const char *text, size_t len);

#endif
