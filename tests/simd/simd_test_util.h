// Helpers for the SIMD tests: run a computation under every SIMD level the CPU has and several
// thread counts, and compare its bytes with the scalar reference run on one thread.
#pragma once
#include <gtest/gtest.h>

#include <cstring>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "tensor/parallel.h"
#include "tensor/simd/simd.h"
#include "tensor/tensor.h"

namespace nl::simdtest {

inline const std::vector<int>& thread_counts() {
    static const std::vector<int> t{1, 2, 3, 8};
    return t;
}

// Sets a level and a thread count for a scope, restoring the previous ones.
class LevelScope {
public:
    LevelScope(SimdLevel level, int threads) : level_(simd_level()), threads_(get_num_threads()) {
        set_simd_level(level);
        set_num_threads(threads);
    }
    ~LevelScope() {
        set_simd_level(level_);
        set_num_threads(threads_);
    }
    LevelScope(const LevelScope&) = delete;
    LevelScope& operator=(const LevelScope&) = delete;

private:
    SimdLevel level_;
    int threads_;
};

// Prints the levels the CPU lacks once, so a run on an older machine says what it skipped.
inline void note_unsupported_levels() {
    static bool said = false;
    if (said) return;
    said = true;
    for (SimdLevel l : {SimdLevel::SSE2, SimdLevel::AVX2, SimdLevel::AVX512})
        if (!simd_level_supported(l))
            std::printf("[  SKIPPED ] SIMD level %s: not supported by this CPU\n", simd_level_name(l));
}

inline std::string describe_difference(const Tensor& ref, const Tensor& got) {
    const Tensor r = ref.contiguous(), g = got.contiguous();
    const auto* a = static_cast<const unsigned char*>(r.data_ptr());
    const auto* b = static_cast<const unsigned char*>(g.data_ptr());
    const size_t es = r.element_size();
    size_t i = 0;
    while (i < r.nbytes() && a[i] == b[i]) ++i;
    const int64_t e = static_cast<int64_t>(i / es);
    std::ostringstream os;
    os.precision(17);
    os << "first difference at element " << e << ": reference " << r.flatten()[e].item() << ", got "
       << g.flatten()[e].item();
    return os.str();
}

inline bool same_bytes(const Tensor& a, const Tensor& b) {
    if (a.shape() != b.shape() || a.dtype() != b.dtype()) return false;
    const Tensor x = a.contiguous(), y = b.contiguous();
    return std::memcmp(x.data_ptr(), y.data_ptr(), x.nbytes()) == 0;
}

// make() must be deterministic (fresh generators inside). Its result under the scalar level on one
// thread is the reference; every supported level x thread count must give the same bytes.
inline void expect_same_everywhere(const std::string& what, const std::function<Tensor()>& make) {
    note_unsupported_levels();
    Tensor ref;
    {
        LevelScope s(SimdLevel::Scalar, 1);
        ref = make();
    }
    for (SimdLevel level : supported_simd_levels()) {
        for (int t : thread_counts()) {
            // The scalar level is the reference: one more thread count shows its split is neutral.
            if (level == SimdLevel::Scalar && t != 3) continue;
            LevelScope s(level, t);
            const Tensor got = make();
            ASSERT_TRUE(same_bytes(ref, got))
                << what << " at level " << simd_level_name(level) << " with " << t
                << " threads differs from the scalar reference: "
                << (ref.shape() == got.shape() ? describe_difference(ref, got) : "shapes differ");
        }
    }
}

}  // namespace nl::simdtest
