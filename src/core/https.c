/* smtpdiag core: an HTTPS GET on the event loop (see https.h). */
#include "https.h"
#include "transport.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define SDIAG_HTTPS_ADDRS 16
#define SDIAG_HTTPS_READ 16384        /* one read from the TLS session */
#define SDIAG_HTTPS_LINE_MAX 1024     /* a chunk-size or trailer line */
#define SDIAG_HTTPS_REQ_MAX 2048

typedef enum https_phase {
	PH_DNS = 0,
	PH_CONNECT,
	PH_TLS,
	PH_SEND,
	PH_HEAD,
	PH_BODY,
	PH_DONE
} https_phase_t;

/* How the body is delimited, and where the chunked decoder is. */
typedef enum body_mode {
	BODY_LENGTH = 0,   /* Content-Length */
	BODY_EOF,          /* until the server closes */
	BODY_CHUNK_SIZE,   /* expecting a chunk-size line */
	BODY_CHUNK_DATA,
	BODY_CHUNK_END,    /* the CRLF after a chunk's data */
	BODY_TRAILER       /* trailer lines up to the empty one */
} body_mode_t;

struct sdiag_https {
	int refs;                 /* the owner, plus each DNS answer still due */
	int cancelled;            /* the owner let go: absorb what still arrives */
	int starting;             /* inside sdiag_https_get(): defer the callback */
	int notified;
	sdiag_loop_t *loop;
	sdiag_dns_ops_t ops;
	sdiag_https_cb cb;
	void *ud;
	sdiag_config_t cfg;       /* host, verification on, the caller's CA files */
	uint16_t port;
	size_t max_body;
	char *content_type;       /* required media type, or NULL */
	double t0, deadline;
	sdiag_timer_t timer;      /* the overall deadline */
	sdiag_timer_t conn_timer; /* one address's share of it */
	sdiag_timer_t notify;     /* delivers a result reached inside sdiag_https_get() */
	https_phase_t phase;
	/* addresses: AAAA and A answers, interleaved when both are in */
	int dns_due;
	sdiag_addr_t v6[SDIAG_HTTPS_ADDRS], v4[SDIAG_HTTPS_ADDRS];
	size_t n6, n4;
	sdiag_dns_status_t st6, st4;
	char why6[256], why4[256];
	sdiag_addr_t addrs[2 * SDIAG_HTTPS_ADDRS];
	size_t naddrs, next;
	char connect_errs[384];
	sdiag_socket_t fd;
	sdiag_tls_t tls;
	sdiag_transport_t tr;
	char req[SDIAG_HTTPS_REQ_MAX];
	size_t req_len, req_off;
	char *raw;                /* received, not yet parsed */
	size_t raw_len, raw_cap;
	body_mode_t mode;
	unsigned long long remain; /* of the Content-Length or of the current chunk */
	size_t body_cap;
	sdiag_https_result_t res;
};

const char *sdiag_https_error_name(sdiag_https_error_t e)
{
	switch (e) {
		case SDIAG_HTTPS_OK: return "ok";
		case SDIAG_HTTPS_E_DNS: return "dns";
		case SDIAG_HTTPS_E_CONNECT: return "connect";
		case SDIAG_HTTPS_E_TIMEOUT: return "timeout";
		case SDIAG_HTTPS_E_TLS: return "tls";
		case SDIAG_HTTPS_E_CERT: return "certificate";
		case SDIAG_HTTPS_E_PROTOCOL: return "protocol";
		case SDIAG_HTTPS_E_REDIRECT: return "redirect";
		case SDIAG_HTTPS_E_STATUS: return "status";
		case SDIAG_HTTPS_E_TOO_LARGE: return "too_large";
		case SDIAG_HTTPS_E_TYPE: return "content_type";
		default: return "local";
	}
}

static void destroy(sdiag_https_t *h)
{
	sdiag_config_free(&h->cfg);
	sdiag_free(h->content_type);
	sdiag_free(h->raw);
	sdiag_free(h->res.body);
	sdiag_free(h);
}

/* Close the socket and stop every timer; the result stays. */
static void teardown(sdiag_https_t *h)
{
	if (h->tls.ssl) {
		sdiag_tls_close(&h->tls);
	}
	if (h->fd != SDIAG_BAD_SOCKET) {
		sdiag_loop_watch(h->loop, h->fd, 0, NULL, NULL);
		sdiag_closesocket(h->fd);
		h->fd = SDIAG_BAD_SOCKET;
	}
	sdiag_loop_timer_clear(h->loop, &h->timer);
	sdiag_loop_timer_clear(h->loop, &h->conn_timer);
}

static void notify_cb(void *ud)
{
	sdiag_https_t *h = ud;
	if (!h->notified && !h->cancelled) {
		h->notified = 1;
		h->cb(h->ud, &h->res);
	}
}

static void finish(sdiag_https_t *h, sdiag_https_error_t e, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

static void finish(sdiag_https_t *h, sdiag_https_error_t e, const char *fmt, ...)
{
	if (h->phase == PH_DONE) {
		return;
	}
	h->phase = PH_DONE;
	h->res.error = e;
	if (fmt) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(h->res.why, sizeof(h->res.why), fmt, ap);
		va_end(ap);
	}
	h->res.ms = sdiag_now_ms() - h->t0;
	teardown(h);
	if (h->starting) {
		sdiag_loop_timer_set(h->loop, &h->notify, sdiag_now_ms(), notify_cb, h);
		return;
	}
	notify_cb(h); /* last: the callback may free h */
}

static void host_port(const sdiag_https_t *h, const char *addr, char *out, size_t len)
{
	snprintf(out, len, strchr(addr, ':') ? "[%s]:%u" : "%s:%u", addr, (unsigned)h->port);
}

/* ---- response parsing ---- */

static int body_append(sdiag_https_t *h, const char *p, size_t n)
{
	if (h->res.body_len + n > h->max_body) {
		finish(h, SDIAG_HTTPS_E_TOO_LARGE, "the body of %s is larger than %zu bytes", h->res.url, h->max_body);
		return -1;
	}
	if (h->res.body_len + n + 1 > h->body_cap) {
		size_t cap = h->body_cap ? h->body_cap : 4096;
		char *nb;
		while (cap < h->res.body_len + n + 1) {
			cap *= 2;
		}
		if (cap > h->max_body + 1) {
			cap = h->max_body + 1;
		}
		nb = sdiag_realloc(h->res.body, cap);
		if (!nb) {
			finish(h, SDIAG_HTTPS_E_LOCAL, "out of memory reading the body of %s", h->res.url);
			return -1;
		}
		h->res.body = nb;
		h->body_cap = cap;
	}
	memcpy(h->res.body + h->res.body_len, p, n);
	h->res.body_len += n;
	h->res.body[h->res.body_len] = '\0';
	return 0;
}

static void consume(sdiag_https_t *h, size_t n)
{
	memmove(h->raw, h->raw + n, h->raw_len - n);
	h->raw_len -= n;
}

/* A line in raw ending with LF (CR before it dropped): its length, and the
 * bytes to consume in *used; 0 with *used 0 when incomplete. */
static size_t take_line(const sdiag_https_t *h, size_t *used)
{
	const char *lf = memchr(h->raw, '\n', h->raw_len);
	size_t n;
	*used = 0;
	if (!lf) {
		return 0;
	}
	n = (size_t)(lf - h->raw);
	*used = n + 1;
	return n && h->raw[n - 1] == '\r' ? n - 1 : n;
}

static void trim(const char **s, size_t *n)
{
	while (*n && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*n)--;
	}
	while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t')) {
		(*n)--;
	}
}

static void printable(char *out, size_t cap, const char *s, size_t n)
{
	size_t i, k = 0;
	for (i = 0; i < n && k + 1 < cap; i++) {
		unsigned char c = (unsigned char)s[i];
		out[k++] = (c < 0x20 || c >= 0x7F) ? '?' : (char)c;
	}
	out[k] = '\0';
}

/* The status line and headers, head_len bytes of raw (the blank line
 * included). 0: go on; 1: an interim 1xx response was skipped; -1: finished. */
static int parse_head(sdiag_https_t *h, size_t head_len)
{
	const char *p = h->raw, *end = h->raw + head_len;
	const char *eol;
	size_t n;
	long long clen = -1;
	int chunked = 0, other_coding = 0, line = 0;
	char shown[96];

	h->res.content_type[0] = '\0';
	h->res.location[0] = '\0';
	while (p < end) {
		const char *l = p;
		eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol) {
			break;
		}
		n = (size_t)(eol - l);
		if (n && l[n - 1] == '\r') {
			n--;
		}
		p = eol + 1;
		if (line++ == 0) {
			int code;
			if (n < 12 || memcmp(l, "HTTP/1.", 7) != 0 || (l[7] != '0' && l[7] != '1') || l[8] != ' ' ||
				l[9] < '1' || l[9] > '5' || l[10] < '0' || l[10] > '9' || l[11] < '0' || l[11] > '9' || (n > 12 && l[12] != ' ')) {
				printable(shown, sizeof(shown), l, n);
				finish(h, SDIAG_HTTPS_E_PROTOCOL, "%s did not answer with an HTTP/1.x status line (got \"%s\")", h->res.url, shown);
				return -1;
			}
			code = (l[9] - '0') * 100 + (l[10] - '0') * 10 + (l[11] - '0');
			h->res.status = code;
			printable(h->res.reason, sizeof(h->res.reason), l + (n > 13 ? 13 : n), n > 13 ? n - 13 : 0);
			continue;
		}
		if (n == 0) {
			break;
		}
		{
			const char *colon = memchr(l, ':', n);
			const char *v;
			size_t nl, vl;
			if (!colon || colon == l) {
				printable(shown, sizeof(shown), l, n);
				finish(h, SDIAG_HTTPS_E_PROTOCOL, "%s sent a malformed header line \"%s\"", h->res.url, shown);
				return -1;
			}
			nl = (size_t)(colon - l);
			v = colon + 1;
			vl = n - nl - 1;
			trim(&v, &vl);
			if (nl == 12 && sdiag_strncasecmp(l, "content-type", 12) == 0) {
				printable(h->res.content_type, sizeof(h->res.content_type), v, vl);
			} else if (nl == 8 && sdiag_strncasecmp(l, "location", 8) == 0) {
				printable(h->res.location, sizeof(h->res.location), v, vl);
			} else if (nl == 17 && sdiag_strncasecmp(l, "transfer-encoding", 17) == 0) {
				/* chunked must be the last coding (RFC 9112 6.1); any other is a
				 * compression this client does not undo */
				size_t i = 0;
				chunked = 0;
				while (i < vl) {
					const char *tok = v + i;
					size_t tl = 0;
					while (i < vl && v[i] != ',') {
						i++;
						tl++;
					}
					i++;
					trim(&tok, &tl);
					chunked = tl == 7 && sdiag_strncasecmp(tok, "chunked", 7) == 0;
					if (!chunked && !(tl == 8 && sdiag_strncasecmp(tok, "identity", 8) == 0)) {
						other_coding = 1;
					}
				}
			} else if (nl == 14 && sdiag_strncasecmp(l, "content-length", 14) == 0) {
				long long val = 0;
				size_t i;
				if (vl == 0 || vl > 18) {
					vl = 0;
				}
				for (i = 0; i < vl && v[i] >= '0' && v[i] <= '9'; i++) {
					val = val * 10 + (v[i] - '0');
				}
				if (vl == 0 || i != vl || (clen >= 0 && clen != val)) {
					printable(shown, sizeof(shown), v, vl);
					finish(h, SDIAG_HTTPS_E_PROTOCOL, "%s sent an invalid or conflicting Content-Length (\"%s\")", h->res.url, shown);
					return -1;
				}
				clen = val;
			}
		}
	}
	consume(h, head_len);
	if (h->res.status >= 100 && h->res.status < 200) {
		return 1;
	}
	h->res.chunked = chunked;
	h->res.content_length = chunked ? -1 : clen;
	if (h->res.status >= 300 && h->res.status < 400) {
		finish(h, SDIAG_HTTPS_E_REDIRECT, "%s answered %d %s with a redirect to %s; redirects are not followed",
			h->res.url, h->res.status, h->res.reason, h->res.location[0] ? h->res.location : "(no Location header)");
		return -1;
	}
	if (h->res.status != 200 && (h->res.status < 200 || h->res.status > 299)) {
		finish(h, SDIAG_HTTPS_E_STATUS, "%s answered %d %s", h->res.url, h->res.status, h->res.reason);
		return -1;
	}
	if (h->content_type) {
		size_t tl = strcspn(h->res.content_type, ";");
		const char *t = h->res.content_type;
		trim(&t, &tl);
		if (tl != strlen(h->content_type) || sdiag_strncasecmp(t, h->content_type, tl) != 0) {
			if (h->res.content_type[0]) {
				finish(h, SDIAG_HTTPS_E_TYPE, "%s was served as \"%s\", not %s", h->res.url, h->res.content_type, h->content_type);
			} else {
				finish(h, SDIAG_HTTPS_E_TYPE, "%s was served without a Content-Type header, not as %s", h->res.url, h->content_type);
			}
			return -1;
		}
	}
	if (other_coding) {
		finish(h, SDIAG_HTTPS_E_PROTOCOL, "%s was sent with a Transfer-Encoding other than chunked, which is not supported here", h->res.url);
		return -1;
	}
	if (clen >= 0 && !chunked && (unsigned long long)clen > h->max_body) {
		finish(h, SDIAG_HTTPS_E_TOO_LARGE, "the body of %s is %lld bytes (Content-Length), more than the %zu allowed", h->res.url, clen, h->max_body);
		return -1;
	}
	if (h->res.status == 204 || (clen == 0 && !chunked)) {
		finish(h, SDIAG_HTTPS_OK, NULL);
		return -1;
	}
	if (chunked) {
		h->mode = BODY_CHUNK_SIZE;
	} else if (clen >= 0) {
		h->mode = BODY_LENGTH;
		h->remain = (unsigned long long)clen;
	} else {
		h->mode = BODY_EOF;
	}
	h->phase = PH_BODY;
	return 0;
}

/* Parse what raw holds. 0: need more; -1: finished. */
static int parse(sdiag_https_t *h)
{
	for (;;) {
		if (h->phase == PH_HEAD) {
			size_t i, head_len = 0;
			int r;
			for (i = 0; i + 1 < h->raw_len; i++) {
				if (h->raw[i] == '\n' && (h->raw[i + 1] == '\n' || (h->raw[i + 1] == '\r' && i + 2 < h->raw_len && h->raw[i + 2] == '\n'))) {
					head_len = i + (h->raw[i + 1] == '\n' ? 2 : 3);
					break;
				}
			}
			if (!head_len) {
				if (h->raw_len >= SDIAG_HTTPS_HEAD_MAX) {
					finish(h, SDIAG_HTTPS_E_PROTOCOL, "the response headers of %s exceed %d bytes", h->res.url, SDIAG_HTTPS_HEAD_MAX);
					return -1;
				}
				return 0;
			}
			r = parse_head(h, head_len);
			if (r < 0) {
				return -1;
			}
			continue;
		}
		if (h->phase != PH_BODY || h->raw_len == 0) {
			return 0;
		}
		switch (h->mode) {
			case BODY_EOF:
				if (body_append(h, h->raw, h->raw_len) < 0) {
					return -1;
				}
				h->raw_len = 0;
				return 0;
			case BODY_LENGTH:
			case BODY_CHUNK_DATA: {
				size_t n = h->raw_len < h->remain ? h->raw_len : (size_t)h->remain;
				if (body_append(h, h->raw, n) < 0) {
					return -1;
				}
				consume(h, n);
				h->remain -= n;
				if (h->remain == 0) {
					if (h->mode == BODY_LENGTH) {
						finish(h, SDIAG_HTTPS_OK, NULL);
						return -1;
					}
					h->mode = BODY_CHUNK_END;
				}
				break;
			}
			case BODY_CHUNK_END:
			case BODY_CHUNK_SIZE:
			case BODY_TRAILER: {
				size_t used, n = take_line(h, &used);
				char shown[64];
				if (!used) {
					if (h->raw_len > SDIAG_HTTPS_LINE_MAX) {
						finish(h, SDIAG_HTTPS_E_PROTOCOL, "a chunk header or trailer line of %s is longer than %d bytes", h->res.url, SDIAG_HTTPS_LINE_MAX);
						return -1;
					}
					return 0;
				}
				if (h->mode == BODY_CHUNK_END) {
					if (n != 0) {
						printable(shown, sizeof(shown), h->raw, n);
						finish(h, SDIAG_HTTPS_E_PROTOCOL, "the chunked body of %s is malformed: a chunk is longer than its size says (\"%s\")", h->res.url, shown);
						return -1;
					}
					h->mode = BODY_CHUNK_SIZE;
				} else if (h->mode == BODY_TRAILER) {
					if (n == 0) {
						consume(h, used);
						finish(h, SDIAG_HTTPS_OK, NULL);
						return -1;
					}
				} else {
					unsigned long long size = 0;
					size_t i, digits = 0;
					for (i = 0; i < n && digits < 16; i++, digits++) {
						char c = h->raw[i];
						int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
						if (d < 0) {
							break;
						}
						size = size * 16 + (unsigned)d;
					}
					while (i < n && (h->raw[i] == ' ' || h->raw[i] == '\t')) {
						i++;
					}
					if (digits == 0 || (i < n && h->raw[i] != ';')) {
						printable(shown, sizeof(shown), h->raw, n);
						finish(h, SDIAG_HTTPS_E_PROTOCOL, "the chunked body of %s has an invalid chunk size line \"%s\"", h->res.url, shown);
						return -1;
					}
					if (size > h->max_body - h->res.body_len) {
						finish(h, SDIAG_HTTPS_E_TOO_LARGE, "the body of %s is larger than %zu bytes (a chunk of %llu bytes)", h->res.url, h->max_body, size);
						return -1;
					}
					h->remain = size;
					h->mode = size ? BODY_CHUNK_DATA : BODY_TRAILER;
				}
				consume(h, used);
				break;
			}
		}
	}
}

static void end_of_stream(sdiag_https_t *h)
{
	if (h->phase == PH_HEAD) {
		finish(h, SDIAG_HTTPS_E_PROTOCOL, h->raw_len ? "%s closed the connection in the middle of the response headers" : "%s closed the connection without answering", h->res.url);
	} else if (h->mode == BODY_EOF) {
		finish(h, SDIAG_HTTPS_OK, NULL);
	} else if (h->mode == BODY_LENGTH) {
		finish(h, SDIAG_HTTPS_E_PROTOCOL, "%s closed the connection after %zu of the %lld bytes its Content-Length announced", h->res.url, h->res.body_len, h->res.content_length);
	} else {
		finish(h, SDIAG_HTTPS_E_PROTOCOL, "%s closed the connection before the end of its chunked body (the last chunk of size 0 never came)", h->res.url);
	}
}

/* ---- I/O ---- */

static void io_cb(void *ud, sdiag_socket_t fd, short revents);
static void try_next(sdiag_https_t *h);

static void watch(sdiag_https_t *h, short want)
{
	if (sdiag_loop_watch(h->loop, h->fd, want, io_cb, h) < 0) {
		finish(h, SDIAG_HTTPS_E_LOCAL, "out of memory watching the connection to %s", h->res.url);
	}
}

static void do_recv(sdiag_https_t *h)
{
	for (;;) {
		short want = SDIAG_POLLIN;
		sdiag_error_t err;
		long n;
		size_t room = h->raw_cap - h->raw_len;
		if (room == 0) {
			/* parse() drains the body states and caps the head: a full buffer is a head too long */
			finish(h, SDIAG_HTTPS_E_PROTOCOL, "the response headers of %s exceed %d bytes", h->res.url, SDIAG_HTTPS_HEAD_MAX);
			return;
		}
		sdiag_error_clear(&err);
		n = h->tr.ops->recv(&h->tr, h->raw + h->raw_len, room, &want, &err);
		if (n == SDIAG_IO_AGAIN) {
			watch(h, want);
			return;
		}
		if (n == SDIAG_IO_ERROR) {
			finish(h, SDIAG_HTTPS_E_PROTOCOL, "reading the response of %s failed: %s", h->res.url, err.message);
			return;
		}
		if (n == 0) {
			if (parse(h) == 0) {
				end_of_stream(h);
			}
			return;
		}
		h->raw_len += (size_t)n;
		if (parse(h) < 0) {
			return;
		}
	}
}

static void do_send(sdiag_https_t *h)
{
	while (h->req_off < h->req_len) {
		short want = SDIAG_POLLOUT;
		sdiag_error_t err;
		long n;
		sdiag_error_clear(&err);
		n = h->tr.ops->send(&h->tr, h->req + h->req_off, h->req_len - h->req_off, &want, &err);
		if (n == SDIAG_IO_AGAIN) {
			watch(h, want);
			return;
		}
		if (n < 0) {
			finish(h, SDIAG_HTTPS_E_PROTOCOL, "sending the request for %s failed: %s", h->res.url, err.message);
			return;
		}
		h->req_off += (size_t)n;
	}
	h->phase = PH_HEAD;
	do_recv(h);
}

static void do_handshake(sdiag_https_t *h)
{
	short want = 0;
	sdiag_error_t err;
	sdiag_status_t st;
	sdiag_error_clear(&err);
	st = sdiag_tls_handshake(&h->tls, &h->cfg, &h->res.tls, &want, &err);
	if (st == SDIAG_AGAIN) {
		watch(h, want);
		return;
	}
	if (st != SDIAG_OK) {
		if (err.category == SDIAG_CAT_TLS_CERTIFICATE) {
			const sdiag_cert_info_t *leaf = h->res.tls.nchain ? &h->res.tls.chain[0] : NULL;
			h->res.tls_done = 1;
			finish(h, SDIAG_HTTPS_E_CERT, "the certificate of %s did not verify: %s (it names %s%s)", h->cfg.host, h->res.tls.verify_reason,
				leaf && leaf->nsans ? leaf->sans[0] : leaf ? leaf->subject : "nothing",
				leaf && leaf->nsans > 1 ? " and others" : "");
		} else {
			finish(h, SDIAG_HTTPS_E_TLS, "the TLS handshake with %s (%s) failed: %s", h->cfg.host, h->res.address, err.message);
		}
		return;
	}
	h->res.tls_done = 1;
	h->phase = PH_SEND;
	do_send(h);
}

static void connected(sdiag_https_t *h)
{
	sdiag_error_t err;
	sdiag_loop_timer_clear(h->loop, &h->conn_timer);
	sdiag_socket_nodelay(h->fd);
	sdiag_error_clear(&err);
	if (sdiag_tls_setup(&h->tls, &h->cfg, h->fd, 0, &err) != SDIAG_OK) {
		finish(h, err.category == SDIAG_CAT_CONFIG_INVALID ? SDIAG_HTTPS_E_LOCAL : SDIAG_HTTPS_E_TLS, "%s", err.message);
		return;
	}
	h->tr.ops = &sdiag_transport_tls;
	h->tr.fd = h->fd;
	h->tr.impl = &h->tls;
	h->phase = PH_TLS;
	do_handshake(h);
}

static void connect_failed(sdiag_https_t *h, const char *what)
{
	size_t l = strlen(h->connect_errs);
	char hp[96];
	host_port(h, h->addrs[h->next - 1].text, hp, sizeof(hp));
	snprintf(h->connect_errs + l, sizeof(h->connect_errs) - l, "%s%s %s", l ? "; " : "", hp, what);
	sdiag_loop_watch(h->loop, h->fd, 0, NULL, NULL);
	sdiag_closesocket(h->fd);
	h->fd = SDIAG_BAD_SOCKET;
	try_next(h);
}

static void io_cb(void *ud, sdiag_socket_t fd, short revents)
{
	sdiag_https_t *h = ud;
	(void)fd;
	(void)revents;
	switch (h->phase) {
		case PH_CONNECT: {
			int e = 0;
			socklen_t l = sizeof(e);
			char buf[128];
			if (getsockopt(h->fd, SOL_SOCKET, SO_ERROR, (char *)&e, &l) < 0) {
				e = sdiag_sock_errno();
			}
			if (e) {
				char what[160];
				snprintf(what, sizeof(what), "failed: %s", sdiag_strerror(e, buf, sizeof(buf)));
				connect_failed(h, what);
				return;
			}
			connected(h);
			return;
		}
		case PH_TLS:
			do_handshake(h);
			return;
		case PH_SEND:
			do_send(h);
			return;
		case PH_HEAD:
		case PH_BODY:
			do_recv(h);
			return;
		default:
			return;
	}
}

static void conn_timeout(void *ud)
{
	sdiag_https_t *h = ud;
	connect_failed(h, "did not answer the connection (timed out)");
}

static void try_next(sdiag_https_t *h)
{
	while (h->next < h->naddrs) {
		sdiag_addr_t *a = &h->addrs[h->next++];
		double now = sdiag_now_ms(), share;
		int r;
		char buf[128], what[160];
		snprintf(h->res.address, sizeof(h->res.address), "%s", a->text);
		h->fd = socket(a->family, SOCK_STREAM, IPPROTO_TCP);
		if (h->fd == SDIAG_BAD_SOCKET || sdiag_socket_nonblock(h->fd) < 0) {
			int e = sdiag_sock_errno();
			if (h->fd != SDIAG_BAD_SOCKET) {
				sdiag_closesocket(h->fd);
				h->fd = SDIAG_BAD_SOCKET;
			}
			snprintf(what, sizeof(what), "no socket: %s", sdiag_strerror(e, buf, sizeof(buf)));
			{
				size_t l = strlen(h->connect_errs);
				snprintf(h->connect_errs + l, sizeof(h->connect_errs) - l, "%s%s %s", l ? "; " : "", a->text, what);
			}
			continue;
		}
		if (a->family == AF_INET6) {
			((struct sockaddr_in6 *)&a->sa)->sin6_port = htons(h->port);
		} else {
			((struct sockaddr_in *)&a->sa)->sin_port = htons(h->port);
		}
		h->phase = PH_CONNECT;
		r = connect(h->fd, (const struct sockaddr *)&a->sa, (socklen_t)a->salen);
		if (r == 0) {
			connected(h);
			return;
		}
		if (sdiag_sock_errno() != SDIAG_EINPROGRESS
#ifdef _WIN32
			&& sdiag_sock_errno() != WSAEINPROGRESS
#endif
		) {
			snprintf(what, sizeof(what), "failed: %s", sdiag_strerror(sdiag_sock_errno(), buf, sizeof(buf)));
			connect_failed(h, what);
			return;
		}
		/* each remaining address gets an equal share of the time left, so a
		 * black-holed first address does not use up the whole deadline */
		share = (h->deadline - now) / (double)(h->naddrs - h->next + 1);
		sdiag_loop_timer_set(h->loop, &h->conn_timer, now + share, conn_timeout, h);
		watch(h, SDIAG_POLLOUT);
		return;
	}
	finish(h, SDIAG_HTTPS_E_CONNECT, "cannot connect to %s: %s", h->cfg.host, h->connect_errs);
}

static void overall_timeout(void *ud)
{
	sdiag_https_t *h = ud;
	double ms = h->deadline - h->t0;
	char hp[96];
	host_port(h, h->res.address, hp, sizeof(hp));
	switch (h->phase) {
		case PH_DNS:
			finish(h, SDIAG_HTTPS_E_TIMEOUT, "the addresses of %s were not found within %.0f ms", h->cfg.host, ms);
			return;
		case PH_CONNECT:
			finish(h, SDIAG_HTTPS_E_TIMEOUT, "connecting to %s (%s) did not complete within %.0f ms", h->cfg.host, hp, ms);
			return;
		case PH_TLS:
			finish(h, SDIAG_HTTPS_E_TIMEOUT, "the TLS handshake with %s (%s) did not complete within %.0f ms", h->cfg.host, hp, ms);
			return;
		default:
			finish(h, SDIAG_HTTPS_E_TIMEOUT, "%s sent no complete response within %.0f ms", h->res.url, ms);
			return;
	}
}

/* ---- addresses ---- */

static void add_addr(sdiag_addr_t *list, size_t *n, int family, const uint8_t *bytes)
{
	sdiag_addr_t *a;
	if (*n >= SDIAG_HTTPS_ADDRS) {
		return;
	}
	a = &list[(*n)++];
	memset(a, 0, sizeof(*a));
	a->family = family;
	if (family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&a->sa;
		s6->sin6_family = AF_INET6;
		memcpy(&s6->sin6_addr, bytes, 16);
		a->salen = (int)sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&a->sa;
		s4->sin_family = AF_INET;
		memcpy(&s4->sin_addr, bytes, 4);
		a->salen = (int)sizeof(*s4);
	}
	inet_ntop(family, bytes, a->text, sizeof(a->text));
}

static void addresses_known(sdiag_https_t *h)
{
	size_t i;
	for (i = 0; i < SDIAG_HTTPS_ADDRS; i++) {
		if (i < h->n6) {
			h->addrs[h->naddrs++] = h->v6[i];
		}
		if (i < h->n4) {
			h->addrs[h->naddrs++] = h->v4[i];
		}
	}
	if (h->naddrs) {
		try_next(h);
		return;
	}
	if (h->st4 == SDIAG_DNS_NXDOMAIN && h->st6 == SDIAG_DNS_NXDOMAIN) {
		finish(h, SDIAG_HTTPS_E_DNS, "%s does not exist (NXDOMAIN)", h->cfg.host);
	} else if ((h->st4 == SDIAG_DNS_NODATA || h->st4 == SDIAG_DNS_NXDOMAIN || h->st4 == SDIAG_DNS_OK) &&
		(h->st6 == SDIAG_DNS_NODATA || h->st6 == SDIAG_DNS_NXDOMAIN || h->st6 == SDIAG_DNS_OK)) {
		finish(h, SDIAG_HTTPS_E_DNS, "%s has no A or AAAA record", h->cfg.host);
	} else {
		finish(h, SDIAG_HTTPS_E_DNS, "the address look-up of %s failed: %s", h->cfg.host,
			h->st4 != SDIAG_DNS_OK && h->st4 != SDIAG_DNS_NODATA && h->st4 != SDIAG_DNS_NXDOMAIN ? h->why4 : h->why6);
	}
}

static void dns_cb(void *ud, const sdiag_dns_result_t *res, int v6)
{
	sdiag_https_t *h = ud;
	if (--h->refs == 0) {
		destroy(h); /* the owner let go and this was the last answer due */
		return;
	}
	if (h->cancelled || h->phase != PH_DNS) {
		return;
	}
	if (v6) {
		h->st6 = res->status;
		sdiag_strlcpy(h->why6, res->why, sizeof(h->why6));
	} else {
		h->st4 = res->status;
		sdiag_strlcpy(h->why4, res->why, sizeof(h->why4));
	}
	if (res->status == SDIAG_DNS_OK && res->msg) {
		size_t pos = 0;
		const sdiag_dns_rr_t *rr;
		uint16_t t = v6 ? SDIAG_DNS_T_AAAA : SDIAG_DNS_T_A;
		while ((rr = sdiag_dns_next(res->msg, t, &pos)) != NULL) {
			if (v6) {
				add_addr(h->v6, &h->n6, AF_INET6, rr->addr);
			} else {
				add_addr(h->v4, &h->n4, AF_INET, rr->addr);
			}
		}
	}
	if (--h->dns_due == 0) {
		addresses_known(h);
	}
}

static void dns_cb6(void *ud, const sdiag_dns_result_t *res)
{
	dns_cb(ud, res, 1);
}

static void dns_cb4(void *ud, const sdiag_dns_result_t *res)
{
	dns_cb(ud, res, 0);
}

/* ---- entry points ---- */

sdiag_https_t *sdiag_https_get(sdiag_loop_t *loop, sdiag_dns_ops_t ops, const sdiag_https_req_t *req, sdiag_https_cb cb, void *ud)
{
	sdiag_https_t *h = sdiag_calloc(1, sizeof(*h));
	uint8_t lit[16];
	char hostport[300];
	int n;
	if (!h) {
		return NULL;
	}
	sdiag_config_init(&h->cfg);
	h->fd = SDIAG_BAD_SOCKET;
	h->loop = loop;
	h->ops = ops;
	h->cb = cb;
	h->ud = ud;
	h->port = req->port;
	h->max_body = req->max_body;
	h->res.content_length = -1;
	h->t0 = sdiag_now_ms();
	h->deadline = h->t0 + req->timeout_ms;
	h->refs = 1;
	h->raw_cap = SDIAG_HTTPS_HEAD_MAX + SDIAG_HTTPS_READ;
	h->raw = sdiag_malloc(h->raw_cap);
	h->cfg.host = sdiag_strdup(req->host);
	h->cfg.cafile = req->cafile ? sdiag_strdup(req->cafile) : NULL;
	h->cfg.capath = req->capath ? sdiag_strdup(req->capath) : NULL;
	h->content_type = req->content_type ? sdiag_strdup(req->content_type) : NULL;
	if (!h->raw || !h->cfg.host || (req->cafile && !h->cfg.cafile) || (req->capath && !h->cfg.capath) || (req->content_type && !h->content_type)) {
		destroy(h);
		return NULL;
	}
	/* the policy host is always verified, whatever the SMTP options say */
	h->cfg.verify_peer = 1;
	h->cfg.verify_peer_name = 1;
	/* the Host header names the port only when it is not the default (RFC 9110 7.2) */
	if (h->port == 443) {
		snprintf(hostport, sizeof(hostport), "%s", req->host);
	} else {
		snprintf(hostport, sizeof(hostport), strchr(req->host, ':') ? "[%s]:%u" : "%s:%u", req->host, (unsigned)h->port);
	}
	snprintf(h->res.url, sizeof(h->res.url), "https://%s%s", hostport, req->path);
	h->starting = 1;
	sdiag_loop_timer_set(loop, &h->timer, h->deadline, overall_timeout, h);
	n = snprintf(h->req, sizeof(h->req), "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: %s\r\nAccept: %s\r\nConnection: close\r\n\r\n",
		req->path, hostport, req->user_agent ? req->user_agent : "smtpdiag", req->content_type ? req->content_type : "*/*");
	if (n < 0 || (size_t)n >= sizeof(h->req) || !sdiag_wire_safe_text(req->path) || !sdiag_wire_safe_text(req->host) || req->path[0] != '/') {
		finish(h, SDIAG_HTTPS_E_LOCAL, "cannot build a request for host \"%s\" and path \"%s\"", req->host, req->path);
	} else {
		h->req_len = (size_t)n;
		if (inet_pton(AF_INET, req->host, lit) == 1) {
			add_addr(h->v4, &h->n4, AF_INET, lit);
			addresses_known(h);
		} else if (inet_pton(AF_INET6, req->host, lit) == 1) {
			add_addr(h->v6, &h->n6, AF_INET6, lit);
			addresses_known(h);
		} else {
			/* both answers are counted before either is asked: one may come back at once */
			h->refs += 2;
			h->dns_due = 2;
			ops.query(ops.ctx, req->host, SDIAG_DNS_T_AAAA, dns_cb6, h);
			ops.query(ops.ctx, req->host, SDIAG_DNS_T_A, dns_cb4, h);
		}
	}
	h->starting = 0;
	return h;
}

void sdiag_https_free(sdiag_https_t *h)
{
	if (!h) {
		return;
	}
	h->cancelled = 1;
	teardown(h);
	sdiag_loop_timer_clear(h->loop, &h->notify);
	if (--h->refs == 0) {
		destroy(h);
	}
}
