--TEST--
smtpdiag --help (lists the exit statuses), --version, and usage errors: exit 64, one line on stderr, nothing on stdout, nothing contacted
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

echo "== --help\n";
[$status, $help, $err] = cli(['--help']);
var_dump($status, $err);
echo substr($help, (int)strpos($help, 'Exit status'), (int)strpos($help, 'Environment:') - (int)strpos($help, 'Exit status'));
var_dump(cli(['-h'])[1] === $help, cli(['help'])[1] === $help, cli(['check', '--help'])[1] === $help);
foreach (['check DSN', 'classify REPLY', '--from=ADDR', '--to=ADDR', '--send', '--json', '--transcript', '--timestamps', '--color',
    '--dns-servers=LIST', '--timeout=SECONDS', '--encryption=MODE', '--auth=MECH', '--helo=NAME', '--cafile=FILE', '--insecure',
    '--user=NAME', '--password-env=VAR', '--password-prompt', 'KEY=VALUE', '--strict', 'SMTPDIAG_PASSWORD',
    'dns DOMAIN', 'spf IP DOMAIN', 'dns options', 'spf options', '--ip=ADDR', '--sender=ADDR', '--dns=LIST', '--dkim-selector=SEL',
    'Exit status of spf'] as $word) {
    if (!str_contains($help, $word)) {
        echo "--help does not mention $word\n";
    }
}

echo "== --version\n";
[$status, $out, $err] = cli(['--version']);
var_dump($status, $err, str_starts_with($out, 'smtpdiag ' . SMTPDIAG_VERSION . ' (extension smtpdiag ' . SMTPDIAG_VERSION . ' loaded'));
var_dump(cli(['-V']) === [$status, $out, $err], cli(['version']) === [$status, $out, $err]);

echo "== usage errors\n";
// A refused port: should a usage error reach the network by mistake, it fails fast (and the status is not 64).
$dsn = 'smtp://127.0.0.1:' . SmtpTestServer::refusedPort();
$cases = [
    [],
    ['frobnicate'],
    ['check'],
    ['check', $dsn, '--bogus'],
    ['check', $dsn, '-x'],
    ['check', $dsn, '--json=yes'],
    ['check', $dsn, '--from'],
    ['check', $dsn, '--from=a@example.org', '--from=b@example.org'],
    ['check', $dsn, '--to=b@example.org'],
    ['check', $dsn, '--to=,'],
    ['check', $dsn, '--send', '--from=a@example.org'],
    ['check', $dsn, '--timeout=abc'],
    ['check', $dsn, '--timeout=0'],
    ['check', $dsn, '--color=sometimes'],
    ['check', $dsn, '--color=always', '--no-color'],
    ['check', $dsn, '--ports=25,70000'],
    ['check', $dsn, '--ports=25', '--no-ports'],
    ['check', $dsn, '-o', 'ip_family'],
    ['check', $dsn, '-o', '=4'],
    ['check', $dsn, '-o', 'logger=syslog'],
    ['check', $dsn, '--quiet', '--json'],
    ['check', $dsn, '--command=RCPT'],
    ['classify', '250 ok', '--json', '--strict'],
    ['classify', '250 ok', '250 ok'],
];
foreach ($cases as $args) {
    [$status, $out, $err] = cli($args);
    printf("%-50s exit %d%s %s", implode(' ', str_replace($dsn, 'DSN', $args)), $status, $out === '' ? '' : ' STDOUT ' . json_encode($out), $err);
}
?>
--EXPECTF--
== --help
int(0)
string(0) ""
Exit status (check and dns: the first failing step decides):
   0  the check passed (warnings allowed, unless --strict)
   1  warnings only, with --strict
   2  configuration (step config): the DSN or an option is invalid
      (dns, spf: the domain, the address or an option is invalid)
   3  DNS (dns.*): the host name does not resolve, or a check of the
      domain's records failed
   4  TCP connect (tcp.connect): refused, unreachable or timed out
   5  greeting or EHLO (smtp.banner, smtp.ehlo)
   6  TLS (tls, tls.certificate): STARTTLS missing, handshake, certificate
   7  authentication (smtp.auth)
   8  sender refused (smtp.mail_from)
   9  recipient refused (smtp.rcpt_to)
  10  test message refused (smtp.data)
  11  port probes (ports), only when no other step failed: they fail
      beside tcp.connect (exit 4), to name the ports that answer
  64  usage: bad command line
  69  the smtpdiag extension is not available
  70  internal error

Exit status of spf (the SPF result decides):
   0  pass
   1  neutral, softfail or none
   3  fail, permerror or temperror
   2, 64, 69 and 70 as above

bool(true)
bool(true)
bool(true)
== --version
int(0)
string(0) ""
bool(true)
bool(true)
bool(true)
== usage errors
                                                   exit 64 smtpdiag: no command given (smtpdiag check DSN, smtpdiag dns DOMAIN, smtpdiag spf IP DOMAIN, smtpdiag classify REPLY; see smtpdiag --help)
frobnicate                                         exit 64 smtpdiag: unknown command (expected check, dns, spf or classify; see smtpdiag --help)
check                                              exit 64 smtpdiag: check needs a DSN, e.g. smtpdiag check smtp://user@smtp.example.com:587
check DSN --bogus                                  exit 64 smtpdiag: unknown option --bogus (see smtpdiag --help)
check DSN -x                                       exit 64 smtpdiag: unknown option -x (see smtpdiag --help)
check DSN --json=yes                               exit 64 smtpdiag: option --json takes no value
check DSN --from                                   exit 64 smtpdiag: option --from needs a value
check DSN --from=a@example.org --from=b@example.org exit 64 smtpdiag: option --from is given twice
check DSN --to=b@example.org                       exit 64 smtpdiag: --to needs --from (the recipients are tested after MAIL FROM)
check DSN --to=,                                   exit 64 smtpdiag: --to needs an address
check DSN --send --from=a@example.org              exit 64 smtpdiag: --send needs --from and --to
check DSN --timeout=abc                            exit 64 smtpdiag: --timeout takes a number of seconds greater than 0
check DSN --timeout=0                              exit 64 smtpdiag: --timeout takes a number of seconds greater than 0
check DSN --color=sometimes                        exit 64 smtpdiag: --color must be auto, always or never
check DSN --color=always --no-color                exit 64 smtpdiag: --color and --no-color contradict each other
check DSN --ports=25,70000                         exit 64 smtpdiag: --ports takes a comma list of port numbers, e.g. --ports=25,465,587
check DSN --ports=25 --no-ports                    exit 64 smtpdiag: --ports and --no-ports contradict each other
check DSN -o ip_family                             exit 64 smtpdiag: -o takes KEY=VALUE (a lower-case option name of smtpdiag_check()), e.g. -o ip_family=4
check DSN -o =4                                    exit 64 smtpdiag: -o takes KEY=VALUE (a lower-case option name of smtpdiag_check()), e.g. -o ip_family=4
check DSN -o logger=syslog                         exit 64 smtpdiag: -o logger: a logger cannot be given on the command line (the transcript is in --transcript and --json)
check DSN --quiet --json                           exit 64 smtpdiag: --quiet and --json contradict each other
check DSN --command=RCPT                           exit 64 smtpdiag: option --command does not apply to "check" (see smtpdiag --help)
classify 250 ok --json --strict                    exit 64 smtpdiag: option --strict does not apply to "classify" (see smtpdiag --help)
classify 250 ok 250 ok                             exit 64 smtpdiag: classify takes one SMTP reply, e.g. smtpdiag classify '550 5.1.1 User unknown' --command=RCPT
