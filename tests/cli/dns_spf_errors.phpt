--TEST--
smtpdiag dns / spf: a bad command line is exit 64 (usage), a domain, address or option value the extension refuses (its ValueError) is exit 2 (configuration) in the words of the command line; one line on stderr, nothing on stdout, no DNS query sent
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

$dns = DnsTestServer::start(['a.test' => ['TXT' => ['v=spf1 -all']]]);
$cases = [
    ['dns'],
    ['dns', 'a.test', 'b.test'],
    ['dns', 'a.test', '--bogus'],
    ['dns', 'a.test', '--no-dns'],
    ['dns', 'a.test', '--transcript'],
    ['dns', 'a.test', '--timestamps'],
    ['dns', 'a.test', '--from=app@a.test'],
    ['dns', 'a.test', '--insecure'],
    ['dns', 'a.test', '--dns=,'],
    ['dns', 'a.test', '--timeout=0'],
    ['dns', 'a.test', '--ip'],
    ['dns', 'a.test', '--quiet', '--json'],
    ['dns', 'a.test', '--color=sometimes'],
    ['spf'],
    ['spf', '192.0.2.1'],
    ['spf', '192.0.2.1', 'a.test', 'b.test'],
    ['spf', '192.0.2.1', 'a.test', '--dns=spf'],
    ['spf', '192.0.2.1', 'a.test', '--strict'],
    ['spf', '192.0.2.1', 'a.test', '--ip=192.0.2.2'],
    ['spf', '192.0.2.1', 'a.test', '--timeout=soon'],
    // exit 2
    ['dns', 'not a domain'],
    ['dns', 'a..test'],
    ['dns', 'a.test', '--ip=192.0.2'],
    ['dns', 'a.test', '--dns=mx,frob'],
    ['dns', 'a.test', '--dkim-selector=s1,s2', '--dkim-selector=' . implode(',', array_map(static fn (int $i): string => "s$i", range(3, 33)))],
    ['dns', 'a.test', '--dns-servers=not an address'],
    ['dns', 'a.test', "--sender=app@a.test\r\nRCPT TO:<x@y>"],
    ['spf', '192.0.2', 'a.test'],
    ['spf', '192.0.2.1', "a.test\nb.test"],
    ['spf', '192.0.2.1', 'a.test', "--helo=x\ny"],
    ['spf', '192.0.2.1', 'a.test', '--dns-servers=not an address'],
];
foreach ($cases as $args) {
    $own = (bool)array_filter($args, static fn (string $a): bool => str_starts_with($a, '--dns-servers'));
    // the server first: an option at the end may lack its value
    [$status, $out, $err] = cli([$args[0], ...($own ? [] : ['--dns-servers=' . $dns->servers()]), ...array_slice($args, 1)]);
    printf("%-42s exit %d%s %s", json_encode(substr(implode(' ', $args), 0, 60), JSON_UNESCAPED_SLASHES), $status, $out === '' ? '' : ' STDOUT ' . json_encode($out), $err);
}
echo "queries: ", count($dns->queries()), "\n";
?>
--EXPECT--
"dns"                                      exit 64 smtpdiag: dns needs a domain, e.g. smtpdiag dns example.com
"dns a.test b.test"                        exit 64 smtpdiag: dns takes one domain
"dns a.test --bogus"                       exit 64 smtpdiag: unknown option --bogus (see smtpdiag --help)
"dns a.test --no-dns"                      exit 64 smtpdiag: option --no-dns does not apply to "dns": the DNS checks are all this command runs (choose them with --dns=LIST)
"dns a.test --transcript"                  exit 64 smtpdiag: option --transcript does not apply to "dns": the DNS checks have no SMTP conversation
"dns a.test --timestamps"                  exit 64 smtpdiag: option --timestamps does not apply to "dns": the DNS checks have no SMTP conversation
"dns a.test --from=app@a.test"             exit 64 smtpdiag: option --from does not apply to "dns" (see smtpdiag --help)
"dns a.test --insecure"                    exit 64 smtpdiag: option --insecure does not apply to "dns" (see smtpdiag --help)
"dns a.test --dns=,"                       exit 64 smtpdiag: --dns takes a comma list of checks: mx, spf, dkim, dmarc, ptr, mta_sts, tls_rpt, dane, bimi
"dns a.test --timeout=0"                   exit 64 smtpdiag: --timeout takes a number of seconds greater than 0
"dns a.test --ip"                          exit 64 smtpdiag: option --ip needs a value
"dns a.test --quiet --json"                exit 64 smtpdiag: --quiet and --json contradict each other
"dns a.test --color=sometimes"             exit 64 smtpdiag: --color must be auto, always or never
"spf"                                      exit 64 smtpdiag: spf takes an IP address and a domain, e.g. smtpdiag spf 192.0.2.25 example.com
"spf 192.0.2.1"                            exit 64 smtpdiag: spf takes an IP address and a domain, e.g. smtpdiag spf 192.0.2.25 example.com
"spf 192.0.2.1 a.test b.test"              exit 64 smtpdiag: spf takes an IP address and a domain, e.g. smtpdiag spf 192.0.2.25 example.com
"spf 192.0.2.1 a.test --dns=spf"           exit 64 smtpdiag: option --dns does not apply to "spf" (see smtpdiag --help)
"spf 192.0.2.1 a.test --strict"            exit 64 smtpdiag: option --strict does not apply to "spf" (see smtpdiag --help)
"spf 192.0.2.1 a.test --ip=192.0.2.2"      exit 64 smtpdiag: option --ip does not apply to "spf" (see smtpdiag --help)
"spf 192.0.2.1 a.test --timeout=soon"      exit 64 smtpdiag: --timeout takes a number of seconds greater than 0
"dns not a domain"                         exit 2 smtpdiag: the domain "not a domain" must be a domain name such as "example.com"
"dns a..test"                              exit 2 smtpdiag: the domain "a..test" must be a domain name such as "example.com"
"dns a.test --ip=192.0.2"                  exit 2 smtpdiag: --ip must be an IPv4 or IPv6 address
"dns a.test --dns=mx,frob"                 exit 2 smtpdiag: --dns takes a comma list of checks from "mx", "spf", "dkim", "dmarc", "ptr", "mta_sts", "tls_rpt", "dane", "bimi"
"dns a.test --dkim-selector=s1,s2 --dkim-selector=s3,s4,s5,s6" exit 2 smtpdiag: --dkim-selector must be a list of at most 32 DKIM selectors (DNS labels such as "selector1" or "s2048.mail")
"dns a.test --dns-servers=not an address"  exit 2 smtpdiag: --dns-servers "not an address" is not a list of addresses like "192.0.2.53, [2001:db8::53]:5353": Misformatted string
"dns a.test --sender=app@a.test\r\nRCPT TO:<x@y>" exit 2 smtpdiag: --sender must not contain NUL, CR or LF
"spf 192.0.2 a.test"                       exit 2 smtpdiag: the IP address "192.0.2" must be an IPv4 or IPv6 address
"spf 192.0.2.1 a.test\nb.test"             exit 2 smtpdiag: the domain "a.test\x0Ab.test" must not contain NUL, CR or LF
"spf 192.0.2.1 a.test --helo=x\ny"         exit 2 smtpdiag: --helo must not contain NUL, CR or LF
"spf 192.0.2.1 a.test --dns-servers=not an address" exit 2 smtpdiag: --dns-servers "not an address" is not a list of addresses like "192.0.2.53, [2001:db8::53]:5353": Misformatted string
queries: 0
