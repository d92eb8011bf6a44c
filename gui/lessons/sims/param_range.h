// The simulations' parameter checks: a ValueError naming the simulation, the field, the bad value
// and the valid range, e.g. "moons: hidden = 100 must be in [2, 64]".
#pragma once
#include <cstdint>
#include <string>

#include "tensor/errors.h"

namespace nl::gui::sims {

inline void check_int_range(const char* sim, const char* field, int64_t v, int64_t lo, int64_t hi) {
    if (v < lo || v > hi)
        throw ValueError(std::string(sim) + ": " + field + " = " + std::to_string(v) + " must be in [" +
                         std::to_string(lo) + ", " + std::to_string(hi) + "]");
}

// NaN is outside every range.
inline void check_real_range(const char* sim, const char* field, double v, double lo, double hi) {
    if (!(v >= lo && v <= hi))
        throw ValueError(std::string(sim) + ": " + field + " = " + std::to_string(v) + " must be in [" +
                         std::to_string(lo) + ", " + std::to_string(hi) + "]");
}

}  // namespace nl::gui::sims
