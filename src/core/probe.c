/* smtpdiag core: concurrent port probes. */
#include "probe.h"
#include "transport.h"

#include <stdio.h>
#include <string.h>

#define SDIAG_PROBE_GREETING_MS 3000.0
/* A probe that hears nothing this long is filtered: a check need not wait
 * out connect_timeout for a port nobody configured. */
#define SDIAG_PROBE_CONNECT_MS 3000.0

const char *sdiag_port_state_name(sdiag_port_state_t s)
{
	switch (s) {
		case SDIAG_PORT_OPEN: return "open";
		case SDIAG_PORT_REFUSED: return "refused";
		case SDIAG_PORT_FILTERED: return "filtered";
		case SDIAG_PORT_UNREACHABLE: return "unreachable";
		case SDIAG_PORT_NOT_SMTP: return "not_smtp";
		default: return "pending";
	}
}

const char *sdiag_port_proto_name(sdiag_port_proto_t p)
{
	return p == SDIAG_PROTO_SMTP ? "smtp" : p == SDIAG_PROTO_TLS ? "tls" : "none";
}

void sdiag_probes_init(sdiag_probes_t *set, sdiag_loop_t *loop, const sdiag_config_t *cfg)
{
	memset(set, 0, sizeof(*set));
	set->loop = loop;
	set->cfg = cfg;
	set->timeout_ms = cfg->connect_timeout_ms < SDIAG_PROBE_CONNECT_MS ? cfg->connect_timeout_ms : SDIAG_PROBE_CONNECT_MS;
}

static void probe_io(void *ud, sdiag_socket_t fd, short revents);
static void probe_timer(void *ud);

/* How long a port may stay silent before the TLS probe (greeting delays of
 * postscreen and the like are shorter than this). */
static double greeting_ms(const sdiag_probes_t *set)
{
	return set->cfg->banner_timeout_ms < SDIAG_PROBE_GREETING_MS ? set->cfg->banner_timeout_ms : SDIAG_PROBE_GREETING_MS;
}

static void finish(sdiag_probe_t *p, sdiag_port_state_t st, sdiag_port_proto_t proto)
{
	sdiag_probes_t *set = p->set;
	if (p->phase == 3) {
		return;
	}
	p->state = st;
	p->proto = proto;
	p->ms = sdiag_now_ms() - p->start;
	p->phase = 3;
	if (p->tls.ssl) {
		sdiag_tls_close(&p->tls);
	}
	if (p->fd != SDIAG_BAD_SOCKET) {
		if (proto == SDIAG_PROTO_SMTP) {
			sdiag_sock_send(p->fd, "QUIT\r\n", 6); /* polite, without waiting */
		}
		sdiag_loop_watch(set->loop, p->fd, 0, NULL, NULL);
		sdiag_closesocket(p->fd);
		p->fd = SDIAG_BAD_SOCKET;
	}
	sdiag_loop_timer_clear(set->loop, &p->timer);
	set->done++;
}

static int is_smtp_reply(const char *b, size_t n)
{
	return n >= 3 && b[0] >= '2' && b[0] <= '5' && b[1] >= '0' && b[1] <= '9' && b[2] >= '0' && b[2] <= '9' && (n == 3 || b[3] == ' ' || b[3] == '-' || b[3] == '\r');
}

static void start_tls_probe(sdiag_probe_t *p)
{
	sdiag_error_t scratch;
	sdiag_error_clear(&scratch);
	if (sdiag_tls_setup(&p->tls, p->set->cfg, p->fd, 1, &scratch) != SDIAG_OK) {
		finish(p, SDIAG_PORT_OPEN, SDIAG_PROTO_NONE);
		return;
	}
	p->phase = 2;
	sdiag_loop_timer_set(p->set->loop, &p->timer, sdiag_now_ms() + greeting_ms(p->set), probe_timer, p);
	probe_io(p, p->fd, SDIAG_POLLOUT);
}

static void probe_timer(void *ud)
{
	sdiag_probe_t *p = ud;
	switch (p->phase) {
		case 0:
			finish(p, SDIAG_PORT_FILTERED, SDIAG_PROTO_NONE);
			return;
		case 1:
			start_tls_probe(p); /* silent: maybe TLS from the first byte */
			return;
		default:
			finish(p, SDIAG_PORT_OPEN, sdiag_tls_peer_spoke_tls(&p->tls) ? SDIAG_PROTO_TLS : SDIAG_PROTO_NONE);
			return;
	}
}

static void probe_io(void *ud, sdiag_socket_t fd, short revents)
{
	sdiag_probe_t *p = ud;
	(void)fd;
	(void)revents;
	if (p->phase == 0) {
		int e = 0;
		socklen_t l = sizeof(e);
		if (getsockopt(p->fd, SOL_SOCKET, SO_ERROR, (char *)&e, &l) < 0) {
			e = sdiag_sock_errno();
		}
		if (e) {
			p->sys_errno = e;
#ifdef ENETUNREACH
			if (e == ENETUNREACH || e == EHOSTUNREACH) {
				finish(p, SDIAG_PORT_UNREACHABLE, SDIAG_PROTO_NONE);
				return;
			}
#endif
			finish(p, SDIAG_PORT_REFUSED, SDIAG_PROTO_NONE);
			return;
		}
		if (p->port == 465) {
			start_tls_probe(p); /* the implicit TLS port: the client speaks first */
			return;
		}
		p->phase = 1;
		sdiag_loop_watch(p->set->loop, p->fd, SDIAG_POLLIN, probe_io, p);
		sdiag_loop_timer_set(p->set->loop, &p->timer, sdiag_now_ms() + greeting_ms(p->set), probe_timer, p);
		return;
	}
	if (p->phase == 1) {
		char buf[512];
		sdiag_ssize_t n = sdiag_sock_recv(p->fd, buf, sizeof(buf) - 1);
		size_t k = 0;
		if (n < 0 && sdiag_sock_would_block()) {
			return;
		}
		if (n <= 0) {
			/* accepted, then closed without a word: not an SMTP server */
			finish(p, SDIAG_PORT_NOT_SMTP, SDIAG_PROTO_NONE);
			return;
		}
		while (k < (size_t)n && k < sizeof(p->banner) - 1 && buf[k] != '\r' && buf[k] != '\n') {
			unsigned char c = (unsigned char)buf[k];
			p->banner[k] = (c < 0x20 || c >= 0x7F) ? '?' : (char)c;
			k++;
		}
		p->banner[k] = '\0';
		finish(p, is_smtp_reply(buf, (size_t)n) ? SDIAG_PORT_OPEN : SDIAG_PORT_NOT_SMTP, is_smtp_reply(buf, (size_t)n) ? SDIAG_PROTO_SMTP : SDIAG_PROTO_NONE);
		return;
	}
	if (p->phase == 2) {
		short want = 0;
		sdiag_error_t scratch;
		sdiag_status_t st = sdiag_tls_handshake(&p->tls, p->set->cfg, NULL, &want, &scratch);
		if (st == SDIAG_AGAIN && !sdiag_tls_peer_spoke_tls(&p->tls)) {
			sdiag_loop_watch(p->set->loop, p->fd, want, probe_io, p);
			return;
		}
		finish(p, SDIAG_PORT_OPEN, sdiag_tls_peer_spoke_tls(&p->tls) ? SDIAG_PROTO_TLS : SDIAG_PROTO_NONE);
	}
}

static void start_one(sdiag_probe_t *p)
{
	int r;
	p->start = sdiag_now_ms();
	p->fd = socket(p->addr.family, SOCK_STREAM, IPPROTO_TCP);
	if (p->fd == SDIAG_BAD_SOCKET || sdiag_socket_nonblock(p->fd) < 0) {
		p->sys_errno = sdiag_sock_errno();
		finish(p, SDIAG_PORT_UNREACHABLE, SDIAG_PROTO_NONE);
		return;
	}
	if (p->addr.family == AF_INET6) {
		((struct sockaddr_in6 *)&p->addr.sa)->sin6_port = htons(p->port);
	} else {
		((struct sockaddr_in *)&p->addr.sa)->sin_port = htons(p->port);
	}
	r = connect(p->fd, (const struct sockaddr *)&p->addr.sa, (socklen_t)p->addr.salen);
	if (r != 0 && sdiag_sock_errno() != SDIAG_EINPROGRESS
#ifdef _WIN32
		&& sdiag_sock_errno() != WSAEINPROGRESS
#endif
	) {
		p->sys_errno = sdiag_sock_errno();
#ifdef ENETUNREACH
		if (p->sys_errno == ENETUNREACH || p->sys_errno == EHOSTUNREACH) {
			finish(p, SDIAG_PORT_UNREACHABLE, SDIAG_PROTO_NONE);
			return;
		}
#endif
		finish(p, SDIAG_PORT_REFUSED, SDIAG_PROTO_NONE);
		return;
	}
	sdiag_loop_watch(p->set->loop, p->fd, SDIAG_POLLOUT, probe_io, p);
	sdiag_loop_timer_set(p->set->loop, &p->timer, p->start + p->set->timeout_ms, probe_timer, p);
}

void sdiag_probes_start(sdiag_probes_t *set, const sdiag_addr_list_t *addrs, const uint16_t *ports, size_t nports)
{
	size_t a, k, first = set->n;
	for (k = 0; k < nports; k++) {
		for (a = 0; a < addrs->n && set->n < SDIAG_PROBES_MAX; a++) {
			sdiag_probe_t *p = &set->probes[set->n++];
			memset(p, 0, sizeof(*p));
			p->set = set;
			p->addr = addrs->addrs[a];
			p->port = ports[k];
			p->fd = SDIAG_BAD_SOCKET;
		}
	}
	for (k = first; k < set->n; k++) {
		start_one(&set->probes[k]);
	}
}

int sdiag_probes_finished(const sdiag_probes_t *set)
{
	return set->done >= set->n;
}

void sdiag_probes_free(sdiag_probes_t *set)
{
	size_t k;
	for (k = 0; k < set->n; k++) {
		finish(&set->probes[k], set->probes[k].state ? set->probes[k].state : SDIAG_PORT_FILTERED, set->probes[k].proto);
	}
}
