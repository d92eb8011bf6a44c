// The random kernels compiled for AVX2 + FMA + F16C (flags in tensor/simd/sources.cmake); the
// code is the generic kernels_impl.h over the primitives of vec_avx2.h.
#include "tensor/simd/vec_avx2.h"

#define NL_SIMD_NS isa_avx2
#include "tensor/simd/kernels_impl.h"

namespace nl::simd {

const Kernels* kernels_avx2() {
    static const Kernels k = isa_avx2::make_kernels(SimdLevel::AVX2);
    return &k;
}

}  // namespace nl::simd
