/*
 * connect.c - URIs to hosts (DESIGN.md, Connections):
 *   xen:///system (also xen:///, xen://)  this host's hypervisor
 *   sim:///ABS/DIR[?cpus=N&memory=SIZE]   a simulated Xen host in DIR
 *   test:///default                       libvirt's test-driver host, in
 *                                         this process only
 * and the default when no URI is given.
 */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xvm/domain.h"
#include "xvm/domxml.h"
#include "xvm/file.h"
#include "xvm/size.h"
#include "xvm/toolstack.h"
#include "toolstack/ts_int.h"

/* Does this host run on Xen (as dom0)? */
static bool
on_xen(void)
{
	char type[16] = "";
	FILE *f;

	if (access("/proc/xen", F_OK) == 0)
		return true;
	if ((f = fopen("/sys/hypervisor/type", "r")) != NULL) {
		if (fgets(type, sizeof(type), f) == NULL)
			type[0] = '\0';
		fclose(f);
	}
	return strncmp(type, "xen", 3) == 0;
}

/* default_uri = "..." in /etc/xvm/xvm.conf, or NULL. */
static char *
conf_default_uri(void)
{
	char line[1024], *uri = NULL;
	FILE *f = fopen("/etc/xvm/xvm.conf", "r");

	if (!f)
		return NULL;
	while (fgets(line, sizeof(line), f)) {
		char *p = line, *q;

		while (*p == ' ' || *p == '\t')
			p++;
		if (strncmp(p, "default_uri", 11) != 0)
			continue;
		p += 11;
		p += strspn(p, " \t");
		if (*p++ != '=')
			continue;
		p += strspn(p, " \t\"'");
		q = p + strcspn(p, "\"'\r\n");
		free(uri);
		uri = xvm_strndup(p, (size_t)(q - p));
	}
	fclose(f);
	return uri;
}

static char *
default_uri(unsigned flags)
{
	const char *env[] = { "XVM_DEFAULT_URI", "VIRSH_DEFAULT_CONNECT_URI",
	    "LIBVIRT_DEFAULT_URI" };
	size_t i, n = (flags & XVM_CONNECT_VIRSH) ? 3 : 1;
	char *uri;
	const char *state;

	for (i = 0; i < n; i++) {
		const char *v = getenv(env[i]);

		if (v && *v)
			return xvm_strdup(v);
	}
	if ((uri = conf_default_uri()) != NULL)
		return uri;
	if (on_xen())
		return xvm_strdup("xen:///system");
	if (geteuid() == 0)
		return xvm_strdup("sim:///var/lib/xvm/sim");
	state = getenv("XDG_STATE_HOME");
	if (state && *state == '/')
		return xvm_asprintf("sim://%s/xvm/sim", state);
	return xvm_asprintf("sim://%s/.local/state/xvm/sim",
	    getenv("HOME") ? getenv("HOME") : "");
}

/* sim:///DIR?cpus=N&memory=SIZE */
static int
parse_sim(const char *uri, char **dir_r, struct xvm_sim_spec *spec,
    struct xvm_err *err)
{
	static const struct {
		const char *key;
		size_t off;
		unsigned max;
	} keys[] = {
		{ "cpus=", offsetof(struct xvm_sim_spec, cpus), 4096 },
		{ "nodes=", offsetof(struct xvm_sim_spec, nodes), 64 },
		{ "cores=", offsetof(struct xvm_sim_spec, cores_per_socket),
		  4096 },
		{ "threads=", offsetof(struct xvm_sim_spec, threads_per_core),
		  8 },
	};
	const char *path = uri + strlen("sim://"), *q = strchr(path, '?');
	char *query, *kv, *save = NULL;
	size_t i;

	memset(spec, 0, sizeof(*spec));
	if (path[0] != '/' || (q ? q - path : (long)strlen(path)) < 2)
		return xvm_err_set(err, XVM_ERR_CONNECT, "'%s' does not "
		    "name a directory: a simulated host's URI is "
		    "sim:///ABSOLUTE/DIR", uri);
	*dir_r = q ? xvm_strndup(path, (size_t)(q - path)) : xvm_strdup(path);
	if (!q)
		return 0;
	query = xvm_strdup(q + 1);
	for (kv = strtok_r(query, "&", &save); kv;
	    kv = strtok_r(NULL, "&", &save)) {
		unsigned long long bytes;
		unsigned v;

		for (i = 0; i < XVM_ARRAY_SIZE(keys); i++)
			if (strncmp(kv, keys[i].key, strlen(keys[i].key)) == 0)
				break;
		if (i < XVM_ARRAY_SIZE(keys) &&
		    xvm_parse_uint(kv + strlen(keys[i].key), &v) == 0 &&
		    v >= 1 && v <= keys[i].max) {
			*(unsigned *)((char *)spec + keys[i].off) = v;
		} else if (i == XVM_ARRAY_SIZE(keys) &&
		    strncmp(kv, "memory=", 7) == 0 &&
		    xvm_size_parse(kv + 7, 1024 * 1024, ~0ULL, &bytes,
		    err) == 0) {
			spec->memory_kib = bytes / 1024; /* default unit MiB */
		} else {
			xvm_err_set(err, XVM_ERR_CONNECT, "'%s' in '%s': "
			    "want cpus=1..4096, memory=SIZE, nodes=1..64, "
			    "cores=1..4096 or threads=1..8", kv, uri);
			free(query);
			free(*dir_r);
			*dir_r = NULL;
			return -1;
		}
	}
	free(query);
	return 0;
}

/*
 * test:///default: the node libvirt's test driver describes (16 CPUs as
 * 2 NUMA nodes x 2 sockets x 2 cores x 2 threads at 1400 MHz, 3 GiB) with
 * its one domain, "test": id 1, 2 vcpus, 8 GiB maximum of which 2 GiB is
 * in use, running.  Built through the same calls as any domain, on a
 * host that has no Domain-0 and is gone when the connection closes.
 */
#define TEST_UUID	"6695eb01-f6a4-8304-79aa-97f2502e193f"

/* its definition, as libvirt's test driver gives it (dumpxml --inactive) */
static const char test_xml[] =
    "<domain type='test'>\n"
    "  <name>test</name>\n"
    "  <uuid>" TEST_UUID "</uuid>\n"
    "  <memory unit='KiB'>8388608</memory>\n"
    "  <currentMemory unit='KiB'>2097152</currentMemory>\n"
    "  <vcpu placement='static'>2</vcpu>\n"
    "  <os>\n"
    "    <type arch='i686'>hvm</type>\n"
    "    <boot dev='hd'/>\n"
    "  </os>\n"
    "  <clock offset='utc'/>\n"
    "  <on_poweroff>destroy</on_poweroff>\n"
    "  <on_reboot>restart</on_reboot>\n"
    "  <on_crash>destroy</on_crash>\n"
    "  <devices>\n"
    "    <disk type='file' device='disk'>\n"
    "      <source file='/guest/diskimage1'/>\n"
    "      <target dev='vda' bus='virtio'/>\n"
    "      <address type='pci' domain='0x0000' bus='0x01' slot='0x00' "
    "function='0x0'/>\n"
    "    </disk>\n"
    "    <interface type='network'>\n"
    "      <mac address='aa:bb:cc:dd:ee:ff'/>\n"
    "      <source network='default'/>\n"
    "      <target dev='testnet0'/>\n"
    "      <address type='pci' domain='0x0000' bus='0x00' slot='0x01' "
    "function='0x0'/>\n"
    "    </interface>\n"
    "    <memballoon model='virtio'>\n"
    "      <address type='pci' domain='0x0000' bus='0x00' slot='0x02' "
    "function='0x0'/>\n"
    "    </memballoon>\n"
    "  </devices>\n"
    "</domain>\n";

static int
open_test_host(struct xvm_conn *c, struct xvm_err *err)
{
	static const struct xvm_sim_spec spec = {
		.cpus = 16, .nodes = 2, .cores_per_socket = 2,
		.threads_per_core = 2, .mhz = 1400,
		.memory_kib = 3ull << 20, .without_dom0 = true,
	};
	struct xvm_domain *d = NULL;
	uint32_t id = 0;
	int r = -1;

	if (xvm_io_open_sim_mem(&c->io, &spec, err) < 0 ||
	    xvm_domain_parse_xml(test_xml, sizeof(test_xml) - 1,
	    "(test host)", 0, &d, err) < 0)
		goto out;
	/* persistent and running */
	if (ts_area_put(c, TS_DEFS, TEST_UUID, test_xml, sizeof(test_xml) - 1,
	    err) < 0 ||
	    ts_domain_make(c, d->name, d->uuid, d->vcpus, d->memory_kib,
	    d->current_kib, false, &id, err) < 0 ||
	    ts_run_save(c, d, id, err) < 0)
		goto out;
	if (id != 1) {
		xvm_err_set(err, XVM_ERR_INTERNAL, "the test host's domain "
		    "got id %" PRIu32 ", not 1", id);
		goto out;
	}
	r = 0;
out:
	xvm_domain_free(d);
	return r;
}

int
xvm_connect(const char *uri, unsigned flags, struct xvm_conn **conn_r,
    bool *created_r, struct xvm_err *err)
{
	struct xvm_conn *c = xvm_calloc(1, sizeof(*c));
	char *u = uri ? xvm_strdup(uri) : default_uri(flags);
	struct stat st;
	int rc = -1;

	*conn_r = NULL;
	c->lock.fd = -1;
	c->log.fd = -1;
	c->log.min_level = XVM_LOG_INFO;
	if (created_r)
		*created_r = false;
	if (strcmp(u, "xen:///system") == 0 || strcmp(u, "xen:///") == 0 ||
	    strcmp(u, "xen://") == 0) {
		if (xvm_io_open_privcmd(&c->io, err) < 0)
			goto out;
		c->uri = xvm_strdup("xen:///system");
		c->statedir = xvm_strdup(getenv("XVM_STATE_DIR") ?
		    getenv("XVM_STATE_DIR") : "/var/lib/xvm");
		c->rundir = xvm_strdup(getenv("XVM_RUN_DIR") ?
		    getenv("XVM_RUN_DIR") : "/run/xvm");
		c->logpath = xvm_strdup("/var/log/xvm/xvm.log");
		c->dumpdir = xvm_strdup("/var/xen/dump");	/* xm's */
	} else if (strncmp(u, "sim://", 6) == 0) {
		struct xvm_sim_spec spec;
		char *dir = NULL;
		bool existed;

		if (parse_sim(u, &dir, &spec, err) < 0)
			goto out;
		existed = stat(dir, &st) == 0;
		if (xvm_io_open_sim_spec(&c->io, dir, &spec, err) < 0) {
			free(dir);
			goto out;
		}
		if (created_r)
			*created_r = !existed;
		c->uri = xvm_asprintf("sim://%s", dir);
		c->statedir = dir;
		c->rundir = xvm_asprintf("%s/run", dir);
		c->dumpdir = xvm_asprintf("%s/dump", dir);
	} else if (strcmp(u, "test:///default") == 0) {
		if (open_test_host(c, err) < 0)
			goto out;
		c->uri = xvm_strdup(u);
	} else if (strncmp(u, "test://", 7) == 0) {
		xvm_err_set(err, XVM_ERR_CONNECT, "unknown URI '%s': the test "
		    "host is test:///default (a custom test host from an XML "
		    "file is not supported)", u);
		goto out;
	} else {
		xvm_err_set(err, XVM_ERR_CONNECT, "unknown URI '%s': xvm "
		    "connects to xen:///system, sim:///DIR and "
		    "test:///default", u);
		goto out;
	}
	*conn_r = c;
	c = NULL;
	rc = 0;
out:
	free(u);
	xvm_disconnect(c);
	return rc;
}

void
xvm_disconnect(struct xvm_conn *c)
{
	if (!c)
		return;
	ts_monitor_reap(c);
	free(c->monitors);
	xvm_io_close(c->io);
	ts_mem_free(c);
	xvm_lock_release(&c->lock);
	xvm_log_close(&c->log);
	free(c->logpath);
	free(c->dumpdir);
	free(c->uri);
	free(c->statedir);
	free(c->rundir);
	free(c);
}

const char *
xvm_conn_uri(const struct xvm_conn *c)
{
	return c->uri;
}
