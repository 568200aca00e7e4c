/*
 * smtpdiag glue: declarations shared by the files of src/php.
 * This layer turns PHP values into core calls and core results into PHP
 * values and exceptions; the work itself happens in src/core.
 */
#ifndef PHP_SMTPDIAG_INT_H
#define PHP_SMTPDIAG_INT_H

#include "php.h"
#include "../core/settings.h"
#include "../core/conn.h"
#include "../core/report.h"
#include "../core/txn.h"
#include "../core/msg.h"

extern zend_class_entry *smtpdiag_ce_Client;
extern zend_class_entry *smtpdiag_ce_SmtpDiagException;
extern zend_class_entry *smtpdiag_ce_ConnectionException;
extern zend_class_entry *smtpdiag_ce_TimeoutException;
extern zend_class_entry *smtpdiag_ce_TlsException;
extern zend_class_entry *smtpdiag_ce_AuthenticationException;
extern zend_class_entry *smtpdiag_ce_SenderException;
extern zend_class_entry *smtpdiag_ce_RecipientException;
extern zend_class_entry *smtpdiag_ce_MessageException;
extern zend_class_entry *smtpdiag_ce_ProtocolException;

extern zend_class_entry *smtpdiag_ce_SendResult;

/* SmtpDiag\Client: the core's configuration, loop, resolver and connection;
 * the password lives only here, in C memory. */
typedef struct php_smtpdiag_client {
	sdiag_config_t cfg;
	sdiag_loop_t loop;
	sdiag_resolver_t resolver;
	bool resolver_ready;
	bool constructed;
	sdiag_conn_t conn;
	zval logger;            /* PSR-3 logger or callable, or UNDEF */
	size_t log_pos;         /* transcript entries already given to the logger */
	unsigned sent_on_conn;  /* messages sent on the current connection */
	double last_message;    /* sdiag_now_ms() when the last message started (rate limit) */
	zend_object std;
} php_smtpdiag_client;

static inline php_smtpdiag_client *php_smtpdiag_client_from_obj(zend_object *obj)
{
	return (php_smtpdiag_client *)((char *)obj - XtOffsetOf(php_smtpdiag_client, std));
}

/* The client behind $this, or NULL with an Error thrown when it was never constructed. */
php_smtpdiag_client *php_smtpdiag_client_checked(zval *this_ptr);
/* Resolve, connect, greet, encrypt and authenticate, with the retries the
 * configuration allows within its timeout; logs, and throws on failure. */
zend_result php_smtpdiag_client_connect(php_smtpdiag_client *c);
/* One attempt of the same, without throwing: SDIAG_ERR with c->conn.err. */
sdiag_status_t php_smtpdiag_client_connect_once(php_smtpdiag_client *c);
/* After a failed attempt: whether to try again (then it has waited the
 * backoff, logged the retry and noted it in the transcript). */
bool php_smtpdiag_client_retry(php_smtpdiag_client *c, const sdiag_error_t *err, bool delivery_unknown, int attempt, double deadline);

void php_smtpdiag_register_classes(void);
void php_smtpdiag_client_init_handlers(zend_class_entry *ce);

/* Which argument a configuration error belongs to. */
typedef enum { PHP_SMTPDIAG_ARG_BOTH = 0, PHP_SMTPDIAG_ARG_TARGET = 1, PHP_SMTPDIAG_ARG_OPTIONS = 2 } php_smtpdiag_arg_t;

/*
 * Build and finalize a configuration from a DSN string or Laravel-style
 * array plus an options array. Option keys in skip (NULL-terminated list,
 * may be NULL) are left for the caller. On failure err is filled, *bad_arg
 * names the argument, and *type_error tells a TypeError from a ValueError.
 */
zend_result php_smtpdiag_config_build(sdiag_config_t *cfg, zval *target, HashTable *options, const char *const *skip,
	sdiag_error_t *err, php_smtpdiag_arg_t *bad_arg, bool *type_error);
/* The cloud this machine runs on ("Amazon EC2", ...), read at MINIT, or NULL. */
extern const char *php_smtpdiag_cloud;

/* The INI defaults (smtpdiag.default_timeout, .cafile, .dns_servers) for
 * what the options left unset. */
void php_smtpdiag_config_defaults(sdiag_config_t *cfg);
/* A report's "ok" and "status" from its steps: fail if one failed, else
 * warn if one warned. */
void php_smtpdiag_report_outcome(zval *report, zval *steps);
/* Throw the ValueError / TypeError for a configuration error. */
void php_smtpdiag_throw_config_error(const sdiag_error_t *err, php_smtpdiag_arg_t arg, bool type_error);

/* Text that came from a server or a certificate, made safe for terminals and
 * json_encode(): control characters and invalid UTF-8 escaped. */
zend_string *php_smtpdiag_text(const char *s, size_t len);
/* The same, keeping the line feeds of a multi-line reply. */
zend_string *php_smtpdiag_text_lines(const char *s, size_t len);
void php_smtpdiag_add_text(zval *arr, const char *key, const char *s);

/* The logger option: a PSR-3 logger or a callable (TypeError otherwise). */
zend_result php_smtpdiag_logger_parse(zval *value, zval *dst, uint32_t arg);
void php_smtpdiag_log(zval *logger, const char *level, zend_string *message, zval *context);
/* Transcript entries from *pos on, at debug level. */
void php_smtpdiag_log_transcript(zval *logger, const sdiag_transcript_t *t, size_t *pos);
/* A failure (or a retry) with its classification in the context. */
void php_smtpdiag_log_error(zval *logger, const char *level, const sdiag_error_t *err, const char *message, const sdiag_config_t *cfg, zval *exception);
/* Whether a failure may succeed if retried within seconds: 4xx replies,
 * refused or dropped connections, timeouts, never an unanswered end of data. */
bool php_smtpdiag_retryable(const sdiag_error_t *err, bool delivery_unknown);

/* Core results as PHP arrays. */
void php_smtpdiag_transcript_array(zval *out, const sdiag_transcript_t *t);
void php_smtpdiag_caps_array(zval *out, const sdiag_caps_t *caps);
void php_smtpdiag_tls_array(zval *out, const sdiag_tls_info_t *ti, const sdiag_conn_t *c);
void php_smtpdiag_error_array(zval *out, const sdiag_error_t *err);

/* The SmtpDiagException subclass for a classified core error, as an object
 * (message may override err->message), and thrown. */
void php_smtpdiag_exception(zval *out, const sdiag_error_t *err, const char *message, const sdiag_transcript_t *t);
void php_smtpdiag_throw(const sdiag_error_t *err, const sdiag_transcript_t *t);

#endif
