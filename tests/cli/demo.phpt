--TEST--
scripts/demo.php (the README's first command, behind scripts/demo.sh) with no DSN: the local SMTP server and the local DNS server for example.test give an ok report with every DNS step ok or an optional skip, exit status 0; the text form lists the DNS steps
--EXTENSIONS--
smtpdiag
--SKIPIF--
<?php
if (!is_file(__DIR__ . '/../../scripts/demo.php')) {
    die('skip scripts/demo.php is not in this tree');
}
?>
--FILE--
<?php
declare(strict_types=1);

function demo(array $args): array
{
    $dir = (string)ini_get('extension_dir');
    $so = 'smtpdiag.' . PHP_SHLIB_SUFFIX;
    $ext = is_file("$dir/$so") ? ['-d', "extension_dir=$dir", '-d', 'extension=smtpdiag']
        : ['-d', 'extension=' . realpath(__DIR__ . "/../../modules/$so")];
    $proc = proc_open([PHP_BINARY, '-n', ...$ext, __DIR__ . '/../../scripts/demo.php', ...$args],
        [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
    $out = stream_get_contents($pipes[1]);
    $err = stream_get_contents($pipes[2]);
    return [proc_close($proc), $out, $err];
}

[$status, $out, $err] = demo(['--json']);
$r = json_decode($out, true);
echo "exit $status, ok: ", var_export($r['ok'] ?? null, true), "\n";
foreach ($r['steps'] ?? [] as $s) {
    if (str_starts_with($s['id'], 'dns.') && $s['id'] !== 'dns.host') {
        echo "{$s['id']} {$s['status']}\n";
    }
}
echo preg_replace('/port \d+/', 'port N', $err);
[$status, $out] = demo([]);
echo "text: exit $status\n";
preg_match_all('/^  \[ ?(\w+) ?\] (dns\.(?:mx|spf|dkim|dmarc|ptr)) +[\d.]+ ms  (.*)$/m', $out, $m, PREG_SET_ORDER);
foreach ($m as $line) {
    echo "$line[1] $line[2]: $line[3]\n";
}
?>
--EXPECT--
exit 0, ok: true
dns.mx ok
dns.spf ok
dns.dkim ok
dns.dmarc ok
dns.ptr ok
dns.mta_sts skip
dns.tls_rpt ok
dns.dane skip
dns.bimi skip
no DSN given: checking a local test server on port N (STARTTLS, test CA, AUTH)
with a local DNS server on port N for example.test (MX, SPF, DKIM, DMARC, TLS-RPT, PTR)

text: exit 0
ok dns.mx: 1 MX host, lowest preference mail.example.test
ok dns.spf: SPF pass: 127.0.0.1 may send for example.test (matched "ip4:127.0.0.1" in the record of example.test)
ok dns.dkim: DKIM key at example.test: demo2026 (rsa 2048 bits)
ok dns.dmarc: DMARC policy p=reject at _dmarc.example.test
ok dns.ptr: 1 of 1 address with forward-confirmed reverse DNS
