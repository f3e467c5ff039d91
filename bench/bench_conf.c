/*
 * bench_conf.c - conversions per second over libvirt's xm/xl corpus:
 * cfg -> XML (read the config, convert, format the XML) and XML -> cfg
 * (parse the XML, convert, write the config), files held in memory.
 * Goal: at least 10,000 cfg -> XML conversions per second on one core.
 *
 *   bench_conf CORPUS_DIR [SECONDS]
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xvm/cfg.h"
#include "xvm/domxml.h"
#include "xvm/file.h"
#include "xvm/xenconfig.h"

struct input {
	char *data;
	size_t len;
	enum xvm_cfg_dialect dialect;
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static size_t
load(const char *corpus, const char *ext, struct input **in)
{
	static const char *const sub[] = { "xmconfigdata", "xlconfigdata" };
	struct xvm_err err;
	size_t n = 0, k;

	*in = NULL;
	for (k = 0; k < 2; k++) {
		char *dir = xvm_asprintf("%s/tests/%s", corpus, sub[k]);
		DIR *d = opendir(dir);
		struct dirent *de;

		while (d && (de = readdir(d)) != NULL) {
			size_t l = strlen(de->d_name);
			char *path;

			if (strncmp(de->d_name, "test-", 5) != 0 || l < 4 ||
			    strcmp(de->d_name + l - 4, ext) != 0)
				continue;
			*in = xvm_realloc(*in, (n + 1) * sizeof(**in));
			path = xvm_asprintf("%s/%s", dir, de->d_name);
			xvm_err_clear(&err);
			if (xvm_file_read(path, 1 << 20, &(*in)[n].data,
			    &(*in)[n].len, &err) == 0) {
				(*in)[n].dialect = k ? XVM_DIALECT_XL :
				    XVM_DIALECT_XM;
				n++;
			}
			free(path);
		}
		if (d)
			closedir(d);
		free(dir);
	}
	return n;
}

int
main(int argc, char **argv)
{
	const struct xvm_xen_caps *caps = xvm_xen_caps_test();
	double secs = argc > 2 ? atof(argv[2]) : 2.0, t0, t;
	struct input *cfgs, *xmls;
	size_t ncfg, nxml, i, done, failed;
	struct xvm_buf b = XVM_BUF_INIT;
	struct xvm_err err;

	if (argc < 2) {
		fprintf(stderr, "usage: bench_conf CORPUS_DIR [SECONDS]\n");
		return 2;
	}
	ncfg = load(argv[1], ".cfg", &cfgs);
	nxml = load(argv[1], ".xml", &xmls);
	if (!ncfg || !nxml) {
		fprintf(stderr, "bench_conf: no corpus under %s\n", argv[1]);
		return 1;
	}

	done = failed = 0;
	t0 = now();
	do {
		for (i = 0; i < ncfg; i++, done++) {
			struct xvm_cfg cfg;
			struct xvm_domain *d = NULL;

			xvm_err_clear(&err);
			xvm_cfg_init(&cfg, "bench");
			if (xvm_cfg_parse(&cfg, cfgs[i].data, cfgs[i].len, 0,
			    NULL, &err) < 0 || xvm_domain_from_cfg(&cfg,
			    cfgs[i].dialect, caps, &d, &err) < 0) {
				failed++;
			} else {
				xvm_buf_reset(&b);
				xvm_domain_format_xml(d, XVM_XML_INACTIVE, &b);
			}
			xvm_domain_free(d);
			xvm_cfg_release(&cfg);
		}
	} while ((t = now() - t0) < secs);
	printf("cfg -> XML: %.0f conversions/s (%zu files; %zu refused)\n",
	    done / t, ncfg, failed);

	done = failed = 0;
	t0 = now();
	do {
		for (i = 0; i < nxml; i++, done++) {
			struct xvm_cfg cfg;
			struct xvm_domain *d = NULL;

			xvm_err_clear(&err);
			xvm_cfg_init(&cfg, "bench");
			if (xvm_domain_parse_xml(xmls[i].data, xmls[i].len,
			    "bench", XVM_XML_INACTIVE, &d, &err) < 0 ||
			    xvm_domain_to_cfg(d, xmls[i].dialect, &cfg,
			    &err) < 0) {
				failed++;
			} else {
				xvm_buf_reset(&b);
				xvm_cfg_write(&cfg, &b);
			}
			xvm_domain_free(d);
			xvm_cfg_release(&cfg);
		}
	} while ((t = now() - t0) < secs);
	/* libvirt's corpus has one XML no test converts (an orphan) */
	printf("XML -> cfg: %.0f conversions/s (%zu files; %zu conversions "
	    "refused)\n", done / t, nxml, failed);

	for (i = 0; i < ncfg; i++)
		free(cfgs[i].data);
	for (i = 0; i < nxml; i++)
		free(xmls[i].data);
	free(cfgs);
	free(xmls);
	xvm_buf_release(&b);
	return 0;
}
