--TEST--
logger with smtpdiag_check(): a configuration the check rejects (a port out of range, an unknown option) still reaches a valid logger: no transcript, one error summary "check failed" with the config_invalid error of the report
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/resilience.inc';

$port = SmtpTestServer::refusedPort();
foreach ([
    'port out of range' => ['smtp://127.0.0.1:99999', []],
    'unknown option' => ["smtp://127.0.0.1:$port", ['bogus' => 1]],
    'invalid "to"' => ["smtp://127.0.0.1:$port", ['to' => ['a@example.com', 7]]],
] as $what => [$target, $options]) {
    echo "== $what\n";
    $log = new SdiagRecordingLogger();
    $r = smtpdiag_check($target, $options + ['encryption' => 'none', 'timeout' => 2, 'logger' => $log]);
    echo "status {$r['status']}, error {$r['error']['category']}\n";
    echo 'events: ', count($log->events), "\n";
    foreach ($log->events as [$level, $message, $ctx]) {
        echo "$level $message\n";
        echo '  ', $ctx['status'] ?? '?', ', the error of the report: ',
            var_export(array_intersect_key($ctx, $r['error']) == $r['error'], true), "\n";
    }
}
?>
--EXPECT--
== port out of range
status fail, error config_invalid
events: 1
error smtpdiag: check failed
  fail, the error of the report: true
== unknown option
status fail, error config_invalid
events: 1
error smtpdiag: check failed
  fail, the error of the report: true
== invalid "to"
status fail, error config_invalid
events: 1
error smtpdiag: check failed
  fail, the error of the report: true
