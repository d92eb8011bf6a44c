// The caching device-memory allocator (see allocator.h for the policy).
#include "gpu/allocator.h"

#include <cuda_runtime_api.h>

#include "gpu/cuda_check.h"
#include "tensor/errors.h"
#include "tensor/memory.h"

namespace nl::gpu {

namespace {
constexpr size_t kSmallLimit = size_t(1) << 20;  // below: 512 B steps
constexpr size_t kSmallStep = 512;
constexpr size_t kLargeStep = size_t(2) << 20;
}  // namespace

size_t CachingAllocator::round_size(size_t bytes) {
    if (bytes == 0) bytes = 1;
    const size_t step = bytes < kSmallLimit ? kSmallStep : kLargeStep;
    return (bytes + step - 1) / step * step;
}

CachingAllocator::~CachingAllocator() {
    // At process exit the CUDA runtime may already be shutting down: errors are ignored here.
    for (auto& kv : free_) cudaFree(kv.second);
    for (auto& kv : live_) cudaFree(kv.first);
    cudaGetLastError();
}

void* CachingAllocator::allocate(size_t bytes, StreamHandle stream) {
    const size_t size = round_size(bytes);
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = free_.lower_bound({stream, size});
    if (it != free_.end() && it->first.first == stream && it->first.second <= 2 * size) {
        void* p = it->second;
        const size_t have = it->first.second;
        free_.erase(it);
        live_[p] = Block{have, stream};
        stats_.cached_bytes -= have;
        stats_.allocated_bytes += have;
        if (stats_.allocated_bytes > stats_.peak_allocated_bytes) stats_.peak_allocated_bytes = stats_.allocated_bytes;
        ++stats_.cache_hits;
        return p;
    }
    DeviceGuard guard(device_);
    void* p = nullptr;
    cudaError_t e = cudaMalloc(&p, size);
    if (e == cudaErrorMemoryAllocation) {
        cudaGetLastError();  // clear the sticky-free error before retrying
        release_cached_locked();
        e = cudaMalloc(&p, size);
    }
    if (e == cudaErrorMemoryAllocation) {
        cudaGetLastError();
        size_t free_b = 0, total_b = 0;
        cudaMemGetInfo(&free_b, &total_b);
        cudaGetLastError();
        throw MemoryError("cuda:" + std::to_string(device_) + " is out of memory: could not allocate " +
                          format_bytes(size) + " (" + format_bytes(free_b) + " free of " + format_bytes(total_b) +
                          "; " + format_bytes(stats_.allocated_bytes) + " held by live tensors)");
    }
    if (e != cudaSuccess) detail::throw_cuda(e, "cudaMalloc(&p, size)", __FILE__, __LINE__);
    live_[p] = Block{size, stream};
    stats_.allocated_bytes += size;
    if (stats_.allocated_bytes > stats_.peak_allocated_bytes) stats_.peak_allocated_bytes = stats_.allocated_bytes;
    ++stats_.device_allocations;
    return p;
}

void CachingAllocator::deallocate(void* p) {
    if (!p) return;
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = live_.find(p);
    if (it == live_.end()) return;  // not ours (or freed twice): never hand it out again
    const Block b = it->second;
    live_.erase(it);
    stats_.allocated_bytes -= b.size;
    stats_.cached_bytes += b.size;
    free_.emplace(std::make_pair(b.stream, b.size), p);
}

void CachingAllocator::release_cached_locked() {
    if (free_.empty()) return;
    DeviceGuard guard(device_);
    NL_CUDA_CHECK(cudaDeviceSynchronize());
    for (auto& kv : free_) NL_CUDA_CHECK(cudaFree(kv.second));
    free_.clear();
    stats_.cached_bytes = 0;
}

void CachingAllocator::release_cached() {
    std::lock_guard<std::mutex> lock(mutex_);
    release_cached_locked();
}

MemoryStats CachingAllocator::stats() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return stats_;
}

size_t CachingAllocator::cached_bytes() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return stats_.cached_bytes;
}

DeviceBuffer::DeviceBuffer(size_t bytes, int device)
    : p_(allocator(device).allocate(bytes, current_stream(device))), bytes_(bytes), device_(device) {}

DeviceBuffer::~DeviceBuffer() {
    if (p_) allocator(device_).deallocate(p_);
}

}  // namespace nl::gpu
