--TEST--
smtpdiag_format(): C1 control characters (UTF-8 encoded CSI, NEL) and a hostile step id do not reach the terminal
--DESCRIPTION--
U+009B is the 8-bit CSI: terminals that honour C1 controls (xterm and others
in their default UTF-8 setup) read "\u{9b}31m" like "\e[31m". It is valid
UTF-8, so an escaper that only handles C0 bytes and invalid sequences lets it
through. The step id is printed in every step line: a report given to
smtpdiag_format() may come from elsewhere (decoded JSON), so it is untrusted
text as well.
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/check.inc';

$r = check_fixture_report();
$r['steps'] = [
    ['id' => "id\e[31m", 'status' => 'fail', 'duration_ms' => 1.0,
        'message' => "220 a\u{9b}31mb next\u{85}line", 'hint' => "hint\u{9b}2J", 'data' => []],
];
$r['error']['message'] = "msg\u{9b}31m";
$r['transcript'] = [['t' => 1.0, 'dir' => 'server', 'tls' => false, 'text' => "220 a\u{9b}31mb"]];

foreach ([[], ['transcript' => true]] as $opts) {
    $out = smtpdiag_format($r, $opts);
    var_dump(
        str_contains($out, "\e"),
        (bool)preg_match('/\xC2[\x80-\x9F]/', $out),   // any C1 control, UTF-8 encoded
        (bool)preg_match('//u', $out),
        str_contains($out, '31m'),                     // the text itself is still shown
    );
}
?>
--EXPECT--
bool(false)
bool(false)
bool(true)
bool(true)
bool(false)
bool(false)
bool(true)
bool(true)
