#!/usr/bin/env python3
"""Interoperability of tensor/io with independent readers and writers.

    interop_check.py npy|png|safetensors PATH/TO/io_tool

npy: files written by the C++ code are loaded with numpy.load (dtype, shape, values, bit
patterns), and files written by NumPy (Fortran order, big-endian, format 2.0 and 3.0) are read by
the C++ code. png: chunk CRCs are checked with zlib.crc32, pixels decoded with zlib + PNG
unfiltering, text chunks parsed; PNGs built here are read by the C++ walker. safetensors: files
are parsed here by hand (struct + json + numpy) and the other way round.
Exits 77 (skipped) when NumPy is not installed.
"""
import json
import os
import struct
import subprocess
import sys
import tempfile
import zlib

try:
    import numpy as np
except ImportError:
    print("SKIP: numpy is not installed for", sys.executable)
    sys.exit(77)

TOOL = None
FAILURES = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print("FAIL:", what)


def run(*args, expect_rc=0):
    p = subprocess.run([TOOL, *args], capture_output=True, text=True)
    if p.returncode != expect_rc:
        raise SystemExit(f"io_tool {' '.join(args)}: exit {p.returncode} (expected {expect_rc})\n{p.stderr}")
    return p


DTYPES = ["float32", "float16", "bfloat16", "float64", "int64", "int32", "uint8", "bool"]
NUMPY_OF = {"float32": "<f4", "float16": "<f2", "bfloat16": "<f4", "float64": "<f8", "int64": "<i8",
            "int32": "<i4", "uint8": "|u1", "bool": "|b1"}


def formula(name):
    """The [2, 3, 4] tensor io_tool's formula_tensor() writes for dtype `name`."""
    i = np.arange(24, dtype=np.int64)
    if name in ("float32", "bfloat16"):
        v = ((i - 12) * 0.375).astype(np.float32)
    elif name == "float16":
        v = ((i - 12) * 0.375).astype(np.float16)
    elif name == "float64":
        v = (i - 12) / 3.0
    elif name == "int64":
        v = (i - 12) * 1000000000007
    elif name == "int32":
        v = ((i - 12) * 100003).astype(np.int32)
    elif name == "uint8":
        v = ((i * 37) % 256).astype(np.uint8)
    else:
        v = i % 3 == 0
    return v.reshape(2, 3, 4)


def same_values(dumped, arr):
    """Exact comparison of io_tool's JSON values with a numpy array (NaN equals NaN)."""
    flat = np.ascontiguousarray(arr).ravel()
    if len(dumped) != flat.size:
        return False
    for got, want in zip(dumped, flat.tolist()):
        if isinstance(want, float) and want != want:
            if got == got:
                return False
        elif got != want:
            return False
    return True


# ---- npy -----------------------------------------------------------------------------------------

def check_npy(tmp):
    run("write-npy", tmp)
    for name in DTYPES:
        path = os.path.join(tmp, name + ".npy")
        with open(path, "rb") as f:
            version = np.lib.format.read_magic(f)
            shape, fortran, dtype = np.lib.format._read_array_header(f, version)
            check(f.tell() % 64 == 0, f"{name}: data starts at {f.tell()}, not 64-byte aligned")
        check(version == (1, 0), f"{name}: version {version}")
        check(not fortran, f"{name}: fortran_order")
        a = np.load(path, allow_pickle=False)
        check(a.dtype == np.dtype(NUMPY_OF[name]), f"{name}: numpy dtype {a.dtype.str}")
        check(a.shape == (2, 3, 4), f"{name}: shape {a.shape}")
        check(np.array_equal(a, formula(name)), f"{name}: values {a.ravel()[:6]}...")
    s = np.load(os.path.join(tmp, "special.npy"))
    want = [0x00000000, 0x80000000, 0x7F800000, 0xFF800000, 0x7FC00000, 0x00000001, 0x7F7FFFFF]
    check(s.dtype == np.float32 and s.view("<u4").tolist() == want, f"special: bits {s.view('<u4').tolist()}")
    sc = np.load(os.path.join(tmp, "scalar.npy"))
    check(sc.shape == () and sc.dtype == np.float64 and float(sc) == -7.25, f"scalar: {sc!r}")
    e = np.load(os.path.join(tmp, "empty.npy"))
    check(e.shape == (0, 5) and e.dtype == np.int32, f"empty: {e.shape} {e.dtype}")
    t = np.load(os.path.join(tmp, "transposed.npy"))
    check(t.tolist() == [[0, 3], [1, 4], [2, 5]] and t.dtype == np.int64, f"transposed: {t.tolist()}")

    # NumPy writes, C++ reads.
    cases = {
        "fortran": np.asfortranarray(np.arange(24, dtype="<i4").reshape(2, 3, 4) - 5),
        "fortran_bool": np.asfortranarray(np.array([[True, False, True], [False, False, True]])),
        "be_f8": np.arange(6, dtype=">f8").reshape(3, 2) / 7,
        "be_i8": np.array([2**62 + 1, -3], dtype=">i8"),
        "be_f4_fortran": np.asfortranarray((np.arange(6, dtype=">f4") - 2.5).reshape(2, 3)),
        "u1": np.arange(250, 256, dtype=np.uint8),
        "f2": np.array([0.5, -2, 65504, np.inf, -np.inf, np.nan, 6e-8], dtype="<f2"),
        "scalar": np.array(1.5, dtype=np.float32),
        "empty": np.zeros((3, 0), dtype="<f4"),
    }
    for name, arr in cases.items():
        path = os.path.join(tmp, "np_" + name + ".npy")
        np.save(path, arr)
        check_dump(name, path, arr)
    for version in ((2, 0), (3, 0)):
        arr = np.arange(5, dtype="<i8") * 10**15 + 1
        path = os.path.join(tmp, f"np_v{version[0]}.npy")
        with open(path, "wb") as f:
            np.lib.format.write_array(f, arr, version=version)
        check_dump(f"version {version}", path, arr)

    # Refusals, with the reason on stderr.
    np.save(os.path.join(tmp, "i2.npy"), np.arange(3, dtype="<i2"))
    p = run("dump-npy", os.path.join(tmp, "i2.npy"), expect_rc=2)
    check("unsupported dtype '<i2'" in p.stderr, "i2: " + p.stderr)
    np.save(os.path.join(tmp, "obj.npy"), np.array([{}], dtype=object), allow_pickle=True)
    p = run("dump-npy", os.path.join(tmp, "obj.npy"), expect_rc=2)
    check("unsupported dtype '|O'" in p.stderr, "object: " + p.stderr)
    data = open(os.path.join(tmp, "np_fortran.npy"), "rb").read()
    with open(os.path.join(tmp, "cut.npy"), "wb") as f:
        f.write(data[:-5])
    p = run("dump-npy", os.path.join(tmp, "cut.npy"), expect_rc=2)
    check("truncated" in p.stderr and "cut.npy" in p.stderr, "cut: " + p.stderr)


def check_dump(name, path, arr):
    d = json.loads(run("dump-npy", path).stdout)
    want_dtype = {"f4": "float32", "f2": "float16", "f8": "float64", "i8": "int64", "i4": "int32",
                  "u1": "uint8", "b1": "bool"}[arr.dtype.str[1:]]
    check(d["dtype"] == want_dtype, f"{name}: C++ dtype {d['dtype']}, numpy {arr.dtype.str}")
    check(d["shape"] == list(arr.shape), f"{name}: C++ shape {d['shape']}, numpy {arr.shape}")
    check(same_values(d["values"], arr), f"{name}: C++ values {d['values'][:8]} vs {arr.ravel()[:8]}")


# ---- png -----------------------------------------------------------------------------------------

def chunks(data):
    """(type, body) of every chunk, checking each CRC with zlib."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "signature"
    pos, out = 8, []
    while pos < len(data):
        (n,) = struct.unpack(">I", data[pos:pos + 4])
        ctype, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + n]
        (crc,) = struct.unpack(">I", data[pos + 8 + n:pos + 12 + n])
        check(zlib.crc32(ctype + body) & 0xFFFFFFFF == crc, f"CRC of {ctype} at {pos}")
        out.append((ctype.decode("ascii"), body))
        pos += 12 + n
    return out


def unfilter(raw, w, h, c):
    """PNG filter types 0-4 (8-bit samples), as the specification defines them."""
    stride, out, prev = w * c, [], bytearray(w * c)
    for y in range(h):
        ft, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - c] if x >= c else 0
            b = prev[x]
            cc = prev[x - c] if x >= c else 0
            if ft == 1:
                line[x] = (line[x] + a) & 0xFF
            elif ft == 2:
                line[x] = (line[x] + b) & 0xFF
            elif ft == 3:
                line[x] = (line[x] + (a + b) // 2) & 0xFF
            elif ft == 4:
                p = a + b - cc
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - cc)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else cc)
                line[x] = (line[x] + pred) & 0xFF
            else:
                check(ft == 0, f"filter type {ft}")
        out += line
        prev = line
    return bytes(out)


def make_chunk(ctype, body):
    return struct.pack(">I", len(body)) + ctype + body + struct.pack(">I", zlib.crc32(ctype + body) & 0xFFFFFFFF)


def check_png(tmp):
    run("write-png", tmp)
    for c, color_type in ((1, 0), (3, 2), (4, 6)):
        data = open(os.path.join(tmp, f"c{c}.png"), "rb").read()
        cs = chunks(data)
        types = [t for t, _ in cs]
        check(types[0] == "IHDR" and types[-1] == "IEND", f"c{c}: chunk order {types}")
        check(types.index("iTXt") > types.index("IDAT") and types.index("tEXt") > types.index("IDAT"), f"c{c}: {types}")
        w, h, depth, ct, comp, filt, inter = struct.unpack(">IIBBBBB", cs[0][1])
        check((w, h, depth, ct, inter) == (9, 7, 8, color_type, 0), f"c{c}: IHDR {w}x{h} depth {depth} type {ct}")
        raw = zlib.decompress(b"".join(b for t, b in cs if t == "IDAT"))
        px = unfilter(raw, w, h, c)
        want = bytes((x * 31 + y * 17 + k * 101) % 256 for y in range(h) for x in range(w) for k in range(c))
        check(px == want, f"c{c}: pixels differ")
        texts = {}
        for t, body in cs:
            if t == "tEXt":
                k, v = body.split(b"\0", 1)
                texts[k.decode("latin-1")] = v.decode("latin-1")
            elif t == "iTXt":
                k, rest = body.split(b"\0", 1)
                check(rest[:2] == b"\0\0", "iTXt uncompressed")
                lang, tk, text = rest[2:].split(b"\0", 2)
                texts[k.decode("latin-1")] = text.decode("utf-8")
        check(texts.get("Software") == "Noise Lab (café)", f"Software: {texts.get('Software')!r}")
        recipe = json.loads(texts["noiselab-recipe"])
        check(recipe["format"] == "noiselab-recipe" and recipe["op"] == "normal" and recipe["shape"] == [1, 7, 9]
              and recipe["seed"] == 42 and recipe["extra"]["note"] == "σ ✓", f"recipe: {recipe}")

    # Python writes, C++ reads: a 3x2 gray image with every kind of text chunk.
    raw = b"".join(b"\0" + bytes([y * 3 + x for x in range(3)]) for y in range(2))
    png = b"\x89PNG\r\n\x1a\n" + make_chunk(b"IHDR", struct.pack(">IIBBBBB", 3, 2, 8, 0, 0, 0, 0))
    png += make_chunk(b"tEXt", b"Author\0" + "Zoë".encode("latin-1"))
    png += make_chunk(b"zTXt", b"Comment\0\0" + zlib.compress(b"skipped"))
    png += make_chunk(b"iTXt", b"Title\0\0\0en\0Titel\0" + "naïve σ".encode("utf-8"))
    png += make_chunk(b"iTXt", b"Packed\0\1\0\0\0" + zlib.compress(b"skipped"))
    png += make_chunk(b"IDAT", zlib.compress(raw)) + make_chunk(b"IEND", b"")
    path = os.path.join(tmp, "py.png")
    open(path, "wb").write(png)
    d = json.loads(run("dump-png", path).stdout)
    check((d["width"], d["height"], d["channels"], d["bit_depth"]) == (3, 2, 1, 8), f"py.png: {d}")
    check(d["texts"] == [["Author", "Zoë", "tEXt"], ["Title", "naïve σ", "iTXt"]], f"py.png texts: {d['texts']}")
    bad = bytearray(png)
    bad[png.index(b"IDAT") + 6] ^= 1
    open(path, "wb").write(bad)
    p = run("dump-png", path, expect_rc=2)
    check("CRC mismatch in chunk 'IDAT'" in p.stderr, "corrupt py.png: " + p.stderr)


# ---- safetensors ---------------------------------------------------------------------------------

ST_NUMPY = {"F32": "<f4", "F16": "<f2", "F64": "<f8", "I64": "<i8", "I32": "<i4", "U8": "u1", "BOOL": "?"}


def st_array(code, buf, shape):
    if code == "BF16":
        return (np.frombuffer(buf, "<u2").astype("<u4") << 16).view("<f4").reshape(shape)
    return np.frombuffer(buf, ST_NUMPY[code]).reshape(shape)


def check_safetensors(tmp):
    run("write-safetensors", tmp)
    data = open(os.path.join(tmp, "all.safetensors"), "rb").read()
    (n,) = struct.unpack("<Q", data[:8])
    check(n % 8 == 0, f"header length {n} not a multiple of 8")
    header = json.loads(data[8:8 + n])
    check(header.pop("__metadata__") == {"format": "pt", "source": "io_tool"}, "metadata")
    spans = sorted(tuple(v["data_offsets"]) for v in header.values())
    end = 0
    for b, e in spans:
        check(b == end, f"offsets do not tile the data area: {spans}")
        end = e
    check(8 + n + end == len(data), "data area size")
    want_code = {"float32": "F32", "float16": "F16", "bfloat16": "BF16", "float64": "F64", "int64": "I64",
                 "int32": "I32", "uint8": "U8", "bool": "BOOL"}
    for name in DTYPES:
        v = header[name]
        check(v["dtype"] == want_code[name] and v["shape"] == [2, 3, 4], f"{name}: {v}")
        b, e = v["data_offsets"]
        a = st_array(v["dtype"], data[8 + n + b:8 + n + e], v["shape"])
        check(np.array_equal(a, formula(name)), f"{name}: values {a.ravel()[:6]}")
    v = header["scalar"]
    check(v["shape"] == [] and st_array("F32", data[8 + n + v["data_offsets"][0]:8 + n + v["data_offsets"][1]], []) == 3.5,
          "scalar")

    # Python writes (reverse order, unpadded header), C++ reads.
    arrays = {"z_weight": np.arange(6, dtype="<f4").reshape(2, 3) - 1.5, "a_bias": np.array([7, -8], dtype="<i8"),
              "m_mask": np.array([True, False, True]), "h_half": np.array([0.25, -1], dtype="<f2")}
    bf = np.array([1.0, -2.5, 3.140625], dtype="<f4")
    blobs, head, off = [], {"__metadata__": {"who": "python"}}, 0
    for name in sorted(arrays, reverse=True):
        buf = arrays[name].tobytes()
        head[name] = {"dtype": {"f4": "F32", "i8": "I64", "b1": "BOOL", "f2": "F16"}[arrays[name].dtype.str[1:]],
                      "shape": list(arrays[name].shape), "data_offsets": [off, off + len(buf)]}
        blobs.append(buf)
        off += len(buf)
    bbuf = (bf.view("<u4") >> 16).astype("<u2").tobytes()
    head["bf"] = {"dtype": "BF16", "shape": [3], "data_offsets": [off, off + len(bbuf)]}
    blobs.append(bbuf)
    htext = json.dumps(head).encode()
    path = os.path.join(tmp, "py.safetensors")
    open(path, "wb").write(struct.pack("<Q", len(htext)) + htext + b"".join(blobs))
    d = json.loads(run("dump-safetensors", path).stdout)
    check(d["metadata"] == {"who": "python"}, f"py metadata {d['metadata']}")
    for name, arr in arrays.items():
        t = d["tensors"][name]
        check(t["shape"] == list(arr.shape) and same_values(t["values"], arr), f"py {name}: {t}")
    check(d["tensors"]["bf"]["dtype"] == "bfloat16" and d["tensors"]["bf"]["values"] == bf.tolist(),
          f"py bf: {d['tensors']['bf']}")
    open(path, "wb").write(struct.pack("<Q", len(htext)) + htext + b"".join(blobs)[:-1])
    p = run("dump-safetensors", path, expect_rc=2)
    check("py.safetensors" in p.stderr, "truncated safetensors: " + p.stderr)


def main():
    global TOOL
    if len(sys.argv) != 3 or sys.argv[1] not in ("npy", "png", "safetensors"):
        raise SystemExit(__doc__)
    TOOL = sys.argv[2]
    with tempfile.TemporaryDirectory(prefix="nl_io_interop.") as tmp:
        {"npy": check_npy, "png": check_png, "safetensors": check_safetensors}[sys.argv[1]](tmp)
    if FAILURES:
        print(f"{len(FAILURES)} check(s) failed")
        return 1
    print(f"OK: {sys.argv[1]} interop with numpy {np.__version__} / zlib {zlib.ZLIB_VERSION}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
