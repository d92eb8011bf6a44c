#include "tensor/random.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

#include "tensor/backend.h"
#include "tensor/detmath.h"
#include "tensor/errors.h"
#include "tensor/number_text.h"
#include "tensor/philox.h"
#include "tensor/random_block.h"
#include "tensor/simd/cpu_random.h"
#include "tensor/transforms.h"

namespace nl {

namespace {

Generator& resolve(Generator* gen, Device device) { return gen ? *gen : default_generator(device); }

void require_floating(DType d, const char* op) {
    if (!is_floating(d))
        throw DTypeError(std::string(op) + ": dtype " + dtype_name(d) +
                         " is not supported; valid dtypes: float32, float16, bfloat16, float64");
}

void require_finite(double v, const char* op, const char* what) {
    if (!std::isfinite(v))
        throw ValueError(std::string(op) + ": " + what + " must be finite, got " + shortest_decimal(v));
}

// Scalar location and scale parameters of the float32 / float16 / bfloat16 normal, log-normal and
// Cauchy transforms are used as float32 (docs/STREAMS.md): a finite double beyond float's range
// would turn infinite there and give NaN values, whose bits differ between devices.
void require_float32_range(double v, DType dt, const char* op, const char* what) {
    const double most = std::numeric_limits<float>::max();
    if (dt == DType::Float64 || !(std::fabs(v) > most)) return;
    auto short_num = [](double x) {  // 6 digits: float's largest as "3.40282e+38", not its exact "3.4028234663852886e+38"
        std::ostringstream os;
        os << x;
        return os.str();
    };
    throw ValueError(std::string(op) + ": " + what + "=" + short_num(v) + " does not fit float32, in which " +
                     dtype_name(dt) + " values are computed (|" + what + "| <= " + short_num(most) + ")");
}
void check_float_parameters(const RandomRequest& req, DType dt, bool a_per_elem, bool b_per_elem) {
    const bool cauchy = req.kind == RandomKind::Cauchy;
    if (!cauchy && req.kind != RandomKind::Normal && req.kind != RandomKind::LogNormal) return;
    const char* op = cauchy ? "cauchy_" : req.kind == RandomKind::Normal ? "normal" : "log_normal_";
    if (!a_per_elem) require_float32_range(req.a, dt, op, cauchy ? "median" : "mean");
    if (!b_per_elem) require_float32_range(req.b, dt, op, cauchy ? "sigma" : "std");
}

// Runs one elementwise random op into t (any layout): reserve blocks, fill contiguous, copy back.
Tensor& run_fill(Tensor& t, RandomRequest req, Generator* gen, const Tensor& a_param = Tensor(),
                 const Tensor& b_param = Tensor()) {
    check_float_parameters(req, t.dtype(), a_param.defined(), b_param.defined());
    req.dtype = t.dtype();
    req.numel = t.numel();
    Generator& g = resolve(gen, t.device());
    req.seed = g.initial_seed();
    req.stream = g.stream();
    req.offset = g.reserve(blocks_for(req));
    if (req.numel == 0) return t;
    Tensor a_dev, b_dev;
    if (a_param.defined()) {
        a_dev = a_param.expand(t.shape()).to(DType::Float64).contiguous().to(t.device()).contiguous();
        req.a_per_elem = a_dev.data<double>();
    }
    if (b_param.defined()) {
        b_dev = b_param.expand(t.shape()).to(DType::Float64).contiguous().to(t.device()).contiguous();
        req.b_per_elem = b_dev.data<double>();
    }
    Backend& be = backend_for(t.device());
    if (t.is_contiguous()) {
        be.random_fill(req, t.data_ptr(), t.device().index);
    } else {
        Tensor tmp = Tensor::empty(t.shape(), {t.dtype(), t.device()});
        be.random_fill(req, tmp.data_ptr(), t.device().index);
        t.copy_(tmp);
    }
    return t;
}

// Largest integer magnitude a dtype holds exactly (PyTorch's check_from_to_in_range).
void check_int_range(int64_t low, int64_t high, DType d, const char* op) {
    int64_t lo = 0, hi = 0;  // inclusive bounds of representable integers
    switch (d) {
        case DType::Bool: lo = 0; hi = 1; break;
        case DType::UInt8: lo = 0; hi = 255; break;
        case DType::Int32: lo = std::numeric_limits<int32_t>::min(); hi = std::numeric_limits<int32_t>::max(); break;
        case DType::Int64: lo = std::numeric_limits<int64_t>::min(); hi = std::numeric_limits<int64_t>::max(); break;
        case DType::Float16: lo = -(1 << 11); hi = 1 << 11; break;
        case DType::BFloat16: lo = -(1 << 8); hi = 1 << 8; break;
        case DType::Float32: lo = -(1 << 24); hi = 1 << 24; break;
        case DType::Float64: lo = -(int64_t(1) << 53); hi = int64_t(1) << 53; break;
    }
    if (low < lo || low > hi)
        throw ValueError(std::string(op) + ": low=" + std::to_string(low) + " is out of bounds for " +
                         dtype_name(d) + " (valid: [" + std::to_string(lo) + ", " + std::to_string(hi) + "])");
    if (high - 1 < lo || high - 1 > hi)
        throw ValueError(std::string(op) + ": high-1=" + std::to_string(high - 1) + " is out of bounds for " +
                         dtype_name(d) + " (valid: [" + std::to_string(lo) + ", " + std::to_string(hi) + "])");
}

void check_probability(double p, const char* op) {
    if (!(p >= 0.0 && p <= 1.0))
        throw ValueError(std::string(op) + " expects p to be in [0, 1], but got p=" + shortest_decimal(p));
}

}  // namespace

// ---- uniform / normal ---------------------------------------------------------------------------
Tensor& uniform_(Tensor& t, double from, double to, Generator* gen) {
    require_floating(t.dtype(), "uniform_");
    require_finite(from, "uniform_", "from");
    require_finite(to, "uniform_", "to");
    if (from > to)
        throw ValueError("uniform_ expects to return a [from, to) range, but found from=" + shortest_decimal(from) +
                         " > to=" + shortest_decimal(to));
    const double limit = t.dtype() == DType::Float64 ? std::numeric_limits<double>::max()
                         : t.dtype() == DType::Float16 ? 65504.0
                                                       : std::numeric_limits<float>::max();
    if (to - from > limit)
        throw ValueError("uniform_ expects to-from <= " + shortest_decimal(limit) + " for " + dtype_name(t.dtype()) +
                         ", but found to=" + shortest_decimal(to) + " and from=" + shortest_decimal(from));
    RandomRequest r;
    r.kind = RandomKind::Uniform;
    r.a = from;
    r.b = to;
    return run_fill(t, r, gen);
}

Tensor rand(const Shape& shape, TensorOptions opts, Generator* gen) {
    require_floating(opts.dtype, "rand");
    Tensor t = Tensor::empty(shape, opts);
    return uniform_(t, 0.0, 1.0, gen);
}

Tensor& normal_(Tensor& t, double mean, double std, Generator* gen) {
    require_floating(t.dtype(), "normal_");
    require_finite(mean, "normal_", "mean");
    if (!(std >= 0.0) || !std::isfinite(std))
        throw ValueError("normal expects std >= 0.0 (and finite), but found std " + shortest_decimal(std));
    RandomRequest r;
    r.kind = RandomKind::Normal;
    r.a = mean;
    r.b = std;
    return run_fill(t, r, gen);
}

Tensor randn(const Shape& shape, TensorOptions opts, Generator* gen) {
    require_floating(opts.dtype, "randn");
    Tensor t = Tensor::empty(shape, opts);
    return normal_(t, 0.0, 1.0, gen);
}

Tensor normal(double mean, double std, const Shape& shape, TensorOptions opts, Generator* gen) {
    require_floating(opts.dtype, "normal");
    Tensor t = Tensor::empty(shape, opts);
    return normal_(t, mean, std, gen);
}

namespace {
void check_std_tensor(const Tensor& std) {
    for (double s : std.to_vector())
        if (!(s >= 0.0) || !std::isfinite(s))
            throw ValueError("normal expects all elements of std >= 0.0 (and finite), but found std " + shortest_decimal(s));
}
// PyTorch's result type of two floating dtypes: equal stays, float64 wins, any other mix
// (float16/bfloat16/float32) is float32.
DType promote_floating(DType a, DType b) {
    if (a == b) return a;
    if (a == DType::Float64 || b == DType::Float64) return DType::Float64;
    return DType::Float32;
}
// `d` is the output dtype: normal(Tensor, double) keeps mean's dtype (the scalar std travels as a
// float64 tensor only to reach the kernel and must not promote the result).
Tensor normal_tensors(const Tensor& mean, const Tensor& std, Generator* gen, DType d) {
    require_floating(d, "normal");
    Shape shape = mean.defined() && std.defined() ? broadcast_shapes(mean.shape(), std.shape())
                  : mean.defined()                ? mean.shape()
                                                  : std.shape();
    const Device dev = mean.defined() ? mean.device() : std.device();
    Tensor t = Tensor::empty(shape, {d, dev});
    RandomRequest r;
    r.kind = RandomKind::Normal;
    return run_fill(t, r, gen, mean, std);
}
}  // namespace

Tensor normal(const Tensor& mean, const Tensor& std, Generator* gen) {
    require_floating(mean.dtype(), "normal");
    require_floating(std.dtype(), "normal");
    check_std_tensor(std);
    return normal_tensors(mean, std, gen, promote_floating(mean.dtype(), std.dtype()));
}
// The scalar of the mixed forms reaches the kernel as a one-element float64 tensor, so it is checked
// here, as the all-scalar forms' are in run_fill.
Tensor normal(const Tensor& mean, double std, Generator* gen) {
    if (!(std >= 0.0) || !std::isfinite(std)) throw ValueError("normal expects std >= 0.0, but found std " + shortest_decimal(std));
    require_floating(mean.dtype(), "normal");
    require_float32_range(std, mean.dtype(), "normal", "std");
    return normal_tensors(mean, full({}, std, {DType::Float64, mean.device()}), gen, mean.dtype());
}
Tensor normal(double mean, const Tensor& std, Generator* gen) {
    check_std_tensor(std);
    require_finite(mean, "normal", "mean");
    require_floating(std.dtype(), "normal");
    require_float32_range(mean, std.dtype(), "normal", "mean");
    Tensor m = full({}, mean, {DType::Float64, std.device()});
    Tensor s = std;
    Tensor t = Tensor::empty(std.shape(), {std.dtype(), std.device()});
    RandomRequest r;
    r.kind = RandomKind::Normal;
    return run_fill(t, r, gen, m, s);
}

// ---- other continuous distributions -------------------------------------------------------------
Tensor& exponential_(Tensor& t, double lambd, Generator* gen) {
    require_floating(t.dtype(), "exponential_");
    if (!(lambd > 0.0) || !std::isfinite(lambd))
        throw ValueError("exponential_ expects lambda > 0.0 (and finite), but found lambda=" + shortest_decimal(lambd));
    RandomRequest r;
    r.kind = RandomKind::Exponential;
    r.a = lambd;
    return run_fill(t, r, gen);
}

Tensor& log_normal_(Tensor& t, double mean, double std, Generator* gen) {
    require_floating(t.dtype(), "log_normal_");
    require_finite(mean, "log_normal_", "mean");
    if (!(std > 0.0) || !std::isfinite(std))
        throw ValueError("log_normal_ expects std > 0.0 (and finite), but found std=" + shortest_decimal(std));
    RandomRequest r;
    r.kind = RandomKind::LogNormal;
    r.a = mean;
    r.b = std;
    return run_fill(t, r, gen);
}

Tensor& cauchy_(Tensor& t, double median, double sigma, Generator* gen) {
    require_floating(t.dtype(), "cauchy_");
    require_finite(median, "cauchy_", "median");
    if (!(sigma > 0.0) || !std::isfinite(sigma))
        throw ValueError("cauchy_ expects sigma > 0.0 (and finite), but found sigma=" + shortest_decimal(sigma));
    RandomRequest r;
    r.kind = RandomKind::Cauchy;
    r.a = median;
    r.b = sigma;
    return run_fill(t, r, gen);
}

Tensor& geometric_(Tensor& t, double p, Generator* gen) {
    if (t.dtype() == DType::Bool) throw DTypeError("geometric_: dtype bool is not supported");
    if (!(p > 0.0 && p < 1.0)) throw ValueError("geometric_ expects p to be in (0, 1), but got p=" + shortest_decimal(p));
    RandomRequest r;
    r.kind = RandomKind::Geometric;
    r.a = p;
    return run_fill(t, r, gen);
}

Tensor poisson(const Tensor& rates, Generator* gen) {
    require_floating(rates.dtype(), "poisson");
    for (double v : rates.to_vector())
        if (!(v >= 0.0) || !std::isfinite(v))
            throw ValueError("poisson expects every rate to be finite and >= 0, but found rate " + shortest_decimal(v));
    Tensor t = Tensor::empty(rates.shape(), {rates.dtype(), rates.device()});
    RandomRequest r;
    r.kind = RandomKind::Poisson;
    return run_fill(t, r, gen, rates);
}

// ---- Bernoulli ----------------------------------------------------------------------------------
Tensor& bernoulli_(Tensor& t, double p, Generator* gen) {
    check_probability(p, "bernoulli_");
    RandomRequest r;
    r.kind = RandomKind::Bernoulli;
    r.a = p;
    return run_fill(t, r, gen);
}

Tensor bernoulli(const Tensor& p, Generator* gen) {
    require_floating(p.dtype(), "bernoulli");
    for (double v : p.to_vector()) check_probability(v, "bernoulli");
    Tensor t = Tensor::empty(p.shape(), {p.dtype(), p.device()});
    RandomRequest r;
    r.kind = RandomKind::Bernoulli;
    return run_fill(t, r, gen, p);
}

Tensor bernoulli(const Tensor& like, double p, Generator* gen) {
    Tensor t = Tensor::empty(like.shape(), {like.dtype(), like.device()});
    return bernoulli_(t, p, gen);
}

Tensor bernoulli(double p, const Shape& shape, TensorOptions opts, Generator* gen) {
    Tensor t = Tensor::empty(shape, opts);
    return bernoulli_(t, p, gen);
}

// ---- integers -----------------------------------------------------------------------------------
Tensor& random_(Tensor& t, int64_t from, int64_t to, Generator* gen) {
    if (from >= to)
        throw ValueError("random_ expects 'from' to be less than 'to', but got from=" + std::to_string(from) +
                         " >= to=" + std::to_string(to));
    check_int_range(from, to, t.dtype(), "random_");
    RandomRequest r;
    r.kind = RandomKind::RandInt;
    r.low = from;
    r.range = static_cast<uint64_t>(to) - static_cast<uint64_t>(from);
    return run_fill(t, r, gen);
}

Tensor randint(int64_t low, int64_t high, const Shape& shape, TensorOptions opts, Generator* gen) {
    if (low >= high)
        throw ValueError("randint expects low < high (high is exclusive), but got low=" + std::to_string(low) +
                         " >= high=" + std::to_string(high));
    check_int_range(low, high, opts.dtype, "randint");
    Tensor t = Tensor::empty(shape, opts);
    return random_(t, low, high, gen);
}

Tensor randint(int64_t high, const Shape& shape, TensorOptions opts, Generator* gen) {
    return randint(0, high, shape, opts, gen);
}

Tensor randperm(int64_t n, TensorOptions opts, Generator* gen) {
    if (n < 0) throw ValueError("randperm: n must be non-negative, got " + std::to_string(n));
    if (opts.dtype == DType::Bool) throw DTypeError("randperm: dtype bool is not supported");
    if (n > 0) check_int_range(0, n, opts.dtype, "randperm");
    check_allocation({n}, DType::Int64, opts.device);
    Generator& g = resolve(gen, opts.device);
    const uint64_t offset = g.reserve(static_cast<uint64_t>((n + 1) / 2));
    Tensor idx = Tensor::empty({n}, {DType::Int64, opts.device});
    if (n > 0) backend_for(opts.device).randperm(n, g.initial_seed(), offset, g.stream(), idx.data<int64_t>(), opts.device.index);
    return opts.dtype == DType::Int64 ? idx : idx.to(opts.dtype);
}

// ---- *_like -------------------------------------------------------------------------------------
Tensor rand_like(const Tensor& t, Generator* gen) { return rand(t.shape(), {t.dtype(), t.device()}, gen); }
Tensor randn_like(const Tensor& t, Generator* gen) { return randn(t.shape(), {t.dtype(), t.device()}, gen); }
Tensor randint_like(const Tensor& t, int64_t low, int64_t high, Generator* gen) {
    return randint(low, high, t.shape(), {t.dtype(), t.device()}, gen);
}

// ---- multinomial and logits ---------------------------------------------------------------------
// Note [Integer weights]: categorical draws convert each row's weights to integers
// q_j = round(w_j / max_w * 2^40) (at least 1 where w_j > 0), so prefix sums are exact and
// independent of summation order on any device; a draw is an exactly unbiased integer in
// [0, sum q) (Lemire, two words) located by binary search. Relative weights below 2^-41 of the
// largest are raised to 2^-40 (documented in docs/STREAMS.md).
namespace {
constexpr int64_t kMaxCategories = int64_t(1) << 23;

struct Rows {
    int64_t rows, cols;
    std::vector<double> w;  // rows*cols weights
};

Rows read_rows(const Tensor& probs, const char* op) {
    if (probs.dim() < 1 || probs.dim() > 2)
        throw ShapeError(std::string(op) + ": probability tensor must be 1 or 2 dim, got shape " + shape_str(probs.shape()));
    require_floating(probs.dtype(), op);
    Rows r;
    r.rows = probs.dim() == 2 ? probs.size(0) : 1;
    r.cols = probs.size(-1);
    if (r.cols == 0) throw ShapeError(std::string(op) + ": the number of categories must be > 0");
    if (r.cols > kMaxCategories)
        throw ShapeError(std::string(op) + ": " + std::to_string(r.cols) + " categories is more than the " +
                         std::to_string(kMaxCategories) + " supported");
    r.w = probs.to_vector();
    return r;
}

// integer_prefix and the draws live in tensor/simd/categorical.cpp (vectorised Philox words,
// split over threads in fixed chunks; same bits at every SIMD level and thread count).
Tensor draw_with_replacement(const Rows& r, int64_t num_samples, const Shape& out_shape, Device dev, Generator* gen) {
    Generator& g = resolve(gen, dev);
    const int64_t total = r.rows * num_samples;
    const uint64_t offset = g.reserve(static_cast<uint64_t>((total + 1) / 2));
    if (!dev.is_cpu()) {  // the device's own kernel where it has one: same words, same draws
        const Tensor w = from_vector(r.w, {r.rows, r.cols}, {DType::Float64}).to(dev);
        Tensor out = Tensor::empty(out_shape, {DType::Int64, dev});
        if (backend_for(dev).categorical(w.data<double>(), r.rows, r.cols, num_samples, g.initial_seed(), offset,
                                         g.stream(), out.data<int64_t>(), dev.index))
            return out;
    }
    Tensor out = Tensor::empty(out_shape, {DType::Int64, Device::cpu()});
    int64_t* o = out.data<int64_t>();
    simd::draw_with_replacement(r.w.data(), r.rows, r.cols, num_samples, g.initial_seed(), offset, g.stream(), o);
    return out.to(dev);
}
}  // namespace

Tensor multinomial(const Tensor& probs, int64_t num_samples, bool replacement, Generator* gen) {
    Rows r = read_rows(probs, "multinomial");
    if (num_samples <= 0)
        throw ValueError("multinomial: num_samples must be > 0, got " + std::to_string(num_samples));
    if (!replacement && num_samples > r.cols)
        throw ValueError("multinomial: cannot sample n_sample=" + std::to_string(num_samples) + " > prob_dist.size(-1)=" +
                         std::to_string(r.cols) + " samples without replacement");
    for (int64_t row = 0; row < r.rows; ++row) {
        double sum = 0.0;
        int64_t nonzero = 0;
        for (int64_t j = 0; j < r.cols; ++j) {
            const double v = r.w[row * r.cols + j];
            if (std::isnan(v) || std::isinf(v))
                throw ValueError("multinomial: probability tensor contains inf or nan (" + shortest_decimal(v) + " at row " +
                                 std::to_string(row) + ", column " + std::to_string(j) + ")");
            if (v < 0.0)
                throw ValueError("multinomial: probability tensor contains a negative element (" + shortest_decimal(v) + " at row " +
                                 std::to_string(row) + ", column " + std::to_string(j) + "); probabilities must be >= 0");
            sum += v;
            nonzero += v > 0.0;
        }
        if (!(sum > 0.0))
            throw ValueError("multinomial: invalid distribution (sum of probabilities <= 0) in row " + std::to_string(row));
        if (!replacement && nonzero < num_samples)
            throw ValueError("multinomial: invalid distribution with replacement=False: row " + std::to_string(row) +
                             " has only " + std::to_string(nonzero) + " non-zero categories for " +
                             std::to_string(num_samples) + " samples");
    }
    const Shape out_shape = probs.dim() == 2 ? Shape{r.rows, num_samples} : Shape{num_samples};
    check_allocation(out_shape, DType::Int64, probs.device());
    if (replacement) return draw_with_replacement(r, num_samples, out_shape, probs.device(), gen);

    // Without replacement: the exponential race. Category j of row r gets key w_j / E_j
    // (xf::race_key) from word (e%4) of block offset + e/4, e = r*cols + j; the samples are the
    // num_samples largest keys in descending order (ties: lower index first).
    Generator& g = resolve(gen, probs.device());
    const int64_t total = r.rows * r.cols;
    const uint64_t offset = g.reserve(static_cast<uint64_t>((total + 3) / 4));
    if (const Device dev = probs.device(); !dev.is_cpu()) {  // the device's kernel: same keys, same order
        const Tensor w = from_vector(r.w, {r.rows, r.cols}, {DType::Float64}).to(dev);
        Tensor out = Tensor::empty(out_shape, {DType::Int64, dev});
        if (backend_for(dev).categorical_without_replacement(w.data<double>(), r.rows, r.cols, num_samples,
                                                             g.initial_seed(), offset, g.stream(),
                                                             out.data<int64_t>(), dev.index))
            return out;
    }
    Tensor out = Tensor::empty(out_shape, {DType::Int64, Device::cpu()});
    int64_t* o = out.data<int64_t>();
    std::vector<double> key(static_cast<size_t>(r.cols));
    std::vector<int64_t> idx(static_cast<size_t>(r.cols));
    for (int64_t row = 0; row < r.rows; ++row) {
        for (int64_t j = 0; j < r.cols; ++j) {
            const int64_t e = row * r.cols + j;
            const PhiloxCounter c = philox_block(g.initial_seed(), offset + static_cast<uint64_t>(e / 4), g.stream());
            key[j] = xf::race_key(r.w[e], c.v[e % 4]);
        }
        std::iota(idx.begin(), idx.end(), int64_t{0});
        std::partial_sort(idx.begin(), idx.begin() + num_samples, idx.end(), [&](int64_t a, int64_t b) {
            return key[a] != key[b] ? key[a] > key[b] : a < b;
        });
        std::copy(idx.begin(), idx.begin() + num_samples, o + row * num_samples);
    }
    return out.to(probs.device());
}

namespace {
// Row weights exp((l - max) / T): unnormalised, the largest exactly 1, so Note [Integer weights]
// never depends on a summation order. T == 0 puts all weight on the first maximum.
Rows tempered_weights(const Tensor& logits, double temperature) {
    if (!(temperature >= 0.0) || !std::isfinite(temperature))
        throw ValueError("temperature must be finite and >= 0 (0 means argmax), got " + shortest_decimal(temperature));
    Rows r = read_rows(logits, "sample_logits");
    constexpr double kNegInf = -std::numeric_limits<double>::infinity();
    for (int64_t row = 0; row < r.rows; ++row) {
        double* l = r.w.data() + row * r.cols;
        double mx = kNegInf;
        int64_t arg = -1;
        for (int64_t j = 0; j < r.cols; ++j) {
            if (std::isnan(l[j]) || l[j] == -kNegInf)
                throw ValueError("sample_logits: logits must be finite or -inf, got " + shortest_decimal(l[j]) + " at row " +
                                 std::to_string(row) + ", column " + std::to_string(j));
            if (l[j] > mx) {
                mx = l[j];
                arg = j;
            }
        }
        if (arg < 0) throw ValueError("sample_logits: every logit of row " + std::to_string(row) + " is -inf");
        for (int64_t j = 0; j < r.cols; ++j) {
            if (temperature == 0.0) l[j] = j == arg ? 1.0 : 0.0;
            else l[j] = l[j] == kNegInf ? 0.0 : dm::exp(dm::div(dm::sub(l[j], mx), temperature));
        }
    }
    return r;
}
}  // namespace

Tensor softmax_with_temperature(const Tensor& logits, double temperature) {
    Rows r = tempered_weights(logits, temperature);
    for (int64_t row = 0; row < r.rows; ++row) {
        double* w = r.w.data() + row * r.cols;
        double sum = 0.0;
        for (int64_t j = 0; j < r.cols; ++j) sum += w[j];
        for (int64_t j = 0; j < r.cols; ++j) w[j] /= sum;
    }
    return from_vector(r.w, logits.shape(), {DType::Float64});
}

Tensor sample_logits(const Tensor& logits, double temperature, int64_t num_samples, Generator* gen) {
    if (std::isnan(temperature) || temperature < 0.0 || !std::isfinite(temperature))
        throw ValueError("temperature must be finite and >= 0 (0 means argmax), got " + shortest_decimal(temperature));
    if (num_samples <= 0) throw ValueError("sample_logits: num_samples must be > 0, got " + std::to_string(num_samples));
    if (temperature > 0.0 && logits.defined() && logits.device().is_cpu()) {  // one fused pass per row
        Tensor fast = simd::sample_logits_fast(logits, temperature, num_samples, resolve(gen, logits.device()));
        if (fast.defined()) return fast;
    }
    Rows r = tempered_weights(logits, temperature);
    const Shape out_shape = logits.dim() == 2 ? Shape{r.rows, num_samples} : Shape{num_samples};
    if (temperature == 0.0) {  // argmax mode: deterministic, consumes no random words
        Tensor out = Tensor::empty(out_shape, {DType::Int64, Device::cpu()});
        for (int64_t row = 0; row < r.rows; ++row) {
            const double* pr = r.w.data() + row * r.cols;
            const int64_t arg = std::max_element(pr, pr + r.cols) - pr;
            for (int64_t s = 0; s < num_samples; ++s) out.data<int64_t>()[row * num_samples + s] = arg;
        }
        return out.to(logits.device());
    }
    return draw_with_replacement(r, num_samples, out_shape, logits.device(), gen);
}

}  // namespace nl
