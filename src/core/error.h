/*
 * smtpdiag core: status codes, the fixed category vocabulary, phases,
 * and the one error record every core call fills in on failure.
 */
#ifndef SDIAG_ERROR_H
#define SDIAG_ERROR_H

#include <stddef.h>

typedef enum sdiag_status {
	SDIAG_OK = 0,
	SDIAG_AGAIN = 1,      /* would block: wait for the socket */
	SDIAG_ERR = -1,       /* failure described by the error record */
	SDIAG_ENOMEM = -2
} sdiag_status_t;

/* The SPEC's fixed vocabulary; keep in step with sdiag_category_name(). */
typedef enum sdiag_category {
	SDIAG_CAT_NONE = 0,
	SDIAG_CAT_CONFIG_INVALID,
	SDIAG_CAT_DNS_ERROR,
	SDIAG_CAT_CONNECTION_REFUSED,
	SDIAG_CAT_CONNECTION_TIMEOUT,
	SDIAG_CAT_CONNECTION_LOST,
	SDIAG_CAT_TIMEOUT,
	SDIAG_CAT_TLS_ERROR,
	SDIAG_CAT_TLS_CERTIFICATE,
	SDIAG_CAT_TLS_REQUIRED,
	SDIAG_CAT_PROTOCOL_ERROR,
	SDIAG_CAT_AUTH_FAILED,
	SDIAG_CAT_AUTH_REQUIRED,
	SDIAG_CAT_AUTH_UNSUPPORTED,
	SDIAG_CAT_MAILBOX_UNAVAILABLE,
	SDIAG_CAT_MAILBOX_NAME_INVALID,
	SDIAG_CAT_MAILBOX_FULL,
	SDIAG_CAT_SENDER_REJECTED,
	SDIAG_CAT_RELAY_DENIED,
	SDIAG_CAT_RATE_LIMITED,
	SDIAG_CAT_SPAM_OR_POLICY,
	SDIAG_CAT_MESSAGE_TOO_LARGE,
	SDIAG_CAT_GREYLISTED,
	SDIAG_CAT_TEMPORARY_LOCAL_ERROR,
	SDIAG_CAT_SERVICE_UNAVAILABLE,
	SDIAG_CAT_SYNTAX_ERROR,
	SDIAG_CAT_OTHER,
	SDIAG_CAT__COUNT
} sdiag_category_t;

/* Where in the session a failure happened. */
typedef enum sdiag_phase {
	SDIAG_PHASE_NONE = 0,
	SDIAG_PHASE_CONFIG,
	SDIAG_PHASE_DNS,
	SDIAG_PHASE_CONNECT,
	SDIAG_PHASE_BANNER,
	SDIAG_PHASE_EHLO,
	SDIAG_PHASE_STARTTLS,
	SDIAG_PHASE_TLS,
	SDIAG_PHASE_AUTH,
	SDIAG_PHASE_MAIL,
	SDIAG_PHASE_RCPT,
	SDIAG_PHASE_DATA,
	SDIAG_PHASE_QUIT,
	SDIAG_PHASE__COUNT
} sdiag_phase_t;

#define SDIAG_MSG_MAX 512
#define SDIAG_HINT_MAX 512

typedef struct sdiag_error {
	sdiag_category_t category;    /* SDIAG_CAT_NONE: no error */
	sdiag_phase_t phase;
	int smtp_code;                /* 0 when none */
	char enhanced[16];            /* RFC 3463 "5.7.8", "" when none */
	int transient;
	int sys_errno;                /* 0 when none */
	unsigned long tls_error;      /* OpenSSL error code, 0 when none */
	char message[SDIAG_MSG_MAX];  /* what happened, for people */
	char hint[SDIAG_HINT_MAX];    /* what to do about it */
	char matched[96];             /* the classifier rule that decided, "" when none */
} sdiag_error_t;

const char *sdiag_category_name(sdiag_category_t c);
/* The category's generic hint; never NULL for a real category. */
const char *sdiag_category_hint(sdiag_category_t c);
/* Whether a category is transient when nothing more specific is known. */
int sdiag_category_transient(sdiag_category_t c);
const char *sdiag_phase_name(sdiag_phase_t p);

void sdiag_error_clear(sdiag_error_t *e);
/* Set category, phase and a formatted message; the hint defaults to the
 * category's and transient to the category's default. Returns SDIAG_ERR. */
sdiag_status_t sdiag_error_set(sdiag_error_t *e, sdiag_category_t c, sdiag_phase_t p, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
	__attribute__((format(printf, 4, 5)))
#endif
	;
void sdiag_error_hint(sdiag_error_t *e, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

#endif
