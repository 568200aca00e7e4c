<?php
/*
 * Exercises the extension's main paths once each (check, client, TLS,
 * certificate failure, AUTH, send, sendText, sendMany, errors, formatting) so
 * that scripts/valgrind.sh can run it under valgrind memcheck: any invalid
 * access, use of uninitialised memory or definite leak fails the run.
 * Prints one line per scenario and "N passed, N failed" at the end.
 */
declare(strict_types=1);
require __DIR__ . '/../inc/server.inc';

require __DIR__ . '/scenario.inc';

function tlsSession(array $after): array
{
    return array_merge([
        ['send', "220 mx.test ESMTP\r\n"],
        ['expect', 'EHLO'],
        ['send', "250-mx.test\r\n250-PIPELINING\r\n250-SIZE 100000\r\n250-8BITMIME\r\n250 STARTTLS\r\n"],
        ['expect', 'STARTTLS'],
        ['send', "220 go ahead\r\n"],
        ['starttls'],
        ['expect', 'EHLO'],
        ['send', "250-mx.test\r\n250-PIPELINING\r\n250-SIZE 100000\r\n250-8BITMIME\r\n250 AUTH PLAIN LOGIN CRAM-MD5\r\n"],
    ], $after);
}

scenario('check with STARTTLS, report as JSON and text', function () {
    $srv = SmtpTestServer::start(tlsSession([['expect', 'QUIT'], ['send', "221 bye\r\n"]]), ['cert' => 'valid']);
    $r = smtpdiag_check('smtp://localhost:' . $srv->port, ['cafile' => $srv->cafile, 'encryption' => 'starttls']);
    $text = smtpdiag_format($r, ['transcript' => true, 'color' => true]);
    return $r['ok'] && json_encode($r) !== false && str_contains($text, 'tls.certificate');
});

scenario('check: refused port, bad config, expired certificate', function () {
    $r1 = smtpdiag_check('smtp://127.0.0.1:' . SmtpTestServer::refusedPort(), ['timeout' => 5]);
    $r2 = smtpdiag_check('smtp://host', ['bogus' => 1]);
    $srv = SmtpTestServer::start([['send', "220 x\r\n"], ['expect', 'EHLO'], ['send', "250-x\r\n250 STARTTLS\r\n"], ['expect', 'STARTTLS'], ['send', "220 go\r\n"], ['starttls']], ['cert' => 'expired']);
    $r3 = smtpdiag_check('smtp://localhost:' . $srv->port, ['cafile' => $srv->cafile, 'timeout' => 5]);
    return !$r1['ok'] && !$r2['ok'] && $r3['error']['category'] === 'tls_certificate';
});

scenario('client: AUTH, send, sendText, sendMany, quit', function () {
    $srv = SmtpTestServer::start(tlsSession([
        ['expect', 'AUTH CRAM-MD5'],
        ['send', "334 PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+\r\n"],
        ['read_any'],
        ['send', "235 2.7.0 ok\r\n"],
        ['expect', 'MAIL FROM'], ['expect', 'RCPT TO'], ['expect', 'DATA'],
        ['send', "250 ok\r\n250 ok\r\n354 go\r\n"], ['expect_data'], ['send', "250 2.0.0 Ok: queued as A1\r\n"],
        ['expect', 'MAIL FROM'], ['expect', 'RCPT TO'], ['expect', 'DATA'],
        ['send', "250 ok\r\n250 ok\r\n354 go\r\n"], ['expect_data'], ['send', "250 2.0.0 Ok: queued as A2\r\n"],
        ['expect', 'MAIL FROM'], ['expect', 'RCPT TO'], ['expect', 'DATA'],
        ['send', "250 ok\r\n550 5.1.1 no such user\r\n554 no valid recipients\r\n"],
        ['expect', 'RSET'], ['send', "250 ok\r\n"],
        ['expect', 'MAIL FROM'], ['expect', 'RCPT TO'], ['expect', 'DATA'],
        ['send', "250 ok\r\n250 ok\r\n354 go\r\n"], ['expect_data'],
        ['expect', 'MAIL FROM'], ['expect', 'RCPT TO'], ['expect', 'DATA'],
        ['send', "250 2.0.0 Ok: queued as A3\r\n250 ok\r\n250 ok\r\n354 go\r\n"], ['expect_data'], ['send', "250 2.0.0 Ok: queued as A4\r\n"],
        ['expect', 'QUIT'], ['send', "221 bye\r\n"],
    ]), ['cert' => 'valid']);
    $c = new SmtpDiag\Client('smtp://u:p@localhost:' . $srv->port, ['cafile' => $srv->cafile, 'encryption' => 'starttls']);
    $r1 = $c->send('a@x.test', 'b@y.test', "Subject: s\n\nbody\n.\nend");
    $r2 = $c->sendText('a@x.test', ['b@y.test'], 'Grüße', "Hällo\n", ['from_name' => 'Ä B']);
    try {
        $c->send('a@x.test', 'nobody@y.test', "Subject: s\n\nx");
        $r3 = false;
    } catch (SmtpDiag\RecipientException $e) {
        $r3 = $e->getCategory() === 'mailbox_unavailable' && $e->getTranscript() !== [];
    }
    $many = $c->sendMany((function () {
        yield ['from' => 'a@x.test', 'to' => 'b@y.test', 'message' => "Subject: 1\n\none"];
        yield ['from' => 'a@x.test', 'to' => 'b@y.test', 'message' => "Subject: 2\n\ntwo"];
    })());
    $c->quit();
    return $r1->queueId === 'A1' && $r2->queueId === 'A2' && $r3 && $many[0]->queueId === 'A3' && $many[1]->queueId === 'A4'
        && str_contains($c->getTranscriptText(true), 'QUIT') && !str_contains(print_r($c, true), 'p@');
});

scenario('client: errors, classification, bad arguments', function () {
    $c = new SmtpDiag\Client('smtp://127.0.0.1:' . SmtpTestServer::refusedPort(), ['timeout' => 5]);
    try {
        $c->connect();
    } catch (SmtpDiag\ConnectionException $e) {
        $ok = $e->getCategory() === 'connection_refused';
    }
    try {
        new SmtpDiag\Client("smtp://h\r\n");
    } catch (ValueError) {
        $ok = ($ok ?? false) && true;
    }
    $cl = smtpdiag_classify("550-5.7.1 Daily user sending quota exceeded\r\n550 5.7.1 more");
    return ($ok ?? false) && $cl['category'] === 'rate_limited';
});

echo "\n$passed passed, $failed failed\n";
exit($failed ? 1 : 0);
