--TEST--
smtpdiag_format(): hostile text (escape sequences, control characters, CR/LF, DEL, invalid UTF-8) is escaped in every field; tab and valid UTF-8 are kept
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/check.inc';

$evil = "A\e[31mred\e[0m \e]0;title\x07 \x08\r\n  [ ok ] forged \xff\xfe\xc3 ok:\u{e9}\u{4e2d}\x7f\t.";

$r = check_fixture_report();
$r['target']['host'] = "mx\e[2J.test";
$r['target']['encryption'] = "starttls\e[5m";
$r['steps'] = [
    ['id' => 'smtp.banner', 'status' => 'fail', 'duration_ms' => 1.0, 'message' => "220 $evil", 'hint' => "hint $evil", 'data' => []],
];
$r['error']['category'] = "tls\e[8m";
$r['error']['message'] = "msg $evil";
$r['transcript'] = [
    ['t' => 1.0, 'dir' => 'server', 'tls' => false, 'text' => "220 $evil"],
    ['t' => 2.0, 'dir' => 'client', 'tls' => true, 'text' => "EHLO $evil"],
];

foreach ([[], ['transcript' => true, 'timestamps' => true], ['color' => true, 'transcript' => true]] as $opts) {
    $out = smtpdiag_format($r, $opts);
    // with color, only our own SGR codes may appear
    $text = preg_replace('/\e\[(3[123]|2|0)m/', '', $out);
    var_dump(
        str_contains($text, "\e"),
        (bool)preg_match('/[\x00-\x08\x0B-\x1F\x7F]/', $text),
        (bool)preg_match('/\xC2[\x80-\x9F]/', $text) ? 'C1' : 'no C1',
        (bool)preg_match('//u', $out),
        substr_count($out, "\n"),
    );
}
echo smtpdiag_format($r, ['transcript' => true]);
?>
--EXPECT--
bool(false)
bool(false)
string(5) "no C1"
bool(true)
int(6)
bool(false)
bool(false)
string(5) "no C1"
bool(true)
int(10)
bool(false)
bool(false)
string(5) "no C1"
bool(true)
int(10)
smtpdiag check of mx\x1B[2J.test:587 (starttls\x1B[5m): FAIL in 1234.5 ms

  [FAIL] smtp.banner           1.0 ms  220 A\x1B[31mred\x1B[0m \x1B]0;title\x07 \x08\x0D\x0A  [ ok ] forged \xFF\xFE\xC3 ok:é中\x7F	.
         hint: hint A\x1B[31mred\x1B[0m \x1B]0;title\x07 \x08\x0D\x0A  [ ok ] forged \xFF\xFE\xC3 ok:é中\x7F	.

error: tls\x1B[8m (permanent): msg A\x1B[31mred\x1B[0m \x1B]0;title\x07 \x08\x0D\x0A  [ ok ] forged \xFF\xFE\xC3 ok:é中\x7F	.

transcript:
<-  220 A\x1B[31mred\x1B[0m \x1B]0;title\x07 \x08\x0D\x0A  [ ok ] forged \xFF\xFE\xC3 ok:é中\x7F	.
 ~> EHLO A\x1B[31mred\x1B[0m \x1B]0;title\x07 \x08\x0D\x0A  [ ok ] forged \xFF\xFE\xC3 ok:é中\x7F	.
