/*
 * smtpdiag core: MTA-STS (RFC 8461). The _mta-sts TXT record, the policy
 * served at https://mta-sts.<domain>/.well-known/mta-sts.txt, the MX
 * pattern matching senders apply, and the dns.mta_sts check job that puts
 * them together against the domain's MX hosts.
 */
#ifndef SDIAG_MTASTS_H
#define SDIAG_MTASTS_H

#include <stddef.h>

#define SDIAG_MTASTS_ID_MAX 32              /* RFC 8461 3.1: 1*32(ALPHA / DIGIT) */
#define SDIAG_MTASTS_MX_MAX 32              /* mx patterns kept; more is an error */
#define SDIAG_MTASTS_POLICY_MAX (64 * 1024) /* RFC 8461 3.3 */
#define SDIAG_MTASTS_MAX_AGE_MAX 31557600L  /* RFC 8461 3.2: about one year */
#define SDIAG_MTASTS_PATH "/.well-known/mta-sts.txt"

typedef struct sdiag_mtasts_record {
	char id[SDIAG_MTASTS_ID_MAX + 1];
} sdiag_mtasts_record_t;

/* Whether a TXT record is an MTA-STS one at all: it begins with "v=STSv1"
 * followed by ';', white space or its end (RFC 8461 3.1: others are
 * discarded before counting). */
int sdiag_mtasts_is_record(const char *txt, size_t len);

/* Parse a record that sdiag_mtasts_is_record() accepts: 0, or -1 with what
 * is wrong in why. Extension fields are checked for syntax and ignored. */
int sdiag_mtasts_parse_record(const char *txt, size_t len, sdiag_mtasts_record_t *rec, char *why, size_t whylen);

typedef enum sdiag_mtasts_mode {
	SDIAG_MTASTS_NONE_SET = 0,
	SDIAG_MTASTS_ENFORCE,
	SDIAG_MTASTS_TESTING,
	SDIAG_MTASTS_NONE
} sdiag_mtasts_mode_t;

typedef struct sdiag_mtasts_policy {
	sdiag_mtasts_mode_t mode;
	long max_age;                      /* seconds */
	size_t nmx;
	char mx[SDIAG_MTASTS_MX_MAX][256]; /* lower-cased, "*.example.com" or "mx.example.com" */
	int version_not_first;             /* version: is present but not the first line */
} sdiag_mtasts_policy_t;

/* Parse a policy body (RFC 8461 3.2): "key: value" lines ending in CRLF or
 * LF; version (STSv1), mode and max_age required once each, mx required
 * (one or more) unless mode is none; unknown keys ignored. 0, or -1 with
 * the line and what is wrong in why. */
int sdiag_mtasts_parse_policy(const char *text, size_t len, sdiag_mtasts_policy_t *p, char *why, size_t whylen);

/* RFC 8461 4.1: whether an MX host name matches a policy mx pattern; a
 * "*." wildcard stands for exactly one left-most label. Case-insensitive, a
 * final dot on host ignored. */
int sdiag_mtasts_mx_match(const char *pattern, const char *host);

const char *sdiag_mtasts_mode_name(sdiag_mtasts_mode_t m);

#endif
