/*
 * t_domain.c - unit tests of the domain model: copy/equal/free over every
 * kind of field, device helpers, enum names, UUIDs and MACs.
 */
#include <stdlib.h>
#include <string.h>

#include "xvm/domain.h"
#include "xvm/util.h"
#include "t.h"

static struct xvm_domain *
sample(void)
{
	struct xvm_domain *d = xvm_domain_new();
	struct xvm_disk *disk;
	struct xvm_net *net;
	struct xvm_chr *ser;
	struct xvm_numa_cell *cell;

	d->virt_type = xvm_strdup("xen");
	d->name = xvm_strdup("guest");
	xvm_uuid_parse("c7a5fdb0-cdaf-9455-926a-d65c16db1809", d->uuid);
	d->has_uuid = true;
	d->memory_kib = 592896;
	d->current_kib = 403456;
	d->vcpus = 2;
	d->os.type = XVM_OS_HVM;
	d->os.boot[0] = XVM_BOOT_CDROM;
	d->os.nboot = 1;
	d->emulator_args = xvm_calloc(2, sizeof(char *));
	d->emulator_args[0] = xvm_strdup("-debugcon");
	d->emulator_args[1] = xvm_strdup("file:/tmp/debug.log");
	d->nemulator_args = 2;
	disk = xvm_domain_add_disk(d);
	disk->src = xvm_strdup("/dev/vg/guest");
	disk->target = xvm_strdup("hda");
	disk->addr.type = XVM_ADDR_DRIVE;
	disk->hosts = xvm_calloc(1, sizeof(*disk->hosts));
	disk->hosts[0].name = xvm_strdup("mon1");
	disk->nhosts = 1;
	net = xvm_domain_add_net(d);
	xvm_mac_parse("00:16:3e:66:94:9c", net->mac);
	net->has_mac = true;
	net->vlan_tags = xvm_calloc(2, sizeof(unsigned));
	net->vlan_tags[0] = 42;
	net->vlan_tags[1] = 43;
	net->nvlan_tags = 2;
	ser = xvm_domain_add_serial(d);
	ser->type = XVM_CHR_TCP;
	ser->host = xvm_strdup("127.0.0.1");
	cell = d->cpu.cells = xvm_calloc(1, sizeof(*cell));
	d->cpu.ncells = 1;
	cell->cpus = xvm_strdup("0-1");
	cell->distances = xvm_calloc(2, sizeof(unsigned));
	cell->distances[0] = 10;
	cell->distances[1] = 21;
	cell->ndistances = 2;
	xvm_domain_add_extra(d, "bogus_key", "\"x\"");
	return d;
}

static void
test_copy_equal(void)
{
	struct xvm_domain *a = sample(), *b = xvm_domain_copy(a);

	T_OK(xvm_domain_equal(a, b), "a copy is equal");
	T_OK(a->disks != b->disks && a->disks[0].src != b->disks[0].src,
	    "the copy is deep");
	free(b->disks[0].hosts[0].name);
	b->disks[0].hosts[0].name = xvm_strdup("mon2");
	T_OK(!xvm_domain_equal(a, b), "a nested string differs");
	xvm_domain_free(b);
	b = xvm_domain_copy(a);
	b->cpu.cells[0].distances[1] = 31;
	T_OK(!xvm_domain_equal(a, b), "a number in a nested array differs");
	xvm_domain_free(b);
	b = xvm_domain_copy(a);
	b->nets[0].mac[5] ^= 1;
	T_OK(!xvm_domain_equal(a, b), "a MAC byte differs");
	xvm_domain_free(b);
	b = xvm_domain_copy(a);
	xvm_domain_add_input(b);
	T_OK(!xvm_domain_equal(a, b), "an extra device differs");
	xvm_domain_free(b);
	b = xvm_domain_copy(a);
	free(b->emulator_args[1]);
	b->emulator_args[1] = NULL;
	T_OK(!xvm_domain_equal(a, b), "NULL against a string differs");
	xvm_domain_free(b);
	xvm_domain_free(a);
	xvm_domain_free(NULL);
	T_OK(1, "free(NULL) is harmless");
}

static void
test_defaults(void)
{
	struct xvm_domain *d = xvm_domain_new();
	struct xvm_chr *c = xvm_domain_add_console(d);

	T_EQ(d->id, -1, "a new domain has no id");
	T_EQ(d->cpu_weight, -1, "no weight");
	T_EQ(c->port, -1, "a new char device has no port");
	T_EQ(d->nconsoles, 1, "console counted");
	xvm_domain_free(d);
}

static void
test_names(void)
{
	T_STREQ(xvm_lifecycle_name(XVM_LIFE_RENAME_RESTART), "rename-restart",
	    "lifecycle name");
	T_EQ(xvm_lifecycle_parse("coredump-destroy"), XVM_LIFE_COREDUMP_DESTROY,
	    "lifecycle parse");
	T_EQ(xvm_lifecycle_parse("explode"), -1, "unknown lifecycle");
	T_EQ(xvm_lifecycle_parse(NULL), -1, "NULL name");
	T_STREQ(xvm_os_type_name(XVM_OS_LINUX), "linux", "os type");
	T_EQ(xvm_os_type_parse("hvm"), XVM_OS_HVM, "os parse");
	T_STREQ(xvm_disk_bus_name(XVM_BUS_XEN), "xen", "bus name");
	T_STREQ(xvm_disk_bus_name(XVM_BUS_NONE), NULL, "no bus");
	T_STREQ(xvm_chr_type_name(XVM_CHR_UNIX), "unix", "chr name");
	T_EQ(xvm_ctrl_type_parse("xenbus"), XVM_CTRL_XENBUS, "controller");
	T_STREQ(xvm_boot_dev_name(XVM_BOOT_NETWORK), "network", "boot");
	T_STREQ(xvm_clock_offset_name(XVM_CLOCK_VARIABLE), "variable", "clock");
	T_STREQ(xvm_gfx_type_name((enum xvm_gfx_type)99), NULL, "out of range");
}

static void
test_uuid_mac(void)
{
	unsigned char u[16], m[6];
	char s[37], ms[18];

	T_EQ(xvm_uuid_parse("C7A5FDB0-cdaf-9455-926a-d65c16db1809", u), 0,
	    "uuid with dashes, mixed case");
	xvm_uuid_format(u, s);
	T_STREQ(s, "c7a5fdb0-cdaf-9455-926a-d65c16db1809", "uuid format");
	T_EQ(xvm_uuid_parse("c7a5fdb0cdaf9455926ad65c16db1809", u), 0,
	    "uuid without dashes");
	T_EQ(xvm_uuid_parse("not-a-uuid", u), -1, "bad uuid");
	T_EQ(xvm_uuid_parse("c7a5fdb0-cdaf-9455-926a-d65c16db18", u), -1,
	    "short uuid");
	T_EQ(xvm_uuid_parse("c7a5fdb0-cdaf-9455-926a-d65c16db180911", u), -1,
	    "long uuid");
	xvm_uuid_generate(u);
	xvm_uuid_format(u, s);
	T_EQ(strlen(s), 36, "generated uuid");
	T_EQ(xvm_mac_parse("00:16:3e:66:94:9C", m), 0, "mac");
	xvm_mac_format(m, ms);
	T_STREQ(ms, "00:16:3e:66:94:9c", "mac format");
	T_EQ(xvm_mac_parse("0:16:3e:6:94:9c", m), 0, "single-digit bytes");
	T_EQ(xvm_mac_parse("zz:zz", m), -1, "zz:zz");
	T_EQ(xvm_mac_parse("00:16:3e:66:94", m), -1, "five bytes");
	T_EQ(xvm_mac_parse("00:16:3e:66:94:9c:00", m), -1, "seven bytes");
	T_EQ(xvm_mac_parse("00:16:3e:66:94:9cx", m), -1, "trailing junk");
	T_EQ(xvm_mac_parse("", m), -1, "empty");
	T_EQ(xvm_mac_parse("001:16:3e:66:94:9c", m), -1, "three digits");
}

static void
test_json(void)
{
	struct xvm_domain *d = sample();
	struct xvm_buf b = XVM_BUF_INIT;
	const char *s;

	xvm_domain_format_json(d, &b);
	s = xvm_buf_str(&b);
	T_OK(strstr(s, "\n  \"name\": \"guest\",\n") != NULL, "name");
	T_OK(strstr(s, "\"uuid\": \"c7a5fdb0-cdaf-9455-926a-d65c16db1809\"")
	    != NULL, "uuid as text");
	T_OK(strstr(s, "\"mac\": \"00:16:3e:66:94:9c\"") != NULL, "mac");
	T_OK(strstr(s, "\"boot\": [\n      \"cdrom\"\n    ]") != NULL,
	    "boot devices by name");
	T_OK(strstr(s, "\"type\": \"hvm\"") != NULL, "enum by name");
	T_OK(strstr(s, "\"vlan_tags\": [\n        42,\n        43\n") != NULL,
	    "number arrays");
	T_OK(strstr(s, "\"title\": null") != NULL, "unset string is null");
	T_OK(strstr(s, "\"memory_kib\": 592896") != NULL, "sizes");
	T_OK(strstr(s, "\"cpu_weight\": -1") != NULL, "signed");
	T_OK(strstr(s, "\"hap\": null") != NULL, "default tristate is null");
	T_OK(s[b.len - 1] == '\n' && s[b.len - 2] == '}', "one document");
	xvm_buf_release(&b);
	xvm_domain_free(d);
}

int
main(void)
{
	test_copy_equal();
	test_defaults();
	test_names();
	test_uuid_mac();
	test_json();
	return t_done();
}
