/*
 * Certificates made at test time with OpenSSL, for the TLS-facing unit
 * tests (DANE matching, the HTTPS fetch): EC P-256 keys, a CA hierarchy,
 * leaves with a DNS name.
 */
#ifndef T_CERTGEN_H
#define T_CERTGEN_H

#include <stddef.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

/* A new P-256 key; aborts on failure (a test cannot go on without it). */
EVP_PKEY *t_key_new(void);
/* A certificate for key with subject CN=cn, a DNS subjectAltName when dns
 * is not NULL, CA:TRUE when ca, signed by issuer/issuer_key (or self-signed
 * when issuer is NULL), valid from an hour ago for days days. */
X509 *t_cert_new(const char *cn, const char *dns, EVP_PKEY *key, X509 *issuer, EVP_PKEY *issuer_key, int ca, int days);
/* DER of a certificate and of its SubjectPublicKeyInfo (malloc'd; free()). */
size_t t_cert_der(X509 *x, unsigned char **out);
size_t t_spki_der(X509 *x, unsigned char **out);
/* Write certificates as PEM to a new temporary file; returns its path
 * (static buffer per call slot 0..3) or aborts. */
const char *t_pem_tmpfile(int slot, X509 *const *certs, size_t n);

#endif
