--TEST--
smtpdiag check: the exit status names the first failing step (the port probes, failing beside tcp.connect, do not decide): 2 config, 3 DNS, 4 TCP connect, 5 greeting, 6 TLS (STARTTLS not offered, expired certificate), 7 AUTH, 8 MAIL FROM, 9 RCPT TO, 10 DATA
--EXTENSIONS--
smtpdiag
--SKIPIF--
<?php
if (!is_file(__DIR__ . '/../../scripts/smtpdiag')) {
    die('skip scripts/smtpdiag is not in this tree');
}
?>
--FILE--
<?php
declare(strict_types=1);
require_once __DIR__ . '/cli.inc';
require_once __DIR__ . '/../inc/dns.inc';
require_once __DIR__ . '/../inc/server.inc';

/** Run a check as JSON; print the exit status, the failing steps and the error. */
function run(string $title, array $args, array $env = []): void
{
    [$status, $out, $err] = cli(['check', ...$args, '--json', '--timeout=5'], $env);
    $r = json_decode($out, true);
    $failed = array_values(array_filter($r['steps'] ?? [], static fn (array $s): bool => $s['status'] === 'fail'));
    printf("%-28s exit %d  %s  %s%s\n", $title, $status, implode(',', array_column($failed, 'id')) ?: '-', $r['error']['category'] ?? '-',
        $err === '' ? '' : '  stderr: ' . trim($err));
}

/** The same check as text: the exit status must not depend on the output format. */
function run_text(array $args): int
{
    return cli(['check', ...$args, '--timeout=5'])[0];
}

$refused = SmtpTestServer::refusedPort();
run('unknown -o option', ["smtp://127.0.0.1:$refused", '-o', 'bogus=1']);
run('bad --encryption', ["smtp://127.0.0.1:$refused", '--encryption=sometimes']);
run('malformed DSN', ["smtp://127.0.0.1:99999"]);

$dns = DnsTestServer::start(['other.smtpdiag.test' => ['A' => ['127.0.0.1']]]);
run('NXDOMAIN', ["smtp://nx.smtpdiag.test:$refused", '--dns-servers=' . $dns->servers()]);

run('connection refused', ["smtp://127.0.0.1:$refused"]);
echo 'as text: ', run_text(["smtp://127.0.0.1:$refused"]), "\n";
// The port probes fail beside tcp.connect; without them tcp.connect fails alone.
run('refused, --no-ports', ["smtp://127.0.0.1:$refused", '--no-ports']);
run('refused, --ports', ["smtp://127.0.0.1:$refused", "--ports=$refused,2525"]);

$srv = SmtpTestServer::start([
    ['send', "554 5.7.1 mx.test: no SMTP service for you\r\n"],
    ['wait_close'],
]);
run('554 greeting', [$srv->dsn()]);

$srv = SmtpTestServer::start([
    ['send', "220 mx.test ESMTP\r\n"],
    ['expect', 'EHLO '],
    ['send', "250-mx.test\r\n250 AUTH PLAIN\r\n"],
    ['wait_close'],
]);
run('STARTTLS not offered', [$srv->dsn(), '--encryption=starttls']);

$srv = SmtpTestServer::start([
    ['send', "220 mx.test ESMTP\r\n"],
    ['expect', 'EHLO '],
    ['send', "250-mx.test\r\n250 STARTTLS\r\n"],
    ['expect', 'STARTTLS'],
    ['send', "220 go ahead\r\n"],
    ['starttls'],
    ['wait_close'],
], ['cert' => 'expired']);
run('expired certificate', [$srv->dsn(), '--cafile=' . $srv->cafile]);

// A self-signed certificate: 6, unless verification is off (--insecure, or -o with a typed false): 0 with warnings.
$srv = SmtpTestServer::start([
    ['send', "220 mx.test ESMTP\r\n"],
    ['expect', 'EHLO '],
    ['send', "250-mx.test\r\n250 STARTTLS\r\n"],
    ['expect', 'STARTTLS'],
    ['send', "220 go ahead\r\n"],
    ['starttls'],
    ['wait_close'],
], ['cert' => 'self_signed']);
run('self-signed certificate', [$srv->dsn(), '--encryption=starttls']);
$srv = SmtpTestServer::start([
    ['send', "220 mx.test ESMTP\r\n"],
    ['expect', 'EHLO '],
    ['send', "250-mx.test\r\n250 STARTTLS\r\n"],
    ['expect', 'STARTTLS'],
    ['send', "220 go ahead\r\n"],
    ['starttls'],
    ['expect', 'EHLO '],
    ['send', "250 mx.test\r\n"],
    ['expect', 'QUIT'],
    ['send', "221 bye\r\n"],
], ['cert' => 'self_signed', 'connections' => 2]);
run('self-signed, --insecure', [$srv->dsn(), '--encryption=starttls', '--insecure']);
run('self-signed, -o verify_peer', [$srv->dsn(), '--encryption=starttls', '-o', 'verify_peer=false', '-o', 'ip_family=4']);

$srv = SmtpTestServer::start([
    ['send', "220 mx.test ESMTP\r\n"],
    ['expect', 'EHLO '],
    ['send', "250-mx.test\r\n250 AUTH PLAIN\r\n"],
    ['expect', 'AUTH PLAIN ' . base64_encode("\0alice\0wrong")],
    ['send', "535 5.7.8 Authentication credentials invalid\r\n"],
    ['expect', 'QUIT'],
    ['send', "221 bye\r\n"],
]);
run('AUTH 535', [$srv->dsn('smtp', 'alice'), '--encryption=none', '-o', 'allow_plaintext_auth=true'], ['SMTPDIAG_PASSWORD' => 'wrong']);

$srv = SmtpTestServer::start([
    ['send', "220 mx.test ESMTP\r\n"],
    ['expect', 'EHLO '],
    ['send', "250-mx.test\r\n250 PIPELINING\r\n"],
    ['expect', 'MAIL FROM:<app@example.test>'],
    ['expect', 'RCPT TO:<me@example.test>'],
    ['send', "553 5.7.1 <app@example.test>: Sender address rejected: not owned by user\r\n503 5.5.1 need MAIL\r\n"],
    ['expect', 'RSET'],
    ['send', "250 2.0.0 Ok\r\n"],
    ['expect', 'QUIT'],
    ['send', "221 bye\r\n"],
]);
run('MAIL FROM 553', [$srv->dsn(), '--from=app@example.test', '--to=me@example.test', '--no-dns']);

$srv = SmtpTestServer::start([
    ['send', "220 mx.test ESMTP\r\n"],
    ['expect', 'EHLO '],
    ['send', "250-mx.test\r\n250 PIPELINING\r\n"],
    ['expect', 'MAIL FROM:<app@example.test>'],
    ['expect', 'RCPT TO:<nobody@example.test>'],
    ['send', "250 2.1.0 Ok\r\n550 5.1.1 <nobody@example.test>: Recipient address rejected: User unknown\r\n"],
    ['expect', 'RSET'],
    ['send', "250 2.0.0 Ok\r\n"],
    ['expect', 'QUIT'],
    ['send', "221 bye\r\n"],
]);
run('RCPT TO 550', [$srv->dsn(), '--from=app@example.test', '--to=nobody@example.test', '--no-dns']);

$srv = SmtpTestServer::start([
    ['send', "220 mx.test ESMTP\r\n"],
    ['expect', 'EHLO '],
    ['send', "250 mx.test\r\n"],
    ['expect', 'MAIL FROM:<app@example.test>'],
    ['send', "250 2.1.0 Ok\r\n"],
    ['expect', 'RCPT TO:<me@example.test>'],
    ['send', "250 2.1.5 Ok\r\n"],
    ['expect', 'RSET'],
    ['send', "250 2.0.0 Ok\r\n"],
    ['expect', 'MAIL FROM:<app@example.test>'],
    ['send', "250 2.1.0 Ok\r\n"],
    ['expect', 'RCPT TO:<me@example.test>'],
    ['send', "250 2.1.5 Ok\r\n"],
    ['expect', 'DATA'],
    ['send', "354 go ahead\r\n"],
    ['expect_data'],
    ['send', "554 5.7.1 Message rejected as spam\r\n"],
    ['expect', 'QUIT'],
    ['send', "221 bye\r\n"],
]);
run('DATA 554 (--send)', [$srv->dsn(), '--from=app@example.test', '--to=me@example.test', '--send', '--no-dns']);
$received = $srv->received();

$srv = SmtpTestServer::start([
    ['send', "220 mx.test ESMTP\r\n"],
    ['expect', 'EHLO '],
    ['send', "250-mx.test\r\n250 PIPELINING\r\n"],
    ['expect', 'MAIL FROM:<app@example.test>'],
    ['expect', 'RCPT TO:<me@example.test>'],
    ['send', "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n"],
    ['expect', 'QUIT'],
    ['send', "221 bye\r\n"],
]);
$zone = DnsTestServer::start(['example.test' => ['MX' => [[10, 'mx.example.test']]], 'mx.example.test' => ['A' => ['127.0.0.1']]]);
run('sender domain without SPF', [$srv->dsn(), '--from=app@example.test', '--to=me@example.test', '--dns=mx,spf', '--dns-servers=' . $zone->servers()]);
echo preg_replace('/^(?!EHLO|MAIL|RCPT|RSET|DATA|Subject:|\.\r?$|QUIT|---).*\n/m', '', $received);
?>
--EXPECTF--
unknown -o option            exit 2  config  config_invalid
bad --encryption             exit 2  config  config_invalid
malformed DSN                exit 2  config  config_invalid
NXDOMAIN                     exit 3  dns.host  dns_error
connection refused           exit 4  ports,tcp.connect  connection_refused
as text: 4
refused, --no-ports          exit 4  tcp.connect  connection_refused
refused, --ports             exit 4  ports,tcp.connect  connection_refused
554 greeting                 exit 5  smtp.banner  service_unavailable
STARTTLS not offered         exit 6  tls  tls_required
expired certificate          exit 6  tls.certificate  tls_certificate
self-signed certificate      exit 6  tls.certificate  tls_certificate
self-signed, --insecure      exit 0  -  -  stderr: smtpdiag: warning: --insecure: the server's certificate is not verified: an interception would go unnoticed
self-signed, -o verify_peer  exit 0  -  -
AUTH 535                     exit 7  smtp.auth  auth_failed
MAIL FROM 553                exit 8  smtp.mail_from  sender_rejected
RCPT TO 550                  exit 9  smtp.rcpt_to  mailbox_unavailable
DATA 554 (--send)            exit 10  smtp.data  spam_or_policy
sender domain without SPF    exit 3  dns.spf  spam_or_policy
EHLO [127.0.0.1]
MAIL FROM:<app@example.test>
RCPT TO:<me@example.test>
RSET
MAIL FROM:<app@example.test>
RCPT TO:<me@example.test>
DATA
Subject: smtpdiag test message
.
QUIT
--- CLOSED ---
