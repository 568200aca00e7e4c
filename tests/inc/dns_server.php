<?php

declare(strict_types=1);

/*
 * Scripted DNS responder (UDP and TCP) for the smtpdiag phpt tests: it stands
 * in for the recursive resolver given in the dns_servers option. Started by
 * DnsTestServer (tests/inc/dns.inc); its self-test is
 * tests/harness/dns_selftest.php.
 *
 *   php dns_server.php '<zone JSON>' [DELAY_MS [LIFETIME_S]]
 *   php dns_server.php @<zone JSON file> [DELAY_MS [LIFETIME_S]]
 *
 * Binds UDP 127.0.0.1 on port 0, then TCP 127.0.0.1 on the same port number
 * (a new port is tried, up to 10 times, when that TCP port is taken), prints
 * exactly one line "PORT <n>\n" to stdout and answers on both until
 * LIFETIME_S (default 20) seconds have passed or stdin (when it is a pipe or
 * socket from the parent) reaches EOF. Needs no extension (stream sockets
 * only). Exit status: 0 normal end, 2 bad usage or bad zone, 4 cannot bind.
 *
 * ZONE: a JSON object mapping names to records. Names are compared
 * case-insensitively (ASCII), a trailing dot is ignored; \. \\ and \DDD
 * escapes as in zone files.
 *
 *   {"mail.x.test":  {"A": ["127.0.0.1"], "AAAA": ["::1"]},
 *    "x.test":       {"MX": [[10, "mail.x.test"]], "TXT": ["v=spf1 -all"],
 *                     "fault": {"TLSA": "servfail"}},
 *    "www.x.test":   {"CNAME": ["mail.x.test"]},
 *    "*.w.x.test":   {"TXT": ["wild"]},
 *    "_25._tcp.mail.x.test": {"TLSA": [[3, 1, 1, "0123abcd..."]], "AD": true},
 *    "slow.x.test":  {"A": ["127.0.0.2"], "fault": "delay:300"},
 *    "dead.x.test":  "TIMEOUT",
 *    "nodata.x.test": {},
 *    "$options":     {"ad": false, "ttl": 60}}
 *
 * Record types (each a list of values, one value per record; a lone string
 * where a list of strings is expected counts as a list of one):
 *   A, AAAA       address strings.
 *   MX            [preference, host] pairs; host "" or "." is the root
 *                 (a null MX, RFC 7505: [0, "."]).
 *   TXT, SPF      (SPF is type 99) a value is either a string, one
 *                 character-string, cut into 255-byte character-strings
 *                 when longer ("" is one empty character-string), or a list
 *                 of strings, one record of several character-strings kept
 *                 as given (each at most 255 bytes). Strings are binary-safe;
 *                 as JSON cannot carry invalid UTF-8, a string may also be
 *                 written {"b64": "<base64>"} (DnsTestServer::start() does
 *                 that by itself for TXT/SPF strings that are not UTF-8).
 *   PTR, CNAME, NS  target names (at most one CNAME, and a name with a CNAME
 *                 has no other records, RFC 1034 3.6.2).
 *   TLSA          [usage, selector, matching type, "hex data"].
 *   SOA           [mname, rname, serial, refresh, retry, expire, minimum].
 *   TYPE<n>       raw RDATA in hex (RFC 3597), for any other type or for a
 *                 deliberately broken record (e.g. "TYPE16": [""], a TXT
 *                 record without character-strings).
 * Other keys of a name's map (case-insensitive like the type names):
 *   "AD": bool    the name is DNSSEC-signed (see AD below).
 *   "TTL": int    TTL of its records (default: the zone's, 60).
 *   "fault": F    for every query of the name; {"MX": F, "TXT": F} for
 *                 queries of those types only, and {"NODATA": F} for the
 *                 types the name has no records of (a type's own key wins,
 *                 then a fault for every type, then NODATA). F is one fault
 *                 or a list combining "delay:<ms>" with at most one other:
 *     timeout          never answer (UDP and TCP; the TCP connection stays open);
 *     servfail, refused, nxdomain, formerr
 *                      that rcode; no records (nxdomain: the CNAMEs leading
 *                      to the name, if any, and a SOA);
 *     truncate         over UDP TC=1 without records, over TCP the full answer;
 *     truncate_always  over UDP TC=1 without records, over TCP the connection
 *                      is closed without a reply;
 *     malformed        a corrupt reply: the right ID, the question, ANCOUNT 1,
 *                      and an answer record cut short inside its RDATA;
 *     wrong_id         the right answer with another ID (a client must drop
 *                      it, and then time out);
 *     delay:<ms>       the reply held <ms> ms, other replies going out
 *                      meanwhile (added to DELAY_MS).
 *   A name whose value is the string "TIMEOUT" instead of a map times out for
 *   every type (as {"fault": "timeout"}; the SPF conformance suite's notation
 *   for a name with only "- TIMEOUT"). The suite's records followed by
 *   "- TIMEOUT" (the types without records time out) are
 *   {"TXT": [...], "fault": {"NODATA": "timeout"}}.
 * "$options" (top level): {"ad": bool} every name is signed unless its map
 *   says "AD": false; {"ttl": int} the default TTL.
 *
 * ANSWERS, as an authoritative server for every name in the zone would give
 * them (and a validating resolver for the AD bit):
 *   - the header echoes the ID, the question exactly as asked (0x20 mixed
 *     case kept; answers owned by the queried name point at it), RD and CD;
 *     QR=1, AA=1, RA=1 (it stands in for a recursive resolver);
 *   - exact name: its records of the type (ANY: all of them); none: NODATA
 *     (NOERROR, empty answer, SOA in the authority section);
 *   - a CNAME answers every type but CNAME (and ANY): the CNAME record, then
 *     the chain is followed inside the zone (at most 16 CNAMEs; a loop ends
 *     it after the CNAME pointing back), the records of the type of the last
 *     name appended; NXDOMAIN/NODATA is decided at the end of the chain, and
 *     a fault of a name the chain reaches applies as if it had been queried
 *     (the first fault met counts);
 *   - a name not in the zone: NODATA when it is an empty non-terminal (a
 *     zone name lies below it); else, as RFC 1034 4.3.3 / RFC 4592 say, the
 *     wildcard "*.<closest encloser>" if the zone has it, answering with the
 *     queried name as owner; else NXDOMAIN (SOA in the authority section);
 *   - the SOA of a negative answer is the SOA record of the name or of its
 *     closest ancestor in the zone that has one; without one, it is made up
 *     for the last two labels of the name (nx.sub.x.test: owner "x.test",
 *     "ns.x.test. hostmaster.x.test. 1 3600 600 86400 60", TTL 60); a zone
 *     SOA goes out with TTL min(its TTL, its minimum) (RFC 2308 3);
 *   - AD=1 when the query set AD or DO (RFC 6840 5.7) and every name of the
 *     answer is signed: a name is signed by its own "AD", else by that of
 *     its closest ancestor in the zone saying "AD", else by "$options" "ad"
 *     (so a signed name's non-existent children are signed NXDOMAINs);
 *   - EDNS0: a query with an OPT record (in its additional section; other
 *     records of a query are skipped) gets an OPT back (UDP size 1232, DO
 *     copied) and its UDP size, between 512 and 1232, limits UDP replies;
 *     without OPT the limit is 512. An OPT version other than 0: BADVERS.
 *     A reply over the limit goes out with TC=1 and no records (a client
 *     retries over TCP, which gets the whole answer);
 *   - TCP: 2-byte length framing, several queries per connection (answered
 *     as they are ready, possibly out of order), many connections at once;
 *   - class other than IN/ANY: REFUSED; AXFR/IXFR: REFUSED; opcode other
 *     than QUERY: NOTIMP; not exactly one question, or a query that cannot
 *     be parsed: FORMERR (header only); responses (QR=1) and packets shorter
 *     than a header are ignored.
 *
 * LOG: one stderr line per query, written before the reply is sent:
 *   QUERY <name> <TYPE> -> <RESULT>[ <answers>][ TC][ tcp][ fault=<F>]
 * name as asked (presentation form), TYPE a mnemonic or TYPE<n>, RESULT an
 * rcode (NOERROR, NXDOMAIN, SERVFAIL, ...) or NOREPLY (nothing sent), CLOSED
 * (TCP connection closed, nothing sent), MALFORMED (corrupt packet sent);
 * answers is the number of answer records sent, given for NOERROR and for
 * other rcodes when not 0 ("x A -> NXDOMAIN", "x A -> NOERROR 0"); TC when
 * the reply was truncated; tcp for queries over TCP; F the fault applied, as
 * written in the zone (a list joined with commas: "delay:200,servfail").
 * Other packets: "BADQUERY <why> -> FORMERR|NOTIMP[ tcp]" (answered) and
 * "IGNORED <why>[ tcp]" (not answered).
 */

error_reporting(E_ALL);
ini_set('display_errors', 'stderr');

const LIFETIME_SECONDS = 20.0;
const DEFAULT_TTL = 60;
const EDNS_SIZE = 1232;
const MAX_CNAMES = 16;
const BIND_ATTEMPTS = 10;

const T_A = 1;
const T_NS = 2;
const T_CNAME = 5;
const T_SOA = 6;
const T_PTR = 12;
const T_MX = 15;
const T_TXT = 16;
const T_AAAA = 28;
const T_OPT = 41;
const T_TLSA = 52;
const T_SPF = 99;
const T_IXFR = 251;
const T_AXFR = 252;
const T_ANY = 255;

/** Mnemonics used in the log and accepted as fault keys. */
const TYPE_NAMES = [
    1 => 'A', 2 => 'NS', 5 => 'CNAME', 6 => 'SOA', 12 => 'PTR', 15 => 'MX', 16 => 'TXT', 28 => 'AAAA',
    33 => 'SRV', 41 => 'OPT', 43 => 'DS', 46 => 'RRSIG', 47 => 'NSEC', 48 => 'DNSKEY', 52 => 'TLSA',
    64 => 'SVCB', 65 => 'HTTPS', 99 => 'SPF', 251 => 'IXFR', 252 => 'AXFR', 255 => 'ANY', 257 => 'CAA',
];
/** Types a zone can hold by name (others: TYPE<n> with hex RDATA). */
const ZONE_TYPES = ['A', 'AAAA', 'MX', 'TXT', 'SPF', 'PTR', 'CNAME', 'NS', 'TLSA', 'SOA'];
const RCODE_NAMES = [0 => 'NOERROR', 1 => 'FORMERR', 2 => 'SERVFAIL', 3 => 'NXDOMAIN', 4 => 'NOTIMP', 5 => 'REFUSED', 16 => 'BADVERS'];
/** Faults that end the lookup with an rcode of their own. */
const FAULT_RCODES = ['servfail' => 2, 'refused' => 5, 'nxdomain' => 3, 'formerr' => 1];
const FAULT_KINDS = ['timeout', 'servfail', 'refused', 'nxdomain', 'formerr', 'truncate', 'truncate_always', 'malformed', 'wrong_id'];

function logline(string $line): void
{
    fwrite(STDERR, $line . "\n");
}

function zone_error(string $message): never
{
    logline("dns_server: bad zone: $message");
    exit(2);
}

/** Lower-case ASCII letters only: DNS names compare case-insensitively in ASCII. */
function dns_lower(string $s): string
{
    return strtr($s, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz');
}

/**
 * Presentation form of a name: "." for the root; ".", "\" and bytes outside
 * printable ASCII escaped (\. \\ \DDD), so the result never holds a space.
 * @param list<string> $labels
 */
function labels_text(array $labels): string
{
    if (!$labels) {
        return '.';
    }
    $out = [];
    foreach ($labels as $label) {
        $text = '';
        for ($i = 0, $n = strlen($label); $i < $n; $i++) {
            $c = $label[$i];
            $o = ord($c);
            if ($c === '.' || $c === '\\') {
                $text .= '\\' . $c;
            } elseif ($o <= 0x20 || $o >= 0x7F) {
                $text .= sprintf('\\%03d', $o);
            } else {
                $text .= $c;
            }
        }
        $out[] = $text;
    }
    return implode('.', $out);
}

/** Lookup key of a name: its lower-cased presentation form. @param list<string> $labels */
function name_key(array $labels): string
{
    return labels_text(array_map('dns_lower', $labels));
}

/**
 * Labels of a name in presentation form ("" and "." are the root; a
 * trailing dot is optional). Returns an error message instead when the name
 * is not valid (empty label, label over 63 octets, name over 255).
 * @return list<string>|string
 */
function text_labels(string $name): array|string
{
    if ($name === '' || $name === '.') {
        return [];
    }
    $labels = [];
    $label = '';
    $len = strlen($name);
    for ($i = 0; $i < $len; $i++) {
        $c = $name[$i];
        if ($c === '\\') {
            if ($i + 3 < $len && strspn($name, '0123456789', $i + 1, 3) === 3) {
                $v = (int)substr($name, $i + 1, 3);
                if ($v > 255) {
                    return "bad escape in \"$name\"";
                }
                $label .= chr($v);
                $i += 3;
            } elseif ($i + 1 < $len) {
                $label .= $name[++$i];
            } else {
                return "\"$name\" ends in a backslash";
            }
        } elseif ($c === '.') {
            if ($label === '') {
                return "\"$name\" has an empty label";
            }
            $labels[] = $label;
            $label = '';
        } else {
            $label .= $c;
        }
    }
    if ($label !== '') {
        $labels[] = $label;
    }
    $wire = 1;
    foreach ($labels as $l) {
        if (strlen($l) > 63) {
            return "\"$name\" has a label over 63 octets";
        }
        $wire += 1 + strlen($l);
    }
    if ($wire > 255) {
        return "\"$name\" is over 255 octets";
    }
    return $labels;
}

/** Uncompressed wire form of a name. @param list<string> $labels */
function wire_name(array $labels): string
{
    $out = '';
    foreach ($labels as $l) {
        $out .= chr(strlen($l)) . $l;
    }
    return $out . "\0";
}

/** "MX", "TXT", ... or "TYPE<n>". */
function type_name(int $type): string
{
    return TYPE_NAMES[$type] ?? "TYPE$type";
}

/** The type number of a mnemonic or TYPE<n> (case-insensitive), or null. */
function type_number(string $name): ?int
{
    $upper = strtoupper($name);
    $n = array_search($upper, TYPE_NAMES, true);
    if ($n !== false) {
        return $n;
    }
    if (preg_match('/^TYPE(\d{1,5})$/D', $upper, $m) && (int)$m[1] <= 0xFFFF) {
        return (int)$m[1];
    }
    return null;
}

/**
 * A DNS message being written: name compression points at earlier names
 * whose bytes are identical (case included), so every name keeps the case
 * it was written with.
 */
final class Wire
{
    /** The message so far; the 12 header bytes are filled in by the caller. */
    public string $buf;
    /** @var array<string,int> exact wire form of a name suffix => its offset */
    private array $offsets = [];

    public function __construct()
    {
        $this->buf = str_repeat("\0", 12);
    }

    /** @param list<string> $labels */
    public function name(array $labels): void
    {
        $n = count($labels);
        for ($i = 0; $i < $n; $i++) {
            $suffix = wire_name(array_slice($labels, $i));
            if (isset($this->offsets[$suffix])) {
                $this->buf .= pack('n', 0xC000 | $this->offsets[$suffix]);
                return;
            }
            if (strlen($this->buf) < 0x4000) {
                $this->offsets[$suffix] = strlen($this->buf);
            }
            $this->buf .= chr(strlen($labels[$i])) . $labels[$i];
        }
        $this->buf .= "\0";
    }

    /**
     * One resource record of class IN.
     * @param list<string> $owner
     * @param array $rec ['raw', bytes] | ['name', labels] | ['mx', pref, labels] | ['soa', mname, rname, list<int> 5 numbers]
     */
    public function rr(array $owner, int $type, int $ttl, array $rec): void
    {
        $this->name($owner);
        $this->buf .= pack('nnNn', $type, 1, $ttl, 0);
        $start = strlen($this->buf);
        switch ($rec[0]) {
            case 'raw':
                $this->buf .= $rec[1];
                break;
            case 'name':
                $this->name($rec[1]);
                break;
            case 'mx':
                $this->buf .= pack('n', $rec[1]);
                $this->name($rec[2]);
                break;
            case 'soa':
                $this->name($rec[1]);
                $this->name($rec[2]);
                $this->buf .= pack('NNNNN', ...$rec[3]);
                break;
        }
        $this->buf = substr_replace($this->buf, pack('n', strlen($this->buf) - $start), $start - 2, 2);
    }
}

/**
 * The zone: names with their records, faults, signing and TTL, and the
 * lookup that answers a question from them (see the file comment).
 */
final class Zone
{
    /**
     * @var array<string,array{labels:list<string>,rrsets:array<int,list<array>>,fault:?array,faults:array<int,array>,nodataFault:?array,ad:?bool,ttl:int}>
     * name key => entry; fault: for every type, faults: by type, nodataFault: for the types it has no records of
     */
    private array $names = [];
    /** @var array<string,true> keys of every existing name: zone names and their ancestors (empty non-terminals) */
    private array $exists = ['.' => true];
    private bool $ad = false;
    private int $ttl = DEFAULT_TTL;

    public static function fromJson(string $json): self
    {
        $data = json_decode($json, true);
        if (!is_array($data)) {
            zone_error('the zone must be a JSON object' . (json_last_error() ? ' (' . json_last_error_msg() . ')' : ''));
        }
        $zone = new self();
        if (array_key_exists('$options', $data)) {
            $zone->options($data['$options']);
            unset($data['$options']);
        }
        foreach ($data as $name => $records) {
            $zone->add((string)$name, $records);
        }
        return $zone;
    }

    private function options(mixed $options): void
    {
        if (!is_array($options) || ($options && array_is_list($options))) {
            zone_error('"$options" must be an object');
        }
        foreach ($options as $key => $value) {
            if ($key === 'ad' && is_bool($value)) {
                $this->ad = $value;
            } elseif ($key === 'ttl' && is_int($value) && $value >= 0 && $value <= 0x7FFFFFFF) {
                $this->ttl = $value;
            } else {
                zone_error('unknown or invalid "$options" entry ' . json_encode($key) . ' (known: "ad": bool, "ttl": int)');
            }
        }
    }

    private function add(string $name, mixed $records): void
    {
        $labels = text_labels($name);
        if (is_string($labels)) {
            zone_error($labels);
        }
        $key = name_key($labels);
        if (isset($this->names[$key])) {
            zone_error("\"$name\" is listed twice");
        }
        $entry = ['labels' => $labels, 'rrsets' => [], 'fault' => null, 'faults' => [], 'nodataFault' => null, 'ad' => null, 'ttl' => $this->ttl];
        if ($records === 'TIMEOUT') {
            $entry['fault'] = parse_fault('timeout', $name);
            $records = [];
        }
        if (!is_array($records)) {
            zone_error("the records of \"$name\" must be an object (or the string \"TIMEOUT\")");
        }
        if ($records && array_is_list($records)) {
            zone_error("the records of \"$name\" must be an object of TYPE => values, not a list");
        }
        $ttl = null;
        foreach ($records as $k => $values) {
            $k = (string)$k;
            $upper = strtoupper($k);
            if ($upper === 'AD') {
                if (!is_bool($values)) {
                    zone_error("\"$name\" AD must be true or false");
                }
                $entry['ad'] = $values;
            } elseif ($upper === 'TTL') {
                if (!is_int($values) || $values < 0 || $values > 0x7FFFFFFF) {
                    zone_error("\"$name\" TTL must be an integer 0..2147483647");
                }
                $ttl = $values;
            } elseif ($upper === 'FAULT') {
                if (is_array($values) && $values && !array_is_list($values)) {
                    foreach ($values as $t => $spec) {
                        if (strtoupper((string)$t) === 'NODATA') {
                            $entry['nodataFault'] = parse_fault($spec, "$name fault $t");
                            continue;
                        }
                        $type = type_number((string)$t);
                        if ($type === null) {
                            zone_error("\"$name\" fault: unknown type \"$t\" (types, or NODATA)");
                        }
                        $entry['faults'][$type] = parse_fault($spec, "$name fault $t");
                    }
                } else {
                    $entry['fault'] = parse_fault($values, "$name fault");
                }
            } elseif (in_array($upper, ZONE_TYPES, true)) {
                $type = (int)type_number($upper);
                $entry['rrsets'][$type] ??= [];
                array_push($entry['rrsets'][$type], ...load_values($type, false, $values, "$name $upper"));
            } elseif (preg_match('/^TYPE(\d{1,5})$/D', $upper, $m) && (int)$m[1] <= 0xFFFF) {
                $type = (int)$m[1];
                $entry['rrsets'][$type] ??= [];
                array_push($entry['rrsets'][$type], ...load_values($type, true, $values, "$name $upper"));
            } else {
                zone_error("\"$name\": unknown record type or key \"$k\" (types: " . implode(' ', ZONE_TYPES)
                    . ' TYPE<n>; keys: AD TTL fault)');
            }
        }
        $entry['ttl'] = $ttl ?? $this->ttl;
        $entry['rrsets'] = array_filter($entry['rrsets'], static fn (array $r): bool => $r !== []);
        if (isset($entry['rrsets'][T_CNAME])) {
            if (count($entry['rrsets'][T_CNAME]) > 1) {
                zone_error("\"$name\" has more than one CNAME");
            }
            if (count($entry['rrsets']) > 1) {
                zone_error("\"$name\" has a CNAME and other records (RFC 1034 3.6.2)");
            }
        }
        $this->names[$key] = $entry;
        $lower = array_map('dns_lower', $labels);
        for ($i = 0, $n = count($lower); $i <= $n; $i++) {
            $this->exists[labels_text(array_slice($lower, $i))] = true;
        }
    }

    /**
     * Answer a question.
     * @param list<string> $qlabels the name as asked
     * @return array{rcode:int,answers:list<array{0:?list<string>,1:int,2:int,3:array}>,soa:?array{0:list<string>,1:int,2:array},ad:bool,fault:?array}
     *   answers: [owner (null: the question name), type, ttl, record]; soa: [owner, ttl, record]
     */
    public function resolve(array $qlabels, int $qtype): array
    {
        $answers = [];
        $fault = null;
        $signed = true;
        $seen = [];
        $labels = $qlabels;
        $owner = null;
        while (true) {
            $lower = array_map('dns_lower', $labels);
            $key = labels_text($lower);
            [$entry, $found] = $this->find($lower);
            $signed = $signed && $this->signed($lower, $entry);
            $f = $entry === null ? null : ($entry['faults'][$qtype] ?? $entry['fault'] ?? $this->nodataFault($entry, $qtype));
            if ($f !== null && $fault === null) {
                $fault = $f;
                if ($f['kind'] === 'timeout') {
                    return ['rcode' => 2, 'answers' => [], 'soa' => null, 'ad' => false, 'fault' => $fault];
                }
                if (isset(FAULT_RCODES[$f['kind']])) {
                    $rcode = FAULT_RCODES[$f['kind']];
                    if ($rcode !== 3) {
                        return ['rcode' => $rcode, 'answers' => [], 'soa' => null, 'ad' => false, 'fault' => $fault];
                    }
                    return ['rcode' => 3, 'answers' => $answers, 'soa' => $this->soaFor($lower), 'ad' => $signed, 'fault' => $fault];
                }
            }
            if ($entry === null) {
                $rcode = $found === 'ent' ? 0 : 3;
                return ['rcode' => $rcode, 'answers' => $answers, 'soa' => $this->soaFor($lower), 'ad' => $signed, 'fault' => $fault];
            }
            $cname = $entry['rrsets'][T_CNAME][0] ?? null;
            if ($cname !== null && $qtype !== T_CNAME && $qtype !== T_ANY) {
                // The answer holds only CNAMEs so far: a 17th ends the chain, as does a loop.
                if (count($answers) >= MAX_CNAMES) {
                    return ['rcode' => 0, 'answers' => $answers, 'soa' => null, 'ad' => $signed, 'fault' => $fault];
                }
                $answers[] = [$owner, T_CNAME, $entry['ttl'], $cname];
                $seen[$key] = true;
                $labels = $cname[1];
                $owner = $cname[1];
                if (isset($seen[name_key($labels)])) {
                    return ['rcode' => 0, 'answers' => $answers, 'soa' => null, 'ad' => $signed, 'fault' => $fault];
                }
                continue;
            }
            $rrsets = $qtype === T_ANY ? $entry['rrsets'] : [$qtype => $entry['rrsets'][$qtype] ?? []];
            $before = count($answers);
            foreach ($rrsets as $type => $recs) {
                foreach ($recs as $rec) {
                    $answers[] = [$owner, $type, $entry['ttl'], $rec];
                }
            }
            $soa = count($answers) === $before ? $this->soaFor($lower) : null;
            return ['rcode' => 0, 'answers' => $answers, 'soa' => $soa, 'ad' => $signed, 'fault' => $fault];
        }
    }

    /** The fault of the types a name has no records of, when $qtype is one (it would get NODATA). */
    private function nodataFault(array $entry, int $qtype): ?array
    {
        if ($entry['nodataFault'] === null || $qtype === T_ANY || isset($entry['rrsets'][$qtype])
            || ($qtype !== T_CNAME && isset($entry['rrsets'][T_CNAME]))) {
            return null;
        }
        return $entry['nodataFault'];
    }

    /**
     * The entry answering a name: [entry, 'name'] for an exact match,
     * [wildcard entry, 'wildcard'], [null, 'ent'] for an empty non-terminal,
     * [null, 'nx'] when the name does not exist.
     * @param list<string> $lower
     */
    private function find(array $lower): array
    {
        $key = labels_text($lower);
        if (isset($this->names[$key])) {
            return [$this->names[$key], 'name'];
        }
        if (isset($this->exists[$key])) {
            return [null, 'ent'];
        }
        // RFC 4592 3.3.1: the closest encloser's "*" child, if any, is the source of synthesis.
        for ($i = 1, $n = count($lower); $i <= $n; $i++) {
            $encloser = array_slice($lower, $i);
            if (isset($this->exists[labels_text($encloser)])) {
                $wild = labels_text(['*', ...$encloser]);
                return isset($this->names[$wild]) ? [$this->names[$wild], 'wildcard'] : [null, 'nx'];
            }
        }
        return [null, 'nx'];
    }

    /** Whether a name is signed: its own AD, its closest ancestor's, the zone's. @param list<string> $lower */
    private function signed(array $lower, ?array $entry): bool
    {
        if ($entry !== null && $entry['ad'] !== null) {
            return $entry['ad'];
        }
        for ($i = 0, $n = count($lower); $i <= $n; $i++) {
            $e = $this->names[labels_text(array_slice($lower, $i))] ?? null;
            if ($e !== null && $e['ad'] !== null) {
                return $e['ad'];
            }
        }
        return $this->ad;
    }

    /**
     * The SOA for a negative answer about a name: the zone's SOA record at
     * the name or its closest ancestor, else one made up for its last two labels.
     * @param list<string> $lower
     * @return array{0:list<string>,1:int,2:array}
     */
    private function soaFor(array $lower): array
    {
        for ($i = 0, $n = count($lower); $i <= $n; $i++) {
            $e = $this->names[labels_text(array_slice($lower, $i))] ?? null;
            if ($e !== null && isset($e['rrsets'][T_SOA][0]) && $e['rrsets'][T_SOA][0][0] === 'soa') {
                $rec = $e['rrsets'][T_SOA][0];
                return [$e['labels'], min($e['ttl'], $rec[3][4]), $rec];
            }
        }
        $apex = array_slice($lower, -2);
        return [$apex, 60, ['soa', ['ns', ...$apex], ['hostmaster', ...$apex], [1, 3600, 600, 86400, 60]]];
    }
}

/**
 * Parse a fault: one of FAULT_KINDS or "delay:<ms>", or a list of them with
 * at most one that is not a delay.
 * @return array{kind:?string,delay:float,text:string}
 */
function parse_fault(mixed $spec, string $where): array
{
    $parts = is_string($spec) ? [$spec] : $spec;
    if (!is_array($parts) || !$parts || !array_is_list($parts)) {
        zone_error("$where: a fault is a string or a list of strings");
    }
    $fault = ['kind' => null, 'delay' => 0.0, 'text' => ''];
    foreach ($parts as $part) {
        if (!is_string($part)) {
            zone_error("$where: a fault is a string or a list of strings");
        }
        if (preg_match('/^delay:(\d+(?:\.\d+)?)$/D', $part, $m)) {
            $fault['delay'] += (float)$m[1] / 1000.0;
        } elseif (in_array($part, FAULT_KINDS, true)) {
            if ($fault['kind'] !== null) {
                zone_error("$where: at most one fault besides delays");
            }
            $fault['kind'] = $part;
        } else {
            zone_error("$where: unknown fault \"$part\" (known: " . implode(' ', FAULT_KINDS) . ' delay:<ms>)');
        }
    }
    $fault['text'] = implode(',', $parts);
    return $fault;
}

/**
 * The records of one type from the zone.
 * @return list<array> records for Wire::rr()
 */
function load_values(int $type, bool $raw, mixed $values, string $where): array
{
    if (is_string($values) || (is_array($values) && array_key_exists('b64', $values))) {
        $values = [$values];
    }
    if (!is_array($values) || !array_is_list($values)) {
        zone_error("$where: must be a list of values");
    }
    $out = [];
    foreach ($values as $i => $value) {
        $out[] = $raw ? ['raw', hex_value($value, "{$where}[$i]")] : load_value($type, $value, "{$where}[$i]");
    }
    return $out;
}

function load_value(int $type, mixed $v, string $where): array
{
    switch ($type) {
        case T_A:
        case T_AAAA:
            $packed = is_string($v) ? @inet_pton($v) : false;
            if ($packed === false || strlen($packed) !== ($type === T_A ? 4 : 16)) {
                zone_error("$where: " . json_encode($v) . ' is not an ' . type_name($type) . ' address');
            }
            return ['raw', $packed];
        case T_NS:
        case T_CNAME:
        case T_PTR:
            return ['name', name_value($v, $where)];
        case T_MX:
            if (!is_array($v) || !array_is_list($v) || count($v) !== 2) {
                zone_error("$where: an MX value is [preference, host]");
            }
            return ['mx', uint_value($v[0], 0xFFFF, "$where preference"), name_value($v[1], "$where host")];
        case T_TXT:
        case T_SPF:
            if (is_array($v) && !array_key_exists('b64', $v)) {
                if (!$v || !array_is_list($v)) {
                    zone_error("$where: a multi-string value is a non-empty list of strings");
                }
                $rdata = '';
                foreach ($v as $j => $s) {
                    $s = text_value($s, "{$where}[$j]");
                    if (strlen($s) > 255) {
                        zone_error("{$where}[$j]: a string of a multi-string value is at most 255 bytes");
                    }
                    $rdata .= chr(strlen($s)) . $s;
                }
                return ['raw', $rdata];
            }
            $s = text_value($v, $where);
            $rdata = '';
            foreach ($s === '' ? [''] : str_split($s, 255) as $chunk) {
                $rdata .= chr(strlen($chunk)) . $chunk;
            }
            return ['raw', $rdata];
        case T_TLSA:
            if (!is_array($v) || !array_is_list($v) || count($v) !== 4) {
                zone_error("$where: a TLSA value is [usage, selector, matching type, \"hex\"]");
            }
            return ['raw', chr(uint_value($v[0], 255, "$where usage")) . chr(uint_value($v[1], 255, "$where selector"))
                . chr(uint_value($v[2], 255, "$where matching type")) . hex_value($v[3], "$where data")];
        case T_SOA:
            if (!is_array($v) || !array_is_list($v) || count($v) !== 7) {
                zone_error("$where: a SOA value is [mname, rname, serial, refresh, retry, expire, minimum]");
            }
            $numbers = [];
            foreach (['serial', 'refresh', 'retry', 'expire', 'minimum'] as $j => $what) {
                $numbers[] = uint_value($v[$j + 2], 0xFFFFFFFF, "$where $what");
            }
            return ['soa', name_value($v[0], "$where mname"), name_value($v[1], "$where rname"), $numbers];
    }
    zone_error("$where: unsupported type");
}

/** @return list<string> */
function name_value(mixed $v, string $where): array
{
    if (!is_string($v)) {
        zone_error("$where: a name must be a string");
    }
    $labels = text_labels($v);
    if (is_string($labels)) {
        zone_error("$where: $labels");
    }
    return $labels;
}

function uint_value(mixed $v, int $max, string $where): int
{
    if (is_string($v) && $v !== '' && strspn($v, '0123456789') === strlen($v)) {
        $v = (int)$v;
    }
    if (!is_int($v) || $v < 0 || $v > $max) {
        zone_error("$where: must be an integer 0..$max");
    }
    return $v;
}

/** A TXT/SPF string: a string, or {"b64": "<base64>"}. */
function text_value(mixed $v, string $where): string
{
    if (is_string($v)) {
        return $v;
    }
    if (is_array($v) && count($v) === 1 && isset($v['b64']) && is_string($v['b64'])) {
        $bytes = base64_decode($v['b64'], true);
        if ($bytes === false) {
            zone_error("$where: \"b64\" is not valid base64");
        }
        return $bytes;
    }
    zone_error("$where: a string must be a JSON string or {\"b64\": \"...\"}");
}

/** Hex digits (spaces and colons allowed between them) to bytes. */
function hex_value(mixed $v, string $where): string
{
    $hex = is_string($v) ? str_replace([' ', ':'], '', $v) : null;
    if ($hex === null || strlen($hex) % 2 !== 0 || strspn($hex, '0123456789abcdefABCDEF') !== strlen($hex)) {
        zone_error("$where: must be a string of hex digits");
    }
    return (string)hex2bin($hex);
}

/**
 * Parse a query. A string: ignore the packet (that is why). Else the query;
 * 'error' set when it gets a header-only reply with 'rcode'.
 * @return array{id:int,flags:int,labels:list<string>,type:int,class:int,edns:?array{size:int,version:int,do:bool},error:?string,rcode:int}|string
 */
function parse_query(string $p): array|string
{
    $len = strlen($p);
    if ($len < 12) {
        return 'short packet';
    }
    $h = unpack('nid/nflags/nqd/nan/nns/nar', $p);
    if ($h['flags'] & 0x8000) {
        return 'not a query (QR set)';
    }
    $q = ['id' => $h['id'], 'flags' => $h['flags'], 'labels' => [], 'type' => 0, 'class' => 0, 'edns' => null, 'error' => null, 'rcode' => 0];
    $opcode = ($h['flags'] >> 11) & 0xF;
    if ($opcode !== 0) {
        return ['error' => "opcode $opcode", 'rcode' => 4] + $q;
    }
    if ($h['qd'] !== 1) {
        return ['error' => "{$h['qd']} questions", 'rcode' => 1] + $q;
    }
    $pos = 12;
    $labels = [];
    while (true) {
        if ($pos >= $len) {
            return ['error' => 'truncated name', 'rcode' => 1] + $q;
        }
        $l = ord($p[$pos++]);
        if ($l === 0) {
            break;
        }
        if ($l > 63 || $pos + $l > $len) {
            return ['error' => 'bad label in the question', 'rcode' => 1] + $q;
        }
        $labels[] = substr($p, $pos, $l);
        $pos += $l;
    }
    if ($pos + 4 > $len) {
        return ['error' => 'truncated question', 'rcode' => 1] + $q;
    }
    $qt = unpack('ntype/nclass', $p, $pos);
    $pos += 4;
    $q['labels'] = $labels;
    $q['type'] = $qt['type'];
    $q['class'] = $qt['class'];
    // Records of a query: answer and authority skipped, one OPT in the additional section.
    for ($i = 0, $n = $h['an'] + $h['ns'] + $h['ar']; $i < $n; $i++) {
        $root = $pos < $len && $p[$pos] === "\0";
        while ($pos < $len) {
            $l = ord($p[$pos]);
            if ($l === 0) {
                $pos++;
                break;
            }
            if (($l & 0xC0) === 0xC0) {
                $pos += 2;
                break;
            }
            $pos += 1 + $l;
        }
        if ($pos + 10 > $len) {
            return ['error' => 'truncated record', 'rcode' => 1] + $q;
        }
        $rr = unpack('ntype/nclass/Nttl/nrdlen', $p, $pos);
        $pos += 10 + $rr['rdlen'];
        if ($pos > $len) {
            return ['error' => 'truncated record', 'rcode' => 1] + $q;
        }
        if ($rr['type'] === T_OPT && $i >= $h['an'] + $h['ns']) {
            if ($q['edns'] !== null || !$root) {
                return ['error' => $root ? 'two OPT records' : 'OPT not owned by the root', 'rcode' => 1] + $q;
            }
            $q['edns'] = ['size' => $rr['class'], 'version' => ($rr['ttl'] >> 16) & 0xFF, 'do' => ($rr['ttl'] & 0x8000) !== 0];
        }
    }
    return $q;
}

/**
 * The reply to a query.
 * @param list<array> $answers as Zone::resolve() gives them
 */
function build_reply(array $q, int $rcode, array $answers, ?array $soa, bool $ad, bool $tc): string
{
    $w = new Wire();
    $w->name($q['labels']);
    $w->buf .= pack('nn', $q['type'], $q['class']);
    foreach ($answers as [$owner, $type, $ttl, $rec]) {
        $w->rr($owner ?? $q['labels'], $type, $ttl, $rec);
    }
    if ($soa !== null) {
        $w->rr($soa[0], T_SOA, $soa[1], $soa[2]);
    }
    if ($q['edns'] !== null) {
        // OPT: root owner, our UDP size, extended rcode, version 0, DO copied.
        $w->buf .= "\0" . pack('nnNn', T_OPT, EDNS_SIZE, (($rcode >> 4) << 24) | ($q['edns']['do'] ? 0x8000 : 0), 0);
    }
    // QR, opcode copied, AA, TC, RD copied, RA, AD, CD copied, rcode.
    $flags = 0x8000 | ($q['flags'] & 0x7800) | 0x0400 | ($tc ? 0x0200 : 0) | ($q['flags'] & 0x0100) | 0x0080
        | ($ad ? 0x0020 : 0) | ($q['flags'] & 0x0010) | ($rcode & 0xF);
    $header = pack('nnnnnn', $q['id'], $flags, 1, count($answers), $soa === null ? 0 : 1, $q['edns'] === null ? 0 : 1);
    return substr_replace($w->buf, $header, 0, 12);
}

/**
 * What to do about one received packet: null to send nothing, else the reply
 * (null: none) or close (TCP: drop the connection) after delay seconds.
 * @return array{reply:?string,close:bool,delay:float}|null
 */
function handle_packet(Zone $zone, string $packet, bool $tcp): ?array
{
    $via = $tcp ? ' tcp' : '';
    $q = parse_query($packet);
    if (is_string($q)) {
        logline("IGNORED $q$via");
        return null;
    }
    if ($q['error'] !== null) {
        logline("BADQUERY {$q['error']} -> " . RCODE_NAMES[$q['rcode']] . $via);
        $flags = 0x8000 | ($q['flags'] & 0x7900) | 0x0080 | $q['rcode'];
        return ['reply' => pack('nnnnnn', $q['id'], $flags, 0, 0, 0, 0), 'close' => false, 'delay' => 0.0];
    }
    $none = static fn (int $rcode): array => ['rcode' => $rcode, 'answers' => [], 'soa' => null, 'ad' => false, 'fault' => null];
    if ($q['edns'] !== null && $q['edns']['version'] !== 0) {
        $res = $none(16);
    } elseif ($q['class'] !== 1 && $q['class'] !== 255) {
        $res = $none(5);
    } elseif ($q['type'] === T_OPT) {
        $res = $none(1);
    } elseif ($q['type'] === T_AXFR || $q['type'] === T_IXFR) {
        $res = $none(5);
    } else {
        $res = $zone->resolve($q['labels'], $q['type']);
    }
    $fault = $res['fault'];
    $kind = $fault['kind'] ?? null;
    $delay = $fault['delay'] ?? 0.0;
    $prefix = 'QUERY ' . labels_text($q['labels']) . ' ' . type_name($q['type']) . ' -> ';
    $suffix = $via . ($fault === null ? '' : " fault={$fault['text']}");

    if ($kind === 'timeout') {
        logline($prefix . 'NOREPLY' . $suffix);
        return null;
    }
    if ($kind === 'truncate_always' && $tcp) {
        logline($prefix . 'CLOSED' . $suffix);
        return ['reply' => null, 'close' => true, 'delay' => $delay];
    }
    if ($kind === 'malformed') {
        logline($prefix . 'MALFORMED' . $suffix);
        $flags = 0x8000 | 0x0400 | ($q['flags'] & 0x0100) | 0x0080;
        $bad = pack('nnnnnn', $q['id'], $flags, 1, 1, 0, 0) . wire_name($q['labels']) . pack('nn', $q['type'], $q['class'])
            . pack('nnnNn', 0xC00C, $q['type'], 1, 60, 16) . "\x01\x02\x03";
        return ['reply' => $bad, 'close' => false, 'delay' => $delay];
    }
    $ad = $res['ad'] && (($q['flags'] & 0x0020) !== 0 || ($q['edns']['do'] ?? false));
    $reply = build_reply($q, $res['rcode'], $res['answers'], $res['soa'], $ad, false);
    $limit = $tcp ? 0xFFFF : ($q['edns'] === null ? 512 : max(512, min($q['edns']['size'], EDNS_SIZE)));
    $tc = (!$tcp && ($kind === 'truncate' || $kind === 'truncate_always')) || strlen($reply) > $limit;
    if ($tc) {
        $reply = build_reply($q, $res['rcode'], [], null, $ad, true);
    }
    $n = $tc ? 0 : count($res['answers']);
    if ($kind === 'wrong_id') {
        $reply = pack('n', ($q['id'] + 1) & 0xFFFF) . substr($reply, 2);
    }
    logline($prefix . RCODE_NAMES[$res['rcode']] . ($res['rcode'] === 0 || $n > 0 ? " $n" : '') . ($tc ? ' TC' : '') . $suffix);
    return ['reply' => $reply, 'close' => false, 'delay' => $delay];
}

/**
 * The event loop: one UDP socket, one TCP listener on the same port, any
 * number of TCP clients, and the replies being held back (delays).
 */
final class Server
{
    /** @var array<int,array{sock:resource,in:string,out:string,eof:bool,waiting:int}> resource id => TCP client */
    private array $conns = [];
    /** @var list<array{due:float,conn:?int,peer:string,reply:?string,close:bool}> held replies (conn null: UDP to peer) */
    private array $held = [];

    /**
     * @param resource $udp
     * @param resource $tcp
     */
    public function __construct(private Zone $zone, private $udp, private $tcp, private float $delay)
    {
    }

    public function run(float $deadline, bool $watchStdin): void
    {
        while (($left = $deadline - microtime(true)) > 0) {
            $next = $this->sendDue();
            if ($next !== null) {
                $left = max(0.0, min($left, $next - microtime(true)));
            }
            $r = [$this->udp, $this->tcp];
            if ($watchStdin) {
                $r[] = STDIN;
            }
            $w = [];
            foreach ($this->conns as $c) {
                if (!$c['eof']) {
                    $r[] = $c['sock'];
                }
                if ($c['out'] !== '') {
                    $w[] = $c['sock'];
                }
            }
            $e = null;
            $n = @stream_select($r, $w, $e, (int)$left, (int)(($left - (int)$left) * 1e6));
            if ($n === false || $n === 0) {
                continue;
            }
            foreach ($r as $s) {
                if ($s === STDIN) {
                    $data = fread(STDIN, 8192);
                    if (($data === '' || $data === false) && feof(STDIN)) {
                        return;
                    }
                } elseif ($s === $this->udp) {
                    $this->readUdp();
                } elseif ($s === $this->tcp) {
                    $this->accept();
                } else {
                    $this->readTcp((int)$s);
                }
            }
            foreach ($w as $s) {
                $this->writeTcp((int)$s);
            }
        }
    }

    /** Send the held replies that are due; returns the next due time, if any. */
    private function sendDue(): ?float
    {
        $now = microtime(true);
        $next = null;
        $keep = [];
        foreach ($this->held as $h) {
            if ($h['due'] <= $now) {
                if ($h['conn'] !== null && isset($this->conns[$h['conn']])) {
                    $this->conns[$h['conn']]['waiting']--;
                }
                $this->deliver($h['conn'], $h['peer'], $h['reply'], $h['close']);
            } else {
                $keep[] = $h;
                $next = $next === null ? $h['due'] : min($next, $h['due']);
            }
        }
        // deliver() never holds, so nothing was added meanwhile.
        $this->held = $keep;
        return $next;
    }

    /** Act on handle_packet()'s answer now, or hold it for its delay. */
    private function dispatch(?array $act, ?int $conn, string $peer): void
    {
        if ($act === null) {
            return;
        }
        $delay = $this->delay + $act['delay'];
        if ($delay <= 0) {
            $this->deliver($conn, $peer, $act['reply'], $act['close']);
            return;
        }
        if ($conn !== null) {
            $this->conns[$conn]['waiting']++;
        }
        $this->held[] = ['due' => microtime(true) + $delay, 'conn' => $conn, 'peer' => $peer, 'reply' => $act['reply'], 'close' => $act['close']];
    }

    private function deliver(?int $conn, string $peer, ?string $reply, bool $close): void
    {
        if ($conn === null) {
            if ($reply !== null) {
                @stream_socket_sendto($this->udp, $reply, 0, $peer);
            }
            return;
        }
        if (!isset($this->conns[$conn])) {
            return;
        }
        if ($close) {
            $this->close($conn);
            return;
        }
        if ($reply !== null) {
            $this->conns[$conn]['out'] .= pack('n', strlen($reply)) . $reply;
            $this->writeTcp($conn);
        }
    }

    private function readUdp(): void
    {
        $packet = @stream_socket_recvfrom($this->udp, 65535, 0, $peer);
        if (!is_string($packet) || $packet === '') {
            return;
        }
        $this->dispatch(handle_packet($this->zone, $packet, false), null, (string)$peer);
    }

    private function accept(): void
    {
        for ($i = 0; $i < 64; $i++) {
            $s = @stream_socket_accept($this->tcp, 0);
            if ($s === false) {
                return;
            }
            stream_set_blocking($s, false);
            stream_set_read_buffer($s, 0);
            stream_set_write_buffer($s, 0);
            $this->conns[(int)$s] = ['sock' => $s, 'in' => '', 'out' => '', 'eof' => false, 'waiting' => 0];
        }
    }

    private function readTcp(int $id): void
    {
        if (!isset($this->conns[$id])) {
            return;
        }
        $data = @fread($this->conns[$id]['sock'], 65536);
        if ($data === false || $data === '') {
            if ($data === false || feof($this->conns[$id]['sock'])) {
                $this->conns[$id]['eof'] = true;
                $this->closeIfDone($id);
            }
            return;
        }
        $this->conns[$id]['in'] .= $data;
        while (isset($this->conns[$id]) && strlen($this->conns[$id]['in']) >= 2) {
            $len = unpack('n', $this->conns[$id]['in'])[1];
            if (strlen($this->conns[$id]['in']) < 2 + $len) {
                break;
            }
            $message = substr($this->conns[$id]['in'], 2, $len);
            $this->conns[$id]['in'] = (string)substr($this->conns[$id]['in'], 2 + $len);
            $this->dispatch(handle_packet($this->zone, $message, true), $id, '');
        }
    }

    private function writeTcp(int $id): void
    {
        if (!isset($this->conns[$id]) || $this->conns[$id]['out'] === '') {
            return;
        }
        $n = @fwrite($this->conns[$id]['sock'], $this->conns[$id]['out']);
        if ($n === false) {
            $this->close($id);
            return;
        }
        $this->conns[$id]['out'] = (string)substr($this->conns[$id]['out'], $n);
        $this->closeIfDone($id);
    }

    /** A client that has sent EOF is closed once every reply it waits for is out. */
    private function closeIfDone(int $id): void
    {
        $c = $this->conns[$id] ?? null;
        if ($c !== null && $c['eof'] && $c['out'] === '' && $c['waiting'] === 0) {
            $this->close($id);
        }
    }

    private function close(int $id): void
    {
        if (isset($this->conns[$id])) {
            fclose($this->conns[$id]['sock']);
            unset($this->conns[$id]);
        }
    }
}

/**
 * Bind UDP 127.0.0.1:0, then TCP on the same port number; when that TCP port
 * is taken, start again with a new UDP port.
 * @return array{0:resource,1:resource,2:int} UDP socket, TCP listener, port
 */
function bind_sockets(): array
{
    $why = '';
    for ($attempt = 0; $attempt < BIND_ATTEMPTS; $attempt++) {
        $udp = @stream_socket_server('udp://127.0.0.1:0', $errno, $errstr, STREAM_SERVER_BIND);
        if ($udp === false) {
            logline("dns_server: cannot bind UDP: $errstr");
            exit(4);
        }
        $name = (string)stream_socket_get_name($udp, false);
        $port = (int)substr($name, (int)strrpos($name, ':') + 1);
        $ctx = stream_context_create(['socket' => ['backlog' => 128]]);
        $tcp = @stream_socket_server("tcp://127.0.0.1:$port", $errno, $errstr, STREAM_SERVER_BIND | STREAM_SERVER_LISTEN, $ctx);
        if ($tcp !== false) {
            stream_set_blocking($tcp, false);
            stream_set_blocking($udp, false);
            return [$udp, $tcp, $port];
        }
        $why = $errstr;
        fclose($udp);
    }
    logline("dns_server: cannot bind TCP beside UDP after " . BIND_ATTEMPTS . " attempts: $why");
    exit(4);
}

if ($argc < 2 || $argc > 4) {
    logline('usage: php dns_server.php <zone JSON> | @<zone JSON file> [DELAY_MS [LIFETIME_S]]');
    exit(2);
}
$json = $argv[1];
if (str_starts_with($json, '@')) {
    $json = @file_get_contents(substr($json, 1));
    if ($json === false) {
        logline('dns_server: cannot read the zone file ' . substr($argv[1], 1));
        exit(2);
    }
}
$zone = Zone::fromJson($json);
$delay = isset($argv[2]) ? max(0.0, (float)$argv[2] / 1000.0) : 0.0;
$lifetime = isset($argv[3]) ? max(1.0, (float)$argv[3]) : LIFETIME_SECONDS;

[$udp, $tcp, $port] = bind_sockets();
fwrite(STDOUT, "PORT $port\n");
fflush(STDOUT);

$stat = fstat(STDIN);
$mode = is_array($stat) ? ($stat['mode'] & 0170000) : 0;
$watchStdin = $mode === 0010000 || $mode === 0140000;

(new Server($zone, $udp, $tcp, $delay))->run(microtime(true) + $lifetime, $watchStdin);
exit(0);
