<?php

/**
 * @generate-class-entries
 * @generate-legacy-arginfo 80200
 * @undocumentable
 */

namespace {
    /**
     * @var string
     * @cvalue PHP_SMTPDIAG_VERSION
     */
    const SMTPDIAG_VERSION = UNKNOWN;

    /** Run the mail troubleshooting checklist against a DSN or a Laravel-style config array. */
    function smtpdiag_check(#[\SensitiveParameter] string|array $target, #[\SensitiveParameter] array $options = []): array {}

    /** Check a domain's mail DNS (MX, SPF, DKIM, DMARC, reverse DNS, MTA-STS, TLS-RPT, BIMI) concurrently; the report has smtpdiag_check()'s shape. */
    function smtpdiag_dns(string $domain, array $options = []): array {}

    /** Evaluate SPF (RFC 7208 check_host()) for a client address, domain, sender and HELO name. */
    function smtpdiag_spf(string $ip, string $domain, string $sender = "", string $helo = "", array $options = []): array {}

    /** Classify one SMTP reply (possibly multi-line): category, transient, codes, hint. */
    function smtpdiag_classify(string $reply, array $options = []): array {}

    /** Render a report of smtpdiag_check() or smtpdiag_dns() as text for terminals and logs. */
    function smtpdiag_format(array $report, array $options = []): string {}
}

namespace SmtpDiag {
    /**
     * @strict-properties
     * @not-serializable
     */
    final class Client
    {
        public function __construct(#[\SensitiveParameter] string|array $dsn, #[\SensitiveParameter] array $options = []) {}

        public function connect(): void {}

        public function quit(): void {}

        public function isConnected(): bool {}

        public function getCapabilities(): array {}

        public function getTlsInfo(): ?array {}

        public function getTranscript(): array {}

        public function getTranscriptText(bool $timestamps = false): string {}

        /** Send a complete RFC 5322 message; connects (or reconnects) as needed. */
        public function send(string $from, string|array $to, string $message, array $options = []): SendResult {}

        /** Build a minimal correct UTF-8 text message (Date, Message-ID, MIME) and send it. */
        public function sendText(string $from, string|array $to, string $subject, string $text, array $options = []): SendResult {}

        /**
         * Send many messages on one connection, each envelope pipelined after the previous end of data.
         * Items are ['from' => ..., 'to' => ..., 'message' => ...]. The result has, per item and in order,
         * a SendResult or the SmtpDiagException that item failed with (not thrown). An array is checked
         * whole first (a bad item is a ValueError/TypeError and nothing is sent); from an iterator, a bad
         * item's slot holds its ValueError/TypeError and the other items are still sent.
         */
        public function sendMany(iterable $messages, array $options = []): array {}
    }

    /**
     * @strict-properties
     * @not-serializable
     */
    final readonly class SendResult
    {
        /** @var list<array{address: string, code: int, enhanced: ?string, reply: string}> */
        public readonly array $accepted;
        /** @var list<array{address: string, code: int, enhanced: ?string, reply: string}> */
        public readonly array $rejected;
        public readonly int $code;
        public readonly ?string $enhancedStatus;
        public readonly string $reply;
        public readonly ?string $queueId;
        public readonly int $size;
        public readonly int $attempts;
        /** @var array{connect_ms: float, envelope_ms: float, data_ms: float, total_ms: float} */
        public readonly array $timings;

        private function __construct() {}
    }

    class SmtpDiagException extends \RuntimeException
    {
        private string $category = "other";
        private string $phase = "none";
        private ?int $smtpCode = null;
        private ?string $enhancedStatus = null;
        private bool $transient = false;
        private string $hint = "";
        private array $transcript = [];

        public function getCategory(): string {}

        public function getPhase(): string {}

        public function getSmtpCode(): ?int {}

        public function getEnhancedStatus(): ?string {}

        public function isTransient(): bool {}

        public function getHint(): string {}

        public function getTranscript(): array {}
    }

    class ConnectionException extends SmtpDiagException {}

    class TimeoutException extends SmtpDiagException {}

    class TlsException extends SmtpDiagException {}

    class AuthenticationException extends SmtpDiagException {}

    class SenderException extends SmtpDiagException {}

    class RecipientException extends SmtpDiagException {}

    class MessageException extends SmtpDiagException {}

    class ProtocolException extends SmtpDiagException {}
}
