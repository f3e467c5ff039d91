/*
 * cmds.c - virsh's command table: one row per command, options declared
 * once.  Help texts follow virsh 9.0 word for word, so `virsh help` output
 * is byte-identical for the commands xvm has.
 */
#include "xvm/toolstack.h"
#include "virsh.h"

#define END { NULL, 0, 0, 0, NULL, NULL, NULL, 0, 0 }

static void
complete_native_format(struct xvm_ctx *ctx, const char *prefix,
    struct xvm_strv *out)
{
	static const char *const formats[] = { "xen-xl", "xen-xm" };
	size_t i;

	(void)ctx;
	for (i = 0; i < XVM_ARRAY_SIZE(formats); i++)
		if (xvm_has_prefix(formats[i], prefix))
			xvm_strv_push(out, formats[i]);
}

static const struct xvm_group virsh_groups[] = {
	{ "domain", "Domain Management" },
	{ "monitor", "Domain Monitoring" },
	{ "host", "Host and Hypervisor" },
	{ "virsh", "Virsh itself" },
	{ NULL, NULL },
};

#define DOM(help) \
	{ "domain", 0, XVM_OPT_DOMAIN, XVM_OPT_POSITIONAL | XVM_OPT_REQUIRED, \
	  help, NULL, NULL, 0, 0 }
#define FLAG(name, help) \
	{ name, 0, XVM_OPT_BOOL, 0, help, NULL, NULL, 0, 0 }
#define STR(name, help) \
	{ name, 0, XVM_OPT_STRING, 0, help, NULL, NULL, 0, 0 }
#define FILEARG(help) \
	{ "file", 0, XVM_OPT_FILE, XVM_OPT_POSITIONAL | XVM_OPT_REQUIRED, \
	  help, NULL, NULL, 0, 0 }

static const struct xvm_opt dom_opts[] = {
	DOM("domain name, id or uuid"),
	END,
};

static const struct xvm_opt autostart_opts[] = {
	DOM("domain name, id or uuid"),
	FLAG("disable", "disable autostarting"),
	END,
};

static const struct xvm_opt create_opts[] = {
	FILEARG("file containing an XML domain description"),
	FLAG("console", "attach to console after creation"),
	FLAG("paused", "leave the guest paused after creation"),
	FLAG("autodestroy",
	    "automatically destroy the guest when virsh disconnects"),
	STR("pass-fds", "pass file descriptors N,M,... to the guest"),
	FLAG("validate", "validate the XML against the schema"),
	FLAG("reset-nvram", "re-initialize NVRAM from its pristine template"),
	END,
};

static const struct xvm_opt define_opts[] = {
	FILEARG("file containing an XML domain description"),
	FLAG("validate", "validate the XML against the schema"),
	END,
};

static const struct xvm_opt destroy_opts[] = {
	DOM("domain name, id or uuid"),
	FLAG("graceful", "terminate gracefully"),
	FLAG("remove-logs", "remove domain logs"),
	END,
};

static const struct xvm_opt domid_opts[] = {
	DOM("domain name or uuid"),
	END,
};

static const struct xvm_opt domname_opts[] = {
	DOM("domain id or uuid"),
	END,
};

static const struct xvm_opt domuuid_opts[] = {
	DOM("domain id or name"),
	END,
};

static const struct xvm_opt shutdown_opts[] = {
	DOM("domain name, id or uuid"),
	STR("mode", "shutdown mode: acpi|agent|initctl|signal|paravirt"),
	END,
};

static const struct xvm_opt start_opts[] = {
	DOM("name of the inactive domain"),
	FLAG("console", "attach to console after creation"),
	FLAG("paused", "leave the guest paused after creation"),
	FLAG("autodestroy",
	    "automatically destroy the guest when virsh disconnects"),
	FLAG("bypass-cache", "avoid file system cache when loading"),
	FLAG("force-boot", "force fresh boot by discarding any managed save"),
	STR("pass-fds", "pass file descriptors N,M,... to the guest"),
	FLAG("reset-nvram", "re-initialize NVRAM from its pristine template"),
	END,
};

static const struct xvm_opt undefine_opts[] = {
	DOM("domain name, id or uuid"),
	FLAG("managed-save", "remove domain managed state file"),
	STR("storage", "remove associated storage volumes (comma separated "
	    "list of targets or source paths) (see domblklist)"),
	FLAG("remove-all-storage",
	    "remove all associated storage volumes (use with caution)"),
	FLAG("delete-storage-volume-snapshots", "delete snapshots associated "
	    "with volume(s), requires --remove-all-storage (must be supported "
	    "by storage driver)"),
	FLAG("wipe-storage", "wipe data on the removed volumes"),
	FLAG("snapshots-metadata",
	    "remove all domain snapshot metadata (vm must be inactive)"),
	FLAG("checkpoints-metadata",
	    "remove all domain checkpoint metadata (vm must be inactive)"),
	FLAG("nvram", "remove nvram file"),
	FLAG("keep-nvram", "keep nvram file"),
	FLAG("tpm", "remove TPM state"),
	FLAG("keep-tpm", "keep TPM state"),
	END,
};

static const struct xvm_opt dumpxml_opts[] = {
	DOM("domain name, id or uuid"),
	FLAG("inactive", "show inactive defined XML"),
	FLAG("security-info",
	    "include security sensitive information in XML dump"),
	FLAG("update-cpu", "update guest CPU according to host CPU"),
	FLAG("migratable", "provide XML suitable for migrations"),
	STR("xpath", "xpath expression to filter the XML document"),
	FLAG("wrap", "wrap xpath results in an common root element"),
	END,
};

#define WHERE \
	FLAG("config", "affect next boot"), \
	FLAG("live", "affect running domain"), \
	FLAG("current", "affect current domain")

static const struct xvm_opt vcpucount_opts[] = {
	DOM("domain name, id or uuid"),
	FLAG("maximum", "get maximum count of vcpus"),
	FLAG("active", "get number of currently active vcpus"),
	FLAG("live", "get value from running domain"),
	FLAG("config", "get value to be used on next boot"),
	FLAG("current", "get value according to current domain state"),
	FLAG("guest",
	    "retrieve vcpu count from the guest instead of the hypervisor"),
	END,
};

static const struct xvm_opt maxvcpus_opts[] = {
	STR("type", "domain type"),
	END,
};

static const struct xvm_opt setvcpus_opts[] = {
	DOM("domain name, id or uuid"),
	{ "count", 0, XVM_OPT_INT, XVM_OPT_POSITIONAL | XVM_OPT_REQUIRED,
	  "number of virtual CPUs", NULL, NULL, 0, 0 },
	FLAG("maximum", "set maximum limit on next boot"),
	WHERE,
	FLAG("guest", "modify cpu state in the guest"),
	FLAG("hotpluggable", "make added vcpus hot(un)pluggable"),
	END,
};

static const struct xvm_opt vcpuinfo_opts[] = {
	DOM("domain name, id or uuid"),
	FLAG("pretty", "return human readable output"),
	END,
};

static const struct xvm_opt vcpupin_opts[] = {
	DOM("domain name, id or uuid"),
	{ "vcpu", 0, XVM_OPT_INT, XVM_OPT_POSITIONAL | XVM_OPT_SHOWNAMED,
	  "vcpu number", NULL, NULL, 0, 0 },
	{ "cpulist", 0, XVM_OPT_STRING, XVM_OPT_POSITIONAL |
	  XVM_OPT_SHOWNAMED, "host cpu number(s) to set, or omit option to "
	  "query", NULL, NULL, 0, 0 },
	WHERE,
	END,
};

static const struct xvm_opt setmem_opts[] = {
	DOM("domain name, id or uuid"),
	{ "size", 0, XVM_OPT_SIZE, XVM_OPT_POSITIONAL | XVM_OPT_REQUIRED,
	  "new memory size, as scaled integer (default KiB)", NULL, NULL,
	  1024, 0 },
	WHERE,
	END,
};

static const struct xvm_opt setmaxmem_opts[] = {
	DOM("domain name, id or uuid"),
	{ "size", 0, XVM_OPT_SIZE, XVM_OPT_POSITIONAL | XVM_OPT_REQUIRED,
	  "new maximum memory size, as scaled integer (default KiB)", NULL,
	  NULL, 1024, 0 },
	WHERE,
	END,
};

static const struct xvm_opt schedinfo_opts[] = {
	DOM("domain name, id or uuid"),
	{ "weight", 0, XVM_OPT_INT, 0, "weight for XEN_CREDIT", NULL, NULL, 0,
	  0 },
	{ "cap", 0, XVM_OPT_INT, 0, "cap for XEN_CREDIT", NULL, NULL, 0, 0 },
	FLAG("current", "get/set current scheduler info"),
	FLAG("config", "get/set value to be used on next boot"),
	FLAG("live", "get/set value from running domain"),
	{ "set", 0, XVM_OPT_STRING, XVM_OPT_POSITIONAL | XVM_OPT_MULTI,
	  "parameter=value", NULL, NULL, 0, 0 },
	END,
};

#define FILEARG2(help) \
	{ "file", 0, XVM_OPT_FILE, XVM_OPT_POSITIONAL | XVM_OPT_REQUIRED, \
	  help, NULL, NULL, 0, 0 }

static const struct xvm_opt save_opts[] = {
	DOM("domain name, id or uuid"),
	FILEARG2("where to save the data"),
	FLAG("bypass-cache", "avoid file system cache when saving"),
	STR("xml", "filename containing updated XML for the target"),
	FLAG("running", "set domain to be running on restore"),
	FLAG("paused", "set domain to be paused on restore"),
	FLAG("verbose", "display the progress of save"),
	END,
};

static const struct xvm_opt restore_opts[] = {
	FILEARG2("the state to restore"),
	FLAG("bypass-cache", "avoid file system cache when restoring"),
	STR("xml", "filename containing updated XML for the target"),
	FLAG("running", "restore domain into running state"),
	FLAG("paused", "restore domain into paused state"),
	FLAG("reset-nvram", "re-initialize NVRAM from its pristine template"),
	END,
};

static const struct xvm_opt dump_opts[] = {
	DOM("domain name, id or uuid"),
	FILEARG2("where to dump the core"),
	FLAG("live", "perform a live core dump if supported"),
	FLAG("crash", "crash the domain after core dump"),
	FLAG("bypass-cache", "avoid file system cache when dumping"),
	FLAG("reset", "reset the domain after core dump"),
	FLAG("verbose", "display the progress of dump"),
	FLAG("memory-only", "dump domain's memory only"),
	STR("format", "specify the format of memory-only dump"),
	END,
};

static const struct xvm_opt domblklist_opts[] = {
	DOM("domain name, id or uuid"),
	FLAG("inactive", "get inactive rather than running configuration"),
	FLAG("details", "additionally display the type and device value"),
	END,
};

static const struct xvm_opt domiflist_opts[] = {
	DOM("domain name, id or uuid"),
	FLAG("inactive", "get inactive rather than running configuration"),
	END,
};

static const struct xvm_opt domblkinfo_opts[] = {
	DOM("domain name, id or uuid"),
	{ "device", 0, XVM_OPT_STRING, XVM_OPT_POSITIONAL | XVM_OPT_SHOWNAMED,
	  "block device", NULL, NULL, 0, 0 },
	FLAG("human", "Human readable output"),
	FLAG("all", "display all block devices info"),
	END,
};

static const struct xvm_opt desc_opts[] = {
	DOM("domain name, id or uuid"),
	FLAG("live", "modify/get running state"),
	FLAG("config", "modify/get persistent configuration"),
	FLAG("current", "modify/get current state configuration"),
	FLAG("title", "modify/get the title instead of description"),
	FLAG("edit", "open an editor to modify the description"),
	{ "new-desc", 0, XVM_OPT_STRING, XVM_OPT_POSITIONAL | XVM_OPT_MULTI,
	  "message", NULL, NULL, 0, 0 },
	END,
};

static const struct xvm_opt domrename_opts[] = {
	DOM("domain name or uuid"),
	{ "new-name", 0, XVM_OPT_STRING, XVM_OPT_POSITIONAL |
	  XVM_OPT_REQUIRED, "new domain name", NULL, NULL, 0, 0 },
	END,
};

#define POSSTR(name, help) \
	{ name, 0, XVM_OPT_STRING, XVM_OPT_POSITIONAL | XVM_OPT_REQUIRED, \
	  help, NULL, NULL, 0, 0 }
#define PERSIST \
	FLAG("persistent", "make live change persistent"), \
	FLAG("config", "affect next boot"), \
	FLAG("live", "affect running domain"), \
	FLAG("current", "affect current domain")

static const struct xvm_opt attach_disk_opts[] = {
	DOM("domain name, id or uuid"),
	POSSTR("source", "source of disk device or name of network disk"),
	POSSTR("target", "target of disk device"),
	STR("targetbus", "target bus of disk device"),
	STR("driver", "driver of disk device"),
	STR("subdriver", "subdriver of disk device"),
	STR("iothread", "IOThread to be used by supported device"),
	STR("cache", "cache mode of disk device"),
	STR("io", "io policy of disk device"),
	STR("type", "target device type"),
	STR("mode", "mode of device reading and writing"),
	STR("sourcetype", "type of source (block|file|network)"),
	STR("serial", "serial of disk device"),
	STR("wwn", "wwn of disk device"),
	STR("alias", "custom alias name of disk device"),
	FLAG("rawio", "needs rawio capability"),
	STR("address", "address of disk device"),
	FLAG("multifunction", "use multifunction pci under specified address"),
	FLAG("print-xml", "print XML document rather than attach the disk"),
	STR("source-protocol", "protocol used by disk device source"),
	STR("source-host-name", "host name for source of disk device"),
	STR("source-host-transport",
	    "host transport for source of disk device"),
	STR("source-host-socket", "host socket for source of disk device"),
	PERSIST,
	END,
};

static const struct xvm_opt detach_disk_opts[] = {
	DOM("domain name, id or uuid"),
	POSSTR("target", "target of disk device"),
	PERSIST,
	FLAG("print-xml", "print XML document rather than detach the disk"),
	END,
};

static const struct xvm_opt attach_interface_opts[] = {
	DOM("domain name, id or uuid"),
	POSSTR("type", "network interface type"),
	POSSTR("source", "source of network interface"),
	STR("target", "target network name"),
	STR("mac", "MAC address"),
	STR("script", "script used to bridge network interface"),
	STR("model", "model type"),
	STR("alias", "custom alias name of interface device"),
	STR("inbound", "control domain's incoming traffics"),
	STR("outbound", "control domain's outgoing traffics"),
	PERSIST,
	FLAG("print-xml",
	    "print XML document rather than attach the interface"),
	FLAG("managed", "libvirt will automatically detach/attach the device "
	    "from/to host"),
	STR("source-mode", "mode attribute of <source/> element"),
	END,
};

static const struct xvm_opt detach_interface_opts[] = {
	DOM("domain name, id or uuid"),
	POSSTR("type", "network interface type"),
	STR("mac", "MAC address"),
	PERSIST,
	FLAG("print-xml",
	    "print XML document rather than detach the interface"),
	END,
};

static const struct xvm_opt edit_opts[] = {
	DOM("domain name, id or uuid"),
	FLAG("skip-validate", "skip validation of the XML against the schema"),
	END,
};

static const struct xvm_opt migrate_opts[] = {
	DOM("domain name, id or uuid"),
	POSSTR("desturi", "connection URI of the destination host as seen "
	    "from the client(normal migration) or source(p2p migration)"),
	FLAG("live", "live migration"),
	FLAG("offline", "offline migration"),
	FLAG("p2p", "peer-2-peer migration"),
	FLAG("direct", "direct migration"),
	FLAG("tunnelled", "tunnelled migration"),
	FLAG("persistent", "persist VM on destination"),
	FLAG("undefinesource", "undefine VM on source"),
	FLAG("suspend", "do not restart the domain on the destination host"),
	FLAG("copy-storage-all", "migration with non-shared storage with full disk "
	    "copy"),
	FLAG("copy-storage-inc", "migration with non-shared storage with incremental "
	    "copy (same base image shared between source and "
	    "destination)"),
	FLAG("copy-storage-synchronous-writes", "force guest disk writes to be synchronously "
	    "written to the destination to improve storage "
	    "migration convergence"),
	FLAG("change-protection", "prevent any configuration changes to domain until "
	    "migration ends"),
	FLAG("unsafe", "force migration even if it may be unsafe"),
	FLAG("verbose", "display the progress of migration"),
	FLAG("compressed", "compress repeated pages during live migration"),
	FLAG("auto-converge", "force convergence during live migration"),
	FLAG("rdma-pin-all", "pin all memory before starting RDMA live migration"),
	FLAG("abort-on-error", "abort on soft errors during migration"),
	FLAG("postcopy", "enable post-copy migration; switch to it using "
	    "migrate-postcopy command"),
	FLAG("postcopy-after-precopy", "automatically switch to post-copy migration after "
	    "one pass of pre-copy"),
	FLAG("postcopy-resume", "resume failed post-copy migration"),
	FLAG("zerocopy", "use zero-copy mechanism for migrating memory pages"),
	STR("migrateuri", "migration URI, usually can be omitted"),
	STR("graphicsuri", "graphics URI to be used for seamless graphics "
	    "migration"),
	STR("listen-address", "listen address that destination should bind to for "
	    "incoming migration"),
	STR("dname", "rename to new name during migration (if supported)"),
	{ "timeout", 0, XVM_OPT_INT, 0, "run action specified by --timeout-* option "
	    "(suspend by default) if live migration exceeds "
	    "timeout (in seconds)", NULL, NULL, 0, 0 },
	FLAG("timeout-suspend", "suspend the guest after timeout"),
	FLAG("timeout-postcopy", "switch to post-copy after timeout"),
	STR("xml", "filename containing updated XML for the target"),
	STR("migrate-disks", "comma separated list of disks to be migrated"),
	{ "disks-port", 0, XVM_OPT_INT, 0, "port to use by target server for incoming disks "
	    "migration", NULL, NULL, 0, 0 },
	STR("disks-uri", "URI to use for disks migration (overrides "
	    "--disks-port)"),
	STR("comp-methods", "comma separated list of compression methods to be "
	    "used"),
	{ "comp-mt-level", 0, XVM_OPT_INT, 0, "compress level for multithread compression", NULL, NULL, 0, 0 },
	{ "comp-mt-threads", 0, XVM_OPT_INT, 0, "number of compression threads for multithread "
	    "compression", NULL, NULL, 0, 0 },
	{ "comp-mt-dthreads", 0, XVM_OPT_INT, 0, "number of decompression threads for multithread "
	    "compression", NULL, NULL, 0, 0 },
	{ "comp-xbzrle-cache", 0, XVM_OPT_INT, 0, "page cache size for xbzrle compression", NULL, NULL, 0, 0 },
	{ "auto-converge-initial", 0, XVM_OPT_INT, 0, "initial CPU throttling rate for auto-convergence", NULL, NULL, 0, 0 },
	{ "auto-converge-increment", 0, XVM_OPT_INT, 0, "CPU throttling rate increment for auto-convergence", NULL, NULL, 0, 0 },
	STR("persistent-xml", "filename containing updated persistent XML for the "
	    "target"),
	FLAG("tls", "use TLS for migration"),
	{ "postcopy-bandwidth", 0, XVM_OPT_INT, 0, "post-copy migration bandwidth limit in MiB/s", NULL, NULL, 0, 0 },
	FLAG("parallel", "enable parallel migration"),
	{ "parallel-connections", 0, XVM_OPT_INT, 0, "number of connections for parallel migration", NULL, NULL, 0, 0 },
	{ "bandwidth", 0, XVM_OPT_INT, 0, "migration bandwidth limit in MiB/s", NULL, NULL, 0, 0 },
	STR("tls-destination", "override the destination host name used for TLS "
	    "verification"),
	END,
};

static const struct xvm_opt console_opts[] = {
	DOM("domain name, id or uuid"),
	STR("devname", "character device name"),
	FLAG("force", "force console connection (disconnect already "
	    "connected sessions)"),
	FLAG("safe", "only connect if safe console handling is supported"),
	END,
};

static const struct xvm_opt domstate_opts[] = {
	DOM("domain name, id or uuid"),
	FLAG("reason", "also print reason for the state"),
	END,
};

static const struct xvm_opt list_opts[] = {
	FLAG("inactive", "list inactive domains"),
	FLAG("all", "list inactive & active domains"),
	FLAG("transient", "list transient domains"),
	FLAG("persistent", "list persistent domains"),
	FLAG("with-snapshot", "list domains with existing snapshot"),
	FLAG("without-snapshot", "list domains without a snapshot"),
	FLAG("with-checkpoint", "list domains with existing checkpoint"),
	FLAG("without-checkpoint", "list domains without a checkpoint"),
	FLAG("state-running", "list domains in running state"),
	FLAG("state-paused", "list domains in paused state"),
	FLAG("state-shutoff", "list domains in shutoff state"),
	FLAG("state-other", "list domains in other states"),
	FLAG("autostart", "list domains with autostart enabled"),
	FLAG("no-autostart", "list domains with autostart disabled"),
	FLAG("with-managed-save", "list domains with managed save state"),
	FLAG("without-managed-save", "list domains without managed save"),
	FLAG("uuid", "list uuid's only"),
	FLAG("name", "list domain names only"),
	FLAG("id", "list domain IDs only"),
	FLAG("table", "list table (default)"),
	FLAG("managed-save", "mark inactive domains with managed save state"),
	FLAG("title", "show domain title"),
	END,
};

static const struct xvm_opt freecell_opts[] = {
	{ "cellno", 0, XVM_OPT_INT, XVM_OPT_POSITIONAL | XVM_OPT_SHOWNAMED,
	  "NUMA cell number", NULL, NULL, 0, 0 },
	FLAG("all", "show free memory for all NUMA cells"),
	END,
};

static const struct xvm_opt version_opts[] = {
	FLAG("daemon", "report daemon version too"),
	END,
};

static const struct xvm_opt connect_opts[] = {
	{ "name", 0, XVM_OPT_STRING, XVM_OPT_POSITIONAL | XVM_OPT_SHOWNAMED,
	  "hypervisor connection URI", NULL, NULL, 0, 0 },
	FLAG("readonly", "read-only connection"),
	END,
};

static const struct xvm_opt cd_opts[] = {
	{ "dir", 0, XVM_OPT_FILE, XVM_OPT_POSITIONAL | XVM_OPT_SHOWNAMED,
	  "directory to switch to (default: home or else root)", NULL, NULL,
	  0, 0 },
	END,
};

static const struct xvm_opt echo_opts[] = {
	{ "shell", 0, XVM_OPT_BOOL, 0, "escape for shell use", NULL, NULL, 0,
	  0 },
	{ "xml", 0, XVM_OPT_BOOL, 0, "escape for XML use", NULL, NULL, 0, 0 },
	{ "split", 0, XVM_OPT_BOOL, 0,
	  "split each argument on ','; ',,' is an escape sequence", NULL,
	  NULL, 0, 0 },
	{ "err", 0, XVM_OPT_BOOL, 0, "output to stderr", NULL, NULL, 0, 0 },
	{ "string", 0, XVM_OPT_STRING, XVM_OPT_POSITIONAL | XVM_OPT_MULTI,
	  "arguments to echo", NULL, NULL, 0, 0 },
	END,
};

static const struct xvm_opt from_native_opts[] = {
	{ "format", 0, XVM_OPT_STRING, XVM_OPT_POSITIONAL | XVM_OPT_REQUIRED,
	  "source config data format", NULL, complete_native_format, 0, 0 },
	{ "config", 0, XVM_OPT_FILE, XVM_OPT_POSITIONAL | XVM_OPT_REQUIRED,
	  "config data file to import from", NULL, NULL, 0, 0 },
	END,
};

static const struct xvm_opt to_native_opts[] = {
	{ "format", 0, XVM_OPT_STRING, XVM_OPT_POSITIONAL | XVM_OPT_REQUIRED,
	  "target config data type format", NULL, complete_native_format, 0,
	  0 },
	{ "domain", 0, XVM_OPT_DOMAIN, 0, "domain name, id or uuid", NULL, NULL,
	  0, 0 },
	{ "xml", 0, XVM_OPT_FILE, XVM_OPT_POSITIONAL | XVM_OPT_SHOWNAMED,
	  "xml data file to export from", NULL, NULL, 0, 0 },
	{ "validate", 0, XVM_OPT_BOOL, XVM_OPT_NOHELP,
	  "validate the XML against the schema", NULL, NULL, 0, 0 },
	END,
};

#define M XVM_CMD_MODIFIES
#define D XVM_CMD_DATA

static const struct xvm_cmd virsh_cmds[] = {
	{ "attach-disk", virsh_cmd_attach_disk, attach_disk_opts,
	  "attach disk device", "Attach new disk device.", "domain", M },
	{ "attach-interface", virsh_cmd_attach_interface,
	  attach_interface_opts, "attach network interface",
	  "Attach new network interface.", "domain", M },
	{ "autostart", virsh_cmd_autostart, autostart_opts,
	  "autostart a domain",
	  "Configure a domain to be automatically started at boot.",
	  "domain", M },
	{ "console", virsh_cmd_console, console_opts, "connect to the guest "
	  "console", "Connect the virtual serial console for the guest",
	  "domain", 0 },
	{ "create", virsh_cmd_create, create_opts,
	  "create a domain from an XML file", "Create a domain.", "domain",
	  M },
	{ "define", virsh_cmd_define, define_opts,
	  "define (but don't start) a domain from an XML file",
	  "Define a domain.", "domain", M },
	{ "desc", virsh_cmd_desc, desc_opts,
	  "show or set domain's description or title",
	  "Allows setting or modifying the description or title of a "
	  "domain.", "domain", 0 },
	{ "destroy", virsh_cmd_destroy, destroy_opts,
	  "destroy (stop) a domain",
	  "Forcefully stop a given domain, but leave its resources intact.",
	  "domain", M },
	{ "detach-disk", virsh_cmd_detach_disk, detach_disk_opts,
	  "detach disk device", "Detach disk device.", "domain", M },
	{ "detach-interface", virsh_cmd_detach_interface,
	  detach_interface_opts, "detach network interface",
	  "Detach network interface.", "domain", M },
	{ "domid", virsh_cmd_domid, domid_opts,
	  "convert a domain name or UUID to domain id", "", "domain", D },
	{ "domname", virsh_cmd_domname, domname_opts,
	  "convert a domain id or UUID to domain name", "", "domain", D },
	{ "domrename", virsh_cmd_domrename, domrename_opts,
	  "rename a domain", "Rename an inactive domain.", "domain", M },
	{ "domuuid", virsh_cmd_domuuid, domuuid_opts,
	  "convert a domain name or id to domain UUID", "", "domain", D },
	{ "domxml-from-native", virsh_cmd_from_native, from_native_opts,
	  "Convert native config to domain XML",
	  "Convert native guest configuration format to domain XML format.",
	  "domain", XVM_CMD_NOCONNECT | XVM_CMD_DATA },
	{ "domxml-to-native", virsh_cmd_to_native, to_native_opts,
	  "Convert domain XML to native config",
	  "Convert domain XML config to a native guest configuration format.",
	  "domain", XVM_CMD_NOCONNECT },
	{ "dump", virsh_cmd_dump, dump_opts, "dump the core of a domain to a "
	  "file for analysis", "Core dump a domain.", "domain", M },
	{ "dumpxml", virsh_cmd_dumpxml, dumpxml_opts,
	  "domain information in XML",
	  "Output the domain information as an XML dump to stdout.", "domain",
	  0 },
	{ "edit", virsh_cmd_edit, edit_opts, "edit XML configuration for a "
	  "domain", "Edit the XML configuration for a domain.", "domain", M },
	{ "migrate", virsh_cmd_migrate, migrate_opts,
	  "migrate domain to another host",
	  "Migrate domain to another host.  Add --live for live migration.",
	  "domain", M },
	{ "reboot", virsh_cmd_reboot, shutdown_opts, "reboot a domain",
	  "Run a reboot command in the target domain.", "domain", M },
	{ "reset", virsh_cmd_reset, dom_opts, "reset a domain",
	  "Reset the target domain as if by power button", "domain", M },
	{ "restore", virsh_cmd_restore, restore_opts,
	  "restore a domain from a saved state in a file",
	  "Restore a domain.", "domain", M },
	{ "resume", virsh_cmd_resume, dom_opts, "resume a domain",
	  "Resume a previously suspended domain.", "domain", M },
	{ "save", virsh_cmd_save, save_opts,
	  "save a domain state to a file",
	  "Save the RAM state of a running domain.", "domain", M },
	{ "schedinfo", virsh_cmd_schedinfo, schedinfo_opts,
	  "show/set scheduler parameters",
	  "Show/Set scheduler parameters.", "domain", D },
	{ "setmaxmem", virsh_cmd_setmaxmem, setmaxmem_opts,
	  "change maximum memory limit",
	  "Change the maximum memory allocation limit in the guest domain.",
	  "domain", M },
	{ "setmem", virsh_cmd_setmem, setmem_opts, "change memory allocation",
	  "Change the current memory allocation in the guest domain.",
	  "domain", M },
	{ "setvcpus", virsh_cmd_setvcpus, setvcpus_opts,
	  "change number of virtual CPUs",
	  "Change the number of virtual CPUs in the guest domain.", "domain",
	  M },
	{ "shutdown", virsh_cmd_shutdown, shutdown_opts,
	  "gracefully shutdown a domain",
	  "Run shutdown in the target domain.", "domain", M },
	{ "start", virsh_cmd_start, start_opts,
	  "start a (previously defined) inactive domain",
	  "Start a domain, either from the last managedsave\n"
	  "    state, or via a fresh boot if no managedsave state\n"
	  "    is present.", "domain", M },
	{ "suspend", virsh_cmd_suspend, dom_opts, "suspend a domain",
	  "Suspend a running domain.", "domain", M },
	{ "undefine", virsh_cmd_undefine, undefine_opts, "undefine a domain",
	  "Undefine an inactive domain, or convert persistent to transient.",
	  "domain", M },
	{ "vcpucount", virsh_cmd_vcpucount, vcpucount_opts,
	  "domain vcpu counts",
	  "Returns the number of virtual CPUs used by the domain.", "domain",
	  D },
	{ "vcpuinfo", virsh_cmd_vcpuinfo, vcpuinfo_opts,
	  "detailed domain vcpu information",
	  "Returns basic information about the domain virtual CPUs.",
	  "domain", D },
	{ "vcpupin", virsh_cmd_vcpupin, vcpupin_opts,
	  "control or query domain vcpu affinity",
	  "Pin domain VCPUs to host physical CPUs.", "domain", D },
	{ "domblkinfo", virsh_cmd_domblkinfo, domblkinfo_opts,
	  "domain block device size information",
	  "Get block device size info for a domain.", "monitor", 0 },
	{ "domblklist", virsh_cmd_domblklist, domblklist_opts,
	  "list all domain blocks",
	  "Get the summary of block devices for a domain.", "monitor", D },
	{ "domiflist", virsh_cmd_domiflist, domiflist_opts,
	  "list all domain virtual interfaces",
	  "Get the summary of virtual interfaces for a domain.", "monitor",
	  D },
	{ "dominfo", virsh_cmd_dominfo, dom_opts, "domain information",
	  "Returns basic information about the domain.", "monitor", D },
	{ "domstate", virsh_cmd_domstate, domstate_opts, "domain state",
	  "Returns state about a domain.", "monitor", D },
	{ "list", virsh_cmd_list, list_opts, "list domains",
	  "Returns list of domains.", "monitor", D },
	{ "capabilities", virsh_cmd_capabilities, NULL, "capabilities",
	  "Returns capabilities of hypervisor/driver.", "host", 0 },
	{ "freecell", virsh_cmd_freecell, freecell_opts,
	  "NUMA free memory",
	  "display available free memory for the NUMA cell.", "host", D },
	{ "hostname", virsh_cmd_hostname, NULL,
	  "print the hypervisor hostname", "", "host", D },
	{ "maxvcpus", virsh_cmd_maxvcpus, maxvcpus_opts,
	  "connection vcpu maximum",
	  "Show maximum number of virtual CPUs for guests on this connection.",
	  "host", D },
	{ "nodeinfo", virsh_cmd_nodeinfo, NULL, "node information",
	  "Returns basic information about the node.", "host", D },
	{ "sysinfo", virsh_cmd_sysinfo, NULL, "print the hypervisor sysinfo",
	  "output an XML string for the hypervisor sysinfo, if available",
	  "host", 0 },
	{ "uri", virsh_cmd_uri, NULL, "print the hypervisor canonical URI",
	  "", "host", D },
	{ "version", virsh_cmd_version, version_opts, "show version",
	  "Display the system version information.", "host", D },
	{ "cd", virsh_cmd_cd, cd_opts, "change the current directory",
	  "Change the current directory.", "virsh",
	  XVM_CMD_NOCONNECT | XVM_CMD_INTERACTIVE },
	{ "echo", virsh_cmd_echo, echo_opts,
	  "echo arguments. Used for internal testing.",
	  "Echo back arguments, possibly with quoting. Used for internal "
	  "testing.", "virsh", XVM_CMD_NOCONNECT },
	{ "exit", virsh_cmd_quit, NULL, "quit this interactive terminal", "",
	  "virsh", XVM_CMD_NOCONNECT },
	{ "help", xvm_cmd_help, xvm_help_opts_virsh, "print help",
	  "Prints global help, command specific help, or help for a\n"
	  "    group of related commands", "virsh",
	  XVM_CMD_NOCONNECT | XVM_CMD_DATA },
	{ "pwd", virsh_cmd_pwd, NULL, "print the current directory",
	  "Print the current directory.", "virsh",
	  XVM_CMD_NOCONNECT | XVM_CMD_DATA },
	{ "quit", virsh_cmd_quit, NULL, "quit this interactive terminal", "",
	  "virsh", XVM_CMD_NOCONNECT },
	{ "connect", virsh_cmd_connect, connect_opts,
	  "(re)connect to hypervisor",
	  "Connect to local hypervisor. This is built-in command after shell "
	  "start up.", "virsh", XVM_CMD_NOCONNECT },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};

/* Global options, for `virsh --help`, the man page check and completion. */
static const struct xvm_opt virsh_global_opts[] = {
	{ "connect", 'c', XVM_OPT_STRING, 0, "hypervisor connection URI",
	  "URI", NULL, 0, 0 },
	{ "debug", 'd', XVM_OPT_INT, 0, "debug level [0-4]", "NUM", NULL, 0,
	  0 },
	{ "escape", 'e', XVM_OPT_STRING, 0, "set escape sequence for console",
	  "<char>", NULL, 0, 0 },
	{ "help", 'h', XVM_OPT_BOOL, 0, "this help", NULL, NULL, 0, 0 },
	{ "keepalive-interval", 'k', XVM_OPT_INT, 0,
	  "keepalive interval in seconds, 0 for disable", "NUM", NULL, 0, 0 },
	{ "keepalive-count", 'K', XVM_OPT_INT, 0,
	  "number of possible missed keepalive messages", "NUM", NULL, 0, 0 },
	{ "log", 'l', XVM_OPT_FILE, 0, "output logging to file", "FILE", NULL,
	  0, 0 },
	{ "quiet", 'q', XVM_OPT_BOOL, 0, "quiet mode", NULL, NULL, 0, 0 },
	{ "readonly", 'r', XVM_OPT_BOOL, 0, "connect readonly", NULL, NULL, 0,
	  0 },
	{ "timing", 't', XVM_OPT_BOOL, 0, "print timing information", NULL,
	  NULL, 0, 0 },
	{ "v", 'v', XVM_OPT_BOOL, 0, "short version", NULL, NULL, 0, 0 },
	{ "V", 'V', XVM_OPT_BOOL, 0, "long version", NULL, NULL, 0, 0 },
	{ "version", 0, XVM_OPT_STRING, 0,
	  "version, TYPE is short or long (default short)", "[=TYPE]", NULL,
	  0, 0 },
	END,
};

/* Domain names for completion: every domain of the connection. */
static void
virsh_domains(struct xvm_ctx *ctx, const char *prefix, struct xvm_strv *out)
{
	struct xvm_conn *c = virsh_conn(ctx);
	struct xvm_vdom *list = NULL;
	size_t n = 0, i;

	if (!c || xvm_vdom_list(c, &list, &n, &ctx->err) < 0)
		return;
	for (i = 0; i < n; i++)
		if (xvm_has_prefix(list[i].name, prefix))
			xvm_strv_push(out, list[i].name);
	xvm_vdom_free(list, n);
}

const struct xvm_tool virsh_tool = {
	"virsh", XVM_STYLE_VIRSH, virsh_cmds, virsh_groups, virsh_global_opts,
	"the virtualization interactive terminal", virsh_domains,
	NULL, NULL, NULL,
};
