#!/usr/bin/env bash
# The GPU checks of Noise Lab in one prepared run on a machine with a GPU (the lent H100/H200):
#   1. the gpu-labelled tests (gpu_host_tests, gpu_device_tests: CPU == GPU parity of every random
#      op over 2^24 + 3 elements, randperm, categorical draws, allocator, streams, engines, the
#      interop grid kernel), slow engine checks included; and the SIMD transforms on the host CPU
#      (simd_transforms: where that CPU has AVX-512, which the project's own machines lack, the
#      AVX-512 transforms run here against the scalar ones);
#   2. compute-sanitizer memcheck, racecheck and initcheck on gpu_device_tests (smaller sizes);
#   3. the benchmark (bench/gpu/run_gpu_bench.sh: ours, cuRAND, PyTorch, cudaMemset ceiling);
#   4. the model checks (tests/gpu/run_model_checks.sh: every sampling command on cpu and cuda:0,
#      the 50-step DDIM batch of 256 digits against PyTorch eager);
#   5. CUDA-GL interop in a headless EGL context (gpu_gl_tests, noiselab_interop_bench; needs the
#      GL loader .debs unpacked first, see tests/gpu/build_for_device.sh).
# Logs go to $OUT (or ./device-checks-out): summary.txt lists each step's status, and every log is
# also packed into device_checks.tar.gz (the device tool brings back at most 8 files). Each step
# has a time limit so that the whole run stays near 6 minutes (the session has 15 minutes of
# device time); STEPS picks a subset ("tests memcheck racecheck initcheck bench models interop").
#
#   bash tests/gpu/run_device_checks.sh [BIN_DIR]     # BIN_DIR from tests/gpu/build_for_device.sh
#   (or BIN_DIR = a build folder: its tests/gpu and bench/gpu binaries are used)
set -u
root="$(cd "$(dirname "$0")/../.." && pwd)"
bin="${1:-$root/build-gpu/device}"
dest="${OUT:-$root/device-checks-out}"
out="${CHECKS_DIR:-$(mktemp -d)/device-checks}"  # packed into $dest at the end
steps="${STEPS:-tests memcheck racecheck initcheck bench models interop}"
mkdir -p "$out"
cd "$root" || exit 2  # the tests read tests/golden/ relative to the repository root
find_bin() {  # a binary in BIN_DIR itself or where a build folder keeps it
    for p in "$bin/$1" "$bin/tests/gpu/$1" "$bin/bench/gpu/$1" "$bin/tests/simd/$1"; do
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
# Libraries carried beside the binaries (build_for_device.sh: Debian's libstb).
[ -d "$bin/lib" ] && export LD_LIBRARY_PATH="$bin/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
# A GPU test that finds no usable GPU here fails instead of skipping (tests/support/require_gpu.h):
# a driver that will not start must not pass as a run of skips.
export NOISELAB_REQUIRE_GPU=1
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
        timeout 200 ctest --test-dir "$bin" -L gpu --output-on-failure -j 4 >"$out/ctest_gpu.log" 2>&1
        s=$?
        tail -n 15 "$out/ctest_gpu.log"
        record ctest_gpu $s
    else
        # The same tests, run directly (binaries built elsewhere and carried here).
        # ctest runs each test in its own process; the cuBLAS loading test needs one of its own.
        lazy=CublasLibrary.NotLoadedUntilFirstUseThenEverySymbolIsBound
        timeout 60 "$host_tests" --gtest_filter="-$lazy" --gtest_output="xml:$out/gpu_host_tests.xml" \
            >"$out/gpu_host_tests.log" 2>&1
        s1=$?
        timeout 20 "$host_tests" --gtest_filter="$lazy" >>"$out/gpu_host_tests.log" 2>&1 || s1=1
        timeout 140 "$device_tests" --gtest_output="xml:$out/gpu_device_tests.xml" >"$out/gpu_device_tests.log" 2>&1
        s2=$?
        # The models' golden forward passes on the GPU (tests/models/test_forward_gpu.cpp).
        s3=0
        if models_tests="$(find_bin models_gpu_tests)"; then
            timeout 60 "$models_tests" --gtest_output="xml:$out/models_gpu_tests.xml" >"$out/models_gpu_tests.log" 2>&1
            s3=$?
            # The samplers' golden hashes on the GPU need the exact matmul (opt-in until this passes).
            NOISELAB_MATMUL_KERNEL=exact timeout 60 "$models_tests" --gtest_filter='SamplerGoldenGpu.*' \
                >>"$out/models_gpu_tests.log" 2>&1 || s3=1
            tail -n 3 "$out/models_gpu_tests.log"
        fi
        tail -n 3 "$out/gpu_host_tests.log" "$out/gpu_device_tests.log"
        grep -E "CPU == GPU|^cuda:" "$out/gpu_device_tests.log" || true
        record host_tests $s1
        record device_tests $s2
        record models_tests $s3
    fi
    # The SIMD transforms against the scalar reference on this machine's CPU: where it has AVX-512
    # (the project's own machines do not), this is where that level gets checked directly (the
    # parity tests above also compare the GPU with this CPU's best level, AVX-512 included).
    if simd_tests="$(find_bin simd_transforms 2>/dev/null)"; then
        grep -m1 -o -w "avx512f" /proc/cpuinfo >"$out/simd_cpu.log" || echo "no avx512f on this CPU" >"$out/simd_cpu.log"
        timeout 90 "$simd_tests" >>"$out/simd_cpu.log" 2>&1
        s=$?
        grep -E "avx512|SKIPPED|PASSED|FAILED" "$out/simd_cpu.log" | tail -n 6
        record simd_cpu $s
    else
        record simd_cpu 2  # not carried: tests/gpu/build_for_device.sh packs it
    fi
fi

# compute-sanitizer: the kernels of the parity, categorical, launch-shape, randperm and interop
# tests at 2^16 + 3 elements (the tests that provoke an allocation failure on purpose, and
# cuRAND's own kernels, stay out).
# The layer kernels too; not the exhaustive float16 conversion and radius square root checks
# (2^32 and 2.5e8 inputs in one kernel each, minutes under instrumentation).
san_filter='GpuParity.*:GpuCategorical.*:GpuInterop.*:GpuStreams.*:GpuAllocator.FreedBlocksAreReused:GpuOps.*:GpuLayers.*:GpuStats.*'
san_filter="$san_filter-GpuParity.HalfConversionInstructionEqualsTheDefinitionOnAllInputs:GpuParity.RadiusSqrtEqualsTheIeeeSquareRootOnAllItsInputs"
for tool in memcheck racecheck initcheck; do
    want "$tool" || continue
    if ! command -v compute-sanitizer >/dev/null 2>&1; then
        echo "compute-sanitizer not found" >"$out/sanitizer_$tool.log"
        record "$tool" 127
        continue
    fi
    extra=""
    [ "$tool" = racecheck ] && extra="--racecheck-report all"
    NOISELAB_GPU_TEST_LOG2N=16 timeout 50 compute-sanitizer --tool "$tool" $extra --error-exitcode 99 \
        "$device_tests" --gtest_filter="$san_filter" >"$out/sanitizer_$tool.log" 2>&1
    s=$?
    tail -n 4 "$out/sanitizer_$tool.log"
    record "$tool" $s
done

if want bench; then
    OUT="$out" timeout 80 bash "$root/bench/gpu/run_gpu_bench.sh" "$bench" --log2n 28 --reps 10 >"$out/bench.log" 2>&1
    s=$?
    cat "$out/bench.log"
    record bench $s
fi

if want models; then
    [ -x "$bin/noiselab" ] && [ -x "$bin/models_bench" ] || echo "noiselab or models_bench missing in $bin"
    timeout 200 bash "$root/tests/gpu/run_model_checks.sh" "$bin" "$out" >"$out/models.log" 2>&1
    s=$?
    cat "$out/models.log"
    record models $s
fi

if want interop; then
    if gl_tests="$(find_bin gpu_gl_tests)" && interop_bench="$(find_bin noiselab_interop_bench)"; then
        # NVIDIA's EGL vendor file, where the image keeps it outside glvnd's search path.
        if ! ls /usr/share/glvnd/egl_vendor.d/*nvidia*.json >/dev/null 2>&1 &&
            [ -f /usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json ]; then
            export __EGL_VENDOR_LIBRARY_FILENAMES=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
        fi
        NOISELAB_REQUIRE_EGL=1 timeout 60 "$gl_tests" --gtest_output="xml:$out/gpu_gl_tests.xml" \
            >"$out/gpu_gl_tests.log" 2>&1
        s=$?
        grep -E '^\[ context|^\[  (PASSED|FAILED|SKIPPED) ' "$out/gpu_gl_tests.log"
        record gl_tests $s
        timeout 60 "$interop_bench" --size 4096 --frames 200 --csv "$out/interop_bench.csv" \
            >"$out/interop_bench.log" 2>&1
        s=$?
        cat "$out/interop_bench.log"
        # Exit 0 with nothing measured (no GPU or no EGL) counts as a failure here.
        [ $s -eq 0 ] && ! grep -q "texture == render_grid_rgba: yes" "$out/interop_bench.log" && s=3
        record interop_bench $s
    else
        record interop 2
    fi
fi

echo "---- summary ($dest/summary.txt)"
cat "$summary"
mkdir -p "$dest"
cp "$summary" "$dest/summary.txt"
tar czf "$dest/device_checks.tar.gz" --exclude="*.npy" -C "$(dirname "$out")" device-checks
exit $failed
