--TEST--
logger that throws: its exception propagates unchanged from connect() (thrown on a debug line) and from send() (thrown on the info event of an accepted message: the message was sent once); the client stays usable: the next send() on the same connection works and is logged, quit() says QUIT
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/resilience.inc';

final class ThrowingLogger
{
    /** @var array<string,bool> levels to throw on (once each) */
    public array $throwOn = [];
    public array $events = [];

    public function log($level, $message, array $context = []): void
    {
        $this->events[] = [$level, $message];
        if (!empty($this->throwOn[$level])) {
            $this->throwOn[$level] = false;
            throw new DomainException("logger failed on $level: $message");
        }
    }
}

$srv = SmtpTestServer::start(array_merge(sdiag_session_start('PIPELINING', 'ENHANCEDSTATUSCODES'),
    sdiag_accept_txn('s@example.com', 'r@example.net', 'FIRST'),
    sdiag_accept_txn('s@example.com', 'r@example.net', 'SECOND'),
    sdiag_quit_steps()), ['timeout' => 5]);
$log = new ThrowingLogger();
$c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'none', 'timeout' => 5, 'logger' => $log]);

echo "== connect(), the logger throws on the first debug line\n";
$log->throwOn = ['debug' => true];
try {
    $c->connect();
    echo "NO EXCEPTION\n";
} catch (Throwable $e) {
    echo get_class($e), ': ', preg_replace('/127\.0\.0\.1:\d+/', '127.0.0.1:PORT', $e->getMessage()), "\n";
}
var_dump($c->isConnected());

echo "== send(), the logger throws on the info event\n";
$log->throwOn = ['info' => true];
$n = count($log->events);
try {
    $c->send('s@example.com', 'r@example.net', "Subject: 1\r\n\r\nfirst\r\n");
    echo "NO EXCEPTION\n";
} catch (Throwable $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
var_dump($c->isConnected());

echo "== send() again\n";
$r = $c->send('s@example.com', 'r@example.net', "Subject: 2\r\n\r\nsecond\r\n");
echo "queued as {$r->queueId}, attempts {$r->attempts}\n";
$last = end($log->events);
echo "last event: {$last[0]} {$last[1]}\n";
echo 'no reconnection: ', var_export(sdiag_count_entries($c->getTranscript(), '/^connecting to /') === 0, true), "\n";
$c->quit();
unset($c);
$record = $srv->received();
echo 'messages received: ', sdiag_count_lines($record, 'DATA'), "\n";
echo '--- exit ', $srv->exitCode(), " ---\n", $srv->stderr();
?>
--EXPECT--
== connect(), the logger throws on the first debug line
DomainException: logger failed on debug: === connecting to 127.0.0.1:PORT (encryption none)
bool(true)
== send(), the logger throws on the info event
DomainException: logger failed on info: smtpdiag: message accepted by the server
bool(true)
== send() again
queued as SECOND, attempts 1
last event: info smtpdiag: message accepted by the server
no reconnection: true
messages received: 2
--- exit 0 ---
