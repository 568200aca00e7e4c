--TEST--
AUTH auto: the strongest offered mechanism usable with a password, SCRAM-SHA-256 > CRAM-MD5 > PLAIN > LOGIN, never XOAUTH2/OAUTHBEARER; PLAIN and LOGIN over plaintext only with allow_plaintext_auth
--EXTENSIONS--
smtpdiag
openssl
--FILE--
<?php
require __DIR__ . '/../inc/send.inc';

/**
 * The server offers $auth (after STARTTLS when $tls) and answers the first
 * AUTH command, which must name $expected, with 535; the client must then say QUIT.
 */
function pick(string $auth, bool $tls, array $options, string $expected): void
{
    $steps = [['send', "220 mx.test.example ESMTP\r\n"], ['expect', 'EHLO ']];
    if ($tls) {
        array_push($steps,
            ['send', sdiag_ehlo_reply('STARTTLS')],
            ['expect', 'STARTTLS'],
            ['send', "220 2.0.0 go ahead\r\n"],
            ['starttls'],
            ['expect', 'EHLO ']);
    }
    array_push($steps,
        ['send', sdiag_ehlo_reply('SIZE 1000', "AUTH $auth")],
        ['expect', "AUTH $expected"],
        ['send', "535 5.7.8 Authentication credentials invalid\r\n"],
        ['expect', 'QUIT']);
    $srv = SmtpTestServer::start($steps, $tls ? ['cert' => 'valid', 'timeout' => 5] : ['timeout' => 5]);
    $c = new SmtpDiag\Client($srv->dsn(), $options + [
        'username' => 'user', 'password' => 'secret-pw', 'encryption' => $tls ? 'starttls' : 'none',
        'cafile' => $srv->cafile ?? '', 'timeout' => 5,
    ]);
    echo "== $auth", $tls ? ' (TLS)' : '', isset($options['allow_plaintext_auth']) ? ' (allow_plaintext_auth)' : '', "\n";
    try {
        $c->connect();
        echo "NO EXCEPTION\n";
    } catch (SmtpDiag\AuthenticationException $e) {
        echo $e->getCategory(), ' ', $e->getSmtpCode(), "\n";
        foreach ($e->getTranscript() as $entry) {
            if (str_starts_with($entry['text'], 'AUTH')) {
                echo $entry['dir'], ' ', $entry['text'], "\n";
            }
        }
    }
    unset($c);
    echo 'server: ', sdiag_show(preg_replace('/^(AUTH \S+) \S+/m', '$1 <ir>', $srv->received())), ' exit ', $srv->exitCode(), "\n";
}

pick('LOGIN PLAIN CRAM-MD5 SCRAM-SHA-256', false, [], 'SCRAM-SHA-256 ');
pick('PLAIN LOGIN CRAM-MD5', false, [], "CRAM-MD5\r\n");
pick('PLAIN LOGIN CRAM-MD5', false, ['allow_plaintext_auth' => true], "CRAM-MD5\r\n");
pick('LOGIN XOAUTH2 PLAIN OAUTHBEARER', false, ['allow_plaintext_auth' => true], 'PLAIN ');
pick('XOAUTH2 LOGIN', false, ['allow_plaintext_auth' => true], "LOGIN\r\n");
pick('plain cram-md5', false, [], "CRAM-MD5\r\n");
pick('LOGIN PLAIN SCRAM-SHA-256', true, [], 'SCRAM-SHA-256 ');
pick('XOAUTH2 LOGIN PLAIN', true, [], 'PLAIN ');
pick('OAUTHBEARER LOGIN', true, [], "LOGIN\r\n");
?>
--EXPECTF--
== LOGIN PLAIN CRAM-MD5 SCRAM-SHA-256
auth_failed 535
info AUTH: the server offers LOGIN PLAIN CRAM-MD5 SCRAM-SHA-256; using SCRAM-SHA-256 (the strongest mechanism offered)
client AUTH SCRAM-SHA-256 [redacted]
server: EHLO [127.0.0.1]\r\nAUTH SCRAM-SHA-256 <ir>\r\nQUIT\r\n--- CLOSED ---\n exit 0
== PLAIN LOGIN CRAM-MD5
auth_failed 535
info AUTH: the server offers PLAIN LOGIN CRAM-MD5; using CRAM-MD5 (the strongest mechanism offered)
client AUTH CRAM-MD5
server: EHLO [127.0.0.1]\r\nAUTH CRAM-MD5\r\nQUIT\r\n--- CLOSED ---\n exit 0
== PLAIN LOGIN CRAM-MD5 (allow_plaintext_auth)
auth_failed 535
info AUTH: the server offers PLAIN LOGIN CRAM-MD5; using CRAM-MD5 (the strongest mechanism offered)
client AUTH CRAM-MD5
server: EHLO [127.0.0.1]\r\nAUTH CRAM-MD5\r\nQUIT\r\n--- CLOSED ---\n exit 0
== LOGIN XOAUTH2 PLAIN OAUTHBEARER (allow_plaintext_auth)
auth_failed 535
info AUTH: the server offers LOGIN XOAUTH2 PLAIN OAUTHBEARER; using PLAIN (%s)
client AUTH PLAIN [redacted]
server: EHLO [127.0.0.1]\r\nAUTH PLAIN <ir>\r\nQUIT\r\n--- CLOSED ---\n exit 0
== XOAUTH2 LOGIN (allow_plaintext_auth)
auth_failed 535
info AUTH: the server offers XOAUTH2 LOGIN; using LOGIN (%s)
client AUTH LOGIN
server: EHLO [127.0.0.1]\r\nAUTH LOGIN\r\nQUIT\r\n--- CLOSED ---\n exit 0
== plain cram-md5
auth_failed 535
info AUTH: the server offers plain cram-md5; using CRAM-MD5 (the strongest mechanism offered)
client AUTH CRAM-MD5
server: EHLO [127.0.0.1]\r\nAUTH CRAM-MD5\r\nQUIT\r\n--- CLOSED ---\n exit 0
== LOGIN PLAIN SCRAM-SHA-256 (TLS)
auth_failed 535
info AUTH: the server offers LOGIN PLAIN SCRAM-SHA-256; using SCRAM-SHA-256 (the strongest mechanism offered)
client AUTH SCRAM-SHA-256 [redacted]
server: EHLO [127.0.0.1]\r\nSTARTTLS\r\n--- TLS ---\nEHLO [127.0.0.1]\r\nAUTH SCRAM-SHA-256 <ir>\r\nQUIT\r\n--- CLOSED ---\n exit 0
== XOAUTH2 LOGIN PLAIN (TLS)
auth_failed 535
info AUTH: the server offers XOAUTH2 LOGIN PLAIN; using PLAIN (the strongest mechanism offered; TLS protects the password)
client AUTH PLAIN [redacted]
server: EHLO [127.0.0.1]\r\nSTARTTLS\r\n--- TLS ---\nEHLO [127.0.0.1]\r\nAUTH PLAIN <ir>\r\nQUIT\r\n--- CLOSED ---\n exit 0
== OAUTHBEARER LOGIN (TLS)
auth_failed 535
info AUTH: the server offers OAUTHBEARER LOGIN; using LOGIN (the strongest mechanism offered; TLS protects the password)
client AUTH LOGIN
server: EHLO [127.0.0.1]\r\nSTARTTLS\r\n--- TLS ---\nEHLO [127.0.0.1]\r\nAUTH LOGIN\r\nQUIT\r\n--- CLOSED ---\n exit 0
