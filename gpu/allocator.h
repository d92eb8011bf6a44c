// The caching device-memory allocator of one GPU: cudaMalloc is slow and synchronising, so blocks
// freed by tensors are kept (per stream) and handed out again. Internal to gpu/.
//
// Sizes are rounded up (512 B steps below 1 MiB, 2 MiB steps above) so that blocks fit many
// requests; a cached block serves a request of the same stream when it is at most twice the
// rounded size (no splitting: simple, and fragmentation stays bounded). Blocks are stream-ordered:
// a block freed on stream S may be reused at once by later work on S, because S runs in order.
// When cudaMalloc fails the cache is returned to CUDA and the allocation retried once; then an
// nl::MemoryError names the request, the free and total memory and what the cache holds.
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <unordered_map>
#include <utility>

#include "gpu/device.h"

namespace nl::gpu {

class CachingAllocator {
public:
    explicit CachingAllocator(int device) : device_(device) {}
    ~CachingAllocator();
    CachingAllocator(const CachingAllocator&) = delete;
    CachingAllocator& operator=(const CachingAllocator&) = delete;

    void* allocate(size_t bytes, StreamHandle stream);
    void deallocate(void* p);
    // cudaFree every cached block (synchronises the device first).
    void release_cached();
    MemoryStats stats() const;
    size_t cached_bytes() const;

    static size_t round_size(size_t bytes);

private:
    struct Block {
        size_t size;
        StreamHandle stream;
    };
    void release_cached_locked();

    int device_;
    mutable std::mutex mutex_;
    std::multimap<std::pair<StreamHandle, size_t>, void*> free_;  // (stream, size) -> block
    std::unordered_map<void*, Block> live_;
    MemoryStats stats_;
};

// The allocator of a device (created with the CUDA backend; device in [0, device_count())).
CachingAllocator& allocator(int device);

// A device buffer from the caching allocator for the current stream, freed when it goes out of
// scope (for temporaries inside gpu/).
class DeviceBuffer {
public:
    DeviceBuffer() = default;
    DeviceBuffer(size_t bytes, int device);
    ~DeviceBuffer();
    DeviceBuffer(DeviceBuffer&& o) noexcept { swap(o); }
    DeviceBuffer& operator=(DeviceBuffer&& o) noexcept {
        swap(o);
        return *this;
    }
    DeviceBuffer(const DeviceBuffer&) = delete;
    DeviceBuffer& operator=(const DeviceBuffer&) = delete;
    void* get() const { return p_; }
    template <class T> T* as() const { return static_cast<T*>(p_); }
    size_t bytes() const { return bytes_; }

private:
    void swap(DeviceBuffer& o) noexcept {
        std::swap(p_, o.p_);
        std::swap(bytes_, o.bytes_);
        std::swap(device_, o.device_);
    }
    void* p_ = nullptr;
    size_t bytes_ = 0;
    int device_ = 0;
};

}  // namespace nl::gpu
