/*
 * smtpdiag core: one HTTPS GET on the event loop, for the policies the DNS
 * checks fetch (MTA-STS, RFC 8461 3.3). The host is resolved through a
 * sdiag_dns_ops_t (A and AAAA at once), the first address that connects is
 * used, TLS always verifies the chain and the name, redirects are never
 * followed, the body is capped and the whole fetch has one deadline.
 * Nothing blocks: every step is a callback of the loop.
 */
#ifndef SDIAG_HTTPS_H
#define SDIAG_HTTPS_H

#include "dns.h"
#include "loop.h"
#include "tls.h"

#define SDIAG_HTTPS_HEAD_MAX (16 * 1024)  /* status line and headers */

typedef enum sdiag_https_error {
	SDIAG_HTTPS_OK = 0,       /* a 2xx response, body complete, content type as required */
	SDIAG_HTTPS_E_DNS,        /* the host has no address, or the look-up failed */
	SDIAG_HTTPS_E_CONNECT,    /* every address refused or was unreachable */
	SDIAG_HTTPS_E_TIMEOUT,    /* the deadline passed (which phase: in why) */
	SDIAG_HTTPS_E_TLS,        /* the handshake failed */
	SDIAG_HTTPS_E_CERT,       /* the certificate did not verify (chain, name, dates) */
	SDIAG_HTTPS_E_PROTOCOL,   /* not HTTP/1.x, bad chunking, cut short, headers too long */
	SDIAG_HTTPS_E_REDIRECT,   /* a 3xx answer (location in the result) */
	SDIAG_HTTPS_E_STATUS,     /* another non-2xx status */
	SDIAG_HTTPS_E_TOO_LARGE,  /* the body exceeds the request's max_body */
	SDIAG_HTTPS_E_TYPE,       /* the Content-Type is not the one required */
	SDIAG_HTTPS_E_LOCAL       /* out of memory, no socket, bad request */
} sdiag_https_error_t;

typedef struct sdiag_https_req {
	const char *host;          /* resolved through ops; also SNI and the name verified */
	uint16_t port;
	const char *path;          /* "/.well-known/mta-sts.txt" */
	const char *user_agent;    /* "smtpdiag/<version>"; NULL: "smtpdiag" */
	const char *content_type;  /* the media type required ("text/plain"), or NULL for any */
	size_t max_body;           /* bytes of body accepted (after de-chunking) */
	double timeout_ms;         /* the whole fetch, DNS included */
	const char *cafile, *capath;  /* NULL: the system's CA store */
} sdiag_https_req_t;

typedef struct sdiag_https_result {
	sdiag_https_error_t error;
	char why[SDIAG_MSG_MAX];   /* for a person, when error is not OK */
	char url[512];
	char address[64];          /* the address connected to, "" before that */
	int status;                /* the HTTP status, 0 when none came */
	char reason[128];          /* its reason phrase */
	char content_type[128];
	char location[512];        /* of a redirect */
	int chunked;
	long long content_length;  /* -1 when absent */
	char *body;                /* NUL-terminated after body_len; owned by the fetch */
	size_t body_len;
	int tls_done;              /* tls holds a completed handshake (even an unverified one) */
	sdiag_tls_info_t tls;
	double ms;
} sdiag_https_result_t;

typedef struct sdiag_https sdiag_https_t;

/* Called once when the fetch ends, from the loop (never from inside
 * sdiag_https_get()). res stays valid until sdiag_https_free(). */
typedef void (*sdiag_https_cb)(void *ud, const sdiag_https_result_t *res);

/* Start a GET of https://host:port/path. Returns NULL only when out of
 * memory (nothing started, cb never runs). */
sdiag_https_t *sdiag_https_get(sdiag_loop_t *loop, sdiag_dns_ops_t ops, const sdiag_https_req_t *req, sdiag_https_cb cb, void *ud);
/* Cancel (cb does not run afterwards) or release a finished fetch. DNS
 * answers still due are absorbed safely. NULL-tolerant. */
void sdiag_https_free(sdiag_https_t *h);

/* "ok", "dns", "connect", "timeout", "tls", "certificate", "protocol",
 * "redirect", "status", "too_large", "content_type", "local". */
const char *sdiag_https_error_name(sdiag_https_error_t e);

#endif
