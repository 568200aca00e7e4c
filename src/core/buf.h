/*
 * smtpdiag core: a growable byte buffer with a hard cap (after curl's dynbuf).
 * Every buffer in the core has a maximum size; appending past it fails with
 * SDIAG_BUF_TOO_BIG and leaves the contents unchanged.
 */
#ifndef SDIAG_BUF_H
#define SDIAG_BUF_H

#include <stddef.h>

typedef struct sdiag_buf {
	char *data;   /* always NUL-terminated when non-NULL */
	size_t len;
	size_t cap;   /* allocated */
	size_t max;   /* hard limit on len */
} sdiag_buf_t;

enum { SDIAG_BUF_OK = 0, SDIAG_BUF_NOMEM = -1, SDIAG_BUF_TOO_BIG = -2 };

void sdiag_buf_init(sdiag_buf_t *b, size_t max);
void sdiag_buf_free(sdiag_buf_t *b);
void sdiag_buf_reset(sdiag_buf_t *b);
int sdiag_buf_add(sdiag_buf_t *b, const void *data, size_t len);
int sdiag_buf_addstr(sdiag_buf_t *b, const char *s);
int sdiag_buf_addf(sdiag_buf_t *b, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
/* Drop the first n bytes. */
void sdiag_buf_consume(sdiag_buf_t *b, size_t n);
/* Overwrite the allocated bytes past len (left there by consume) with zeros. */
void sdiag_buf_wipe_spare(sdiag_buf_t *b);
/* Take ownership of the data (NUL-terminated, possibly NULL if empty). */
char *sdiag_buf_take(sdiag_buf_t *b);

#endif
