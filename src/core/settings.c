/* smtpdiag core: configuration, DSN parsing, encryption aliases. */
#include "settings.h"
#include "compat.h"
#include "sasl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SDIAG_DEFAULT_TIMEOUT_MS 30000.0
#define SDIAG_DEFAULT_CONNECT_TIMEOUT_MS 10000.0

void sdiag_config_init(sdiag_config_t *c)
{
	memset(c, 0, sizeof(*c));
	c->verify_peer = 1;
	c->verify_peer_name = 1;
	c->pipelining = 1;
	c->chunking = 1;
	c->ping_threshold_ms = 100000.0; /* Symfony Mailer's default */
}

void sdiag_config_free(sdiag_config_t *c)
{
	sdiag_free(c->host);
	sdiag_free(c->scheme);
	sdiag_free(c->encryption_given);
	sdiag_free(c->username);
	sdiag_free_secret(c->password);
	sdiag_free(c->auth);
	sdiag_free(c->helo);
	sdiag_free(c->cafile);
	sdiag_free(c->capath);
	sdiag_free(c->peer_name);
	sdiag_free(c->dns_servers);
	sdiag_config_init(c);
}

const char *sdiag_encryption_name(sdiag_encryption_t e)
{
	switch (e) {
		case SDIAG_ENC_NONE: return "none";
		case SDIAG_ENC_STARTTLS: return "starttls";
		case SDIAG_ENC_IMPLICIT: return "implicit";
		case SDIAG_ENC_AUTO: return "auto";
		default: return "unset";
	}
}

int sdiag_wire_safe(const char *s, size_t len)
{
	size_t i;
	for (i = 0; i < len; i++) {
		if (s[i] == '\r' || s[i] == '\n' || s[i] == '\0') {
			return 0;
		}
	}
	return 1;
}

int sdiag_wire_safe_text(const char *s)
{
	return s && strpbrk(s, "\r\n") == NULL;
}

static sdiag_status_t invalid(sdiag_error_t *err, const char *fmt, const char *a, const char *b)
{
	char msg[SDIAG_MSG_MAX];
	snprintf(msg, sizeof(msg), fmt, a, b);
	return sdiag_error_set(err, SDIAG_CAT_CONFIG_INVALID, SDIAG_PHASE_CONFIG, "%s", msg);
}

static int parse_bool(const char *v, int *out)
{
	static const char *yes[] = {"1", "true", "yes", "on"};
	static const char *no[] = {"0", "false", "no", "off", ""};
	size_t i;
	for (i = 0; i < sizeof(yes) / sizeof(*yes); i++) {
		if (sdiag_strcasecmp(v, yes[i]) == 0) {
			*out = 1;
			return 0;
		}
	}
	for (i = 0; i < sizeof(no) / sizeof(*no); i++) {
		if (sdiag_strcasecmp(v, no[i]) == 0) {
			*out = 0;
			return 0;
		}
	}
	return -1;
}

/* Seconds (float) to ms; 0 < value <= 86400. */
static int parse_seconds(const char *v, double *ms)
{
	char *end;
	double d = strtod(v, &end);
	if (!*v || *end || !(d > 0) || d > 86400) {
		return -1;
	}
	*ms = d * 1000.0;
	return 0;
}

static int replace(char **slot, const char *v)
{
	char *n = sdiag_strdup(v);
	if (!n) {
		return -1;
	}
	sdiag_free(*slot);
	*slot = n;
	return 0;
}

typedef enum { OPT_STR, OPT_SECRET, OPT_BOOL, OPT_SECONDS, OPT_SPECIAL } opt_kind_t;

typedef struct {
	const char *name;
	opt_kind_t kind;
	size_t off;
} opt_t;

#define OFF(f) offsetof(sdiag_config_t, f)
static const opt_t options[] = {
	{"host", OPT_SPECIAL, 0},
	{"port", OPT_SPECIAL, 0},
	{"scheme", OPT_SPECIAL, 0},
	{"transport", OPT_SPECIAL, 0},
	{"url", OPT_SPECIAL, 0},
	{"dsn", OPT_SPECIAL, 0},
	{"encryption", OPT_SPECIAL, 0},
	{"username", OPT_STR, OFF(username)},
	{"password", OPT_SECRET, OFF(password)},
	{"auth", OPT_SPECIAL, 0},
	{"allow_plaintext_auth", OPT_BOOL, OFF(allow_plaintext_auth)},
	{"pipelining", OPT_BOOL, OFF(pipelining)},
	{"chunking", OPT_BOOL, OFF(chunking)},
	{"ping_threshold", OPT_SECONDS, OFF(ping_threshold_ms)},
	{"helo", OPT_SPECIAL, 0},
	{"local_domain", OPT_SPECIAL, 0},
	{"timeout", OPT_SECONDS, OFF(timeout_ms)},
	{"connect_timeout", OPT_SECONDS, OFF(connect_timeout_ms)},
	{"read_timeout", OPT_SECONDS, OFF(read_timeout_ms)},
	{"banner_timeout", OPT_SECONDS, OFF(banner_timeout_ms)},
	{"command_timeout", OPT_SECONDS, OFF(command_timeout_ms)},
	{"data_timeout", OPT_SECONDS, OFF(data_timeout_ms)},
	{"final_timeout", OPT_SECONDS, OFF(final_timeout_ms)},
	{"retries", OPT_SPECIAL, 0},
	{"retry_base_ms", OPT_SPECIAL, 0},
	{"retry_max_ms", OPT_SPECIAL, 0},
	{"rate_limit", OPT_SPECIAL, 0},
	{"max_per_connection", OPT_SPECIAL, 0},
	/* Symfony Mailer's names for the same */
	{"max_per_second", OPT_SPECIAL, 0},
	{"restart_threshold", OPT_SPECIAL, 0},
	{"restart_threshold_sleep", OPT_SECONDS, OFF(restart_sleep_ms)},
	{"verify_peer", OPT_BOOL, OFF(verify_peer)},
	{"verify_peer_name", OPT_BOOL, OFF(verify_peer_name)},
	{"cafile", OPT_STR, OFF(cafile)},
	{"capath", OPT_STR, OFF(capath)},
	{"peer_name", OPT_STR, OFF(peer_name)},
	{"dns_servers", OPT_STR, OFF(dns_servers)},
	{"ip_family", OPT_SPECIAL, 0},
	/* Symfony Mailer DSN options */
	{"auto_tls", OPT_SPECIAL, 0},
	{"require_tls", OPT_SPECIAL, 0},
};

static const opt_t *find_option(const char *key)
{
	size_t i;
	for (i = 0; i < sizeof(options) / sizeof(*options); i++) {
		if (strcmp(options[i].name, key) == 0) {
			return &options[i];
		}
	}
	return NULL;
}

int sdiag_config_known(const char *key)
{
	return find_option(key) != NULL;
}

static sdiag_status_t set_host(sdiag_config_t *c, const char *v, size_t n, sdiag_error_t *err)
{
	size_t i;
	if (n >= 2 && v[0] == '[' && v[n - 1] == ']') {
		v++;
		n -= 2;
	}
	if (n == 0) {
		return invalid(err, "the host is empty%s%s", "", "");
	}
	if (n > 253) {
		return invalid(err, "the host name is longer than 253 characters%s%s", "", "");
	}
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)v[i];
		if (ch <= ' ' || ch == '/' || ch == '@' || ch == '?' || ch == '#' || ch == '[' || ch == ']' || ch >= 0x7F) {
			return invalid(err, "the host contains an invalid character (it must be a host name or an IP address)%s%s", "", "");
		}
	}
	sdiag_free(c->host);
	c->host = sdiag_strndup(v, n);
	return c->host ? SDIAG_OK : SDIAG_ENOMEM;
}

static sdiag_status_t set_port(sdiag_config_t *c, const char *v, sdiag_error_t *err)
{
	char *end;
	long p = strtol(v, &end, 10);
	if (!*v || *end || p < 1 || p > 65535) {
		return invalid(err, "port \"%s\" is not a number from 1 to 65535%s", v, "");
	}
	c->port = (uint16_t)p;
	return SDIAG_OK;
}

static sdiag_status_t set_helo(sdiag_config_t *c, const char *v, sdiag_error_t *err)
{
	size_t i, n = strlen(v);
	if (!sdiag_wire_safe(v, n)) {
		return invalid(err, "the HELO name contains CR or LF%s%s", "", "");
	}
	if (n == 0 || n > 255) {
		return invalid(err, "the HELO name must have 1 to 255 characters%s%s", "", "");
	}
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)v[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' || ch == '[' || ch == ']' || ch == ':' || ch == '_')) {
			return invalid(err, "the HELO name \"%s\" must be a domain name or an address literal like [192.0.2.1]%s", v, "");
		}
	}
	return replace(&c->helo, v) == 0 ? SDIAG_OK : SDIAG_ENOMEM;
}

sdiag_status_t sdiag_config_set(sdiag_config_t *c, const char *key, const char *value, sdiag_error_t *err)
{
	const opt_t *o = find_option(key);
	int b;
	if (!o) {
		return invalid(err, "unknown option \"%s\"%s", key, "");
	}
	switch (o->kind) {
		case OPT_STR:
			if (!sdiag_wire_safe(value, strlen(value))) {
				return invalid(err, "option \"%s\" contains CR or LF%s", key, "");
			}
			return replace((char **)((char *)c + o->off), value) == 0 ? SDIAG_OK : SDIAG_ENOMEM;
		case OPT_SECRET: {
			char **slot = (char **)((char *)c + o->off);
			char *n = sdiag_strdup(value);
			if (!n) {
				return SDIAG_ENOMEM;
			}
			sdiag_free_secret(*slot);
			*slot = n;
			return SDIAG_OK;
		}
		case OPT_BOOL:
			if (parse_bool(value, &b) < 0) {
				return invalid(err, "option \"%s\" must be a boolean, got \"%s\"", key, value);
			}
			*(int *)((char *)c + o->off) = b;
			return SDIAG_OK;
		case OPT_SECONDS:
			if (parse_seconds(value, (double *)((char *)c + o->off)) < 0) {
				return invalid(err, "option \"%s\" must be a number of seconds greater than 0, got \"%s\"", key, value);
			}
			return SDIAG_OK;
		case OPT_SPECIAL:
			break;
	}
	if (strcmp(key, "host") == 0) {
		return set_host(c, value, strlen(value), err);
	}
	if (strcmp(key, "port") == 0) {
		return set_port(c, value, err);
	}
	if (strcmp(key, "helo") == 0 || strcmp(key, "local_domain") == 0) {
		return set_helo(c, value, err);
	}
	if (strcmp(key, "url") == 0 || strcmp(key, "dsn") == 0) {
		return sdiag_config_parse_dsn(c, value, err);
	}
	if (strcmp(key, "transport") == 0) {
		if (strcmp(value, "smtp") != 0) {
			return invalid(err, "transport \"%s\" is not SMTP; smtpdiag checks SMTP mailers only%s", value, "");
		}
		return SDIAG_OK;
	}
	if (strcmp(key, "scheme") == 0) {
		if (strcmp(value, "smtp") != 0 && strcmp(value, "smtps") != 0) {
			return invalid(err, "scheme \"%s\" is not smtp or smtps%s", value, "");
		}
		return replace(&c->scheme, value) == 0 ? SDIAG_OK : SDIAG_ENOMEM;
	}
	if (strcmp(key, "encryption") == 0) {
		static const char *known[] = {"none", "starttls", "implicit", "auto", "tls", "ssl", "smtps", ""};
		size_t i;
		for (i = 0; i < sizeof(known) / sizeof(*known); i++) {
			if (sdiag_strcasecmp(value, known[i]) == 0) {
				return replace(&c->encryption_given, value) == 0 ? SDIAG_OK : SDIAG_ENOMEM;
			}
		}
		return invalid(err, "encryption \"%s\" is not one of none, starttls, implicit, auto (or the aliases tls, ssl, smtps)%s", value, "");
	}
	if (strcmp(key, "auth") == 0) {
		if (sdiag_strcasecmp(value, "auto") != 0 && sdiag_strcasecmp(value, "none") != 0 && sdiag_sasl_lookup(value, strlen(value)) == SDIAG_SASL_NONE) {
			return invalid(err, "auth \"%s\" is not auto, none, or one of SCRAM-SHA-256, CRAM-MD5, PLAIN, LOGIN, XOAUTH2, OAUTHBEARER%s", value, "");
		}
		return replace(&c->auth, value) == 0 ? SDIAG_OK : SDIAG_ENOMEM;
	}
	if (strcmp(key, "retries") == 0 || strcmp(key, "max_per_connection") == 0 || strcmp(key, "restart_threshold") == 0 ||
		strcmp(key, "retry_base_ms") == 0 || strcmp(key, "retry_max_ms") == 0) {
		char *end;
		long v = strtol(value, &end, 10);
		int retries = strcmp(key, "retries") == 0;
		long lo = retries ? 0 : 1, hi = retries ? 10 : 1000000;
		if (!*value || *end || v < lo || v > hi) {
			char range[64];
			snprintf(range, sizeof(range), "%ld to %ld", lo, hi);
			return invalid(err, "option \"%s\" must be an integer from %s", key, range);
		}
		if (retries) {
			c->retries = (int)v;
		} else if (strcmp(key, "retry_base_ms") == 0) {
			c->retry_base_ms = (double)v;
		} else if (strcmp(key, "retry_max_ms") == 0) {
			c->retry_max_ms = (double)v;
		} else {
			c->max_per_connection = (int)v;
		}
		return SDIAG_OK;
	}
	if (strcmp(key, "rate_limit") == 0 || strcmp(key, "max_per_second") == 0) {
		char *end;
		double d = strtod(value, &end);
		if (!*value || *end || !(d > 0) || d > 100000) {
			return invalid(err, "option \"%s\" must be a number of messages per second greater than 0, got \"%s\"", key, value);
		}
		c->rate_limit = d;
		return SDIAG_OK;
	}
	if (strcmp(key, "ip_family") == 0) {
		if (strcmp(value, "4") == 0 || strcmp(value, "6") == 0 || strcmp(value, "0") == 0) {
			c->ip_family = value[0] - '0';
			return SDIAG_OK;
		}
		return invalid(err, "ip_family must be 4, 6 or 0 (any), got \"%s\"%s", value, "");
	}
	if (strcmp(key, "auto_tls") == 0 || strcmp(key, "require_tls") == 0) {
		if (parse_bool(value, &b) < 0) {
			return invalid(err, "option \"%s\" must be a boolean, got \"%s\"", key, value);
		}
		if (key[0] == 'a' && !b && !c->encryption_given) {
			return replace(&c->encryption_given, "none") == 0 ? SDIAG_OK : SDIAG_ENOMEM;
		}
		if (key[0] == 'r' && b && (!c->encryption_given || sdiag_strcasecmp(c->encryption_given, "auto") == 0)) {
			return replace(&c->encryption_given, "starttls") == 0 ? SDIAG_OK : SDIAG_ENOMEM;
		}
		return SDIAG_OK;
	}
	return invalid(err, "unknown option \"%s\"%s", key, "");
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9') {
		return ch - '0';
	}
	if (ch >= 'a' && ch <= 'f') {
		return ch - 'a' + 10;
	}
	if (ch >= 'A' && ch <= 'F') {
		return ch - 'A' + 10;
	}
	return -1;
}

/* The decoded length of s[0..n) (escapes already checked by pct_decode). */
static size_t pct_len(const char *s, size_t n)
{
	size_t i, l = 0;
	for (i = 0; i < n; i++, l++) {
		if (s[i] == '%') {
			i += 2;
		}
	}
	return l;
}

/* Percent-decode s[0..n) into a new string; NULL on a bad escape or ENOMEM
 * (*bad set for the former). plus_space: '+' means ' ' (query strings). */
static char *pct_decode(const char *s, size_t n, int plus_space, int *bad)
{
	char *out = sdiag_malloc(n + 1), *o = out;
	size_t i;
	*bad = 0;
	if (!out) {
		return NULL;
	}
	for (i = 0; i < n; i++) {
		if (s[i] == '%') {
			int h, l;
			if (i + 2 >= n) {
				*bad = 1;
				break;
			}
			h = hexval(s[i + 1]);
			l = hexval(s[i + 2]);
			if (h < 0 || l < 0) {
				*bad = 1;
				break;
			}
			*o++ = (char)(h * 16 + l);
			i += 2;
		} else if (plus_space && s[i] == '+') {
			*o++ = ' ';
		} else {
			*o++ = s[i];
		}
	}
	*o = '\0';
	if (*bad) {
		sdiag_free_secret(out);
		return NULL;
	}
	return out;
}

/* Whether the DSN has an '@' after its authority that is not inside an
 * option value: the sign of a password with an unescaped '/', '?' or '#'. */
static int reserved_in_userinfo(const char *dsn)
{
	const char *p = strstr(dsn, "://"), *rest, *at, *eq;
	if (!p) {
		return 0;
	}
	p += 3;
	rest = p + strcspn(p, "/?#");
	if (memchr(p, '@', (size_t)(rest - p))) {
		return 0;
	}
	at = strchr(rest, '@');
	eq = strchr(rest, '=');
	return at && (!eq || at < eq);
}

static sdiag_status_t parse_dsn(sdiag_config_t *c, const char *dsn, sdiag_error_t *err);

sdiag_status_t sdiag_config_parse_dsn(sdiag_config_t *c, const char *dsn, sdiag_error_t *err)
{
	sdiag_status_t st = parse_dsn(c, dsn, err);
	if (st == SDIAG_ERR && reserved_in_userinfo(dsn)) {
		/* what was parsed as host, port or options may be part of a password: quote nothing */
		sdiag_error_set(err, SDIAG_CAT_CONFIG_INVALID, SDIAG_PHASE_CONFIG,
			"the DSN cannot be read: its user name or password seems to contain \"/\", \"?\" or \"#\"; percent-encode them in a DSN (%%2F, %%3F, %%23, and %%40 for \"@\")");
	}
	return st;
}

static sdiag_status_t parse_dsn(sdiag_config_t *c, const char *dsn, sdiag_error_t *err)
{
	const char *p = strstr(dsn, "://"), *auth_end, *host, *hp_end;
	size_t sl;
	int bad;
	sdiag_status_t st;
	if (!p) {
		return invalid(err, "the DSN must look like smtp://user:pass@host:587 or smtps://user:pass@host:465%s%s", "", "");
	}
	sl = (size_t)(p - dsn);
	if (!(sl == 4 && sdiag_strncasecmp(dsn, "smtp", 4) == 0) && !(sl == 5 && sdiag_strncasecmp(dsn, "smtps", 5) == 0)) {
		char scheme[32];
		snprintf(scheme, sizeof(scheme), "%.*s", (int)(sl < 31 ? sl : 31), dsn);
		return invalid(err, "DSN scheme \"%s\" is not smtp or smtps (for a provider bridge such as ses+smtp, give the provider's SMTP host with smtp:// or smtps://)%s", scheme, "");
	}
	if (!sdiag_wire_safe(dsn, strlen(dsn)) || strchr(dsn, ' ')) {
		return invalid(err, "the DSN contains spaces, CR or LF%s%s", "", "");
	}
	if (replace(&c->scheme, sl == 5 ? "smtps" : "smtp") < 0) {
		return SDIAG_ENOMEM;
	}
	p += 3;
	/* RFC 3986: the authority ends at '/', '?' or '#'; within it the last '@'
	 * ends the user information, so an unescaped '@' in a password works. */
	hp_end = p + strcspn(p, "/?#");
	auth_end = NULL;
	for (host = p; host < hp_end; host++) {
		if (*host == '@') {
			auth_end = host;
		}
	}
	host = auth_end ? auth_end + 1 : p;
	if (auth_end) {
		const char *colon = memchr(p, ':', (size_t)(auth_end - p));
		char *user = pct_decode(p, (size_t)((colon ? colon : auth_end) - p), 0, &bad);
		if (!user) {
			return bad ? invalid(err, "the DSN's user name has a bad %%-escape%s%s", "", "") : SDIAG_ENOMEM;
		}
		if (!sdiag_wire_safe(user, strlen(user)) || strlen(user) != pct_len(p, (size_t)((colon ? colon : auth_end) - p))) {
			sdiag_free(user);
			return invalid(err, "the DSN's user name contains CR, LF or NUL%s%s", "", "");
		}
		sdiag_free(c->username);
		c->username = user[0] ? user : NULL;
		if (!user[0]) {
			sdiag_free(user);
		}
		if (colon) {
			char *pass = pct_decode(colon + 1, (size_t)(auth_end - colon - 1), 0, &bad);
			if (!pass) {
				return bad ? invalid(err, "the DSN's password has a bad %%-escape%s%s", "", "") : SDIAG_ENOMEM;
			}
			if (strlen(pass) != pct_len(colon + 1, (size_t)(auth_end - colon - 1))) {
				sdiag_free_secret(pass);
				return invalid(err, "the DSN's password contains a NUL byte (%%00)%s%s", "", "");
			}
			sdiag_free_secret(c->password);
			c->password = pass;
		}
	}
	{
		const char *port = NULL, *hend = hp_end;
		char portbuf[8];
		if (*host == '[') {
			const char *rb = memchr(host, ']', (size_t)(hp_end - host));
			if (!rb) {
				return invalid(err, "the DSN's IPv6 address has no closing bracket%s%s", "", "");
			}
			hend = rb + 1;
			if (hend < hp_end) {
				if (*hend != ':') {
					return invalid(err, "unexpected text after the DSN's IPv6 address%s%s", "", "");
				}
				port = hend + 1;
			}
		} else {
			const char *colon = memchr(host, ':', (size_t)(hp_end - host));
			if (colon) {
				hend = colon;
				port = colon + 1;
			}
		}
		if (hend == host) {
			return invalid(err, "the DSN has no host%s%s", "", "");
		}
		st = set_host(c, host, (size_t)(hend - host), err);
		if (st != SDIAG_OK) {
			return st;
		}
		if (port) {
			size_t pl = (size_t)(hp_end - port);
			if (pl == 0 || pl >= sizeof(portbuf)) {
				return invalid(err, "the DSN's port is empty or too long%s%s", "", "");
			}
			memcpy(portbuf, port, pl);
			portbuf[pl] = '\0';
			st = set_port(c, portbuf, err);
			if (st != SDIAG_OK) {
				return st;
			}
		}
	}
	p = hp_end;
	if (*p == '/') {
		p++;
		if (*p && *p != '?' && *p != '#') {
			return invalid(err, "the DSN has a path; SMTP DSNs have none%s%s", "", "");
		}
	}
	if (*p == '#') {
		return invalid(err, "the DSN has a fragment (#...)%s%s", "", "");
	}
	if (*p == '?') {
		p++;
		while (*p) {
			const char *amp = p + strcspn(p, "&#");
			const char *eq = memchr(p, '=', (size_t)(amp - p));
			char *key, *val;
			if (*amp == '#') {
				return invalid(err, "the DSN has a fragment (#...)%s%s", "", "");
			}
			if (amp != p) {
				key = pct_decode(p, (size_t)((eq ? eq : amp) - p), 1, &bad);
				if (!key) {
					return bad ? invalid(err, "a DSN option name has a bad %%-escape%s%s", "", "") : SDIAG_ENOMEM;
				}
				val = eq ? pct_decode(eq + 1, (size_t)(amp - eq - 1), 1, &bad) : sdiag_strdup("1");
				if (!val) {
					sdiag_free(key);
					return (eq && bad) ? invalid(err, "a DSN option value has a bad %%-escape%s%s", "", "") : SDIAG_ENOMEM;
				}
				if (strcmp(key, "url") == 0 || strcmp(key, "dsn") == 0) {
					st = invalid(err, "option \"%s\" cannot appear inside a DSN%s", key, "");
				} else {
					st = sdiag_config_set(c, key, val, err);
				}
				sdiag_free(key);
				sdiag_free_secret(val);
				if (st != SDIAG_OK) {
					return st;
				}
			}
			p = *amp ? amp + 1 : amp;
		}
	}
	return SDIAG_OK;
}

sdiag_status_t sdiag_config_finalize(sdiag_config_t *c, sdiag_error_t *err)
{
	const char *given = c->encryption_given;
	int smtps = c->scheme && strcmp(c->scheme, "smtps") == 0;
	char portnote[128] = "";
	if (!c->host) {
		return invalid(err, "no host given: set host (or a DSN like smtp://host:587)%s%s", "", "");
	}
	if (given && !*given) {
		given = NULL;
	}
	if (!given) {
		if (smtps || c->port == 465) {
			c->encryption = SDIAG_ENC_IMPLICIT;
			snprintf(c->encryption_note, sizeof(c->encryption_note), "no encryption given: implicit TLS because %s", smtps ? "the scheme is smtps" : "the port is 465");
		} else {
			c->encryption = SDIAG_ENC_AUTO;
			snprintf(c->encryption_note, sizeof(c->encryption_note), "no encryption given: STARTTLS when the server offers it, as Symfony Mailer does");
		}
	} else if (sdiag_strcasecmp(given, "tls") == 0) {
		if (c->port == 465 || (smtps && !c->port)) {
			c->encryption = SDIAG_ENC_IMPLICIT;
			snprintf(c->encryption_note, sizeof(c->encryption_note), "encryption \"%s\" read as implicit TLS because the port is 465, as PHPMailer and Laravel read it", given);
		} else {
			c->encryption = SDIAG_ENC_STARTTLS;
			snprintf(c->encryption_note, sizeof(c->encryption_note), "encryption \"%s\" read as STARTTLS (required), as PHPMailer and Laravel read it", given);
		}
	} else if (sdiag_strcasecmp(given, "ssl") == 0 || sdiag_strcasecmp(given, "smtps") == 0) {
		c->encryption = SDIAG_ENC_IMPLICIT;
		snprintf(c->encryption_note, sizeof(c->encryption_note), "encryption \"%s\" read as implicit TLS (TLS from the first byte)", given);
	} else {
		c->encryption = sdiag_strcasecmp(given, "none") == 0 ? SDIAG_ENC_NONE
			: sdiag_strcasecmp(given, "starttls") == 0 ? SDIAG_ENC_STARTTLS
			: sdiag_strcasecmp(given, "implicit") == 0 ? SDIAG_ENC_IMPLICIT
			: SDIAG_ENC_AUTO;
		snprintf(c->encryption_note, sizeof(c->encryption_note), "encryption \"%s\"", given);
	}
	if (smtps && c->encryption != SDIAG_ENC_IMPLICIT) {
		return invalid(err, "the smtps scheme means implicit TLS, but encryption \"%s\" was also given%s", given ? given : "", "");
	}
	if (!c->port) {
		c->port = c->encryption == SDIAG_ENC_IMPLICIT ? 465 : c->encryption == SDIAG_ENC_STARTTLS ? 587 : 25;
		snprintf(portnote, sizeof(portnote), "; no port given: %u", (unsigned)c->port);
		strncat(c->encryption_note, portnote, sizeof(c->encryption_note) - strlen(c->encryption_note) - 1);
	}
	if (c->timeout_ms <= 0) {
		c->timeout_ms = SDIAG_DEFAULT_TIMEOUT_MS;
	}
	if (c->connect_timeout_ms <= 0) {
		c->connect_timeout_ms = c->timeout_ms < SDIAG_DEFAULT_CONNECT_TIMEOUT_MS ? c->timeout_ms : SDIAG_DEFAULT_CONNECT_TIMEOUT_MS;
	}
	/* RFC 5321 section 4.5.3.2 allows minutes per reply; a web request has
	 * seconds, so every reply wait defaults to the overall timeout (30 s) */
	if (c->read_timeout_ms <= 0) {
		c->read_timeout_ms = c->timeout_ms;
	}
	if (c->banner_timeout_ms <= 0) {
		c->banner_timeout_ms = c->read_timeout_ms;
	}
	if (c->command_timeout_ms <= 0) {
		c->command_timeout_ms = c->read_timeout_ms;
	}
	if (c->data_timeout_ms <= 0) {
		c->data_timeout_ms = c->read_timeout_ms;
	}
	if (c->final_timeout_ms <= 0) {
		c->final_timeout_ms = c->read_timeout_ms;
	}
	if (c->retry_base_ms <= 0) {
		c->retry_base_ms = 200;
	}
	if (c->retry_max_ms <= 0) {
		c->retry_max_ms = 5000;
	}
	if (c->retry_max_ms < c->retry_base_ms) {
		return invalid(err, "retry_max_ms must not be smaller than retry_base_ms%s%s", "", "");
	}
	if (c->password && !c->username) {
		return invalid(err, "a password was given without a user name%s%s", "", "");
	}
	if (c->username && !c->password) {
		return invalid(err, "a user name was given without a password (or token)%s%s", "", "");
	}
	return SDIAG_OK;
}

double sdiag_backoff_ms(const sdiag_config_t *c, int attempt)
{
	double cap = c->retry_base_ms;
	int i;
	for (i = 1; i < attempt && cap < c->retry_max_ms; i++) {
		cap *= 2;
	}
	if (cap > c->retry_max_ms) {
		cap = c->retry_max_ms;
	}
	return sdiag_random_ms(cap);
}

void sdiag_config_target(const sdiag_config_t *c, char *out, size_t len)
{
	const char *h = c->host ? c->host : "";
	snprintf(out, len, strchr(h, ':') ? "[%s]:%u" : "%s:%u", h, (unsigned)c->port);
}
