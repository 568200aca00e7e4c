/*
 * Running one DNS check job against the in-memory zone, for the job tests
 * of test_dkim.c and test_dmarc.c.
 * The jobs end through the orchestrator's sdiag_job_done() (dnscheck.c),
 * which accepts a job without an orchestrator (job->dc NULL).
 */
#ifndef T_JOB_STUB_H
#define T_JOB_STUB_H

#include "dnscheck.h"
#include "compat.h"
#include "test.h"
#include "zone.h"

#include <stdio.h>
#include <string.h>

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
