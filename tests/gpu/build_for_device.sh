#!/usr/bin/env bash
# Builds, on a machine without a GPU, what tests/gpu/run_device_checks.sh runs on a lent GPU
# machine (which has CUDA but no GoogleTest): the two GPU test binaries, the random-op benchmark,
# the command line (model checks on cuda:0) and the models benchmark, copied into one folder to
# carry (default build-gpu/device, ignored by git via /build*/).
#
#   tests/gpu/build_for_device.sh [BUILD_DIR]        # then, on the device tool:
#   run(carry=["build-gpu/device.tgz", ".gl"], command="tar xzf build-gpu/device.tgz -C build-gpu &&
#       for f in .gl/*.deb; do dpkg -x $f /; done; ldconfig; bash tests/gpu/run_device_checks.sh build-gpu/device")
# (.gl: the GL loader .debs of docs/GPU.md's interop section, for the EGL interop test and bench)
set -eu
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-$root/build-gpu}"
jobs="${JOBS:-2}"
cmake -S "$root" -B "$build" -DNOISELAB_CUDA=ON -DNOISELAB_GUI=OFF -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j "$jobs" --target gpu_host_tests gpu_device_tests noiselab_gpu_bench noiselab models_bench \
    gpu_gl_tests noiselab_interop_bench models_gpu_tests simd_transforms
mkdir -p "$build/device"
cp "$build/tests/gpu/gpu_host_tests" "$build/tests/gpu/gpu_device_tests" "$build/bench/gpu/noiselab_gpu_bench" \
    "$build/app/noiselab" "$build/bench/models/models_bench" "$build/tests/gpu/gpu_gl_tests" \
    "$build/bench/gpu/noiselab_interop_bench" "$build/tests/models/models_gpu_tests" \
    "$build/tests/simd/simd_transforms" "$build/device/"
# Debian's libstb (PNG writing) is not on the GPU machine's image: it travels beside the binaries.
mkdir -p "$build/device/lib"
for lib in $(ldd "$build/device/noiselab" | awk '/libstb/ {print $3}'); do cp -L "$lib" "$build/device/lib/"; done
# The device tool carries at most 64 MiB with the working tree: the binaries travel compressed
# (2026-11-27: 160 MB -> 41 MB, with the working tree's 14 MB well inside the limit; each binary
# carries every CUDA kernel, so add binaries with care); the command unpacks them there
# (tests/gpu/run_device_checks.sh says how).
tar czf "$build/device.tgz" -C "$build" device
du -sh "$build/device" "$build/device.tgz"
