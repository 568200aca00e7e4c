/* smtpdiag core: the connection driver. */
#include "conn.h"

#include <stdio.h>
#include <string.h>

#ifndef _WIN32
# include <netinet/tcp.h>
#endif

#define SDIAG_QUIT_TIMEOUT_MS 5000.0
#define SDIAG_PROBE_BUDGET_MS 2000.0

static void on_io(void *ud, sdiag_socket_t fd, short revents);
static void on_timer(void *ud);
static void connect_start(sdiag_conn_t *c);
static void race_stop(sdiag_conn_t *c, const sdiag_racer_t *winner);
static void pump(sdiag_conn_t *c);
static void start_tls(sdiag_conn_t *c, sdiag_phase_t phase, const char *how);

static double min2(double a, double b)
{
	return a < b ? a : b;
}

/* How long the reply the engine waits for may take. */
static double reply_timeout(const sdiag_conn_t *c)
{
	const sdiag_config_t *cfg = c->cfg;
	switch (c->smtp.state) {
		case SDIAG_SMTP_BANNER:
			return cfg->banner_timeout_ms;
		case SDIAG_SMTP_QUIT:
			return min2(cfg->command_timeout_ms, SDIAG_QUIT_TIMEOUT_MS);
		case SDIAG_SMTP_TXN:
			if (sdiag_smtp_wants_fill(&c->smtp)) {
				return cfg->data_timeout_ms; /* the message is still being written */
			}
			return sdiag_smtp_next_reply(&c->smtp) == SDIAG_CMD_DOT ? cfg->final_timeout_ms : cfg->command_timeout_ms;
		default:
			return cfg->command_timeout_ms;
	}
}

/* What the timed-out wait was for, for the message. */
static const char *awaited(const sdiag_conn_t *c)
{
	switch (c->smtp.state) {
		case SDIAG_SMTP_BANNER: return "the server's greeting";
		case SDIAG_SMTP_EHLO: return "the reply to EHLO";
		case SDIAG_SMTP_HELO: return "the reply to HELO";
		case SDIAG_SMTP_STARTTLS: return "the reply to STARTTLS";
		case SDIAG_SMTP_AUTH: return "the reply to AUTH";
		case SDIAG_SMTP_NOOP: return "the reply to NOOP";
		case SDIAG_SMTP_QUIT: return "the reply to QUIT";
		case SDIAG_SMTP_TXN:
			if (sdiag_smtp_wants_fill(&c->smtp)) {
				return "the server to take more of the message";
			}
			switch (sdiag_smtp_next_reply(&c->smtp)) {
				case SDIAG_CMD_MAIL: return "the reply to MAIL FROM";
				case SDIAG_CMD_RCPT: return "the reply to RCPT TO";
				case SDIAG_CMD_DATA: return "the reply to DATA";
				case SDIAG_CMD_DOT: return "the reply to the end of the message";
				default: return "the reply to RSET";
			}
		default: return "the server";
	}
}

static void on_state(void *ud, sdiag_smtp_state_t from, sdiag_smtp_state_t to)
{
	sdiag_conn_t *c = ud;
	double now = sdiag_now_ms();
	if (to == SDIAG_SMTP_EHLO && !c->t_banner) {
		c->t_banner = now;
	}
	if ((from == SDIAG_SMTP_EHLO || from == SDIAG_SMTP_HELO) && to != SDIAG_SMTP_HELO && !c->t_ehlo_done) {
		c->t_ehlo_done = now;
	}
	if (to == SDIAG_SMTP_READY) {
		c->t_ready = now;
	}
	if (to == SDIAG_SMTP_BANNER || to == SDIAG_SMTP_EHLO || to == SDIAG_SMTP_HELO || to == SDIAG_SMTP_STARTTLS || to == SDIAG_SMTP_AUTH ||
		to == SDIAG_SMTP_TXN || to == SDIAG_SMTP_NOOP || to == SDIAG_SMTP_QUIT) {
		/* a reply is awaited: a fresh deadline for it */
		c->phase_deadline = now + reply_timeout(c);
	}
}

void sdiag_conn_init(sdiag_conn_t *c, const sdiag_config_t *cfg, sdiag_loop_t *loop, sdiag_resolver_t *resolver)
{
	memset(c, 0, sizeof(*c));
	c->cfg = cfg;
	c->loop = loop;
	c->resolver = resolver;
	c->fd = SDIAG_BAD_SOCKET;
	c->probe_tls = -1;
	sdiag_transcript_init(&c->transcript);
	sdiag_error_clear(&c->err);
	sdiag_smtp_init(&c->smtp, cfg, &c->transcript, &c->err);
	c->smtp.trace = on_state;
	c->smtp.trace_ud = c;
}

void sdiag_conn_close(sdiag_conn_t *c)
{
	if (c->state == SDIAG_CONN_CONNECTING) {
		race_stop(c, NULL);
	}
	if (c->tls_on || c->tls.ssl) {
		sdiag_tls_close(&c->tls);
		c->tls_on = 0;
	}
	if (c->fd != SDIAG_BAD_SOCKET) {
		sdiag_loop_watch(c->loop, c->fd, 0, NULL, NULL);
		sdiag_closesocket(c->fd);
		c->fd = SDIAG_BAD_SOCKET;
	}
	sdiag_loop_timer_clear(c->loop, &c->timer);
	c->state = SDIAG_CONN_DONE;
}

void sdiag_conn_free(sdiag_conn_t *c)
{
	sdiag_conn_close(c);
	sdiag_smtp_free(&c->smtp);
	sdiag_transcript_free(&c->transcript);
}

int sdiag_conn_ready(const sdiag_conn_t *c)
{
	return c->state == SDIAG_CONN_SESSION && c->smtp.state == SDIAG_SMTP_READY && c->fd != SDIAG_BAD_SOCKET;
}

static void info(sdiag_conn_t *c, const char *fmt, const char *a, const char *b)
{
	sdiag_transcript_addf(&c->transcript, SDIAG_DIR_INFO, c->tls_on, fmt, a, b);
}

/* End the running operation. */
static void finish(sdiag_conn_t *c)
{
	c->busy = 0;
	sdiag_loop_timer_clear(c->loop, &c->timer);
	if (c->fd != SDIAG_BAD_SOCKET) {
		sdiag_loop_watch(c->loop, c->fd, 0, NULL, NULL);
	}
}

/* Fail the operation with c->err set; the connection is closed. When the
 * server refused something with a reply, or the client gave up between
 * commands (no usable AUTH, no STARTTLS), the server still expects a
 * command: say QUIT (best effort, without waiting) so it does not log a lost
 * connection. After a timeout, a broken reply or a forged SCRAM signature the
 * connection is simply dropped. */
static void fail(sdiag_conn_t *c)
{
	if (c->smtp.state != SDIAG_SMTP_FAILED && c->smtp.state != SDIAG_SMTP_IDLE) {
		sdiag_smtp_fail(&c->smtp);
	}
	sdiag_transcript_addf(&c->transcript, SDIAG_DIR_INFO, c->tls_on, "error: %s: %s", sdiag_category_name(c->err.category), c->err.message);
	if ((c->err.smtp_code || c->err.category == SDIAG_CAT_AUTH_UNSUPPORTED || c->err.category == SDIAG_CAT_TLS_REQUIRED) &&
		c->fd != SDIAG_BAD_SOCKET && c->state == SDIAG_CONN_SESSION && c->tp.ops) {
		short want;
		sdiag_error_t scratch;
		sdiag_transcript_add(&c->transcript, SDIAG_DIR_CLIENT, c->tls_on, "QUIT", 4);
		c->tp.ops->send(&c->tp, "QUIT\r\n", 6, &want, &scratch);
	}
	sdiag_conn_close(c);
	finish(c);
}

static void arm(sdiag_conn_t *c)
{
	double d;
	if (c->deadline_cap > 0 && c->op_deadline > c->deadline_cap) {
		c->op_deadline = c->deadline_cap;
	}
	d = c->phase_deadline ? min2(c->phase_deadline, c->op_deadline) : c->op_deadline;
	sdiag_loop_timer_set(c->loop, &c->timer, d, on_timer, c);
}

static void watch(sdiag_conn_t *c, short events)
{
	if (sdiag_loop_watch(c->loop, c->fd, events, on_io, c) < 0) {
		sdiag_error_set(&c->err, SDIAG_CAT_OTHER, sdiag_smtp_phase(&c->smtp), "out of memory");
		fail(c);
	}
}

/* ---- start ---- */

static void on_resolved(void *ud, sdiag_status_t st, const sdiag_addr_list_t *list, const sdiag_error_t *err)
{
	sdiag_conn_t *c = ud;
	size_t i;
	if (c->state != SDIAG_CONN_RESOLVING) {
		return; /* cancelled: the operation already ended */
	}
	c->t_dns_done = sdiag_now_ms();
	if (st != SDIAG_OK) {
		c->err = *err;
		snprintf(c->dns_error, sizeof(c->dns_error), "%s", err->message);
		fail(c);
		return;
	}
	c->addrs = *list;
	for (i = 0; i < list->n; i++) {
		info(c, "%s resolves to %s", c->cfg->host, list->addrs[i].text);
	}
	if (c->on_resolved) {
		c->on_resolved(c->on_resolved_ud, list);
	}
	connect_start(c);
}

void sdiag_conn_open(sdiag_conn_t *c)
{
	double now = sdiag_now_ms();
	char target[300];
	sdiag_conn_close(c);
	sdiag_smtp_reset(&c->smtp);
	sdiag_error_clear(&c->err);
	c->busy = 1;
	c->nattempts = 0;
	c->probe_tls = -1;
	c->dns_error[0] = '\0';
	memset(&c->tls_info, 0, sizeof(c->tls_info));
	c->t_start = now;
	c->t_dns = c->t_dns_done = c->t_connect = c->t_connected = c->t_tls = c->t_tls_done = c->t_banner = c->t_ehlo_done = c->t_ready = 0;
	c->op_deadline = now + c->cfg->timeout_ms;
	c->phase_deadline = 0;
	sdiag_config_target(c->cfg, target, sizeof(target));
	info(c, "connecting to %s (encryption %s)", target, sdiag_encryption_name(c->cfg->encryption));
	c->state = SDIAG_CONN_RESOLVING;
	c->t_dns = now;
	arm(c);
	sdiag_resolver_addrs(c->resolver, c->cfg->host, c->cfg->port, c->cfg->ip_family, on_resolved, c);
}

/* ---- TCP ---- */

static void all_attempts_failed(sdiag_conn_t *c)
{
	size_t i, timeouts = 0, refused = 0;
	char buf[128], target[300];
	const sdiag_attempt_t *last = &c->attempts[c->nattempts - 1];
	for (i = 0; i < c->nattempts; i++) {
		timeouts += c->attempts[i].result == SDIAG_CAT_CONNECTION_TIMEOUT;
		refused += c->attempts[i].result == SDIAG_CAT_CONNECTION_REFUSED;
	}
	sdiag_config_target(c->cfg, target, sizeof(target));
	if (timeouts) {
		sdiag_error_set(&c->err, SDIAG_CAT_CONNECTION_TIMEOUT, SDIAG_PHASE_CONNECT, "connecting to %s timed out (%zu of %zu addresses did not answer)", target, timeouts, c->nattempts);
		if (c->cfg->port == 25) {
			sdiag_error_hint(&c->err, "%s", "No answer on port 25: most cloud and home networks block outgoing port 25. Use the provider's submission port 587 (STARTTLS) or 465 (implicit TLS).");
		}
	} else {
		sdiag_error_set(&c->err, SDIAG_CAT_CONNECTION_REFUSED, SDIAG_PHASE_CONNECT, "connecting to %s failed: %s", target, sdiag_strerror(last->sys_errno, buf, sizeof(buf)));
		if (!refused) {
			sdiag_error_hint(&c->err, "%s", "The server's network is unreachable from here: check this machine's routes and firewall (for IPv6 addresses, whether it has IPv6 connectivity at all).");
		}
	}
	c->err.sys_errno = last->sys_errno;
	fail(c);
}

static void connected(sdiag_conn_t *c, size_t attempt)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	sdiag_attempt_t *a = &c->attempts[attempt];
	a->result = SDIAG_CAT_NONE;
	c->t_connected = sdiag_now_ms();
	sdiag_strlcpy(c->peer_addr, a->addr, sizeof(c->peer_addr));
	c->peer_port = c->cfg->port;
	if (getsockname(c->fd, (struct sockaddr *)&ss, &sl) == 0) {
		sdiag_sockaddr_str((struct sockaddr *)&ss, c->local_addr, sizeof(c->local_addr), &c->local_port);
	}
	sdiag_transcript_addf(&c->transcript, SDIAG_DIR_INFO, 0, "connected to %s port %u from %s port %u", c->peer_addr, (unsigned)c->peer_port, c->local_addr, (unsigned)c->local_port);
	if (c->cfg->helo) {
		snprintf(c->smtp.helo, sizeof(c->smtp.helo), "%s", c->cfg->helo);
	} else if (ss.ss_family == AF_INET6) {
		snprintf(c->smtp.helo, sizeof(c->smtp.helo), "[IPv6:%s]", c->local_addr);
	} else {
		snprintf(c->smtp.helo, sizeof(c->smtp.helo), "[%s]", c->local_addr);
	}
	if (c->on_connected) {
		c->on_connected(c->on_connected_ud, c);
	}
	c->tp.ops = &sdiag_transport_plain;
	c->tp.fd = c->fd;
	c->tp.impl = NULL;
	if (c->cfg->encryption == SDIAG_ENC_IMPLICIT) {
		start_tls(c, SDIAG_PHASE_TLS, "implicit");
		return;
	}
	c->state = SDIAG_CONN_SESSION;
	sdiag_smtp_start(&c->smtp, 0);
	/* keep time to find out whether a silent port speaks TLS */
	c->phase_deadline = min2(c->phase_deadline, c->op_deadline - min2(SDIAG_PROBE_BUDGET_MS, c->cfg->timeout_ms / 5));
	arm(c);
	watch(c, SDIAG_POLLIN);
}

/* ---- TCP: Happy Eyeballs (RFC 8305) ---- */

static void racer_io(void *ud, sdiag_socket_t fd, short revents);
static void racer_timeout(void *ud);
static void stagger_fired(void *ud);

/* Interleave the families, IPv6 first (RFC 8305 section 4), keeping each
 * family's order from the resolver. */
static void race_order(sdiag_addr_list_t *l)
{
	sdiag_addr_list_t v6, v4, out;
	size_t i, a = 0, b = 0;
	memset(&v6, 0, sizeof(v6));
	memset(&v4, 0, sizeof(v4));
	for (i = 0; i < l->n; i++) {
		if (l->addrs[i].family == AF_INET6) {
			v6.addrs[v6.n++] = l->addrs[i];
		} else {
			v4.addrs[v4.n++] = l->addrs[i];
		}
	}
	out.n = 0;
	while (a < v6.n || b < v4.n) {
		if (a < v6.n) {
			out.addrs[out.n++] = v6.addrs[a++];
		}
		if (b < v4.n) {
			out.addrs[out.n++] = v4.addrs[b++];
		}
	}
	*l = out;
}

static void racer_close(sdiag_conn_t *c, sdiag_racer_t *r)
{
	if (r->fd != SDIAG_BAD_SOCKET) {
		sdiag_loop_watch(c->loop, r->fd, 0, NULL, NULL);
		sdiag_closesocket(r->fd);
		r->fd = SDIAG_BAD_SOCKET;
		c->inflight--;
	}
	sdiag_loop_timer_clear(c->loop, &r->timer);
}

/* Close every attempt still in flight (the race was won or abandoned). */
static void race_stop(sdiag_conn_t *c, const sdiag_racer_t *winner)
{
	size_t i;
	sdiag_loop_timer_clear(c->loop, &c->stagger);
	for (i = 0; i < c->nattempts; i++) {
		sdiag_racer_t *r = &c->racers[i];
		if (r != winner && r->fd != SDIAG_BAD_SOCKET) {
			if (winner) {
				c->attempts[r->attempt].cancelled = 1;
				c->attempts[r->attempt].ms = sdiag_now_ms() - r->start;
				sdiag_transcript_addf(&c->transcript, SDIAG_DIR_INFO, 0, "attempt to %s cancelled: %s connected first", c->attempts[r->attempt].addr, winner ? c->attempts[winner->attempt].addr : "");
			}
			racer_close(c, r);
		}
	}
}

static void start_attempt(sdiag_conn_t *c);

/* One attempt failed: the next address starts at once; the race is lost
 * when nothing is left and nothing is in flight. */
static void attempt_failed(sdiag_conn_t *c, sdiag_racer_t *r, sdiag_category_t cat, int e)
{
	sdiag_attempt_t *a = &c->attempts[r->attempt];
	char buf[128];
	a->result = cat;
	a->sys_errno = e;
	a->ms = sdiag_now_ms() - r->start;
	sdiag_transcript_addf(&c->transcript, SDIAG_DIR_INFO, 0, "connection to %s port %u failed: %s", a->addr, (unsigned)c->cfg->port,
		cat == SDIAG_CAT_CONNECTION_TIMEOUT ? "timed out" : sdiag_strerror(e, buf, sizeof(buf)));
	racer_close(c, r);
	if (c->addr_idx < c->addrs.n) {
		start_attempt(c);
	} else if (c->inflight == 0) {
		sdiag_loop_timer_clear(c->loop, &c->stagger);
		all_attempts_failed(c);
	}
}

static void start_attempt(sdiag_conn_t *c)
{
	const sdiag_addr_t *a;
	sdiag_attempt_t *at;
	sdiag_racer_t *r;
	int rc;
	if (c->addr_idx >= c->addrs.n || c->state != SDIAG_CONN_CONNECTING) {
		return;
	}
	a = &c->addrs.addrs[c->addr_idx];
	r = &c->racers[c->nattempts];
	at = &c->attempts[c->nattempts];
	memset(at, 0, sizeof(*at));
	memset(r, 0, sizeof(*r));
	r->c = c;
	r->attempt = c->nattempts++;
	r->addr = c->addr_idx++;
	r->start = sdiag_now_ms();
	r->fd = SDIAG_BAD_SOCKET;
	sdiag_strlcpy(at->addr, a->text, sizeof(at->addr));
	at->family = a->family;
	sdiag_transcript_addf(&c->transcript, SDIAG_DIR_INFO, 0, "trying %s port %u", a->text, (unsigned)c->cfg->port);
	r->fd = socket(a->family, SOCK_STREAM, IPPROTO_TCP);
	if (r->fd == SDIAG_BAD_SOCKET) {
		attempt_failed(c, r, SDIAG_CAT_CONNECTION_REFUSED, sdiag_sock_errno());
		return;
	}
	c->inflight++;
	if (sdiag_socket_nonblock(r->fd) < 0) {
		attempt_failed(c, r, SDIAG_CAT_CONNECTION_REFUSED, sdiag_sock_errno());
		return;
	}
	sdiag_socket_nodelay(r->fd);
#ifdef SO_NOSIGPIPE
	{
		int on = 1;
		setsockopt(r->fd, SOL_SOCKET, SO_NOSIGPIPE, &on, sizeof(on));
	}
#endif
	rc = connect(r->fd, (const struct sockaddr *)&a->sa, (socklen_t)a->salen);
	if (rc != 0 && sdiag_sock_errno() != SDIAG_EINPROGRESS
#ifdef _WIN32
		&& sdiag_sock_errno() != WSAEINPROGRESS
#endif
	) {
		attempt_failed(c, r, SDIAG_CAT_CONNECTION_REFUSED, sdiag_sock_errno());
		return;
	}
	if (sdiag_loop_watch(c->loop, r->fd, SDIAG_POLLOUT, racer_io, r) < 0) {
		attempt_failed(c, r, SDIAG_CAT_OTHER, 0);
		return;
	}
	sdiag_loop_timer_set(c->loop, &r->timer, min2(r->start + c->cfg->connect_timeout_ms, c->op_deadline), racer_timeout, r);
	if (c->addr_idx < c->addrs.n) {
		sdiag_loop_timer_set(c->loop, &c->stagger, r->start + SDIAG_ATTEMPT_DELAY_MS, stagger_fired, c);
	}
}

static void stagger_fired(void *ud)
{
	start_attempt((sdiag_conn_t *)ud);
}

static void racer_timeout(void *ud)
{
	sdiag_racer_t *r = ud;
	attempt_failed(r->c, r, SDIAG_CAT_CONNECTION_TIMEOUT, 0);
}

static void racer_io(void *ud, sdiag_socket_t fd, short revents)
{
	sdiag_racer_t *r = ud;
	sdiag_conn_t *c = r->c;
	int e = 0;
	socklen_t l = sizeof(e);
	(void)fd;
	(void)revents;
	if (getsockopt(r->fd, SOL_SOCKET, SO_ERROR, (char *)&e, &l) < 0) {
		e = sdiag_sock_errno();
	}
	if (e) {
		attempt_failed(c, r, SDIAG_CAT_CONNECTION_REFUSED, e);
		return;
	}
	/* the winner: its socket becomes the session's, the others are closed */
	race_stop(c, r);
	sdiag_loop_watch(c->loop, r->fd, 0, NULL, NULL);
	sdiag_loop_timer_clear(c->loop, &r->timer);
	c->fd = r->fd;
	r->fd = SDIAG_BAD_SOCKET;
	c->inflight--;
	c->attempts[r->attempt].ms = sdiag_now_ms() - r->start;
	c->t_connect = r->start;
	connected(c, r->attempt);
}

static void connect_start(sdiag_conn_t *c)
{
	race_order(&c->addrs);
	c->addr_idx = 0;
	c->inflight = 0;
	c->state = SDIAG_CONN_CONNECTING;
	c->t_connect = sdiag_now_ms();
	c->phase_deadline = 0; /* each attempt has its own connect_timeout */
	arm(c);
	start_attempt(c);
}

/* ---- TLS ---- */

static void start_tls(sdiag_conn_t *c, sdiag_phase_t phase, const char *how)
{
	if (sdiag_tls_setup(&c->tls, c->cfg, c->fd, 0, &c->err) != SDIAG_OK) {
		c->err.phase = phase;
		fail(c);
		return;
	}
	c->state = SDIAG_CONN_HANDSHAKE;
	c->t_tls = sdiag_now_ms();
	c->phase_deadline = c->t_tls + c->cfg->command_timeout_ms;
	info(c, "starting TLS (%s)", how, "");
	arm(c);
	on_io(c, c->fd, SDIAG_POLLOUT);
}

static void handshake(sdiag_conn_t *c)
{
	short want = 0;
	sdiag_status_t st = sdiag_tls_handshake(&c->tls, c->cfg, &c->tls_info, &want, &c->err);
	if (st == SDIAG_AGAIN) {
		watch(c, want);
		return;
	}
	c->t_tls_done = sdiag_now_ms();
	if (c->tls_info.done) {
		sdiag_transcript_addf(&c->transcript, SDIAG_DIR_INFO, 1, "TLS established: %s, %s; certificate: %s (%s)", c->tls_info.protocol, c->tls_info.cipher,
			c->tls_info.nchain ? c->tls_info.chain[0].subject : "none", c->tls_info.verified ? "verified" : c->tls_info.verify_reason);
	}
	if (st != SDIAG_OK) {
		fail(c);
		return;
	}
	c->tls_on = 1;
	c->tp.ops = &sdiag_transport_tls;
	c->tp.impl = &c->tls;
	c->state = SDIAG_CONN_SESSION;
	if (c->smtp.state == SDIAG_SMTP_TLS_HANDSHAKE) {
		sdiag_smtp_tls_ready(&c->smtp);
	} else {
		sdiag_smtp_start(&c->smtp, 1);
	}
	arm(c);
	pump(c);
}

static void probe_result(sdiag_conn_t *c, int spoke_tls)
{
	char target[300];
	c->probe_tls = spoke_tls;
	sdiag_tls_close(&c->tls);
	sdiag_config_target(c->cfg, target, sizeof(target));
	if (spoke_tls) {
		sdiag_error_set(&c->err, SDIAG_CAT_TIMEOUT, SDIAG_PHASE_BANNER, "no SMTP greeting from %s, but the port answered a TLS handshake: it speaks TLS from the first byte (implicit TLS)", target);
		c->err.transient = 0; /* a configuration mismatch: retrying will not help */
		sdiag_error_hint(&c->err, "This port expects implicit TLS: use encryption \"implicit\" (smtps://%s), or port 587 with STARTTLS.", target);
	} else {
		sdiag_error_set(&c->err, SDIAG_CAT_TIMEOUT, SDIAG_PHASE_BANNER, "no SMTP greeting from %s within the timeout", target);
		sdiag_error_hint(&c->err, "%s", "The port accepts connections but says nothing: the server may be overloaded or tarpitting, or the port belongs to another service. Check the port and the server's logs.");
	}
	info(c, "%s", spoke_tls ? "probe: the port answered a TLS ClientHello" : "probe: the port did not answer a TLS ClientHello either", "");
	fail(c);
}

static void probe(sdiag_conn_t *c)
{
	short want = 0;
	sdiag_error_t scratch;
	sdiag_status_t st = sdiag_tls_handshake(&c->tls, c->cfg, &c->tls_info, &want, &scratch);
	if (st == SDIAG_AGAIN && !sdiag_tls_peer_spoke_tls(&c->tls)) {
		watch(c, want);
		return;
	}
	probe_result(c, sdiag_tls_peer_spoke_tls(&c->tls));
}

static void start_probe(sdiag_conn_t *c)
{
	sdiag_error_t scratch;
	info(c, "%s", "no greeting: probing whether the port speaks TLS from the first byte", "");
	sdiag_loop_watch(c->loop, c->fd, 0, NULL, NULL);
	if (sdiag_tls_setup(&c->tls, c->cfg, c->fd, 1, &scratch) != SDIAG_OK) {
		probe_result(c, 0);
		return;
	}
	c->state = SDIAG_CONN_PROBE;
	c->phase_deadline = min2(c->op_deadline, sdiag_now_ms() + min2(SDIAG_PROBE_BUDGET_MS, c->cfg->timeout_ms / 5));
	arm(c);
	probe(c);
}

/* ---- the SMTP session ---- */

/* Write what the engine queued, refilling the message body as the socket
 * drains. 0: all written; 1: the socket is full; -1: error (c->err). */
static int flush_out(sdiag_conn_t *c)
{
	for (;;) {
		short want = 0;
		long n;
		if (c->smtp.out.len < SDIAG_BODY_CHUNK && sdiag_smtp_wants_fill(&c->smtp)) {
			sdiag_smtp_fill(&c->smtp);
		}
		if (!c->smtp.out.len) {
			return 0;
		}
		n = c->tp.ops->send(&c->tp, c->smtp.out.data, c->smtp.out.len, &want, &c->err);
		if (n > 0) {
			sdiag_buf_consume(&c->smtp.out, (size_t)n);
			if (c->smtp.state == SDIAG_SMTP_TXN) {
				/* the data phase times out on a stalled write, not on a long message;
				 * once the dot is out, the wait for the final reply starts */
				c->phase_deadline = sdiag_now_ms() + reply_timeout(c);
				arm(c);
			}
			continue;
		}
		if (n == SDIAG_IO_AGAIN) {
			c->io_want = want;
			return 1;
		}
		c->err.phase = sdiag_smtp_phase(&c->smtp);
		return -1;
	}
}

/* React to the engine's state after it consumed a reply. 1: keep pumping. */
static int after_feed(sdiag_conn_t *c)
{
	switch (c->smtp.state) {
		case SDIAG_SMTP_TLS_HANDSHAKE:
			start_tls(c, SDIAG_PHASE_STARTTLS, "STARTTLS");
			return 0;
		case SDIAG_SMTP_CLOSED:
			sdiag_conn_close(c);
			finish(c);
			return 0;
		case SDIAG_SMTP_FAILED:
			fail(c);
			return 0;
		case SDIAG_SMTP_TXN:
		case SDIAG_SMTP_AUTH:
			c->phase_deadline = sdiag_now_ms() + reply_timeout(c);
			return 1;
		default:
			return 1;
	}
}

static void pump(sdiag_conn_t *c)
{
	char buf[16384];
	int fl;
	for (;;) {
		short want = 0;
		long n;
		fl = flush_out(c);
		if (fl < 0) {
			fail(c);
			return;
		}
		if (!sdiag_smtp_waiting(&c->smtp)) {
			break;
		}
		n = c->tp.ops->recv(&c->tp, buf, sizeof(buf), &want, &c->err);
		if (n > 0) {
			sdiag_smtp_feed(&c->smtp, buf, (size_t)n);
			if (!after_feed(c)) {
				return;
			}
			arm(c);
			continue;
		}
		if (n == 0) {
			sdiag_smtp_eof(&c->smtp);
			if (c->smtp.state == SDIAG_SMTP_CLOSED) {
				sdiag_conn_close(c);
				finish(c);
			} else {
				fail(c);
			}
			return;
		}
		if (n == SDIAG_IO_AGAIN) {
			c->io_want = want;
			break;
		}
		c->err.phase = sdiag_smtp_phase(&c->smtp);
		fail(c);
		return;
	}
	if (c->smtp.state == SDIAG_SMTP_READY && c->smtp.out.len == 0) {
		finish(c);
		return;
	}
	watch(c, (short)(SDIAG_POLLIN | ((fl > 0 || c->tls_on) ? c->io_want : 0) | (c->smtp.out.len ? SDIAG_POLLOUT : 0)));
}

static void on_io(void *ud, sdiag_socket_t fd, short revents)
{
	sdiag_conn_t *c = ud;
	(void)fd;
	(void)revents;
	switch (c->state) {
		case SDIAG_CONN_HANDSHAKE:
			handshake(c);
			break;
		case SDIAG_CONN_PROBE:
			probe(c);
			break;
		case SDIAG_CONN_SESSION:
			pump(c);
			break;
		default:
			break;
	}
}

static void on_timer(void *ud)
{
	sdiag_conn_t *c = ud;
	double now = sdiag_now_ms();
	int overall = now >= c->op_deadline;
	char target[300];
	sdiag_config_target(c->cfg, target, sizeof(target));
	switch (c->state) {
		case SDIAG_CONN_RESOLVING:
			c->state = SDIAG_CONN_DONE; /* a late answer is ignored */
			sdiag_error_set(&c->err, SDIAG_CAT_DNS_ERROR, SDIAG_PHASE_DNS, "resolving %s timed out", c->cfg->host);
			c->err.transient = 1;
			sdiag_error_hint(&c->err, "%s", "The DNS servers did not answer in time: check this machine's resolver configuration (or the dns_servers option).");
			fail(c);
			return;
		case SDIAG_CONN_CONNECTING: {
			/* the overall deadline: every attempt still in flight timed out */
			size_t i;
			for (i = 0; i < c->nattempts; i++) {
				if (c->racers[i].fd != SDIAG_BAD_SOCKET) {
					c->attempts[i].result = SDIAG_CAT_CONNECTION_TIMEOUT;
					c->attempts[i].ms = now - c->racers[i].start;
				}
			}
			race_stop(c, NULL);
			all_attempts_failed(c);
			return;
		}
		case SDIAG_CONN_HANDSHAKE:
			sdiag_error_set(&c->err, SDIAG_CAT_TIMEOUT, SDIAG_PHASE_TLS, "the TLS handshake with %s timed out", target);
			sdiag_error_hint(&c->err, "%s", "The server did not complete the TLS handshake in time: check that this port speaks TLS in the mode configured, and that no middlebox interferes.");
			fail(c);
			return;
		case SDIAG_CONN_PROBE:
			probe_result(c, sdiag_tls_peer_spoke_tls(&c->tls));
			return;
		case SDIAG_CONN_SESSION:
			if (c->smtp.state == SDIAG_SMTP_BANNER && c->cfg->encryption != SDIAG_ENC_IMPLICIT && c->smtp.parser.line.len == 0 && !c->smtp.parser.in_reply) {
				start_probe(c);
				return;
			}
			if (c->smtp.state == SDIAG_SMTP_QUIT) {
				/* the server did not answer QUIT: close anyway */
				info(c, "%s", "no answer to QUIT: closing", "");
				sdiag_smtp_set_state(&c->smtp, SDIAG_SMTP_CLOSED);
				sdiag_conn_close(c);
				finish(c);
				return;
			}
			if (overall) {
				sdiag_error_set(&c->err, SDIAG_CAT_TIMEOUT, sdiag_smtp_phase(&c->smtp), "the overall timeout of %.1f s expired waiting for %s (%s phase)",
					c->cfg->timeout_ms / 1000.0, awaited(c), sdiag_phase_name(sdiag_smtp_phase(&c->smtp)));
			} else {
				/* the greeting's wait may have been shortened to leave time for the TLS probe */
				double waited = c->smtp.state == SDIAG_SMTP_BANNER ? now - c->smtp.entered[SDIAG_SMTP_BANNER] : reply_timeout(c);
				sdiag_error_set(&c->err, SDIAG_CAT_TIMEOUT, sdiag_smtp_phase(&c->smtp), "timed out after %.1f s waiting for %s (%s phase)",
					waited / 1000.0, awaited(c), sdiag_phase_name(sdiag_smtp_phase(&c->smtp)));
			}
			if (c->smtp.parser.line.len || c->smtp.parser.in_reply) {
				sdiag_error_hint(&c->err, "%s", "The server sent part of a reply and stopped: it may be overloaded or deliberately slow (tarpitting).");
			}
			fail(c);
			return;
		default:
			finish(c);
			return;
	}
}

void sdiag_conn_send(sdiag_conn_t *c, sdiag_txn_t **txns, size_t n)
{
	double now = sdiag_now_ms();
	sdiag_error_clear(&c->err);
	if (!sdiag_conn_ready(c)) {
		sdiag_error_set(&c->err, SDIAG_CAT_CONNECTION_LOST, SDIAG_PHASE_MAIL, "not connected");
		return;
	}
	c->busy = 1;
	/* every message of a batch gets the overall budget; each reply its read timeout */
	c->op_deadline = now + c->cfg->timeout_ms * (double)(n ? n : 1);
	sdiag_smtp_send(&c->smtp, txns, n);
	arm(c);
	pump(c);
}

void sdiag_conn_noop(sdiag_conn_t *c)
{
	sdiag_error_clear(&c->err);
	if (!sdiag_conn_ready(c)) {
		return;
	}
	c->busy = 1;
	c->op_deadline = sdiag_now_ms() + c->cfg->timeout_ms;
	sdiag_smtp_noop(&c->smtp);
	arm(c);
	pump(c);
}

int sdiag_conn_alive(sdiag_conn_t *c)
{
	sdiag_pollfd_t p;
	if (!sdiag_conn_ready(c)) {
		return 0;
	}
	p.fd = c->fd;
	p.events = POLLIN;
	p.revents = 0;
	if (sdiag_poll(&p, 1, 0) > 0) {
		/* the server spoke while idle: a 421 before closing, or the close itself
		 * (a TLS 1.3 session ticket is read and ignored by OpenSSL) */
		char buf[4096];
		short want = 0;
		sdiag_error_t scratch;
		long n = c->tp.ops->recv(&c->tp, buf, sizeof(buf), &want, &scratch);
		if (n == SDIAG_IO_AGAIN) {
			return 1;
		}
		if (n > 0) {
			sdiag_smtp_feed(&c->smtp, buf, (size_t)n);
		} else {
			sdiag_transcript_addf(&c->transcript, SDIAG_DIR_INFO, c->tls_on, "%s", "the server closed the idle connection");
		}
		sdiag_conn_close(c);
		return 0;
	}
	return 1;
}

void sdiag_conn_quit(sdiag_conn_t *c)
{
	if (!sdiag_conn_ready(c)) {
		sdiag_conn_close(c);
		return;
	}
	c->busy = 1;
	c->op_deadline = sdiag_now_ms() + min2(c->cfg->timeout_ms, SDIAG_QUIT_TIMEOUT_MS);
	sdiag_smtp_quit(&c->smtp);
	arm(c);
	pump(c);
}

static int not_busy(void *ud)
{
	return !((sdiag_conn_t *)ud)->busy;
}

sdiag_status_t sdiag_conn_wait(sdiag_conn_t *c)
{
	if (sdiag_loop_run(c->loop, not_busy, c) < 0 && c->busy) {
		sdiag_error_set(&c->err, SDIAG_CAT_OTHER, SDIAG_PHASE_NONE, "internal error: the event loop ran dry");
		fail(c);
	}
	return c->err.category == SDIAG_CAT_NONE ? SDIAG_OK : SDIAG_ERR;
}
