--TEST--
AUTH failures: 535 5.7.8 is auth_failed and permanent, 454 4.7.0 transient; QUIT follows; the password (plain, base64, inside the PLAIN payload) never appears in the transcripts, the exception, its trace or a dump of the client, even when the server quotes it
--EXTENSIONS--
smtpdiag
--INI--
zend.exception_ignore_args=0
--FILE--
<?php
require __DIR__ . '/../inc/send.inc';

const USER = 'frank@example.com';
const PASS = 'Wr0ng-Passw0rd!';

function leaks(SmtpDiag\Client $c, ?Throwable $e): array
{
    ob_start();
    var_dump($c, $e);
    debug_zval_dump($c);
    var_export($c);
    print_r($c);
    print_r($e);
    $text = ob_get_clean() . $c->getTranscriptText() . $c->getTranscriptText(true) . json_encode($c->getTranscript());
    if ($e) {
        $text .= $e->getMessage() . $e->getHint() . $e->getTraceAsString() . $e . json_encode($e->getTranscript()) . print_r($e->getTrace(), true);
    }
    $found = [];
    $needles = [
        'password' => PASS, 'base64 password' => base64_encode(PASS),
        'PLAIN payload' => base64_encode("\0" . USER . "\0" . PASS), 'part of the password' => 'Passw0rd',
    ];
    foreach ($needles as $what => $needle) {
        if (str_contains($text, $needle)) {
            $found[] = $what;
        }
    }
    return $found;
}

/** The server's steps after EHLO (built here: secrets passed as arguments would show in the exception's trace). */
function tail(string $case): array
{
    return match ($case) {
        'plain' => [
            ['expect', 'AUTH PLAIN ' . base64_encode("\0" . USER . "\0" . PASS) . "\r\n"],
            ['send', '535-5.7.8 you sent AUTH PLAIN ' . base64_encode("\0" . USER . "\0" . PASS) . "\r\n535 5.7.8 Error: authentication failed: password " . PASS . " is wrong\r\n"],
            ['expect', 'QUIT'],
            ['send', "221 2.0.0 Bye\r\n"],
        ],
        'login' => [
            ['expect', "AUTH LOGIN\r\n"],
            ['send', "334 VXNlcm5hbWU6\r\n"],
            ['expect', base64_encode(USER) . "\r\n"],
            ['send', "334 UGFzc3dvcmQ6\r\n"],
            ['expect', base64_encode(PASS) . "\r\n"],
            ['send', '535 5.7.8 Username and Password not accepted (' . base64_encode(PASS) . ")\r\n"],
            ['expect', 'QUIT'],
            ['send', "221 2.0.0 Bye\r\n"],
        ],
        'temporary' => [
            ['expect', 'AUTH PLAIN '],
            ['send', "454 4.7.0 Temporary authentication failure, try again later\r\n"],
            ['expect', 'QUIT'],
            ['send', "221 2.0.0 Bye\r\n"],
        ],
    };
}

function attempt(string $title, string $case, array $options = []): void
{
    echo "== $title\n";
    $srv = SmtpTestServer::start(array_merge(sdiag_session_start('AUTH PLAIN LOGIN'), tail($case)));
    $c = new SmtpDiag\Client($srv->dsn('smtp', rawurlencode(USER) . ':' . rawurlencode(PASS)), $options + ['allow_plaintext_auth' => true, 'encryption' => 'none', 'timeout' => 5]);
    $e = sdiag_expect_throw(fn () => $c->connect());
    var_dump($e instanceof SmtpDiag\AuthenticationException, $c->isConnected());
    foreach ($c->getTranscript() as $entry) {
        if (!in_array($entry['dir'], ['info'], true) && !preg_match('/^(220|EHLO|250)/', $entry['text'])) {
            echo '  ', $entry['dir'], ' ', $entry['text'], "\n";
        }
    }
    echo 'leaks: ', json_encode(leaks($c, $e)), "\n";
    unset($c, $e);
    echo '  server exit ', $srv->exitCode(), ', received the password: ', var_export(str_contains($srv->received(), base64_encode("\0" . USER . "\0" . PASS)) || str_contains($srv->received(), base64_encode(PASS)), true), "\n";
}

attempt('PLAIN, 535 quoting the AUTH line and the password', 'plain');
attempt('LOGIN, 535 quoting the base64 password', 'login', ['auth' => 'LOGIN']);
attempt('PLAIN, 454 temporary failure', 'temporary');
?>
--EXPECTF--
== PLAIN, 535 quoting the AUTH line and the password
SmtpDiag\AuthenticationException: authentication failed: 535 5.7.8 you sent AUTH PLAIN [redacted] / 5.7.8 Error: authentication failed: password [redacted] is wrong
category: auth_failed
phase: auth
code: 535
enhanced: '5.7.8'
transient: false
hint: The server rejected the credentials: %s
bool(true)
bool(false)
  client AUTH PLAIN [redacted]
  server 535-5.7.8 you sent AUTH PLAIN [redacted]
  server 535 5.7.8 Error: authentication failed: password [redacted] is wrong
  client QUIT
leaks: []
  server exit 0, received the password: true
== LOGIN, 535 quoting the base64 password
SmtpDiag\AuthenticationException: authentication failed: 535 5.7.8 Username and Password not accepted ([redacted])
category: auth_failed
phase: auth
code: 535
enhanced: '5.7.8'
transient: false
hint: The server rejected the credentials: %s
bool(true)
bool(false)
  client AUTH LOGIN
  server 334 VXNlcm5hbWU6
  client [redacted]
  server 334 UGFzc3dvcmQ6
  client [redacted]
  server 535 5.7.8 Username and Password not accepted ([redacted])
  client QUIT
leaks: []
  server exit 0, received the password: true
== PLAIN, 454 temporary failure
SmtpDiag\AuthenticationException: authentication failed: 454 4.7.0 Temporary authentication failure, try again later
category: %s
phase: auth
code: 454
enhanced: '4.7.0'
transient: true
hint: %s
bool(true)
bool(false)
  client AUTH PLAIN [redacted]
  server 454 4.7.0 Temporary authentication failure, try again later
  client QUIT
leaks: []
  server exit 0, received the password: true
