#!/usr/bin/env bash
# Model and command-line checks on a GPU machine (a step of run_device_checks.sh): every sampling
# command run with --device cpu and --device cuda:0 from the same seed, outputs compared (random
# tensors byte for byte; model samples within float32 tolerance, since cuBLAS sums in another
# order), then the 50-step DDIM batch of 256 digits timed against PyTorch eager on the same card,
# once more with every device op timed, and at batch 16.
#
#   bash tests/gpu/run_model_checks.sh BIN_DIR OUT_DIR
set -u
bin="${1:?usage: run_model_checks.sh BIN_DIR OUT_DIR}"
out="${2:?usage: run_model_checks.sh BIN_DIR OUT_DIR}"
nl="$bin/noiselab"
mkdir -p "$out/models"
m="$out/models"
failed=0
check() {  # name, status
    printf '  %-44s %s\n' "$1" "$([ "$2" -eq 0 ] && echo ok || echo "FAILED ($2)")"
    [ "$2" -ne 0 ] && failed=1
}

echo "random tensors, cpu vs cuda:0 (bytes):"
for spec in "normal --shape 1000003" "uniform --shape 4096,257 --dtype float16" "randint --low -5 --high 17 --shape 999999" \
            "bernoulli --p 0.3 --shape 12345" "randperm --shape 100000" "normal --shape 65537 --dtype bfloat16"; do
    tag="$(echo "$spec" | tr -c 'a-z0-9' '_' | cut -c1-40)"
    # shellcheck disable=SC2086
    timeout 30 "$nl" sample --dist $spec --seed 99 --device cpu --npy "$m/$tag.cpu.npy" >/dev/null 2>"$m/$tag.cpu.err"
    s1=$?
    # shellcheck disable=SC2086
    timeout 30 "$nl" sample --dist $spec --seed 99 --device cuda:0 --npy "$m/$tag.gpu.npy" >/dev/null 2>"$m/$tag.gpu.err"
    s2=$?
    s=$((s1 | s2))
    [ $s -eq 0 ] && { cmp -s "$m/$tag.cpu.npy" "$m/$tag.gpu.npy" || s=1; }
    [ $s -ne 0 ] && cat "$m/$tag.cpu.err" "$m/$tag.gpu.err"
    check "sample $spec" $s
done

echo "model samples, cpu vs cuda:0 (max |difference|):"
runs=("diffuse --model digits --n 8 --steps 20" "diffuse --model moons --n 500 --steps 50"
      "gan --n 16" "gan --n 8 --steps 5" "vae --n 16")
for spec in "${runs[@]}"; do
    tag="$(echo "$spec" | tr -c 'a-z0-9' '_' | cut -c1-40)"
    # shellcheck disable=SC2086
    timeout 60 "$nl" $spec --seed 7 --device cpu --npy "$m/$tag.cpu.npy" >"$m/$tag.cpu.txt" 2>&1
    s1=$?
    # shellcheck disable=SC2086
    timeout 60 "$nl" $spec --seed 7 --device cuda:0 --npy "$m/$tag.gpu.npy" >"$m/$tag.gpu.txt" 2>&1
    s2=$?
    s=$((s1 | s2))
    if [ $s -eq 0 ]; then
        python3 - "$m/$tag.cpu.npy" "$m/$tag.gpu.npy" <<'PY'
import sys
import numpy as np
a, b = np.load(sys.argv[1]), np.load(sys.argv[2])
if a.shape != b.shape:
    print(f"    shapes differ: {a.shape} vs {b.shape}"); sys.exit(1)
if a.dtype.kind in "iub":
    d = int((a != b).sum()); print(f"    {a.shape} {a.dtype}: {d} elements differ"); sys.exit(d != 0)
d = float(np.abs(a.astype(np.float64) - b).max()) if a.size else 0.0
print(f"    {a.shape} {a.dtype}: max |cpu - gpu| = {d:.3g}, identical: {bool((a == b).all())}")
sys.exit(0 if d <= 1e-3 else 1)
PY
        s=$?
    else
        tail -n 3 "$m/$tag.cpu.txt" "$m/$tag.gpu.txt"
    fi
    check "$spec" $s
done

# The character model prints words: the same words on both devices.
timeout 30 "$nl" lm --n 20 --seed 7 --device cpu >"$m/lm.cpu.txt" 2>&1
s1=$?
timeout 30 "$nl" lm --n 20 --seed 7 --device cuda:0 >"$m/lm.gpu.txt" 2>&1
s=$((s1 | $?))
[ $s -eq 0 ] && { diff "$m/lm.cpu.txt" "$m/lm.gpu.txt" || s=1; }
check "lm --n 20 (same words)" $s

echo "50-step DDIM, 256 guided digits (512 UNet images per step):"
timeout 120 "$bin/models_bench" --device cuda:0 --batch 256 --only digits --repeats "${REPEATS:-3}" 2>&1 | tee "$m/ddim_noiselab.txt"
check "models_bench cuda:0" "${PIPESTATUS[0]}"
# Where the time goes: the same run with every device op timed (gpu/op_profiler.h; host time and
# GPU time per op), and a batch of 16 (the same ops, 1/16 of the GPU work: about the host's floor).
NOISELAB_PROFILE_OPS=1 timeout 120 "$bin/models_bench" --device cuda:0 --batch 256 --only digits --repeats 1 \
    >"$m/ddim_profile.txt" 2>&1
check "models_bench cuda:0, ops profiled" $?
grep -A 40 "NOISELAB_PROFILE_OPS" "$m/ddim_profile.txt" | head -n 45
# The register-tiled convolution (opt-in until this checks it): the same samples, bit for bit, and its time.
NOISELAB_CONV_KERNEL=tiled timeout 120 "$bin/models_bench" --device cuda:0 --batch 256 --only digits \
    --repeats "${REPEATS:-3}" 2>&1 | tee "$m/ddim_tiled.txt"
s=${PIPESTATUS[0]}
h1="$(grep 'samples hash' "$m/ddim_noiselab.txt")"
h2="$(grep 'samples hash' "$m/ddim_tiled.txt")"
[ $s -eq 0 ] && { [ -n "$h1" ] && [ "$h1" = "$h2" ] || s=1; }
check "models_bench cuda:0, tiled conv (same hash)" $s
NOISELAB_PROFILE_OPS=1 NOISELAB_CONV_KERNEL=tiled timeout 120 "$bin/models_bench" --device cuda:0 --batch 256 \
    --only digits --repeats 1 2>&1 | grep -A 40 "NOISELAB_PROFILE_OPS" | grep -E "^(op|conv2d|total)" | tee "$m/ddim_tiled_profile.txt"
timeout 60 "$bin/models_bench" --device cuda:0 --batch 16 --only digits --repeats "${REPEATS:-3}" 2>&1 | tee "$m/ddim_batch16.txt"
check "models_bench cuda:0 batch 16" "${PIPESTATUS[0]}"
timeout 90 python3 "$(dirname "$0")/../../bench/models/torch_ddim.py" --device cuda --batch 256 --repeats "${REPEATS:-3}" 2>&1 |
    tee "$m/ddim_torch.txt"
check "torch_ddim.py cuda" "${PIPESTATUS[0]}"
exit $failed
