/*
 * smtpdiag glue: SmtpDiag\Client. The object holds the core's
 * configuration, event loop, resolver and connection; the password lives
 * only in that C memory (never in a property) and is wiped on free.
 */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
#include "zend_exceptions.h"
#include "php_smtpdiag_int.h"

zend_class_entry *smtpdiag_ce_Client;
static zend_object_handlers client_handlers;

#define Z_CLIENT_P(zv) php_smtpdiag_client_from_obj(Z_OBJ_P(zv))
#define client_from_obj php_smtpdiag_client_from_obj

static zend_object *client_create(zend_class_entry *ce)
{
	php_smtpdiag_client *c = zend_object_alloc(sizeof(php_smtpdiag_client), ce);
	sdiag_config_init(&c->cfg);
	sdiag_loop_init(&c->loop);
	sdiag_conn_init(&c->conn, &c->cfg, &c->loop, &c->resolver);
	ZVAL_UNDEF(&c->logger);
	zend_object_std_init(&c->std, ce);
	object_properties_init(&c->std, ce);
	c->std.handlers = &client_handlers;
	return &c->std;
}

static void client_free(zend_object *obj)
{
	php_smtpdiag_client *c = client_from_obj(obj);
	if (sdiag_conn_ready(&c->conn)) {
		/* say goodbye without waiting for the answer */
		sdiag_smtp_quit(&c->conn.smtp);
		if (c->conn.smtp.out.len) {
			short want;
			sdiag_error_t scratch;
			c->conn.tp.ops->send(&c->conn.tp, c->conn.smtp.out.data, c->conn.smtp.out.len, &want, &scratch);
		}
	}
	sdiag_conn_free(&c->conn);
	if (c->resolver_ready) {
		sdiag_resolver_free(&c->resolver);
	}
	sdiag_loop_free(&c->loop);
	sdiag_config_free(&c->cfg);
	zval_ptr_dtor(&c->logger);
	zend_object_std_dtor(obj);
}

/* The logger may hold the client: let the cycle collector see it. */
static HashTable *client_get_gc(zend_object *obj, zval **table, int *n)
{
	php_smtpdiag_client *c = client_from_obj(obj);
	*table = Z_ISUNDEF(c->logger) ? NULL : &c->logger;
	*n = Z_ISUNDEF(c->logger) ? 0 : 1;
	return zend_std_get_properties(obj);
}

/* var_dump() / print_r(): the target without secrets. */
static HashTable *client_debug_info(zend_object *obj, int *is_temp)
{
	php_smtpdiag_client *c = client_from_obj(obj);
	HashTable *ht;
	zval zv;
	*is_temp = 1;
	ht = zend_new_array(6);
	if (!c->constructed) {
		return ht;
	}
	ZVAL_STRING(&zv, c->cfg.host);
	zend_hash_str_update(ht, "host", sizeof("host") - 1, &zv);
	ZVAL_LONG(&zv, c->cfg.port);
	zend_hash_str_update(ht, "port", sizeof("port") - 1, &zv);
	ZVAL_STRING(&zv, sdiag_encryption_name(c->cfg.encryption));
	zend_hash_str_update(ht, "encryption", sizeof("encryption") - 1, &zv);
	if (c->cfg.username) {
		ZVAL_STRING(&zv, c->cfg.username);
	} else {
		ZVAL_NULL(&zv);
	}
	zend_hash_str_update(ht, "username", sizeof("username") - 1, &zv);
	ZVAL_BOOL(&zv, c->cfg.password != NULL);
	zend_hash_str_update(ht, "password_set", sizeof("password_set") - 1, &zv);
	ZVAL_BOOL(&zv, sdiag_conn_ready(&c->conn));
	zend_hash_str_update(ht, "connected", sizeof("connected") - 1, &zv);
	return ht;
}

void php_smtpdiag_client_init_handlers(zend_class_entry *ce)
{
	ce->create_object = client_create;
	memcpy(&client_handlers, zend_get_std_object_handlers(), sizeof(zend_object_handlers));
	client_handlers.offset = XtOffsetOf(php_smtpdiag_client, std);
	client_handlers.free_obj = client_free;
	client_handlers.clone_obj = NULL;
	client_handlers.get_debug_info = client_debug_info;
	client_handlers.compare = zend_objects_not_comparable;
	client_handlers.get_gc = client_get_gc;
}



ZEND_METHOD(SmtpDiag_Client, __construct)
{
	php_smtpdiag_client *c = Z_CLIENT_P(ZEND_THIS);
	zval *target;
	HashTable *options = NULL;
	sdiag_error_t err;
	php_smtpdiag_arg_t bad_arg;
	bool type_error;
	zval *logger;
	static const char *const client_only_keys[] = {"logger", NULL};

	ZEND_PARSE_PARAMETERS_START(1, 2)
		Z_PARAM_ZVAL(target)
		Z_PARAM_OPTIONAL
		Z_PARAM_ARRAY_HT(options)
	ZEND_PARSE_PARAMETERS_END();

	if (Z_TYPE_P(target) != IS_STRING && Z_TYPE_P(target) != IS_ARRAY) {
		zend_argument_type_error(1, "must be of type string|array, %s given", zend_zval_type_name(target));
		RETURN_THROWS();
	}
	if (c->constructed) {
		zend_throw_error(NULL, "SmtpDiag\\Client is already constructed");
		RETURN_THROWS();
	}
	sdiag_config_free(&c->cfg);
	if (php_smtpdiag_config_build(&c->cfg, target, options, client_only_keys, &err, &bad_arg, &type_error) == FAILURE) {
		sdiag_config_free(&c->cfg);
		php_smtpdiag_throw_config_error(&err, bad_arg, type_error);
		RETURN_THROWS();
	}
	if (options && (logger = zend_hash_str_find(options, ZEND_STRL("logger"))) &&
		php_smtpdiag_logger_parse(logger, &c->logger, 2) == FAILURE) {
		sdiag_config_free(&c->cfg);
		RETURN_THROWS();
	}
	sdiag_error_clear(&err);
	if (sdiag_resolver_init(&c->resolver, &c->loop, c->cfg.dns_servers, c->cfg.timeout_ms, &err) != SDIAG_OK) {
		sdiag_config_free(&c->cfg);
		zval_ptr_dtor(&c->logger);
		ZVAL_UNDEF(&c->logger);
		php_smtpdiag_throw_config_error(&err, PHP_SMTPDIAG_ARG_BOTH, false);
		RETURN_THROWS();
	}
	c->resolver_ready = true;
	c->constructed = true;
}

bool php_smtpdiag_retryable(const sdiag_error_t *err, bool delivery_unknown)
{
	if (delivery_unknown || !err->transient) {
		return false;
	}
	if (err->smtp_code) {
		return err->smtp_code / 100 == 4;
	}
	switch (err->category) {
		case SDIAG_CAT_CONNECTION_REFUSED:
		case SDIAG_CAT_CONNECTION_LOST:
		case SDIAG_CAT_CONNECTION_TIMEOUT:
		case SDIAG_CAT_TIMEOUT:
		case SDIAG_CAT_DNS_ERROR:
			return true;
		default:
			return false;
	}
}

bool php_smtpdiag_client_retry(php_smtpdiag_client *c, const sdiag_error_t *err, bool delivery_unknown, int attempt, double deadline)
{
	double delay, left;
	if (attempt > c->cfg.retries || !php_smtpdiag_retryable(err, delivery_unknown)) {
		return false;
	}
	delay = sdiag_backoff_ms(&c->cfg, attempt);
	left = deadline - sdiag_now_ms();
	if (left < delay + 100) {
		sdiag_transcript_addf(&c->conn.transcript, SDIAG_DIR_INFO, 0, "attempt %d failed (%s); no time left for another within the timeout", attempt, sdiag_category_name(err->category));
		return false;
	}
	sdiag_transcript_addf(&c->conn.transcript, SDIAG_DIR_INFO, 0, "attempt %d failed (%s): retrying in %.0f ms", attempt, sdiag_category_name(err->category), delay);
	php_smtpdiag_log_transcript(&c->logger, &c->conn.transcript, &c->log_pos);
	if (!Z_ISUNDEF(c->logger)) {
		char msg[128];
		snprintf(msg, sizeof(msg), "smtpdiag: attempt %d failed, retrying in %.0f ms", attempt, delay);
		php_smtpdiag_log_error(&c->logger, "warning", err, msg, &c->cfg, NULL);
	}
	sdiag_sleep_ms(delay);
	return !EG(exception);
}

sdiag_status_t php_smtpdiag_client_connect_once(php_smtpdiag_client *c)
{
	sdiag_conn_open(&c->conn);
	if (sdiag_conn_wait(&c->conn) != SDIAG_OK) {
		return SDIAG_ERR;
	}
	c->sent_on_conn = 0;
	return SDIAG_OK;
}

zend_result php_smtpdiag_client_connect(php_smtpdiag_client *c)
{
	double deadline = sdiag_now_ms() + c->cfg.timeout_ms;
	int attempt;
	c->conn.deadline_cap = deadline;
	for (attempt = 1;; attempt++) {
		if (php_smtpdiag_client_connect_once(c) == SDIAG_OK) {
			break;
		}
		if (!php_smtpdiag_client_retry(c, &c->conn.err, false, attempt, deadline)) {
			zval ex;
			c->conn.deadline_cap = 0;
			php_smtpdiag_log_transcript(&c->logger, &c->conn.transcript, &c->log_pos);
			php_smtpdiag_exception(&ex, &c->conn.err, NULL, &c->conn.transcript);
			php_smtpdiag_log_error(&c->logger, "error", &c->conn.err, NULL, &c->cfg, &ex);
			if (EG(exception)) {
				zval_ptr_dtor(&ex);
			} else {
				zend_throw_exception_object(&ex);
			}
			return FAILURE;
		}
	}
	c->conn.deadline_cap = 0;
	php_smtpdiag_log_transcript(&c->logger, &c->conn.transcript, &c->log_pos);
	return EG(exception) ? FAILURE : SUCCESS;
}

php_smtpdiag_client *php_smtpdiag_client_checked(zval *this_ptr)
{
	php_smtpdiag_client *c = Z_CLIENT_P(this_ptr);
	if (!c->constructed) {
		zend_throw_error(NULL, "SmtpDiag\\Client has not been constructed");
		return NULL;
	}
	return c;
}

ZEND_METHOD(SmtpDiag_Client, connect)
{
	php_smtpdiag_client *c;
	ZEND_PARSE_PARAMETERS_NONE();
	if (!(c = php_smtpdiag_client_checked(ZEND_THIS))) {
		RETURN_THROWS();
	}
	if (sdiag_conn_ready(&c->conn)) {
		return;
	}
	sdiag_transcript_clear(&c->conn.transcript);
	if (php_smtpdiag_client_connect(c) == FAILURE) {
		RETURN_THROWS();
	}
}

ZEND_METHOD(SmtpDiag_Client, quit)
{
	php_smtpdiag_client *c;
	ZEND_PARSE_PARAMETERS_NONE();
	if (!(c = php_smtpdiag_client_checked(ZEND_THIS))) {
		RETURN_THROWS();
	}
	if (sdiag_conn_ready(&c->conn)) {
		sdiag_conn_quit(&c->conn);
		sdiag_conn_wait(&c->conn);
	}
	sdiag_conn_close(&c->conn);
	php_smtpdiag_log_transcript(&c->logger, &c->conn.transcript, &c->log_pos);
}

ZEND_METHOD(SmtpDiag_Client, isConnected)
{
	php_smtpdiag_client *c;
	ZEND_PARSE_PARAMETERS_NONE();
	if (!(c = php_smtpdiag_client_checked(ZEND_THIS))) {
		RETURN_THROWS();
	}
	RETURN_BOOL(sdiag_conn_ready(&c->conn));
}

ZEND_METHOD(SmtpDiag_Client, getCapabilities)
{
	php_smtpdiag_client *c;
	ZEND_PARSE_PARAMETERS_NONE();
	if (!(c = php_smtpdiag_client_checked(ZEND_THIS))) {
		RETURN_THROWS();
	}
	php_smtpdiag_caps_array(return_value, &c->conn.smtp.caps);
}

ZEND_METHOD(SmtpDiag_Client, getTlsInfo)
{
	php_smtpdiag_client *c;
	ZEND_PARSE_PARAMETERS_NONE();
	if (!(c = php_smtpdiag_client_checked(ZEND_THIS))) {
		RETURN_THROWS();
	}
	if (!c->conn.tls_info.done) {
		RETURN_NULL();
	}
	php_smtpdiag_tls_array(return_value, &c->conn.tls_info, &c->conn);
}

ZEND_METHOD(SmtpDiag_Client, getTranscript)
{
	php_smtpdiag_client *c;
	ZEND_PARSE_PARAMETERS_NONE();
	if (!(c = php_smtpdiag_client_checked(ZEND_THIS))) {
		RETURN_THROWS();
	}
	php_smtpdiag_transcript_array(return_value, &c->conn.transcript);
}

ZEND_METHOD(SmtpDiag_Client, getTranscriptText)
{
	php_smtpdiag_client *c;
	bool timestamps = false;
	sdiag_buf_t out;
	ZEND_PARSE_PARAMETERS_START(0, 1)
		Z_PARAM_OPTIONAL
		Z_PARAM_BOOL(timestamps)
	ZEND_PARSE_PARAMETERS_END();
	if (!(c = php_smtpdiag_client_checked(ZEND_THIS))) {
		RETURN_THROWS();
	}
	sdiag_buf_init(&out, (size_t)SDIAG_TRANSCRIPT_MAX_BYTES * 2);
	sdiag_transcript_format(&c->conn.transcript, &out, timestamps);
	RETVAL_STRINGL(out.data ? out.data : "", out.len);
	sdiag_buf_free(&out);
}
