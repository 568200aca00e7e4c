--TEST--
Timeouts: data_timeout is about a write of the message that makes no progress: a server that stops reading (a 24 MB message fills the socket buffers) gives a TimeoutException in phase data after data_timeout, delivery state known (the dot was not sent); a server that reads in bursts with pauses shorter than data_timeout, for longer than data_timeout in total, gets the whole message
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/resilience.inc';

$env = [['expect', "MAIL FROM:<s@example.com>\r\n"], ['expect', "RCPT TO:<r@example.net>\r\n"], ['expect', "DATA\r\n"],
    ['send', "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go\r\n"]];
$opts = ['encryption' => 'none', 'timeout' => 8, 'command_timeout' => 8, 'final_timeout' => 8];

echo "=== the server stops reading\n";
$srv = SmtpTestServer::start(array_merge(sdiag_session_start('PIPELINING'), $env, [['sleep', 2500]]), ['timeout' => 10]);
$c = new SmtpDiag\Client($srv->dsn(), $opts + ['data_timeout' => 0.5]);
$msg = "Subject: big\r\n\r\n" . str_repeat(str_repeat('x', 998) . "\r\n", 24 * 1024);
$elapsed = sdiag_timed(fn () => $c->send('s@example.com', 'r@example.net', $msg), $e);
sdiag_print_exception($e);
var_dump($e instanceof SmtpDiag\TimeoutException, $c->isConnected());
sdiag_check_below('elapsed', $elapsed, 0.5 + 2.0);
echo implode("\n", array_slice(explode("\n", trim(sdiag_transcript_normalised($e->getTranscript()))), -2)), "\n";
unset($c, $e);
$record = $srv->received();
echo 'the dot never arrived: ', var_export(!str_contains($record, "\r\n.\r\n"), true), ', less than the message arrived: ', var_export(strlen($record) < strlen($msg), true), "\n";
echo '--- exit ', $srv->exitCode(), " ---\n", $srv->stderr();

echo "=== the server reads in bursts, pausing 0.4 s each time, 1.2 s in total\n";
$line = str_repeat('y', 60000);
$msg = "Subject: big\r\n\r\n" . str_repeat("$line\r\n", 240);
$burst = array_fill(0, 70, ['expect', 'yyyy']);
$srv = SmtpTestServer::start(array_merge(sdiag_session_start('PIPELINING'), $env,
    [['sleep', 400], ['expect', 'Subject: big'], ['expect', "\r\n"]], $burst, [['sleep', 400]], $burst, [['sleep', 400], ['expect_data'],
    ['send', "250 2.0.0 Ok: queued as SLOWREAD\r\n"]], sdiag_quit_steps()), ['timeout' => 10]);
$c = new SmtpDiag\Client($srv->dsn(), $opts + ['data_timeout' => 1.0]);
$elapsed = sdiag_timed(function () use ($c, $msg) {
    $r = $c->send('s@example.com', 'r@example.net', $msg);
    echo "queued as {$r->queueId}\n";
}, $e);
if ($e) {
    sdiag_print_exception($e);
}
echo 'took longer than data_timeout: ', var_export($elapsed > 1.0, true), "\n";
$c->quit();
unset($c, $e);
$record = $srv->received();
echo 'whole message received: ', var_export(str_contains($record, "DATA\r\n" . $msg . ".\r\nQUIT\r\n"), true), "\n";
echo '--- exit ', $srv->exitCode(), " ---\n", $srv->stderr();
?>
--EXPECTF--
=== the server stops reading
SmtpDiag\TimeoutException: timed out after 0.5 s waiting for the server to take more of the message (data phase)
category: timeout
phase: data
code: NULL
enhanced: NULL
transient: true
hint: %A
bool(true)
bool(false)
elapsed: below 2.5 s
info message: 24576016 bytes
info error: timeout: timed out after 0.5 s waiting for the server to take more of the message (data phase)
the dot never arrived: true, less than the message arrived: true
--- exit 0 ---
=== the server reads in bursts, pausing 0.4 s each time, 1.2 s in total
queued as SLOWREAD
took longer than data_timeout: true
whole message received: true
--- exit 0 ---
