// The random kernels compiled for SSE2 (the x86-64 baseline) (flags in tensor/simd/sources.cmake); the
// code is the generic kernels_impl.h over the primitives of vec_sse2.h.
#include "tensor/simd/vec_sse2.h"

#define NL_SIMD_NS isa_sse2
#include "tensor/simd/kernels_impl.h"

namespace nl::simd {

const Kernels* kernels_sse2() {
    static const Kernels k = isa_sse2::make_kernels(SimdLevel::SSE2);
    return &k;
}

}  // namespace nl::simd
