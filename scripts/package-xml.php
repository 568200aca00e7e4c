<?php
/*
 * Keep the <contents> of package.xml in sync with the files in git.
 *
 * Usage:
 *   php scripts/package-xml.php --update [--include-untracked]
 *       Rewrite the <contents> section of package.xml from `git ls-files`
 *       (plus untracked, not ignored files with --include-untracked).
 *       Everything else in package.xml is left byte-for-byte unchanged.
 *   php scripts/package-xml.php --check [--include-untracked]
 *       Exit 1, listing files missing from / extra in package.xml (and files
 *       whose role is wrong); exit 0 when package.xml matches.
 *   php scripts/package-xml.php --list [--include-untracked]
 *       Print "role<TAB>path" for every file that would be shipped.
 *
 * Shipped: every file except development-only ones: anything under a
 * directory or with a name starting with "." (.ci/, .github/, .gitignore,
 * .clang-format, stubs/.clang-format, .editorconfig, ...), scripts/ (except
 * scripts/smtpdiag, the CLI, which ships with role="script"), bench/, fuzz/,
 * composer.json and package.xml itself.
 * Roles: tests/ -> test; *.md and LICENSE -> doc; scripts/smtpdiag -> script;
 * everything else -> src.
 * The file list is written flat (<file name="dir/sub/file"/>) inside one
 * <dir name="/"> with baseinstalldir="/", which PECL accepts.
 */

declare(strict_types=1);

const EXIT_OK = 0;
const EXIT_DRIFT = 1;
const EXIT_USAGE = 2;

function fail(string $msg, int $code = EXIT_USAGE): never
{
    fwrite(STDERR, "package-xml: $msg\n");
    exit($code);
}

function usage(): never
{
    fwrite(STDERR, "usage: php scripts/package-xml.php (--update|--check|--list) [--include-untracked] [--root DIR]\n");
    exit(EXIT_USAGE);
}

/** Development-only paths that never go into the PECL tarball. */
function is_shipped(string $path): bool
{
    foreach (explode('/', $path) as $part) {
        if ($part !== '' && $part[0] === '.') {
            return false; // .ci/, .github/, .gitignore, .clang-format, .editorconfig, ...
        }
    }
    if ($path === 'scripts/smtpdiag') {
        return true;
    }
    foreach (['scripts/', 'bench/', 'fuzz/'] as $prefix) {
        if (str_starts_with($path, $prefix)) {
            return false;
        }
    }
    return !in_array($path, ['composer.json', 'package.xml'], true);
}

function role_for(string $path): string
{
    if ($path === 'scripts/smtpdiag') {
        return 'script';
    }
    if (str_starts_with($path, 'tests/')) {
        return 'test';
    }
    if (str_ends_with(strtolower($path), '.md') || $path === 'LICENSE') {
        return 'doc';
    }
    return 'src';
}

/** @return list<string> */
function git_files(string $root, bool $untracked): array
{
    $cmd = ['git', '-C', $root, 'ls-files', '-z', '--cached'];
    if ($untracked) {
        array_push($cmd, '--others', '--exclude-standard');
    }
    $proc = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
    if (!is_resource($proc)) {
        fail('cannot run git');
    }
    $out = stream_get_contents($pipes[1]);
    $err = stream_get_contents($pipes[2]);
    fclose($pipes[1]);
    fclose($pipes[2]);
    if (proc_close($proc) !== 0) {
        fail("git ls-files failed: " . trim((string) $err));
    }
    $files = [];
    foreach (explode("\0", (string) $out) as $f) {
        if ($f === '') {
            continue;
        }
        // A tracked file deleted in the work tree cannot be packaged.
        if (!is_file("$root/$f")) {
            fwrite(STDERR, "package-xml: note: $f is in the index but not in the work tree; skipped\n");
            continue;
        }
        $files[$f] = true;
    }
    $files = array_keys($files);
    sort($files, SORT_STRING);
    return $files;
}

/** @return array<string,string> path => role */
function expected_contents(string $root, bool $untracked): array
{
    $map = [];
    foreach (git_files($root, $untracked) as $f) {
        if (is_shipped($f)) {
            $map[$f] = role_for($f);
        }
    }
    return $map;
}

/** @return array<string,string> path => role, as listed in package.xml (flat or nested <dir>) */
function listed_contents(string $xml): array
{
    $dom = new DOMDocument();
    if (!@$dom->loadXML($xml)) {
        fail('package.xml is not well-formed XML');
    }
    $xp = new DOMXPath($dom);
    $xp->registerNamespace('p', 'http://pear.php.net/dtd/package-2.0');
    $contents = $xp->query('/p:package/p:contents')->item(0);
    if (!$contents) {
        fail('package.xml has no <contents> section (is it package 2.0 format?)');
    }
    $map = [];
    $walk = function (DOMElement $el, string $prefix) use (&$walk, &$map): void {
        foreach ($el->childNodes as $child) {
            if (!$child instanceof DOMElement) {
                continue;
            }
            $name = trim($child->getAttribute('name'), '/');
            $path = $prefix === '' ? $name : ($name === '' ? $prefix : "$prefix/$name");
            if ($child->localName === 'dir') {
                $walk($child, $path);
            } elseif ($child->localName === 'file') {
                $map[$path] = $child->getAttribute('role');
            }
        }
    };
    $walk($contents, '');
    ksort($map, SORT_STRING);
    return $map;
}

/** Render the <contents> element, indented like the rest of package.xml (1 space per level). */
function render_contents(array $map, string $indent): string
{
    $lines = ["$indent<contents>", "$indent <dir name=\"/\">"];
    foreach ($map as $path => $role) {
        $lines[] = sprintf(
            '%s  <file name="%s" role="%s" />',
            $indent,
            htmlspecialchars($path, ENT_XML1 | ENT_QUOTES, 'UTF-8'),
            $role
        );
    }
    $lines[] = "$indent </dir>";
    $lines[] = "$indent</contents>";
    return implode("\n", $lines);
}

// --- main ---------------------------------------------------------------------------

$mode = null;
$untracked = false;
$root = dirname(__DIR__);
for ($i = 1; $i < $argc; $i++) {
    switch ($argv[$i]) {
        case '--update':
        case '--check':
        case '--list':
            if ($mode !== null) {
                usage();
            }
            $mode = substr($argv[$i], 2);
            break;
        case '--include-untracked':
            $untracked = true;
            break;
        case '--root':
            $root = $argv[++$i] ?? usage();
            break;
        case '-h':
        case '--help':
            usage();
        default:
            fwrite(STDERR, "package-xml: unknown argument: {$argv[$i]}\n");
            usage();
    }
}
if ($mode === null) {
    usage();
}
if (!extension_loaded('dom')) {
    fail('the dom extension is required (apt-get install php-xml)');
}

$root = rtrim($root, '/');
$pkgFile = "$root/package.xml";
$expected = expected_contents($root, $untracked);

if ($mode === 'list') {
    foreach ($expected as $path => $role) {
        echo "$role\t$path\n";
    }
    exit(EXIT_OK);
}

$xml = @file_get_contents($pkgFile);
if ($xml === false) {
    fail("cannot read $pkgFile");
}

if ($mode === 'update') {
    if (!preg_match('~<contents\b[^>]*?(?:/>|>.*?</contents>)~s', $xml, $m, PREG_OFFSET_CAPTURE)) {
        fail('cannot find a <contents>...</contents> section in package.xml');
    }
    [$section, $offset] = $m[0];
    // Indent of the line the element starts on (only if nothing else precedes it there).
    $lineStart = strrpos(substr($xml, 0, $offset), "\n");
    $lineStart = $lineStart === false ? 0 : $lineStart + 1;
    $before = substr($xml, $lineStart, $offset - $lineStart);
    $indent = preg_match('~^[ \t]*$~', $before) ? $before : '';
    $rendered = render_contents($expected, $indent);
    if ($indent !== '') {
        $rendered = substr($rendered, strlen($indent)); // the first line's indent is already in the file
    }
    $new = substr($xml, 0, $offset) . $rendered . substr($xml, $offset + strlen($section));
    // Sanity: what we wrote must parse back to exactly the expected list.
    if (listed_contents($new) !== $expected) {
        fail('internal error: rewritten <contents> does not round-trip');
    }
    if ($new === $xml) {
        echo "package-xml: package.xml is up to date (" . count($expected) . " files)\n";
        exit(EXIT_OK);
    }
    $tmp = "$pkgFile.tmp." . getmypid();
    if (file_put_contents($tmp, $new) === false || !rename($tmp, $pkgFile)) {
        @unlink($tmp);
        fail("cannot write $pkgFile");
    }
    echo "package-xml: rewrote <contents> of package.xml (" . count($expected) . " files)\n";
    exit(EXIT_OK);
}

// --check
$listed = listed_contents($xml);
$missing = array_diff_key($expected, $listed);
$extra = array_diff_key($listed, $expected);
$wrongRole = [];
foreach (array_intersect_key($expected, $listed) as $path => $role) {
    if ($listed[$path] !== $role) {
        $wrongRole[$path] = [$listed[$path], $role];
    }
}

if (!$missing && !$extra && !$wrongRole) {
    echo "package-xml: package.xml <contents> matches the tree (" . count($expected) . " files)\n";
    exit(EXIT_OK);
}
foreach ($missing as $path => $role) {
    fwrite(STDERR, "package-xml: MISSING from package.xml: $path (role=$role)\n");
}
foreach ($extra as $path => $role) {
    if (!is_file("$root/$path")) {
        $why = 'no such file';
    } elseif (!is_shipped($path)) {
        $why = 'development-only file, not shipped';
    } else {
        $why = 'not tracked by git; add it, or pass --include-untracked';
    }
    fwrite(STDERR, "package-xml: EXTRA in package.xml: $path ($why)\n");
}
foreach ($wrongRole as $path => [$have, $want]) {
    fwrite(STDERR, "package-xml: WRONG ROLE in package.xml: $path has role=\"$have\", expected \"$want\"\n");
}
fwrite(STDERR, "package-xml: run `php scripts/package-xml.php --update"
    . ($untracked ? ' --include-untracked' : '') . "` to fix\n");
exit(EXIT_DRIFT);
