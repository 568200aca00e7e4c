/*
 * smtpdiag glue: smtpdiag_classify(), the reply classifier on its own.
 */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
#include "zend_exceptions.h"
#include "php_smtpdiag_int.h"
#include "../core/classify.h"

/* The command a reply answered, as the phase the classifier understands. */
static bool phase_of(zend_string *cmd, sdiag_phase_t *phase)
{
	static const struct {
		const char *name;
		sdiag_phase_t phase;
	} map[] = {
		{"CONNECT", SDIAG_PHASE_BANNER}, {"EHLO", SDIAG_PHASE_EHLO}, {"HELO", SDIAG_PHASE_EHLO},
		{"STARTTLS", SDIAG_PHASE_STARTTLS}, {"AUTH", SDIAG_PHASE_AUTH}, {"MAIL", SDIAG_PHASE_MAIL},
		{"RCPT", SDIAG_PHASE_RCPT}, {"DATA", SDIAG_PHASE_DATA}, {"QUIT", SDIAG_PHASE_QUIT},
	};
	size_t i;
	for (i = 0; i < sizeof(map) / sizeof(*map); i++) {
		if (zend_string_equals_cstr(cmd, map[i].name, strlen(map[i].name)) ||
			(ZSTR_LEN(cmd) == strlen(map[i].name) && sdiag_strcasecmp(ZSTR_VAL(cmd), map[i].name) == 0)) {
			*phase = map[i].phase;
			return true;
		}
	}
	return false;
}

ZEND_FUNCTION(smtpdiag_classify)
{
	zend_string *reply, *key;
	HashTable *options = NULL;
	sdiag_phase_t phase = SDIAG_PHASE_NONE;
	const char *host = NULL, *provider;
	sdiag_reply_parser_t p;
	sdiag_error_t err;
	zval *v;

	ZEND_PARSE_PARAMETERS_START(1, 2)
		Z_PARAM_STR(reply)
		Z_PARAM_OPTIONAL
		Z_PARAM_ARRAY_HT(options)
	ZEND_PARSE_PARAMETERS_END();

	if (options) {
		ZEND_HASH_FOREACH_STR_KEY_VAL(options, key, v) {
			if (key && zend_string_equals_literal(key, "command")) {
				if (Z_TYPE_P(v) != IS_STRING || !phase_of(Z_STR_P(v), &phase)) {
					zend_argument_value_error(2, "option \"command\" must be one of CONNECT, EHLO, HELO, STARTTLS, AUTH, MAIL, RCPT, DATA, QUIT");
					RETURN_THROWS();
				}
			} else if (key && zend_string_equals_literal(key, "host")) {
				if (Z_TYPE_P(v) == IS_NULL) {
					host = NULL;
				} else if (Z_TYPE_P(v) != IS_STRING || ZSTR_LEN(Z_STR_P(v)) == 0 || ZSTR_LEN(Z_STR_P(v)) > 255 ||
					memchr(Z_STRVAL_P(v), '\0', Z_STRLEN_P(v)) != NULL) {
					zend_argument_value_error(2, "option \"host\" must be a host name (a non-empty string of at most 255 bytes) or null");
					RETURN_THROWS();
				} else {
					host = Z_STRVAL_P(v);
				}
			} else {
				zend_argument_value_error(2, "contains an unknown option \"%s\" (known: command, host)", key ? ZSTR_VAL(key) : "(integer key)");
				RETURN_THROWS();
			}
		} ZEND_HASH_FOREACH_END();
	}

	sdiag_reply_parser_init(&p);
	if (sdiag_reply_parse_text(&p, ZSTR_VAL(reply), ZSTR_LEN(reply)) != SDIAG_REPLY_DONE) {
		zend_argument_value_error(1, "is not an SMTP reply: %s", p.error);
		sdiag_reply_parser_free(&p);
		RETURN_THROWS();
	}
	sdiag_error_clear(&err);
	sdiag_classify_reply_host(&err, p.reply.code, p.reply.enhanced, p.reply.text.data ? p.reply.text.data : "", phase, host);
	provider = sdiag_provider_name(sdiag_provider_detect(host, p.reply.text.data ? p.reply.text.data : ""));

	array_init(return_value);
	add_assoc_string(return_value, "category", (char *)sdiag_category_name(err.category));
	add_assoc_bool(return_value, "transient", err.transient);
	add_assoc_long(return_value, "code", p.reply.code);
	if (p.reply.enhanced[0]) {
		add_assoc_string(return_value, "enhanced", p.reply.enhanced);
	} else {
		add_assoc_null(return_value, "enhanced");
	}
	add_assoc_string(return_value, "hint", err.hint);
	add_assoc_string(return_value, "matched", err.matched);
	if (provider) {
		add_assoc_string(return_value, "provider", (char *)provider);
	} else {
		add_assoc_null(return_value, "provider");
	}
	add_assoc_stringl(return_value, "text", p.reply.text.data ? p.reply.text.data : "", p.reply.text.len);
	sdiag_reply_parser_free(&p);
}
