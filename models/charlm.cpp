// Character-model sampling (see charlm.h).
#include "models/charlm.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "tensor/errors.h"
#include "tensor/ops.h"
#include "tensor/random.h"

namespace nl::models {

char char_of(int64_t s) {
    if (s < 0 || s >= CharMLP::kVocab) throw ValueError("symbol " + std::to_string(s) + " is out of range; valid: 0 to 26");
    return s == 0 ? '.' : static_cast<char>('a' + s - 1);
}

int64_t symbol_of(char c) {
    if (c == '.') return 0;
    if (c >= 'a' && c <= 'z') return c - 'a' + 1;
    if (c >= 'A' && c <= 'Z') return c - 'A' + 1;
    throw ValueError(std::string("character '") + c + "' is not in the model's alphabet; valid: a-z");
}

namespace {

constexpr double kNegInf = -std::numeric_limits<double>::infinity();

// Applies fn(row values) -> keep mask to every row of a [V] or [R, V] logits tensor.
template <class Fn>
Tensor filter_rows(const Tensor& logits, Fn keep_fn) {
    if (logits.dim() != 1 && logits.dim() != 2)
        throw ShapeError("logits must be [V] or [R, V], got " + shape_str(logits.shape()));
    const int64_t V = logits.size(-1), R = logits.numel() / std::max<int64_t>(V, 1);
    std::vector<double> v = logits.cpu().to_vector();
    for (int64_t r = 0; r < R; ++r) {
        std::vector<double> row(v.begin() + r * V, v.begin() + (r + 1) * V);
        const std::vector<bool> keep = keep_fn(row);
        for (int64_t j = 0; j < V; ++j)
            if (!keep[j]) v[r * V + j] = kNegInf;
    }
    return from_vector(v, logits.shape(), {logits.dtype()}).to(logits.device());
}

}  // namespace

Tensor top_k_filter(const Tensor& logits, int64_t k) {
    if (k < 0) throw ValueError("top-k = " + std::to_string(k) + " must be >= 0 (0 disables it)");
    if (k == 0 || k >= logits.size(-1)) return logits;
    return filter_rows(logits, [k](const std::vector<double>& row) {
        std::vector<double> sorted = row;
        std::nth_element(sorted.begin(), sorted.begin() + (k - 1), sorted.end(), std::greater<double>());
        const double kth = sorted[k - 1];
        std::vector<bool> keep(row.size());
        for (size_t j = 0; j < row.size(); ++j) keep[j] = row[j] >= kth;
        return keep;
    });
}

Tensor top_p_filter(const Tensor& logits, double p, double temperature) {
    if (!(p > 0.0 && p <= 1.0)) throw ValueError("top-p = " + std::to_string(p) + " is out of range; valid: (0, 1]");
    if (p == 1.0) return logits;
    return filter_rows(logits, [p, temperature](const std::vector<double>& row) {
        const size_t V = row.size();
        // softmax(row / T); T == 0 keeps the argmax only.
        std::vector<size_t> order(V);
        for (size_t j = 0; j < V; ++j) order[j] = j;
        std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return row[a] > row[b]; });
        std::vector<bool> keep(V, false);
        if (temperature <= 0.0) {
            keep[order[0]] = true;
            return keep;
        }
        const double mx = row[order[0]];
        std::vector<double> e(V);
        double total = 0;
        for (size_t j = 0; j < V; ++j) total += e[j] = std::isinf(row[j]) && row[j] < 0 ? 0.0 : std::exp((row[j] - mx) / temperature);
        double acc = 0;
        for (size_t i = 0; i < V; ++i) {
            keep[order[i]] = true;
            acc += e[order[i]] / total;
            if (acc >= p) break;
        }
        return keep;
    });
}

void CharSampling::validate() const {
    if (!(temperature >= 0.0 && temperature <= 100.0))
        throw ValueError("temperature = " + std::to_string(temperature) + " is out of range; valid: 0 to 100");
    if (top_k < 0 || top_k > CharMLP::kVocab)
        throw ValueError("top-k = " + std::to_string(top_k) + " is out of range; valid: 0 (off) to 27");
    if (!(top_p > 0.0 && top_p <= 1.0)) throw ValueError("top-p = " + std::to_string(top_p) + " is out of range; valid: (0, 1]");
    if (max_length < 1 || max_length > 1000)
        throw ValueError("max length = " + std::to_string(max_length) + " is out of range; valid: 1 to 1000");
}

namespace {

Tensor context_of(const std::vector<int64_t>& symbols, int64_t C) {
    std::vector<double> ctx(C, 0.0);
    const int64_t n = static_cast<int64_t>(symbols.size());
    for (int64_t i = 0; i < std::min(n, C); ++i) ctx[C - 1 - i] = static_cast<double>(symbols[n - 1 - i]);
    return from_vector(ctx, {1, C}, {DType::Int64});
}

Tensor filtered_logits(const CharMLP& model, const std::vector<int64_t>& symbols, const CharSampling& s) {
    Tensor logits = model.forward(context_of(symbols, model.context())).reshape({CharMLP::kVocab});
    logits = top_k_filter(logits, s.top_k);
    return top_p_filter(logits, s.top_p, s.temperature);
}

std::vector<int64_t> symbols_of(const std::string& prefix) {
    std::vector<int64_t> out;
    for (char c : prefix) {
        const int64_t k = symbol_of(c);
        if (k == 0) throw ValueError("prefix '" + prefix + "' contains '.', the word boundary; use a-z only");
        out.push_back(k);
    }
    return out;
}

}  // namespace

Tensor next_char_probs(const CharMLP& model, const std::string& prefix, const CharSampling& s) {
    s.validate();
    return softmax_with_temperature(filtered_logits(model, symbols_of(prefix), s), s.temperature);
}

std::vector<std::string> sample_words(const CharMLP& model, int64_t n, const CharSampling& s, uint64_t seed,
                                      const std::string& prefix) {
    s.validate();
    if (n < 0 || n > 1000000) throw ValueError("n = " + std::to_string(n) + " is out of range; valid: 0 to 1000000");
    Generator gen(seed);
    const std::vector<int64_t> start = symbols_of(prefix);
    std::vector<std::string> words;
    for (int64_t w = 0; w < n; ++w) {
        std::vector<int64_t> sym = start;
        std::string word = prefix;
        for (int i = 0; i < s.max_length; ++i) {
            const int64_t k = static_cast<int64_t>(sample_logits(filtered_logits(model, sym, s), s.temperature, 1, &gen).item());
            if (k == 0) break;
            sym.push_back(k);
            word += char_of(k);
        }
        words.push_back(word);
    }
    return words;
}

Tensor words_tensor(const std::vector<std::string>& words) {
    size_t longest = 0;
    for (const std::string& w : words) longest = std::max(longest, w.size());
    const int64_t n = static_cast<int64_t>(words.size()), L = static_cast<int64_t>(longest) + 1;
    Tensor t = zeros({n, L}, {DType::Int64});
    int64_t* p = t.data<int64_t>();
    for (int64_t i = 0; i < n; ++i) {
        const std::string& w = words[static_cast<size_t>(i)];
        for (size_t j = 0; j < w.size(); ++j) {
            const int64_t k = symbol_of(w[j]);
            if (k == 0) throw ValueError("word '" + w + "' contains '.', the word boundary; use a-z only");
            p[i * L + static_cast<int64_t>(j)] = k;
        }
    }
    return t;
}

double char_nll(const CharMLP& model, const std::vector<std::string>& words) {
    std::vector<double> ctx, next;
    const int64_t C = model.context();
    for (const std::string& w : words) {
        std::vector<int64_t> sym;
        for (size_t i = 0; i <= w.size(); ++i) {
            const Tensor c = context_of(sym, C);
            for (double v : c.to_vector()) ctx.push_back(v);
            const int64_t k = i < w.size() ? symbol_of(w[i]) : 0;
            next.push_back(static_cast<double>(k));
            sym.push_back(k);
        }
    }
    const int64_t N = static_cast<int64_t>(next.size());
    if (N == 0) throw ValueError("char_nll: no words given");
    const Tensor logp = log_softmax(model.forward(from_vector(ctx, {N, C}, {DType::Int64})), -1);
    const Tensor picked = gather(logp, 1, from_vector(next, {N, 1}, {DType::Int64}).to(logp.device()));
    return -mean(picked.to(DType::Float64)).item();
}

}  // namespace nl::models
