// The CPU backend: host memory (the caching allocator of host_allocator.h) and the random ops,
// whose CPU paths live in tensor/simd/ (vectorised per SIMD level, split over threads in fixed
// chunks, bit-identical to the scalar reference of random_block.h whatever the level or threads).
#include <cstring>

#include "tensor/backend.h"
#include "tensor/host_allocator.h"
#include "tensor/memory.h"
#include "tensor/simd/cpu_random.h"

namespace nl {

namespace {

class CpuBackend final : public Backend {
public:
    const char* name() const override { return "cpu"; }
    int device_count() const override { return 1; }
    size_t available_memory(int) const override { return nl::available_memory(Device::cpu()); }
    void* allocate(size_t bytes, int) override { return host_allocate(bytes); }
    void deallocate(void* p, size_t, int) override { host_deallocate(p); }
    void copy_from_host(void* dst, const void* src, size_t bytes, int) override { std::memcpy(dst, src, bytes); }
    void copy_to_host(void* dst, const void* src, size_t bytes, int) override { std::memcpy(dst, src, bytes); }
    void copy_on_device(void* dst, const void* src, size_t bytes, int) override { std::memcpy(dst, src, bytes); }

    void random_fill(const RandomRequest& req, void* out, int) override { simd::cpu_random_fill(req, out); }

    void randperm(int64_t n, uint64_t seed, uint64_t offset, uint32_t stream, int64_t* out, int) override {
        simd::cpu_randperm(n, seed, offset, stream, out);
    }
};
}  // namespace

Backend* cpu_backend_instance() {
    static CpuBackend b;
    return &b;
}

}  // namespace nl
