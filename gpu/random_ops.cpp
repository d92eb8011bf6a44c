// The categorical ops on CUDA tensors (random_ops.h): validation on the GPU (one small copy back),
// then the Note [Integer weights] draws in one kernel per call. Whenever an argument is invalid the
// CPU op of tensor/random.h is run on a CPU copy instead, so the error (type and message) is the
// CPU's own and no generator state moves, exactly as on the CPU.
#include <cuda_runtime_api.h>

#include <cmath>
#include <optional>
#include <vector>

#include "gpu/allocator.h"
#include "gpu/categorical_kernels.h"
#include "gpu/cuda_check.h"
#include "gpu/device.h"
#include "gpu/kernels.h"
#include "gpu/random_ops.h"
#include "tensor/errors.h"
#include "tensor/random.h"

namespace nl::gpu {

namespace {
constexpr int64_t kMaxCategories = int64_t(1) << 23;  // random.cpp's limit

Generator& resolve(Generator* gen, Device d) { return gen ? *gen : default_generator(d); }

void require_cuda(const Tensor& t, const char* op) {
    if (!t.defined() || !t.device().is_cuda())
        throw DeviceError(std::string("gpu::") + op + ": expected a CUDA tensor, got " +
                          (t.defined() ? t.device().str() : std::string("an undefined tensor")));
}

// Shape and dtype checks the row kernels rely on; false sends the call to the CPU op.
bool basic_shape_ok(const Tensor& t) {
    return (t.dim() == 1 || t.dim() == 2) && is_floating(t.dtype()) && t.size(-1) > 0 && t.size(-1) <= kMaxCategories;
}

std::vector<detail::RowCheck> check_rows(const Tensor& x, int64_t rows, int64_t cols, detail::RowMode mode) {
    const int dev = x.device().index;
    DeviceGuard guard(dev);
    const StreamHandle s = current_stream(dev);
    DeviceBuffer checks(static_cast<size_t>(rows) * sizeof(detail::RowCheck), dev);
    detail::launch_row_check(x.data_ptr(), x.dtype(), rows, cols, mode, checks.as<detail::RowCheck>(), s);
    std::vector<detail::RowCheck> host(static_cast<size_t>(rows));
    NL_CUDA_CHECK(cudaMemcpyAsync(host.data(), checks.get(), checks.bytes(), cudaMemcpyDeviceToHost, s));
    NL_CUDA_CHECK(cudaStreamSynchronize(s));
    return host;
}

Tensor draw(const Tensor& x, int64_t rows, int64_t cols, detail::RowMode mode, double temperature,
            const std::vector<detail::RowCheck>& checks, int64_t num_samples, const Shape& out_shape, Generator& g) {
    const int dev = x.device().index;
    const int64_t total = rows * num_samples;
    const uint64_t offset = g.reserve(static_cast<uint64_t>((total + 1) / 2));
    Tensor out = Tensor::empty(out_shape, {DType::Int64, x.device()});
    DeviceGuard guard(dev);
    const StreamHandle s = current_stream(dev);
    DeviceBuffer dchecks(checks.size() * sizeof(detail::RowCheck), dev);
    NL_CUDA_CHECK(cudaMemcpyAsync(dchecks.get(), checks.data(), dchecks.bytes(), cudaMemcpyHostToDevice, s));
    DeviceBuffer scratch(static_cast<size_t>(rows) * static_cast<size_t>(cols) * 16, dev);
    detail::launch_row_draw(x.data_ptr(), x.dtype(), rows, cols, mode, temperature, dchecks.as<detail::RowCheck>(),
                            g.initial_seed(), offset, g.stream(), num_samples, out.data<int64_t>(), scratch.get(), s);
    // No synchronisation: the buffers go back to stream s's cache (stream-ordered reuse), and a
    // pageable host-to-device copy has consumed `checks` by the time cudaMemcpyAsync returns.
    return out;
}
// Rows of many categories (categorical_kernels.h): checks and draws in one go, several blocks per
// row; the row checks come back once (the only synchronisation). An invalid row gives nothing:
// the generator is put back where it was and the caller runs the CPU op, which reports the error.
std::optional<Tensor> wide_draw(const Tensor& x, int64_t rows, int64_t cols, detail::RowMode mode, double temperature,
                                int64_t num_samples, const Shape& out_shape, Generator& g) {
    const int dev = x.device().index;
    DeviceGuard guard(dev);
    const StreamHandle s = current_stream(dev);
    const detail::WideDrawPlan plan = detail::plan_wide_draw(rows, cols, detail::multiprocessor_count(dev));
    const uint64_t before = g.offset();
    const uint64_t offset = g.reserve(static_cast<uint64_t>((rows * num_samples + 1) / 2));
    Tensor out = Tensor::empty(out_shape, {DType::Int64, x.device()});
    DeviceBuffer checks(static_cast<size_t>(rows) * sizeof(detail::RowCheck), dev);
    DeviceBuffer scratch(plan.scratch_bytes, dev);
    detail::launch_wide_draw(plan, x.data_ptr(), x.dtype(), mode, temperature, g.initial_seed(), offset, g.stream(),
                             num_samples, out.data<int64_t>(), checks.as<detail::RowCheck>(), scratch.get(), s);
    std::vector<detail::RowCheck> host(static_cast<size_t>(rows));
    NL_CUDA_CHECK(cudaMemcpyAsync(host.data(), checks.get(), checks.bytes(), cudaMemcpyDeviceToHost, s));
    NL_CUDA_CHECK(cudaStreamSynchronize(s));
    for (const detail::RowCheck& c : host) {
        if (!detail::row_drawable(c, cols, mode)) {
            g.set_offset(before);
            return std::nullopt;
        }
    }
    return out;
}
}  // namespace

void categorical(const double* weights, int64_t rows, int64_t cols, int64_t num_samples, uint64_t seed,
                 uint64_t offset, uint32_t stream, int64_t* out, int device) {
    if (rows <= 0 || cols <= 0 || num_samples <= 0) return;
    DeviceGuard guard(device);
    const StreamHandle s = current_stream(device);
    if (cols >= detail::kWideMinCols) {
        // random.cpp has checked the rows: the row checks stay on the device, nothing waits.
        const detail::WideDrawPlan plan = detail::plan_wide_draw(rows, cols, detail::multiprocessor_count(device));
        DeviceBuffer checks(static_cast<size_t>(rows) * sizeof(detail::RowCheck), device);
        DeviceBuffer scratch(plan.scratch_bytes, device);
        detail::launch_wide_draw(plan, weights, DType::Float64, detail::RowMode::Weights, 1.0, seed, offset, stream,
                                 num_samples, out, checks.as<detail::RowCheck>(), scratch.get(), s);
        return;
    }
    DeviceBuffer scratch(static_cast<size_t>(rows) * static_cast<size_t>(cols) * 16, device);
    detail::launch_row_draw(weights, DType::Float64, rows, cols, detail::RowMode::Weights, 1.0, nullptr, seed,
                            offset, stream, num_samples, out, scratch.get(), s);
}

Tensor multinomial(const Tensor& probs, int64_t num_samples, bool replacement, Generator* gen) {
    require_cuda(probs, "multinomial");
    Generator& g = resolve(gen, probs.device());
    auto on_cpu = [&] { return nl::multinomial(probs.cpu(), num_samples, replacement, &g).to(probs.device()); };
    if (!basic_shape_ok(probs) || num_samples <= 0 || (!replacement && num_samples > probs.size(-1))) return on_cpu();
    const int64_t rows = probs.dim() == 2 ? probs.size(0) : 1, cols = probs.size(-1);
    const Tensor x = probs.contiguous();
    const Shape out_shape = probs.dim() == 2 ? Shape{rows, num_samples} : Shape{num_samples};
    if (replacement && cols >= detail::kWideMinCols) {
        if (std::optional<Tensor> out = wide_draw(x, rows, cols, detail::RowMode::Weights, 1.0, num_samples, out_shape, g))
            return *out;
        return on_cpu();
    }
    const std::vector<detail::RowCheck> checks = check_rows(x, rows, cols, detail::RowMode::Weights);
    for (const detail::RowCheck& c : checks)
        if (!detail::row_drawable(c, cols, detail::RowMode::Weights) || (!replacement && c.nonzero < num_samples))
            return on_cpu();
    if (!replacement) {
        // The exponential race (race_kernels.cu): the keys of nl::multinomial from the same words.
        const Tensor w = x.to(DType::Float64);
        const uint64_t offset = g.reserve(static_cast<uint64_t>((rows * cols + 3) / 4));
        Tensor out = Tensor::empty(out_shape, {DType::Int64, x.device()});
        const int dev = x.device().index;
        DeviceGuard guard(dev);
        detail::launch_race_draw(w.data<double>(), rows, cols, num_samples, g.initial_seed(), offset, g.stream(),
                                 out.data<int64_t>(), dev, current_stream(dev));
        return out;
    }
    return draw(x, rows, cols, detail::RowMode::Weights, 1.0, checks, num_samples, out_shape, g);
}

Tensor sample_logits(const Tensor& logits, double temperature, int64_t num_samples, Generator* gen) {
    require_cuda(logits, "sample_logits");
    Generator& g = resolve(gen, logits.device());
    auto on_cpu = [&] { return nl::sample_logits(logits.cpu(), temperature, num_samples, &g).to(logits.device()); };
    if (!(temperature >= 0.0) || !std::isfinite(temperature) || num_samples <= 0 || !basic_shape_ok(logits))
        return on_cpu();
    const int64_t rows = logits.dim() == 2 ? logits.size(0) : 1, cols = logits.size(-1);
    const Tensor x = logits.contiguous();
    const Shape out_shape = logits.dim() == 2 ? Shape{rows, num_samples} : Shape{num_samples};
    if (temperature > 0.0 && cols >= detail::kWideMinCols) {
        if (std::optional<Tensor> out = wide_draw(x, rows, cols, detail::RowMode::Logits, temperature, num_samples,
                                                  out_shape, g))
            return *out;
        return on_cpu();
    }
    const std::vector<detail::RowCheck> checks = check_rows(x, rows, cols, detail::RowMode::Logits);
    for (const detail::RowCheck& c : checks)
        if (!detail::row_drawable(c, cols, detail::RowMode::Logits)) return on_cpu();
    if (temperature == 0.0) {  // argmax: deterministic, no random words consumed
        std::vector<double> idx(static_cast<size_t>(rows * num_samples));
        for (int64_t r = 0; r < rows; ++r)
            for (int64_t s = 0; s < num_samples; ++s) idx[static_cast<size_t>(r * num_samples + s)] = static_cast<double>(checks[static_cast<size_t>(r)].argmax);
        return from_vector(idx, out_shape, {DType::Int64, logits.device()});
    }
    return draw(x, rows, cols, detail::RowMode::Logits, temperature, checks, num_samples, out_shape, g);
}

}  // namespace nl::gpu
