#!/usr/bin/env python3
"""Convert the RFC 7208 SPF conformance suite (openspf / pyspf YAML) for the
project's drivers.

    suite.py rfc7208-tests.yml            line format for tests/core/test_spf_suite.c
    suite.py --json rfc7208-tests.yml     JSON for drivers in other languages

Both apply the reference driver's rule first: an SPF record is also served
as TXT for its name unless that name has a TXT entry of its own ("TXT:
NONE" included, which means no TXT record at all).

Line format, one record per line, fields separated by single spaces, every
free-form field hex-encoded ("-" when empty or absent):
    S <hex description>                       a scenario starts
    Z <hex name> <TYPE> <hex value>             a record (MX value: "pref host")
    Z <hex name> TXT <hex string>,<hex string>  a TXT (or SPF) record of several strings
    Z <hex name> TXT -                          a TXT (or SPF) record of no strings at all
    Z <hex name> TIMEOUT -                      queries the zone does not answer time out
    T <test> <host> <hex helo> <hex mailfrom> <result,result...> <hex explanation>

JSON: a list of scenarios, each {description, zone: {name: [[TYPE, value...],
...] or "TIMEOUT"}, tests: {name: {helo, host, mailfrom, result: [...],
explanation?}}}. MX values are [pref, host], TXT values a string or a list
of strings; bytes that are not valid UTF-8 are {"b64": "..."}.
"""
import base64
import json
import sys

import yaml


def raw(s):
    """YAML double-quoted escapes such as \\xEF stand for raw bytes."""
    if isinstance(s, bytes):
        return s
    s = str(s)
    try:
        return s.encode('latin-1')
    except UnicodeEncodeError:
        return s.encode('utf-8')


def zone_of(zonedata):
    """name -> (records [(TYPE, value)], timeout flag), SPF->TXT applied."""
    zone = {}
    for name, recs in (zonedata or {}).items():
        if recs == 'TIMEOUT':
            recs = ['TIMEOUT']
        out, timeout, own_txt, spf = [], False, False, []
        for r in recs or []:
            if r == 'TIMEOUT':
                timeout = True
                continue
            for typ, val in r.items():
                if typ == 'TXT':
                    own_txt = True
                    if val == 'NONE':
                        continue
                if typ == 'SPF':
                    spf.append(val)
                out.append((typ, val))
        if not own_txt:
            out.extend(('TXT', v) for v in spf)
        zone[str(name)] = (out, timeout)
    return zone


def results(t):
    r = t['result']
    return r if isinstance(r, list) else [r]


def hexs(b):
    b = raw(b)
    return b.hex() if b else '-'


def lines(docs):
    for doc in docs:
        yield 'S ' + hexs(doc.get('description', ''))
        for name, (recs, timeout) in zone_of(doc.get('zonedata')).items():
            for typ, val in recs:
                if typ == 'MX':
                    val = '%s %s' % (val[0], val[1])
                if typ in ('TXT', 'SPF') and isinstance(val, list):
                    yield 'Z %s %s %s' % (hexs(name), typ, ','.join(raw(v).hex() for v in val) or '-')
                    continue
                yield 'Z %s %s %s' % (hexs(name), typ, hexs(val))
            if timeout:
                yield 'Z %s TIMEOUT -' % hexs(name)
        for tname, t in doc['tests'].items():
            yield 'T %s %s %s %s %s %s' % (tname, t['host'], hexs(t.get('helo', '')), hexs(t.get('mailfrom', '')),
                                           ','.join(results(t)), hexs(t.get('explanation', '')))


def jval(v):
    b = raw(v)
    try:
        return b.decode('utf-8')
    except UnicodeDecodeError:
        return {'b64': base64.b64encode(b).decode('ascii')}


def as_json(docs):
    out = []
    for doc in docs:
        zone = {}
        for name, (recs, timeout) in zone_of(doc.get('zonedata')).items():
            if timeout and not recs:
                zone[name] = 'TIMEOUT'
                continue
            rows = []
            for typ, val in recs:
                if typ == 'MX':
                    rows.append([typ, int(val[0]), str(val[1])])
                elif typ in ('TXT', 'SPF') and isinstance(val, list):
                    rows.append([typ, [jval(v) for v in val]])
                else:
                    rows.append([typ, jval(val)])
            if timeout:
                rows.append(['TIMEOUT'])
            zone[name] = rows
        tests = {}
        for tname, t in doc['tests'].items():
            e = {'helo': str(t.get('helo', '')), 'host': str(t['host']), 'mailfrom': str(t.get('mailfrom', '')),
                 'result': results(t)}
            if 'explanation' in t:
                e['explanation'] = str(t['explanation'])
            tests[tname] = e
        out.append({'description': str(doc.get('description', '')), 'zone': zone, 'tests': tests})
    return out


def main(argv):
    args = [a for a in argv[1:] if a != '--json']
    if len(args) != 1:
        sys.stderr.write('usage: suite.py [--json] rfc7208-tests.yml\n')
        return 2
    with open(args[0], 'rb') as f:
        docs = [d for d in yaml.safe_load_all(f) if d]
    if '--json' in argv:
        json.dump(as_json(docs), sys.stdout, indent=1, ensure_ascii=False)
        sys.stdout.write('\n')
    else:
        for line in lines(docs):
            sys.stdout.write(line + '\n')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
