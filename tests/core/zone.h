/*
 * An in-memory DNS zone behind sdiag_dns_ops_t, for unit tests of the DNS
 * checks: records in zone-file text, faults per name and type, answers
 * delivered at once or held until t_zone_flush() (to exercise the
 * asynchronous paths), and a log of the queries asked.
 */
#ifndef T_ZONE_H
#define T_ZONE_H

#include "dns.h"

typedef struct t_zone t_zone_t;

t_zone_t *t_zone_new(void);
void t_zone_free(t_zone_t *z);

/* Add one record: type "A", "AAAA", "MX" ("10 mx.example.com"), "TXT",
 * "SPF", "PTR", "CNAME", "NS", "TLSA" ("3 1 1 <hex>"). TXT/SPF data is one
 * character-string; t_zone_add_txt() adds one made of several (n may be 0:
 * a TXT record of no strings). Names are
 * case-insensitive; a final dot is ignored. */
void t_zone_add(t_zone_t *z, const char *name, const char *type, const char *data);
void t_zone_add_txt(t_zone_t *z, const char *name, const char *const *strings, size_t n);
/* The same with byte strings of the given lengths (NUL bytes kept). */
void t_zone_add_txt_raw(t_zone_t *z, const char *name, const char *const *strings, const size_t *lens, size_t n);
/* Every query of name (and type, or any type when type is NULL) ends with
 * status (SDIAG_DNS_TIMEOUT, SDIAG_DNS_SERVFAIL, ...) and no message. */
void t_zone_fault(t_zone_t *z, const char *name, const char *type, sdiag_dns_status_t status);
/* Queries of name for a type it holds no record of (nor a CNAME) end
 * with status: the "TIMEOUT" of the SPF conformance suite's zones. */
void t_zone_fault_rest(t_zone_t *z, const char *name, sdiag_dns_status_t status);
/* Answers carry the AD bit. */
void t_zone_set_ad(t_zone_t *z, int ad);
/* Hold answers until t_zone_flush() (on), or answer inside query() (off, the default). */
void t_zone_defer(t_zone_t *z, int on);
/* Deliver the held answers (also those asked while flushing); returns how many. */
size_t t_zone_flush(t_zone_t *z);

sdiag_dns_ops_t t_zone_ops(t_zone_t *z);
/* Queries asked so far, and the log "TXT example.com\nA mx.example.com\n...". */
size_t t_zone_queries(const t_zone_t *z);
const char *t_zone_log(const t_zone_t *z);
/* The most queries that were in flight at once (deferred mode). */
size_t t_zone_max_inflight(const t_zone_t *z);

#endif
