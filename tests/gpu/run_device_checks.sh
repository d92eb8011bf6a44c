#!/usr/bin/env bash
# The GPU checks of Noise Lab in one prepared run on a machine with a GPU (the lent H100/H200):
#   1. the gpu-labelled tests (gpu_host_tests, gpu_device_tests: CPU == GPU parity of every random
#      op over 2^24 + 3 elements, randperm, categorical draws, allocator, streams, engines, the
#      interop grid kernel), slow engine checks included;
#   2. compute-sanitizer memcheck, racecheck and initcheck on gpu_device_tests (smaller sizes);
#   3. the benchmark (bench/gpu/run_gpu_bench.sh: ours, cuRAND, PyTorch, cudaMemset ceiling).
# Logs go to $OUT (or ./device-checks-out); summary.txt lists each step's status. Each step has a
# time limit so that the whole run stays under the device tool's 10 minutes per command; STEPS
# picks a subset ("tests memcheck racecheck initcheck bench").
#
#   bash tests/gpu/run_device_checks.sh [BIN_DIR]     # BIN_DIR from tests/gpu/build_for_device.sh
#   (or BIN_DIR = a build folder: its tests/gpu and bench/gpu binaries are used)
set -u
root="$(cd "$(dirname "$0")/../.." && pwd)"
bin="${1:-$root/build-gpu/device}"
out="${OUT:-$root/device-checks-out}"
steps="${STEPS:-tests memcheck racecheck initcheck bench}"
mkdir -p "$out"
cd "$root" || exit 2  # the tests read tests/golden/ relative to the repository root
find_bin() {  # a binary in BIN_DIR itself or where a build folder keeps it
    for p in "$bin/$1" "$bin/tests/gpu/$1" "$bin/bench/gpu/$1"; do
        [ -x "$p" ] && { echo "$p"; return 0; }
    done
    echo "run_device_checks: $1 not found under $bin (run tests/gpu/build_for_device.sh and carry its folder)" >&2
    return 1
}
host_tests="$(find_bin gpu_host_tests)" || exit 2
device_tests="$(find_bin gpu_device_tests)" || exit 2
bench="$(find_bin noiselab_gpu_bench)" || exit 2
# The CUDA 13 libraries (cudart, cuRAND, cuBLAS) of the machine's toolkit.
for d in /usr/local/cuda/lib64 /usr/local/cuda/lib /usr/local/cuda/targets/x86_64-linux/lib; do
    [ -d "$d" ] && export LD_LIBRARY_PATH="$d${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
done
summary="$out/summary.txt"
: >"$summary"
failed=0
record() {  # step name, status
    local verdict=ok
    [ "$2" -eq 124 ] && verdict="TIMED OUT"
    [ "$2" -ne 0 ] && [ "$2" -ne 124 ] && verdict="FAILED ($2)"
    [ "$2" -ne 0 ] && failed=1
    printf '%-12s %s\n' "$1" "$verdict" | tee -a "$summary"
}
want() { case " $steps " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

{ nvidia-smi -L; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; } >"$out/gpu.txt" 2>&1
cat "$out/gpu.txt"

if want tests; then
    export NOISELAB_SLOW_TESTS=1
    if [ -f "$bin/CTestTestfile.cmake" ] && command -v ctest >/dev/null 2>&1 &&
        ctest --test-dir "$bin" -L gpu -N >/dev/null 2>&1; then
        # A whole build folder whose paths hold here: the gpu-labelled ctest itself.
        timeout 270 ctest --test-dir "$bin" -L gpu --output-on-failure -j 4 >"$out/ctest_gpu.log" 2>&1
        s=$?
        tail -n 15 "$out/ctest_gpu.log"
        record ctest_gpu $s
    else
        # The same tests, run directly (binaries built elsewhere and carried here).
        timeout 90 "$host_tests" --gtest_output="xml:$out/gpu_host_tests.xml" >"$out/gpu_host_tests.log" 2>&1
        s1=$?
        timeout 180 "$device_tests" --gtest_output="xml:$out/gpu_device_tests.xml" >"$out/gpu_device_tests.log" 2>&1
        s2=$?
        tail -n 3 "$out/gpu_host_tests.log" "$out/gpu_device_tests.log"
        grep -E "CPU == GPU|^cuda:" "$out/gpu_device_tests.log" || true
        record host_tests $s1
        record device_tests $s2
    fi
fi

# compute-sanitizer: the kernels of the parity, categorical, launch-shape, randperm and interop
# tests at 2^16 + 3 elements (the tests that provoke an allocation failure on purpose, and
# cuRAND's own kernels, stay out).
san_filter='GpuParity.*:GpuCategorical.*:GpuInterop.*:GpuStreams.*:GpuAllocator.FreedBlocksAreReused'
for tool in memcheck racecheck initcheck; do
    want "$tool" || continue
    if ! command -v compute-sanitizer >/dev/null 2>&1; then
        echo "compute-sanitizer not found" >"$out/sanitizer_$tool.log"
        record "$tool" 127
        continue
    fi
    extra=""
    [ "$tool" = racecheck ] && extra="--racecheck-report all"
    NOISELAB_GPU_TEST_LOG2N=16 timeout 80 compute-sanitizer --tool "$tool" $extra --error-exitcode 99 \
        "$device_tests" --gtest_filter="$san_filter" >"$out/sanitizer_$tool.log" 2>&1
    s=$?
    tail -n 4 "$out/sanitizer_$tool.log"
    record "$tool" $s
done

if want bench; then
    OUT="$out" timeout 100 bash "$root/bench/gpu/run_gpu_bench.sh" "$bench" --log2n 28 --reps 10 >"$out/bench.log" 2>&1
    s=$?
    cat "$out/bench.log"
    record bench $s
fi

echo "---- summary ($out/summary.txt)"
cat "$summary"
exit $failed
