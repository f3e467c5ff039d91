/*
 * media_curl.c - install trees served over http://, https:// and ftp://,
 * read with libcurl.
 *
 * The location is the tree's root; a path inside it is escaped and
 * joined to it.  One easy handle per opened location, reset between
 * requests, so that the files of one tree share a connection.
 *
 * Every request is bounded: the connect timeout covers reaching the
 * server, and a transfer that moves no byte for the stall timeout ends
 * (timed by our own progress callback, so "no byte for N s" means just
 * that, whatever phase the request is in once connected).  A transfer
 * cut short after the server began to answer is MEDIA_RESUMABLE: the
 * core asks again from where it stopped.
 *
 * HTTP ranges are asked for with CURLOPT_RANGE, not RESUME_FROM: libcurl
 * fails a resume the server ignored (200 instead of 206), where we can
 * drop the bytes we already have and carry on.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define CURL_DISABLE_TYPECHECK 1	/* the calls go through pointers */
#include <curl/curl.h>
#include <dlfcn.h>

#include "media/media_int.h"
#include "xvm/version.h"

/* CURLOPT_PREREQFUNCTION (7.80), CURLOPT_PROTOCOLS_STR (7.85) */
#if LIBCURL_VERSION_NUM < 0x075500
#error "libcurl 7.85 or later is needed (Debian 12 has 7.88)"
#endif

#define USER_AGENT	"xvm-virt-install/" XVM_VERSION
#define MAX_REDIRS	10

struct curl_priv {
	CURL *h;
	char *base;	/* the root's URL, no trailing '/' */
	char *shown;	/* the same without a password, for messages */
	char *host;	/* for messages */
	bool ftp;
};

/* One request: what the callbacks learn, and where they put it. */
struct req {
	struct xvm_media *m;
	struct curl_priv *p;
	const char *shown;	/* the file's URL, for messages */
	struct media_sink *sink; /* NULL: a probe, no body */
	struct xvm_err *err;
	char errbuf[CURL_ERROR_SIZE];

	bool connected;		/* made or reused: request sent */
	double last_ms;		/* when the server last sent a byte */
	bool stalled;		/* ended by the stall timeout */
	bool started;		/* the response's status was looked at */
	bool bad_status;	/* ended: the answer was not the file */
	bool sink_failed;	/* ended: the sink said stop (err set) */
	bool probe_done;	/* ended: a probe had its answer */
	long status;		/* HTTP status, FTP reply */
	uint64_t skip;		/* bytes to drop: the range was ignored */
	uint64_t got;		/* body bytes this request */
	int64_t range_start;	/* Content-Range: bytes START-x/TOTAL, */
	int64_t range_total;	/* -1 when not given */
};

/*
 * libcurl (and the TLS, Kerberos and LDAP libraries under it) is loaded
 * with dlopen on the first network location, not linked: a command that
 * reads no URL does not pay the third of its start-up time they cost.
 */
#define CURL_SYMS(X) \
	X(curl_global_init) X(curl_easy_init) X(curl_easy_setopt) \
	X(curl_easy_perform) X(curl_easy_getinfo) X(curl_easy_cleanup) \
	X(curl_easy_reset) X(curl_easy_strerror) X(curl_free) X(curl_url) \
	X(curl_url_cleanup) X(curl_url_get) X(curl_url_set)

#define DECLARE(f) static __typeof__(f) *p_##f;
CURL_SYMS(DECLARE)
#undef DECLARE

#define curl_global_init p_curl_global_init
#define curl_easy_init p_curl_easy_init
#undef curl_easy_setopt
#define curl_easy_setopt p_curl_easy_setopt
#define curl_easy_perform p_curl_easy_perform
#undef curl_easy_getinfo
#define curl_easy_getinfo p_curl_easy_getinfo
#define curl_easy_cleanup p_curl_easy_cleanup
#define curl_easy_reset p_curl_easy_reset
#define curl_easy_strerror p_curl_easy_strerror
#define curl_free p_curl_free
#define curl_url p_curl_url
#define curl_url_cleanup p_curl_url_cleanup
#define curl_url_get p_curl_url_get
#define curl_url_set p_curl_url_set

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc;
static char curl_load_error[256];

static void
curl_init(void)
{
	void *lib = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
	const char *missing = NULL;

	if (lib == NULL) {
		snprintf(curl_load_error, sizeof(curl_load_error), "cannot "
		    "load libcurl (libcurl4): %s", dlerror());
		return;
	}
#define RESOLVE(f) \
	if (!missing && !(p_##f = (__typeof__(p_##f))dlsym(lib, #f))) \
		missing = #f;
	CURL_SYMS(RESOLVE)
#undef RESOLVE
	if (missing) {
		snprintf(curl_load_error, sizeof(curl_load_error), "libcurl "
		    "lacks %s", missing);
		return;
	}
	curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* ---- URLs ------------------------------------------------------------- */

/* RFC 3986's pchar and '/' stay; the rest (' ', '%', '?', '#') is escaped */
static bool
url_safe(unsigned char c)
{
	return isalnum(c) || strchr("-._~!$&'()*+,;=:@/", c) != NULL;
}

static char *
file_url(const char *base, const char *rel)
{
	struct xvm_buf b = XVM_BUF_INIT;
	const unsigned char *s;

	xvm_buf_puts(&b, base);
	xvm_buf_putc(&b, '/');
	for (s = (const unsigned char *)rel; *s; s++) {
		if (url_safe(*s))
			xvm_buf_putc(&b, (char)*s);
		else
			xvm_buf_printf(&b, "%%%02X", *s);
	}
	return xvm_buf_steal(&b);
}

static char *
strip_slashes(char *url)
{
	size_t n = strlen(url);
	const char *body = strstr(url, "://");
	size_t min = body ? (size_t)(body - url) + 3 : 0;

	while (n > min && url[n - 1] == '/')
		url[--n] = '\0';
	return url;
}

/* The host a request went to last (after redirects), for messages. */
static char *
effective_host(struct req *r)
{
	char *eff = NULL, *host = NULL, *copy;
	CURLU *u;

	if (curl_easy_getinfo(r->p->h, CURLINFO_EFFECTIVE_URL, &eff) !=
	    CURLE_OK || eff == NULL || (u = curl_url()) == NULL)
		return xvm_strdup(r->p->host);
	if (curl_url_set(u, CURLUPART_URL, eff, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK)
		host = NULL;
	curl_url_cleanup(u);
	if (host == NULL)
		return xvm_strdup(r->p->host);
	copy = xvm_strdup(host);
	curl_free(host);
	return copy;
}

/* ---- callbacks ----------------------------------------------------------- */

/* a decimal at *s; -1 when there is none */
static int64_t
parse_num(const char **s)
{
	int64_t v = 0;
	const char *p = *s;

	if (!isdigit((unsigned char)*p))
		return -1;
	while (isdigit((unsigned char)*p)) {
		if (v > (INT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (*p++ - '0');
	}
	*s = p;
	return v;
}

/* "Content-Range: bytes 100-199/300" (a 416's has a star for the range) */
static void
parse_content_range(struct req *r, const char *line, size_t n)
{
	char buf[128];
	const char *s;

	if (n >= sizeof(buf))
		return;
	memcpy(buf, line, n);
	buf[n] = '\0';
	if (strncasecmp(buf, "content-range:", 14) != 0)
		return;
	s = buf + 14;
	while (*s == ' ' || *s == '\t')
		s++;
	if (strncasecmp(s, "bytes", 5) != 0)
		return;
	s += 5;
	while (*s == ' ')
		s++;
	if (*s == '*') {
		s++;
	} else {
		r->range_start = parse_num(&s);
		if (*s++ != '-' || parse_num(&s) < 0)
			return;
	}
	if (*s++ == '/')
		r->range_total = parse_num(&s);
}

static size_t
on_header(char *line, size_t size, size_t n, void *arg)
{
	struct req *r = arg;

	n *= size;
	r->last_ms = xvm_mono_ms();
	if (r->p->ftp)
		return n;
	/* every response (a redirect, a 100, the file) starts afresh */
	if (n >= 5 && strncmp(line, "HTTP/", 5) == 0)
		r->range_start = r->range_total = -1;
	else
		parse_content_range(r, line, n);
	return n;
}

/*
 * The response's headers are in: is this the file, and from where?
 * -1 (r flags set) when the body is not wanted.
 */
static int
begin(struct req *r)
{
	struct media_sink *s = r->sink;
	curl_off_t len = -1;
	uint64_t total = 0;

	r->started = true;
	curl_easy_getinfo(r->p->h, CURLINFO_RESPONSE_CODE, &r->status);
	curl_easy_getinfo(r->p->h, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &len);
	if (s == NULL) {
		r->probe_done = true;
		return -1;
	}
	if (r->p->ftp) {
		/* libcurl counts what is left after REST */
		if (len >= 0)
			total = s->offset + (uint64_t)len;
	} else if (r->status == 206) {
		if (r->range_start >= 0 &&
		    (uint64_t)r->range_start != s->offset) {
			xvm_err_set(r->err, XVM_ERR_OPERATION_FAILED, "cannot "
			    "fetch '%s': the server sent bytes from %" PRId64
			    " when asked for %" PRIu64, r->shown,
			    r->range_start, s->offset);
			r->sink_failed = true;
			return -1;
		}
		if (r->range_total >= 0)
			total = (uint64_t)r->range_total;
		else if (len >= 0)
			total = s->offset + (uint64_t)len;
	} else if (r->status == 200) {
		/* no range: the whole file again, drop what we have */
		r->skip = s->offset;
		if (len >= 0)
			total = (uint64_t)len;
	} else {
		r->bad_status = true;
		return -1;
	}
	if (total)
		s->total = total;
	return 0;
}

/* the answer to a HEAD or SIZE: libcurl writes FTP's as text, unwanted */
static size_t
on_discard(char *data, size_t size, size_t n, void *arg)
{
	struct req *r = arg;

	(void)data;
	r->last_ms = xvm_mono_ms();
	return size * n;
}

static size_t
on_body(char *data, size_t size, size_t n, void *arg)
{
	struct req *r = arg;
	size_t len = size * n, drop;

	r->last_ms = xvm_mono_ms();
	if (!r->started && begin(r) < 0)
		return 0;
	r->got += len;
	drop = r->skip < len ? (size_t)r->skip : len;
	r->skip -= drop;
	if (len > drop && r->sink->write(r->sink, data + drop, len - drop,
	    r->err) < 0) {
		r->sink_failed = true;
		return 0;
	}
	return len;
}

/*
 * A connection is there (new or reused: CURLINFO_CONNECT_TIME is 0 for a
 * reused one, so it cannot tell); the stall clock starts now.
 */
static int
on_connected(void *arg, char *ip, char *local_ip, int port, int local_port)
{
	struct req *r = arg;

	(void)ip, (void)local_ip, (void)port, (void)local_port;
	r->connected = true;
	r->last_ms = xvm_mono_ms();
	return CURL_PREREQFUNC_OK;
}

static int
on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow,
    curl_off_t ultotal, curl_off_t ulnow)
{
	struct req *r = arg;
	double now = xvm_mono_ms();

	(void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
	/* reaching the server is the connect timeout's business */
	if (!r->connected) {
		r->last_ms = now;
		return 0;
	}
	if (now - r->last_ms >= r->m->opts.stall_timeout_s * 1000.0) {
		r->stalled = true;
		return 1;
	}
	return 0;
}

/* ---- requests ------------------------------------------------------------ */

static void
req_setup(struct req *r, const char *url)
{
	CURL *h = r->p->h;
	const struct xvm_media_opts *o = &r->m->opts;

	curl_easy_reset(h);
	r->errbuf[0] = '\0';
	r->connected = false;
	r->last_ms = xvm_mono_ms();
	r->range_start = r->range_total = -1;
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, r->errbuf);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_USERAGENT, USER_AGENT);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https,ftp");
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https,ftp");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(h, CURLOPT_MAXREDIRS, (long)MAX_REDIRS);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, (long)o->connect_timeout_s);
	curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, o->insecure ? 0L : 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, o->insecure ? 0L : 2L);
	curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(h, CURLOPT_XFERINFODATA, r);
	curl_easy_setopt(h, CURLOPT_PREREQFUNCTION, on_connected);
	curl_easy_setopt(h, CURLOPT_PREREQDATA, r);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	/* large reads: fewer callbacks and writes per megabyte */
	curl_easy_setopt(h, CURLOPT_BUFFERSIZE, 512L * 1024);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, r);
	if (r->p->ftp) {
		/*
		 * Passive (libcurl's default); the whole path in one SIZE or
		 * RETR, so that a missing directory is a 550 like a missing
		 * file rather than a refused CWD.
		 */
		curl_easy_setopt(h, CURLOPT_FTP_FILEMETHOD,
		    (long)CURLFTPMETHOD_NOCWD);
		curl_easy_setopt(h, CURLOPT_SERVER_RESPONSE_TIMEOUT,
		    (long)o->stall_timeout_s);
	}
}

/* libcurl's detail, on one line, without its trailing full stop */
static const char *
detail(struct req *r, CURLcode rc)
{
	char *s;
	size_t n;

	if (r->errbuf[0] == '\0')
		snprintf(r->errbuf, sizeof(r->errbuf), "%s",
		    curl_easy_strerror(rc));
	for (s = r->errbuf; *s; s++)
		if (*s == '\n' || *s == '\r' || *s == '\t')
			*s = ' ';
	n = strlen(r->errbuf);
	while (n > 0 && (r->errbuf[n - 1] == ' ' || r->errbuf[n - 1] == '.'))
		r->errbuf[--n] = '\0';
	if (isupper((unsigned char)r->errbuf[0]) &&
	    !isupper((unsigned char)r->errbuf[1]))
		r->errbuf[0] = (char)tolower((unsigned char)r->errbuf[0]);
	return r->errbuf;
}

static const char *
http_reason(long status)
{
	switch (status) {
	case 401:
		return "login required";
	case 403:
		return "access denied";
	case 404:
	case 410:
		return "not found";
	case 416:
		return "range not satisfiable";
	case 500:
		return "server error";
	case 502:
	case 503:
	case 504:
		return "server unavailable";
	default:
		return "unexpected answer";
	}
}

/* "cut short after N of M bytes" (or "after N bytes" when M is unknown) */
static void
cut_short(struct req *r, const char *verb)
{
	struct media_sink *s = r->sink;

	if (s && s->total)
		xvm_err_set(r->err, XVM_ERR_OPERATION_FAILED, "cannot %s "
		    "'%s': the transfer was cut short after %" PRIu64 " of %"
		    PRIu64 " bytes", verb, r->shown, s->offset, s->total);
	else
		xvm_err_set(r->err, XVM_ERR_OPERATION_FAILED, "cannot %s "
		    "'%s': the transfer was cut short after %" PRIu64
		    " bytes", verb, r->shown, s ? s->offset : 0);
}

/*
 * err for a failed perform (not a status, not the sink); returns
 * MEDIA_RESUMABLE when the server had begun to answer and the request is
 * worth repeating from where it stopped, else -1.
 */
static int
curl_failure(struct req *r, CURLcode rc, const char *verb)
{
	const struct xvm_media_opts *o = &r->m->opts;
	bool began = r->got > 0 || (r->sink && r->sink->offset > 0);
	long os_errno = 0;
	char *host;
	int code = XVM_ERR_OPERATION_FAILED;

	curl_easy_getinfo(r->p->h, CURLINFO_OS_ERRNO, &os_errno);
	if (r->stalled) {
		if (r->got > 0)
			xvm_err_set(r->err, code, "cannot %s '%s': no data for "
			    "%u s after %" PRIu64 " bytes (server stalled)",
			    verb, r->shown, o->stall_timeout_s,
			    r->sink->offset);
		else
			xvm_err_set(r->err, code, "cannot %s '%s': no data for "
			    "%u s (server stalled)", verb, r->shown,
			    o->stall_timeout_s);
		return began ? MEDIA_RESUMABLE : -1;
	}
	switch (rc) {
	case CURLE_PARTIAL_FILE:
		cut_short(r, verb);
		return MEDIA_RESUMABLE;
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		if (began) {
			cut_short(r, verb);
			return MEDIA_RESUMABLE;
		}
		if (rc == CURLE_GOT_NOTHING)
			xvm_err_set(r->err, code, "cannot %s '%s': the server "
			    "closed the connection without answering", verb,
			    r->shown);
		else if (os_errno)
			xvm_err_set(r->err, code, "cannot %s '%s': the "
			    "connection failed: %s", verb, r->shown,
			    strerror((int)os_errno));
		else
			xvm_err_set(r->err, code, "cannot %s '%s': the "
			    "connection failed: %s", verb, r->shown,
			    detail(r, rc));
		return -1;
	case CURLE_OPERATION_TIMEDOUT:
		if (!r->connected) {
			host = effective_host(r);
			xvm_err_set(r->err, code, "cannot %s '%s': could not "
			    "connect to '%s' within %u s (connection timed "
			    "out)", verb, r->shown, host,
			    o->connect_timeout_s);
			free(host);
			return -1;
		}
		/* an FTP reply that never came (SERVER_RESPONSE_TIMEOUT) */
		if (began) {
			cut_short(r, verb);
			return MEDIA_RESUMABLE;
		}
		xvm_err_set(r->err, code, "cannot %s '%s': no answer for %u s "
		    "(server stalled)", verb, r->shown, o->stall_timeout_s);
		return -1;
	case CURLE_COULDNT_RESOLVE_HOST:
		host = effective_host(r);
		xvm_err_set(r->err, code, "cannot %s '%s': could not resolve "
		    "host '%s'", verb, r->shown, host);
		free(host);
		return -1;
	case CURLE_COULDNT_RESOLVE_PROXY:
		xvm_err_set(r->err, code, "cannot %s '%s': could not resolve "
		    "the proxy (%s)", verb, r->shown, detail(r, rc));
		return -1;
	case CURLE_COULDNT_CONNECT:
		if (os_errno == ECONNREFUSED) {
			xvm_err_set(r->err, code, "cannot %s '%s': connection "
			    "refused", verb, r->shown);
		} else {
			host = effective_host(r);
			xvm_err_set(r->err, code, "cannot %s '%s': could not "
			    "connect to '%s': %s", verb, r->shown, host,
			    os_errno ? strerror((int)os_errno) :
			    detail(r, rc));
			free(host);
		}
		return -1;
	case CURLE_PEER_FAILED_VERIFICATION:
		if (strstr(r->errbuf, "subject name") ||
		    strstr(r->errbuf, "does not match")) {
			host = effective_host(r);
			xvm_err_set(r->err, code, "cannot %s '%s': the server "
			    "certificate is not for '%s' (use --insecure to "
			    "skip the check)", verb, r->shown, host);
			free(host);
		} else {
			xvm_err_set(r->err, code, "cannot %s '%s': server "
			    "certificate not trusted (use --insecure to skip "
			    "the check)", verb, r->shown);
		}
		return -1;
	case CURLE_SSL_CONNECT_ERROR:
		xvm_err_set(r->err, code, "cannot %s '%s': TLS handshake "
		    "failed (%s)", verb, r->shown, detail(r, rc));
		return -1;
	case CURLE_REMOTE_FILE_NOT_FOUND:
		xvm_err_set(r->err, XVM_ERR_NOT_FOUND, "cannot %s '%s': not "
		    "found (FTP 550)", verb, r->shown);
		return -1;
	case CURLE_LOGIN_DENIED:
		xvm_err_set(r->err, code, "cannot %s '%s': the server refused "
		    "the login", verb, r->shown);
		return -1;
	case CURLE_REMOTE_ACCESS_DENIED:
	case CURLE_FTP_COULDNT_RETR_FILE:
		xvm_err_set(r->err, code, "cannot %s '%s': the server refused "
		    "it (%s)", verb, r->shown, detail(r, rc));
		return -1;
	case CURLE_TOO_MANY_REDIRECTS:
		xvm_err_set(r->err, code, "cannot %s '%s': more than %d "
		    "redirects", verb, r->shown, MAX_REDIRS);
		return -1;
	case CURLE_UNSUPPORTED_PROTOCOL:
		xvm_err_set(r->err, code, "cannot %s '%s': redirected to "
		    "an unsupported URL (%s)", verb, r->shown, detail(r, rc));
		return -1;
	default:
		xvm_err_set(r->err, code, "cannot %s '%s': %s", verb,
		    r->shown, detail(r, rc));
		return -1;
	}
}

/* The file's URL, and its printable twin, for path; -1 (err set) */
static int
req_urls(struct curl_priv *p, const char *path, char **url_r,
    char **shown_r, struct xvm_err *err)
{
	char *rel = media_clean_path(path, err);

	if (rel == NULL)
		return -1;
	*url_r = file_url(p->base, rel);
	*shown_r = file_url(p->shown, rel);
	free(rel);
	return 0;
}

/* ---- the back end ----------------------------------------------------- */

/* A request for path (sink NULL: a probe), its handle set up for url. */
static int
req_start(struct req *r, struct xvm_media *m, const char *path,
    struct media_sink *sink, char **url_r, char **shown_r,
    struct xvm_err *err)
{
	if (req_urls(m->priv, path, url_r, shown_r, err) < 0)
		return -1;
	memset(r, 0, sizeof(*r));
	r->m = m;
	r->p = m->priv;
	r->shown = *shown_r;
	r->sink = sink;
	r->err = err;
	req_setup(r, *url_r);
	return 0;
}

static int
curl_exists(struct xvm_media *m, const char *path, struct xvm_err *err)
{
	struct curl_priv *p = m->priv;
	struct req r;
	char *url, *shown;
	CURLcode rc;
	int ret = -1;

	if (req_start(&r, m, path, NULL, &url, &shown, err) < 0)
		return -1;
	/* HEAD over HTTP; SIZE over FTP */
	curl_easy_setopt(p->h, CURLOPT_NOBODY, 1L);
	curl_easy_setopt(p->h, CURLOPT_WRITEFUNCTION, on_discard);
	rc = curl_easy_perform(p->h);
	if (!p->ftp && rc == CURLE_OK) {
		curl_easy_getinfo(p->h, CURLINFO_RESPONSE_CODE, &r.status);
		if (r.status == 405 || r.status == 501) {
			/* no HEAD here: ask for the first byte instead */
			req_setup(&r, url);
			curl_easy_setopt(p->h, CURLOPT_RANGE, "0-0");
			rc = curl_easy_perform(p->h);
			if (r.probe_done)
				rc = CURLE_OK;
		}
		if (rc == CURLE_OK)
			curl_easy_getinfo(p->h, CURLINFO_RESPONSE_CODE,
			    &r.status);
	}
	if (rc == CURLE_OK && p->ftp)
		ret = 1;
	else if (rc == CURLE_REMOTE_FILE_NOT_FOUND)
		ret = 0;
	else if (rc != CURLE_OK)
		(void)curl_failure(&r, rc, "check"); /* nothing to resume */
	else if (r.status >= 200 && r.status < 300)
		ret = 1;
	else if (r.status == 404 || r.status == 410)
		ret = 0;
	else
		xvm_err_set(err, XVM_ERR_OPERATION_FAILED, "cannot check "
		    "'%s': %s (HTTP %ld)", shown, http_reason(r.status),
		    r.status);
	free(url);
	free(shown);
	return ret;
}

static int
curl_get(struct xvm_media *m, const char *path, struct media_sink *sink,
    struct xvm_err *err)
{
	struct curl_priv *p = m->priv;
	struct req r;
	char *url, *shown, range[32];
	CURLcode rc;
	int ret = -1;

	if (req_start(&r, m, path, sink, &url, &shown, err) < 0)
		return -1;
	if (sink->offset && p->ftp) {
		curl_easy_setopt(p->h, CURLOPT_RESUME_FROM_LARGE,
		    (curl_off_t)sink->offset);
	} else if (sink->offset) {
		snprintf(range, sizeof(range), "%" PRIu64 "-", sink->offset);
		curl_easy_setopt(p->h, CURLOPT_RANGE, range);
	}
	rc = curl_easy_perform(p->h);
	/* an empty body never reached on_body */
	if (rc == CURLE_OK && !r.started)
		(void)begin(&r);
	if (r.sink_failed) {
		ret = -1;
	} else if (r.bad_status && !p->ftp && r.status == 416 &&
	    sink->offset > 0 && r.range_total >= 0 &&
	    (uint64_t)r.range_total == sink->offset) {
		/* we had it all already */
		sink->total = sink->offset;
		ret = 0;
	} else if (r.bad_status) {
		xvm_err_set(err, r.status == 404 || r.status == 410 ?
		    XVM_ERR_NOT_FOUND : XVM_ERR_OPERATION_FAILED, "cannot "
		    "fetch '%s': %s (HTTP %ld)", shown, http_reason(r.status),
		    r.status);
		ret = -1;
	} else if (rc != CURLE_OK) {
		ret = curl_failure(&r, rc, "fetch");
	} else if (r.skip > 0) {
		/* a whole file sent again, shorter than what we had */
		xvm_err_set(err, XVM_ERR_OPERATION_FAILED, "cannot fetch "
		    "'%s': the file shrank to %" PRIu64 " bytes while it was "
		    "fetched", shown, sink->offset - r.skip);
		ret = -1;
	} else {
		ret = 0;
	}
	free(url);
	free(shown);
	return ret;
}

static void
curl_close(struct xvm_media *m)
{
	struct curl_priv *p = m->priv;

	if (p == NULL)
		return;
	if (p->h)
		curl_easy_cleanup(p->h);
	free(p->base);
	free(p->shown);
	free(p->host);
	free(p);
	m->priv = NULL;
}

static const struct media_ops curl_ops = {
	curl_exists, curl_get, curl_close,
};

/* The root's URL checked, and its password left out of the shown copy. */
static int
parse_location(struct curl_priv *p, const char *url, struct xvm_err *err)
{
	CURLU *u = curl_url();
	const char *auth;
	char *part = NULL;
	int r = -1;

	if (u == NULL)
		return xvm_err_set(err, XVM_ERR_INTERNAL, "out of memory");
	/* libcurl reads "http:///x" as host x: a mistake here, not a host */
	if ((auth = strstr(url, "://")) == NULL || auth[3] == '/' ||
	    curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &part, 0) != CURLUE_OK ||
	    part[0] == '\0') {
		xvm_err_set(err, XVM_ERR_INVALID_ARG, "install location '%s' "
		    "is not a valid URL", url);
		goto out;
	}
	p->host = xvm_strdup(part);
	curl_free(part);
	part = NULL;
	if (curl_url_get(u, CURLUPART_QUERY, &part, 0) == CURLUE_OK ||
	    curl_url_get(u, CURLUPART_FRAGMENT, &part, 0) == CURLUE_OK) {
		xvm_err_set(err, XVM_ERR_INVALID_ARG, "install location '%s': "
		    "a tree's URL cannot have a query or fragment", url);
		goto out;
	}
	p->base = strip_slashes(xvm_strdup(url));
	if (curl_url_get(u, CURLUPART_PASSWORD, &part, 0) == CURLUE_OK) {
		curl_free(part);
		part = NULL;
		if (curl_url_set(u, CURLUPART_PASSWORD, NULL, 0) ==
		    CURLUE_OK && curl_url_get(u, CURLUPART_URL, &part, 0) ==
		    CURLUE_OK)
			p->shown = strip_slashes(xvm_strdup(part));
	}
	if (p->shown == NULL)
		p->shown = xvm_strdup(p->base);
	r = 0;
out:
	curl_free(part);
	curl_url_cleanup(u);
	return r;
}

int
media_open_curl(struct xvm_media *m, const char *url, struct xvm_err *err)
{
	struct curl_priv *p;

	pthread_once(&curl_once, curl_init);
	if (curl_load_error[0])
		return xvm_err_set(err, XVM_ERR_INTERNAL, "%s",
		    curl_load_error);
	if (curl_init_rc != CURLE_OK)
		return xvm_err_set(err, XVM_ERR_INTERNAL, "cannot initialise "
		    "libcurl: %s", curl_easy_strerror(curl_init_rc));
	p = xvm_calloc(1, sizeof(*p));
	p->ftp = strncasecmp(url, "ftp://", 6) == 0;
	if (parse_location(p, url, err) < 0)
		goto fail;
	if ((p->h = curl_easy_init()) == NULL) {
		xvm_err_set(err, XVM_ERR_INTERNAL, "cannot initialise "
		    "libcurl");
		goto fail;
	}
	m->ops = &curl_ops;
	m->kind = p->ftp ? XVM_MEDIA_FTP : XVM_MEDIA_HTTP;
	m->priv = p;
	return 0;
fail:
	m->priv = p;
	curl_close(m);
	return -1;
}
