/*
 * smtpdiag core: DKIM public key records (RFC 6376 3.6.1, with RFC 8301's
 * crypto update and RFC 8463's ed25519 keys) and the dns.dkim check.
 *
 * sdiag_dkim_check() parses a key record and loads its key with OpenSSL;
 * it is a pure function of the text (no DNS, no allocation of its own) and
 * is fuzzed (fuzz/fuzz_dkim.c). Every problem becomes a finding that names
 * the tag and what to publish instead.
 */
#ifndef SDIAG_DKIM_H
#define SDIAG_DKIM_H

#include <stddef.h>

#include "taglist.h"

/* p= decodes into a fixed buffer: an RSA-16384 SubjectPublicKeyInfo is
 * about 2,100 bytes, so anything longer is not a key anyone can use. */
#define SDIAG_DKIM_DER_MAX 4096

typedef enum sdiag_dkim_ktype {
	SDIAG_DKIM_RSA = 0,
	SDIAG_DKIM_ED25519,
	SDIAG_DKIM_UNKNOWN     /* k= names a type verifiers do not know */
} sdiag_dkim_ktype_t;

typedef struct sdiag_dkim_key {
	int version;             /* v=DKIM1 was present */
	sdiag_dkim_ktype_t ktype;
	char key_type[16];       /* k= as published (cut to fit), "rsa" when absent */
	char hashes[32];         /* h= as published, "" when absent (any) */
	int testing;             /* t=y */
	int strict;              /* t=s: the i= of signatures must be d= exactly */
	int revoked;             /* p= is empty */
	int email;               /* s= allows email (absent, "*" or "email") */
	unsigned char der[SDIAG_DKIM_DER_MAX];
	size_t derlen;           /* decoded p=; 0 when absent, empty or undecodable */
	int loaded;              /* OpenSSL accepted the key */
	int pkcs1;               /* an RSA key published as a bare RSAPublicKey */
	int bits;                /* RSA modulus bits; 256 for ed25519; 0 when not loaded */
	char sha256[65];         /* hex SHA-256 of the decoded p=, "" when none */
	sdiag_findings_t findings;
} sdiag_dkim_key_t;

/* Parse the record text rec[0..len) and load its key. The status of the
 * key is sdiag_findings_worst(&k->findings): FAIL when verifiers cannot use
 * it (syntax, v=, k=, p= missing/revoked/undecodable, RSA under 1024 bits
 * per RFC 8301, s= without email), WARN when they can but should not have
 * to (RSA under 2048 or over 4096 bits, h=sha1 alone, t=y testing, a bare
 * RSAPublicKey, missing base64 padding). */
void sdiag_dkim_check(sdiag_dkim_key_t *k, const char *rec, size_t len);

/* "rsa", "ed25519" or "unknown". */
const char *sdiag_dkim_ktype_name(sdiag_dkim_ktype_t t);

#endif
