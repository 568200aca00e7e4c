/*
 * smtpdiag core: DANE for SMTP (RFC 6698, 7671, 7672). The TLSA records
 * of _<port>._tcp.<smtp host> matched against the certificates the SMTP
 * session's TLS handshake presented, and the dns.dane check job.
 */
#ifndef SDIAG_DANE_H
#define SDIAG_DANE_H

#include <stddef.h>
#include <stdint.h>

#include "tls.h"

enum {
	SDIAG_DANE_PKIX_TA = 0,
	SDIAG_DANE_PKIX_EE = 1,
	SDIAG_DANE_DANE_TA = 2,
	SDIAG_DANE_DANE_EE = 3
};

typedef enum sdiag_dane_verdict {
	SDIAG_DANE_MATCH = 0,      /* the record matches a certificate it may match */
	SDIAG_DANE_NOMATCH,        /* usable, but matches none */
	SDIAG_DANE_UNUSABLE        /* unknown usage, selector or matching type, or bad length */
} sdiag_dane_verdict_t;

typedef struct sdiag_dane_rr {
	uint8_t usage, selector, mtype;
	const unsigned char *data;
	size_t len;
} sdiag_dane_rr_t;

/* Match one TLSA record against a handshake (tls->chain[0] the leaf, the
 * rest as the server sent it). DANE-EE matches the leaf only; DANE-TA a
 * certificate above the leaf (RFC 7671 5.2.2: the server must send its
 * trust anchor); PKIX-EE / PKIX-TA the same but only when the chain also
 * passed PKIX validation (tls->verified). why says what decided, for a
 * person; *depth is the chain position matched (-1 when none). */
sdiag_dane_verdict_t sdiag_dane_match(const sdiag_dane_rr_t *rr, const sdiag_tls_info_t *tls, int *depth, char *why, size_t whylen);

/* "DANE-EE", "DANE-TA", "PKIX-EE", "PKIX-TA" or "unknown". */
const char *sdiag_dane_usage_name(uint8_t usage);

#endif
