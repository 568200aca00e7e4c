--TEST--
logger: the password and the AUTH payloads (PLAIN, LOGIN user name and password, in base64) never reach the logger, in any message or context, exception included: AUTH PLAIN and LOGIN that succeed, a 535 that quotes them, a 454 retried then 535, and smtpdiag_check()
--EXTENSIONS--
smtpdiag
--INI--
zend.exception_ignore_args=0
--FILE--
<?php
require __DIR__ . '/../inc/resilience.inc';

const USER = 'frank@example.com';
const PASS = 'S3cret-Passw0rd!';

/** What of the secrets the recorded events contain, dumped every way. */
function leaks(array $events): array
{
    $text = var_export($events, true) . print_r($events, true);
    foreach ($events as [$level, $message, $ctx]) {
        $text .= $message;
        foreach ($ctx as $v) {
            if ($v instanceof Throwable) {
                $text .= $v . $v->getMessage() . print_r($v->getTrace(), true);
                if ($v instanceof SmtpDiag\SmtpDiagException) {
                    $text .= $v->getHint() . json_encode($v->getTranscript());
                }
            } else {
                $text .= json_encode($v);
            }
        }
    }
    $found = [];
    $needles = [
        'password' => PASS, 'part of the password' => 'Passw0rd', 'base64 password' => base64_encode(PASS),
        'PLAIN payload' => base64_encode("\0" . USER . "\0" . PASS), 'LOGIN user name payload' => base64_encode(USER),
    ];
    foreach ($needles as $what => $needle) {
        if (str_contains($text, $needle)) {
            $found[] = $what;
        }
    }
    return $found;
}

function summary(array $events): string
{
    $levels = array_count_values(array_column($events, 0));
    ksort($levels);
    $levels['debug'] = ($levels['debug'] ?? 0) > 0 ? 'some' : 'none';
    return json_encode($levels);
}

/** Steps after EHLO (built here: secrets passed as arguments would show in traces). */
function auth_steps(string $case): array
{
    $plain = base64_encode("\0" . USER . "\0" . PASS);
    return match ($case) {
        'plain ok' => [['expect', "AUTH PLAIN $plain\r\n"], ['send', "235 2.7.0 Authentication successful\r\n"],
            ...sdiag_accept_txn('s@example.com', 'r@example.net', 'AUTHED'), ...sdiag_quit_steps()],
        'login ok' => [['expect', "AUTH LOGIN\r\n"], ['send', "334 VXNlcm5hbWU6\r\n"], ['expect', base64_encode(USER) . "\r\n"],
            ['send', "334 UGFzc3dvcmQ6\r\n"], ['expect', base64_encode(PASS) . "\r\n"], ['send', "235 2.7.0 Authentication successful\r\n"],
            ...sdiag_accept_txn('s@example.com', 'r@example.net', 'AUTHED'), ...sdiag_quit_steps()],
        'plain 535 quoting' => [['expect', "AUTH PLAIN $plain\r\n"],
            ['send', "535-5.7.8 you sent AUTH PLAIN $plain\r\n535 5.7.8 Error: authentication failed: password " . PASS . " is wrong\r\n"],
            ['expect', "QUIT\r\n"], ['send', "221 2.0.0 Bye\r\n"]],
        'plain 454' => [['expect', "AUTH PLAIN $plain\r\n"], ['send', "454 4.7.0 Temporary failure for $plain\r\n"],
            ['expect', "QUIT\r\n"], ['send', "221 2.0.0 Bye\r\n"]],
    };
}

function client_case(string $title, array $connections, array $options): void
{
    echo "== $title\n";
    $steps = array_map(static fn (string $case): array => array_merge(sdiag_session_start('PIPELINING', 'AUTH PLAIN LOGIN'), auth_steps($case)), $connections);
    $srv = SmtpTestServer::start([], ['timeout' => 5, 'steps_per_connection' => $steps]);
    $log = new SdiagRecordingLogger();
    $c = new SmtpDiag\Client($srv->dsn('smtp', rawurlencode(USER) . ':' . rawurlencode(PASS)),
        $options + ['encryption' => 'none', 'allow_plaintext_auth' => true, 'timeout' => 5, 'logger' => $log]);
    try {
        $r = $c->send('s@example.com', 'r@example.net', "Subject: x\r\n\r\nhi\r\n");
        echo "sent: {$r->queueId}\n";
        $c->quit();
    } catch (SmtpDiag\SmtpDiagException $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
    }
    echo 'events: ', summary($log->events), "\n";
    echo 'AUTH lines logged: ', implode(' | ', array_filter(array_column($log->events, 1), static fn ($m) => preg_match('/^( -> (AUTH|\[)|<-  (334|235|535|454))/', $m))), "\n";
    echo 'leaks: ', json_encode(leaks($log->events)), "\n";
    unset($c, $e);
    echo 'server exit ', $srv->exitCode(), ', received the password: ',
        var_export(str_contains($srv->received(), base64_encode("\0" . USER . "\0" . PASS)) || str_contains($srv->received(), base64_encode(PASS)), true), "\n", $srv->stderr();
}

client_case('PLAIN accepted', ['plain ok'], []);
client_case('LOGIN accepted', ['login ok'], ['auth' => 'LOGIN']);
client_case('PLAIN refused, the server quoting the payload and the password', ['plain 535 quoting'], []);
client_case('PLAIN 454 quoting the payload, retried, then refused', ['plain 454', 'plain 535 quoting'], ['retries' => 1, 'retry_base_ms' => 10, 'retry_max_ms' => 20]);

echo "== smtpdiag_check(), PLAIN refused, the server quoting the payload and the password\n";
$srv = SmtpTestServer::start(array_merge(sdiag_session_start('AUTH PLAIN LOGIN'), auth_steps('plain 535 quoting')), ['timeout' => 5]);
$log = new SdiagRecordingLogger();
$report = smtpdiag_check($srv->dsn('smtp', rawurlencode(USER) . ':' . rawurlencode(PASS)),
    ['encryption' => 'none', 'allow_plaintext_auth' => true, 'timeout' => 5, 'logger' => $log]);
echo "status {$report['status']}\n";
echo 'events: ', summary($log->events), "\n";
echo 'leaks: ', json_encode(leaks($log->events)), "\n";
echo 'server exit ', $srv->exitCode(), "\n", $srv->stderr();
?>
--EXPECT--
== PLAIN accepted
sent: AUTHED
events: {"debug":"some","info":1}
AUTH lines logged:  -> AUTH PLAIN [redacted] | <-  235 2.7.0 Authentication successful
leaks: []
server exit 0, received the password: true
== LOGIN accepted
sent: AUTHED
events: {"debug":"some","info":1}
AUTH lines logged:  -> AUTH LOGIN | <-  334 VXNlcm5hbWU6 |  -> [redacted] | <-  334 UGFzc3dvcmQ6 |  -> [redacted] | <-  235 2.7.0 Authentication successful
leaks: []
server exit 0, received the password: true
== PLAIN refused, the server quoting the payload and the password
SmtpDiag\AuthenticationException: authentication failed: 535 5.7.8 you sent AUTH PLAIN [redacted] / 5.7.8 Error: authentication failed: password [redacted] is wrong
events: {"debug":"some","error":1}
AUTH lines logged:  -> AUTH PLAIN [redacted] | <-  535-5.7.8 you sent AUTH PLAIN [redacted] | <-  535 5.7.8 Error: authentication failed: password [redacted] is wrong
leaks: []
server exit 0, received the password: true
== PLAIN 454 quoting the payload, retried, then refused
SmtpDiag\AuthenticationException: authentication failed: 535 5.7.8 you sent AUTH PLAIN [redacted] / 5.7.8 Error: authentication failed: password [redacted] is wrong
events: {"debug":"some","error":1,"warning":1}
AUTH lines logged:  -> AUTH PLAIN [redacted] | <-  454 4.7.0 Temporary failure for [redacted] |  -> AUTH PLAIN [redacted] | <-  535-5.7.8 you sent AUTH PLAIN [redacted] | <-  535 5.7.8 Error: authentication failed: password [redacted] is wrong
leaks: []
server exit 0, received the password: true
== smtpdiag_check(), PLAIN refused, the server quoting the payload and the password
status fail
events: {"debug":"some","error":1}
leaks: []
server exit 0
