/*
 * A stand-in for sdiag_job_done() (src/core/dnscheck.c, the check
 * orchestrator) for trees where the orchestrator is not there yet: the job
 * modules call it, and every core object is linked into every test and fuzz
 * binary. Weak, so the real one wins as soon as dnscheck.c is in the tree;
 * it does what the real one does for the job itself (no orchestrator to
 * notify). Delete this file once dnscheck.c is merged.
 */
#include "dnscheck.h"
#include "compat.h"

#include <stdarg.h>
#include <stdio.h>

__attribute__((weak)) void sdiag_job_done(sdiag_job_t *job, sdiag_step_status_t st, const char *hint, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(job->step.message, sizeof(job->step.message), fmt, ap);
	va_end(ap);
	sdiag_strlcpy(job->step.hint, hint ? hint : "", sizeof(job->step.hint));
	job->step.status = st;
	job->step.duration_ms = sdiag_now_ms() - job->t0;
	job->done = 1;
}
