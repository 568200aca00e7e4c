<?php

declare(strict_types=1);

/*
 * Minimal UDP DNS responder for the smtpdiag phpt tests.
 *
 *   php dns_server.php '<zone JSON>' [DELAY_MS [LIFETIME_S]]
 *
 * The zone maps names to records:
 *   {"mail.smtpdiag.test": {"A": ["127.0.0.1"], "AAAA": ["::1"]},
 *    "nodata.smtpdiag.test": {}}
 * Names are compared case-insensitively, without a trailing dot.
 *
 * Binds 127.0.0.1 on UDP port 0, prints exactly one line "PORT <n>\n" to
 * stdout, then answers:
 *   - A / AAAA queries for a name in the zone: the listed addresses, in the
 *     order given (NOERROR); no addresses of that type -> NOERROR with an
 *     empty answer section (NODATA);
 *   - A / AAAA queries for a name not in the zone: NXDOMAIN;
 *   - anything else (other query types, other opcodes, responses, several
 *     questions, malformed packets) is ignored: no reply at all.
 * Every packet is logged to stderr as one line:
 *   "QUERY <name> <type> -> NOERROR 2" (answers), "... -> NXDOMAIN",
 *   or "IGNORED <reason>".
 *
 * With DELAY_MS (default 0) each reply is held that long before it is sent,
 * replies to other queries going out meanwhile (a network round trip, for
 * bench/check.php). The process exits after LIFETIME_S (default 20) seconds,
 * or as soon as stdin (when it is a pipe from
 * the parent) reaches EOF. Needs no extension (stream sockets only).
 * Exit status: 0 normal end, 2 bad usage, 4 cannot bind.
 */

error_reporting(E_ALL);
ini_set('display_errors', 'stderr');

const LIFETIME_SECONDS = 20.0;
const TYPE_A = 1;
const TYPE_AAAA = 28;

function logline(string $line): void
{
    fwrite(STDERR, $line . "\n");
}

/**
 * @return array<string,array{A:list<string>,AAAA:list<string>}> lower-case name => records
 */
function load_zone(string $json): array
{
    $zone = json_decode($json, true);
    if (!is_array($zone)) {
        logline('dns_server: the zone must be a JSON object');
        exit(2);
    }
    $out = [];
    foreach ($zone as $name => $records) {
        if (!is_array($records)) {
            logline("dns_server: records of \"$name\" must be an object");
            exit(2);
        }
        $entry = ['A' => [], 'AAAA' => []];
        foreach (['A' => 4, 'AAAA' => 16] as $type => $len) {
            foreach ((array)($records[$type] ?? []) as $addr) {
                $packed = @inet_pton((string)$addr);
                if ($packed === false || strlen($packed) !== $len) {
                    logline("dns_server: \"$addr\" is not a valid $type address");
                    exit(2);
                }
                $entry[$type][] = $packed;
            }
        }
        $out[rtrim(strtolower((string)$name), '.')] = $entry;
    }
    return $out;
}

/**
 * Parse a query. Returns [id, flags, name, qtype, question bytes] or a string
 * saying why the packet is ignored.
 * @return array{0:int,1:int,2:string,3:int,4:string}|string
 */
function parse_query(string $packet): array|string
{
    if (strlen($packet) < 12) {
        return 'short packet';
    }
    $h = unpack('nid/nflags/nqd/nan/nns/nar', $packet);
    if ($h['flags'] & 0x8000) {
        return 'not a query (QR set)';
    }
    if ((($h['flags'] >> 11) & 0xF) !== 0) {
        return 'opcode is not QUERY';
    }
    if ($h['qd'] !== 1) {
        return "{$h['qd']} questions";
    }
    $labels = [];
    $pos = 12;
    while (true) {
        if ($pos >= strlen($packet)) {
            return 'truncated name';
        }
        $len = ord($packet[$pos]);
        $pos++;
        if ($len === 0) {
            break;
        }
        if ($len > 63 || $pos + $len > strlen($packet)) {
            return 'bad label';
        }
        $labels[] = substr($packet, $pos, $len);
        $pos += $len;
    }
    if ($pos + 4 > strlen($packet)) {
        return 'truncated question';
    }
    $q = unpack('ntype/nclass', $packet, $pos);
    $question = substr($packet, 12, $pos + 4 - 12);
    return [$h['id'], $h['flags'], implode('.', $labels), $q['type'], $question];
}

/** @param list<string> $rdatas packed addresses */
function build_reply(int $id, int $queryFlags, string $question, int $rcode, int $type, array $rdatas): string
{
    // QR, AA, RA; RD copied from the query.
    $flags = 0x8000 | 0x0400 | ($queryFlags & 0x0100) | 0x0080 | $rcode;
    $reply = pack('nnnnnn', $id, $flags, 1, count($rdatas), 0, 0) . $question;
    foreach ($rdatas as $rdata) {
        // name: pointer to the question's name at offset 12; class IN; TTL 60
        $reply .= pack('nnnNn', 0xC00C, $type, 1, 60, strlen($rdata)) . $rdata;
    }
    return $reply;
}

if ($argc < 2 || $argc > 4) {
    logline('usage: php dns_server.php <zone JSON> [DELAY_MS [LIFETIME_S]]');
    exit(2);
}
$zone = load_zone($argv[1]);
$delay = isset($argv[2]) ? max(0.0, (float)$argv[2] / 1000.0) : 0.0;
$lifetime = isset($argv[3]) ? max(1.0, (float)$argv[3]) : LIFETIME_SECONDS;
/** @var list<array{float,string,string}> replies waiting for their time: due, packet, peer */
$pending = [];

$server = @stream_socket_server('udp://127.0.0.1:0', $errno, $errstr, STREAM_SERVER_BIND);
if ($server === false) {
    logline("dns_server: cannot bind: $errstr");
    exit(4);
}
$name = (string)stream_socket_get_name($server, false);
fwrite(STDOUT, 'PORT ' . substr($name, (int)strrpos($name, ':') + 1) . "\n");
fflush(STDOUT);

$stat = fstat(STDIN);
$mode = is_array($stat) ? ($stat['mode'] & 0170000) : 0;
$watchStdin = $mode === 0010000 || $mode === 0140000;

$deadline = microtime(true) + $lifetime;
while (($left = $deadline - microtime(true)) > 0) {
    while ($pending && $pending[0][0] <= microtime(true)) {
        [, $reply, $peer] = array_shift($pending);
        stream_socket_sendto($server, $reply, 0, $peer);
    }
    if ($pending) {
        $left = max(0.0, min($left, $pending[0][0] - microtime(true)));
    }
    $r = $watchStdin ? [$server, STDIN] : [$server];
    $w = $e = null;
    $n = @stream_select($r, $w, $e, (int)$left, (int)(($left - (int)$left) * 1e6));
    if ($n === false || $n === 0) {
        continue;
    }
    if ($watchStdin && in_array(STDIN, $r, true)) {
        $data = fread(STDIN, 8192);
        if (($data === '' || $data === false) && feof(STDIN)) {
            exit(0);
        }
    }
    if (!in_array($server, $r, true)) {
        continue;
    }
    $packet = stream_socket_recvfrom($server, 4096, 0, $peer);
    if ($packet === false || $packet === '') {
        continue;
    }
    $q = parse_query($packet);
    if (is_string($q)) {
        logline("IGNORED $q");
        continue;
    }
    [$id, $flags, $qname, $qtype, $question] = $q;
    $typeName = $qtype === TYPE_A ? 'A' : ($qtype === TYPE_AAAA ? 'AAAA' : null);
    if ($typeName === null) {
        logline("IGNORED $qname type $qtype");
        continue;
    }
    $records = $zone[rtrim(strtolower($qname), '.')] ?? null;
    if ($records === null) {
        $reply = build_reply($id, $flags, $question, 3, $qtype, []);
        logline("QUERY $qname $typeName -> NXDOMAIN");
    } else {
        $reply = build_reply($id, $flags, $question, 0, $qtype, $records[$typeName]);
        logline("QUERY $qname $typeName -> NOERROR " . count($records[$typeName]));
    }
    if ($delay > 0) {
        $pending[] = [microtime(true) + $delay, $reply, $peer];
    } else {
        stream_socket_sendto($server, $reply, 0, $peer);
    }
}
exit(0);
