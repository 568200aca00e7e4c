/*
 * smtpdiag core: connection configuration. Options arrive as key/value
 * strings, from a DSN's query, a Laravel-style array or the options array
 * (the glue turns PHP values into strings), and are validated here, so the
 * rules are the same whatever the source. sdiag_config_finalize() applies
 * defaults and reads the ecosystem's encryption aliases.
 */
#ifndef SDIAG_SETTINGS_H
#define SDIAG_SETTINGS_H

#include <stdint.h>
#include "error.h"

typedef enum sdiag_encryption {
	SDIAG_ENC_UNSET = 0,
	SDIAG_ENC_NONE,
	SDIAG_ENC_STARTTLS,  /* required: never a plaintext fallback */
	SDIAG_ENC_IMPLICIT,  /* TLS from the first byte (port 465) */
	SDIAG_ENC_AUTO       /* STARTTLS when offered */
} sdiag_encryption_t;

typedef struct sdiag_config {
	char *host;              /* without brackets for IPv6 literals */
	uint16_t port;           /* 0 until finalized when not given */
	char *scheme;            /* "smtp" / "smtps" when given */
	char *encryption_given;  /* the value as the user wrote it */
	sdiag_encryption_t encryption;
	char encryption_note[256];  /* how the encryption setting was read */
	char *username;
	char *password;          /* secret: wiped when freed */
	char *auth;              /* mechanism name or "auto" */
	char *helo;              /* EHLO name; NULL: address literal of our side */
	double timeout_ms;       /* overall deadline of one operation */
	double connect_timeout_ms;
	double read_timeout_ms;  /* default for every reply wait below */
	double banner_timeout_ms;   /* the greeting */
	double command_timeout_ms;  /* the reply to a command, a TLS handshake */
	double data_timeout_ms;     /* a write of the message that makes no progress */
	double final_timeout_ms;    /* the reply to the end of data */
	int retries;             /* extra attempts for transient failures */
	double retry_base_ms, retry_max_ms;  /* exponential backoff with full jitter */
	double rate_limit;       /* messages per second, 0: none */
	int max_per_connection;  /* reconnect after this many messages, 0: never */
	double restart_sleep_ms; /* pause after such a reconnect */
	int verify_peer;
	int verify_peer_name;
	char *cafile, *capath, *peer_name;
	char *dns_servers;       /* "host[:port],..." for c-ares */
	int ip_family;           /* 0 any, 4, 6 */
	int allow_plaintext_auth;  /* PLAIN/LOGIN/tokens over an unencrypted connection */
	int pipelining;          /* use PIPELINING when offered (default on) */
	int chunking;            /* use BDAT when CHUNKING is offered (default on) */
	double ping_threshold_ms;  /* idle time after which a reused connection is checked with NOOP */
} sdiag_config_t;

void sdiag_config_init(sdiag_config_t *c);
void sdiag_config_free(sdiag_config_t *c);

/* Set one option; unknown keys and bad values fail with config_invalid. */
sdiag_status_t sdiag_config_set(sdiag_config_t *c, const char *key, const char *value, sdiag_error_t *err);
/* Whether key is a known option name. */
int sdiag_config_known(const char *key);
/* Parse a Symfony Mailer DSN: smtp://user:pass@host:port?opt=val, smtps://... */
sdiag_status_t sdiag_config_parse_dsn(sdiag_config_t *c, const char *dsn, sdiag_error_t *err);
/* Apply defaults, resolve encryption aliases, validate. */
sdiag_status_t sdiag_config_finalize(sdiag_config_t *c, sdiag_error_t *err);
const char *sdiag_encryption_name(sdiag_encryption_t e);
/* Validate an address or HELO name for the wire: no CR, LF or NUL. */
int sdiag_wire_safe(const char *s, size_t len);
/* The same for a NUL-terminated string. */
int sdiag_wire_safe_text(const char *s);
/* The pause before retry number attempt (1 for the first retry): exponential
 * backoff from retry_base_ms, capped at retry_max_ms, with full jitter. */
double sdiag_backoff_ms(const sdiag_config_t *c, int attempt);
/* "host:port" with brackets for IPv6, no credentials. */
void sdiag_config_target(const sdiag_config_t *c, char *out, size_t len);

#endif
