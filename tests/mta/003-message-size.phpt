--TEST--
Real MTA, message size (message_size_limit 20000): with SIZE advertised (submission) an oversized message -> MessageException message_too_large before any MAIL FROM; without SIZE (nosize port) Postfix refuses it at end of data -> message_too_large 552 5.3.4; nothing delivered, the connection stays usable
--EXTENSIONS--
smtpdiag
openssl
--SKIPIF--
<?php
require __DIR__ . '/mta_tests.inc';
if (($why = MtaTestServer::skipReason()) !== null) {
    die("skip $why");
}
?>
--FILE--
<?php
require __DIR__ . '/mta_tests.inc';

const LIMIT = 20000;
$mta = MtaTestServer::start(['message_size_limit' => LIMIT]);
$alice = $mta->address('alice');
// 30 KB: over the limit, well under anything else.
$big = mta_message($alice, $alice, 'too big', str_repeat(str_repeat('x', 76) . "\r\n", 400));
printf("message: %d bytes, limit %d\n", strlen($big), LIMIT);
$before = mta_sessions_settled($mta, 'submission');

echo "=== submission: SIZE advertised\n";
$c = new SmtpDiag\Client($mta->dsn('submission', 'alice'), mta_opts($mta));
$e = mta_throws('SIZE', fn () => $c->send($alice, $alice, $big));
if ($e !== null) {
    echo mta_exc($e), "\n";
    mta_t('the message names both sizes', str_contains($e->getMessage(), (string)strlen($big)) && str_contains($e->getMessage(), (string)LIMIT),
        $e->getMessage());
    mta_t('SIZE as the server advertised it', ($c->getCapabilities()['SIZE'] ?? null) === (string)LIMIT,
        json_encode($c->getCapabilities()));
    mta_t('no MAIL FROM, no DATA in the transcript', mta_lines($e->getTranscript(), 'client', '/^(MAIL|RCPT|DATA|BDAT)/') === []
        && mta_lines($c->getTranscript(), 'client', '/^(MAIL|RCPT|DATA|BDAT)/') === [], $c->getTranscriptText());
}
$c->quit();
unset($c);
$after = mta_sessions_settled($mta, 'submission');
$ours = array_slice($after['disconnects'], count($before['disconnects']));
mta_t('Postfix log: one session, authenticated, without any MAIL command',
    count($ours) === 1 && str_contains($ours[0], ' auth=1 ') && !str_contains($ours[0], ' mail='), implode("\n", $ours));

echo "=== nosize: no SIZE advertised\n";
$c = new SmtpDiag\Client($mta->dsn('nosize', 'alice'), mta_opts($mta));
$e = mta_throws('no SIZE', fn () => $c->send($alice, $alice, $big));
if ($e !== null) {
    echo mta_exc($e), "\n";
    mta_t('SIZE not advertised', !isset($c->getCapabilities()['SIZE']), json_encode($c->getCapabilities()));
    // the end of data is the dot after DATA, or the end of the BDAT LAST chunk (Postfix offers CHUNKING)
    mta_t('refused after the end of data', preg_match('/(~> \.|in the BDAT chunk)\n(<~  2\d\d [^\n]*\n)*<~  552 5\.3\.4 /', $c->getTranscriptText()) === 1, $c->getTranscriptText());
}
// after DATA Postfix warns that the queue file is too large; after BDAT it logs the refused chunk
mta_t('Postfix log: queue file size limit exceeded', mta_wait_log($mta, '/warning: [0-9A-F]+: (queue file size limit exceeded|BDAT request from .* exceeds message size limit)/') !== null);

echo "=== a small message afterwards, on the same client\n";
try {
    $r = $c->send($alice, $alice, mta_message($alice, $alice, 'small'));
    echo 'small: ', $r->code, ' ', $r->enhancedStatus, "\n";
    $got = $mta->waitForMail('alice', 1, 10.0);
    mta_t('delivered', mta_find_subject($got, 'small') !== null, implode("\n---\n", $got));
} catch (Throwable $e) {
    mta_t('small message', false, mta_exc($e) . ': ' . $e->getMessage());
}
$c->quit();
unset($c);
mta_t('nothing else delivered (0.5 s)', mta_nothing_arrives($mta, 'alice', 1, 0.5), implode("\n---\n", $mta->messages('alice')));
mta_t('the oversized message never reached alice', mta_find_subject($mta->messages('alice'), 'too big') === null);
$mta->stop();
echo "done\n";
?>
--EXPECT--
message: 31321 bytes, limit 20000
=== submission: SIZE advertised
SmtpDiag\MessageException category=message_too_large code=NULL enhanced=NULL transient=false phase=data
ok: the message names both sizes
ok: SIZE as the server advertised it
ok: no MAIL FROM, no DATA in the transcript
ok: Postfix log: one session, authenticated, without any MAIL command
=== nosize: no SIZE advertised
SmtpDiag\MessageException category=message_too_large code=552 enhanced='5.3.4' transient=false phase=data
ok: SIZE not advertised
ok: refused after the end of data
ok: Postfix log: queue file size limit exceeded
=== a small message afterwards, on the same client
small: 250 2.0.0
ok: delivered
ok: nothing else delivered (0.5 s)
ok: the oversized message never reached alice
done
