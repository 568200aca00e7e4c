/*
 * Running one DNS check job against the in-memory zone, for the job tests
 * of test_dkim.c and test_dmarc.c.
 *
 * sdiag_job_done() is defined here because the orchestrator (dnscheck.c)
 * is not in this branch: it does what the real one does for one job (the
 * message, the hint, the status, done) and counts the calls. Delete the
 * definition when dnscheck.c is merged.
 */
#ifndef T_JOB_STUB_H
#define T_JOB_STUB_H

#include "dnscheck.h"
#include "compat.h"
#include "test.h"
#include "zone.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void sdiag_job_done(sdiag_job_t *job, sdiag_step_status_t st, const char *hint, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(job->step.message, sizeof(job->step.message), fmt, ap);
	va_end(ap);
	sdiag_strlcpy(job->step.hint, hint ? hint : "", sizeof(job->step.hint));
	job->step.status = st;
	job->step.duration_ms = 0;
	job->done++;
}

typedef struct t_job {
	sdiag_dnscheck_in_t in;
	sdiag_job_t job;
} t_job_t;

/* Start fn for domain against z; the caller flushes a deferred zone. */
static inline void t_job_start(t_job_t *j, void (*fn)(sdiag_job_t *), t_zone_t *z, const char *domain, const char *const *sel, size_t nsel)
{
	memset(j, 0, sizeof(*j));
	j->in.ops = t_zone_ops(z);
	j->in.domain = domain;
	j->in.selectors = sel;
	j->in.nselectors = nsel;
	j->job.in = &j->in;
	fn(&j->job);
}

static inline void t_job_free(t_job_t *j)
{
	if (j->job.free_priv) {
		j->job.free_priv(&j->job);
	}
	sdiag_v_free(j->job.step.data);
	j->job.step.data = NULL;
}

/* A string member of a map (NULL when absent or not a string). */
static inline const char *t_vstr(const sdiag_value_t *m, const char *key)
{
	const sdiag_value_t *v = sdiag_v_get(m, key);
	return v && v->type == SDIAG_V_STR ? v->u.str.s : NULL;
}

static inline long long t_vint(const sdiag_value_t *m, const char *key)
{
	const sdiag_value_t *v = sdiag_v_get(m, key);
	return v && v->type == SDIAG_V_INT ? v->u.i : -1;
}

static inline int t_vbool(const sdiag_value_t *m, const char *key)
{
	const sdiag_value_t *v = sdiag_v_get(m, key);
	return v && v->type == SDIAG_V_BOOL ? v->u.b : -1;
}

#endif
