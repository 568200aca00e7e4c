--TEST--
smtpdiag_dns(): dns.dkim on the wire: RSA 2048/1024/512, revoked, testing, ed25519, syntax errors, a missing selector, a CNAME to a provider's key, and probing the common selectors
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/dns.inc';

$rsa2048 = dns_rsa_key(2048);
$rsa1024 = dns_rsa_key(1024);
try {
    $rsa512 = dns_rsa_key(512);
} catch (RuntimeException) {
    // an openssl that refuses to make 512-bit keys: one made earlier
    $rsa512 = 'MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBALT8MeOLY6JuMLAZzJRDASzt6DNk0gbvQ82qUmFWyTTpZ5ooLrl1k6YdBUE6sDLVOoUNaDfBNsm/phUw1CG/TPkCAwEAAQ==';
}
$ed = shell_exec('openssl genpkey -algorithm ed25519 2>/dev/null | openssl pkey -pubout -outform DER 2>/dev/null');
if (!is_string($ed) || strlen($ed) !== 44) {
    // RFC 8463 appendix A's example key
    $ed = str_repeat("\0", 12) . base64_decode('11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=');
}
$ed = base64_encode(substr($ed, -32));

$zone = [
    's2048._domainkey.k.test' => ['TXT' => ["v=DKIM1; k=rsa; p=$rsa2048"]],
    's1024._domainkey.k.test' => ['TXT' => ["v=DKIM1; k=rsa; p=$rsa1024"]],
    's512._domainkey.k.test' => ['TXT' => ["v=DKIM1; k=rsa; p=$rsa512"]],
    'revoked._domainkey.k.test' => ['TXT' => ['v=DKIM1; k=rsa; p=']],
    'testing._domainkey.k.test' => ['TXT' => ["v=DKIM1; t=y; k=rsa; p=$rsa2048"]],
    'ed._domainkey.k.test' => ['TXT' => ["v=DKIM1; k=ed25519; p=$ed"]],
    'garbled._domainkey.k.test' => ['TXT' => ['v=DKIM1; k=rsa; p=!!not*base64!!']],
    'nokey._domainkey.k.test' => ['TXT' => ['v=DKIM1; k=rsa']],
    'other._domainkey.k.test' => ['TXT' => ['v=spf1 -all']],
    'cn._domainkey.k.test' => ['CNAME' => ['cn.k-test._domainkey.provider.test']],
    'cn.k-test._domainkey.provider.test' => ['TXT' => ["v=DKIM1; k=rsa; p=$rsa2048"]],
    'google._domainkey.probe.test' => ['TXT' => ["v=DKIM1; k=rsa; p=$rsa2048"]],
    'selector1._domainkey.probe.test' => ['CNAME' => ['selector1-probe-test._domainkey.tenant.provider.test']],
    'selector1-probe-test._domainkey.tenant.provider.test' => ['TXT' => ["v=DKIM1; k=rsa; p=$rsa2048"]],
    'probe.test' => ['MX' => [[10, 'mx.probe.test']]],
    'none.test' => ['MX' => [[10, 'mx.none.test']]],
];
$dns = DnsTestServer::start($zone);
$run = static fn (string $domain, array $options = []): array =>
    smtpdiag_dns($domain, $options + ['dns' => ['dkim'], 'dns_servers' => $dns->servers(), 'timeout' => 3]);

foreach (['s2048', 's1024', 's512', 'revoked', 'testing', 'ed', 'garbled', 'nokey', 'other', 'nosuch', 'cn', 'bad selector', 'x._domainkey'] as $sel) {
    $r = $run('k.test', ['dkim_selectors' => [$sel]]);
    $s = dns_step($r, 'dns.dkim');
    $one = $s['data']['selectors'][0];
    echo "== $sel: {$r['status']}, found ", json_encode($one['found']), ', dns ', $one['dns'], ', ', $one['key_type'] ?? '-', ' ', $one['bits'] ?? '-',
        $one['found'] && $one['testing'] ? ' testing' : '', $one['found'] && $one['revoked'] ? ' revoked' : '',
        ', canonical ', $one['canonical'] ?? '-', "\n";
    dns_print_steps($r);
    foreach ($one['problems'] ?? [] as $p) {
        echo "  problem: ", json_encode($p, JSON_UNESCAPED_SLASHES), "\n";
    }
}

echo "-- several at once, as a comma-separated string\n";
$r = $run('k.test', ['dkim_selectors' => 's2048, ed,cn']);
dns_print_steps($r);
$r = $run('k.test', ['dkim_selectors' => ['s2048', 's1024', 's512', 'nosuch']]);
dns_print_steps($r);
echo implode(' ', array_map(static fn (array $s): string => "{$s['selector']}:{$s['status']}", dns_step($r, 'dns.dkim')['data']['selectors'])), "\n";

echo "-- the data of one selector\n";
$d = dns_step($run('k.test', ['dkim_selectors' => ['s2048']]), 'dns.dkim')['data'];
$one = $d['selectors'][0];
echo implode(' ', array_keys($d)), "\n", implode(' ', array_keys($one)), "\n";
var_dump($d['probed'], $one['name'], $one['version'], $one['strict'], $one['hashes'], $one['record'] === "v=DKIM1; k=rsa; p=$rsa2048",
    $one['sha256'] === hash('sha256', base64_decode($rsa2048)), $one['message']);

echo "-- probing the common selectors\n";
$r = $run('probe.test');
dns_print_steps($r);
$d = dns_step($r, 'dns.dkim')['data'];
var_dump($d['probed'], count($d['tried']), $d['tried'][0], $d['tried'][1]);
echo implode(' ', array_map(static fn (array $s): string => "{$s['selector']}:{$s['status']}:" . ($s['canonical'] ?? '-'), $d['selectors'])), "\n";
$r = $run('none.test');
dns_print_steps($r);
$d = dns_step($r, 'dns.dkim')['data'];
var_dump($d['selectors']);
$asked = array_filter($dns->queryLog(), static fn (array $q): bool => str_ends_with($q['name'], '._domainkey.none.test') && $q['type'] === 'TXT');
var_dump(count($asked) === count($d['tried']));
?>
--EXPECT--
== s2048: ok, found true, dns ok, rsa 2048, canonical -
dns.dkim ok: DKIM key at k.test: s2048 (rsa 2048 bits)
== s1024: warn, found true, dns ok, rsa 1024, canonical -
dns.dkim warn: s1024._domainkey.k.test: the RSA key has 1024 bits: RFC 8301 3.2 wants 2048 for signing, and 1024-bit keys can be factored by well-funded attackers
  hint: Generate a 2048-bit key (openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048), sign with it under a new selector, publish its public key there, then retire this one.
  problem: {"status":"warn","message":"the RSA key has 1024 bits: RFC 8301 3.2 wants 2048 for signing, and 1024-bit keys can be factored by well-funded attackers","hint":"generate a 2048-bit key (openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048), sign with it under a new selector, publish its public key there, then retire this one"}
== s512: fail, found true, dns ok, rsa 512, canonical -
dns.dkim fail: s512._domainkey.k.test: the RSA key has 512 bits: RFC 8301 3.2 forbids keys under 1024 bits and verifiers fail their signatures
  hint: Generate a 2048-bit key (openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048), sign with it under a new selector, publish its public key there, then retire this one.
  problem: {"status":"fail","message":"the RSA key has 512 bits: RFC 8301 3.2 forbids keys under 1024 bits and verifiers fail their signatures","hint":"generate a 2048-bit key (openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048), sign with it under a new selector, publish its public key there, then retire this one"}
== revoked: fail, found true, dns ok, rsa 0 revoked, canonical -
dns.dkim fail: revoked._domainkey.k.test: p= is empty: the key is revoked (RFC 6376 3.6.1) and every signature with this selector fails
  hint: Sign with a selector whose key is published, or publish the current public key at this one.
  problem: {"status":"fail","message":"p= is empty: the key is revoked (RFC 6376 3.6.1) and every signature with this selector fails","hint":"sign with a selector whose key is published, or publish the current public key at this one"}
== testing: warn, found true, dns ok, rsa 2048 testing, canonical -
dns.dkim warn: testing._domainkey.k.test: t=y: the key is in testing mode, and verifiers may treat its signatures like unsigned mail
  hint: Remove y from t= once signatures verify (a DMARC report or a received message's Authentication-Results shows it).
  problem: {"status":"warn","message":"t=y: the key is in testing mode, and verifiers may treat its signatures like unsigned mail","hint":"remove y from t= once signatures verify (a DMARC report or a received message's Authentication-Results shows it)"}
== ed: ok, found true, dns ok, ed25519 256, canonical -
dns.dkim ok: DKIM key at k.test: ed (ed25519)
  problem: {"status":"note","message":"an ed25519 key: verifiers that predate RFC 8463 (2018) ignore its signatures","hint":"sign with an RSA key too, under a second selector (RFC 8463 suggests both)"}
== garbled: fail, found true, dns ok, rsa 0, canonical -
dns.dkim fail: garbled._domainkey.k.test: p= is not base64: '!' at offset 0 in p=
  hint: p= is the base64 of the public key (the lines between BEGIN PUBLIC KEY and END PUBLIC KEY, joined).
  problem: {"status":"fail","message":"p= is not base64: '!' at offset 0 in p=","hint":"p= is the base64 of the public key (the lines between BEGIN PUBLIC KEY and END PUBLIC KEY, joined)"}
== nokey: fail, found true, dns ok, rsa 0, canonical -
dns.dkim fail: nokey._domainkey.k.test: the key record has no p= tag (the public key); verifiers cannot use it
  hint: Add p=<the base64 public key>.
  problem: {"status":"fail","message":"the key record has no p= tag (the public key); verifiers cannot use it","hint":"add p=<the base64 public key>"}
== other: fail, found false, dns ok, - -, canonical -
dns.dkim fail: other._domainkey.k.test: no DKIM key at other._domainkey.k.test: its TXT record is not a key record ("v=spf1 -all")
  hint: Publish the public key of selector other as TXT at other._domainkey.k.test (your provider's DKIM setup page shows it), or check the selector: it is the s= tag of the DKIM-Signature header of a message you sent.
== nosuch: fail, found false, dns nxdomain, - -, canonical -
dns.dkim fail: nosuch._domainkey.k.test: no DKIM key at nosuch._domainkey.k.test (the name does not exist)
  hint: Publish the public key of selector nosuch as TXT at nosuch._domainkey.k.test (your provider's DKIM setup page shows it), or check the selector: it is the s= tag of the DKIM-Signature header of a message you sent.
== cn: ok, found true, dns ok, rsa 2048, canonical cn.k-test._domainkey.provider.test
dns.dkim ok: DKIM key at k.test: cn (rsa 2048 bits, via CNAME)
== bad selector: fail, found false, dns badname, - -, canonical -
dns.dkim fail: bad selector._domainkey.k.test: "bad selector" is not a DKIM selector
  hint: A selector is a DNS label (letters, digits, '-', '_'; dots between labels): the s= tag of a DKIM-Signature header.
== x._domainkey: fail, found false, dns badname, - -, canonical -
dns.dkim fail: x._domainkey._domainkey.k.test: "x._domainkey" is not a DKIM selector
  hint: Pass the selector alone: the part before ._domainkey.
-- several at once, as a comma-separated string
dns.dkim ok: DKIM keys at k.test: s2048 (rsa 2048 bits), ed (ed25519), cn (rsa 2048 bits, via CNAME)
dns.dkim fail: s512._domainkey.k.test: the RSA key has 512 bits: RFC 8301 3.2 forbids keys under 1024 bits and verifiers fail their signatures (and 2 more selectors with problems)
  hint: Generate a 2048-bit key (openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048), sign with it under a new selector, publish its public key there, then retire this one.
s2048:ok s1024:warn s512:fail nosuch:fail
-- the data of one selector
domain probed selectors
selector name canonical found status message dns record version key_type bits testing strict revoked hashes sha256 problems
bool(false)
string(23) "s2048._domainkey.k.test"
string(5) "DKIM1"
bool(false)
NULL
bool(true)
bool(true)
string(13) "rsa 2048 bits"
-- probing the common selectors
dns.dkim ok: DKIM keys at probe.test: google (rsa 2048 bits), selector1 (rsa 2048 bits, via CNAME)
  hint: The probe finds common selectors only; give the ones you sign with (option dkim_selectors, or --dkim-selector on the command line).
bool(true)
int(22)
string(7) "default"
string(6) "google"
google:ok:- selector1:ok:selector1-probe-test._domainkey.tenant.provider.test
dns.dkim warn: no DKIM key at the 22 common selectors of none.test (default, google, selector1, k1, s1, ...)
  hint: Give the selector your provider uses (option dkim_selectors, or --dkim-selector on the command line); it is in the s= tag of a DKIM-Signature header of a sent message (or your provider's DKIM setup page).
array(0) {
}
bool(true)
