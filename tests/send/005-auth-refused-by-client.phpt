--TEST--
AUTH refused before any credential is sent: PLAIN/LOGIN/tokens over plaintext (tls_required), auth option not offered or no usable mechanism (auth_unsupported), no AUTH at all (hint about encryption); the client then says QUIT; auth=none skips AUTH
--EXTENSIONS--
smtpdiag
openssl
--FILE--
<?php
require __DIR__ . '/../inc/send.inc';

const PASS = 'secret-pw';

function attempt(string $title, ?string $auth, bool $tls, array $options, bool $quits = false): void
{
    echo "== $title\n";
    $steps = [['send', "220 mx.test.example ESMTP\r\n"], ['expect', 'EHLO ']];
    if ($tls) {
        array_push($steps,
            ['send', sdiag_ehlo_reply('STARTTLS')],
            ['expect', 'STARTTLS'],
            ['send', "220 2.0.0 go ahead\r\n"],
            ['starttls'],
            ['expect', 'EHLO ']);
    }
    $steps[] = ['send', $auth === null ? sdiag_ehlo_reply('SIZE 1000') : sdiag_ehlo_reply('SIZE 1000', $auth)];
    if ($quits) {
        array_push($steps, ['expect', 'QUIT'], ['send', "221 bye\r\n"]);
    }
    $srv = SmtpTestServer::start($steps, $tls ? ['cert' => 'valid', 'timeout' => 5] : ['timeout' => 5]);
    $c = new SmtpDiag\Client($srv->dsn(), $options + [
        'username' => 'user', 'password' => PASS, 'encryption' => $tls ? 'starttls' : 'none',
        'cafile' => $srv->cafile ?? '', 'timeout' => 5,
    ]);
    $e = sdiag_expect_throw(function () use ($c, $quits) {
        $c->connect();
        if ($quits) {
            var_dump($c->isConnected());
            $c->quit();
            echo sdiag_dialogue($c);
            throw new Exception('(no exception: connected)');
        }
    });
    var_dump($c->isConnected());
    unset($c);
    echo 'server: ', sdiag_show($srv->received()), ' exit ', $srv->exitCode(), "\n";
}

attempt('auto, plaintext, PLAIN LOGIN', 'AUTH PLAIN LOGIN', false, []);
attempt('auto, plaintext, PLAIN and tokens', 'AUTH PLAIN XOAUTH2 OAUTHBEARER', false, []);
attempt('auto, only OAuth mechanisms', 'AUTH XOAUTH2 OAUTHBEARER', true, []);
attempt('auth LOGIN not offered', 'AUTH PLAIN CRAM-MD5', false, ['auth' => 'LOGIN', 'allow_plaintext_auth' => true]);
attempt('auth PLAIN over plaintext', 'AUTH PLAIN', false, ['auth' => 'PLAIN']);
attempt('auth XOAUTH2 over plaintext', 'AUTH XOAUTH2', false, ['auth' => 'XOAUTH2']);
attempt('no AUTH, plaintext', null, false, []);
attempt('no AUTH, TLS', null, true, []);
attempt('auth none', 'AUTH PLAIN LOGIN', true, ['auth' => 'none'], true);
?>
--EXPECTF--
== auto, plaintext, PLAIN LOGIN
SmtpDiag\TlsException: the server offers only PLAIN LOGIN over an unencrypted connection: refusing to send the password in plaintext
category: tls_required
phase: auth
code: NULL
enhanced: NULL
transient: false
hint: Enable encryption (starttls on 587 or implicit TLS on 465): the password would otherwise cross the network readable by anyone on the path.
bool(false)
server: EHLO [127.0.0.1]\r\nQUIT\r\n--- CLOSED ---\n exit 0
== auto, plaintext, PLAIN and tokens
SmtpDiag\TlsException: the server offers only PLAIN XOAUTH2 OAUTHBEARER over an unencrypted connection: refusing to send the password in plaintext
category: tls_required
phase: auth
code: NULL
enhanced: NULL
transient: false
hint: Enable encryption (starttls on 587 or implicit TLS on 465): the password would otherwise cross the network readable by anyone on the path.
bool(false)
server: EHLO [127.0.0.1]\r\nQUIT\r\n--- CLOSED ---\n exit 0
== auto, only OAuth mechanisms
SmtpDiag\AuthenticationException: the server offers only XOAUTH2 OAUTHBEARER: none of them works with a password
category: auth_unsupported
phase: auth
code: NULL
enhanced: NULL
transient: false
hint: For OAuth (XOAUTH2, OAUTHBEARER) set auth to the mechanism and give the access token as the password.
bool(false)
server: EHLO [127.0.0.1]\r\nSTARTTLS\r\n--- TLS ---\nEHLO [127.0.0.1]\r\nQUIT\r\n--- CLOSED ---\n exit 0
== auth LOGIN not offered
SmtpDiag\AuthenticationException: the auth option asks for LOGIN, but the server offers only PLAIN CRAM-MD5
category: auth_unsupported
phase: auth
code: NULL
enhanced: NULL
transient: false
hint: Set auth to one of the offered mechanisms, or to "auto".
bool(false)
server: EHLO [127.0.0.1]\r\nQUIT\r\n--- CLOSED ---\n exit 0
== auth PLAIN over plaintext
SmtpDiag\TlsException: refusing to send the PLAIN credentials over an unencrypted connection
category: tls_required
phase: auth
code: NULL
enhanced: NULL
transient: false
hint: Enable encryption (starttls or implicit); allow_plaintext_auth exists for test servers only.
bool(false)
server: EHLO [127.0.0.1]\r\nQUIT\r\n--- CLOSED ---\n exit 0
== auth XOAUTH2 over plaintext
SmtpDiag\TlsException: refusing to send the XOAUTH2 credentials over an unencrypted connection
category: tls_required
phase: auth
code: NULL
enhanced: NULL
transient: false
hint: Enable encryption (starttls or implicit); allow_plaintext_auth exists for test servers only.
bool(false)
server: EHLO [127.0.0.1]\r\nQUIT\r\n--- CLOSED ---\n exit 0
== no AUTH, plaintext
SmtpDiag\AuthenticationException: credentials are configured but the server offers no AUTH (the connection is not encrypted)
category: auth_unsupported
phase: auth
code: NULL
enhanced: NULL
transient: false
hint: The server offers no AUTH before TLS: enable encryption (STARTTLS on 587 or implicit TLS on 465); most servers offer AUTH only on an encrypted connection.
bool(false)
server: EHLO [127.0.0.1]\r\nQUIT\r\n--- CLOSED ---\n exit 0
== no AUTH, TLS
SmtpDiag\AuthenticationException: credentials are configured but the server offers no AUTH
category: auth_unsupported
phase: auth
code: NULL
enhanced: NULL
transient: false
hint: The server offers no AUTH on this port: use the provider's submission port (587 with STARTTLS or 465), or remove the credentials if this server relays by IP address.
bool(false)
server: EHLO [127.0.0.1]\r\nSTARTTLS\r\n--- TLS ---\nEHLO [127.0.0.1]\r\nQUIT\r\n--- CLOSED ---\n exit 0
== auth none
bool(true)
<-  220 mx.test.example ESMTP
 -> EHLO [127.0.0.1]
<-  250-test.example greets you
<-  250 STARTTLS
 -> STARTTLS
<-  220 2.0.0 go ahead
=== starting TLS (STARTTLS)
=== TLS established: TLSv1.%d, %s; certificate: CN=localhost (verified)
 -> EHLO [127.0.0.1]
<-  250-test.example greets you
<-  250-SIZE 1000
<-  250 AUTH PLAIN LOGIN
 -> QUIT
<-  221 bye
Exception: (no exception: connected)
bool(false)
server: EHLO [127.0.0.1]\r\nSTARTTLS\r\n--- TLS ---\nEHLO [127.0.0.1]\r\nQUIT\r\n--- CLOSED ---\n exit 0
