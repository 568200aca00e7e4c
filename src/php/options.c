/*
 * smtpdiag glue: PHP values to configuration, core results to arrays.
 */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
#include "zend_exceptions.h"
#include "zend_smart_str.h"
#include "php_smtpdiag_int.h"
#include "../../php_smtpdiag.h"

#include <openssl/crypto.h>

/* A scalar option value as a string in buf (wiped by the caller). */
static zend_result scalar_string(const char *key, zval *val, char *buf, size_t len, const char **out, sdiag_error_t *err, bool *type_error)
{
	ZVAL_DEREF(val);
	switch (Z_TYPE_P(val)) {
		case IS_STRING:
			if (strlen(Z_STRVAL_P(val)) != Z_STRLEN_P(val)) {
				sdiag_error_set(err, SDIAG_CAT_CONFIG_INVALID, SDIAG_PHASE_CONFIG, "option \"%s\" contains a NUL byte", key);
				return FAILURE;
			}
			*out = Z_STRVAL_P(val);
			return SUCCESS;
		case IS_LONG:
			snprintf(buf, len, ZEND_LONG_FMT, Z_LVAL_P(val));
			*out = buf;
			return SUCCESS;
		case IS_DOUBLE:
			snprintf(buf, len, "%.17g", Z_DVAL_P(val));
			*out = buf;
			return SUCCESS;
		case IS_TRUE:
			*out = "1";
			return SUCCESS;
		case IS_FALSE:
			*out = "0";
			return SUCCESS;
		default:
			sdiag_error_set(err, SDIAG_CAT_CONFIG_INVALID, SDIAG_PHASE_CONFIG, "option \"%s\" must be of type string|int|float|bool, %s given", key, zend_zval_type_name(val));
			*type_error = true;
			return FAILURE;
	}
}

/* dns_servers may be a list: join it with commas. */
static zend_result join_list(const char *key, zval *val, smart_str *s, sdiag_error_t *err, bool *type_error)
{
	zval *item;
	ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(val), item) {
		char buf[64];
		const char *str;
		if (Z_TYPE_P(item) != IS_STRING) {
			sdiag_error_set(err, SDIAG_CAT_CONFIG_INVALID, SDIAG_PHASE_CONFIG, "option \"%s\" must be a list of strings", key);
			*type_error = true;
			return FAILURE;
		}
		if (scalar_string(key, item, buf, sizeof(buf), &str, err, type_error) == FAILURE) {
			return FAILURE;
		}
		if (s->s && ZSTR_LEN(s->s)) {
			smart_str_appendc(s, ',');
		}
		smart_str_appends(s, str);
	} ZEND_HASH_FOREACH_END();
	smart_str_0(s);
	return SUCCESS;
}

static zend_result set_option(sdiag_config_t *cfg, zend_string *key, zval *val, sdiag_error_t *err, bool *type_error)
{
	char buf[64];
	const char *str;
	zend_result r;
	ZVAL_DEREF(val);
	if (Z_TYPE_P(val) == IS_NULL) {
		/* Laravel configs carry nulls for unset values */
		if (!sdiag_config_known(ZSTR_VAL(key))) {
			sdiag_error_set(err, SDIAG_CAT_CONFIG_INVALID, SDIAG_PHASE_CONFIG, "unknown option \"%s\"", ZSTR_VAL(key));
			return FAILURE;
		}
		return SUCCESS;
	}
	if (Z_TYPE_P(val) == IS_ARRAY && zend_string_equals_literal(key, "dns_servers")) {
		smart_str s = {0};
		r = join_list(ZSTR_VAL(key), val, &s, err, type_error);
		if (r == SUCCESS && sdiag_config_set(cfg, ZSTR_VAL(key), s.s ? ZSTR_VAL(s.s) : "", err) != SDIAG_OK) {
			r = FAILURE;
		}
		smart_str_free(&s);
		return r;
	}
	if (scalar_string(ZSTR_VAL(key), val, buf, sizeof(buf), &str, err, type_error) == FAILURE) {
		return FAILURE;
	}
	r = sdiag_config_set(cfg, ZSTR_VAL(key), str, err) == SDIAG_OK ? SUCCESS : FAILURE;
	OPENSSL_cleanse(buf, sizeof(buf));
	return r;
}

static bool skipped(zend_string *key, const char *const *skip)
{
	for (; skip && *skip; skip++) {
		if (zend_string_equals_cstr(key, *skip, strlen(*skip))) {
			return true;
		}
	}
	return false;
}

static zend_result set_all(sdiag_config_t *cfg, HashTable *ht, const char *const *skip, sdiag_error_t *err, bool *type_error)
{
	zend_string *key;
	zend_ulong idx;
	zval *val;
	ZEND_HASH_FOREACH_KEY_VAL(ht, idx, key, val) {
		if (!key) {
			sdiag_error_set(err, SDIAG_CAT_CONFIG_INVALID, SDIAG_PHASE_CONFIG, "option keys must be strings, got the integer key " ZEND_ULONG_FMT, idx);
			return FAILURE;
		}
		if (skipped(key, skip)) {
			continue;
		}
		if (set_option(cfg, key, val, err, type_error) == FAILURE) {
			return FAILURE;
		}
	} ZEND_HASH_FOREACH_END();
	return SUCCESS;
}

void php_smtpdiag_config_defaults(sdiag_config_t *cfg)
{
	if (cfg->timeout_ms <= 0) {
		cfg->timeout_ms = SMTPDIAG_G(default_timeout) * 1000.0;
	}
	if (!cfg->cafile && !cfg->capath && SMTPDIAG_G(cafile) && *SMTPDIAG_G(cafile)) {
		cfg->cafile = sdiag_strdup(SMTPDIAG_G(cafile));
	}
	if (!cfg->dns_servers && SMTPDIAG_G(dns_servers) && *SMTPDIAG_G(dns_servers)) {
		cfg->dns_servers = sdiag_strdup(SMTPDIAG_G(dns_servers));
	}
}

zend_result php_smtpdiag_config_build(sdiag_config_t *cfg, zval *target, HashTable *options, const char *const *skip,
	sdiag_error_t *err, php_smtpdiag_arg_t *bad_arg, bool *type_error)
{
	*type_error = false;
	*bad_arg = PHP_SMTPDIAG_ARG_TARGET;
	sdiag_config_init(cfg);
	sdiag_error_clear(err);
	if (Z_TYPE_P(target) == IS_STRING) {
		if (strlen(Z_STRVAL_P(target)) != Z_STRLEN_P(target)) {
			sdiag_error_set(err, SDIAG_CAT_CONFIG_INVALID, SDIAG_PHASE_CONFIG, "the DSN contains a NUL byte");
			return FAILURE;
		}
		if (sdiag_config_parse_dsn(cfg, Z_STRVAL_P(target), err) != SDIAG_OK) {
			return FAILURE;
		}
	} else if (set_all(cfg, Z_ARRVAL_P(target), NULL, err, type_error) == FAILURE) {
		return FAILURE;
	}
	*bad_arg = PHP_SMTPDIAG_ARG_OPTIONS;
	if (options && set_all(cfg, options, skip, err, type_error) == FAILURE) {
		return FAILURE;
	}
	php_smtpdiag_config_defaults(cfg);
	*bad_arg = PHP_SMTPDIAG_ARG_BOTH;
	return sdiag_config_finalize(cfg, err) == SDIAG_OK ? SUCCESS : FAILURE;
}

void php_smtpdiag_throw_config_error(const sdiag_error_t *err, php_smtpdiag_arg_t arg, bool type_error)
{
	if (arg == PHP_SMTPDIAG_ARG_BOTH) {
		/* the settings contradict each other across the DSN and the options */
		const char *space;
		const char *cls = get_active_class_name(&space);
		zend_value_error("%s%s%s(): the configuration is invalid: %s", cls, space, get_active_function_name(), err->message);
	} else if (type_error) {
		zend_argument_type_error((uint32_t)arg, "is invalid: %s", err->message);
	} else {
		zend_argument_value_error((uint32_t)arg, "is invalid: %s", err->message);
	}
}

static zend_string *text(const char *s, size_t len, bool lines)
{
	sdiag_buf_t b;
	zend_string *r;
	size_t i;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c < 0x20 && !(lines && c == '\n')) || c >= 0x7F) {
			break;
		}
	}
	if (i == len) {
		return zend_string_init(s, len, 0);
	}
	sdiag_buf_init(&b, len * 6 + 16);
	if ((lines ? sdiag_sanitize_lines(&b, s, len) : sdiag_sanitize(&b, s, len)) != SDIAG_BUF_OK) {
		sdiag_buf_free(&b);
		return zend_string_init("(unprintable)", sizeof("(unprintable)") - 1, 0);
	}
	r = zend_string_init(b.data ? b.data : "", b.len, 0);
	sdiag_buf_free(&b);
	return r;
}

zend_string *php_smtpdiag_text(const char *s, size_t len)
{
	return text(s, len, false);
}

zend_string *php_smtpdiag_text_lines(const char *s, size_t len)
{
	return text(s, len, true);
}

void php_smtpdiag_add_text(zval *arr, const char *key, const char *s)
{
	add_assoc_str(arr, key, php_smtpdiag_text(s ? s : "", s ? strlen(s) : 0));
}

void php_smtpdiag_transcript_array(zval *out, const sdiag_transcript_t *t)
{
	size_t i;
	array_init_size(out, (uint32_t)t->n);
	for (i = 0; i < t->n; i++) {
		const sdiag_tentry_t *e = &t->entries[i];
		zval entry;
		array_init_size(&entry, 4);
		add_assoc_double(&entry, "t", (double)((long long)(e->t * 1000.0)) / 1000.0);
		add_assoc_string(&entry, "dir", (char *)sdiag_dir_name((sdiag_dir_t)e->dir));
		add_assoc_bool(&entry, "tls", e->tls);
		add_assoc_stringl(&entry, "text", (char *)sdiag_tentry_text(t, e), e->len);
		add_next_index_zval(out, &entry);
	}
}

void php_smtpdiag_caps_array(zval *out, const sdiag_caps_t *caps)
{
	size_t i;
	array_init(out);
	for (i = 0; i < caps->n; i++) {
		const sdiag_cap_t *c = &caps->caps[i];
		if (!c->params) {
			add_assoc_bool(out, c->keyword, 1);
		} else if (strcmp(c->keyword, "AUTH") == 0) {
			zval list;
			const char *p = c->params;
			array_init(&list);
			while (*p) {
				size_t n = strcspn(p, " ");
				if (n) {
					zend_string *m = php_smtpdiag_text(p, n);
					zend_str_toupper(ZSTR_VAL(m), n);
					add_next_index_str(&list, m);
				}
				p += n;
				p += strspn(p, " ");
			}
			add_assoc_zval(out, c->keyword, &list);
		} else {
			php_smtpdiag_add_text(out, c->keyword, c->params);
		}
	}
}

static void cert_array(zval *out, const sdiag_cert_info_t *ci)
{
	zval sans;
	size_t i;
	array_init(out);
	php_smtpdiag_add_text(out, "subject", ci->subject);
	php_smtpdiag_add_text(out, "issuer", ci->issuer);
	array_init(&sans);
	for (i = 0; i < ci->nsans; i++) {
		add_next_index_str(&sans, php_smtpdiag_text(ci->sans[i], strlen(ci->sans[i])));
	}
	add_assoc_zval(out, "san", &sans);
	add_assoc_string(out, "not_before", (char *)ci->not_before);
	add_assoc_string(out, "not_after", (char *)ci->not_after);
	add_assoc_string(out, "serial", (char *)ci->serial);
	add_assoc_string(out, "fingerprint_sha256", (char *)ci->fingerprint_sha256);
	add_assoc_string(out, "key_type", (char *)ci->key_type);
	add_assoc_long(out, "key_bits", ci->key_bits);
	add_assoc_string(out, "signature_algorithm", (char *)ci->signature_algorithm);
}

void php_smtpdiag_tls_array(zval *out, const sdiag_tls_info_t *ti, const sdiag_conn_t *c)
{
	zval chain, leaf;
	size_t i;
	array_init(out);
	add_assoc_string(out, "mode", (char *)(c->cfg->encryption == SDIAG_ENC_IMPLICIT ? "implicit" : "starttls"));
	add_assoc_string(out, "protocol", (char *)ti->protocol);
	add_assoc_string(out, "cipher", (char *)ti->cipher);
	add_assoc_long(out, "cipher_bits", ti->cipher_bits);
	add_assoc_string(out, "sni", (char *)ti->sni);
	add_assoc_string(out, "peer_name", (char *)ti->peer_name);
	add_assoc_bool(out, "verify_peer", ti->verify_enabled);
	add_assoc_bool(out, "verified", ti->verified);
	add_assoc_long(out, "verify_code", ti->verify_code);
	add_assoc_string(out, "verify_result", (char *)ti->verify_reason);
	add_assoc_long(out, "discarded_bytes", (zend_long)c->smtp.injected);
	if (ti->nchain) {
		cert_array(&leaf, &ti->chain[0]);
		add_assoc_zval(out, "certificate", &leaf);
	} else {
		add_assoc_null(out, "certificate");
	}
	array_init(&chain);
	for (i = 0; i < ti->nchain; i++) {
		zval ci;
		cert_array(&ci, &ti->chain[i]);
		add_next_index_zval(&chain, &ci);
	}
	add_assoc_zval(out, "chain", &chain);
}

void php_smtpdiag_error_array(zval *out, const sdiag_error_t *err)
{
	array_init(out);
	add_assoc_string(out, "category", (char *)sdiag_category_name(err->category));
	add_assoc_string(out, "phase", (char *)sdiag_phase_name(err->phase));
	add_assoc_bool(out, "transient", err->transient);
	if (err->smtp_code) {
		add_assoc_long(out, "code", err->smtp_code);
	} else {
		add_assoc_null(out, "code");
	}
	if (err->enhanced[0]) {
		add_assoc_string(out, "enhanced", (char *)err->enhanced);
	} else {
		add_assoc_null(out, "enhanced");
	}
	php_smtpdiag_add_text(out, "message", err->message);
	php_smtpdiag_add_text(out, "hint", err->hint);
}
