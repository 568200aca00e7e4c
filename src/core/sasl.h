/*
 * smtpdiag core: SASL client mechanisms for SMTP AUTH (RFC 4954): PLAIN,
 * LOGIN, CRAM-MD5, XOAUTH2, OAUTHBEARER (RFC 7628) and SCRAM-SHA-256
 * (RFC 5802, RFC 7677), plus base64. No I/O: the SMTP engine passes the
 * server's challenges in and sends the responses out. Secrets are wiped from
 * every temporary buffer.
 */
#ifndef SDIAG_SASL_H
#define SDIAG_SASL_H

#include <stddef.h>
#include "buf.h"
#include "error.h"

typedef enum sdiag_sasl_mech {
	SDIAG_SASL_NONE = -1,
	SDIAG_SASL_SCRAM_SHA_256 = 0,  /* strongest first: the order of auto selection */
	SDIAG_SASL_CRAM_MD5,
	SDIAG_SASL_PLAIN,
	SDIAG_SASL_LOGIN,
	SDIAG_SASL_XOAUTH2,
	SDIAG_SASL_OAUTHBEARER,
	SDIAG_SASL__COUNT
} sdiag_sasl_mech_t;

typedef struct sdiag_sasl {
	sdiag_sasl_mech_t mech;
	int step;
	const char *user;
	const char *secret;           /* password or OAuth token: owned by the caller */
	const char *host;             /* OAUTHBEARER host and port */
	unsigned port;
	char cnonce[48];
	char *client_first_bare;
	unsigned char server_signature[32];
	int server_verified;          /* SCRAM: the server proved it knows the password */
} sdiag_sasl_t;

const char *sdiag_sasl_name(sdiag_sasl_mech_t m);
/* Mechanism by name (case-insensitive), SDIAG_SASL_NONE when unknown. */
sdiag_sasl_mech_t sdiag_sasl_lookup(const char *name, size_t len);
/* Whether the mechanism sends the secret itself (PLAIN, LOGIN, bearer tokens). */
int sdiag_sasl_reveals_secret(sdiag_sasl_mech_t m);
/* Whether the mechanism takes an OAuth access token as its secret. */
int sdiag_sasl_is_oauth(sdiag_sasl_mech_t m);

void sdiag_sasl_init(sdiag_sasl_t *s, sdiag_sasl_mech_t m, const char *user, const char *secret, const char *host, unsigned port);
void sdiag_sasl_free(sdiag_sasl_t *s);
/* The initial response for "AUTH <mech> <ir>" in base64; out is left empty
 * for mechanisms that wait for a challenge (LOGIN, CRAM-MD5). */
sdiag_status_t sdiag_sasl_initial(sdiag_sasl_t *s, sdiag_buf_t *out, sdiag_error_t *err);
/* The response to a "334 <challenge>" (base64 in, base64 out). */
sdiag_status_t sdiag_sasl_step(sdiag_sasl_t *s, const char *challenge, size_t len, sdiag_buf_t *out, sdiag_error_t *err);

/* Base64 (RFC 4648, no line breaks). decode: -1 on invalid input. */
int sdiag_b64_encode(sdiag_buf_t *out, const unsigned char *in, size_t len);
long sdiag_b64_decode(unsigned char *out, size_t outlen, const char *in, size_t len);

#endif
