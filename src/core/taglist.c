/* smtpdiag core: tag=value lists (RFC 6376 3.2) and record findings. */
#include "taglist.h"
#include "compat.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_namechar(char c)
{
	return is_alpha(c) || (c >= '0' && c <= '9') || c == '_';
}

static int lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

static int same(const char *a, size_t alen, const char *b, size_t blen, int icase)
{
	size_t i;
	if (alen != blen) {
		return 0;
	}
	for (i = 0; i < alen; i++) {
		if (icase ? lower((unsigned char)a[i]) != lower((unsigned char)b[i]) : a[i] != b[i]) {
			return 0;
		}
	}
	return 1;
}

/* A byte for a message: printable as itself, anything else as 0xNN. */
static const char *show_byte(unsigned char c, char *buf, size_t cap)
{
	if (c > 0x20 && c < 0x7f && c != '\'') {
		snprintf(buf, cap, "'%c'", c);
	} else {
		snprintf(buf, cap, "byte 0x%02x", c);
	}
	return buf;
}

int sdiag_taglist_parse(sdiag_taglist_t *tl, const char *s, size_t len, int icase)
{
	size_t i = 0;
	char b[16];

	tl->n = 0;
	tl->err[0] = '\0';
	for (;;) {
		size_t start, nlen, vstart, vend, j;
		sdiag_tag_t *t;

		while (i < len && is_ws(s[i])) {
			i++;
		}
		if (i == len) {
			return 0;
		}
		if (s[i] == ';') {
			i++;
			continue;
		}
		start = i;
		if (!is_alpha(s[i])) {
			snprintf(tl->err, sizeof(tl->err), "a tag name must start with a letter; found %s at offset %zu",
				show_byte((unsigned char)s[i], b, sizeof(b)), i);
			return -1;
		}
		while (i < len && is_namechar(s[i])) {
			i++;
		}
		nlen = i - start;
		while (i < len && is_ws(s[i])) {
			i++;
		}
		if (i == len || s[i] != '=') {
			snprintf(tl->err, sizeof(tl->err), "'=' expected after the tag name \"%.*s\" at offset %zu; found %s",
				(int)(nlen > 32 ? 32 : nlen), s + start, i,
				i == len ? "the end of the record" : show_byte((unsigned char)s[i], b, sizeof(b)));
			return -1;
		}
		i++;
		while (i < len && is_ws(s[i])) {
			i++;
		}
		vstart = i;
		for (; i < len && s[i] != ';'; i++) {
			unsigned char c = (unsigned char)s[i];
			if (!is_ws((char)c) && (c < 0x21 || c > 0x7e)) {
				snprintf(tl->err, sizeof(tl->err), "%s at offset %zu in the value of %.*s= (values are printable ASCII)",
					show_byte(c, b, sizeof(b)), i, (int)(nlen > 32 ? 32 : nlen), s + start);
				return -1;
			}
		}
		vend = i;
		while (vend > vstart && is_ws(s[vend - 1])) {
			vend--;
		}
		for (j = 0; j < tl->n; j++) {
			if (same(tl->tags[j].name, tl->tags[j].nlen, s + start, nlen, icase)) {
				snprintf(tl->err, sizeof(tl->err), "the tag %.*s= appears twice (offsets %zu and %zu); a duplicate tag makes the whole record invalid",
					(int)(nlen > 32 ? 32 : nlen), s + start, tl->tags[j].off, start);
				return -1;
			}
		}
		if (tl->n == SDIAG_TAGS_MAX) {
			snprintf(tl->err, sizeof(tl->err), "more than %d tags", SDIAG_TAGS_MAX);
			return -1;
		}
		t = &tl->tags[tl->n++];
		t->name = s + start;
		t->nlen = nlen;
		t->val = s + vstart;
		t->vlen = vend - vstart;
		t->off = start;
		if (i < len) {
			i++; /* the ';' */
		}
	}
}

int sdiag_tag_name_is(const sdiag_tag_t *t, const char *s, int icase)
{
	return t && same(t->name, t->nlen, s, strlen(s), icase);
}

int sdiag_tag_val_is(const sdiag_tag_t *t, const char *s, int icase)
{
	return t && same(t->val, t->vlen, s, strlen(s), icase);
}

const sdiag_tag_t *sdiag_taglist_get(const sdiag_taglist_t *tl, const char *name, int icase)
{
	size_t i;
	for (i = 0; i < tl->n; i++) {
		if (sdiag_tag_name_is(&tl->tags[i], name, icase)) {
			return &tl->tags[i];
		}
	}
	return NULL;
}

const char *sdiag_tag_val(const sdiag_tag_t *t, char *buf, size_t cap)
{
	size_t n = t->vlen < cap - 1 ? t->vlen : cap - 1;
	memcpy(buf, t->val, n);
	buf[n] = '\0';
	return buf;
}

int sdiag_list_next(const char *v, size_t vlen, char sep, size_t *pos, const char **item, size_t *ilen)
{
	size_t i = *pos, start, end;
	if (i > vlen) {
		return -1;
	}
	while (i < vlen && is_ws(v[i])) {
		i++;
	}
	start = i;
	while (i < vlen && v[i] != sep) {
		i++;
	}
	end = i;
	while (end > start && is_ws(v[end - 1])) {
		end--;
	}
	/* one past the separator; past vlen once the last item is out */
	*pos = i + 1;
	*item = v + start;
	*ilen = end - start;
	return 0;
}

int sdiag_record_is(const char *text, size_t len, const char *version)
{
	size_t i = 0, vl = strlen(version);
	while (i < len && is_ws(text[i])) {
		i++;
	}
	if (i == len || lower((unsigned char)text[i]) != 'v') {
		return 0;
	}
	i++;
	while (i < len && is_ws(text[i])) {
		i++;
	}
	if (i == len || text[i] != '=') {
		return 0;
	}
	i++;
	while (i < len && is_ws(text[i])) {
		i++;
	}
	if (len - i < vl || !same(text + i, vl, version, vl, 1)) {
		return 0;
	}
	i += vl;
	return i == len || text[i] == ';' || is_ws(text[i]);
}

void sdiag_findings_add(sdiag_findings_t *fs, sdiag_step_status_t sev, const char *fix, const char *fmt, ...)
{
	sdiag_finding_t *f;
	va_list ap;
	if (fs->n < SDIAG_FINDINGS_MAX) {
		f = &fs->f[fs->n++];
	} else if (sev > fs->f[SDIAG_FINDINGS_MAX - 1].sev) {
		f = &fs->f[SDIAG_FINDINGS_MAX - 1];
	} else {
		return;
	}
	f->sev = sev;
	va_start(ap, fmt);
	vsnprintf(f->text, sizeof(f->text), fmt, ap);
	va_end(ap);
	sdiag_strlcpy(f->fix, fix ? fix : "", sizeof(f->fix));
}

sdiag_step_status_t sdiag_findings_worst(const sdiag_findings_t *fs)
{
	const sdiag_finding_t *f = sdiag_findings_top(fs);
	return f ? f->sev : SDIAG_STEP_OK;
}

const sdiag_finding_t *sdiag_findings_top(const sdiag_findings_t *fs)
{
	const sdiag_finding_t *top = NULL;
	size_t i;
	for (i = 0; i < fs->n; i++) {
		if (fs->f[i].sev != SDIAG_STEP_OK && (!top || fs->f[i].sev > top->sev)) {
			top = &fs->f[i];
		}
	}
	return top;
}

void sdiag_findings_put(const sdiag_findings_t *fs, sdiag_value_t *list)
{
	size_t i;
	for (i = 0; i < fs->n; i++) {
		sdiag_value_t *m = sdiag_v_push_map(list);
		sdiag_v_put_str(m, "status", fs->f[i].sev == SDIAG_STEP_OK ? "note" : sdiag_step_status_name(fs->f[i].sev));
		sdiag_v_put_str(m, "message", fs->f[i].text);
		if (fs->f[i].fix[0]) {
			sdiag_v_put_str(m, "hint", fs->f[i].fix);
		} else {
			sdiag_v_put_null(m, "hint");
		}
	}
}
