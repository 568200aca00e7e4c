--TEST--
Retries: connect() to a refused port with retries=2 tries three times (three "trying" lines, two backoffs), then a ConnectionException with every attempt in its transcript, well within the timeout
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/resilience.inc';

$port = SmtpTestServer::refusedPort();
$c = new SmtpDiag\Client("smtp://127.0.0.1:$port", ['encryption' => 'none', 'timeout' => 5, 'retries' => 2, 'retry_base_ms' => 10, 'retry_max_ms' => 20]);
$elapsed = sdiag_timed(fn () => $c->connect(), $e);
sdiag_print_exception($e);
sdiag_check_below('elapsed', $elapsed, 5.0);
var_dump($e instanceof SmtpDiag\ConnectionException, $c->isConnected());
echo '"trying" lines: ', sdiag_count_entries($e->getTranscript(), '/^trying 127\.0\.0\.1 port \d+$/'), "\n";
echo sdiag_transcript_normalised($e->getTranscript());
?>
--EXPECTF--
SmtpDiag\ConnectionException: connecting to 127.0.0.1:%d failed: Connection refused
category: connection_refused
phase: connect
code: NULL
enhanced: NULL
transient: true
hint: %s
elapsed: below 5 s
bool(true)
bool(false)
"trying" lines: 3
info connecting to 127.0.0.1:PORT (encryption none)
info 127.0.0.1 resolves to 127.0.0.1
info trying 127.0.0.1 port PORT
info connection to 127.0.0.1 port PORT failed: Connection refused
info error: connection_refused: connecting to 127.0.0.1:PORT failed: Connection refused
info attempt 1 failed (connection_refused): retrying in %d ms
info connecting to 127.0.0.1:PORT (encryption none)
info 127.0.0.1 resolves to 127.0.0.1
info trying 127.0.0.1 port PORT
info connection to 127.0.0.1 port PORT failed: Connection refused
info error: connection_refused: connecting to 127.0.0.1:PORT failed: Connection refused
info attempt 2 failed (connection_refused): retrying in %d ms
info connecting to 127.0.0.1:PORT (encryption none)
info 127.0.0.1 resolves to 127.0.0.1
info trying 127.0.0.1 port PORT
info connection to 127.0.0.1 port PORT failed: Connection refused
info error: connection_refused: connecting to 127.0.0.1:PORT failed: Connection refused
