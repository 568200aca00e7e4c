/* smtpdiag core: the cloud this machine runs on, from its DMI identity. */
#include "cloud.h"
#include "compat.h"

#include <stdio.h>
#include <string.h>

/* The first line of dmi_dir/name, or "" (absent, unreadable). */
static void dmi(const char *dir, const char *name, char *out, size_t cap)
{
	char path[512];
	FILE *f;
	out[0] = '\0';
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f) {
		return;
	}
	if (fgets(out, (int)cap, f)) {
		out[strcspn(out, "\r\n")] = '\0';
	} else {
		out[0] = '\0';
	}
	fclose(f);
}

static int has(const char *field, const char *needle)
{
	size_t n = strlen(needle), i;
	for (i = 0; field[i]; i++) {
		if (sdiag_strncasecmp(field + i, needle, n) == 0) {
			return 1;
		}
	}
	return 0;
}

const char *sdiag_cloud_detect(const char *dmi_dir)
{
	static const struct {
		const char *needle;
		const char *cloud;
	} vendors[] = {
		{"Amazon EC2", "Amazon EC2"},
		{"Google", "Google Cloud"},
		{"DigitalOcean", "DigitalOcean"},
		{"Hetzner", "Hetzner Cloud"},
		{"Linode", "Akamai (Linode)"},
		{"Akamai", "Akamai (Linode)"},
		{"Vultr", "Vultr"},
		{"Scaleway", "Scaleway"},
		{"Alibaba Cloud", "Alibaba Cloud"},
		{"Tencent Cloud", "Tencent Cloud"},
		{"OracleCloud", "Oracle Cloud"},
		{"OpenStack", "an OpenStack cloud"},
	};
	char sys_vendor[128], product[128], bios[128], asset[128];
	size_t i;
	if (!dmi_dir) {
		return NULL;
	}
	dmi(dmi_dir, "sys_vendor", sys_vendor, sizeof(sys_vendor));
	dmi(dmi_dir, "product_name", product, sizeof(product));
	dmi(dmi_dir, "bios_vendor", bios, sizeof(bios));
	dmi(dmi_dir, "chassis_asset_tag", asset, sizeof(asset));
	/* Azure's VMs are "Microsoft Corporation Virtual Machine" like Hyper-V
	 * on a desk; its fixed asset tag tells them apart */
	if (strcmp(asset, "7783-7084-3265-9085-8269-3286-77") == 0) {
		return "Microsoft Azure";
	}
	for (i = 0; i < sizeof(vendors) / sizeof(vendors[0]); i++) {
		if (has(sys_vendor, vendors[i].needle) || has(bios, vendors[i].needle) || has(asset, vendors[i].needle) ||
			has(product, vendors[i].needle)) {
			return vendors[i].cloud;
		}
	}
	return NULL;
}
