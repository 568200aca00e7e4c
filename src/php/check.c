/*
 * smtpdiag glue: smtpdiag_check() and smtpdiag_format(). The checks run in
 * the core; this file turns their outcome into the report array (SPEC:
 * ok, status, target, duration_ms, steps, error, transcript) and renders a
 * report as text.
 */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
#include "zend_exceptions.h"
#include "zend_smart_str.h"
#include "php_smtpdiag_int.h"
#include "php_smtpdiag_dns.h"
#include "../../php_smtpdiag.h"
#include "../core/classify.h"
#include "../core/probe.h"

#include <stdarg.h>

static double ms_round(double ms)
{
	return (double)((long long)(ms * 10.0 + 0.5)) / 10.0;
}

static void add_step(zval *steps, const sdiag_step_t *s, zval *data)
{
	zval step;
	array_init_size(&step, 6);
	add_assoc_string(&step, "id", (char *)s->id);
	add_assoc_string(&step, "status", (char *)sdiag_step_status_name(s->status));
	add_assoc_double(&step, "duration_ms", ms_round(s->duration_ms));
	php_smtpdiag_add_text(&step, "message", s->message);
	if (s->hint[0]) {
		php_smtpdiag_add_text(&step, "hint", s->hint);
	} else {
		add_assoc_null(&step, "hint");
	}
	if (data && Z_TYPE_P(data) == IS_ARRAY) {
		add_assoc_zval(&step, "data", data);
	} else {
		zval empty;
		array_init(&empty);
		add_assoc_zval(&step, "data", &empty);
	}
	add_next_index_zval(steps, &step);
}

static void config_data(zval *data, const sdiag_config_t *cfg)
{
	array_init(data);
	add_assoc_string(data, "host", cfg->host ? cfg->host : "");
	add_assoc_long(data, "port", cfg->port);
	add_assoc_string(data, "encryption", (char *)sdiag_encryption_name(cfg->encryption));
	if (cfg->encryption_given) {
		add_assoc_string(data, "encryption_given", cfg->encryption_given);
	} else {
		add_assoc_null(data, "encryption_given");
	}
	add_assoc_string(data, "encryption_note", (char *)cfg->encryption_note);
	if (cfg->username) {
		add_assoc_string(data, "username", cfg->username);
	} else {
		add_assoc_null(data, "username");
	}
	add_assoc_bool(data, "password_set", cfg->password != NULL);
	add_assoc_bool(data, "verify_peer", cfg->verify_peer);
	add_assoc_double(data, "timeout", cfg->timeout_ms / 1000.0);
}

/* Mailbox providers that refuse or rewrite a From other than the
 * authenticated account's address (or an alias it may send as); the hint
 * names where that permission is granted. */
static const char *send_as_hint(sdiag_provider_t p)
{
	switch (p) {
		case SDIAG_PROVIDER_MICROSOFT365:
			return "Microsoft 365 rejects it (554 5.7.60 SendAsDenied) unless the account has Send As rights on that mailbox: send from the account's own address, or have an admin grant Send As.";
		case SDIAG_PROVIDER_GMAIL:
			return "Gmail rewrites the From to the account's address unless the address is added and verified under Settings, Accounts, \"Send mail as\".";
		case SDIAG_PROVIDER_YAHOO:
		case SDIAG_PROVIDER_ICLOUD:
		case SDIAG_PROVIDER_ZOHO:
			return "This provider rejects a From that is not the account's address or one of its verified aliases: send from the account's address, or add the address as an alias.";
		default:
			return NULL;
	}
}

/* The config step: the settings as read, with warnings for mismatches. */
static void config_step(zval *steps, const sdiag_config_t *cfg, const char *from)
{
	const char *send_as = NULL;
	const char *cloud = php_smtpdiag_cloud;
	sdiag_step_t s;
	zval data;
	memset(&s, 0, sizeof(s));
	s.id = "config";
	s.status = SDIAG_STEP_OK;
	snprintf(s.message, sizeof(s.message), "%s port %u, encryption %s (%s)", cfg->host, (unsigned)cfg->port, sdiag_encryption_name(cfg->encryption), cfg->encryption_note);
	if (cfg->port == 465 && (cfg->encryption == SDIAG_ENC_STARTTLS || cfg->encryption == SDIAG_ENC_AUTO || cfg->encryption == SDIAG_ENC_NONE)) {
		s.status = SDIAG_STEP_WARN;
		snprintf(s.message, sizeof(s.message), "port 465 normally speaks TLS from the first byte, but encryption is %s", sdiag_encryption_name(cfg->encryption));
		snprintf(s.hint, sizeof(s.hint), "Use encryption \"implicit\" (smtps://%s:465), or port 587 with encryption \"starttls\".", cfg->host);
	} else if (cfg->port == 587 && cfg->encryption == SDIAG_ENC_IMPLICIT) {
		s.status = SDIAG_STEP_WARN;
		snprintf(s.message, sizeof(s.message), "port 587 normally uses STARTTLS, but encryption is implicit TLS");
		snprintf(s.hint, sizeof(s.hint), "Use encryption \"starttls\" on port 587 (smtp://%s:587), or port 465 for implicit TLS.", cfg->host);
	} else if (cfg->username && cfg->encryption == SDIAG_ENC_NONE) {
		s.status = SDIAG_STEP_WARN;
		snprintf(s.message, sizeof(s.message), "credentials are configured but encryption is off: they would cross the network in plaintext");
		snprintf(s.hint, sizeof(s.hint), "Set encryption \"starttls\" (port 587) or \"implicit\" (port 465).");
	} else if (from && cfg->username && strchr(cfg->username, '@') && sdiag_strcasecmp(from, cfg->username) != 0
			&& (send_as = send_as_hint(sdiag_provider_detect(cfg->host, NULL))) != NULL) {
		s.status = SDIAG_STEP_WARN;
		snprintf(s.message, sizeof(s.message), "the sender %s is not the account %s", from, cfg->username);
		snprintf(s.hint, sizeof(s.hint), "%s", send_as);
	} else if (!cfg->verify_peer) {
		s.status = SDIAG_STEP_WARN;
		snprintf(s.message, sizeof(s.message), "certificate verification is off (verify_peer false)");
		snprintf(s.hint, sizeof(s.hint), "Turn verify_peer back on; give a private CA with the cafile option instead.");
	} else if (cfg->port == 25 && cloud) {
		s.status = SDIAG_STEP_WARN;
		snprintf(s.message, sizeof(s.message), "port 25 from a cloud host (%s): most clouds block outbound port 25", cloud);
		snprintf(s.hint, sizeof(s.hint), "Use the submission port 587 with STARTTLS (smtp://%s:587) or 465 with implicit TLS and an account, or ask %s to lift the port 25 limit.", cfg->host, cloud);
	}
	config_data(&data, cfg);
	if (cloud) {
		add_assoc_string(&data, "cloud", (char *)cloud);
	} else {
		add_assoc_null(&data, "cloud");
	}
	add_step(steps, &s, &data);
}

static void tls_step_data(zval *data, const sdiag_conn_t *c, bool certificate)
{
	static const char *const tls_keys[] = {"mode", "protocol", "cipher", "cipher_bits", "sni", "discarded_bytes", NULL};
	static const char *const cert_keys[] = {"peer_name", "verify_peer", "verified", "verify_code", "verify_result", "certificate", "chain", NULL};
	const char *const *k;
	zval full;
	if (!c->tls_info.done) {
		array_init(data);
		if (!certificate && c->smtp.injected) {
			add_assoc_long(data, "discarded_bytes", (zend_long)c->smtp.injected);
		}
		return;
	}
	php_smtpdiag_tls_array(&full, &c->tls_info, c);
	array_init(data);
	for (k = certificate ? cert_keys : tls_keys; *k; k++) {
		zval *v = zend_hash_str_find(Z_ARRVAL(full), *k, strlen(*k));
		if (v) {
			Z_TRY_ADDREF_P(v);
			add_assoc_zval(data, *k, v);
		}
	}
	zval_ptr_dtor(&full);
}

static void step_data(zval *data, const char *id, const sdiag_conn_t *c)
{
	size_t i;
	array_init(data);
	if (strcmp(id, "dns.host") == 0) {
		zval list;
		array_init(&list);
		for (i = 0; i < c->addrs.n; i++) {
			add_next_index_string(&list, c->addrs.addrs[i].text);
		}
		add_assoc_zval(data, "addresses", &list);
		if (c->cfg->dns_servers) {
			add_assoc_string(data, "dns_servers", c->cfg->dns_servers);
		}
	} else if (strcmp(id, "tcp.connect") == 0) {
		zval attempts;
		if (c->t_connected) {
			add_assoc_string(data, "address", (char *)c->peer_addr);
			add_assoc_long(data, "port", c->peer_port);
			add_assoc_string(data, "local_address", (char *)c->local_addr);
			add_assoc_long(data, "local_port", c->local_port);
		}
		array_init(&attempts);
		for (i = 0; i < c->nattempts; i++) {
			const sdiag_attempt_t *a = &c->attempts[i];
			zval at;
			char buf[128];
			array_init(&at);
			add_assoc_string(&at, "address", (char *)a->addr);
			add_assoc_string(&at, "family", a->family == AF_INET6 ? "ipv6" : "ipv4");
			add_assoc_string(&at, "result", a->cancelled ? "cancelled" : a->result == SDIAG_CAT_NONE ? "connected" : (char *)sdiag_category_name(a->result));
			if (a->sys_errno) {
				add_assoc_string(&at, "error", (char *)sdiag_strerror(a->sys_errno, buf, sizeof(buf)));
			} else {
				add_assoc_null(&at, "error");
			}
			add_assoc_double(&at, "duration_ms", ms_round(a->ms));
			add_next_index_zval(&attempts, &at);
		}
		add_assoc_zval(data, "attempts", &attempts);
	} else if (strcmp(id, "smtp.banner") == 0) {
		if (c->smtp.banner_code) {
			add_assoc_long(data, "code", c->smtp.banner_code);
			php_smtpdiag_add_text(data, "text", c->smtp.banner);
		}
	} else if (strcmp(id, "smtp.ehlo") == 0) {
		if (c->t_ehlo_done) {
			zval caps;
			add_assoc_string(data, "helo", (char *)c->smtp.helo);
			add_assoc_bool(data, "helo_fallback", c->smtp.helo_fallback);
			add_assoc_bool(data, "starttls_offered", c->smtp.starttls_offered);
			if (c->smtp.caps.greeting) {
				php_smtpdiag_add_text(data, "greeting", c->smtp.caps.greeting);
			}
			php_smtpdiag_caps_array(&caps, &c->smtp.caps);
			add_assoc_zval(data, "capabilities", &caps);
		}
	} else if (strcmp(id, "tls") == 0 || strcmp(id, "tls.certificate") == 0) {
		zval_ptr_dtor(data);
		tls_step_data(data, c, id[3] == '.');
	}
}

static void skipped_steps(zval *steps, const char *why)
{
	static const char *const ids[] = {"dns.host", "tcp.connect", "smtp.banner", "smtp.ehlo", "tls", "tls.certificate", "smtp.auth", "smtp.mail_from", "smtp.rcpt_to", "smtp.data"};
	size_t i;
	for (i = 0; i < sizeof(ids) / sizeof(*ids); i++) {
		sdiag_step_t s;
		memset(&s, 0, sizeof(s));
		s.id = ids[i];
		s.status = SDIAG_STEP_SKIP;
		snprintf(s.message, sizeof(s.message), "%s", why);
		add_step(steps, &s, NULL);
	}
}

static void target_array(zval *out, const sdiag_config_t *cfg)
{
	array_init(out);
	if (cfg->host) {
		add_assoc_string(out, "host", cfg->host);
	} else {
		add_assoc_null(out, "host");
	}
	add_assoc_long(out, "port", cfg->port);
	add_assoc_string(out, "encryption", (char *)sdiag_encryption_name(cfg->encryption));
	if (cfg->username) {
		add_assoc_string(out, "username", cfg->username);
	} else {
		add_assoc_null(out, "username");
	}
}

/* The check's own options, read before anything touches the network. */
#define CHECK_PORTS_MAX 8

typedef struct check_opts {
	zend_string *from;
	HashTable *to;       /* strings */
	bool send;
	zval logger;         /* UNDEF when none */
	uint16_t ports[CHECK_PORTS_MAX];
	size_t nports;
	php_smtpdiag_dns_opts dns;
} check_opts;

static const char *const check_keys[] = {"from", "to", "send", "logger", "ports", "dns", "dkim_selectors", "https_port", NULL};

/* The ports option: a list of ports, or false; by default the mail ports. */
static bool ports_parse(HashTable *options, check_opts *o, sdiag_error_t *err)
{
	static const uint16_t defaults[] = {25, 465, 587, 2525};
	zval *v = options ? zend_hash_str_find_deref(options, ZEND_STRL("ports")) : NULL, *item;
	o->nports = 0;
	if (!v || Z_TYPE_P(v) == IS_NULL || Z_TYPE_P(v) == IS_TRUE) {
		memcpy(o->ports, defaults, sizeof(defaults));
		o->nports = sizeof(defaults) / sizeof(*defaults);
		return true;
	}
	if (Z_TYPE_P(v) == IS_FALSE) {
		return true;
	}
	if (Z_TYPE_P(v) == IS_ARRAY && zend_hash_num_elements(Z_ARRVAL_P(v)) <= CHECK_PORTS_MAX) {
		ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(v), item) {
			ZVAL_DEREF(item);
			if (Z_TYPE_P(item) != IS_LONG || Z_LVAL_P(item) < 1 || Z_LVAL_P(item) > 65535) {
				break;
			}
			o->ports[o->nports++] = (uint16_t)Z_LVAL_P(item);
		} ZEND_HASH_FOREACH_END();
		if (o->nports == zend_hash_num_elements(Z_ARRVAL_P(v))) {
			return true;
		}
	}
	sdiag_error_set(err, SDIAG_CAT_CONFIG_INVALID, SDIAG_PHASE_CONFIG, "option \"ports\" must be false or a list of at most %d port numbers (1 to 65535)", CHECK_PORTS_MAX);
	return false;
}

/* The probes start as soon as the session knows the host's addresses, so
 * they run beside it; the configured port is the session's own. */
typedef struct probe_ctx {
	sdiag_probes_t *set;
	const check_opts *o;
	uint16_t session_port;
	/* the DNS checks start with the probes: SPF is evaluated for the
	 * server's first address */
	sdiag_dnscheck_t *dc;
	sdiag_dnscheck_in_t *dns_in;
	unsigned dns_mask;
	bool dns_started;
	char spf_ip[64];
} probe_ctx;

static void start_dns(probe_ctx *p, const char *ip)
{
	if (p->dns_started || !p->dns_mask) {
		return;
	}
	p->dns_started = true;
	if (ip && !p->dns_in->spf_ip) {
		snprintf(p->spf_ip, sizeof(p->spf_ip), "%s", ip);
		p->dns_in->spf_ip = p->spf_ip;
	}
	sdiag_dnscheck_start(p->dc, p->dns_in, p->dns_mask);
}

static void on_resolved(void *ud, const sdiag_addr_list_t *addrs)
{
	probe_ctx *p = ud;
	uint16_t ports[CHECK_PORTS_MAX];
	size_t i, n = 0;
	for (i = 0; i < p->o->nports; i++) {
		if (p->o->ports[i] != p->session_port) {
			ports[n++] = p->o->ports[i];
		}
	}
	if (p->o->nports) {
		sdiag_probes_start(p->set, addrs, ports, n);
	}
	/* a relay's outbound addresses are not its submission host's: SPF is
	 * then checked for the relay's include instead */
	start_dns(p, addrs->n && sdiag_provider_detect(p->dns_in->smtp_host, NULL) == SDIAG_PROVIDER_NONE ? addrs->addrs[0].text : NULL);
}

/* The connection is up: dns.ptr looks both ends up beside the session. */
static void on_connected(void *ud, const sdiag_conn_t *c)
{
	probe_ctx *p = ud;
	sdiag_dnscheck_session_t s;
	if (!p->dns_started) {
		return;
	}
	memset(&s, 0, sizeof(s));
	s.server_ip = c->peer_addr;
	s.local_ip = c->local_addr;
	s.helo = c->smtp.helo;
	sdiag_dnscheck_connected(p->dc, &s);
}

/* The sender domain the DNS checks are about: from's, else the user name's. */
static const char *sender_domain(const check_opts *o, const sdiag_config_t *cfg)
{
	const char *at = NULL;
	if (o->from) {
		at = strrchr(ZSTR_VAL(o->from), '@');
	} else if (cfg->username) {
		at = strrchr(cfg->username, '@');
	}
	return at && at[1] ? at + 1 : NULL;
}

static int probes_finished(void *ud)
{
	return sdiag_probes_finished((const sdiag_probes_t *)ud);
}

/* The ports step: what each probed port said, and what to do when the
 * configured one is blocked. */
static void ports_step(zval *out, const sdiag_probes_t *set, const sdiag_conn_t *conn, const check_opts *o)
{
	sdiag_step_t st;
	zval data, list;
	size_t i;
	char open_ports[128] = "";
	bool blocked = conn->nattempts && !conn->t_connected;
	memset(&st, 0, sizeof(st));
	st.id = "ports";
	array_init(&data);
	array_init(&list);
	for (i = 0; i < set->n; i++) {
		const sdiag_probe_t *p = &set->probes[i];
		zval e;
		char buf[128];
		array_init(&e);
		add_assoc_string(&e, "address", (char *)p->addr.text);
		add_assoc_string(&e, "family", p->addr.family == AF_INET6 ? "ipv6" : "ipv4");
		add_assoc_long(&e, "port", p->port);
		add_assoc_string(&e, "state", (char *)sdiag_port_state_name(p->state));
		add_assoc_string(&e, "protocol", (char *)sdiag_port_proto_name(p->proto));
		if (p->banner[0]) {
			php_smtpdiag_add_text(&e, "banner", p->banner);
		} else {
			add_assoc_null(&e, "banner");
		}
		if (p->sys_errno) {
			add_assoc_string(&e, "error", (char *)sdiag_strerror(p->sys_errno, buf, sizeof(buf)));
		} else {
			add_assoc_null(&e, "error");
		}
		add_assoc_double(&e, "duration_ms", ms_round(p->ms));
		add_next_index_zval(&list, &e);
		if (p->ms > st.duration_ms) {
			st.duration_ms = p->ms; /* the probes ran at once: the slowest is the step's time */
		}
		if (p->state == SDIAG_PORT_OPEN && p->proto != SDIAG_PROTO_NONE) {
			char d[48];
			size_t l = strlen(open_ports);
			snprintf(d, sizeof(d), "%u (%s)", (unsigned)p->port, p->proto == SDIAG_PROTO_TLS ? "implicit TLS" : "SMTP");
			if (!strstr(open_ports, d)) {
				snprintf(open_ports + l, sizeof(open_ports) - l, "%s%s", l ? ", " : "", d);
			}
		}
	}
	add_assoc_zval(&data, "probes", &list);
	{
		/* one word per port, across its addresses */
		size_t k, l = 0;
		for (k = 0; k < o->nports; k++) {
			const char *state = NULL;
			if (o->ports[k] == conn->cfg->port) {
				state = conn->t_connected ? "open (this session)" : "blocked (this session)";
			}
			for (i = 0; i < set->n && !state; i++) {
				const sdiag_probe_t *p = &set->probes[i];
				if (p->port == o->ports[k]) {
					state = p->state == SDIAG_PORT_OPEN ? (p->proto == SDIAG_PROTO_TLS ? "open (TLS)" : p->proto == SDIAG_PROTO_SMTP ? "open (SMTP)" : "open (silent)")
						: sdiag_port_state_name(p->state);
				}
			}
			if (state) {
				l += (size_t)snprintf(st.message + l, l < sizeof(st.message) ? sizeof(st.message) - l : 0, "%s%u %s", l ? ", " : "", (unsigned)o->ports[k], state);
			}
		}
	}
	if (blocked) {
		st.status = SDIAG_STEP_FAIL;
		if (open_ports[0]) {
			snprintf(st.hint, sizeof(st.hint), "Port %u does not answer from here, but %s do: configure one of them (587 with encryption \"starttls\", 465 with \"implicit\").",
				(unsigned)conn->cfg->port, open_ports);
		} else {
			snprintf(st.hint, sizeof(st.hint), "%s", "No mail port answers from here: the network blocks outgoing SMTP. Use the provider's alternative port (2525 at SendGrid, Mailgun, Postmark, Brevo) or its HTTP API, or ask for the ports to be opened.");
		}
	} else {
		st.status = SDIAG_STEP_OK;
	}
	add_step(out, &st, &data);
}

/* The ports step goes right after dns.host. */
static void insert_after(zval *steps, const char *after, zval *step_list)
{
	zval copy, *s;
	array_init(&copy);
	ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(steps), s) {
		zval *id = zend_hash_str_find(Z_ARRVAL_P(s), ZEND_STRL("id"));
		Z_ADDREF_P(s);
		add_next_index_zval(&copy, s);
		if (id && Z_TYPE_P(id) == IS_STRING && strcmp(Z_STRVAL_P(id), after) == 0) {
			zval *n;
			ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(step_list), n) {
				Z_ADDREF_P(n);
				add_next_index_zval(&copy, n);
			} ZEND_HASH_FOREACH_END();
		}
	} ZEND_HASH_FOREACH_END();
	zval_ptr_dtor(steps);
	ZVAL_COPY_VALUE(steps, &copy);
}

/* The logger is read first, so that even a configuration failure reaches it. */
static void check_logger(HashTable *options, check_opts *o)
{
	zval *v;
	if (options && (v = zend_hash_str_find(options, ZEND_STRL("logger"))) && php_smtpdiag_logger_parse(v, &o->logger, 2) == FAILURE) {
		zend_clear_exception(); /* reported as a configuration failure by check_opts_parse() */
	}
}

static bool check_opts_parse(HashTable *options, check_opts *o, sdiag_error_t *err)
{
	zval *v;
	if (!ports_parse(options, o, err) || php_smtpdiag_dns_opts_parse(options, &o->dns, SDIAG_DNSCHECK_ALL, err) == FAILURE) {
		return false;
	}
	if (!options) {
		return true;
	}
	if ((v = zend_hash_str_find_deref(options, ZEND_STRL("from"))) && Z_TYPE_P(v) != IS_NULL) {
		if (Z_TYPE_P(v) != IS_STRING || !sdiag_addr_valid(Z_STRVAL_P(v), Z_STRLEN_P(v))) {
			sdiag_error_set(err, SDIAG_CAT_CONFIG_INVALID, SDIAG_PHASE_CONFIG, "option \"from\" must be an address without CR, LF, \"<\" or \">\"");
			return false;
		}
		o->from = Z_STR_P(v);
	}
	if ((v = zend_hash_str_find_deref(options, ZEND_STRL("to"))) && Z_TYPE_P(v) != IS_NULL) {
		zval *item;
		o->to = zend_new_array(1);
		if (Z_TYPE_P(v) == IS_STRING) {
			Z_ADDREF_P(v);
			zend_hash_next_index_insert(o->to, v);
		} else if (Z_TYPE_P(v) == IS_ARRAY) {
			ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(v), item) {
				ZVAL_DEREF(item);
				if (Z_TYPE_P(item) != IS_STRING) {
					break;
				}
				Z_ADDREF_P(item);
				zend_hash_next_index_insert(o->to, item);
			} ZEND_HASH_FOREACH_END();
		}
		if (zend_hash_num_elements(o->to) == 0 || zend_hash_num_elements(o->to) > SDIAG_RCPT_MAX ||
			(Z_TYPE_P(v) == IS_ARRAY && zend_hash_num_elements(o->to) != zend_hash_num_elements(Z_ARRVAL_P(v)))) {
			sdiag_error_set(err, SDIAG_CAT_CONFIG_INVALID, SDIAG_PHASE_CONFIG, "option \"to\" must be an address or a list of 1 to %d addresses", SDIAG_RCPT_MAX);
			return false;
		}
		ZEND_HASH_FOREACH_VAL(o->to, item) {
			if (!Z_STRLEN_P(item) || !sdiag_addr_valid(Z_STRVAL_P(item), Z_STRLEN_P(item))) {
				sdiag_error_set(err, SDIAG_CAT_CONFIG_INVALID, SDIAG_PHASE_CONFIG, "option \"to\" must hold addresses without CR, LF, \"<\" or \">\"");
				return false;
			}
		} ZEND_HASH_FOREACH_END();
	}
	if ((v = zend_hash_str_find(options, ZEND_STRL("logger"))) && Z_ISUNDEF(o->logger) && Z_TYPE_P(v) != IS_NULL) {
		sdiag_error_set(err, SDIAG_CAT_CONFIG_INVALID, SDIAG_PHASE_CONFIG, "option \"logger\" must be a PSR-3 logger (an object with a log() method) or a callable");
		return false;
	}
	if ((v = zend_hash_str_find_deref(options, ZEND_STRL("send")))) {
		o->send = zend_is_true(v);
		if (o->send && (!o->from || !o->to)) {
			sdiag_error_set(err, SDIAG_CAT_CONFIG_INVALID, SDIAG_PHASE_CONFIG, "option \"send\" needs \"from\" and \"to\"");
			return false;
		}
	}
	return true;
}

static void check_opts_free(check_opts *o)
{
	php_smtpdiag_dns_opts_free(&o->dns);
	if (o->to) {
		zend_array_destroy(o->to);
	}
	zval_ptr_dtor(&o->logger);
}

/* The report to the logger: the transcript at debug, then one summary event
 * (info when ok, warning when something warns, error when something fails). */
static void log_report(zval *logger, zval *report, const sdiag_transcript_t *t, const sdiag_config_t *cfg)
{
	size_t pos = 0;
	zval ctx, *v;
	zend_string *msg;
	const char *status;
	if (Z_ISUNDEF_P(logger)) {
		return;
	}
	php_smtpdiag_log_transcript(logger, t, &pos);
	v = zend_hash_str_find(Z_ARRVAL_P(report), ZEND_STRL("status"));
	status = v && Z_TYPE_P(v) == IS_STRING ? Z_STRVAL_P(v) : "fail";
	array_init(&ctx);
	add_assoc_string(&ctx, "status", (char *)status);
	if (cfg && cfg->host) {
		add_assoc_string(&ctx, "host", cfg->host);
		add_assoc_long(&ctx, "port", cfg->port);
	}
	if ((v = zend_hash_str_find(Z_ARRVAL_P(report), ZEND_STRL("error"))) && Z_TYPE_P(v) == IS_ARRAY) {
		zval *f;
		ZEND_HASH_FOREACH_STR_KEY_VAL(Z_ARRVAL_P(v), zend_string *k, f) {
			if (k) {
				Z_TRY_ADDREF_P(f);
				zend_hash_update(Z_ARRVAL(ctx), k, f);
			}
		} ZEND_HASH_FOREACH_END();
	}
	msg = strcmp(status, "ok") == 0 ? zend_string_init(ZEND_STRL("smtpdiag: check passed"), 0)
		: strcmp(status, "warn") == 0 ? zend_string_init(ZEND_STRL("smtpdiag: check passed with warnings"), 0)
		: zend_string_init(ZEND_STRL("smtpdiag: check failed"), 0);
	php_smtpdiag_log(logger, strcmp(status, "ok") == 0 ? "info" : strcmp(status, "warn") == 0 ? "warning" : "error", msg, &ctx);
	zend_string_release(msg);
	zval_ptr_dtor(&ctx);
}

static void rcpts_of(const check_opts *o, sdiag_rcpt_t **out, size_t *n)
{
	zval *item;
	size_t i = 0;
	*n = o->to ? zend_hash_num_elements(o->to) : 0;
	*out = *n ? ecalloc(*n, sizeof(sdiag_rcpt_t)) : NULL;
	if (*n) {
		ZEND_HASH_FOREACH_VAL(o->to, item) {
			(*out)[i].addr = Z_STRVAL_P(item);
			(*out)[i].len = Z_STRLEN_P(item);
			i++;
		} ZEND_HASH_FOREACH_END();
	}
}

static void reply_data(zval *data, int code, const char *text)
{
	if (code) {
		add_assoc_long(data, "code", code);
		php_smtpdiag_add_text(data, "reply", text ? text : "");
	}
}

static void txn_step(zval *steps, const char *id, sdiag_step_status_t st, double ms, const char *hint, zval *data, const char *fmt, ...)
{
	sdiag_step_t s;
	va_list ap;
	memset(&s, 0, sizeof(s));
	s.id = id;
	s.status = st;
	s.duration_ms = ms;
	va_start(ap, fmt);
	vsnprintf(s.message, sizeof(s.message), fmt, ap);
	va_end(ap);
	snprintf(s.hint, sizeof(s.hint), "%s", hint ? hint : "");
	add_step(steps, &s, data);
}

/* smtp.mail_from and smtp.rcpt_to (MAIL and RCPT, then RSET: nothing is
 * sent), and smtp.data when asked to send a test message. */
static void envelope_steps(zval *steps, sdiag_conn_t *conn, const check_opts *o, sdiag_error_t *first)
{
	sdiag_txn_t probe, mail, *tp;
	sdiag_rcpt_t *rcpts = NULL, *rcpts2 = NULL;
	size_t nrcpt, i;
	zval data;
	bool reached = sdiag_conn_ready(conn);

	if (!o->from) {
		txn_step(steps, "smtp.mail_from", SDIAG_STEP_SKIP, 0, NULL, NULL, "no sender given (option from): the envelope was not tested");
		txn_step(steps, "smtp.rcpt_to", SDIAG_STEP_SKIP, 0, NULL, NULL, "no sender given (option from)");
		txn_step(steps, "smtp.data", SDIAG_STEP_SKIP, 0, NULL, NULL, "no test message requested (option send)");
		return;
	}
	if (!reached) {
		txn_step(steps, "smtp.mail_from", SDIAG_STEP_SKIP, 0, NULL, NULL, "not reached");
		txn_step(steps, "smtp.rcpt_to", SDIAG_STEP_SKIP, 0, NULL, NULL, "not reached");
		txn_step(steps, "smtp.data", SDIAG_STEP_SKIP, 0, NULL, NULL, "not reached");
		return;
	}
	rcpts_of(o, &rcpts, &nrcpt);
	sdiag_txn_init(&probe);
	probe.from = ZSTR_VAL(o->from);
	probe.fromlen = ZSTR_LEN(o->from);
	probe.rcpts = rcpts;
	probe.nrcpt = nrcpt;
	probe.msg = "";
	probe.probe = 1;
	tp = &probe;
	sdiag_conn_send(conn, &tp, 1);
	sdiag_conn_wait(conn);

	/* smtp.mail_from */
	array_init(&data);
	add_assoc_str(&data, "from", zend_string_copy(o->from));
	reply_data(&data, probe.mail_code, probe.mail_text);
	if (probe.mail_ok) {
		txn_step(steps, "smtp.mail_from", SDIAG_STEP_OK, probe.t_final - probe.t_start, NULL, &data, "MAIL FROM:<%s> accepted: %d %s", ZSTR_VAL(o->from), probe.mail_code, probe.mail_text ? probe.mail_text : "");
	} else {
		const sdiag_error_t *e = probe.mail_code ? &probe.err : &conn->err;
		txn_step(steps, "smtp.mail_from", SDIAG_STEP_FAIL, 0, e->hint, &data, "%s", e->message);
		if (first->category == SDIAG_CAT_NONE) {
			*first = *e;
		}
	}

	/* smtp.rcpt_to */
	if (!nrcpt) {
		txn_step(steps, "smtp.rcpt_to", SDIAG_STEP_SKIP, 0, NULL, NULL, "no recipient given (option to)");
	} else if (!probe.mail_ok) {
		txn_step(steps, "smtp.rcpt_to", SDIAG_STEP_SKIP, 0, NULL, NULL, "not reached: the sender was refused");
	} else {
		zval list;
		array_init(&data);
		array_init(&list);
		for (i = 0; i < nrcpt; i++) {
			zval r;
			array_init(&r);
			add_assoc_stringl(&r, "address", (char *)rcpts[i].addr, rcpts[i].len);
			reply_data(&r, rcpts[i].code, rcpts[i].text);
			add_next_index_zval(&list, &r);
		}
		add_assoc_zval(&data, "recipients", &list);
		if (probe.state == SDIAG_TXN_DONE) {
			txn_step(steps, "smtp.rcpt_to", SDIAG_STEP_OK, probe.t_final - probe.t_start, NULL, &data, "%zu recipient%s accepted (then RSET: nothing was sent)", nrcpt, nrcpt > 1 ? "s" : "");
		} else {
			const sdiag_error_t *e = probe.err.category != SDIAG_CAT_NONE ? &probe.err : &conn->err;
			txn_step(steps, "smtp.rcpt_to", SDIAG_STEP_FAIL, 0, e->hint, &data, "%s", e->message);
			if (first->category == SDIAG_CAT_NONE) {
				*first = *e;
			}
		}
	}

	/* smtp.data */
	if (!o->send) {
		txn_step(steps, "smtp.data", SDIAG_STEP_SKIP, 0, NULL, NULL, "no test message requested (option send)");
	} else if (probe.state != SDIAG_TXN_DONE || !sdiag_conn_ready(conn)) {
		txn_step(steps, "smtp.data", SDIAG_STEP_SKIP, 0, NULL, NULL, "not sent: the envelope was refused");
	} else {
		sdiag_text_msg_t m;
		sdiag_buf_t body;
		sdiag_error_t berr;
		const char **tos = safe_emalloc(nrcpt, sizeof(*tos), 0);
		char text[512];
		for (i = 0; i < nrcpt; i++) {
			tos[i] = rcpts[i].addr;
		}
		snprintf(text, sizeof(text), "This is a test message sent by smtpdiag %s through %s port %u to check the mail setup.\nNo action is needed.\n",
			PHP_SMTPDIAG_VERSION, conn->cfg->host, (unsigned)conn->cfg->port);
		memset(&m, 0, sizeof(m));
		m.from = ZSTR_VAL(o->from);
		m.to = tos;
		m.nto = nrcpt;
		m.subject = "smtpdiag test message";
		m.text = text;
		m.textlen = strlen(text);
		m.date_ms = sdiag_wall_ms();
		m.user_agent = "smtpdiag/" PHP_SMTPDIAG_VERSION;
		sdiag_buf_init(&body, 1024 * 1024);
		sdiag_error_clear(&berr);
		sdiag_msg_build_text(&m, &body, &berr);
		efree(tos);
		rcpts2 = ecalloc(nrcpt, sizeof(sdiag_rcpt_t));
		for (i = 0; i < nrcpt; i++) {
			rcpts2[i].addr = rcpts[i].addr;
			rcpts2[i].len = rcpts[i].len;
		}
		sdiag_txn_init(&mail);
		mail.from = ZSTR_VAL(o->from);
		mail.fromlen = ZSTR_LEN(o->from);
		mail.rcpts = rcpts2;
		mail.nrcpt = nrcpt;
		mail.msg = body.data ? body.data : "";
		mail.msglen = body.len;
		tp = &mail;
		sdiag_conn_send(conn, &tp, 1);
		sdiag_conn_wait(conn);
		array_init(&data);
		reply_data(&data, mail.final_code, mail.final_text);
		add_assoc_long(&data, "size", (zend_long)mail.size);
		if (mail.queue_id[0]) {
			php_smtpdiag_add_text(&data, "queue_id", mail.queue_id);
		}
		if (mail.state == SDIAG_TXN_DONE) {
			txn_step(steps, "smtp.data", SDIAG_STEP_OK, mail.t_final - mail.t_start, NULL, &data, "test message accepted: %d %s", mail.final_code, mail.final_text ? mail.final_text : "");
		} else {
			txn_step(steps, "smtp.data", SDIAG_STEP_FAIL, mail.t_final - mail.t_start, mail.err.hint, &data, "%s", mail.err.message);
			if (first->category == SDIAG_CAT_NONE) {
				*first = mail.err;
			}
		}
		sdiag_txn_free(&mail);
		sdiag_buf_free(&body);
		efree(rcpts2);
	}
	sdiag_txn_free(&probe);
	if (rcpts) {
		efree(rcpts);
	}
}

void php_smtpdiag_report_outcome(zval *report, zval *steps)
{
	zval *step;
	bool failed = false, warned = false;
	ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(steps), step) {
		zval *st = zend_hash_str_find(Z_ARRVAL_P(step), "status", sizeof("status") - 1);
		if (st && zend_string_equals_literal(Z_STR_P(st), "fail")) {
			failed = true;
		} else if (st && zend_string_equals_literal(Z_STR_P(st), "warn")) {
			warned = true;
		}
	} ZEND_HASH_FOREACH_END();
	add_assoc_bool(report, "ok", !failed);
	add_assoc_string(report, "status", failed ? "fail" : warned ? "warn" : "ok");
}

ZEND_FUNCTION(smtpdiag_check)
{
	zval *target, steps, z;
	HashTable *options = NULL;
	sdiag_config_t cfg;
	sdiag_error_t err;
	php_smtpdiag_arg_t bad_arg;
	bool type_error = false;
	double t0 = sdiag_now_ms();
	sdiag_loop_t loop;
	sdiag_resolver_t resolver;
	sdiag_conn_t conn;
	sdiag_error_t first;
	check_opts copts;
	sdiag_dnscheck_t *dc = NULL;

	ZEND_PARSE_PARAMETERS_START(1, 2)
		Z_PARAM_ZVAL(target)
		Z_PARAM_OPTIONAL
		Z_PARAM_ARRAY_HT(options)
	ZEND_PARSE_PARAMETERS_END();

	if (Z_TYPE_P(target) != IS_STRING && Z_TYPE_P(target) != IS_ARRAY) {
		zend_argument_type_error(1, "must be of type string|array, %s given", zend_zval_type_name(target));
		RETURN_THROWS();
	}

	array_init(return_value);
	array_init(&steps);
	memset(&conn, 0, sizeof(conn));
	memset(&copts, 0, sizeof(copts));
	ZVAL_UNDEF(&copts.logger);
	check_logger(options, &copts);
	sdiag_error_clear(&first);
	sdiag_loop_init(&loop);
	if (php_smtpdiag_config_build(&cfg, target, options, check_keys, &err, &bad_arg, &type_error) == SUCCESS &&
		(bad_arg = PHP_SMTPDIAG_ARG_OPTIONS, check_opts_parse(options, &copts, &err))) {
		sdiag_conn_init(&conn, &cfg, &loop, &resolver);
		if (sdiag_resolver_init(&resolver, &loop, cfg.dns_servers, cfg.timeout_ms, &err) == SDIAG_OK) {
			sdiag_steps_t out = {0};
			size_t i;
			sdiag_probes_t *probes = emalloc(sizeof(*probes));
			probe_ctx pctx;
			sdiag_dnscheck_in_t dns_in;
			zval pstep;
			const char *domain = sender_domain(&copts, &cfg);
			sdiag_probes_init(probes, &loop, &cfg);
			memset(&pctx, 0, sizeof(pctx));
			pctx.set = probes;
			pctx.o = &copts;
			pctx.session_port = cfg.port;
			memset(&dns_in, 0, sizeof(dns_in));
			dns_in.ops = sdiag_dns_resolver_ops(&resolver);
			dns_in.loop = &loop;
			dns_in.cfg = &cfg;
			dns_in.domain = domain;
			dns_in.sender = copts.from ? ZSTR_VAL(copts.from) : cfg.username;
			dns_in.helo = cfg.helo;
			dns_in.smtp_host = cfg.host;
			dns_in.smtp_port = cfg.port;
			dns_in.selectors = (const char *const *)copts.dns.selectors;
			dns_in.nselectors = copts.dns.nselectors;
			dns_in.https_port = copts.dns.https_port;
			dns_in.await_session = 1;
			dns_in.user_agent = "smtpdiag/" PHP_SMTPDIAG_VERSION;
			pctx.dns_in = &dns_in;
			/* the DNS checks run when a sender domain is known (SPEC) */
			pctx.dns_mask = domain ? copts.dns.mask : 0;
			if (pctx.dns_mask) {
				dc = emalloc(sizeof(*dc));
				memset(dc, 0, sizeof(*dc));
				pctx.dc = dc;
			}
			conn.on_resolved = on_resolved;
			conn.on_resolved_ud = &pctx;
			conn.on_connected = on_connected;
			conn.on_connected_ud = &pctx;
			config_step(&steps, &cfg, copts.from ? ZSTR_VAL(copts.from) : NULL);
			sdiag_conn_open(&conn);
			sdiag_conn_wait(&conn);
			sdiag_report_connection(&conn, &out);
			for (i = 0; i < out.n; i++) {
				zval data;
				step_data(&data, out.steps[i].id, &conn);
				add_step(&steps, &out.steps[i], &data);
			}
			first = conn.err;
			envelope_steps(&steps, &conn, &copts, &first);
			if (sdiag_conn_ready(&conn)) {
				sdiag_error_t keep = conn.err;
				sdiag_conn_quit(&conn);
				sdiag_conn_wait(&conn);
				conn.err = keep;
			}
			if (dc) {
				sdiag_dnscheck_session_t sess;
				/* the host did not resolve: the domain's checks still run */
				start_dns(&pctx, NULL);
				memset(&sess, 0, sizeof(sess));
				sess.server_ip = conn.peer_addr[0] ? conn.peer_addr : NULL;
				sess.local_ip = conn.local_addr[0] ? conn.local_addr : NULL;
				sess.helo = conn.smtp.helo[0] ? conn.smtp.helo : NULL;
				sess.tls = conn.tls_info.done ? &conn.tls_info : NULL;
				sdiag_dnscheck_session(dc, &sess);
			}
			sdiag_conn_close(&conn);
			/* the probes ran beside the session; wait for the slowest */
			sdiag_loop_run(&loop, probes_finished, probes);
			if (dc) {
				php_smtpdiag_dns_wait(&loop, dc, t0 + cfg.timeout_ms);
				php_smtpdiag_dns_steps(&steps, dc, &first);
			}
			if (copts.nports && conn.addrs.n) {
				array_init(&pstep);
				ports_step(&pstep, probes, &conn, &copts);
				insert_after(&steps, "dns.host", &pstep);
				zval_ptr_dtor(&pstep);
			}
			sdiag_probes_free(probes);
			efree(probes);
			sdiag_resolver_free(&resolver);
			if (dc) {
				sdiag_dnscheck_free(dc);
				efree(dc);
			}
			conn.err = first;
		} else {
			bad_arg = PHP_SMTPDIAG_ARG_OPTIONS;
			err.category = SDIAG_CAT_CONFIG_INVALID;
		}
	} else {
		sdiag_transcript_init(&conn.transcript);
	}
	if (err.category != SDIAG_CAT_NONE) {
		sdiag_step_t s;
		zval data;
		memset(&s, 0, sizeof(s));
		s.id = "config";
		s.status = SDIAG_STEP_FAIL;
		snprintf(s.message, sizeof(s.message), "%s", err.message);
		snprintf(s.hint, sizeof(s.hint), "%s", err.hint);
		s.duration_ms = sdiag_now_ms() - t0;
		config_data(&data, &cfg);
		add_step(&steps, &s, &data);
		skipped_steps(&steps, "not run: the configuration is invalid");
		conn.err = err;
	}

	php_smtpdiag_report_outcome(return_value, &steps);
	target_array(&z, &cfg);
	add_assoc_zval(return_value, "target", &z);
	add_assoc_double(return_value, "duration_ms", ms_round(sdiag_now_ms() - t0));
	add_assoc_zval(return_value, "steps", &steps);
	if (conn.err.category != SDIAG_CAT_NONE) {
		php_smtpdiag_error_array(&z, &conn.err);
		add_assoc_zval(return_value, "error", &z);
	} else {
		add_assoc_null(return_value, "error");
	}
	php_smtpdiag_transcript_array(&z, &conn.transcript);
	add_assoc_zval(return_value, "transcript", &z);
	log_report(&copts.logger, return_value, &conn.transcript, &cfg);
	check_opts_free(&copts);

	if (conn.cfg == &cfg) {
		sdiag_conn_free(&conn);
	} else {
		sdiag_transcript_free(&conn.transcript);
	}
	sdiag_loop_free(&loop);
	sdiag_config_free(&cfg);
}

/* ---- smtpdiag_format() ---- */

static const char *str_at(HashTable *ht, const char *key, const char *def)
{
	zval *v = zend_hash_str_find(ht, key, strlen(key));
	return (v && Z_TYPE_P(v) == IS_STRING) ? Z_STRVAL_P(v) : def;
}

static double num_at(HashTable *ht, const char *key)
{
	zval *v = zend_hash_str_find(ht, key, strlen(key));
	return v ? zval_get_double(v) : 0;
}

static bool opt_bool(HashTable *opts, const char *key)
{
	zval *v = opts ? zend_hash_str_find(opts, key, strlen(key)) : NULL;
	return v && zend_is_true(v);
}

/* Append text sanitised for a terminal (no escape sequences from a server). */
static void append_clean(smart_str *out, const char *s)
{
	sdiag_buf_t b;
	sdiag_buf_init(&b, 1024 * 1024);
	if (sdiag_sanitize(&b, s, strlen(s)) == SDIAG_BUF_OK && b.data) {
		smart_str_appendl(out, b.data, b.len);
	}
	sdiag_buf_free(&b);
}

ZEND_FUNCTION(smtpdiag_format)
{
	HashTable *report, *opts = NULL;
	smart_str out = {0};
	zval *steps, *step, *err, *target, *tr;
	bool color, with_transcript;
	const char *status;
	zend_string *key;

	ZEND_PARSE_PARAMETERS_START(1, 2)
		Z_PARAM_ARRAY_HT(report)
		Z_PARAM_OPTIONAL
		Z_PARAM_ARRAY_HT(opts)
	ZEND_PARSE_PARAMETERS_END();

	if (opts) {
		ZEND_HASH_FOREACH_STR_KEY(opts, key) {
			if (!key || !(zend_string_equals_literal(key, "color") || zend_string_equals_literal(key, "transcript") || zend_string_equals_literal(key, "timestamps"))) {
				zend_argument_value_error(2, "contains an unknown option \"%s\" (known: color, transcript, timestamps)", key ? ZSTR_VAL(key) : "(integer key)");
				RETURN_THROWS();
			}
		} ZEND_HASH_FOREACH_END();
	}
	steps = zend_hash_str_find(report, ZEND_STRL("steps"));
	if (!steps || Z_TYPE_P(steps) != IS_ARRAY) {
		zend_argument_value_error(1, "must be a report of smtpdiag_check() or smtpdiag_dns() (no \"steps\" list)");
		RETURN_THROWS();
	}
	color = opt_bool(opts, "color");
	with_transcript = opt_bool(opts, "transcript");
	status = str_at(report, "status", "?");

	/* the target names the report: {host, port, ...} of smtpdiag_check(),
	 * {domain} of smtpdiag_dns() */
	target = zend_hash_str_find(report, ZEND_STRL("target"));
	if (target && Z_TYPE_P(target) == IS_ARRAY && !str_at(Z_ARRVAL_P(target), "host", NULL) && str_at(Z_ARRVAL_P(target), "domain", NULL)) {
		smart_str_appends(&out, "smtpdiag dns of ");
		append_clean(&out, str_at(Z_ARRVAL_P(target), "domain", ""));
	} else {
		smart_str_appends(&out, "smtpdiag check");
	}
	if (target && Z_TYPE_P(target) == IS_ARRAY && str_at(Z_ARRVAL_P(target), "host", NULL)) {
		const char *host = str_at(Z_ARRVAL_P(target), "host", "");
		const char *enc = str_at(Z_ARRVAL_P(target), "encryption", "unset");
		bool v6 = strchr(host, ':') != NULL;
		smart_str_appends(&out, v6 ? " of [" : " of ");
		append_clean(&out, host);
		smart_str_appends(&out, v6 ? "]:" : ":");
		smart_str_append_long(&out, (zend_long)num_at(Z_ARRVAL_P(target), "port"));
		if (strcmp(enc, "unset") != 0) {
			smart_str_appends(&out, " (");
			append_clean(&out, enc);
			smart_str_appendc(&out, ')');
		}
	}
	smart_str_appends(&out, ": ");
	if (color) {
		smart_str_appends(&out, strcmp(status, "ok") == 0 ? "\033[32m" : strcmp(status, "warn") == 0 ? "\033[33m" : "\033[31m");
	}
	smart_str_appends(&out, strcmp(status, "ok") == 0 ? "OK" : strcmp(status, "warn") == 0 ? "WARN" : "FAIL");
	if (color) {
		smart_str_appends(&out, "\033[0m");
	}
	smart_str_append_printf(&out, " in %.1f ms\n\n", num_at(report, "duration_ms"));

	ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(steps), step) {
		const char *st, *label, *col, *hint;
		zval *h;
		if (Z_TYPE_P(step) != IS_ARRAY) {
			continue;
		}
		st = str_at(Z_ARRVAL_P(step), "status", "?");
		label = strcmp(st, "ok") == 0 ? " ok " : strcmp(st, "warn") == 0 ? "warn" : strcmp(st, "fail") == 0 ? "FAIL" : "skip";
		col = strcmp(st, "ok") == 0 ? "\033[32m" : strcmp(st, "warn") == 0 ? "\033[33m" : strcmp(st, "fail") == 0 ? "\033[31m" : "\033[2m";
		smart_str_appends(&out, "  [");
		if (color) {
			smart_str_appends(&out, col);
		}
		smart_str_appends(&out, label);
		if (color) {
			smart_str_appends(&out, "\033[0m");
		}
		smart_str_appends(&out, "] ");
		{
			size_t before = out.s ? ZSTR_LEN(out.s) : 0, w;
			append_clean(&out, str_at(Z_ARRVAL_P(step), "id", "?"));
			for (w = (out.s ? ZSTR_LEN(out.s) : 0) - before; w < 16; w++) {
				smart_str_appendc(&out, ' ');
			}
		}
		smart_str_append_printf(&out, " %8.1f ms  ", num_at(Z_ARRVAL_P(step), "duration_ms"));
		append_clean(&out, str_at(Z_ARRVAL_P(step), "message", ""));
		smart_str_appendc(&out, '\n');
		h = zend_hash_str_find(Z_ARRVAL_P(step), ZEND_STRL("hint"));
		hint = (h && Z_TYPE_P(h) == IS_STRING) ? Z_STRVAL_P(h) : NULL;
		if (hint && *hint && strcmp(st, "ok") != 0) {
			smart_str_appends(&out, "         hint: ");
			append_clean(&out, hint);
			smart_str_appendc(&out, '\n');
		}
	} ZEND_HASH_FOREACH_END();

	err = zend_hash_str_find(report, ZEND_STRL("error"));
	if (err && Z_TYPE_P(err) == IS_ARRAY) {
		zval *tv = zend_hash_str_find(Z_ARRVAL_P(err), ZEND_STRL("transient"));
		zval *code = zend_hash_str_find(Z_ARRVAL_P(err), ZEND_STRL("code"));
		smart_str_appends(&out, "\nerror: ");
		append_clean(&out, str_at(Z_ARRVAL_P(err), "category", "other"));
		smart_str_appends(&out, tv && zend_is_true(tv) ? " (transient" : " (permanent");
		if (code && Z_TYPE_P(code) == IS_LONG) {
			smart_str_append_printf(&out, ", SMTP " ZEND_LONG_FMT, Z_LVAL_P(code));
		}
		smart_str_appends(&out, "): ");
		append_clean(&out, str_at(Z_ARRVAL_P(err), "message", ""));
		smart_str_appendc(&out, '\n');
	}

	tr = zend_hash_str_find(report, ZEND_STRL("transcript"));
	if (with_transcript && tr && Z_TYPE_P(tr) == IS_ARRAY) {
		zval *e;
		bool ts = opt_bool(opts, "timestamps");
		sdiag_buf_t b;
		sdiag_buf_init(&b, (size_t)SDIAG_TRANSCRIPT_MAX_BYTES * 4);
		smart_str_appends(&out, "\ntranscript:\n");
		ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(tr), e) {
			const char *dir, *text;
			zval *tls;
			sdiag_buf_t clean;
			if (Z_TYPE_P(e) != IS_ARRAY) {
				continue;
			}
			dir = str_at(Z_ARRVAL_P(e), "dir", "info");
			text = str_at(Z_ARRVAL_P(e), "text", "");
			tls = zend_hash_str_find(Z_ARRVAL_P(e), ZEND_STRL("tls"));
			sdiag_buf_init(&clean, 64 * 1024);
			sdiag_sanitize(&clean, text, strlen(text));
			sdiag_transcript_format_line(&b, num_at(Z_ARRVAL_P(e), "t"),
				strcmp(dir, "client") == 0 ? SDIAG_DIR_CLIENT : strcmp(dir, "server") == 0 ? SDIAG_DIR_SERVER : SDIAG_DIR_INFO,
				tls && zend_is_true(tls), clean.data ? clean.data : "", ts);
			sdiag_buf_free(&clean);
		} ZEND_HASH_FOREACH_END();
		if (b.data) {
			smart_str_appendl(&out, b.data, b.len);
		}
		sdiag_buf_free(&b);
	}
	smart_str_0(&out);
	RETURN_STR(out.s ? out.s : ZSTR_EMPTY_ALLOC());
}
