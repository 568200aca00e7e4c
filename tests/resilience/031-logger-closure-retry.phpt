--TEST--
logger (closure): a retried send() gives a warning event between the failed attempt's lines and the next attempt's, with the category, phase, codes, hint, host and port of the failure (no exception: none was thrown), then the info event with attempts 2
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/resilience.inc';

$events = [];
$logger = function ($level, $message, array $context) use (&$events): void {
    $events[] = [$level, $message, $context];
};
$srv = SmtpTestServer::start([], ['timeout' => 5, 'steps_per_connection' => [
    [['send', "421 4.3.2 Service shutting down, try later\r\n"], ['expect', "QUIT\r\n"]],
    array_merge(sdiag_session_start('PIPELINING', 'ENHANCEDSTATUSCODES'), sdiag_accept_txn('s@example.com', 'r@example.net', 'RETRIED'), sdiag_quit_steps()),
]]);
$c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'none', 'timeout' => 5, 'retries' => 2, 'retry_base_ms' => 10, 'retry_max_ms' => 20, 'logger' => $logger]);
$r = $c->send('s@example.com', 'r@example.net', "Subject: x\r\n\r\nhi\r\n");
echo "attempts: {$r->attempts}\n";

foreach ($events as [$level, $message, $ctx]) {
    if ($level === 'debug') {
        // the lines around the warning show where it was logged
        if (preg_match('/^=== (attempt|connecting to|error:)/', $message)) {
            echo 'debug ', preg_replace('/\d+ ms$|127\.0\.0\.1:\d+/', '…', $message), "\n";
        }
        continue;
    }
    echo "$level ", preg_replace('/\d+ ms$/', 'N ms', $message), "\n";
    foreach ($ctx as $k => $v) {
        echo "  $k: ", $k === 'duration_ms' ? (is_float($v) && $v >= 0 ? 'a float >= 0' : 'BAD') : ($k === 'port' ? var_export($v === $srv->port, true) : (is_object($v) ? get_class($v) : var_export($v, true))), "\n";
    }
}
// the delay in the warning is the one in the transcript
preg_match('/retrying in (\d+) ms$/', array_values(array_filter(array_column($events, 1), static fn ($m) => str_contains($m, 'retrying in')))[0], $a);
preg_match('/retrying in (\d+) ms$/', array_values(array_filter(array_column($events, 1), static fn ($m) => str_starts_with($m, 'smtpdiag: attempt')))[0], $b);
var_dump($a[1] === $b[1]);
$c->quit();
unset($c);
echo '--- exit ', $srv->exitCode(), " ---\n", $srv->stderr();
?>
--EXPECT--
attempts: 2
debug === connecting to … (encryption none)
debug === error: service_unavailable: the server refused the session in its greeting: 421 4.3.2 Service shutting down, try later
debug === attempt 1 failed (service_unavailable): retrying in …
warning smtpdiag: attempt 1 failed, retrying in N ms
  category: 'service_unavailable'
  phase: 'banner'
  transient: true
  code: 421
  enhanced: '4.3.2'
  message: 'the server refused the session in its greeting: 421 4.3.2 Service shutting down, try later'
  hint: 'The server is not accepting mail now: retry later, or check that this is the right server.'
  host: '127.0.0.1'
  port: true
debug === connecting to … (encryption none)
info smtpdiag: message accepted by the server
  host: '127.0.0.1'
  port: true
  from: 's@example.com'
  recipients: 1
  queue_id: 'RETRIED'
  code: 250
  size: 18
  attempts: 2
  duration_ms: a float >= 0
bool(true)
--- exit 0 ---
