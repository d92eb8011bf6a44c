#!/usr/bin/env bash
# Builds, on a machine without a GPU, what tests/gpu/run_device_checks.sh runs on a lent GPU
# machine (which has CUDA but no GoogleTest): the two GPU test binaries and the benchmark, copied
# into one folder to carry (default build-gpu/device, ignored by git via /build*/).
#
#   tests/gpu/build_for_device.sh [BUILD_DIR]        # then, on the device tool:
#   run(carry=["build-gpu/device"], command="bash tests/gpu/run_device_checks.sh build-gpu/device")
set -eu
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-$root/build-gpu}"
jobs="${JOBS:-2}"
cmake -S "$root" -B "$build" -DNOISELAB_CUDA=ON -DNOISELAB_GUI=OFF -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j "$jobs" --target gpu_host_tests gpu_device_tests noiselab_gpu_bench
mkdir -p "$build/device"
cp "$build/tests/gpu/gpu_host_tests" "$build/tests/gpu/gpu_device_tests" "$build/bench/gpu/noiselab_gpu_bench" "$build/device/"
du -sh "$build/device"
