/* smtpdiag core: minimal text message builder. */
#include "msg.h"
#include "compat.h"
#include "sasl.h"
#include "settings.h"
#include "transcript.h"

#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

int sdiag_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		size_t n = sdiag_utf8_len(p + i, len - i);
		if (!n) {
			return 0;
		}
		i += n;
	}
	return 1;
}

static int ascii_printable(const char *s)
{
	for (; *s; s++) {
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7F) {
			return 0;
		}
	}
	return 1;
}

/* RFC 2047 "B" encoded words of at most 75 characters, never splitting a
 * UTF-8 character, separated by folding whitespace. */
static int encoded_words(sdiag_buf_t *out, const char *s, size_t col)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), i = 0;
	int first = 1;
	while (i < len) {
		/* a word is at most 75 characters and a line at most 76: the base64
		 * part gets what "=?UTF-8?B?" and "?=" leave after the column it starts at */
		size_t room = (col + 75 > 76 ? 76 - col : 75) - 12;
		size_t max = room / 4 * 3;
		size_t take = len - i > max ? max : len - i;
		while (take < len - i && take > 0 && (p[i + take] & 0xC0) == 0x80) {
			take--;
		}
		if (!first && sdiag_buf_add(out, "\r\n ", 3) != SDIAG_BUF_OK) {
			return -1;
		}
		if (sdiag_buf_add(out, "=?UTF-8?B?", 10) != SDIAG_BUF_OK || sdiag_b64_encode(out, p + i, take) < 0 || sdiag_buf_add(out, "?=", 2) != SDIAG_BUF_OK) {
			return -1;
		}
		i += take;
		first = 0;
		col = 1;
	}
	return 0;
}

/* A header value: as is when printable ASCII and short, encoded otherwise. */
static int header_text(sdiag_buf_t *out, const char *s, size_t col)
{
	if (ascii_printable(s) && strlen(s) <= 900) {
		return sdiag_buf_addstr(out, s) == SDIAG_BUF_OK ? 0 : -1;
	}
	return encoded_words(out, s, col);
}

/* Quoted-printable body (RFC 2045 section 6.7), lines of at most 76 chars. */
static int quoted_printable(sdiag_buf_t *out, const char *s, size_t len)
{
	size_t i, col = 0;
	int r = 0;
	for (i = 0; i < len && r == 0; i++) {
		unsigned char c = (unsigned char)s[i];
		char enc[4];
		size_t el;
		if (c == '\r' || c == '\n') {
			if (c == '\r' && i + 1 < len && s[i + 1] == '\n') {
				i++;
			}
			r |= sdiag_buf_add(out, "\r\n", 2);
			col = 0;
			continue;
		}
		if ((c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && i + 1 < len && s[i + 1] != '\r' && s[i + 1] != '\n')) {
			enc[0] = (char)c;
			el = 1;
		} else {
			snprintf(enc, sizeof(enc), "=%02X", c);
			el = 3;
		}
		if (col + el > 75) {
			r |= sdiag_buf_add(out, "=\r\n", 3);
			col = 0;
		}
		r |= sdiag_buf_add(out, enc, el);
		col += el;
	}
	return r;
}

static int needs_qp(const char *s, size_t len)
{
	size_t i, col = 0;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x80 || (c < 0x20 && c != '\r' && c != '\n' && c != '\t')) {
			return 1;
		}
		col = (c == '\n' || c == '\r') ? 0 : col + 1;
		if (col > 76) {
			return 1;
		}
	}
	return 0;
}

sdiag_status_t sdiag_msg_build_text(const sdiag_text_msg_t *m, sdiag_buf_t *out, sdiag_error_t *err)
{
	static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	time_t t = (time_t)(m->date_ms / 1000.0);
	struct tm tm;
	unsigned char rnd[16];
	const char *at = strrchr(m->from, '@');
	int r = 0, qp;
	size_t i, col;

	if (!sdiag_wire_safe_text(m->subject) || (m->from_name && !sdiag_wire_safe_text(m->from_name))) {
		return sdiag_error_set(err, SDIAG_CAT_CONFIG_INVALID, SDIAG_PHASE_DATA, "the subject and the sender's name must not contain CR, LF or NUL");
	}
	if (!sdiag_utf8_valid(m->subject, strlen(m->subject)) || !sdiag_utf8_valid(m->text, m->textlen) || (m->from_name && !sdiag_utf8_valid(m->from_name, strlen(m->from_name)))) {
		return sdiag_error_set(err, SDIAG_CAT_CONFIG_INVALID, SDIAG_PHASE_DATA, "the subject, the sender's name and the text must be UTF-8");
	}
#ifdef _WIN32
	gmtime_s(&tm, &t);
#else
	gmtime_r(&t, &tm);
#endif
	if (RAND_bytes(rnd, sizeof(rnd)) != 1) {
		return sdiag_error_set(err, SDIAG_CAT_OTHER, SDIAG_PHASE_DATA, "no random bytes for the Message-ID");
	}
	r |= sdiag_buf_addf(out, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n", days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
	r |= sdiag_buf_addstr(out, "Message-ID: <");
	for (i = 0; i < sizeof(rnd); i++) {
		r |= sdiag_buf_addf(out, "%02x", rnd[i]);
	}
	r |= sdiag_buf_addf(out, "@%s>\r\n", at && at[1] ? at + 1 : "smtpdiag.invalid");
	r |= sdiag_buf_addstr(out, "From: ");
	if (m->from_name && *m->from_name) {
		if (ascii_printable(m->from_name) && !strpbrk(m->from_name, "\"\\")) {
			r |= sdiag_buf_addf(out, "\"%s\"", m->from_name);
		} else {
			r |= encoded_words(out, m->from_name, 6);
		}
		r |= sdiag_buf_addf(out, " <%s>\r\n", m->from);
	} else {
		r |= sdiag_buf_addf(out, "%s\r\n", m->from);
	}
	r |= sdiag_buf_addstr(out, "To: ");
	col = 4;
	for (i = 0; i < m->nto; i++) {
		size_t l = strlen(m->to[i]);
		if (i) {
			r |= sdiag_buf_addstr(out, col + l + 2 > 76 ? ",\r\n " : ", ");
			col = col + l + 2 > 76 ? 1 : col + 2;
		}
		r |= sdiag_buf_addstr(out, m->to[i]);
		col += l;
	}
	r |= sdiag_buf_addstr(out, "\r\nSubject: ");
	r |= header_text(out, m->subject, 9);
	qp = needs_qp(m->text, m->textlen);
	r |= sdiag_buf_addf(out, "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: %s\r\n",
		qp ? "quoted-printable" : "7bit");
	if (m->user_agent) {
		r |= sdiag_buf_addf(out, "User-Agent: %s\r\n", m->user_agent);
	}
	r |= sdiag_buf_addstr(out, "\r\n");
	if (qp) {
		r |= quoted_printable(out, m->text, m->textlen);
	} else {
		r |= sdiag_buf_add(out, m->text, m->textlen);
	}
	if (r != 0) {
		return sdiag_error_set(err, SDIAG_CAT_MESSAGE_TOO_LARGE, SDIAG_PHASE_DATA, "the message is too large to build");
	}
	return SDIAG_OK;
}
