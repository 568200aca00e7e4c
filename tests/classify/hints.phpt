--TEST--
smtpdiag_classify(): provider-aware hints (Gmail app password, Microsoft 365 SMTP AUTH disabled and Send As, SES sandbox, SendGrid apikey, 553 to MAIL FROM after a login), the provider key and the host option, and a distinct non-empty hint for every category
--EXTENSIONS--
smtpdiag
--FILE--
<?php
function show(string $title, string $reply, array $options, array $expect): void
{
    $r = smtpdiag_classify($reply, $options);
    $missing = array_filter($expect, fn ($piece) => stripos($r['hint'], $piece) === false);
    printf("%s: %s%s, provider %s, %s\n", $title, $r['category'], $r['transient'] ? ' (transient)' : '',
        $r['provider'] ?? 'null', $missing ? 'hint LACKS ' . implode(', ', $missing) . ': ' . $r['hint'] : 'hint ok');
}

echo "--- the named cases\n";
show('Gmail 534 5.7.9',
    "534-5.7.9 Application-specific password required. Learn more at\r\n534 5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor o13sm2119833lfg.90 - gsmtp\r\n",
    ['command' => 'AUTH', 'host' => 'smtp.gmail.com'], ['app password', 'https://myaccount.google.com/apppasswords']);
show('Microsoft 365 535 5.7.139',
    "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. [MN2PR05CA0004.namprd05.prod.outlook.com]",
    ['command' => 'AUTH', 'host' => 'smtp.office365.com'], ['SMTP AUTH is disabled', 'tenant', 'SmtpClientAuthenticationDisabled']);
show('Microsoft 365 550 5.7.60',
    "550 5.7.60 SMTP; Client does not have permissions to send as this sender [MW2PR1901MB2155.namprd19.prod.outlook.com]",
    ['command' => 'DATA', 'host' => 'smtp.office365.com'], ['Send As', 'From']);
show('SES not verified',
    "554 Message rejected: Email address is not verified. The following identities failed the check in region US-EAST-1: app@example.com",
    ['command' => 'DATA', 'host' => 'email-smtp.us-east-1.amazonaws.com'], ['sandbox', 'verify']);
show('SendGrid 535',
    "535 Authentication failed: Bad username / password",
    ['command' => 'AUTH', 'host' => 'smtp.sendgrid.net'], ["'apikey'", 'API key']);
show('553 to MAIL after AUTH (Postfix login mismatch)',
    "553 5.7.1 <alice@example.com>: Sender address rejected: not owned by user bob@example.com",
    ['command' => 'MAIL'], ['logged-in', 'From']);
show('553 to MAIL, text unknown',
    "553 5.7.1 Sender not allowed",
    ['command' => 'MAIL'], ['logged-in user', 'alias']);

echo "--- the same reply, the host decides the hint\n";
$hints = [];
foreach ([null, 'smtp.gmail.com', 'smtp.office365.com', 'email-smtp.eu-west-1.amazonaws.com', 'smtp.sendgrid.net',
    'smtp.mailgun.org', 'smtp.postmarkapp.com', 'in-v3.mailjet.com', 'smtp-relay.brevo.com', 'smtp.sparkpostmail.com',
    'smtp.zoho.eu', 'smtp.mail.me.com', 'smtp.mail.yahoo.com'] as $host) {
    $r = smtpdiag_classify("535 5.7.8 Authentication credentials invalid", ['command' => 'AUTH', 'host' => $host]);
    $hints[] = $r['hint'];
    printf("%-36s %s %s\n", $host ?? '(no host)', $r['provider'] ?? 'null', $r['category']);
}
echo "distinct hints: ", count(array_unique($hints)), " of ", count($hints), "\n";

echo "--- the provider from the host, else from the text\n";
foreach (['smtp.gmail.com', 'aspmx.l.google.com', 'smtp.googlemail.com', 'smtp.office365.com', 'outlook.office365.com',
    'contoso-com.mail.protection.outlook.com', 'email-smtp.us-west-2.amazonaws.com', 'smtp.sendgrid.net', 'smtp.mailgun.org',
    'smtp.postmarkapp.com', 'in-v3.mailjet.com', 'smtp-relay.brevo.com', 'smtp-relay.sendinblue.com', 'smtp.sparkpostmail.com',
    'smtp.zoho.com', 'smtp.mail.me.com', 'smtp.mail.yahoo.com', 'smtp.aol.com', 'eu-smtp-outbound-1.mimecast.com',
    'mail.example.com'] as $host) {
    printf("%-40s %s\n", $host, smtpdiag_classify("550 5.1.1 User unknown", ['command' => 'RCPT', 'host' => $host])['provider'] ?? 'null');
}
foreach (["550 5.1.1 The email account that you tried to reach does not exist. y3si6756 - gsmtp",
    "550 5.4.1 Recipient address rejected: Access denied [BL2NAM02FT061.eop-nam02.prod.protection.outlook.com]",
    "535 5.7.0 Mailgun is not loving your login or password",
    "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints",
    "554 Email rejected due to security policies - https://community.mimecast.com/docs/DOC-1369#554",
    "550 5.1.1 <bob@gmail.com>: Recipient address rejected: User unknown in local recipient table"] as $reply) {
    printf("%-13s %s\n", smtpdiag_classify($reply)['provider'] ?? 'null', rtrim(substr($reply, 0, 50)));
}

echo "--- every category: a hint of its own\n";
$byCategory = [];
foreach ([
    ['535 5.7.8 Authentication credentials invalid', 'AUTH'],
    ['530 5.7.0 Authentication required', 'MAIL'],
    ['504 5.7.4 Unrecognized authentication type', 'AUTH'],
    ['530 5.7.0 Must issue a STARTTLS command first', 'MAIL'],
    ['454 4.7.0 TLS not available due to local problem', 'STARTTLS'],
    ['550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown in local recipient table', 'RCPT'],
    ['501 5.1.3 Bad recipient address syntax', 'RCPT'],
    ['552 5.2.2 Mailbox full', 'RCPT'],
    ['550 5.1.7 Bad sender address syntax', 'MAIL'],
    ['554 5.7.1 <x@example.net>: Relay access denied', 'RCPT'],
    ['452 4.5.3 Error: too many recipients', 'RCPT'],
    ['554 5.7.1 Delivery not authorized, message refused', 'DATA'],
    ['552 5.3.4 Message size exceeds fixed limit', 'DATA'],
    ['450 4.2.0 <x@example.com>: Recipient address rejected: Greylisted', 'RCPT'],
    ['451 4.3.0 Temporary lookup failure', 'RCPT'],
    ['421 mx.example.com Service not available, closing transmission channel', 'CONNECT'],
    ['500 5.5.1 Command unrecognized', 'EHLO'],
    ['554 5.4.6 Too many hops', 'DATA'],
] as [$reply, $command]) {
    $r = smtpdiag_classify($reply, ['command' => $command]);
    $byCategory[$r['category']] = $r['hint'];
}
ksort($byCategory);
foreach ($byCategory as $category => $hint) {
    printf("%-22s %s\n", $category, $hint !== '' && strlen($hint) < 512 ? 'non-empty' : 'BAD: ' . var_export($hint, true));
}
echo "categories: ", count($byCategory), ", distinct hints: ", count(array_unique($byCategory)), "\n";

echo "--- result keys, the host option\n";
echo implode(', ', array_keys(smtpdiag_classify("250 ok"))), "\n";
var_dump(smtpdiag_classify("535 5.7.8 Authentication credentials invalid", ['host' => null])['provider']);
foreach ([['host' => 42], ['host' => ''], ['host' => "smtp.gmail.com\0x"], ['hots' => 'x']] as $options) {
    try {
        smtpdiag_classify("550 no", $options);
        echo "accepted\n";
    } catch (ValueError $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
    }
}
?>
--EXPECT--
--- the named cases
Gmail 534 5.7.9: auth_failed, provider gmail, hint ok
Microsoft 365 535 5.7.139: auth_failed, provider microsoft365, hint ok
Microsoft 365 550 5.7.60: sender_rejected, provider microsoft365, hint ok
SES not verified: sender_rejected, provider amazon_ses, hint ok
SendGrid 535: auth_failed, provider sendgrid, hint ok
553 to MAIL after AUTH (Postfix login mismatch): sender_rejected, provider null, hint ok
553 to MAIL, text unknown: sender_rejected, provider null, hint ok
--- the same reply, the host decides the hint
(no host)                            null auth_failed
smtp.gmail.com                       gmail auth_failed
smtp.office365.com                   microsoft365 auth_failed
email-smtp.eu-west-1.amazonaws.com   amazon_ses auth_failed
smtp.sendgrid.net                    sendgrid auth_failed
smtp.mailgun.org                     mailgun auth_failed
smtp.postmarkapp.com                 postmark auth_failed
in-v3.mailjet.com                    mailjet auth_failed
smtp-relay.brevo.com                 brevo auth_failed
smtp.sparkpostmail.com               sparkpost auth_failed
smtp.zoho.eu                         zoho auth_failed
smtp.mail.me.com                     icloud auth_failed
smtp.mail.yahoo.com                  yahoo auth_failed
distinct hints: 13 of 13
--- the provider from the host, else from the text
smtp.gmail.com                           gmail
aspmx.l.google.com                       gmail
smtp.googlemail.com                      gmail
smtp.office365.com                       microsoft365
outlook.office365.com                    microsoft365
contoso-com.mail.protection.outlook.com  microsoft365
email-smtp.us-west-2.amazonaws.com       amazon_ses
smtp.sendgrid.net                        sendgrid
smtp.mailgun.org                         mailgun
smtp.postmarkapp.com                     postmark
in-v3.mailjet.com                        mailjet
smtp-relay.brevo.com                     brevo
smtp-relay.sendinblue.com                brevo
smtp.sparkpostmail.com                   sparkpost
smtp.zoho.com                            zoho
smtp.mail.me.com                         icloud
smtp.mail.yahoo.com                      yahoo
smtp.aol.com                             yahoo
eu-smtp-outbound-1.mimecast.com          mimecast
mail.example.com                         null
gmail         550 5.1.1 The email account that you tried to reac
microsoft365  550 5.4.1 Recipient address rejected: Access denie
mailgun       535 5.7.0 Mailgun is not loving your login or pass
yahoo         421 4.7.0 [TSS04] Messages from 192.0.2.1 temporar
mimecast      554 Email rejected due to security policies - http
null          550 5.1.1 <bob@gmail.com>: Recipient address rejec
--- every category: a hint of its own
auth_failed            non-empty
auth_required          non-empty
auth_unsupported       non-empty
greylisted             non-empty
mailbox_full           non-empty
mailbox_name_invalid   non-empty
mailbox_unavailable    non-empty
message_too_large      non-empty
other                  non-empty
rate_limited           non-empty
relay_denied           non-empty
sender_rejected        non-empty
service_unavailable    non-empty
spam_or_policy         non-empty
syntax_error           non-empty
temporary_local_error  non-empty
tls_error              non-empty
tls_required           non-empty
categories: 18, distinct hints: 18
--- result keys, the host option
category, transient, code, enhanced, hint, matched, provider, text
NULL
ValueError: smtpdiag_classify(): Argument #2 ($options) option "host" must be a host name (a non-empty string of at most 255 bytes) or null
ValueError: smtpdiag_classify(): Argument #2 ($options) option "host" must be a host name (a non-empty string of at most 255 bytes) or null
ValueError: smtpdiag_classify(): Argument #2 ($options) option "host" must be a host name (a non-empty string of at most 255 bytes) or null
ValueError: smtpdiag_classify(): Argument #2 ($options) contains an unknown option "hots" (known: command, host)
