--TEST--
Real MTA, recipients: an unknown local user -> RecipientException 550 5.1.1 mailbox_unavailable; alice + nobody: by default nothing is delivered, with partial=true alice gets it and rejected lists nobody; relaying to another domain without AUTH -> relay_denied 554 5.7.1
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
$nobody = 'nobody@' . MtaTestServer::DOMAIN;
$c = new SmtpDiag\Client($mta->dsn('submission', 'alice'), mta_opts($mta));

echo "=== unknown user only\n";
$e = mta_throws('to nobody', fn () => $c->send($alice, $nobody, mta_message($alice, $nobody, 'to nobody')));
if ($e !== null) {
    echo mta_exc($e), "\n";
    mta_t('the message names the rejected address and the reply',
        str_contains($e->getMessage(), "<$nobody> 550 5.1.1 <$nobody>: Recipient address rejected"), $e->getMessage());
}

echo "=== alice and nobody, default\n";
$e = mta_throws('default', fn () => $c->send($alice, [$alice, $nobody], mta_message($alice, $alice, 'default mode')));
if ($e !== null) {
    echo mta_exc($e), "\n";
    mta_t('the message lists nobody, not alice, and says nothing was sent',
        str_contains($e->getMessage(), "<$nobody> 550") && !str_contains($e->getMessage(), "<$alice>")
        && str_contains($e->getMessage(), 'nothing was sent'), $e->getMessage());
}
mta_t('no DATA was sent in the default mode', mta_lines($c->getTranscript(), 'client', '/^DATA$/') === [], $c->getTranscriptText());
mta_t('nothing delivered to alice (waitForMail, 1 s)', mta_nothing_arrives($mta, 'alice', 0, 1.0),
    implode("\n---\n", $mta->messages('alice')));

echo "=== alice and nobody, partial\n";
try {
    $r = $c->send($alice, [$alice, $nobody], mta_message($alice, $alice, 'partial mode'), ['partial' => true]);
    echo 'accepted: ', implode(', ', array_column($r->accepted, 'address')), "\n";
    foreach ($r->rejected as $rej) {
        echo 'rejected: ', $rej['address'], ' ', $rej['code'], ' ', $rej['enhanced'], "\n";
    }
    mta_t('queue id from the 250 reply', is_string($r->queueId) && preg_match('/^[0-9A-F]{6,}$/', $r->queueId) === 1,
        var_export($r->queueId, true));
    $got = $mta->waitForMail('alice', 1, 10.0);
    mta_t('alice got the partial-mode message', mta_find_subject($got, 'partial mode') !== null, implode("\n---\n", $got));
    mta_t('the Postfix log shows that queue id delivered to alice',
        mta_wait_log($mta, '/ ' . preg_quote((string)$r->queueId, '/') . ': to=<' . preg_quote($alice, '/') . '>, relay=virtual,.* status=sent /') !== null);
    mta_t('and nothing else arrives (0.5 s)', mta_nothing_arrives($mta, 'alice', 1, 0.5),
        implode("\n---\n", $mta->messages('alice')));
    mta_t('the default-mode message never reached alice', mta_find_subject($mta->messages('alice'), 'default mode') === null);
} catch (Throwable $e) {
    mta_t('partial send', false, mta_exc($e) . ': ' . $e->getMessage());
}
$c->quit();
mta_sessions_settled($mta, 'submission');
$log = $mta->mailLog();
mta_t('Postfix log: nobody rejected 3 times at RCPT, no delivery attempt for nobody',
    substr_count($log, "reject: RCPT from unknown[127.0.0.1]: 550 5.1.1 <$nobody>") === 3 && !str_contains($log, "to=<$nobody>, relay="));
mta_t('Postfix log: exactly one delivery', substr_count($log, 'status=sent (delivered to maildir)') === 1,
    implode("\n", preg_grep('/status=/', explode("\n", $log))));

echo "=== relay to another domain without AUTH\n";
$c = new SmtpDiag\Client($mta->dsn('relay'), mta_opts($mta));
$e = mta_throws('relay', fn () => $c->send('sender@client.example', 'x@elsewhere.example',
    mta_message('sender@client.example', 'x@elsewhere.example', 'relay')));
if ($e !== null) {
    echo mta_exc($e), "\n";
    mta_t('the message quotes "Relay access denied"', str_contains($e->getMessage(), 'Relay access denied'), $e->getMessage());
    mta_t('no AUTH was attempted', mta_lines($c->getTranscript(), 'client', '/^AUTH/') === []);
}
unset($c);
mta_t('Postfix log: 554 5.7.1 relay reject', mta_wait_log($mta,
    '/postfix\/relay\/smtpd\[\d+\]: NOQUEUE: reject: RCPT from unknown\[127\.0\.0\.1\]: 554 5\.7\.1 <x@elsewhere\.example>: Relay access denied/') !== null);
$mta->stop();
echo "done\n";
?>
--EXPECT--
=== unknown user only
SmtpDiag\RecipientException category=mailbox_unavailable code=550 enhanced='5.1.1' transient=false phase=rcpt
ok: the message names the rejected address and the reply
=== alice and nobody, default
SmtpDiag\RecipientException category=mailbox_unavailable code=550 enhanced='5.1.1' transient=false phase=rcpt
ok: the message lists nobody, not alice, and says nothing was sent
ok: no DATA was sent in the default mode
ok: nothing delivered to alice (waitForMail, 1 s)
=== alice and nobody, partial
accepted: alice@test.example
rejected: nobody@test.example 550 5.1.1
ok: queue id from the 250 reply
ok: alice got the partial-mode message
ok: the Postfix log shows that queue id delivered to alice
ok: and nothing else arrives (0.5 s)
ok: the default-mode message never reached alice
ok: Postfix log: nobody rejected 3 times at RCPT, no delivery attempt for nobody
ok: Postfix log: exactly one delivery
=== relay to another domain without AUTH
SmtpDiag\RecipientException category=relay_denied code=554 enhanced='5.7.1' transient=false phase=rcpt
ok: the message quotes "Relay access denied"
ok: no AUTH was attempted
ok: Postfix log: 554 5.7.1 relay reject
done
