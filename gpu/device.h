// CUDA device query and selection, streams, events and the caching allocator's statistics: the
// public face of gpu/ (plain C++, no CUDA headers, so gui/, app/ and tests may include it).
// Tensor code never needs this header: tensor/'s dispatch (backend.h) reaches the GPU by itself.
// Everything here answers "unavailable" (is_available() == false, device_count() == 0) when the
// machine has no CUDA driver or no GPU; functions that need a device then throw nl::DeviceError
// with the reason.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

struct CUstream_st;  // cudaStream_t is CUstream_st*; declared here so no CUDA header is needed
struct CUevent_st;

namespace nl::gpu {

using StreamHandle = CUstream_st*;

// ---- availability and devices ---------------------------------------------------------------
// Probes the driver once per process; when CUDA is unusable, nl::cuda_unavailable_reason() says why.
bool is_available();
int device_count();  // 0 when unavailable

struct DeviceInfo {
    int index = 0;
    std::string name;                    // "NVIDIA H200"
    int major = 0, minor = 0;            // compute capability
    size_t total_memory = 0;             // bytes
    int multiprocessors = 0;
    int max_threads_per_multiprocessor = 0;
    size_t l2_cache_bytes = 0;
    int memory_bus_width_bits = 0;
    std::string pci_bus_id;              // "0000:1B:00.0"
};
DeviceInfo device_info(int device);       // throws DeviceError for an index out of range
std::string describe_devices();           // one line per device, or the reason there are none

int current_device();
void set_device(int device);              // throws DeviceError naming the valid range
void synchronize(int device = -1);        // waits for all work on the device (-1: current)

// Sets the current device for a scope and restores the previous one.
class DeviceGuard {
public:
    explicit DeviceGuard(int device);
    ~DeviceGuard();
    DeviceGuard(const DeviceGuard&) = delete;
    DeviceGuard& operator=(const DeviceGuard&) = delete;

private:
    int previous_ = -1;
};

// ---- streams ----------------------------------------------------------------------------------
// Every op on a device is queued on the calling thread's current stream for that device: the
// backend's own non-blocking stream (created on first use), unless a StreamGuard set another.
// Copies to the host synchronise that stream. Memory freed by a tensor becomes reusable for later
// work on the stream it was allocated on; a tensor used on another stream must be synchronised
// with it by the caller before it is freed (as with PyTorch's record_stream).
StreamHandle default_stream(int device);
StreamHandle current_stream(int device);

class Stream {
public:
    explicit Stream(int device, bool non_blocking = true);
    ~Stream();
    Stream(Stream&& o) noexcept;
    Stream& operator=(Stream&& o) noexcept;
    Stream(const Stream&) = delete;
    Stream& operator=(const Stream&) = delete;
    StreamHandle handle() const { return stream_; }
    int device() const { return device_; }
    void synchronize() const;
    bool done() const;  // all queued work finished

private:
    StreamHandle stream_ = nullptr;
    int device_ = 0;
};

// Makes `stream` the current stream of its device on this thread for a scope.
class StreamGuard {
public:
    explicit StreamGuard(const Stream& stream) : StreamGuard(stream.device(), stream.handle()) {}
    StreamGuard(int device, StreamHandle stream);
    ~StreamGuard();
    StreamGuard(const StreamGuard&) = delete;
    StreamGuard& operator=(const StreamGuard&) = delete;

private:
    int device_;
    StreamHandle previous_;
};

// A CUDA event for timing (benchmarks) and cross-stream ordering.
class Event {
public:
    explicit Event(int device);
    ~Event();
    Event(const Event&) = delete;
    Event& operator=(const Event&) = delete;
    void record(StreamHandle stream);
    void synchronize() const;
    void wait_on(StreamHandle stream) const;         // stream waits for this event
    float elapsed_ms(const Event& start) const;      // start.record() ... this->record()

private:
    CUevent_st* event_ = nullptr;
    int device_ = 0;
};

// ---- memory -----------------------------------------------------------------------------------
struct MemoryStats {
    size_t allocated_bytes = 0;   // in live tensors (rounded sizes)
    size_t cached_bytes = 0;      // freed by tensors, kept for reuse
    size_t peak_allocated_bytes = 0;
    uint64_t device_allocations = 0;  // cudaMalloc calls
    uint64_t cache_hits = 0;          // allocations served from the cache
};
MemoryStats memory_stats(int device);
// Returns the cached blocks of the device to CUDA (cudaFree), after synchronising the device.
void empty_cache(int device);

}  // namespace nl::gpu
