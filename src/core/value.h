/*
 * smtpdiag core: a small tree of values (null, bool, integer, string,
 * list, map) for the data of report steps the core builds itself
 * (the DNS checks). The PHP glue turns it into an array as it stands.
 *
 * Every function accepts a NULL parent and does nothing then, so a chain of
 * puts after a failed allocation needs no checks; the tree is simply shorter.
 * Maps keep insertion order; putting an existing key replaces its value.
 */
#ifndef SDIAG_VALUE_H
#define SDIAG_VALUE_H

#include <stddef.h>

typedef enum sdiag_vtype {
	SDIAG_V_NULL = 0,
	SDIAG_V_BOOL,
	SDIAG_V_INT,
	SDIAG_V_STR,
	SDIAG_V_LIST,
	SDIAG_V_MAP
} sdiag_vtype_t;

typedef struct sdiag_value {
	sdiag_vtype_t type;
	union {
		int b;
		long long i;
		struct {
			char *s;          /* NUL-terminated; may hold NUL bytes before len */
			size_t len;
		} str;
		struct {
			struct sdiag_value **items;
			char **keys;      /* maps only */
			size_t n, cap;
		} c;
	} u;
} sdiag_value_t;

sdiag_value_t *sdiag_v_new(sdiag_vtype_t type);
void sdiag_v_free(sdiag_value_t *v);

/* Map members. Each returns the stored value (NULL on failure). */
sdiag_value_t *sdiag_v_put(sdiag_value_t *map, const char *key, sdiag_value_t *v);
sdiag_value_t *sdiag_v_put_null(sdiag_value_t *map, const char *key);
sdiag_value_t *sdiag_v_put_bool(sdiag_value_t *map, const char *key, int b);
sdiag_value_t *sdiag_v_put_int(sdiag_value_t *map, const char *key, long long i);
sdiag_value_t *sdiag_v_put_str(sdiag_value_t *map, const char *key, const char *s);  /* NULL s puts null */
sdiag_value_t *sdiag_v_put_strn(sdiag_value_t *map, const char *key, const char *s, size_t len);
sdiag_value_t *sdiag_v_put_map(sdiag_value_t *map, const char *key);   /* a new empty map */
sdiag_value_t *sdiag_v_put_list(sdiag_value_t *map, const char *key);  /* a new empty list */

/* List items. */
sdiag_value_t *sdiag_v_push(sdiag_value_t *list, sdiag_value_t *v);
sdiag_value_t *sdiag_v_push_str(sdiag_value_t *list, const char *s);
sdiag_value_t *sdiag_v_push_map(sdiag_value_t *list);

/* Look-ups (NULL when absent or not a map/list). */
sdiag_value_t *sdiag_v_get(const sdiag_value_t *map, const char *key);
sdiag_value_t *sdiag_v_at(const sdiag_value_t *list, size_t i);
size_t sdiag_v_count(const sdiag_value_t *v);

#endif
