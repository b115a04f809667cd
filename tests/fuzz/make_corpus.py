#!/usr/bin/env python3
"""make_corpus.py - write the seed corpus of the fuzz targets.

tests/fuzz/corpus/<target>/ is committed; this script says how its seeds were
made (run it again after changing an input layout). The layouts are those the
targets read (fuzz_decoders.c, fuzz_formatters.c, fuzz_util.h: fz_value takes
one selector byte, then 1 byte if the selector is 64..127, 8 bytes if >= 128).
"""
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
MEM_BASE = 0x10000


def val(v):
    """fz_value encoding of a raw 64-bit value"""
    return bytes([0xFF]) + struct.pack("<Q", v & (2**64 - 1))


def junk_memory():
    """strings (junk and plain), pointer arrays into the region, a clone_args"""
    m = bytearray()
    m += b"/bin/\xff\x1b[31m\"\\\n\x01\x00"  # 0: hostile path
    m += b"runc\x00init\x00"  # 15, 20
    while len(m) % 8:
        m += b"\x00"
    argv_at = len(m)
    m += struct.pack("<QQQQ", MEM_BASE, MEM_BASE + 15, MEM_BASE + 20, 0)
    clone_at = len(m)
    # clone_args: flags NEWNS|NEWPID|NEWUSER, pidfd, child_tid, parent_tid, exit_signal, stack...
    m += struct.pack("<11Q", 0x00020000 | 0x20000000 | 0x10000000, MEM_BASE, 0, 0, 17, 0, 0, 0, 0, 0, 0)
    m += b"A" * 300  # a long string with no NUL to the end of the region
    return bytes(m), argv_at, clone_at


def decoders():
    mem, argv_at, clone_at = junk_memory()
    seeds = {}
    # sweeps: every syscall number, pointers into the region (opt bit 64)
    ptrs = b"".join(val(MEM_BASE + off) for off in (0, argv_at, argv_at, 16, 0, clone_at))
    small = b"".join(val(x) for x in (3, 1, 0, 2**64 - 1, 4096, 17))
    for name, opt, args in (("sweep-region", 64, ptrs), ("sweep-wrap", 64 | 1, ptrs),
                            ("sweep-raw", 64, small), ("sweep-verbose-s4096", 64 | 16 | (5 << 1), ptrs)):
        seeds[name] = args + val(0) + bytes([opt]) + b"\x00" * 8 + bytes([0]) + mem
    # single calls with their memory: (name, nr, args, into_mem)
    calls = [
        ("execve", 59, (0, argv_at, argv_at, 0, 0, 0), 0x07),
        ("clone3", 435, (clone_at, 88, 0, 0, 0, 0), 0x01),
        ("clone3-size0", 435, (clone_at, 0, 0, 0, 0, 0), 0x01),
        ("clone3-size4096", 435, (clone_at, 4096, 0, 0, 0, 0), 0x01),
        ("mount", 165, (0, 15, 20, 0x1000, 0, 0), 0x07),
        ("openat", 257, (2**64 - 100, 0, 0o101, 0o644, 0, 0), 0x02),
        ("prctl-name", 157, (15, 0, 0, 0, 0, 0), 0x02),
        ("unshare", 272, (0x7E020000, 0, 0, 0, 0, 0), 0),
        ("setns", 308, (3, 0x40000000, 0, 0, 0, 0), 0),
        ("sethostname", 170, (0, 64, 0, 0, 0, 0), 0x01),
        ("write-uid-map", 1, (3, 0, 40, 0, 0, 0), 0x02),
        ("mount_setattr", 442, (2**64 - 100, 0, 0x8000, clone_at, 32, 0), 0x0A),
        ("capset", 126, (clone_at, clone_at, 0, 0, 0, 0), 0x03),
        ("seccomp", 317, (1, 0, clone_at, 0, 0, 0), 0x04),
    ]
    for name, nr, args, into in calls:
        a = b"".join(val(MEM_BASE + x if into & (1 << i) else x) for i, x in enumerate(args))
        pick = struct.pack("<HHHH", nr + 1, nr + 1, 0, 60)  # nr, nr again, read(-1 .. ), exit
        seeds[name] = a + val(0) + bytes([0]) + pick + bytes([0]) + mem
        seeds[name + "-fail"] = a + val(2**64 - 14) + bytes([1]) + pick + bytes([0]) + mem
    # regression: an envp with no NULL in memory that never ends (wrap mode
    # over non-zero bytes) must not make the decoder count forever
    a = b"".join(val(x) for x in (0, 0, MEM_BASE, 0, 0, 0))
    seeds["envp-unterminated"] = a + val(0) + bytes([1]) + struct.pack("<HHHH", 60, 60, 60, 60) + bytes([0]) + b"\xff" * 64
    return seeds


def formatters():
    seeds = {}
    # opt, number of events, then bytes: all zeros is a stream of minimal
    # events; 0xff bytes give NULL strings and long values; a mix of both.
    seeds["zeros"] = bytes([0, 15]) + b"\x00" * 400
    seeds["ones"] = bytes([8, 3]) + b"\xff" * 600
    seeds["mixed"] = bytes([9, 7]) + bytes((i * 37 + 11) & 0xFF for i in range(2000))
    seeds["strings"] = bytes([2, 5]) + (b"\x0b\x01\x80\xff\x1b\"\\\n\x7f\xc3\x28\x09\x00" * 120)
    seeds["end-summary"] = bytes([0, 0, 11, 0xFF, 0xC0]) + bytes((i * 101 + 7) & 0xFF for i in range(3000))
    return seeds


def main():
    for target, seeds in (("decoders", decoders()), ("formatters", formatters())):
        d = os.path.join(HERE, "corpus", target)
        os.makedirs(d, exist_ok=True)
        for name, data in seeds.items():
            with open(os.path.join(d, "seed-" + name), "wb") as f:
                f.write(data)
        print(f"{target}: {len(seeds)} seeds in {d}", file=sys.stderr)


if __name__ == "__main__":
    main()
