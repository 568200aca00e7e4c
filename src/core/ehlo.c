/* smtpdiag core: EHLO capability parser. */
#include "ehlo.h"
#include "compat.h"

#include <string.h>

void sdiag_caps_init(sdiag_caps_t *c)
{
	memset(c, 0, sizeof(*c));
}

void sdiag_caps_free(sdiag_caps_t *c)
{
	size_t i;
	for (i = 0; i < c->n; i++) {
		sdiag_free(c->caps[i].params);
	}
	sdiag_free(c->greeting);
	memset(c, 0, sizeof(*c));
}

const sdiag_cap_t *sdiag_caps_find(const sdiag_caps_t *c, const char *keyword)
{
	size_t i;
	for (i = 0; i < c->n; i++) {
		if (sdiag_strcasecmp(c->caps[i].keyword, keyword) == 0) {
			return &c->caps[i];
		}
	}
	return NULL;
}

int sdiag_caps_has_auth(const sdiag_caps_t *c, const char *mech)
{
	const sdiag_cap_t *a = sdiag_caps_find(c, "AUTH");
	size_t ml = strlen(mech);
	const char *p;
	if (!a || !a->params) {
		return 0;
	}
	for (p = a->params; *p;) {
		size_t n = strcspn(p, " ");
		if (n == ml && sdiag_strncasecmp(p, mech, n) == 0) {
			return 1;
		}
		p += n;
		p += strspn(p, " ");
	}
	return 0;
}

static int is_kwchar(char ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-';
}

/* Append params to an existing capability (AUTH given twice, AUTH= form). */
static int append_params(sdiag_cap_t *cap, const char *p, size_t n)
{
	size_t old = cap->params ? strlen(cap->params) : 0;
	char *np;
	if (!n) {
		return 0;
	}
	np = sdiag_realloc(cap->params, old + n + 2);
	if (!np) {
		return -1;
	}
	if (old) {
		np[old++] = ' ';
	}
	memcpy(np + old, p, n);
	np[old + n] = '\0';
	cap->params = np;
	return 0;
}

static void parse_size(sdiag_caps_t *c, const char *p)
{
	unsigned long long v = 0;
	for (; p && *p >= '0' && *p <= '9'; p++) {
		if (v > 100000000000ULL) {
			break;
		}
		v = v * 10 + (unsigned long long)(*p - '0');
	}
	c->size_limit = v;
}

int sdiag_caps_parse(sdiag_caps_t *c, const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	int first = 1;
	sdiag_caps_free(c);
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *le = eol ? eol : end;
		const char *k = p, *ke;
		size_t kl, i;
		sdiag_cap_t *cap = NULL;
		if (first) {
			c->greeting = sdiag_strndup(p, (size_t)(le - p));
			if (!c->greeting) {
				return -1;
			}
			first = 0;
			p = eol ? eol + 1 : end;
			continue;
		}
		while (k < le && *k == ' ') {
			k++;
		}
		for (ke = k; ke < le && is_kwchar(*ke); ke++) {
		}
		kl = (size_t)(ke - k);
		p = eol ? eol + 1 : end;
		if (kl == 0 || kl >= SDIAG_CAP_KEYWORD_MAX) {
			continue; /* not a keyword: ignore the line, as RFC 5321 clients do */
		}
		if (ke < le && *ke == '=' && kl == 4 && sdiag_strncasecmp(k, "AUTH", 4) == 0) {
			ke++; /* legacy "AUTH=LOGIN PLAIN" */
		} else if (ke < le && *ke != ' ') {
			continue;
		}
		for (i = 0; i < c->n; i++) {
			if (strlen(c->caps[i].keyword) == kl && sdiag_strncasecmp(c->caps[i].keyword, k, kl) == 0) {
				cap = &c->caps[i];
				break;
			}
		}
		if (!cap) {
			if (c->n >= SDIAG_CAPS_MAX) {
				continue;
			}
			cap = &c->caps[c->n++];
			for (i = 0; i < kl; i++) {
				char ch = k[i];
				cap->keyword[i] = (ch >= 'a' && ch <= 'z') ? (char)(ch - 32) : ch;
			}
			cap->keyword[kl] = '\0';
			cap->params = NULL;
		}
		while (ke < le && *ke == ' ') {
			ke++;
		}
		{
			const char *pe = le;
			while (pe > ke && (pe[-1] == ' ' || pe[-1] == '\r')) {
				pe--;
			}
			if (strcmp(cap->keyword, "AUTH") == 0 && cap->params) {
				/* merge without duplicates */
				const char *q = ke;
				while (q < pe) {
					size_t n = 0;
					char mech[64];
					while (q + n < pe && q[n] != ' ') {
						n++;
					}
					if (n && n < sizeof(mech)) {
						memcpy(mech, q, n);
						mech[n] = '\0';
						if (!sdiag_caps_has_auth(c, mech) && append_params(cap, q, n) < 0) {
							return -1;
						}
					}
					q += n;
					while (q < pe && *q == ' ') {
						q++;
					}
				}
			} else if (append_params(cap, ke, (size_t)(pe - ke)) < 0) {
				return -1;
			}
		}
		if (strcmp(cap->keyword, "SIZE") == 0) {
			parse_size(c, cap->params);
		}
	}
	return 0;
}
