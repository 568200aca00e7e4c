/*
 * smtpdiag core: one mail transaction (MAIL FROM, RCPT TO..., DATA, the
 * message, the final reply) and the message body encoder: line endings
 * normalised to CRLF (a bare CR or LF never reaches the wire, so no SMTP
 * smuggling), dot-stuffing, the terminating dot, in one streaming pass with
 * no copy of the whole message.
 */
#ifndef SDIAG_TXN_H
#define SDIAG_TXN_H

#include <stddef.h>
#include "buf.h"
#include "error.h"

#define SDIAG_RCPT_MAX 1000
#define SDIAG_ADDR_MAX 254   /* RFC 5321 section 4.5.3.1.3: a path of 256 octets with "<" and ">" */

typedef struct sdiag_rcpt {
	const char *addr;        /* owned by the caller */
	size_t len;
	int code;                /* 0: no reply yet */
	char enhanced[16];
	char *text;
} sdiag_rcpt_t;

typedef enum sdiag_txn_state {
	SDIAG_TXN_NEW = 0,
	SDIAG_TXN_ENVELOPE,      /* commands sent, replies arriving */
	SDIAG_TXN_BODY,          /* 354 received: the message is being written */
	SDIAG_TXN_FINAL,         /* the dot was sent: waiting for the final reply */
	SDIAG_TXN_DONE,          /* accepted (final 2xx) */
	SDIAG_TXN_FAILED
} sdiag_txn_state_t;

typedef struct sdiag_txn {
	/* input (pointers owned by the caller) */
	const char *from;
	size_t fromlen;
	sdiag_rcpt_t *rcpts;
	size_t nrcpt;
	const char *msg;
	size_t msglen;
	int partial;             /* deliver to the accepted recipients when some are rejected */
	int probe;               /* test the envelope only: MAIL and RCPT, then RSET, nothing sent */
	const char *dsn_notify;  /* "SUCCESS,FAILURE" etc. or NULL */
	const char *dsn_ret;     /* "FULL" / "HDRS" or NULL */
	const char *dsn_envid;
	int dsn_orcpt;
	/* measured */
	size_t size;             /* normalised size, without dot-stuffing (RFC 1870) */
	int eightbit;
	int utf8_addrs;
	/* progress */
	sdiag_txn_state_t state;
	size_t next_cmd;         /* 0 MAIL, 1..nrcpt RCPT, nrcpt+1 DATA, beyond: envelope sent */
	size_t replies;          /* RCPT replies received */
	size_t accepted;
	int mail_ok;
	int data_sent;
	size_t body_pos;
	int body_bol;
	int dot_sent;            /* the end of data (the dot, or the BDAT LAST chunk) is queued */
	int bdat;                /* sent with BDAT (RFC 3030 CHUNKING) */
	int delivery_unknown;    /* the dot was sent but never answered */
	/* results */
	int mail_code;
	char *mail_text;
	int data_code;
	int final_code;
	char final_enhanced[16];
	char *final_text;
	char queue_id[128];
	sdiag_error_t err;
	double t_start, t_data, t_final;
} sdiag_txn_t;

/* Prepare: measure the message (size, 8-bit), check the addresses. */
void sdiag_txn_init(sdiag_txn_t *t);
void sdiag_txn_free(sdiag_txn_t *t);
/* Forget progress and results, keep the input: ready for another attempt. */
void sdiag_txn_reset(sdiag_txn_t *t);
void sdiag_txn_measure(sdiag_txn_t *t);
/* Whether an address is acceptable on the wire (no CR, LF, NUL, < >, length). */
int sdiag_addr_valid(const char *a, size_t len);
int sdiag_addr_ascii(const char *a, size_t len);
/* Append the next encoded piece of the message (up to max bytes) to out;
 * returns 1 when it is complete. For DATA (dot) the lines are dot-stuffed
 * and the terminating ".\r\n" follows; for BDAT the bytes are only
 * normalised, exactly t->size of them. */
int sdiag_body_encode(const char *msg, size_t len, size_t *pos, int *bol, sdiag_buf_t *out, size_t max, int dot);
/* Parse the queue id from a final 250 reply of common servers. */
void sdiag_queue_id(const char *text, char *out, size_t outlen);

#endif
