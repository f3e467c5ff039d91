#!/usr/bin/env python3
"""sf-add-records.py IN OUT [--bad-msrs]: a copy of a save file (xl's
format) with the records xl's libxc writes and xvm's save does not: the
CPU policy (X86_CPUID_POLICY, X86_MSR_POLICY) before STATIC_DATA_END, and
after each X86_PV_VCPU_BASIC that vcpu's X86_PV_VCPU_EXTENDED, _XSAVE and
_MSRS, filled as Xen 4.17 on the test bed's CPU fills them.  With
--bad-msrs the MSR record is one byte short of whole entries.  A test
fixture: libxc's stream layout is [type u32][length u32][body, padded to
8]; the stream begins after libxc's image header (marker, "XENF") and
its domain header."""
import struct
import sys

src, dst = sys.argv[1], sys.argv[2]
bad = "--bad-msrs" in sys.argv[3:]
data = open(src, "rb").read()
at = data.index(b"\xff" * 8 + b"XENF") + 24 + 16


def rec(rtype, body):
    pad = (8 - len(body) % 8) % 8
    return struct.pack("<II", rtype, len(body)) + body + b"\0" * pad


cpuid = b"".join(struct.pack("<IIIIII", leaf, 0xffffffff, a, b, c, d)
                 for leaf, a, b, c, d in [(0, 0xd, 0x68747541, 0x444d4163,
                                           0x69746e65),
                                          (1, 0x663, 0x800, 0x80002001,
                                           0x178bfbff)])
msrp = struct.pack("<IIQ", 0xce, 0, 0)
out, pos = bytearray(data[:at]), at
while pos < len(data):
    rtype, length = struct.unpack_from("<II", data, pos)
    whole = 8 + length + (8 - length % 8) % 8
    if rtype == 0x10:                       # STATIC_DATA_END
        out += rec(0x11, cpuid) + rec(0x12, msrp)
    out += data[pos:pos + whole]
    if rtype == 0x04:                       # X86_PV_VCPU_BASIC
        vcpu = data[pos + 8:pos + 16]
        out += rec(0x05, vcpu + struct.pack("<II", 0, 64) + b"\0" * 56)
        out += rec(0x06, vcpu + struct.pack("<QQ", 3, 3) + b"\0" * 576)
        msrs = struct.pack("<IIQ", 0xc0000103, 0, 0)  # TSC_AUX
        out += rec(0x0c, vcpu + (msrs[:-1] if bad else msrs))
    pos += whole
    if rtype == 0:
        break
out += data[pos:]
open(dst, "wb").write(out)
