// Self-checks of GPU instructions the bit-exact paths rely on. First, the float32 -> float16
// conversion instruction against the portable definition in tensor/half.h, over every one of the
// 2^32 float32 bit patterns. Device code uses the instruction (one instead of about fifteen integer
// operations); the CPU uses the definition; CPU == GPU for float16 tensors rests on the two
// agreeing everywhere, which this proves on the GPU at hand (tests/gpu/test_parity.cpp, a few
// milliseconds).
#pragma once
#include <cstdint>

namespace nl::gpu {

struct ConversionMismatch {
    uint64_t count = 0;       // inputs whose float16 bits differ
    uint32_t first_input = 0; // the smallest such input's bits (valid when count > 0)
};

// Runs on `device`, synchronously.
ConversionMismatch check_half_conversion(int device = 0);

// The same for dm::sqrt_radius (the Box-Muller radius's square root from the GPU's approximate
// reciprocal square root) against the IEEE square root instruction, over every float32 the
// radius can take the root of: 0 and [2^-24, 64). first_input: the smallest differing input.
ConversionMismatch check_radius_sqrt(int device = 0);

}  // namespace nl::gpu
