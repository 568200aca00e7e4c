/*
 * smtpdiag core: DNS queries of any type over the resolver's c-ares channel
 * (ares_send with a query built by dnsmsg.c, the answer parsed by it too),
 * so the checks get every record type, the AD bit and the CNAME chain from
 * one parser on every c-ares version. Each outcome is told apart.
 *
 * The checks ask through sdiag_dns_ops_t, so that unit tests can answer
 * from an in-memory zone. A callback may run before query() returns (an
 * in-memory zone, or c-ares failing at once); callers must allow for that.
 */
#ifndef SDIAG_DNS_H
#define SDIAG_DNS_H

#include "dnsmsg.h"
#include "resolver.h"

typedef enum sdiag_dns_status {
	SDIAG_DNS_OK = 0,     /* records of the type, after any CNAMEs */
	SDIAG_DNS_NODATA,     /* the name exists, no record of that type */
	SDIAG_DNS_NXDOMAIN,   /* the name does not exist */
	SDIAG_DNS_SERVFAIL,   /* the server failed (SERVFAIL) */
	SDIAG_DNS_REFUSED,    /* REFUSED / NOTIMP / FORMERR or another rcode, or the server refused
	                       * the connection: also when a truncated UDP answer's TCP retry was
	                       * refused or dropped (c-ares reports both as ARES_ECONNREFUSED) */
	SDIAG_DNS_TIMEOUT,    /* no answer in time from any server (answers to another question
	                       * are dropped by c-ares as if none came) */
	SDIAG_DNS_TRUNCATED,  /* the answer over TCP still had TC set */
	SDIAG_DNS_MALFORMED,  /* an answer came but could not be parsed, or did not match the question */
	SDIAG_DNS_BADNAME,    /* the name is not a valid DNS name; nothing was sent */
	SDIAG_DNS_ERROR       /* out of memory, cancelled, or another local failure */
} sdiag_dns_status_t;

typedef struct sdiag_dns_result {
	sdiag_dns_status_t status;
	const char *name;             /* as asked */
	uint16_t type;
	const sdiag_dns_msg_t *msg;   /* the parsed answer, or NULL (timeout, refused, malformed...) */
	double ms;                    /* time from query to answer */
	char why[768];                /* for any status but OK: what happened, for a person */
} sdiag_dns_result_t;

/* res and everything it points to are valid during the call only. */
typedef void (*sdiag_dns_cb)(void *ud, const sdiag_dns_result_t *res);

typedef struct sdiag_dns_ops {
	void (*query)(void *ctx, const char *name, uint16_t type, sdiag_dns_cb cb, void *ud);
	void *ctx;
} sdiag_dns_ops_t;

/* Query name/type through r; cb runs from the loop (or at once on a local
 * failure), exactly once, also when the resolver is freed first. */
void sdiag_dns_query(sdiag_resolver_t *r, const char *name, uint16_t type, sdiag_dns_cb cb, void *ud);
sdiag_dns_ops_t sdiag_dns_resolver_ops(sdiag_resolver_t *r);

/* "ok", "nodata", "nxdomain", "servfail", "refused", "timeout", "truncated",
 * "malformed", "badname", "error". */
const char *sdiag_dns_status_name(sdiag_dns_status_t s);

#endif
