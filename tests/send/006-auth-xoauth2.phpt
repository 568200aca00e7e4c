--TEST--
AUTH XOAUTH2 (token as password): initial response base64("user=U\1auth=Bearer T\1\1"); the error flow (334 base64 JSON, empty answer, 535) fails with auth_failed and keeps the JSON and the token out of the transcript
--EXTENSIONS--
smtpdiag
openssl
--FILE--
<?php
require __DIR__ . '/../inc/send.inc';

const USER = 'dave@example.com';
const TOKEN = 'ya29.a0AfH6SMBx-token-value';
$ir = base64_encode('user=' . USER . "\x01auth=Bearer " . TOKEN . "\x01\x01");
$json = '{"status":"401","schemes":"bearer","scope":"https://mail.google.com/"}';
$jsonB64 = base64_encode($json);
echo $ir, "\n";

function start_tls_steps(): array
{
    return [
        ['send', "220 smtp.test.example ESMTP\r\n"],
        ['expect', 'EHLO '],
        ['send', sdiag_ehlo_reply('STARTTLS')],
        ['expect', 'STARTTLS'],
        ['send', "220 2.0.0 Ready to start TLS\r\n"],
        ['starttls'],
        ['expect', 'EHLO '],
        ['send', sdiag_ehlo_reply('AUTH LOGIN PLAIN XOAUTH2 PLAIN-CLIENTTOKEN OAUTHBEARER XOAUTH')],
    ];
}

echo "=== success\n";
$srv = SmtpTestServer::start(array_merge(start_tls_steps(), [
    ['expect', "AUTH XOAUTH2 $ir\r\n"],
    ['send', "235 2.7.0 Accepted\r\n"],
    ['expect', 'QUIT'],
    ['send', "221 2.0.0 closing connection\r\n"],
]), ['cert' => 'valid']);
$c = new SmtpDiag\Client($srv->dsn(), ['username' => USER, 'password' => TOKEN, 'auth' => 'XOAUTH2', 'encryption' => 'starttls', 'cafile' => $srv->cafile, 'timeout' => 5]);
$c->connect();
var_dump($c->isConnected());
$c->quit();
echo implode("\n", array_slice(explode("\n", trim(sdiag_dialogue($c))), -4)), "\n";
unset($c);
sdiag_print_server($srv);

echo "=== expired token: 334 with a JSON error, empty answer, 535\n";
$srv = SmtpTestServer::start(array_merge(start_tls_steps(), [
    ['expect', "AUTH XOAUTH2 $ir\r\n"],
    ['send', "334 $jsonB64\r\n"],
    ['expect', "\r\n"],
    ['send', "535-5.7.8 Username and Password not accepted. For more information, go to\r\n535 5.7.8  https://support.google.com/mail/?p=BadCredentials x1-abc.1 - gsmtp\r\n"],
    ['expect', 'QUIT'],
    ['send', "221 2.0.0 closing connection\r\n"],
]), ['cert' => 'valid']);
$c = new SmtpDiag\Client($srv->dsn(), ['username' => USER, 'password' => TOKEN, 'auth' => 'xoauth2', 'encryption' => 'starttls', 'cafile' => $srv->cafile, 'timeout' => 5]);
$e = sdiag_expect_throw(fn () => $c->connect());
var_dump($e instanceof SmtpDiag\AuthenticationException, $c->isConnected());
echo implode("\n", array_slice(explode("\n", trim(sdiag_dialogue($c))), -8)), "\n";
$everything = $c->getTranscriptText() . print_r($c->getTranscript(), true) . print_r($e->getTranscript(), true) . $e->getMessage() . $e->getHint() . $e;
ob_start();
var_dump($c, $e);
$everything .= ob_get_clean();
foreach (['token' => TOKEN, 'token (base64 payload)' => $ir, 'JSON' => $json, 'JSON (base64)' => $jsonB64, 'scope' => 'https://mail.google.com/'] as $what => $needle) {
    echo "$what shown: ", var_export(str_contains($everything, $needle), true), "\n";
}
unset($c, $e);
echo sdiag_show($srv->received()), "\nexit ", $srv->exitCode(), "\n";
?>
--EXPECT--
dXNlcj1kYXZlQGV4YW1wbGUuY29tAWF1dGg9QmVhcmVyIHlhMjkuYTBBZkg2U01CeC10b2tlbi12YWx1ZQEB
=== success
bool(true)
 -> AUTH XOAUTH2 [redacted]
<-  235 2.7.0 Accepted
 -> QUIT
<-  221 2.0.0 closing connection
--- server received ---
EHLO [127.0.0.1]
STARTTLS
--- TLS ---
EHLO [127.0.0.1]
AUTH XOAUTH2 dXNlcj1kYXZlQGV4YW1wbGUuY29tAWF1dGg9QmVhcmVyIHlhMjkuYTBBZkg2U01CeC10b2tlbi12YWx1ZQEB
QUIT
--- CLOSED ---
--- server exit: 0 ---
=== expired token: 334 with a JSON error, empty answer, 535
SmtpDiag\AuthenticationException: authentication failed: 535 5.7.8 Username and Password not accepted. For more information, go to / 5.7.8  https://support.google.com/mail/?p=BadCredentials x1-abc.1 - gsmtp
category: auth_failed
phase: auth
code: 535
enhanced: '5.7.8'
transient: false
hint: Gmail refused the login: with a password, create an app password at https://myaccount.google.com/apppasswords (the account password does not work for SMTP); with OAuth2, the access token has expired or lacks the Gmail SMTP scope.
bool(true)
bool(false)
=== AUTH: the server offers LOGIN PLAIN XOAUTH2 PLAIN-CLIENTTOKEN OAUTHBEARER XOAUTH; using XOAUTH2 (requested with the auth option)
 -> AUTH XOAUTH2 [redacted]
<-  334 [redacted]
 -> [redacted]
<-  535-5.7.8 Username and Password not accepted. For more information, go to
<-  535 5.7.8  https://support.google.com/mail/?p=BadCredentials x1-abc.1 - gsmtp
=== error: auth_failed: authentication failed: 535 5.7.8 Username and Password not accepted. For more information, go to / 5.7.8  https://support.google.com/mail/?p=BadCredentials x1-abc.1 - gsmtp
 -> QUIT
token shown: false
token (base64 payload) shown: false
JSON shown: false
JSON (base64) shown: false
scope shown: false
EHLO [127.0.0.1]\r\nSTARTTLS\r\n--- TLS ---\nEHLO [127.0.0.1]\r\nAUTH XOAUTH2 dXNlcj1kYXZlQGV4YW1wbGUuY29tAWF1dGg9QmVhcmVyIHlhMjkuYTBBZkg2U01CeC10b2tlbi12YWx1ZQEB\r\n\r\nQUIT\r\n--- CLOSED ---\n
exit 0