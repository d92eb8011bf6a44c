// The CUDA backend registered with tensor/'s dispatch (Backend: memory, copies, random ops), the
// one-time probe that decides whether CUDA is usable, and the device / stream / event / memory API
// of gpu/device.h. tensor/backend.cpp calls probe_cuda_backend() the first time anything asks for
// the CUDA backend; with no driver or no GPU it records why (nl::set_cuda_unavailable_reason)
// and the program goes on with the CPU (the app shows the reason once).
#include <cuda_runtime_api.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "gpu/allocator.h"
#include "gpu/cuda_check.h"
#include "gpu/host_staging.h"
#include "gpu/device.h"
#include "gpu/kernels.h"
#include "gpu/op_profiler.h"
#include "gpu/random_ops.h"
#include "tensor/backend.h"
#include "tensor/errors.h"

namespace nl::gpu {

DeviceOps* cuda_device_ops();  // cuda_ops.cpp

namespace {

// The calling thread's current stream per device (nullptr: the backend's default stream).
thread_local std::vector<StreamHandle> t_current_streams;

class CudaBackend final : public Backend {
public:
    explicit CudaBackend(int count) : count_(count), streams_(static_cast<size_t>(count), nullptr) {
        for (int d = 0; d < count; ++d) allocators_.push_back(std::make_unique<CachingAllocator>(d));
    }

    const char* name() const override { return "cuda"; }
    int device_count() const override { return count_; }

    size_t available_memory(int device) const override {
        DeviceGuard guard(device);
        size_t free_b = 0, total_b = 0;
        NL_CUDA_CHECK(cudaMemGetInfo(&free_b, &total_b));
        return free_b + allocators_[static_cast<size_t>(device)]->cached_bytes();
    }

    void* allocate(size_t bytes, int device) override {
        return allocators_[static_cast<size_t>(device)]->allocate(bytes, current_stream(device));
    }
    void deallocate(void* p, size_t, int device) override { allocators_[static_cast<size_t>(device)]->deallocate(p); }

    void copy_from_host(void* dst, const void* src, size_t bytes, int device) override {
        if (bytes == 0) return;
        const OpTimer timer("copy host->device", device);
        DeviceGuard guard(device);
        const StreamHandle s = current_stream(device);
        // Small copies through pinned staging buffers: queued, no wait for the GPU (host_staging.h).
        if (copy_to_device_staged(dst, src, bytes, device, s)) return;
        NL_CUDA_CHECK(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyHostToDevice, s));
        // The caller may free or reuse `src` as soon as we return.
        NL_CUDA_CHECK(cudaStreamSynchronize(s));
    }
    void copy_to_host(void* dst, const void* src, size_t bytes, int device) override {
        if (bytes == 0) return;
        const OpTimer timer("copy device->host", device);  // host time includes the wait for the GPU
        DeviceGuard guard(device);
        const StreamHandle s = current_stream(device);
        NL_CUDA_CHECK(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDeviceToHost, s));
        NL_CUDA_CHECK(cudaStreamSynchronize(s));
    }
    void copy_on_device(void* dst, const void* src, size_t bytes, int device) override {
        if (bytes == 0) return;
        const OpTimer timer("copy device->device", device);
        DeviceGuard guard(device);
        NL_CUDA_CHECK(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDeviceToDevice, current_stream(device)));
    }

    void random_fill(const RandomRequest& req, void* out, int device) override {
        const OpTimer timer("random_fill", device);
        gpu::random_fill(req, out, device);
    }
    void randperm(int64_t n, uint64_t seed, uint64_t offset, uint32_t stream, int64_t* out, int device) override {
        const OpTimer timer("randperm", device);
        gpu::randperm(n, seed, offset, stream, out, device);
    }
    bool categorical(const double* weights, int64_t rows, int64_t cols, int64_t num_samples, uint64_t seed,
                     uint64_t offset, uint32_t stream, int64_t* out, int device) override {
        const OpTimer timer("categorical", device);
        gpu::categorical(weights, rows, cols, num_samples, seed, offset, stream, out, device);
        return true;
    }

    bool categorical_without_replacement(const double* weights, int64_t rows, int64_t cols, int64_t num_samples,
                                         uint64_t seed, uint64_t offset, uint32_t stream, int64_t* out,
                                         int device) override {
        const OpTimer timer("categorical_without_replacement", device);
        DeviceGuard guard(device);
        detail::launch_race_draw(weights, rows, cols, num_samples, seed, offset, stream, out, device,
                                 current_stream(device));
        return true;
    }

    DeviceOps* ops() override { return cuda_device_ops(); }

    CachingAllocator& allocator(int device) { return *allocators_[static_cast<size_t>(device)]; }

    StreamHandle default_stream(int device) {
        std::lock_guard<std::mutex> lock(stream_mutex_);
        StreamHandle& s = streams_[static_cast<size_t>(device)];
        if (!s) {
            DeviceGuard guard(device);
            NL_CUDA_CHECK(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking));
        }
        return s;
    }

private:
    int count_;
    std::vector<std::unique_ptr<CachingAllocator>> allocators_;
    std::mutex stream_mutex_;
    std::vector<StreamHandle> streams_;  // never destroyed: they live as long as the CUDA context
};

CudaBackend& the_backend() {
    Backend* b = find_backend(DeviceType::CUDA);
    auto* cb = dynamic_cast<CudaBackend*>(b);
    if (!cb) throw DeviceError("CUDA is not available: " + cuda_unavailable_reason());
    return *cb;
}

void check_index(int device) {
    const int n = the_backend().device_count();
    if (device < 0 || device >= n)
        throw DeviceError("CUDA device " + std::to_string(device) + " does not exist; " + std::to_string(n) +
                          " device(s) found (valid: 0 to " + std::to_string(n - 1) + ")");
}

std::string error_words(cudaError_t e) {
    return std::string("error ") + std::to_string(static_cast<int>(e)) + ", " + cudaGetErrorName(e) + ": " +
           cudaGetErrorString(e);
}

}  // namespace

// Called once (tensor/backend.cpp, std::call_once): the backend, or nullptr with the reason set.
Backend* probe_cuda_backend() {
    std::string why;
    int count = 0;
    if (const char* env = std::getenv("NOISELAB_DISABLE_CUDA"); env && *env && std::string(env) != "0") {
        why = "disabled by the environment (NOISELAB_DISABLE_CUDA=" + std::string(env) + ")";
    } else {
        const cudaError_t e = cudaGetDeviceCount(&count);
        if (e != cudaSuccess) {
            cudaGetLastError();
            if (e == cudaErrorInsufficientDriver || e == cudaErrorNoDevice)
                why = (e == cudaErrorNoDevice ? "no CUDA-capable GPU found (cudaGetDeviceCount: "
                                              : "no usable CUDA driver (cudaGetDeviceCount: ") +
                      error_words(e) + ")";
            else
                why = "CUDA initialisation failed (cudaGetDeviceCount: " + error_words(e) + ")";
            count = 0;
        } else if (count == 0) {
            why = "no CUDA-capable GPU found (cudaGetDeviceCount returned 0 devices)";
        }
    }
    if (!why.empty()) {
        // Recorded, not printed: the program says it once where the user looks (the command
        // line's note, the GUI's status bar), from cuda_unavailable_reason().
        set_cuda_unavailable_reason(why);
        return nullptr;
    }
    static CudaBackend backend(count);
    return &backend;
}

CachingAllocator& allocator(int device) {
    check_index(device);
    return the_backend().allocator(device);
}

// ---- device.h -----------------------------------------------------------------------------------
bool is_available() { return find_backend(DeviceType::CUDA) != nullptr; }

int device_count() {
    Backend* b = find_backend(DeviceType::CUDA);
    return b ? b->device_count() : 0;
}

DeviceInfo device_info(int device) {
    check_index(device);
    cudaDeviceProp p{};
    NL_CUDA_CHECK(cudaGetDeviceProperties(&p, device));
    DeviceInfo info;
    info.index = device;
    info.name = p.name;
    info.major = p.major;
    info.minor = p.minor;
    info.total_memory = p.totalGlobalMem;
    info.multiprocessors = p.multiProcessorCount;
    info.max_threads_per_multiprocessor = p.maxThreadsPerMultiProcessor;
    info.l2_cache_bytes = static_cast<size_t>(p.l2CacheSize);
    info.memory_bus_width_bits = p.memoryBusWidth;
    char bus[32] = {0};
    if (cudaDeviceGetPCIBusId(bus, sizeof bus, device) == cudaSuccess) info.pci_bus_id = bus;
    else cudaGetLastError();
    return info;
}

std::string describe_devices() {
    if (!is_available()) return "no CUDA device: " + cuda_unavailable_reason();
    std::string out;
    for (int d = 0; d < device_count(); ++d) {
        const DeviceInfo i = device_info(d);
        char line[256];
        std::snprintf(line, sizeof line, "cuda:%d %s (compute %d.%d, %d SMs, %.1f GiB, bus %s)\n", d, i.name.c_str(),
                      i.major, i.minor, i.multiprocessors, static_cast<double>(i.total_memory) / (1u << 30),
                      i.pci_bus_id.c_str());
        out += line;
    }
    return out;
}

int current_device() {
    the_backend();
    int d = 0;
    NL_CUDA_CHECK(cudaGetDevice(&d));
    return d;
}

void set_device(int device) {
    check_index(device);
    NL_CUDA_CHECK(cudaSetDevice(device));
}

void synchronize(int device) {
    if (device < 0) device = current_device();
    check_index(device);
    DeviceGuard guard(device);
    NL_CUDA_CHECK(cudaDeviceSynchronize());
}

DeviceGuard::DeviceGuard(int device) {
    int prev = 0;
    NL_CUDA_CHECK(cudaGetDevice(&prev));
    if (prev != device) {
        NL_CUDA_CHECK(cudaSetDevice(device));
        previous_ = prev;
    }
}

DeviceGuard::~DeviceGuard() {
    if (previous_ >= 0) cudaSetDevice(previous_);  // a destructor must not throw
}

StreamHandle default_stream(int device) {
    check_index(device);
    return the_backend().default_stream(device);
}

StreamHandle current_stream(int device) {
    if (device >= 0 && device < static_cast<int>(t_current_streams.size()) && t_current_streams[static_cast<size_t>(device)])
        return t_current_streams[static_cast<size_t>(device)];
    return default_stream(device);
}

Stream::Stream(int device, bool non_blocking) : device_(device) {
    check_index(device);
    DeviceGuard guard(device);
    NL_CUDA_CHECK(cudaStreamCreateWithFlags(&stream_, non_blocking ? cudaStreamNonBlocking : cudaStreamDefault));
}

Stream::~Stream() {
    if (stream_) cudaStreamDestroy(stream_);
}

Stream::Stream(Stream&& o) noexcept : stream_(o.stream_), device_(o.device_) { o.stream_ = nullptr; }

Stream& Stream::operator=(Stream&& o) noexcept {
    std::swap(stream_, o.stream_);
    std::swap(device_, o.device_);
    return *this;
}

void Stream::synchronize() const {
    DeviceGuard guard(device_);
    NL_CUDA_CHECK(cudaStreamSynchronize(stream_));
}

bool Stream::done() const {
    DeviceGuard guard(device_);
    const cudaError_t e = cudaStreamQuery(stream_);
    if (e == cudaErrorNotReady) {
        cudaGetLastError();
        return false;
    }
    NL_CUDA_CHECK(e);
    return true;
}

StreamGuard::StreamGuard(int device, StreamHandle stream) : device_(device) {
    check_index(device);
    if (static_cast<int>(t_current_streams.size()) <= device) t_current_streams.resize(static_cast<size_t>(device) + 1, nullptr);
    previous_ = t_current_streams[static_cast<size_t>(device)];
    t_current_streams[static_cast<size_t>(device)] = stream;
}

StreamGuard::~StreamGuard() { t_current_streams[static_cast<size_t>(device_)] = previous_; }

Event::Event(int device) : device_(device) {
    check_index(device);
    DeviceGuard guard(device);
    NL_CUDA_CHECK(cudaEventCreate(&event_));
}

Event::~Event() {
    if (event_) cudaEventDestroy(event_);
}

void Event::record(StreamHandle stream) {
    DeviceGuard guard(device_);
    NL_CUDA_CHECK(cudaEventRecord(event_, stream));
}

void Event::synchronize() const { NL_CUDA_CHECK(cudaEventSynchronize(event_)); }

void Event::wait_on(StreamHandle stream) const {
    DeviceGuard guard(device_);
    NL_CUDA_CHECK(cudaStreamWaitEvent(stream, event_, 0));
}

float Event::elapsed_ms(const Event& start) const {
    float ms = 0.0f;
    NL_CUDA_CHECK(cudaEventElapsedTime(&ms, start.event_, event_));
    return ms;
}

MemoryStats memory_stats(int device) { return allocator(device).stats(); }

void empty_cache(int device) { allocator(device).release_cached(); }

// ---- random_ops.h: the raw-pointer entry points --------------------------------------------------
void random_fill(const RandomRequest& req, void* out, int device, LaunchConfig cfg) {
    check_index(device);
    DeviceGuard guard(device);
    detail::launch_random_fill(req, out, device, current_stream(device), cfg);
}

void randperm(int64_t n, uint64_t seed, uint64_t offset, uint32_t stream, int64_t* out, int device, LaunchConfig cfg) {
    check_index(device);
    DeviceGuard guard(device);
    detail::launch_randperm(n, seed, offset, stream, out, device, current_stream(device), cfg);
}

}  // namespace nl::gpu
