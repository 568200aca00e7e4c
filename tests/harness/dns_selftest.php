<?php

declare(strict_types=1);

/*
 * Self-test of the scripted DNS responder (tests/inc/dns_server.php, run by
 * DnsTestServer in tests/inc/dns.inc), with a small DNS client of its own
 * over PHP stream sockets (UDP and TCP) that checks the wire format byte by
 * byte, and with dig for a few cross-checks when it is installed.
 * Run: php -n tests/harness/dns_selftest.php [filter]
 * Prints "N passed, N failed, N skipped" and exits 1 if anything failed.
 * No fixed ports; waits only to show that no reply comes (250 ms each).
 */

require __DIR__ . '/../inc/dns.inc';
require __DIR__ . '/selftest.inc';



const TYPES = [
    'A' => 1, 'NS' => 2, 'CNAME' => 5, 'SOA' => 6, 'PTR' => 12, 'MX' => 15, 'TXT' => 16, 'AAAA' => 28,
    'OPT' => 41, 'TLSA' => 52, 'SPF' => 99, 'AXFR' => 252, 'ANY' => 255,
];
/** How long to wait to conclude that no reply comes. */
const SILENCE = 0.25;

// ---- a small DNS client ---------------------------------------------------------

/** Wire form of a name written with dots (no escapes; "" or "." is the root). */
function wire(string $name): string
{
    $out = '';
    foreach (explode('.', $name) as $label) {
        if ($label !== '') {
            $out .= chr(strlen($label)) . $label;
        }
    }
    return $out . "\0";
}

/**
 * A query message. Options: id (default random), rd (true), ad, cd, qr
 * (false), opcode (0), class (1), qd (question count written in the header,
 * 1), edns (UDP size of the OPT record, 1232; null: no OPT), do (false),
 * version (EDNS version, 0), opts (number of OPT records, 1).
 */
function query(string $name, string|int $type, array $o = []): string
{
    $type = is_int($type) ? $type : TYPES[$type];
    $flags = (($o['qr'] ?? false) ? 0x8000 : 0) | (($o['opcode'] ?? 0) << 11) | (($o['rd'] ?? true) ? 0x0100 : 0)
        | (($o['ad'] ?? false) ? 0x0020 : 0) | (($o['cd'] ?? false) ? 0x0010 : 0);
    $edns = array_key_exists('edns', $o) ? $o['edns'] : 1232;
    $opts = $edns === null ? 0 : ($o['opts'] ?? 1);
    $q = pack('nnnnnn', $o['id'] ?? random_int(1, 0xFFFE), $flags, $o['qd'] ?? 1, 0, 0, $opts);
    $q .= wire($name) . pack('nn', $type, $o['class'] ?? 1);
    for ($i = 0; $i < $opts; $i++) {
        $q .= "\0" . pack('nnNn', 41, $edns, (($o['version'] ?? 0) << 16) | (($o['do'] ?? false) ? 0x8000 : 0), 0);
    }
    return $q;
}

/** Presentation form of one label, escaped as the server's log writes names. */
function label_text(string $label): string
{
    $t = '';
    for ($i = 0, $n = strlen($label); $i < $n; $i++) {
        $o = ord($label[$i]);
        $t .= ($label[$i] === '.' || $label[$i] === '\\') ? '\\' . $label[$i] : ($o <= 0x20 || $o >= 0x7F ? sprintf('\\%03d', $o) : $label[$i]);
    }
    return $t;
}

/** Read a possibly compressed name at $pos (moved past it). */
function read_name(string $m, int &$pos): string
{
    $labels = [];
    $p = $pos;
    $jumped = false;
    for ($hops = 0; $hops < 128; $hops++) {
        if ($p >= strlen($m)) {
            throw new UnexpectedValueException("name runs past the end at $p");
        }
        $l = ord($m[$p]);
        if (($l & 0xC0) === 0xC0) {
            if ($p + 2 > strlen($m)) {
                throw new UnexpectedValueException('pointer cut short');
            }
            $target = unpack('n', $m, $p)[1] & 0x3FFF;
            if (!$jumped) {
                $pos = $p + 2;
            }
            if ($target >= $p) {
                throw new UnexpectedValueException('forward pointer');
            }
            $jumped = true;
            $p = $target;
            continue;
        }
        if ($l > 63) {
            throw new UnexpectedValueException('bad label length');
        }
        if ($l === 0) {
            if (!$jumped) {
                $pos = $p + 1;
            }
            return $labels ? implode('.', array_map('label_text', $labels)) : '.';
        }
        if ($p + 1 + $l > strlen($m)) {
            throw new UnexpectedValueException('label runs past the end');
        }
        $labels[] = substr($m, $p + 1, $l);
        $p += 1 + $l;
    }
    throw new UnexpectedValueException('pointer loop');
}

/** Read a resource record at $pos (moved past it), its RDATA decoded by type into 'data'. */
function read_rr(string $m, int &$pos): array
{
    $name = read_name($m, $pos);
    if ($pos + 10 > strlen($m)) {
        throw new UnexpectedValueException('record header cut short');
    }
    $h = unpack('ntype/nclass/Nttl/nrdlen', $m, $pos);
    $pos += 10;
    $start = $pos;
    $end = $pos + $h['rdlen'];
    if ($end > strlen($m)) {
        throw new UnexpectedValueException("RDATA runs past the end ($end > " . strlen($m) . ')');
    }
    $rdata = substr($m, $start, $h['rdlen']);
    $p = $start;
    switch ($h['type']) {
        case 1:
        case 28:
            $data = (string)inet_ntop($rdata);
            $p = $end;
            break;
        case 2:
        case 5:
        case 12:
            $data = read_name($m, $p);
            break;
        case 15:
            $p += 2;
            $data = [unpack('n', $m, $start)[1], read_name($m, $p)];
            break;
        case 16:
        case 99:
            $data = [];
            while ($p < $end) {
                $l = ord($m[$p]);
                if ($p + 1 + $l > $end) {
                    throw new UnexpectedValueException('character-string runs past RDATA');
                }
                $data[] = substr($m, $p + 1, $l);
                $p += 1 + $l;
            }
            break;
        case 6:
            $data = [read_name($m, $p), read_name($m, $p)];
            array_push($data, ...array_values(unpack('N5', $m, $p)));
            $p += 20;
            break;
        case 52:
            $data = [ord($rdata[0]), ord($rdata[1]), ord($rdata[2]), bin2hex(substr($rdata, 3))];
            $p = $end;
            break;
        case 41:
            $data = ['size' => $h['class'], 'ext_rcode' => $h['ttl'] >> 24, 'version' => ($h['ttl'] >> 16) & 0xFF, 'do' => ($h['ttl'] & 0x8000) !== 0];
            $p = $end;
            break;
        default:
            $data = bin2hex($rdata);
            $p = $end;
    }
    if ($p !== $end) {
        throw new UnexpectedValueException("RDATA of type {$h['type']} is " . $h['rdlen'] . ' bytes, decoded ' . ($p - $start));
    }
    $pos = $end;
    return ['name' => $name, 'type' => $h['type'], 'class' => $h['class'], 'ttl' => $h['ttl'], 'rdata' => $rdata, 'data' => $data];
}

/** Decode a whole reply; throws UnexpectedValueException when it is malformed. */
function decode(string $m): array
{
    if (strlen($m) < 12) {
        throw new UnexpectedValueException('shorter than a header');
    }
    $h = unpack('nid/nflags/nqd/nan/nns/nar', $m);
    $f = $h['flags'];
    $d = [
        'id' => $h['id'], 'qr' => ($f >> 15) & 1, 'opcode' => ($f >> 11) & 0xF, 'aa' => ($f >> 10) & 1, 'tc' => ($f >> 9) & 1,
        'rd' => ($f >> 8) & 1, 'ra' => ($f >> 7) & 1, 'z' => ($f >> 6) & 1, 'ad' => ($f >> 5) & 1, 'cd' => ($f >> 4) & 1, 'rcode' => $f & 0xF,
        'question' => [], 'answer' => [], 'authority' => [], 'additional' => [], 'raw' => $m,
    ];
    $pos = 12;
    for ($i = 0; $i < $h['qd']; $i++) {
        $name = read_name($m, $pos);
        if ($pos + 4 > strlen($m)) {
            throw new UnexpectedValueException('question cut short');
        }
        $d['question'][] = [$name, ...array_values(unpack('n2', $m, $pos))];
        $pos += 4;
    }
    foreach (['answer' => 'an', 'authority' => 'ns', 'additional' => 'ar'] as $section => $count) {
        for ($i = 0; $i < $h[$count]; $i++) {
            $d[$section][] = read_rr($m, $pos);
        }
    }
    if ($pos !== strlen($m)) {
        throw new UnexpectedValueException('trailing bytes');
    }
    return $d;
}

/** The decoded data of a section's records. */
function datas(array $d, string $section = 'answer'): array
{
    return array_column($d[$section], 'data');
}

/** [owner, type] of each record of a section. */
function owners(array $d, string $section = 'answer'): array
{
    return array_map(static fn (array $rr): array => [$rr['name'], $rr['type']], $d[$section]);
}

/** @return resource a UDP socket "connected" to the server */
function udp_client(DnsTestServer $dns)
{
    $c = stream_socket_client("udp://127.0.0.1:{$dns->port}", $errno, $errstr, 2);
    if ($c === false) {
        throw new RuntimeException("udp client: $errstr");
    }
    return $c;
}

/** The next datagram, or null when none comes within $timeout seconds. @param resource $c */
function udp_recv($c, float $timeout = 2.0): ?string
{
    $r = [$c];
    $w = $e = null;
    if (stream_select($r, $w, $e, (int)$timeout, (int)(fmod($timeout, 1.0) * 1e6)) < 1) {
        return null;
    }
    $m = stream_socket_recvfrom($c, 65535);
    return is_string($m) ? $m : null;
}

/** Send one query over UDP; the raw reply, or null after $timeout. */
function udp_ask(DnsTestServer $dns, string $query, float $timeout = 2.0): ?string
{
    $c = udp_client($dns);
    fwrite($c, $query);
    $reply = udp_recv($c, $timeout);
    fclose($c);
    return $reply;
}

/** @return resource a TCP connection to the server (non-blocking; read with tcp_recv()) */
function tcp_client(DnsTestServer $dns)
{
    $c = stream_socket_client("tcp://127.0.0.1:{$dns->port}", $errno, $errstr, 2);
    if ($c === false) {
        throw new RuntimeException("tcp client: $errstr");
    }
    stream_set_blocking($c, false);
    stream_set_read_buffer($c, 0);
    return $c;
}

/** @param resource $c */
function tcp_send($c, string $message): void
{
    $data = pack('n', strlen($message)) . $message;
    while ($data !== '') {
        $w = [$c];
        $r = $e = null;
        stream_select($r, $w, $e, 2);
        $n = fwrite($c, $data);
        if ($n === false) {
            throw new RuntimeException('tcp write failed');
        }
        $data = (string)substr($data, $n);
    }
}

/**
 * The next length-framed message: null when none comes within $timeout,
 * false when the server closed the connection.
 * @param resource $c
 */
function tcp_recv($c, float $timeout = 2.0): string|null|false
{
    static $buffers = [];
    $id = (int)$c;
    $buffers[$id] ??= '';
    $deadline = microtime(true) + $timeout;
    while (true) {
        $b = $buffers[$id];
        if (strlen($b) >= 2 && strlen($b) >= 2 + unpack('n', $b)[1]) {
            $len = unpack('n', $b)[1];
            $buffers[$id] = (string)substr($b, 2 + $len);
            return substr($b, 2, $len);
        }
        $left = $deadline - microtime(true);
        if ($left <= 0) {
            return null;
        }
        $r = [$c];
        $w = $e = null;
        if (stream_select($r, $w, $e, (int)$left, (int)(fmod($left, 1.0) * 1e6)) < 1) {
            return null;
        }
        $chunk = fread($c, 65536);
        if ($chunk === false || ($chunk === '' && feof($c))) {
            return false;
        }
        $buffers[$id] .= $chunk;
    }
}

/**
 * Ask a question and decode the reply (null when there is none within
 * $timeout). Checks what every reply must do: same ID, QR set, the question
 * echoed byte for byte.
 */
function ask(DnsTestServer $dns, string $name, string|int $type, array $o = [], bool $tcp = false, float $timeout = 2.0): ?array
{
    $q = query($name, $type, $o);
    if ($tcp) {
        $c = tcp_client($dns);
        tcp_send($c, $q);
        $reply = tcp_recv($c, $timeout);
        fclose($c);
        $reply = $reply === false ? null : $reply;
    } else {
        $reply = udp_ask($dns, $q, $timeout);
    }
    if ($reply === null) {
        return null;
    }
    $d = decode($reply);
    $questionLen = strlen(wire($name)) + 4;
    check("$name: reply ID", $d['id'] === unpack('n', $q)[1]);
    check("$name: QR", $d['qr'] === 1);
    check("$name: question echoed", substr($reply, 12, $questionLen) === substr($q, 12, $questionLen), bin2hex(substr($reply, 12, $questionLen)));
    return $d;
}

/** The query log lines added since $before lines. */
function new_queries(DnsTestServer $dns, int $before): array
{
    return array_slice($dns->queries(), $before);
}

// ---- the zone most tests share ------------------------------------------------------

$chain = [];
for ($i = 0; $i < 20; $i++) {
    $chain["n$i.chain.test"] = ['CNAME' => ['n' . ($i + 1) . '.chain.test']];
}
$chain['n20.chain.test'] = ['A' => ['192.0.2.20']];

$long300 = str_repeat('a', 250) . str_repeat('b', 50);
$long600 = str_repeat('x', 600);
$binary = "\x00\xFF\x80 bin\"ary\xC3\x28";

const TLSA_HEX = '2bb8a5e4bd0e0b5e0a3a0b0e83c58c5e4b8c94e4a5c0e8d6c8a6b2f4f1f9c1e2';

$ZONE = [
    'mail.x.test' => ['A' => ['127.0.0.1', '192.0.2.7'], 'AAAA' => ['::1', '2001:db8::25']],
    'x.test' => [
        'MX' => [[10, 'mail.x.test'], [20, 'Backup.X.Test.']],
        'TXT' => ['v=spf1 mx -all', ['multi', 'part', '']],
        'SPF' => ['v=spf1 -all'],
        'NS' => ['ns1.x.test'],
    ],
    'UPPER.X.TEST.' => ['A' => ['192.0.2.99']],
    'nodata.x.test' => [],
    'long.x.test' => ['TXT' => [$long300, $long600, '']],
    'bin.x.test' => ['TXT' => [$binary, ['b64' => base64_encode("\x01\x02\x03")], ['plain', "\xFE\xFF"]]],
    'nullmx.x.test' => ['MX' => [[0, '.']]],
    'nullmx2.x.test' => ['MX' => [[0, '']]],
    '7.2.0.192.in-addr.arpa' => ['PTR' => ['mail.x.test.']],
    '_25._tcp.mail.x.test' => ['TLSA' => [[3, 1, 1, TLSA_HEX], [2, 0, 0, 'ab cd:ef']]],
    'raw.x.test' => ['TYPE16' => [''], 'TYPE65280' => ['c0ffee', '']],
    'ttl.x.test' => ['A' => ['192.0.2.3'], 'TTL' => 7],
    'soa.test' => ['SOA' => [['ns.soa.test', 'admin.soa.test', 2024010101, 7200, 900, 1209600, 300]], 'TTL' => 3600],
    'child.soa.test' => ['A' => ['192.0.2.1']],
    // CNAME chains
    'www.x.test' => ['CNAME' => ['Mail.X.test']],
    'c1.x.test' => ['CNAME' => ['c2.x.test']],
    'c2.x.test' => ['CNAME' => ['www.x.test']],
    'dangling.x.test' => ['CNAME' => ['nowhere.x.test']],
    'toempty.x.test' => ['CNAME' => ['nodata.x.test']],
    'loop1.x.test' => ['CNAME' => ['loop2.x.test']],
    'loop2.x.test' => ['CNAME' => ['LOOP1.x.test']],
    'tow.x.test' => ['CNAME' => ['foo.w.x.test']],
    // wildcards
    '*.w.x.test' => ['TXT' => ['wild'], 'MX' => [[5, 'mail.x.test']], 'TTL' => 30],
    'exact.w.x.test' => ['A' => ['192.0.2.9']],
    'deep.sub.w.x.test' => ['A' => ['192.0.2.10']],
    // DNSSEC AD bit
    'signed.test' => ['A' => ['192.0.2.50'], 'AD' => true],
    'unsigned.signed.test' => ['A' => ['192.0.2.51'], 'AD' => false],
    'www.signed.test' => ['CNAME' => ['mail.x.test']],
    'alias.signed.test' => ['CNAME' => ['signed.test']],
    '_25._tcp.mx.signed.test' => ['TLSA' => [[3, 1, 1, TLSA_HEX]]],
    // sizes: ~650 bytes (over 512, under 1232) and ~2100 bytes (over 1232)
    'mid.x.test' => ['TXT' => array_fill(0, 3, str_repeat('m', 200))],
    'big.x.test' => ['TXT' => array_map(static fn (int $i): string => str_repeat(chr(0x61 + $i), 200), range(0, 9))],
    // faults
    'timeout.f.test' => ['A' => ['192.0.2.1'], 'fault' => 'timeout'],
    'servfail.f.test' => ['A' => ['192.0.2.1'], 'fault' => 'servfail'],
    'refused.f.test' => ['A' => ['192.0.2.1'], 'fault' => 'refused'],
    'nxdomain.f.test' => ['A' => ['192.0.2.1'], 'fault' => 'nxdomain'],
    'formerr.f.test' => ['A' => ['192.0.2.1'], 'fault' => 'formerr'],
    'trunc.f.test' => ['A' => ['192.0.2.1'], 'fault' => 'truncate'],
    'truncall.f.test' => ['A' => ['192.0.2.1'], 'fault' => 'truncate_always'],
    'malformed.f.test' => ['A' => ['192.0.2.1'], 'fault' => 'malformed'],
    'wrongid.f.test' => ['A' => ['192.0.2.1'], 'fault' => 'wrong_id'],
    'slow.f.test' => ['A' => ['192.0.2.1'], 'fault' => 'delay:300'],
    'slowfail.f.test' => ['fault' => ['delay:200', 'servfail']],
    'pertype.f.test' => ['TXT' => ['ok'], 'MX' => [[1, 'mail.x.test']], 'fault' => ['MX' => 'servfail', 'aaaa' => 'timeout']],
    'dead.f.test' => 'TIMEOUT',
    'spftimeout.f.test' => ['TXT' => ['v=spf1 -all'], 'fault' => ['NODATA' => 'timeout', 'MX' => 'refused']],
    'nodatadelay.f.test' => ['A' => ['192.0.2.1'], 'fault' => ['nodata' => 'servfail']],
    'nodatacname.f.test' => ['CNAME' => ['mail.x.test'], 'fault' => ['NODATA' => 'servfail']],
    'todead.f.test' => ['CNAME' => ['dead.f.test']],
    'tonx.f.test' => ['CNAME' => ['nxdomain.f.test']],
] + $chain;

$dns = DnsTestServer::start($ZONE, 0.0, 300.0);

// ---- start, ports ---------------------------------------------------------------------

test('start: UDP and TCP listen on one port of 127.0.0.1', function () use ($dns): void {
    same('host', '127.0.0.1', $dns->host);
    check('port', $dns->port > 0 && $dns->port < 65536, $dns->port);
    same('servers()', "127.0.0.1:{$dns->port}", $dns->servers());
    $c = tcp_client($dns);
    tcp_send($c, query('mail.x.test', 'A', ['id' => 7]));
    $d = decode((string)tcp_recv($c));
    same('TCP answer', ['127.0.0.1', '192.0.2.7'], datas($d));
    fclose($c);
    same('UDP answer', ['127.0.0.1', '192.0.2.7'], datas(ask($dns, 'mail.x.test', 'A')));
});

// ---- record types ---------------------------------------------------------------------

test('A: the whole reply, byte for byte', function () use ($dns): void {
    $q = query('mail.x.test', 'A', ['id' => 0x1234]);
    $reply = udp_ask($dns, $q);
    $expected = pack('nnnnnn', 0x1234, 0x8580, 1, 2, 0, 1) . wire('mail.x.test') . pack('nn', 1, 1)
        . pack('nnnNn', 0xC00C, 1, 1, 60, 4) . "\x7F\x00\x00\x01"
        . pack('nnnNn', 0xC00C, 1, 1, 60, 4) . "\xC0\x00\x02\x07"
        . "\0" . pack('nnNn', 41, 1232, 0, 0);
    same('bytes', bin2hex($expected), bin2hex((string)$reply));
});

test('AAAA, TTL of a name', function () use ($dns): void {
    $d = ask($dns, 'mail.x.test', 'AAAA');
    same('addresses', ['::1', '2001:db8::25'], datas($d));
    same('type', [28, 28], array_column($d['answer'], 'type'));
    same('class IN', [1, 1], array_column($d['answer'], 'class'));
    same('TTL 7', [7], array_column(ask($dns, 'ttl.x.test', 'A')['answer'], 'ttl'));
});

test('MX: preference, host, compression, case kept, null MX', function () use ($dns): void {
    $d = ask($dns, 'x.test', 'MX');
    same('hosts', [[10, 'mail.x.test'], [20, 'Backup.X.Test']], datas($d));
    // "mail" then a pointer to "x.test" in the question; "Backup.X.Test" shares no exact suffix.
    same('rdata 1 compressed', "\x00\x0a\x04mail\xC0\x0C", $d['answer'][0]['rdata']);
    same('rdata 2 kept', "\x00\x14\x06Backup\x01X\x04Test\x00", $d['answer'][1]['rdata']);
    foreach (['nullmx.x.test', 'nullmx2.x.test'] as $name) {
        $d = ask($dns, $name, 'MX');
        same("$name: null MX", [[0, '.']], datas($d));
        same("$name: rdata", "\x00\x00\x00", $d['answer'][0]['rdata']);
    }
});

test('TXT/SPF: strings, 255-byte split, multi-string, empty, binary, b64', function () use ($dns, $long300, $long600, $binary): void {
    $d = ask($dns, 'x.test', 'TXT');
    same('two records', [['v=spf1 mx -all'], ['multi', 'part', '']], datas($d));
    same('multi-string rdata', "\x05multi\x04part\x00", $d['answer'][1]['rdata']);
    $d = ask($dns, 'x.test', 'SPF');
    same('SPF type 99', [[99, ['v=spf1 -all']]], array_map(null, array_column($d['answer'], 'type'), datas($d)));
    $d = ask($dns, 'long.x.test', 'TXT');
    same('300 bytes: 255 + 45', [substr($long300, 0, 255), substr($long300, 255)], datas($d)[0]);
    same('600 bytes: 255 + 255 + 90', str_split($long600, 255), datas($d)[1]);
    same('"" is one empty string', "\x00", $d['answer'][2]['rdata']);
    $d = ask($dns, 'bin.x.test', 'TXT');
    same('binary string (start() sent it as b64)', [$binary], datas($d)[0]);
    same('b64 value', ["\x01\x02\x03"], datas($d)[1]);
    same('binary in a multi-string value', ['plain', "\xFE\xFF"], datas($d)[2]);
});

test('PTR, NS, CNAME, TLSA, TYPE<n>', function () use ($dns): void {
    same('PTR', ['mail.x.test'], datas(ask($dns, '7.2.0.192.in-addr.arpa', 'PTR')));
    same('NS', ['ns1.x.test'], datas(ask($dns, 'x.test', 'NS')));
    $d = ask($dns, 'www.x.test', 'CNAME');
    same('CNAME query: the CNAME only', [['www.x.test', 5]], owners($d));
    same('CNAME target as written', ['Mail.X.test'], datas($d));
    $d = ask($dns, '_25._tcp.mail.x.test', 'TLSA');
    same('TLSA', [[3, 1, 1, TLSA_HEX], [2, 0, 0, 'abcdef']], datas($d));
    same('TLSA rdata', "\x03\x01\x01" . hex2bin(TLSA_HEX), $d['answer'][0]['rdata']);
    $d = ask($dns, 'raw.x.test', 'TXT');
    same('TYPE16 "": a TXT record with no strings', [''], array_column($d['answer'], 'rdata'));
    $d = ask($dns, 'raw.x.test', 65280);
    same('TYPE65280', ['c0ffee', ''], datas($d));
    same('type', [65280, 65280], array_column($d['answer'], 'type'));
});

test('SOA: answered, and in the authority of negative answers', function () use ($dns): void {
    $soa = ['ns.soa.test', 'admin.soa.test', 2024010101, 7200, 900, 1209600, 300];
    $d = ask($dns, 'soa.test', 'SOA');
    same('SOA answer', [$soa], datas($d));
    same('SOA TTL', 3600, $d['answer'][0]['ttl']);
    $d = ask($dns, 'nx.child.soa.test', 'A');
    same('NXDOMAIN below soa.test', 3, $d['rcode']);
    same("the ancestor's SOA", [['soa.test', 6]], owners($d, 'authority'));
    same('SOA data', [$soa], datas($d, 'authority'));
    same('negative TTL: min(TTL, minimum)', 300, $d['authority'][0]['ttl']);
    $d = ask($dns, 'child.soa.test', 'MX');
    same('NODATA below soa.test', [0, [], [['soa.test', 6]]], [$d['rcode'], $d['answer'], owners($d, 'authority')]);
    $d = ask($dns, 'nx.sub.x.test', 'A');
    same('made-up SOA for the last two labels', [['x.test', 6]], owners($d, 'authority'));
    same('made-up SOA data', [['ns.x.test', 'hostmaster.x.test', 1, 3600, 600, 86400, 60]], datas($d, 'authority'));
    same('made-up SOA TTL', 60, $d['authority'][0]['ttl']);
    same('made-up SOA of a one-label name', [['nosuchtld', 6]], owners(ask($dns, 'nosuchtld', 'A'), 'authority'));
});

// ---- lookups ------------------------------------------------------------------------

test('NXDOMAIN, NODATA and empty non-terminals', function () use ($dns): void {
    $rows = [];
    foreach ([
        ['nx.x.test', 'A'], ['nodata.x.test', 'A'], ['mail.x.test', 'MX'], ['mail.x.test', 'TLSA'],
        ['_tcp.mail.x.test', 'TLSA'], ['test', 'A'], ['w.x.test', 'TXT'], ['in-addr.arpa', 'PTR'], ['8.2.0.192.in-addr.arpa', 'PTR'],
    ] as [$name, $type]) {
        $d = ask($dns, $name, $type);
        $rows["$name $type"] = [$d['rcode'], count($d['answer']), count($d['authority']), $d['authority'][0]['type'] ?? null];
    }
    same('rcode, answers, authority', [
        'nx.x.test A' => [3, 0, 1, 6],
        'nodata.x.test A' => [0, 0, 1, 6],
        'mail.x.test MX' => [0, 0, 1, 6],
        'mail.x.test TLSA' => [0, 0, 1, 6],
        '_tcp.mail.x.test TLSA' => [0, 0, 1, 6],
        'test A' => [0, 0, 1, 6],
        'w.x.test TXT' => [0, 0, 1, 6],
        'in-addr.arpa PTR' => [0, 0, 1, 6],
        '8.2.0.192.in-addr.arpa PTR' => [3, 0, 1, 6],
    ], $rows);
});

test('names: case-insensitive, trailing dot, 0x20 case echoed', function () use ($dns): void {
    $d = ask($dns, 'MaIl.X.tEsT', 'A');
    same('found', ['127.0.0.1', '192.0.2.7'], datas($d));
    same('question as asked', [['MaIl.X.tEsT', 1, 1]], $d['question']);
    same('owner: a pointer to the question', [['MaIl.X.tEsT', 1], ['MaIl.X.tEsT', 1]], owners($d));
    same('owner bytes', "\xC0\x0C", substr($d['raw'], 12 + strlen(wire('MaIl.X.tEsT')) + 4, 2));
    same('zone name "UPPER.X.TEST." found as upper.x.test', ['192.0.2.99'], datas(ask($dns, 'upper.x.test', 'A')));
    same('and as UpPeR.x.TEST.', ['192.0.2.99'], datas(ask($dns, 'UpPeR.x.TEST.', 'A')));
});

test('CNAME chains: followed, NXDOMAIN/NODATA at the end, loops, 16 at most', function () use ($dns): void {
    $d = ask($dns, 'WWW.x.test', 'A');
    same('www: CNAME then the target\'s A', [['WWW.x.test', 5], ['Mail.X.test', 1], ['Mail.X.test', 1]], owners($d));
    same('www data', ['Mail.X.test', '127.0.0.1', '192.0.2.7'], datas($d));
    $d = ask($dns, 'c1.x.test', 'AAAA');
    same('c1 -> c2 -> www -> mail', [['c1.x.test', 5], ['c2.x.test', 5], ['www.x.test', 5], ['Mail.X.test', 28], ['Mail.X.test', 28]], owners($d));
    $d = ask($dns, 'dangling.x.test', 'A');
    same('dangling: NXDOMAIN with the CNAME and a SOA', [3, [['dangling.x.test', 5]], [['x.test', 6]]], [$d['rcode'], owners($d), owners($d, 'authority')]);
    $d = ask($dns, 'toempty.x.test', 'A');
    same('to a name without A: NODATA with the CNAME', [0, [['toempty.x.test', 5]], [['x.test', 6]]], [$d['rcode'], owners($d), owners($d, 'authority')]);
    $d = ask($dns, 'loop1.x.test', 'A');
    same('loop: stops after the CNAME pointing back', [0, [['loop1.x.test', 5], ['loop2.x.test', 5]], []], [$d['rcode'], owners($d), $d['authority']]);
    $d = ask($dns, 'n0.chain.test', 'A');
    same('21-name chain: 16 CNAMEs, no A', [0, array_fill(0, 16, 5)], [$d['rcode'], array_column($d['answer'], 'type')]);
    $d = ask($dns, 'n4.chain.test', 'A');
    same('n4 reaches n20 in 16 CNAMEs, then its A', [...array_fill(0, 16, 5), 1], array_column($d['answer'], 'type'));
    $d = ask($dns, 'n3.chain.test', 'A');
    same('n3 would need 17', array_fill(0, 16, 5), array_column($d['answer'], 'type'));
    $d = ask($dns, 'tow.x.test', 'TXT');
    same('into a wildcard', [[['tow.x.test', 5], ['foo.w.x.test', 16]], ['foo.w.x.test', ['wild']]], [owners($d), datas($d)]);
    $d = ask($dns, 'www.x.test', 'ANY');
    same('ANY: the CNAME only', [['www.x.test', 5]], owners($d));
});

test('wildcards (RFC 4592): closest encloser, exact names, empty non-terminals', function () use ($dns): void {
    $d = ask($dns, 'a.w.x.test', 'TXT');
    same('owner is the queried name', [['a.w.x.test', 16]], owners($d));
    same('data and TTL of the wildcard', [['wild'], 30], [datas($d)[0], $d['answer'][0]['ttl']]);
    same('several labels, case kept', [['A.B.w.X.test', 15]], owners(ask($dns, 'A.B.w.X.test', 'MX')));
    $d = ask($dns, 'exact.w.x.test', 'TXT');
    same('an exact name blocks the wildcard: NODATA', [0, 0], [$d['rcode'], count($d['answer'])]);
    $d = ask($dns, 'sub.w.x.test', 'TXT');
    same('an empty non-terminal blocks it: NODATA', [0, 0], [$d['rcode'], count($d['answer'])]);
    $d = ask($dns, 'x.sub.w.x.test', 'TXT');
    same('below an empty non-terminal, no *.sub: NXDOMAIN', [3, 0], [$d['rcode'], count($d['answer'])]);
    same('a wildcard type not there: NODATA', [0, 0], [ask($dns, 'q.w.x.test', 'A')['rcode'], count(ask($dns, 'q.w.x.test', 'A')['answer'])]);
    same('the * name itself', [['*.w.x.test', 16]], owners(ask($dns, '*.w.x.test', 'TXT')));
});

test('header: AA, RA, RD and CD copied, ANY, refused classes, NOTIMP, FORMERR', function () use ($dns): void {
    $d = ask($dns, 'mail.x.test', 'A', ['rd' => true, 'cd' => true]);
    same('qr aa rd ra cd, z 0', [1, 1, 1, 1, 1, 0], [$d['qr'], $d['aa'], $d['rd'], $d['ra'], $d['cd'], $d['z']]);
    $d = ask($dns, 'mail.x.test', 'A', ['rd' => false]);
    same('rd 0 copied, cd 0', [0, 0, 1], [$d['rd'], $d['cd'], $d['ra']]);
    $d = ask($dns, 'x.test', 'ANY');
    same('ANY: every record', [15, 15, 16, 16, 99, 2], array_column($d['answer'], 'type'));
    same('class CH: REFUSED', 5, ask($dns, 'x.test', 'TXT', ['class' => 3])['rcode']);
    same('AXFR: REFUSED', 5, ask($dns, 'x.test', 'AXFR')['rcode']);
    $q = query('x.test', 'A', ['opcode' => 2, 'id' => 99]);
    $d = decode((string)udp_ask($dns, $q));
    same('opcode STATUS: NOTIMP, header only', [99, 1, 2, 4, 0], [$d['id'], $d['qr'], $d['opcode'], $d['rcode'], count($d['question'])]);
    $d = decode((string)udp_ask($dns, query('x.test', 'A', ['qd' => 2, 'id' => 98])));
    same('two questions (one sent): FORMERR', [98, 1], [$d['id'], $d['rcode']]);
    $d = decode((string)udp_ask($dns, substr(query('x.test', 'A', ['id' => 97, 'edns' => null]), 0, 16)));
    same('cut-short question: FORMERR', [97, 1], [$d['id'], $d['rcode']]);
    // Not answered: packets shorter than a header, responses. The next query on the socket is answered first.
    $c = udp_client($dns);
    fwrite($c, "\x12\x34\x01");
    fwrite($c, query('x.test', 'A', ['qr' => true, 'id' => 1]));
    fwrite($c, query('mail.x.test', 'A', ['id' => 2]));
    $reply = udp_recv($c);
    same('ignored, ignored, answered', 2, $reply === null ? null : decode($reply)['id']);
    same('nothing more', null, udp_recv($c, SILENCE));
    fclose($c);
});

test('AD: signed names, inheritance, chains, only when asked (AD or DO)', function () use ($dns): void {
    $ad = static fn (string $name, string $type, array $o = ['ad' => true]): array
        => [ask($dns, $name, $type, $o)['ad'], ask($dns, $name, $type, $o)['rcode']];
    same('signed, AD asked', [1, 0], $ad('signed.test', 'A'));
    same('signed, DO asked', [1, 0], $ad('signed.test', 'A', ['do' => true]));
    same('signed, not asked', [0, 0], $ad('signed.test', 'A', []));
    same('signed, not asked, no EDNS', [0, 0], $ad('signed.test', 'A', ['edns' => null]));
    same('"AD": false below a signed name', [0, 0], $ad('unsigned.signed.test', 'A'));
    same('inherited by a child', [1, 0], $ad('_25._tcp.mx.signed.test', 'TLSA'));
    same('signed NXDOMAIN below it', [1, 3], $ad('nx.signed.test', 'A'));
    same('signed NODATA', [1, 0], $ad('signed.test', 'MX'));
    same('chain into an unsigned name', [0, 0], $ad('www.signed.test', 'A'));
    same('chain between signed names', [1, 0], $ad('alias.signed.test', 'A'));
    same('unsigned zone', [0, 0], $ad('mail.x.test', 'A'));

    $zoneAd = DnsTestServer::start([
        '$options' => ['ad' => true, 'ttl' => 120],
        'a.test' => ['A' => ['192.0.2.1']],
        'insecure.test' => ['A' => ['192.0.2.2'], 'AD' => false],
    ]);
    $d = ask($zoneAd, 'a.test', 'A', ['ad' => true]);
    same('$options ad: signed, $options ttl', [1, 120], [$d['ad'], $d['answer'][0]['ttl']]);
    same('$options ad: NXDOMAIN signed', [1, 3], [ask($zoneAd, 'nx.test', 'A', ['ad' => true])['ad'], ask($zoneAd, 'nx.test', 'A')['rcode']]);
    same('"AD": false wins', 0, ask($zoneAd, 'insecure.test', 'A', ['ad' => true])['ad']);
    $zoneAd->stop();
});

test('EDNS: OPT echoed (1232, DO), UDP limit 512 / client size / 1232, BADVERS', function () use ($dns): void {
    $d = ask($dns, 'mail.x.test', 'A', ['do' => true, 'edns' => 4096]);
    same('OPT back', [['.', 41]], owners($d, 'additional'));
    same('size 1232, DO copied', ['size' => 1232, 'ext_rcode' => 0, 'version' => 0, 'do' => true], $d['additional'][0]['data']);
    same('DO not set', false, ask($dns, 'mail.x.test', 'A')['additional'][0]['data']['do']);
    same('no OPT without EDNS', [], ask($dns, 'mail.x.test', 'A', ['edns' => null])['additional']);
    $mid = static fn (array $o) => ask($dns, 'mid.x.test', 'TXT', $o);
    $d = $mid(['edns' => null]);
    same('650 bytes, no EDNS: TC, no records', [1, 0, 0, 0], [$d['tc'], count($d['answer']), count($d['authority']), count($d['additional'])]);
    same('650 bytes, EDNS 1232: whole', [0, 3], [$mid([])['tc'], count($mid([])['answer'])]);
    same('650 bytes, EDNS 600: TC', [1, 0], [$mid(['edns' => 600])['tc'], count($mid(['edns' => 600])['answer'])]);
    same('650 bytes, EDNS 100 counts as 512: TC', 1, $mid(['edns' => 100])['tc']);
    $d = ask($dns, 'big.x.test', 'TXT', ['edns' => 4096]);
    same('2100 bytes, EDNS 4096 (capped at 1232): TC, OPT kept', [1, 0, 1], [$d['tc'], count($d['answer']), count($d['additional'])]);
    $d = ask($dns, 'big.x.test', 'TXT', [], true);
    same('over TCP: whole', [0, 10], [$d['tc'], count($d['answer'])]);
    same('over TCP: the strings', array_map(static fn (int $i): array => [str_repeat(chr(0x61 + $i), 200)], range(0, 9)), datas($d));
    $d = ask($dns, 'mail.x.test', 'A', ['version' => 1]);
    same('EDNS version 1: BADVERS (extended rcode 1, header 0)', [0, 1, 0], [$d['rcode'], $d['additional'][0]['data']['ext_rcode'], count($d['answer'])]);
    $d = decode((string)udp_ask($dns, query('mail.x.test', 'A', ['opts' => 2, 'id' => 5])));
    same('two OPT records: FORMERR', [5, 1], [$d['id'], $d['rcode']]);
});

// ---- faults ---------------------------------------------------------------------------

test('fault timeout and "TIMEOUT": no reply over UDP or TCP', function () use ($dns): void {
    foreach (['timeout.f.test', 'dead.f.test', 'todead.f.test'] as $name) {
        same("$name UDP", null, ask($dns, $name, 'A', [], false, SILENCE));
    }
    $c = tcp_client($dns);
    tcp_send($c, query('dead.f.test', 'TXT', ['id' => 1]));
    tcp_send($c, query('timeout.f.test', 'A', ['id' => 2]));
    tcp_send($c, query('mail.x.test', 'A', ['id' => 3]));
    $reply = tcp_recv($c);
    same('TCP: only the third answered, the connection stays', 3, is_string($reply) ? decode($reply)['id'] : $reply);
    same('TCP: nothing more', null, tcp_recv($c, SILENCE));
    fclose($c);
});

test('faults servfail, refused, formerr, nxdomain: the rcode', function () use ($dns): void {
    foreach (['servfail' => 2, 'refused' => 5, 'formerr' => 1] as $fault => $rcode) {
        foreach ([false, true] as $tcp) {
            $d = ask($dns, "$fault.f.test", 'A', [], $tcp);
            same("$fault" . ($tcp ? ' tcp' : ''), [$rcode, 0, 0], [$d['rcode'], count($d['answer']), count($d['authority'])]);
        }
    }
    $d = ask($dns, 'nxdomain.f.test', 'A');
    same('nxdomain: NXDOMAIN with a SOA', [3, 0, [['f.test', 6]]], [$d['rcode'], count($d['answer']), owners($d, 'authority')]);
    $d = ask($dns, 'tonx.f.test', 'A');
    same('chain into nxdomain: the CNAME, NXDOMAIN', [3, [['tonx.f.test', 5]], [['f.test', 6]]], [$d['rcode'], owners($d), owners($d, 'authority')]);
});

test('per-type faults; delay combined with a fault', function () use ($dns): void {
    same('TXT answered', [['ok']], datas(ask($dns, 'pertype.f.test', 'TXT')));
    same('MX servfail', 2, ask($dns, 'pertype.f.test', 'MX')['rcode']);
    same('AAAA (key "aaaa") times out', null, ask($dns, 'pertype.f.test', 'AAAA', [], false, SILENCE));
    same('A: NODATA', [0, 0], [ask($dns, 'pertype.f.test', 'A')['rcode'], count(ask($dns, 'pertype.f.test', 'A')['answer'])]);
    same('NODATA fault: TXT answered', [['v=spf1 -all']], datas(ask($dns, 'spftimeout.f.test', 'TXT')));
    same('NODATA fault: SPF times out', null, ask($dns, 'spftimeout.f.test', 'SPF', [], false, SILENCE));
    same('NODATA fault: a type\'s own key wins', 5, ask($dns, 'spftimeout.f.test', 'MX')['rcode']);
    same('NODATA fault: ANY answered', [0, 1], [ask($dns, 'spftimeout.f.test', 'ANY')['rcode'], count(ask($dns, 'spftimeout.f.test', 'ANY')['answer'])]);
    same('NODATA servfail: A answered, TXT fails', [0, 2], [ask($dns, 'nodatadelay.f.test', 'A')['rcode'], ask($dns, 'nodatadelay.f.test', 'TXT')['rcode']]);
    same('NODATA fault beside a CNAME: A follows it, CNAME answered', [[0, 3], [0, 1]],
        [[ask($dns, 'nodatacname.f.test', 'A')['rcode'], count(ask($dns, 'nodatacname.f.test', 'A')['answer'])],
            [ask($dns, 'nodatacname.f.test', 'CNAME')['rcode'], count(ask($dns, 'nodatacname.f.test', 'CNAME')['answer'])]]);
    $t = microtime(true);
    $d = ask($dns, 'slowfail.f.test', 'TXT');
    $elapsed = microtime(true) - $t;
    same('delay:200 + servfail', 2, $d['rcode']);
    check('held 200 ms', $elapsed >= 0.19 && $elapsed < 1.5, $elapsed);
});

test('fault truncate: TC over UDP, whole over TCP; truncate_always closes TCP', function () use ($dns): void {
    $d = ask($dns, 'trunc.f.test', 'A');
    same('UDP: TC, no records, OPT', [1, 0, 0, 1, 0], [$d['tc'], count($d['answer']), count($d['authority']), count($d['additional']), $d['rcode']]);
    $d = ask($dns, 'trunc.f.test', 'A', [], true);
    same('TCP: whole', [0, ['192.0.2.1']], [$d['tc'], datas($d)]);
    $d = ask($dns, 'truncall.f.test', 'A');
    same('truncate_always UDP: TC', [1, 0], [$d['tc'], count($d['answer'])]);
    $c = tcp_client($dns);
    tcp_send($c, query('truncall.f.test', 'A'));
    same('truncate_always TCP: closed without a reply', false, tcp_recv($c));
    fclose($c);
});

test('fault malformed: right ID, ANCOUNT 1, record cut short', function () use ($dns): void {
    foreach ([false, true] as $tcp) {
        $q = query('malformed.f.test', 'A', ['id' => 0x4242]);
        if ($tcp) {
            $c = tcp_client($dns);
            tcp_send($c, $q);
            $reply = (string)tcp_recv($c);
            fclose($c);
        } else {
            $reply = (string)udp_ask($dns, $q);
        }
        $h = unpack('nid/nflags/nqd/nan/nns/nar', $reply);
        same('header' . ($tcp ? ' tcp' : ''), [0x4242, 1, 1, 0x8000], [$h['id'], $h['qd'], $h['an'], $h['flags'] & 0x8000]);
        try {
            decode($reply);
            check('does not decode', false);
        } catch (UnexpectedValueException $e) {
            check('does not decode: RDATA runs past the end', str_contains($e->getMessage(), 'RDATA runs past the end'), $e->getMessage());
        }
    }
});

test('fault wrong_id: the right answer under another ID', function () use ($dns): void {
    $reply = (string)udp_ask($dns, query('wrongid.f.test', 'A', ['id' => 0x1000]));
    $d = decode($reply);
    same('ID', 0x1001, $d['id']);
    same('answer', ['192.0.2.1'], datas($d));
    $c = tcp_client($dns);
    tcp_send($c, query('wrongid.f.test', 'A', ['id' => 0xFFFF]));
    same('TCP, ID wraps', 0, decode((string)tcp_recv($c))['id']);
    fclose($c);
});

test('fault delay: held, other replies go out meanwhile (UDP and TCP)', function () use ($dns): void {
    $c = udp_client($dns);
    $t = microtime(true);
    fwrite($c, query('slow.f.test', 'A', ['id' => 1]));
    fwrite($c, query('mail.x.test', 'A', ['id' => 2]));
    $first = decode((string)udp_recv($c));
    $second = decode((string)udp_recv($c));
    $slow = microtime(true) - $t;
    fclose($c);
    same('UDP order: the later query is answered first', [2, 1], [$first['id'], $second['id']]);
    check('UDP: slow one after 300 ms', $slow >= 0.29, $slow);
    $c = tcp_client($dns);
    $t = microtime(true);
    tcp_send($c, query('slow.f.test', 'A', ['id' => 1]));
    tcp_send($c, query('mail.x.test', 'A', ['id' => 2]));
    $first = decode((string)tcp_recv($c));
    $second = decode((string)tcp_recv($c));
    $slow = microtime(true) - $t;
    same('TCP order', [2, 1], [$first['id'], $second['id']]);
    check('TCP: slow one after 300 ms', $slow >= 0.29, $slow);
    // A half-closed connection still gets its held reply.
    tcp_send($c, query('slow.f.test', 'A', ['id' => 3]));
    stream_socket_shutdown($c, STREAM_SHUT_WR);
    same('after our EOF: the reply, then the close', [3, false], [decode((string)tcp_recv($c))['id'], tcp_recv($c)]);
    fclose($c);
});

test('global DELAY_MS: every reply held', function (): void {
    $slow = DnsTestServer::start(['a.test' => ['A' => ['192.0.2.1']]], 150.0);
    foreach ([false, true] as $tcp) {
        $t = microtime(true);
        $d = ask($slow, 'a.test', 'A', [], $tcp);
        $elapsed = microtime(true) - $t;
        same('answer' . ($tcp ? ' tcp' : ''), ['192.0.2.1'], datas($d));
        check('held 150 ms' . ($tcp ? ' tcp' : ''), $elapsed >= 0.14, $elapsed);
    }
    $slow->stop();
});

// ---- TCP ------------------------------------------------------------------------------

test('TCP: pipelined queries, framing split byte by byte, many connections', function () use ($dns): void {
    $c = tcp_client($dns);
    $batch = '';
    foreach ([1 => 'mail.x.test', 2 => 'x.test', 3 => 'nx.x.test'] as $id => $name) {
        $q = query($name, 'A', ['id' => $id]);
        $batch .= pack('n', strlen($q)) . $q;
    }
    fwrite($c, $batch);
    $got = [];
    for ($i = 0; $i < 3; $i++) {
        $d = decode((string)tcp_recv($c));
        $got[$d['id']] = [$d['rcode'], count($d['answer'])];
    }
    ksort($got);
    same('three replies on one connection', [1 => [0, 2], 2 => [0, 0], 3 => [3, 0]], $got);
    $q = query('mail.x.test', 'AAAA', ['id' => 4]);
    foreach (str_split(pack('n', strlen($q)) . $q) as $byte) {
        fwrite($c, $byte);
        fflush($c);
    }
    same('a query written byte by byte', ['::1', '2001:db8::25'], datas(decode((string)tcp_recv($c))));
    fclose($c);

    // 40 connections open at once; each sends, then all are read; one closes mid-message.
    $conns = [];
    for ($i = 0; $i < 40; $i++) {
        $conns[$i] = tcp_client($dns);
    }
    $broken = tcp_client($dns);
    fwrite($broken, "\x00\x40\x12\x34");
    foreach ($conns as $i => $c) {
        tcp_send($c, query($i % 2 ? 'mail.x.test' : 'big.x.test', $i % 2 ? 'A' : 'TXT', ['id' => 1000 + $i]));
    }
    fclose($broken);
    $ok = 0;
    foreach ($conns as $i => $c) {
        $d = decode((string)tcp_recv($c));
        $ok += (int)($d['id'] === 1000 + $i && count($d['answer']) === ($i % 2 ? 2 : 10));
        fclose($c);
    }
    same('40 concurrent connections answered', 40, $ok);
});

// ---- query log ------------------------------------------------------------------------

test('query log: queries() lines and queryLog() entries', function (): void {
    $dns = DnsTestServer::start([
        'mail.x.test' => ['A' => ['127.0.0.1'], 'MX' => [[1, 'mail.x.test']]],
        'nodata.x.test' => [],
        'big.x.test' => ['TXT' => array_fill(0, 4, str_repeat('z', 200))],
        'to.x.test' => ['A' => ['192.0.2.1'], 'fault' => 'timeout'],
        'tr.x.test' => ['A' => ['192.0.2.1'], 'fault' => 'truncate_always'],
        'bad.x.test' => ['A' => ['192.0.2.1'], 'fault' => 'malformed'],
        'sf.x.test' => ['fault' => ['delay:10', 'servfail']],
        'dead.x.test' => 'TIMEOUT',
    ]);
    ask($dns, 'Mail.x.test', 'A');
    ask($dns, 'nodata.x.test', 'AAAA');
    ask($dns, 'nx.x.test', 'A');
    ask($dns, 'mail.x.test', 'TLSA');
    ask($dns, 'mail.x.test', 65280);
    ask($dns, 'big.x.test', 'TXT', ['edns' => null]);
    ask($dns, 'big.x.test', 'TXT', [], true);
    ask($dns, 'to.x.test', 'A', [], false, 0.01);
    ask($dns, 'tr.x.test', 'A', [], true);
    udp_ask($dns, query('bad.x.test', 'A'));
    ask($dns, 'sf.x.test', 'MX');
    ask($dns, 'dead.x.test', 'TXT', [], true, 0.01);
    $c = udp_client($dns);
    fwrite($c, "\x00\x01\x00");
    fclose($c);
    // a last query: the server handles packets in order, so every line above is written
    ask($dns, 'x.test', 'SOA', ['id' => 1]);
    same('queries()', [
        'Mail.x.test A -> NOERROR 1',
        'nodata.x.test AAAA -> NOERROR 0',
        'nx.x.test A -> NXDOMAIN',
        'mail.x.test TLSA -> NOERROR 0',
        'mail.x.test TYPE65280 -> NOERROR 0',
        'big.x.test TXT -> NOERROR 0 TC',
        'big.x.test TXT -> NOERROR 4 tcp',
        'to.x.test A -> NOREPLY fault=timeout',
        'tr.x.test A -> CLOSED tcp fault=truncate_always',
        'bad.x.test A -> MALFORMED fault=malformed',
        'sf.x.test MX -> SERVFAIL fault=delay:10,servfail',
        'dead.x.test TXT -> NOREPLY tcp fault=timeout',
        'x.test SOA -> NOERROR 0',
    ], $dns->queries());
    $log = $dns->queryLog();
    same('queryLog() entry', ['name' => 'big.x.test', 'type' => 'TXT', 'rcode' => 'NOERROR', 'answers' => 0, 'tc' => true, 'transport' => 'udp', 'fault' => null], $log[5]);
    same('queryLog() tcp', ['name' => 'big.x.test', 'type' => 'TXT', 'rcode' => 'NOERROR', 'answers' => 4, 'tc' => false, 'transport' => 'tcp', 'fault' => null], $log[6]);
    same('queryLog() fault', ['name' => 'dead.x.test', 'type' => 'TXT', 'rcode' => 'NOREPLY', 'answers' => 0, 'tc' => false, 'transport' => 'tcp', 'fault' => 'timeout'], $log[11]);
    same('queryLog() NXDOMAIN', ['NXDOMAIN', 0], [$log[2]['rcode'], $log[2]['answers']]);
    check('log(): ignored packet', str_contains($dns->log(), "IGNORED short packet\n"), $dns->log());
    $dns->stop();
});

// ---- zones ----------------------------------------------------------------------------

test('startZoneFile(), and a big zone through start()', function (): void {
    $zone = [];
    for ($i = 0; $i < 3000; $i++) {
        $zone["host$i.big.test"] = ['A' => [long2ip(0xC0000200 + ($i % 250))], 'TXT' => ["v=spf1 ip4:192.0.2.$i -all"]];
    }
    $dns = DnsTestServer::start($zone);
    check('zone JSON over 100 KB', strlen(json_encode($zone)) > 100000);
    same('last name', ['v=spf1 ip4:192.0.2.2999 -all'], datas(ask($dns, 'host2999.big.test', 'TXT'))[0]);
    $dns->stop();
    $file = (string)tempnam(sys_get_temp_dir(), 'smtpdiag-selftest-zone-');
    try {
        file_put_contents($file, json_encode([
            'spf.test' => ['TXT' => [['v=spf1 ', ['b64' => base64_encode("\xFF")]]]],
            'slow.spf.test' => 'TIMEOUT',
        ]));
        $dns = DnsTestServer::startZoneFile($file);
        same('from the file, b64 in a multi-string value', [['v=spf1 ', "\xFF"]], datas(ask($dns, 'spf.test', 'TXT')));
        same('TIMEOUT', null, ask($dns, 'slow.spf.test', 'TXT', [], false, SILENCE));
        $dns->stop();
    } finally {
        @unlink($file);
    }
    try {
        DnsTestServer::startZoneFile('/nonexistent/zone.json');
        check('missing zone file rejected', false);
    } catch (RuntimeException $e) {
        check('missing zone file rejected', str_contains($e->getMessage(), 'cannot read the zone file'), $e->getMessage());
    }
});

test('bad zones: start() throws with the reason', function (): void {
    foreach ([
        [['a.test' => ['A' => ['::1']]], 'is not an A address'],
        [['a.test' => ['AAAA' => ['1.2.3.4']]], 'is not an AAAA address'],
        [['a.test' => ['BOGUS' => ['x']]], 'unknown record type or key "BOGUS"'],
        [['a.test' => ['MX' => [['mx.test']]]], 'an MX value is [preference, host]'],
        [['a.test' => ['MX' => [[70000, 'mx.test']]]], 'preference: must be an integer 0..65535'],
        [['a.test' => ['TXT' => [[str_repeat('x', 256)]]]], 'at most 255 bytes'],
        [['a.test' => ['TXT' => [['b64' => '!!!']]]], 'is not valid base64'],
        [['a.test' => ['TXT' => [[]]]], 'non-empty list of strings'],
        [['a.test' => ['TLSA' => [[3, 1, 1, 'xyz']]]], 'must be a string of hex digits'],
        [['a.test' => ['SOA' => [['ns.test']]]], 'a SOA value is'],
        [['a.test' => ['CNAME' => ['b.test', 'c.test']]], 'more than one CNAME'],
        [['a.test' => ['CNAME' => ['b.test'], 'A' => ['192.0.2.1']]], 'a CNAME and other records'],
        [['a.test' => ['fault' => 'explode']], 'unknown fault "explode"'],
        [['a.test' => ['fault' => ['servfail', 'timeout']]], 'at most one fault besides delays'],
        [['a.test' => ['fault' => ['BOGUS' => 'timeout']]], 'unknown type "BOGUS" (types, or NODATA)'],
        [['a.test' => 'SLOW'], 'must be an object (or the string "TIMEOUT")'],
        [['a.test' => [['A' => []]]], 'not a list'],
        [['a.test' => ['AD' => 'yes']], 'AD must be true or false'],
        [['a.test' => [], 'A.TEST.' => []], 'listed twice'],
        [['a..test' => []], 'empty label'],
        [[str_repeat('x', 64) . '.test' => []], 'label over 63 octets'],
        [['a.test' => ['PTR' => ['b..test']]], 'empty label'],
        [['$options' => ['adx' => true]], 'unknown or invalid "$options" entry'],
    ] as [$zone, $message]) {
        try {
            DnsTestServer::start($zone);
            check("rejected: $message", false);
        } catch (RuntimeException $e) {
            check("rejected: $message", str_contains($e->getMessage(), $message), $e->getMessage());
        }
    }
});

// ---- dig --------------------------------------------------------------------------------

$dig = trim((string)shell_exec('command -v dig 2>/dev/null'));
if ($dig === '') {
    skip('dig cross-checks', 'dig is not installed (apt-get install bind9-dnsutils)');
} else {
    test('dig cross-checks (UDP, TCP, TC fallback to TCP, chains, wildcard, NXDOMAIN)', function () use ($dns, $dig, $long600): void {
        $run = static function (string ...$args) use ($dns, $dig): string {
            $cmd = array_merge([$dig, '@127.0.0.1', '-p', (string)$dns->port, '+tries=1', '+time=2'], $args);
            return (string)shell_exec(implode(' ', array_map('escapeshellarg', $cmd)) . ' 2>&1');
        };
        same('MX +short', "10 mail.x.test.\n20 Backup.X.Test.\n", $run('+short', 'x.test', 'MX'));
        same('TXT +tcp +short', "\"v=spf1 mx -all\"\n\"multi\" \"part\" \"\"\n", $run('+tcp', '+short', 'x.test', 'TXT'));
        same('TLSA +short', "3 1 1 " . strtoupper(TLSA_HEX) . "\n2 0 0 ABCDEF\n", $run('+short', '+nosplit', '_25._tcp.mail.x.test', 'TLSA'));
        same('chain +short', "c2.x.test.\nwww.x.test.\nMail.X.test.\n127.0.0.1\n192.0.2.7\n", $run('+short', 'c1.x.test', 'A'));
        same('wildcard +short', "\"wild\"\n", $run('+short', 'any.thing.w.x.test', 'TXT'));
        $out = $run('+noedns', 'big.x.test', 'TXT');
        check('TC over UDP, dig retries over TCP', str_contains($out, 'Truncated, retrying in TCP mode') && substr_count($out, str_repeat('j', 200)) === 1, $out);
        $out = $run('+noall', '+comments', '+authority', 'nx.x.test', 'A');
        check('NXDOMAIN with SOA, flags qr aa rd ra', str_contains($out, 'status: NXDOMAIN') && str_contains($out, 'flags: qr aa rd ra;')
            && preg_match('/^x\.test\.\s+60\s+IN\s+SOA\s+ns\.x\.test\. hostmaster\.x\.test\. 1 3600 600 86400 60$/m', $out) === 1, $out);
        $out = $run('+noall', '+comments', 'signed.test', 'A');
        check('AD from dig (it sets AD by default)', str_contains($out, 'flags: qr aa rd ra ad;'), $out);
        same('long TXT split, +short', '"' . implode('" "', str_split($long600, 255)) . '"', explode("\n", $run('+short', 'long.x.test', 'TXT'))[1]);
    });
}

$dns->stop();
finish();
