/* Unit tests of the cloud detection from DMI files (src/core/cloud.c). */
#include "test.h"
#include "cloud.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void put(const char *dir, const char *name, const char *value)
{
	char path[512];
	FILE *f;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f) {
		abort();
	}
	fputs(value, f);
	fclose(f);
}

static void clean(const char *dir)
{
	static const char *const names[] = {"sys_vendor", "product_name", "bios_vendor", "chassis_asset_tag"};
	char path[512];
	size_t i;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}

TEST(clouds_by_their_dmi_identity)
{
	static const struct {
		const char *file, *value, *cloud;
	} rows[] = {
		{"sys_vendor", "Amazon EC2\n", "Amazon EC2"},
		{"bios_vendor", "Amazon EC2\n", "Amazon EC2"},
		{"product_name", "Google Compute Engine\n", "Google Cloud"},
		{"chassis_asset_tag", "7783-7084-3265-9085-8269-3286-77\n", "Microsoft Azure"},
		{"sys_vendor", "DigitalOcean\n", "DigitalOcean"},
		{"sys_vendor", "Hetzner\n", "Hetzner Cloud"},
		{"sys_vendor", "Linode\n", "Akamai (Linode)"},
		{"chassis_asset_tag", "OracleCloud.com\n", "Oracle Cloud"},
		{"product_name", "OpenStack Nova\n", "an OpenStack cloud"},
		{"sys_vendor", "Microsoft Corporation\n", NULL},   /* Hyper-V on a desk */
		{"sys_vendor", "Dell Inc.\n", NULL},
		{"sys_vendor", "", NULL},
	};
	size_t i;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ROW("%s=%s", rows[i].file, rows[i].value) {
			char dir[] = "/tmp/smtpdiag-dmi-XXXXXX";
			if (mkdtemp(dir)) {
				put(dir, rows[i].file, rows[i].value);
				CHECK_STR(sdiag_cloud_detect(dir), rows[i].cloud);
				clean(dir);
			} else {
				CHECK(0);
			}
		}
	}
}

TEST(no_dmi_no_cloud)
{
	CHECK(sdiag_cloud_detect("/nonexistent/dmi") == NULL);
	CHECK(sdiag_cloud_detect(NULL) == NULL);
}

TEST_MAIN("cloud", T(clouds_by_their_dmi_identity), T(no_dmi_no_cloud))
