--TEST--
smtpdiag_dns(): dns.mta_sts fetches the policy over real HTTPS: enforce matching every MX, an MX left out (enforce, testing), 404, a certificate for another name, a wrong Content-Type, no record
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/dns.inc';
require_once __DIR__ . '/../inc/server.inc';

const POLICY = "version: STSv1\r\nmode: enforce\r\nmx: mx1.example.test\r\nmx: *.backup.example.test\r\nmax_age: 604800\r\n";

/** The zone of example.test, its MX hosts as given, the _mta-sts record unless $txt is null. */
function zone(array $mx, ?string $txt = 'v=STSv1; id=20240101T000000'): array
{
    $zone = [
        'example.test' => ['MX' => $mx],
        'mta-sts.example.test' => ['A' => ['127.0.0.1']],
    ];
    if ($txt !== null) {
        $zone['_mta-sts.example.test'] = ['TXT' => [$txt, 'v=spf1 -all']];
    }
    foreach ($mx as [, $host]) {
        $zone[$host] = ['A' => ['192.0.2.25']];
    }
    return $zone;
}

/** An HTTPS server that reads the GET, answers with $status / $type / $body and closes. */
function https_server(string $status, string $type, string $body, string $cert = 'mta_sts'): SmtpTestServer
{
    return SmtpTestServer::start([
        ['expect', "GET /.well-known/mta-sts.txt HTTP/1.1\r\n"],
        ['expect', 'Host: mta-sts.example.test:'],
        ['expect', 'User-Agent: smtpdiag/'],
        ['expect', 'Accept: '],
        ['expect', "Connection: close\r\n"],
        ['expect', "\r\n"],
        ['send', "HTTP/1.1 $status\r\nContent-Type: $type\r\nContent-Length: " . strlen($body) . "\r\nConnection: close\r\n\r\n$body"],
        ['close'],
    ], ['tls' => 'implicit', 'cert' => $cert]);
}

function run_case(string $title, array $zone, ?SmtpTestServer $srv): array
{
    $r = dns_run($zone, 'example.test', ['mta_sts'], [
        'https_port' => $srv?->port ?? SmtpTestServer::refusedPort(),
        'cafile' => SmtpTestServer::caFile(),
    ]);
    echo "== $title: {$r['status']}\n";
    dns_print_steps($r);
    if ($srv !== null) {
        echo '  server exit ', $srv->exitCode(), "\n";
    }
    return dns_step($r, 'dns.mta_sts')['data'];
}

$good = [[10, 'mx1.example.test'], [20, 'mx2.backup.example.test']];
$srv = https_server('200 OK', 'text/plain; charset=utf-8', POLICY);
$d = run_case('enforce, every MX matches', zone($good), $srv);
var_dump(str_contains($srv->received(), "--- TLS ---\nGET /.well-known/mta-sts.txt HTTP/1.1\r\nHost: mta-sts.example.test:{$srv->port}\r\n"));
echo json_encode(array_diff_key($d, ['tls' => 1]), JSON_UNESCAPED_SLASHES), "\n";
var_dump($d['tls']['verified'], $d['tls']['protocol'] !== null, $d['tls']['verify_reason']);
echo implode(' ', array_keys($d['tls'])), "\n";

$bad = [[10, 'mx1.example.test'], [20, 'mx.other.test']];
$d = run_case('enforce, one MX not matched', zone($bad), https_server('200 OK', 'text/plain', POLICY));
echo json_encode($d['mx_hosts']), "\n";
run_case('testing, one MX not matched', zone($bad), https_server('200 OK', 'text/plain', str_replace('enforce', 'testing', POLICY)));
run_case('mode none', zone($good), https_server('200 OK', 'text/plain', str_replace('enforce', 'none', POLICY)));
$d = run_case('404', zone($good), https_server('404 Not Found', 'text/html', '<h1>no</h1>'));
var_dump($d['http_status']);
$d = run_case('certificate for another name', zone($good), https_server('200 OK', 'text/plain', POLICY, 'wrong_name'));
var_dump($d['tls']['verified'] ?? null);
run_case('Content-Type text/html', zone($good), https_server('200 OK', 'text/html', POLICY));
run_case('invalid policy', zone($good), https_server('200 OK', 'text/plain', "version: STSv1\r\nmode: enforce\r\nmax_age: 604800\r\n"));
run_case('bad TXT record', zone($good, 'v=STSv1; id=not-valid!'), null);
run_case('no TXT record', zone($good, null), null);
?>
--EXPECTF--
== enforce, every MX matches: ok
dns.mta_sts ok: MTA-STS policy in enforce mode (max_age 604800 s) matches every MX host (2)
  server exit 0
bool(true)
{"txt_records":["v=STSv1; id=20240101T000000","v=spf1 -all"],"record":"v=STSv1; id=20240101T000000","id":"20240101T000000","policy_url":"https://mta-sts.example.test/.well-known/mta-sts.txt","http_status":200,"mode":"enforce","mx_patterns":["mx1.example.test","*.backup.example.test"],"max_age":604800,"mx_hosts":[{"host":"mx1.example.test","matched":true},{"host":"mx2.backup.example.test","matched":true}]}
bool(true)
bool(true)
string(2) "ok"
verified protocol cipher verify_reason subject issuer not_after sans
== enforce, one MX not matched: fail
dns.mta_sts fail: MX host mx.other.test is not matched by any mx pattern of the enforce policy: senders enforcing MTA-STS refuse to deliver there
  hint: Add the line "mx: mx.other.test" (or a "*.<parent>" pattern covering it) to https://mta-sts.example.test:%d/.well-known/mta-sts.txt, then change the id in the _mta-sts TXT record so that senders fetch it again; or remove that MX record.
  server exit 0
[{"host":"mx1.example.test","matched":true},{"host":"mx.other.test","matched":false}]
== testing, one MX not matched: warn
dns.mta_sts warn: MX host mx.other.test is not matched by any mx pattern of the testing policy: in enforce mode senders would refuse to deliver there
  hint: Add the line "mx: mx.other.test" (or a "*.<parent>" pattern covering it) to https://mta-sts.example.test:%d/.well-known/mta-sts.txt, then change the id in the _mta-sts TXT record so that senders fetch it again; or remove that MX record.
  server exit 0
== mode none: warn
dns.mta_sts warn: the MTA-STS policy is in mode none: senders do not apply it
  hint: Mode none tells senders to drop the policy (it is meant for withdrawing MTA-STS). Use "mode: testing" while checking TLS to every MX host, then "mode: enforce", and change the id in the TXT record.
  server exit 0
== 404: fail
dns.mta_sts fail: the MTA-STS policy cannot be fetched: https://mta-sts.example.test:%d/.well-known/mta-sts.txt answered 404 Not Found
  hint: Put the policy file at /.well-known/mta-sts.txt on the web server of mta-sts.example.test so that it is served with status 200.
  server exit 0
int(404)
== certificate for another name: fail
dns.mta_sts fail: the MTA-STS policy cannot be fetched: the certificate of mta-sts.example.test did not verify: hostname mismatch (it names DNS:wrong.example)
  hint: The policy host needs a valid certificate for mta-sts.example.test from a public CA, with its full chain: senders verify it like any HTTPS client and ignore the policy otherwise. Add mta-sts.example.test to the certificate's names.
  server exit 3
bool(false)
== Content-Type text/html: fail
dns.mta_sts fail: the MTA-STS policy cannot be fetched: https://mta-sts.example.test:%d/.well-known/mta-sts.txt was served as "text/html", not text/plain
  hint: Serve /.well-known/mta-sts.txt with Content-Type text/plain (RFC 8461 3.2), e.g. nginx: `default_type text/plain;` in that location; senders reject other types.
  server exit 0
== invalid policy: fail
dns.mta_sts fail: the MTA-STS policy at https://mta-sts.example.test:%d/.well-known/mta-sts.txt is invalid: the policy in enforce mode has no mx line: senders could match no MX host
  hint: Write the policy as lines "version: STSv1", "mode: enforce" (or testing, none), one "mx: <MX host or *.parent>" per MX pattern and "max_age: <seconds up to 31557600>", each ending in CRLF.
  server exit 0
== bad TXT record: fail
dns.mta_sts fail: the MTA-STS record of example.test is invalid: the id "not-valid!" may hold only letters and digits (no "-")
  hint: Write the record as "v=STSv1; id=<1 to 32 letters or digits>" and change the id whenever the policy changes.
== no TXT record: ok
dns.mta_sts skip: no MTA-STS record (optional)
