/* smtpdiag core: TLS client over OpenSSL 1.1.1 .. 3.x. */
#include "tls.h"
#include "loop.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/opensslv.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#if OPENSSL_VERSION_NUMBER < 0x10101000L
# error "smtpdiag needs OpenSSL 1.1.1 or later"
#endif
#if OPENSSL_VERSION_NUMBER < 0x30000000L
# define SSL_get1_peer_certificate SSL_get_peer_certificate
#endif

/* ---- our socket BIO: non-blocking, no SIGPIPE, records the first bytes ---- */

static int bio_write(BIO *b, const char *buf, int len)
{
	sdiag_tls_t *t = BIO_get_data(b);
	sdiag_ssize_t n;
	BIO_clear_retry_flags(b);
	n = sdiag_sock_send(t->fd, buf, (size_t)len);
	if (n < 0) {
		if (sdiag_sock_would_block()) {
			BIO_set_retry_write(b);
		}
		return -1;
	}
	return (int)n;
}

static int bio_read(BIO *b, char *buf, int len)
{
	sdiag_tls_t *t = BIO_get_data(b);
	sdiag_ssize_t n;
	BIO_clear_retry_flags(b);
	n = sdiag_sock_recv(t->fd, buf, (size_t)len);
	if (n < 0) {
		if (sdiag_sock_would_block()) {
			BIO_set_retry_read(b);
		}
		return -1;
	}
	if (n > 0 && t->nfirst < sizeof(t->first)) {
		size_t k = sizeof(t->first) - t->nfirst;
		if (k > (size_t)n) {
			k = (size_t)n;
		}
		memcpy(t->first + t->nfirst, buf, k);
		t->nfirst += k;
	}
	return (int)n;
}

static long bio_ctrl(BIO *b, int cmd, long num, void *ptr)
{
	(void)b;
	(void)num;
	(void)ptr;
	return cmd == BIO_CTRL_FLUSH ? 1 : 0;
}

static int bio_create(BIO *b)
{
	BIO_set_init(b, 1);
	return 1;
}

static int bio_puts(BIO *b, const char *s)
{
	return bio_write(b, s, (int)strlen(s));
}

/* ---- errors ---- */

static void ssl_reason(char *buf, size_t len)
{
	unsigned long e, last = 0;
	while ((e = ERR_get_error()) != 0) {
		last = e;
	}
	if (last) {
		ERR_error_string_n(last, buf, len);
	} else {
		snprintf(buf, len, "no OpenSSL error detail");
	}
}

static int looks_like_smtp(const unsigned char *p, size_t n)
{
	return n >= 4 && p[0] >= '2' && p[0] <= '5' && p[1] >= '0' && p[1] <= '9' && p[2] >= '0' && p[2] <= '9' && (p[3] == ' ' || p[3] == '-');
}

int sdiag_tls_peer_spoke_tls(const sdiag_tls_t *tls)
{
	/* TLS record types: 0x16 handshake, 0x15 alert; then version major 3 */
	return tls->nfirst >= 2 && (tls->first[0] == 0x16 || tls->first[0] == 0x15) && tls->first[1] == 0x03;
}

/* ---- setup ---- */

static int is_ip_literal(const char *h)
{
	unsigned char tmp[16];
	return inet_pton(AF_INET, h, tmp) == 1 || inet_pton(AF_INET6, h, tmp) == 1;
}

sdiag_status_t sdiag_tls_setup(sdiag_tls_t *tls, const sdiag_config_t *cfg, sdiag_socket_t fd, int probe, sdiag_error_t *err)
{
	SSL_CTX *ctx;
	SSL *ssl;
	BIO *bio;
	BIO_METHOD *m;
	const char *name = cfg->peer_name ? cfg->peer_name : cfg->host;
	char reason[256];
	memset(tls, 0, sizeof(*tls));
	tls->fd = fd;
	tls->probe = probe;
	ERR_clear_error();
	ctx = SSL_CTX_new(TLS_client_method());
	if (!ctx) {
		ssl_reason(reason, sizeof(reason));
		return sdiag_error_set(err, SDIAG_CAT_TLS_ERROR, SDIAG_PHASE_TLS, "cannot create a TLS context: %s", reason);
	}
	tls->ctx = ctx;
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL); /* verdict applied after the handshake, see tls.h */
	if (!probe) {
		if (cfg->cafile || cfg->capath) {
			if (SSL_CTX_load_verify_locations(ctx, cfg->cafile, cfg->capath) != 1) {
				ssl_reason(reason, sizeof(reason));
				sdiag_error_set(err, SDIAG_CAT_CONFIG_INVALID, SDIAG_PHASE_TLS, "cannot load the CA certificates from %s: %s",
					cfg->cafile ? cfg->cafile : cfg->capath, reason);
				sdiag_error_hint(err, "%s", "Check that cafile names a readable PEM file and capath a directory prepared with c_rehash / openssl rehash.");
				sdiag_tls_close(tls);
				return SDIAG_ERR;
			}
		} else if (SSL_CTX_set_default_verify_paths(ctx) != 1) {
			ssl_reason(reason, sizeof(reason));
			sdiag_error_set(err, SDIAG_CAT_TLS_ERROR, SDIAG_PHASE_TLS, "cannot load the system's CA certificates: %s", reason);
			sdiag_tls_close(tls);
			return SDIAG_ERR;
		}
	}
	m = BIO_meth_new(BIO_TYPE_SOURCE_SINK | BIO_get_new_index(), "smtpdiag socket");
	if (!m) {
		sdiag_tls_close(tls);
		return sdiag_error_set(err, SDIAG_CAT_TLS_ERROR, SDIAG_PHASE_TLS, "cannot create a BIO method");
	}
	tls->bio_method = m;
	BIO_meth_set_write(m, bio_write);
	BIO_meth_set_read(m, bio_read);
	BIO_meth_set_puts(m, bio_puts);
	BIO_meth_set_ctrl(m, bio_ctrl);
	BIO_meth_set_create(m, bio_create);
	ssl = SSL_new(ctx);
	bio = ssl ? BIO_new(m) : NULL;
	if (!ssl || !bio) {
		if (ssl) {
			SSL_free(ssl);
		}
		sdiag_tls_close(tls);
		return sdiag_error_set(err, SDIAG_CAT_TLS_ERROR, SDIAG_PHASE_TLS, "cannot create a TLS session");
	}
	tls->ssl = ssl;
	BIO_set_data(bio, tls);
	SSL_set_bio(ssl, bio, bio);
	SSL_set_connect_state(ssl);
	SSL_set_mode(ssl, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	if (name && !is_ip_literal(name)) {
		SSL_set_tlsext_host_name(ssl, name);
	}
	if (!probe && name && cfg->verify_peer_name) {
		X509_VERIFY_PARAM *param = SSL_get0_param(ssl);
		if (is_ip_literal(name)) {
			X509_VERIFY_PARAM_set1_ip_asc(param, name);
		} else {
			X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
			X509_VERIFY_PARAM_set1_host(param, name, 0);
		}
	}
	return SDIAG_OK;
}

/* ---- certificate details ---- */

static void name_str(X509_NAME *n, char *out, size_t len)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *p;
	long l;
	out[0] = '\0';
	if (!b) {
		return;
	}
	X509_NAME_print_ex(b, n, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
	l = BIO_get_mem_data(b, &p);
	if (l > 0) {
		snprintf(out, len, "%.*s", (int)l, p);
	}
	BIO_free(b);
}

static void time_str(const ASN1_TIME *t, char *out, size_t len, double *ts)
{
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	out[0] = '\0';
	*ts = 0;
	if (t && ASN1_TIME_to_tm(t, &tm) == 1) {
		int y = tm.tm_year + 1900, mo = tm.tm_mon + 1;
		long long days;
		strftime(out, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
		/* days from civil (UTC), avoiding timegm() for portability */
		y -= mo <= 2;
		{
			long long era = (y >= 0 ? y : y - 399) / 400;
			long long yoe = y - era * 400;
			long long doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + tm.tm_mday - 1;
			long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
			days = era * 146097 + doe - 719468;
		}
		*ts = (double)(days * 86400 + tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec);
	}
}

int sdiag_sha256(const void *data, size_t len, unsigned char out[32])
{
	unsigned int n = 0;
	return EVP_Digest(data, len, out, &n, EVP_sha256(), NULL) == 1 && n == 32 ? 0 : -1;
}

int sdiag_sha512(const void *data, size_t len, unsigned char out[64])
{
	unsigned int n = 0;
	return EVP_Digest(data, len, out, &n, EVP_sha512(), NULL) == 1 && n == 64 ? 0 : -1;
}

/* DER of the certificate and of its SubjectPublicKeyInfo, hashed the ways
 * TLSA records name them (RFC 6698 2.1.2, 2.1.3). */
static void dane_digests(X509 *x, sdiag_cert_info_t *ci)
{
	unsigned char *der = NULL;
	int n = i2d_X509(x, &der);
	if (n > 0 && sdiag_sha256(der, (size_t)n, ci->cert_sha256) == 0 && sdiag_sha512(der, (size_t)n, ci->cert_sha512) == 0) {
		ci->cert_der_len = (size_t)n;
	}
	OPENSSL_free(der);
	der = NULL;
	n = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x), &der);
	if (n > 0 && sdiag_sha256(der, (size_t)n, ci->spki_sha256) == 0 && sdiag_sha512(der, (size_t)n, ci->spki_sha512) == 0) {
		ci->spki_der_len = (size_t)n;
	}
	OPENSSL_free(der);
}

static void cert_info(X509 *x, sdiag_cert_info_t *ci)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;
	EVP_PKEY *pk;
	GENERAL_NAMES *gens;
	ASN1_INTEGER *serial;
	memset(ci, 0, sizeof(*ci));
	name_str(X509_get_subject_name(x), ci->subject, sizeof(ci->subject));
	name_str(X509_get_issuer_name(x), ci->issuer, sizeof(ci->issuer));
	time_str(X509_get0_notBefore(x), ci->not_before, sizeof(ci->not_before), &ci->not_before_ts);
	time_str(X509_get0_notAfter(x), ci->not_after, sizeof(ci->not_after), &ci->not_after_ts);
	if (X509_digest(x, EVP_sha256(), md, &mdlen) == 1) {
		for (i = 0; i < mdlen && i * 3 + 3 <= sizeof(ci->fingerprint_sha256); i++) {
			snprintf(ci->fingerprint_sha256 + i * 3, 4, i + 1 < mdlen ? "%02X:" : "%02X", md[i]);
		}
	}
	serial = X509_get_serialNumber(x);
	if (serial) {
		BIGNUM *bn = ASN1_INTEGER_to_BN(serial, NULL);
		char *hex = bn ? BN_bn2hex(bn) : NULL;
		if (hex) {
			snprintf(ci->serial, sizeof(ci->serial), "%s", hex);
			OPENSSL_free(hex);
		}
		BN_free(bn);
	}
	pk = X509_get0_pubkey(x);
	if (pk) {
		int id = EVP_PKEY_base_id(pk);
		ci->key_bits = EVP_PKEY_bits(pk);
		snprintf(ci->key_type, sizeof(ci->key_type), "%s",
			id == EVP_PKEY_RSA ? "RSA" : id == EVP_PKEY_EC ? "EC" : id == EVP_PKEY_ED25519 ? "Ed25519" : id == EVP_PKEY_DSA ? "DSA" : "other");
	}
	{
		int nid = X509_get_signature_nid(x);
		snprintf(ci->signature_algorithm, sizeof(ci->signature_algorithm), "%s", nid != NID_undef ? OBJ_nid2ln(nid) : "unknown");
	}
	dane_digests(x, ci);
	gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	if (gens) {
		int k, n = sk_GENERAL_NAME_num(gens);
		for (k = 0; k < n && ci->nsans < SDIAG_TLS_SANS_MAX; k++) {
			const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, k);
			char *slot = ci->sans[ci->nsans];
			if (g->type == GEN_DNS) {
				const unsigned char *d = ASN1_STRING_get0_data(g->d.dNSName);
				int l = ASN1_STRING_length(g->d.dNSName);
				snprintf(slot, sizeof(ci->sans[0]), "DNS:%.*s", l, (const char *)d);
				ci->nsans++;
			} else if (g->type == GEN_IPADD) {
				const unsigned char *d = ASN1_STRING_get0_data(g->d.iPAddress);
				int l = ASN1_STRING_length(g->d.iPAddress);
				char ip[64] = "?";
				if (l == 4) {
					inet_ntop(AF_INET, d, ip, sizeof(ip));
				} else if (l == 16) {
					inet_ntop(AF_INET6, d, ip, sizeof(ip));
				}
				snprintf(slot, sizeof(ci->sans[0]), "IP:%s", ip);
				ci->nsans++;
			}
		}
		GENERAL_NAMES_free(gens);
	}
}

int sdiag_tls_cert_info_der(const unsigned char *der, size_t len, sdiag_cert_info_t *ci)
{
	const unsigned char *p = der;
	X509 *x;
	if (len > 0x7fffffff) {
		return -1;
	}
	x = d2i_X509(NULL, &p, (long)len);
	if (!x) {
		ERR_clear_error();
		return -1;
	}
	cert_info(x, ci);
	X509_free(x);
	return 0;
}

static void fill_info(sdiag_tls_t *tls, const sdiag_config_t *cfg, sdiag_tls_info_t *info)
{
	SSL *ssl = tls->ssl;
	STACK_OF(X509) *chain = SSL_get_peer_cert_chain(ssl);
	X509 *peer = SSL_get1_peer_certificate(ssl);
	const char *name = cfg->peer_name ? cfg->peer_name : cfg->host;
	const char *sni = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
	long vr = SSL_get_verify_result(ssl);
	memset(info, 0, sizeof(*info));
	info->done = 1;
	snprintf(info->protocol, sizeof(info->protocol), "%s", SSL_get_version(ssl));
	snprintf(info->cipher, sizeof(info->cipher), "%s", SSL_get_cipher_name(ssl));
	info->cipher_bits = SSL_get_cipher_bits(ssl, NULL);
	snprintf(info->sni, sizeof(info->sni), "%s", sni ? sni : "");
	snprintf(info->peer_name, sizeof(info->peer_name), "%s", cfg->verify_peer_name && name ? name : "");
	info->verify_enabled = cfg->verify_peer;
	if (!peer) {
		info->verify_code = X509_V_ERR_UNSPECIFIED;
		snprintf(info->verify_reason, sizeof(info->verify_reason), "the server sent no certificate");
	} else {
		info->verify_code = (int)vr;
		snprintf(info->verify_reason, sizeof(info->verify_reason), "%s", X509_verify_cert_error_string(vr));
		/* OpenSSL 1.1.1 writes "Hostname mismatch", 3.x "hostname mismatch":
		 * one spelling whatever the library, as the rest of a sentence */
		if (info->verify_reason[0] >= 'A' && info->verify_reason[0] <= 'Z' && info->verify_reason[1] >= 'a' && info->verify_reason[1] <= 'z') {
			info->verify_reason[0] = (char)(info->verify_reason[0] + 32);
		}
	}
	info->verified = peer && vr == X509_V_OK;
	if (chain) {
		int k, n = sk_X509_num(chain);
		for (k = 0; k < n && info->nchain < SDIAG_TLS_CHAIN_MAX; k++) {
			cert_info(sk_X509_value(chain, k), &info->chain[info->nchain++]);
		}
	} else if (peer) {
		cert_info(peer, &info->chain[info->nchain++]);
	}
	if (peer) {
		X509_free(peer);
	}
}

static void certificate_error(const sdiag_tls_info_t *info, const sdiag_config_t *cfg, sdiag_error_t *err)
{
	const char *name = info->peer_name[0] ? info->peer_name : cfg->host;
	const sdiag_cert_info_t *leaf = info->nchain ? &info->chain[0] : NULL;
	sdiag_error_set(err, SDIAG_CAT_TLS_CERTIFICATE, SDIAG_PHASE_TLS, "the server's certificate did not verify: %s", info->verify_reason);
	switch (info->verify_code) {
		case X509_V_ERR_CERT_HAS_EXPIRED:
			sdiag_error_hint(err, "The certificate expired on %s: the server's administrator must renew it (with Let's Encrypt, check that automatic renewal runs and the MTA was reloaded).", leaf ? leaf->not_after : "?");
			break;
		case X509_V_ERR_CERT_NOT_YET_VALID:
			sdiag_error_hint(err, "The certificate is valid only from %s: check the clock of this machine and of the server.", leaf ? leaf->not_before : "?");
			break;
		case X509_V_ERR_HOSTNAME_MISMATCH:
		case X509_V_ERR_IP_ADDRESS_MISMATCH:
			sdiag_error_hint(err, "The certificate is for %s%s, not for \"%s\": connect with a host name the certificate names, or set peer_name to it.",
				leaf && leaf->nsans ? leaf->sans[0] : (leaf ? leaf->subject : "another name"), leaf && leaf->nsans > 1 ? " (and others)" : "", name);
			break;
		case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
		case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
			sdiag_error_hint(err, "%s", "The certificate is self-signed: install a certificate from a public CA on the server, or give its certificate with the cafile option if you trust it.");
			break;
		case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
		case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
		case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
			sdiag_error_hint(err, "%s", "The certificate's issuer is not trusted here: the server may not send its intermediate certificates (fix its chain file), or the CA is private (give it with the cafile option). Keep verify_peer on.");
			break;
		default:
			break;
	}
	(void)cfg;
}

sdiag_status_t sdiag_tls_handshake(sdiag_tls_t *tls, const sdiag_config_t *cfg, sdiag_tls_info_t *info, short *want, sdiag_error_t *err)
{
	int r, e;
	char reason[256];
	ERR_clear_error();
	r = SSL_do_handshake(tls->ssl);
	if (r == 1) {
		if (tls->probe) {
			return SDIAG_OK;
		}
		fill_info(tls, cfg, info);
		if (cfg->verify_peer && !info->verified) {
			certificate_error(info, cfg, err);
			return SDIAG_ERR;
		}
		return SDIAG_OK;
	}
	e = SSL_get_error(tls->ssl, r);
	if (e == SSL_ERROR_WANT_READ) {
		*want = SDIAG_POLLIN;
		return SDIAG_AGAIN;
	}
	if (e == SSL_ERROR_WANT_WRITE) {
		*want = SDIAG_POLLOUT;
		return SDIAG_AGAIN;
	}
	if (tls->probe) {
		return SDIAG_ERR;
	}
	if (looks_like_smtp(tls->first, tls->nfirst)) {
		size_t n = 0;
		/* OpenSSL stopped after the record header: fetch the rest of the line to show it */
		if (tls->nfirst < sizeof(tls->first)) {
			sdiag_ssize_t more = sdiag_sock_recv(tls->fd, tls->first + tls->nfirst, sizeof(tls->first) - tls->nfirst);
			if (more > 0) {
				tls->nfirst += (size_t)more;
			}
		}
		while (n < tls->nfirst && tls->first[n] >= 0x20 && tls->first[n] < 0x7F) {
			n++;
		}
		sdiag_error_set(err, SDIAG_CAT_TLS_ERROR, SDIAG_PHASE_TLS, "the server answered the TLS handshake in plaintext SMTP (\"%.*s\"): this port does not speak TLS from the first byte", (int)n, (const char *)tls->first);
		sdiag_error_hint(err, "Use encryption \"starttls\" (usually port 587) or \"auto\" for this port; implicit TLS (smtps://) belongs on port 465.");
		return SDIAG_ERR;
	}
	ssl_reason(reason, sizeof(reason));
	if (e == SSL_ERROR_SYSCALL || e == SSL_ERROR_ZERO_RETURN) {
		if (tls->nfirst == 0) {
			sdiag_error_set(err, SDIAG_CAT_TLS_ERROR, SDIAG_PHASE_TLS, "the server closed the connection during the TLS handshake without answering");
			sdiag_error_hint(err, "%s", "The server dropped the TLS handshake: it may not speak TLS on this port, or it rejects the client's TLS versions or ciphers.");
			return SDIAG_ERR;
		}
	}
	sdiag_error_set(err, SDIAG_CAT_TLS_ERROR, SDIAG_PHASE_TLS, "the TLS handshake failed: %s", reason);
	return SDIAG_ERR;
}

void sdiag_tls_close(sdiag_tls_t *tls)
{
	if (tls->ssl) {
		if (SSL_is_init_finished((SSL *)tls->ssl)) {
			SSL_shutdown(tls->ssl);
		}
		SSL_free(tls->ssl);
		tls->ssl = NULL;
	}
	if (tls->ctx) {
		SSL_CTX_free(tls->ctx);
		tls->ctx = NULL;
	}
	if (tls->bio_method) {
		BIO_meth_free(tls->bio_method);
		tls->bio_method = NULL;
	}
	ERR_clear_error();
}

/* ---- transport ---- */

static long tls_io_result(sdiag_tls_t *tls, int r, short *want, sdiag_error_t *err, const char *what)
{
	int e = SSL_get_error(tls->ssl, r);
	char reason[256];
	switch (e) {
		case SSL_ERROR_WANT_READ:
			*want = SDIAG_POLLIN;
			return SDIAG_IO_AGAIN;
		case SSL_ERROR_WANT_WRITE:
			*want = SDIAG_POLLOUT;
			return SDIAG_IO_AGAIN;
		case SSL_ERROR_ZERO_RETURN:
			return 0;
		case SSL_ERROR_SYSCALL:
			if (ERR_peek_error() == 0) {
				return 0; /* EOF without close_notify: treat as end of stream */
			}
			/* fall through */
		default:
			ssl_reason(reason, sizeof(reason));
			sdiag_error_set(err, SDIAG_CAT_CONNECTION_LOST, SDIAG_PHASE_NONE, "TLS %s failed: %s", what, reason);
			return SDIAG_IO_ERROR;
	}
}

static long tls_recv(sdiag_transport_t *t, char *buf, size_t len, short *want, sdiag_error_t *err)
{
	sdiag_tls_t *tls = t->impl;
	int r;
	ERR_clear_error();
	r = SSL_read(tls->ssl, buf, (int)(len > 0x7fffffff ? 0x7fffffff : len));
	return r > 0 ? (long)r : tls_io_result(tls, r, want, err, "receive");
}

static long tls_send(sdiag_transport_t *t, const char *buf, size_t len, short *want, sdiag_error_t *err)
{
	sdiag_tls_t *tls = t->impl;
	int r;
	ERR_clear_error();
	r = SSL_write(tls->ssl, buf, (int)(len > 0x7fffffff ? 0x7fffffff : len));
	if (r > 0) {
		return (long)r;
	}
	r = (int)tls_io_result(tls, r, want, err, "send");
	if (r == 0) {
		sdiag_error_set(err, SDIAG_CAT_CONNECTION_LOST, SDIAG_PHASE_NONE, "the server closed the TLS connection");
		return SDIAG_IO_ERROR;
	}
	return r;
}

const sdiag_transport_ops_t sdiag_transport_tls = {"tls", tls_recv, tls_send};

const char *sdiag_tls_version(void)
{
	return OpenSSL_version(OPENSSL_VERSION);
}

const char *sdiag_tls_compiled_version(void)
{
	return OPENSSL_VERSION_TEXT;
}
