/* Unit tests: src/core/classify.c, (code, enhanced, text, phase) -> category, transient. */
#include "test.h"
#include "classify.h"

#include <stdio.h>
#include <string.h>

#define NONE_ SDIAG_PHASE_NONE
#define BANNER SDIAG_PHASE_BANNER
#define EHLO SDIAG_PHASE_EHLO
#define STLS SDIAG_PHASE_STARTTLS
#define AUTH SDIAG_PHASE_AUTH
#define MAIL SDIAG_PHASE_MAIL
#define RCPT SDIAG_PHASE_RCPT
#define DATA SDIAG_PHASE_DATA

typedef struct {
	int code;
	const char *enhanced, *text;
	sdiag_phase_t phase;
	sdiag_category_t cat;
	int transient;
} row_t;

static const row_t rows[] = {
	/* Postfix, Exim, Gmail, Microsoft 365, Yahoo, SES, ... */
	{550, "5.1.1", "<nobody@example.com>: Recipient address rejected: User unknown in virtual mailbox table", RCPT, SDIAG_CAT_MAILBOX_UNAVAILABLE, 0},
	{550, "5.1.1", "The email account that you tried to reach does not exist.", RCPT, SDIAG_CAT_MAILBOX_UNAVAILABLE, 0},
	{550, "5.2.1", "The email account that you tried to reach is disabled.", RCPT, SDIAG_CAT_MAILBOX_UNAVAILABLE, 0},
	{550, "", "Requested action not taken: mailbox unavailable", RCPT, SDIAG_CAT_MAILBOX_UNAVAILABLE, 0},
	{550, "", "No such user here", RCPT, SDIAG_CAT_MAILBOX_UNAVAILABLE, 0},
	{450, "4.2.0", "<x@y>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/example.com.html", RCPT, SDIAG_CAT_GREYLISTED, 1},
	{451, "4.7.1", "Please try again later (graylisted)", RCPT, SDIAG_CAT_GREYLISTED, 1},
	{421, "4.7.0", "Too many connections from your IP", BANNER, SDIAG_CAT_RATE_LIMITED, 1},
	{451, "4.4.5", "Mail system congestion", MAIL, SDIAG_CAT_RATE_LIMITED, 1},
	{550, "5.7.1", "Daily sending quota exceeded", MAIL, SDIAG_CAT_RATE_LIMITED, 1},           /* SPEC: text beats the code */
	{550, "5.4.5", "Daily user sending limit exceeded. For more information on Gmail sending limits go to https://support.google.com/a/answer/166852", MAIL, SDIAG_CAT_RATE_LIMITED, 1}, /* SPEC: transient */
	{550, "", "Rate limit exceeded, try again later", MAIL, SDIAG_CAT_RATE_LIMITED, 1},
	{535, "5.7.8", "Username and Password not accepted. Learn more at https://support.google.com/mail/?p=BadCredentials", AUTH, SDIAG_CAT_AUTH_FAILED, 0},
	{535, "5.7.8", "Error: authentication failed: authentication failure", AUTH, SDIAG_CAT_AUTH_FAILED, 0},
	{535, "", "Incorrect authentication data", AUTH, SDIAG_CAT_AUTH_FAILED, 0},
	{535, "5.7.0", "Bad credentials", AUTH, SDIAG_CAT_AUTH_FAILED, 0},
	{530, "5.7.0", "Authentication required", MAIL, SDIAG_CAT_AUTH_REQUIRED, 0},
	{530, "", "", MAIL, SDIAG_CAT_AUTH_REQUIRED, 0},
	{530, "5.7.0", "Must issue a STARTTLS command first", MAIL, SDIAG_CAT_TLS_REQUIRED, 0},
	{421, "4.7.0", "TLS required", MAIL, SDIAG_CAT_TLS_REQUIRED, 0},                            /* SPEC: not transient */
	{538, "5.7.11", "Encryption required for requested authentication mechanism", AUTH, SDIAG_CAT_TLS_REQUIRED, 0},
	/* Gmail answers 534 5.7.9 (RFC 4954: mechanism too weak) when the account
	 * password is refused and an app password is needed: a credentials problem. */
	{534, "5.7.9", "Application-specific password required.", AUTH, SDIAG_CAT_AUTH_FAILED, 0},
	{534, "", "", AUTH, SDIAG_CAT_AUTH_UNSUPPORTED, 0},
	{554, "5.7.1", "<x@y>: Relay access denied", RCPT, SDIAG_CAT_RELAY_DENIED, 0},
	{550, "5.7.1", "Unable to relay", RCPT, SDIAG_CAT_RELAY_DENIED, 0},
	{550, "", "Relaying denied", RCPT, SDIAG_CAT_RELAY_DENIED, 0},
	{551, "", "User not local; please try <forward@example.com>", RCPT, SDIAG_CAT_RELAY_DENIED, 0},
	{552, "5.3.4", "Message size exceeds fixed limit", DATA, SDIAG_CAT_MESSAGE_TOO_LARGE, 0},
	{554, "5.3.4", "Message too big for system", DATA, SDIAG_CAT_MESSAGE_TOO_LARGE, 0},
	{552, "", "", DATA, SDIAG_CAT_MESSAGE_TOO_LARGE, 0},
	{552, "", "", RCPT, SDIAG_CAT_MAILBOX_FULL, 0},
	{552, "5.2.2", "Mailbox full", RCPT, SDIAG_CAT_MAILBOX_FULL, 0},
	{452, "4.2.2", "The email account that you tried to reach is over quota.", RCPT, SDIAG_CAT_MAILBOX_FULL, 1},
	{550, "5.7.1", "Message rejected as spam by Content Filtering.", DATA, SDIAG_CAT_SPAM_OR_POLICY, 0},
	{554, "5.7.1", "Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org", RCPT, SDIAG_CAT_SPAM_OR_POLICY, 0},
	{550, "5.7.26", "Unauthenticated email from example.com is not accepted due to domain's DMARC policy.", DATA, SDIAG_CAT_SPAM_OR_POLICY, 0},
	{550, "5.7.606", "Access denied, banned sending IP [192.0.2.1].", RCPT, SDIAG_CAT_SPAM_OR_POLICY, 0},
	{554, "5.7.1", "", DATA, SDIAG_CAT_SPAM_OR_POLICY, 0},
	{554, "", "Transaction failed", DATA, SDIAG_CAT_SPAM_OR_POLICY, 0},
	{451, "4.3.0", "Temporary lookup failure", RCPT, SDIAG_CAT_TEMPORARY_LOCAL_ERROR, 1},
	{452, "4.3.1", "Insufficient system storage", MAIL, SDIAG_CAT_TEMPORARY_LOCAL_ERROR, 1},
	{451, "", "", DATA, SDIAG_CAT_TEMPORARY_LOCAL_ERROR, 1},
	{450, "", "", RCPT, SDIAG_CAT_MAILBOX_UNAVAILABLE, 1},
	{450, "", "", MAIL, SDIAG_CAT_TEMPORARY_LOCAL_ERROR, 1},
	{452, "", "", RCPT, SDIAG_CAT_RATE_LIMITED, 1},
	{499, "", "", NONE_, SDIAG_CAT_TEMPORARY_LOCAL_ERROR, 1},
	{550, "", "", MAIL, SDIAG_CAT_SENDER_REJECTED, 0},
	{550, "", "", RCPT, SDIAG_CAT_MAILBOX_UNAVAILABLE, 0},
	{550, "", "", DATA, SDIAG_CAT_OTHER, 0},
	{553, "5.1.8", "<bad@nonexistent.invalid>: Sender address rejected: Domain not found", MAIL, SDIAG_CAT_SENDER_REJECTED, 0},
	{553, "", "", MAIL, SDIAG_CAT_SENDER_REJECTED, 0},
	{553, "", "", RCPT, SDIAG_CAT_MAILBOX_NAME_INVALID, 0},
	{501, "5.1.3", "Bad recipient address syntax", RCPT, SDIAG_CAT_MAILBOX_NAME_INVALID, 0},
	{553, "5.1.3", "Bad sender address syntax", MAIL, SDIAG_CAT_SENDER_REJECTED, 0},
	{550, "5.1.0", "Sender address rejected: not owned by user", MAIL, SDIAG_CAT_SENDER_REJECTED, 0},
	{550, "5.1.7", "Invalid sender", RCPT, SDIAG_CAT_SENDER_REJECTED, 0},
	{500, "5.5.1", "Command unrecognized", EHLO, SDIAG_CAT_SYNTAX_ERROR, 0},
	{503, "5.5.1", "Error: need MAIL command", RCPT, SDIAG_CAT_SYNTAX_ERROR, 0},
	{502, "", "", EHLO, SDIAG_CAT_SYNTAX_ERROR, 0},
	{501, "", "Syntax error in parameters or arguments", MAIL, SDIAG_CAT_SYNTAX_ERROR, 0},
	{421, "", "Service not available, closing transmission channel", BANNER, SDIAG_CAT_SERVICE_UNAVAILABLE, 1},
	{421, "4.4.2", "mx.example.com Error: timeout exceeded", NONE_, SDIAG_CAT_TEMPORARY_LOCAL_ERROR, 1},
	{554, "", "No SMTP service here", BANNER, SDIAG_CAT_SERVICE_UNAVAILABLE, 0},
	{454, "4.7.0", "TLS not available due to local problem", STLS, SDIAG_CAT_TLS_ERROR, 1},
	{454, "", "", STLS, SDIAG_CAT_TLS_ERROR, 1},
	{599, "", "", NONE_, SDIAG_CAT_OTHER, 0},
	{550, "", "BLOCKED", RCPT, SDIAG_CAT_SPAM_OR_POLICY, 0},
	{550, "", "Your IP is on our blacklist", RCPT, SDIAG_CAT_SPAM_OR_POLICY, 0},
	{550, "", "Listed on a blocklist", RCPT, SDIAG_CAT_SPAM_OR_POLICY, 0},

	/* Amazon SES throttling (SPEC: provider-aware; rate_limited includes daily
	 * quotas). A 454 outside STARTTLS is not a TLS problem. */
	{454, "", "Throttling failure: Maximum sending rate exceeded.", MAIL, SDIAG_CAT_RATE_LIMITED, 1},
	{454, "", "Throttling failure: Daily message quota exceeded.", MAIL, SDIAG_CAT_RATE_LIMITED, 1},
	/* RFC 4954 section 6: "454 4.7.0 Temporary authentication failure" is a
	 * temporary server failure, not rejected credentials. */
	{454, "4.7.0", "Temporary authentication failure", AUTH, SDIAG_CAT_TEMPORARY_LOCAL_ERROR, 1},
	/* Microsoft 365's answer to a wrong password or SMTP AUTH disabled (SPEC:
	 * "Microsoft 365 SMTP AUTH disabled"): 535 to AUTH is auth_failed, whatever
	 * the enhanced code's detail. */
	{535, "5.7.3", "Authentication unsuccessful [AM0PR01CA0001.eurprd01.prod.exchangelabs.com]", AUTH, SDIAG_CAT_AUTH_FAILED, 0},
	/* Postfix "452 4.5.3 Error: too many recipients" (RFC 5321 4.5.3.1.10):
	 * retry the rest later; not a syntax error. Without the enhanced code the
	 * classifier itself says rate_limited (the 452/RCPT row above). */
	{452, "4.5.3", "Error: too many recipients", RCPT, SDIAG_CAT_RATE_LIMITED, 1},
};

TEST(table)
{
	size_t i;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ROW("%d %s %s (%s)", rows[i].code, rows[i].enhanced, rows[i].text, sdiag_phase_name(rows[i].phase))
		{
			sdiag_error_t e;
			sdiag_error_clear(&e);
			sdiag_classify_reply(&e, rows[i].code, rows[i].enhanced, rows[i].text, rows[i].phase);
			if (e.category != rows[i].cat) {
				t_fail(__FILE__, __LINE__, "category %s, expected %s", sdiag_category_name(e.category), sdiag_category_name(rows[i].cat));
			}
			CHECK_INT(e.transient, rows[i].transient);
			CHECK_INT(e.smtp_code, rows[i].code);
			CHECK_STR(e.enhanced, rows[i].enhanced);
			CHECK(e.hint[0] != '\0');
			CHECK(strlen(e.hint) < SDIAG_HINT_MAX - 1);
			CHECK(e.matched[0] != '\0');
		}
	}
}

TEST(null_text_and_enhanced)
{
	sdiag_error_t e;
	sdiag_error_clear(&e);
	sdiag_classify_reply(&e, 550, NULL, NULL, SDIAG_PHASE_RCPT);
	CHECK_INT(e.category, SDIAG_CAT_MAILBOX_UNAVAILABLE);
	CHECK_STR(e.enhanced, "");
	CHECK_INT(e.transient, 0);
}

TEST(message_left_to_caller)
{
	sdiag_error_t e;
	sdiag_error_clear(&e);
	snprintf(e.message, sizeof(e.message), "mine");
	e.phase = SDIAG_PHASE_RCPT;
	sdiag_classify_reply(&e, 550, "5.1.1", "User unknown", SDIAG_PHASE_RCPT);
	CHECK_STR(e.message, "mine");
}

TEST(text_match_is_case_insensitive)
{
	sdiag_error_t e;
	sdiag_error_clear(&e);
	sdiag_classify_reply(&e, 451, "", "GREYLISTED - please retry", SDIAG_PHASE_RCPT);
	CHECK_INT(e.category, SDIAG_CAT_GREYLISTED);
	sdiag_classify_reply(&e, 550, "", "relay ACCESS denied", SDIAG_PHASE_RCPT);
	CHECK_INT(e.category, SDIAG_CAT_RELAY_DENIED);
}

TEST(category_and_phase_names)
{
	int c;
	CHECK_STR(sdiag_category_name(SDIAG_CAT_NONE), "none");
	CHECK_STR(sdiag_category_name(SDIAG_CAT_TLS_REQUIRED), "tls_required");
	CHECK_STR(sdiag_category_name(SDIAG_CAT_OTHER), "other");
	CHECK_STR(sdiag_category_name(SDIAG_CAT__COUNT), "other");
	CHECK_STR(sdiag_phase_name(SDIAG_PHASE_RCPT), "rcpt");
	CHECK_STR(sdiag_phase_name(SDIAG_PHASE__COUNT), "none");
	for (c = 1; c < SDIAG_CAT__COUNT; c++) {
		const char *n = sdiag_category_name((sdiag_category_t)c);
		CHECK(n && n[0]);
		CHECK(sdiag_category_hint((sdiag_category_t)c)[0] != '\0');
	}
	CHECK_INT(sdiag_category_transient(SDIAG_CAT_GREYLISTED), 1);
	CHECK_INT(sdiag_category_transient(SDIAG_CAT_AUTH_FAILED), 0);
}

TEST(error_set_defaults)
{
	sdiag_error_t e;
	sdiag_error_clear(&e);
	CHECK_INT(sdiag_error_set(&e, SDIAG_CAT_CONNECTION_LOST, SDIAG_PHASE_EHLO, "lost %d", 5), SDIAG_ERR);
	CHECK_STR(e.message, "lost 5");
	CHECK_INT(e.transient, 1);
	CHECK_STR(e.hint, sdiag_category_hint(SDIAG_CAT_CONNECTION_LOST));
	sdiag_error_hint(&e, "custom %s", "hint");
	CHECK_STR(e.hint, "custom hint");
}


/* Representative real replies (tests/classify/corpus.json has the full set
 * with their sources), classified with the server's host name. The text is
 * what the reply parser gives: each line after its code, lines joined by \n. */
typedef struct {
	int code;
	const char *enhanced, *text;
	sdiag_phase_t phase;
	const char *host;
	sdiag_category_t cat;
	int transient;
	const char *hint_has; /* a piece of the expected hint, NULL: any */
} host_row_t;

static const host_row_t host_rows[] = {
	/* Gmail */
	{534, "5.7.9", "5.7.9 Application-specific password required. Learn more at\n5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor o13sm2119833lfg.90 - gsmtp", AUTH, "smtp.gmail.com", SDIAG_CAT_AUTH_FAILED, 0, "app password"},
	{534, "5.7.14", "5.7.14 <https://accounts.google.com/ContinueSignIn?sarp=1&scc=1&plt=AKgnsbsVY\n5.7.14 2TUKJ_0fuDNu-jTNFxFdo3Xw58ac> Please log in via your web browser and\n5.7.14 then try again.", AUTH, "smtp.gmail.com", SDIAG_CAT_AUTH_FAILED, 0, "sign-in"},
	{535, "5.7.8", "5.7.8 Username and Password not accepted. Learn more at\n5.7.8  https://support.google.com/mail/?p=BadCredentials PASSWORD - gsmtp", AUTH, NULL, SDIAG_CAT_AUTH_FAILED, 0, "app password"},
	{550, "5.4.5", "5.4.5 Daily user sending limit exceeded. For more information on Gmail\n5.4.5 sending limits go to\n5.4.5  https://support.google.com/a/answer/166852 d2e1a72fcca58 - gsmtp", DATA, "smtp.gmail.com", SDIAG_CAT_RATE_LIMITED, 1, "sending limit"},
	{421, "4.7.0", "4.7.0 TLS required for RCPT domain, closing connection.", RCPT, NULL, SDIAG_CAT_TLS_REQUIRED, 0, NULL},
	{421, "4.7.26", "4.7.26 This mail has been rate limited because it is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM.", DATA, NULL, SDIAG_CAT_SPAM_OR_POLICY, 0, "SPF"},
	{421, "4.7.28", "4.7.28 [x.xx.xx.xx] Our system has detected an unusual rate of unsolicited mail originating from your IP address. To protect our users from spam, mail sent from your IP address has been temporarily rate limited. - gsmtp", MAIL, NULL, SDIAG_CAT_RATE_LIMITED, 1, NULL},
	{550, "5.2.1", "5.2.1 The user you are trying to contact is receiving mail at a rate that\n5.2.1 prevents additional messages from being delivered. - gsmtp", RCPT, NULL, SDIAG_CAT_RATE_LIMITED, 1, NULL},
	{550, "5.7.1", "5.7.1 Unauthenticated email from mydomain.com is not accepted due\n5.7.1 to domain's DMARC policy. - gsmtp", DATA, NULL, SDIAG_CAT_SPAM_OR_POLICY, 0, "DMARC"},
	{553, "5.1.2", "5.1.2 The recipient address <example@example.com> is not a valid RFC-5321 address. - gsmtp", RCPT, NULL, SDIAG_CAT_MAILBOX_NAME_INVALID, 0, NULL},
	{454, "4.5.0", "4.5.0 SMTP protocol violation, no commands allowed to pipeline after STARTTLS, see RFC 3207.", STLS, NULL, SDIAG_CAT_SYNTAX_ERROR, 0, NULL},
	{550, "5.7.0", "5.7.0 Mail relay denied <192.0.2.1>. Invalid credentials for relay for one of the domains in: example.com", MAIL, "smtp-relay.gmail.com", SDIAG_CAT_RELAY_DENIED, 0, NULL},
	/* Microsoft 365 */
	{535, "5.7.139", "5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. [MN2PR05CA0004.namprd05.prod.outlook.com]", AUTH, "smtp.office365.com", SDIAG_CAT_AUTH_FAILED, 0, "SMTP AUTH is disabled"},
	{535, "5.7.139", "5.7.139 Authentication unsuccessful, the user credentials were incorrect. [PH0PR07CA0004.namprd07.prod.outlook.com]", AUTH, "smtp.office365.com", SDIAG_CAT_AUTH_FAILED, 0, "OAuth2"},
	{530, "5.7.57", "5.7.57 Client not authenticated to send mail", MAIL, "smtp.office365.com", SDIAG_CAT_AUTH_REQUIRED, 0, "direct send"},
	{550, "5.7.60", "5.7.60 SMTP; Client does not have permissions to send as this sender [MW2PR1901MB2155.namprd19.prod.outlook.com]", DATA, NULL, SDIAG_CAT_SENDER_REJECTED, 0, "Send As"},
	{554, "5.2.252", "5.2.252 SendAsDenied; a@outlook.com not allowed to send as b@example.com; STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied", DATA, NULL, SDIAG_CAT_SENDER_REJECTED, 0, "Send As"},
	{550, "5.4.1", "5.4.1 [kijitora@example.org]: Recipient address rejected: Access denied [NEKOCHAN.prod.protection.outlook.com]", RCPT, NULL, SDIAG_CAT_MAILBOX_UNAVAILABLE, 0, NULL},
	{451, "4.7.500", "4.7.500 Server busy. Please try again later from [192.0.2.1]. (AS77712344) [a.prod.protection.outlook.com]", MAIL, NULL, SDIAG_CAT_RATE_LIMITED, 1, NULL},
	{554, "5.2.122", "5.2.122 The recipient has exceeded their limit for the number of messages they can receive per hour. [outlook.com]", RCPT, NULL, SDIAG_CAT_RATE_LIMITED, 1, NULL},
	/* Amazon SES, SendGrid, Mailgun, Postmark, Mailjet, Brevo, SparkPost */
	{554, "", "Message rejected: Email address is not verified. The following identities failed the check in region AP-NORTHEAST-1: nekochan@example.jp", DATA, "email-smtp.ap-northeast-1.amazonaws.com", SDIAG_CAT_SENDER_REJECTED, 0, "sandbox"},
	{535, "", "Authentication Credentials Invalid", AUTH, "email-smtp.us-east-1.amazonaws.com", SDIAG_CAT_AUTH_FAILED, 0, "SMTP credentials"},
	{454, "", "Throttling failure: Daily message quota exceeded", DATA, NULL, SDIAG_CAT_RATE_LIMITED, 1, "quota"},
	{535, "", "Authentication failed: Bad username / password", AUTH, "smtp.sendgrid.net", SDIAG_CAT_AUTH_FAILED, 0, "'apikey'"},
	{550, "", "The from address does not match a verified Sender Identity. Mail cannot be sent until this error is resolved.", DATA, "smtp.sendgrid.net", SDIAG_CAT_SENDER_REJECTED, 0, "Sender Identity"},
	{451, "", "Authentication failed: Maximum credits exceeded", AUTH, "smtp.sendgrid.net", SDIAG_CAT_RATE_LIMITED, 1, "credits"},
	{535, "5.7.0", "5.7.0 Mailgun is not loving your login or password", AUTH, NULL, SDIAG_CAT_AUTH_FAILED, 0, "Mailgun"},
	{554, "", "Sandbox subdomains are for test purposes only. Please add your own domain or add the address to authorized recipients in Account Settings.", DATA, "smtp.mailgun.org", SDIAG_CAT_RELAY_DENIED, 0, "authorized recipients"},
	{535, "5.7.8", "5.7.8 Error: authentication failed: UGFzc3dvcmQ6", AUTH, "smtp.postmarkapp.com", SDIAG_CAT_AUTH_FAILED, 0, "Server API token"},
	{435, "4.7.8", "4.7.8 Error: authentication failed:", AUTH, "in-v3.mailjet.com", SDIAG_CAT_AUTH_FAILED, 0, "secret key"},
	{502, "5.7.0", "5.7.0 Please authenticate first", MAIL, "smtp-relay.brevo.com", SDIAG_CAT_AUTH_REQUIRED, 0, "SMTP key"},
	{535, "5.7.8", "5.7.8 Sorry. *** No authentication type succeeded", AUTH, "smtp.sparkpostmail.com", SDIAG_CAT_AUTH_FAILED, 0, "SMTP_Injection"},
	{550, "5.7.1", "5.7.1 Unconfigured Sending Domain <demo.example.com>", MAIL, "smtp.sparkpostmail.com", SDIAG_CAT_SENDER_REJECTED, 0, "sending domain"},
	/* Yahoo, iCloud, Zoho, Mimecast */
	{535, "5.7.0", "5.7.0 (#AUTH005) Too many bad auth attempts.", AUTH, "smtp.mail.yahoo.com", SDIAG_CAT_AUTH_FAILED, 0, "app password"},
	{421, "4.7.0", "4.7.0 [TSS04] Messages from 192.0.2.192 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.verizonmedia.com/error-codes", MAIL, NULL, SDIAG_CAT_RATE_LIMITED, 1, NULL},
	{550, "5.7.1", "5.7.1 [CS01] Message rejected due to local policy. Please visit https://support.apple.com/en-us/HT204137", DATA, NULL, SDIAG_CAT_SPAM_OR_POLICY, 0, "iCloud"},
	{553, "", "Relaying disallowed as @", DATA, "smtp.zoho.eu", SDIAG_CAT_SENDER_REJECTED, 0, "alias"},
	{553, "", "Relaying disallowed", RCPT, NULL, SDIAG_CAT_RELAY_DENIED, 0, NULL},
	{451, "", "Internal resource temporarily unavailable - https://community.mimecast.com/docs/DOC-1369#451 [#]", RCPT, NULL, SDIAG_CAT_GREYLISTED, 1, "Mimecast"},
	{451, "", "Internal resource temporarily unavailable", RCPT, NULL, SDIAG_CAT_TEMPORARY_LOCAL_ERROR, 1, NULL},
	/* Postfix, Exim, Sendmail */
	{553, "5.7.1", "5.7.1 <alice@example.com>: Sender address rejected: not owned by user bob@example.com", MAIL, NULL, SDIAG_CAT_SENDER_REJECTED, 0, "logged-in user"},
	{553, "5.7.1", "5.7.1 <alice@example.com>: Sender address rejected: not logged in", MAIL, NULL, SDIAG_CAT_AUTH_REQUIRED, 0, NULL},
	{553, "", "sorry, that address is not allowed", MAIL, NULL, SDIAG_CAT_SENDER_REJECTED, 0, "logged-in user"},
	{450, "4.1.8", "4.1.8 <foo@bad.domain>: Sender address rejected: Domain not found", MAIL, NULL, SDIAG_CAT_SENDER_REJECTED, 1, NULL},
	{450, "4.7.1", "4.7.1 Session encryption is required", MAIL, NULL, SDIAG_CAT_TLS_REQUIRED, 0, NULL},
	{504, "5.5.2", "5.5.2 <foo>: Helo command rejected: need fully-qualified hostname", EHLO, NULL, SDIAG_CAT_SPAM_OR_POLICY, 0, "helo"},
	{503, "5.5.1", "5.5.1 Error: authentication not enabled", AUTH, NULL, SDIAG_CAT_AUTH_UNSUPPORTED, 0, NULL},
	{503, "", "AUTH command used when not advertised", AUTH, NULL, SDIAG_CAT_AUTH_UNSUPPORTED, 0, "STARTTLS"},
	{451, "", "Could not complete sender verify callout", MAIL, NULL, SDIAG_CAT_TEMPORARY_LOCAL_ERROR, 1, NULL},
	{550, "", "Sender verify failed", MAIL, NULL, SDIAG_CAT_SENDER_REJECTED, 0, NULL},
	{452, "4.4.5", "4.4.5 Insufficient disk space; try again later", MAIL, NULL, SDIAG_CAT_TEMPORARY_LOCAL_ERROR, 1, NULL},
	{554, "", "neko-22.nyaan.r.example.net : CAT : neko22 : CAT : You've reached your daily relay quota - 203.0.113.0", BANNER, NULL, SDIAG_CAT_RATE_LIMITED, 1, NULL},
	{451, "4.7.1", "4.7.1 Try again later", DATA, NULL, SDIAG_CAT_GREYLISTED, 1, NULL},
	{450, "4.2.0", "4.2.0 <email@example.com>: Recipient address rejected: example.com greylisted for 60 seconds by ZEROSPAM", RCPT, NULL, SDIAG_CAT_GREYLISTED, 1, NULL},
	{552, "", "Requested mail action aborted: exceeded storage allocation", DATA, NULL, SDIAG_CAT_MESSAGE_TOO_LARGE, 0, NULL},
	{550, "", "<example@example.com>: Requested mail action aborted: exceeded storage allocation, Quota exceeded", RCPT, NULL, SDIAG_CAT_MAILBOX_FULL, 0, NULL},
	{550, "", "Request failed; Mailbox unavailable", DATA, "smtp.mail.yahoo.com", SDIAG_CAT_SPAM_OR_POLICY, 0, "Yahoo"},
	{550, "5.5.0", "5.5.0 Requested action not taken: mailbox unavailable. [a.eop-nam12.prod.protection.outlook.com]", RCPT, NULL, SDIAG_CAT_MAILBOX_UNAVAILABLE, 0, NULL},
	{550, "", "Administrative prohibition", RCPT, NULL, SDIAG_CAT_SPAM_OR_POLICY, 0, NULL},
	{554, "5.4.6", "5.4.6 Too many hops", DATA, NULL, SDIAG_CAT_OTHER, 0, "loop"},
};

TEST(host_table)
{
	size_t i;
	for (i = 0; i < sizeof(host_rows) / sizeof(host_rows[0]); i++) {
		const host_row_t *r = &host_rows[i];
		ROW("%d %s %s (%s, %s)", r->code, r->enhanced, t_show(r->text, strlen(r->text) < 60 ? strlen(r->text) : 60), sdiag_phase_name(r->phase), r->host ? r->host : "-")
		{
			sdiag_error_t e;
			sdiag_error_clear(&e);
			sdiag_classify_reply_host(&e, r->code, r->enhanced, r->text, r->phase, r->host);
			if (e.category != r->cat) {
				t_fail(__FILE__, __LINE__, "category %s, expected %s (%s)", sdiag_category_name(e.category), sdiag_category_name(r->cat), e.matched);
			}
			CHECK_INT(e.transient, r->transient);
			CHECK(e.hint[0] != '\0');
			CHECK(strlen(e.hint) < SDIAG_HINT_MAX - 1);
			if (r->hint_has) {
				CHECK_CONTAINS(e.hint, r->hint_has);
			}
		}
	}
}

/* The IANA registry, X.0.0 to X.7.30, and the vendor codes beyond it: the
 * category an enhanced code gives when the text says nothing known. */
typedef struct {
	int code;
	const char *enhanced;
	sdiag_phase_t phase;
	sdiag_category_t cat;
	int transient;
} enh_row_t;

static const enh_row_t enh_rows[] = {
	{550, "5.0.0", RCPT, SDIAG_CAT_MAILBOX_UNAVAILABLE, 0},  /* X.0.0 says nothing: the code decides */
	{550, "5.1.0", MAIL, SDIAG_CAT_SENDER_REJECTED, 0},
	{550, "5.1.0", RCPT, SDIAG_CAT_MAILBOX_UNAVAILABLE, 0},
	{550, "5.1.1", RCPT, SDIAG_CAT_MAILBOX_UNAVAILABLE, 0},
	{550, "5.1.1", MAIL, SDIAG_CAT_SENDER_REJECTED, 0},
	{550, "5.1.2", RCPT, SDIAG_CAT_MAILBOX_UNAVAILABLE, 0},
	{501, "5.1.3", RCPT, SDIAG_CAT_MAILBOX_NAME_INVALID, 0},
	{501, "5.1.3", MAIL, SDIAG_CAT_SENDER_REJECTED, 0},
	{550, "5.1.4", RCPT, SDIAG_CAT_MAILBOX_NAME_INVALID, 0},
	{550, "5.1.6", RCPT, SDIAG_CAT_MAILBOX_UNAVAILABLE, 0},
	{550, "5.1.7", MAIL, SDIAG_CAT_SENDER_REJECTED, 0},
	{450, "4.1.8", MAIL, SDIAG_CAT_SENDER_REJECTED, 1},
	{556, "5.1.10", RCPT, SDIAG_CAT_MAILBOX_UNAVAILABLE, 0},
	{550, "5.1.10", MAIL, SDIAG_CAT_SENDER_REJECTED, 0},
	{550, "5.2.0", RCPT, SDIAG_CAT_MAILBOX_UNAVAILABLE, 0},
	{550, "5.2.1", RCPT, SDIAG_CAT_MAILBOX_UNAVAILABLE, 0},
	{552, "5.2.2", RCPT, SDIAG_CAT_MAILBOX_FULL, 0},
	{452, "4.2.2", RCPT, SDIAG_CAT_MAILBOX_FULL, 1},
	{552, "5.2.3", DATA, SDIAG_CAT_MESSAGE_TOO_LARGE, 0},
	{550, "5.2.4", RCPT, SDIAG_CAT_MAILBOX_UNAVAILABLE, 0},
	{451, "4.3.0", DATA, SDIAG_CAT_TEMPORARY_LOCAL_ERROR, 1},
	{452, "4.3.1", MAIL, SDIAG_CAT_TEMPORARY_LOCAL_ERROR, 1},
	{421, "4.3.2", BANNER, SDIAG_CAT_SERVICE_UNAVAILABLE, 1},
	{554, "5.3.4", DATA, SDIAG_CAT_MESSAGE_TOO_LARGE, 0},
	{451, "4.3.5", RCPT, SDIAG_CAT_TEMPORARY_LOCAL_ERROR, 1},
	{553, "5.3.5", DATA, SDIAG_CAT_OTHER, 0},
	{451, "4.4.1", DATA, SDIAG_CAT_TEMPORARY_LOCAL_ERROR, 1},
	{421, "4.4.2", DATA, SDIAG_CAT_TEMPORARY_LOCAL_ERROR, 1},
	{451, "4.4.3", RCPT, SDIAG_CAT_TEMPORARY_LOCAL_ERROR, 1},
	{550, "5.4.4", RCPT, SDIAG_CAT_MAILBOX_UNAVAILABLE, 0},
	{550, "5.4.5", MAIL, SDIAG_CAT_RATE_LIMITED, 1},
	{554, "5.4.6", DATA, SDIAG_CAT_OTHER, 0},
	{451, "4.4.7", DATA, SDIAG_CAT_TEMPORARY_LOCAL_ERROR, 1},
	{500, "5.5.1", EHLO, SDIAG_CAT_SYNTAX_ERROR, 0},
	{501, "5.5.2", MAIL, SDIAG_CAT_SYNTAX_ERROR, 0},
	{452, "4.5.3", RCPT, SDIAG_CAT_RATE_LIMITED, 1},
	{550, "5.5.3", RCPT, SDIAG_CAT_RATE_LIMITED, 1},
	{501, "5.5.4", MAIL, SDIAG_CAT_SYNTAX_ERROR, 0},
	{500, "5.5.6", AUTH, SDIAG_CAT_SYNTAX_ERROR, 0},
	{554, "5.6.0", DATA, SDIAG_CAT_SPAM_OR_POLICY, 0},
	{554, "5.6.3", DATA, SDIAG_CAT_SPAM_OR_POLICY, 0},
	{553, "5.6.7", RCPT, SDIAG_CAT_MAILBOX_NAME_INVALID, 0},
	{553, "5.6.7", MAIL, SDIAG_CAT_SENDER_REJECTED, 0},
	{550, "5.6.9", DATA, SDIAG_CAT_SPAM_OR_POLICY, 0},
	{550, "5.7.0", MAIL, SDIAG_CAT_SPAM_OR_POLICY, 0},
	{454, "4.7.0", AUTH, SDIAG_CAT_TEMPORARY_LOCAL_ERROR, 1},   /* RFC 4954: temporary failure */
	{550, "5.7.1", RCPT, SDIAG_CAT_SPAM_OR_POLICY, 0},
	{450, "4.7.1", RCPT, SDIAG_CAT_SPAM_OR_POLICY, 1},
	{550, "5.7.2", RCPT, SDIAG_CAT_SPAM_OR_POLICY, 0},
	{504, "5.7.4", AUTH, SDIAG_CAT_AUTH_UNSUPPORTED, 0},
	{432, "4.7.12", AUTH, SDIAG_CAT_AUTH_FAILED, 0},
	{525, "5.7.13", RCPT, SDIAG_CAT_MAILBOX_UNAVAILABLE, 0},
	{525, "5.7.13", AUTH, SDIAG_CAT_AUTH_FAILED, 0},
	{550, "5.7.17", RCPT, SDIAG_CAT_MAILBOX_UNAVAILABLE, 0},
	{550, "5.7.18", RCPT, SDIAG_CAT_MAILBOX_UNAVAILABLE, 0},
	{550, "5.7.20", DATA, SDIAG_CAT_SPAM_OR_POLICY, 0},
	{550, "5.7.21", DATA, SDIAG_CAT_SPAM_OR_POLICY, 0},
	{550, "5.7.22", DATA, SDIAG_CAT_SPAM_OR_POLICY, 0},
	{550, "5.7.23", DATA, SDIAG_CAT_SPAM_OR_POLICY, 0},
	{451, "4.7.24", DATA, SDIAG_CAT_SPAM_OR_POLICY, 1},         /* SPF validation error: a temporary DNS error */
	{550, "5.7.25", MAIL, SDIAG_CAT_SPAM_OR_POLICY, 0},
	{550, "5.7.26", DATA, SDIAG_CAT_SPAM_OR_POLICY, 0},
	{550, "5.7.27", MAIL, SDIAG_CAT_SENDER_REJECTED, 0},
	{421, "4.7.28", MAIL, SDIAG_CAT_RATE_LIMITED, 1},
	{550, "5.7.28", MAIL, SDIAG_CAT_SPAM_OR_POLICY, 0},
	{550, "5.7.29", DATA, SDIAG_CAT_SPAM_OR_POLICY, 0},
	{550, "5.7.30", DATA, SDIAG_CAT_TLS_REQUIRED, 0},
	/* vendor codes (Microsoft 365, Gmail) */
	{530, "5.7.57", MAIL, SDIAG_CAT_AUTH_REQUIRED, 0},
	{550, "5.7.60", DATA, SDIAG_CAT_SENDER_REJECTED, 0},
	{550, "5.7.64", RCPT, SDIAG_CAT_RELAY_DENIED, 0},
	{421, "4.7.66", STLS, SDIAG_CAT_TLS_ERROR, 0},
	{550, "5.7.606", RCPT, SDIAG_CAT_SPAM_OR_POLICY, 0},
	{550, "5.7.708", RCPT, SDIAG_CAT_SPAM_OR_POLICY, 0},
	{550, "5.7.750", MAIL, SDIAG_CAT_SENDER_REJECTED, 0},
	{451, "4.7.650", MAIL, SDIAG_CAT_RATE_LIMITED, 1},
	{451, "4.7.855", MAIL, SDIAG_CAT_RATE_LIMITED, 1},
	{554, "5.2.121", RCPT, SDIAG_CAT_RATE_LIMITED, 1},
	{554, "5.2.252", DATA, SDIAG_CAT_SENDER_REJECTED, 0},
	{550, "5.1.351", RCPT, SDIAG_CAT_MAILBOX_UNAVAILABLE, 0},
	{421, "4.7.32", DATA, SDIAG_CAT_SPAM_OR_POLICY, 0},
	{550, "5.7.999", DATA, SDIAG_CAT_SPAM_OR_POLICY, 0},        /* an unknown security code: policy */
};

TEST(enhanced_table)
{
	size_t i;
	for (i = 0; i < sizeof(enh_rows) / sizeof(enh_rows[0]); i++) {
		const enh_row_t *r = &enh_rows[i];
		ROW("%d %s (%s)", r->code, r->enhanced, sdiag_phase_name(r->phase))
		{
			sdiag_error_t e;
			sdiag_error_clear(&e);
			/* a text no rule knows, so that the enhanced code decides */
			sdiag_classify_reply(&e, r->code, r->enhanced, "zzz", r->phase);
			if (e.category != r->cat) {
				t_fail(__FILE__, __LINE__, "category %s, expected %s (%s)", sdiag_category_name(e.category), sdiag_category_name(r->cat), e.matched);
			}
			CHECK_INT(e.transient, r->transient);
		}
	}
}

/* Every enhanced code of the registry and every reply code, at every
 * command: a real category, a hint that fits, a rule named. */
TEST(sweep)
{
	static const sdiag_phase_t phases[] = {SDIAG_PHASE_NONE, BANNER, EHLO, STLS, AUTH, MAIL, RCPT, DATA, SDIAG_PHASE_QUIT};
	int code, subj, det, p, bad = 0;
	char enh[48];
	for (code = 400; code < 600; code++) {
		for (p = 0; p < (int)(sizeof(phases) / sizeof(*phases)); p++) {
			for (subj = -1; subj <= 7; subj++) {
				for (det = 0; det <= (subj == 7 ? 32 : 11); det++) {
					sdiag_error_t e;
					if (subj < 0) {
						enh[0] = '\0';
						det = 99;
					} else {
						snprintf(enh, sizeof(enh), "%d.%d.%d", code / 100, subj & 7, det & 1023);
					}
					sdiag_error_clear(&e);
					sdiag_classify_reply(&e, code, enh, "", phases[p]);
					if (e.category <= SDIAG_CAT_NONE || e.category >= SDIAG_CAT__COUNT || !e.hint[0] || !e.matched[0] ||
						(e.transient != 0 && e.transient != 1)) {
						if (bad++ < 5) {
							t_fail(__FILE__, __LINE__, "%d %s (%s): category %d, hint \"%s\", matched \"%s\"", code, enh,
								sdiag_phase_name(phases[p]), (int)e.category, e.hint, e.matched);
						}
					}
				}
			}
		}
	}
	CHECK_INT(bad, 0);
}

TEST(provider_detection)
{
	static const struct {
		const char *host;
		const char *name;
	} hosts[] = {
		{"smtp.gmail.com", "gmail"}, {"SMTP.GMAIL.COM.", "gmail"}, {"smtp.googlemail.com", "gmail"},
		{"aspmx.l.google.com", "gmail"}, {"smtp-relay.gmail.com", "gmail"},
		{"smtp.office365.com", "microsoft365"}, {"outlook.office365.com", "microsoft365"},
		{"contoso-com.mail.protection.outlook.com", "microsoft365"}, {"smtp-mail.outlook.com", "microsoft365"},
		{"email-smtp.eu-west-1.amazonaws.com", "amazon_ses"}, {"smtp.sendgrid.net", "sendgrid"},
		{"smtp.mailgun.org", "mailgun"}, {"smtp.eu.mailgun.org", "mailgun"}, {"smtp.postmarkapp.com", "postmark"},
		{"in-v3.mailjet.com", "mailjet"}, {"smtp-relay.brevo.com", "brevo"}, {"smtp-relay.sendinblue.com", "brevo"},
		{"smtp.sparkpostmail.com", "sparkpost"}, {"smtp.eu.sparkpostmail.com", "sparkpost"},
		{"smtp.zoho.com", "zoho"}, {"smtp.zoho.eu", "zoho"}, {"smtppro.zoho.in", "zoho"},
		{"smtp.mail.me.com", "icloud"}, {"smtp.mail.yahoo.com", "yahoo"}, {"smtp.aol.com", "yahoo"},
		{"eu-smtp-outbound-1.mimecast.com", "mimecast"},
		{"mail.example.com", NULL}, {"notgmail.com", NULL}, {"ec2-1-2-3-4.compute.amazonaws.com", NULL}, {"", NULL},
	};
	static const struct {
		const char *text;
		const char *name;
	} texts[] = {
		{"5.7.8 Username and Password not accepted. y3si6756 - gsmtp", "gmail"},
		{"5.4.1 Recipient address rejected: Access denied [BL2NAM02FT061.eop-nam02.prod.protection.outlook.com]", "microsoft365"},
		{"Message rejected: Email address is not verified. The following identities failed the check in region US-EAST-1: a@b", "amazon_ses"},
		{"5.7.0 Mailgun is not loving your login or password", "mailgun"},
		{"4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred", "yahoo"},
		{"5.7.1 [CS01] Message rejected due to local policy. Please visit https://support.apple.com/en-us/HT204137", "icloud"},
		{"Host network not allowed - https://community.mimecast.com/docs/DOC-1369#554", "mimecast"},
		{"User unknown", NULL}, {"<bob@gmail.com>: Relay access denied", NULL},
	};
	size_t i;
	for (i = 0; i < sizeof(hosts) / sizeof(*hosts); i++) {
		ROW("host %s", hosts[i].host)
		{
			CHECK_STR(sdiag_provider_name(sdiag_provider_detect(hosts[i].host, NULL)), hosts[i].name);
		}
	}
	for (i = 0; i < sizeof(texts) / sizeof(*texts); i++) {
		ROW("text %.50s", texts[i].text)
		{
			CHECK_STR(sdiag_provider_name(sdiag_provider_detect(NULL, texts[i].text)), texts[i].name);
		}
	}
	/* the host wins over the text */
	CHECK_STR(sdiag_provider_name(sdiag_provider_detect("smtp.sendgrid.net", "x - gsmtp")), "sendgrid");
	CHECK(sdiag_provider_detect(NULL, NULL) == SDIAG_PROVIDER_NONE);
	CHECK(sdiag_provider_name(SDIAG_PROVIDER_NONE) == NULL);
	CHECK(sdiag_provider_name(SDIAG_PROVIDER__COUNT) == NULL);
	for (i = 1; i < SDIAG_PROVIDER__COUNT; i++) {
		CHECK(sdiag_provider_name((sdiag_provider_t)i) != NULL);
	}
}

/* The same reply gets the provider's hint when the host is known. */
TEST(provider_hints)
{
	static const char *const hosts[] = {NULL, "smtp.gmail.com", "smtp.office365.com", "email-smtp.us-east-1.amazonaws.com",
		"smtp.sendgrid.net", "smtp.mailgun.org", "smtp.postmarkapp.com", "in-v3.mailjet.com", "smtp-relay.brevo.com",
		"smtp.sparkpostmail.com", "smtp.zoho.com", "smtp.mail.me.com", "smtp.mail.yahoo.com"};
	char seen[sizeof(hosts) / sizeof(*hosts)][SDIAG_HINT_MAX];
	size_t i, j;
	for (i = 0; i < sizeof(hosts) / sizeof(*hosts); i++) {
		sdiag_error_t e;
		sdiag_error_clear(&e);
		sdiag_classify_reply_host(&e, 535, "5.7.8", "5.7.8 Authentication credentials invalid", AUTH, hosts[i]);
		CHECK_INT(e.category, SDIAG_CAT_AUTH_FAILED);
		CHECK_INT(e.transient, 0);
		snprintf(seen[i], sizeof(seen[i]), "%s", e.hint);
		for (j = 0; j < i; j++) {
			if (strcmp(seen[i], seen[j]) == 0) {
				t_fail(__FILE__, __LINE__, "%s and %s give the same hint", hosts[i] ? hosts[i] : "no host", hosts[j] ? hosts[j] : "no host");
			}
		}
	}
	CHECK_STR(seen[0], sdiag_category_hint(SDIAG_CAT_AUTH_FAILED));
}

TEST(matched_names_the_rule)
{
	sdiag_error_t e;
	sdiag_error_clear(&e);
	sdiag_classify_reply(&e, 550, "5.4.5", "5.4.5 Daily user sending quota exceeded.", MAIL);
	CHECK_STR(e.matched, "text \"sending quota\"");
	sdiag_classify_reply(&e, 550, "5.1.1", "5.1.1 <x@example.com>... zzz", RCPT);
	CHECK_STR(e.matched, "enhanced 5.1.1");
	sdiag_classify_reply(&e, 550, "5.7.60", "5.7.60 SMTP; zzz", DATA);
	CHECK_STR(e.matched, "enhanced 5.7.60 (Microsoft 365)");
	sdiag_classify_reply(&e, 550, "", "zzz", RCPT);
	CHECK_STR(e.matched, "code 550 to RCPT");
	sdiag_classify_reply(&e, 550, "", "zzz", SDIAG_PHASE_NONE);
	CHECK_STR(e.matched, "code 550");
	sdiag_classify_reply(&e, 535, "5.7.3", "5.7.3 zzz", AUTH);
	CHECK_STR(e.matched, "code 535 to AUTH");
	sdiag_classify_reply(&e, 451, "4.7.1", "4.7.1 Try again later.", RCPT);
	CHECK_STR(e.matched, "text \"try again later\"");
}

/* Phrases match across the lines of a multi-line reply, whatever the
 * enhanced codes and the spacing at the start of each line. */
TEST(multi_line_and_case)
{
	sdiag_error_t e;
	sdiag_error_clear(&e);
	sdiag_classify_reply(&e, 550, "5.7.1", "5.7.1 The IP you're using to send mail is not authorized to\n5.7.1 send email directly to our servers.", DATA);
	CHECK_STR(e.matched, "text \"not authorized to send email directly\"");
	sdiag_classify_reply(&e, 550, "", "RELAY ACCESS\r\n   DENIED", RCPT);
	CHECK_INT(e.category, SDIAG_CAT_RELAY_DENIED);
	/* an enhanced code inside a line is text, not a line prefix */
	sdiag_classify_reply(&e, 550, "", "Recipient 5.1.1 user unknown", RCPT);
	CHECK_INT(e.category, SDIAG_CAT_MAILBOX_UNAVAILABLE);
}

TEST(long_text_is_truncated_safely)
{
	static char text[20000];
	sdiag_error_t e;
	size_t i;
	for (i = 0; i + 1 < sizeof(text); i++) {
		text[i] = (char)('a' + (i % 26));
	}
	text[sizeof(text) - 1] = '\0';
	memcpy(text + sizeof(text) - 20, "greylisted", 10); /* beyond what the rules look at */
	sdiag_error_clear(&e);
	sdiag_classify_reply(&e, 451, "", text, RCPT);
	CHECK_INT(e.category, SDIAG_CAT_TEMPORARY_LOCAL_ERROR);
	memcpy(text + 10, " greylisted ", 12);
	sdiag_classify_reply(&e, 451, "", text, RCPT);
	CHECK_INT(e.category, SDIAG_CAT_GREYLISTED);
	/* malformed enhanced codes are ignored */
	sdiag_classify_reply(&e, 550, "5.x.1", "zzz", RCPT);
	CHECK_INT(e.category, SDIAG_CAT_MAILBOX_UNAVAILABLE);
	sdiag_classify_reply(&e, 550, "5.1.1.1", "zzz", MAIL);
	CHECK_INT(e.category, SDIAG_CAT_SENDER_REJECTED);
	CHECK_STR(e.matched, "code 550 to MAIL");
}

/* Every category the classifier gives has a non-empty hint of its own. */
TEST(category_hints_distinct)
{
	int a, b;
	for (a = 1; a < SDIAG_CAT__COUNT; a++) {
		CHECK(sdiag_category_hint((sdiag_category_t)a)[0] != '\0');
		CHECK(strlen(sdiag_category_hint((sdiag_category_t)a)) < SDIAG_HINT_MAX);
		for (b = 1; b < a; b++) {
			if (strcmp(sdiag_category_hint((sdiag_category_t)a), sdiag_category_hint((sdiag_category_t)b)) == 0) {
				t_fail(__FILE__, __LINE__, "%s and %s share a hint", sdiag_category_name((sdiag_category_t)a), sdiag_category_name((sdiag_category_t)b));
			}
		}
	}
}

TEST_MAIN("classify",
	T(table),
	T(null_text_and_enhanced),
	T(message_left_to_caller),
	T(text_match_is_case_insensitive),
	T(category_and_phase_names),
	T(error_set_defaults),
	T(host_table),
	T(enhanced_table),
	T(sweep),
	T(provider_detection),
	T(provider_hints),
	T(matched_names_the_rule),
	T(multi_line_and_case),
	T(long_text_is_truncated_safely),
	T(category_hints_distinct))
