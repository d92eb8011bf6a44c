// libFuzzer target: the command line's number parsers (app/cli_parse.h): probability / number
// lists (--probs), single doubles, bounded integers, unsigned seeds and --range values. The first
// input byte picks the parser, the rest is the text. Bad text must raise an nl:: exception naming
// the flag; accepted values must be in range and survive format -> parse unchanged (bit for bit).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "app/cli_parse.h"
#include "fuzz/fuzz_util.h"

namespace {

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

template <class F>
bool parse_or_refuse(const char* flag, F&& f) {
    try {
        f();
        return true;
    } catch (const nl::Error& e) {
        FUZZ_CHECK(std::string(e.what()).find(flag) != std::string::npos);
        return false;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "unexpected exception: %s\n", e.what());
        std::abort();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    const uint8_t which = data[0];
    const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
    using namespace nl::app;
    switch (which % 5) {
    case 0: {  // --probs: a list of finite doubles (at most 64 here, to test the count limit)
        std::vector<double> v;
        const bool neg_inf = which & 0x80;
        if (!parse_or_refuse("--probs", [&] { v = parse_double_list(text, "--probs", 64, neg_inf); })) break;
        FUZZ_CHECK(!v.empty() && v.size() <= 64);
        for (double x : v) FUZZ_CHECK(std::isfinite(x) || (neg_inf && x == -INFINITY));
        const std::vector<double> w = parse_double_list(join_doubles(v), "--probs", 64, neg_inf);
        FUZZ_CHECK(w.size() == v.size());
        for (size_t i = 0; i < v.size(); ++i) FUZZ_CHECK(same_bits(v[i], w[i]));
        break;
    }
    case 1: {  // a single double
        double x = 0;
        if (!parse_or_refuse("--mean", [&] { x = parse_double(text, "--mean"); })) break;
        FUZZ_CHECK(std::isfinite(x));
        FUZZ_CHECK(same_bits(parse_double(format_double(x), "--mean"), x));
        break;
    }
    case 2: {  // a bounded integer
        int64_t x = 0;
        if (!parse_or_refuse("--low", [&] { x = parse_int(text, "--low", -1000000, 1000000); })) break;
        FUZZ_CHECK(x >= -1000000 && x <= 1000000);
        FUZZ_CHECK(parse_int(std::to_string(x), "--low", -1000000, 1000000) == x);
        break;
    }
    case 3: {  // an unsigned seed, full 64-bit range or a smaller ceiling
        const uint64_t hi = (which & 0x80) ? UINT64_MAX : 4294967295u;
        uint64_t x = 0;
        if (!parse_or_refuse("--seed", [&] { x = parse_uint(text, "--seed", hi); })) break;
        FUZZ_CHECK(x <= hi);
        FUZZ_CHECK(parse_uint(std::to_string(x), "--seed", hi) == x);
        break;
    }
    case 4: {  // --range
        nl::render::ValueRange r;
        if (!parse_or_refuse("--range", [&] { r = parse_value_range(text, "--range"); })) break;
        const nl::render::ValueRange q = parse_value_range(value_range_str(r), "--range");
        FUZZ_CHECK(q.mode == r.mode);
        if (r.mode == nl::render::ValueRange::Mode::Sigma) FUZZ_CHECK(r.k > 0 && same_bits(q.k, r.k));
        if (r.mode == nl::render::ValueRange::Mode::Fixed)
            FUZZ_CHECK(r.lo < r.hi && same_bits(q.lo, r.lo) && same_bits(q.hi, r.hi));
        if (r.mode == nl::render::ValueRange::Mode::Quantile) FUZZ_CHECK(r.q > 0 && r.q < 0.5 && same_bits(q.q, r.q));
        break;
    }
    }
    return 0;
}
