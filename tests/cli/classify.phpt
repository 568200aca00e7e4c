--TEST--
smtpdiag classify: smtpdiag_classify() from the command line: text and --json, --command and --host, a multi-line reply (literal \n or real newlines, or "-" for stdin), control characters shown escaped; a bad reply or --command is a usage error (64)
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
require_once __DIR__ . '/../inc/server.inc';

function show(array $args, string $stdin = ''): void
{
    [$status, $out, $err] = cli(['classify', ...$args], [], $stdin);
    echo "exit $status\n", $out, $err !== '' ? "stderr: $err" : '';
}

echo "== RCPT 550\n";
show(['550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown', '--command=RCPT']);
$direct = smtpdiag_classify("550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown\r\n", ['command' => 'RCPT']);

echo "== --json, the array of smtpdiag_classify()\n";
[$status, $out] = cli(['classify', '550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown', '--command', 'rcpt', '--json']);
var_dump($status, json_decode($out, true) === $direct);

echo "== a multi-line reply with literal \\n, --host\n";
show(['534-5.7.9 Application-specific password required. Learn more at\n534 5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor - gsmtp', '--command=AUTH', '--host=smtp.gmail.com']);

echo "== from stdin\n";
show(['-', '--command=DATA'], "451-4.3.0 queue file write error\r\n451 4.3.0 try again later\r\n");

echo "== control characters\n";
show(["421 4.7.0 slow down\e[2J\x07 now \u{9b}31m", '--host=mx.example.org']);
show(["421 4.7.0 not UTF-8: \xff\x9b31m"]);

echo "== errors\n";
show(['hello']);
show(['250 ok', '--command=FOO']);
show([]);
show(['250 ok', '--from=a@example.org']);
?>
--EXPECTF--
== RCPT 550
exit 0
reply:    550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown
category: mailbox_unavailable (permanent)
provider: -
matched:  %s
hint:     %s
== --json, the array of smtpdiag_classify()
int(0)
bool(true)
== a multi-line reply with literal \n, --host
exit 0
reply:    534 5.7.9 Application-specific password required. Learn more at / 5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor - gsmtp
category: auth_failed (permanent)
provider: gmail
matched:  %s
hint:     %s
== from stdin
exit 0
reply:    451 4.3.0 queue file write error / 4.3.0 try again later
category: temporary_local_error (transient: retrying later can work)
provider: -
matched:  %s
hint:     %s
== control characters
exit 0
reply:    421 4.7.0 slow down\x1B[2J\x07 now \u009B31m
category: service_unavailable (transient: retrying later can work)
provider: -
matched:  %s
hint:     %s
exit 0
reply:    421 4.7.0 not UTF-8: ??31m
category: service_unavailable (transient: retrying later can work)
provider: -
matched:  %s
hint:     %s
== errors
exit 64
stderr: smtpdiag: the reply is not an SMTP reply: reply line does not start with a three-digit code
exit 64
stderr: smtpdiag: --command must be one of CONNECT, EHLO, HELO, STARTTLS, AUTH, MAIL, RCPT, DATA, QUIT
exit 64
stderr: smtpdiag: classify takes one SMTP reply, e.g. smtpdiag classify '550 5.1.1 User unknown' --command=RCPT
exit 64
stderr: smtpdiag: option --from does not apply to "classify" (see smtpdiag --help)