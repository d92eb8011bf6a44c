// Categorical draws on the CPU: multinomial with replacement (integer prefix sums + an exactly
// unbiased 64-bit draw located by the first prefix above it, docs/STREAMS.md Note [Integer
// weights]) and sampling from logits with a temperature, which fuses the row maximum, the tempered
// weights, their integer form and the draw into one pass over each row. Results are the same bits
// as random.cpp's reference at every SIMD level and thread count: the integer weights make every
// sum exact and order-free, and each draw reads the words of its own element index.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "tensor/detmath.h"
#include "tensor/parallel.h"
#include "tensor/philox.h"
#include "tensor/random_block.h"
#include "tensor/simd/cpu_random.h"
#include "tensor/simd/kernels.h"
#include "tensor/simd/simd.h"
#include "tensor/transforms.h"

namespace nl::simd {

namespace {

constexpr double kWeightScale = 1099511627776.0;  // 2^40, as random.cpp
constexpr int64_t kDrawChunk = int64_t(1) << 16;   // draws per parallel task (even)
constexpr int64_t kMaxCategories = int64_t(1) << 23;

// random.cpp's integer_prefix: q_j = round(w_j / max_w * 2^40), at least 1 where w_j > 0.
void integer_prefix(const double* w, int64_t cols, uint64_t* prefix) {
    double maxw = 0.0;
    for (int64_t j = 0; j < cols; ++j) maxw = std::max(maxw, w[j]);
    uint64_t acc = 0;
    for (int64_t j = 0; j < cols; ++j) {
        uint64_t q = 0;
        if (w[j] > 0.0) q = std::max<uint64_t>(1, static_cast<uint64_t>(std::nearbyint(w[j] / maxw * kWeightScale)));
        acc += q;
        prefix[j] = acc;
    }
}

// The draw of element e: an unbiased integer in [0, total) from words (2(e%2), 2(e%2)+1) of block
// offset + e/2 (xf::bounded64; the rare rejected word goes to the reference for its retries).
uint64_t draw_target(uint32_t w0, uint32_t w1, uint64_t total, uint64_t seed, uint64_t block, uint32_t stream,
                     int lane) {
    uint64_t lo;
    const uint64_t hi = xf::mulhi64(xf::join64(w0, w1), total, lo);
    if (lo >= total) return hi;  // the common case: no rejection possible
    return xf::bounded64(w0, w1, total, seed, block, stream, lane);
}

// First j with prefix[j] > target (std::upper_bound); a branch-free count for short rows.
int64_t locate(const uint64_t* prefix, int64_t cols, uint64_t target) {
    if (cols <= 16) {
        int64_t k = 0;
        for (int64_t j = 0; j < cols; ++j) k += prefix[j] <= target;
        return k;
    }
    return std::upper_bound(prefix, prefix + cols, target) - prefix;
}

// Draws elements [e0, e1) (e0 even) of rows with prefix sums `prefix` (rows x cols).
void draw_range(const uint64_t* prefix, int64_t cols, int64_t num_samples, uint64_t seed, uint64_t offset,
                uint32_t stream, int64_t e0, int64_t e1, int64_t* out) {
    constexpr int64_t kTile = 512;  // blocks
    uint32_t words[4 * kTile];
    for (int64_t e = e0; e < e1; e += 2 * kTile) {
        const int64_t nb = std::min(kTile, (e1 - e + 1) / 2);
        philox_words(seed, stream, offset + static_cast<uint64_t>(e / 2), nb, words);
        const int64_t m = std::min(2 * nb, e1 - e);
        for (int64_t j = 0; j < m; ++j) {
            const int64_t el = e + j;
            const uint64_t* p = prefix + (el / num_samples) * cols;
            const int lane = static_cast<int>(el % 2);
            const uint64_t block = offset + static_cast<uint64_t>(el / 2);
            const uint64_t t = draw_target(words[2 * j], words[2 * j + 1], p[cols - 1], seed, block, stream, lane);
            out[el] = locate(p, cols, t);
        }
    }
}

}  // namespace

void draw_with_replacement(const double* w, int64_t rows, int64_t cols, int64_t num_samples, uint64_t seed,
                           uint64_t offset, uint32_t stream, int64_t* out) {
    std::vector<uint64_t> prefix(static_cast<size_t>(rows * cols));
    for (int64_t row = 0; row < rows; ++row) integer_prefix(w + row * cols, cols, prefix.data() + row * cols);
    const int64_t total = rows * num_samples;
    if (simd_level() == SimdLevel::Scalar) {  // the reference loop of random.cpp
        for (int64_t e = 0; e < total; ++e) {
            const uint64_t* p = prefix.data() + (e / num_samples) * cols;
            const uint64_t block = offset + static_cast<uint64_t>(e / 2);
            const int lane = static_cast<int>(e % 2);
            const PhiloxCounter c = philox_block(seed, block, stream);
            const uint64_t t = xf::bounded64(c.v[2 * lane], c.v[2 * lane + 1], p[cols - 1], seed, block, stream, lane);
            out[e] = std::upper_bound(p, p + cols, t) - p;
        }
        return;
    }
    parallel_for((total + kDrawChunk - 1) / kDrawChunk, 1, [&](int64_t c0, int64_t c1) {
        for (int64_t c = c0; c < c1; ++c)
            draw_range(prefix.data(), cols, num_samples, seed, offset, stream, c * kDrawChunk,
                       std::min(total, (c + 1) * kDrawChunk), out);
    });
}

namespace {

// One row of sample_logits: returns false (writing nothing that matters) when the row holds a NaN
// or +inf logit, or only -inf ones, which random.cpp reports with its own messages.
template <class T>
bool logits_row(const T* l, int64_t cols, double temperature, int64_t num_samples, int64_t row, uint64_t seed,
                uint64_t offset, uint32_t stream, const Kernels* k, std::vector<uint64_t>& q, int64_t* out) {
    // Maximum, and the checks: a NaN or +inf anywhere, or no finite logit.
    double mx = -std::numeric_limits<double>::infinity();
    bool bad = false;
    if constexpr (sizeof(T) == 4) {
        if (k) bad = !k->logits_max_f32(l, cols, &mx);
    }
    if (!k || sizeof(T) != 4) {
        for (int64_t j = 0; j < cols; ++j) {
            const double v = static_cast<double>(l[j]);
            bad |= !(v < std::numeric_limits<double>::infinity());  // NaN or +inf
            mx = v > mx ? v : mx;
        }
    }
    if (bad || mx == -std::numeric_limits<double>::infinity()) return false;

    q.resize(static_cast<size_t>(cols));
    uint64_t total = 0;
    double maxw = 0.0;
    void (*fn)(const T*, int64_t, double, double, uint64_t*, uint64_t*, double*) = nullptr;
    if constexpr (sizeof(T) == 4) fn = k ? k->logit_weights_f32 : nullptr;
    else fn = k ? k->logit_weights_f64 : nullptr;
    if (fn) fn(l, cols, mx, temperature, q.data(), &total, &maxw);
    if (!fn || maxw != 1.0) {
        // The reference formulas (random.cpp tempered_weights + integer_prefix), in two passes.
        std::vector<double> w(static_cast<size_t>(cols));
        for (int64_t j = 0; j < cols; ++j) {
            const double v = static_cast<double>(l[j]);
            w[j] = v == -std::numeric_limits<double>::infinity() ? 0.0 : dm::exp(dm::div(dm::sub(v, mx), temperature));
        }
        integer_prefix(w.data(), cols, q.data());
        for (int64_t j = cols - 1; j > 0; --j) q[j] -= q[j - 1];  // back to weights
        total = 0;
        for (int64_t j = 0; j < cols; ++j) total += q[j];
    }

    const bool scan = num_samples <= 4;  // few draws: walk the weights instead of a prefix array
    if (!scan)
        for (int64_t j = 1; j < cols; ++j) q[j] += q[j - 1];
    for (int64_t s = 0; s < num_samples; ++s) {
        const int64_t e = row * num_samples + s;
        const uint64_t block = offset + static_cast<uint64_t>(e / 2);
        const int lane = static_cast<int>(e % 2);
        const PhiloxCounter c = philox_block(seed, block, stream);
        const uint64_t t = draw_target(c.v[2 * lane], c.v[2 * lane + 1], total, seed, block, stream, lane);
        int64_t idx;
        if (scan) {
            uint64_t acc = 0;
            idx = 0;
            while (idx < cols && (acc += q[idx]) <= t) ++idx;
        } else {
            idx = std::upper_bound(q.begin(), q.end(), t) - q.begin();
        }
        out[e] = idx;
    }
    return true;
}

}  // namespace

Tensor sample_logits_fast(const Tensor& logits, double temperature, int64_t num_samples, Generator& gen) {
    if (simd_level() == SimdLevel::Scalar || !logits.defined() || !logits.device().is_cpu()) return Tensor();
    if (!(temperature > 0.0) || !std::isfinite(temperature) || num_samples <= 0) return Tensor();
    if (logits.dtype() != DType::Float32 && logits.dtype() != DType::Float64) return Tensor();
    if (logits.dim() < 1 || logits.dim() > 2) return Tensor();
    const int64_t rows = logits.dim() == 2 ? logits.size(0) : 1;
    const int64_t cols = logits.size(-1);
    if (cols <= 0 || cols > kMaxCategories || rows == 0) return Tensor();
    const Shape out_shape = logits.dim() == 2 ? Shape{rows, num_samples} : Shape{num_samples};
    const Tensor src = logits.contiguous();
    Tensor out = Tensor::empty(out_shape, {DType::Int64, Device::cpu()});
    int64_t* o = out.data<int64_t>();
    const Kernels* k = kernels_for(simd_level());
    const uint64_t seed = gen.initial_seed(), offset = gen.offset();  // reserved only on success
    const uint32_t stream = gen.stream();
    std::vector<char> ok(static_cast<size_t>(rows), 0);
    parallel_for(rows, 1, [&](int64_t r0, int64_t r1) {
        std::vector<uint64_t> q;
        for (int64_t row = r0; row < r1; ++row) {
            if (src.dtype() == DType::Float32)
                ok[row] = logits_row(src.data<float>() + row * cols, cols, temperature, num_samples, row, seed, offset,
                                     stream, k, q, o);
            else
                ok[row] = logits_row(src.data<double>() + row * cols, cols, temperature, num_samples, row, seed,
                                     offset, stream, k, q, o);
        }
    });
    for (char good : ok)
        if (!good) return Tensor();
    gen.reserve(static_cast<uint64_t>((rows * num_samples + 1) / 2));
    return out;
}

}  // namespace nl::simd
