/*
 * smtpdiag core: reply classification.
 *
 * Order of strength:
 *   1. the reply text: a table of case-insensitive substrings (provider- and
 *      MTA-specific texts first), each optionally restricted to a provider, a
 *      command, a code class or an enhanced code;
 *   2. the RFC 3463 enhanced status code: the IANA registry X.0.0 to X.7.30,
 *      then the vendor codes Microsoft 365 and Gmail use beyond it;
 *   3. the basic reply code with the command it answered (a 550 to MAIL FROM
 *      is about the sender, to RCPT TO about the recipient).
 * The transient flag comes from the deciding rule when it knows better than
 * the first digit (a daily quota refused with 550 passes tomorrow; a TLS
 * requirement answered with 421 does not pass until the client changes),
 * else from the category, else from the first digit.
 * The hint: the deciding rule's own (a text rule's or an enhanced code's),
 * else the provider's for that category, else the category's generic hint.
 */
#include "classify.h"

#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Providers                                                           */

static const char *const provider_names[SDIAG_PROVIDER__COUNT] = {
	NULL, "gmail", "microsoft365", "yahoo", "icloud", "zoho", "amazon_ses", "sendgrid", "mailgun",
	"postmark", "mailjet", "brevo", "sparkpost", "mimecast",
};

const char *sdiag_provider_name(sdiag_provider_t p)
{
	return (p > SDIAG_PROVIDER_NONE && p < SDIAG_PROVIDER__COUNT) ? provider_names[p] : NULL;
}

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* host equals suffix, or ends with "." suffix; case-insensitive. */
static int host_is(const char *host, size_t hlen, const char *suffix)
{
	size_t slen = strlen(suffix), i;
	if (hlen < slen || (hlen > slen && host[hlen - slen - 1] != '.')) {
		return 0;
	}
	for (i = 0; i < slen; i++) {
		if (lower(host[hlen - slen + i]) != suffix[i]) {
			return 0;
		}
	}
	return 1;
}

static int has_ci(const char *text, const char *needle)
{
	size_t n = strlen(needle), i;
	for (; *text; text++) {
		for (i = 0; i < n && text[i] && lower(text[i]) == needle[i]; i++) {
		}
		if (i == n) {
			return 1;
		}
	}
	return 0;
}

static int prefix_ci(const char *s, const char *prefix)
{
	for (; *prefix; s++, prefix++) {
		if (lower(*s) != *prefix) {
			return 0;
		}
	}
	return 1;
}

static const struct {
	const char *suffix;
	sdiag_provider_t p;
} provider_hosts[] = {
	/* smtp.gmail.com, smtp-relay.gmail.com, gmail-smtp-in.l.google.com, aspmx.l.google.com */
	{"gmail.com", SDIAG_PROVIDER_GMAIL}, {"googlemail.com", SDIAG_PROVIDER_GMAIL}, {"l.google.com", SDIAG_PROVIDER_GMAIL},
	/* smtp.office365.com, outlook.office365.com, smtp-mail.outlook.com, *.mail.protection.outlook.com */
	{"office365.com", SDIAG_PROVIDER_MICROSOFT365}, {"outlook.com", SDIAG_PROVIDER_MICROSOFT365},
	{"hotmail.com", SDIAG_PROVIDER_MICROSOFT365}, {"live.com", SDIAG_PROVIDER_MICROSOFT365},
	{"yahoo.com", SDIAG_PROVIDER_YAHOO}, {"yahoodns.net", SDIAG_PROVIDER_YAHOO}, {"aol.com", SDIAG_PROVIDER_YAHOO},
	{"me.com", SDIAG_PROVIDER_ICLOUD}, {"icloud.com", SDIAG_PROVIDER_ICLOUD}, {"mac.com", SDIAG_PROVIDER_ICLOUD},
	{"amazonses.com", SDIAG_PROVIDER_AMAZON_SES},
	{"sendgrid.net", SDIAG_PROVIDER_SENDGRID}, {"sendgrid.com", SDIAG_PROVIDER_SENDGRID},
	{"mailgun.org", SDIAG_PROVIDER_MAILGUN}, {"mailgun.net", SDIAG_PROVIDER_MAILGUN},
	{"postmarkapp.com", SDIAG_PROVIDER_POSTMARK},
	{"mailjet.com", SDIAG_PROVIDER_MAILJET},
	{"brevo.com", SDIAG_PROVIDER_BREVO}, {"sendinblue.com", SDIAG_PROVIDER_BREVO},
	{"sparkpostmail.com", SDIAG_PROVIDER_SPARKPOST}, {"sparkpost.com", SDIAG_PROVIDER_SPARKPOST},
};

/* Markers in reply texts (lower case); URLs and host names the provider
 * puts in its own replies, not addresses that could be anybody's. */
static const struct {
	const char *marker;
	sdiag_provider_t p;
} provider_markers[] = {
	{"gsmtp", SDIAG_PROVIDER_GMAIL}, {"support.google.com", SDIAG_PROVIDER_GMAIL}, {"- gcdp", SDIAG_PROVIDER_GMAIL},
	{"google's", SDIAG_PROVIDER_GMAIL},
	{"protection.outlook.com", SDIAG_PROVIDER_MICROSOFT365}, {"prod.outlook.com", SDIAG_PROVIDER_MICROSOFT365},
	{"exchangelabs.com", SDIAG_PROVIDER_MICROSOFT365}, {"aka.ms/", SDIAG_PROVIDER_MICROSOFT365},
	{"sender.office.com", SDIAG_PROVIDER_MICROSOFT365}, {"go.microsoft.com", SDIAG_PROVIDER_MICROSOFT365},
	{"postmaster.live.com", SDIAG_PROVIDER_MICROSOFT365}, {"mail.live.com", SDIAG_PROVIDER_MICROSOFT365},
	{"[outlook.com]", SDIAG_PROVIDER_MICROSOFT365}, {"storedrv.", SDIAG_PROVIDER_MICROSOFT365},
	{"smtpclientauthentication", SDIAG_PROVIDER_MICROSOFT365}, {"sendasdenied", SDIAG_PROVIDER_MICROSOFT365},
	{"yahooinc.com", SDIAG_PROVIDER_YAHOO}, {"verizonmedia.com", SDIAG_PROVIDER_YAHOO}, {"postmaster.yahoo", SDIAG_PROVIDER_YAHOO},
	{".yahoo.com", SDIAG_PROVIDER_YAHOO}, {"(#auth0", SDIAG_PROVIDER_YAHOO}, {"[tss0", SDIAG_PROVIDER_YAHOO},
	{"support.apple.com", SDIAG_PROVIDER_ICLOUD}, {"me.com error", SDIAG_PROVIDER_ICLOUD}, {"[cs0", SDIAG_PROVIDER_ICLOUD},
	{"zoho", SDIAG_PROVIDER_ZOHO},
	{"amazon ses", SDIAG_PROVIDER_AMAZON_SES},
	{"failed the check in region", SDIAG_PROVIDER_AMAZON_SES}, {"throttling failure", SDIAG_PROVIDER_AMAZON_SES},
	{"sendgrid", SDIAG_PROVIDER_SENDGRID},
	{"mailgun", SDIAG_PROVIDER_MAILGUN},
	{"postmarkapp", SDIAG_PROVIDER_POSTMARK},
	{"mailjet", SDIAG_PROVIDER_MAILJET},
	{"brevo", SDIAG_PROVIDER_BREVO}, {"sendinblue", SDIAG_PROVIDER_BREVO},
	{"sparkpost", SDIAG_PROVIDER_SPARKPOST}, {"x-msys-api", SDIAG_PROVIDER_SPARKPOST},
	{"mimecast", SDIAG_PROVIDER_MIMECAST},
};

sdiag_provider_t sdiag_provider_detect(const char *host, const char *text)
{
	size_t i;
	if (host && *host) {
		size_t hlen = strlen(host);
		while (hlen && host[hlen - 1] == '.') {
			hlen--;
		}
		for (i = 0; i < sizeof(provider_hosts) / sizeof(*provider_hosts); i++) {
			if (host_is(host, hlen, provider_hosts[i].suffix)) {
				return provider_hosts[i].p;
			}
		}
		/* email-smtp.<region>.amazonaws.com */
		if (hlen > 11 && prefix_ci(host, "email-smtp.") && host_is(host, hlen, "amazonaws.com")) {
			return SDIAG_PROVIDER_AMAZON_SES;
		}
		/* smtp.zoho.com, .eu, .in, .com.au, .jp, smtppro.zoho.*, mx.zohomail.com */
		if (has_ci(host, "zoho")) {
			return SDIAG_PROVIDER_ZOHO;
		}
		if (has_ci(host, "mimecast")) {
			return SDIAG_PROVIDER_MIMECAST;
		}
	}
	if (text && *text) {
		for (i = 0; i < sizeof(provider_markers) / sizeof(*provider_markers); i++) {
			if (has_ci(text, provider_markers[i].marker)) {
				return provider_markers[i].p;
			}
		}
	}
	return SDIAG_PROVIDER_NONE;
}

/* ------------------------------------------------------------------ */
/* Hints                                                               */

/* Specific hints, one or two sentences: the cause, then the fix. */
#define H_GMAIL_APP_PASSWORD "Gmail needs an app password: the account has 2-Step Verification, so the account password is refused for SMTP. Create an app password at https://myaccount.google.com/apppasswords and use it (or log in with OAuth2)."
#define H_GMAIL_WEB_LOGIN "Google blocked this sign-in as suspicious: sign in once at https://accounts.google.com from the same network to confirm it, then use an app password (or OAuth2) for SMTP."
#define H_GMAIL_UNUSUAL_RATE "Gmail is rate-limiting mail from this IP or domain for an unusual rate of (unsolicited) mail: slow down, check Google Postmaster Tools and follow the sender guidelines at https://support.google.com/mail/answer/81126."
#define H_GMAIL_DIRECT "Gmail does not take mail directly from this IP (a dynamic or residential range): send through your provider's SMTP relay or a submission server with authentication."
#define H_GMAIL_HELO_DOS "Google refused the connection at EHLO, usually for too many connections from this client: slow down and retry later; for the Workspace SMTP relay, check its limits."
#define H_M365_TENANT "SMTP AUTH is disabled for this Microsoft 365 tenant or mailbox: an admin must enable it (Set-TransportConfig -SmtpClientAuthenticationDisabled $false, or per mailbox Set-CASMailbox -SmtpClientAuthenticationDisabled $false), or the application must use OAuth2; see https://aka.ms/smtp_auth_disabled."
#define H_M365_BASIC "Microsoft 365 refuses basic authentication (user name and password) for this account: log in with OAuth2 (XOAUTH2), or have an admin allow SMTP AUTH for the mailbox."
#define H_M365_POLICY "A Microsoft 365 security policy (security defaults, Conditional Access or MFA) refused the login: an admin must exempt this account for SMTP AUTH, or the application must use OAuth2."
#define H_M365_SENDAS "The logged-in Microsoft 365 mailbox has no right to send as this From address: send from the logged-in address, or have an admin grant Send As for it (Add-RecipientPermission), or use a connector (SMTP relay) instead of a login."
#define H_M365_QUOTA "The Microsoft 365 mailbox reached its sending limit (10,000 recipients a day, 30 messages a minute): wait for the limit to reset and spread the mail out; a sudden burst can also mean the account is compromised."
#define H_SES_UNVERIFIED "Amazon SES has not verified this identity in this region: verify the From address or domain in the SES console of this region; while the account is in the SES sandbox every recipient must be verified too (request production access to lift it)."
#define H_SENDGRID_IDENTITY "SendGrid refused the From address: it must match a verified Sender Identity (a verified single sender or an authenticated domain) of the account."
#define H_SENDGRID_CREDITS "SendGrid refused the mail because the plan's email credits are used up: wait for the plan to renew or upgrade it."
#define H_MAILGUN_SANDBOX "A Mailgun sandbox domain delivers only to authorized recipients: add the recipient under authorized recipients, or send from your own verified domain."
#define H_SPARKPOST_DOMAIN "SparkPost refused the From domain: add and verify it as a sending domain (Configuration > Sending Domains), or send from a domain already verified."
#define H_POSTMARK_SIGNATURE "Postmark refused the From address: it must be a confirmed Sender Signature or on a verified domain of the server."
#define H_ZOHO_FROM "Zoho accepts only the logged-in account or one of its verified aliases as sender ('Relaying disallowed as'): set the From address to the account's address or add it as an alias."
#define H_YAHOO_APP_PASSWORD "Yahoo/AOL answers #AUTH005 to any password that is not an app password: generate an app password in the account's security settings and use it."
#define H_YAHOO_FROM "Yahoo refused the message after accepting the recipient: when submitting through Yahoo, the From must be the logged-in Yahoo address, and the content must not look like spam."
#define H_MIMECAST_GREY "Mimecast greylisted the message (or the sending IP has a poor reputation): a correctly configured server retries after a few minutes and Mimecast accepts the retry."
#define H_LOGIN_MISMATCH "The server ties sender addresses to logins and the envelope From is not one the logged-in user may use: send from the address you log in with, or one of its aliases."
#define H_SENDER_DOMAIN "The sender's domain does not resolve (no MX or A record, or the lookup failed): send from an address on a domain that exists in DNS, or fix the domain's DNS."
#define H_NOT_LOGGED_IN "This sender address belongs to a login: authenticate as its owner before MAIL FROM."
#define H_FROM_DOMAIN "The From domain is not one the credential may send for: send from an address on a domain set up for this credential."
#define H_AUTH_NOT_OFFERED "The server has no SMTP AUTH on this port or listener: use its submission port (587 with STARTTLS, or 465), or send without authentication if it accepts you by IP."
#define H_AUTH_AFTER_TLS "The server offers AUTH only after STARTTLS (or not on this port): enable encryption (STARTTLS on 587, or implicit TLS on 465) before authenticating."
#define H_AUTH_TWICE "The session is already authenticated (or AUTH came out of sequence): authenticate once per session; this points to the client."
#define H_LOGIN_THROTTLE "Too many failed logins: the server refuses logins for a while. Fix the credentials (Gmail: use an app password) and retry later."
#define H_PASSWORD_TRANSITION "The server needs a password transition: authenticate once with PLAIN over TLS, after which the selected mechanism works."
#define H_HELO "The server refused the EHLO name: set the helo option to this machine's fully-qualified host name, one that resolves in DNS (ideally the name of its PTR record)."
#define H_PROTOCOL "The server saw a protocol violation (commands pipelined where not allowed, or out of order): this points to the client or to something between it and the server; the transcript shows the exchange."
#define H_TLS_OLD "The server refuses old TLS versions: use TLS 1.2 or newer (update the client's OpenSSL, or its minimum TLS version)."
#define H_TLS_UNAVAILABLE "The server offered STARTTLS but cannot start TLS now (a server-side certificate or configuration problem): retry later, or tell its administrator."
#define H_REPUTATION "The receiving server defers mail from this IP or domain for its reputation: slow down, check blocklists and SPF/DKIM/DMARC, and watch the provider's postmaster tools; deferred mail may pass on retry."
#define H_PTR "The sending IP has no PTR record (reverse DNS), or its name does not resolve back to it: set a matching PTR record, or send through your provider's relay."
#define H_SPF "SPF failed for the sender domain: add the sending server or service to the domain's SPF record."
#define H_DKIM "DKIM did not pass: sign the mail with DKIM for the From domain (most providers publish the DNS records to add)."
#define H_DMARC "The From domain's DMARC policy rejected the message: make SPF or DKIM pass and align with the From domain."
#define H_UNAUTHENTICATED "The receiving server requires SPF or DKIM to pass for the sender domain: publish SPF and sign with DKIM, aligned with the From domain; retrying does not help until then."
#define H_BLOCKLIST "The sending IP or domain is on a blocklist: look it up (the reply often gives a link, e.g. Spamhaus), fix the cause, request delisting, or send through a relay with a clean reputation."
#define H_RFC5322 "The message is not RFC 5322 compliant (a missing or invalid From or Message-ID, duplicate headers): fix how the message is built."
#define H_CONTENT "The message's content was refused (spam score, virus, forbidden attachment or links): change the content or the attachment; the same message is refused again."
#define H_WHITELIST "The recipient domain accepts mail only from listed IPs: ask its administrator to allow this sending IP."
#define H_LINE_LENGTH "A line of the message is longer than the server accepts (998 characters): encode the body as quoted-printable or base64."
#define H_HEADERS "The message's headers are larger than the server accepts: shorten them (fewer recipients in To/Cc, shorter header lines)."
#define H_RECIPIENT_RATE "The recipient receives mail faster than its provider allows: retry later; the message itself is fine."
#define H_RECIPIENTS "Too many recipients for one transaction or one period: send the rest in another transaction or later."
#define H_CONNECTIONS "Too many connections from this client: reuse one connection for several messages, open fewer at once, and retry later."
#define H_VERIFY "The server is still verifying the address (address verification in progress): retry in a few minutes."
#define H_LOOP "The message looped between servers (too many hops): a forwarding or routing configuration on the receiving side sends it back; tell the recipient's administrator."
#define H_SANDBOX_RELAY "The relay accepts this sender only for listed recipients or domains: add the recipient where the service asks, or use a sender and domain set up for relaying."
#define H_MIMECAST_RELAY "Mimecast does not relay for this sender or domain: the recipient domain or the sending IP is not set up in Mimecast; the recipient's administrator must change that."
#define H_MIMECAST_POLICY "Mimecast refused the message by the recipient organization's policy: only the recipient's Mimecast administrator can change it; send them the reply text."
#define H_MAILBOX_DISABLED "The recipient's mailbox is disabled or inactive: use another address for the recipient."
#define H_NO_RECIPIENTS "Every recipient was refused earlier in the transaction: the per-recipient replies say why."
#define H_NULL_MX "The domain publishes a null MX: it accepts no mail at all; use another address."
#define H_SMTPUTF8 "The address is not ASCII and the server does not accept it (SMTPUTF8): use an ASCII address (an IDN domain can be written in its xn-- form)."
#define H_MEDIA "The server refused the message's format or encoding (MIME, 8-bit data, conversion): send it as 7-bit MIME (quoted-printable or base64)."
#define H_REQUIRETLS "The message requires TLS all the way (REQUIRETLS) and the next server does not support it: send without REQUIRETLS or to a server that supports it."
#define H_CONCURRENCY "The server limits concurrent connections: open fewer at once and retry later."

typedef struct {
	sdiag_provider_t p;
	sdiag_category_t cat;
	const char *hint;
} provider_hint_t;

/* Provider-aware hints by category, used when the deciding rule has none. */
static const provider_hint_t provider_hints[] = {
	{SDIAG_PROVIDER_GMAIL, SDIAG_CAT_AUTH_FAILED, "Gmail refused the login: with a password, create an app password at https://myaccount.google.com/apppasswords (the account password does not work for SMTP); with OAuth2, the access token has expired or lacks the Gmail SMTP scope."},
	{SDIAG_PROVIDER_GMAIL, SDIAG_CAT_RATE_LIMITED, "A Gmail sending limit was reached (about 500 recipients a day for a gmail.com account, 2,000 for Google Workspace, fewer for new accounts): wait for the 24-hour window to pass, or send bulk mail through a sending service."},
	{SDIAG_PROVIDER_GMAIL, SDIAG_CAT_SENDER_REJECTED, "Google refused this sender: send from the logged-in account or an address added under 'Send mail as'; for the Workspace SMTP relay, the sender must be a user or domain of the account."},
	{SDIAG_PROVIDER_GMAIL, SDIAG_CAT_SPAM_OR_POLICY, "Gmail refused the message by policy: authenticate the sender domain with SPF and DKIM, publish DMARC, give the sending IP a PTR record, and follow https://support.google.com/mail/answer/81126."},
	{SDIAG_PROVIDER_GMAIL, SDIAG_CAT_TLS_REQUIRED, "Gmail requires TLS: use STARTTLS on port 587 or implicit TLS on port 465 (smtp.gmail.com)."},
	{SDIAG_PROVIDER_GMAIL, SDIAG_CAT_RELAY_DENIED, "The Google Workspace SMTP relay did not accept this client: register the sending IP in the Admin console (Apps > Google Workspace > Gmail > Routing > SMTP relay service), or require and use SMTP AUTH there."},
	{SDIAG_PROVIDER_GMAIL, SDIAG_CAT_AUTH_REQUIRED, "Gmail requires a login before MAIL FROM: authenticate (app password or OAuth2) after STARTTLS."},
	{SDIAG_PROVIDER_MICROSOFT365, SDIAG_CAT_AUTH_FAILED, "Microsoft 365 refused the login: the password may be wrong, SMTP AUTH may be disabled for the tenant or mailbox (the mailbox's 'Authenticated SMTP' setting), or security defaults or MFA block basic authentication; OAuth2 (XOAUTH2) is the lasting fix."},
	{SDIAG_PROVIDER_MICROSOFT365, SDIAG_CAT_AUTH_REQUIRED, "Microsoft 365 requires a login on smtp.office365.com: configure the mailbox's user name and password (or OAuth2). To send without a login, use the tenant's MX endpoint (direct send) or a connector (SMTP relay)."},
	{SDIAG_PROVIDER_MICROSOFT365, SDIAG_CAT_SENDER_REJECTED, H_M365_SENDAS},
	{SDIAG_PROVIDER_MICROSOFT365, SDIAG_CAT_RATE_LIMITED, "Microsoft 365 or Outlook.com is limiting this sender or recipient: retry later and spread the mail out (Exchange Online allows 10,000 recipients a day and 30 messages a minute per mailbox)."},
	{SDIAG_PROVIDER_MICROSOFT365, SDIAG_CAT_SPAM_OR_POLICY, "Microsoft 365/Outlook.com refused the message by policy: check the sending IP at https://sender.office.com (delisting) and SPF, DKIM and DMARC of the sender domain."},
	{SDIAG_PROVIDER_MICROSOFT365, SDIAG_CAT_RELAY_DENIED, "Exchange Online did not attribute this connection to a tenant that accepts it: check the inbound connector's IP address or certificate, or authenticate to smtp.office365.com."},
	{SDIAG_PROVIDER_MICROSOFT365, SDIAG_CAT_MAILBOX_UNAVAILABLE, "Exchange Online does not know this recipient (Directory Based Edge Blocking): check the address."},
	{SDIAG_PROVIDER_AMAZON_SES, SDIAG_CAT_AUTH_FAILED, "Amazon SES refused the login: use SMTP credentials created under SES > SMTP settings in this region (not the AWS access key and secret), with the endpoint email-smtp.<region>.amazonaws.com of that region."},
	{SDIAG_PROVIDER_AMAZON_SES, SDIAG_CAT_AUTH_REQUIRED, "Amazon SES requires SMTP authentication: log in with the SES SMTP credentials of this region after STARTTLS."},
	{SDIAG_PROVIDER_AMAZON_SES, SDIAG_CAT_SENDER_REJECTED, H_SES_UNVERIFIED},
	{SDIAG_PROVIDER_AMAZON_SES, SDIAG_CAT_RATE_LIMITED, "Amazon SES throttled the account: stay under the maximum send rate (messages per second) and the 24-hour quota shown in the SES console, retry with backoff, or request a higher quota."},
	{SDIAG_PROVIDER_AMAZON_SES, SDIAG_CAT_TLS_REQUIRED, "Amazon SES requires TLS: use STARTTLS on port 587 (or 25, 2587), or implicit TLS on 465 (or 2465)."},
	{SDIAG_PROVIDER_SENDGRID, SDIAG_CAT_AUTH_FAILED, "SendGrid refused the login: the user name must be the literal string 'apikey' and the password an API key with the Mail Send permission; with IP Access Management on, the sending IP must be allowed too."},
	{SDIAG_PROVIDER_SENDGRID, SDIAG_CAT_AUTH_REQUIRED, "SendGrid requires a login: authenticate with the user name 'apikey' and an API key as password."},
	{SDIAG_PROVIDER_SENDGRID, SDIAG_CAT_SENDER_REJECTED, H_SENDGRID_IDENTITY},
	{SDIAG_PROVIDER_SENDGRID, SDIAG_CAT_RATE_LIMITED, H_SENDGRID_CREDITS},
	{SDIAG_PROVIDER_MAILGUN, SDIAG_CAT_AUTH_FAILED, "Mailgun refused the login: use the SMTP credentials of the sending domain (such as postmaster@your-domain, from the domain's SMTP credentials page), and smtp.eu.mailgun.org for a domain in the EU region."},
	{SDIAG_PROVIDER_MAILGUN, SDIAG_CAT_RELAY_DENIED, "Mailgun did not accept this recipient: a sandbox domain delivers only to authorized recipients, and SMTP credentials send only for their own domain; add the recipient, or send from your verified domain."},
	{SDIAG_PROVIDER_MAILGUN, SDIAG_CAT_SENDER_REJECTED, "Mailgun refused the sender: send from the domain the SMTP credentials belong to, verified in Mailgun."},
	{SDIAG_PROVIDER_POSTMARK, SDIAG_CAT_AUTH_FAILED, "Postmark refused the login: use a Server API token as both user name and password (or the access key and secret of an SMTP token)."},
	{SDIAG_PROVIDER_POSTMARK, SDIAG_CAT_SENDER_REJECTED, H_POSTMARK_SIGNATURE},
	{SDIAG_PROVIDER_MAILJET, SDIAG_CAT_AUTH_FAILED, "Mailjet refused the login: the user name is the API key and the password the secret key (not the account's login)."},
	{SDIAG_PROVIDER_MAILJET, SDIAG_CAT_AUTH_REQUIRED, "Mailjet requires a login: authenticate with the API key as user name and the secret key as password."},
	{SDIAG_PROVIDER_MAILJET, SDIAG_CAT_SENDER_REJECTED, "Mailjet refused the sender: add and validate the From address or domain under Account settings > Senders & domains."},
	{SDIAG_PROVIDER_BREVO, SDIAG_CAT_AUTH_FAILED, "Brevo refused the login: use the SMTP login shown under SMTP & API > SMTP and an SMTP key as password (not the account password or an API key)."},
	{SDIAG_PROVIDER_BREVO, SDIAG_CAT_AUTH_REQUIRED, "Brevo requires a login before MAIL FROM: authenticate (AUTH LOGIN or PLAIN) with the SMTP login and an SMTP key."},
	{SDIAG_PROVIDER_BREVO, SDIAG_CAT_SENDER_REJECTED, "Brevo refused the sender: add and verify the From address or domain under Senders, Domains & Dedicated IPs."},
	{SDIAG_PROVIDER_SPARKPOST, SDIAG_CAT_AUTH_FAILED, "SparkPost refused the login: the user name must be SMTP_Injection and the password an API key with the 'Send via SMTP' permission."},
	{SDIAG_PROVIDER_SPARKPOST, SDIAG_CAT_SENDER_REJECTED, H_SPARKPOST_DOMAIN},
	{SDIAG_PROVIDER_ZOHO, SDIAG_CAT_AUTH_FAILED, "Zoho refused the login: use the full address, the SMTP host of the account's data center (smtp.zoho.com, .eu, .in, ...), and an application-specific password if two-factor authentication is on."},
	{SDIAG_PROVIDER_ZOHO, SDIAG_CAT_SENDER_REJECTED, H_ZOHO_FROM},
	{SDIAG_PROVIDER_ICLOUD, SDIAG_CAT_AUTH_FAILED, "iCloud refused the login: use the full iCloud address as user name and an app-specific password created at https://account.apple.com (the Apple Account password does not work for SMTP)."},
	{SDIAG_PROVIDER_ICLOUD, SDIAG_CAT_SENDER_REJECTED, "iCloud refused the From address: send from the iCloud address or a custom-domain address set up in iCloud Mail."},
	{SDIAG_PROVIDER_ICLOUD, SDIAG_CAT_SPAM_OR_POLICY, "iCloud Mail refused the message by policy ([CSxx] codes): check SPF, DKIM, DMARC and the sending IP's reputation; Apple's postmaster information is at https://support.apple.com/en-us/102322."},
	{SDIAG_PROVIDER_YAHOO, SDIAG_CAT_AUTH_FAILED, H_YAHOO_APP_PASSWORD},
	{SDIAG_PROVIDER_YAHOO, SDIAG_CAT_SPAM_OR_POLICY, "Yahoo/AOL refused the message by policy: check SPF, DKIM, DMARC and complaint rates (https://senders.yahooinc.com/smtp-error-codes); when submitting through Yahoo, the From must be the logged-in address."},
	{SDIAG_PROVIDER_YAHOO, SDIAG_CAT_RATE_LIMITED, "Yahoo/AOL deferred the mail for its volume or for user complaints: slow down and retry later; deferrals that persist point to the sender's reputation."},
	{SDIAG_PROVIDER_MIMECAST, SDIAG_CAT_GREYLISTED, H_MIMECAST_GREY},
	{SDIAG_PROVIDER_MIMECAST, SDIAG_CAT_SPAM_OR_POLICY, H_MIMECAST_POLICY},
	{SDIAG_PROVIDER_MIMECAST, SDIAG_CAT_RELAY_DENIED, H_MIMECAST_RELAY},
};

/* ------------------------------------------------------------------ */
/* Text rules                                                          */

/* Commands a rule may be restricted to. */
#define B_CONNECT 0x01u
#define B_EHLO 0x02u
#define B_STARTTLS 0x04u
#define B_AUTH 0x08u
#define B_MAIL 0x10u
#define B_RCPT 0x20u
#define B_DATA 0x40u

typedef struct {
	const char *needle;     /* lower case; "=" prefix: the whole text */
	unsigned char provider; /* sdiag_provider_t, 0: any */
	unsigned char phases;   /* B_* bits, 0: any */
	unsigned short code;    /* 4 or 5: the reply code's first digit; 100-599: that code; 0: any */
	const char *enhanced;   /* the enhanced code, NULL: any */
	unsigned char cat;      /* sdiag_category_t */
	signed char transient;  /* -1: from the category and code */
	const char *hint;       /* NULL: the provider's, the code's or the category's */
} text_rule_t;

#define C(x) SDIAG_CAT_##x
#define P(x) SDIAG_PROVIDER_##x
#define R(needle, cat, tr, hint) {needle, 0, 0, 0, NULL, C(cat), tr, hint}
#define RP(needle, phases, cat, tr, hint) {needle, 0, phases, 0, NULL, C(cat), tr, hint}
#define RC(needle, code, cat, tr, hint) {needle, 0, 0, code, NULL, C(cat), tr, hint}
#define RV(needle, prov, cat, tr, hint) {needle, P(prov), 0, 0, NULL, C(cat), tr, hint}
#define RE(needle, enh, cat, tr, hint) {needle, 0, 0, 0, enh, C(cat), tr, hint}

/* First match wins: the specific texts come before the general ones. */
static const text_rule_t text_rules[] = {
	/* --- credentials, provider texts first --- */
	R("application-specific password required", AUTH_FAILED, 0, H_GMAIL_APP_PASSWORD),
	R("log in via your web browser", AUTH_FAILED, 0, H_GMAIL_WEB_LOGIN),
	R("log in with your web browser", AUTH_FAILED, 0, H_GMAIL_WEB_LOGIN),
	R("log in through your web browser", AUTH_FAILED, 0, H_GMAIL_WEB_LOGIN),
	R("smtpclientauthentication is disabled", AUTH_FAILED, 0, H_M365_TENANT),
	R("basic authentication is disabled", AUTH_FAILED, 0, H_M365_BASIC),
	R("security defaults policy", AUTH_FAILED, 0, H_M365_POLICY),
	R("did not meet the criteria to be authenticated", AUTH_FAILED, 0, H_M365_POLICY),
	R("(#auth005)", AUTH_FAILED, 0, H_YAHOO_APP_PASSWORD),
	R("maximum credits exceeded", RATE_LIMITED, 1, H_SENDGRID_CREDITS),
	R("too many login attempts", RATE_LIMITED, 1, H_LOGIN_THROTTLE),
	R("temporary authentication failure", TEMPORARY_LOCAL_ERROR, 1, NULL),
	R("cannot authenticate due to", TEMPORARY_LOCAL_ERROR, 1, NULL),
	R("password transition is needed", AUTH_FAILED, 0, H_PASSWORD_TRANSITION),
	R("authentication not enabled", AUTH_UNSUPPORTED, 0, H_AUTH_NOT_OFFERED),
	R("auth command used when not advertised", AUTH_UNSUPPORTED, 0, H_AUTH_AFTER_TLS),
	R("unrecognized authentication type", AUTH_UNSUPPORTED, 0, NULL),
	R("xoauth is no longer supported", AUTH_UNSUPPORTED, 0, NULL),
	R("mechanism is too weak", AUTH_UNSUPPORTED, 0, NULL),
	R("no identity changes permitted", SYNTAX_ERROR, 0, H_AUTH_TWICE),
	R("authentication exchange line is too long", SYNTAX_ERROR, 0, NULL),
	R("username and password not accepted", AUTH_FAILED, 0, NULL),
	R("is not loving your login", AUTH_FAILED, 0, NULL),
	R("authentication credentials invalid", AUTH_FAILED, 0, NULL),
	R("no authentication type succeeded", AUTH_FAILED, 0, NULL),
	R("authentication unsuccessful", AUTH_FAILED, 0, NULL),
	R("incorrect authentication data", AUTH_FAILED, 0, NULL),
	R("authentication rejected", AUTH_FAILED, 0, NULL),
	R("invalid login", AUTH_FAILED, 0, NULL),
	R("bad username", AUTH_FAILED, 0, NULL),
	R("bad credentials", AUTH_FAILED, 0, NULL),
	R("authentication failed", AUTH_FAILED, 0, NULL),

	/* --- TLS --- */
	R("must issue a starttls command first", TLS_REQUIRED, 0, NULL),
	R("starttls required", TLS_REQUIRED, 0, NULL),
	R("tls required", TLS_REQUIRED, 0, NULL),
	R("wasn't sent over a tls connection", TLS_REQUIRED, 0, NULL),
	R("senders to use tls", TLS_REQUIRED, 0, NULL),
	R("encryption required", TLS_REQUIRED, 0, NULL),
	R("encryption is required", TLS_REQUIRED, 0, NULL),
	R("tls 1.0 and 1.1 are not supported", TLS_ERROR, 0, H_TLS_OLD),
	R("tls not available", TLS_ERROR, -1, H_TLS_UNAVAILABLE),
	R("tls currently unavailable", TLS_ERROR, -1, H_TLS_UNAVAILABLE),
	R("tls negotiation failed", TLS_ERROR, -1, NULL),

	/* --- authentication required --- */
	R("client was not authenticated to send anonymous mail", AUTH_REQUIRED, 0, NULL),
	R("client not authenticated to send mail", AUTH_REQUIRED, 0, NULL),
	R("unauthenticated senders not allowed", AUTH_REQUIRED, 0, NULL),
	R("sender address rejected: not logged in", AUTH_REQUIRED, 0, H_NOT_LOGGED_IN),
	R("please authenticate", AUTH_REQUIRED, 0, NULL),
	R("turn on smtp authentication", AUTH_REQUIRED, 0, NULL),
	R("you must authenticate", AUTH_REQUIRED, 0, NULL),
	R("authentication is required", AUTH_REQUIRED, 0, NULL),
	R("authentication required", AUTH_REQUIRED, 0, NULL),

	/* --- the sender: provider texts --- */
	R("sendasdenied", SENDER_REJECTED, 0, H_M365_SENDAS),
	R("permissions to send as this sender", SENDER_REJECTED, 0, H_M365_SENDAS),
	R("not allowed to send as", SENDER_REJECTED, 0, H_M365_SENDAS),
	R("email address is not verified", SENDER_REJECTED, 0, H_SES_UNVERIFIED),
	R("identities failed the check", SENDER_REJECTED, 0, H_SES_UNVERIFIED),
	R("does not match a verified sender identity", SENDER_REJECTED, 0, H_SENDGRID_IDENTITY),
	R("not authorized to send from that email address", SENDER_REJECTED, 0, H_SENDGRID_IDENTITY),
	R("unconfigured sending domain", SENDER_REJECTED, 0, H_SPARKPOST_DOMAIN),
	R("sender signature", SENDER_REJECTED, 0, H_POSTMARK_SIGNATURE),
	R("relaying disallowed as", SENDER_REJECTED, 0, H_ZOHO_FROM),
	R("from/sender name is not valid", SENDER_REJECTED, 0, H_FROM_DOMAIN),
	R("not owned by user", SENDER_REJECTED, 0, H_LOGIN_MISMATCH),
	R("mail sending denied", SENDER_REJECTED, 0, NULL),
	RP("request failed; mailbox unavailable", B_DATA, SPAM_OR_POLICY, 0, H_YAHOO_FROM),

	/* --- quotas and rates --- */
	R("sending quota", RATE_LIMITED, 1, NULL),
	R("sending limit", RATE_LIMITED, 1, NULL),
	R("smtp relay limit", RATE_LIMITED, 1, NULL),
	R("daily message quota", RATE_LIMITED, 1, NULL),
	R("relay quota", RATE_LIMITED, 1, NULL),
	R("messages per day", RATE_LIMITED, 1, NULL),
	R("per 24 hours", RATE_LIMITED, 1, NULL),
	R("submissionquotaexceeded", RATE_LIMITED, 1, H_M365_QUOTA),
	R("submission quota", RATE_LIMITED, 1, H_M365_QUOTA),
	R("throttling failure", RATE_LIMITED, 1, NULL),
	R("receiving mail too quickly", RATE_LIMITED, 1, H_RECIPIENT_RATE),
	R("receiving mail at a rate", RATE_LIMITED, 1, H_RECIPIENT_RATE),
	R("exceeded message rate limit", RATE_LIMITED, 1, H_RECIPIENT_RATE),
	R("limit for the number of messages", RATE_LIMITED, 1, NULL),
	R("excessive volume", RATE_LIMITED, 1, NULL),
	R("unexpected volume", RATE_LIMITED, 1, NULL),
	R("too many recipients", RATE_LIMITED, 1, H_RECIPIENTS),
	R("too many recent messages", RATE_LIMITED, 1, NULL),
	R("too much mail from", RATE_LIMITED, 1, NULL),
	R("max message per connection", RATE_LIMITED, 1, NULL),
	R("queue quota exceeded", RATE_LIMITED, 1, NULL),
	R("too many concurrent", RATE_LIMITED, 1, H_CONCURRENCY),
	R("concurrent connections", RATE_LIMITED, 1, H_CONCURRENCY),
	R("concurrency limit", RATE_LIMITED, 1, H_CONCURRENCY),
	R("too many connections", RATE_LIMITED, 1, H_CONNECTIONS),
	R("frequency limited", RATE_LIMITED, 1, NULL),
	R("try again later, closing connection", RATE_LIMITED, 1, H_GMAIL_HELO_DOS),
	R("please try again later from [", RATE_LIMITED, 1, H_REPUTATION),
	R("access denied, please try again later", RATE_LIMITED, 1, H_REPUTATION),

	/* --- greylisting --- */
	R("greylist", GREYLISTED, 1, NULL),
	R("graylist", GREYLISTED, 1, NULL),
	RV("internal resource temporarily unavailable", MIMECAST, GREYLISTED, 1, H_MIMECAST_GREY),
	/* a bare "try again later" to RCPT or DATA is what Rspamd, rmilter and
	 * Barracuda answer when they greylist */
	{"=try again later", 0, B_RCPT | B_DATA, 450, NULL, C(GREYLISTED), 1, NULL},
	{"=try again later", 0, B_RCPT | B_DATA, 451, NULL, C(GREYLISTED), 1, NULL},

	/* --- authentication of the sender domain, reputation, content --- */
	R("because it is unauthenticated", SPAM_OR_POLICY, 0, H_UNAUTHENTICATED),
	R("authenticate with either spf or dkim", SPAM_OR_POLICY, 0, H_UNAUTHENTICATED),
	R("no dmarc alignment", SPAM_OR_POLICY, 0, H_DMARC),
	R("ip not in whitelist", SPAM_OR_POLICY, 0, H_WHITELIST),
	R("nature of the content", SPAM_OR_POLICY, 0, H_CONTENT),
	RC("unusual rate", 4, RATE_LIMITED, 1, H_GMAIL_UNUSUAL_RATE),
	RC("reputation", 4, RATE_LIMITED, 1, H_REPUTATION),
	R("not authorized to send email directly", SPAM_OR_POLICY, 0, H_GMAIL_DIRECT),
	R("duplicate header", SPAM_OR_POLICY, -1, H_RFC5322),
	R("dmarc", SPAM_OR_POLICY, -1, H_DMARC),
	R("dkim", SPAM_OR_POLICY, -1, H_DKIM),
	R("spf", SPAM_OR_POLICY, -1, H_SPF),
	R("authentication checks", SPAM_OR_POLICY, -1, H_UNAUTHENTICATED),
	R("ptr record", SPAM_OR_POLICY, -1, H_PTR),
	R("ptr resource record", SPAM_OR_POLICY, -1, H_PTR),
	R("reverse dns", SPAM_OR_POLICY, -1, H_PTR),
	R("blocked using", SPAM_OR_POLICY, -1, H_BLOCKLIST),
	R("spamhaus", SPAM_OR_POLICY, -1, H_BLOCKLIST),
	R("blacklist", SPAM_OR_POLICY, -1, H_BLOCKLIST),
	R("blocklist", SPAM_OR_POLICY, -1, H_BLOCKLIST),
	R("block list", SPAM_OR_POLICY, -1, H_BLOCKLIST),
	R(" rbl", SPAM_OR_POLICY, -1, H_BLOCKLIST),
	R("cdrbl", SPAM_OR_POLICY, -1, H_BLOCKLIST),
	R("banned", SPAM_OR_POLICY, -1, H_BLOCKLIST),
	R("reputation", SPAM_OR_POLICY, -1, H_REPUTATION),
	R("unusual rate", SPAM_OR_POLICY, -1, H_GMAIL_UNUSUAL_RATE),
	R("rfc 5322", SPAM_OR_POLICY, -1, H_RFC5322),
	R("rfc compliant", SPAM_OR_POLICY, -1, H_RFC5322),
	R("valid address in from", SPAM_OR_POLICY, -1, H_RFC5322),
	R("addresses in from", SPAM_OR_POLICY, -1, H_RFC5322),
	R("8-bit data", SPAM_OR_POLICY, -1, H_MEDIA),
	R("malformed", SPAM_OR_POLICY, -1, H_RFC5322),
	R("unsolicited", SPAM_OR_POLICY, -1, H_CONTENT),
	R("spam", SPAM_OR_POLICY, -1, H_CONTENT),
	R("virus", SPAM_OR_POLICY, -1, H_CONTENT),
	R("illegal attachment", SPAM_OR_POLICY, -1, H_CONTENT),
	R("potential security issue", SPAM_OR_POLICY, -1, H_CONTENT),
	R("content rejected", SPAM_OR_POLICY, -1, H_CONTENT),

	/* --- address verification in progress --- */
	R("address verification in progress", TEMPORARY_LOCAL_ERROR, 1, H_VERIFY),
	R("unverified address", TEMPORARY_LOCAL_ERROR, -1, H_VERIFY),
	R("could not complete sender verify", TEMPORARY_LOCAL_ERROR, 1, NULL),
	R("could not complete recipient verify", TEMPORARY_LOCAL_ERROR, 1, NULL),

	/* --- the sender --- */
	RP("not a valid rfc 5321 address", B_MAIL, SENDER_REJECTED, 0, NULL),
	RP("not a valid rfc-5321 address", B_MAIL, SENDER_REJECTED, 0, NULL),
	R("domain of sender address", SENDER_REJECTED, -1, H_SENDER_DOMAIN),
	R("sender address rejected: domain not found", SENDER_REJECTED, -1, H_SENDER_DOMAIN),
	R("sender address rejected", SENDER_REJECTED, -1, NULL),
	R("sender verify failed", SENDER_REJECTED, 0, NULL),
	R("bad sender address", SENDER_REJECTED, 0, NULL),
	R("invalid sender", SENDER_REJECTED, 0, NULL),
	R("sender rejected", SENDER_REJECTED, -1, NULL),
	R("sender denied", SENDER_REJECTED, 0, NULL),
	R("sender not allowed", SENDER_REJECTED, -1, NULL),

	/* --- relaying --- */
	R("relay access denied", RELAY_DENIED, 0, NULL),
	R("relaying denied", RELAY_DENIED, 0, NULL),
	R("relay not permitted", RELAY_DENIED, 0, NULL),
	R("not permitted to relay", RELAY_DENIED, 0, NULL),
	R("unable to relay", RELAY_DENIED, 0, NULL),
	R("relaying disallowed", RELAY_DENIED, 0, NULL),
	R("open relay not allowed", RELAY_DENIED, 0, H_MIMECAST_RELAY),
	R("not configured to relay", RELAY_DENIED, 0, NULL),
	R("as a relay", RELAY_DENIED, 0, NULL),
	R("mail relay denied", RELAY_DENIED, 0, NULL),
	R("invalid credentials for relay", RELAY_DENIED, 0, NULL),
	R("tenantattribution", RELAY_DENIED, 0, NULL),
	R("sandbox subdomains are for test purposes", RELAY_DENIED, 0, H_MAILGUN_SANDBOX),
	R("authorized recipients", RELAY_DENIED, 0, H_SANDBOX_RELAY),
	R("user not local", RELAY_DENIED, 0, NULL),

	/* --- the recipient's mailbox --- */
	R("mailbox full", MAILBOX_FULL, -1, NULL),
	R("mailbox is full", MAILBOX_FULL, -1, NULL),
	R("over quota", MAILBOX_FULL, -1, NULL),
	R("overquota", MAILBOX_FULL, -1, NULL),
	R("user quota exceeded", MAILBOX_FULL, -1, NULL),
	R("mailbox size limit", MAILBOX_FULL, -1, NULL),
	R("out of storage space", MAILBOX_FULL, -1, NULL),
	RP("exceeded storage allocation", B_RCPT, MAILBOX_FULL, -1, NULL),
	RE("quota", "5.2.2", MAILBOX_FULL, -1, NULL),
	RE("quota", "4.2.2", MAILBOX_FULL, -1, NULL),
	RP("quota exceeded", B_RCPT, MAILBOX_FULL, -1, NULL),
	R("quota exceeded", RATE_LIMITED, 1, NULL),
	RE("access denied", "5.4.1", MAILBOX_UNAVAILABLE, -1, NULL),
	R("you tried to reach is disabled", MAILBOX_UNAVAILABLE, -1, H_MAILBOX_DISABLED),
	R("you tried to reach is inactive", MAILBOX_UNAVAILABLE, -1, H_MAILBOX_DISABLED),
	R("account is disabled", MAILBOX_UNAVAILABLE, -1, H_MAILBOX_DISABLED),
	R("mailbox is disabled", MAILBOX_UNAVAILABLE, -1, H_MAILBOX_DISABLED),
	R("account has been disabled", MAILBOX_UNAVAILABLE, -1, H_MAILBOX_DISABLED),
	R("inactive email address", MAILBOX_UNAVAILABLE, -1, H_MAILBOX_DISABLED),
	R("disabled recipient", MAILBOX_UNAVAILABLE, -1, H_MAILBOX_DISABLED),
	R("mailbox is frozen", MAILBOX_UNAVAILABLE, -1, H_MAILBOX_DISABLED),
	R("no longer on server", MAILBOX_UNAVAILABLE, -1, NULL),
	R("no longer valid", MAILBOX_UNAVAILABLE, -1, NULL),
	R("user unknown", MAILBOX_UNAVAILABLE, -1, NULL),
	R("unknown user", MAILBOX_UNAVAILABLE, -1, NULL),
	R("no such user", MAILBOX_UNAVAILABLE, -1, NULL),
	R("user not found", MAILBOX_UNAVAILABLE, -1, NULL),
	R("recipient not found", MAILBOX_UNAVAILABLE, -1, NULL),
	R("recipientnotfound", MAILBOX_UNAVAILABLE, -1, NULL),
	R("recipnotfound", MAILBOX_UNAVAILABLE, -1, NULL),
	R("unrouteable address", MAILBOX_UNAVAILABLE, -1, NULL),
	R("invalid recipient", MAILBOX_UNAVAILABLE, -1, NULL),
	R("addressee unknown", MAILBOX_UNAVAILABLE, -1, NULL),
	R("mailbox not found", MAILBOX_UNAVAILABLE, -1, NULL),
	R("doesn't have a", MAILBOX_UNAVAILABLE, -1, NULL),
	R("no valid recipients", MAILBOX_UNAVAILABLE, 0, H_NO_RECIPIENTS),
	RP("does not accept mail", B_MAIL, SENDER_REJECTED, 0, H_NULL_MX),
	R("does not accept mail", MAILBOX_UNAVAILABLE, 0, H_NULL_MX),
	RP("does not exist", B_MAIL, SENDER_REJECTED, -1, NULL),
	R("does not exist", MAILBOX_UNAVAILABLE, -1, NULL),
	RP("mailbox unavailable", B_RCPT | B_MAIL, MAILBOX_UNAVAILABLE, -1, NULL),

	/* --- the address itself --- */
	R("not a valid rfc 5321 address", MAILBOX_NAME_INVALID, 0, NULL),
	R("not a valid rfc-5321 address", MAILBOX_NAME_INVALID, 0, NULL),
	R("bad recipient address", MAILBOX_NAME_INVALID, 0, NULL),
	R("need fully-qualified address", MAILBOX_NAME_INVALID, 0, NULL),
	R("mailbox name not allowed", MAILBOX_NAME_INVALID, 0, NULL),

	/* --- size --- */
	R("message size exceeds", MESSAGE_TOO_LARGE, 0, NULL),
	R("size exceeds", MESSAGE_TOO_LARGE, 0, NULL),
	R("message size limit", MESSAGE_TOO_LARGE, 0, NULL),
	R("message too large", MESSAGE_TOO_LARGE, 0, NULL),
	R("message too big", MESSAGE_TOO_LARGE, 0, NULL),
	R("message length exceeds", MESSAGE_TOO_LARGE, 0, NULL),
	R("headers too large", MESSAGE_TOO_LARGE, 0, H_HEADERS),
	R("header size", MESSAGE_TOO_LARGE, 0, H_HEADERS),
	R("line limit exceeded", MESSAGE_TOO_LARGE, 0, H_LINE_LENGTH),
	R("line too long", MESSAGE_TOO_LARGE, 0, H_LINE_LENGTH),

	/* --- the EHLO name and the protocol --- */
	R("helo command rejected", SPAM_OR_POLICY, -1, H_HELO),
	R("helo/ehlo argument", SYNTAX_ERROR, 0, H_HELO),
	R("invalid helo", SYNTAX_ERROR, 0, H_HELO),
	R("bad helo", SPAM_OR_POLICY, -1, H_HELO),
	R("protocol violation", SYNTAX_ERROR, 0, H_PROTOCOL),
	R("synchronization error", SYNTAX_ERROR, 0, H_PROTOCOL),
	R("json parsing error", SYNTAX_ERROR, 0, NULL),
	R("bad sequence of commands", SYNTAX_ERROR, 0, NULL),
	R("helo first", SYNTAX_ERROR, 0, NULL),
	R("need mail command", SYNTAX_ERROR, 0, NULL),
	R("need rcpt command", SYNTAX_ERROR, 0, NULL),
	R("command unrecognized", SYNTAX_ERROR, 0, NULL),
	R("unrecognized command", SYNTAX_ERROR, 0, NULL),
	R("syntax error", SYNTAX_ERROR, 0, NULL),
	R("too many hops", OTHER, -1, H_LOOP),
	R("routing loop", OTHER, -1, H_LOOP),
	R("mail loop", OTHER, -1, H_LOOP),

	/* --- policy refusals without a more specific reason --- */
	R("client host rejected", SPAM_OR_POLICY, -1, NULL),
	R("administrative prohibition", SPAM_OR_POLICY, -1, NULL),
	R("anti-spoofing", SPAM_OR_POLICY, -1, NULL),
	R("security polic", SPAM_OR_POLICY, -1, NULL),
	R("local policy", SPAM_OR_POLICY, -1, NULL),
	R("policy reasons", SPAM_OR_POLICY, -1, NULL),
	R("policy violation", SPAM_OR_POLICY, -1, NULL),
	R("denied by policy", SPAM_OR_POLICY, -1, NULL),
	R("network not allowed", SPAM_OR_POLICY, -1, NULL),
	R("message not allowed", SPAM_OR_POLICY, -1, NULL),
	R("not accepted due to", SPAM_OR_POLICY, -1, NULL),
	R("blocked", SPAM_OR_POLICY, -1, NULL),
	R("access denied", SPAM_OR_POLICY, -1, NULL),

	/* --- the server's own state --- */
	R("not accepting connections", SERVICE_UNAVAILABLE, -1, NULL),
	R("not accepting network messages", SERVICE_UNAVAILABLE, -1, NULL),
	R("no smtp service", SERVICE_UNAVAILABLE, -1, NULL),
	R("server busy", SERVICE_UNAVAILABLE, -1, NULL),
	R("service not available", SERVICE_UNAVAILABLE, -1, NULL),
	R("service unavailable", SERVICE_UNAVAILABLE, -1, NULL),
	R("service temporarily unavailable", SERVICE_UNAVAILABLE, -1, NULL),
	R("temporary lookup failure", TEMPORARY_LOCAL_ERROR, 1, NULL),
	R("temporary local problem", TEMPORARY_LOCAL_ERROR, 1, NULL),
	R("temporary server error", TEMPORARY_LOCAL_ERROR, 1, NULL),
	R("temporary system", TEMPORARY_LOCAL_ERROR, 1, NULL),
	R("temporary service failure", TEMPORARY_LOCAL_ERROR, 1, NULL),
	R("temporarily rejected", TEMPORARY_LOCAL_ERROR, 1, NULL),
	R("temporarily unavailable", TEMPORARY_LOCAL_ERROR, 1, NULL),
	R("local error in processing", TEMPORARY_LOCAL_ERROR, 1, NULL),
	R("insufficient system storage", TEMPORARY_LOCAL_ERROR, 1, NULL),
	R("insufficient disk space", TEMPORARY_LOCAL_ERROR, 1, NULL),
	R("insufficient system resources", TEMPORARY_LOCAL_ERROR, 1, NULL),
	R("space shortage", TEMPORARY_LOCAL_ERROR, 1, NULL),
	R("server configuration error", TEMPORARY_LOCAL_ERROR, 1, NULL),
	R("timeout", TEMPORARY_LOCAL_ERROR, 1, NULL),
	R("rate limit", RATE_LIMITED, 1, NULL),
	R("throttl", RATE_LIMITED, 1, NULL),
};

/* ------------------------------------------------------------------ */
/* Enhanced status codes                                               */

#define NO_CAT 0xffu /* an override to "no category": fall back to the reply code */

typedef struct {
	unsigned char subj, det;
	unsigned char cat;      /* sdiag_category_t; SDIAG_CAT_NONE: fall back to the reply code */
	unsigned char cat4;     /* class 4 override (0: none) */
	unsigned char cat_auth; /* answering AUTH (0: none) */
	unsigned char cat_mail; /* answering MAIL (0: none) */
	unsigned char cat_rcpt; /* answering RCPT (0: none) */
	signed char transient;  /* -1: from the category and code */
	const char *hint;
} enh_rule_t;

#define N 0
/* The IANA "SMTP Enhanced Status Codes" registry (RFC 3463, 3886, 4468,
 * 4954, 5248, 6531, 6710, 7293, 7372, 7505, 8617, 8689), X.0.0 to X.7.30. */
static const enh_rule_t enh_rules[] = {
	{0, 0, N, 0, 0, 0, 0, -1, NULL},                                           /* Other undefined Status */
	{1, 0, N, 0, 0, C(SENDER_REJECTED), C(MAILBOX_UNAVAILABLE), -1, NULL},     /* Other address status */
	{1, 1, C(MAILBOX_UNAVAILABLE), 0, 0, C(SENDER_REJECTED), 0, -1, NULL},     /* Bad destination mailbox address */
	{1, 2, C(MAILBOX_UNAVAILABLE), 0, 0, C(SENDER_REJECTED), 0, -1, NULL},     /* Bad destination system address */
	{1, 3, C(MAILBOX_NAME_INVALID), 0, 0, C(SENDER_REJECTED), 0, 0, NULL},     /* Bad destination mailbox address syntax */
	{1, 4, C(MAILBOX_NAME_INVALID), 0, 0, 0, 0, 0, NULL},                      /* Destination mailbox address ambiguous */
	{1, 5, N, 0, 0, 0, 0, -1, NULL},                                           /* Destination address valid */
	{1, 6, C(MAILBOX_UNAVAILABLE), 0, 0, 0, 0, -1, NULL},                      /* Destination mailbox has moved, No forwarding address */
	{1, 7, C(SENDER_REJECTED), 0, 0, 0, 0, -1, NULL},                          /* Bad sender's mailbox address syntax */
	{1, 8, C(SENDER_REJECTED), 0, 0, 0, 0, -1, NULL},                          /* Bad sender's system address */
	{1, 9, N, 0, 0, 0, 0, -1, NULL},                                           /* Message relayed to non-compliant mailer */
	{1, 10, C(MAILBOX_UNAVAILABLE), 0, 0, C(SENDER_REJECTED), 0, 0, H_NULL_MX}, /* Recipient address has null MX */
	{2, 0, N, 0, 0, 0, C(MAILBOX_UNAVAILABLE), -1, NULL},                      /* Other or undefined mailbox status */
	{2, 1, C(MAILBOX_UNAVAILABLE), 0, 0, 0, 0, -1, H_MAILBOX_DISABLED},        /* Mailbox disabled, not accepting messages */
	{2, 2, C(MAILBOX_FULL), 0, 0, 0, 0, -1, NULL},                             /* Mailbox full */
	{2, 3, C(MESSAGE_TOO_LARGE), 0, 0, 0, 0, -1, NULL},                        /* Message length exceeds administrative limit */
	{2, 4, C(MAILBOX_UNAVAILABLE), 0, 0, 0, 0, -1, NULL},                      /* Mailing list expansion problem */
	{3, 0, N, C(TEMPORARY_LOCAL_ERROR), 0, 0, 0, -1, NULL},                    /* Other or undefined mail system status */
	{3, 1, C(TEMPORARY_LOCAL_ERROR), 0, 0, 0, 0, -1, NULL},                    /* Mail system full */
	{3, 2, C(SERVICE_UNAVAILABLE), 0, 0, 0, 0, -1, NULL},                      /* System not accepting network messages */
	{3, 3, C(OTHER), 0, 0, 0, 0, -1, NULL},                                    /* System not capable of selected features */
	{3, 4, C(MESSAGE_TOO_LARGE), 0, 0, 0, 0, 0, NULL},                         /* Message too big for system */
	{3, 5, C(OTHER), C(TEMPORARY_LOCAL_ERROR), 0, 0, 0, -1, NULL},             /* System incorrectly configured */
	{3, 6, N, 0, 0, 0, 0, -1, NULL},                                           /* Requested priority was changed */
	{4, 0, N, C(TEMPORARY_LOCAL_ERROR), 0, 0, 0, -1, NULL},                    /* Other or undefined network or routing status */
	{4, 1, C(OTHER), C(TEMPORARY_LOCAL_ERROR), 0, 0, C(MAILBOX_UNAVAILABLE), -1, NULL}, /* No answer from host */
	{4, 2, C(OTHER), C(TEMPORARY_LOCAL_ERROR), 0, 0, 0, -1, NULL},             /* Bad connection */
	{4, 3, C(TEMPORARY_LOCAL_ERROR), 0, 0, 0, 0, -1, NULL},                    /* Directory server failure */
	{4, 4, C(MAILBOX_UNAVAILABLE), C(TEMPORARY_LOCAL_ERROR), 0, C(SENDER_REJECTED), 0, -1, NULL}, /* Unable to route */
	{4, 5, C(RATE_LIMITED), 0, 0, 0, 0, 1, NULL},                              /* Mail system congestion (and the quotas of Gmail and SES) */
	{4, 6, C(OTHER), 0, 0, 0, 0, -1, H_LOOP},                                  /* Routing loop detected */
	{4, 7, C(OTHER), C(TEMPORARY_LOCAL_ERROR), 0, 0, 0, -1, NULL},             /* Delivery time expired */
	{5, 0, C(SYNTAX_ERROR), 0, 0, 0, 0, -1, NULL},                             /* Other or undefined protocol status */
	{5, 1, C(SYNTAX_ERROR), 0, 0, 0, 0, -1, NULL},                             /* Invalid command */
	{5, 2, C(SYNTAX_ERROR), 0, 0, 0, 0, -1, NULL},                             /* Syntax error */
	{5, 3, C(RATE_LIMITED), 0, 0, 0, 0, 1, H_RECIPIENTS},                      /* Too many recipients */
	{5, 4, C(SYNTAX_ERROR), 0, 0, 0, 0, -1, NULL},                             /* Invalid command arguments */
	{5, 5, C(SYNTAX_ERROR), 0, 0, 0, 0, -1, NULL},                             /* Wrong protocol version */
	{5, 6, C(SYNTAX_ERROR), 0, 0, 0, 0, -1, NULL},                             /* Authentication Exchange line is too long */
	{6, 0, C(SPAM_OR_POLICY), 0, 0, 0, 0, -1, H_MEDIA},                        /* Other or undefined media error */
	{6, 1, C(SPAM_OR_POLICY), 0, 0, 0, 0, -1, H_MEDIA},                        /* Media not supported */
	{6, 2, C(SPAM_OR_POLICY), 0, 0, 0, 0, -1, H_MEDIA},                        /* Conversion required and prohibited */
	{6, 3, C(SPAM_OR_POLICY), 0, 0, 0, 0, -1, H_MEDIA},                        /* Conversion required but not supported */
	{6, 4, N, 0, 0, 0, 0, -1, NULL},                                           /* Conversion with loss performed */
	{6, 5, C(SPAM_OR_POLICY), 0, 0, 0, 0, -1, H_MEDIA},                        /* Conversion Failed */
	{6, 6, C(OTHER), 0, 0, 0, 0, -1, NULL},                                    /* Message content not available */
	{6, 7, C(MAILBOX_NAME_INVALID), 0, 0, C(SENDER_REJECTED), 0, 0, H_SMTPUTF8}, /* Non-ASCII addresses not permitted */
	{6, 8, C(OTHER), 0, 0, 0, 0, -1, H_SMTPUTF8},                              /* UTF-8 string reply is required, but not permitted */
	{6, 9, C(SPAM_OR_POLICY), 0, 0, 0, 0, -1, H_MEDIA},                        /* UTF-8 header message cannot be transferred */
	{6, 10, C(OTHER), 0, 0, 0, 0, -1, H_SMTPUTF8},                             /* UTF-8 string reply ... (duplicate of X.6.8) */
	{7, 0, C(SPAM_OR_POLICY), NO_CAT, C(AUTH_FAILED), 0, 0, -1, NULL},         /* Other or undefined security status */
	{7, 1, C(SPAM_OR_POLICY), 0, 0, 0, 0, -1, NULL},                           /* Delivery not authorized, message refused */
	{7, 2, C(SPAM_OR_POLICY), 0, 0, 0, 0, -1, NULL},                           /* Mailing list expansion prohibited */
	{7, 3, C(OTHER), 0, C(AUTH_FAILED), 0, 0, -1, NULL},                       /* Security conversion required but not possible */
	{7, 4, C(AUTH_UNSUPPORTED), 0, 0, 0, 0, 0, NULL},                          /* Security features not supported */
	{7, 5, C(OTHER), 0, 0, 0, 0, -1, NULL},                                    /* Cryptographic failure */
	{7, 6, C(OTHER), 0, 0, 0, 0, -1, NULL},                                    /* Cryptographic algorithm not supported */
	{7, 7, C(OTHER), 0, 0, 0, 0, -1, NULL},                                    /* Message integrity failure */
	{7, 8, C(AUTH_FAILED), 0, 0, 0, 0, 0, NULL},                               /* Authentication credentials invalid */
	{7, 9, C(AUTH_UNSUPPORTED), 0, 0, 0, 0, 0, NULL},                          /* Authentication mechanism is too weak */
	{7, 10, C(TLS_REQUIRED), 0, 0, 0, 0, 0, NULL},                             /* Encryption Needed */
	{7, 11, C(TLS_REQUIRED), 0, 0, 0, 0, 0, NULL},                             /* Encryption required for requested authentication mechanism */
	{7, 12, C(AUTH_FAILED), 0, 0, 0, 0, 0, H_PASSWORD_TRANSITION},             /* A password transition is needed */
	{7, 13, C(MAILBOX_UNAVAILABLE), 0, C(AUTH_FAILED), C(SENDER_REJECTED), 0, -1, H_MAILBOX_DISABLED}, /* User Account Disabled */
	{7, 14, C(SPAM_OR_POLICY), 0, C(AUTH_FAILED), 0, 0, -1, NULL},             /* Trust relationship required */
	{7, 15, C(OTHER), 0, 0, 0, 0, -1, NULL},                                   /* Priority Level is too low */
	{7, 16, C(MESSAGE_TOO_LARGE), 0, 0, 0, 0, 0, NULL},                        /* Message is too big for the specified priority */
	{7, 17, C(MAILBOX_UNAVAILABLE), 0, 0, 0, 0, 0, NULL},                      /* Mailbox owner has changed */
	{7, 18, C(MAILBOX_UNAVAILABLE), 0, 0, 0, 0, 0, NULL},                      /* Domain owner has changed */
	{7, 19, C(OTHER), 0, 0, 0, 0, -1, NULL},                                   /* RRVS test cannot be completed */
	{7, 20, C(SPAM_OR_POLICY), 0, 0, 0, 0, -1, H_DKIM},                        /* No passing DKIM signature found */
	{7, 21, C(SPAM_OR_POLICY), 0, 0, 0, 0, -1, H_DKIM},                        /* No acceptable DKIM signature found */
	{7, 22, C(SPAM_OR_POLICY), 0, 0, 0, 0, -1, H_DKIM},                        /* No valid author-matched DKIM signature found */
	{7, 23, C(SPAM_OR_POLICY), 0, 0, 0, 0, -1, H_SPF},                         /* SPF validation failed */
	{7, 24, C(SPAM_OR_POLICY), 0, 0, 0, 0, -1, H_SPF},                         /* SPF validation error */
	{7, 25, C(SPAM_OR_POLICY), 0, 0, 0, 0, -1, H_PTR},                         /* Reverse DNS validation failed */
	{7, 26, C(SPAM_OR_POLICY), 0, 0, 0, 0, -1, H_UNAUTHENTICATED},             /* Multiple authentication checks failed */
	{7, 27, C(SENDER_REJECTED), 0, 0, 0, 0, 0, H_NULL_MX},                     /* Sender address has null MX */
	{7, 28, C(SPAM_OR_POLICY), C(RATE_LIMITED), 0, 0, 0, -1, H_GMAIL_UNUSUAL_RATE}, /* Mail flood detected */
	{7, 29, C(SPAM_OR_POLICY), 0, 0, 0, 0, -1, NULL},                          /* ARC validation failure */
	{7, 30, C(TLS_REQUIRED), 0, 0, 0, 0, 0, H_REQUIRETLS},                     /* REQUIRETLS support required */
};

/* Codes beyond the registry that Microsoft 365 (Exchange Online) and Gmail
 * use, by ranges of the detail number. */
typedef struct {
	unsigned char subj;
	unsigned short lo, hi;
	unsigned char cls; /* 4 or 5, 0: both */
	unsigned char cat;
	signed char transient;
	const char *hint;
	const char *owner;
} vendor_rule_t;

static const vendor_rule_t vendor_rules[] = {
	{1, 351, 351, 0, C(MAILBOX_UNAVAILABLE), -1, NULL, "Microsoft 365"},            /* remote server returned unknown recipient */
	{2, 121, 122, 0, C(RATE_LIMITED), 1, H_RECIPIENT_RATE, "Microsoft 365"},        /* per-hour message limits of a recipient */
	{2, 252, 252, 0, C(SENDER_REJECTED), 0, H_M365_SENDAS, "Microsoft 365"},        /* SendAsDenied */
	{7, 32, 32, 0, C(SPAM_OR_POLICY), 0, H_DMARC, "Gmail"},                         /* no DMARC alignment */
	{7, 57, 57, 0, C(AUTH_REQUIRED), 0, NULL, "Microsoft 365"},                     /* client not authenticated */
	{7, 60, 60, 0, C(SENDER_REJECTED), 0, H_M365_SENDAS, "Microsoft 365"},          /* no Send As right */
	{7, 64, 64, 0, C(RELAY_DENIED), 0, NULL, "Microsoft 365"},                      /* TenantAttribution; Relay Access Denied */
	{7, 66, 66, 0, C(TLS_ERROR), 0, H_TLS_OLD, "Microsoft 365"},                    /* TLS 1.0 and 1.1 are not supported */
	{7, 124, 136, 0, C(SPAM_OR_POLICY), -1, NULL, "Microsoft 365"},                 /* the recipient refuses this sender */
	{7, 139, 139, 0, C(AUTH_FAILED), 0, NULL, "Microsoft 365"},                     /* Authentication unsuccessful */
	{7, 500, 699, 4, C(RATE_LIMITED), 1, H_REPUTATION, "Microsoft 365"},            /* Access denied, please try again later */
	{7, 500, 749, 5, C(SPAM_OR_POLICY), -1, H_BLOCKLIST, "Microsoft 365"},          /* banned sender, IP or tenant */
	{7, 750, 750, 5, C(SENDER_REJECTED), 0, NULL, "Microsoft 365"},                 /* unregistered domains */
	{7, 850, 899, 4, C(RATE_LIMITED), 1, H_REPUTATION, "Microsoft 365"},            /* Access denied, please try again later */
};
#undef N

static int parse_enhanced(const char *e, int *cls, int *subj, int *det)
{
	char tail;
	if (!e || !*e) {
		return 0;
	}
	return sscanf(e, "%d.%d.%d%c", cls, subj, det, &tail) == 3 && (*cls == 2 || *cls == 4 || *cls == 5) && *subj >= 0 &&
		*det >= 0;
}

/* The category an enhanced code gives (SDIAG_CAT_NONE: none), its transient
 * override and hint; owner names a vendor for codes beyond the registry. */
static sdiag_category_t from_enhanced(int cls, int subj, int det, sdiag_phase_t phase, int *transient, const char **hint,
	const char **owner)
{
	size_t i;
	for (i = 0; i < sizeof(enh_rules) / sizeof(*enh_rules); i++) {
		const enh_rule_t *r = &enh_rules[i];
		unsigned char c = r->cat;
		if (r->subj != subj || r->det != det) {
			continue;
		}
		if (cls == 4 && r->cat4) {
			c = r->cat4;
		} else if (phase == SDIAG_PHASE_AUTH && r->cat_auth) {
			c = r->cat_auth;
		} else if (phase == SDIAG_PHASE_MAIL && r->cat_mail) {
			c = r->cat_mail;
		} else if (phase == SDIAG_PHASE_RCPT && r->cat_rcpt) {
			c = r->cat_rcpt;
		}
		if (c == NO_CAT || c == SDIAG_CAT_NONE) {
			return SDIAG_CAT_NONE;
		}
		*transient = r->transient;
		*hint = r->hint;
		return (sdiag_category_t)c;
	}
	for (i = 0; i < sizeof(vendor_rules) / sizeof(*vendor_rules); i++) {
		const vendor_rule_t *r = &vendor_rules[i];
		if (r->subj == subj && det >= r->lo && det <= r->hi && (!r->cls || r->cls == cls)) {
			*transient = r->transient;
			*hint = r->hint;
			*owner = r->owner;
			return (sdiag_category_t)r->cat;
		}
	}
	/* an unknown security code refusing the mail permanently is a policy */
	if (subj == 7 && cls == 5) {
		*transient = -1;
		*hint = NULL;
		return SDIAG_CAT_SPAM_OR_POLICY;
	}
	return SDIAG_CAT_NONE;
}

/* ------------------------------------------------------------------ */
/* Reply codes with the command                                        */

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
		case 503:
		case 555: return SDIAG_CAT_SYNTAX_ERROR;
		case 502:
		case 504: return phase == SDIAG_PHASE_AUTH ? SDIAG_CAT_AUTH_UNSUPPORTED : SDIAG_CAT_SYNTAX_ERROR;
		case 521: return phase == SDIAG_PHASE_RCPT ? SDIAG_CAT_MAILBOX_UNAVAILABLE : SDIAG_CAT_SERVICE_UNAVAILABLE;
		case 530: return SDIAG_CAT_AUTH_REQUIRED;
		case 534: return SDIAG_CAT_AUTH_UNSUPPORTED;
		case 535: return SDIAG_CAT_AUTH_FAILED;
		case 538: return SDIAG_CAT_TLS_REQUIRED;
		case 550:
			return phase == SDIAG_PHASE_MAIL ? SDIAG_CAT_SENDER_REJECTED
				: phase == SDIAG_PHASE_RCPT ? SDIAG_CAT_MAILBOX_UNAVAILABLE
				: (phase == SDIAG_PHASE_BANNER || phase == SDIAG_PHASE_EHLO) ? SDIAG_CAT_SPAM_OR_POLICY
				: SDIAG_CAT_OTHER;
		case 551: return SDIAG_CAT_RELAY_DENIED;
		case 552: return phase == SDIAG_PHASE_RCPT ? SDIAG_CAT_MAILBOX_FULL : SDIAG_CAT_MESSAGE_TOO_LARGE;
		case 553: return phase == SDIAG_PHASE_MAIL ? SDIAG_CAT_SENDER_REJECTED : SDIAG_CAT_MAILBOX_NAME_INVALID;
		case 554: return phase == SDIAG_PHASE_DATA ? SDIAG_CAT_SPAM_OR_POLICY : phase == SDIAG_PHASE_BANNER ? SDIAG_CAT_SERVICE_UNAVAILABLE : SDIAG_CAT_OTHER;
		case 556: return SDIAG_CAT_MAILBOX_UNAVAILABLE;
		default:
			return code / 100 == 4 ? SDIAG_CAT_TEMPORARY_LOCAL_ERROR : SDIAG_CAT_OTHER;
	}
}

/* Transient when the rule does not say: by the category's meaning, else by
 * the first digit. */
static int category_transient(sdiag_category_t cat, int code)
{
	switch (cat) {
		case SDIAG_CAT_RATE_LIMITED:
		case SDIAG_CAT_GREYLISTED:
			return 1;
		case SDIAG_CAT_TLS_REQUIRED:
		case SDIAG_CAT_AUTH_FAILED:
		case SDIAG_CAT_AUTH_REQUIRED:
		case SDIAG_CAT_AUTH_UNSUPPORTED:
		case SDIAG_CAT_RELAY_DENIED:
		case SDIAG_CAT_SYNTAX_ERROR:
		case SDIAG_CAT_MESSAGE_TOO_LARGE:
		case SDIAG_CAT_MAILBOX_NAME_INVALID:
			return 0;
		default:
			return code / 100 == 4;
	}
}

/* ------------------------------------------------------------------ */
/* Matching                                                            */

#define NORM_MAX 4096

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Length of an enhanced status code ("5.7.1", "4.7.650") at s, followed by
 * a space or the end; 0 when there is none. */
static size_t enhanced_len(const char *s)
{
	size_t i = 0, part, digits;
	if (!(s[0] == '2' || s[0] == '4' || s[0] == '5') || s[1] != '.') {
		return 0;
	}
	i = 2;
	for (part = 0; part < 2; part++) {
		for (digits = 0; is_digit(s[i]) && digits < 3; i++, digits++) {
		}
		if (!digits || (part == 0 && s[i] != '.')) {
			return 0;
		}
		if (part == 0) {
			i++;
		}
	}
	return (s[i] == ' ' || s[i] == '\t' || s[i] == '\0' || s[i] == '\n' || s[i] == '\r') ? i : 0;
}

/* The reply text as the rules see it: lower case, the enhanced code at the
 * start of each line removed, lines joined and white space collapsed, so
 * that a phrase matches across the lines of a multi-line reply. */
static void normalise(const char *text, char *out, size_t outsz)
{
	size_t o = 0;
	int bol = 1, space = 0;
	while (text && *text && o + 1 < outsz) {
		char c = *text;
		if (bol) {
			size_t n;
			while (*text == ' ' || *text == '\t') {
				text++;
			}
			n = enhanced_len(text);
			text += n;
			bol = 0;
			continue;
		}
		if (c == '\n' || c == '\r' || c == ' ' || c == '\t') {
			space = o > 0;
			if (c == '\n') {
				bol = 1;
			}
			text++;
			continue;
		}
		if (space) {
			out[o++] = ' ';
			space = 0;
			if (o + 1 >= outsz) {
				break;
			}
		}
		out[o++] = lower(c);
		text++;
	}
	out[o] = '\0';
}

static unsigned phase_bit(sdiag_phase_t phase)
{
	switch (phase) {
		case SDIAG_PHASE_BANNER: return B_CONNECT;
		case SDIAG_PHASE_EHLO: return B_EHLO;
		case SDIAG_PHASE_STARTTLS: return B_STARTTLS;
		case SDIAG_PHASE_AUTH: return B_AUTH;
		case SDIAG_PHASE_MAIL: return B_MAIL;
		case SDIAG_PHASE_RCPT: return B_RCPT;
		case SDIAG_PHASE_DATA: return B_DATA;
		default: return 0;
	}
}

/* Whole-text match, ignoring a final full stop. */
static int equals_text(const char *norm, const char *want)
{
	size_t n = strlen(norm), w = strlen(want);
	while (n && norm[n - 1] == '.') {
		n--;
	}
	return n == w && memcmp(norm, want, n) == 0;
}

static const text_rule_t *match_text(const char *norm, int code, const char *enhanced, sdiag_phase_t phase, sdiag_provider_t prov)
{
	unsigned bit = phase_bit(phase);
	size_t i;
	if (!*norm) {
		return NULL;
	}
	for (i = 0; i < sizeof(text_rules) / sizeof(*text_rules); i++) {
		const text_rule_t *r = &text_rules[i];
		if (r->provider && r->provider != prov) {
			continue;
		}
		/* no command known: every command-restricted rule may apply */
		if (r->phases && bit && !(r->phases & bit)) {
			continue;
		}
		if (r->code && r->code != (r->code < 10 ? code / 100 : code)) {
			continue;
		}
		if (r->enhanced && (!enhanced || strcmp(r->enhanced, enhanced) != 0)) {
			continue;
		}
		if (r->needle[0] == '=' ? equals_text(norm, r->needle + 1) : strstr(norm, r->needle) != NULL) {
			return r;
		}
	}
	return NULL;
}

static const char *provider_hint(sdiag_provider_t prov, sdiag_category_t cat)
{
	size_t i;
	for (i = 0; prov != SDIAG_PROVIDER_NONE && i < sizeof(provider_hints) / sizeof(*provider_hints); i++) {
		if (provider_hints[i].p == prov && provider_hints[i].cat == cat) {
			return provider_hints[i].hint;
		}
	}
	return NULL;
}

static const char *command_name(sdiag_phase_t phase)
{
	switch (phase) {
		case SDIAG_PHASE_BANNER: return "CONNECT";
		case SDIAG_PHASE_EHLO: return "EHLO";
		case SDIAG_PHASE_STARTTLS: return "STARTTLS";
		case SDIAG_PHASE_AUTH: return "AUTH";
		case SDIAG_PHASE_MAIL: return "MAIL";
		case SDIAG_PHASE_RCPT: return "RCPT";
		case SDIAG_PHASE_DATA: return "DATA";
		case SDIAG_PHASE_QUIT: return "QUIT";
		default: return NULL;
	}
}

/* ------------------------------------------------------------------ */

void sdiag_classify_reply_host(sdiag_error_t *err, int code, const char *enhanced, const char *text, sdiag_phase_t phase,
	const char *host)
{
	char norm[NORM_MAX];
	sdiag_category_t cat = SDIAG_CAT_NONE;
	sdiag_provider_t prov = sdiag_provider_detect(host, text);
	const text_rule_t *rule;
	const char *hint = NULL, *owner = NULL, *cmd = command_name(phase);
	int transient = -1, cls = 0, subj = 0, det = 0;
	int have_enh = parse_enhanced(enhanced, &cls, &subj, &det);

	err->smtp_code = code;
	snprintf(err->enhanced, sizeof(err->enhanced), "%s", enhanced ? enhanced : "");
	err->matched[0] = '\0';
	normalise(text, norm, sizeof(norm));

	rule = match_text(norm, code, enhanced, phase, prov);
	if (rule) {
		cat = (sdiag_category_t)rule->cat;
		transient = rule->transient;
		hint = rule->hint;
		snprintf(err->matched, sizeof(err->matched), "text \"%.60s\"", rule->needle[0] == '=' ? rule->needle + 1 : rule->needle);
	}
	if (cat == SDIAG_CAT_NONE && (code == 530 || code == 534 || code == 535 || code == 538 || (code == 553 && phase == SDIAG_PHASE_MAIL))) {
		/* the AUTH codes of RFC 4954 decide whatever enhanced code comes with
		 * them, and so does 553 to MAIL FROM (the sender is not allowed) */
		cat = from_code(code, phase);
		snprintf(err->matched, sizeof(err->matched), "code %d%s%s", code, cmd ? " to " : "", cmd ? cmd : "");
	}
	if (cat == SDIAG_CAT_NONE && have_enh) {
		cat = from_enhanced(cls, subj, det, phase, &transient, &hint, &owner);
		if (cat != SDIAG_CAT_NONE) {
			snprintf(err->matched, sizeof(err->matched), "enhanced %s%s%s%s", enhanced, owner ? " (" : "", owner ? owner : "", owner ? ")" : "");
		}
	}
	if (cat == SDIAG_CAT_NONE) {
		cat = from_code(code, phase);
		transient = -1;
		snprintf(err->matched, sizeof(err->matched), "code %d%s%s", code, cmd ? " to " : "", cmd ? cmd : "");
	}

	err->category = cat;
	err->transient = transient >= 0 ? transient : category_transient(cat, code);

	if (!hint) {
		hint = provider_hint(prov, cat);
	}
	if (!hint && cat == SDIAG_CAT_SENDER_REJECTED && phase == SDIAG_PHASE_MAIL && code == 553) {
		/* 553 to MAIL FROM on a submission server: usually the From is not the logged-in user's */
		hint = "The server refused this sender address (553): after a successful login this usually means the envelope From differs from the logged-in user; send from that user's address or one of its aliases.";
	}
	if (!hint) {
		hint = sdiag_category_hint(cat);
	}
	snprintf(err->hint, sizeof(err->hint), "%s", hint);
}

void sdiag_classify_reply(sdiag_error_t *err, int code, const char *enhanced, const char *text, sdiag_phase_t phase)
{
	sdiag_classify_reply_host(err, code, enhanced, text, phase, NULL);
}
