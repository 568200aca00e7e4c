/*
 * A small DNS wire-format writer for the unit tests that build messages
 * byte by byte (test_dnsmsg.c, test_dns.c). Writes past the buffer are
 * dropped, so a test sees a short message rather than an overrun.
 */
#ifndef T_WIRE_H
#define T_WIRE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct {
	unsigned char b[8192];
	size_t n;
} wb_t;

static inline void w8(wb_t *w, unsigned v)
{
	if (w->n < sizeof(w->b)) {
		w->b[w->n++] = (unsigned char)v;
	}
}

static inline void w16(wb_t *w, unsigned v)
{
	w8(w, (v >> 8) & 0xFF);
	w8(w, v & 0xFF);
}

static inline void w32(wb_t *w, uint32_t v)
{
	w16(w, v >> 16);
	w16(w, v & 0xFFFF);
}

static inline void wmem(wb_t *w, const void *p, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		w8(w, ((const unsigned char *)p)[i]);
	}
}

/* A name from dotted plain labels ("" is the root), uncompressed. */
static inline void wname(wb_t *w, const char *name)
{
	while (*name) {
		size_t l = strcspn(name, ".");
		w8(w, (unsigned)l);
		wmem(w, name, l);
		name += l;
		if (*name == '.') {
			name++;
		}
	}
	w8(w, 0);
}

#endif
