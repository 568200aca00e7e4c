/*
 * smtpdiag glue: sending. Client::send(), sendText() and sendMany() turn
 * their arguments into core transactions (sdiag_txn_t), reuse or (re)open
 * the connection, and turn the outcome into SendResult objects or
 * classified exceptions. The message is never copied: the core streams it
 * from the PHP string, normalising line endings and dot-stuffing on the way.
 */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
#include "zend_exceptions.h"
#include "zend_interfaces.h"
#include "zend_smart_str.h"
#include "ext/spl/spl_iterators.h"
#include "php_smtpdiag_int.h"
#include "../../php_smtpdiag.h"

zend_class_entry *smtpdiag_ce_SendResult;

#define SENDMANY_CHUNK 64

typedef struct send_opts {
	bool partial;
	char notify[64];
	const char *ret;
	char envid[128];
	bool orcpt;
	zend_string *from_name;
} send_opts;

/* One message being sent: the transaction and what it points into. */
typedef struct send_item {
	sdiag_txn_t txn;
	sdiag_rcpt_t *rcpts;
	zend_string *from;
	zend_string *message;
	HashTable *to_strings;   /* keeps recipient strings alive */
} send_item;

ZEND_METHOD(SmtpDiag_SendResult, __construct)
{
	ZEND_PARSE_PARAMETERS_NONE();
}

static zend_result parse_options(HashTable *opts, send_opts *o, uint32_t arg, bool text)
{
	zend_string *key;
	zval *v;
	memset(o, 0, sizeof(*o));
	if (!opts) {
		return SUCCESS;
	}
	ZEND_HASH_FOREACH_STR_KEY_VAL(opts, key, v) {
		ZVAL_DEREF(v);
		if (!key) {
			zend_argument_value_error(arg, "must have string keys");
			return FAILURE;
		}
		if (zend_string_equals_literal(key, "partial")) {
			o->partial = zend_is_true(v);
		} else if (zend_string_equals_literal(key, "dsn_orcpt")) {
			o->orcpt = zend_is_true(v);
		} else if (zend_string_equals_literal(key, "dsn_notify")) {
			/* NEVER, or any of SUCCESS, FAILURE, DELAY */
			static const char *const ok[] = {"NEVER", "SUCCESS", "FAILURE", "DELAY"};
			zval *item, one;
			HashTable *list;
			size_t n = 0;
			if (Z_TYPE_P(v) == IS_STRING) {
				array_init(&one);
				add_next_index_str(&one, zend_string_copy(Z_STR_P(v)));
				list = Z_ARRVAL(one);
			} else if (Z_TYPE_P(v) == IS_ARRAY) {
				ZVAL_COPY(&one, v);
				list = Z_ARRVAL(one);
			} else {
				zend_argument_type_error(arg, "option \"dsn_notify\" must be a string or a list of strings");
				return FAILURE;
			}
			o->notify[0] = '\0';
			ZEND_HASH_FOREACH_VAL(list, item) {
				size_t i;
				bool found = false;
				for (i = 0; i < 4 && Z_TYPE_P(item) == IS_STRING; i++) {
					if (zend_string_equals_cstr(Z_STR_P(item), ok[i], strlen(ok[i])) ||
						(Z_STRLEN_P(item) == strlen(ok[i]) && sdiag_strcasecmp(Z_STRVAL_P(item), ok[i]) == 0)) {
						snprintf(o->notify + strlen(o->notify), sizeof(o->notify) - strlen(o->notify), "%s%s", n++ ? "," : "", ok[i]);
						found = true;
					}
				}
				if (!found) {
					zval_ptr_dtor(&one);
					zend_argument_value_error(arg, "option \"dsn_notify\" takes NEVER, or SUCCESS, FAILURE and DELAY");
					return FAILURE;
				}
			} ZEND_HASH_FOREACH_END();
			zval_ptr_dtor(&one);
			if (strstr(o->notify, "NEVER") && strchr(o->notify, ',')) {
				zend_argument_value_error(arg, "option \"dsn_notify\" cannot combine NEVER with other values (RFC 3461)");
				return FAILURE;
			}
		} else if (zend_string_equals_literal(key, "dsn_ret")) {
			if (Z_TYPE_P(v) != IS_STRING) {
				zend_argument_type_error(arg, "option \"dsn_ret\" must be a string");
				return FAILURE;
			}
			if (sdiag_strcasecmp(Z_STRVAL_P(v), "FULL") == 0) {
				o->ret = "FULL";
			} else if (sdiag_strcasecmp(Z_STRVAL_P(v), "HDRS") == 0) {
				o->ret = "HDRS";
			} else {
				zend_argument_value_error(arg, "option \"dsn_ret\" must be \"FULL\" or \"HDRS\"");
				return FAILURE;
			}
		} else if (zend_string_equals_literal(key, "dsn_envid")) {
			size_t i;
			if (Z_TYPE_P(v) != IS_STRING) {
				zend_argument_type_error(arg, "option \"dsn_envid\" must be a string");
				return FAILURE;
			}
			if (Z_STRLEN_P(v) == 0 || Z_STRLEN_P(v) > 100) {
				zend_argument_value_error(arg, "option \"dsn_envid\" must be a string of 1 to 100 characters");
				return FAILURE;
			}
			for (i = 0; i < Z_STRLEN_P(v); i++) {
				unsigned char c = (unsigned char)Z_STRVAL_P(v)[i];
				if (c < 33 || c > 126 || c == '+' || c == '=') {
					zend_argument_value_error(arg, "option \"dsn_envid\" must be printable ASCII without spaces, \"+\" or \"=\"");
					return FAILURE;
				}
			}
			snprintf(o->envid, sizeof(o->envid), "%s", Z_STRVAL_P(v));
		} else if (text && zend_string_equals_literal(key, "from_name")) {
			if (Z_TYPE_P(v) != IS_STRING) {
				zend_argument_type_error(arg, "option \"from_name\" must be a string");
				return FAILURE;
			}
			if (strlen(Z_STRVAL_P(v)) != Z_STRLEN_P(v) || strpbrk(Z_STRVAL_P(v), "\r\n")) {
				zend_argument_value_error(arg, "option \"from_name\" must not contain CR, LF or NUL");
				return FAILURE;
			}
			o->from_name = Z_STR_P(v);
		} else {
			zend_argument_value_error(arg, "contains an unknown option \"%s\" (known: partial, dsn_notify, dsn_ret, dsn_envid, dsn_orcpt%s)",
				ZSTR_VAL(key), text ? ", from_name" : "");
			return FAILURE;
		}
	} ZEND_HASH_FOREACH_END();
	return SUCCESS;
}

static bool address_ok(zend_string *a, uint32_t arg, const char *what)
{
	if (!sdiag_addr_valid(ZSTR_VAL(a), ZSTR_LEN(a))) {
		zend_argument_value_error(arg, "%s must be an address of at most %d bytes without CR, LF, NUL, \"<\" or \">\"", what, SDIAG_ADDR_MAX);
		return false;
	}
	if (!sdiag_utf8_valid(ZSTR_VAL(a), ZSTR_LEN(a))) {
		zend_argument_value_error(arg, "%s must be ASCII or UTF-8 (SMTPUTF8)", what);
		return false;
	}
	return true;
}

static void item_free(send_item *it)
{
	sdiag_txn_free(&it->txn);
	if (it->rcpts) {
		efree(it->rcpts);
	}
	if (it->to_strings) {
		zend_array_destroy(it->to_strings);
	}
	if (it->from) {
		zend_string_release(it->from);
	}
	if (it->message) {
		zend_string_release(it->message);
	}
	memset(it, 0, sizeof(*it));
}

/* Fill a send item; throws (and returns FAILURE) on bad arguments. */
static zend_result item_init(send_item *it, zend_string *from, zval *to, zend_string *message, const send_opts *o, uint32_t from_arg, uint32_t to_arg)
{
	zval *v;
	size_t n = 0;
	memset(it, 0, sizeof(*it));
	sdiag_txn_init(&it->txn);
	if (!address_ok(from, from_arg, "the sender")) {
		return FAILURE;
	}
	it->to_strings = zend_new_array(1);
	if (Z_TYPE_P(to) == IS_STRING) {
		zval copy;
		ZVAL_STR_COPY(&copy, Z_STR_P(to));
		zend_hash_next_index_insert(it->to_strings, &copy);
	} else if (Z_TYPE_P(to) == IS_ARRAY) {
		ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(to), v) {
			zval copy;
			ZVAL_DEREF(v);
			if (Z_TYPE_P(v) != IS_STRING) {
				zend_argument_type_error(to_arg, "must be a string or a list of strings, %s found in the list", zend_zval_type_name(v));
				item_free(it);
				return FAILURE;
			}
			ZVAL_STR_COPY(&copy, Z_STR_P(v));
			zend_hash_next_index_insert(it->to_strings, &copy);
		} ZEND_HASH_FOREACH_END();
	} else {
		zend_argument_type_error(to_arg, "must be of type string|array, %s given", zend_zval_type_name(to));
		item_free(it);
		return FAILURE;
	}
	if (zend_hash_num_elements(it->to_strings) == 0 || zend_hash_num_elements(it->to_strings) > SDIAG_RCPT_MAX) {
		zend_argument_value_error(to_arg, "must name 1 to %d recipients", SDIAG_RCPT_MAX);
		item_free(it);
		return FAILURE;
	}
	it->rcpts = ecalloc(zend_hash_num_elements(it->to_strings), sizeof(sdiag_rcpt_t));
	ZEND_HASH_FOREACH_VAL(it->to_strings, v) {
		if (Z_STRLEN_P(v) == 0 || !address_ok(Z_STR_P(v), to_arg, "each recipient")) {
			if (Z_STRLEN_P(v) == 0) {
				zend_argument_value_error(to_arg, "must not contain an empty address");
			}
			item_free(it);
			return FAILURE;
		}
		it->rcpts[n].addr = Z_STRVAL_P(v);
		it->rcpts[n].len = Z_STRLEN_P(v);
		n++;
	} ZEND_HASH_FOREACH_END();
	it->from = zend_string_copy(from);
	it->message = zend_string_copy(message);
	it->txn.from = ZSTR_VAL(it->from);
	it->txn.fromlen = ZSTR_LEN(it->from);
	it->txn.rcpts = it->rcpts;
	it->txn.nrcpt = n;
	it->txn.msg = ZSTR_VAL(it->message);
	it->txn.msglen = ZSTR_LEN(it->message);
	it->txn.partial = o->partial;
	it->txn.dsn_notify = o->notify[0] ? o->notify : NULL;
	it->txn.dsn_ret = o->ret;
	it->txn.dsn_envid = o->envid[0] ? o->envid : NULL;
	it->txn.dsn_orcpt = o->orcpt;
	return SUCCESS;
}

/* Keep to the rate limit (messages per second) by sleeping, and open a new
 * connection after max_per_connection messages. */
static void pace(php_smtpdiag_client *c)
{
	double now = sdiag_now_ms();
	if (c->cfg.rate_limit > 0 && c->last_message > 0) {
		double wait = c->last_message + 1000.0 / c->cfg.rate_limit - now;
		if (wait > 0) {
			sdiag_sleep_ms(wait);
			now = sdiag_now_ms();
		}
	}
	c->last_message = now;
	if (c->cfg.max_per_connection && c->sent_on_conn >= (unsigned)c->cfg.max_per_connection && sdiag_conn_ready(&c->conn)) {
		sdiag_transcript_addf(&c->conn.transcript, SDIAG_DIR_INFO, 0, "%u messages sent on this connection (max_per_connection): reconnecting", c->sent_on_conn);
		sdiag_conn_quit(&c->conn);
		sdiag_conn_wait(&c->conn);
		sdiag_conn_close(&c->conn);
		if (c->cfg.restart_sleep_ms > 0) {
			sdiag_sleep_ms(c->cfg.restart_sleep_ms);
		}
	}
}

/* Make sure the session is open and usable: reuse it when alive, check an
 * idle one with NOOP, (re)connect otherwise (one attempt: SDIAG_ERR with
 * c->conn.err). */
static sdiag_status_t ensure_session(php_smtpdiag_client *c, double *connect_ms)
{
	double t0 = sdiag_now_ms();
	*connect_ms = 0;
	if (sdiag_conn_ready(&c->conn)) {
		if (!sdiag_conn_alive(&c->conn)) {
			sdiag_transcript_addf(&c->conn.transcript, SDIAG_DIR_INFO, 0, "%s", "the connection went stale: reconnecting");
		} else if (t0 - c->conn.smtp.last_activity >= c->cfg.ping_threshold_ms) {
			sdiag_conn_noop(&c->conn);
			if (sdiag_conn_wait(&c->conn) == SDIAG_OK && sdiag_conn_ready(&c->conn)) {
				return SDIAG_OK;
			}
			sdiag_transcript_addf(&c->conn.transcript, SDIAG_DIR_INFO, 0, "%s", "the idle connection failed its NOOP check: reconnecting");
			sdiag_conn_close(&c->conn);
		} else {
			return SDIAG_OK;
		}
	}
	if (php_smtpdiag_client_connect_once(c) != SDIAG_OK) {
		return SDIAG_ERR;
	}
	*connect_ms = sdiag_now_ms() - t0;
	return SDIAG_OK;
}

static void rcpt_entry(zval *list, const sdiag_rcpt_t *r)
{
	zval e;
	array_init_size(&e, 4);
	add_assoc_stringl(&e, "address", (char *)r->addr, r->len);
	add_assoc_long(&e, "code", r->code);
	if (r->enhanced[0]) {
		add_assoc_string(&e, "enhanced", (char *)r->enhanced);
	} else {
		add_assoc_null(&e, "enhanced");
	}
	add_assoc_str(&e, "reply", php_smtpdiag_text_lines(r->text ? r->text : "", r->text ? strlen(r->text) : 0));
	add_next_index_zval(list, &e);
}

static double ms(double a, double b)
{
	return (a && b && b > a) ? (double)((long long)((b - a) * 1000.0)) / 1000.0 : 0.0;
}

static void result_object(zval *rv, const sdiag_txn_t *t, double connect_ms, int attempts)
{
	zend_class_entry *ce = smtpdiag_ce_SendResult;
	zend_object *obj;
	zval accepted, rejected, timings;
	zend_string *reply;
	size_t i;
	object_init_ex(rv, ce);
	obj = Z_OBJ_P(rv);
	array_init(&accepted);
	array_init(&rejected);
	for (i = 0; i < t->nrcpt; i++) {
		rcpt_entry(t->rcpts[i].code / 100 == 2 ? &accepted : &rejected, &t->rcpts[i]);
	}
	zend_update_property(ce, obj, ZEND_STRL("accepted"), &accepted);
	zend_update_property(ce, obj, ZEND_STRL("rejected"), &rejected);
	zval_ptr_dtor(&accepted);
	zval_ptr_dtor(&rejected);
	zend_update_property_long(ce, obj, ZEND_STRL("code"), t->final_code);
	if (t->final_enhanced[0]) {
		zend_update_property_string(ce, obj, ZEND_STRL("enhancedStatus"), t->final_enhanced);
	} else {
		zend_update_property_null(ce, obj, ZEND_STRL("enhancedStatus"));
	}
	reply = php_smtpdiag_text_lines(t->final_text ? t->final_text : "", t->final_text ? strlen(t->final_text) : 0);
	zend_update_property_str(ce, obj, ZEND_STRL("reply"), reply);
	zend_string_release(reply);
	if (t->queue_id[0]) {
		zend_string *q = php_smtpdiag_text(t->queue_id, strlen(t->queue_id));
		zend_update_property_str(ce, obj, ZEND_STRL("queueId"), q);
		zend_string_release(q);
	} else {
		zend_update_property_null(ce, obj, ZEND_STRL("queueId"));
	}
	zend_update_property_long(ce, obj, ZEND_STRL("size"), (zend_long)t->size);
	zend_update_property_long(ce, obj, ZEND_STRL("attempts"), attempts);
	array_init_size(&timings, 4);
	add_assoc_double(&timings, "connect_ms", (double)((long long)(connect_ms * 1000.0)) / 1000.0);
	add_assoc_double(&timings, "envelope_ms", ms(t->t_start, t->t_data));
	add_assoc_double(&timings, "data_ms", ms(t->t_data, t->t_final));
	add_assoc_double(&timings, "total_ms", ms(t->t_start, t->t_final) + (double)((long long)(connect_ms * 1000.0)) / 1000.0);
	zend_update_property(ce, obj, ZEND_STRL("timings"), &timings);
	zval_ptr_dtor(&timings);
}

/* The exception for a failed transaction; recipient failures list every rejection. */
static void txn_exception(zval *out, const sdiag_txn_t *t, const sdiag_transcript_t *transcript)
{
	smart_str msg = {0};
	size_t i, shown = 0;
	smart_str_appends(&msg, t->err.message);
	if (t->err.phase == SDIAG_PHASE_RCPT) {
		for (i = 0; i < t->nrcpt; i++) {
			const sdiag_rcpt_t *r = &t->rcpts[i];
			if (r->code && r->code / 100 != 2) {
				smart_str_appends(&msg, shown++ ? "; " : ": ");
				smart_str_appendc(&msg, '<');
				smart_str_appendl(&msg, r->addr, r->len);
				const char *p;
				smart_str_append_printf(&msg, "> %d ", r->code);
				for (p = r->text ? r->text : ""; *p; p++) {
					if (*p == '\n') {
						smart_str_appends(&msg, " / ");
					} else {
						smart_str_appendc(&msg, *p);
					}
				}
			}
		}
	}
	if (t->delivery_unknown) {
		smart_str_appends(&msg, " (delivery state unknown: the end of data was sent but not answered; not sent again)");
	}
	smart_str_0(&msg);
	php_smtpdiag_exception(out, &t->err, ZSTR_VAL(msg.s), transcript);
	smart_str_free(&msg);
}

/* Send prepared items on the client's connection, in one pipelined batch. */
static void run_batch(php_smtpdiag_client *c, send_item *items, size_t n)
{
	sdiag_txn_t *txns[SENDMANY_CHUNK];
	size_t i;
	for (i = 0; i < n; i++) {
		txns[i] = &items[i].txn;
	}
	sdiag_conn_send(&c->conn, txns, n);
	sdiag_conn_wait(&c->conn);
}

/* The info event of a message the server accepted. */
static void log_sent(php_smtpdiag_client *c, const sdiag_txn_t *t, int attempts)
{
	zval ctx;
	zend_string *msg;
	if (Z_ISUNDEF(c->logger)) {
		return;
	}
	array_init(&ctx);
	add_assoc_string(&ctx, "host", c->cfg.host);
	add_assoc_long(&ctx, "port", c->cfg.port);
	add_assoc_stringl(&ctx, "from", (char *)t->from, t->fromlen);
	add_assoc_long(&ctx, "recipients", (zend_long)t->accepted);
	if (t->queue_id[0]) {
		php_smtpdiag_add_text(&ctx, "queue_id", t->queue_id);
	} else {
		add_assoc_null(&ctx, "queue_id");
	}
	add_assoc_long(&ctx, "code", t->final_code);
	add_assoc_long(&ctx, "size", (zend_long)t->size);
	add_assoc_long(&ctx, "attempts", attempts);
	add_assoc_double(&ctx, "duration_ms", ms(t->t_start, t->t_final));
	msg = zend_string_init(ZEND_STRL("smtpdiag: message accepted by the server"), 0);
	php_smtpdiag_log(&c->logger, "info", msg, &ctx);
	zend_string_release(msg);
	zval_ptr_dtor(&ctx);
}

/* One message with the retries the configuration allows: a failed
 * connection or a 4xx reply is tried again after a backoff, within the
 * timeout; an unanswered end of data never is. */
static void send_one(INTERNAL_FUNCTION_PARAMETERS, php_smtpdiag_client *c, send_item *it)
{
	double connect_ms = 0, deadline;
	int attempt;
	sdiag_transcript_clear(&c->conn.transcript);
	c->log_pos = 0;
	pace(c);
	deadline = sdiag_now_ms() + c->cfg.timeout_ms;
	c->conn.deadline_cap = deadline;
	for (attempt = 1;; attempt++) {
		const sdiag_error_t *err;
		bool unknown = false;
		if (ensure_session(c, &connect_ms) == SDIAG_OK) {
			run_batch(c, it, 1);
			if (it->txn.state == SDIAG_TXN_DONE) {
				break;
			}
			err = &it->txn.err;
			unknown = it->txn.delivery_unknown;
		} else {
			/* the message was not sent: fail it with the connection's error */
			it->txn.err = c->conn.err;
			it->txn.state = SDIAG_TXN_FAILED;
			err = &c->conn.err;
		}
		if (!php_smtpdiag_client_retry(c, err, unknown, attempt, deadline)) {
			zval ex;
			c->conn.deadline_cap = 0;
			php_smtpdiag_log_transcript(&c->logger, &c->conn.transcript, &c->log_pos);
			txn_exception(&ex, &it->txn, &c->conn.transcript);
			php_smtpdiag_log_error(&c->logger, "error", &it->txn.err, NULL, &c->cfg, &ex);
			item_free(it);
			if (EG(exception)) {
				zval_ptr_dtor(&ex);
			} else {
				zend_throw_exception_object(&ex);
			}
			RETURN_THROWS();
		}
		sdiag_txn_reset(&it->txn);
	}
	c->conn.deadline_cap = 0;
	c->sent_on_conn++;
	php_smtpdiag_log_transcript(&c->logger, &c->conn.transcript, &c->log_pos);
	log_sent(c, &it->txn, attempt);
	if (EG(exception)) {
		item_free(it);
		RETURN_THROWS();
	}
	result_object(return_value, &it->txn, connect_ms, attempt);
	item_free(it);
}

ZEND_METHOD(SmtpDiag_Client, send)
{
	php_smtpdiag_client *c;
	zend_string *from, *message;
	zval *to;
	HashTable *options = NULL;
	send_opts o;
	send_item it;

	ZEND_PARSE_PARAMETERS_START(3, 4)
		Z_PARAM_STR(from)
		Z_PARAM_ZVAL(to)
		Z_PARAM_STR(message)
		Z_PARAM_OPTIONAL
		Z_PARAM_ARRAY_HT(options)
	ZEND_PARSE_PARAMETERS_END();

	if (!(c = php_smtpdiag_client_checked(ZEND_THIS))) {
		RETURN_THROWS();
	}
	if (parse_options(options, &o, 4, false) == FAILURE || item_init(&it, from, to, message, &o, 1, 2) == FAILURE) {
		RETURN_THROWS();
	}
	send_one(INTERNAL_FUNCTION_PARAM_PASSTHRU, c, &it);
}

ZEND_METHOD(SmtpDiag_Client, sendText)
{
	php_smtpdiag_client *c;
	zend_string *from, *subject, *text, *message;
	zval *to, *v;
	HashTable *options = NULL;
	send_opts o;
	send_item it;
	sdiag_text_msg_t m;
	sdiag_buf_t out;
	sdiag_error_t err;
	const char **tos;
	size_t i = 0;

	ZEND_PARSE_PARAMETERS_START(4, 5)
		Z_PARAM_STR(from)
		Z_PARAM_ZVAL(to)
		Z_PARAM_STR(subject)
		Z_PARAM_STR(text)
		Z_PARAM_OPTIONAL
		Z_PARAM_ARRAY_HT(options)
	ZEND_PARSE_PARAMETERS_END();

	if (!(c = php_smtpdiag_client_checked(ZEND_THIS))) {
		RETURN_THROWS();
	}
	if (parse_options(options, &o, 5, true) == FAILURE) {
		RETURN_THROWS();
	}
	/* validate the envelope first (the message needs the recipients' list) */
	if (item_init(&it, from, to, ZSTR_EMPTY_ALLOC(), &o, 1, 2) == FAILURE) {
		RETURN_THROWS();
	}
	if (strlen(ZSTR_VAL(subject)) != ZSTR_LEN(subject) || strpbrk(ZSTR_VAL(subject), "\r\n")) {
		item_free(&it);
		zend_argument_value_error(3, "must not contain CR, LF or NUL");
		RETURN_THROWS();
	}
	tos = safe_emalloc(it.txn.nrcpt, sizeof(*tos), 0);
	ZEND_HASH_FOREACH_VAL(it.to_strings, v) {
		tos[i++] = Z_STRVAL_P(v);
	} ZEND_HASH_FOREACH_END();
	memset(&m, 0, sizeof(m));
	m.from = ZSTR_VAL(from);
	m.from_name = o.from_name ? ZSTR_VAL(o.from_name) : NULL;
	m.to = tos;
	m.nto = it.txn.nrcpt;
	m.subject = ZSTR_VAL(subject);
	m.text = ZSTR_VAL(text);
	m.textlen = ZSTR_LEN(text);
	m.date_ms = sdiag_wall_ms();
	m.user_agent = "smtpdiag/" PHP_SMTPDIAG_VERSION;
	sdiag_buf_init(&out, (size_t)64 * 1024 * 1024);
	sdiag_error_clear(&err);
	if (sdiag_msg_build_text(&m, &out, &err) != SDIAG_OK) {
		efree(tos);
		sdiag_buf_free(&out);
		item_free(&it);
		zend_value_error("%s", err.message);
		RETURN_THROWS();
	}
	efree(tos);
	message = zend_string_init(out.data ? out.data : "", out.len, 0);
	sdiag_buf_free(&out);
	zend_string_release(it.message);
	it.message = message;
	it.txn.msg = ZSTR_VAL(message);
	it.txn.msglen = ZSTR_LEN(message);
	send_one(INTERNAL_FUNCTION_PARAM_PASSTHRU, c, &it);
}

/* sendMany(): one item of the iterable. */
typedef struct many_ctx {
	php_smtpdiag_client *c;
	send_opts *o;
	send_item items[SENDMANY_CHUNK];
	size_t n;
	zval *results;
	bool streaming; /* items come from an iterator */
	bool failed;    /* an exception was thrown */
} many_ctx;

static void flush_chunk(many_ctx *m)
{
	php_smtpdiag_client *c = m->c;
	sdiag_txn_t *batch[SENDMANY_CHUNK];
	size_t slot[SENDMANY_CHUNK];   /* batch[k] is item slot[k] */
	int attempts[SENDMANY_CHUNK];
	size_t i, n = 0;
	double connect_ms = 0, deadline;
	int round;
	if (!m->n) {
		return;
	}
	/* the transcript covers one chunk: bounded over long batches, kept after the last */
	sdiag_transcript_clear(&c->conn.transcript);
	c->log_pos = 0;
	pace(c);
	deadline = sdiag_now_ms() + c->cfg.timeout_ms * (double)m->n;
	c->conn.deadline_cap = deadline;
	for (i = 0; i < m->n; i++) {
		slot[n] = i;
		batch[n++] = &m->items[i].txn;
		attempts[i] = 1;
	}
	/* a round sends what is left; what failed in a way a retry can fix goes
	 * again after the backoff, within the chunk's time */
	for (round = 1; n; round++) {
		size_t k, again = 0;
		const sdiag_error_t *why = NULL;
		if (ensure_session(c, &connect_ms) != SDIAG_OK) {
			for (k = 0; k < n; k++) {
				batch[k]->err = c->conn.err;
				batch[k]->state = SDIAG_TXN_FAILED;
			}
			why = &c->conn.err;
			again = php_smtpdiag_retryable(why, false) ? n : 0;
		} else {
			sdiag_conn_send(&c->conn, batch, n);
			sdiag_conn_wait(&c->conn);
			for (k = 0; k < n; k++) {
				if (batch[k]->state != SDIAG_TXN_DONE && php_smtpdiag_retryable(&batch[k]->err, batch[k]->delivery_unknown)) {
					why = why ? why : &batch[k]->err;
					slot[again] = slot[k];
					batch[again++] = batch[k];
				}
			}
		}
		if (!again || !php_smtpdiag_client_retry(c, why, false, round, deadline)) {
			break;
		}
		for (k = 0; k < again; k++) {
			sdiag_txn_reset(batch[k]);
			attempts[slot[k]]++;
		}
		n = again;
	}
	c->conn.deadline_cap = 0;
	php_smtpdiag_log_transcript(&c->logger, &c->conn.transcript, &c->log_pos);
	for (i = 0; i < m->n; i++) {
		zval r;
		sdiag_txn_t *t = &m->items[i].txn;
		if (t->state == SDIAG_TXN_DONE) {
			result_object(&r, t, i == 0 ? connect_ms : 0, attempts[i]);
			c->sent_on_conn++;
			log_sent(c, t, attempts[i]);
		} else {
			txn_exception(&r, t, &c->conn.transcript);
			php_smtpdiag_log_error(&c->logger, "error", &t->err, NULL, &c->cfg, &r);
		}
		add_next_index_zval(m->results, &r);
		item_free(&m->items[i]);
	}
	m->n = 0;
}

/* How many messages may share the next pipelined batch. */
static size_t chunk_limit(const many_ctx *m)
{
	const php_smtpdiag_client *c = m->c;
	size_t lim = SENDMANY_CHUNK;
	if (c->cfg.rate_limit > 0) {
		return 1; /* each message waits for its turn */
	}
	if (c->cfg.max_per_connection) {
		size_t left = c->sent_on_conn < (unsigned)c->cfg.max_per_connection ? (size_t)c->cfg.max_per_connection - c->sent_on_conn : (size_t)c->cfg.max_per_connection;
		if (left < lim) {
			lim = left;
		}
	}
	return lim;
}

/* Check one item and fill a send item from it; throws on a bad item. */
static zend_result many_prepare(zval *item, send_item *it, send_opts *o)
{
	zval *from, *to, *msg;
	ZVAL_DEREF(item);
	if (Z_TYPE_P(item) != IS_ARRAY) {
		zend_argument_type_error(1, "must contain arrays with the keys from, to and message, %s found", zend_zval_type_name(item));
		return FAILURE;
	}
	from = zend_hash_str_find_deref(Z_ARRVAL_P(item), ZEND_STRL("from"));
	to = zend_hash_str_find_deref(Z_ARRVAL_P(item), ZEND_STRL("to"));
	msg = zend_hash_str_find_deref(Z_ARRVAL_P(item), ZEND_STRL("message"));
	if (!from || !to || !msg || Z_TYPE_P(from) != IS_STRING || Z_TYPE_P(msg) != IS_STRING) {
		zend_argument_value_error(1, "must contain arrays with the keys from (string), to (string|array) and message (string)");
		return FAILURE;
	}
	return item_init(it, Z_STR_P(from), to, Z_STR_P(msg), o, 1, 1);
}

static int many_item(zval *item, many_ctx *m)
{
	if (many_prepare(item, &m->items[m->n], m->o) == FAILURE) {
		if (!m->streaming) {
			m->failed = true;
			return ZEND_HASH_APPLY_STOP;
		}
		/* an iterator cannot be checked ahead: the bad item's slot gets its
		 * error, and the messages around it are still sent */
		{
			zval ex;
			flush_chunk(m);
			ZVAL_OBJ(&ex, EG(exception));
			Z_ADDREF(ex);
			zend_clear_exception();
			add_next_index_zval(m->results, &ex);
		}
		return ZEND_HASH_APPLY_KEEP;
	}
	m->n++;
	if (m->n >= chunk_limit(m)) {
		flush_chunk(m);
	}
	return ZEND_HASH_APPLY_KEEP;
}

static int many_iter_apply(zend_object_iterator *iter, void *puser)
{
	zval *item = iter->funcs->get_current_data(iter);
	if (!item || EG(exception)) {
		return ZEND_HASH_APPLY_STOP;
	}
	return many_item(item, (many_ctx *)puser);
}

ZEND_METHOD(SmtpDiag_Client, sendMany)
{
	php_smtpdiag_client *c;
	zval *messages, *item;
	HashTable *options = NULL;
	send_opts o;
	many_ctx *m;
	size_t i;

	ZEND_PARSE_PARAMETERS_START(1, 2)
		Z_PARAM_ITERABLE(messages)
		Z_PARAM_OPTIONAL
		Z_PARAM_ARRAY_HT(options)
	ZEND_PARSE_PARAMETERS_END();

	if (!(c = php_smtpdiag_client_checked(ZEND_THIS))) {
		RETURN_THROWS();
	}
	if (parse_options(options, &o, 2, false) == FAILURE) {
		RETURN_THROWS();
	}
	array_init(return_value);
	m = ecalloc(1, sizeof(*m));
	m->c = c;
	m->o = &o;
	m->results = return_value;
	if (Z_TYPE_P(messages) == IS_ARRAY) {
		/* an array is checked whole before anything is sent */
		send_item probe;
		ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(messages), item) {
			if (many_prepare(item, &probe, &o) == FAILURE) {
				m->failed = true;
				break;
			}
			item_free(&probe);
		} ZEND_HASH_FOREACH_END();
		if (!m->failed) {
			ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(messages), item) {
				if (many_item(item, m) == ZEND_HASH_APPLY_STOP) {
					break;
				}
			} ZEND_HASH_FOREACH_END();
		}
	} else {
		m->streaming = true;
		spl_iterator_apply(messages, many_iter_apply, m);
	}
	if (!m->failed && !EG(exception)) {
		flush_chunk(m);
	}
	for (i = 0; i < m->n; i++) {
		item_free(&m->items[i]);
	}
	efree(m);
	if (EG(exception)) {
		zval_ptr_dtor(return_value);
		ZVAL_NULL(return_value);
		RETURN_THROWS();
	}
}
