--TEST--
AUTH OAUTHBEARER (RFC 7628): initial response base64("n,a=U,\1host=H\1port=P\1auth=Bearer T\1\1"); the error challenge is answered with AQ== (base64 of \1) and 535 fails with auth_failed; nothing secret in the transcript
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/send.inc';

const USER = 'erin@example.com';
const TOKEN = 'vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==';
$json = '{"status":"invalid_token","scope":"example_scope","openid-configuration":"https://example.com/.well-known/openid-configuration"}';

function client(SmtpTestServer $srv): SmtpDiag\Client
{
    return new SmtpDiag\Client($srv->dsn(), [
        'username' => USER, 'password' => TOKEN, 'auth' => 'OAUTHBEARER', 'allow_plaintext_auth' => true,
        'encryption' => 'none', 'timeout' => 5,
    ]);
}

/** The AUTH line the server received, with the initial response decoded and checked. */
function check_ir(SmtpTestServer $srv): void
{
    preg_match('/^AUTH OAUTHBEARER (\S+)\r\n/m', $srv->received(), $m);
    $expected = 'n,a=' . USER . ",\x01host=127.0.0.1\x01port={$srv->port}\x01auth=Bearer " . TOKEN . "\x01\x01";
    $decoded = base64_decode($m[1] ?? '', true);
    echo 'initial response: ', sdiag_show(str_replace((string)$srv->port, '<port>', (string)$decoded)), "\n";
    echo 'exact: ', var_export($decoded === $expected && base64_encode($expected) === $m[1], true), "\n";
}

echo "=== success\n";
$srv = SmtpTestServer::start(array_merge(sdiag_session_start('AUTH OAUTHBEARER XOAUTH2'), [
    ['expect', 'AUTH OAUTHBEARER '],
    ['send', "235 2.7.0 Authentication successful\r\n"],
    ['expect', 'QUIT'],
    ['send', "221 2.0.0 bye\r\n"],
]));
$c = client($srv);
$c->connect();
var_dump($c->isConnected());
$c->quit();
echo sdiag_dialogue($c);
unset($c);
check_ir($srv);
echo sdiag_show_lines(preg_replace('/^AUTH OAUTHBEARER \S+/m', 'AUTH OAUTHBEARER <ir>', $srv->received())), 'exit ', $srv->exitCode(), "\n";

echo "=== invalid token: error challenge, AQ==, 535\n";
$srv = SmtpTestServer::start(array_merge(sdiag_session_start('AUTH OAUTHBEARER XOAUTH2'), [
    ['expect', 'AUTH OAUTHBEARER '],
    ['send', '334 ' . base64_encode($json) . "\r\n"],
    ['expect', "AQ==\r\n"],
    ['send', "535 5.7.8 Authentication credentials invalid\r\n"],
    ['expect', 'QUIT'],
    ['send', "221 2.0.0 bye\r\n"],
]));
$c = client($srv);
$e = sdiag_expect_throw(fn () => $c->connect());
var_dump($e instanceof SmtpDiag\AuthenticationException, $c->isConnected());
echo sdiag_dialogue($c);
$everything = $c->getTranscriptText(true) . print_r($c->getTranscript(), true) . print_r($e->getTranscript(), true) . $e;
foreach (['token' => TOKEN, 'JSON' => $json, 'JSON (base64)' => base64_encode($json), 'invalid_token' => 'invalid_token', 'Bearer' => 'Bearer'] as $what => $needle) {
    echo "$what shown: ", var_export(str_contains($everything, $needle), true), "\n";
}
unset($c, $e);
check_ir($srv);
echo sdiag_show_lines(preg_replace('/^AUTH OAUTHBEARER \S+/m', 'AUTH OAUTHBEARER <ir>', $srv->received())), 'exit ', $srv->exitCode(), "\n";

echo "=== a user name with '=' and ',' is escaped as =3D and =2C in the GS2 header (RFC 5801 saslname)\n";
$srv = SmtpTestServer::start(array_merge(sdiag_session_start('AUTH OAUTHBEARER'), [
    ['expect', 'AUTH OAUTHBEARER '],
    ['send', "235 2.7.0 Authentication successful\r\n"],
    ['expect', 'QUIT'],
    ['send', "221 2.0.0 bye\r\n"],
]));
$c = new SmtpDiag\Client($srv->dsn(), [
    'username' => 'list=owner,x@example.com', 'password' => TOKEN, 'auth' => 'OAUTHBEARER', 'allow_plaintext_auth' => true,
    'encryption' => 'none', 'timeout' => 5,
]);
$c->connect();
$c->quit();
unset($c);
preg_match('/^AUTH OAUTHBEARER (\S+)\r\n/m', $srv->received(), $m);
$gs2 = explode("\x01", (string)base64_decode($m[1] ?? '', true))[0];
echo 'GS2 header: ', sdiag_show($gs2), "\n";
?>
--EXPECT--
=== success
bool(true)
<-  220 mx.test.example ESMTP
 -> EHLO [127.0.0.1]
<-  250-test.example greets you
<-  250 AUTH OAUTHBEARER XOAUTH2
=== AUTH: the server offers OAUTHBEARER XOAUTH2; using OAUTHBEARER (requested with the auth option)
 -> AUTH OAUTHBEARER [redacted]
<-  235 2.7.0 Authentication successful
 -> QUIT
<-  221 2.0.0 bye
initial response: n,a=erin@example.com,\001host=127.0.0.1\001port=<port>\001auth=Bearer vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==\001\001
exact: true
EHLO [127.0.0.1]\r\n
AUTH OAUTHBEARER <ir>\r\n
QUIT\r\n
--- CLOSED ---
exit 0
=== invalid token: error challenge, AQ==, 535
SmtpDiag\AuthenticationException: authentication failed: 535 5.7.8 Authentication credentials invalid
category: auth_failed
phase: auth
code: 535
enhanced: '5.7.8'
transient: false
hint: The server rejected the credentials: check the user name and password (many providers need an app password or API key instead of the account password).
bool(true)
bool(false)
<-  220 mx.test.example ESMTP
 -> EHLO [127.0.0.1]
<-  250-test.example greets you
<-  250 AUTH OAUTHBEARER XOAUTH2
=== AUTH: the server offers OAUTHBEARER XOAUTH2; using OAUTHBEARER (requested with the auth option)
 -> AUTH OAUTHBEARER [redacted]
<-  334 [redacted]
 -> [redacted]
<-  535 5.7.8 Authentication credentials invalid
=== error: auth_failed: authentication failed: 535 5.7.8 Authentication credentials invalid
 -> QUIT
token shown: false
JSON shown: false
JSON (base64) shown: false
invalid_token shown: false
Bearer shown: false
initial response: n,a=erin@example.com,\001host=127.0.0.1\001port=<port>\001auth=Bearer vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==\001\001
exact: true
EHLO [127.0.0.1]\r\n
AUTH OAUTHBEARER <ir>\r\n
AQ==\r\n
QUIT\r\n
--- CLOSED ---
exit 0
=== a user name with '=' and ',' is escaped as =3D and =2C in the GS2 header (RFC 5801 saslname)
GS2 header: n,a=list=3Downer=2Cx@example.com,
