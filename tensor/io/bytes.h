// Byte-order helpers shared by the file-format readers and writers (npy, png, safetensors). Loads
// take a pointer the caller has already bounds-checked; they never read past the 2/4/8 bytes named.
#pragma once
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

// The formats store little-endian numbers (npy "<", safetensors); copying tensor data with
// memcpy is only right on a little-endian host, which every target of this project is.
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "tensor/io assumes a little-endian host");

namespace nl::io::detail {

inline uint16_t load_le16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }
inline uint32_t load_le32(const uint8_t* p) {
    return uint32_t(p[0]) | (uint32_t(p[1]) << 8) | (uint32_t(p[2]) << 16) | (uint32_t(p[3]) << 24);
}
inline uint64_t load_le64(const uint8_t* p) { return uint64_t(load_le32(p)) | (uint64_t(load_le32(p + 4)) << 32); }
inline uint32_t load_be32(const uint8_t* p) {
    return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | uint32_t(p[3]);
}

inline void append_le16(std::vector<uint8_t>& v, uint16_t x) {
    v.push_back(static_cast<uint8_t>(x));
    v.push_back(static_cast<uint8_t>(x >> 8));
}
inline void append_le32(std::vector<uint8_t>& v, uint32_t x) {
    for (int i = 0; i < 4; ++i) v.push_back(static_cast<uint8_t>(x >> (8 * i)));
}
inline void append_le64(std::vector<uint8_t>& v, uint64_t x) {
    for (int i = 0; i < 8; ++i) v.push_back(static_cast<uint8_t>(x >> (8 * i)));
}
inline void append_be32(std::vector<uint8_t>& v, uint32_t x) {
    for (int i = 3; i >= 0; --i) v.push_back(static_cast<uint8_t>(x >> (8 * i)));
}

// Reverses the bytes of each of `count` items of `itemsize` bytes (big-endian <-> little-endian).
inline void byteswap_items(uint8_t* p, size_t count, size_t itemsize) {
    if (itemsize < 2) return;
    for (size_t i = 0; i < count; ++i, p += itemsize)
        for (size_t a = 0, b = itemsize - 1; a < b; ++a, --b) std::swap(p[a], p[b]);
}

// out = a * b; returns true when the product overflows uint64 (then out is meaningless).
inline bool mul_overflow_u64(uint64_t a, uint64_t b, uint64_t& out) { return __builtin_mul_overflow(a, b, &out); }

// True when a tensor of these (non-negative) sizes can be laid out: the product of the sizes with
// zeros counted as 1 (what its contiguous strides multiply up to) fits int64. A shape holding a zero
// has no elements, so the element count alone does not catch (14000000, 0, 801, 2370752836200).
template <class Sizes>
bool strides_fit_int64(const Sizes& sizes) {
    uint64_t span = 1;
    for (auto d : sizes) {
        const uint64_t u = d > 1 ? static_cast<uint64_t>(d) : 1;
        if (mul_overflow_u64(span, u, span) || span > static_cast<uint64_t>(INT64_MAX)) return false;
    }
    return true;
}

}  // namespace nl::io::detail
