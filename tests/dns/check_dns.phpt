--TEST--
smtpdiag_check() with a sender domain: every dns.* step after the session's, over a full good zone (SPF for the server's address, DKIM, DMARC, MTA-STS over HTTPS, TLS-RPT, BIMI, PTR, DANE); the dns option limits them; bad dns / dkim_selectors values are config failures; the checks run during the session
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/dns.inc';
require_once __DIR__ . '/../inc/server.inc';

/** A STARTTLS session; $first runs before the greeting (a wait_file step); MAIL FROM and RSET when $from. */
function smtp(array $first = [], bool $from = true): SmtpTestServer
{
    $envelope = $from ? [
        ['expect', 'MAIL FROM:<app@example.test>'],
        ['send', "250 2.1.0 ok\r\n"],
        ['expect', 'RSET'],
        ['send', "250 2.0.0 ok\r\n"],
    ] : [];
    return SmtpTestServer::start([
        ...$first,
        ['send', "220 mail.example.test ESMTP\r\n"],
        ['expect', 'EHLO '],
        ['send', "250-mail.example.test\r\n250 STARTTLS\r\n"],
        ['expect', 'STARTTLS'],
        ['send', "220 2.0.0 go ahead\r\n"],
        ['starttls'],
        ['expect', 'EHLO '],
        ['send', "250 mail.example.test\r\n"],
        ...$envelope,
        ['expect', 'QUIT'],
        ['send', "221 bye\r\n"],
    ], ['cert' => 'valid']);
}

function https(): SmtpTestServer
{
    $policy = "version: STSv1\r\nmode: enforce\r\nmx: mail.example.test\r\nmax_age: 86400\r\n";
    return SmtpTestServer::start([
        ['expect', 'GET /.well-known/mta-sts.txt HTTP/1.1'],
        ['expect', 'Host: mta-sts.example.test:'],
        ['expect', 'User-Agent: '],
        ['expect', 'Accept: '],
        ['expect', 'Connection: close'],
        ['expect', "\r\n"],
        ['send', "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " . strlen($policy) . "\r\n\r\n$policy"],
        ['close'],
    ], ['tls' => 'implicit', 'cert' => 'mta_sts']);
}

function zone(int $port): array
{
    static $dkim = null;
    $dkim ??= dns_rsa_key(2048);
    $spki = shell_exec('openssl x509 -in ' . escapeshellarg(SmtpTestServer::certs()['valid']) . ' -pubkey -noout 2>/dev/null | openssl pkey -pubin -outform DER 2>/dev/null');
    return [
        'example.test' => ['MX' => [[10, 'mail.example.test']], 'TXT' => ['v=spf1 ip4:127.0.0.1 -all']],
        'mail.example.test' => ['A' => ['127.0.0.1']],
        "_$port._tcp.mail.example.test" => ['TLSA' => [[3, 1, 1, hash('sha256', (string)$spki)]]],
        '1.0.0.127.in-addr.arpa' => ['PTR' => ['mail.example.test']],
        'mail._domainkey.example.test' => ['TXT' => ["v=DKIM1; k=rsa; p=$dkim"]],
        '_dmarc.example.test' => ['TXT' => ['v=DMARC1; p=reject; rua=mailto:dmarc@example.test']],
        '_mta-sts.example.test' => ['TXT' => ['v=STSv1; id=1']],
        'mta-sts.example.test' => ['A' => ['127.0.0.1']],
        '_smtp._tls.example.test' => ['TXT' => ['v=TLSRPTv1; rua=mailto:tls@example.test']],
        'default._bimi.example.test' => ['TXT' => ['v=BIMI1; l=https://example.test/logo.svg; a=https://example.test/vmc.pem']],
        '$options' => ['ad' => true],
    ];
}

function check(SmtpTestServer $srv, DnsTestServer $dns, array $options = []): array
{
    return smtpdiag_check("smtp://mail.example.test:{$srv->port}", $options + ['encryption' => 'starttls', 'cafile' => $srv->cafile,
        'peer_name' => 'localhost', 'from' => 'app@example.test', 'dkim_selectors' => ['mail'], 'ports' => false,
        'dns_servers' => $dns->servers(), 'timeout' => 5]);
}

echo "-- everything\n";
$srv = smtp();
$web = https();
$dns = DnsTestServer::start(zone($srv->port));
$r = check($srv, $dns, ['https_port' => $web->port]);
echo $r['ok'] ? 'ok' : 'not ok', " {$r['status']}, server exit {$srv->exitCode()}, https exit {$web->exitCode()}\n";
foreach ($r['steps'] as $s) {
    // the port, and the certificate made for this run (its SPKI hash, its end date)
    $line = strtr("{$s['id']} {$s['status']}: {$s['message']}\n", [(string)$srv->port => 'PORT', (string)$web->port => 'HTTPS']);
    echo preg_replace(['/(TLSA record 3 1 1) [0-9a-f]{16}\.\.\./', '/valid until \S+/', '/(TLSv1\.[23]) with \S+,/'], ['$1 <spki sha256>...', 'valid until <date>', '$1 with <cipher>,'], $line);
}
var_dump($r['error']);
echo json_encode(dns_step($r, 'dns.spf')['data']['ip']), ' ', json_encode(dns_step($r, 'dns.spf')['data']['matched']), "\n";

echo "-- dns => ['mx', 'spf']\n";
$srv = smtp();
$dns = DnsTestServer::start(zone($srv->port));
$r = check($srv, $dns, ['dns' => ['mx', 'spf']]);
echo implode(' ', array_column($r['steps'], 'id')), "\n";
$names = array_unique(array_map(static fn (array $q): string => "{$q['name']} {$q['type']}", $dns->queryLog()));
sort($names);
echo implode(', ', $names), "\n";

echo "-- dns => false\n";
$srv = smtp();
$dns = DnsTestServer::start(zone($srv->port));
$r = check($srv, $dns, ['dns' => false]);
echo implode(' ', array_column($r['steps'], 'id')), ", {$r['status']}\n";
echo implode(', ', $dns->queries()), "\n";

echo "-- no sender domain: no DNS checks\n";
$srv = smtp([], false);
$dns = DnsTestServer::start(zone($srv->port));
$r = smtpdiag_check("smtp://mail.example.test:{$srv->port}", ['encryption' => 'starttls', 'cafile' => $srv->cafile, 'peer_name' => 'localhost',
    'ports' => false, 'dns_servers' => $dns->servers(), 'timeout' => 5]);
echo implode(' ', array_column($r['steps'], 'id')), ", {$r['status']}, server exit {$srv->exitCode()}\n";
echo count($dns->queries()), " queries\n";

echo "-- bad values\n";
$port = SmtpTestServer::refusedPort();
foreach ([['dns' => ['mx', 'dnssec']], ['dns' => 'yes'], ['dns' => [25]], ['dkim_selectors' => 5], ['dkim_selectors' => ['ok', '']],
    ['dkim_selectors' => "a\0b"], ['dkim_selectors' => array_fill(0, 40, 's')], ['https_port' => 0]] as $bad) {
    try {
        $r = smtpdiag_check("smtp://127.0.0.1:$port", $bad + ['from' => 'app@example.test', 'ports' => false, 'timeout' => 2]);
    } catch (Throwable $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
        continue;
    }
    $c = dns_step($r, 'config');
    echo "{$r['status']} {$r['error']['category']}: {$c['status']}: {$c['message']}\n";
}

echo "-- during the session: the greeting waits until the responder has answered _dmarc.example.test\n";
$dns = DnsTestServer::start(zone(0));
$srv = smtp([['wait_file', $dns->logFile(), 'QUERY _dmarc.example.test TXT']]);
$r = check($srv, $dns, ['dns' => ['dmarc']]);
echo $r['status'], ', server exit ', $srv->exitCode(), ', ', dns_step($r, 'smtp.banner')['status'], ', ', dns_step($r, 'dns.dmarc')['status'], "\n";
?>
--EXPECT--
-- everything
ok ok, server exit 0, https exit 0
config ok: mail.example.test port PORT, encryption starttls (encryption "starttls")
dns.host ok: mail.example.test resolves to 127.0.0.1
tcp.connect ok: connected to 127.0.0.1 port PORT
smtp.banner ok: 220 mail.example.test ESMTP
smtp.ehlo ok: EHLO [127.0.0.1] accepted: no extensions
tls ok: TLSv1.3 with <cipher>, after STARTTLS
tls.certificate ok: verified for localhost: CN=localhost, issued by CN=smtpdiag test CA, valid until <date>
smtp.auth skip: no credentials configured
smtp.mail_from ok: MAIL FROM:<app@example.test> accepted: 250 2.1.0 ok
smtp.rcpt_to skip: no recipient given (option to)
smtp.data skip: no test message requested (option send)
dns.mx ok: 1 MX host, lowest preference mail.example.test
dns.spf ok: SPF pass: 127.0.0.1 may send for example.test (matched "ip4:127.0.0.1" in the record of example.test)
dns.dkim ok: DKIM key at example.test: mail (rsa 2048 bits)
dns.dmarc ok: DMARC policy p=reject at _dmarc.example.test
dns.ptr ok: 1 of 1 address with forward-confirmed reverse DNS
dns.mta_sts ok: MTA-STS policy in enforce mode (max_age 86400 s) matches every MX host (1)
dns.tls_rpt ok: TLS-RPT reports for example.test go to mailto:tls@example.test
dns.dane ok: TLSA record 3 1 1 <spki sha256>... at _PORT._tcp.mail.example.test matches the server's certificate (DNSSEC-validated)
dns.bimi ok: BIMI record at default._bimi.example.test; DMARC is at enforcement
NULL
"127.0.0.1" {"mechanism":"ip4:127.0.0.1","domain":"example.test"}
-- dns => ['mx', 'spf']
config dns.host tcp.connect smtp.banner smtp.ehlo tls tls.certificate smtp.auth smtp.mail_from smtp.rcpt_to smtp.data dns.mx dns.spf
example.test MX, example.test TXT, mail.example.test A, mail.example.test AAAA
-- dns => false
config dns.host tcp.connect smtp.banner smtp.ehlo tls tls.certificate smtp.auth smtp.mail_from smtp.rcpt_to smtp.data, ok
mail.example.test A -> NOERROR 1, mail.example.test AAAA -> NOERROR 0
-- no sender domain: no DNS checks
config dns.host tcp.connect smtp.banner smtp.ehlo tls tls.certificate smtp.auth smtp.mail_from smtp.rcpt_to smtp.data, ok, server exit 0
2 queries
-- bad values
fail config_invalid: fail: option "dns" must be a bool or a list of checks from "mx", "spf", "dkim", "dmarc", "ptr", "mta_sts", "tls_rpt", "dane", "bimi"
fail config_invalid: fail: option "dns" must be a bool or a list of check names
fail config_invalid: fail: option "dns" must be a bool or a list of checks from "mx", "spf", "dkim", "dmarc", "ptr", "mta_sts", "tls_rpt", "dane", "bimi"
fail config_invalid: fail: option "dkim_selectors" must be a list of selectors or a comma-separated string
fail config_invalid: fail: option "dkim_selectors" must be a list of non-empty strings
fail config_invalid: fail: option "dkim_selectors" must be a list of at most 32 DKIM selectors (DNS labels such as "selector1" or "s2048.mail")
fail config_invalid: fail: option "dkim_selectors" must be a list of at most 32 DKIM selectors (DNS labels such as "selector1" or "s2048.mail")
fail config_invalid: fail: option "https_port" must be a port number (1 to 65535)
-- during the session: the greeting waits until the responder has answered _dmarc.example.test
ok, server exit 0, ok, ok
