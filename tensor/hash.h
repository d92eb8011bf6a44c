// A 64-bit content hash of a tensor (FNV-1a over dtype, shape and the row-major little-endian
// element bytes). It names tensors in PNG recipes and pins the streams in tests/golden/.
#pragma once
#include <cstdint>
#include <string>

#include "tensor/tensor.h"

namespace nl {

uint64_t tensor_hash(const Tensor& t);          // any device and layout
std::string hash_hex(uint64_t h);               // 16 lower-case hex digits
uint64_t fnv1a64(const void* data, size_t n, uint64_t h = 0xcbf29ce484222325ull);

}  // namespace nl
