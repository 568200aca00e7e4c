--TEST--
Real MTA, connection reuse: three send() calls on one Client -> three messages delivered over one connection (Postfix logs one "connect from"); sendMany() of 20 messages -> 20 SendResults, all delivered, one connection
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

$mta = MtaTestServer::start();
$alice = $mta->address('alice');

/**
 * Postfix's sessions on the submission port since $before: how many began
 * and the statistics of each ("ehlo=2 starttls=1 auth=1 mail=3 ...").
 */
function sessions_since(MtaTestServer $mta, array $before): string
{
    $now = mta_sessions_settled($mta, 'submission');
    $stats = array_map(fn (string $l): string => preg_replace('/^.*disconnect from unknown\[127\.0\.0\.1\] /', '', $l),
        array_slice($now['disconnects'], count($before['disconnects'])));
    return sprintf('%d connection(s): %s', $now['connects'] - $before['connects'], implode(' | ', $stats));
}

/** The queue ids in the Received: fields Postfix added to delivered messages, sorted. */
function received_ids(array $messages): array
{
    $ids = [];
    foreach ($messages as $m) {
        $ids[] = preg_match('/ with ESMTPSA id ([0-9A-F]+)\n/', mta_split_delivered($m)['added'], $x) ? $x[1] : '?';
    }
    sort($ids);
    return $ids;
}

/** How many "connected to" lines a transcript has. */
function connections(array $transcript): int
{
    return count(mta_lines($transcript, 'info', '/^connected to /'));
}

echo "=== three send() calls\n";
$before = mta_sessions_settled($mta, 'submission');
$c = new SmtpDiag\Client($mta->dsn('submission', 'alice'), mta_opts($mta));
$ids = [];
$connects = 0;
for ($i = 1; $i <= 3; $i++) {
    $r = $c->send($alice, $alice, mta_message($alice, $alice, "reuse $i"));
    $ids[] = $r->queueId;
    $connects += connections($c->getTranscript());
    echo "send $i: {$r->code} {$r->enhancedStatus}, attempts {$r->attempts}\n";
}
mta_t('the client connected once', $connects === 1, "$connects");
mta_t('three different queue ids', count(array_unique(array_filter($ids))) === 3, implode(', ', array_map('strval', $ids)));
$c->quit();
unset($c);
$got = $mta->waitForMail('alice', 3, 10.0);
$subjects = [];
foreach ($got as $m) {
    $subjects[] = (string)mta_header(mta_head_body(mta_split_delivered($m)['rest'])[0], 'Subject');
}
sort($subjects);
sort($ids);
mta_t('the queue ids of the SendResults are those of the delivered messages', received_ids($got) === $ids,
    implode(', ', received_ids($got)));
echo 'delivered: ', implode(', ', $subjects), "\n";
echo 'Postfix: ', sessions_since($mta, $before), "\n";

echo "=== sendMany() of 20\n";
$mta->clearMail('alice');
$before = mta_sessions_settled($mta, 'submission');
$c = new SmtpDiag\Client($mta->dsn('submission', 'alice'), mta_opts($mta));
$jobs = (function () use ($alice): Generator {
    for ($i = 1; $i <= 20; $i++) {
        yield ['from' => $alice, 'to' => $alice, 'message' => mta_message($alice, $alice, sprintf('many %02d', $i))];
    }
})();
$results = $c->sendMany($jobs);
$ok = 0;
$ids = [];
foreach ($results as $i => $r) {
    if ($r instanceof SmtpDiag\SendResult && $r->code === 250) {
        $ok++;
        $ids[] = $r->queueId;
    } else {
        mta_t("item $i", false, $r instanceof Throwable ? mta_exc($r) . ': ' . $r->getMessage() : get_debug_type($r));
    }
}
echo 'results: ', count($results), ", $ok SendResult(s) with 250, ", count(array_unique(array_filter($ids))), " distinct queue ids\n";
$c->quit();
unset($c);
$got = $mta->waitForMail('alice', 20, 10.0);
$subjects = [];
foreach ($got as $m) {
    $subjects[] = (string)mta_header(mta_head_body(mta_split_delivered($m)['rest'])[0], 'Subject');
}
sort($subjects);
$want = array_map(fn (int $i): string => sprintf('many %02d', $i), range(1, 20));
mta_t('all 20 delivered, each once', $subjects === $want, implode(', ', $subjects));
sort($ids);
mta_t('the queue ids of the SendResults are those of the delivered messages', received_ids($got) === $ids,
    implode(', ', received_ids($got)));
echo 'Postfix: ', sessions_since($mta, $before), "\n";
$mta->stop();
echo "done\n";
?>
--EXPECT--
=== three send() calls
send 1: 250 2.0.0, attempts 1
send 2: 250 2.0.0, attempts 1
send 3: 250 2.0.0, attempts 1
ok: the client connected once
ok: three different queue ids
ok: the queue ids of the SendResults are those of the delivered messages
delivered: reuse 1, reuse 2, reuse 3
Postfix: 1 connection(s): ehlo=2 starttls=1 auth=1 mail=3 rcpt=3 bdat=3 quit=1 commands=14
=== sendMany() of 20
results: 20, 20 SendResult(s) with 250, 20 distinct queue ids
ok: all 20 delivered, each once
ok: the queue ids of the SendResults are those of the delivered messages
Postfix: 1 connection(s): ehlo=2 starttls=1 auth=1 mail=20 rcpt=20 bdat=20 quit=1 commands=65
done
