<?php
/*
 * The DNS paths of the extension once each, for scripts/valgrind.sh:
 * smtpdiag_dns() with every check against the scripted DNS responder
 * (answers, faults, timeouts), the overall deadline reached with queries,
 * an SPF evaluation and an MTA-STS HTTPS fetch still in flight (the
 * resolver is then freed under the pending jobs), smtpdiag_spf() to the
 * end and cut off, and smtpdiag_check() with the DNS checks beside a
 * scripted SMTP session. Each scenario also asserts the outcome, so a path
 * that silently stopped running shows as a failure.
 * Prints one line per scenario and "N passed, N failed" at the end.
 */
declare(strict_types=1);
require __DIR__ . '/../inc/server.inc';
require __DIR__ . '/../dns/dns.inc';

require __DIR__ . '/scenario.inc';

/** id => status of a report's steps. */
function statuses(array $r): array
{
    $out = [];
    foreach ($r['steps'] as $s) {
        $out[$s['id']] = $s['status'];
    }
    return $out;
}

/** Print the steps when a scenario's expectation fails. */
function expect(array $r, array $want): bool
{
    $got = array_intersect_key(statuses($r), $want);
    if ($got == $want) {
        return true;
    }
    foreach ($r['steps'] as $s) {
        echo "  {$s['id']} {$s['status']}: {$s['message']}\n";
    }
    return false;
}

/**
 * A self-signed certificate for $host (the MTA-STS fetch always verifies the
 * name): the PEM of certificate and key, which is also its own CA file.
 */
function hostCert(string $host): string
{
    static $made = [];
    if (isset($made[$host])) {
        return $made[$host];
    }
    $dir = sys_get_temp_dir() . '/smtpdiag-vg-' . getmypid() . '-' . bin2hex(random_bytes(4));
    mkdir($dir, 0700);
    exec('openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=' . escapeshellarg($host)
        . ' -addext subjectAltName=DNS:' . escapeshellarg($host) . " -keyout $dir/key.pem -out $dir/cert.pem 2>/dev/null", $out, $rc);
    if ($rc !== 0) {
        throw new RuntimeException('openssl req failed');
    }
    file_put_contents("$dir/both.pem", file_get_contents("$dir/cert.pem") . file_get_contents("$dir/key.pem"));
    register_shutdown_function(static function () use ($dir): void {
        array_map('unlink', glob("$dir/*.pem"));
        rmdir($dir);
    });
    return $made[$host] = "$dir/both.pem";
}

/** An MTA-STS policy server for $domain: implicit TLS, one GET, then $after. */
function policyServer(string $domain, array $after): SmtpTestServer
{
    return SmtpTestServer::start(array_merge([['expect', 'GET /.well-known/mta-sts.txt']], $after), ['tls' => 'implicit', 'cert' => hostCert("mta-sts.$domain")]);
}

$key = dns_rsa_key(2048);
$tlsa = hash('sha256', 'not the certificate');
/** A zone in which every check finds something to parse. */
function fullZone(string $d, string $key, string $tlsa): array
{
    return [
        $d => ['MX' => [[10, "mx.$d"], [20, "mx2.$d"]], 'TXT' => ["v=spf1 a mx include:_spf.$d exists:%{i}.x.$d ptr ?all", 'some other text']],
        "mx.$d" => ['A' => ['127.0.0.1'], 'AAAA' => ['::1']],
        "mx2.$d" => ['CNAME' => ["mx.$d"]],
        "_spf.$d" => ['TXT' => ['v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 ~all']],
        '1.0.0.127.x.' . $d => ['A' => ['127.0.0.2']],
        '1.0.0.127.in-addr.arpa' => ['PTR' => ["mx.$d", "other.$d"]],
        "s1._domainkey.$d" => ['TXT' => ["v=DKIM1; k=rsa; p=$key"]],
        "s2._domainkey.$d" => ['TXT' => ['v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=']],
        "_dmarc.$d" => ['TXT' => ["v=DMARC1; p=quarantine; sp=none; pct=50; rua=mailto:d@$d,mailto:x@elsewhere.test; ruf=mailto:f@$d; fo=1; adkim=s"]],
        "_mta-sts.$d" => ['TXT' => ['v=STSv1; id=20260101']],
        "mta-sts.$d" => ['A' => ['127.0.0.1']],
        "_smtp._tls.$d" => ['TXT' => ["v=TLSRPTv1; rua=mailto:tls@$d,https://report.$d/tls"]],
        "default._bimi.$d" => ['TXT' => ["v=BIMI1; l=https://bimi.$d/logo.svg; a="]],
        "_25._tcp.mx.$d" => ['TLSA' => [[3, 1, 1, $tlsa]], 'AD' => true],
    ];
}

/** fullZone() with an SPF record whose 9 nested includes take longer than a deadline when answers are slow. */
function chainZone(string $d, string $key, string $tlsa): array
{
    $zone = fullZone($d, $key, $tlsa);
    $zone[$d]['TXT'] = ["v=spf1 include:i1.$d -all"];
    for ($i = 1; $i < 9; $i++) {
        $zone["i$i.$d"] = ['TXT' => ['v=spf1 include:i' . ($i + 1) . ".$d -all"]];
    }
    $zone["i9.$d"] = ['TXT' => ['v=spf1 ip4:127.0.0.1 -all']];
    return $zone;
}

scenario('smtpdiag_dns: every check with answers to parse, the MTA-STS policy fetched over HTTPS', function () use ($key, $tlsa) {
    $policy = "version: STSv1\r\nmode: enforce\r\nmx: mx.full.test\r\nmx: *.full.test\r\nmax_age: 86400\r\n";
    $https = policyServer('full.test', [['send', "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " . strlen($policy) . "\r\nConnection: close\r\n\r\n$policy"], ['close']]);
    $dns = DnsTestServer::start(fullZone('full.test', $key, $tlsa));
    $r = smtpdiag_dns('full.test', ['dns' => true, 'dkim_selectors' => 's1, s2, missing', 'ip' => '127.0.0.1', 'helo' => 'mx.full.test',
        'sender' => 'a@full.test', 'dns_servers' => $dns->servers(), 'timeout' => 8, 'https_port' => $https->port,
        'cafile' => hostCert('mta-sts.full.test')]);
    $r2 = smtpdiag_dns('full.test', ['dns' => ['mx', 'dane', 'ptr'], 'dns_servers' => $dns->servers(), 'timeout' => 8]);
    $text = smtpdiag_format($r);
    return expect($r, ['dns.mx' => 'warn', 'dns.mta_sts' => 'ok', 'dns.tls_rpt' => 'ok']) && json_encode($r) !== false
        && str_contains($text, 'dns.bimi') && count($r2['steps']) === 3;
});

scenario('smtpdiag_dns: SERVFAIL, REFUSED, malformed, truncated, NXDOMAIN, wrong id, timeouts', function () use ($key, $tlsa) {
    $zone = [];
    $faults = ['servfail', 'refused', 'malformed', 'truncate_always', 'formerr', 'wrong_id', 'timeout'];
    foreach ($faults as $f) {
        foreach (fullZone("$f.test", $key, $tlsa) as $name => $rr) {
            $zone[$name] = $rr + ['fault' => $f];
        }
    }
    // partly broken: the domain answers, what it points at does not
    $zone += fullZone('mixed.test', $key, $tlsa);
    $zone['mx.mixed.test'] = 'TIMEOUT';
    $zone['_spf.mixed.test'] = ['fault' => 'servfail'];
    $zone['s1._domainkey.mixed.test'] = ['fault' => 'malformed'];
    $zone['_dmarc.mixed.test'] = ['fault' => ['TXT' => 'truncate']] + $zone['_dmarc.mixed.test'];
    $zone['mta-sts.mixed.test'] = ['fault' => 'nxdomain'];
    $dns = DnsTestServer::start($zone, 0.0, 60.0);
    $ok = true;
    foreach (array_merge($faults, ['mixed', 'absent']) as $f) {
        $r = smtpdiag_dns("$f.test", ['dns' => true, 'dkim_selectors' => ['s1', 's2'], 'ip' => '192.0.2.7', 'dns_servers' => $dns->servers(), 'timeout' => 1.2]);
        $ok = $ok && count($r['steps']) === 8 && json_encode($r) !== false && smtpdiag_format($r) !== '';
    }
    $r = smtpdiag_dns('absent.test', ['dns' => true, 'dns_servers' => $dns->servers(), 'timeout' => 2]);
    return $ok && expect($r, ['dns.mx' => 'fail', 'dns.spf' => 'fail']);
});

scenario('smtpdiag_dns: the deadline with look-ups, the SPF evaluation and dns.ptr still in flight', function () use ($key, $tlsa) {
    // a chain of ten includes answered after 300 ms each, inside c-ares's
    // 500 ms per try (a quarter of the budget) but 3 s in all: longer than
    // the 2 s deadline
    $dns = DnsTestServer::start(chainZone('slow.test', $key, $tlsa), 300.0);
    $r = smtpdiag_dns('slow.test', ['dns' => true, 'ip' => '127.0.0.1', 'dkim_selectors' => 's1', 'dns_servers' => $dns->servers(), 'timeout' => 2.0]);
    $spf = array_values(array_filter($r['steps'], fn ($s) => $s['id'] === 'dns.spf'))[0];
    // and the same with every answer held back for longer than the deadline
    $dns2 = DnsTestServer::start(fullZone('slow.test', $key, $tlsa), 2000.0);
    $r2 = smtpdiag_dns('slow.test', ['dns' => true, 'dns_servers' => $dns2->servers(), 'timeout' => 0.5]);
    // every look-up timed out: each check warns (or skips), none is left running
    return $spf['message'] === 'not finished before the deadline' && !$r['ok'] && count($r2['steps']) === 8 && $r2['status'] === 'warn';
});

scenario('smtpdiag_dns: the MTA-STS fetch cut off at the deadline (TLS handshake never answered; body half sent)', function () use ($key, $tlsa) {
    // answers held 250 ms (c-ares waits 625 ms, a quarter of the budget,
    // before it asks again): the fetch starts after two of them, so its own
    // timeout (the whole budget, from then on) comes after the deadline and
    // the fetch is cancelled in the middle
    $dns = DnsTestServer::start(fullZone('sts.test', $key, $tlsa), 250.0);
    // a listener that never accepts: connect succeeds, the ClientHello is never answered
    $silent = stream_socket_server('tcp://127.0.0.1:0');
    $port = (int)substr((string)stream_socket_get_name($silent, false), strrpos((string)stream_socket_get_name($silent, false), ':') + 1);
    $r1 = smtpdiag_dns('sts.test', ['dns' => ['mta_sts', 'mx'], 'dns_servers' => $dns->servers(), 'timeout' => 2.5, 'https_port' => $port]);
    fclose($silent);
    $https = policyServer('sts.test', [['send', "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 4000\r\n\r\nversion: STSv1\r\nmode: enf"], ['sleep', 4000]]);
    $r2 = smtpdiag_dns('sts.test', ['dns' => ['mta_sts'], 'dns_servers' => $dns->servers(), 'timeout' => 2.5, 'https_port' => $https->port,
        'cafile' => hostCert('mta-sts.sts.test')]);
    $https->stop();
    // the port refused, and a certificate that does not verify
    $cut = static fn (array $r): bool => array_values(array_filter($r['steps'], fn ($s) => $s['id'] === 'dns.mta_sts'))[0]['message'] === 'not finished before the deadline';
    $dns = DnsTestServer::start(fullZone('sts.test', $key, $tlsa));
    $r3 = smtpdiag_dns('sts.test', ['dns' => ['mta_sts'], 'dns_servers' => $dns->servers(), 'timeout' => 3, 'https_port' => SmtpTestServer::refusedPort()]);
    $https = policyServer('other.test', []);
    $r4 = smtpdiag_dns('sts.test', ['dns' => ['mta_sts'], 'dns_servers' => $dns->servers(), 'timeout' => 3, 'https_port' => $https->port]);
    $https->stop();
    if (!$cut($r1) || !$cut($r2)) {
        expect($r1, ['-' => '-']);
        expect($r2, ['-' => '-']);
        return false;
    }
    return in_array(statuses($r3)['dns.mta_sts'], ['fail', 'warn'], true) && in_array(statuses($r4)['dns.mta_sts'], ['fail', 'warn'], true);
});

scenario('smtpdiag_spf: pass through includes and macros, permerror, void look-ups, cut off mid-flight', function () use ($key, $tlsa) {
    $zone = fullZone('spf.test', $key, $tlsa);
    $zone['loop.test'] = ['TXT' => ['v=spf1 include:loop.test -all']];
    $zone['void.test'] = ['TXT' => ['v=spf1 a:n1.void.test a:n2.void.test a:n3.void.test mx:n4.void.test -all']];
    $zone['exp.test'] = ['TXT' => ['v=spf1 -all exp=e.exp.test']];
    $zone['e.exp.test'] = ['TXT' => ['%{i} is not one of %{d}\'s hosts; ask %{l}']];
    $zone['redir.test'] = ['TXT' => ['v=spf1 redirect=spf.test']];
    $dns = DnsTestServer::start($zone, 0.0, 60.0);
    $o = ['dns_servers' => $dns->servers(), 'timeout' => 5];
    $a = smtpdiag_spf('127.0.0.1', 'spf.test', 'user@spf.test', 'mx.spf.test', $o + ['receiver' => 'rx.example']);
    $b = smtpdiag_spf('192.0.2.9', 'loop.test', '', '', $o);
    $c = smtpdiag_spf('192.0.2.9', 'void.test', '', '', $o);
    $d = smtpdiag_spf('2001:db8::9', 'exp.test', 'bob@exp.test', '', $o);
    $e = smtpdiag_spf('198.51.100.1', 'redir.test', '', '', $o);
    $slowZone = ['s.test' => ['TXT' => ['v=spf1 include:a.s.test -all']], 'a.s.test' => ['TXT' => ['v=spf1 include:b.s.test -all']],
        'b.s.test' => ['TXT' => ['v=spf1 include:c.s.test -all']], 'c.s.test' => ['TXT' => ['v=spf1 a -all']]];
    $slow = DnsTestServer::start($slowZone, 300.0);
    $f = smtpdiag_spf('192.0.2.9', 's.test', '', '', ['dns_servers' => $slow->servers(), 'timeout' => 0.5]);
    $tmo = DnsTestServer::start(['t.test' => 'TIMEOUT']);
    $g = smtpdiag_spf('192.0.2.9', 't.test', '', '', ['dns_servers' => $tmo->servers(), 'timeout' => 0.8]);
    $ok = $a['result'] === 'pass' && $b['result'] === 'permerror' && $d['result'] === 'fail' && $e['result'] === 'neutral'
        && $f['result'] === 'temperror' && $f['problem'] === 'the evaluation did not finish before the timeout' && $g['result'] === 'temperror';
    if (!$ok) {
        foreach (compact('a', 'b', 'c', 'd', 'e', 'f', 'g') as $k => $v) {
            echo "  $k: {$v['result']} ", $v['problem'] ?? '', "\n";
        }
    }
    // a bad option after a good one: what was set is freed with the ValueError
    foreach ([['dns_servers' => '127.0.0.1:53', 'cafile' => '/x', 'bogus' => 1], ['dns_servers' => '127.0.0.1:53', 'timeout' => []]] as $bad) {
        try {
            smtpdiag_spf('192.0.2.9', 'spf.test', '', '', $bad);
            $ok = false;
        } catch (ValueError|TypeError) {
        }
        try {
            smtpdiag_dns('spf.test', $bad);
            $ok = false;
        } catch (ValueError|TypeError) {
        }
    }
    return $ok && isset($c['void_lookups']);
});

scenario('smtpdiag_check with the DNS checks beside the session (and with DNS slower than the deadline)', function () use ($key, $tlsa) {
    $session = [
        ['send', "220 mx.chk.test ESMTP\r\n"], ['expect', 'EHLO'], ['send', "250-mx.chk.test\r\n250 PIPELINING\r\n"],
        ['expect', 'MAIL FROM'], ['send', "250 ok\r\n"], ['expect', 'RCPT TO'], ['send', "250 ok\r\n"],
        ['expect', 'RSET'], ['send', "250 ok\r\n"], ['expect', 'QUIT'], ['send', "221 bye\r\n"],
    ];
    $dns = DnsTestServer::start(fullZone('chk.test', $key, $tlsa));
    $srv = SmtpTestServer::start($session);
    $r = smtpdiag_check('smtp://127.0.0.1:' . $srv->port, ['from' => 'a@chk.test', 'to' => 'b@chk.test', 'encryption' => 'none',
        'dns' => true, 'dkim_selectors' => ['s1'], 'dns_servers' => $dns->servers(), 'timeout' => 8, 'https_port' => SmtpTestServer::refusedPort()]);
    $srv->stop();
    $slow = DnsTestServer::start(chainZone('chk.test', $key, $tlsa), 250.0);
    $srv = SmtpTestServer::start($session);
    $r2 = smtpdiag_check('smtp://127.0.0.1:' . $srv->port, ['from' => 'a@chk.test', 'to' => 'b@chk.test', 'encryption' => 'none',
        'dns' => true, 'dns_servers' => $slow->servers(), 'timeout' => 1.5]);
    $srv->stop();
    return expect($r, ['smtp.rcpt_to' => 'ok', 'dns.mx' => 'warn', 'dns.ptr' => 'ok', 'dns.dane' => 'skip'])
        && expect($r2, ['dns.spf' => 'fail', 'smtp.rcpt_to' => 'ok'])
        && array_values(array_filter($r2['steps'], fn ($s) => $s['id'] === 'dns.spf'))[0]['message'] === 'not finished before the deadline';
});

echo "\n$passed passed, $failed failed\n";
exit($failed ? 1 : 0);
