--TEST--
smtpdiag_classify(): the corpus of real replies (tests/classify/corpus.json, each with its public source) gets the expected category and transient flag; every verbatim reply must pass
--EXTENSIONS--
smtpdiag
--FILE--
<?php
$doc = json_decode(file_get_contents(__DIR__ . '/corpus.json'), true, 512, JSON_THROW_ON_ERROR);
$entries = $doc['entries'];

$commands = ['CONNECT', 'EHLO', 'HELO', 'STARTTLS', 'AUTH', 'MAIL', 'RCPT', 'DATA'];
$categories = ['auth_failed', 'auth_required', 'auth_unsupported', 'tls_required', 'tls_error', 'mailbox_unavailable',
    'mailbox_name_invalid', 'mailbox_full', 'sender_rejected', 'relay_denied', 'rate_limited', 'spam_or_policy',
    'message_too_large', 'greylisted', 'temporary_local_error', 'service_unavailable', 'syntax_error', 'other'];

// The corpus itself: well-formed entries, each with a source, no duplicate.
$schema = [];
$seen = [];
foreach ($entries as $i => $e) {
    foreach (['reply', 'command', 'category', 'transient', 'source', 'origin'] as $k) {
        if (!array_key_exists($k, $e)) {
            $schema[] = "#$i: no $k";
        }
    }
    if (!in_array($e['command'] ?? '', $commands, true)) {
        $schema[] = "#$i: unknown command " . var_export($e['command'] ?? null, true);
    }
    if (!in_array($e['category'] ?? '', $categories, true)) {
        $schema[] = "#$i: unknown category " . var_export($e['category'] ?? null, true);
    }
    if (!is_bool($e['transient'] ?? null) || (isset($e['verbatim']) && !is_bool($e['verbatim']))) {
        $schema[] = "#$i: transient and verbatim must be booleans";
    }
    if (strlen(trim($e['source'] ?? '')) < 10) {
        $schema[] = "#$i: no usable source";
    }
    $key = ($e['reply'] ?? '') . "\0" . ($e['command'] ?? '') . "\0" . ($e['host'] ?? '');
    if (isset($seen[$key])) {
        $schema[] = "#$i: duplicate of #{$seen[$key]}";
    }
    $seen[$key] = $i;
}
echo "schema errors: ", count($schema), "\n", $schema ? implode("\n", $schema) . "\n" : '';

$n = $nv = $ok = $okv = $okCat = $okTransient = 0;
foreach ($entries as $i => $e) {
    $verbatim = $e['verbatim'] ?? true;
    $options = ['command' => $e['command']];
    if (isset($e['host'])) {
        $options['host'] = $e['host'];
    }
    try {
        $r = smtpdiag_classify($e['reply'], $options);
    } catch (Throwable $t) {
        $r = ['category' => get_class($t) . ': ' . $t->getMessage(), 'transient' => null, 'matched' => ''];
    }
    $good = $r['category'] === $e['category'] && $r['transient'] === $e['transient'];
    $n++;
    $ok += $good;
    $okCat += $r['category'] === $e['category'];
    $okTransient += $r['transient'] === $e['transient'];
    if ($verbatim) {
        $nv++;
        $okv += $good;
    }
    if (!$good) {
        printf("%s #%d %s (%s%s):\n  reply:    %s\n  expected: %s, transient %s\n  got:      %s, transient %s (%s)\n",
            $verbatim ? 'FAILED' : 'failed (not verbatim)', $i, $e['origin'], $e['command'],
            isset($e['host']) ? ', ' . $e['host'] : '', str_replace("\n", ' | ', $e['reply']),
            $e['category'], var_export($e['transient'], true), $r['category'], var_export($r['transient'], true), $r['matched']);
    }
}
printf("entries: %d (at least 220: %s), verbatim: %d\n", $n, $n >= 220 ? 'yes' : 'no', $nv);
printf("verbatim: %d/%d correct (%.1f%%)\n", $okv, $nv, 100 * $okv / $nv);
printf("all: %d/%d correct (%.1f%%), category %d, transient %d\n", $ok, $n, 100 * $ok / $n, $okCat, $okTransient);
?>
--EXPECTF--
schema errors: 0
%Aentries: %d (at least 220: yes), verbatim: %d
verbatim: %d/%d correct (100.0%)
all: %d/%d correct (%s), category %d, transient %d
