"""Shared pieces of the training scripts: data loading (digits, 2D toy sets, word lists),
deterministic seeding, the noise schedules, and a safetensors writer (no extra packages).

Every script is deterministic given its --seed on the CPU (torch.use_deterministic_algorithms) and
writes weights to assets/*.safetensors plus golden inputs/outputs to tests/golden/models/.
"""
import json
import math
import os
import struct
import zlib

import numpy as np
import torch

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SHARED = os.path.abspath(os.path.join(ROOT, "..", "shared"))
ASSETS = os.path.join(ROOT, "assets")
GOLDEN = os.path.join(ROOT, "tests", "golden", "models")


def seed_everything(seed):
    torch.manual_seed(seed)
    np.random.seed(seed)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(int(os.environ.get("NOISELAB_TRAIN_THREADS", "1")))


# ---- digits ---------------------------------------------------------------------------------------
def read_png_gray(path):
    """Decodes an 8-bit grayscale, non-interlaced PNG (the digits sheet) with zlib alone."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width, height = 8, b"", 0, 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and color == 0 and interlace == 0, "expected 8-bit gray"
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    img = np.zeros((height, width), dtype=np.int32)
    prev = np.zeros(width, dtype=np.int32)
    stride = width + 1
    for y in range(height):
        f = raw[y * stride]
        line = np.frombuffer(raw[y * stride + 1:(y + 1) * stride], dtype=np.uint8).astype(np.int32)
        out = np.zeros(width, dtype=np.int32)
        if f == 0:
            out = line
        elif f == 2:
            out = (line + prev) & 255
        else:
            for x in range(width):
                a = out[x - 1] if x > 0 else 0
                b = prev[x]
                c = prev[x - 1] if x > 0 else 0
                if f == 1:
                    pred = a
                elif f == 3:
                    pred = (a + b) // 2
                else:  # Paeth
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    pred = a if (pa <= pb and pa <= pc) else (b if pb <= pc else c)
                out[x] = (line[x] + pred) & 255
        img[y] = out
        prev = out
    return img.astype(np.uint8)


def load_digits():
    """5000 digits as float32 [5000, 1, 20, 20] in [-1, 1] and labels [5000] (500 per class).
    Split: the last 50 of each class (index 450..499 within the class) are held out."""
    sheet = read_png_gray(os.path.join(SHARED, "data", "digits.png"))
    tiles = sheet.reshape(50, 20, 100, 20).transpose(0, 2, 1, 3).reshape(5000, 20, 20)
    labels = np.repeat(np.arange(10), 500)
    x = tiles.astype(np.float32) / 127.5 - 1.0
    within = np.tile(np.arange(500), 10)
    train, held = within < 450, within >= 450
    return (torch.from_numpy(x[train][:, None]), torch.from_numpy(labels[train]),
            torch.from_numpy(x[held][:, None]), torch.from_numpy(labels[held]))


# ---- 2D toy data (the same generators as the C++ side, models/toy2d.cpp) --------------------------
TOY_NAMES = ["moons", "swiss_roll", "eight_gaussians", "checkerboard", "spiral"]


def toy2d(name, n, rng):
    if name == "moons":
        t = rng.uniform(0, math.pi, n)
        upper = rng.random(n) < 0.5
        x = np.where(upper, np.cos(t), 1 - np.cos(t))
        y = np.where(upper, np.sin(t), 0.5 - np.sin(t))
        pts = np.stack([x - 0.5, y - 0.25], 1) * 1.6 + rng.normal(0, 0.06, (n, 2))
    elif name == "swiss_roll":
        t = 1.5 * math.pi * (1 + 2 * rng.random(n))
        pts = np.stack([t * np.cos(t), t * np.sin(t)], 1) / 7.0 + rng.normal(0, 0.05, (n, 2))
    elif name == "eight_gaussians":
        k = rng.integers(0, 8, n)
        centers = np.stack([np.cos(k * math.pi / 4), np.sin(k * math.pi / 4)], 1) * 1.6
        pts = centers + rng.normal(0, 0.1, (n, 2))
    elif name == "checkerboard":
        x1 = rng.random(n) * 4 - 2
        x2 = rng.random(n) - rng.integers(0, 2, n) * 2
        x2 = x2 + (np.floor(x1) % 2)
        pts = np.stack([x1, x2], 1) * 0.9
    elif name == "spiral":
        t = np.sqrt(rng.random(n)) * 3 * math.pi
        r = t / (3 * math.pi) * 1.8
        arm = rng.integers(0, 2, n) * math.pi
        pts = np.stack([r * np.cos(t + arm), r * np.sin(t + arm)], 1) + rng.normal(0, 0.04, (n, 2))
    else:
        raise ValueError(name)
    return pts.astype(np.float32)


# ---- words ---------------------------------------------------------------------------------------
def load_words():
    """Lower-case words of a-z only from /usr/share/dict/words (wamerican), plus propernames
    (miscfiles; Debian ships it gzipped as propernames.gz), deduplicated and sorted.
    Split: every 10th word is held out. Returns (train, held_out, sources used)."""
    import gzip
    if not os.path.exists("/usr/share/dict/words"):
        raise SystemExit("/usr/share/dict/words is missing: apt-get install wamerican "
                         "(and miscfiles for /usr/share/dict/propernames.gz)")
    words, sources = set(), []
    for path in ["/usr/share/dict/words", "/usr/share/dict/propernames", "/usr/share/dict/propernames.gz"]:
        if not os.path.exists(path):
            continue
        if "propernames" in path and any("propernames" in s for s in sources):
            continue
        opener = gzip.open if path.endswith(".gz") else open
        n = 0
        with opener(path, "rt", encoding="utf-8", errors="ignore") as f:
            for line in f:
                w = line.strip().lower()
                if 2 <= len(w) <= 16 and all("a" <= c <= "z" for c in w):
                    words.add(w)
                    n += 1
        sources.append(f"{path} ({n} words)")
    if not any("propernames" in s for s in sources):
        print("note: /usr/share/dict/propernames(.gz) not found (apt-get install miscfiles); using wamerican only")
    words = sorted(words)
    return ([w for i, w in enumerate(words) if i % 10 != 0], [w for i, w in enumerate(words) if i % 10 == 0],
            sources)


# ---- schedules -----------------------------------------------------------------------------------
def alpha_bar_linear(T, beta1=1e-4, betaT=0.02):
    betas = np.linspace(beta1, betaT, T, dtype=np.float64)
    return np.cumprod(1 - betas)


def alpha_bar_cosine(T, s=0.008):
    t = np.arange(T + 1, dtype=np.float64) / T
    f = np.cos((t + s) / (1 + s) * math.pi / 2) ** 2
    ab = f[1:] / f[0]
    return np.clip(ab, 1e-5, 1.0)


def noise_level_embedding(alpha_bar, dim=32):
    """Sinusoidal embedding of the noise level: log-SNR scaled, so one network serves both the
    linear and the cosine schedule (trained on a mixture of both)."""
    alpha_bar = torch.as_tensor(alpha_bar, dtype=torch.float32)
    lsnr = torch.log(alpha_bar) - torch.log1p(-alpha_bar)  # log(ab / (1 - ab))
    half = dim // 2
    freqs = torch.exp(-math.log(1000.0) * torch.arange(half, dtype=torch.float32) / half)
    args = (lsnr[:, None] * 25.0) * freqs[None, :]
    return torch.cat([torch.sin(args), torch.cos(args)], dim=1)


# ---- safetensors ---------------------------------------------------------------------------------
_DTYPES = {torch.float32: "F32", torch.int64: "I64", torch.float64: "F64", torch.int32: "I32",
           torch.uint8: "U8"}


def save_safetensors(path, tensors, metadata=None):
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        t = tensors[name].detach().contiguous().cpu()
        raw = t.numpy().tobytes()
        header[name] = {"dtype": _DTYPES[t.dtype], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    if metadata:
        header["__metadata__"] = {k: str(v) for k, v in metadata.items()}
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)
    os.replace(tmp, path)
