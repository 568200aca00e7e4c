<?php
/*
 * A loopback TCP proxy that adds latency: every chunk read from either side
 * is held for D ms before it is written to the other side, so a request and
 * its reply take 2D (the round-trip time). One stream_select() loop, a queue
 * of timestamped chunks per direction, no sleeps: a chunk waiting in one
 * direction never stalls the other one or another connection.
 *
 *   php bench/delay_proxy.php --target=127.0.0.1:2525 [--delay-ms=20]
 *                             [--lifetime=900] [--exit-on-stdin-eof]
 *
 * It listens on 127.0.0.1, port 0 (the kernel picks a free one), and prints
 * "PORT n" on stdout once it accepts connections. It exits after --lifetime
 * seconds, on SIGTERM/SIGINT, or (with --exit-on-stdin-eof) when its standard
 * input closes, e.g. because the process that started it is gone.
 *
 * Modelled as a path with a fixed one-way delay D and no bandwidth limit:
 * - data and end-of-stream (FIN) are each delayed D, in order;
 * - a new connection reaches the server 3D after the client connected, so the
 *   greeting arrives 4D = 2 RTT after connect(), as over a real network
 *   (SYN, SYN-ACK: the handshake takes 1 RTT; the server accepts when the
 *   final ACK arrives, half an RTT later, and its greeting takes another
 *   half). Use --connect-rtt=0 to connect upstream at once (greeting at 1 RTT).
 * - reading pauses on a side whose queued bytes exceed 4 MiB (back-pressure);
 * - both of its sockets have TCP_NODELAY, so it holds nothing back beyond D.
 *   TCP ends at the proxy: each side's ACKs come from the local kernel at
 *   once, so a sender's Nagle/delayed-ACK stall (write, write, read) does not
 *   stretch over the simulated path as it would over a real one.
 */

declare(strict_types=1);

const QUEUE_LIMIT = 4 * 1024 * 1024;
const READ_CHUNK = 65536;

function usage(string $why): never
{
	fwrite(STDERR, "delay_proxy: $why\n"
		. "usage: php delay_proxy.php --target=HOST:PORT [--delay-ms=20] [--lifetime=900] [--connect-rtt=1] [--exit-on-stdin-eof]\n");
	exit(2);
}

$opt = getopt('', ['target:', 'delay-ms:', 'lifetime:', 'connect-rtt:', 'exit-on-stdin-eof', 'help']);
if (isset($opt['help'])) {
	usage('help');
}
if (!isset($opt['target']) || !preg_match('/^(.+):(\d+)$/', (string)$opt['target'], $tm)) {
	usage('--target=HOST:PORT is required');
}
$target = 'tcp://' . $tm[1] . ':' . $tm[2];
$delay = isset($opt['delay-ms']) ? (float)$opt['delay-ms'] / 1000.0 : 0.020;
$lifetime = isset($opt['lifetime']) ? (float)$opt['lifetime'] : 900.0;
$connectDelay = (isset($opt['connect-rtt']) && (string)$opt['connect-rtt'] === '0') ? 0.0 : 3 * $delay;
$watchStdin = isset($opt['exit-on-stdin-eof']);
if ($delay < 0 || $lifetime <= 0) {
	usage('--delay-ms must be >= 0 and --lifetime > 0');
}

// TCP_NODELAY on both hops: the proxy forwards each chunk as soon as it is due,
// so it adds no Nagle hold-back of its own (the client's own Nagle behaviour
// still applies on its hop to the proxy).
$ctx = stream_context_create(['socket' => ['tcp_nodelay' => true]]);
$server = @stream_socket_server('tcp://127.0.0.1:0', $errno, $errstr,
	STREAM_SERVER_BIND | STREAM_SERVER_LISTEN, $ctx);
if ($server === false) {
	fwrite(STDERR, "delay_proxy: listen failed: $errstr\n");
	exit(1);
}
stream_set_blocking($server, false);
$name = stream_socket_get_name($server, false);
$port = (int)substr($name, strrpos($name, ':') + 1);
fwrite(STDOUT, "PORT $port\n");
fflush(STDOUT);

$stop = false;
if (function_exists('pcntl_async_signals')) {
	pcntl_async_signals(true);
	pcntl_signal(SIGTERM, function () use (&$stop) { $stop = true; });
	pcntl_signal(SIGINT, function () use (&$stop) { $stop = true; });
}

function now(): float
{
	return hrtime(true) / 1e9;
}

/*
 * A connection: side 0 is the client, side 1 the server. For each direction
 * d (0: client->server, 1: server->client) there is a queue of
 * [due, data|null(EOF)], an output buffer of bytes that are due, and flags.
 */
final class Pair
{
	/** @var array{0: resource|null, 1: resource|null} */
	public array $sock = [null, null];
	/** @var array{0: \SplQueue, 1: \SplQueue} */
	public array $queue;
	public array $queued = [0, 0];   // bytes in each queue
	public array $out = ['', ''];    // due bytes not yet written, per direction
	public array $eofRead = [false, false];   // side s sent FIN
	public array $eofDue = [false, false];    // direction d: FIN reached the head of the queue
	public array $shutDone = [false, false];  // direction d: FIN passed on
	public float $connectAt = 0.0;
	public int $id;

	public function __construct(int $id)
	{
		$this->id = $id;
		$this->queue = [new \SplQueue(), new \SplQueue()];
	}

	public function finished(): bool
	{
		return $this->shutDone[0] && $this->shutDone[1];
	}
}

/** @var array<int, Pair> $pairs */
$pairs = [];
/** @var array<int, array{0: Pair, 1: int}> $bySock socket id => [pair, side] */
$bySock = [];
$nextId = 1;
$deadline = now() + $lifetime;
$stats = ['accepted' => 0, 'bytes' => [0, 0]];

function tune($s): void
{
	stream_set_blocking($s, false);
	stream_set_write_buffer($s, 0);
	stream_set_read_buffer($s, 0);
	stream_set_chunk_size($s, READ_CHUNK);
}

function close_pair(array &$pairs, array &$bySock, Pair $p): void
{
	foreach ([0, 1] as $s) {
		if (is_resource($p->sock[$s])) {
			unset($bySock[(int)$p->sock[$s]]);
			fclose($p->sock[$s]);
		}
		$p->sock[$s] = null;
	}
	unset($pairs[$p->id]);
}

while (!$stop) {
	$t = now();
	if ($t >= $deadline) {
		break;
	}

	// Upstream connections that are due.
	foreach ($pairs as $p) {
		if ($p->sock[1] === null && $p->connectAt <= $t) {
			$up = @stream_socket_client($target, $errno, $errstr, 5.0, STREAM_CLIENT_CONNECT, $ctx);
			if ($up === false) {
				fwrite(STDERR, "delay_proxy: connect to $target failed: $errstr\n");
				close_pair($pairs, $bySock, $p);
				continue;
			}
			tune($up);
			$p->sock[1] = $up;
			$bySock[(int)$up] = [$p, 1];
		}
	}

	// Move due chunks to the output buffers, then write what can be written.
	foreach ($pairs as $p) {
		foreach ([0, 1] as $d) {
			$dst = $d === 0 ? 1 : 0;
			if ($p->sock[$dst] === null) {
				continue;   // upstream not connected yet
			}
			$q = $p->queue[$d];
			while (!$q->isEmpty() && $q->bottom()[0] <= $t) {
				[, $data] = $q->dequeue();
				if ($data === null) {
					$p->eofDue[$d] = true;
				} else {
					$p->out[$d] .= $data;
					$p->queued[$d] -= strlen($data);
				}
			}
			if ($p->out[$d] !== '') {
				$n = @fwrite($p->sock[$dst], $p->out[$d]);
				if ($n === false) {
					close_pair($pairs, $bySock, $p);
					continue 2;
				}
				if ($n > 0) {
					$stats['bytes'][$d] += $n;
					$p->out[$d] = (string)substr($p->out[$d], $n);
				}
			}
			if ($p->eofDue[$d] && $p->out[$d] === '' && !$p->shutDone[$d]) {
				@stream_socket_shutdown($p->sock[$dst], STREAM_SHUT_WR);
				$p->shutDone[$d] = true;
			}
		}
		if ($p->finished()) {
			close_pair($pairs, $bySock, $p);
		}
	}

	// Wait for input, writability or the next due chunk.
	$read = [$server];
	$write = [];
	if ($watchStdin) {
		$read[] = STDIN;
	}
	$next = $deadline;
	foreach ($pairs as $p) {
		if ($p->sock[1] === null) {
			$next = min($next, $p->connectAt);
		}
		foreach ([0, 1] as $s) {
			$d = $s;   // what side s sends travels in direction s
			if ($p->sock[$s] !== null && !$p->eofRead[$s] && $p->queued[$d] < QUEUE_LIMIT) {
				$read[] = $p->sock[$s];
			}
			if (!$p->queue[$d]->isEmpty()) {
				$next = min($next, $p->queue[$d]->bottom()[0]);
			}
			$dst = $d === 0 ? 1 : 0;
			if ($p->out[$d] !== '' && $p->sock[$dst] !== null) {
				$write[] = $p->sock[$dst];
			}
		}
	}
	$wait = max(0.0, $next - now());
	$sec = (int)floor($wait);
	$usec = (int)(($wait - $sec) * 1e6);
	$except = null;
	$n = @stream_select($read, $write, $except, $sec, $usec);
	if ($n === false) {
		if ($stop) {
			break;
		}
		continue;   // EINTR
	}
	if ($n === 0) {
		continue;
	}
	$t = now();
	foreach ($read as $r) {
		if ($r === $server) {
			while (($cl = @stream_socket_accept($server, 0)) !== false) {
				tune($cl);
				$p = new Pair($nextId++);
				$p->sock[0] = $cl;
				$bySock[(int)$cl] = [$p, 0];
				$p->connectAt = $t + $connectDelay;
				$pairs[$p->id] = $p;
				$stats['accepted']++;
			}
			continue;
		}
		if ($r === STDIN) {
			if (fread(STDIN, 4096) === '' && feof(STDIN)) {
				$stop = true;
			}
			continue;
		}
		if (!isset($bySock[(int)$r])) {
			continue;
		}
		[$p, $s] = $bySock[(int)$r];
		$data = @fread($r, READ_CHUNK);
		if ($data === false || ($data === '' && feof($r))) {
			$p->eofRead[$s] = true;
			$p->queue[$s]->enqueue([$t + $delay, null]);
		} elseif ($data !== '') {
			$p->queue[$s]->enqueue([$t + $delay, $data]);
			$p->queued[$s] += strlen($data);
		}
	}
}

foreach ($pairs as $p) {
	close_pair($pairs, $bySock, $p);
}
fclose($server);
fwrite(STDERR, sprintf("delay_proxy: done, %d connections, %d bytes to the server, %d back\n",
	$stats['accepted'], $stats['bytes'][0], $stats['bytes'][1]));
exit(0);
