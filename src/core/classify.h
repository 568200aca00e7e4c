/*
 * smtpdiag core: classification of SMTP replies into the fixed category
 * vocabulary, with the transient flag and a hint.
 */
#ifndef SDIAG_CLASSIFY_H
#define SDIAG_CLASSIFY_H

#include "error.h"

/* Fill err (category, transient, codes, hint) for a reply given to a
 * command of the given phase. The message is left to the caller. */
void sdiag_classify_reply(sdiag_error_t *err, int code, const char *enhanced, const char *text, sdiag_phase_t phase);

#endif
