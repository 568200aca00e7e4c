/*
 * smtpdiag core: which cloud this machine runs on, read from the DMI
 * identity Linux exposes (no network, no metadata endpoint): most clouds
 * block outbound port 25, the first thing to know when it times out.
 */
#ifndef SDIAG_CLOUD_H
#define SDIAG_CLOUD_H

#define SDIAG_DMI_DIR "/sys/class/dmi/id"

/* "Amazon EC2", "Google Cloud", "Microsoft Azure", ... or NULL (not a
 * known cloud, or no DMI identity: other systems than Linux). dmi_dir is
 * SDIAG_DMI_DIR, or a test's directory of the same files. */
const char *sdiag_cloud_detect(const char *dmi_dir);

#endif
