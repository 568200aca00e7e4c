/* Helpers shared by the fuzz targets: a tiny PRNG for chunkings, checks. */
#ifndef SDIAG_FUZZ_COMMON_H
#define SDIAG_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "../tests/core/clean_text.h"
#include "dnscheck.h"

/* The targets link every core object, the DNS check jobs among them; until
 * the orchestrator (dnscheck.c, which defines sdiag_job_done()) is in
 * src/core, this weak stand-in lets them link. No target runs a job. */
__attribute__((weak)) void sdiag_job_done(sdiag_job_t *job, sdiag_step_status_t st, const char *hint, const char *fmt, ...)
{
	(void)hint;
	(void)fmt;
	job->step.status = st;
	job->done++;
}

/* A failed invariant: report and abort, so libFuzzer keeps the input. */
#define FUZZ_ASSERT(c)                                                             \
	do {                                                                           \
		if (!(c)) {                                                                \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #c); \
			abort();                                                               \
		}                                                                          \
	} while (0)

typedef struct {
	uint32_t s;
} fuzz_rng_t;

static inline uint32_t fuzz_next(fuzz_rng_t *r)
{
	uint32_t x = r->s ? r->s : 0x9E3779B9u;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	r->s = x;
	return x;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
