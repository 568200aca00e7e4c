--TEST--
Timeouts: command_timeout on the reply to EHLO: a server that greets and then never answers EHLO gives a TimeoutException in phase ehlo naming "the reply to EHLO", after command_timeout rather than the 8 s overall timeout
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/resilience.inc';

$srv = SmtpTestServer::start([['send', "220 mx.test.example ESMTP\r\n"], ['expect', 'EHLO '], ['wait_close']], ['timeout' => 10]);
$c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'none', 'timeout' => 8, 'command_timeout' => 0.5, 'banner_timeout' => 8]);
$elapsed = sdiag_timed(fn () => $c->connect(), $e);
sdiag_print_exception($e);
var_dump($e instanceof SmtpDiag\TimeoutException, $c->isConnected());
sdiag_check_below('elapsed', $elapsed, 0.5 + 2.0);
echo implode("\n", array_slice(explode("\n", trim(sdiag_transcript_normalised($e->getTranscript()))), -3)), "\n";
unset($c);
echo "--- server received ---\n", sdiag_show_lines($srv->received()), '--- exit ', $srv->exitCode(), " ---\n", $srv->stderr();
?>
--EXPECTF--
SmtpDiag\TimeoutException: timed out after 0.5 s waiting for the reply to EHLO (ehlo phase)
category: timeout
phase: ehlo
code: NULL
enhanced: NULL
transient: true
hint: %A
bool(true)
bool(false)
elapsed: below 2.5 s
server 220 mx.test.example ESMTP
client EHLO [127.0.0.1]
info error: timeout: timed out after 0.5 s waiting for the reply to EHLO (ehlo phase)
--- server received ---
EHLO [127.0.0.1]\r\n
--- CLOSED ---
--- exit 0 ---
