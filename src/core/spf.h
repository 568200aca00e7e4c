/*
 * smtpdiag core: SPF (RFC 7208) check_host(), evaluated asynchronously over
 * sdiag_dns_ops_t (TXT records only; the SPF RR type is obsolete, RFC 7208
 * 3.1).
 *
 * The evaluation never blocks and never recurses on the C stack: include
 * and redirect push frames on a bounded stack (the 10-term limit bounds its
 * depth), and each step waits for its look-ups to come back. Look-ups that
 * do not depend on each other (the addresses of an mx mechanism's hosts, of
 * the names a PTR look-up gave) are asked at once, and the records of
 * include: and redirect= targets without macros are prefetched as soon as
 * the record naming them has arrived (a bounded cache; the evaluation
 * still reaches and counts each term in order, so only the number of
 * queries differs), so the time taken is that of the longest chain of
 * dependent look-ups.
 *
 * "Walk" mode (no client IP) checks a domain's record tree: every mechanism
 * is taken as non-matching but its look-ups are still done, includes and
 * redirects are followed, so the syntax of every record and the look-up
 * counts are those a receiver would meet.
 */
#ifndef SDIAG_SPF_H
#define SDIAG_SPF_H

#include <stddef.h>

#include "dns.h"
#include "value.h"

typedef enum sdiag_spf_result {
	SDIAG_SPF_NONE = 0,
	SDIAG_SPF_NEUTRAL,
	SDIAG_SPF_PASS,
	SDIAG_SPF_FAIL,
	SDIAG_SPF_SOFTFAIL,
	SDIAG_SPF_TEMPERROR,
	SDIAG_SPF_PERMERROR
} sdiag_spf_result_t;

#define SDIAG_SPF_LOOKUP_MAX 10   /* terms that cause DNS look-ups (RFC 7208 4.6.4) */
#define SDIAG_SPF_VOID_MAX 2      /* look-ups that found nothing (RFC 7208 4.6.4) */
#define SDIAG_SPF_NAMES_MAX 10    /* MX hosts, PTR names looked at */

/* "none", "neutral", "pass", "fail", "softfail", "temperror", "permerror";
 * "?" out of range. */
const char *sdiag_spf_result_name(sdiag_spf_result_t r);

typedef struct sdiag_spf_req {
	const char *ip;        /* client IP, IPv4 or IPv6 text; NULL: walk mode */
	const char *domain;    /* the domain whose SPF is checked */
	const char *sender;    /* MAIL FROM: "" or NULL -> postmaster@<helo> (RFC 7208 2.4),
	                          a bare domain -> postmaster@<domain> */
	const char *helo;      /* HELO/EHLO name, for %{h}; NULL -> "" */
	const char *receiver;  /* for %{r}; NULL -> "unknown" */
} sdiag_spf_req_t;

typedef struct sdiag_spf sdiag_spf_t;
typedef void (*sdiag_spf_cb)(void *ud, sdiag_spf_t *spf);

/* Start check_host(). Returns NULL only when out of memory. cb runs exactly
 * once (possibly before this returns), unless the object is freed first;
 * the request's strings are copied. cb may free the object; when it ran
 * before sdiag_spf_start() returned, the pointer returned is then stale. */
sdiag_spf_t *sdiag_spf_start(sdiag_dns_ops_t ops, const sdiag_spf_req_t *req, sdiag_spf_cb cb, void *ud);

sdiag_spf_result_t sdiag_spf_result(const sdiag_spf_t *s);
/* For fail: the exp= text expanded, or a default; "" otherwise. */
const char *sdiag_spf_explanation(const sdiag_spf_t *s);
/* For none/permerror/temperror: why, for a person; "" otherwise. */
const char *sdiag_spf_problem(const sdiag_spf_t *s);
int sdiag_spf_lookups(const sdiag_spf_t *s);
int sdiag_spf_void_lookups(const sdiag_spf_t *s);
/* A new map the caller owns: result, explanation, problem, record (the
 * top-level record's text or null), lookups, void_lookups, matched
 * ({mechanism, domain} or null), chain (list of {domain, via, depth,
 * record, result}, in the order the records were fetched: depth 0 is the
 * domain asked about, an include or redirect is one deeper than the record
 * naming it), includes (every domain reached by include or redirect) and
 * warnings (list of strings). NULL when out of memory. */
sdiag_value_t *sdiag_spf_data(const sdiag_spf_t *s);

/* Allowed at any time: queries still in flight keep the object alive until
 * their answers come back, which are then ignored; cb does not run. */
void sdiag_spf_free(sdiag_spf_t *s);

/* The syntax check of one record's text (RFC 7208 4.5 and 12): 0 when
 * valid, -1 with the reason in why. */
int sdiag_spf_syntax(const char *rec, size_t len, char *why, size_t whylen);

/* Macro expansion (RFC 7208 7) of str[0..len) for req, with <domain> =
 * domain and %{p} = ptrname (NULL: "unknown"). exp: the explanation set
 * (c, r, t allowed). Writes at most cap bytes with a NUL and returns the
 * full length of the expansion (as snprintf does), or -1 when str is not a
 * valid macro-string. Domain names are not truncated here. */
long sdiag_spf_expand(const sdiag_spf_req_t *req, const char *domain, const char *ptrname, const char *str, size_t len,
	int exp, char *out, size_t cap);

#endif
