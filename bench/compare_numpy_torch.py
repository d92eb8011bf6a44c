#!/usr/bin/python3
"""Noise Lab's CPU random ops next to NumPy and PyTorch, on the same sizes, in the same run.

For each op it runs `noiselab bench --csv --cpu` (median of --repeat runs), then the NumPy and
PyTorch equivalents (median of as many runs, after one warm-up), and prints samples/s and the
ratios. It also measures process CPU time: on a machine busy with other work the wall-clock rates
shrink with the share of the cores this run gets, while samples per CPU-second do not; --cpu-table
prints those instead (for noiselab, whose threads all count, they are per core).
PyTorch is optional: without it (Debian: apt-get install python3-torch) its columns say "-".

    /usr/bin/python3 bench/compare_numpy_torch.py --noiselab build/app/noiselab --threads 2
    ... --markdown    (the table of docs/PERFORMANCE.md)
"""
import argparse
import datetime
import os
import platform
import statistics
import subprocess
import sys
import time

import numpy as np

try:
    import torch
except ImportError:  # optional
    torch = None

# op -> (n, noiselab dtype, description). Sizes of the targets in docs/PERFORMANCE.md.
OPS = {
    "rand": (1 << 26, "float32", "new float32 tensor, U[0,1)"),
    "randn": (1 << 26, "float32", "new float32 tensor, N(0,1)"),
    "normal_": (1 << 26, "float32", "N(0,1) into an existing float32 buffer"),
    "randint": (1 << 24, "int64", "int64 in [0, 100)"),
    "bernoulli": (1 << 24, "float32", "p = 0.5, new tensor"),
    "randperm": (10_000_000, "int64", "permutation of 10^7"),
    "multinomial": (10_000_000, "float32", "10^7 draws with replacement over 3 categories"),
    "sample_logits": (64 * 50_000, "float32", "one draw per row of 64 x 50,000 logits, T = 0.8"),
}
ROWS, TEMPERATURE = 64, 0.8


def median_time(fn, repeat):
    """(median wall seconds, median process CPU seconds) of fn()."""
    fn()  # warm-up
    times, cpu = [], []
    for _ in range(repeat):
        c0, t0 = time.process_time(), time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return statistics.median(times), statistics.median(cpu)


def numpy_call(op, n):
    rng = np.random.default_rng(0)
    if op == "rand":
        return lambda: rng.random(n, dtype=np.float32)
    if op == "randn":
        return lambda: rng.standard_normal(n, dtype=np.float32)
    if op == "normal_":
        buf = np.empty(n, dtype=np.float32)
        return lambda: rng.standard_normal(out=buf, dtype=np.float32)
    if op == "randint":
        return lambda: rng.integers(0, 100, n)
    if op == "bernoulli":
        return lambda: rng.random(n, dtype=np.float32) < 0.5
    if op == "randperm":
        return lambda: rng.permutation(n)
    if op == "multinomial":
        p = np.array([1.0, 2.0, 3.0]) / 6.0
        return lambda: rng.choice(3, size=n, p=p)
    if op == "sample_logits":
        logits = rng.standard_normal((ROWS, n // ROWS), dtype=np.float32)

        def draw():
            z = logits / np.float32(TEMPERATURE)
            p = np.exp(z - z.max(axis=1, keepdims=True))
            c = np.cumsum(p, axis=1)
            u = rng.random(ROWS) * c[:, -1]
            return (c < u[:, None]).sum(axis=1)

        return draw
    raise ValueError(op)


def torch_call(op, n):
    if op == "rand":
        return lambda: torch.rand(n)
    if op == "randn":
        return lambda: torch.randn(n)
    if op == "normal_":
        buf = torch.empty(n)
        return lambda: buf.normal_()
    if op == "randint":
        return lambda: torch.randint(0, 100, (n,))
    if op == "bernoulli":
        return lambda: torch.empty(n).bernoulli_(0.5)
    if op == "randperm":
        return lambda: torch.randperm(n)
    if op == "multinomial":
        p = torch.tensor([1.0, 2.0, 3.0])
        return lambda: torch.multinomial(p, n, replacement=True)
    if op == "sample_logits":
        logits = torch.randn(ROWS, n // ROWS)
        return lambda: torch.multinomial(torch.softmax(logits / TEMPERATURE, dim=-1), 1)
    raise ValueError(op)


def noiselab_rate(exe, op, n, threads, repeat, simd):
    cmd = [exe, "bench", "--device", "cpu", "--op", op, "--n", str(n), "--threads", str(threads),
           "--repeat", str(repeat), "--csv", "--cpu"]
    if simd:
        cmd += ["--simd", simd]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip().splitlines()
    row = dict(zip(out[0].split(","), out[-1].split(",")))
    return float(row["median_s"]), float(row["cpu_s"])


def machine():
    model = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return f"{model}, {os.cpu_count()} CPUs, load average {load:.1f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--noiselab", default="build/app/noiselab", help="the noiselab executable")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--ops", default=",".join(OPS), help="comma-separated subset of " + ",".join(OPS))
    ap.add_argument("--simd", default="", help="noiselab's SIMD level (default: the best)")
    ap.add_argument("--markdown", action="store_true", help="a Markdown table")
    ap.add_argument("--cpu-table", action="store_true",
                    help="samples per CPU-second instead of per wall second (robust to a busy machine)")
    args = ap.parse_args()
    if not os.access(args.noiselab, os.X_OK):
        sys.exit(f"compare_numpy_torch.py: {args.noiselab} is not an executable (build it, or pass --noiselab)")
    if torch is not None:
        torch.set_num_threads(args.threads)
        torch.manual_seed(0)

    ops = [o for o in args.ops.split(",") if o]
    for o in ops:
        if o not in OPS:
            sys.exit(f"compare_numpy_torch.py: unknown op {o!r}; valid: {', '.join(OPS)}")
    print(f"# {datetime.date.today().isoformat()}; {machine()}; threads {args.threads}; "
          f"NumPy {np.__version__} (1 thread); PyTorch {torch.__version__ if torch else 'absent'}"
          f"{f' ({args.threads} threads)' if torch else ''}; median of {args.repeat} runs")
    unit = "M/CPU-s" if args.cpu_table else "M/s"
    head = ["op", "n", f"noiselab {unit}", f"NumPy {unit}", f"PyTorch {unit}", "vs NumPy", "vs PyTorch",
            "noiselab ms", "noiselab CPU ms"]
    rows = []
    if not args.markdown:
        print("  ".join(f"{c:>15}" for c in head), flush=True)
    pick = 1 if args.cpu_table else 0
    for op in ops:
        n, _, _ = OPS[op]
        nl = noiselab_rate(args.noiselab, op, n, args.threads, args.repeat, args.simd)
        npy = median_time(numpy_call(op, n), args.repeat)
        pt = median_time(torch_call(op, n), args.repeat) if torch is not None else None
        t_nl, t_np, t_pt = nl[pick], npy[pick], (pt[pick] if pt else None)
        rate = lambda t: n / t / 1e6
        rows.append([op, str(n), f"{rate(t_nl):.0f}", f"{rate(t_np):.0f}",
                     f"{rate(t_pt):.0f}" if t_pt else "-", f"{t_np / t_nl:.1f}x",
                     f"{t_pt / t_nl:.1f}x" if t_pt else "-", f"{nl[0] * 1e3:.1f}", f"{nl[1] * 1e3:.1f}"])
        if not args.markdown:
            print("  ".join(f"{c:>15}" for c in rows[-1]), flush=True)
    if args.markdown:
        print("| " + " | ".join(head) + " |")
        print("|" + "|".join("---" for _ in head) + "|")
        for r in rows:
            print("| " + " | ".join(r) + " |")


if __name__ == "__main__":
    main()
