/* Unit tests: src/core/settings.c, options, the DSN parser and the encryption aliases. */
#include "test.h"
#include "settings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *dsn, *host;
	unsigned port;
	const char *scheme, *user, *pass, *helo, *enc;
	int verify_peer;
} good_dsns[] = {
	{"smtp://mail.example.com", "mail.example.com", 0, "smtp", NULL, NULL, NULL, NULL, 1},
	{"smtp://mail.example.com:587", "mail.example.com", 587, "smtp", NULL, NULL, NULL, NULL, 1},
	{"smtps://user:secret@smtp.gmail.com:465", "smtp.gmail.com", 465, "smtps", "user", "secret", NULL, NULL, 1},
	{"smtp://apikey:SG.abc%2Fdef%3D@smtp.sendgrid.net:587", "smtp.sendgrid.net", 587, "smtp", "apikey", "SG.abc/def=", NULL, NULL, 1},
	{"smtp://user%40example.com:p%40ss%3Aw0rd@host", "host", 0, "smtp", "user@example.com", "p@ss:w0rd", NULL, NULL, 1},
	{"smtp://user:pa@ss@host", "host", 0, "smtp", "user", "pa@ss", NULL, NULL, 1},
	{"smtp://user:pass+word@host", "host", 0, "smtp", "user", "pass+word", NULL, NULL, 1},
	{"smtp://user:p@ss@host:587", "host", 587, "smtp", "user", "p@ss", NULL, NULL, 1},
	/* an '@' in a query value is not userinfo */
	{"smtp://mx.example.com:587?username=me@example.com", "mx.example.com", 587, "smtp", "me@example.com", NULL, NULL, NULL, 1},
	{"smtp://u:p@mx.example.com?peer_name=mx.example.net&cafile=/etc/ssl/ca@2.pem", "mx.example.com", 0, "smtp", "u", "p", NULL, NULL, 1},
	{"smtp://user:@host", "host", 0, "smtp", "user", "", NULL, NULL, 1},
	{"smtp://[::1]:2525", "::1", 2525, "smtp", NULL, NULL, NULL, NULL, 1},
	{"smtp://[2001:db8::25]", "2001:db8::25", 0, "smtp", NULL, NULL, NULL, NULL, 1},
	{"smtps://u:p@[2001:db8::25]:465", "2001:db8::25", 465, "smtps", "u", "p", NULL, NULL, 1},
	{"smtp://192.0.2.25:25", "192.0.2.25", 25, "smtp", NULL, NULL, NULL, NULL, 1},
	{"SMTP://Host.Example.COM", "Host.Example.COM", 0, "smtp", NULL, NULL, NULL, NULL, 1},
	{"SmTpS://host", "host", 0, "smtps", NULL, NULL, NULL, NULL, 1},
	{"smtp://host?verify_peer=0", "host", 0, "smtp", NULL, NULL, NULL, NULL, 0},
	{"smtp://host?verify_peer=false", "host", 0, "smtp", NULL, NULL, NULL, NULL, 0},
	{"smtp://host?verify_peer=0&verify_peer", "host", 0, "smtp", NULL, NULL, NULL, NULL, 1},
	{"smtp://host?local_domain=app.example.com", "host", 0, "smtp", NULL, NULL, "app.example.com", NULL, 1},
	{"smtp://host?helo=%5B192.0.2.1%5D", "host", 0, "smtp", NULL, NULL, "[192.0.2.1]", NULL, 1},
	{"smtp://host?auto_tls=false", "host", 0, "smtp", NULL, NULL, NULL, "none", 1},
	{"smtp://host?require_tls=true", "host", 0, "smtp", NULL, NULL, NULL, "starttls", 1},
	{"smtp://host?encryption=auto&require_tls=1", "host", 0, "smtp", NULL, NULL, NULL, "starttls", 1},
	{"smtp://host?auto_tls=false&encryption=starttls", "host", 0, "smtp", NULL, NULL, NULL, "starttls", 1},
	{"smtp://host?encryption=starttls&auto_tls=false", "host", 0, "smtp", NULL, NULL, NULL, "starttls", 1},
	{"smtp://host?auto_tls=true", "host", 0, "smtp", NULL, NULL, NULL, NULL, 1},
	{"smtp://host?require_tls=false", "host", 0, "smtp", NULL, NULL, NULL, NULL, 1},
	{"smtp://host?restart_threshold=10", "host", 0, "smtp", NULL, NULL, NULL, NULL, 1},
	{"smtp://host?restart_threshold=10&restart_threshold_sleep=1&ping_threshold=100&max_per_second=5", "host", 0, "smtp", NULL, NULL, NULL, NULL, 1},
	{"smtp://host/", "host", 0, "smtp", NULL, NULL, NULL, NULL, 1},
	{"smtp://host/?verify_peer=no", "host", 0, "smtp", NULL, NULL, NULL, NULL, 0},
	{"smtp://host?", "host", 0, "smtp", NULL, NULL, NULL, NULL, 1},
	{"smtp://host?&&verify_peer=off&", "host", 0, "smtp", NULL, NULL, NULL, NULL, 0},
	{"smtp://host?encryption=tls", "host", 0, "smtp", NULL, NULL, NULL, "tls", 1},
	{"smtp://@host", "host", 0, "smtp", NULL, NULL, NULL, NULL, 1},
	{"smtp://user@host:2525", "host", 2525, "smtp", "user", NULL, NULL, NULL, 1},
	{"smtp://host:0025", "host", 25, "smtp", NULL, NULL, NULL, NULL, 1},
};

TEST(dsn_good)
{
	size_t i;
	for (i = 0; i < sizeof(good_dsns) / sizeof(good_dsns[0]); i++) {
		ROW("%s", good_dsns[i].dsn)
		{
			sdiag_config_t c;
			sdiag_error_t e;
			sdiag_config_init(&c);
			sdiag_error_clear(&e);
			CHECK_INT(sdiag_config_parse_dsn(&c, good_dsns[i].dsn, &e), SDIAG_OK);
			CHECK_STR(e.message, "");
			CHECK_STR(c.host, good_dsns[i].host);
			CHECK_INT(c.port, good_dsns[i].port);
			CHECK_STR(c.scheme, good_dsns[i].scheme);
			CHECK_STR(c.username, good_dsns[i].user);
			CHECK_STR(c.password, good_dsns[i].pass);
			CHECK_STR(c.helo, good_dsns[i].helo);
			CHECK_STR(c.encryption_given, good_dsns[i].enc);
			CHECK_INT(c.verify_peer, good_dsns[i].verify_peer);
			sdiag_config_free(&c);
		}
	}
}

TEST(dsn_query_options)
{
	sdiag_config_t c;
	sdiag_error_t e;
	sdiag_config_init(&c);
	sdiag_error_clear(&e);
	CHECK_INT(sdiag_config_parse_dsn(&c,
		"smtp://u:p@mx.example.com:587?timeout=2.5&connect_timeout=1&read_timeout=4&verify_peer_name=0&peer_name=mx.example.net"
		"&cafile=%2Fetc%2Fssl%2Fca.pem&capath=/etc/ssl/certs&auth=login&ip_family=6&dns_servers=192.0.2.53,%5B2001:db8::53%5D:5353",
		&e), SDIAG_OK);
	CHECK_STR(e.message, "");
	CHECK(c.timeout_ms == 2500.0);
	CHECK(c.connect_timeout_ms == 1000.0);
	CHECK(c.read_timeout_ms == 4000.0);
	CHECK_INT(c.verify_peer, 1);
	CHECK_INT(c.verify_peer_name, 0);
	CHECK_STR(c.peer_name, "mx.example.net");
	CHECK_STR(c.cafile, "/etc/ssl/ca.pem");
	CHECK_STR(c.capath, "/etc/ssl/certs");
	CHECK_STR(c.auth, "login");
	CHECK_INT(c.ip_family, 6);
	CHECK_STR(c.dns_servers, "192.0.2.53,[2001:db8::53]:5353");
	sdiag_config_free(&c);
}

static const struct {
	const char *dsn, *error;
} bad_dsns[] = {
	{"mail.example.com:587", "must look like smtp://"},
	{"smtp:/host", "must look like smtp://"},
	{"", "must look like smtp://"},
	{"ftp://host", "DSN scheme \"ftp\" is not smtp or smtps"},
	{"ses+smtp://key:secret@default", "\"ses+smtp\""},
	{"smtpx://host", "is not smtp or smtps"},
	{"://host", "is not smtp or smtps"},
	{"smtp://", "no host"},
	{"smtp://user:pass@", "no host"},
	{"smtp://:25", "no host"},
	/* unescaped reserved characters in a password: nothing of it is quoted */
	{"smtp://user:pa/ss@host:587", "percent-encode them"},
	{"smtp://user:pa?ss@host:587", "percent-encode them"},
	{"smtp://user:pa#ss@host:587", "percent-encode them"},
	{"smtp://a%0D%0AMAIL%20FROM:pw@host", "user name contains CR, LF or NUL"},
	{"smtp://us%00er:pw@host", "user name contains CR, LF or NUL"},
	{"smtp://user:p%00w@host", "password contains a NUL byte"},
	{"smtp://?timeout=1", "no host"},
	{"smtp://[]", "host is empty"},
	{"smtp://[::1", "no closing bracket"},
	{"smtp://[::1]x", "unexpected text after"},
	{"smtp://[::1]:", "port is empty or too long"},
	{"smtp://host:", "port is empty or too long"},
	{"smtp://host:12345678", "port is empty or too long"},
	{"smtp://host:0", "is not a number from 1 to 65535"},
	{"smtp://host:65536", "is not a number from 1 to 65535"},
	{"smtp://host:abc", "is not a number from 1 to 65535"},
	{"smtp://host:-25", "is not a number from 1 to 65535"},
	{"smtp://host:25:26", "is not a number from 1 to 65535"},
	{"smtp://host/path", "has a path"},
	{"smtp://ho/st", "has a path"},
	{"smtp://host#frag", "fragment"},
	{"smtp://host/#frag", "fragment"},
	{"smtp://host?timeout=5#frag", "fragment"},
	{"smtp://%ZZ@host", "user name has a bad %-escape"},
	{"smtp://u%4@host", "user name has a bad %-escape"},
	{"smtp://user:%G0@host", "password has a bad %-escape"},
	{"smtp://user:abc%@host", "password has a bad %-escape"},
	{"smtp://host?a%ZZ=1", "option name has a bad %-escape"},
	{"smtp://host?timeout=%", "option value has a bad %-escape"},
	{"smtp://host?foo=bar", "unknown option \"foo\""},
	{"smtp://host?Timeout=5", "unknown option \"Timeout\""},
	{"smtp://host?url=smtp://x", "cannot appear inside a DSN"},
	{"smtp://host?dsn=smtp://x", "cannot appear inside a DSN"},
	{"smtp://host?timeout=0", "number of seconds greater than 0"},
	{"smtp://host?timeout=abc", "number of seconds greater than 0"},
	{"smtp://host?verify_peer=maybe", "must be a boolean"},
	{"smtp://host?auto_tls=maybe", "must be a boolean"},
	{"smtp://host?encryption=starttlss", "encryption \"starttlss\" is not one of"},
	{"smtp://host?ip_family=5", "ip_family must be 4, 6 or 0"},
	{"smtp://ho st", "spaces, CR or LF"},
	{"smtp://host\r\n", "spaces, CR or LF"},
	{"smtp://host?helo=a\nb", "spaces, CR or LF"},
	{"smtp://host?helo=a%0D%0AMAIL", "HELO name contains CR or LF"},
	{"smtp://host?local_domain=bad_name!", "must be a domain name or an address literal"},
	{"smtp://host?username=a%0Ab", "contains CR or LF"},
	{"smtp://host?peer_name=a%0Db", "contains CR or LF"},
	{"smtp://h\xc3\xa9llo.example", "invalid character"},
	{"smtp://a]b", "invalid character"},
	{"smtp://host?transport=sendmail", "is not SMTP"},
};

TEST(dsn_errors)
{
	size_t i;
	for (i = 0; i < sizeof(bad_dsns) / sizeof(bad_dsns[0]); i++) {
		ROW("%s", t_shows(bad_dsns[i].dsn))
		{
			sdiag_config_t c;
			sdiag_error_t e;
			sdiag_config_init(&c);
			sdiag_error_clear(&e);
			CHECK_INT(sdiag_config_parse_dsn(&c, bad_dsns[i].dsn, &e), SDIAG_ERR);
			CHECK_INT(e.category, SDIAG_CAT_CONFIG_INVALID);
			CHECK_INT(e.phase, SDIAG_PHASE_CONFIG);
			CHECK_CONTAINS(e.message, bad_dsns[i].error);
			CHECK(e.hint[0] != '\0');
			CHECK(!e.transient);
			sdiag_config_free(&c);
		}
	}
}

TEST(dsn_host_too_long)
{
	char dsn[400], host[260];
	sdiag_config_t c;
	sdiag_error_t e;
	memset(host, 'a', 254);
	host[254] = '\0';
	snprintf(dsn, sizeof(dsn), "smtp://%s:25", host);
	sdiag_config_init(&c);
	sdiag_error_clear(&e);
	CHECK_INT(sdiag_config_parse_dsn(&c, dsn, &e), SDIAG_ERR);
	CHECK_CONTAINS(e.message, "longer than 253");
	host[253] = '\0';
	snprintf(dsn, sizeof(dsn), "smtp://%s:25", host);
	CHECK_INT(sdiag_config_parse_dsn(&c, dsn, &e), SDIAG_OK);
	CHECK_SIZE(strlen(c.host), 253);
	sdiag_config_free(&c);
}

/* settings.h: options "are validated here, so the rules are the same whatever
 * the source". sdiag_config_set("username", "a\r\nb") is refused with
 * "contains CR or LF"; the same user name %-encoded in a DSN's userinfo
 * must be refused too. */
TEST(dsn_userinfo_cr_lf_rejected_like_options)
{
	static const char *dsns[] = {
		"smtp://a%0D%0AMAIL%20FROM:pw@host:587",
		"smtp://a%0Ab:pw@host:587",
		"smtp://us%00er:pw@host:587",
	};
	size_t i;
	for (i = 0; i < sizeof(dsns) / sizeof(dsns[0]); i++) {
		sdiag_config_t c;
		sdiag_error_t e;
		sdiag_status_t st;
		sdiag_config_init(&c);
		sdiag_error_clear(&e);
		st = sdiag_config_parse_dsn(&c, dsns[i], &e);
		if (st == SDIAG_OK) {
			t_fail(__FILE__, __LINE__, "%s accepted, user name \"%s\"", dsns[i], t_shows(c.username));
		} else {
			CHECK_INT(e.category, SDIAG_CAT_CONFIG_INVALID);
		}
		sdiag_config_free(&c);
	}
}

typedef struct {
	const char *key, *value;
	int ok;
	const char *error;
} set_row_t;

static const set_row_t set_rows[] = {
	{"host", "smtp.example.com", 1, NULL},
	{"host", "[2001:db8::1]", 1, NULL},
	{"host", "192.0.2.1", 1, NULL},
	{"host", "", 0, "host is empty"},
	{"host", "[]", 0, "host is empty"},
	{"host", "a b", 0, "invalid character"},
	{"host", "x\r\n", 0, "invalid character"},
	{"host", "user@host", 0, "invalid character"},
	{"host", "host/path", 0, "invalid character"},
	{"port", "587", 1, NULL},
	{"port", "1", 1, NULL},
	{"port", "65535", 1, NULL},
	{"port", "0", 0, "not a number from 1 to 65535"},
	{"port", "65536", 0, "not a number from 1 to 65535"},
	{"port", "abc", 0, "not a number from 1 to 65535"},
	{"port", "", 0, "not a number from 1 to 65535"},
	{"port", "25 ", 0, "not a number from 1 to 65535"},
	{"port", "99999999999999999999", 0, "not a number from 1 to 65535"},
	{"scheme", "smtp", 1, NULL},
	{"scheme", "smtps", 1, NULL},
	{"scheme", "https", 0, "is not smtp or smtps"},
	{"transport", "smtp", 1, NULL},
	{"transport", "sendmail", 0, "is not SMTP"},
	{"encryption", "none", 1, NULL},
	{"encryption", "starttls", 1, NULL},
	{"encryption", "implicit", 1, NULL},
	{"encryption", "auto", 1, NULL},
	{"encryption", "tls", 1, NULL},
	{"encryption", "TLS", 1, NULL},
	{"encryption", "ssl", 1, NULL},
	{"encryption", "smtps", 1, NULL},
	{"encryption", "", 1, NULL},
	{"encryption", "always", 0, "is not one of none, starttls, implicit, auto"},
	{"username", "user@example.com", 1, NULL},
	{"username", "a\r\nb", 0, "contains CR or LF"},
	{"username", "a\nb", 0, "contains CR or LF"},
	{"password", "p\r\nw d", 1, NULL}, /* a secret: never sent raw (AUTH encodes it) */
	{"auth", "PLAIN", 1, NULL},
	{"auth", "x\ny", 0, "is not auto, none, or one of"},
	{"helo", "client.example.com", 1, NULL},
	{"helo", "[192.0.2.1]", 1, NULL},
	{"helo", "[IPv6:2001:db8::1]", 1, NULL},
	{"helo", "my_host", 1, NULL},
	{"helo", "", 0, "must have 1 to 255 characters"},
	{"helo", "a\r\nMAIL FROM:<x@y>", 0, "HELO name contains CR or LF"},
	{"helo", "bad name", 0, "must be a domain name or an address literal"},
	{"helo", "caf\xc3\xa9", 0, "must be a domain name or an address literal"},
	{"local_domain", "app.test", 1, NULL},
	{"local_domain", "a\nb", 0, "CR or LF"},
	{"timeout", "30", 1, NULL},
	{"timeout", "0.5", 1, NULL},
	{"timeout", "86400", 1, NULL},
	{"timeout", "0", 0, "greater than 0"},
	{"timeout", "-1", 0, "greater than 0"},
	{"timeout", "abc", 0, "greater than 0"},
	{"timeout", "", 0, "greater than 0"},
	{"timeout", "86401", 0, "greater than 0"},
	{"timeout", "nan", 0, "greater than 0"},
	{"timeout", "inf", 0, "greater than 0"},
	{"timeout", "5s", 0, "greater than 0"},
	{"connect_timeout", "5", 1, NULL},
	{"read_timeout", "x", 0, "greater than 0"},
	{"verify_peer", "false", 1, NULL},
	{"verify_peer", "0", 1, NULL},
	{"verify_peer", "no", 1, NULL},
	{"verify_peer", "off", 1, NULL},
	{"verify_peer", "", 1, NULL},
	{"verify_peer", "TRUE", 1, NULL},
	{"verify_peer", "On", 1, NULL},
	{"verify_peer", "2", 0, "must be a boolean"},
	{"verify_peer_name", "yes", 1, NULL},
	{"cafile", "/etc/ssl/certs/ca-certificates.crt", 1, NULL},
	{"capath", "/etc/ssl/certs", 1, NULL},
	{"peer_name", "mx.example.com", 1, NULL},
	{"peer_name", "a\rb", 0, "contains CR or LF"},
	{"dns_servers", "192.0.2.53", 1, NULL},
	{"ip_family", "4", 1, NULL},
	{"ip_family", "6", 1, NULL},
	{"ip_family", "0", 1, NULL},
	{"ip_family", "5", 0, "ip_family must be 4, 6 or 0"},
	{"ip_family", "", 0, "ip_family must be 4, 6 or 0"},
	{"ip_family", "44", 0, "ip_family must be 4, 6 or 0"},
	{"auto_tls", "false", 1, NULL},
	{"auto_tls", "maybe", 0, "must be a boolean"},
	{"require_tls", "true", 1, NULL},
	{"require_tls", "x", 0, "must be a boolean"},
	{"restart_threshold", "anything", 0, "must be an integer from 1 to 1000000"},
	{"restart_threshold", "10", 1, NULL},
	{"retries", "11", 0, "must be an integer from 0 to 10"},
	{"retries", "3", 1, NULL},
	{"retry_base_ms", "0", 0, "must be an integer from 1 to"},
	{"rate_limit", "0", 0, "messages per second greater than 0"},
	{"rate_limit", "2.5", 1, NULL},
	{"final_timeout", "0", 0, "greater than 0"},
	{"ping_threshold", "100", 1, NULL},
	{"bogus", "1", 0, "unknown option \"bogus\""},
	{"HOST", "x", 0, "unknown option"},
	{"", "x", 0, "unknown option"},
	{"url", "smtp://mx.example.com:2525", 1, NULL},
	{"dsn", "smtps://mx.example.com", 1, NULL},
	{"dsn", "mx.example.com", 0, "must look like smtp://"},
};

TEST(config_set_every_kind)
{
	size_t i;
	for (i = 0; i < sizeof(set_rows) / sizeof(set_rows[0]); i++) {
		ROW("%s = \"%s\"", set_rows[i].key, t_shows(set_rows[i].value))
		{
			sdiag_config_t c;
			sdiag_error_t e;
			sdiag_status_t st;
			sdiag_config_init(&c);
			sdiag_error_clear(&e);
			st = sdiag_config_set(&c, set_rows[i].key, set_rows[i].value, &e);
			CHECK_INT(st, set_rows[i].ok ? SDIAG_OK : SDIAG_ERR);
			if (set_rows[i].ok) {
				CHECK_INT(e.category, SDIAG_CAT_NONE);
			} else {
				CHECK_INT(e.category, SDIAG_CAT_CONFIG_INVALID);
				CHECK_CONTAINS(e.message, set_rows[i].error);
			}
			sdiag_config_free(&c);
		}
	}
}

TEST(config_set_values_land)
{
	sdiag_config_t c;
	sdiag_error_t e;
	sdiag_config_init(&c);
	sdiag_error_clear(&e);
	CHECK_INT(c.verify_peer, 1);
	CHECK_INT(c.verify_peer_name, 1);
	CHECK_INT(sdiag_config_set(&c, "host", "[2001:db8::1]", &e), SDIAG_OK);
	CHECK_STR(c.host, "2001:db8::1");
	CHECK_INT(sdiag_config_set(&c, "host", "mx.example.com", &e), SDIAG_OK);
	CHECK_STR(c.host, "mx.example.com");
	CHECK_INT(sdiag_config_set(&c, "port", "2525", &e), SDIAG_OK);
	CHECK_INT(c.port, 2525);
	CHECK_INT(sdiag_config_set(&c, "timeout", "0.5", &e), SDIAG_OK);
	CHECK(c.timeout_ms == 500.0);
	CHECK_INT(sdiag_config_set(&c, "verify_peer", "off", &e), SDIAG_OK);
	CHECK_INT(c.verify_peer, 0);
	CHECK_INT(sdiag_config_set(&c, "verify_peer", "yes", &e), SDIAG_OK);
	CHECK_INT(c.verify_peer, 1);
	CHECK_INT(sdiag_config_set(&c, "username", "first", &e), SDIAG_OK);
	CHECK_INT(sdiag_config_set(&c, "username", "second", &e), SDIAG_OK);
	CHECK_STR(c.username, "second");
	CHECK_INT(sdiag_config_set(&c, "password", "s1", &e), SDIAG_OK);
	CHECK_INT(sdiag_config_set(&c, "password", "s2", &e), SDIAG_OK);
	CHECK_STR(c.password, "s2");
	CHECK_INT(sdiag_config_set(&c, "encryption", "TLS", &e), SDIAG_OK);
	CHECK_STR(c.encryption_given, "TLS");
	CHECK_INT(sdiag_config_set(&c, "local_domain", "app.test", &e), SDIAG_OK);
	CHECK_STR(c.helo, "app.test");
	CHECK_INT(sdiag_config_set(&c, "ip_family", "4", &e), SDIAG_OK);
	CHECK_INT(c.ip_family, 4);
	CHECK_INT(sdiag_config_set(&c, "restart_threshold", "5", &e), SDIAG_OK);
	CHECK_INT(c.max_per_connection, 5);
	CHECK_INT(sdiag_config_set(&c, "max_per_second", "4", &e), SDIAG_OK);
	CHECK(c.rate_limit == 4.0);
	CHECK_INT(sdiag_config_set(&c, "retries", "2", &e), SDIAG_OK);
	CHECK_INT(c.retries, 2);
	CHECK_INT(sdiag_config_set(&c, "ping_threshold", "5", &e), SDIAG_OK);
	CHECK(c.ping_threshold_ms == 5000.0);
	/* a failed set keeps the previous value */
	CHECK_INT(sdiag_config_set(&c, "port", "0", &e), SDIAG_ERR);
	CHECK_INT(c.port, 2525);
	CHECK_INT(sdiag_config_set(&c, "helo", "bad name", &e), SDIAG_ERR);
	CHECK_STR(c.helo, "app.test");
	CHECK_INT(sdiag_config_set(&c, "username", "x\ny", &e), SDIAG_ERR);
	CHECK_STR(c.username, "second");
	sdiag_config_free(&c);
	CHECK(c.host == NULL);
	CHECK(c.password == NULL);
	CHECK_INT(c.verify_peer, 1);
}

TEST(long_helo_rejected)
{
	char helo[300];
	sdiag_config_t c;
	sdiag_error_t e;
	memset(helo, 'h', 256);
	helo[256] = '\0';
	sdiag_config_init(&c);
	CHECK_INT(sdiag_config_set(&c, "helo", helo, &e), SDIAG_ERR);
	CHECK_CONTAINS(e.message, "1 to 255");
	helo[255] = '\0';
	CHECK_INT(sdiag_config_set(&c, "helo", helo, &e), SDIAG_OK);
	sdiag_config_free(&c);
}

TEST(config_known)
{
	CHECK(sdiag_config_known("host"));
	CHECK(sdiag_config_known("local_domain"));
	CHECK(sdiag_config_known("restart_threshold"));
	CHECK(sdiag_config_known("require_tls"));
	CHECK(!sdiag_config_known("bogus"));
	CHECK(!sdiag_config_known("Host"));
	CHECK(!sdiag_config_known(""));
}

/* Options are "key=value" pairs applied in order; "dsn" first when given. */
typedef struct {
	const char *name;
	const char *opts[6];
	int ok;
	sdiag_encryption_t enc;
	unsigned port;
	const char *note[3];
	const char *error;
} fin_row_t;

static const fin_row_t fin_rows[] = {
	{"unset: auto on 25", {"host=h"}, 1, SDIAG_ENC_AUTO, 25, {"no encryption given", "STARTTLS when the server offers it", "no port given: 25"}, NULL},
	{"unset on 587", {"host=h", "port=587"}, 1, SDIAG_ENC_AUTO, 587, {"no encryption given"}, NULL},
	{"unset on 465: implicit", {"host=h", "port=465"}, 1, SDIAG_ENC_IMPLICIT, 465, {"no encryption given", "implicit TLS because the port is 465"}, NULL},
	{"unset, smtps scheme: implicit", {"dsn=smtps://h"}, 1, SDIAG_ENC_IMPLICIT, 465, {"implicit TLS because the scheme is smtps", "no port given: 465"}, NULL},
	{"smtps scheme on 2465", {"dsn=smtps://h:2465"}, 1, SDIAG_ENC_IMPLICIT, 2465, {"the scheme is smtps"}, NULL},
	{"empty encryption is unset", {"host=h", "encryption="}, 1, SDIAG_ENC_AUTO, 25, {"no encryption given"}, NULL},
	{"none", {"host=h", "encryption=none"}, 1, SDIAG_ENC_NONE, 25, {"encryption \"none\"", "no port given: 25"}, NULL},
	{"starttls", {"host=h", "encryption=starttls"}, 1, SDIAG_ENC_STARTTLS, 587, {"encryption \"starttls\"", "no port given: 587"}, NULL},
	{"STARTTLS upper case", {"host=h", "encryption=STARTTLS"}, 1, SDIAG_ENC_STARTTLS, 587, {"encryption \"STARTTLS\""}, NULL},
	{"implicit", {"host=h", "encryption=implicit"}, 1, SDIAG_ENC_IMPLICIT, 465, {"encryption \"implicit\"", "no port given: 465"}, NULL},
	{"auto", {"host=h", "encryption=auto"}, 1, SDIAG_ENC_AUTO, 25, {"encryption \"auto\""}, NULL},
	{"tls: starttls", {"host=h", "encryption=tls"}, 1, SDIAG_ENC_STARTTLS, 587, {"encryption \"tls\" read as STARTTLS", "PHPMailer and Laravel", "no port given: 587"}, NULL},
	{"tls on 587", {"host=h", "port=587", "encryption=tls"}, 1, SDIAG_ENC_STARTTLS, 587, {"read as STARTTLS"}, NULL},
	{"tls on 25", {"host=h", "port=25", "encryption=tls"}, 1, SDIAG_ENC_STARTTLS, 25, {"read as STARTTLS"}, NULL},
	{"tls on 465: implicit", {"host=h", "port=465", "encryption=tls"}, 1, SDIAG_ENC_IMPLICIT, 465, {"encryption \"tls\" read as implicit TLS because the port is 465"}, NULL},
	{"TLS on 465", {"host=h", "port=465", "encryption=TLS"}, 1, SDIAG_ENC_IMPLICIT, 465, {"\"TLS\" read as implicit TLS"}, NULL},
	{"ssl", {"host=h", "encryption=ssl"}, 1, SDIAG_ENC_IMPLICIT, 465, {"encryption \"ssl\" read as implicit TLS", "no port given: 465"}, NULL},
	{"ssl on 587 stays implicit", {"host=h", "port=587", "encryption=ssl"}, 1, SDIAG_ENC_IMPLICIT, 587, {"read as implicit TLS"}, NULL},
	{"smtps alias", {"host=h", "encryption=smtps"}, 1, SDIAG_ENC_IMPLICIT, 465, {"encryption \"smtps\" read as implicit TLS"}, NULL},
	{"smtps scheme + tls, no port", {"dsn=smtps://h?encryption=tls"}, 1, SDIAG_ENC_IMPLICIT, 465, {"read as implicit TLS"}, NULL},
	{"smtps scheme + ssl", {"dsn=smtps://h:465?encryption=ssl"}, 1, SDIAG_ENC_IMPLICIT, 465, {"read as implicit TLS"}, NULL},
	{"smtps scheme + implicit", {"dsn=smtps://h", "encryption=implicit"}, 1, SDIAG_ENC_IMPLICIT, 465, {"encryption \"implicit\""}, NULL},
	{"smtps scheme + starttls", {"dsn=smtps://h", "encryption=starttls"}, 0, 0, 0, {NULL}, "the smtps scheme means implicit TLS, but encryption \"starttls\""},
	{"smtps scheme + none", {"dsn=smtps://h?encryption=none"}, 0, 0, 0, {NULL}, "smtps scheme means implicit TLS"},
	{"smtps scheme + auto", {"dsn=smtps://h?encryption=auto"}, 0, 0, 0, {NULL}, "smtps scheme means implicit TLS"},
	{"smtps scheme + tls on 587", {"dsn=smtps://h:587?encryption=tls"}, 0, 0, 0, {NULL}, "smtps scheme means implicit TLS"},
	{"DSN auto_tls=false", {"dsn=smtp://h?auto_tls=false"}, 1, SDIAG_ENC_NONE, 25, {"encryption \"none\""}, NULL},
	{"DSN require_tls=true", {"dsn=smtp://h?require_tls=true"}, 1, SDIAG_ENC_STARTTLS, 587, {"encryption \"starttls\""}, NULL},
	{"DSN with port and tls", {"dsn=smtp://u:p@h:465?encryption=tls"}, 1, SDIAG_ENC_IMPLICIT, 465, {"because the port is 465"}, NULL},
	{"Laravel array", {"transport=smtp", "host=smtp.mailgun.org", "port=587", "encryption=tls", "username=postmaster@mg.example.com", "password=secret"}, 1, SDIAG_ENC_STARTTLS, 587, {"read as STARTTLS"}, NULL},
	{"password without user", {"host=h", "password=secret"}, 0, 0, 0, {NULL}, "password was given without a user name"},
	{"DSN password without user", {"dsn=smtp://:secret@h"}, 0, 0, 0, {NULL}, "password was given without a user name"},
	{"user without password", {"host=h", "username=u"}, 0, 0, 0, {NULL}, "a user name was given without a password"},
	{"no host", {"port=25"}, 0, 0, 0, {NULL}, "no host given"},
	{"nothing", {NULL}, 0, 0, 0, {NULL}, "no host given"},
};

static sdiag_status_t apply(sdiag_config_t *c, const char *const *opts, sdiag_error_t *e)
{
	size_t i;
	for (i = 0; i < 6 && opts[i]; i++) {
		char key[64];
		const char *eq = strchr(opts[i], '=');
		sdiag_status_t st;
		snprintf(key, sizeof(key), "%.*s", (int)(eq - opts[i]), opts[i]);
		st = sdiag_config_set(c, key, eq + 1, e);
		if (st != SDIAG_OK) {
			return st;
		}
	}
	return SDIAG_OK;
}

TEST(finalize_encryption_aliases)
{
	size_t i, k;
	for (i = 0; i < sizeof(fin_rows) / sizeof(fin_rows[0]); i++) {
		ROW("%s", fin_rows[i].name)
		{
			sdiag_config_t c;
			sdiag_error_t e;
			sdiag_status_t st;
			sdiag_config_init(&c);
			sdiag_error_clear(&e);
			st = apply(&c, fin_rows[i].opts, &e);
			CHECK_INT(st, SDIAG_OK);
			if (st == SDIAG_OK) {
				st = sdiag_config_finalize(&c, &e);
				CHECK_INT(st, fin_rows[i].ok ? SDIAG_OK : SDIAG_ERR);
				if (fin_rows[i].ok) {
					CHECK_INT(c.encryption, fin_rows[i].enc);
					CHECK_INT(c.port, fin_rows[i].port);
					for (k = 0; k < 3 && fin_rows[i].note[k]; k++) {
						CHECK_CONTAINS(c.encryption_note, fin_rows[i].note[k]);
					}
					CHECK(c.encryption_note[0] != '\0');
				} else {
					CHECK_INT(e.category, SDIAG_CAT_CONFIG_INVALID);
					CHECK_CONTAINS(e.message, fin_rows[i].error);
				}
			}
			sdiag_config_free(&c);
		}
	}
}

TEST(finalize_timeouts)
{
	sdiag_config_t c;
	sdiag_error_t e;
	sdiag_config_init(&c);
	CHECK_INT(sdiag_config_set(&c, "host", "h", &e), SDIAG_OK);
	CHECK_INT(sdiag_config_finalize(&c, &e), SDIAG_OK);
	CHECK(c.timeout_ms == 30000.0);
	CHECK(c.connect_timeout_ms == 10000.0);
	CHECK(c.read_timeout_ms == 30000.0);
	sdiag_config_free(&c);
	sdiag_config_init(&c);
	CHECK_INT(sdiag_config_set(&c, "host", "h", &e), SDIAG_OK);
	CHECK_INT(sdiag_config_set(&c, "timeout", "5", &e), SDIAG_OK);
	CHECK_INT(sdiag_config_finalize(&c, &e), SDIAG_OK);
	CHECK(c.timeout_ms == 5000.0);
	CHECK(c.connect_timeout_ms == 5000.0);
	CHECK(c.read_timeout_ms == 5000.0);
	sdiag_config_free(&c);
	sdiag_config_init(&c);
	CHECK_INT(sdiag_config_set(&c, "host", "h", &e), SDIAG_OK);
	CHECK_INT(sdiag_config_set(&c, "connect_timeout", "2", &e), SDIAG_OK);
	CHECK_INT(sdiag_config_set(&c, "read_timeout", "3", &e), SDIAG_OK);
	CHECK_INT(sdiag_config_finalize(&c, &e), SDIAG_OK);
	CHECK(c.connect_timeout_ms == 2000.0);
	CHECK(c.read_timeout_ms == 3000.0);
	sdiag_config_free(&c);
}

TEST(finalize_twice_is_stable)
{
	sdiag_config_t c;
	sdiag_error_t e;
	sdiag_config_init(&c);
	CHECK_INT(sdiag_config_parse_dsn(&c, "smtp://h?encryption=tls", &e), SDIAG_OK);
	CHECK_INT(sdiag_config_finalize(&c, &e), SDIAG_OK);
	CHECK_INT(sdiag_config_finalize(&c, &e), SDIAG_OK);
	CHECK_INT(c.encryption, SDIAG_ENC_STARTTLS);
	CHECK_INT(c.port, 587);
	sdiag_config_free(&c);
}

TEST(target_and_names)
{
	static const struct {
		const char *dsn, *target;
	} rows[] = {
		{"smtp://mail.example.com:587", "mail.example.com:587"},
		{"smtp://[::1]:2525", "[::1]:2525"},
		{"smtps://u:secret@[2001:db8::1]", "[2001:db8::1]:465"},
		{"smtps://u:secret@mx.example.com", "mx.example.com:465"},
	};
	size_t i;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ROW("%s", rows[i].dsn)
		{
			sdiag_config_t c;
			sdiag_error_t e;
			char out[300];
			sdiag_config_init(&c);
			CHECK_INT(sdiag_config_parse_dsn(&c, rows[i].dsn, &e), SDIAG_OK);
			CHECK_INT(sdiag_config_finalize(&c, &e), SDIAG_OK);
			sdiag_config_target(&c, out, sizeof(out));
			CHECK_STR(out, rows[i].target);
			CHECK(!strstr(out, "secret"));
			sdiag_config_free(&c);
		}
	}
	CHECK_STR(sdiag_encryption_name(SDIAG_ENC_NONE), "none");
	CHECK_STR(sdiag_encryption_name(SDIAG_ENC_STARTTLS), "starttls");
	CHECK_STR(sdiag_encryption_name(SDIAG_ENC_IMPLICIT), "implicit");
	CHECK_STR(sdiag_encryption_name(SDIAG_ENC_AUTO), "auto");
	CHECK_STR(sdiag_encryption_name(SDIAG_ENC_UNSET), "unset");
}

TEST(wire_safe)
{
	CHECK(sdiag_wire_safe("user@example.com", 16));
	CHECK(sdiag_wire_safe("", 0));
	CHECK(!sdiag_wire_safe("a\rb", 3));
	CHECK(!sdiag_wire_safe("a\nb", 3));
	CHECK(!sdiag_wire_safe("a\0b", 3));
	CHECK(sdiag_wire_safe("a\tb", 3));
}

TEST(allocation_failure)
{
	static const char dsn[] = "smtps://us%40er:p%40ss@mx.example.com:465?timeout=5&local_domain=app.test&cafile=/x&peer_name=mx&restart_threshold=1&verify_peer";
	unsigned long n;
	for (n = 1; n < 200; n++) {
		sdiag_config_t c;
		sdiag_error_t e;
		sdiag_status_t st;
		int hit;
		sdiag_config_init(&c);
		sdiag_error_clear(&e);
		t_alloc_fail_nth(n);
		st = sdiag_config_parse_dsn(&c, dsn, &e);
		if (st == SDIAG_OK) {
			st = sdiag_config_finalize(&c, &e);
		}
		hit = t_alloc_hit();
		t_alloc_reset();
		if (hit) {
			CHECK_INT(st, SDIAG_ENOMEM);
		} else {
			CHECK_INT(st, SDIAG_OK);
		}
		sdiag_config_free(&c);
		if (!hit) {
			break;
		}
	}
}

TEST_MAIN("settings",
	T(dsn_good),
	T(dsn_query_options),
	T(dsn_errors),
	T(dsn_host_too_long),
	T(dsn_userinfo_cr_lf_rejected_like_options),
	T(config_set_every_kind),
	T(config_set_values_land),
	T(long_helo_rejected),
	T(config_known),
	T(finalize_encryption_aliases),
	T(finalize_timeouts),
	T(finalize_twice_is_stable),
	T(target_and_names),
	T(wire_safe),
	T(allocation_failure))
