--TEST--
logger: a failure gives one error event whose context has category, phase, transient, code, enhanced, message, hint, host, port and the exception (the very SmtpDiagException thrown or returned), logged after the transcript lines: send() refused at MAIL FROM, connect() refused, and the failed item of sendMany()
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/resilience.inc';

function show_errors(SdiagRecordingLogger $log, ?Throwable $thrown, int $port): void
{
    $errors = array_values(array_filter($log->events, static fn (array $e): bool => $e[0] === 'error'));
    echo 'error events: ', count($errors), "\n";
    $last = end($log->events);
    echo 'the last event is the error: ', var_export($last[0] === 'error', true), "\n";
    foreach ($errors as [, $message, $ctx]) {
        echo "message: $message\n";
        echo 'keys: ', implode(',', array_keys($ctx)), "\n";
        $e = $ctx['exception'] ?? null;
        echo 'exception: ', is_object($e) ? get_class($e) : gettype($e), $thrown !== null && $e === $thrown ? ' (the one thrown)' : '', "\n";
        if ($e instanceof SmtpDiag\SmtpDiagException) {
            var_dump($ctx['category'] === $e->getCategory(), $ctx['phase'] === $e->getPhase(), $ctx['transient'] === $e->isTransient(),
                $ctx['code'] === $e->getSmtpCode(), $ctx['enhanced'] === $e->getEnhancedStatus(), $ctx['hint'] === $e->getHint(),
                $message === $e->getMessage() || str_starts_with($e->getMessage(), $message));
        }
        echo "category {$ctx['category']}, phase {$ctx['phase']}, transient ", var_export($ctx['transient'], true),
            ', code ', var_export($ctx['code'], true), ', enhanced ', var_export($ctx['enhanced'], true),
            ", host {$ctx['host']}, port ", var_export($ctx['port'] === $port, true), "\n";
    }
}

echo "=== send(): 550 to MAIL FROM\n";
$srv = SmtpTestServer::start(array_merge(sdiag_session_start('ENHANCEDSTATUSCODES'), [
    ['expect', "MAIL FROM:<s@example.com>\r\n"], ['send', "550 5.7.1 <s@example.com>: Sender address rejected: Access denied\r\n"],
], sdiag_quit_steps()), ['timeout' => 5]);
$log = new SdiagRecordingLogger();
$c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'none', 'timeout' => 5, 'logger' => $log]);
$c->connect();
try {
    $c->send('s@example.com', 'r@example.net', "Subject: x\r\n\r\nhi\r\n");
    $e = null;
    echo "NO EXCEPTION\n";
} catch (SmtpDiag\SmtpDiagException $e) {
    echo get_class($e), "\n";
}
show_errors($log, $e, $srv->port);
$c->quit();
unset($c, $e);
echo '--- exit ', $srv->exitCode(), " ---\n", $srv->stderr();

echo "=== connect(): refused\n";
$port = SmtpTestServer::refusedPort();
$log = new SdiagRecordingLogger();
$c = new SmtpDiag\Client("smtp://127.0.0.1:$port", ['encryption' => 'none', 'timeout' => 5, 'logger' => $log]);
try {
    $c->connect();
    $e = null;
    echo "NO EXCEPTION\n";
} catch (SmtpDiag\SmtpDiagException $e) {
    echo get_class($e), "\n";
}
show_errors($log, $e, $port);
echo 'debug lines before the error: ', count($log->events) - 1 === count($e->getTranscript()) ? 'the whole transcript' : 'NOT the transcript', "\n";
unset($c, $e);

echo "=== sendMany(): the second of two messages refused at end of data\n";
$srv = SmtpTestServer::start(array_merge(sdiag_session_start('PIPELINING', 'ENHANCEDSTATUSCODES'), [
    ['expect', "MAIL FROM:<s@example.com>\r\n"], ['expect', "RCPT TO:<a@example.net>\r\n"], ['expect', "DATA\r\n"],
    ['send', "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go\r\n"], ['expect_data'],
    ['expect', "MAIL FROM:<s@example.com>\r\n"], ['expect', "RCPT TO:<b@example.net>\r\n"], ['expect', "DATA\r\n"],
    ['send', "250 2.0.0 Ok: queued as A1\r\n250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go\r\n"], ['expect_data'],
    ['send', "554 5.7.1 message content rejected\r\n"],
], sdiag_quit_steps()), ['timeout' => 5]);
$log = new SdiagRecordingLogger();
$c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'none', 'timeout' => 5, 'logger' => $log]);
$results = $c->sendMany([
    ['from' => 's@example.com', 'to' => 'a@example.net', 'message' => "Subject: a\r\n\r\na\r\n"],
    ['from' => 's@example.com', 'to' => 'b@example.net', 'message' => "Subject: b\r\n\r\nb\r\n"],
]);
echo get_class($results[0]), ', ', get_class($results[1]), "\n";
echo 'info events: ', count(array_filter($log->events, static fn (array $e): bool => $e[0] === 'info')), "\n";
show_errors($log, $results[1], $srv->port);
$c->quit();
unset($c, $results);
echo '--- exit ', $srv->exitCode(), " ---\n", $srv->stderr();
?>
--EXPECTF--
=== send(): 550 to MAIL FROM
SmtpDiag\SenderException
error events: 1
the last event is the error: true
message: the sender was rejected: 550 5.7.1 <s@example.com>: Sender address rejected: Access denied
keys: category,phase,transient,code,enhanced,message,hint,host,port,exception
exception: SmtpDiag\SenderException (the one thrown)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
category %s, phase mail, transient false, code 550, enhanced '5.7.1', host 127.0.0.1, port true
--- exit 0 ---
=== connect(): refused
SmtpDiag\ConnectionException
error events: 1
the last event is the error: true
message: connecting to 127.0.0.1:%d failed: Connection refused
keys: category,phase,transient,code,enhanced,message,hint,host,port,exception
exception: SmtpDiag\ConnectionException (the one thrown)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
category connection_refused, phase connect, transient true, code NULL, enhanced NULL, host 127.0.0.1, port true
debug lines before the error: the whole transcript
=== sendMany(): the second of two messages refused at end of data
SmtpDiag\SendResult, SmtpDiag\MessageException
info events: 1
error events: 1
the last event is the error: true
message: the message was refused: 554 5.7.1 message content rejected
keys: category,phase,transient,code,enhanced,message,hint,host,port,exception
exception: SmtpDiag\MessageException (the one thrown)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
category %s, phase data, transient false, code 554, enhanced '5.7.1', host 127.0.0.1, port true
--- exit 0 ---
