/* smtpdiag core: SMTP reply parser. */
#include "reply.h"
#include "compat.h"

#include <stdio.h>
#include <string.h>

void sdiag_reply_parser_init(sdiag_reply_parser_t *p)
{
	memset(p, 0, sizeof(*p));
	sdiag_buf_init(&p->line, SDIAG_REPLY_MAX_LINE + 1); /* + the CR of CRLF */
	sdiag_buf_init(&p->reply.text, SDIAG_REPLY_MAX_BYTES);
}

void sdiag_reply_parser_free(sdiag_reply_parser_t *p)
{
	sdiag_buf_free(&p->line);
	sdiag_buf_free(&p->reply.text);
}

void sdiag_reply_parser_reset(sdiag_reply_parser_t *p)
{
	sdiag_buf_reset(&p->line);
	sdiag_buf_reset(&p->reply.text);
	p->reply.code = 0;
	p->reply.enhanced[0] = '\0';
	p->reply.nlines = 0;
	p->reply_bytes = 0;
	p->in_reply = 0;
}

int sdiag_reply_parser_pending(const sdiag_reply_parser_t *p)
{
	return p->line.len > 0 || p->in_reply;
}

static int isdigit_(char c)
{
	return c >= '0' && c <= '9';
}

size_t sdiag_parse_enhanced(const char *s, size_t len, int code, char *out)
{
	size_t i = 0, j, parts;
	/* class "2", "4" or "5", then ".subject.detail", 1-3 digits each */
	if (len < 5 || (s[0] != '2' && s[0] != '4' && s[0] != '5')) {
		return 0;
	}
	if (code && s[0] != (char)('0' + code / 100)) {
		return 0;
	}
	i = 1;
	for (parts = 0; parts < 2; parts++) {
		if (i >= len || s[i] != '.') {
			return 0;
		}
		i++;
		for (j = 0; j < 3 && i < len && isdigit_(s[i]); j++, i++) {
		}
		if (j == 0) {
			return 0;
		}
	}
	if (i < len && s[i] != ' ' && s[i] != '\t') {
		return 0;
	}
	memcpy(out, s, i);
	out[i] = '\0';
	return i;
}

/* Handle one complete line (without CR/LF). */
static sdiag_reply_result_t take_line(sdiag_reply_parser_t *p, const char *s, size_t n)
{
	int code;
	char sep;
	size_t textoff;
	if (n < 3 || !isdigit_(s[0]) || !isdigit_(s[1]) || !isdigit_(s[2])) {
		snprintf(p->error, sizeof(p->error), "reply line does not start with a three-digit code");
		return SDIAG_REPLY_ERROR;
	}
	code = (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
	/* RFC 5321 keeps the second digit to 0-5, but real servers send 571 and the like */
	if (code < 200 || code > 599) {
		snprintf(p->error, sizeof(p->error), "reply code %d is not a valid SMTP code", code);
		return SDIAG_REPLY_ERROR;
	}
	sep = n > 3 ? s[3] : ' ';
	if (sep != ' ' && sep != '-') {
		snprintf(p->error, sizeof(p->error), "reply code %d is followed by neither space nor hyphen", code);
		return SDIAG_REPLY_ERROR;
	}
	if (p->in_reply && code != p->reply.code) {
		snprintf(p->error, sizeof(p->error), "multi-line reply changes code from %d to %d", p->reply.code, code);
		return SDIAG_REPLY_ERROR;
	}
	if (p->reply.nlines >= SDIAG_REPLY_MAX_LINES) {
		snprintf(p->error, sizeof(p->error), "reply has more than %d lines", SDIAG_REPLY_MAX_LINES);
		return SDIAG_REPLY_ERROR;
	}
	textoff = n > 3 ? 4 : 3;
	if (!p->in_reply) {
		p->in_reply = 1;
		p->reply.code = code;
		p->reply.enhanced[0] = '\0';
		sdiag_buf_reset(&p->reply.text);
		p->reply.nlines = 0;
	} else {
		int r = sdiag_buf_add(&p->reply.text, "\n", 1);
		if (r == SDIAG_BUF_NOMEM) {
			return SDIAG_REPLY_NOMEM;
		}
		if (r != SDIAG_BUF_OK) {
			snprintf(p->error, sizeof(p->error), "reply longer than %d bytes", SDIAG_REPLY_MAX_BYTES);
			return SDIAG_REPLY_ERROR;
		}
	}
	if (!p->reply.enhanced[0]) {
		sdiag_parse_enhanced(s + textoff, n - textoff, code, p->reply.enhanced);
	}
	{
		int r = sdiag_buf_add(&p->reply.text, s + textoff, n - textoff);
		if (r == SDIAG_BUF_NOMEM) {
			return SDIAG_REPLY_NOMEM;
		}
		if (r != SDIAG_BUF_OK) {
			snprintf(p->error, sizeof(p->error), "reply longer than %d bytes", SDIAG_REPLY_MAX_BYTES);
			return SDIAG_REPLY_ERROR;
		}
	}
	p->reply.nlines++;
	if (sep == '-') {
		return SDIAG_REPLY_NEED_MORE;
	}
	p->in_reply = 0;
	return SDIAG_REPLY_DONE;
}

sdiag_reply_result_t sdiag_reply_parser_feed(sdiag_reply_parser_t *p, const char *data, size_t len, size_t *consumed,
	void (*on_line)(void *ud, const char *line, size_t len), void *ud)
{
	size_t i = 0;
	*consumed = 0;
	while (i < len) {
		const char *nl = memchr(data + i, '\n', len - i);
		size_t take = nl ? (size_t)(nl - (data + i)) : len - i;
		const char *line;
		size_t n;
		sdiag_reply_result_t r;
		int ar = sdiag_buf_add(&p->line, data + i, take);
		if (ar == SDIAG_BUF_NOMEM) {
			return SDIAG_REPLY_NOMEM;
		}
		if (ar != SDIAG_BUF_OK) {
			snprintf(p->error, sizeof(p->error), "reply line longer than %d bytes", SDIAG_REPLY_MAX_LINE);
			*consumed = i;
			return SDIAG_REPLY_ERROR;
		}
		p->reply_bytes += take;
		if (p->reply_bytes > SDIAG_REPLY_MAX_BYTES) {
			snprintf(p->error, sizeof(p->error), "reply longer than %d bytes", SDIAG_REPLY_MAX_BYTES);
			*consumed = i;
			return SDIAG_REPLY_ERROR;
		}
		if (!nl) {
			*consumed = len;
			return SDIAG_REPLY_NEED_MORE;
		}
		i += take + 1;
		*consumed = i;
		line = p->line.data ? p->line.data : "";
		n = p->line.len;
		if (n && line[n - 1] == '\r') {
			n--;
		}
		if (n > SDIAG_REPLY_MAX_LINE) {
			snprintf(p->error, sizeof(p->error), "reply line longer than %d bytes", SDIAG_REPLY_MAX_LINE);
			return SDIAG_REPLY_ERROR;
		}
		if (on_line) {
			on_line(ud, line, n);
		}
		r = take_line(p, line, n);
		sdiag_buf_reset(&p->line);
		if (r != SDIAG_REPLY_NEED_MORE) {
			if (r == SDIAG_REPLY_DONE) {
				p->reply_bytes = 0;
			}
			return r;
		}
	}
	return SDIAG_REPLY_NEED_MORE;
}

sdiag_reply_result_t sdiag_reply_parse_text(sdiag_reply_parser_t *p, const char *text, size_t len)
{
	size_t consumed = 0;
	sdiag_reply_result_t r;
	sdiag_reply_parser_reset(p);
	r = sdiag_reply_parser_feed(p, text, len, &consumed, NULL, NULL);
	if (r == SDIAG_REPLY_NEED_MORE && p->line.len) {
		/* last line without a line ending */
		r = sdiag_reply_parser_feed(p, "\n", 1, &consumed, NULL, NULL);
	}
	if (r == SDIAG_REPLY_NEED_MORE) {
		snprintf(p->error, sizeof(p->error), p->in_reply ? "multi-line reply has no final line" : "empty reply");
		return SDIAG_REPLY_ERROR;
	}
	return r;
}
