--TEST--
AUTH LOGIN (auth option, lower case): 334 VXNlcm5hbWU6 / 334 UGFzc3dvcmQ6 answered with the base64 user name and password, each shown as [redacted]
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/send.inc';

const USER = 'bob';
const PASS = 'pa:ss w0rd';

$srv = SmtpTestServer::start(array_merge(sdiag_session_start('AUTH PLAIN LOGIN CRAM-MD5'), [
    ['expect', "AUTH LOGIN\r\n"],
    ['send', "334 VXNlcm5hbWU6\r\n"],
    ['expect', base64_encode(USER) . "\r\n"],
    ['send', "334 UGFzc3dvcmQ6\r\n"],
    ['expect', base64_encode(PASS) . "\r\n"],
    ['send', "235 2.7.0 Authentication successful\r\n"],
    ['expect', 'QUIT'],
    ['send', "221 2.0.0 bye\r\n"],
]));
$c = new SmtpDiag\Client($srv->dsn(), [
    'username' => USER, 'password' => PASS, 'auth' => 'login', 'allow_plaintext_auth' => true,
    'encryption' => 'none', 'timeout' => 5,
]);
$c->connect();
var_dump($c->isConnected());
$c->quit();
echo sdiag_dialogue($c);
$text = $c->getTranscriptText();
var_dump(str_contains($text, PASS), str_contains($text, base64_encode(PASS)), str_contains($text, base64_encode(USER)));
unset($c);
sdiag_print_server($srv);
?>
--EXPECT--
bool(true)
<-  220 mx.test.example ESMTP
 -> EHLO [127.0.0.1]
<-  250-test.example greets you
<-  250 AUTH PLAIN LOGIN CRAM-MD5
=== AUTH: the server offers PLAIN LOGIN CRAM-MD5; using LOGIN (requested with the auth option)
 -> AUTH LOGIN
<-  334 VXNlcm5hbWU6
 -> [redacted]
<-  334 UGFzc3dvcmQ6
 -> [redacted]
<-  235 2.7.0 Authentication successful
 -> QUIT
<-  221 2.0.0 bye
bool(false)
bool(false)
bool(false)
--- server received ---
EHLO [127.0.0.1]
AUTH LOGIN
Ym9i
cGE6c3MgdzByZA==
QUIT
--- CLOSED ---
--- server exit: 0 ---
