/* smtpdiag core: capped growable buffer. */
#include "buf.h"
#include "compat.h"

#include <openssl/crypto.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void sdiag_buf_init(sdiag_buf_t *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

void sdiag_buf_free(sdiag_buf_t *b)
{
	sdiag_free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

void sdiag_buf_reset(sdiag_buf_t *b)
{
	b->len = 0;
	if (b->data) {
		b->data[0] = '\0';
	}
}

static int grow(sdiag_buf_t *b, size_t need)
{
	size_t cap;
	char *p;
	if (need > b->max) {
		return SDIAG_BUF_TOO_BIG;
	}
	if (need + 1 <= b->cap) {
		return SDIAG_BUF_OK;
	}
	cap = b->cap ? b->cap : 64;
	while (cap < need + 1) {
		cap = cap > ((size_t)-1) / 2 ? need + 1 : cap * 2;
	}
	if (cap > b->max + 1) {
		cap = b->max + 1;
	}
	p = sdiag_realloc(b->data, cap);
	if (!p) {
		return SDIAG_BUF_NOMEM;
	}
	b->data = p;
	b->cap = cap;
	return SDIAG_BUF_OK;
}

int sdiag_buf_add(sdiag_buf_t *b, const void *data, size_t len)
{
	int r;
	if (len > b->max - b->len) {
		return SDIAG_BUF_TOO_BIG;
	}
	r = grow(b, b->len + len);
	if (r != SDIAG_BUF_OK) {
		return r;
	}
	if (len) {
		memcpy(b->data + b->len, data, len);
	}
	b->len += len;
	b->data[b->len] = '\0';
	return SDIAG_BUF_OK;
}

int sdiag_buf_addstr(sdiag_buf_t *b, const char *s)
{
	return sdiag_buf_add(b, s, strlen(s));
}

int sdiag_buf_addf(sdiag_buf_t *b, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	int n, r;
	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0) {
		return SDIAG_BUF_NOMEM;
	}
	if ((size_t)n < sizeof(small)) {
		return sdiag_buf_add(b, small, (size_t)n);
	}
	if ((size_t)n > b->max - b->len) {
		return SDIAG_BUF_TOO_BIG;
	}
	r = grow(b, b->len + (size_t)n);
	if (r != SDIAG_BUF_OK) {
		return r;
	}
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return SDIAG_BUF_OK;
}

void sdiag_buf_consume(sdiag_buf_t *b, size_t n)
{
	if (n >= b->len) {
		sdiag_buf_reset(b);
		return;
	}
	memmove(b->data, b->data + n, b->len - n);
	b->len -= n;
	b->data[b->len] = '\0';
}

char *sdiag_buf_take(sdiag_buf_t *b)
{
	char *d = b->data;
	b->data = NULL;
	b->len = b->cap = 0;
	return d;
}

void sdiag_buf_wipe_spare(sdiag_buf_t *b)
{
	if (b->data && b->cap > b->len + 1) {
		OPENSSL_cleanse(b->data + b->len + 1, b->cap - b->len - 1);
	}
}
