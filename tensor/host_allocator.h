// A caching allocator for host (CPU) tensor memory. Writing into freshly mapped 4 KiB pages runs at
// about 1.7 GB/s (a page fault and a zeroed page per 4 KiB) against about 27 GB/s into memory already
// mapped, so an op returning a new tensor would be dominated by page faults. Blocks from 64 KiB on
// are therefore kept when freed, for the next allocation of a similar size, up to a cap (default:
// the smaller of 2 GiB and 1/8 of the machine's memory; NOISELAB_HOST_CACHE_MB overrides, 0
// disables caching); large ones (>= 1 MiB) are mapped with transparent huge pages requested
// (MADV_HUGEPAGE), medium ones come from the C allocator. Smaller blocks use the C allocator
// directly. Thread-safe. The memory returned is uninitialised, like torch.empty.
#pragma once
#include <cstddef>
#include <cstdint>

namespace nl {

// 64-byte aligned; throws MemoryError (naming the size) when the system refuses.
void* host_allocate(size_t bytes);
void host_deallocate(void* p);

struct HostCacheStats {
    uint64_t cached_bytes = 0;     // free blocks held for reuse
    uint64_t cache_limit = 0;
    uint64_t hits = 0, misses = 0;  // allocations >= 64 KiB served from the cache / newly made
};
HostCacheStats host_cache_stats();
// Returns every cached free block to the system (e.g. before a very large allocation).
void host_cache_release();

// An uninitialised array from host_allocate, freed on destruction (scratch buffers of CPU ops).
template <class T>
class HostBuffer {
public:
    explicit HostBuffer(size_t n) : p_(static_cast<T*>(host_allocate(n * sizeof(T) + (n == 0)))) {}
    ~HostBuffer() { host_deallocate(p_); }
    HostBuffer(const HostBuffer&) = delete;
    HostBuffer& operator=(const HostBuffer&) = delete;
    T* data() const { return p_; }
    T& operator[](size_t i) const { return p_[i]; }

private:
    T* p_;
};

}  // namespace nl
