#!/usr/bin/env python3
"""PyTorch's random ops on the GPU, timed like noiselab_gpu_bench (CUDA events, median of --reps
runs after two warm-ups, outputs preallocated where PyTorch allows), written as CSV rows with the
same columns so that report.py can put them in one table. Exits 77 when torch or a GPU is missing.

    python3 torch_bench.py [--log2n 28] [--reps 10] [--csv FILE]
"""
import argparse
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--log2n", type=int, default=28)
    ap.add_argument("--reps", type=int, default=10)
    ap.add_argument("--csv", default="-")
    args = ap.parse_args()
    try:
        import torch
    except ImportError:
        print("torch_bench: PyTorch is not installed; skipped", file=sys.stderr)
        return 77
    if not torch.cuda.is_available():
        print("torch_bench: no CUDA device for PyTorch; skipped", file=sys.stderr)
        return 77
    dev = torch.device("cuda")
    n = 1 << args.log2n
    torch.manual_seed(1234)

    def time_ms(fn):
        fn()
        fn()
        torch.cuda.synchronize()
        times = []
        for _ in range(args.reps):
            start = torch.cuda.Event(enable_timing=True)
            stop = torch.cuda.Event(enable_timing=True)
            start.record()
            fn()
            stop.record()
            stop.synchronize()
            times.append(start.elapsed_time(stop))
        times.sort()
        return times[len(times) // 2]

    rows = []

    def add(op, dtype, elements, nbytes, fn):
        rows.append((op, dtype, "torch " + torch.__version__.split("+")[0], elements, nbytes, time_ms(fn)))

    f32 = torch.empty(n, device=dev, dtype=torch.float32)
    add("randn", "float32", n, 4 * n, lambda: torch.randn(n, device=dev, out=f32))
    add("rand", "float32", n, 4 * n, lambda: torch.rand(n, device=dev, out=f32))
    add("bernoulli(0.5)", "float32", n, 4 * n, lambda: f32.bernoulli_(0.5))
    del f32
    i64 = torch.empty(n, device=dev, dtype=torch.int64)
    add("randint(0,1000)", "int64", n, 8 * n, lambda: torch.randint(0, 1000, (n,), device=dev, out=i64))
    del i64
    for name, dt in (("float16", torch.float16), ("bfloat16", torch.bfloat16)):
        h = torch.empty(n, device=dev, dtype=dt)
        add("randn", name, n, 2 * n, lambda: torch.randn(n, device=dev, dtype=dt, out=h))
        del h
    m = 10_000_000
    perm = torch.empty(m, device=dev, dtype=torch.int64)
    add("randperm(1e7)", "int64", m, 8 * m, lambda: torch.randperm(m, device=dev, out=perm))
    logits = torch.randn(64, 50000, device=dev)
    add("multinomial(softmax(l/0.8)) 64x50000", "int64", 64, 64 * 8,
        lambda: torch.multinomial(torch.softmax(logits / 0.8, dim=-1), 1))

    out = sys.stdout if args.csv == "-" else open(args.csv, "w")
    out.write("op,dtype,impl,elements,bytes,ms\n")
    for op, dtype, impl, elements, nbytes, ms in rows:
        out.write(f'"{op}",{dtype},{impl},{elements},{nbytes},{ms:.6f}\n')  # op names hold commas
    if out is not sys.stdout:
        out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
