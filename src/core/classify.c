/*
 * smtpdiag core: reply classification. Order of strength: the reply text of
 * known situations, then the RFC 3463 enhanced status code, then the basic
 * reply code together with the command it answered.
 */
#include "classify.h"
#include "compat.h"

#include <stdio.h>
#include <string.h>

/* Case-insensitive substring search. */
static int has(const char *text, const char *needle)
{
	size_t n = strlen(needle);
	for (; *text; text++) {
		if (sdiag_strncasecmp(text, needle, n) == 0) {
			return 1;
		}
	}
	return 0;
}

typedef struct {
	const char *needle;
	sdiag_category_t cat;
	int transient;  /* -1: from the reply code */
} text_rule_t;

static const text_rule_t text_rules[] = {
	{"greylist", SDIAG_CAT_GREYLISTED, 1},
	{"graylist", SDIAG_CAT_GREYLISTED, 1},
	{"sending quota", SDIAG_CAT_RATE_LIMITED, 1},
	{"daily user sending", SDIAG_CAT_RATE_LIMITED, 1},
	{"rate limit", SDIAG_CAT_RATE_LIMITED, 1},
	{"too many messages", SDIAG_CAT_RATE_LIMITED, 1},
	{"too many recipients", SDIAG_CAT_RATE_LIMITED, 1},
	{"throttl", SDIAG_CAT_RATE_LIMITED, 1},
	{"rate exceeded", SDIAG_CAT_RATE_LIMITED, 1},
	{"too many connections", SDIAG_CAT_RATE_LIMITED, 1},
	{"mailbox full", SDIAG_CAT_MAILBOX_FULL, -1},
	{"mailbox is full", SDIAG_CAT_MAILBOX_FULL, -1},
	{"over quota", SDIAG_CAT_MAILBOX_FULL, -1},
	{"quota exceeded", SDIAG_CAT_RATE_LIMITED, 1},
	{"sender address rejected", SDIAG_CAT_SENDER_REJECTED, 0},
	{"not owned by user", SDIAG_CAT_SENDER_REJECTED, 0},
	{"relay access denied", SDIAG_CAT_RELAY_DENIED, 0},
	{"relaying denied", SDIAG_CAT_RELAY_DENIED, 0},
	{"not permitted to relay", SDIAG_CAT_RELAY_DENIED, 0},
	{"unable to relay", SDIAG_CAT_RELAY_DENIED, 0},
	{"authentication required", SDIAG_CAT_AUTH_REQUIRED, 0},
	{"authentication failed", SDIAG_CAT_AUTH_FAILED, 0},
	{"username and password not accepted", SDIAG_CAT_AUTH_FAILED, 0},
	{"user unknown", SDIAG_CAT_MAILBOX_UNAVAILABLE, -1},
	{"no such user", SDIAG_CAT_MAILBOX_UNAVAILABLE, -1},
	{"mailbox unavailable", SDIAG_CAT_MAILBOX_UNAVAILABLE, -1},
	{"message size exceeds", SDIAG_CAT_MESSAGE_TOO_LARGE, 0},
	{"message too large", SDIAG_CAT_MESSAGE_TOO_LARGE, 0},
	{"must issue a starttls", SDIAG_CAT_TLS_REQUIRED, 0},
	{"tls required", SDIAG_CAT_TLS_REQUIRED, 0},
	{"spam", SDIAG_CAT_SPAM_OR_POLICY, -1},
	{"blocked", SDIAG_CAT_SPAM_OR_POLICY, -1},
	{"blacklist", SDIAG_CAT_SPAM_OR_POLICY, -1},
	{"blocklist", SDIAG_CAT_SPAM_OR_POLICY, -1},
};

static sdiag_category_t from_enhanced(const char *e, sdiag_phase_t phase)
{
	int cls, subj, det;
	if (!e || !*e || sscanf(e, "%d.%d.%d", &cls, &subj, &det) != 3) {
		return SDIAG_CAT_NONE;
	}
	switch (subj) {
		case 1:
			if (det == 1 || det == 2 || det == 6) {
				return SDIAG_CAT_MAILBOX_UNAVAILABLE;
			}
			if (det == 3) {
				return phase == SDIAG_PHASE_MAIL ? SDIAG_CAT_SENDER_REJECTED : SDIAG_CAT_MAILBOX_NAME_INVALID;
			}
			if (det == 7 || det == 8) {
				return SDIAG_CAT_SENDER_REJECTED;
			}
			return phase == SDIAG_PHASE_MAIL ? SDIAG_CAT_SENDER_REJECTED : SDIAG_CAT_NONE;
		case 2:
			if (det == 2) {
				return SDIAG_CAT_MAILBOX_FULL;
			}
			if (det == 3) {
				return SDIAG_CAT_MESSAGE_TOO_LARGE;
			}
			if (det == 1) {
				return SDIAG_CAT_MAILBOX_UNAVAILABLE;
			}
			return SDIAG_CAT_NONE;
		case 3:
			if (det == 4) {
				return SDIAG_CAT_MESSAGE_TOO_LARGE;
			}
			return cls == 4 ? SDIAG_CAT_TEMPORARY_LOCAL_ERROR : SDIAG_CAT_NONE;
		case 4:
			if (det == 5) {
				return SDIAG_CAT_RATE_LIMITED;
			}
			return cls == 4 ? SDIAG_CAT_TEMPORARY_LOCAL_ERROR : SDIAG_CAT_NONE;
		case 5:
			/* X.5.3: too many recipients, a limit rather than a syntax problem */
			return det == 3 ? SDIAG_CAT_RATE_LIMITED : SDIAG_CAT_SYNTAX_ERROR;
		case 7:
			switch (det) {
				case 0: return phase == SDIAG_PHASE_AUTH && cls == 5 ? SDIAG_CAT_AUTH_FAILED : SDIAG_CAT_NONE;
				case 1: return SDIAG_CAT_SPAM_OR_POLICY;
				case 8: return SDIAG_CAT_AUTH_FAILED;
				case 9: return SDIAG_CAT_AUTH_UNSUPPORTED;
				case 10:
				case 11: return SDIAG_CAT_TLS_REQUIRED;
				case 12: return SDIAG_CAT_AUTH_UNSUPPORTED;
				default: return SDIAG_CAT_SPAM_OR_POLICY;
			}
		default:
			return SDIAG_CAT_NONE;
	}
}

static sdiag_category_t from_code(int code, sdiag_phase_t phase)
{
	switch (code) {
		case 421: return SDIAG_CAT_SERVICE_UNAVAILABLE;
		case 450: return phase == SDIAG_PHASE_RCPT ? SDIAG_CAT_MAILBOX_UNAVAILABLE : SDIAG_CAT_TEMPORARY_LOCAL_ERROR;
		case 451: return SDIAG_CAT_TEMPORARY_LOCAL_ERROR;
		case 452: return phase == SDIAG_PHASE_RCPT ? SDIAG_CAT_RATE_LIMITED : SDIAG_CAT_TEMPORARY_LOCAL_ERROR;
		case 454: return phase == SDIAG_PHASE_STARTTLS ? SDIAG_CAT_TLS_ERROR : SDIAG_CAT_TEMPORARY_LOCAL_ERROR;
		case 500:
		case 501:
		case 502:
		case 503:
		case 504: return SDIAG_CAT_SYNTAX_ERROR;
		case 530: return SDIAG_CAT_AUTH_REQUIRED;
		case 534: return SDIAG_CAT_AUTH_UNSUPPORTED;
		case 535: return SDIAG_CAT_AUTH_FAILED;
		case 538: return SDIAG_CAT_TLS_REQUIRED;
		case 550: return phase == SDIAG_PHASE_MAIL ? SDIAG_CAT_SENDER_REJECTED : phase == SDIAG_PHASE_RCPT ? SDIAG_CAT_MAILBOX_UNAVAILABLE : SDIAG_CAT_OTHER;
		case 551: return SDIAG_CAT_RELAY_DENIED;
		case 552: return phase == SDIAG_PHASE_RCPT ? SDIAG_CAT_MAILBOX_FULL : SDIAG_CAT_MESSAGE_TOO_LARGE;
		case 553: return phase == SDIAG_PHASE_MAIL ? SDIAG_CAT_SENDER_REJECTED : SDIAG_CAT_MAILBOX_NAME_INVALID;
		case 554: return phase == SDIAG_PHASE_DATA ? SDIAG_CAT_SPAM_OR_POLICY : phase == SDIAG_PHASE_BANNER ? SDIAG_CAT_SERVICE_UNAVAILABLE : SDIAG_CAT_OTHER;
		default:
			return code / 100 == 4 ? SDIAG_CAT_TEMPORARY_LOCAL_ERROR : SDIAG_CAT_OTHER;
	}
}

void sdiag_classify_reply(sdiag_error_t *err, int code, const char *enhanced, const char *text, sdiag_phase_t phase)
{
	sdiag_category_t cat = SDIAG_CAT_NONE;
	int transient = -1;
	size_t i;
	err->smtp_code = code;
	snprintf(err->enhanced, sizeof(err->enhanced), "%s", enhanced ? enhanced : "");
	for (i = 0; text && i < sizeof(text_rules) / sizeof(*text_rules); i++) {
		if (has(text, text_rules[i].needle)) {
			cat = text_rules[i].cat;
			transient = text_rules[i].transient;
			snprintf(err->matched, sizeof(err->matched), "text \"%s\"", text_rules[i].needle);
			break;
		}
	}
	if (cat == SDIAG_CAT_NONE && (code == 530 || code == 534 || code == 535 || code == 538)) {
		/* the AUTH codes of RFC 4954 decide whatever enhanced code comes with them */
		cat = from_code(code, phase);
		snprintf(err->matched, sizeof(err->matched), "reply code %d", code);
	}
	if (cat == SDIAG_CAT_NONE) {
		cat = from_enhanced(enhanced, phase);
		if (cat != SDIAG_CAT_NONE) {
			snprintf(err->matched, sizeof(err->matched), "enhanced status %s", enhanced);
		}
	}
	if (cat == SDIAG_CAT_NONE) {
		cat = from_code(code, phase);
		snprintf(err->matched, sizeof(err->matched), "reply code %d%s%s", code, phase != SDIAG_PHASE_NONE ? " to " : "", phase != SDIAG_PHASE_NONE ? sdiag_phase_name(phase) : "");
	}
	err->category = cat;
	err->transient = transient >= 0 ? transient : (code / 100 == 4);
	snprintf(err->hint, sizeof(err->hint), "%s", sdiag_category_hint(cat));
}
