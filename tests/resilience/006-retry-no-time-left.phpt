--TEST--
Retries: the backoff must fit in the call's timeout: with retry_base_ms/retry_max_ms far above a 1 s timeout, connect() to a refused port stops retrying at once (fewer attempts than the 5 allowed), says that no time was left, and does not sleep past the timeout
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/resilience.inc';

$port = SmtpTestServer::refusedPort();
// the full-jitter delay is uniform in [0, 1000 s): one that fits in the 1 s
// budget has a probability below 0.1 %, and even then the next one would not
$c = new SmtpDiag\Client("smtp://127.0.0.1:$port", ['encryption' => 'none', 'timeout' => 1, 'retries' => 5,
    'retry_base_ms' => 1000000, 'retry_max_ms' => 1000000]);
$elapsed = sdiag_timed(fn () => $c->connect(), $e);
echo get_class($e), ': ', $e->getMessage(), "\n";
sdiag_check_below('elapsed', $elapsed, 3.0);
$t = $e->getTranscript();
$tries = sdiag_count_entries($t, '/^trying /');
echo 'fewer attempts than allowed: ', var_export($tries >= 1 && $tries < 6, true), "\n";
echo '"no time left" lines: ', sdiag_count_entries($t, '/^attempt \d+ failed \(connection_refused\); no time left for another within the timeout$/'), "\n";
echo '"retrying" lines match the attempts: ', var_export(sdiag_count_entries($t, '/: retrying in \d+ ms$/') === $tries - 1, true), "\n";
echo 'last entry: ', preg_replace('/^attempt \d+/', 'attempt N', end($t)['text']), "\n";
?>
--EXPECTF--
SmtpDiag\ConnectionException: connecting to 127.0.0.1:%d failed: Connection refused
elapsed: below 3 s
fewer attempts than allowed: true
"no time left" lines: 1
"retrying" lines match the attempts: true
last entry: attempt N failed (connection_refused); no time left for another within the timeout
