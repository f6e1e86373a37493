#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""
libc-bodies.py MODULE.wasm [NAME...]: the body of each named function of a
module (by its name section) as w2c-driver/libcfn.c's table wants it: type,
length and SHA-256 of the code entry (locals and expression, without the size
that prefixes it). With no NAME, the routines libcfn.c knows.

How a new wasi-libc's routines get into the table (docs/abi.md, "Generated
code"): build tests/driver/libc-probe.c with that toolchain, run this on it,
and check each new entry with `make test-diff` on that toolchain.
"""
import hashlib
import sys

KNOWN = ["memcpy", "memset", "strlen", "memchr", "memcmp", "memmove", "strnlen"]
VALTYPES = {0x7F: "i32", 0x7E: "i64", 0x7D: "f32", 0x7C: "f64"}


def leb(buf, pos):
    result = shift = 0
    while True:
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return result, pos


def name(buf, pos):
    n, pos = leb(buf, pos)
    return buf[pos:pos + n].decode("utf-8"), pos + n


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: libc-bodies.py MODULE.wasm [NAME...]")
    want = sys.argv[2:] or KNOWN
    buf = open(sys.argv[1], "rb").read()
    if buf[:8] != b"\0asm\1\0\0\0":
        sys.exit("%s: not a wasm module" % sys.argv[1])
    pos, types, funcs, nimports, bodies, names = 8, [], [], 0, [], {}
    while pos < len(buf):
        sid = buf[pos]
        size, pos = leb(buf, pos + 1)
        end = pos + size
        if sid == 1:
            n, p = leb(buf, pos)
            for _ in range(n):
                np_, p = leb(buf, p + 1)
                params = buf[p:p + np_]
                nr, p = leb(buf, p + np_)
                types.append((params, buf[p:p + nr]))
                p += nr
        elif sid == 2:
            n, p = leb(buf, pos)
            for _ in range(n):
                _, p = name(buf, p)
                _, p = name(buf, p)
                kind = buf[p]
                p += 1
                if kind == 0:
                    nimports += 1
                    _, p = leb(buf, p)
                elif kind == 1:
                    p += 1
                    flags, p = leb(buf, p + 0)
                    _, p = leb(buf, p)
                    if flags & 1:
                        _, p = leb(buf, p)
                elif kind == 2:
                    flags, p = leb(buf, p)
                    _, p = leb(buf, p)
                    if flags & 1:
                        _, p = leb(buf, p)
                elif kind == 3:
                    p += 2
                else:
                    sys.exit("unknown import kind %d" % kind)
        elif sid == 3:
            n, p = leb(buf, pos)
            for _ in range(n):
                t, p = leb(buf, p)
                funcs.append(t)
        elif sid == 10:
            n, p = leb(buf, pos)
            for _ in range(n):
                bsize, p = leb(buf, p)
                bodies.append(buf[p:p + bsize])
                p += bsize
        elif sid == 0:
            sname, p = name(buf, pos)
            if sname == "name":
                while p < end:
                    sub = buf[p]
                    ssize, p = leb(buf, p + 1)
                    if sub == 1:
                        n, q = leb(buf, p)
                        for _ in range(n):
                            idx, q = leb(buf, q)
                            fname, q = name(buf, q)
                            names[fname] = idx
                    p += ssize
        pos = end
    for w in want:
        if w not in names or names[w] < nimports:
            print("%s: not defined in %s" % (w, sys.argv[1]), file=sys.stderr)
            continue
        i = names[w] - nimports
        params, results = types[funcs[i]]
        sig = "(%s) -> (%s)" % (", ".join(VALTYPES.get(t, "?") for t in params),
                                ", ".join(VALTYPES.get(t, "?") for t in results))
        body = bodies[i]
        print("%-8s %-28s %5d %s" % (w, sig, len(body), hashlib.sha256(body).hexdigest()))


if __name__ == "__main__":
    main()
