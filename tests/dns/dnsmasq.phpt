--TEST--
smtpdiag_dns() against a real dnsmasq serving a real zone: dns.mx, dns.spf, dns.dkim (a 2048-bit key dnsmasq splits into 255-byte strings), dns.dmarc, dns.ptr (forward-confirmed) and dns.tls_rpt all ok; the same zone without SPF and with p=none gives the SPF failure and the DMARC warning
--EXTENSIONS--
smtpdiag
--SKIPIF--
<?php
require __DIR__ . '/../inc/dnsmasq.inc';
if (!Dnsmasq::available()) {
    die('skip dnsmasq is not installed (apt-get install dnsmasq-base)');
}
if (!is_string(shell_exec('command -v openssl'))) {
    die('skip the openssl command is not installed');
}
?>
--FILE--
<?php
require __DIR__ . '/dns.inc';
require __DIR__ . '/../inc/dnsmasq.inc';

/** The character-strings of the TXT records at $name, asked of dnsmasq on the wire. */
function txt_strings(Dnsmasq $d, string $name): array
{
    $q = "\xab\xcd\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00";
    foreach (explode('.', $name) as $label) {
        $q .= chr(strlen($label)) . $label;
    }
    $q .= "\x00\x00\x10\x00\x01";
    $s = stream_socket_client('udp://' . $d->servers());
    fwrite($s, $q);
    stream_set_timeout($s, 5);
    $a = (string)fread($s, 4096);
    fclose($s);
    // the answer: header, our question, then RRs whose name is a pointer (2 bytes)
    $pos = strlen($q);
    $out = [];
    for ($i = 0, $n = unpack('n', $a, 6)[1]; $i < $n; $i++) {
        $rdlen = unpack('n', $a, $pos + 10)[1];
        $rd = substr($a, $pos + 12, $rdlen);
        for ($p = 0; $p < $rdlen; $p += 1 + ord($rd[$p])) {
            $out[] = substr($rd, $p + 1, ord($rd[$p]));
        }
        $pos += 12 + $rdlen;
    }
    return $out;
}

$key = dns_rsa_key(2048);
$dkim = "v=DKIM1; k=rsa; p=$key";
// dnsmasq takes a TXT value as it is on its command line (no quotes: these
// only work in its configuration file); commas separate strings and it cuts
// a string longer than 255 bytes into several.
$common = [
    '--mx-host=integ.test,mx.integ.test,10',
    '--host-record=mx.integ.test,127.0.0.1',
    '--ptr-record=1.0.0.127.in-addr.arpa,mx.integ.test',
    "--txt-record=sel1._domainkey.integ.test,$dkim",
    '--txt-record=_smtp._tls.integ.test,v=TLSRPTv1; rua=mailto:tls-reports@integ.test',
];
$checks = ['mx', 'spf', 'dkim', 'dmarc', 'ptr', 'tls_rpt'];

echo "== the full zone\n";
$d = Dnsmasq::start(['integ.test', '0.0.127.in-addr.arpa'], array_merge($common, [
    '--txt-record=integ.test,v=spf1 ip4:127.0.0.1 -all',
    '--txt-record=_dmarc.integ.test,v=DMARC1; p=reject; rua=mailto:dmarc@integ.test',
]));
$parts = txt_strings($d, 'sel1._domainkey.integ.test');
echo 'the DKIM record on the wire: ', count($parts), ' strings of ', implode(' + ', array_map('strlen', $parts)), " bytes\n";
var_dump(implode('', $parts) === $dkim);
$r = smtpdiag_dns('integ.test', ['dns' => $checks, 'dkim_selectors' => 'sel1', 'dns_servers' => $d->servers(), 'timeout' => 5]);
dns_print_steps($r);
echo 'status: ', $r['status'], ', ok: ', var_export($r['ok'], true), ', error: ', var_export($r['error'], true), "\n";
$mx = dns_step($r, 'dns.mx')['data']['records'];
echo 'mx: ', $mx[0]['preference'], ' ', $mx[0]['host'], ' ', implode(',', $mx[0]['addresses']), "\n";
$sel = dns_step($r, 'dns.dkim')['data']['selectors'][0];
echo 'dkim: ', $sel['name'], ' ', $sel['key_type'], ' ', $sel['bits'], ' whole record: ', var_export($sel['record'] === $dkim, true), "\n";
$spf = dns_step($r, 'dns.spf')['data'];
echo 'spf: ', $spf['record'], "\n";
$dm = dns_step($r, 'dns.dmarc')['data'];
echo 'dmarc: ', $dm['policy'], ' ', json_encode($dm['rua'] ?? null), "\n";
$ptr = dns_step($r, 'dns.ptr')['data']['addresses'][0];
echo 'ptr: ', $ptr['role'], ' ', $ptr['address'], ' -> ', $ptr['fcrdns'], "\n";
$log = $d->log();
echo 'dnsmasq answered the TXT query for _dmarc: ', var_export(str_contains($log, 'query[TXT] _dmarc.integ.test from 127.0.0.1'), true), "\n";
$d->stop();

echo "== no SPF, p=none\n";
$d = Dnsmasq::start(['integ.test', '0.0.127.in-addr.arpa'], array_merge($common, [
    '--txt-record=_dmarc.integ.test,v=DMARC1; p=none; rua=mailto:dmarc@integ.test',
]));
$r = smtpdiag_dns('integ.test', ['dns' => $checks, 'dkim_selectors' => ['sel1'], 'dns_servers' => $d->servers(), 'timeout' => 5]);
foreach ($r['steps'] as $s) {
    echo "{$s['id']} {$s['status']}\n";
}
$spf = dns_step($r, 'dns.spf');
echo 'dns.spf: ', $spf['message'], "\n";
$dm = dns_step($r, 'dns.dmarc');
echo 'dns.dmarc: ', $dm['message'], "\n";
echo 'status: ', $r['status'], ', error: ', $r['error']['category'], ' ', $r['error']['phase'], ' ', $r['error']['message'], "\n";
$d->stop();
?>
--EXPECT--
== the full zone
the DKIM record on the wire: 2 strings of 255 + 155 bytes
bool(true)
dns.mx ok: 1 MX host, lowest preference mx.integ.test
dns.spf ok: SPF record of integ.test is valid (0 of 10 DNS look-ups)
dns.dkim ok: DKIM key at integ.test: sel1 (rsa 2048 bits)
dns.dmarc ok: DMARC policy p=reject at _dmarc.integ.test
dns.ptr ok: 1 of 1 address with forward-confirmed reverse DNS
dns.tls_rpt ok: TLS-RPT reports for integ.test go to mailto:tls-reports@integ.test
status: ok, ok: true, error: NULL
mx: 10 mx.integ.test 127.0.0.1
dkim: sel1._domainkey.integ.test rsa 2048 whole record: true
spf: v=spf1 ip4:127.0.0.1 -all
dmarc: reject ["mailto:dmarc@integ.test"]
ptr: mx mx.integ.test 127.0.0.1 -> mx.integ.test
dnsmasq answered the TXT query for _dmarc: true
== no SPF, p=none
dns.mx ok
dns.spf fail
dns.dkim ok
dns.dmarc warn
dns.ptr ok
dns.tls_rpt ok
dns.spf: No SPF record: integ.test has no SPF record (no TXT record starting with "v=spf1")
dns.dmarc: _dmarc.integ.test: p=none is monitoring only: mail failing DMARC is still delivered, so anyone can send as this domain
status: fail, error: spam_or_policy dns dns.spf: No SPF record: integ.test has no SPF record (no TXT record starting with "v=spf1")
