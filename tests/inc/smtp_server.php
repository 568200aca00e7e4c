<?php

declare(strict_types=1);

/*
 * Scripted SMTP test server for the smtpdiag phpt tests.
 *
 *   php smtp_server.php <script.json>
 *
 * Binds 127.0.0.1 (or ::1) on port 0, prints exactly one line "PORT <n>\n" to
 * stdout, then serves the script. Nothing else is ever written to stdout, and
 * stdout stays open until the process exits, so a parent can wait for the exit
 * by blocking on EOF of that pipe. Diagnostics go to stderr.
 *
 * Script (JSON object):
 *   {"options": {...}, "steps": [[op, args...], ...],
 *    "steps_per_connection": [[[op, ...], ...], ...]}   (optional)
 *
 * options:
 *   ipv6        bool    listen on [::1] instead of 127.0.0.1
 *   host        string  listen on this loopback IPv4 address instead of
 *                       127.0.0.1 (e.g. "127.0.0.2": the client's address,
 *                       127.0.0.1, then differs from the server's)
 *   port        int     listen on this port instead of a free one (to pair
 *                       an IPv6 and an IPv4 listener on one port number)
 *   tls         "implicit" = TLS handshake right after each accept
 *   cert        path of the PEM (certificate + key) used for TLS
 *   mode        "normal" | "no_accept" | "blackhole" | "refuse"
 *   connections int     connections accepted in sequence (default 1, or the
 *                       number of lists in steps_per_connection)
 *   record      path    file receiving every byte read from clients, plus
 *                       the marker lines "--- CONNECTION n ---" (each accept
 *                       after the first), "--- TLS ---" (handshake done),
 *                       "--- TLS FAILED ---" (handshake failed) and
 *                       "--- CLOSED ---" (EOF from the client)
 *   timeout     float   seconds any single wait may take (accept, a read, a
 *                       TLS handshake, a write); default 10
 *
 * modes:
 *   normal      accept "connections" connections one after the other and run
 *               the steps on each; after the last step of a connection, read
 *               and record until the client closes (EOF, at most 10 s), then
 *               close it and accept the next; exit 0 after the last one.
 *   no_accept   listen (backlog 32) but never accept: connect() succeeds at
 *               TCP level, then nothing is ever sent.
 *   blackhole   connect() times out. listen() with backlog 0; Linux treats the
 *               accept queue as full once it holds more than "backlog"
 *               entries, i.e. 1, and then drops every incoming SYN
 *               (TcpExt ListenOverflows), whatever net.ipv4.tcp_syncookies
 *               says. The server fills the queue with a connection it opens
 *               itself and never accepts, and checks /proc/net/tcp{,6}
 *               (rx_queue of the LISTEN socket = accept queue length) before
 *               printing the port; without /proc, a second self-connect that
 *               does not complete within 0.5 s is the proof. Verified on Linux
 *               6.18: a client connect() with a 0.3 s timeout fails with
 *               ETIMEDOUT (110) after 0.3 s, for 127.0.0.1 and ::1.
 *   refuse      bind port 0, close the socket, print that port and exit 0:
 *               connect() gets ECONNREFUSED.
 *   no_accept and blackhole run until killed or until stdin (when it is a
 *   pipe) reaches EOF, which makes them exit 0 once the parent is gone.
 *
 * steps (each [op, args...]), run in order on each connection:
 *   ["send", bytes]              write bytes exactly as given
 *   ["expect", prefix]           read one line (to LF, at most 64 KiB); it must
 *                                start with prefix (case-insensitive), else
 *                                reply "500 5.5.2 smtp_server expected <prefix>
 *                                got <line>", report on stderr and exit 3
 *                                (<EOF> / <timeout> when no line came)
 *   ["expect_data"]              read lines until one is exactly ".\r\n"
 *   ["expect_bytes", n]          read exactly n bytes (a BDAT chunk)
 *   ["starttls"]                 TLS handshake (server side) with "cert"; on
 *                                failure record it and end this connection
 *   ["sleep", ms]                delay
 *   ["slow", bytes, ms_per_byte] write byte by byte with a delay between
 *   ["close"]                    close the connection (must be the last step)
 *   ["reset"]                    abort with RST, SO_LINGER 0 (last step)
 *   ["wait_close"]               read until EOF or 10 s (a timeout is only
 *                                reported on stderr)
 *   ["read_any"]                 one read of whatever arrives (exit 3 if
 *                                nothing within "timeout")
 *   ["wait_file", path, text]    wait until the file at path contains text
 *                                (polled every 5 ms; exit 3 if it does not
 *                                within "timeout"): orders the script after
 *                                an event another test process logs, such
 *                                as a query in DnsTestServer::logFile()
 * A string argument may also be given as {"base64": "..."} for bytes that
 * are not valid UTF-8. Connections use TCP_NODELAY.
 *
 * Exit status: 0 script completed; 2 bad usage or script; 3 the client did not
 * follow the script (expectation mismatch, EOF, timeout, write failure);
 * 4 environment failure (bind, TLS unavailable, blackhole not verified);
 * 5 stdin (a pipe from the parent) was closed while serving.
 */

error_reporting(E_ALL);
ini_set('display_errors', 'stderr');
ini_set('log_errors', '0');

/** The client deviated from the script: exit status 3. */
final class ScriptDeviation extends RuntimeException
{
}

/** Invalid script or environment: exit status 2 or 4 (the exception code). */
final class ServerSetupError extends RuntimeException
{
}

/** One accepted client connection and its read buffer. */
final class ClientConnection
{
    /** Bytes read from the socket but not yet consumed by a step. */
    public string $buffer = '';
    public bool $eof = false;
    public bool $closed = false;
    public bool $tls = false;
    /** Socket view of the stream, imported before TLS, used for SO_LINGER. */
    public ?Socket $socket = null;

    /** @param resource $stream */
    public function __construct(public $stream, public readonly int $number)
    {
    }
}

final class ScriptedSmtpServer
{
    private const MAX_LINE = 65536;
    private const READ_CHUNK = 65536;
    private const WAIT_CLOSE_SECONDS = 10.0;
    private const DRAIN_SECONDS = 10.0;

    /** op => list of argument types ('s' string, 'n' number). */
    private const STEP_ARGS = [
        'send' => ['s'],          // write the bytes exactly as given
        'expect' => ['s'],        // read one line, must start with the prefix (case-insensitive)
        'expect_data' => [],      // read lines until one is exactly ".\r\n"
        'expect_bytes' => ['n'],  // read exactly n bytes (a BDAT chunk)
        'starttls' => [],         // server side TLS handshake now
        'sleep' => ['n'],         // delay, milliseconds
        'slow' => ['s', 'n'],     // write byte by byte, milliseconds per byte
        'close' => [],            // close the connection (last step)
        'reset' => [],            // close with RST via SO_LINGER 0 (last step)
        'wait_close' => [],       // read until EOF, at most 10 s
        'read_any' => [],         // one read of whatever arrives next
        'wait_file' => ['s', 's'], // wait until a file contains a text
    ];

    private string $host;
    private int $port = 0;
    private string $mode;
    private ?string $tls;
    private ?string $cert;
    private float $timeout;
    /** @var list<list<array{0:string,1:array}>> steps for each connection */
    private array $connectionSteps;
    /** @var resource|null */
    private $record = null;
    private bool $watchStdin;

    public function __construct(array $script)
    {
        $options = $script['options'] ?? [];
        if (!is_array($options)) {
            throw new ServerSetupError('"options" must be an object', 2);
        }
        $this->host = !empty($options['ipv6']) ? '::1' : (string)($options['host'] ?? '127.0.0.1');
        if (!preg_match('/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/D', $this->host) && $this->host !== '::1') {
            throw new ServerSetupError("\"host\" must be a loopback IPv4 address, not \"{$this->host}\"", 2);
        }
        $this->port = (int)($options['port'] ?? 0);
        $this->mode = (string)($options['mode'] ?? 'normal');
        if (!in_array($this->mode, ['normal', 'no_accept', 'blackhole', 'refuse'], true)) {
            throw new ServerSetupError("unknown mode \"{$this->mode}\"", 2);
        }
        $this->tls = isset($options['tls']) ? (string)$options['tls'] : null;
        if ($this->tls !== null && $this->tls !== 'implicit' && $this->tls !== 'none') {
            throw new ServerSetupError("unknown tls option \"{$this->tls}\"", 2);
        }
        if ($this->tls === 'none') {
            $this->tls = null;
        }
        $this->cert = isset($options['cert']) ? (string)$options['cert'] : null;
        $this->timeout = (float)($options['timeout'] ?? 10.0);
        if ($this->timeout <= 0) {
            throw new ServerSetupError('"timeout" must be positive', 2);
        }

        $perConnection = $script['steps_per_connection'] ?? $options['steps_per_connection'] ?? null;
        if ($perConnection !== null) {
            if (!is_array($perConnection) || !array_is_list($perConnection) || $perConnection === []) {
                throw new ServerSetupError('"steps_per_connection" must be a non-empty list of step lists', 2);
            }
            $count = (int)($options['connections'] ?? count($perConnection));
            if ($count !== count($perConnection)) {
                throw new ServerSetupError('"connections" does not match "steps_per_connection"', 2);
            }
            $this->connectionSteps = array_map(fn ($s) => $this->parseSteps($s), $perConnection);
        } else {
            $count = (int)($options['connections'] ?? 1);
            if ($count < 1) {
                throw new ServerSetupError('"connections" must be at least 1', 2);
            }
            $this->connectionSteps = array_fill(0, $count, $this->parseSteps($script['steps'] ?? []));
        }

        $usesTls = $this->tls === 'implicit';
        foreach ($this->connectionSteps as $steps) {
            foreach ($steps as [$op]) {
                $usesTls = $usesTls || $op === 'starttls';
            }
        }
        if ($usesTls && $this->mode === 'normal') {
            if ($this->cert === null || !is_readable($this->cert)) {
                throw new ServerSetupError('TLS needs a readable "cert" option', 2);
            }
            if (!extension_loaded('openssl')) {
                throw new ServerSetupError('TLS needs the openssl extension', 4);
            }
        }

        if (isset($options['record'])) {
            $record = @fopen((string)$options['record'], 'ab');
            if ($record === false) {
                throw new ServerSetupError("cannot open record file {$options['record']}", 4);
            }
            $this->record = $record;
        }

        // A pipe on stdin is the parent's lifeline: EOF means it is gone.
        $stat = fstat(STDIN);
        $type = is_array($stat) ? ($stat['mode'] & 0170000) : 0;
        $this->watchStdin = $type === 0010000 || $type === 0140000;
    }

    /** @return list<array{0:string,1:array}> validated steps as [op, args] */
    private function parseSteps(mixed $steps): array
    {
        if (!is_array($steps) || !array_is_list($steps)) {
            throw new ServerSetupError('steps must be a list', 2);
        }
        $parsed = [];
        foreach ($steps as $i => $step) {
            if (!is_array($step) || !array_is_list($step) || !is_string($step[0] ?? null)) {
                throw new ServerSetupError("step $i must be a list starting with the op name", 2);
            }
            $op = array_shift($step);
            $types = self::STEP_ARGS[$op] ?? null;
            if ($types === null) {
                throw new ServerSetupError("step $i: unknown op \"$op\"", 2);
            }
            if (count($step) !== count($types)) {
                throw new ServerSetupError("step $i: \"$op\" takes " . count($types) . ' argument(s)', 2);
            }
            foreach ($types as $k => $type) {
                $step[$k] = $type === 's' ? $this->stringArg($step[$k], $i) : $this->numberArg($step[$k], $i);
            }
            if (($op === 'close' || $op === 'reset') && $i !== count($steps) - 1) {
                throw new ServerSetupError("step $i: \"$op\" must be the last step", 2);
            }
            $parsed[] = [$op, $step];
        }
        return $parsed;
    }

    private function stringArg(mixed $value, int $i): string
    {
        if (is_string($value)) {
            return $value;
        }
        if (is_array($value) && is_string($value['base64'] ?? null)) {
            $bytes = base64_decode($value['base64'], true);
            if ($bytes !== false) {
                return $bytes;
            }
        }
        throw new ServerSetupError("step $i: expected a string or {\"base64\": ...}", 2);
    }

    private function numberArg(mixed $value, int $i): float
    {
        if ((is_int($value) || is_float($value)) && $value >= 0) {
            return (float)$value;
        }
        throw new ServerSetupError("step $i: expected a non-negative number", 2);
    }

    public function run(): int
    {
        return match ($this->mode) {
            'refuse' => $this->runRefuse(),
            'no_accept' => $this->runNoAccept(),
            'blackhole' => $this->runBlackhole(),
            default => $this->runNormal(),
        };
    }

    // ---- modes ------------------------------------------------------------

    private function runRefuse(): int
    {
        // Bound, then closed: nothing listens, connecting gets ECONNREFUSED.
        $server = $this->listen();
        $port = $this->localPort($server);
        fclose($server);
        $this->announce($port);
        return 0;
    }

    private function runNoAccept(): int
    {
        // The kernel completes the TCP handshakes into the backlog; nobody
        // ever accepts, so clients are connected but never get a byte.
        $server = $this->listen();
        $this->announce($this->localPort($server));
        $this->blockForever();
    }

    /**
     * Linux drops an incoming SYN when the listener's accept queue is full
     * (sk_acceptq_is_full: queued > backlog). With backlog 0 one connection
     * fills it; we open that connection ourselves and never accept it, so
     * every later connect() sees its SYNs dropped and times out.
     * Before announcing the port we verify the queue is full, either from
     * /proc/net/tcp{,6} (rx_queue of a LISTEN socket is its accept queue
     * length) or because one of our own fill connections did not complete.
     */
    private function runBlackhole(): int
    {
        $server = $this->listen(0);
        $port = $this->localPort($server);
        $fillers = [];
        $verified = false;
        for ($i = 0; $i < 8 && !$verified; $i++) {
            $queued = $this->acceptQueueLength($port);
            if ($queued !== null && $queued > 0) {
                $verified = true;
                break;
            }
            $filler = @stream_socket_client(
                'tcp://' . $this->urlHost() . ':' . $port,
                $errno,
                $errstr,
                $this->timeout,
                STREAM_CLIENT_CONNECT | STREAM_CLIENT_ASYNC_CONNECT
            );
            if ($filler === false) {
                throw new ServerSetupError("blackhole: filler connect failed: $errstr", 4);
            }
            $fillers[] = $filler;
            // On loopback an accepted SYN is answered at once; a connect that
            // does not complete within 0.5 s had its SYN dropped.
            $r = $e = null;
            $w = [$filler];
            if (@stream_select($r, $w, $e, 0, 500000) === 0) {
                $verified = true;
            }
        }
        if (!$verified) {
            throw new ServerSetupError('blackhole: could not fill the accept queue', 4);
        }
        $this->announce($port);
        $this->blockForever();
    }

    /** Accept-queue length of our LISTEN socket, or null if unknown. */
    private function acceptQueueLength(int $port): ?int
    {
        $file = $this->host === '::1' ? '/proc/net/tcp6' : '/proc/net/tcp';
        $lines = @file($file, FILE_IGNORE_NEW_LINES);
        if ($lines === false) {
            return null;
        }
        $suffix = sprintf(':%04X', $port);
        foreach ($lines as $line) {
            // sl local_address rem_address st tx_queue:rx_queue ...
            $f = preg_split('/\s+/', trim($line));
            if (count($f) > 4 && str_ends_with($f[1], $suffix) && $f[3] === '0A') {
                return (int)hexdec(explode(':', $f[4])[1] ?? '0');
            }
        }
        return null;
    }

    private function runNormal(): int
    {
        $server = $this->listen();
        $this->announce($this->localPort($server));

        foreach ($this->connectionSteps as $index => $steps) {
            $number = $index + 1;
            $stream = $this->accept($server);
            if ($number > 1) {
                $this->recordBytes("--- CONNECTION $number ---\n");
            }
            $conn = new ClientConnection($stream, $number);
            if ($this->needsSocket($steps)) {
                // Import now: an active TLS stream can no longer be cast to a socket.
                $socket = @socket_import_stream($stream);
                $conn->socket = $socket instanceof Socket ? $socket : null;
            }
            if ($this->tls !== 'implicit' || $this->startTls($conn)) {
                $this->runSteps($conn, $steps);
            }
            if (!$conn->closed) {
                $this->drain($conn, self::DRAIN_SECONDS);
                $this->closeConnection($conn);
            }
        }
        fclose($server);
        return 0;
    }

    private function needsSocket(array $steps): bool
    {
        foreach ($steps as [$op]) {
            if ($op === 'reset') {
                return function_exists('socket_import_stream');
            }
        }
        return false;
    }

    // ---- steps ------------------------------------------------------------

    private function runSteps(ClientConnection $conn, array $steps): void
    {
        foreach ($steps as $i => [$op, $args]) {
            $where = "connection {$conn->number} step $i ($op)";
            switch ($op) {
                case 'send':
                    $this->write($conn, $args[0], $where);
                    break;

                case 'expect':
                    $this->expect($conn, $args[0], $where);
                    break;

                case 'expect_data':
                    do {
                        $line = $this->readLine($conn, $where);
                    } while ($line !== ".\r\n");
                    break;

                case 'expect_bytes':
                    $deadline = microtime(true) + $this->timeout;
                    while (strlen($conn->buffer) < (int)$args[0]) {
                        if ($conn->eof || !$this->fill($conn, $deadline)) {
                            throw new ScriptDeviation("$where: " . strlen($conn->buffer) . " of {$args[0]} bytes received");
                        }
                    }
                    $conn->buffer = (string)substr($conn->buffer, (int)$args[0]);
                    break;

                case 'starttls':
                    if (!$this->startTls($conn)) {
                        return;
                    }
                    break;

                case 'sleep':
                    usleep((int)($args[0] * 1000));
                    break;

                case 'slow':
                    $delay = (int)($args[1] * 1000);
                    foreach (str_split($args[0]) as $k => $byte) {
                        if ($k > 0) {
                            usleep($delay);
                        }
                        $this->write($conn, $byte, $where);
                    }
                    break;

                case 'close':
                    $this->closeConnection($conn);
                    return;

                case 'reset':
                    $this->resetConnection($conn);
                    return;

                case 'wait_close':
                    if (!$this->drain($conn, self::WAIT_CLOSE_SECONDS)) {
                        $this->log("$where: no EOF from the client within " . self::WAIT_CLOSE_SECONDS . ' s');
                    }
                    break;

                case 'wait_file':
                    $deadline = microtime(true) + $this->timeout;
                    while (!str_contains((string)@file_get_contents($args[0]), $args[1])) {
                        if (microtime(true) >= $deadline) {
                            throw new ScriptDeviation("$where: " . json_encode($args[1]) . " did not appear in {$args[0]} within {$this->timeout} s");
                        }
                        usleep(5000);
                    }
                    break;

                case 'read_any':
                    if ($conn->buffer === '' && !$conn->eof && !$this->fill($conn, microtime(true) + $this->timeout)) {
                        throw new ScriptDeviation("$where: nothing received within {$this->timeout} s");
                    }
                    $conn->buffer = '';
                    break;
            }
        }
    }

    private function expect(ClientConnection $conn, string $prefix, string $where): void
    {
        try {
            $line = $this->readLine($conn, $where);
        } catch (ScriptDeviation $e) {
            $line = $conn->eof ? '<EOF>' : '<timeout>';
        }
        if (strncasecmp($line, $prefix, strlen($prefix)) === 0) {
            return;
        }
        $got = substr(rtrim($line, "\r\n"), 0, 512);
        $reply = "500 5.5.2 smtp_server expected $prefix got " . strtr($got, "\r\n", '  ') . "\r\n";
        if (!$conn->closed && !$conn->eof) {
            @fwrite($conn->stream, $reply);
        }
        throw new ScriptDeviation("$where: expected " . json_encode($prefix) . ' got ' . json_encode($got, JSON_INVALID_UTF8_SUBSTITUTE));
    }

    /**
     * Server side TLS handshake on $conn with the configured certificate.
     * A failure (typically the client rejecting the certificate) is recorded
     * and closes the connection; it is not an error of the server.
     */
    private function startTls(ClientConnection $conn): bool
    {
        if ($conn->buffer !== '') {
            // Plaintext pipelined after STARTTLS must not be carried into TLS.
            $this->log("connection {$conn->number}: discarding " . strlen($conn->buffer) . ' bytes received before the TLS handshake');
            $conn->buffer = '';
        }
        $ssl = ['ssl' => [
            'local_cert' => $this->cert,
            'verify_peer' => false,
            'verify_peer_name' => false,
        ]];
        // stream_context_set_options() exists from PHP 8.3; the 2-argument form is deprecated in 8.4
        function_exists('stream_context_set_options')
            ? stream_context_set_options($conn->stream, $ssl)
            : stream_context_set_option($conn->stream, $ssl);
        $this->setStreamTimeout($conn, $this->timeout);
        $messages = [];
        set_error_handler(static function (int $no, string $msg) use (&$messages): bool {
            $messages[] = $msg;
            return true;
        });
        try {
            $ok = stream_socket_enable_crypto($conn->stream, true, STREAM_CRYPTO_METHOD_TLS_SERVER);
        } finally {
            restore_error_handler();
        }
        while (($e = openssl_error_string()) !== false) {
            $messages[] = $e;
        }
        if ($ok === true) {
            $conn->tls = true;
            $this->recordBytes("--- TLS ---\n");
            return true;
        }
        $this->log("connection {$conn->number}: TLS handshake failed: " . ($messages ? implode('; ', $messages) : 'unknown error'));
        $this->recordBytes("--- TLS FAILED ---\n");
        $this->closeConnection($conn);
        return false;
    }

    // ---- I/O ----------------------------------------------------------------

    /** @return resource */
    private function listen(?int $backlog = null)
    {
        // TCP_NODELAY (inherited by accepted sockets): every write leaves at
        // once, so "slow" really sends byte by byte and nothing sent before
        // a "reset" is still queued when the connection is aborted.
        $options = ['socket' => ['tcp_nodelay' => true]];
        if ($backlog !== null) {
            $options['socket']['backlog'] = $backlog;
        }
        $server = @stream_socket_server(
            'tcp://' . $this->urlHost() . ':' . $this->port,
            $errno,
            $errstr,
            STREAM_SERVER_BIND | STREAM_SERVER_LISTEN,
            stream_context_create($options)
        );
        if ($server === false) {
            throw new ServerSetupError("cannot listen on {$this->host}: $errstr", 4);
        }
        return $server;
    }

    /** @param resource $server @return resource */
    private function accept($server)
    {
        if (!$this->waitReadable($server, microtime(true) + $this->timeout)) {
            throw new ScriptDeviation("no client connected within {$this->timeout} s");
        }
        $stream = @stream_socket_accept($server, 0);
        if ($stream === false) {
            throw new ScriptDeviation('accept failed: ' . (error_get_last()['message'] ?? 'unknown error'));
        }
        return $stream;
    }

    /** @param resource $stream */
    private function localPort($stream): int
    {
        $name = stream_socket_get_name($stream, false);
        return (int)substr((string)$name, (int)strrpos((string)$name, ':') + 1);
    }

    private function announce(int $port): void
    {
        fwrite(STDOUT, "PORT $port\n");
        fflush(STDOUT);
    }

    private function urlHost(): string
    {
        return $this->host === '::1' ? '[::1]' : $this->host;
    }

    /**
     * Wait until $stream is readable or $deadline passes; while waiting,
     * also watch stdin for EOF (the parent has gone away).
     * @param resource $stream
     */
    private function waitReadable($stream, float $deadline): bool
    {
        while (true) {
            $left = $deadline - microtime(true);
            if ($left <= 0) {
                return false;
            }
            $r = $this->watchStdin ? [$stream, STDIN] : [$stream];
            $w = $e = null;
            $n = @stream_select($r, $w, $e, (int)$left, (int)(($left - (int)$left) * 1e6));
            if ($n === false) {
                continue; // interrupted by a signal
            }
            if (in_array(STDIN, $r, true)) {
                $this->checkStdin();
            }
            if (in_array($stream, $r, true)) {
                return true;
            }
        }
    }

    private function checkStdin(): void
    {
        $data = fread(STDIN, 8192);
        if (($data === '' || $data === false) && feof(STDIN)) {
            $this->log('stdin closed: parent has gone away');
            exit(5);
        }
    }

    /**
     * One read from the client into its buffer (recording it). Returns false
     * on timeout; true when data arrived or EOF was reached.
     */
    private function fill(ClientConnection $conn, float $deadline): bool
    {
        while (!$conn->eof) {
            if (!$this->waitReadable($conn->stream, $deadline)) {
                return false;
            }
            $this->setStreamTimeout($conn, max(0.001, $deadline - microtime(true)));
            $data = @fread($conn->stream, self::READ_CHUNK);
            if ($data !== false && $data !== '') {
                $conn->buffer .= $data;
                $this->recordBytes($data);
                return true;
            }
            if ($data === false || feof($conn->stream)) {
                $conn->eof = true;
                $this->recordBytes("--- CLOSED ---\n");
            }
            // '' without EOF: e.g. a TLS record that carried no application data.
        }
        return true;
    }

    /** Read one line (up to and including LF, at most 64 KiB). */
    private function readLine(ClientConnection $conn, string $where): string
    {
        $deadline = microtime(true) + $this->timeout;
        while (true) {
            $lf = strpos($conn->buffer, "\n");
            if ($lf !== false || strlen($conn->buffer) >= self::MAX_LINE || ($conn->eof && $conn->buffer !== '')) {
                $length = $lf !== false ? min($lf + 1, self::MAX_LINE) : min(strlen($conn->buffer), self::MAX_LINE);
                $line = substr($conn->buffer, 0, $length);
                $conn->buffer = (string)substr($conn->buffer, $length);
                return $line;
            }
            if ($conn->eof) {
                throw new ScriptDeviation("$where: EOF from the client");
            }
            if (!$this->fill($conn, $deadline)) {
                throw new ScriptDeviation("$where: nothing received within {$this->timeout} s");
            }
        }
    }

    private function write(ClientConnection $conn, string $bytes, string $where): void
    {
        $this->setStreamTimeout($conn, $this->timeout);
        while ($bytes !== '') {
            $n = @fwrite($conn->stream, $bytes);
            if ($n === false || $n === 0) {
                throw new ScriptDeviation("$where: write failed (client gone?)");
            }
            $bytes = (string)substr($bytes, $n);
        }
    }

    /** Read and record until EOF or $seconds pass. Returns true on EOF. */
    private function drain(ClientConnection $conn, float $seconds): bool
    {
        $deadline = microtime(true) + $seconds;
        while (!$conn->eof) {
            $conn->buffer = '';
            if (!$this->fill($conn, $deadline)) {
                return false;
            }
        }
        $conn->buffer = '';
        return true;
    }

    private function closeConnection(ClientConnection $conn): void
    {
        if (!$conn->closed) {
            @fclose($conn->stream);
            $conn->closed = true;
            $conn->socket = null;
        }
    }

    /**
     * Close with SO_LINGER {on, 0}: the kernel sends RST instead of FIN and
     * discards whatever is still queued for sending.
     * On a TLS connection fclose() first writes a close_notify alert
     * (SSL_shutdown()); on Linux TCP_CORK holds that small record in the send
     * queue so the abortive close discards it and the client sees only the RST
     * (data sent by earlier steps already left: connections use TCP_NODELAY).
     */
    private function resetConnection(ClientConnection $conn): void
    {
        $ok = $conn->socket !== null
            && @socket_set_option($conn->socket, SOL_SOCKET, SO_LINGER, ['l_onoff' => 1, 'l_linger' => 0]);
        if (!$ok) {
            $this->log("connection {$conn->number}: cannot set SO_LINGER (sockets extension missing?), closing normally");
        } elseif ($conn->tls && PHP_OS_FAMILY === 'Linux') {
            $cork = defined('TCP_CORK') ? constant('TCP_CORK') : 3; // Linux value
            if (!@socket_set_option($conn->socket, SOL_TCP, $cork, 1)) {
                $this->log("connection {$conn->number}: cannot set TCP_CORK, the client may see close_notify before the RST");
            }
        }
        $this->closeConnection($conn);
    }

    private function setStreamTimeout(ClientConnection $conn, float $seconds): void
    {
        @stream_set_timeout($conn->stream, (int)$seconds, (int)(($seconds - (int)$seconds) * 1e6));
    }

    private function recordBytes(string $bytes): void
    {
        if ($this->record !== null) {
            fwrite($this->record, $bytes);
            fflush($this->record);
        }
    }

    /** Block until killed, or until stdin (a pipe from the parent) reaches EOF. */
    private function blockForever(): never
    {
        if ($this->watchStdin) {
            while (true) {
                $r = [STDIN];
                $w = $e = null;
                if (@stream_select($r, $w, $e, null) > 0) {
                    $data = fread(STDIN, 8192);
                    if (($data === '' || $data === false) && feof(STDIN)) {
                        exit(0);
                    }
                }
            }
        }
        while (true) {
            sleep(3600);
        }
    }

    public function log(string $message): void
    {
        fwrite(STDERR, "smtp_server: $message\n");
    }
}

// ---- main -------------------------------------------------------------------

if ($argc !== 2) {
    fwrite(STDERR, "usage: php smtp_server.php <script.json>\n");
    exit(2);
}
try {
    $json = @file_get_contents($argv[1]);
    if ($json === false) {
        throw new ServerSetupError("cannot read {$argv[1]}", 2);
    }
    try {
        $script = json_decode($json, true, 512, JSON_THROW_ON_ERROR);
    } catch (JsonException $e) {
        throw new ServerSetupError("invalid JSON in {$argv[1]}: {$e->getMessage()}", 2);
    }
    if (!is_array($script)) {
        throw new ServerSetupError('the script must be a JSON object', 2);
    }
    $server = new ScriptedSmtpServer($script);
    exit($server->run());
} catch (ScriptDeviation $e) {
    fwrite(STDERR, 'smtp_server: ' . $e->getMessage() . "\n");
    exit(3);
} catch (ServerSetupError $e) {
    fwrite(STDERR, 'smtp_server: ' . $e->getMessage() . "\n");
    exit($e->getCode() ?: 2);
}
