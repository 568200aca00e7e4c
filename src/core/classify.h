/*
 * smtpdiag core: classification of SMTP replies into the fixed category
 * vocabulary, with the transient flag and a hint.
 *
 * Order of strength: the reply text of known situations (provider- and
 * MTA-specific texts first), then the RFC 3463 enhanced status code (the
 * whole IANA registry, X.0.0 to X.7.30, plus the vendor codes of Microsoft
 * 365 and Gmail), then the basic reply code together with the command it
 * answered. "transient" means that the same message may succeed later,
 * unchanged: it follows the reply's meaning, not only its first digit.
 */
#ifndef SDIAG_CLASSIFY_H
#define SDIAG_CLASSIFY_H

#include "error.h"

/* Mail services the classifier knows by host name or by their reply texts,
 * for provider-aware hints. Keep in step with sdiag_provider_name(). */
typedef enum sdiag_provider {
	SDIAG_PROVIDER_NONE = 0,
	SDIAG_PROVIDER_GMAIL,        /* Gmail and Google Workspace */
	SDIAG_PROVIDER_MICROSOFT365, /* Microsoft 365, Exchange Online, Outlook.com */
	SDIAG_PROVIDER_YAHOO,        /* Yahoo and AOL */
	SDIAG_PROVIDER_ICLOUD,
	SDIAG_PROVIDER_ZOHO,
	SDIAG_PROVIDER_AMAZON_SES,
	SDIAG_PROVIDER_SENDGRID,
	SDIAG_PROVIDER_MAILGUN,
	SDIAG_PROVIDER_POSTMARK,
	SDIAG_PROVIDER_MAILJET,
	SDIAG_PROVIDER_BREVO,
	SDIAG_PROVIDER_SPARKPOST,
	SDIAG_PROVIDER_MIMECAST,
	SDIAG_PROVIDER__COUNT
} sdiag_provider_t;

/* "gmail", "microsoft365", "yahoo", "icloud", "zoho", "amazon_ses",
 * "sendgrid", "mailgun", "postmark", "mailjet", "brevo", "sparkpost",
 * "mimecast"; NULL for SDIAG_PROVIDER_NONE and out-of-range values. */
const char *sdiag_provider_name(sdiag_provider_t p);

/* The provider behind a server: by its host name first (may be NULL), then
 * by markers in the reply text (may be NULL), such as "gsmtp". */
sdiag_provider_t sdiag_provider_detect(const char *host, const char *text);

/* Fill err (category, transient, codes, hint, matched) for a reply given to
 * a command of the given phase. The message is left to the caller. */
void sdiag_classify_reply(sdiag_error_t *err, int code, const char *enhanced, const char *text, sdiag_phase_t phase);

/* The same, with the SMTP server's host name (may be NULL) for
 * provider-aware hints; the provider is also recognised from the text. */
void sdiag_classify_reply_host(sdiag_error_t *err, int code, const char *enhanced, const char *text, sdiag_phase_t phase,
	const char *host);

#endif
