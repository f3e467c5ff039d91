#!/usr/bin/env python3
# Write the seeds of fuzz_savefile: a minimal whole save file (one page,
# one vcpu) in Xen 4.17 xl's format, and pieces of it.  Run from this
# directory; the seeds are committed, this script says how they were made.
import struct

def rec(t, body=b""):
    pad = (8 - len(body) % 8) % 8
    return struct.pack("<II", t, len(body)) + body + b"\0" * pad

config = b'name = "seed"\nmemory = 4\nkernel = "/boot/k"\n\0'
xl = (b"Xen saved domain, xl format\n \0 \r" +
      struct.pack("<IIII", 0x01020304, 2, 0, 4 + len(config)) +
      struct.pack("<I", len(config)) + config)
libxl = struct.pack(">QII", 0x4c6962786c466d74, 2, 0)
libxc = (b"\xff" * 8 + struct.pack(">II", 0x58454E46, 3) + b"\0" * 8 +
         struct.pack("<IHHII", 1, 12, 0, 4, 17))
VCPU = 5168
stream = (libxc +
          rec(2, bytes([8, 4]) + b"\0" * 6) +
          rec(0x10) +
          rec(3, struct.pack("<IIQ", 0, 0, 0)) +
          rec(1, struct.pack("<IIQ", 1, 0, 0) + b"\xab" * 4096) +
          rec(8, struct.pack("<IIQII", 0, 2000000, 1, 0, 0)) +
          rec(7, b"\0" * 4096) +
          rec(4, struct.pack("<II", 0, 0) + b"\0" * VCPU) +
          rec(0))
whole = xl + libxl + rec(1) + stream + rec(0)
open("whole", "wb").write(whole)
open("headers", "wb").write(xl + libxl)
open("cut", "wb").write(whole[: len(whole) // 2])
# a page table page among the pages
pt = (libxc + rec(2, bytes([8, 4]) + b"\0" * 6) + rec(0x10) +
      rec(3, struct.pack("<IIQ", 0, 1, 0)) +
      rec(1, struct.pack("<IIQQ", 2, 0, 0, (0xc << 60) | 1) +
          b"\0" * 8192) + rec(7, b"\0" * 4096) +
      rec(4, struct.pack("<II", 0, 0) + b"\0" * VCPU) +
      rec(0))
open("pagetable", "wb").write(xl + libxl + rec(1) + pt + rec(0))
