#!/usr/bin/env python3
"""sf-xl-json.py IN OUT JSON: a copy of save file IN (xl's format) whose
header carries the domain config as xl 4.17 writes it: the text of file
JSON (libxl's libxl_domain_config) with its NUL, and the mandatory flag
that says the config is JSON.  A test fixture.  xl's header: the 32-byte
magic, then byte order, mandatory flags, optional flags and the length of
the optional data, each a u32; the optional data is the config's length
(u32) and the config."""
import struct
import sys

src, dst, cfg = sys.argv[1:4]
data = open(src, "rb").read()
magic = b"Xen saved domain, xl format\n \0 \r"
assert data[:32] == magic, "not xl's format"
order, mand, opt, length = struct.unpack_from("<IIII", data, 32)
config = open(cfg, "rb").read() + b"\0"
head = magic + struct.pack("<IIIII", order, mand | 1, opt, 4 + len(config),
                           len(config))
open(dst, "wb").write(head + config + data[48 + length:])
