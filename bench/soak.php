<?php
/*
 * Soak test of the SPEC's memory bars (a measurement, not a timed test):
 * memory after 100,000 sends on one Client does not grow, and 10,000
 * checks leave no file descriptor behind.
 *
 *   php -d extension=modules/smtpdiag.so bench/soak.php [--sends=100000] [--checks=10000]
 *
 * Starts smtp-sink (Postfix) on a free loopback port. Prints one line per
 * measurement and exits non-zero when memory grew or a descriptor leaked.
 */
declare(strict_types=1);

$opts = getopt('', ['sends::', 'checks::']);
$sends = (int)($opts['sends'] ?? 100000);
$checks = (int)($opts['checks'] ?? 10000);

$probe = stream_socket_server('tcp://127.0.0.1:0');
$port = (int)substr(strrchr(stream_socket_get_name($probe, false), ':'), 1);
fclose($probe);
$sink = proc_open(['/usr/sbin/smtp-sink', '-u', 'nobody', "127.0.0.1:$port", '256'], [], $pipes);
for ($i = 0; $i < 100 && !@stream_socket_client("tcp://127.0.0.1:$port", $e, $s, 0.1); $i++) {
    usleep(20000);
}

function fds(): int
{
    return count(scandir('/proc/self/fd')) - 2;
}

$message = "From: a@example.test\r\nTo: b@example.test\r\nSubject: soak\r\n\r\n" . str_repeat("line of the body\r\n", 60);
$c = new SmtpDiag\Client("smtp://127.0.0.1:$port", ['encryption' => 'none', 'ip_family' => 4]);
$batch = fn (int $n) => (function () use ($n, $message) {
    for ($i = 0; $i < $n; $i++) {
        yield ['from' => 'a@example.test', 'to' => 'b@example.test', 'message' => $message];
    }
})();

$fail = 0;
$c->sendMany($batch(1000));
for ($i = 0; $i < 200; $i++) {
    $c->send('a@example.test', 'b@example.test', $message);
}
gc_collect_cycles();
$before = memory_get_usage();
$rssBefore = (int)(preg_match('/VmRSS:\s+(\d+)/', file_get_contents('/proc/self/status'), $m) ? $m[1] : 0);
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
$rssAfter = (int)(preg_match('/VmRSS:\s+(\d+)/', file_get_contents('/proc/self/status'), $m) ? $m[1] : 0);
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
