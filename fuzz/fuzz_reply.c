/*
 * Fuzz target: the SMTP reply parser (src/core/reply.c).
 * The first input byte seeds the chunking; the rest is the server's bytes.
 * The stream is parsed once whole and once in random chunks: both must give
 * the same replies (code, enhanced code, lines, text, end offset) and fail
 * at the same point. Every reply must respect the caps.
 */
#include "fuzz_common.h"
#include "reply.h"

#include <string.h>

#define MAX_SEEN 64

typedef struct {
	int code;
	char enhanced[16];
	size_t nlines, textlen, end;
	uint64_t hash;
} seen_t;

typedef struct {
	size_t n;
	seen_t r[MAX_SEEN];
	int error;
} outcome_t;

static uint64_t fnv(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i;
	for (i = 0; i < n; i++) {
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	}
	return h;
}

static void check_reply(const sdiag_reply_parser_t *p)
{
	const sdiag_reply_t *r = &p->reply;
	size_t el = strlen(r->enhanced);
	FUZZ_ASSERT(r->code >= 200 && r->code <= 599);
	FUZZ_ASSERT(r->nlines >= 1 && r->nlines <= SDIAG_REPLY_MAX_LINES);
	FUZZ_ASSERT(r->text.len <= SDIAG_REPLY_MAX_BYTES);
	FUZZ_ASSERT(!r->text.data || r->text.data[r->text.len] == '\0');
	FUZZ_ASSERT(el == 0 || (el >= 5 && el <= 9 && r->enhanced[0] == (char)('0' + r->code / 100)));
	FUZZ_ASSERT(!sdiag_reply_parser_pending(p));
}

/* cut: 0 = whole; otherwise chunk sizes from the PRNG, 1..max */
static void run(const char *d, size_t len, uint8_t seed, int chunked, outcome_t *o)
{
	sdiag_reply_parser_t p;
	fuzz_rng_t rng;
	size_t a = 0, maxchunk = (size_t)(seed % 64) + 1;
	memset(o, 0, sizeof(*o));
	rng.s = 0x12345u + seed;
	sdiag_reply_parser_init(&p);
	while (a < len && !o->error) {
		size_t b = chunked ? a + 1 + fuzz_next(&rng) % maxchunk : len, off = a;
		if (b > len) {
			b = len;
		}
		while (off < b) {
			size_t used = (size_t)-1;
			sdiag_reply_result_t r = sdiag_reply_parser_feed(&p, d + off, b - off, &used, NULL, NULL);
			FUZZ_ASSERT(used <= b - off);
			if (r == SDIAG_REPLY_DONE) {
				FUZZ_ASSERT(used > 0 && d[off + used - 1] == '\n');
				off += used;
				check_reply(&p);
				if (o->n < MAX_SEEN) {
					seen_t *s = &o->r[o->n];
					s->code = p.reply.code;
					memcpy(s->enhanced, p.reply.enhanced, sizeof(s->enhanced));
					s->nlines = p.reply.nlines;
					s->textlen = p.reply.text.len;
					s->hash = fnv(p.reply.text.data ? p.reply.text.data : "", p.reply.text.len);
					s->end = off;
				}
				o->n++;
				continue;
			}
			if (r == SDIAG_REPLY_NEED_MORE) {
				FUZZ_ASSERT(used == b - off);
				break;
			}
			FUZZ_ASSERT(r == SDIAG_REPLY_ERROR); /* no NOMEM without allocation failures */
			FUZZ_ASSERT(p.error[0] != '\0');
			o->error = 1;
			break;
		}
		a = b;
	}
	sdiag_reply_parser_free(&p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	outcome_t whole, chunks;
	const char *d;
	size_t len, i;
	uint8_t seed;
	if (size < 1) {
		return 0;
	}
	seed = data[0];
	d = (const char *)data + 1;
	len = size - 1;
	run(d, len, seed, 0, &whole);
	run(d, len, seed, 1, &chunks);
	FUZZ_ASSERT(whole.n == chunks.n);
	FUZZ_ASSERT(whole.error == chunks.error);
	for (i = 0; i < whole.n && i < MAX_SEEN; i++) {
		FUZZ_ASSERT(whole.r[i].code == chunks.r[i].code);
		FUZZ_ASSERT(strcmp(whole.r[i].enhanced, chunks.r[i].enhanced) == 0);
		FUZZ_ASSERT(whole.r[i].nlines == chunks.r[i].nlines);
		FUZZ_ASSERT(whole.r[i].textlen == chunks.r[i].textlen);
		FUZZ_ASSERT(whole.r[i].hash == chunks.r[i].hash);
		FUZZ_ASSERT(whole.r[i].end == chunks.r[i].end);
	}
	/* the same bytes as one reply given as text (smtpdiag_classify()) */
	{
		sdiag_reply_parser_t p;
		sdiag_reply_parser_init(&p);
		if (sdiag_reply_parse_text(&p, d, len) == SDIAG_REPLY_DONE) {
			check_reply(&p);
		} else {
			FUZZ_ASSERT(p.error[0] != '\0');
		}
		sdiag_reply_parser_free(&p);
	}
	/* the enhanced-code scanner on its own, with the seed as the reply code */
	{
		char out[16];
		size_t n = sdiag_parse_enhanced(d, len, 200 + seed % 4 * 100 % 400, out);
		FUZZ_ASSERT(n == 0 || (n >= 5 && n <= 11 && strlen(out) == n));
	}
	return 0;
}
