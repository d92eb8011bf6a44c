#!/usr/bin/python3
# Writes the seed corpora in fuzz/corpus/<target>/ (committed; rerun only to regenerate them):
# small valid files of every kind each parser accepts, plus a few near misses, so libFuzzer starts
# from inputs that reach deep into each parser. Needs Debian's python3 with NumPy.
import io, json, os, struct, zlib
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))

def put(target, name, data):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)

# ---- .npy: every dtype, orders, endiannesses, format versions, empty and 0-d arrays
def npy_bytes(a, version=None):
    b = io.BytesIO()
    if version is None:
        np.save(b, a)
    else:
        np.lib.format.write_array(b, a, version=version)
    return b.getvalue()

rng = np.random.default_rng(1)
for dt in ["<f4", "<f2", "<f8", "<i8", "<i4", "|u1", "|b1", ">f4", ">i8", ">f2"]:
    a = (rng.standard_normal((2, 3)) * 10).astype(dt)
    put("fuzz_npy", "c_%s.npy" % dt.replace("<", "le").replace(">", "be").replace("|", ""), npy_bytes(a))
put("fuzz_npy", "fortran.npy", npy_bytes(np.asfortranarray(rng.standard_normal((3, 4)).astype("<f4"))))
put("fuzz_npy", "v2.npy", npy_bytes(np.arange(5, dtype="<i4"), version=(2, 0)))
put("fuzz_npy", "v3.npy", npy_bytes(np.arange(5, dtype="<i4"), version=(3, 0)))
put("fuzz_npy", "scalar.npy", npy_bytes(np.array(3.5, dtype="<f8")))
put("fuzz_npy", "empty.npy", npy_bytes(np.zeros((0, 4), dtype="<f4")))
put("fuzz_npy", "rank4.npy", npy_bytes(np.ones((1, 2, 1, 3), dtype="|u1")))
put("fuzz_npy", "truncated.npy", npy_bytes(np.arange(16, dtype="<f8"))[:-5])

# ---- safetensors
def st_bytes(tensors, metadata=None, pad=True):
    header, data, off = {}, b"", 0
    for name, (dt, shape, raw) in tensors.items():
        header[name] = {"dtype": dt, "shape": shape, "data_offsets": [off, off + len(raw)]}
        data += raw
        off += len(raw)
    if metadata is not None:
        header["__metadata__"] = metadata
    h = json.dumps(header, separators=(",", ":")).encode()
    if pad:
        h += b" " * ((8 - len(h) % 8) % 8)
    return struct.pack("<Q", len(h)) + h + data

f32 = np.arange(6, dtype="<f4").tobytes()
put("fuzz_safetensors", "one.safetensors", st_bytes({"w": ("F32", [2, 3], f32)}))
put("fuzz_safetensors", "meta.safetensors",
    st_bytes({"a": ("I64", [2], np.array([1, -2], "<i8").tobytes()), "b": ("U8", [3], b"\x01\x02\x03")},
             {"format": "pt", "note": "seed"}))
put("fuzz_safetensors", "all_dtypes.safetensors", st_bytes({
    "f16": ("F16", [2], np.array([1, 2], "<f2").tobytes()),
    "bf16": ("BF16", [2], b"\x80\x3f\x00\x40"),
    "f64": ("F64", [1], np.array([0.5], "<f8").tobytes()),
    "i32": ("I32", [1, 1], np.array([7], "<i4").tobytes()),
    "bool": ("BOOL", [3], b"\x00\x01\x00"),
    "scalar": ("F32", [], np.array([2.0], "<f4").tobytes()),
    "empty": ("F32", [0, 5], b""),
}))
put("fuzz_safetensors", "empty_file.safetensors", st_bytes({}))
put("fuzz_safetensors", "overlap.safetensors",
    struct.pack("<Q", 80) + json.dumps({"a": {"dtype": "U8", "shape": [2], "data_offsets": [0, 2]},
                                        "b": {"dtype": "U8", "shape": [2], "data_offsets": [1, 3]}})[:80].ljust(80).encode() + b"abc")

# ---- PNG: tiny images with tEXt / iTXt chunks, a noiselab-recipe, several colour types
def chunk(typ, data):
    return struct.pack(">I", len(data)) + typ + data + struct.pack(">I", zlib.crc32(typ + data) & 0xffffffff)

def png(w, h, color_type, bit_depth, texts=(), interlace=0):
    ch = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[color_type]
    row = 1 + (w * ch * bit_depth + 7) // 8
    raw = b"".join(b"\x00" + bytes((i * 7 + j) & 0xff for j in range(row - 1)) for i in range(h))
    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, bit_depth, color_type, 0, 0, interlace))
    if color_type == 3:
        out += chunk(b"PLTE", bytes(range(48)))
    for kind, key, text in texts:
        if kind == "tEXt":
            out += chunk(b"tEXt", key.encode("latin-1") + b"\0" + text.encode("latin-1"))
        else:
            out += chunk(b"iTXt", key.encode() + b"\0\0\0\0\0" + text.encode())
    out += chunk(b"IDAT", zlib.compress(raw))
    return out + chunk(b"IEND", b"")

RECIPE = {"format": "noiselab-recipe", "version": 1, "op": "normal", "params": {"mean": 0.0, "std": 1.0},
          "shape": [16, 1, 28, 28], "dtype": "float32", "device": "cpu", "seed": 42, "offset": 0, "stream": 0,
          "stream_version": 1, "tensor_hash": "0123456789abcdef", "extra": {"colormap": "viridis", "range": "sigma:3"}}
put("fuzz_png", "gray8.png", png(4, 3, 0, 8))
put("fuzz_png", "rgba_recipe.png", png(2, 2, 6, 8, [("iTXt", "noiselab-recipe", json.dumps(RECIPE)),
                                                  ("tEXt", "Software", "Noise Lab 0.1.0")]))
put("fuzz_png", "palette.png", png(3, 3, 3, 4, [("tEXt", "Comment", "caf\xe9")]))
put("fuzz_png", "gray16_interlaced.png", png(5, 2, 0, 16, interlace=1))
put("fuzz_png", "rgb_after_iend.png", png(1, 1, 2, 8) + b"trailing")
put("fuzz_png", "bad_crc.png", png(2, 2, 4, 8)[:-1] + b"\x00")

# ---- recipe JSON (sessions, lesson presets, PNG recipes)
put("fuzz_recipe", "normal.json", json.dumps(RECIPE, indent=2))
put("fuzz_recipe", "multinomial.json", json.dumps(dict(RECIPE, op="multinomial", params={"num_samples": 4.0, "replacement": "true"},
                                                     probs=[0.1, 0.2, 0.7], shape=[3], dtype="int64")))
put("fuzz_recipe", "randint_cuda.json", json.dumps(dict(RECIPE, op="randint", params={"low": -5.0, "high": 10.0},
                                                       dtype="int32", device="cuda:0", seed=18446744073709551615,
                                                       offset=12345678901234, stream=4294967295, tensor_hash="")))
put("fuzz_recipe", "minimal.json", '{"op":"uniform","shape":[],"dtype":"float16","device":"cpu","seed":0,"offset":0,"stream":0,"stream_version":1}')
put("fuzz_recipe", "session_extra.json", json.dumps(dict(RECIPE, extra={"live": True, "seed_history": [1, 2, 3],
                                                                       "views": {"grid": {"columns": 8, "scale": 2}}})))
put("fuzz_recipe", "bad_version.json", json.dumps(dict(RECIPE, version=99)))
put("fuzz_recipe", "unknown_field.json", json.dumps(dict(RECIPE, colour="red")))

# ---- app sessions (byte 1 + JSON) and --script texts (byte 0 + text)
SESSION_EXTRA = {"app": "noiselab-gui", "software": "Noise Lab 0.1.0", "image": "session", "colormap": "viridis",
                 "range": "fixed:-2,2", "next_offset": 1234, "generator": "local", "engine": "philox",
                 "histogram": {"bins": "auto", "range": [-3.0, 3.0], "log": False, "theory": True, "qq": False},
                 "view": {"mode": "image", "rgb": False, "channel": 0, "max_images": 64, "zoom": "fit",
                          "pan": [0.0, 0.0], "point_radius": 1.5}, "live": False, "seed_history": [1, 2, 3]}
put("fuzz_session", "session.json", b"\x01" + json.dumps(dict(RECIPE, extra=SESSION_EXTRA), indent=2).encode())
put("fuzz_session", "uniform.json", b"\x01" + json.dumps(dict(RECIPE, op="uniform", params={"low": -1.0, "high": 2.0},
                                                            shape=[8, 3, 16, 16], extra={})).encode())
put("fuzz_session", "bernoulli.json", b"\x01" + json.dumps(dict(RECIPE, op="bernoulli", params={"p": 0.3},
                                                              shape=[100], dtype="float16", extra={"generator": "global"})).encode())
put("fuzz_session", "bad_stream.json", b"\x03" + json.dumps(dict(RECIPE, stream=3)).encode())
for i, s in enumerate(["seed=7", "frame 5: seed=7 dist=uniform high=3; frame 10: log=on",
                       "dist=normal mean=1 std=0.5 shape=16,1,8,8 dtype=bfloat16", "range=sigma:2 colormap=diverging zoom=4 pan=3,-2",
                       "bins=auto; bins=50 qq=on theory=off", "view=scatter shape=1000,2", "frame 0: seed=1", "live=on; frame 3: resample",
                       "mouse=10,20 channel=2 rgb=on", "generator=local engine=philox device=cuda:1"]):
    put("fuzz_session", "script%02d" % i, b"\x00" + s.encode())

# ---- command-line values
for i, s in enumerate(["64,1,28,28", "[64, 1, 28, 28]", "64x1x28x28", "1", "3,,4", "-1", "1e99", "0",
                       "1099511627776", "1024,1024,1024,1025", " 2 , 3 ", "1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1"]):
    put("fuzz_cli_shape", "s%02d" % i, s)
nums = [(0, "0.1,0.2,0.7"), (0, "1e-300,5e-324,1.7976931348623157e308"), (0x80, "-inf,0,1"), (0, ",,"),
        (1, "-2e-3"), (1, "nan"), (1, "0x1p-3"), (2, "-1000000"), (2, "12abc"), (3, "0xffffffff"),
        (0x83, "18446744073709551615"), (3, "4294967296"), (4, "minmax"), (4, "sigma:3"), (4, "fixed:-1,1"),
        (4, "fixed:1,1"), (4, "sigma:-2"), (4, "quantile:0.01"), (4, "quantile:0.5")]
for i, (b, s) in enumerate(nums):
    put("fuzz_cli_numbers", "n%02d" % i, bytes([b]) + s.encode())
