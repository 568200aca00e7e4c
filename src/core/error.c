/* smtpdiag core: categories, phases, the error record. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct {
	const char *name;
	int transient;
	const char *hint;
} categories[SDIAG_CAT__COUNT] = {
	[SDIAG_CAT_NONE] = {"none", 0, ""},
	[SDIAG_CAT_CONFIG_INVALID] = {"config_invalid", 0, "Fix the mail configuration (host, port, encryption, credentials) as the message says."},
	[SDIAG_CAT_DNS_ERROR] = {"dns_error", 1, "The host name did not resolve: check it for typos, and check the DNS servers this machine (or the dns_servers option) uses."},
	[SDIAG_CAT_CONNECTION_REFUSED] = {"connection_refused", 1, "Nothing listens on that host and port, or a firewall rejects the connection: check the port (587 for STARTTLS submission, 465 for implicit TLS, 25 for relay) and that the server is running."},
	[SDIAG_CAT_CONNECTION_TIMEOUT] = {"connection_timeout", 1, "No answer to the TCP connection: a firewall is probably dropping it (many cloud providers block outgoing port 25). Try port 587 or 465, or ask the provider to open the port."},
	[SDIAG_CAT_CONNECTION_LOST] = {"connection_lost", 1, "The server closed the connection unexpectedly: check its logs; a server often drops clients it considers abusive or misconfigured."},
	[SDIAG_CAT_TIMEOUT] = {"timeout", 1, "The server did not answer in time: it may be overloaded, or expect something else on this port (for example TLS from the first byte on port 465)."},
	[SDIAG_CAT_TLS_ERROR] = {"tls_error", 0, "The TLS handshake failed: check that the encryption mode matches the port (implicit TLS on 465, STARTTLS on 587) and that client and server share a TLS version and cipher."},
	[SDIAG_CAT_TLS_CERTIFICATE] = {"tls_certificate", 0, "The server's certificate was not accepted: renew it if it expired, make the host name match a name in the certificate, or give the CA with the cafile option; do not turn verify_peer off in production."},
	[SDIAG_CAT_TLS_REQUIRED] = {"tls_required", 0, "Encryption was required but the server did not offer it: use the port and mode the provider documents (587 with STARTTLS, 465 with implicit TLS), or check for a middlebox stripping STARTTLS."},
	[SDIAG_CAT_PROTOCOL_ERROR] = {"protocol_error", 0, "The server's answers are not valid SMTP: check that the host and port belong to a mail server and that nothing (a proxy, a TLS mismatch) sits in between."},
	[SDIAG_CAT_AUTH_FAILED] = {"auth_failed", 0, "The server rejected the credentials: check the user name and password (many providers need an app password or API key instead of the account password)."},
	[SDIAG_CAT_AUTH_REQUIRED] = {"auth_required", 0, "The server requires authentication: configure a user name and password."},
	[SDIAG_CAT_AUTH_UNSUPPORTED] = {"auth_unsupported", 0, "The server does not offer an authentication mechanism that can be used here: check the auth option, and enable encryption (servers often offer AUTH only after STARTTLS)."},
	[SDIAG_CAT_MAILBOX_UNAVAILABLE] = {"mailbox_unavailable", 0, "The recipient mailbox does not exist or does not accept mail: check the address."},
	[SDIAG_CAT_MAILBOX_NAME_INVALID] = {"mailbox_name_invalid", 0, "The address is not valid: check its syntax."},
	[SDIAG_CAT_MAILBOX_FULL] = {"mailbox_full", 1, "The recipient's mailbox is full: the recipient must free space."},
	[SDIAG_CAT_SENDER_REJECTED] = {"sender_rejected", 0, "The server does not accept this sender address: use an address the account may send as."},
	[SDIAG_CAT_RELAY_DENIED] = {"relay_denied", 0, "The server does not relay for you: authenticate, or send through a server that accepts mail for this recipient."},
	[SDIAG_CAT_RATE_LIMITED] = {"rate_limited", 1, "A sending limit was reached: slow down, spread the mail over time, or raise the account's quota."},
	[SDIAG_CAT_SPAM_OR_POLICY] = {"spam_or_policy", 0, "The message or sender was refused by policy: check SPF, DKIM and DMARC for the sender domain and the content of the message."},
	[SDIAG_CAT_MESSAGE_TOO_LARGE] = {"message_too_large", 0, "The message is larger than the server accepts: send smaller attachments or links."},
	[SDIAG_CAT_GREYLISTED] = {"greylisted", 1, "The server greylisted the message: retry in a few minutes, as any MTA would."},
	[SDIAG_CAT_TEMPORARY_LOCAL_ERROR] = {"temporary_local_error", 1, "The server had a temporary problem: retry later."},
	[SDIAG_CAT_SERVICE_UNAVAILABLE] = {"service_unavailable", 1, "The server is not accepting mail now: retry later, or check that this is the right server."},
	[SDIAG_CAT_SYNTAX_ERROR] = {"syntax_error", 0, "The server did not understand a command: this points to a client or proxy problem; the transcript shows the exchange."},
	[SDIAG_CAT_OTHER] = {"other", 0, "The server refused the request: the transcript shows its reply."},
};

static const char *phases[SDIAG_PHASE__COUNT] = {
	"none", "config", "dns", "connect", "banner", "ehlo", "starttls", "tls", "auth", "mail", "rcpt", "data", "quit",
};

const char *sdiag_category_name(sdiag_category_t c)
{
	return (c >= 0 && c < SDIAG_CAT__COUNT) ? categories[c].name : "other";
}

const char *sdiag_category_hint(sdiag_category_t c)
{
	return (c > 0 && c < SDIAG_CAT__COUNT) ? categories[c].hint : categories[SDIAG_CAT_OTHER].hint;
}

int sdiag_category_transient(sdiag_category_t c)
{
	return (c > 0 && c < SDIAG_CAT__COUNT) ? categories[c].transient : 0;
}

const char *sdiag_phase_name(sdiag_phase_t p)
{
	return (p >= 0 && p < SDIAG_PHASE__COUNT) ? phases[p] : "none";
}

void sdiag_error_clear(sdiag_error_t *e)
{
	memset(e, 0, sizeof(*e));
}

sdiag_status_t sdiag_error_set(sdiag_error_t *e, sdiag_category_t c, sdiag_phase_t p, const char *fmt, ...)
{
	va_list ap;
	e->category = c;
	e->phase = p;
	e->transient = sdiag_category_transient(c);
	va_start(ap, fmt);
	vsnprintf(e->message, sizeof(e->message), fmt, ap);
	va_end(ap);
	snprintf(e->hint, sizeof(e->hint), "%s", sdiag_category_hint(c));
	return SDIAG_ERR;
}

void sdiag_error_hint(sdiag_error_t *e, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->hint, sizeof(e->hint), fmt, ap);
	va_end(ap);
}
