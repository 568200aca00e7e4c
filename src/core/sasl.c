/* smtpdiag core: SASL client mechanisms and base64. */
#include "sasl.h"
#include "compat.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <string.h>

#define SCRAM_MAX_ITERATIONS 1000000   /* a hostile server must not make us burn CPU for minutes */
#define SCRAM_MIN_ITERATIONS 1024

static const char *const names[SDIAG_SASL__COUNT] = {
	"SCRAM-SHA-256", "CRAM-MD5", "PLAIN", "LOGIN", "XOAUTH2", "OAUTHBEARER",
};

const char *sdiag_sasl_name(sdiag_sasl_mech_t m)
{
	return (m >= 0 && m < SDIAG_SASL__COUNT) ? names[m] : "none";
}

sdiag_sasl_mech_t sdiag_sasl_lookup(const char *name, size_t len)
{
	int i;
	for (i = 0; i < SDIAG_SASL__COUNT; i++) {
		if (strlen(names[i]) == len && sdiag_strncasecmp(names[i], name, len) == 0) {
			return (sdiag_sasl_mech_t)i;
		}
	}
	return SDIAG_SASL_NONE;
}

int sdiag_sasl_reveals_secret(sdiag_sasl_mech_t m)
{
	return m == SDIAG_SASL_PLAIN || m == SDIAG_SASL_LOGIN || m == SDIAG_SASL_XOAUTH2 || m == SDIAG_SASL_OAUTHBEARER;
}

int sdiag_sasl_is_oauth(sdiag_sasl_mech_t m)
{
	return m == SDIAG_SASL_XOAUTH2 || m == SDIAG_SASL_OAUTHBEARER;
}

/* ---- base64 ---- */

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int sdiag_b64_encode(sdiag_buf_t *out, const unsigned char *in, size_t len)
{
	size_t i;
	char q[4];
	for (i = 0; i + 2 < len; i += 3) {
		q[0] = b64[in[i] >> 2];
		q[1] = b64[((in[i] & 3) << 4) | (in[i + 1] >> 4)];
		q[2] = b64[((in[i + 1] & 15) << 2) | (in[i + 2] >> 6)];
		q[3] = b64[in[i + 2] & 63];
		if (sdiag_buf_add(out, q, 4) != SDIAG_BUF_OK) {
			return -1;
		}
	}
	if (i < len) {
		q[0] = b64[in[i] >> 2];
		if (i + 1 < len) {
			q[1] = b64[((in[i] & 3) << 4) | (in[i + 1] >> 4)];
			q[2] = b64[(in[i + 1] & 15) << 2];
		} else {
			q[1] = b64[(in[i] & 3) << 4];
			q[2] = '=';
		}
		q[3] = '=';
		if (sdiag_buf_add(out, q, 4) != SDIAG_BUF_OK) {
			return -1;
		}
	}
	return 0;
}

long sdiag_b64_decode(unsigned char *out, size_t outlen, const char *in, size_t len)
{
	size_t i, o = 0;
	unsigned int acc = 0;
	int bits = 0, pad = 0;
	for (i = 0; i < len; i++) {
		int v;
		if (in[i] == '=') {
			pad++;
			continue;
		}
		if (pad) {
			return -1; /* data after padding */
		}
		v = sdiag_b64_digit((unsigned char)in[i]);
		if (v < 0) {
			return -1;
		}
		acc = (acc << 6) | (unsigned int)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o >= outlen) {
				return -1;
			}
			out[o++] = (unsigned char)(acc >> bits);
		}
	}
	if (pad > 2 || (len - (size_t)pad) % 4 == 1) {
		return -1;
	}
	return (long)o;
}

/* ---- mechanisms ---- */

void sdiag_sasl_init(sdiag_sasl_t *s, sdiag_sasl_mech_t m, const char *user, const char *secret, const char *host, unsigned port)
{
	memset(s, 0, sizeof(*s));
	s->mech = m;
	s->user = user ? user : "";
	s->secret = secret ? secret : "";
	s->host = host ? host : "";
	s->port = port;
}

void sdiag_sasl_free(sdiag_sasl_t *s)
{
	sdiag_free_secret(s->client_first_bare);
	OPENSSL_cleanse(s->server_signature, sizeof(s->server_signature));
	OPENSSL_cleanse(s->cnonce, sizeof(s->cnonce));
	s->client_first_bare = NULL;
}

/* Encode a temporary plaintext into out, then wipe the plaintext. */
static sdiag_status_t encode_wipe(sdiag_buf_t *plain, sdiag_buf_t *out, sdiag_error_t *err)
{
	int r = sdiag_b64_encode(out, (const unsigned char *)(plain->data ? plain->data : ""), plain->len);
	if (plain->data) {
		OPENSSL_cleanse(plain->data, plain->cap);
	}
	sdiag_buf_free(plain);
	if (r < 0) {
		return sdiag_error_set(err, SDIAG_CAT_OTHER, SDIAG_PHASE_AUTH, "out of memory building the AUTH response");
	}
	return SDIAG_OK;
}

/* SCRAM user names escape ',' and '=' (RFC 5802 section 5.1). */
static int scram_name(sdiag_buf_t *b, const char *u)
{
	for (; *u; u++) {
		int r = *u == ',' ? sdiag_buf_add(b, "=2C", 3) : *u == '=' ? sdiag_buf_add(b, "=3D", 3) : sdiag_buf_add(b, u, 1);
		if (r != SDIAG_BUF_OK) {
			return -1;
		}
	}
	return 0;
}

sdiag_status_t sdiag_sasl_initial(sdiag_sasl_t *s, sdiag_buf_t *out, sdiag_error_t *err)
{
	sdiag_buf_t p;
	int r = SDIAG_BUF_OK;
	sdiag_buf_init(&p, 16384);
	s->step = 1;
	switch (s->mech) {
		case SDIAG_SASL_PLAIN:
			/* authzid NUL authcid NUL passwd */
			r |= sdiag_buf_add(&p, "", 1);
			r |= sdiag_buf_addstr(&p, s->user);
			r |= sdiag_buf_add(&p, "", 1);
			r |= sdiag_buf_addstr(&p, s->secret);
			break;
		case SDIAG_SASL_XOAUTH2:
			r |= sdiag_buf_addf(&p, "user=%s\001auth=Bearer %s\001\001", s->user, s->secret);
			break;
		case SDIAG_SASL_OAUTHBEARER:
			/* the gs2 authzid escapes ',' and '=' (RFC 5801), as SCRAM names do */
			r |= sdiag_buf_addstr(&p, "n,a=");
			r |= scram_name(&p, s->user) < 0 ? -1 : 0;
			r |= sdiag_buf_addf(&p, ",\001host=%s\001port=%u\001auth=Bearer %s\001\001", s->host, s->port, s->secret);
			break;
		case SDIAG_SASL_SCRAM_SHA_256: {
			unsigned char rnd[24];
			sdiag_buf_t bare;
			if (RAND_bytes(rnd, sizeof(rnd)) != 1) {
				sdiag_buf_free(&p);
				return sdiag_error_set(err, SDIAG_CAT_OTHER, SDIAG_PHASE_AUTH, "no random bytes for the SCRAM nonce");
			}
			{
				sdiag_buf_t nb;
				sdiag_buf_init(&nb, sizeof(s->cnonce) - 1);
				sdiag_b64_encode(&nb, rnd, sizeof(rnd));
				sdiag_strlcpy(s->cnonce, nb.data ? nb.data : "", sizeof(s->cnonce));
				sdiag_buf_free(&nb);
			}
			sdiag_buf_init(&bare, 4096);
			r |= sdiag_buf_add(&bare, "n=", 2);
			r |= scram_name(&bare, s->user) < 0 ? -1 : 0;
			r |= sdiag_buf_addf(&bare, ",r=%s", s->cnonce);
			if (r != SDIAG_BUF_OK) {
				sdiag_buf_free(&bare);
				break;
			}
			s->client_first_bare = sdiag_buf_take(&bare);
			r |= sdiag_buf_addf(&p, "n,,%s", s->client_first_bare);
			break;
		}
		default:
			/* LOGIN and CRAM-MD5 wait for the server's challenge */
			sdiag_buf_free(&p);
			return SDIAG_OK;
	}
	if (r != SDIAG_BUF_OK) {
		if (p.data) {
			OPENSSL_cleanse(p.data, p.cap);
		}
		sdiag_buf_free(&p);
		return sdiag_error_set(err, SDIAG_CAT_CONFIG_INVALID, SDIAG_PHASE_AUTH, "the credentials are too long");
	}
	return encode_wipe(&p, out, err);
}

static int hmac256(const unsigned char *key, size_t klen, const void *data, size_t dlen, unsigned char out[32])
{
	unsigned int l = 32;
	return HMAC(EVP_sha256(), key, (int)klen, data, dlen, out, &l) != NULL ? 0 : -1;
}

/* Parse "k=value" attributes of a SCRAM message; value up to ',' or end. */
static const char *scram_attr(const char *msg, char key, size_t *len)
{
	const char *p = msg;
	while (p && *p) {
		if (p[0] == key && p[1] == '=') {
			const char *v = p + 2;
			*len = strcspn(v, ",");
			return v;
		}
		p = strchr(p, ',');
		if (p) {
			p++;
		}
	}
	return NULL;
}

static sdiag_status_t scram_step(sdiag_sasl_t *s, const char *ch, size_t chlen, sdiag_buf_t *out, sdiag_error_t *err)
{
	const char *nonce, *salt, *iter, *v, *e;
	size_t nl, sl, il, vl, el;
	unsigned char saltbin[256], salted[32], ckey[32], skey[32], stored[32], csig[32], proof[32], ssig[64];
	unsigned char *msg = NULL;
	long saltlen, n;
	long iterations;
	sdiag_buf_t final, am;
	sdiag_status_t st = SDIAG_OK;
	int i, r = 0;
	char *server_first;

	msg = sdiag_malloc(chlen + 1);
	if (!msg) {
		return sdiag_error_set(err, SDIAG_CAT_OTHER, SDIAG_PHASE_AUTH, "out of memory");
	}
	n = sdiag_b64_decode(msg, chlen, ch, chlen);
	if (n < 0) {
		sdiag_free(msg);
		return sdiag_error_set(err, SDIAG_CAT_PROTOCOL_ERROR, SDIAG_PHASE_AUTH, "the server's SCRAM challenge is not valid base64");
	}
	msg[n] = '\0';
	server_first = (char *)msg;

	if (s->step == 2) {
		/* server-final: v=signature or e=error */
		e = scram_attr(server_first, 'e', &el);
		v = scram_attr(server_first, 'v', &vl);
		if (e) {
			sdiag_error_set(err, SDIAG_CAT_AUTH_FAILED, SDIAG_PHASE_AUTH, "SCRAM authentication failed: %.*s", (int)(el > 100 ? 100 : el), e);
			sdiag_free(msg);
			return SDIAG_ERR;
		}
		if (!v || sdiag_b64_decode(ssig, sizeof(ssig), v, vl) != 32 || CRYPTO_memcmp(ssig, s->server_signature, 32) != 0) {
			sdiag_free(msg);
			sdiag_error_set(err, SDIAG_CAT_AUTH_FAILED, SDIAG_PHASE_AUTH, "the server's SCRAM signature is wrong: it does not know the password (possible impostor)");
			sdiag_error_hint(err, "%s", "The server could not prove it knows the password: check that you are talking to the right server (certificate, DNS) before retrying.");
			return SDIAG_ERR;
		}
		s->server_verified = 1;
		s->step = 3;
		sdiag_free(msg);
		return SDIAG_OK; /* empty response */
	}

	nonce = scram_attr(server_first, 'r', &nl);
	salt = scram_attr(server_first, 's', &sl);
	iter = scram_attr(server_first, 'i', &il);
	if (!nonce || !salt || !iter || nl <= strlen(s->cnonce) || strncmp(nonce, s->cnonce, strlen(s->cnonce)) != 0) {
		sdiag_free(msg);
		return sdiag_error_set(err, SDIAG_CAT_PROTOCOL_ERROR, SDIAG_PHASE_AUTH, "the server's SCRAM challenge is malformed or does not extend our nonce");
	}
	iterations = strtol(iter, NULL, 10);
	if (iterations < SCRAM_MIN_ITERATIONS || iterations > SCRAM_MAX_ITERATIONS) {
		sdiag_free(msg);
		return sdiag_error_set(err, SDIAG_CAT_PROTOCOL_ERROR, SDIAG_PHASE_AUTH, "the server asks for %ld SCRAM iterations (accepted: %d to %d)", iterations, SCRAM_MIN_ITERATIONS, SCRAM_MAX_ITERATIONS);
	}
	saltlen = sdiag_b64_decode(saltbin, sizeof(saltbin), salt, sl);
	if (saltlen <= 0) {
		sdiag_free(msg);
		return sdiag_error_set(err, SDIAG_CAT_PROTOCOL_ERROR, SDIAG_PHASE_AUTH, "the server's SCRAM salt is not valid base64");
	}

	sdiag_buf_init(&final, 4096);
	sdiag_buf_init(&am, 16384);
	r |= sdiag_buf_addf(&final, "c=biws,r=%.*s", (int)nl, nonce);
	r |= sdiag_buf_addf(&am, "%s,%s,%s", s->client_first_bare ? s->client_first_bare : "", server_first, final.data ? final.data : "");
	if (r != SDIAG_BUF_OK) {
		st = sdiag_error_set(err, SDIAG_CAT_PROTOCOL_ERROR, SDIAG_PHASE_AUTH, "the server's SCRAM challenge is too long");
		goto done;
	}
	if (PKCS5_PBKDF2_HMAC(s->secret, (int)strlen(s->secret), saltbin, (int)saltlen, (int)iterations, EVP_sha256(), 32, salted) != 1 ||
		hmac256(salted, 32, "Client Key", 10, ckey) < 0 || SHA256(ckey, 32, stored) == NULL ||
		hmac256(stored, 32, am.data, am.len, csig) < 0 || hmac256(salted, 32, "Server Key", 10, skey) < 0 ||
		hmac256(skey, 32, am.data, am.len, s->server_signature) < 0) {
		st = sdiag_error_set(err, SDIAG_CAT_OTHER, SDIAG_PHASE_AUTH, "OpenSSL failed to compute the SCRAM proof");
		goto done;
	}
	for (i = 0; i < 32; i++) {
		proof[i] = ckey[i] ^ csig[i];
	}
	if (sdiag_buf_add(&final, ",p=", 3) != SDIAG_BUF_OK || sdiag_b64_encode(&final, proof, 32) < 0) {
		st = sdiag_error_set(err, SDIAG_CAT_OTHER, SDIAG_PHASE_AUTH, "out of memory");
		goto done;
	}
	s->step = 2;
	st = encode_wipe(&final, out, err);
done:
	OPENSSL_cleanse(salted, sizeof(salted));
	OPENSSL_cleanse(ckey, sizeof(ckey));
	OPENSSL_cleanse(skey, sizeof(skey));
	OPENSSL_cleanse(stored, sizeof(stored));
	OPENSSL_cleanse(csig, sizeof(csig));
	OPENSSL_cleanse(proof, sizeof(proof));
	if (am.data) {
		OPENSSL_cleanse(am.data, am.cap);
	}
	sdiag_buf_free(&am);
	if (final.data) {
		OPENSSL_cleanse(final.data, final.cap);
	}
	sdiag_buf_free(&final);
	sdiag_free(msg);
	return st;
}

sdiag_status_t sdiag_sasl_step(sdiag_sasl_t *s, const char *ch, size_t chlen, sdiag_buf_t *out, sdiag_error_t *err)
{
	sdiag_buf_t p;
	sdiag_buf_init(&p, 16384);
	switch (s->mech) {
		case SDIAG_SASL_LOGIN:
			/* 334 Username: / 334 Password: (some servers send other prompts: go by order) */
			if (s->step == 1 || s->step == 0) {
				s->step = 2;
				sdiag_buf_addstr(&p, s->user);
			} else if (s->step == 2) {
				s->step = 3;
				sdiag_buf_addstr(&p, s->secret);
			} else {
				sdiag_buf_free(&p);
				return sdiag_error_set(err, SDIAG_CAT_PROTOCOL_ERROR, SDIAG_PHASE_AUTH, "the server sent more AUTH LOGIN challenges than user name and password");
			}
			return encode_wipe(&p, out, err);
		case SDIAG_SASL_CRAM_MD5: {
			unsigned char chal[1024], mac[EVP_MAX_MD_SIZE];
			unsigned int maclen = 0, i;
			long n = sdiag_b64_decode(chal, sizeof(chal), ch, chlen);
			if (n < 0 || s->step > 1) {
				sdiag_buf_free(&p);
				return sdiag_error_set(err, SDIAG_CAT_PROTOCOL_ERROR, SDIAG_PHASE_AUTH, "the server's CRAM-MD5 challenge is not valid");
			}
			if (!HMAC(EVP_md5(), s->secret, (int)strlen(s->secret), chal, (size_t)n, mac, &maclen)) {
				sdiag_buf_free(&p);
				return sdiag_error_set(err, SDIAG_CAT_AUTH_UNSUPPORTED, SDIAG_PHASE_AUTH, "MD5 is not available in this OpenSSL (FIPS mode?): CRAM-MD5 cannot be used");
			}
			sdiag_buf_addf(&p, "%s ", s->user);
			for (i = 0; i < maclen; i++) {
				sdiag_buf_addf(&p, "%02x", mac[i]);
			}
			OPENSSL_cleanse(mac, sizeof(mac));
			s->step = 2;
			return encode_wipe(&p, out, err);
		}
		case SDIAG_SASL_SCRAM_SHA_256:
			sdiag_buf_free(&p);
			return scram_step(s, ch, chlen, out, err);
		case SDIAG_SASL_XOAUTH2:
			/* a 334 after the token carries the error as base64 JSON: answer empty, the server then fails */
			sdiag_buf_free(&p);
			s->step = 2;
			return SDIAG_OK;
		case SDIAG_SASL_OAUTHBEARER:
			/* RFC 7628 section 3.2.3: the client answers the error challenge with %x01 */
			sdiag_buf_free(&p);
			s->step = 2;
			return sdiag_b64_encode(out, (const unsigned char *)"\001", 1) < 0 ? SDIAG_ERR : SDIAG_OK;
		default:
			sdiag_buf_free(&p);
			return sdiag_error_set(err, SDIAG_CAT_PROTOCOL_ERROR, SDIAG_PHASE_AUTH, "unexpected AUTH challenge for %s", sdiag_sasl_name(s->mech));
	}
}
