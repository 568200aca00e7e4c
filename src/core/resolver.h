/*
 * smtpdiag core: c-ares inside the event loop. c-ares does transport,
 * retries and server selection; its sockets are polled by sdiag_loop beside
 * the SMTP sockets and its timeouts are loop timers. Every c-ares version
 * difference is kept in resolver.c.
 */
#ifndef SDIAG_RESOLVER_H
#define SDIAG_RESOLVER_H

#include "error.h"
#include "loop.h"

#define SDIAG_ADDRS_MAX 16

typedef struct sdiag_addr {
	struct sockaddr_storage sa;
	int salen;
	int family;            /* AF_INET / AF_INET6 */
	char text[64];         /* "192.0.2.1" / "2001:db8::1" */
} sdiag_addr_t;

typedef struct sdiag_addr_list {
	size_t n;
	sdiag_addr_t addrs[SDIAG_ADDRS_MAX];
} sdiag_addr_list_t;

/* status: SDIAG_OK with addresses, or SDIAG_ERR with err filled. */
typedef void (*sdiag_resolve_cb)(void *ud, sdiag_status_t status, const sdiag_addr_list_t *list, const sdiag_error_t *err);

typedef struct sdiag_resolver {
	void *channel;         /* ares_channel */
	sdiag_loop_t *loop;
	sdiag_timer_t timer;
	int pending;
} sdiag_resolver_t;

/* servers: "1.2.3.4,[::1]:5353" or NULL/"" for the system configuration. */
sdiag_status_t sdiag_resolver_init(sdiag_resolver_t *r, sdiag_loop_t *loop, const char *servers, double timeout_ms, sdiag_error_t *err);
/* Cancels pending queries (their callbacks run with an error first). */
void sdiag_resolver_free(sdiag_resolver_t *r);
/* Resolve host to addresses (family 0, 4 or 6); the callback runs from the loop. */
void sdiag_resolver_addrs(sdiag_resolver_t *r, const char *host, uint16_t port, int family, sdiag_resolve_cb cb, void *ud);

/* Re-arm the c-ares timeout timer after queries were added. */
void sdiag_resolver_rearm(sdiag_resolver_t *r);

/* Send a DNS query message (dns.c builds it) on the channel. cb runs exactly
 * once, possibly before this returns: status is a c-ares status
 * (ARES_SUCCESS with the answer's bytes, or an error with abuf NULL, except
 * that newer c-ares may also hand over the last SERVFAIL/REFUSED answer).
 * abuf is valid during the call only. Counts the query in r->pending. */
typedef void (*sdiag_resolver_answer_cb)(void *ud, int status, const unsigned char *abuf, size_t alen);
void sdiag_resolver_send(sdiag_resolver_t *r, const unsigned char *qbuf, size_t qlen, sdiag_resolver_answer_cb cb, void *ud);

/* Library init/cleanup (MINIT/MSHUTDOWN) and versions for phpinfo(). */
int sdiag_resolver_library_init(void);
void sdiag_resolver_library_cleanup(void);
const char *sdiag_resolver_version(void);
const char *sdiag_resolver_compiled_version(void);

#endif
