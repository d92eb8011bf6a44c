#!/usr/bin/env python3
"""One table from noiselab_gpu_bench's CSV (ours, cuRAND, and the cudaMemset ceiling per size) and,
when given, torch_bench.py's CSV (PyTorch on the same GPU in the same run). Each row: GB/s of
output and its ratio to the write ceiling of the same byte count.

    python3 report.py NOISELAB_CSV [TORCH_CSV]
"""
import csv
import sys


def read(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    ours = read(sys.argv[1])
    theirs = read(sys.argv[2]) if len(sys.argv) > 2 else []
    ceilings = {int(float(r["bytes"])): float(r["ceiling_gbps"]) for r in ours}
    rows = ours + theirs
    # Group by (op, dtype) so each op's implementations sit together, ours first.
    order = []
    for r in rows:
        key = (r["op"], r["dtype"])
        if key not in order:
            order.append(key)
    # PyTorch's time for the same (op, dtype), for the speed-up column.
    torch_ms = {(r["op"], r["dtype"]): float(r["ms"]) for r in theirs}
    print(f"{'op':38} {'dtype':9} {'impl':16} {'ms':>9} {'GB/s':>8} {'of ceiling':>10} {'vs torch':>8}  {'CPU bits':8} target")
    missed = 0
    for key in order:
        for r in rows:
            if (r["op"], r["dtype"]) != key:
                continue
            nbytes = int(float(r["bytes"]))
            ms = float(r["ms"])
            gbps = nbytes / (ms * 1e6)
            ceiling = ceilings.get(nbytes)
            ratio = f"{100 * gbps / ceiling:9.1f}%" if ceiling and nbytes >= (1 << 20) else f"{'-':>10}"
            target = float(r.get("target") or 0)
            verdict = ""
            if target > 0 and ceiling:
                ok = gbps / ceiling >= target
                missed += not ok
                verdict = f">= {100 * target:.0f}%: {'met' if ok else 'MISSED'}"
            t = torch_ms.get(key)
            speedup = f"{t / ms:7.2f}x" if t and r["impl"] != "torch" and not r["impl"].startswith("torch ") else f"{'-':>8}"
            print(f"{r['op']:38} {r['dtype']:9} {r['impl']:16} {ms:9.3f} {gbps:8.1f} {ratio} {speedup}  {r.get('exact', '-') or '-':8} {verdict}")
    # The targets that compare with another implementation or a time (#7).
    by = {(r["op"], r["dtype"], r["impl"]): float(r["ms"]) for r in ours}
    ours_ms = {(op, dt): ms for (op, dt, impl), ms in by.items() if impl == "noiselab"}
    checks = [("randn float32 >= 1.5x torch", "randn", "float32", lambda m: torch_ms.get(("randn", "float32"), 0) / m >= 1.5),
              ("randn float32 >= 1.3x cuRAND philox", "randn", "float32",
               lambda m: by.get(("randn", "float32", "curand philox"), 0) / m >= 1.3),
              ("randn float16 >= 1.5x torch", "randn", "float16", lambda m: torch_ms.get(("randn", "float16"), 0) / m >= 1.5),
              ("randn bfloat16 >= 1.5x torch", "randn", "bfloat16", lambda m: torch_ms.get(("randn", "bfloat16"), 0) / m >= 1.5),
              ("randperm(1e7) >= 2x torch", "randperm(1e7)", "int64", lambda m: torch_ms.get(("randperm(1e7)", "int64"), 0) / m >= 2),
              ("multinomial 64x50000 <= 15 us", "multinomial(softmax(l/0.8)) 64x50000", "int64", lambda m: m <= 0.015)]
    print("targets against other implementations and times:")
    for name, op, dt, ok in checks:
        m = ours_ms.get((op, dt))
        if m is None:
            continue
        met = ok(m)
        missed += not met
        print(f"  {name:40} {'met' if met else 'MISSED'} ({m * 1000:.1f} us)")
    sizes = ", ".join(f"{b / 2**20:.0f} MiB: {g:.0f} GB/s" for b, g in sorted(ceilings.items()) if b >= (1 << 20))
    print(f"write ceiling (cudaMemset, same run): {sizes}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
