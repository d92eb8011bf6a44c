// gpu/host_staging.h: a ring of pinned buffers per device, each with the event of its last copy.
#include "gpu/host_staging.h"

#include <cuda_runtime_api.h>

#include <array>
#include <cstring>
#include <mutex>
#include <vector>

#include "gpu/cuda_check.h"

namespace nl::gpu {

namespace {

constexpr int kBuffers = 8;  // copies in flight per device before the oldest buffer is waited for

struct Buffer {
    void* host = nullptr;
    cudaEvent_t copied = nullptr;  // recorded after the DMA from `host` was queued
    bool in_use = false;
};

struct Ring {
    std::array<Buffer, kBuffers> buffers;
    int next = 0;
    bool unavailable = false;  // pinned memory was refused once: stop asking
};

std::mutex& ring_mutex() {
    static std::mutex m;
    return m;
}

// One ring per device: an event belongs to the device it was made on. Never freed (the driver
// reclaims pinned memory at exit).
Ring& ring(int device) {
    static std::vector<Ring*> rings;
    if (device >= static_cast<int>(rings.size())) rings.resize(static_cast<size_t>(device) + 1, nullptr);
    if (!rings[static_cast<size_t>(device)]) rings[static_cast<size_t>(device)] = new Ring;
    return *rings[static_cast<size_t>(device)];
}

}  // namespace

bool copy_to_device_staged(void* dst, const void* src, size_t bytes, int device, StreamHandle stream) {
    if (bytes > kStagingBufferBytes) return false;
    std::lock_guard<std::mutex> lock(ring_mutex());
    Ring& r = ring(device);
    if (r.unavailable) return false;
    Buffer& b = r.buffers[static_cast<size_t>(r.next)];
    if (!b.host) {
        if (cudaHostAlloc(&b.host, kStagingBufferBytes, cudaHostAllocDefault) != cudaSuccess) {
            cudaGetLastError();  // a locked-memory limit, say: copy synchronously from now on
            b.host = nullptr;
            r.unavailable = true;
            return false;
        }
        NL_CUDA_CHECK(cudaEventCreateWithFlags(&b.copied, cudaEventDisableTiming));
    }
    // The buffer's previous copy must have been read before its bytes are replaced (usually long
    // done: seven other copies were queued since).
    if (b.in_use) NL_CUDA_CHECK(cudaEventSynchronize(b.copied));
    std::memcpy(b.host, src, bytes);
    NL_CUDA_CHECK(cudaMemcpyAsync(dst, b.host, bytes, cudaMemcpyHostToDevice, stream));
    NL_CUDA_CHECK(cudaEventRecord(b.copied, stream));
    b.in_use = true;
    r.next = (r.next + 1) % kBuffers;
    return true;
}

}  // namespace nl::gpu
