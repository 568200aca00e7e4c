/*
 * smtpdiag core: TLS over OpenSSL, non-blocking, through a socket BIO of
 * our own that remembers the first bytes the server sent (so a plaintext
 * answer to a ClientHello can be recognised and shown). Verification is on
 * by default; the handshake completes even when the chain does not verify so
 * the report can show the certificate, and the verdict is applied right after.
 */
#ifndef SDIAG_TLS_H
#define SDIAG_TLS_H

#include "settings.h"
#include "error.h"
#include "transport.h"

#define SDIAG_TLS_CHAIN_MAX 8
#define SDIAG_TLS_SANS_MAX 32

typedef struct sdiag_cert_info {
	char subject[512];
	char issuer[512];
	char serial[128];
	char not_before[32];     /* ISO 8601 UTC */
	char not_after[32];
	double not_before_ts, not_after_ts;   /* Unix seconds */
	char fingerprint_sha256[96];
	char key_type[16];
	int key_bits;
	char signature_algorithm[64];
	size_t nsans;
	char sans[SDIAG_TLS_SANS_MAX][256];   /* "DNS:mail.example.com", "IP:192.0.2.1" */
	/* For DANE (RFC 6698 2.1): digests of the whole certificate (selector 0)
	 * and of its SubjectPublicKeyInfo (selector 1), both DER. Matching type 0
	 * (the full DER in the TLSA record) compares the record's length and
	 * SHA-512 with der_len / *_sha512 instead of the bytes, so no DER is
	 * kept here and a certificate of any size can be matched. */
	size_t cert_der_len, spki_der_len;    /* 0: could not be encoded */
	unsigned char cert_sha256[32], cert_sha512[64];
	unsigned char spki_sha256[32], spki_sha512[64];
} sdiag_cert_info_t;

typedef struct sdiag_tls_info {
	int done;                /* a handshake completed */
	char protocol[32];
	char cipher[128];
	int cipher_bits;
	char sni[256];
	char peer_name[256];     /* the name checked against the certificate */
	int verify_code;         /* X509_V_OK (0) or the OpenSSL verification error */
	char verify_reason[256];
	int verified;            /* chain and name verified */
	int verify_enabled;
	size_t nchain;
	sdiag_cert_info_t chain[SDIAG_TLS_CHAIN_MAX];
} sdiag_tls_info_t;

typedef struct sdiag_tls {
	void *ctx;               /* SSL_CTX */
	void *ssl;               /* SSL */
	void *bio_method;        /* BIO_METHOD */
	sdiag_socket_t fd;
	unsigned char first[256]; /* first bytes received from the peer */
	size_t nfirst;
	int probe;               /* probing whether the peer speaks TLS at all */
} sdiag_tls_t;

extern const sdiag_transport_ops_t sdiag_transport_tls;

/* Prepare a client session on fd for host (SNI, name checks from cfg). */
sdiag_status_t sdiag_tls_setup(sdiag_tls_t *tls, const sdiag_config_t *cfg, sdiag_socket_t fd, int probe, sdiag_error_t *err);
/* Drive the handshake: SDIAG_OK, SDIAG_AGAIN (*want set) or SDIAG_ERR.
 * On SDIAG_OK, info is filled and, with verify_peer, a certificate that
 * does not verify fails with tls_certificate. */
sdiag_status_t sdiag_tls_handshake(sdiag_tls_t *tls, const sdiag_config_t *cfg, sdiag_tls_info_t *info, short *want, sdiag_error_t *err);
/* Whether the peer answered with a TLS record (handshake or alert). */
int sdiag_tls_peer_spoke_tls(const sdiag_tls_t *tls);
/* Send close_notify (best effort, non-blocking) and free. */
void sdiag_tls_close(sdiag_tls_t *tls);

/* The details of one DER certificate, as a handshake reports them; -1 when
 * der is not a certificate. */
int sdiag_tls_cert_info_der(const unsigned char *der, size_t len, sdiag_cert_info_t *ci);
/* SHA-256 (out of 32 bytes) or SHA-512 (64) of data; -1 on failure. */
int sdiag_sha256(const void *data, size_t len, unsigned char out[32]);
int sdiag_sha512(const void *data, size_t len, unsigned char out[64]);

const char *sdiag_tls_version(void);
const char *sdiag_tls_compiled_version(void);

#endif
