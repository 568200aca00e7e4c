--TEST--
AUTH SCRAM-SHA-256: client-first message "n,,n=<user, ',' and '=' escaped>,r=<fresh nonce>"; a 235 without the server's signature is refused (the server did not prove it knows the password); a server-first that does not extend our nonce is a protocol error
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/send.inc';

const PASS = 'pencil';

/** Decode the client-first message the server received; print it with the nonce replaced. */
function client_first(SmtpTestServer $srv): string
{
    if (!preg_match('/^AUTH SCRAM-SHA-256 ([A-Za-z0-9+\/=]+)\r\n/m', $srv->received(), $m)) {
        echo "no AUTH SCRAM-SHA-256 line with an initial response\n";
        return '';
    }
    $first = (string)base64_decode($m[1], true);
    if (!preg_match('/^n,,n=([^,]*),r=([\x21-\x2b\x2d-\x7e]+)$/D', $first, $p)) {
        echo 'malformed client-first: ', sdiag_show($first), "\n";
        return '';
    }
    echo 'client-first: n,,n=', $p[1], ',r=<nonce>; nonce: ', strlen($p[2]), " printable chars, base64 of ",
        strlen((string)base64_decode($p[2], true)), " bytes\n";
    return $p[2];
}

function run(string $user, array $tail): array
{
    $srv = SmtpTestServer::start(array_merge(sdiag_session_start('AUTH PLAIN LOGIN SCRAM-SHA-256 CRAM-MD5'), [['expect', 'AUTH SCRAM-SHA-256 ']], $tail));
    $c = new SmtpDiag\Client($srv->dsn(), ['username' => $user, 'password' => PASS, 'encryption' => 'none', 'timeout' => 5]);
    $e = sdiag_expect_throw(fn () => $c->connect());
    var_dump($c->isConnected());
    echo sdiag_dialogue($c);
    $t = $c->getTranscriptText() . ($e ? print_r($e->getTranscript(), true) . $e : '');
    echo 'password shown: ', var_export(str_contains($t, PASS), true), "\n";
    unset($c, $e);
    $nonce = client_first($srv);
    echo sdiag_show_lines(preg_replace('/^(AUTH SCRAM-SHA-256) \S+/m', '$1 <client-first>', $srv->received())), 'exit ', $srv->exitCode(), "\n";
    return [$nonce, $t];
}

echo "=== 235 right after the client-first message\n";
[$n1, $t1] = run('user', [['send', "235 2.7.0 Authentication successful\r\n"]]);

echo "=== server-first with a nonce that is not ours\n";
$serverFirst = 'r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096';
[$n2, $t2] = run('a,b=c', [['send', '334 ' . base64_encode($serverFirst) . "\r\n"]]);
echo 'server-first shown: ', var_export(str_contains($t2, base64_encode($serverFirst)) || str_contains($t2, 'QSXCR'), true), "\n";
echo 'nonces differ: ', var_export($n1 !== '' && $n2 !== '' && $n1 !== $n2, true), "\n";
?>
--EXPECTF--
=== 235 right after the client-first message
SmtpDiag\AuthenticationException: the server accepted SCRAM-SHA-256 without proving that it knows the password
category: auth_failed
phase: auth
code: NULL
enhanced: NULL
transient: false
hint: A genuine server sends its signature before 235: check that this is the right server, or set auth to another mechanism.
bool(false)
<-  220 mx.test.example ESMTP
 -> EHLO [127.0.0.1]
<-  250-test.example greets you
<-  250 AUTH PLAIN LOGIN SCRAM-SHA-256 CRAM-MD5
=== AUTH: the server offers PLAIN LOGIN SCRAM-SHA-256 CRAM-MD5; using SCRAM-SHA-256 (the strongest mechanism offered)
 -> AUTH SCRAM-SHA-256 [redacted]
<-  235 2.7.0 Authentication successful
=== error: auth_failed: the server accepted SCRAM-SHA-256 without proving that it knows the password
password shown: false
client-first: n,,n=user,r=<nonce>; nonce: 32 printable chars, base64 of 24 bytes
EHLO [127.0.0.1]\r\n
AUTH SCRAM-SHA-256 <client-first>\r\n
--- CLOSED ---
exit 0
=== server-first with a nonce that is not ours
SmtpDiag\ProtocolException: the server's SCRAM challenge is malformed or does not extend our nonce
category: protocol_error
phase: auth
code: NULL
enhanced: NULL
transient: false
hint: %s
bool(false)
<-  220 mx.test.example ESMTP
 -> EHLO [127.0.0.1]
<-  250-test.example greets you
<-  250 AUTH PLAIN LOGIN SCRAM-SHA-256 CRAM-MD5
=== AUTH: the server offers PLAIN LOGIN SCRAM-SHA-256 CRAM-MD5; using SCRAM-SHA-256 (the strongest mechanism offered)
 -> AUTH SCRAM-SHA-256 [redacted]
<-  334 [redacted]
=== error: protocol_error: the server's SCRAM challenge is malformed or does not extend our nonce
password shown: false
client-first: n,,n=a=2Cb=3Dc,r=<nonce>; nonce: 32 printable chars, base64 of 24 bytes
EHLO [127.0.0.1]\r\n
AUTH SCRAM-SHA-256 <client-first>\r\n
--- CLOSED ---
exit 0
server-first shown: false
nonces differ: true
