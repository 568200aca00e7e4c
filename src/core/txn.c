/* smtpdiag core: mail transactions and the message body encoder. */
#include "txn.h"
#include "compat.h"

#include <stdio.h>
#include <string.h>

void sdiag_txn_init(sdiag_txn_t *t)
{
	memset(t, 0, sizeof(*t));
	t->body_bol = 1;
}

void sdiag_txn_free(sdiag_txn_t *t)
{
	size_t i;
	for (i = 0; i < t->nrcpt; i++) {
		sdiag_free(t->rcpts[i].text);
		t->rcpts[i].text = NULL;
	}
	sdiag_free(t->mail_text);
	sdiag_free(t->final_text);
	t->mail_text = t->final_text = NULL;
}

void sdiag_txn_reset(sdiag_txn_t *t)
{
	sdiag_txn_t in = *t;
	size_t i;
	sdiag_txn_free(t);
	for (i = 0; i < in.nrcpt; i++) {
		in.rcpts[i].code = 0;
		in.rcpts[i].enhanced[0] = '\0';
	}
	sdiag_txn_init(t);
	t->from = in.from;
	t->fromlen = in.fromlen;
	t->rcpts = in.rcpts;
	t->nrcpt = in.nrcpt;
	t->msg = in.msg;
	t->msglen = in.msglen;
	t->partial = in.partial;
	t->probe = in.probe;
	t->dsn_notify = in.dsn_notify;
	t->dsn_ret = in.dsn_ret;
	t->dsn_envid = in.dsn_envid;
	t->dsn_orcpt = in.dsn_orcpt;
}

int sdiag_addr_valid(const char *a, size_t len)
{
	size_t i;
	if (len > SDIAG_ADDR_MAX) {
		return 0;
	}
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)a[i];
		if (c < 0x20 || c == 0x7F || c == '<' || c == '>') {
			return 0;
		}
	}
	return 1;
}

int sdiag_addr_ascii(const char *a, size_t len)
{
	size_t i;
	for (i = 0; i < len; i++) {
		if ((unsigned char)a[i] >= 0x80) {
			return 0;
		}
	}
	return 1;
}

/* Whether any byte has the high bit set, eight bytes at a time. */
static int has_8bit(const char *s, size_t n)
{
	uint64_t acc = 0, w;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		acc |= w;
	}
	for (; i < n; i++) {
		acc |= (unsigned char)s[i];
	}
	return (acc & 0x8080808080808080ULL) != 0;
}

void sdiag_txn_measure(sdiag_txn_t *t)
{
	const char *m = t->msg, *end = m + t->msglen, *p;
	size_t size = t->msglen, r;
	/* every bare LF and bare CR becomes CRLF: one more byte each */
	for (p = m; p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++) {
		size += !(p > m && p[-1] == '\r');
	}
	for (p = m; p < end && (p = memchr(p, '\r', (size_t)(end - p))) != NULL; p++) {
		size += !(p + 1 < end && p[1] == '\n');
	}
	if (t->msglen && end[-1] != '\n' && end[-1] != '\r') {
		size += 2; /* the last line gets its CRLF */
	}
	t->size = size;
	t->eightbit = has_8bit(m, t->msglen);
	t->utf8_addrs = !sdiag_addr_ascii(t->from, t->fromlen);
	for (r = 0; r < t->nrcpt; r++) {
		t->utf8_addrs |= !sdiag_addr_ascii(t->rcpts[r].addr, t->rcpts[r].len);
	}
}

int sdiag_body_encode(const char *msg, size_t len, size_t *pos, int *bol, sdiag_buf_t *out, size_t max, int dot)
{
	size_t i = *pos, start = out->len;
	if (i > len) {
		return 1;
	}
	while (i < len && out->len - start < max) {
		const char *lf, *cr;
		size_t stop, room = max - (out->len - start);
		if (dot && *bol && msg[i] == '.') {
			if (sdiag_buf_add(out, ".", 1) != SDIAG_BUF_OK) {
				break;
			}
		}
		/* the line runs to the first CR or LF (memchr: the hot loop of a send) */
		lf = memchr(msg + i, '\n', len - i);
		stop = lf ? (size_t)(lf - msg) : len;
		cr = memchr(msg + i, '\r', stop - i);
		if (cr) {
			stop = (size_t)(cr - msg);
		}
		if (stop > i) {
			size_t n = stop - i > room ? room : stop - i;
			if (sdiag_buf_add(out, msg + i, n) != SDIAG_BUF_OK) {
				break;
			}
			*bol = 0;
			i += n;
			continue;
		}
		/* a line ending of any kind becomes CRLF */
		if (sdiag_buf_add(out, "\r\n", 2) != SDIAG_BUF_OK) {
			break;
		}
		if (msg[i] == '\r' && i + 1 < len && msg[i + 1] == '\n') {
			i++;
		}
		i++;
		*bol = 1;
	}
	*pos = i;
	if (i == len && out->len + 5 <= out->max) {
		if (!*bol) {
			sdiag_buf_add(out, "\r\n", 2);
			*bol = 1;
		}
		if (dot) {
			sdiag_buf_add(out, ".\r\n", 3);
		}
		*pos = len + 1;
		return 1;
	}
	return 0;
}

/* Copy the token at p (up to a space) into out. */
static void token(const char *p, char *out, size_t outlen)
{
	size_t n = strcspn(p, " \t\r\n;,");
	if (n >= outlen) {
		n = outlen - 1;
	}
	memcpy(out, p, n);
	out[n] = '\0';
}

void sdiag_queue_id(const char *text, char *out, size_t outlen)
{
	const char *p;
	out[0] = '\0';
	if (!text) {
		return;
	}
	if ((p = strstr(text, "queued as ")) != NULL) {            /* Postfix, Exchange variants */
		token(p + 10, out, outlen);
	} else if ((p = strstr(text, "id=")) != NULL) {             /* Exim: "250 OK id=1abcDE-000123-AB" */
		token(p + 3, out, outlen);
	} else if ((p = strstr(text, "InternalId=")) != NULL) {     /* Microsoft 365 */
		token(p + 11, out, outlen);
	} else if ((p = strstr(text, " - gsmtp")) != NULL) {        /* Gmail: "OK  1700000000 a1-xyz - gsmtp" */
		const char *e = p, *b = p;
		while (b > text && b[-1] != ' ') {
			b--;
		}
		if ((size_t)(e - b) < outlen && e > b) {
			memcpy(out, b, (size_t)(e - b));
			out[e - b] = '\0';
		}
	} else if ((p = strstr(text, " Message accepted for delivery")) != NULL) { /* Sendmail: "2.0.0 <id> Message accepted" */
		const char *b = p;
		while (b > text && b[-1] != ' ') {
			b--;
		}
		if ((size_t)(p - b) < outlen && p > b) {
			memcpy(out, b, (size_t)(p - b));
			out[p - b] = '\0';
		}
	} else if (sdiag_strncasecmp(text, "Ok ", 3) == 0 || strncmp(text, "2.0.0 Ok ", 9) == 0) {
		/* Amazon SES: "Ok 0100018c2d0e7a61-5f1c...-000000": a long id with dashes,
		 * unlike Yahoo's "ok dirdel" or qmail's "ok 1700000000 qp 123" */
		char id[128];
		token(text + (text[0] == '2' ? 9 : 3), id, sizeof(id));
		if (strlen(id) >= 20 && strchr(id, '-')) {
			snprintf(out, outlen, "%s", id);
		}
	}
}
