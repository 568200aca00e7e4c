--TEST--
dns.ptr over real sockets: smtpdiag_check() (the session's server and client addresses and the HELO name) and smtpdiag_dns() (the MX hosts' addresses)
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/dns.inc';
require_once __DIR__ . '/../inc/server.inc';

/** A plain SMTP session (no STARTTLS: the report warns) greeting as $banner; the sender is accepted, RSET, QUIT. */
function smtp(string $banner, string $host = '127.0.0.1', string $helo = 'EHLO '): SmtpTestServer
{
    return SmtpTestServer::start([
        ['send', "220 $banner ESMTP\r\n"],
        ['expect', $helo],
        ['send', "250 $banner\r\n"],
        ['expect', 'MAIL FROM:<app@example.test>'],
        ['send', "250 2.1.0 ok\r\n"],
        ['expect', 'RSET'],
        ['send', "250 2.0.0 ok\r\n"],
        ['expect', 'QUIT'],
        ['send', "221 bye\r\n"],
    ], ['host' => $host]);
}

function session(string $title, array $zone, SmtpTestServer $srv, array $options = []): array
{
    $dns = DnsTestServer::start($zone);
    $r = smtpdiag_check("smtp://{$srv->host}:{$srv->port}", $options + ['from' => 'app@example.test', 'dns' => ['ptr'], 'ports' => false,
        'dns_servers' => $dns->servers(), 'timeout' => 5]);
    echo "== $title: {$r['status']}, server exit {$srv->exitCode()}\n";
    $s = dns_step($r, 'dns.ptr');
    echo "{$s['id']} {$s['status']}: {$s['message']}\n", $s['hint'] !== null ? "  hint: {$s['hint']}\n" : '';
    foreach ($s['data']['addresses'] as $a) {
        echo '  ', json_encode($a, JSON_UNESCAPED_SLASHES), "\n";
    }
    return $r;
}

echo "-- smtpdiag_check(): session mode\n";
$r = session('forward-confirmed', [
    '1.0.0.127.in-addr.arpa' => ['PTR' => ['mail.example.test']],
    'mail.example.test' => ['A' => ['127.0.0.1']],
], smtp('mail.example.test'));
echo implode(' ', array_column($r['steps'], 'id')), "\n";

session('PTR to a name that resolves elsewhere', [
    '1.0.0.127.in-addr.arpa' => ['PTR' => ['mail.example.test']],
    'mail.example.test' => ['A' => ['192.0.2.9']],
], smtp('mail.example.test'));

session('no PTR for a private address', [], smtp('mail.example.test'));

// The server on 127.0.0.2, so that the client's own address (127.0.0.1) is checked too.
$two = [
    '2.0.0.127.in-addr.arpa' => ['PTR' => ['mail.example.test']],
    'mail.example.test' => ['A' => ['127.0.0.2']],
    '1.0.0.127.in-addr.arpa' => ['PTR' => ['app.example.test', 'old.example.test']],
    'app.example.test' => ['A' => ['127.0.0.1']],
    'old.example.test' => ['A' => ['192.0.2.1']],
];
session('client and server, HELO is the forward-confirmed name', $two, smtp('mail.example.test', '127.0.0.2', 'EHLO app.example.test'),
    ['helo' => 'app.example.test']);
session('HELO is a PTR name that does not resolve back', $two, smtp('mail.example.test', '127.0.0.2', 'EHLO old.example.test'),
    ['helo' => 'old.example.test']);

echo "-- smtpdiag_dns(): the MX hosts\n";
$zone = [
    'ok.test' => ['MX' => [[10, 'mx.ok.test']]],
    'mx.ok.test' => ['A' => ['192.0.2.25'], 'AAAA' => ['2001:db8::25']],
    '25.2.0.192.in-addr.arpa' => ['PTR' => ['mx.ok.test']],
    '5.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa' => ['PTR' => ['mx.ok.test']],
    'noptr.test' => ['MX' => [[10, 'mx.noptr.test']]],
    'mx.noptr.test' => ['A' => ['192.0.2.26']],
    'liar.test' => ['MX' => [[10, 'mx.liar.test']]],
    'mx.liar.test' => ['A' => ['192.0.2.27']],
    '27.2.0.192.in-addr.arpa' => ['PTR' => ['host.hosting.test']],
    'host.hosting.test' => ['A' => ['198.51.100.1']],
    'nomx.test' => ['A' => ['192.0.2.28']],
];
foreach (['ok.test', 'noptr.test', 'liar.test', 'nomx.test'] as $domain) {
    $r = dns_run($zone, $domain, ['ptr']);
    echo "== $domain: {$r['status']}\n";
    dns_print_steps($r);
    foreach (dns_step($r, 'dns.ptr')['data']['addresses'] ?? [] as $a) {
        echo '  ', json_encode($a, JSON_UNESCAPED_SLASHES), "\n";
    }
}
?>
--EXPECT--
-- smtpdiag_check(): session mode
== forward-confirmed: warn, server exit 0
dns.ptr ok: 1 of 1 address with forward-confirmed reverse DNS
  {"role":"server","address":"127.0.0.1","private":true,"dns_status":"ok","names":[{"name":"mail.example.test","forward_confirmed":true}],"fcrdns":"mail.example.test","status":"ok"}
config dns.host tcp.connect smtp.banner smtp.ehlo tls tls.certificate smtp.auth smtp.mail_from smtp.rcpt_to smtp.data dns.ptr
== PTR to a name that resolves elsewhere: warn, server exit 0
dns.ptr warn: server address 127.0.0.1 has a PTR (mail.example.test) that does not resolve back to it: reverse DNS is not forward-confirmed
  hint: Give mail.example.test an A/AAAA record for 127.0.0.1, or change the PTR to a name that has one.
  {"role":"server","address":"127.0.0.1","private":true,"dns_status":"ok","names":[{"name":"mail.example.test","forward_confirmed":false}],"fcrdns":null,"status":"warn"}
== no PTR for a private address: warn, server exit 0
dns.ptr ok: 0 of 1 address with forward-confirmed reverse DNS (the others are private)
  {"role":"server","address":"127.0.0.1","private":true,"dns_status":"nxdomain","names":[],"fcrdns":null,"status":"ok"}
== client and server, HELO is the forward-confirmed name: warn, server exit 0
dns.ptr ok: 2 of 2 addresses with forward-confirmed reverse DNS
  {"role":"server","address":"127.0.0.2","private":true,"dns_status":"ok","names":[{"name":"mail.example.test","forward_confirmed":true}],"fcrdns":"mail.example.test","status":"ok"}
  {"role":"local","address":"127.0.0.1","private":true,"dns_status":"ok","names":[{"name":"app.example.test","forward_confirmed":true},{"name":"old.example.test","forward_confirmed":false}],"fcrdns":"app.example.test","helo":"app.example.test","helo_matches":true,"status":"ok"}
== HELO is a PTR name that does not resolve back: warn, server exit 0
dns.ptr warn: the HELO name old.example.test does not match the reverse DNS of 127.0.0.1 (app.example.test)
  hint: Set the client's helo option (EHLO name) to app.example.test, the forward-confirmed name of its address.
  {"role":"server","address":"127.0.0.2","private":true,"dns_status":"ok","names":[{"name":"mail.example.test","forward_confirmed":true}],"fcrdns":"mail.example.test","status":"ok"}
  {"role":"local","address":"127.0.0.1","private":true,"dns_status":"ok","names":[{"name":"app.example.test","forward_confirmed":true},{"name":"old.example.test","forward_confirmed":false}],"fcrdns":"app.example.test","helo":"old.example.test","helo_matches":false,"status":"warn"}
-- smtpdiag_dns(): the MX hosts
== ok.test: ok
dns.ptr ok: 2 of 2 addresses with forward-confirmed reverse DNS
  {"role":"mx mx.ok.test","address":"192.0.2.25","private":false,"dns_status":"ok","names":[{"name":"mx.ok.test","forward_confirmed":true}],"fcrdns":"mx.ok.test","host":"mx.ok.test","host_matches":true,"status":"ok"}
  {"role":"mx mx.ok.test","address":"2001:db8::25","private":false,"dns_status":"ok","names":[{"name":"mx.ok.test","forward_confirmed":true}],"fcrdns":"mx.ok.test","host":"mx.ok.test","host_matches":true,"status":"ok"}
== noptr.test: warn
dns.ptr warn: mx mx.noptr.test address 192.0.2.26 has no reverse DNS (PTR) record
  hint: Ask whoever owns 192.0.2.26 (the hosting or ISP) to set its PTR to the host's name, and give that name an A/AAAA record back to 192.0.2.26: receivers score or reject mail from addresses without forward-confirmed reverse DNS.
  {"role":"mx mx.noptr.test","address":"192.0.2.26","private":false,"dns_status":"nxdomain","names":[],"fcrdns":null,"host":"mx.noptr.test","host_matches":false,"status":"warn"}
== liar.test: warn
dns.ptr warn: mx mx.liar.test address 192.0.2.27 has a PTR (host.hosting.test) that does not resolve back to it: reverse DNS is not forward-confirmed
  hint: Give host.hosting.test an A/AAAA record for 192.0.2.27, or change the PTR to a name that has one.
  {"role":"mx mx.liar.test","address":"192.0.2.27","private":false,"dns_status":"ok","names":[{"name":"host.hosting.test","forward_confirmed":false}],"fcrdns":null,"host":"mx.liar.test","host_matches":false,"status":"warn"}
== nomx.test: ok
dns.ptr skip: not run: nomx.test has no MX host to check
