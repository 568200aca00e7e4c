/*
 * smtpdiag glue: smtpdiag_dns() and smtpdiag_spf(), the options the DNS
 * checks share with smtpdiag_check(), and core value trees as PHP arrays.
 */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
#include "zend_smart_str.h"
#include "php_smtpdiag_int.h"
#include "php_smtpdiag_dns.h"
#include "../../php_smtpdiag.h"
#include "../core/spf.h"

void php_smtpdiag_value_zval(zval *out, const sdiag_value_t *v)
{
	size_t i;
	if (!v) {
		ZVAL_NULL(out);
		return;
	}
	switch (v->type) {
		case SDIAG_V_NULL:
			ZVAL_NULL(out);
			break;
		case SDIAG_V_BOOL:
			ZVAL_BOOL(out, v->u.b);
			break;
		case SDIAG_V_INT:
			ZVAL_LONG(out, (zend_long)v->u.i);
			break;
		case SDIAG_V_STR:
			/* DNS text is whatever the zone holds: made safe like server text */
			ZVAL_STR(out, php_smtpdiag_text(v->u.str.s, v->u.str.len));
			break;
		case SDIAG_V_LIST:
			array_init_size(out, (uint32_t)v->u.c.n);
			for (i = 0; i < v->u.c.n; i++) {
				zval item;
				php_smtpdiag_value_zval(&item, v->u.c.items[i]);
				add_next_index_zval(out, &item);
			}
			break;
		case SDIAG_V_MAP:
			array_init_size(out, (uint32_t)v->u.c.n);
			for (i = 0; i < v->u.c.n; i++) {
				zval item;
				php_smtpdiag_value_zval(&item, v->u.c.items[i]);
				add_assoc_zval(out, v->u.c.keys[i], &item);
			}
			break;
	}
}

void php_smtpdiag_dns_opts_free(php_smtpdiag_dns_opts *o)
{
	size_t i;
	for (i = 0; i < o->nselectors; i++) {
		efree(o->selectors[i]);
	}
	o->nselectors = 0;
}

static bool add_selector(php_smtpdiag_dns_opts *o, const char *s, size_t len, sdiag_error_t *err)
{
	unsigned char q[SDIAG_DNS_QUERY_MAX];
	char name[SDIAG_DNS_NAME_MAX];
	while (len && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t')) {
		len--;
	}
	if (len == 0) {
		return true;
	}
	/* a selector is one or more labels (RFC 6376 3.1): check it as part of a name */
	if (len > 200 || memchr(s, '\0', len) || o->nselectors >= SDIAG_DKIM_SELECTORS_MAX) {
		goto bad;
	}
	snprintf(name, sizeof(name), "%.*s._domainkey.example", (int)len, s);
	if (strchr(name, '\\') || sdiag_dns_build_query(q, sizeof(q), 0, name, SDIAG_DNS_T_TXT) == 0) {
		goto bad;
	}
	o->selectors[o->nselectors++] = estrndup(s, len);
	return true;
bad:
	sdiag_error_set(err, SDIAG_CAT_CONFIG_INVALID, SDIAG_PHASE_CONFIG,
		"option \"dkim_selectors\" must be a list of at most %d DKIM selectors (DNS labels such as \"selector1\" or \"s2048.mail\")", SDIAG_DKIM_SELECTORS_MAX);
	return false;
}

zend_result php_smtpdiag_dns_opts_parse(HashTable *options, php_smtpdiag_dns_opts *o, unsigned defaults, sdiag_error_t *err)
{
	zval *v, *item;
	memset(o, 0, sizeof(*o));
	o->mask = defaults;
	o->https_port = 443;
	if (!options) {
		return SUCCESS;
	}
	if ((v = zend_hash_str_find_deref(options, ZEND_STRL("dns"))) && Z_TYPE_P(v) != IS_NULL) {
		if (Z_TYPE_P(v) == IS_FALSE) {
			o->mask = 0;
		} else if (Z_TYPE_P(v) == IS_ARRAY) {
			o->mask = 0;
			ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(v), item) {
				int bit;
				ZVAL_DEREF(item);
				if (Z_TYPE_P(item) != IS_STRING || (bit = sdiag_dnscheck_bit(Z_STRVAL_P(item))) < 0) {
					sdiag_error_set(err, SDIAG_CAT_CONFIG_INVALID, SDIAG_PHASE_CONFIG,
						"option \"dns\" must be a bool or a list of checks from \"mx\", \"spf\", \"dkim\", \"dmarc\", \"ptr\", \"mta_sts\", \"tls_rpt\", \"dane\", \"bimi\"");
					return FAILURE;
				}
				o->mask |= (unsigned)bit;
			} ZEND_HASH_FOREACH_END();
		} else if (Z_TYPE_P(v) != IS_TRUE) {
			sdiag_error_set(err, SDIAG_CAT_CONFIG_INVALID, SDIAG_PHASE_CONFIG, "option \"dns\" must be a bool or a list of check names");
			return FAILURE;
		}
	}
	if ((v = zend_hash_str_find_deref(options, ZEND_STRL("dkim_selectors"))) && Z_TYPE_P(v) != IS_NULL) {
		if (Z_TYPE_P(v) == IS_STRING) {
			const char *p = Z_STRVAL_P(v), *end = p + Z_STRLEN_P(v);
			while (p <= end) {
				const char *comma = memchr(p, ',', (size_t)(end - p));
				const char *stop = comma ? comma : end;
				if (!add_selector(o, p, (size_t)(stop - p), err)) {
					return FAILURE;
				}
				p = stop + 1;
			}
		} else if (Z_TYPE_P(v) == IS_ARRAY) {
			ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(v), item) {
				ZVAL_DEREF(item);
				if (Z_TYPE_P(item) != IS_STRING || Z_STRLEN_P(item) == 0 || !add_selector(o, Z_STRVAL_P(item), Z_STRLEN_P(item), err)) {
					if (err->category == SDIAG_CAT_NONE) {
						add_selector(o, "", 0, err);
						sdiag_error_set(err, SDIAG_CAT_CONFIG_INVALID, SDIAG_PHASE_CONFIG, "option \"dkim_selectors\" must be a list of non-empty strings");
					}
					return FAILURE;
				}
			} ZEND_HASH_FOREACH_END();
		} else {
			sdiag_error_set(err, SDIAG_CAT_CONFIG_INVALID, SDIAG_PHASE_CONFIG, "option \"dkim_selectors\" must be a list of selectors or a comma-separated string");
			return FAILURE;
		}
	}
	if ((v = zend_hash_str_find_deref(options, ZEND_STRL("https_port"))) && Z_TYPE_P(v) != IS_NULL) {
		if (Z_TYPE_P(v) != IS_LONG || Z_LVAL_P(v) < 1 || Z_LVAL_P(v) > 65535) {
			sdiag_error_set(err, SDIAG_CAT_CONFIG_INVALID, SDIAG_PHASE_CONFIG, "option \"https_port\" must be a port number (1 to 65535)");
			return FAILURE;
		}
		o->https_port = (uint16_t)Z_LVAL_P(v);
	}
	return SUCCESS;
}

/* A deadline for the loop: the checks left unfinished are reported so. */
typedef struct dns_wait {
	sdiag_dnscheck_t *dc;
	bool spf_done;
	bool expired;
} dns_wait;

static void on_deadline(void *ud)
{
	((dns_wait *)ud)->expired = true;
}

static int dns_finished(void *ud)
{
	dns_wait *w = ud;
	if (w->expired) {
		return 1;
	}
	return w->dc ? sdiag_dnscheck_finished(w->dc) : w->spf_done;
}

void php_smtpdiag_dns_wait(sdiag_loop_t *loop, sdiag_dnscheck_t *dc, double deadline)
{
	dns_wait w = {dc, false, false};
	sdiag_timer_t t;
	memset(&t, 0, sizeof(t));
	sdiag_loop_timer_set(loop, &t, deadline, on_deadline, &w);
	sdiag_loop_run(loop, dns_finished, &w);
	sdiag_loop_timer_clear(loop, &t);
}

void php_smtpdiag_dns_steps(zval *steps, sdiag_dnscheck_t *dc, sdiag_error_t *first)
{
	sdiag_steps_t out;
	size_t i;
	out.n = 0;
	sdiag_dnscheck_steps(dc, &out);
	for (i = 0; i < out.n; i++) {
		const sdiag_step_t *s = &out.steps[i];
		zval step, data;
		array_init_size(&step, 6);
		add_assoc_string(&step, "id", (char *)s->id);
		add_assoc_string(&step, "status", (char *)sdiag_step_status_name(s->status));
		add_assoc_double(&step, "duration_ms", (double)((long long)(s->duration_ms * 1000.0)) / 1000.0);
		php_smtpdiag_add_text(&step, "message", s->message);
		if (s->hint[0]) {
			php_smtpdiag_add_text(&step, "hint", s->hint);
		} else {
			add_assoc_null(&step, "hint");
		}
		if (s->data) {
			php_smtpdiag_value_zval(&data, s->data);
		} else {
			array_init(&data);
		}
		add_assoc_zval(&step, "data", &data);
		add_next_index_zval(steps, &step);
		if (s->status == SDIAG_STEP_FAIL && first && first->category == SDIAG_CAT_NONE) {
			/* a domain record that receivers hold against the mail, or a
			 * look-up that failed */
			sdiag_value_t *st = sdiag_v_get(s->data, "dns_status");
			int lookup = st && st->type == SDIAG_V_STR && strcmp(st->u.str.s, "nxdomain") != 0 && strcmp(st->u.str.s, "ok") != 0 &&
				strcmp(st->u.str.s, "nodata") != 0;
			sdiag_error_set(first, lookup ? SDIAG_CAT_DNS_ERROR : SDIAG_CAT_SPAM_OR_POLICY, SDIAG_PHASE_DNS, "%s: %s", s->id, s->message);
			if (s->hint[0]) {
				sdiag_error_hint(first, "%s", s->hint);
			}
		}
	}
	sdiag_steps_free_data(&out);
}

static const char *const dns_keys[] = {"dns_servers", "timeout", "cafile", "capath", "verify_peer", "verify_peer_name", NULL};
static const char *const dns_own_keys[] = {"dns", "dkim_selectors", "https_port", "ip", "sender", "helo", NULL};

static bool in_list(const char *const *list, zend_string *key)
{
	for (; *list; list++) {
		if (zend_string_equals_cstr(key, *list, strlen(*list))) {
			return true;
		}
	}
	return false;
}

/* The options of smtpdiag_dns()/smtpdiag_spf(): the resolver's and the
 * HTTPS fetches' settings; no SMTP target. */
static zend_result dns_config(sdiag_config_t *cfg, HashTable *options, const char *const *own, uint32_t arg)
{
	zend_string *key;
	zval *val;
	sdiag_error_t err;
	sdiag_config_init(cfg);
	sdiag_error_clear(&err);
	if (options) {
		ZEND_HASH_FOREACH_STR_KEY_VAL(options, key, val) {
			ZVAL_DEREF(val);
			if (!key || (!in_list(dns_keys, key) && !in_list(own, key))) {
				zend_argument_value_error(arg, "is invalid: unknown option \"%s\"", key ? ZSTR_VAL(key) : "(integer key)");
				return FAILURE;
			}
			if (!in_list(dns_keys, key) || Z_TYPE_P(val) == IS_NULL) {
				continue;
			}
			if (zend_string_equals_literal(key, "dns_servers") && Z_TYPE_P(val) == IS_ARRAY) {
				zval *item;
				smart_str s = {0};
				ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(val), item) {
					if (Z_TYPE_P(item) != IS_STRING) {
						smart_str_free(&s);
						zend_argument_type_error(arg, "is invalid: option \"dns_servers\" must be a list of strings");
						return FAILURE;
					}
					if (s.s && ZSTR_LEN(s.s)) {
						smart_str_appendc(&s, ',');
					}
					smart_str_append(&s, Z_STR_P(item));
				} ZEND_HASH_FOREACH_END();
				smart_str_0(&s);
				if (sdiag_config_set(cfg, "dns_servers", s.s ? ZSTR_VAL(s.s) : "", &err) != SDIAG_OK) {
					smart_str_free(&s);
					zend_argument_value_error(arg, "is invalid: %s", err.message);
					return FAILURE;
				}
				smart_str_free(&s);
				continue;
			}
			if (Z_TYPE_P(val) == IS_ARRAY || Z_TYPE_P(val) == IS_OBJECT) {
				zend_argument_type_error(arg, "is invalid: option \"%s\" must be of type string|int|float|bool, %s given", ZSTR_VAL(key), zend_zval_type_name(val));
				return FAILURE;
			}
			{
				zend_string *s = zval_get_string(val);
				if (ZSTR_LEN(s) != strlen(ZSTR_VAL(s)) || sdiag_config_set(cfg, ZSTR_VAL(key), ZSTR_VAL(s), &err) != SDIAG_OK) {
					if (err.category == SDIAG_CAT_NONE) {
						sdiag_error_set(&err, SDIAG_CAT_CONFIG_INVALID, SDIAG_PHASE_CONFIG, "option \"%s\" contains a NUL byte", ZSTR_VAL(key));
					}
					zend_string_release(s);
					zend_argument_value_error(arg, "is invalid: %s", err.message);
					return FAILURE;
				}
				zend_string_release(s);
			}
		} ZEND_HASH_FOREACH_END();
	}
	php_smtpdiag_config_defaults(cfg);
	return SUCCESS;
}

/* A string option of smtpdiag_dns(): NULL when absent; ValueError on a NUL
 * byte or CR/LF (they would reach DNS names and SPF macros). */
static zend_result str_opt(HashTable *options, const char *key, const char **out, uint32_t arg)
{
	zval *v = options ? zend_hash_str_find_deref(options, key, strlen(key)) : NULL;
	*out = NULL;
	if (!v || Z_TYPE_P(v) == IS_NULL) {
		return SUCCESS;
	}
	if (Z_TYPE_P(v) != IS_STRING) {
		zend_argument_type_error(arg, "is invalid: option \"%s\" must be of type string, %s given", key, zend_zval_type_name(v));
		return FAILURE;
	}
	if (!sdiag_wire_safe_text(Z_STRVAL_P(v)) || strlen(Z_STRVAL_P(v)) != Z_STRLEN_P(v)) {
		zend_argument_value_error(arg, "is invalid: option \"%s\" must not contain NUL, CR or LF", key);
		return FAILURE;
	}
	*out = Z_STRVAL_P(v);
	return SUCCESS;
}

static bool valid_ip(const char *s)
{
	unsigned char a[16];
	return inet_pton(AF_INET, s, a) == 1 || inet_pton(AF_INET6, s, a) == 1;
}

static bool valid_domain(const zend_string *d)
{
	unsigned char q[SDIAG_DNS_QUERY_MAX];
	return ZSTR_LEN(d) > 0 && ZSTR_LEN(d) == strlen(ZSTR_VAL(d)) && !strchr(ZSTR_VAL(d), '\\') && !strchr(ZSTR_VAL(d), ' ') &&
		sdiag_dns_build_query(q, sizeof(q), 0, ZSTR_VAL(d), SDIAG_DNS_T_TXT) != 0;
}

static void report_tail(zval *return_value, zval *steps, const char *domain, double t0, const sdiag_error_t *first)
{
	zval z;
	php_smtpdiag_report_outcome(return_value, steps);
	array_init(&z);
	add_assoc_string(&z, "domain", (char *)domain);
	add_assoc_zval(return_value, "target", &z);
	add_assoc_double(return_value, "duration_ms", (double)((long long)((sdiag_now_ms() - t0) * 1000.0)) / 1000.0);
	Z_ADDREF_P(steps);
	add_assoc_zval(return_value, "steps", steps);
	if (first->category != SDIAG_CAT_NONE) {
		php_smtpdiag_error_array(&z, first);
		add_assoc_zval(return_value, "error", &z);
	} else {
		add_assoc_null(return_value, "error");
	}
	array_init(&z);
	add_assoc_zval(return_value, "transcript", &z);
}

ZEND_FUNCTION(smtpdiag_dns)
{
	zend_string *domain;
	HashTable *options = NULL;
	sdiag_config_t cfg;
	php_smtpdiag_dns_opts o;
	sdiag_loop_t loop;
	sdiag_resolver_t resolver;
	sdiag_dnscheck_t *dc;
	sdiag_dnscheck_in_t in;
	sdiag_error_t err, first;
	const char *ip, *sender, *helo;
	double t0 = sdiag_now_ms();
	zval steps;

	ZEND_PARSE_PARAMETERS_START(1, 2)
		Z_PARAM_STR(domain)
		Z_PARAM_OPTIONAL
		Z_PARAM_ARRAY_HT(options)
	ZEND_PARSE_PARAMETERS_END();

	if (!valid_domain(domain)) {
		zend_argument_value_error(1, "must be a domain name such as \"example.com\"");
		RETURN_THROWS();
	}
	if (str_opt(options, "ip", &ip, 2) == FAILURE || str_opt(options, "sender", &sender, 2) == FAILURE ||
		str_opt(options, "helo", &helo, 2) == FAILURE) {
		RETURN_THROWS();
	}
	if (ip && !valid_ip(ip)) {
		zend_argument_value_error(2, "is invalid: option \"ip\" must be an IPv4 or IPv6 address");
		RETURN_THROWS();
	}
	sdiag_error_clear(&err);
	if (php_smtpdiag_dns_opts_parse(options, &o, SDIAG_DNSCHECK_ALL & ~(unsigned)SDIAG_DNSCHECK_DANE, &err) == FAILURE) {
		php_smtpdiag_dns_opts_free(&o);
		zend_argument_value_error(2, "is invalid: %s", err.message);
		RETURN_THROWS();
	}
	if (dns_config(&cfg, options, dns_own_keys, 2) == FAILURE) {
		php_smtpdiag_dns_opts_free(&o);
		sdiag_config_free(&cfg);
		RETURN_THROWS();
	}
	sdiag_loop_init(&loop);
	if (sdiag_resolver_init(&resolver, &loop, cfg.dns_servers, cfg.timeout_ms, &err) != SDIAG_OK) {
		sdiag_loop_free(&loop);
		php_smtpdiag_dns_opts_free(&o);
		sdiag_config_free(&cfg);
		zend_argument_value_error(2, "is invalid: %s", err.message);
		RETURN_THROWS();
	}
	memset(&in, 0, sizeof(in));
	in.ops = sdiag_dns_resolver_ops(&resolver);
	in.loop = &loop;
	in.cfg = &cfg;
	in.domain = ZSTR_VAL(domain);
	in.sender = sender;
	in.helo = helo;
	in.spf_ip = ip;
	in.selectors = (const char *const *)o.selectors;
	in.nselectors = o.nselectors;
	in.https_port = o.https_port;
	in.user_agent = "smtpdiag/" PHP_SMTPDIAG_VERSION;
	dc = emalloc(sizeof(*dc));
	sdiag_dnscheck_start(dc, &in, o.mask);
	php_smtpdiag_dns_wait(&loop, dc, t0 + cfg.timeout_ms);

	array_init(return_value);
	array_init(&steps);
	sdiag_error_clear(&first);
	php_smtpdiag_dns_steps(&steps, dc, &first);
	sdiag_resolver_free(&resolver);
	sdiag_dnscheck_free(dc);
	efree(dc);
	report_tail(return_value, &steps, ZSTR_VAL(domain), t0, &first);
	zval_ptr_dtor(&steps);
	sdiag_loop_free(&loop);
	php_smtpdiag_dns_opts_free(&o);
	sdiag_config_free(&cfg);
}

static const char *const spf_own_keys[] = {"receiver", NULL};

static void spf_done(void *ud, sdiag_spf_t *spf)
{
	(void)spf;
	((dns_wait *)ud)->spf_done = true;
}

ZEND_FUNCTION(smtpdiag_spf)
{
	zend_string *ip, *domain, *sender = NULL, *helo = NULL;
	HashTable *options = NULL;
	sdiag_config_t cfg;
	sdiag_loop_t loop;
	sdiag_resolver_t resolver;
	sdiag_error_t err;
	sdiag_spf_req_t req;
	sdiag_spf_t *spf;
	sdiag_timer_t t;
	const char *receiver;
	dns_wait w = {NULL, false, false};
	double t0 = sdiag_now_ms();

	ZEND_PARSE_PARAMETERS_START(2, 5)
		Z_PARAM_STR(ip)
		Z_PARAM_STR(domain)
		Z_PARAM_OPTIONAL
		Z_PARAM_STR(sender)
		Z_PARAM_STR(helo)
		Z_PARAM_ARRAY_HT(options)
	ZEND_PARSE_PARAMETERS_END();

	if (!valid_ip(ZSTR_VAL(ip)) || ZSTR_LEN(ip) != strlen(ZSTR_VAL(ip))) {
		zend_argument_value_error(1, "must be an IPv4 or IPv6 address");
		RETURN_THROWS();
	}
	if (ZSTR_LEN(domain) != strlen(ZSTR_VAL(domain)) || !sdiag_wire_safe_text(ZSTR_VAL(domain))) {
		zend_argument_value_error(2, "must not contain NUL, CR or LF");
		RETURN_THROWS();
	}
	if (sender && (ZSTR_LEN(sender) != strlen(ZSTR_VAL(sender)) || !sdiag_wire_safe_text(ZSTR_VAL(sender)))) {
		zend_argument_value_error(3, "must not contain NUL, CR or LF");
		RETURN_THROWS();
	}
	if (helo && (ZSTR_LEN(helo) != strlen(ZSTR_VAL(helo)) || !sdiag_wire_safe_text(ZSTR_VAL(helo)))) {
		zend_argument_value_error(4, "must not contain NUL, CR or LF");
		RETURN_THROWS();
	}
	if (str_opt(options, "receiver", &receiver, 5) == FAILURE) {
		RETURN_THROWS();
	}
	if (dns_config(&cfg, options, spf_own_keys, 5) == FAILURE) {
		/* what was set before the bad option */
		sdiag_config_free(&cfg);
		RETURN_THROWS();
	}
	sdiag_loop_init(&loop);
	if (sdiag_resolver_init(&resolver, &loop, cfg.dns_servers, cfg.timeout_ms, &err) != SDIAG_OK) {
		sdiag_loop_free(&loop);
		sdiag_config_free(&cfg);
		zend_argument_value_error(5, "is invalid: %s", err.message);
		RETURN_THROWS();
	}
	memset(&req, 0, sizeof(req));
	req.ip = ZSTR_VAL(ip);
	req.domain = ZSTR_VAL(domain);
	req.sender = sender ? ZSTR_VAL(sender) : "";
	req.helo = helo ? ZSTR_VAL(helo) : "";
	req.receiver = receiver;
	spf = sdiag_spf_start(sdiag_dns_resolver_ops(&resolver), &req, spf_done, &w);
	if (spf && !w.spf_done) {
		memset(&t, 0, sizeof(t));
		sdiag_loop_timer_set(&loop, &t, t0 + cfg.timeout_ms, on_deadline, &w);
		sdiag_loop_run(&loop, dns_finished, &w);
		sdiag_loop_timer_clear(&loop, &t);
	}
	array_init(return_value);
	if (!spf) {
		add_assoc_string(return_value, "result", "temperror");
		add_assoc_string(return_value, "problem", "out of memory");
	} else if (!w.spf_done) {
		add_assoc_string(return_value, "result", "temperror");
		add_assoc_string(return_value, "problem", "the evaluation did not finish before the timeout");
	} else {
		sdiag_value_t *data = sdiag_spf_data(spf);
		zval *val;
		zend_string *key;
		zval z;
		php_smtpdiag_value_zval(&z, data);
		sdiag_v_free(data);
		if (Z_TYPE(z) == IS_ARRAY) {
			ZEND_HASH_FOREACH_STR_KEY_VAL(Z_ARRVAL(z), key, val) {
				if (key) {
					Z_TRY_ADDREF_P(val);
					add_assoc_zval_ex(return_value, ZSTR_VAL(key), ZSTR_LEN(key), val);
				}
			} ZEND_HASH_FOREACH_END();
		}
		zval_ptr_dtor(&z);
	}
	add_assoc_double(return_value, "duration_ms", (double)((long long)((sdiag_now_ms() - t0) * 1000.0)) / 1000.0);
	sdiag_resolver_free(&resolver);
	if (spf) {
		sdiag_spf_free(spf);
	}
	sdiag_loop_free(&loop);
	sdiag_config_free(&cfg);
}
