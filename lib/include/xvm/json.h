/*
 * json.h - a small streaming JSON writer for --json output: two-space
 * indentation, keys in the order written, strings escaped per RFC 8259.
 */
#ifndef XVM_JSON_H
#define XVM_JSON_H

#include <stdbool.h>

#include "xvm/util.h"

/* One JSON document; key is NULL inside arrays and for the top value. */
struct xvm_json {
	struct xvm_buf *b;
	int depth;
	bool first[32];		/* no comma needed yet at depth i */
};
void xvm_json_init(struct xvm_json *j, struct xvm_buf *b);
void xvm_json_begin_object(struct xvm_json *j, const char *key);
void xvm_json_end_object(struct xvm_json *j);
void xvm_json_begin_array(struct xvm_json *j, const char *key);
void xvm_json_end_array(struct xvm_json *j);
void xvm_json_string(struct xvm_json *j, const char *key, const char *val);
void xvm_json_int(struct xvm_json *j, const char *key, long long val);
/* A number with prec digits after the point. */
void xvm_json_double(struct xvm_json *j, const char *key, double val,
    int prec);
void xvm_json_uint(struct xvm_json *j, const char *key,
    unsigned long long val);
void xvm_json_bool(struct xvm_json *j, const char *key, bool val);
void xvm_json_null(struct xvm_json *j, const char *key);
void xvm_json_finish(struct xvm_json *j);	/* trailing newline */

#endif
