--TEST--
logger (PSR-3 object): connect, send and quit give every transcript line at debug, in order, exactly as getTranscriptText() shows it, with the context keys direction, tls and t_ms; one info event for the accepted message with queue_id, size, attempts, duration_ms, recipients, code, host, port and from; nothing else
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/resilience.inc';

$srv = SmtpTestServer::start(array_merge(sdiag_session_start('PIPELINING', 'ENHANCEDSTATUSCODES'),
    sdiag_accept_txn('s@example.com', 'r@example.net', 'LOGGED1'), sdiag_quit_steps()), ['timeout' => 5]);
$log = new SdiagRecordingLogger();
$c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'none', 'timeout' => 5, 'logger' => $log]);

$seen = 0;
/** The events logged since the last call, checked against the new transcript entries. */
function check_new_debug(SdiagRecordingLogger $log, int &$seen, array $entries, string $what): void
{
    $new = array_slice($log->events, $seen);
    $seen = count($log->events);
    $debug = array_values(array_filter($new, static fn (array $e): bool => $e[0] === 'debug'));
    $lines = [];
    foreach ($entries as $e) {
        $lines[] = ['client' => ' -> ', 'server' => '<-  ', 'info' => '=== '][$e['dir']] . $e['text'];
    }
    $problems = [];
    if (array_column($debug, 1) !== $lines) {
        $problems[] = 'messages differ: ' . json_encode(array_column($debug, 1)) . ' vs ' . json_encode($lines);
    }
    foreach ($debug as $i => [, , $ctx]) {
        $e = $entries[$i] ?? null;
        if (array_keys($ctx) !== ['direction', 'tls', 't_ms'] || $e === null
            || $ctx['direction'] !== $e['dir'] || $ctx['tls'] !== false || !is_float($ctx['t_ms']) || abs($ctx['t_ms'] - $e['t']) > 0.0011) {
            $problems[] = "context $i: " . json_encode($ctx) . ' for ' . json_encode($e);
        }
    }
    echo "$what: ", count($debug), ' debug lines', $problems ? ":\n  " . implode("\n  ", $problems) : ', as the transcript', "\n";
    foreach ($new as [$level, $message, $ctx]) {
        if ($level !== 'debug') {
            echo "  $level event: $message\n";
        }
    }
}

$c->connect();
check_new_debug($log, $seen, $c->getTranscript(), 'connect');
echo 'as getTranscriptText(): ', var_export(array_column(array_slice($log->events, 0), 1) === explode("\n", rtrim($c->getTranscriptText(), "\n")), true), "\n";

$r = $c->send('s@example.com', 'r@example.net', "Subject: logged\r\n\r\nhello\r\n");
$n = $seen;
check_new_debug($log, $seen, $c->getTranscript(), 'send');
$sendDebug = array_column(array_filter(array_slice($log->events, $n), static fn (array $e): bool => $e[0] === 'debug'), 1);
echo 'as getTranscriptText(): ', var_export($sendDebug === explode("\n", rtrim($c->getTranscriptText(), "\n")), true), "\n";
$info = array_values(array_filter($log->events, static fn (array $e): bool => $e[0] === 'info'));
echo 'info events: ', count($info), "\n";
$ctx = $info[0][2];
ksort($ctx);
echo implode(',', array_keys($ctx)), "\n";
var_dump($ctx['queue_id'] === $r->queueId, $ctx['size'] === $r->size, $ctx['attempts'] === 1, $ctx['recipients'] === 1, $ctx['code'] === 250,
    $ctx['host'] === '127.0.0.1', $ctx['port'] === $srv->port, $ctx['from'] === 's@example.com',
    is_float($ctx['duration_ms']) && $ctx['duration_ms'] >= 0.0);

$before = count($c->getTranscript());
$c->quit();
check_new_debug($log, $seen, array_slice($c->getTranscript(), $before), 'quit');
$levels = array_count_values(array_column($log->events, 0));
ksort($levels);
echo json_encode($levels), "\n";
unset($c);
echo '--- exit ', $srv->exitCode(), " ---\n", $srv->stderr();
?>
--EXPECT--
connect: 9 debug lines, as the transcript
as getTranscriptText(): true
send: 9 debug lines, as the transcript
  info event: smtpdiag: message accepted by the server
as getTranscriptText(): true
info events: 1
attempts,code,duration_ms,from,host,port,queue_id,recipients,size
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
quit: 2 debug lines, as the transcript
{"debug":20,"info":1}
--- exit 0 ---
