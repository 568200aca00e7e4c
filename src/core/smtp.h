/*
 * smtpdiag core: the SMTP session engine, without I/O.
 *
 * The driver feeds it the bytes it received (sdiag_smtp_feed) and writes out
 * what it queued (s->out), refilling the message body with sdiag_smtp_fill()
 * as the socket drains. The engine is an explicit state machine; every state
 * change goes through sdiag_smtp_set_state(), which records the time each
 * state was entered and calls the optional trace hook. When the state becomes
 * SDIAG_SMTP_TLS_HANDSHAKE the driver runs the TLS handshake and then calls
 * sdiag_smtp_tls_ready().
 *
 * Commands are queued with the reply each one expects (a FIFO), so a
 * pipelined group (RFC 2920) is one write and its replies are matched in
 * order; with a batch of transactions the next envelope follows the previous
 * end-of-data in the same write.
 */
#ifndef SDIAG_SMTP_H
#define SDIAG_SMTP_H

#include "buf.h"
#include "settings.h"
#include "ehlo.h"
#include "error.h"
#include "reply.h"
#include "sasl.h"
#include "transcript.h"
#include "txn.h"

typedef enum sdiag_smtp_state {
	SDIAG_SMTP_IDLE = 0,
	SDIAG_SMTP_BANNER,         /* waiting for the greeting */
	SDIAG_SMTP_EHLO,           /* EHLO sent */
	SDIAG_SMTP_HELO,           /* HELO sent after EHLO was refused */
	SDIAG_SMTP_STARTTLS,       /* STARTTLS sent */
	SDIAG_SMTP_TLS_HANDSHAKE,  /* the driver runs the handshake */
	SDIAG_SMTP_AUTH,           /* AUTH exchange */
	SDIAG_SMTP_READY,          /* greeted, encrypted and authenticated as asked: idle */
	SDIAG_SMTP_TXN,            /* mail transactions in progress */
	SDIAG_SMTP_NOOP,           /* NOOP sent (liveness check) */
	SDIAG_SMTP_QUIT,           /* QUIT sent */
	SDIAG_SMTP_CLOSED,
	SDIAG_SMTP_FAILED,
	SDIAG_SMTP__COUNT
} sdiag_smtp_state_t;

typedef enum sdiag_cmd {
	SDIAG_CMD_MAIL = 0,
	SDIAG_CMD_RCPT,
	SDIAG_CMD_DATA,
	SDIAG_CMD_DOT,
	SDIAG_CMD_RSET
} sdiag_cmd_t;

#define SDIAG_OUT_MAX (1024 * 1024)
#define SDIAG_EXT_SIZE 1u
#define SDIAG_EXT_8BITMIME 2u
#define SDIAG_EXT_DSN 4u
#define SDIAG_BODY_CHUNK (256 * 1024)
#define SDIAG_PENDING_MAX (2 * SDIAG_RCPT_MAX + 16)

typedef struct sdiag_pending {
	sdiag_cmd_t cmd;
	sdiag_txn_t *txn;
	size_t idx;                         /* recipient index for RCPT */
} sdiag_pending_t;

typedef struct sdiag_smtp {
	sdiag_smtp_state_t state;
	double entered[SDIAG_SMTP__COUNT];  /* sdiag_now_ms() when each state was last entered */
	const sdiag_config_t *cfg;
	char helo[300];                     /* the name we greet with */
	sdiag_reply_parser_t parser;
	sdiag_buf_t out;                    /* bytes queued for the server */
	sdiag_caps_t caps;
	sdiag_transcript_t *transcript;
	sdiag_error_t *err;
	int tls_active;
	int tls_skipped;                    /* auto mode, STARTTLS not offered */
	int helo_fallback;                  /* EHLO refused, HELO used */
	int starttls_offered;               /* in the plaintext EHLO */
	size_t injected;                    /* bytes discarded after "220" to STARTTLS */
	int banner_code;
	char *banner;                       /* text of the greeting */
	/* AUTH */
	sdiag_sasl_t sasl;
	int authenticated;
	char *auth_secrets[6];              /* password and payloads sent: scrubbed from server text */
	char auth_offered[256];
	char auth_reason[256];
	/* transactions */
	sdiag_txn_t **txns;                 /* the batch, owned by the caller */
	size_t ntxns;
	size_t txn_cur;                     /* the transaction whose commands are being sent */
	size_t txn_done;                    /* transactions finished */
	sdiag_pending_t pending[SDIAG_PENDING_MAX];
	size_t pend_head, pend_len;
	sdiag_txn_t *body;                  /* the transaction whose message is being written */
	int pipelining;
	int chunking;                       /* BDAT (RFC 3030) for the batch */
	unsigned ext;                       /* SDIAG_EXT_* the server offers, for the batch */
	double last_activity;               /* sdiag_now_ms() of the last reply */
	void (*trace)(void *ud, sdiag_smtp_state_t from, sdiag_smtp_state_t to);
	void *trace_ud;
} sdiag_smtp_t;

void sdiag_smtp_init(sdiag_smtp_t *s, const sdiag_config_t *cfg, sdiag_transcript_t *t, sdiag_error_t *err);
void sdiag_smtp_free(sdiag_smtp_t *s);
/* Back to IDLE for a new connection (keeps config, transcript, error). */
void sdiag_smtp_reset(sdiag_smtp_t *s);
const char *sdiag_smtp_state_name(sdiag_smtp_state_t st);
void sdiag_smtp_set_state(sdiag_smtp_t *s, sdiag_smtp_state_t to);

/* The transport is up (plaintext, or TLS for implicit mode): expect the banner. */
void sdiag_smtp_start(sdiag_smtp_t *s, int tls_active);
/* Bytes from the server. Returns SDIAG_OK, or SDIAG_ERR with the state FAILED. */
sdiag_status_t sdiag_smtp_feed(sdiag_smtp_t *s, const char *data, size_t len);
/* The STARTTLS handshake completed: EHLO again. */
void sdiag_smtp_tls_ready(sdiag_smtp_t *s);
/* The server closed the connection. */
void sdiag_smtp_eof(sdiag_smtp_t *s);
/* Queue QUIT (from READY). */
void sdiag_smtp_quit(sdiag_smtp_t *s);
/* Queue NOOP (from READY) to check that the server still answers. */
void sdiag_smtp_noop(sdiag_smtp_t *s);
/* Start a batch of transactions (from READY). Each that cannot be sent at all
 * (too large, needs an extension the server lacks) fails at once. */
void sdiag_smtp_send(sdiag_smtp_t *s, sdiag_txn_t **txns, size_t n);
/* Append more of the message being written to s->out; call when s->out is
 * short and sdiag_smtp_wants_fill() says so. */
void sdiag_smtp_fill(sdiag_smtp_t *s);
int sdiag_smtp_wants_fill(const sdiag_smtp_t *s);
/* The phase the engine is in, for timeouts and errors. */
sdiag_phase_t sdiag_smtp_phase(const sdiag_smtp_t *s);
/* The command whose reply comes next in a transaction, -1 when none. */
int sdiag_smtp_next_reply(const sdiag_smtp_t *s);
/* Whether the engine waits for a reply from the server. */
int sdiag_smtp_waiting(const sdiag_smtp_t *s);
/* Fail with an error set by the caller (driver): state FAILED; transactions
 * in flight fail with it (one whose end-of-data was sent is marked as of
 * unknown delivery state). */
void sdiag_smtp_fail(sdiag_smtp_t *s);

#endif
