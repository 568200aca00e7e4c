--TEST--
Timeouts: the per-phase timeouts apply to each reply, not to the session: a server that takes 0.3 s over every reply (greeting, EHLO, MAIL, RCPT, DATA, end of data), about 1.8 s in all, is served with banner/command/final timeouts of 0.8 s, with and without PIPELINING
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/resilience.inc';

$slow = ['sleep', 300];
foreach (['without PIPELINING' => false, 'with PIPELINING' => true] as $title => $pipelining) {
    echo "=== $title\n";
    $steps = [$slow, ['send', "220 mx.test.example ESMTP\r\n"], ['expect', 'EHLO '], $slow, ['send', sdiag_ehlo_reply($pipelining ? 'PIPELINING' : '8BITMIME')]];
    if ($pipelining) {
        array_push($steps, ['expect', "MAIL FROM:<s@example.com>\r\n"], ['expect', "RCPT TO:<r@example.net>\r\n"], ['expect', "DATA\r\n"],
            $slow, ['send', "250 2.1.0 Ok\r\n"], $slow, ['send', "250 2.1.5 Ok\r\n"], $slow, ['send', "354 go\r\n"]);
    } else {
        array_push($steps, ['expect', "MAIL FROM:<s@example.com>\r\n"], $slow, ['send', "250 2.1.0 Ok\r\n"],
            ['expect', "RCPT TO:<r@example.net>\r\n"], $slow, ['send', "250 2.1.5 Ok\r\n"],
            ['expect', "DATA\r\n"], $slow, ['send', "354 go\r\n"]);
    }
    array_push($steps, ['expect_data'], $slow, ['send', "250 2.0.0 Ok: queued as PATIENT\r\n"], ...sdiag_quit_steps());
    $srv = SmtpTestServer::start($steps, ['timeout' => 10]);
    $c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'none', 'timeout' => 10, 'banner_timeout' => 0.8, 'command_timeout' => 0.8,
        'data_timeout' => 0.8, 'final_timeout' => 0.8]);
    $elapsed = sdiag_timed(function () use ($c) {
        $c->connect();
        $r = $c->send('s@example.com', 'r@example.net', "Subject: x\r\n\r\nhi\r\n");
        echo "queued as {$r->queueId}\n";
    }, $e);
    if ($e) {
        sdiag_print_exception($e);
    }
    echo 'longer than any single timeout: ', var_export($elapsed > 0.8, true), "\n";
    $c->quit();
    unset($c, $e);
    $srv->received();
    echo '--- exit ', $srv->exitCode(), " ---\n", $srv->stderr();
}
?>
--EXPECT--
=== without PIPELINING
queued as PATIENT
longer than any single timeout: true
--- exit 0 ---
=== with PIPELINING
queued as PATIENT
longer than any single timeout: true
--- exit 0 ---
