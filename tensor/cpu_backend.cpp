// The CPU backend: host memory and the CPU loops of the random ops, which call the reference
// block functions of random_block.h over fixed chunks of blocks (any thread count, same bits).
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <numeric>
#include <vector>

#include "tensor/backend.h"
#include "tensor/errors.h"
#include "tensor/memory.h"
#include "tensor/parallel.h"
#include "tensor/philox.h"
#include "tensor/random_block.h"

namespace nl {

namespace {
constexpr int64_t kBlocksPerChunk = 1 << 14;  // 64 Ki elements of one-word ops per task

class CpuBackend final : public Backend {
public:
    const char* name() const override { return "cpu"; }
    int device_count() const override { return 1; }
    size_t available_memory(int) const override { return nl::available_memory(Device::cpu()); }
    void* allocate(size_t bytes, int) override {
        const size_t rounded = (bytes + 63) / 64 * 64;
        void* p = std::aligned_alloc(64, rounded);
        if (!p) throw MemoryError("could not allocate " + format_bytes(bytes) + " of host memory");
        return p;
    }
    void deallocate(void* p, size_t, int) override { std::free(p); }
    void copy_from_host(void* dst, const void* src, size_t bytes, int) override { std::memcpy(dst, src, bytes); }
    void copy_to_host(void* dst, const void* src, size_t bytes, int) override { std::memcpy(dst, src, bytes); }
    void copy_on_device(void* dst, const void* src, size_t bytes, int) override { std::memcpy(dst, src, bytes); }

    void random_fill(const RandomRequest& req, void* out, int) override {
        const int64_t blocks = static_cast<int64_t>(blocks_for(req));
        dispatch_dtype(req.dtype, [&](auto tag) {
            using T = decltype(tag);
            T* o = static_cast<T*>(out);
            parallel_for(blocks, kBlocksPerChunk, [&](int64_t b0, int64_t b1) {
                for (int64_t q = b0; q < b1; ++q) xf::random_block<T>(req, static_cast<uint64_t>(q), o);
            });
        });
    }

    void randperm(int64_t n, uint64_t seed, uint64_t offset, uint32_t stream, int64_t* out, int) override {
        // Element i's key is the 64-bit word pair it reads (two elements per block); the
        // permutation lists indices by ascending (key, index).
        std::vector<uint64_t> keys(static_cast<size_t>(n));
        parallel_for((n + 1) / 2, kBlocksPerChunk, [&](int64_t b0, int64_t b1) {
            for (int64_t q = b0; q < b1; ++q) {
                const PhiloxCounter c = philox_block(seed, offset + static_cast<uint64_t>(q), stream);
                keys[2 * q] = xf::join64(c.v[0], c.v[1]);
                if (2 * q + 1 < n) keys[2 * q + 1] = xf::join64(c.v[2], c.v[3]);
            }
        });
        std::iota(out, out + n, int64_t{0});
        std::sort(out, out + n, [&](int64_t a, int64_t b) {
            return keys[a] != keys[b] ? keys[a] < keys[b] : a < b;
        });
    }
};
}  // namespace

Backend* cpu_backend_instance() {
    static CpuBackend b;
    return &b;
}

}  // namespace nl
