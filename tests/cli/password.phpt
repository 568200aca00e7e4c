--TEST--
smtpdiag check: the password from --password-env, SMTPDIAG_PASSWORD (when the DSN has none) or --password-prompt (a line of stdin when stdin is no terminal) reaches the server as the exact AUTH PLAIN payload and never appears in the output, JSON or transcript; a password on the command line is refused without being echoed
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

const SECRET = 'S3cr3t-P4ss';

/** Every form of the password found in the texts. */
function leaks(string ...$texts): array
{
    $found = [];
    foreach ($texts as $i => $text) {
        foreach ([SECRET, 'S3cr3t', 'P4ss', base64_encode(SECRET), rawurlencode(SECRET), base64_encode("\0alice\0" . SECRET)] as $needle) {
            if (str_contains($text, $needle)) {
                $found[] = "text $i contains $needle";
            }
        }
    }
    return $found;
}

function show(string $title, array $result): void
{
    [$status, $out, $err] = $result;
    $auth = preg_match('/^.*smtp\.auth.*$/m', $out, $m) ? trim(preg_replace('/ +[0-9.]+ ms /', ' ', $m[0])) : '(no smtp.auth line)';
    if (str_starts_with($out, '{')) {
        $r = json_decode($out, true);
        $auth = 'json ' . $r['status'] . ', ' . ($r['target']['username'] ?? 'no user');
    }
    printf("%s: exit %d, %s, stderr %s, leaks %s\n", $title, $status, $auth, json_encode($err), json_encode(leaks($out, $err)));
}

// Every connection: STARTTLS, then AUTH PLAIN with exactly alice / SECRET.
$steps = [
    ['send', "220 mx.test ESMTP\r\n"],
    ['expect', 'EHLO '],
    ['send', "250-mx.test\r\n250 STARTTLS\r\n"],
    ['expect', 'STARTTLS'],
    ['send', "220 2.0.0 go ahead\r\n"],
    ['starttls'],
    ['expect', 'EHLO '],
    ['send', "250-mx.test\r\n250 AUTH PLAIN LOGIN\r\n"],
    ['expect', 'AUTH PLAIN ' . base64_encode("\0alice\0" . SECRET) . "\r\n"],
    ['send', "235 2.7.0 Authentication successful\r\n"],
    ['expect', 'QUIT'],
    ['send', "221 2.0.0 bye\r\n"],
];
$srv = SmtpTestServer::start($steps, ['cert' => 'valid', 'connections' => 6]);
$base = ['--cafile=' . $srv->cafile, '--timeout=5', '--encryption=starttls'];

show('--password-env', cli(['check', $srv->dsn('smtp', 'alice'), '--password-env=MY_SMTP_PW', '--transcript', ...$base], ['MY_SMTP_PW' => SECRET]));
show('--password-env, --json', cli(['check', $srv->dsn('smtp', 'alice'), '--password-env', 'MY_SMTP_PW', '--json', ...$base], ['MY_SMTP_PW' => SECRET]));
show('SMTPDIAG_PASSWORD', cli(['check', $srv->dsn('smtp', 'alice'), '--timestamps', ...$base], ['SMTPDIAG_PASSWORD' => SECRET]));
show('--user, SMTPDIAG_PASSWORD', cli(['check', $srv->dsn(), '--user=alice', ...$base], ['SMTPDIAG_PASSWORD' => SECRET]));
show('--password-prompt, stdin', cli(['check', $srv->dsn('smtp', 'alice'), '--password-prompt', '--transcript', ...$base], [], SECRET . "\n"));
// The DSN's own password wins over SMTPDIAG_PASSWORD.
show('DSN password', cli(['check', $srv->dsn('smtp', 'alice:' . rawurlencode(SECRET)), '--transcript', ...$base], ['SMTPDIAG_PASSWORD' => 'not-this-one']));
$received = $srv->received();
echo substr_count($received, 'AUTH PLAIN ' . base64_encode("\0alice\0" . SECRET) . "\r\n"), " AUTH PLAIN lines with the password\n";
var_dump($srv->exitCode());

echo "== without a user name, SMTPDIAG_PASSWORD is not used\n";
$port = SmtpTestServer::refusedPort();
[$status, $out] = cli(['check', "smtp://127.0.0.1:$port", '--json', '--timeout=5'], ['SMTPDIAG_PASSWORD' => SECRET]);
$r = json_decode($out, true);
var_dump($status, $r['steps'][0]['data']['password_set']);

echo "== refused: the DSN's password is not in the output\n";
show('DSN with password', cli(['check', 'smtp://alice:' . SECRET . "@127.0.0.1:$port", '--transcript', '--timeout=5']));
show('DSN with password, json', cli(['check', 'smtp://alice:' . SECRET . "@127.0.0.1:$port", '--json', '--timeout=5']));

echo "== usage errors\n";
show('--password=', cli(['check', $srv->dsn('smtp', 'alice'), '--password=' . SECRET]));
show('--password', cli(['check', $srv->dsn('smtp', 'alice'), '--password', SECRET]));
show('-o password=', cli(['check', $srv->dsn('smtp', 'alice'), '-o', 'password=' . SECRET]));
show('--password-env unset', cli(['check', $srv->dsn('smtp', 'alice'), '--password-env=SMTPDIAG_TEST_UNSET']));
show('--password-prompt, no user', cli(['check', $srv->dsn(), '--password-prompt'], [], SECRET . "\n"));
show('--password-prompt, no input', cli(['check', $srv->dsn('smtp', 'alice'), '--password-prompt']));
show('env and prompt', cli(['check', $srv->dsn('smtp', 'alice'), '--password-prompt', '--password-env=X'], ['X' => SECRET]));
show('two DSNs', cli(['check', 'smtp://alice:' . SECRET . '@127.0.0.1:25', 'smtp://alice:' . SECRET . '@127.0.0.1:26']));
show('a DSN as command', cli(['smtp:/alice:' . SECRET . '@127.0.0.1:25']));
show('unknown option with the password', cli(['check', $srv->dsn(), '--pasword=' . SECRET]));
?>
--EXPECTF--
--password-env: exit 0, [ ok ] smtp.auth  authenticated as alice with PLAIN %s, stderr "", leaks []
--password-env, --json: exit 0, json ok, alice, stderr "", leaks []
SMTPDIAG_PASSWORD: exit 0, [ ok ] smtp.auth  authenticated as alice with PLAIN %s, stderr "", leaks []
--user, SMTPDIAG_PASSWORD: exit 0, [ ok ] smtp.auth  authenticated as alice with PLAIN %s, stderr "", leaks []
--password-prompt, stdin: exit 0, [ ok ] smtp.auth  authenticated as alice with PLAIN %s, stderr "", leaks []
DSN password: exit 0, [ ok ] smtp.auth  authenticated as alice with PLAIN %s, stderr "", leaks []
6 AUTH PLAIN lines with the password
int(0)
== without a user name, SMTPDIAG_PASSWORD is not used
int(4)
bool(false)
== refused: the DSN's password is not in the output
DSN with password: exit 4, [skip] smtp.auth  not reached, stderr "", leaks []
DSN with password, json: exit 4, json fail, alice, stderr "", leaks []
== usage errors
--password=: exit 64, (no smtp.auth line), stderr "smtpdiag: unknown option --password: a password is not taken on the command line (it would end up in the shell history and the process list); use --password-env=VAR or --password-prompt\n", leaks []
--password: exit 64, (no smtp.auth line), stderr "smtpdiag: unknown option --password: a password is not taken on the command line (it would end up in the shell history and the process list); use --password-env=VAR or --password-prompt\n", leaks []
-o password=: exit 64, (no smtp.auth line), stderr "smtpdiag: -o password: a password is not taken on the command line; use --password-env=VAR or --password-prompt\n", leaks []
--password-env unset: exit 64, (no smtp.auth line), stderr "smtpdiag: --password-env: the environment variable SMTPDIAG_TEST_UNSET is not set\n", leaks []
--password-prompt, no user: exit 64, (no smtp.auth line), stderr "smtpdiag: --password-prompt needs a user name (in the DSN or --user)\n", leaks []
--password-prompt, no input: exit 64, (no smtp.auth line), stderr "smtpdiag: --password-prompt: no password was read (end of input)\n", leaks []
env and prompt: exit 64, (no smtp.auth line), stderr "smtpdiag: --password-env and --password-prompt contradict each other\n", leaks []
two DSNs: exit 64, (no smtp.auth line), stderr "smtpdiag: check takes one DSN\n", leaks []
a DSN as command: exit 64, (no smtp.auth line), stderr "smtpdiag: unknown command (expected check, dns, spf or classify; see smtpdiag --help)\n", leaks []
unknown option with the password: exit 64, (no smtp.auth line), stderr "smtpdiag: unknown option --pasword (see smtpdiag --help)\n", leaks []