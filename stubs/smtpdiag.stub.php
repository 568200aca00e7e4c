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

    /** Classify one SMTP reply (possibly multi-line): category, transient, codes, hint. */
    function smtpdiag_classify(string $reply, array $options = []): array {}

    /** Render a report of smtpdiag_check() as text for terminals and logs. */
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
