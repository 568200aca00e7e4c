/* smtpdiag core: c-ares in the event loop. */
#include "resolver.h"

#include <ares.h>
#include <stdio.h>
#include <string.h>

typedef struct {
	sdiag_resolver_t *r;
	sdiag_resolve_cb cb;
	void *ud;
	char host[256];
} addr_query_t;


static void on_timer(void *ud)
{
	sdiag_resolver_t *r = ud;
	ares_process_fd((ares_channel)r->channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
	sdiag_resolver_rearm(r);
}

void sdiag_resolver_rearm(sdiag_resolver_t *r)
{
	struct timeval tv, *tvp;
	if (!r->channel || !r->pending) {
		sdiag_loop_timer_clear(r->loop, &r->timer);
		return;
	}
	tvp = ares_timeout((ares_channel)r->channel, NULL, &tv);
	if (!tvp) {
		sdiag_loop_timer_clear(r->loop, &r->timer);
		return;
	}
	sdiag_loop_timer_set(r->loop, &r->timer, sdiag_now_ms() + (double)tvp->tv_sec * 1000.0 + (double)tvp->tv_usec / 1000.0, on_timer, r);
}

static void on_io(void *ud, sdiag_socket_t fd, short revents)
{
	sdiag_resolver_t *r = ud;
	ares_process_fd((ares_channel)r->channel, (revents & SDIAG_POLLIN) ? (ares_socket_t)fd : ARES_SOCKET_BAD,
		(revents & SDIAG_POLLOUT) ? (ares_socket_t)fd : ARES_SOCKET_BAD);
	sdiag_resolver_rearm(r);
}

static void sock_state(void *data, ares_socket_t fd, int readable, int writable)
{
	sdiag_resolver_t *r = data;
	sdiag_loop_watch(r->loop, (sdiag_socket_t)fd, (short)((readable ? SDIAG_POLLIN : 0) | (writable ? SDIAG_POLLOUT : 0)), on_io, r);
}

sdiag_status_t sdiag_resolver_init(sdiag_resolver_t *r, sdiag_loop_t *loop, const char *servers, double timeout_ms, sdiag_error_t *err)
{
	struct ares_options opts;
	ares_channel ch;
	int rc, mask = ARES_OPT_SOCK_STATE_CB | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES;
	memset(r, 0, sizeof(*r));
	memset(&opts, 0, sizeof(opts));
	r->loop = loop;
	opts.sock_state_cb = sock_state;
	opts.sock_state_cb_data = r;
	/* A first try gets a quarter of the budget (at most 2 s) and c-ares
	 * doubles it for the second, so both fit in the operation's deadline
	 * and a silent server is reported as a DNS timeout; c-ares moves to the
	 * next server on timeout. */
	opts.timeout = (int)(timeout_ms / 4 > 2000 ? 2000 : (timeout_ms / 4 < 100 ? 100 : timeout_ms / 4));
	opts.tries = 2;
#if ARES_VERSION < 0x011400
	/* Before 1.20, c-ares ended a query whose every try drew SERVFAIL,
	 * REFUSED or NOTIMP with ARES_ECONNREFUSED, the rcode lost: take such
	 * an answer as it comes so that dns.c tells them apart (the cost: no
	 * other server is tried after one of them) */
	opts.flags = ARES_FLAG_NOCHECKRESP;
	mask |= ARES_OPT_FLAGS;
#endif
	rc = ares_init_options(&ch, &opts, mask);
	if (rc != ARES_SUCCESS) {
		return sdiag_error_set(err, SDIAG_CAT_DNS_ERROR, SDIAG_PHASE_DNS, "cannot initialise the DNS resolver: %s", ares_strerror(rc));
	}
	if (servers && *servers) {
		rc = ares_set_servers_ports_csv(ch, servers);
		if (rc != ARES_SUCCESS) {
			ares_destroy(ch);
			sdiag_error_set(err, SDIAG_CAT_CONFIG_INVALID, SDIAG_PHASE_CONFIG, "dns_servers \"%s\" is not a list of addresses like \"192.0.2.53, [2001:db8::53]:5353\": %s", servers, ares_strerror(rc));
			return SDIAG_ERR;
		}
	}
	r->channel = ch;
	return SDIAG_OK;
}

void sdiag_resolver_free(sdiag_resolver_t *r)
{
	if (r->channel) {
		ares_channel ch = (ares_channel)r->channel;
		/* ares_destroy() runs the pending callbacks with ARES_EDESTRUCTION;
		 * a query one of them starts must fail at once, not join the
		 * channel being destroyed */
		r->channel = NULL;
		ares_destroy(ch);
	}
	if (r->loop) {
		sdiag_loop_timer_clear(r->loop, &r->timer);
	}
}

static sdiag_category_t category_of(int status)
{
	return status == ARES_ENOMEM ? SDIAG_CAT_OTHER : SDIAG_CAT_DNS_ERROR;
}

static void on_addrinfo(void *arg, int status, int timeouts, struct ares_addrinfo *res)
{
	addr_query_t *q = arg;
	sdiag_addr_list_t list;
	sdiag_error_t err;
	struct ares_addrinfo_node *n;
	(void)timeouts;
	q->r->pending--;
	memset(&list, 0, sizeof(list));
	sdiag_error_clear(&err);
	if (status == ARES_SUCCESS && res) {
		for (n = res->nodes; n && list.n < SDIAG_ADDRS_MAX; n = n->ai_next) {
			sdiag_addr_t *a = &list.addrs[list.n];
			if ((n->ai_family != AF_INET && n->ai_family != AF_INET6) || n->ai_addrlen > sizeof(a->sa)) {
				continue;
			}
			memcpy(&a->sa, n->ai_addr, n->ai_addrlen);
			a->salen = (int)n->ai_addrlen;
			a->family = n->ai_family;
			sdiag_sockaddr_str(n->ai_addr, a->text, sizeof(a->text), NULL);
			list.n++;
		}
	}
	if (res) {
		ares_freeaddrinfo(res);
	}
	if (status == ARES_SUCCESS && list.n == 0) {
		status = ARES_ENODATA;
	}
	if (status != ARES_SUCCESS) {
		const char *why = status == ARES_ENOTFOUND ? "the name does not exist (NXDOMAIN)"
			: status == ARES_ENODATA ? "the name has no A or AAAA record"
			: status == ARES_ETIMEOUT ? "the DNS servers did not answer in time"
			: status == ARES_ESERVFAIL ? "the DNS server failed (SERVFAIL)"
			: status == ARES_ECONNREFUSED ? "the DNS servers refused the connection"
			: status == ARES_EDESTRUCTION || status == ARES_ECANCELLED ? "the look-up was cancelled"
			: ares_strerror(status);
		sdiag_error_set(&err, category_of(status), SDIAG_PHASE_DNS, "cannot resolve %s: %s", q->host, why);
		err.transient = status != ARES_ENOTFOUND && status != ARES_ENODATA;
		if (status == ARES_ENOTFOUND || status == ARES_ENODATA) {
			sdiag_error_hint(&err, "The host name \"%s\" does not resolve: check it for typos (the provider's SMTP host is often smtp.<domain> or mail.<domain>).", q->host);
		}
		q->cb(q->ud, SDIAG_ERR, NULL, &err);
	} else {
		q->cb(q->ud, SDIAG_OK, &list, NULL);
	}
	sdiag_free(q);
}

/* An IP literal needs no look-up: c-ares 1.18 would still ask the DNS
 * servers for "127.0.0.1" first. */
static int literal(const char *host, uint16_t port, int family, sdiag_addr_list_t *list)
{
	sdiag_addr_t *a = &list->addrs[0];
	memset(list, 0, sizeof(*list));
	if (family != 6) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&a->sa;
		if (inet_pton(AF_INET, host, &s4->sin_addr) == 1) {
			s4->sin_family = AF_INET;
			s4->sin_port = htons(port);
			a->salen = (int)sizeof(*s4);
			a->family = AF_INET;
		}
	}
	if (!a->family && family != 4) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&a->sa;
		if (inet_pton(AF_INET6, host, &s6->sin6_addr) == 1) {
			s6->sin6_family = AF_INET6;
			s6->sin6_port = htons(port);
			a->salen = (int)sizeof(*s6);
			a->family = AF_INET6;
		}
	}
	if (!a->family) {
		return 0;
	}
	sdiag_sockaddr_str((const struct sockaddr *)&a->sa, a->text, sizeof(a->text), NULL);
	list->n = 1;
	return 1;
}

void sdiag_resolver_addrs(sdiag_resolver_t *r, const char *host, uint16_t port, int family, sdiag_resolve_cb cb, void *ud)
{
	struct ares_addrinfo_hints hints;
	char service[8];
	sdiag_addr_list_t lit;
	addr_query_t *q;
	if (literal(host, port, family, &lit)) {
		cb(ud, SDIAG_OK, &lit, NULL);
		return;
	}
	q = sdiag_calloc(1, sizeof(*q));
	if (!q) {
		sdiag_error_t err;
		sdiag_error_clear(&err);
		sdiag_error_set(&err, SDIAG_CAT_OTHER, SDIAG_PHASE_DNS, "out of memory");
		cb(ud, SDIAG_ERR, NULL, &err);
		return;
	}
	q->r = r;
	q->cb = cb;
	q->ud = ud;
	snprintf(q->host, sizeof(q->host), "%s", host);
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = family == 4 ? AF_INET : family == 6 ? AF_INET6 : AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = ARES_AI_NUMERICSERV;
	snprintf(service, sizeof(service), "%u", (unsigned)port);
	r->pending++;
	ares_getaddrinfo((ares_channel)r->channel, host, service, &hints, on_addrinfo, q);
	sdiag_resolver_rearm(r);
}

/* c-ares 1.28 deprecated ares_send() for ares_send_dnsrec(), which takes
 * and gives parsed records: the query is parsed by c-ares and its answer
 * written back to bytes for dnsmsg.c, so both paths give dns.c the same. */
typedef struct {
	sdiag_resolver_t *r;
	sdiag_resolver_answer_cb cb;
	void *ud;
} send_t;

static void send_done(send_t *s, int status, const unsigned char *abuf, size_t alen)
{
	s->r->pending--;
	s->cb(s->ud, status, abuf, alen);
	sdiag_free(s);
}

#if ARES_VERSION >= 0x011c00
static void on_send(void *arg, ares_status_t status, size_t timeouts, const ares_dns_record_t *dnsrec)
{
	unsigned char *abuf = NULL;
	size_t alen = 0;
	(void)timeouts;
	if (dnsrec) {
		ares_status_t ws = ares_dns_write(dnsrec, &abuf, &alen);
		if (ws != ARES_SUCCESS) {
			status = ws;
			abuf = NULL;
			alen = 0;
		}
	}
	send_done(arg, (int)status, abuf, alen);
	if (abuf) {
		ares_free_string(abuf);
	}
}
#else
static void on_send(void *arg, int status, int timeouts, unsigned char *abuf, int alen)
{
	(void)timeouts;
	send_done(arg, status, abuf, abuf && alen > 0 ? (size_t)alen : 0);
}
#endif

void sdiag_resolver_send(sdiag_resolver_t *r, const unsigned char *qbuf, size_t qlen, sdiag_resolver_answer_cb cb, void *ud)
{
	send_t *s;
	if (!r->channel) {
		cb(ud, ARES_EDESTRUCTION, NULL, 0);
		return;
	}
	if (!(s = sdiag_calloc(1, sizeof(*s)))) {
		cb(ud, ARES_ENOMEM, NULL, 0);
		return;
	}
	s->r = r;
	s->cb = cb;
	s->ud = ud;
	/* counted first: c-ares may call back before returning */
	r->pending++;
#if ARES_VERSION >= 0x011c00
	{
		ares_dns_record_t *rec = NULL;
		ares_status_t st = ares_dns_parse(qbuf, qlen, 0, &rec);
		if (st != ARES_SUCCESS) {
			send_done(s, (int)st, NULL, 0);
			return;
		}
		/* calls on_send itself on failure; the record is copied */
		ares_send_dnsrec((ares_channel)r->channel, rec, on_send, s, NULL);
		ares_dns_record_destroy(rec);
	}
#else
	ares_send((ares_channel)r->channel, qbuf, (int)qlen, on_send, s);
#endif
	sdiag_resolver_rearm(r);
}

int sdiag_resolver_library_init(void)
{
	return ares_library_init(ARES_LIB_INIT_ALL) == ARES_SUCCESS ? 0 : -1;
}

void sdiag_resolver_library_cleanup(void)
{
	ares_library_cleanup();
}

const char *sdiag_resolver_version(void)
{
	return ares_version(NULL);
}

const char *sdiag_resolver_compiled_version(void)
{
	return ARES_VERSION_STR;
}
