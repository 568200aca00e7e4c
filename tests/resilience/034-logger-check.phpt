--TEST--
logger with smtpdiag_check(): the report's transcript at debug (in order, with direction, tls and t_ms), then one summary event: info "check passed" (STARTTLS, AUTH), warning "check passed with warnings" (no encryption), error "check failed" with the report's error in the context (554 greeting)
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/resilience.inc';

function show(array $report, SdiagRecordingLogger $log, int $port): void
{
    echo "status {$report['status']}\n";
    $events = $log->events;
    $summary = array_pop($events);
    $problems = [];
    if (count($events) !== count($report['transcript'])) {
        $problems[] = count($events) . ' debug events for ' . count($report['transcript']) . ' transcript entries';
    }
    foreach ($report['transcript'] as $i => $entry) {
        [$level, $message, $ctx] = $events[$i] ?? [null, '', []];
        if ($level !== 'debug' || !str_ends_with($message, ' ' . $entry['text'])
            || $ctx !== ['direction' => $entry['dir'], 'tls' => $entry['tls'], 't_ms' => $ctx['t_ms'] ?? null]
            || !is_float($ctx['t_ms']) || abs($ctx['t_ms'] - $entry['t']) > 0.0011) {
            $problems[] = "event $i: " . json_encode($events[$i] ?? null) . ' for ' . json_encode($entry);
        }
    }
    echo 'debug events: ', $problems ? implode("\n  ", $problems) : 'the transcript, in order', "\n";
    [$level, $message, $ctx] = $summary;
    echo "summary: $level $message\n";
    echo '  keys: ', implode(',', array_keys($ctx)), "\n";
    echo "  status {$ctx['status']}, host {$ctx['host']}, port ", var_export($ctx['port'] === $port, true), "\n";
    if ($report['error'] !== null) {
        $err = array_intersect_key($ctx, $report['error']);
        echo '  the error of the report: ', var_export($err == $report['error'] && count($err) === count($report['error']), true), "\n";
    }
}

echo "=== ok: STARTTLS and AUTH\n";
$srv = SmtpTestServer::start([
    ['send', "220 mx.test ESMTP ready\r\n"], ['expect', 'EHLO '],
    ['send', "250-mx.test greets you\r\n250 STARTTLS\r\n"], ['expect', "STARTTLS\r\n"], ['send', "220 2.0.0 Ready to start TLS\r\n"], ['starttls'],
    ['expect', 'EHLO '], ['send', "250-mx.test greets you again\r\n250 AUTH PLAIN LOGIN\r\n"],
    ['expect', 'AUTH PLAIN '], ['send', "235 2.7.0 Authentication successful\r\n"],
    ['expect', "QUIT\r\n"], ['send', "221 2.0.0 Bye\r\n"],
], ['cert' => 'valid', 'timeout' => 5]);
$log = new SdiagRecordingLogger();
$report = smtpdiag_check($srv->dsn('smtp', 'user:pass'), ['encryption' => 'starttls', 'cafile' => $srv->cafile, 'timeout' => 5, 'logger' => $log]);
show($report, $log, $srv->port);
echo 'some lines inside TLS: ', var_export(count(array_filter($log->events, static fn ($e) => ($e[2]['tls'] ?? false) === true)) > 0, true), "\n";
echo 'server exit ', $srv->exitCode(), "\n", $srv->stderr();

echo "=== warn: no encryption\n";
$srv = SmtpTestServer::start(array_merge(sdiag_session_start('PIPELINING'), sdiag_quit_steps()), ['timeout' => 5]);
$log = new SdiagRecordingLogger();
$report = smtpdiag_check($srv->dsn(), ['encryption' => 'none', 'timeout' => 5, 'logger' => $log]);
show($report, $log, $srv->port);
echo 'server exit ', $srv->exitCode(), "\n", $srv->stderr();

echo "=== fail: 554 greeting\n";
$srv = SmtpTestServer::start([['send', "554 5.7.1 mx.test: no SMTP service here\r\n"], ['expect', "QUIT\r\n"], ['send', "221 2.0.0 Bye\r\n"]], ['timeout' => 5]);
$log = new SdiagRecordingLogger();
$report = smtpdiag_check($srv->dsn(), ['encryption' => 'none', 'timeout' => 5, 'logger' => $log]);
show($report, $log, $srv->port);
echo 'server exit ', $srv->exitCode(), "\n", $srv->stderr();
?>
--EXPECT--
=== ok: STARTTLS and AUTH
status ok
debug events: the transcript, in order
summary: info smtpdiag: check passed
  keys: status,host,port
  status ok, host 127.0.0.1, port true
some lines inside TLS: true
server exit 0
=== warn: no encryption
status warn
debug events: the transcript, in order
summary: warning smtpdiag: check passed with warnings
  keys: status,host,port
  status warn, host 127.0.0.1, port true
server exit 0
=== fail: 554 greeting
status fail
debug events: the transcript, in order
summary: error smtpdiag: check failed
  keys: status,host,port,category,phase,transient,code,enhanced,message,hint
  status fail, host 127.0.0.1, port true
  the error of the report: true
server exit 0
