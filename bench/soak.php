<?php
/*
 * Soak test of the SPEC's memory bars (a measurement, not a timed test).
 *
 *   php -d extension=modules/smtpdiag.so bench/soak.php [--mode=smtp|dns|all]
 *       [--sends=100000] [--checks=10000] [--dns-calls=2000] [--dns-deadline=50]
 *
 * --mode=smtp (the default): memory after 100,000 sends on one Client does
 * not grow, and 10,000 checks leave no file descriptor behind. Starts
 * smtp-sink (Postfix) on a free loopback port.
 *
 * --mode=dns: smtpdiag_dns() with every check (mx, spf evaluated for an
 * address, dkim, dmarc, ptr, mta_sts, tls_rpt, bimi) --dns-calls times
 * against the scripted DNS responder (tests/inc/dns.inc), each followed by
 * an smtpdiag_spf(); then --dns-deadline calls whose overall deadline comes
 * while look-ups are in flight (the resolver freed under pending jobs).
 * PHP memory (memory_get_usage) and open descriptors (/proc/self/fd) must
 * not grow over either loop.
 *
 * Prints one line per measurement and exits non-zero when memory grew or a
 * descriptor leaked.
 */
declare(strict_types=1);

$opts = getopt('', ['mode::', 'sends::', 'checks::', 'dns-calls::', 'dns-deadline::']);
$mode = (string)($opts['mode'] ?? 'smtp');
$sends = (int)($opts['sends'] ?? 100000);
$checks = (int)($opts['checks'] ?? 10000);
$dnsCalls = (int)($opts['dns-calls'] ?? 2000);
$dnsDeadline = (int)($opts['dns-deadline'] ?? 50);
if (!in_array($mode, ['smtp', 'dns', 'all'], true)) {
    fwrite(STDERR, "--mode must be smtp, dns or all\n");
    exit(2);
}

function fds(): int
{
    return count(scandir('/proc/self/fd')) - 2;
}

function rss(): int
{
    return (int)(preg_match('/VmRSS:\s+(\d+)/', (string)file_get_contents('/proc/self/status'), $m) ? $m[1] : 0);
}

$fail = 0;
if ($mode === 'dns' || $mode === 'all') {
    $fail |= soak_dns($dnsCalls, $dnsDeadline);
}
if ($mode === 'dns') {
    exit($fail);
}

$probe = stream_socket_server('tcp://127.0.0.1:0');
$port = (int)substr(strrchr(stream_socket_get_name($probe, false), ':'), 1);
fclose($probe);
$sink = proc_open(['/usr/sbin/smtp-sink', '-u', 'nobody', "127.0.0.1:$port", '256'], [], $pipes);
for ($i = 0; $i < 100 && !@stream_socket_client("tcp://127.0.0.1:$port", $e, $s, 0.1); $i++) {
    usleep(20000);
}

$message = "From: a@example.test\r\nTo: b@example.test\r\nSubject: soak\r\n\r\n" . str_repeat("line of the body\r\n", 60);
$c = new SmtpDiag\Client("smtp://127.0.0.1:$port", ['encryption' => 'none', 'ip_family' => 4]);
$batch = fn (int $n) => (function () use ($n, $message) {
    for ($i = 0; $i < $n; $i++) {
        yield ['from' => 'a@example.test', 'to' => 'b@example.test', 'message' => $message];
    }
})();

$c->sendMany($batch(1000));
for ($i = 0; $i < 200; $i++) {
    $c->send('a@example.test', 'b@example.test', $message);
}
gc_collect_cycles();
$before = memory_get_usage();
$rssBefore = rss();
$t = microtime(true);
for ($done = 0; $done < $sends; $done += 1000) {
    foreach ($c->sendMany($batch(min(1000, $sends - $done))) as $r) {
        if (!$r instanceof SmtpDiag\SendResult) {
            echo "send failed: ", $r->getMessage(), "\n";
            $fail = 1;
        }
    }
}
for ($i = 0; $i < 1000; $i++) {
    $c->send('a@example.test', 'b@example.test', $message);
}
gc_collect_cycles();
$after = memory_get_usage();
$rssAfter = rss();
printf("%d sends in %.1f s: PHP memory %d -> %d bytes, RSS %d -> %d KiB\n", $sends + 1000, microtime(true) - $t, $before, $after, $rssBefore, $rssAfter);
if ($after > $before + 64 * 1024 || $rssAfter > $rssBefore + 4096) {
    echo "memory grew\n";
    $fail = 1;
}
$c->quit();

smtpdiag_check("smtp://127.0.0.1:$port", ['encryption' => 'none', 'ip_family' => 4]);
$fdBefore = fds();
$t = microtime(true);
for ($i = 0; $i < $checks; $i++) {
    $r = smtpdiag_check("smtp://127.0.0.1:$port", ['encryption' => 'none', 'ip_family' => 4]);
    if (!$r['ok']) {
        echo "check failed: ", $r['error']['message'] ?? '?', "\n";
        $fail = 1;
        break;
    }
}
$fdAfter = fds();
printf("%d checks in %.1f s: open descriptors %d -> %d\n", $checks, microtime(true) - $t, $fdBefore, $fdAfter);
if ($fdAfter !== $fdBefore) {
    echo "a descriptor leaked\n";
    $fail = 1;
}
proc_terminate($sink);
exit($fail);

/** The DNS soak (--mode=dns); returns 1 when memory grew or a descriptor leaked. */
function soak_dns(int $calls, int $deadlineCalls): int
{
    require_once __DIR__ . '/../tests/dns/dns.inc';
    $key = dns_rsa_key(2048);
    $zone = [
        'soak.test' => ['MX' => [[10, 'mx.soak.test']], 'TXT' => ['v=spf1 mx include:_spf.soak.test -all']],
        '_spf.soak.test' => ['TXT' => ['v=spf1 ip4:192.0.2.0/24 ~all']],
        'mx.soak.test' => ['A' => ['127.0.0.1'], 'AAAA' => ['::1']],
        '1.0.0.127.in-addr.arpa' => ['PTR' => ['mx.soak.test']],
        's1._domainkey.soak.test' => ['TXT' => ["v=DKIM1; k=rsa; p=$key"]],
        '_dmarc.soak.test' => ['TXT' => ['v=DMARC1; p=reject; rua=mailto:d@soak.test']],
        '_smtp._tls.soak.test' => ['TXT' => ['v=TLSRPTv1; rua=mailto:tls@soak.test']],
    ];
    // the deadline loop: a chain of includes answered after 100 ms each
    $slow = $zone;
    $slow['soak.test']['TXT'] = ['v=spf1 include:i1.soak.test -all'];
    for ($i = 1; $i <= 9; $i++) {
        $slow["i$i.soak.test"] = ['TXT' => [$i < 9 ? 'v=spf1 include:i' . ($i + 1) . '.soak.test -all' : 'v=spf1 -all']];
    }
    $fast = DnsTestServer::start($zone, 0.0, 3600.0);
    $late = DnsTestServer::start($slow, 100.0, 3600.0);
    $opts = ['dkim_selectors' => 's1', 'ip' => '127.0.0.1', 'dns_servers' => $fast->servers(), 'timeout' => 5];
    $one = static function () use ($opts): bool {
        $r = smtpdiag_dns('soak.test', $opts);
        $s = smtpdiag_spf('127.0.0.1', 'soak.test', '', '', ['dns_servers' => $opts['dns_servers'], 'timeout' => 5]);
        if ($r['status'] === 'ok' && $s['result'] === 'pass') {
            return true;
        }
        foreach ($r['steps'] as $st) {
            echo "  {$st['id']} {$st['status']}: {$st['message']}\n";
        }
        echo "  smtpdiag_spf: {$s['result']}\n";
        return false;
    };
    $cut = static function () use ($late): bool {
        $r = smtpdiag_dns('soak.test', ['ip' => '127.0.0.1', 'dns_servers' => $late->servers(), 'timeout' => 0.3]);
        foreach ($r['steps'] as $s) {
            if ($s['id'] === 'dns.spf') {
                return $s['message'] === 'not finished before the deadline';
            }
        }
        return false;
    };
    $fail = 0;
    foreach ([[$one, $calls, 'smtpdiag_dns() + smtpdiag_spf() calls'], [$cut, $deadlineCalls, 'smtpdiag_dns() calls cut off by the deadline']] as [$fn, $n, $what]) {
        for ($i = 0; $i < 20; $i++) {
            $fn();
        }
        gc_collect_cycles();
        $before = memory_get_usage();
        $rssBefore = rss();
        $fdBefore = fds();
        $t = microtime(true);
        $mid = 0;
        for ($i = 0; $i < $n; $i++) {
            if ($i === intdiv($n, 2)) {
                gc_collect_cycles();
                $mid = memory_get_usage();
            }
            if (!$fn()) {
                echo "call $i did not give the expected report\n";
                $fail = 1;
                break;
            }
        }
        gc_collect_cycles();
        $after = memory_get_usage();
        $rssAfter = rss();
        $fdAfter = fds();
        printf("%d %s in %.1f s: PHP memory %d -> %d (half-way) -> %d bytes, RSS %d -> %d KiB, open descriptors %d -> %d\n",
            $n, $what, microtime(true) - $t, $before, $mid, $after, $rssBefore, $rssAfter, $fdBefore, $fdAfter);
        // the measuring itself may take a few bytes once (its own variables):
        // a leak grows with the calls, so the second half must add nothing
        // the core allocates with malloc: its leaks show in RSS, not in PHP's count
        if ($after > $mid || $after > $before + 1024 || $rssAfter > $rssBefore + 1024) {
            echo "memory grew\n";
            $fail = 1;
        }
        if ($fdAfter !== $fdBefore) {
            echo "a descriptor leaked\n";
            $fail = 1;
        }
    }
    $fast->stop();
    $late->stop();
    return $fail;
}
