--TEST--
smtpdiag_format(): unknown options and arrays that are not reports throw ValueError; wrong types throw TypeError
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/check.inc';

$r = check_fixture_report();
$calls = [
    'unknown option' => fn () => smtpdiag_format($r, ['colour' => true]),
    'unknown next to known' => fn () => smtpdiag_format($r, ['color' => true, 'verbose' => true]),
    'integer key' => fn () => smtpdiag_format($r, [true]),
    'empty array' => fn () => smtpdiag_format([]),
    'no steps' => fn () => smtpdiag_format(['ok' => true, 'status' => 'ok']),
    'steps not an array' => fn () => smtpdiag_format(['steps' => 'config ok'] + $r),
    'list of strings' => fn () => smtpdiag_format(['a', 'b']),
    'string report' => fn () => smtpdiag_format('report'),
    'string options' => fn () => smtpdiag_format($r, 'color'),
];
foreach ($calls as $name => $call) {
    try {
        $out = $call();
        echo "$name: no exception, ", strlen($out), " bytes\n";
    } catch (Throwable $e) {
        echo "$name: ", get_class($e), ': ', $e->getMessage(), "\n";
    }
}
// A report of smtpdiag_check() itself is accepted, with the same options.
$port = SmtpTestServer::refusedPort();
$out = smtpdiag_format(smtpdiag_check("smtp://127.0.0.1:$port", ['timeout' => 5]), ['color' => false, 'transcript' => true, 'timestamps' => true]);
echo strtok($out, "\n"), "\n";
?>
--EXPECTF--
unknown option: ValueError: smtpdiag_format(): Argument #2 ($options) contains an unknown option "colour" (known: color, transcript, timestamps)
unknown next to known: ValueError: smtpdiag_format(): Argument #2 ($options) contains an unknown option "verbose" (known: color, transcript, timestamps)
integer key: ValueError: smtpdiag_format(): Argument #2 ($options) contains an unknown option "(integer key)" (known: color, transcript, timestamps)
empty array: ValueError: smtpdiag_format(): Argument #1 ($report) must be a report of smtpdiag_check() or smtpdiag_dns() (no "steps" list)
no steps: ValueError: smtpdiag_format(): Argument #1 ($report) must be a report of smtpdiag_check() or smtpdiag_dns() (no "steps" list)
steps not an array: ValueError: smtpdiag_format(): Argument #1 ($report) must be a report of smtpdiag_check() or smtpdiag_dns() (no "steps" list)
list of strings: ValueError: smtpdiag_format(): Argument #1 ($report) must be a report of smtpdiag_check() or smtpdiag_dns() (no "steps" list)
string report: TypeError: smtpdiag_format(): Argument #1 ($report) must be of type array, string given
string options: TypeError: smtpdiag_format(): Argument #2 ($options) must be of type array, string given
smtpdiag check of 127.0.0.1:%d (auto): FAIL in %f ms
