/*
 * smtpdiag core: the connection driver. It owns the socket and the TLS
 * session, runs name resolution (c-ares), the TCP connection (every address
 * in turn), implicit TLS or STARTTLS and the SMTP engine on the event loop,
 * and enforces the deadlines: connect, read (per reply or TLS step) and
 * overall (per operation). Operations are asynchronous; sdiag_conn_wait()
 * runs the loop until the current one finishes.
 */
#ifndef SDIAG_CONN_H
#define SDIAG_CONN_H

#include "settings.h"
#include "loop.h"
#include "resolver.h"
#include "smtp.h"
#include "tls.h"
#include "transcript.h"

typedef enum sdiag_conn_state {
	SDIAG_CONN_IDLE = 0,
	SDIAG_CONN_RESOLVING,
	SDIAG_CONN_CONNECTING,
	SDIAG_CONN_HANDSHAKE,   /* implicit TLS or after STARTTLS */
	SDIAG_CONN_PROBE,       /* no banner: does the port speak TLS? */
	SDIAG_CONN_SESSION,     /* the SMTP engine runs */
	SDIAG_CONN_DONE         /* connection closed or failed */
} sdiag_conn_state_t;

typedef struct sdiag_attempt {
	char addr[64];
	int family;
	sdiag_category_t result;   /* SDIAG_CAT_NONE: connected (or cancelled) */
	int cancelled;             /* another address won the race first */
	int sys_errno;
	double ms;
} sdiag_attempt_t;

/* One connection attempt of the Happy Eyeballs race (RFC 8305). */
typedef struct sdiag_racer {
	struct sdiag_conn *c;
	size_t attempt;            /* index into attempts[] */
	size_t addr;               /* index into addrs */
	sdiag_socket_t fd;
	double start;
	sdiag_timer_t timer;       /* connect_timeout of this attempt */
} sdiag_racer_t;

#define SDIAG_ATTEMPT_DELAY_MS 250.0  /* RFC 8305 section 5: Connection Attempt Delay */

typedef struct sdiag_conn {
	const sdiag_config_t *cfg;
	sdiag_loop_t *loop;
	sdiag_resolver_t *resolver;
	sdiag_transcript_t transcript;
	sdiag_error_t err;
	sdiag_smtp_t smtp;
	sdiag_conn_state_t state;
	int busy;                   /* an operation runs */

	sdiag_addr_list_t addrs;       /* in race order: families interleaved, IPv6 first */
	size_t addr_idx;               /* the next address to try */
	sdiag_racer_t racers[SDIAG_ADDRS_MAX];
	size_t inflight;
	sdiag_timer_t stagger;         /* starts the next attempt after the delay */
	sdiag_attempt_t attempts[SDIAG_ADDRS_MAX];
	size_t nattempts;
	char dns_error[SDIAG_MSG_MAX];

	sdiag_socket_t fd;
	sdiag_transport_t tp;
	sdiag_tls_t tls;
	int tls_on;
	sdiag_tls_info_t tls_info;
	int probe_tls;              /* -1 not probed, 0 no TLS, 1 the port speaks TLS */
	short io_want;              /* what the transport asked for on SDIAG_IO_AGAIN */

	sdiag_timer_t timer;
	double op_deadline;         /* overall deadline of the running operation */
	double deadline_cap;        /* when set, no operation runs past it (a call with retries) */
	double phase_deadline;

	char peer_addr[64];
	uint16_t peer_port;
	char local_addr[64];
	uint16_t local_port;

	/* called when the host's addresses are known (the health check starts
	 * its port probes there, so they run beside the session) */
	void (*on_resolved)(void *ud, const sdiag_addr_list_t *addrs);
	void *on_resolved_ud;
	/* called when the TCP connection is up: peer_addr, local_addr and the
	 * EHLO name are known (the reverse-DNS check starts there) */
	void (*on_connected)(void *ud, const struct sdiag_conn *c);
	void *on_connected_ud;

	/* sdiag_now_ms() marks; 0 when not reached */
	double t_start, t_dns, t_dns_done, t_connect, t_connected, t_tls, t_tls_done, t_banner, t_ehlo_done, t_ready;
} sdiag_conn_t;

void sdiag_conn_init(sdiag_conn_t *c, const sdiag_config_t *cfg, sdiag_loop_t *loop, sdiag_resolver_t *resolver);
void sdiag_conn_free(sdiag_conn_t *c);
/* Start connecting (resolve, TCP, banner, EHLO, TLS): ends READY or failed. */
void sdiag_conn_open(sdiag_conn_t *c);
/* Start a batch of mail transactions on the open session; their outcome is
 * in each sdiag_txn_t, c->err holds only a failure of the connection. */
void sdiag_conn_send(sdiag_conn_t *c, sdiag_txn_t **txns, size_t n);
/* Start a NOOP round trip (liveness check of a reused connection). */
void sdiag_conn_noop(sdiag_conn_t *c);
/* Whether an idle session still looks usable without a round trip: false
 * (and closed) when the server closed it or announced 421. */
int sdiag_conn_alive(sdiag_conn_t *c);
/* Start QUIT and close. */
void sdiag_conn_quit(sdiag_conn_t *c);
/* Run the loop until the running operation ends; SDIAG_OK or SDIAG_ERR (c->err). */
sdiag_status_t sdiag_conn_wait(sdiag_conn_t *c);
/* Close the socket at once (no QUIT). */
void sdiag_conn_close(sdiag_conn_t *c);
/* Whether the session is open and idle. */
int sdiag_conn_ready(const sdiag_conn_t *c);

#endif
