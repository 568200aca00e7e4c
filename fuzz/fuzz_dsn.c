/*
 * Fuzz target: the DSN parser and the option setter (src/core/settings.c),
 * each followed by sdiag_config_finalize().
 * Byte 0 selects the mode: even, the rest is a DSN; odd, the rest is
 * "key=value" lines given to sdiag_config_set() in order.
 */
#include "fuzz_common.h"
#include "settings.h"

#include <string.h>

static void check_error(sdiag_status_t st, const sdiag_error_t *e)
{
	if (st == SDIAG_ERR) {
		FUZZ_ASSERT(e->category == SDIAG_CAT_CONFIG_INVALID);
		FUZZ_ASSERT(e->message[0] != '\0');
		FUZZ_ASSERT(e->hint[0] != '\0');
	} else {
		FUZZ_ASSERT(st == SDIAG_OK);
	}
}

static void check_final(const sdiag_config_t *c)
{
	char target[300];
	FUZZ_ASSERT(c->host && c->host[0]);
	FUZZ_ASSERT(strlen(c->host) <= 253);
	FUZZ_ASSERT(!strpbrk(c->host, " \r\n/@?#[]"));
	FUZZ_ASSERT(c->port >= 1);
	FUZZ_ASSERT(c->encryption >= SDIAG_ENC_NONE && c->encryption <= SDIAG_ENC_AUTO);
	FUZZ_ASSERT(c->encryption_note[0] != '\0');
	FUZZ_ASSERT(!c->scheme || strcmp(c->scheme, "smtps") != 0 || c->encryption == SDIAG_ENC_IMPLICIT);
	FUZZ_ASSERT(!c->password || c->username);
	FUZZ_ASSERT(!c->helo || sdiag_wire_safe(c->helo, strlen(c->helo)));
	FUZZ_ASSERT(!c->auth || sdiag_wire_safe(c->auth, strlen(c->auth)));
	FUZZ_ASSERT(!c->peer_name || sdiag_wire_safe(c->peer_name, strlen(c->peer_name)));
	FUZZ_ASSERT(c->timeout_ms > 0 && c->connect_timeout_ms > 0 && c->read_timeout_ms > 0);
	FUZZ_ASSERT(c->ip_family == 0 || c->ip_family == 4 || c->ip_family == 6);
	sdiag_config_target(c, target, sizeof(target));
	FUZZ_ASSERT(target[0] != '\0');
	if (c->password) { /* the target line never depends on the password */
		sdiag_config_t without = *c;
		char target2[300];
		without.password = NULL;
		sdiag_config_target(&without, target2, sizeof(target2));
		FUZZ_ASSERT(strcmp(target, target2) == 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sdiag_config_t c;
	sdiag_error_t e;
	sdiag_status_t st = SDIAG_OK;
	char *s;
	if (size < 1 || size > 4096) {
		return 0;
	}
	s = malloc(size);
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	sdiag_config_init(&c);
	sdiag_error_clear(&e);
	if (data[0] % 2 == 0) {
		st = sdiag_config_parse_dsn(&c, s, &e);
		check_error(st, &e);
	} else {
		char *line = s;
		while (st == SDIAG_OK && line) {
			char *nl = strchr(line, '\n'), *eq;
			if (nl) {
				*nl = '\0';
			}
			eq = strchr(line, '=');
			if (eq) {
				*eq = '\0';
				st = sdiag_config_set(&c, line, eq + 1, &e);
				check_error(st, &e);
			}
			line = nl ? nl + 1 : NULL;
		}
	}
	if (st == SDIAG_OK) {
		sdiag_error_clear(&e);
		st = sdiag_config_finalize(&c, &e);
		check_error(st, &e);
		if (st == SDIAG_OK) {
			check_final(&c);
			/* finalizing again keeps a valid configuration */
			FUZZ_ASSERT(sdiag_config_finalize(&c, &e) == SDIAG_OK);
			check_final(&c);
		}
	}
	sdiag_config_free(&c);
	free(s);
	return 0;
}
