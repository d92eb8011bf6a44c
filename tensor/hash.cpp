#include "tensor/hash.h"

#include <cstdio>

namespace nl {

uint64_t fnv1a64(const void* data, size_t n, uint64_t h) {
    const auto* p = static_cast<const uint8_t*>(data);
    for (size_t i = 0; i < n; ++i) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

uint64_t tensor_hash(const Tensor& t) {
    const Tensor c = t.cpu().contiguous();
    const uint8_t d = static_cast<uint8_t>(t.dtype());
    uint64_t h = fnv1a64(&d, 1);
    for (int64_t s : t.shape()) h = fnv1a64(&s, sizeof s, h);
    return fnv1a64(c.data_ptr(), c.nbytes(), h);
}

std::string hash_hex(uint64_t h) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

}  // namespace nl
