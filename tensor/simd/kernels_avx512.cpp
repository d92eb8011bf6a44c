// The random kernels compiled for AVX-512 F/DQ/BW/VL (flags in tensor/simd/sources.cmake); the
// code is the generic kernels_impl.h over the primitives of vec_avx512.h.
#include "tensor/simd/vec_avx512.h"

#define NL_SIMD_NS isa_avx512
#include "tensor/simd/kernels_impl.h"

namespace nl::simd {

const Kernels* kernels_avx512() {
    static const Kernels k = isa_avx512::make_kernels(SimdLevel::AVX512);
    return &k;
}

}  // namespace nl::simd
