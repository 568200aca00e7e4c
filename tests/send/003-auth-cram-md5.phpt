--TEST--
AUTH CRAM-MD5: chosen by auto over plaintext (the password never crosses the wire), response = base64("user " . hex HMAC-MD5 of the challenge)
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/send.inc';

const USER = 'carol@example.com';
const PASS = 'tanstaaftanstaaf';
// The challenge of RFC 2195's example.
$challenge = '<1896.697170952@postoffice.reston.mci.net>';
$digest = hash_hmac('md5', $challenge, PASS);
$response = base64_encode(USER . ' ' . $digest);
echo $digest, "\n", $response, "\n";

$srv = SmtpTestServer::start(array_merge(sdiag_session_start('AUTH LOGIN PLAIN CRAM-MD5 XOAUTH2'), [
    ['expect', "AUTH CRAM-MD5\r\n"],
    ['send', '334 ' . base64_encode($challenge) . "\r\n"],
    ['expect', "$response\r\n"],
    ['send', "235 2.7.0 Authentication successful\r\n"],
    ['expect', 'QUIT'],
    ['send', "221 2.0.0 bye\r\n"],
]));
$c = new SmtpDiag\Client($srv->dsn(), ['username' => USER, 'password' => PASS, 'encryption' => 'none', 'timeout' => 5]);
$c->connect();
var_dump($c->isConnected());
$c->quit();
echo sdiag_dialogue($c);
unset($c);
sdiag_print_server($srv);
?>
--EXPECT--
b913a602c7eda7a495b4e6e7334d3890
Y2Fyb2xAZXhhbXBsZS5jb20gYjkxM2E2MDJjN2VkYTdhNDk1YjRlNmU3MzM0ZDM4OTA=
bool(true)
<-  220 mx.test.example ESMTP
 -> EHLO [127.0.0.1]
<-  250-test.example greets you
<-  250 AUTH LOGIN PLAIN CRAM-MD5 XOAUTH2
=== AUTH: the server offers LOGIN PLAIN CRAM-MD5 XOAUTH2; using CRAM-MD5 (the strongest mechanism offered)
 -> AUTH CRAM-MD5
<-  334 PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+
 -> [redacted]
<-  235 2.7.0 Authentication successful
 -> QUIT
<-  221 2.0.0 bye
--- server received ---
EHLO [127.0.0.1]
AUTH CRAM-MD5
Y2Fyb2xAZXhhbXBsZS5jb20gYjkxM2E2MDJjN2VkYTdhNDk1YjRlNmU3MzM0ZDM4OTA=
QUIT
--- CLOSED ---
--- server exit: 0 ---
