/* smtpdiag core: the MTA-STS record and policy parsers and MX pattern
 * matching (RFC 8461), see mtasts.h; the check job is in mtasts_job.c. */
#include "mtasts.h"
#include "compat.h"

#include <stdio.h>
#include <string.h>

static int is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int is_wsp(int c)
{
	return c == ' ' || c == '\t';
}

/* Printable, bounded rendering of untrusted text for messages. */
static const char *shown(char *out, size_t cap, const char *s, size_t n)
{
	size_t i, k = 0;
	for (i = 0; i < n && k + 4 < cap; i++) {
		unsigned char c = (unsigned char)s[i];
		out[k++] = (c < 0x20 || c >= 0x7F) ? '?' : (char)c;
	}
	if (i < n && k + 4 <= cap) {
		memcpy(out + k, "...", 3);
		k += 3;
	}
	out[k] = '\0';
	return out;
}

/* (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / "."), the extension
 * field names of both the record and the policy. */
static int ext_name_ok(const char *s, size_t n)
{
	size_t i;
	if (n == 0 || n > 32 || !(is_alpha((unsigned char)s[0]) || is_digit((unsigned char)s[0]))) {
		return 0;
	}
	for (i = 1; i < n; i++) {
		int c = (unsigned char)s[i];
		if (!is_alpha(c) && !is_digit(c) && c != '_' && c != '-' && c != '.') {
			return 0;
		}
	}
	return 1;
}

/* ---- the TXT record (RFC 8461 3.1) ---- */

int sdiag_mtasts_is_record(const char *txt, size_t len)
{
	return len >= 7 && memcmp(txt, "v=STSv1", 7) == 0 && (len == 7 || txt[7] == ';' || is_wsp((unsigned char)txt[7]));
}

int sdiag_mtasts_parse_record(const char *txt, size_t len, sdiag_mtasts_record_t *rec, char *why, size_t whylen)
{
	size_t i = 7;
	int have_id = 0;
	char b[80];
	memset(rec, 0, sizeof(*rec));
	if (!sdiag_mtasts_is_record(txt, len)) {
		sdiag_textf(why, whylen, "the record does not begin with \"v=STSv1\" (got \"%s\")", shown(b, sizeof(b), txt, len));
		return -1;
	}
	for (;;) {
		size_t start, eq, j;
		/* sts-sep: *WSP ";" *WSP, or the end (a final separator is allowed) */
		while (i < len && is_wsp((unsigned char)txt[i])) {
			i++;
		}
		if (i == len) {
			break;
		}
		if (txt[i] != ';') {
			sdiag_textf(why, whylen, "expected \";\" between fields at \"%s\"", shown(b, sizeof(b), txt + i, len - i));
			return -1;
		}
		i++;
		while (i < len && is_wsp((unsigned char)txt[i])) {
			i++;
		}
		if (i == len) {
			break;
		}
		start = i;
		while (i < len && txt[i] != '=' && txt[i] != ';' && !is_wsp((unsigned char)txt[i])) {
			i++;
		}
		if (i == len || txt[i] != '=') {
			sdiag_textf(why, whylen, "the field \"%s\" is not name=value (no space is allowed around \"=\")", shown(b, sizeof(b), txt + start, i - start));
			return -1;
		}
		eq = i++;
		while (i < len && txt[i] != ';' && !is_wsp((unsigned char)txt[i])) {
			i++;
		}
		if (eq - start == 2 && memcmp(txt + start, "id", 2) == 0) {
			size_t n = i - eq - 1;
			if (have_id) {
				sdiag_textf(why, whylen, "%s", "the record has two id fields");
				return -1;
			}
			if (n == 0 || n > SDIAG_MTASTS_ID_MAX) {
				sdiag_textf(why, whylen, "the id \"%s\" must be 1 to 32 letters or digits (it has %zu characters)", shown(b, sizeof(b), txt + eq + 1, n), n);
				return -1;
			}
			for (j = eq + 1; j < i; j++) {
				if (!is_alpha((unsigned char)txt[j]) && !is_digit((unsigned char)txt[j])) {
					sdiag_textf(why, whylen, "the id \"%s\" may hold only letters and digits (no \"%c\")", shown(b, sizeof(b), txt + eq + 1, n),
						txt[j] >= 0x21 && txt[j] < 0x7F ? txt[j] : '?');
					return -1;
				}
			}
			memcpy(rec->id, txt + eq + 1, n);
			rec->id[n] = '\0';
			have_id = 1;
		} else if (eq - start == 1 && txt[start] == 'v') {
			sdiag_textf(why, whylen, "%s", "the record has a second v= field");
			return -1;
		} else {
			if (!ext_name_ok(txt + start, eq - start)) {
				sdiag_textf(why, whylen, "\"%s\" is not a valid field name", shown(b, sizeof(b), txt + start, eq - start));
				return -1;
			}
			if (i == eq + 1) {
				sdiag_textf(why, whylen, "the field \"%s\" has an empty value", shown(b, sizeof(b), txt + start, eq - start));
				return -1;
			}
			for (j = eq + 1; j < i; j++) {
				unsigned char c = (unsigned char)txt[j];
				if (c < 0x21 || c > 0x7E || c == '=') {
					sdiag_textf(why, whylen, "the value of \"%s\" holds a character not allowed there (0x%02X)", shown(b, sizeof(b), txt + start, eq - start), c);
					return -1;
				}
			}
		}
	}
	if (!have_id) {
		sdiag_textf(why, whylen, "%s", "the record has no id field (id=<1 to 32 letters or digits> is required)");
		return -1;
	}
	return 0;
}

/* ---- the policy (RFC 8461 3.2) ---- */

const char *sdiag_mtasts_mode_name(sdiag_mtasts_mode_t m)
{
	switch (m) {
		case SDIAG_MTASTS_ENFORCE: return "enforce";
		case SDIAG_MTASTS_TESTING: return "testing";
		case SDIAG_MTASTS_NONE: return "none";
		default: return "";
	}
}

/* ["*."] Domain (RFC 5321 4.1.2): LDH labels of 1 to 63, no final dot. */
static int mx_pattern_ok(const char *s, size_t n, char *why, size_t whylen, size_t line)
{
	size_t i, label = 0;
	char b[80];
	if (n >= 2 && s[0] == '*' && s[1] == '.') {
		s += 2;
		n -= 2;
	}
	if (n == 0 || n > 253) {
		sdiag_textf(why, whylen, "line %zu: the mx pattern is empty or longer than 253 characters", line);
		return 0;
	}
	if (s[n - 1] == '.') {
		sdiag_textf(why, whylen, "line %zu: the mx pattern \"%s\" ends with a dot: write the name without it", line, shown(b, sizeof(b), s, n));
		return 0;
	}
	for (i = 0; i <= n; i++) {
		int c = i < n ? (unsigned char)s[i] : '.';
		if (c == '.') {
			if (label == 0 || label > 63 || s[i - 1] == '-') {
				sdiag_textf(why, whylen, "line %zu: \"%s\" is not a valid mx pattern (an empty label, one over 63 characters, or one ending in \"-\"); only a leading \"*.\" may be a wildcard", line, shown(b, sizeof(b), s, n));
				return 0;
			}
			label = 0;
			continue;
		}
		if (!is_alpha(c) && !is_digit(c) && !(c == '-' && label > 0)) {
			sdiag_textf(why, whylen, "line %zu: \"%s\" is not a valid mx pattern (\"%c\" is not allowed%s)", line, shown(b, sizeof(b), s, n),
				c >= 0x21 && c < 0x7F ? c : '?', c == '*' ? "; a wildcard is only \"*.\" at the start" : "");
			return 0;
		}
		label++;
	}
	return 1;
}

int sdiag_mtasts_parse_policy(const char *text, size_t len, sdiag_mtasts_policy_t *p, char *why, size_t whylen)
{
	size_t pos = 0, line = 0, fields = 0;
	int have_version = 0, have_max_age = 0;
	char b[80];
	memset(p, 0, sizeof(*p));
	while (pos < len) {
		const char *l = text + pos, *colon, *v;
		const char *lf = memchr(l, '\n', len - pos);
		size_t n = lf ? (size_t)(lf - l) : len - pos;
		size_t kl, vl, i;
		pos += n + (lf ? 1 : 0);
		line++;
		if (n && l[n - 1] == '\r') {
			n--;
		}
		for (i = 0; i < n; i++) {
			if (l[i] == '\r' || l[i] == '\0') {
				sdiag_textf(why, whylen, "line %zu holds a stray %s: lines end in CRLF or LF", line, l[i] ? "CR" : "NUL byte");
				return -1;
			}
		}
		if (n == 0) {
			continue;
		}
		colon = memchr(l, ':', n);
		if (!colon) {
			sdiag_textf(why, whylen, "line %zu (\"%s\") is not a \"key: value\" line", line, shown(b, sizeof(b), l, n));
			return -1;
		}
		kl = (size_t)(colon - l);
		v = colon + 1;
		vl = n - kl - 1;
		while (vl && is_wsp((unsigned char)*v)) {
			v++;
			vl--;
		}
		while (vl && is_wsp((unsigned char)v[vl - 1])) {
			vl--;
		}
		fields++;
		if (kl == 7 && memcmp(l, "version", 7) == 0) {
			if (have_version) {
				sdiag_textf(why, whylen, "line %zu: a second version line", line);
				return -1;
			}
			if (vl != 5 || memcmp(v, "STSv1", 5) != 0) {
				sdiag_textf(why, whylen, "line %zu: the version is \"%s\"; it must be STSv1", line, shown(b, sizeof(b), v, vl));
				return -1;
			}
			have_version = 1;
			p->version_not_first = fields != 1;
		} else if (kl == 4 && memcmp(l, "mode", 4) == 0) {
			if (p->mode != SDIAG_MTASTS_NONE_SET) {
				sdiag_textf(why, whylen, "line %zu: a second mode line", line);
				return -1;
			}
			if (vl == 7 && memcmp(v, "enforce", 7) == 0) {
				p->mode = SDIAG_MTASTS_ENFORCE;
			} else if (vl == 7 && memcmp(v, "testing", 7) == 0) {
				p->mode = SDIAG_MTASTS_TESTING;
			} else if (vl == 4 && memcmp(v, "none", 4) == 0) {
				p->mode = SDIAG_MTASTS_NONE;
			} else {
				sdiag_textf(why, whylen, "line %zu: the mode is \"%s\"; it must be enforce, testing or none (lower case)", line, shown(b, sizeof(b), v, vl));
				return -1;
			}
		} else if (kl == 7 && memcmp(l, "max_age", 7) == 0) {
			long age = 0;
			if (have_max_age) {
				sdiag_textf(why, whylen, "line %zu: a second max_age line", line);
				return -1;
			}
			for (i = 0; i < vl && i < 11 && is_digit((unsigned char)v[i]); i++) {
				age = age * 10 + (v[i] - '0');
			}
			if (vl == 0 || i != vl || vl > 10 || age > SDIAG_MTASTS_MAX_AGE_MAX) {
				sdiag_textf(why, whylen, "line %zu: max_age \"%s\" must be a number of seconds from 0 to 31557600", line, shown(b, sizeof(b), v, vl));
				return -1;
			}
			p->max_age = age;
			have_max_age = 1;
		} else if (kl == 2 && memcmp(l, "mx", 2) == 0) {
			if (!mx_pattern_ok(v, vl, why, whylen, line)) {
				return -1;
			}
			if (p->nmx == SDIAG_MTASTS_MX_MAX) {
				sdiag_textf(why, whylen, "line %zu: more than %d mx lines", line, SDIAG_MTASTS_MX_MAX);
				return -1;
			}
			for (i = 0; i < vl; i++) {
				char c = v[i];
				p->mx[p->nmx][i] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
			}
			p->mx[p->nmx][vl] = '\0';
			p->nmx++;
		} else if ((kl == 7 && (sdiag_strncasecmp(l, "version", 7) == 0 || sdiag_strncasecmp(l, "max_age", 7) == 0)) ||
			(kl == 4 && sdiag_strncasecmp(l, "mode", 4) == 0) || (kl == 2 && sdiag_strncasecmp(l, "mx", 2) == 0)) {
			sdiag_textf(why, whylen, "line %zu: the key \"%.*s\" must be written in lower case (keys are case-sensitive)", line, (int)kl, l);
			return -1;
		} else if (!ext_name_ok(l, kl)) {
			sdiag_textf(why, whylen, "line %zu: \"%s\" is not a valid key (letters, digits, \"_\", \"-\", \".\"; no space before \":\")", line, shown(b, sizeof(b), l, kl));
			return -1;
		}
	}
	if (!have_version) {
		sdiag_textf(why, whylen, "%s", "the policy has no \"version: STSv1\" line");
		return -1;
	}
	if (p->mode == SDIAG_MTASTS_NONE_SET) {
		sdiag_textf(why, whylen, "%s", "the policy has no mode line (mode: enforce, testing or none)");
		return -1;
	}
	if (!have_max_age) {
		sdiag_textf(why, whylen, "%s", "the policy has no max_age line (seconds senders may cache it, up to 31557600)");
		return -1;
	}
	if (p->nmx == 0 && p->mode != SDIAG_MTASTS_NONE) {
		sdiag_textf(why, whylen, "the policy in %s mode has no mx line: senders could match no MX host", sdiag_mtasts_mode_name(p->mode));
		return -1;
	}
	return 0;
}

int sdiag_mtasts_mx_match(const char *pattern, const char *host)
{
	size_t hl = strlen(host), pl = strlen(pattern);
	if (hl && host[hl - 1] == '.') {
		hl--;
	}
	if (pl >= 2 && pattern[0] == '*' && pattern[1] == '.') {
		const char *dot = memchr(host, '.', hl);
		size_t first, rest;
		if (!dot) {
			return 0;
		}
		first = (size_t)(dot - host);
		rest = hl - first - 1;
		/* exactly one non-empty label before the pattern's suffix */
		return first > 0 && rest == pl - 2 && sdiag_strncasecmp(dot + 1, pattern + 2, rest) == 0;
	}
	return hl == pl && sdiag_strncasecmp(host, pattern, hl) == 0;
}
