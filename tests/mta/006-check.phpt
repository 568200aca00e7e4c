--TEST--
Real MTA, smtpdiag_check() with from/to and send=true on the submission port: every step ok (smtp.auth with SCRAM-SHA-256, smtp.data with the queue id Postfix logged) and the test message arrives; a wrong password fails smtp.auth with auth_failed; nobody@test.example fails smtp.rcpt_to with mailbox_unavailable
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
$pw = $mta->users['alice'];
$opts = ['from' => $alice, 'to' => $alice, 'send' => true, 'cafile' => $mta->cafile, 'timeout' => 10, 'dns' => false];

function steps(array $report): array
{
    $out = [];
    foreach ($report['steps'] as $s) {
        $out[$s['id']] = $s;
    }
    return $out;
}

function show_steps(array $report): void
{
    foreach ($report['steps'] as $s) {
        printf("  %-16s %s\n", $s['id'], $s['status']);
    }
    echo '  ok: ', var_export($report['ok'], true), ', status: ', $report['status'],
        ', error: ', $report['error'] === null ? 'none' : $report['error']['category'] . ' ' . var_export($report['error']['code'], true)
            . ' ' . var_export($report['error']['enhanced'], true), "\n";
}

echo "=== alice to alice, send=true\n";
$report = smtpdiag_check($mta->dsn('submission', 'alice'), $opts);
show_steps($report);
$st = steps($report);
mta_t('smtp.auth: authenticated with SCRAM-SHA-256', str_contains($st['smtp.auth']['message'] ?? '', 'with SCRAM-SHA-256'),
    $st['smtp.auth']['message'] ?? '(no smtp.auth step)');
mta_t('tls: after STARTTLS, certificate verified', ($st['tls']['data']['mode'] ?? null) === 'starttls'
    && ($st['tls.certificate']['data']['verified'] ?? null) === true);
$qid = $st['smtp.data']['data']['queue_id'] ?? null;
mta_t('smtp.data: a queue id, as in the 250 reply', is_string($qid) && preg_match('/^[0-9A-F]{6,}$/', $qid) === 1
    && str_ends_with((string)($st['smtp.data']['data']['reply'] ?? ''), "queued as $qid"), json_encode($st['smtp.data'] ?? null));
mta_t('the Postfix log shows that queue id, authenticated as alice with SCRAM-SHA-256, delivered to alice',
    is_string($qid)
    && mta_wait_log($mta, '/ ' . $qid . ': client=unknown\[127\.0\.0\.1\], sasl_method=SCRAM-SHA-256, sasl_username=alice\n/') !== null
    && mta_wait_log($mta, '/ ' . $qid . ': to=<alice@test\.example>, relay=virtual, .*status=sent \(delivered to maildir\)/') !== null,
    $mta->mailLog());
$got = $mta->waitForMail('alice', 1, 10.0);
$d = mta_split_delivered($got[0]);
[$head] = mta_head_body($d['rest']);
mta_t('the test message arrived (Received: with that queue id)', is_string($qid) && str_contains($d['added'], " id $qid\n"), $d['added']);
$subject = mta_mime_decode((string)mta_header($head, 'Subject'));
mta_t('a Subject naming smtpdiag', stripos($subject, 'smtpdiag') !== false, $subject);
mta_t('From and To are the envelope addresses', mta_header($head, 'From') === $alice && mta_header($head, 'To') === $alice, $head);
mta_t('the report shows no password', mta_leaks(json_encode($report) . smtpdiag_format($report), mta_secret_forms('alice', $pw)) === []);

echo "=== wrong password\n";
$report = smtpdiag_check("smtp://alice:Wrong-Pass-9@{$mta->host}:{$mta->ports['submission']}", $opts);
show_steps($report);
mta_t('smtp.auth message quotes the 535 reply', str_contains(steps($report)['smtp.auth']['message'] ?? '', '535 5.7.8'),
    steps($report)['smtp.auth']['message'] ?? '');
mta_t('the report shows neither password', mta_leaks(json_encode($report) . smtpdiag_format($report),
    array_merge(mta_secret_forms('alice', 'Wrong-Pass-9'), mta_secret_forms('alice', $pw))) === []);

echo "=== to nobody@test.example\n";
$report = smtpdiag_check($mta->dsn('submission', 'alice'), ['to' => 'nobody@' . MtaTestServer::DOMAIN] + $opts);
show_steps($report);
$rcpt = steps($report)['smtp.rcpt_to'] ?? [];
mta_t('smtp.rcpt_to lists nobody with 550',
    ($rcpt['data']['recipients'][0]['address'] ?? null) === 'nobody@test.example' && ($rcpt['data']['recipients'][0]['code'] ?? null) === 550,
    json_encode($rcpt));
mta_t('nothing more delivered to alice (0.5 s)', mta_nothing_arrives($mta, 'alice', 1, 0.5));
$mta->stop();
echo "done\n";
?>
--EXPECT--
=== alice to alice, send=true
  config           ok
  dns.host         ok
  ports            ok
  tcp.connect      ok
  smtp.banner      ok
  smtp.ehlo        ok
  tls              ok
  tls.certificate  ok
  smtp.auth        ok
  smtp.mail_from   ok
  smtp.rcpt_to     ok
  smtp.data        ok
  ok: true, status: ok, error: none
ok: smtp.auth: authenticated with SCRAM-SHA-256
ok: tls: after STARTTLS, certificate verified
ok: smtp.data: a queue id, as in the 250 reply
ok: the Postfix log shows that queue id, authenticated as alice with SCRAM-SHA-256, delivered to alice
ok: the test message arrived (Received: with that queue id)
ok: a Subject naming smtpdiag
ok: From and To are the envelope addresses
ok: the report shows no password
=== wrong password
  config           ok
  dns.host         ok
  ports            ok
  tcp.connect      ok
  smtp.banner      ok
  smtp.ehlo        ok
  tls              ok
  tls.certificate  ok
  smtp.auth        fail
  smtp.mail_from   skip
  smtp.rcpt_to     skip
  smtp.data        skip
  ok: false, status: fail, error: auth_failed 535 '5.7.8'
ok: smtp.auth message quotes the 535 reply
ok: the report shows neither password
=== to nobody@test.example
  config           ok
  dns.host         ok
  ports            ok
  tcp.connect      ok
  smtp.banner      ok
  smtp.ehlo        ok
  tls              ok
  tls.certificate  ok
  smtp.auth        ok
  smtp.mail_from   ok
  smtp.rcpt_to     fail
  smtp.data        skip
  ok: false, status: fail, error: mailbox_unavailable 550 '5.1.1'
ok: smtp.rcpt_to lists nobody with 550
ok: nothing more delivered to alice (0.5 s)
done
