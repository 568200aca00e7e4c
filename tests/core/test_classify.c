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
	{534, "5.7.9", "Application-specific password required.", AUTH, SDIAG_CAT_AUTH_UNSUPPORTED, 0},
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
			CHECK_STR(e.hint, sdiag_category_hint(e.category));
			CHECK(e.hint[0] != '\0');
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

TEST_MAIN("classify",
	T(table),
	T(null_text_and_enhanced),
	T(message_left_to_caller),
	T(text_match_is_case_insensitive),
	T(category_and_phase_names),
	T(error_set_defaults))
