/*
 * smtpdiag core: EHLO capability parser (RFC 5321 section 4.1.1.1).
 * Keywords are stored upper-cased; the legacy "AUTH=LOGIN PLAIN" form is
 * folded into AUTH. Capped at SDIAG_CAPS_MAX keywords.
 */
#ifndef SDIAG_EHLO_H
#define SDIAG_EHLO_H

#include <stddef.h>

#define SDIAG_CAPS_MAX 64
#define SDIAG_CAP_KEYWORD_MAX 64

typedef struct sdiag_cap {
	char keyword[SDIAG_CAP_KEYWORD_MAX];
	char *params;    /* NULL when the keyword has none */
} sdiag_cap_t;

typedef struct sdiag_caps {
	char *greeting;  /* first line: the server's name and greeting text */
	size_t n;
	sdiag_cap_t caps[SDIAG_CAPS_MAX];
	unsigned long long size_limit;   /* SIZE parameter, 0 when none */
} sdiag_caps_t;

void sdiag_caps_init(sdiag_caps_t *c);
void sdiag_caps_free(sdiag_caps_t *c);
/* Parse the text of a 250 EHLO reply (lines joined by '\n'). 0 or -1 (ENOMEM). */
int sdiag_caps_parse(sdiag_caps_t *c, const char *text, size_t len);
const sdiag_cap_t *sdiag_caps_find(const sdiag_caps_t *c, const char *keyword);
/* Whether an AUTH mechanism is offered (case-insensitive). */
int sdiag_caps_has_auth(const sdiag_caps_t *c, const char *mech);

#endif
