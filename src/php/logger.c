/*
 * smtpdiag glue: the logger option. A PSR-3 logger (any object with a
 * log($level, $message, $context) method, so no dependency) or a callable
 * receives structured events: transcript lines at debug, a message sent at
 * info, a retry at warning, a failure at error with its classification in the
 * context. Events are delivered after the operation that produced them, never
 * from inside the event loop, so a logger can do anything, even use the
 * client. Everything passed on is already redacted.
 */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
#include "zend_exceptions.h"
#include "zend_interfaces.h"
#include "php_smtpdiag_int.h"

zend_result php_smtpdiag_logger_parse(zval *value, zval *dst, uint32_t arg)
{
	ZVAL_DEREF(value);
	ZVAL_UNDEF(dst);
	if (Z_TYPE_P(value) == IS_NULL) {
		return SUCCESS;
	}
	if (Z_TYPE_P(value) == IS_OBJECT && zend_hash_str_exists(&Z_OBJCE_P(value)->function_table, "log", sizeof("log") - 1)) {
		ZVAL_COPY(dst, value);
		return SUCCESS;
	}
	if (zend_is_callable(value, 0, NULL)) {
		ZVAL_COPY(dst, value);
		return SUCCESS;
	}
	zend_argument_type_error(arg, "option \"logger\" must be a PSR-3 logger (an object with a log() method) or a callable, %s given", zend_zval_type_name(value));
	return FAILURE;
}

void php_smtpdiag_log(zval *logger, const char *level, zend_string *message, zval *context)
{
	zval args[3], rv;
	if (Z_ISUNDEF_P(logger) || EG(exception)) {
		return;
	}
	ZVAL_STRING(&args[0], level);
	ZVAL_STR_COPY(&args[1], message);
	ZVAL_COPY(&args[2], context);
	ZVAL_UNDEF(&rv);
	if (Z_TYPE_P(logger) == IS_OBJECT && zend_hash_str_exists(&Z_OBJCE_P(logger)->function_table, "log", sizeof("log") - 1)) {
		zend_string *name = zend_string_init("log", sizeof("log") - 1, 0);
		zend_call_method_if_exists(Z_OBJ_P(logger), name, &rv, 3, args);
		zend_string_release(name);
	} else {
		call_user_function(NULL, NULL, logger, &rv, 3, args);
	}
	zval_ptr_dtor(&rv);
	zval_ptr_dtor(&args[0]);
	zval_ptr_dtor(&args[1]);
	zval_ptr_dtor(&args[2]);
}

void php_smtpdiag_log_transcript(zval *logger, const sdiag_transcript_t *t, size_t *pos)
{
	size_t i;
	if (Z_ISUNDEF_P(logger)) {
		*pos = t->n;
		return;
	}
	if (*pos > t->n) {
		*pos = 0; /* the transcript was cleared since */
	}
	for (i = *pos; i < t->n && !EG(exception); i++) {
		const sdiag_tentry_t *e = &t->entries[i];
		sdiag_buf_t line;
		zval ctx;
		zend_string *msg;
		sdiag_buf_init(&line, SDIAG_TRANSCRIPT_LINE_MAX * 4 + 64);
		sdiag_transcript_format_line(&line, e->t, (sdiag_dir_t)e->dir, e->tls, sdiag_tentry_text(t, e), 0);
		if (line.len && line.data[line.len - 1] == '\n') {
			line.len--;
		}
		msg = zend_string_init(line.data ? line.data : "", line.len, 0);
		sdiag_buf_free(&line);
		array_init_size(&ctx, 3);
		add_assoc_string(&ctx, "direction", (char *)sdiag_dir_name((sdiag_dir_t)e->dir));
		add_assoc_bool(&ctx, "tls", e->tls);
		add_assoc_double(&ctx, "t_ms", (double)((long long)(e->t * 1000.0)) / 1000.0);
		php_smtpdiag_log(logger, "debug", msg, &ctx);
		zend_string_release(msg);
		zval_ptr_dtor(&ctx);
	}
	*pos = t->n;
}

void php_smtpdiag_log_error(zval *logger, const char *level, const sdiag_error_t *err, const char *message, const sdiag_config_t *cfg, zval *exception)
{
	zval ctx;
	zend_string *msg;
	if (Z_ISUNDEF_P(logger)) {
		return;
	}
	php_smtpdiag_error_array(&ctx, err);
	if (cfg && cfg->host) {
		add_assoc_string(&ctx, "host", cfg->host);
		add_assoc_long(&ctx, "port", cfg->port);
	}
	if (exception && Z_TYPE_P(exception) == IS_OBJECT) {
		Z_ADDREF_P(exception);
		add_assoc_zval(&ctx, "exception", exception);
	}
	msg = php_smtpdiag_text(message ? message : err->message, strlen(message ? message : err->message));
	php_smtpdiag_log(logger, level, msg, &ctx);
	zend_string_release(msg);
	zval_ptr_dtor(&ctx);
}
