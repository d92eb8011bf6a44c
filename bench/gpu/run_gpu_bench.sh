#!/usr/bin/env bash
# Runs the GPU benchmark on one GPU in one go: Noise Lab's ops and cuRAND's host API
# (noiselab_gpu_bench, which also measures the cudaMemset write ceiling), then PyTorch's ops
# (torch_bench.py, optional), and prints one table (report.py). Logs and CSVs go to $OUT when set,
# else to ./gpu-bench-out.
#
#   bench/gpu/run_gpu_bench.sh BENCH_BINARY [--log2n 28] [--reps 10]
set -u
here="$(cd "$(dirname "$0")" && pwd)"
bin="${1:?usage: run_gpu_bench.sh path/to/noiselab_gpu_bench [--log2n N] [--reps R]}"
shift
out="${OUT:-./gpu-bench-out}"
mkdir -p "$out"
py="${PYTHON:-python3}"

"$bin" --csv "$out/bench_noiselab.csv" "$@" 2>&1 | tee "$out/bench_noiselab.log"
status=${PIPESTATUS[0]}
if [ ! -s "$out/bench_noiselab.csv" ]; then
    echo "run_gpu_bench: no measurements (status $status)"
    exit "$status"
fi
torch_csv=""
if PYTHONUNBUFFERED=1 "$py" "$here/torch_bench.py" --csv "$out/bench_torch.csv" "$@" 2>&1 | tee "$out/bench_torch.log"; then
    torch_csv="$out/bench_torch.csv"
fi
[ -s "$out/bench_torch.csv" ] && torch_csv="$out/bench_torch.csv"
echo
"$py" "$here/report.py" "$out/bench_noiselab.csv" $torch_csv | tee "$out/bench_table.txt"
report=${PIPESTATUS[0]}
[ "$status" -ne 0 ] && exit "$status"
exit "$report"
