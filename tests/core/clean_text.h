/* The oracle for sanitised text, shared by the unit tests and the fuzz
 * targets: written apart from src/core/transcript.c on purpose. */
#ifndef SDIAG_TEST_CLEAN_TEXT_H
#define SDIAG_TEST_CLEAN_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* Valid UTF-8 without C0 controls (tab allowed), DEL or C1 controls. */
static inline int clean_text(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		unsigned char c = p[i];
		size_t need, k;
		uint32_t cp;
		if (c < 0x80) {
			if ((c < 0x20 && c != '\t') || c == 0x7F) {
				return 0;
			}
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			need = 2, cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			need = 3, cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			need = 4, cp = c & 0x07;
		} else {
			return 0;
		}
		if (i + need > n) {
			return 0;
		}
		for (k = 1; k < need; k++) {
			if ((p[i + k] & 0xC0) != 0x80) {
				return 0;
			}
			cp = (cp << 6) | (p[i + k] & 0x3F);
		}
		if ((need == 2 && cp < 0xA0) || (need == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (need == 4 && (cp < 0x10000 || cp > 0x10FFFF))) {
			return 0;
		}
		i += need;
	}
	return 1;
}

#endif
