/* smtpdiag core: a small tree of values for report data. */
#include "value.h"
#include "compat.h"

#include <string.h>

sdiag_value_t *sdiag_v_new(sdiag_vtype_t type)
{
	sdiag_value_t *v = sdiag_calloc(1, sizeof(*v));
	if (v) {
		v->type = type;
	}
	return v;
}

void sdiag_v_free(sdiag_value_t *v)
{
	size_t i;
	if (!v) {
		return;
	}
	if (v->type == SDIAG_V_STR) {
		sdiag_free(v->u.str.s);
	} else if (v->type == SDIAG_V_LIST || v->type == SDIAG_V_MAP) {
		for (i = 0; i < v->u.c.n; i++) {
			sdiag_v_free(v->u.c.items[i]);
			if (v->u.c.keys) {
				sdiag_free(v->u.c.keys[i]);
			}
		}
		sdiag_free(v->u.c.items);
		sdiag_free(v->u.c.keys);
	}
	sdiag_free(v);
}

static int grow(sdiag_value_t *c)
{
	size_t cap = c->u.c.cap ? c->u.c.cap * 2 : 4;
	sdiag_value_t **items;
	if (c->u.c.n < c->u.c.cap) {
		return 0;
	}
	items = sdiag_realloc(c->u.c.items, cap * sizeof(*items));
	if (!items) {
		return -1;
	}
	c->u.c.items = items;
	if (c->type == SDIAG_V_MAP) {
		char **keys = sdiag_realloc(c->u.c.keys, cap * sizeof(*keys));
		if (!keys) {
			return -1;
		}
		c->u.c.keys = keys;
	}
	c->u.c.cap = cap;
	return 0;
}

sdiag_value_t *sdiag_v_put(sdiag_value_t *map, const char *key, sdiag_value_t *v)
{
	size_t i, klen;
	char *k;
	if (!map || map->type != SDIAG_V_MAP || !v) {
		sdiag_v_free(v);
		return NULL;
	}
	for (i = 0; i < map->u.c.n; i++) {
		if (strcmp(map->u.c.keys[i], key) == 0) {
			sdiag_v_free(map->u.c.items[i]);
			map->u.c.items[i] = v;
			return v;
		}
	}
	klen = strlen(key);
	k = sdiag_malloc(klen + 1);
	if (!k || grow(map) != 0) {
		sdiag_free(k);
		sdiag_v_free(v);
		return NULL;
	}
	memcpy(k, key, klen + 1);
	map->u.c.keys[map->u.c.n] = k;
	map->u.c.items[map->u.c.n++] = v;
	return v;
}

sdiag_value_t *sdiag_v_push(sdiag_value_t *list, sdiag_value_t *v)
{
	if (!list || list->type != SDIAG_V_LIST || !v || grow(list) != 0) {
		sdiag_v_free(v);
		return NULL;
	}
	list->u.c.items[list->u.c.n++] = v;
	return v;
}

static sdiag_value_t *str_value(const char *s, size_t len)
{
	sdiag_value_t *v = sdiag_v_new(SDIAG_V_STR);
	if (!v) {
		return NULL;
	}
	v->u.str.s = sdiag_malloc(len + 1);
	if (!v->u.str.s) {
		sdiag_free(v);
		return NULL;
	}
	memcpy(v->u.str.s, s, len);
	v->u.str.s[len] = '\0';
	v->u.str.len = len;
	return v;
}

static sdiag_value_t *scalar(sdiag_vtype_t type)
{
	return sdiag_v_new(type);
}

sdiag_value_t *sdiag_v_put_null(sdiag_value_t *map, const char *key)
{
	return map ? sdiag_v_put(map, key, scalar(SDIAG_V_NULL)) : NULL;
}

sdiag_value_t *sdiag_v_put_bool(sdiag_value_t *map, const char *key, int b)
{
	sdiag_value_t *v = map ? scalar(SDIAG_V_BOOL) : NULL;
	if (v) {
		v->u.b = b != 0;
	}
	return sdiag_v_put(map, key, v);
}

sdiag_value_t *sdiag_v_put_int(sdiag_value_t *map, const char *key, long long i)
{
	sdiag_value_t *v = map ? scalar(SDIAG_V_INT) : NULL;
	if (v) {
		v->u.i = i;
	}
	return sdiag_v_put(map, key, v);
}

sdiag_value_t *sdiag_v_put_strn(sdiag_value_t *map, const char *key, const char *s, size_t len)
{
	return map ? sdiag_v_put(map, key, str_value(s, len)) : NULL;
}

sdiag_value_t *sdiag_v_put_str(sdiag_value_t *map, const char *key, const char *s)
{
	return s ? sdiag_v_put_strn(map, key, s, strlen(s)) : sdiag_v_put_null(map, key);
}

sdiag_value_t *sdiag_v_put_map(sdiag_value_t *map, const char *key)
{
	return map ? sdiag_v_put(map, key, sdiag_v_new(SDIAG_V_MAP)) : NULL;
}

sdiag_value_t *sdiag_v_put_list(sdiag_value_t *map, const char *key)
{
	return map ? sdiag_v_put(map, key, sdiag_v_new(SDIAG_V_LIST)) : NULL;
}

sdiag_value_t *sdiag_v_push_str(sdiag_value_t *list, const char *s)
{
	return list && s ? sdiag_v_push(list, str_value(s, strlen(s))) : NULL;
}

sdiag_value_t *sdiag_v_push_map(sdiag_value_t *list)
{
	return list ? sdiag_v_push(list, sdiag_v_new(SDIAG_V_MAP)) : NULL;
}

sdiag_value_t *sdiag_v_get(const sdiag_value_t *map, const char *key)
{
	size_t i;
	if (!map || map->type != SDIAG_V_MAP) {
		return NULL;
	}
	for (i = 0; i < map->u.c.n; i++) {
		if (strcmp(map->u.c.keys[i], key) == 0) {
			return map->u.c.items[i];
		}
	}
	return NULL;
}

sdiag_value_t *sdiag_v_at(const sdiag_value_t *list, size_t i)
{
	if (!list || (list->type != SDIAG_V_LIST && list->type != SDIAG_V_MAP) || i >= list->u.c.n) {
		return NULL;
	}
	return list->u.c.items[i];
}

size_t sdiag_v_count(const sdiag_value_t *v)
{
	return v && (v->type == SDIAG_V_LIST || v->type == SDIAG_V_MAP) ? v->u.c.n : 0;
}
