--TEST--
AUTH PLAIN: connect() authenticates with the exact base64 of "\0user\0pass", over STARTTLS (auto) and over plaintext with allow_plaintext_auth; the payload is redacted in the transcript
--EXTENSIONS--
smtpdiag
openssl
--FILE--
<?php
require __DIR__ . '/../inc/send.inc';

const USER = 'alice@example.com';
const PASS = 'S3cr3t-P4ss';
$ir = base64_encode("\0" . USER . "\0" . PASS);
echo $ir, "\n";

echo "=== STARTTLS, auth auto: PLAIN is the strongest usable of LOGIN PLAIN\n";
$srv = SmtpTestServer::start([
    ['send', "220 mx.test.example ESMTP\r\n"],
    ['expect', 'EHLO '],
    ['send', sdiag_ehlo_reply('STARTTLS', 'AUTH LOGIN')],
    ['expect', 'STARTTLS'],
    ['send', "220 2.0.0 go ahead\r\n"],
    ['starttls'],
    ['expect', 'EHLO '],
    ['send', sdiag_ehlo_reply('AUTH LOGIN PLAIN')],
    ['expect', "AUTH PLAIN $ir\r\n"],
    ['send', "235 2.7.0 Authentication successful\r\n"],
    ['expect', 'QUIT'],
    ['send', "221 2.0.0 bye\r\n"],
], ['cert' => 'valid']);
$c = new SmtpDiag\Client($srv->dsn(), ['username' => USER, 'password' => PASS, 'encryption' => 'starttls', 'cafile' => $srv->cafile, 'timeout' => 5]);
$c->connect();
var_dump($c->isConnected());
$c->quit();
echo sdiag_dialogue($c);
unset($c);
sdiag_print_server($srv);

echo "=== plaintext with allow_plaintext_auth, credentials in the DSN\n";
$srv = SmtpTestServer::start(array_merge(sdiag_session_start('AUTH PLAIN'), [
    ['expect', "AUTH PLAIN $ir\r\n"],
    ['send', "235 2.7.0 Authentication successful\r\n"],
    ['expect', 'QUIT'],
    ['send', "221 2.0.0 bye\r\n"],
]));
$c = new SmtpDiag\Client($srv->dsn('smtp', rawurlencode(USER) . ':' . PASS) . '?allow_plaintext_auth=1', ['encryption' => 'none', 'timeout' => 5]);
$c->connect();
var_dump($c->isConnected());
$c->quit();
echo $c->getTranscriptText();
// Nothing protects the password on this connection: the transcript must not claim TLS does.
$claims = array_filter($c->getTranscript(), fn ($e) => str_contains($e['text'], 'protected by TLS'));
echo 'claims TLS protection: ', var_export(array_values(array_column($claims, 'text')), true), "\n";
unset($c);
sdiag_print_server($srv);
?>
--EXPECTF--
AGFsaWNlQGV4YW1wbGUuY29tAFMzY3IzdC1QNHNz
=== STARTTLS, auth auto: PLAIN is the strongest usable of LOGIN PLAIN
bool(true)
<-  220 mx.test.example ESMTP
 -> EHLO [127.0.0.1]
<-  250-test.example greets you
<-  250-STARTTLS
<-  250 AUTH LOGIN
 -> STARTTLS
<-  220 2.0.0 go ahead
=== starting TLS (STARTTLS)
=== TLS established: TLSv1.%d, %s; certificate: CN=localhost (verified)
 -> EHLO [127.0.0.1]
<-  250-test.example greets you
<-  250 AUTH LOGIN PLAIN
=== AUTH: the server offers LOGIN PLAIN; using PLAIN (the strongest mechanism offered; TLS protects the password)
 -> AUTH PLAIN [redacted]
<-  235 2.7.0 Authentication successful
 -> QUIT
<-  221 2.0.0 bye
--- server received ---
EHLO [127.0.0.1]
STARTTLS
--- TLS ---
EHLO [127.0.0.1]
AUTH PLAIN AGFsaWNlQGV4YW1wbGUuY29tAFMzY3IzdC1QNHNz
QUIT
--- CLOSED ---
--- server exit: 0 ---
=== plaintext with allow_plaintext_auth, credentials in the DSN
bool(true)
=== connecting to 127.0.0.1:%d (encryption none)
=== 127.0.0.1 resolves to 127.0.0.1
=== trying 127.0.0.1 port %d
=== connected to 127.0.0.1 port %d from 127.0.0.1 port %d
<-  220 mx.test.example ESMTP
 -> EHLO [127.0.0.1]
<-  250-test.example greets you
<-  250 AUTH PLAIN
=== AUTH: the server offers PLAIN; using PLAIN (%s)
 -> AUTH PLAIN [redacted]
<-  235 2.7.0 Authentication successful
 -> QUIT
<-  221 2.0.0 bye
claims TLS protection: array (
)
--- server received ---
EHLO [127.0.0.1]
AUTH PLAIN AGFsaWNlQGV4YW1wbGUuY29tAFMzY3IzdC1QNHNz
QUIT
--- CLOSED ---
--- server exit: 0 ---
