// randperm on the CPU: the permutation that lists 0..n-1 by ascending (key, index), key of element i
// the 64-bit word pair it reads (docs/STREAMS.md). The scalar level sorts indices by key with
// std::sort (the reference). The fast path gives the same order:
//   1. v_i = (key_i >> b) << b | i, b = bits of n-1: one 64-bit value per element whose order is
//      (key prefix, index);
//   2. sort the v_i: scatter by their top 12 bits (parallel, stable), then per bucket a counting
//      sort on the next bits and an insertion sort that finishes the (nearly sorted) bucket;
//   3. where keys share the prefix (a run of equal v >> b, rare: ~n^2 / 2^(65-b) pairs), re-sort
//      that run by (full key, index).
// Every step is a function of n and the keys only, so the thread count never changes the result.
#include <algorithm>
#include <cstring>
#include <memory>
#include <numeric>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "tensor/host_allocator.h"
#include "tensor/parallel.h"
#include "tensor/philox.h"
#include "tensor/simd/cpu_random.h"
#include "tensor/simd/simd.h"
#include "tensor/transforms.h"

namespace nl::simd {

namespace {

constexpr int kTopBits = 12;                         // first-level buckets: 4096
constexpr int64_t kChunk = int64_t(1) << 18;         // elements per parallel task of steps 1-2
constexpr int64_t kSmall = int64_t(1) << 16;         // below: one std::sort

uint64_t key_of(uint64_t seed, uint64_t offset, uint32_t stream, int64_t i) {
    const PhiloxCounter c = philox_block(seed, offset + static_cast<uint64_t>(i / 2), stream);
    return (i % 2) ? xf::join64(c.v[2], c.v[3]) : xf::join64(c.v[0], c.v[1]);
}

void randperm_reference(int64_t n, uint64_t seed, uint64_t offset, uint32_t stream, int64_t* out) {
    std::vector<uint64_t> keys(static_cast<size_t>(n));
    parallel_for((n + 1) / 2, kBlocksPerChunk, [&](int64_t b0, int64_t b1) {
        for (int64_t q = b0; q < b1; ++q) {
            const PhiloxCounter c = philox_block(seed, offset + static_cast<uint64_t>(q), stream);
            keys[2 * q] = xf::join64(c.v[0], c.v[1]);
            if (2 * q + 1 < n) keys[2 * q + 1] = xf::join64(c.v[2], c.v[3]);
        }
    });
    std::iota(out, out + n, int64_t{0});
    std::sort(out, out + n, [&](int64_t a, int64_t b) { return keys[a] != keys[b] ? keys[a] < keys[b] : a < b; });
}

// Writes v_i for i in [i0, i1) (i0 even) into v; the key prefix keeps its top 64 - b - drop bits.
void make_values(uint64_t seed, uint64_t offset, uint32_t stream, int64_t n, int b, int drop, int64_t i0,
                 int64_t i1, uint64_t* v) {
    constexpr int64_t kTile = 512;  // blocks
    uint32_t words[4 * kTile];
    const uint64_t keep = ~uint64_t(0) << (b + drop);  // b + drop <= 63
    for (int64_t e = i0; e < i1; e += 2 * kTile) {
        const int64_t q0 = e / 2;
        const int64_t nb = std::min(kTile, (std::min(i1, n) - e + 1) / 2);
        philox_words(seed, stream, offset + static_cast<uint64_t>(q0), nb, words);
        const int64_t m = std::min<int64_t>(2 * nb, i1 - e);
        for (int64_t j = 0; j < m; ++j) {
            const uint64_t key = xf::join64(words[2 * j], words[2 * j + 1]);
            v[e + j] = (key & keep) | static_cast<uint64_t>(e + j);
        }
    }
}

// Sorts src[0..m) (values sharing their top kTopBits bits) into dst: two stable counting passes
// on the next 16 bits (least significant byte first; branch-free), then an insertion sort, which
// only moves the few values that still share those 28 top bits. tmp holds m values.
void sort_bucket(const uint64_t* src, int64_t m, int shift, uint64_t* dst, uint64_t* tmp) {
    if (m > (int64_t(1) << 20)) {  // far from the expected size: no assumption
        std::copy(src, src + m, dst);
        std::sort(dst, dst + m);
        return;
    }
    uint32_t c0[257] = {0}, c1[257] = {0};
    for (int64_t i = 0; i < m; ++i) {
        ++c0[((src[i] >> shift) & 0xFF) + 1];
        ++c1[((src[i] >> (shift + 8)) & 0xFF) + 1];
    }
    for (int d = 1; d < 257; ++d) {
        c0[d] += c0[d - 1];
        c1[d] += c1[d - 1];
    }
    for (int64_t i = 0; i < m; ++i) tmp[c0[(src[i] >> shift) & 0xFF]++] = src[i];
    for (int64_t i = 0; i < m; ++i) dst[c1[(tmp[i] >> (shift + 8)) & 0xFF]++] = tmp[i];
    for (int64_t i = 1; i < m; ++i) {
        const uint64_t x = dst[i];
        int64_t j = i;
        while (j > 0 && dst[j - 1] > x) {
            dst[j] = dst[j - 1];
            --j;
        }
        dst[j] = x;
    }
}

// Re-sorts runs of equal key prefix in sorted v[0..m) by (full key, index).
void fix_prefix_ties(uint64_t* v, int64_t m, int b, uint64_t seed, uint64_t offset, uint32_t stream) {
    const uint64_t idx_mask = (uint64_t(1) << b) - 1;
    for (int64_t i = 0; i + 1 < m;) {
        int64_t j = i + 1;
        while (j < m && (v[j] >> b) == (v[i] >> b)) ++j;
        if (j - i > 1) {
            std::vector<std::pair<uint64_t, int64_t>> run;
            for (int64_t t = i; t < j; ++t) {
                const int64_t idx = static_cast<int64_t>(v[t] & idx_mask);
                run.emplace_back(key_of(seed, offset, stream, idx), idx);
            }
            std::sort(run.begin(), run.end());
            const uint64_t prefix = v[i] & ~idx_mask;
            for (int64_t t = i; t < j; ++t) v[t] = prefix | static_cast<uint64_t>(run[t - i].second);
        }
        i = j;
    }
}

// The stable scatter of step 2 with software write-combining: each bucket collects a cache line
// of values before they go out in one (non-temporal, where SSE2 exists) 64-byte write, so 4096
// open destinations cost neither a read-for-ownership nor a cache line each.
class WriteCombiner {
public:
    explicit WriteCombiner(int buckets)
        : lines_(static_cast<size_t>(buckets) * 8 + 8), base_(buckets), lo_(buckets), fill_(buckets) {
        line0_ = lines_.data();
        while (reinterpret_cast<uintptr_t>(line0_) % 64) ++line0_;
    }
    // Writes src[0..m) to dst[pos[src[i] >> shift]++] in order (dst 64-byte aligned). The lines
    // at either end of a bucket's range may be shared with other chunks: only our slots of those
    // are written, with plain stores.
    void scatter(const uint64_t* src, int64_t m, int shift, const int64_t* pos, uint64_t* dst) {
        const size_t buckets = fill_.size();
        for (size_t d = 0; d < buckets; ++d) {
            base_[d] = pos[d] & ~int64_t(7);
            lo_[d] = fill_[d] = static_cast<uint8_t>(pos[d] & 7);
        }
        for (int64_t i = 0; i < m; ++i) {
            const uint64_t x = src[i];
            const size_t d = static_cast<size_t>(x >> shift);
            uint64_t* line = line0_ + d * 8;
            line[fill_[d]++] = x;
            if (fill_[d] == 8) {
                if (lo_[d] == 0) {
                    store_line(dst + base_[d], line);
                } else {
                    for (int k = lo_[d]; k < 8; ++k) dst[base_[d] + k] = line[k];
                    lo_[d] = 0;
                }
                base_[d] += 8;
                fill_[d] = 0;
            }
        }
        for (size_t d = 0; d < buckets; ++d)
            for (int k = lo_[d]; k < fill_[d]; ++k) dst[base_[d] + k] = line0_[d * 8 + k];
#if defined(__SSE2__)
        _mm_sfence();  // order the non-temporal stores before the caller's next step
#endif
    }

private:
    static void store_line(uint64_t* dst, const uint64_t* line) {
#if defined(__SSE2__)
        for (int k = 0; k < 8; k += 2)
            _mm_stream_si128(reinterpret_cast<__m128i*>(dst + k), _mm_load_si128(reinterpret_cast<const __m128i*>(line + k)));
#else
        std::memcpy(dst, line, 64);
#endif
    }

    std::vector<uint64_t> lines_;
    uint64_t* line0_;
    std::vector<int64_t> base_;
    std::vector<uint8_t> lo_, fill_;
};

}  // namespace

void cpu_randperm(int64_t n, uint64_t seed, uint64_t offset, uint32_t stream, int64_t* out) {
    if (n <= 0) return;
    if (simd_level() == SimdLevel::Scalar) {
        randperm_reference(n, seed, offset, stream, out);
        return;
    }
    randperm_radix(n, seed, offset, stream, out, 0);
}

void randperm_radix(int64_t n, uint64_t seed, uint64_t offset, uint32_t stream, int64_t* out, int drop) {
    if (n <= 0) return;
    int b = 1;
    while (b < 63 && (uint64_t(1) << b) < static_cast<uint64_t>(n)) ++b;  // indices < 2^b
    drop = std::max(0, std::min(drop, 63 - b));
    const uint64_t idx_mask = (uint64_t(1) << b) - 1;
    uint64_t* v = reinterpret_cast<uint64_t*>(out);  // the values live in the output until step 3

    if (n < kSmall || 64 - b < kTopBits) {
        make_values(seed, offset, stream, n, b, drop, 0, n, v);
        std::sort(v, v + n);
        fix_prefix_ties(v, n, b, seed, offset, stream);
        for (int64_t i = 0; i < n; ++i) out[i] = static_cast<int64_t>(v[i] & idx_mask);
        return;
    }

    // Steps 1-2: values and a per-chunk histogram of their top bits, then a stable scatter into w.
    HostBuffer<uint64_t> wbuf(static_cast<size_t>(n));
    uint64_t* w = wbuf.data();
    constexpr int kBuckets = 1 << kTopBits;
    constexpr int kShift = 64 - kTopBits;
    const int64_t chunks = (n + kChunk - 1) / kChunk;
    std::vector<uint32_t> hist(static_cast<size_t>(chunks) * kBuckets, 0);
    parallel_for(chunks, 1, [&](int64_t c0, int64_t c1) {
        for (int64_t c = c0; c < c1; ++c) {
            const int64_t i0 = c * kChunk, i1 = std::min(n, i0 + kChunk);
            make_values(seed, offset, stream, n, b, drop, i0, i1, v);
            uint32_t* h = hist.data() + c * kBuckets;
            for (int64_t i = i0; i < i1; ++i) ++h[v[i] >> kShift];
        }
    });
    std::vector<int64_t> bucket_start(kBuckets + 1, 0);
    std::vector<int64_t> pos(static_cast<size_t>(chunks) * kBuckets);
    int64_t acc = 0;
    for (int d = 0; d < kBuckets; ++d) {
        bucket_start[d] = acc;
        for (int64_t c = 0; c < chunks; ++c) {
            pos[c * kBuckets + d] = acc;
            acc += hist[c * kBuckets + d];
        }
    }
    bucket_start[kBuckets] = acc;
    parallel_for(chunks, 1, [&](int64_t c0, int64_t c1) {
        WriteCombiner wc(kBuckets);
        for (int64_t c = c0; c < c1; ++c) {
            const int64_t i0 = c * kChunk, i1 = std::min(n, i0 + kChunk);
            wc.scatter(v + i0, i1 - i0, kShift, pos.data() + c * kBuckets, w);
        }
    });

    // Step 3: sort each bucket of w in cache-resident scratch, repair prefix ties, and write the
    // indices into out.
    parallel_for(kBuckets, 64, [&](int64_t d0, int64_t d1) {
        std::vector<uint64_t> scratch, tmp;
        for (int64_t d = d0; d < d1; ++d) {
            const int64_t s = bucket_start[d], m = bucket_start[d + 1] - s;
            if (m == 0) continue;
            scratch.resize(static_cast<size_t>(m));
            tmp.resize(static_cast<size_t>(m));
            sort_bucket(w + s, m, kShift - 16, scratch.data(), tmp.data());
            fix_prefix_ties(scratch.data(), m, b, seed, offset, stream);
            for (int64_t i = 0; i < m; ++i) out[s + i] = static_cast<int64_t>(scratch[i] & idx_mask);
        }
    });
}

}  // namespace nl::simd
