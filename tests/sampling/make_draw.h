// A Draw from its distribution, two parameters, shape and dtype, for the sampling tests.
#pragma once
#include <utility>

#include "sampling/draw.h"

namespace nl::sampling::test {

inline Draw make_draw(Dist dist, double a, double b, Shape shape, DType dtype) {
    Draw d;
    d.dist = dist;
    d.params[0] = a;
    d.params[1] = b;
    d.shape = std::move(shape);
    d.dtype = dtype;
    return d;
}

}  // namespace nl::sampling::test
