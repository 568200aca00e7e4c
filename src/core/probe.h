/*
 * smtpdiag core: port probes. Every (address, port) pair is probed at once
 * on the event loop: a TCP connect, then the greeting, then, when the port
 * stays silent, a TLS ClientHello. Each ends open (SMTP in plaintext, or TLS
 * from the first byte, or silent), refused, filtered (no answer within the
 * timeout: a firewall dropping packets), unreachable, or not_smtp (something
 * else answers).
 */
#ifndef SDIAG_PROBE_H
#define SDIAG_PROBE_H

#include "loop.h"
#include "resolver.h"
#include "settings.h"
#include "tls.h"

typedef enum sdiag_port_state {
	SDIAG_PORT_PENDING = 0,
	SDIAG_PORT_OPEN,
	SDIAG_PORT_REFUSED,
	SDIAG_PORT_FILTERED,
	SDIAG_PORT_UNREACHABLE,
	SDIAG_PORT_NOT_SMTP
} sdiag_port_state_t;

typedef enum sdiag_port_proto {
	SDIAG_PROTO_NONE = 0,   /* open but silent, or not open */
	SDIAG_PROTO_SMTP,       /* a plaintext SMTP greeting */
	SDIAG_PROTO_TLS         /* TLS from the first byte (implicit TLS) */
} sdiag_port_proto_t;

#define SDIAG_PROBES_MAX 64

typedef struct sdiag_probe {
	struct sdiag_probes *set;
	sdiag_addr_t addr;
	uint16_t port;
	sdiag_socket_t fd;
	sdiag_timer_t timer;
	int phase;                 /* 0 connect, 1 greeting, 2 TLS probe, 3 done */
	sdiag_tls_t tls;
	sdiag_port_state_t state;
	sdiag_port_proto_t proto;
	char banner[256];          /* first line of what the port said */
	int sys_errno;
	double start, ms;
} sdiag_probe_t;

typedef struct sdiag_probes {
	sdiag_loop_t *loop;
	const sdiag_config_t *cfg;
	double timeout_ms;
	size_t n, done;
	sdiag_probe_t probes[SDIAG_PROBES_MAX];
} sdiag_probes_t;

const char *sdiag_port_state_name(sdiag_port_state_t s);
const char *sdiag_port_proto_name(sdiag_port_proto_t p);
/* A probe counts as filtered after 3 s, or connect_timeout if shorter. */
void sdiag_probes_init(sdiag_probes_t *set, sdiag_loop_t *loop, const sdiag_config_t *cfg);
/* Start probing every address of the list on each port (at most SDIAG_PROBES_MAX pairs). */
void sdiag_probes_start(sdiag_probes_t *set, const sdiag_addr_list_t *addrs, const uint16_t *ports, size_t nports);
int sdiag_probes_finished(const sdiag_probes_t *set);
/* Close whatever is still open. */
void sdiag_probes_free(sdiag_probes_t *set);

#endif
