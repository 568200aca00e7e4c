/*
 * smtpdiag core: a minimal, correct RFC 5322 text message for "send a test
 * email": Date, Message-ID, From, To, Subject (RFC 2047 when not ASCII),
 * MIME-Version and a UTF-8 text/plain body (quoted-printable when not plain
 * 7-bit), lines folded and ended with CRLF.
 */
#ifndef SDIAG_MSG_H
#define SDIAG_MSG_H

#include <stddef.h>
#include "buf.h"
#include "error.h"

typedef struct sdiag_text_msg {
	const char *from;          /* address */
	const char *from_name;     /* display name or NULL */
	const char *const *to;     /* addresses */
	size_t nto;
	const char *subject;
	const char *text;
	size_t textlen;
	double date_ms;            /* wall clock, ms since the epoch */
	const char *user_agent;
} sdiag_text_msg_t;

/* Whether s[0..len) is valid UTF-8. */
int sdiag_utf8_valid(const char *s, size_t len);
/* Build the message into out. Fails (config_invalid) on CR/LF in a header
 * value or on text that is not UTF-8. */
sdiag_status_t sdiag_msg_build_text(const sdiag_text_msg_t *m, sdiag_buf_t *out, sdiag_error_t *err);

#endif
