/*
 * Fuzz target: the transcript sanitiser and text form (src/core/transcript.c).
 * The whole input is sanitised; then its '\n'-separated lines become
 * transcript entries (direction and TLS flag from the line's first byte) and
 * the swaks text form is produced. Stored text is always clean UTF-8.
 */
#include "fuzz_common.h"
#include "transcript.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *d = (const char *)data;
	sdiag_buf_t b;
	sdiag_transcript_t t;
	size_t i, off = 0, lines = 0;

	sdiag_buf_init(&b, 1 << 22);
	FUZZ_ASSERT(sdiag_sanitize(&b, d, size) == SDIAG_BUF_OK);
	FUZZ_ASSERT(clean_text(b.data ? b.data : "", b.len));
	FUZZ_ASSERT(b.len <= size * 6);
	FUZZ_ASSERT(b.len >= size);
	sdiag_buf_free(&b);

	sdiag_transcript_init(&t);
	while (off <= size) {
		const char *nl = memchr(d + off, '\n', size - off);
		size_t len = nl ? (size_t)(nl - (d + off)) : size - off;
		unsigned char k = len ? (unsigned char)d[off] : 0;
		sdiag_transcript_add(&t, (sdiag_dir_t)(k % 3), (k >> 2) & 1, d + off, len);
		if (!nl) {
			break;
		}
		off += len + 1;
	}
	sdiag_transcript_addf(&t, SDIAG_DIR_INFO, 0, "%.*s", (int)(size < 2000 ? size : 2000), d);
	FUZZ_ASSERT(t.n <= SDIAG_TRANSCRIPT_MAX_ENTRIES);
	FUZZ_ASSERT(t.text.len <= SDIAG_TRANSCRIPT_MAX_BYTES);
	for (i = 0; i < t.n; i++) {
		const sdiag_tentry_t *e = &t.entries[i];
		const char *txt = sdiag_tentry_text(&t, e);
		FUZZ_ASSERT(e->off + e->len < t.text.len);
		FUZZ_ASSERT(txt[e->len] == '\0');
		FUZZ_ASSERT(strlen(txt) == e->len);
		FUZZ_ASSERT(clean_text(txt, e->len));
		FUZZ_ASSERT(e->len <= SDIAG_TRANSCRIPT_LINE_MAX * 6 + 64);
		FUZZ_ASSERT(e->dir <= SDIAG_DIR_INFO);
		FUZZ_ASSERT(e->t >= 0);
	}
	sdiag_buf_init(&b, 1 << 23);
	FUZZ_ASSERT(sdiag_transcript_format(&t, &b, size & 1) == 0);
	for (i = 0; i < b.len; i++) {
		lines += b.data[i] == '\n';
		FUZZ_ASSERT(b.data[i] != '\r');
	}
	FUZZ_ASSERT(lines == t.n);
	sdiag_buf_free(&b);
	sdiag_transcript_free(&t);
	return 0;
}
