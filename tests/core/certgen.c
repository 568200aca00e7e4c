/* Test certificates made with OpenSSL (see certgen.h). */
#include "certgen.h"

#include <openssl/ec.h>
#include <openssl/obj_mac.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

EVP_PKEY *t_key_new(void)
{
	EVP_PKEY *k = NULL;
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_id(EVP_PKEY_EC, NULL);
	if (!c || EVP_PKEY_keygen_init(c) != 1 || EVP_PKEY_CTX_set_ec_paramgen_curve_nid(c, NID_X9_62_prime256v1) != 1 || EVP_PKEY_keygen(c, &k) != 1) {
		abort();
	}
	EVP_PKEY_CTX_free(c);
	return k;
}

static void add_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *e;
	X509V3_set_ctx(&ctx, issuer ? issuer : x, x, NULL, NULL, 0);
	e = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	if (!e || X509_add_ext(x, e, -1) != 1) {
		abort();
	}
	X509_EXTENSION_free(e);
}

X509 *t_cert_new(const char *cn, const char *dns, EVP_PKEY *key, X509 *issuer, EVP_PKEY *issuer_key, int ca, int days)
{
	static long serial = 1000;
	X509 *x = X509_new();
	X509_NAME *n;
	if (!x) {
		abort();
	}
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial++);
	X509_gmtime_adj(X509_getm_notBefore(x), -3600);
	X509_gmtime_adj(X509_getm_notAfter(x), (long)days * 86400);
	X509_set_pubkey(x, key);
	n = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
	X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : n);
	add_ext(x, issuer, NID_basic_constraints, ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
	add_ext(x, issuer, NID_key_usage, ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature");
	add_ext(x, issuer, NID_subject_key_identifier, "hash");
	if (dns) {
		char san[300];
		snprintf(san, sizeof(san), "DNS:%s", dns);
		add_ext(x, issuer, NID_subject_alt_name, san);
	}
	if (X509_sign(x, issuer_key ? issuer_key : key, EVP_sha256()) <= 0) {
		abort();
	}
	return x;
}

size_t t_cert_der(X509 *x, unsigned char **out)
{
	int n = i2d_X509(x, NULL);
	unsigned char *p;
	if (n <= 0 || !(*out = malloc((size_t)n))) {
		abort();
	}
	p = *out;
	i2d_X509(x, &p);
	return (size_t)n;
}

size_t t_spki_der(X509 *x, unsigned char **out)
{
	/* through the key object (i2d_PUBKEY), not the certificate's X509_PUBKEY
	 * that the code under test encodes: an independent way to the same bytes */
	EVP_PKEY *k = X509_get0_pubkey(x);
	int n = i2d_PUBKEY(k, NULL);
	unsigned char *p;
	if (n <= 0 || !(*out = malloc((size_t)n))) {
		abort();
	}
	p = *out;
	i2d_PUBKEY(k, &p);
	return (size_t)n;
}

const char *t_pem_tmpfile(int slot, X509 *const *certs, size_t n)
{
	static char paths[4][64];
	int fd;
	FILE *f;
	size_t i;
	snprintf(paths[slot], sizeof(paths[slot]), "/tmp/sdiag-test-XXXXXX");
	fd = mkstemp(paths[slot]);
	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		abort();
	}
	for (i = 0; i < n; i++) {
		PEM_write_X509(f, certs[i]);
	}
	fclose(f);
	return paths[slot];
}
