// The op catalogue of op_catalog.h. Parameters are fixed per op so that a golden line names the
// whole computation; blocks() restates docs/STREAMS.md independently of random_request.h.
#include "op_catalog.h"

#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <limits>
#include <stdexcept>

namespace nl::testing {

namespace {

uint64_t ceil_div(uint64_t a, uint64_t b) { return (a + b - 1) / b; }
uint64_t numel_of(const Shape& s) { return static_cast<uint64_t>(shape_numel(s)); }

// Elements per block of the elementwise ops (docs/STREAMS.md): one word each -> 4; two -> 2.
std::function<uint64_t(const Shape&, DType)> per_block(int f32, int f64) {
    return [f32, f64](const Shape& s, DType d) {
        return ceil_div(numel_of(s), static_cast<uint64_t>(d == DType::Float64 ? f64 : f32));
    };
}
std::function<uint64_t(const Shape&, DType)> fixed_per_block(int per) { return per_block(per, per); }

// Integer ranges each dtype can hold: bool [0, 2), uint8 [3, 250), bfloat16 [-3, 250) (exact
// integers up to 256), the others [-3, 1000).
std::pair<int64_t, int64_t> small_range(DType d) {
    if (d == DType::Bool) return {0, 2};
    if (d == DType::UInt8) return {3, 250};
    if (d == DType::BFloat16) return {-3, 250};
    return {-3, 1000};
}

// Probabilities for multinomial: [rows, 10] (or [10]); category 3 of every row is zero and the
// others vary with the row, so each row has 9 non-zero categories.
Tensor multinomial_probs(int64_t rows, bool two_d, DType d) {
    std::vector<double> w;
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t j = 0; j < 10; ++j) w.push_back(j == 3 ? 0.0 : 0.5 + static_cast<double>((r * 7 + j * 3) % 11));
    return from_vector(w, two_d ? Shape{rows, 10} : Shape{10}, {d});
}
// Logits for sample_logits: [rows, 12] (or [12]) with one -inf per row.
Tensor logits(int64_t rows, bool two_d, DType d) {
    std::vector<double> l;
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t j = 0; j < 12; ++j)
            l.push_back(j == 5 ? -std::numeric_limits<double>::infinity() : 0.25 * static_cast<double>((r * 5 + j * 7) % 13) - 1.0);
    return from_vector(l, two_d ? Shape{rows, 12} : Shape{12}, {d});
}
// [rows, num_samples] or [num_samples] -> (rows, num_samples, 2-D?)
void rows_samples(const Shape& s, int64_t& rows, int64_t& ns, bool& two_d) {
    two_d = s.size() == 2;
    rows = two_d ? s[0] : 1;
    ns = s.back();
}

std::vector<OpCase> build() {
    const std::vector<DType>& fl = floating_dtypes();
    const std::vector<DType>& all = all_dtypes();
    std::vector<OpCase> ops;
    auto add = [&](OpCase c) { ops.push_back(std::move(c)); };
    // Elementwise op given as an in-place fill on an empty tensor.
    auto inplace = [&](std::string name, std::vector<DType> dts, std::function<uint64_t(const Shape&, DType)> blocks,
                       std::function<void(Tensor&, Generator&)> fill) {
        OpCase c;
        c.name = std::move(name);
        c.dtypes = std::move(dts);
        c.blocks = std::move(blocks);
        c.fill = fill;
        c.run_on = [fill](const Shape& s, DType d, Generator& g, Device dev) {
            Tensor t = empty(s, {d, dev});
            fill(t, g);
            return t;
        };
        add(std::move(c));
    };
    auto factory = [&](std::string name, std::vector<DType> dts, std::function<uint64_t(const Shape&, DType)> blocks,
                       std::function<Tensor(const Shape&, DType, Generator&, Device)> run) {
        OpCase c;
        c.name = std::move(name);
        c.dtypes = std::move(dts);
        c.blocks = std::move(blocks);
        c.run_on = std::move(run);
        add(std::move(c));
    };

    // ---- uniform -----------------------------------------------------------------------------
    factory("rand", fl, per_block(4, 2), [](const Shape& s, DType d, Generator& g, Device dev) { return rand(s, {d, dev}, &g); });
    inplace("uniform_", fl, per_block(4, 2), [](Tensor& t, Generator& g) { uniform_(t, -2.0, 3.0, &g); });
    // [0.1, 0.1005): float32 rounding reaches b often, so the "largest value below b" rule runs
    // (bfloat16 has a single value there, so it is left out).
    inplace("uniform_narrow", {DType::Float32, DType::Float16, DType::Float64}, per_block(4, 2),
            [](Tensor& t, Generator& g) { uniform_(t, 0.1, 0.1005, &g); });
    factory("rand_like", fl, per_block(4, 2),
            [](const Shape& s, DType d, Generator& g, Device dev) { return rand_like(empty(s, {d, dev}), &g); });
    // ---- normal ------------------------------------------------------------------------------
    factory("randn", fl, per_block(4, 2), [](const Shape& s, DType d, Generator& g, Device dev) { return randn(s, {d, dev}, &g); });
    inplace("normal_", fl, per_block(4, 2), [](Tensor& t, Generator& g) { normal_(t, 0.5, 2.0, &g); });
    factory("normal_scalar", fl, per_block(4, 2),
            [](const Shape& s, DType d, Generator& g, Device dev) { return normal(-1.0, 0.25, s, {d, dev}, &g); });
    factory("normal_tensor_tensor", fl, per_block(4, 2), [](const Shape& s, DType d, Generator& g, Device dev) {
        return normal(param_tensor("mean", s, d, dev), param_tensor("std", s, d, dev), &g);
    });
    factory("normal_tensor_scalar", fl, per_block(4, 2),
            [](const Shape& s, DType d, Generator& g, Device dev) { return normal(param_tensor("mean", s, d, dev), 3.0, &g); });
    factory("normal_scalar_tensor", fl, per_block(4, 2),
            [](const Shape& s, DType d, Generator& g, Device dev) { return normal(2.0, param_tensor("std", s, d, dev), &g); });
    factory("randn_like", fl, per_block(4, 2),
            [](const Shape& s, DType d, Generator& g, Device dev) { return randn_like(empty(s, {d, dev}), &g); });
    inplace("log_normal_", fl, per_block(4, 2), [](Tensor& t, Generator& g) { log_normal_(t, 0.1, 0.5, &g); });
    // ---- other continuous ----------------------------------------------------------------------
    inplace("exponential_", fl, per_block(4, 2), [](Tensor& t, Generator& g) { exponential_(t, 1.5, &g); });
    inplace("cauchy_", fl, per_block(4, 2), [](Tensor& t, Generator& g) { cauchy_(t, 1.0, 2.0, &g); });
    std::vector<DType> geo = fl;
    for (DType d : {DType::Int64, DType::Int32, DType::UInt8}) geo.push_back(d);
    inplace("geometric_", geo, fixed_per_block(2), [](Tensor& t, Generator& g) { geometric_(t, 0.2, &g); });
    // p = 0.004: many values above 255 (uint8 saturates) and above float16's 2048 integers.
    inplace("geometric_small_p", geo, fixed_per_block(2), [](Tensor& t, Generator& g) { geometric_(t, 0.004, &g); });
    factory("poisson_small", fl, fixed_per_block(2),
            [](const Shape& s, DType d, Generator& g, Device dev) { return poisson(param_tensor("rate_small", s, d, dev), &g); });
    factory("poisson_large", fl, fixed_per_block(2),
            [](const Shape& s, DType d, Generator& g, Device dev) { return poisson(param_tensor("rate_large", s, d, dev), &g); });
    // ---- Bernoulli -----------------------------------------------------------------------------
    inplace("bernoulli_", all, fixed_per_block(4), [](Tensor& t, Generator& g) { bernoulli_(t, 0.3, &g); });
    factory("bernoulli_tensor", fl, fixed_per_block(4),
            [](const Shape& s, DType d, Generator& g, Device dev) { return bernoulli(param_tensor("p", s, d, dev), &g); });
    factory("bernoulli_like", all, fixed_per_block(4),
            [](const Shape& s, DType d, Generator& g, Device dev) { return bernoulli(empty(s, {d, dev}), 0.7, &g); });
    factory("bernoulli_shape", all, fixed_per_block(4),
            [](const Shape& s, DType d, Generator& g, Device dev) { return bernoulli(0.25, s, {d, dev}, &g); });
    // ---- integers ------------------------------------------------------------------------------
    inplace("random_", all, fixed_per_block(4), [](Tensor& t, Generator& g) {
        const auto [lo, hi] = small_range(t.dtype());
        random_(t, lo, hi, &g);
    });
    factory("randint", all, fixed_per_block(4), [](const Shape& s, DType d, Generator& g, Device dev) {
        const auto [lo, hi] = small_range(d);
        return randint(lo, hi, s, {d, dev}, &g);
    });
    factory("randint_like", all, fixed_per_block(4), [](const Shape& s, DType d, Generator& g, Device dev) {
        const auto [lo, hi] = small_range(d);
        return randint_like(empty(s, {d, dev}), lo, hi, &g);
    });
    // range 2^32 exactly: the raw word, no multiply
    factory("randint_full32", {DType::Int64, DType::Float64}, fixed_per_block(4), [](const Shape& s, DType d, Generator& g, Device dev) {
        return randint(-(int64_t(1) << 31), int64_t(1) << 31, s, {d, dev}, &g);
    });
    // range 2^31 + 1: about half the words are rejected, so attempts 1, 2, ... are exercised
    factory("randint_reject32", {DType::Int64, DType::Float64}, fixed_per_block(4),
            [](const Shape& s, DType d, Generator& g, Device dev) { return randint(0, (int64_t(1) << 31) + 1, s, {d, dev}, &g); });
    // range above 2^32: two words per element
    factory("randint_wide", {DType::Int64}, fixed_per_block(2),
            [](const Shape& s, DType d, Generator& g, Device dev) { return randint(5, (int64_t(1) << 40) + 3, s, {d, dev}, &g); });
    // range 2^63 + 1: two words, about half rejected
    factory("randint_reject64", {DType::Int64}, fixed_per_block(2), [](const Shape& s, DType d, Generator& g, Device dev) {
        return randint(-(int64_t(1) << 62), (int64_t(1) << 62) + 1, s, {d, dev}, &g);
    });
    // ---- permutations and categorical draws ------------------------------------------------------
    {
        OpCase c;
        c.name = "randperm";
        c.dtypes = {DType::Int64, DType::Int32, DType::Float32, DType::Float64, DType::Float16};
        c.elementwise = false;
        c.run_on = [](const Shape& s, DType d, Generator& g, Device dev) { return randperm(s.at(0), {d, dev}, &g); };
        c.blocks = [](const Shape& s, DType) { return ceil_div(numel_of(s), 2); };
        c.max_numel = [](DType d) -> int64_t { return d == DType::Float16 ? 2049 : 0; };
        add(c);
    }
    {
        OpCase c;
        c.name = "multinomial_replacement";
        c.dtypes = {DType::Float32, DType::Float64, DType::Float16};
        c.run_on = [](const Shape& s, DType d, Generator& g, Device dev) {
            int64_t rows, ns;
            bool two_d;
            rows_samples(s, rows, ns, two_d);
            return multinomial(multinomial_probs(rows, two_d, d).to(dev), ns, true, &g);
        };
        c.blocks = [](const Shape& s, DType) { return ceil_div(numel_of(s), 2); };
        add(c);
    }
    {
        OpCase c;
        c.name = "multinomial_no_replacement";
        c.dtypes = {DType::Float32, DType::Float64, DType::Float16};
        c.elementwise = false;
        c.run_on = [](const Shape& s, DType d, Generator& g, Device dev) {
            int64_t rows, ns;
            bool two_d;
            rows_samples(s, rows, ns, two_d);
            return multinomial(multinomial_probs(rows, two_d, d).to(dev), ns, false, &g);
        };
        c.blocks = [](const Shape& s, DType) {
            const uint64_t rows = s.size() == 2 ? static_cast<uint64_t>(s[0]) : 1;
            return ceil_div(rows * 10, 4);  // one word per category of every row
        };
        c.max_numel = [](DType) -> int64_t { return 9; };  // per row: 9 non-zero categories
        add(c);
    }
    {
        OpCase c;
        c.name = "sample_logits";
        c.dtypes = {DType::Float32, DType::Float64};
        c.run_on = [](const Shape& s, DType d, Generator& g, Device dev) {
            int64_t rows, ns;
            bool two_d;
            rows_samples(s, rows, ns, two_d);
            return sample_logits(logits(rows, two_d, d).to(dev), 0.7, ns, &g);
        };
        c.blocks = [](const Shape& s, DType) { return ceil_div(numel_of(s), 2); };
        add(c);
    }
    for (OpCase& c : ops)
        c.indexed_params = c.name.find("_tensor") != std::string::npos || c.name.rfind("poisson", 0) == 0;
    return ops;
}

}  // namespace

const std::vector<DType>& floating_dtypes() {
    static const std::vector<DType> v = {DType::Float32, DType::Float16, DType::BFloat16, DType::Float64};
    return v;
}
const std::vector<DType>& all_dtypes() {
    static const std::vector<DType> v(std::begin(kAllDTypes), std::end(kAllDTypes));
    return v;
}

const std::vector<OpCase>& op_catalog() {
    static const std::vector<OpCase> ops = build();
    return ops;
}

const OpCase& find_op(const std::string& name) {
    for (const OpCase& c : op_catalog())
        if (c.name == name) return c;
    throw std::out_of_range("no op named '" + name + "' in tests/core/op_catalog.cpp");
}

Tensor param_tensor(const std::string& which, const Shape& shape, DType d, Device device) {
    const int64_t n = shape_numel(shape);
    std::vector<double> v(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
        double x = 0.0;
        if (which == "mean") x = -1.0 + 0.125 * static_cast<double>(i % 17);
        else if (which == "std") x = 0.25 * static_cast<double>(i % 7);  // includes std 0
        else if (which == "p") x = static_cast<double>((i * 37) % 65) / 64.0;  // includes 0 and 1
        else if (which == "rate_small") x = 0.25 * static_cast<double>(i % 39);  // 0 .. 9.5
        else if (which == "rate_large") x = 10.0 + 37.5 * static_cast<double>(i % 29);  // 10 .. 1060
        else throw std::out_of_range("param_tensor: unknown parameter '" + which + "'");
        v[static_cast<size_t>(i)] = x;
    }
    return from_vector(v, shape, {d, device});
}

std::vector<uint8_t> tensor_bytes(const Tensor& t) {
    const Tensor c = t.cpu().contiguous();
    std::vector<uint8_t> b(c.nbytes());
    if (!b.empty()) std::memcpy(b.data(), c.data_ptr(), b.size());
    return b;
}

std::string first_values(const Tensor& t, int64_t count) {
    const Tensor c = t.cpu().contiguous().flatten();
    const int64_t n = std::min<int64_t>(count, c.numel());
    std::string out;
    char buf[64];
    for (int64_t i = 0; i < n; ++i) {
        if (i) out += ',';
        if (c.dtype() == DType::Int64) {
            std::snprintf(buf, sizeof buf, "%" PRId64, c.data<int64_t>()[i]);
        } else if (is_floating(c.dtype())) {
            const double v = c.narrow(0, i, 1).item();
            std::snprintf(buf, sizeof buf, c.dtype() == DType::Float64 ? "%.17g" : "%.9g", v);
        } else {
            std::snprintf(buf, sizeof buf, "%.0f", c.narrow(0, i, 1).item());
        }
        out += buf;
    }
    return out;
}

}  // namespace nl::testing
