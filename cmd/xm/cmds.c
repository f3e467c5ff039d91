/*
 * cmds.c - xm's command table: one row per command, options declared once.
 * Commands join this table as they are implemented; nothing is listed that
 * does not work.
 */
#include "xvm/domain.h"
#include "xvm/toolstack.h"
#include "xm.h"

#define END { NULL, 0, 0, 0, NULL, NULL, NULL, 0, 0 }

/* The config file and how it is read (create, new). */
#define CONFIG_OPTS \
	{ "path", 0, XVM_OPT_STRING, 0, \
	  "Search path for config files (default .:/etc/xen).", "PATH", NULL, \
	  0, 0 }, \
	{ "strict", 0, XVM_OPT_BOOL, 0, \
	  "Refuse settings that xm does not know.", NULL, NULL, 0, 0 }, \
	{ "validate", 0, XVM_OPT_BOOL, 0, \
	  "Check the domain against libvirt's domain schema.", NULL, NULL, 0, \
	  0 }, \
	{ "config", 0, XVM_OPT_FILE, XVM_OPT_POSITIONAL | XVM_OPT_REQUIRED, \
	  "The domain config file.", "ConfigFile", NULL, 0, 0 }, \
	{ "vars", 0, XVM_OPT_STRING, XVM_OPT_POSITIONAL | XVM_OPT_MULTI, \
	  "name=value settings that override the file.", "name=value", NULL, \
	  0, 0 }

static const struct xvm_opt create_opts[] = {
	{ "console", 'c', XVM_OPT_BOOL, 0,
	  "Attach its console as soon as it starts.", NULL, NULL, 0, 0 },
	{ "dryrun", 'n', XVM_OPT_BOOL, 0,
	  "Print the domain the config describes; start nothing.", NULL, NULL,
	  0, 0 },
	{ "paused", 'p', XVM_OPT_BOOL, 0,
	  "Leave the domain paused after it is created.", NULL, NULL, 0, 0 },
	CONFIG_OPTS,
	END,
};

static const struct xvm_opt new_opts[] = {
	CONFIG_OPTS,
	END,
};

static const struct xvm_opt start_opts[] = {
	{ "all", 'a', XVM_OPT_BOOL, 0,
	  "Start every defined domain marked to start with the host.", NULL,
	  NULL, 0, 0 },
	{ "console", 'c', XVM_OPT_BOOL, 0,
	  "Attach its console as soon as it starts.", NULL, NULL, 0, 0 },
	{ "paused", 'p', XVM_OPT_BOOL, 0,
	  "Leave the domain paused after it is started.", NULL, NULL, 0, 0 },
	{ "domain", 0, XVM_OPT_DOMAIN, XVM_OPT_POSITIONAL,
	  "The defined domain (name or UUID).", "DomainName", NULL, 0, 0 },
	END,
};

static const struct xvm_opt defined_opts[] = {
	{ "domain", 0, XVM_OPT_DOMAIN, XVM_OPT_POSITIONAL | XVM_OPT_REQUIRED,
	  "The defined domain (name or UUID).", "DomainName", NULL, 0, 0 },
	END,
};

static const struct xvm_opt shutdown_opts[] = {
	{ "wait", 'w', XVM_OPT_BOOL, 0,
	  "Wait until the domain has stopped.", NULL, NULL, 0, 0 },
	{ "all", 'a', XVM_OPT_BOOL, 0,
	  "Every domain but Domain-0.", NULL, NULL, 0, 0 },
	{ "reboot", 'R', XVM_OPT_BOOL, 0,
	  "Reboot instead.", NULL, NULL, 0, 0 },
	{ "halt", 'H', XVM_OPT_BOOL, 0,
	  "Halt instead.", NULL, NULL, 0, 0 },
	{ "domain", 0, XVM_OPT_DOMAIN, XVM_OPT_POSITIONAL,
	  "The domain (name, id or UUID).", "Domain", NULL, 0, 0 },
	END,
};

static const struct xvm_opt reboot_opts[] = {
	{ "wait", 'w', XVM_OPT_BOOL, 0,
	  "Wait until the domain has rebooted.", NULL, NULL, 0, 0 },
	{ "all", 'a', XVM_OPT_BOOL, 0,
	  "Every domain but Domain-0.", NULL, NULL, 0, 0 },
	{ "domain", 0, XVM_OPT_DOMAIN, XVM_OPT_POSITIONAL,
	  "The domain (name, id or UUID).", "Domain", NULL, 0, 0 },
	END,
};

static const struct xvm_opt rename_opts[] = {
	{ "domain", 0, XVM_OPT_DOMAIN, XVM_OPT_POSITIONAL | XVM_OPT_REQUIRED,
	  "The domain (name, id or UUID).", "Domain", NULL, 0, 0 },
	{ "name", 0, XVM_OPT_STRING, XVM_OPT_POSITIONAL | XVM_OPT_REQUIRED,
	  "Its new name.", "NewDomainName", NULL, 0, 0 },
	END,
};

static const struct xvm_opt sysrq_opts[] = {
	{ "domain", 0, XVM_OPT_DOMAIN, XVM_OPT_POSITIONAL | XVM_OPT_REQUIRED,
	  "The domain (name, id or UUID).", "Domain", NULL, 0, 0 },
	{ "key", 0, XVM_OPT_STRING, XVM_OPT_POSITIONAL | XVM_OPT_REQUIRED,
	  "The key: one character (b reboot, c crash, o power off, s sync, "
	  "h help, ...).", "letter", NULL, 0, 0 },
	END,
};

static const struct xvm_opt save_opts[] = {
	{ "domain", 0, XVM_OPT_DOMAIN, XVM_OPT_POSITIONAL | XVM_OPT_REQUIRED,
	  "The domain (name, id or UUID).", "Domain", NULL, 0, 0 },
	{ "file", 0, XVM_OPT_FILE, XVM_OPT_POSITIONAL | XVM_OPT_REQUIRED,
	  "The file to write (not one that exists).", "StateFile", NULL, 0,
	  0 },
	END,
};

static const struct xvm_opt restore_opts[] = {
	{ "paused", 'p', XVM_OPT_BOOL, 0,
	  "Leave the domain paused after it is restored.", NULL, NULL, 0, 0 },
	{ "file", 0, XVM_OPT_FILE, XVM_OPT_POSITIONAL | XVM_OPT_REQUIRED,
	  "A file xm save wrote.", "StateFile", NULL, 0, 0 },
	END,
};

static const struct xvm_opt dump_opts[] = {
	{ "live", 'L', XVM_OPT_BOOL, 0,
	  "Do not pause the domain while its memory is read.", NULL, NULL, 0,
	  0 },
	{ "crash", 'C', XVM_OPT_BOOL, 0,
	  "Destroy the domain once its core is written.", NULL, NULL, 0, 0 },
	{ "domain", 0, XVM_OPT_DOMAIN, XVM_OPT_POSITIONAL | XVM_OPT_REQUIRED,
	  "The domain (name, id or UUID).", "Domain", NULL, 0, 0 },
	{ "file", 0, XVM_OPT_FILE, XVM_OPT_POSITIONAL,
	  "The core file (not one that exists).", "Output", NULL, 0, 0 },
	END,
};

static const struct xvm_opt mem_opts[] = {
	{ "domain", 0, XVM_OPT_DOMAIN, XVM_OPT_POSITIONAL | XVM_OPT_REQUIRED,
	  "The domain (name, id or UUID).", "Domain", NULL, 0, 0 },
	{ "size", 0, XVM_OPT_STRING, XVM_OPT_POSITIONAL | XVM_OPT_REQUIRED,
	  "The memory (MiB, or with a unit: 512m, 2g).", "Mem", NULL, 0, 0 },
	END,
};

static const struct xvm_opt vcpu_set_opts[] = {
	{ "domain", 0, XVM_OPT_DOMAIN, XVM_OPT_POSITIONAL | XVM_OPT_REQUIRED,
	  "The domain (name, id or UUID).", "Domain", NULL, 0, 0 },
	{ "count", 0, XVM_OPT_STRING, XVM_OPT_POSITIONAL | XVM_OPT_REQUIRED,
	  "How many vcpus are online (1 to its maximum).", "vCPUs", NULL, 0,
	  0 },
	END,
};

static const struct xvm_opt vcpu_pin_opts[] = {
	{ "domain", 0, XVM_OPT_DOMAIN, XVM_OPT_POSITIONAL | XVM_OPT_REQUIRED,
	  "The domain (name, id or UUID).", "Domain", NULL, 0, 0 },
	{ "vcpu", 0, XVM_OPT_STRING, XVM_OPT_POSITIONAL | XVM_OPT_REQUIRED,
	  "A vcpu number, or all.", "VCPU|all", NULL, 0, 0 },
	{ "hard", 0, XVM_OPT_STRING, XVM_OPT_POSITIONAL | XVM_OPT_REQUIRED,
	  "The CPUs it may run on: all, 0-3, 1,3, ^2; - keeps it.",
	  "CPUs|all", NULL, 0, 0 },
	{ "soft", 0, XVM_OPT_STRING, XVM_OPT_POSITIONAL,
	  "The CPUs it prefers; - keeps it.", "SoftCPUs", NULL, 0, 0 },
	END,
};

static const struct xvm_opt vcpu_list_opts[] = {
	{ "domains", 0, XVM_OPT_DOMAIN, XVM_OPT_POSITIONAL | XVM_OPT_MULTI,
	  "Only these domains (name, id or UUID).", "Domain", NULL, 0, 0 },
	END,
};

static const struct xvm_opt sched_credit_opts[] = {
	{ "domain", 'd', XVM_OPT_DOMAIN, 0,
	  "The domain (name, id or UUID); all when none.", "Domain", NULL, 0,
	  0 },
	{ "weight", 'w', XVM_OPT_STRING, 0,
	  "Its weight (1 to 65535; 256 by default).", "WEIGHT", NULL, 0, 0 },
	{ "cap", 'c', XVM_OPT_STRING, 0,
	  "Its cap, in % of one CPU (0: none).", "CAP", NULL, 0, 0 },
	END,
};

static const struct xvm_opt migrate_opts[] = {
	{ "live", 'l', XVM_OPT_BOOL, 0,
	  "Move it while it runs (pre-copy rounds, then a short stop).",
	  NULL, NULL, 0, 0 },
	{ "verbose", 'v', XVM_OPT_BOOL, 0,
	  "Say what it took: rounds, pages, downtime.", NULL, NULL, 0, 0 },
	{ "domain", 0, XVM_OPT_DOMAIN, XVM_OPT_POSITIONAL | XVM_OPT_REQUIRED,
	  "The domain (name, id or UUID).", "Domain", NULL, 0, 0 },
	{ "host", 0, XVM_OPT_STRING, XVM_OPT_POSITIONAL | XVM_OPT_REQUIRED,
	  "The host to move it to (sim:///DIR, or localhost).", "Host", NULL,
	  0, 0 },
	END,
};

static const struct xvm_opt uptime_opts[] = {
	{ "short", 's', XVM_OPT_BOOL, 0,
	  "One line each, as uptime(1) prints.", NULL, NULL, 0, 0 },
	{ "domains", 0, XVM_OPT_DOMAIN, XVM_OPT_POSITIONAL | XVM_OPT_MULTI,
	  "Only these domains (name, id or UUID).", "Domain", NULL, 0, 0 },
	END,
};

static const struct xvm_opt domid_opts[] = {
	{ "name", 0, XVM_OPT_DOMAIN, XVM_OPT_POSITIONAL | XVM_OPT_REQUIRED,
	  "The domain's name.", "DomainName", NULL, 0, 0 },
	END,
};

static const struct xvm_opt domname_opts[] = {
	{ "id", 0, XVM_OPT_STRING, XVM_OPT_POSITIONAL | XVM_OPT_REQUIRED,
	  "The domain's id.", "DomainId", NULL, 0, 0 },
	END,
};

static const struct xvm_opt dmesg_opts[] = {
	{ "clear", 'c', XVM_OPT_BOOL, 0,
	  "Empty the ring after printing it.", NULL, NULL, 0, 0 },
	END,
};

static const struct xvm_opt top_opts[] = {
	{ "batch", 'b', XVM_OPT_BOOL, 0,
	  "Frames on the standard output instead of the full screen.", NULL,
	  NULL, 0, 0 },
	{ "delay", 'd', XVM_OPT_STRING, 0,
	  "Seconds between frames (3 by default).", "SECONDS", NULL, 0, 0 },
	{ "iterations", 'i', XVM_OPT_STRING, 0,
	  "With -b, how many frames (no end by default).", "N", NULL, 0, 0 },
	END,
};

static const struct xvm_opt block_attach_opts[] = {
	{ "domain", 0, XVM_OPT_DOMAIN, XVM_OPT_POSITIONAL | XVM_OPT_REQUIRED,
	  "The domain (name, id or UUID).", "Domain", NULL, 0, 0 },
	{ "backdev", 0, XVM_OPT_STRING, XVM_OPT_POSITIONAL | XVM_OPT_REQUIRED,
	  "What backs it: file:/path or phy:/dev/...", "BackDev", NULL, 0,
	  0 },
	{ "frontdev", 0, XVM_OPT_STRING, XVM_OPT_POSITIONAL | XVM_OPT_REQUIRED,
	  "The guest's name for it (xvdb ...).", "FrontDev", NULL, 0, 0 },
	{ "mode", 0, XVM_OPT_STRING, XVM_OPT_POSITIONAL | XVM_OPT_REQUIRED,
	  "r (read-only) or w.", "Mode", NULL, 0, 0 },
	END,
};

static const struct xvm_opt network_attach_opts[] = {
	{ "domain", 0, XVM_OPT_DOMAIN, XVM_OPT_POSITIONAL | XVM_OPT_REQUIRED,
	  "The domain (name, id or UUID).", "Domain", NULL, 0, 0 },
	{ "settings", 0, XVM_OPT_STRING, XVM_OPT_POSITIONAL | XVM_OPT_MULTI,
	  "mac=, bridge=, script=, ip=, ... as in a vif line.", "name=value",
	  NULL, 0, 0 },
	END,
};

static const struct xvm_opt detach_opts[] = {
	{ "force", 'f', XVM_OPT_BOOL, 0,
	  "Remove it without waiting for the guest to close it.", NULL, NULL,
	  0, 0 },
	{ "domain", 0, XVM_OPT_DOMAIN, XVM_OPT_POSITIONAL | XVM_OPT_REQUIRED,
	  "The domain (name, id or UUID).", "Domain", NULL, 0, 0 },
	{ "device", 0, XVM_OPT_STRING, XVM_OPT_POSITIONAL | XVM_OPT_REQUIRED,
	  "The device: a disk's name or number, an interface's index or MAC.",
	  "DevId", NULL, 0, 0 },
	END,
};

static const struct xvm_opt list_opts[] = {
	{ "long", 'l', XVM_OPT_BOOL, 0,
	  "Each domain's whole configuration, as JSON.", NULL, NULL, 0, 0 },
	{ "domains", 0, XVM_OPT_DOMAIN, XVM_OPT_POSITIONAL | XVM_OPT_MULTI,
	  "Only these domains (name, id or UUID).", "Domain", NULL, 0, 0 },
	END,
};

static const struct xvm_opt domain_opts[] = {
	{ "domain", 0, XVM_OPT_DOMAIN, XVM_OPT_POSITIONAL | XVM_OPT_REQUIRED,
	  "The domain (name, id or UUID).", "Domain", NULL, 0, 0 },
	END,
};

static const struct xvm_cmd xm_cmds[] = {
	{ "block-attach", xm_cmd_block_attach, block_attach_opts,
	  "Create a new virtual block device.",
	  "Give a running domain a disk, as a disk line of its config would "
	  "(file:/img,xvdb,w).", NULL, XVM_CMD_COMMON | XVM_CMD_MODIFIES },
	{ "block-detach", xm_cmd_block_detach, detach_opts,
	  "Destroy a domain's virtual block device.",
	  "Take a disk from a running domain once it has let it go (-f: "
	  "at once).", NULL, XVM_CMD_COMMON | XVM_CMD_MODIFIES },
	{ "block-list", xm_cmd_block_list, domain_opts,
	  "List virtual block devices for a domain.",
	  "A domain's disks in xl's layout: number, backend domain, state, "
	  "backend path.", NULL, XVM_CMD_COMMON },
	{ "console", xm_cmd_console, domain_opts,
	  "Attach to <Domain>'s console.",
	  "Show the domain's console on this terminal and send it what is "
	  "typed; Ctrl-]\ndetaches.  With input that is not a terminal: send "
	  "it, show the answer, end.", NULL, XVM_CMD_COMMON },
	{ "create", xm_cmd_create, create_opts,
	  "Create a domain based on <ConfigFile>.",
	  "Read <ConfigFile> (xm's Python-style syntax; command-line name=value "
	  "settings win)\nand start the PV domain it describes (-p: paused); "
	  "with --dryrun, only print\nthe domain as libvirt XML (or --json).",
	  NULL, XVM_CMD_NOCONNECT | XVM_CMD_COMMON | XVM_CMD_DATA |
	  XVM_CMD_MODIFIES },
	{ "delete", xm_cmd_delete, defined_opts,
	  "Remove a domain from the defined domains.",
	  "Forget a domain that `xm new` defined; if it runs, it keeps "
	  "running\n(and is then gone when it stops).", NULL,
	  XVM_CMD_MODIFIES },
	{ "destroy", xm_cmd_destroy, domain_opts,
	  "Terminate a domain immediately.",
	  "Stop the domain at once, as pulling its plug would, and remove it "
	  "from the\nhost's xenstore.", NULL, XVM_CMD_COMMON | XVM_CMD_MODIFIES },
	{ "dmesg", xm_cmd_dmesg, dmesg_opts, "Read and/or clear Xend's message "
	  "buffer.", "Print the hypervisor's console ring (-c: and empty "
	  "it).", NULL, XVM_CMD_COMMON },
	{ "domid", xm_cmd_domid, domid_opts, "Convert a domain name to domain "
	  "id.", "Print the id of the running domain of that name.", NULL,
	  XVM_CMD_COMMON },
	{ "domname", xm_cmd_domname, domname_opts, "Convert a domain id to "
	  "domain name.", "Print the name of the running domain of that id.",
	  NULL, XVM_CMD_COMMON },
	{ "dump-core", xm_cmd_dump_core, dump_opts,
	  "Dump core for a specific domain.",
	  "Write the domain's memory and registers as Xen's dump-core ELF "
	  "file (by\ndefault /var/xen/dump/DATE-NAME.ID.core), pausing it "
	  "meanwhile unless -L;\n-C destroys it afterwards.", NULL,
	  XVM_CMD_COMMON | XVM_CMD_MODIFIES },
	{ "help", xvm_cmd_help, xvm_help_opts_xm, "Display this message.",
	  "Display the list of subcommands, or the usage of one.", NULL,
	  XVM_CMD_NOCONNECT | XVM_CMD_COMMON | XVM_CMD_DATA },
	{ "info", xm_cmd_info, NULL, "Get information about Xen host.",
	  "Print the host's figures in xl's layout: the dom0 kernel, CPUs, "
	  "memory (MiB),\nand the hypervisor's version, capabilities and "
	  "scheduler.", NULL, XVM_CMD_COMMON | XVM_CMD_DATA },
	{ "list", xm_cmd_list, list_opts, "List information about all/some "
	  "domains.", "List the running domains: name, id, memory (MiB), "
	  "online vcpus, state\n(r running, b blocked, p paused, s shut down, "
	  "c crashed, d dying) and CPU time.", NULL,
	  XVM_CMD_COMMON | XVM_CMD_DATA },
	{ "log", xm_cmd_log, NULL, "Print Xend log",
	  "Print the toolstack log: what was asked of the domains and what "
	  "was done\nwhen they stopped (/var/log/xvm/xvm.log; in a simulated "
	  "host's directory).", NULL, XVM_CMD_COMMON },
	{ "mem-max", xm_cmd_mem_max, mem_opts,
	  "Set the maximum amount reservation for a domain.",
	  "Set how much memory the domain may have at most (Xen's maximum "
	  "and its\nmemory/static-max); not less than its target.", NULL,
	  XVM_CMD_COMMON | XVM_CMD_MODIFIES },
	{ "mem-set", xm_cmd_mem_set, mem_opts,
	  "Set the current memory usage for a domain.",
	  "Set the memory target the guest's balloon aims at (memory/target); "
	  "at most\nits maximum.", NULL, XVM_CMD_COMMON | XVM_CMD_MODIFIES },
	{ "migrate", xm_cmd_migrate, migrate_opts,
	  "Migrate a domain to another machine.",
	  "Move the domain to another host (a simulated host sim:///DIR) "
	  "or to this one\n(localhost), over the stream a save writes; -l "
	  "keeps it running meanwhile.\nNothing is destroyed here before it "
	  "runs there.", NULL,
	  XVM_CMD_COMMON | XVM_CMD_MODIFIES },
	{ "network-attach", xm_cmd_network_attach, network_attach_opts,
	  "Create a new virtual network device.",
	  "Give a running domain a network interface, as a vif line of its "
	  "config would\n(mac=..., bridge=...).", NULL,
	  XVM_CMD_COMMON | XVM_CMD_MODIFIES },
	{ "network-detach", xm_cmd_network_detach, detach_opts,
	  "Destroy a domain's virtual network device.",
	  "Take a network interface (index or MAC) from a running domain (-f: "
	  "at once).", NULL, XVM_CMD_COMMON | XVM_CMD_MODIFIES },
	{ "network-list", xm_cmd_network_list, domain_opts,
	  "List virtual network interfaces for a domain.",
	  "A domain's network interfaces in xl's layout.", NULL,
	  XVM_CMD_COMMON },
	{ "new", xm_cmd_new, new_opts,
	  "Add a domain to the defined domains.",
	  "Read <ConfigFile> as create does and keep the domain it describes "
	  "in the\nhost's store of defined domains (shared with virsh "
	  "define), to be started\nwith start.  A definition with the same "
	  "UUID is replaced.", NULL, XVM_CMD_MODIFIES },
	{ "pause", xm_cmd_pause, domain_opts, "Pause execution of a domain.",
	  "Stop scheduling the domain's virtual CPUs; its memory stays "
	  "allocated.\nPauses nest: each needs its unpause.", NULL,
	  XVM_CMD_COMMON | XVM_CMD_MODIFIES },
	{ "reboot", xm_cmd_reboot, reboot_opts, "Reboot a domain.",
	  "Ask the guest to reboot (control/shutdown); its on_reboot action "
	  "(restart by\ndefault) follows.  -w waits until it has.", NULL,
	  XVM_CMD_COMMON | XVM_CMD_MODIFIES },
	{ "rename", xm_cmd_rename, rename_opts, "Rename a domain.",
	  "Give a running domain a new name; its definition, if it has one, "
	  "follows.", NULL, XVM_CMD_MODIFIES },
	{ "restore", xm_cmd_restore, restore_opts,
	  "Restore a domain from a saved state.",
	  "Create the domain a save file holds and let it run on from where "
	  "it was\nsaved (-p: paused).  The whole file is checked first.",
	  NULL, XVM_CMD_COMMON | XVM_CMD_MODIFIES },
	{ "save", xm_cmd_save, save_opts,
	  "Save a domain state to restore later.",
	  "Suspend the guest, write its memory and registers to <StateFile> "
	  "in the save\nformat of Xen 4.17's xl, and destroy the domain.  "
	  "An existing file is never\nreplaced; if the save fails, the "
	  "guest runs on.", NULL, XVM_CMD_COMMON | XVM_CMD_MODIFIES },
	{ "sched-credit", xm_cmd_sched_credit, sched_credit_opts,
	  "Get/set credit scheduler parameters.",
	  "Without options, list every domain's credit weight and cap, after "
	  "the pool's\nparameters; -d DOM shows one; -w and -c set them.",
	  NULL, XVM_CMD_COMMON },
	{ "shutdown", xm_cmd_shutdown, shutdown_opts, "Shutdown a domain.",
	  "Ask the guest to power off (-R: reboot, -H: halt); its on_poweroff "
	  "action\n(destroy by default) follows.  -w waits until it has "
	  "stopped.", NULL, XVM_CMD_COMMON | XVM_CMD_MODIFIES },
	{ "start", xm_cmd_start, start_opts, "Start a defined domain.",
	  "Start a domain that `xm new` (or virsh define) defined "
	  "(-p: paused).\n-a starts every defined domain marked to start "
	  "with the host (on_xend_start =\n\"start\") that is not running, "
	  "as the host's boot does.", NULL, XVM_CMD_MODIFIES },
	{ "sysrq", xm_cmd_sysrq, sysrq_opts, "Send a sysrq to a domain.",
	  "Send the guest's kernel a magic SysRq key through xenstore "
	  "(control/sysrq),\nas Alt-SysRq-<letter> on its console would; "
	  "Linux PV kernels take it.", NULL, XVM_CMD_MODIFIES },
	{ "top", xm_cmd_top, top_opts, "Monitor a host and the domains in "
	  "real time.", "The domains' state, CPU, memory, vcpus and devices, "
	  "refreshed, as xentop\nshows them: q quits, d sets the delay, s "
	  "sorts, r reverses; -b prints\nframes for scripts.", NULL,
	  XVM_CMD_COMMON },
	{ "unpause", xm_cmd_unpause, domain_opts,
	  "Unpause a paused domain.", "Resume scheduling a paused domain.",
	  NULL, XVM_CMD_COMMON | XVM_CMD_MODIFIES },
	{ "uptime", xm_cmd_uptime, uptime_opts, "Print uptime for all/some "
	  "domains.", "How long each domain has been up, in xl's layout "
	  "(Domain-0: this machine).", NULL, XVM_CMD_COMMON | XVM_CMD_DATA },
	{ "vcpu-list", xm_cmd_vcpu_list, vcpu_list_opts,
	  "List the VCPUs for all/some domains.",
	  "For each vcpu: the CPU it runs on, its state (r running, b "
	  "blocked, p offline),\nits CPU time and its hard and soft "
	  "affinity.", NULL, XVM_CMD_COMMON | XVM_CMD_DATA },
	{ "vcpu-pin", xm_cmd_vcpu_pin, vcpu_pin_opts,
	  "Set which CPUs a VCPU can use.",
	  "Set the CPUs a vcpu (or all) may run on, and those it prefers.",
	  NULL, XVM_CMD_COMMON | XVM_CMD_MODIFIES },
	{ "vcpu-set", xm_cmd_vcpu_set, vcpu_set_opts,
	  "Set the number of active VCPUs for allowed for the domain.",
	  "Bring vcpus online or offline (cpu/N/availability): the guest "
	  "does it.", NULL, XVM_CMD_COMMON | XVM_CMD_MODIFIES },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};

/* Domain names for completion: the running and the defined domains. */
static void
xm_domains(struct xvm_ctx *ctx, const char *prefix, struct xvm_strv *out)
{
	struct xvm_conn *c = xm_connect(ctx);
	struct xvm_domstat *list = NULL;
	struct xvm_defined *defs = NULL;
	size_t n = 0, nd = 0, i;

	if (!c || xvm_list(c, &list, &n, &ctx->err) < 0)
		return;
	for (i = 0; i < n; i++)
		if (xvm_has_prefix(list[i].name, prefix))
			xvm_strv_push(out, list[i].name);
	xvm_domstat_free(list, n);
	if (xvm_defined_list(c, &defs, &nd, &ctx->err) < 0)
		return;
	for (i = 0; i < nd; i++)
		if (xvm_has_prefix(defs[i].dom->name, prefix) &&
		    !xvm_strv_contains(out, defs[i].dom->name))
			xvm_strv_push(out, defs[i].dom->name);
	xvm_defined_free(defs, nd);
}

const struct xvm_tool xm_tool = {
	"xm", XVM_STYLE_XM, xm_cmds, NULL, NULL,
	"Control, list, and manipulate Xen guest instances.", xm_domains,
	NULL, NULL, NULL,
};
