--TEST--
rate_limit: sendMany() of 6 messages with rate_limit=20 (one every 50 ms) spaces the envelopes: a server that timestamps each MAIL FROM as it arrives sees gaps of at least 45 ms (a lower bound only); all on one connection; the Symfony alias max_per_second does the same for send()
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/resilience.inc';

function gaps(array $lines): array
{
    $times = [];
    foreach ($lines as $l) {
        if (preg_match('/^MAIL (\d+\.\d+)$/D', $l, $m)) {
            $times[] = (float)$m[1];
        }
    }
    $gaps = [];
    for ($i = 1; $i < count($times); $i++) {
        $gaps[] = ($times[$i] - $times[$i - 1]) * 1000;
    }
    return [count($times), $gaps];
}

function report(SdiagTimestampServer $srv): void
{
    $lines = $srv->lines();
    [$n, $gaps] = gaps($lines);
    echo "MAIL FROM received: $n\n";
    $short = array_filter($gaps, static fn (float $g): bool => $g < 45.0);
    echo 'gaps >= 45 ms: ', $short === [] ? 'all ' . count($gaps) : 'NO: ' . implode(', ', array_map(static fn ($g) => sprintf('%.1f', $g), $gaps)), "\n";
    echo 'ends with: ', end($lines), "\n", $srv->stderr();
}

echo "=== sendMany, rate_limit 20\n";
$srv = new SdiagTimestampServer();
$c = new SmtpDiag\Client("smtp://127.0.0.1:{$srv->port}", ['encryption' => 'none', 'timeout' => 5, 'rate_limit' => 20]);
$jobs = [];
for ($i = 1; $i <= 6; $i++) {
    $jobs[] = ['from' => 'news@example.com', 'to' => "reader$i@example.net", 'message' => "Subject: $i\r\n\r\nissue $i\r\n"];
}
$results = $c->sendMany($jobs);
foreach ($results as $i => $r) {
    echo $i, ': ', $r instanceof SmtpDiag\SendResult ? "sent, attempts {$r->attempts}" : get_class($r) . ': ' . $r->getMessage(), "\n";
}
// the server accepts one connection only: a reconnection would fail the later messages
var_dump($c->isConnected());
$c->quit();
unset($c);
report($srv);

echo "=== send() three times, max_per_second 20\n";
$srv = new SdiagTimestampServer();
$c = new SmtpDiag\Client("smtp://127.0.0.1:{$srv->port}", ['encryption' => 'none', 'timeout' => 5, 'max_per_second' => 20]);
for ($i = 1; $i <= 3; $i++) {
    $c->send('news@example.com', "reader$i@example.net", "Subject: $i\r\n\r\nissue $i\r\n");
}
$c->quit();
unset($c);
report($srv);
?>
--EXPECT--
=== sendMany, rate_limit 20
0: sent, attempts 1
1: sent, attempts 1
2: sent, attempts 1
3: sent, attempts 1
4: sent, attempts 1
5: sent, attempts 1
bool(true)
MAIL FROM received: 6
gaps >= 45 ms: all 5
ends with: QUIT
=== send() three times, max_per_second 20
MAIL FROM received: 3
gaps >= 45 ms: all 2
ends with: QUIT
