--TEST--
Retries: the timeout covers the whole call, retries included: a server that never answers EHLO (command_timeout 0.5 s), retries=10, timeout 2 s: several attempts, each a TimeoutException in phase ehlo, and connect() gives up within the 2 s, saying no time was left for another attempt
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/resilience.inc';

$silent = [['send', "220 mx.test.example ESMTP\r\n"], ['expect', 'EHLO '], ['wait_close']];
$srv = SmtpTestServer::start([], ['timeout' => 10, 'steps_per_connection' => array_fill(0, 8, $silent)]);
$c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'none', 'timeout' => 2, 'command_timeout' => 0.5, 'retries' => 10,
    'retry_base_ms' => 10, 'retry_max_ms' => 20]);
$elapsed = sdiag_timed(fn () => $c->connect(), $e);
echo get_class($e), ', phase ', $e->getPhase(), "\n";
sdiag_check_below('elapsed', $elapsed, 2.0 + 1.0);
$t = $e->getTranscript();
$attempts = sdiag_count_entries($t, '/^connecting to /');
echo 'attempts: ', $attempts >= 3 && $attempts <= 5 ? 'between 3 and 5' : $attempts, "\n";
echo 'timeouts: ', sdiag_count_entries($t, '/^error: timeout: .* waiting for the reply to EHLO \(ehlo phase\)$/') === $attempts ? 'one per attempt' : 'NOT one per attempt', "\n";
echo 'last entry: ', preg_replace('/^attempt \d+/', 'attempt N', end($t)['text']), "\n";
unset($c, $e);
$srv->stop();
?>
--EXPECT--
SmtpDiag\TimeoutException, phase ehlo
elapsed: below 3 s
attempts: between 3 and 5
timeouts: one per attempt
last entry: attempt N failed (timeout); no time left for another within the timeout
