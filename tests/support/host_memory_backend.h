// A stand-in for the CUDA backend that keeps "device" memory on the host, so that tests on
// machines without a GPU can make cuda:0 tensors and run every op, model and sampler on them
// through the device dispatch (tensor/ops_internal.h). Device memory holds every byte
// complemented, so code that reads or writes a device tensor's memory directly from the host
// (instead of through the backend's copies) gets wrong values and fails the tests, as it would
// crash on a GPU. Random ops delegate to the CPU backend (same words, same bits); optional
// stand-in kernels (DeviceOps) can be plugged in through ops(). Install it for a test with
// HostMemoryCuda::Install, which restores the real backend afterwards.
#pragma once
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <utility>
#include <vector>

#include "tensor/backend.h"
#include "tensor/dtype.h"
#include "tensor/philox.h"
#include "tensor/transforms.h"

namespace nl::test {

class HostMemoryCuda final : public Backend {
public:
    const char* name() const override { return "host-memory stand-in for cuda"; }
    int device_count() const override { return 1; }
    size_t available_memory(int) const override { return size_t{1} << 30; }
    void* allocate(size_t bytes, int) override { return std::malloc(bytes); }
    void deallocate(void* p, size_t, int) override { std::free(p); }
    void copy_from_host(void* dst, const void* src, size_t bytes, int) override { complemented(dst, src, bytes); }
    void copy_to_host(void* dst, const void* src, size_t bytes, int) override {
        if (kernel_depth() == 0) ++copies_to_host;
        complemented(dst, src, bytes);
    }
    void copy_on_device(void* dst, const void* src, size_t bytes, int) override { std::memcpy(dst, src, bytes); }
    void random_fill(const RandomRequest& req, void* out, int) override {
        // Per-element parameters live on the device too: give the CPU backend their host values.
        const size_t n = static_cast<size_t>(req.numel);
        std::vector<double> a(req.a_per_elem ? n : 0), b(req.b_per_elem ? n : 0);
        RandomRequest host = req;
        if (req.a_per_elem) complemented(a.data(), req.a_per_elem, n * sizeof(double)), host.a_per_elem = a.data();
        if (req.b_per_elem) complemented(b.data(), req.b_per_elem, n * sizeof(double)), host.b_per_elem = b.data();
        cpu().random_fill(host, out, 0);
        complemented(out, out, n * dtype_size(req.dtype));
    }
    void randperm(int64_t n, uint64_t seed, uint64_t offset, uint32_t stream, int64_t* out, int) override {
        cpu().randperm(n, seed, offset, stream, out, 0);
        complemented(out, out, static_cast<size_t>(n) * sizeof(int64_t));
    }
    // The exponential race as race_kernels.cu runs it: transforms.h's keys, then a stable sort of
    // each row by descending key (the same order as the CPU's partial_sort).
    bool categorical_without_replacement(const double* weights, int64_t rows, int64_t cols, int64_t num_samples,
                                         uint64_t seed, uint64_t offset, uint32_t stream, int64_t* out, int) override {
        ++race_draws;
        std::vector<double> w(static_cast<size_t>(rows * cols));
        complemented(w.data(), weights, w.size() * sizeof(double));
        std::vector<int64_t> draws;
        for (int64_t r = 0; r < rows; ++r) {
            std::vector<std::pair<double, int64_t>> keyed;
            for (int64_t j = 0; j < cols; ++j) {
                const uint64_t e = static_cast<uint64_t>(r * cols + j);
                keyed.push_back({xf::race_key(w[e], philox_block(seed, offset + e / 4, stream).v[e % 4]), j});
            }
            std::stable_sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
            for (int64_t s = 0; s < num_samples; ++s) draws.push_back(keyed[static_cast<size_t>(s)].second);
        }
        complemented(out, draws.data(), draws.size() * sizeof(int64_t));
        return true;
    }
    int64_t race_draws = 0;  // calls of categorical_without_replacement
    DeviceOps* ops() override { return kernels; }
    DeviceOps* kernels = nullptr;  // stand-in kernels, or none: every op then runs through the host

    // Copies from device to host memory made by the code under test: on a GPU each one waits for
    // the stream. Stand-in kernels read their inputs on the host inside a KernelScope, which a
    // real kernel would not do, so those copies are not counted.
    int64_t copies_to_host = 0;
    class KernelScope {
    public:
        KernelScope() { ++kernel_depth(); }
        ~KernelScope() { --kernel_depth(); }
        KernelScope(const KernelScope&) = delete;
        KernelScope& operator=(const KernelScope&) = delete;
    };

    // Registers a HostMemoryCuda for DeviceType::CUDA for its lifetime. find_backend is asked
    // first so that a real CUDA backend is probed (once per process) before being replaced, and
    // is put back at the end.
    class Install {
    public:
        explicit Install(HostMemoryCuda& b) : previous_(find_backend(DeviceType::CUDA)) {
            register_backend(DeviceType::CUDA, &b);
        }
        ~Install() { register_backend(DeviceType::CUDA, previous_); }
        Install(const Install&) = delete;
        Install& operator=(const Install&) = delete;

    private:
        Backend* previous_;
    };

private:
    static int& kernel_depth() {
        static thread_local int depth = 0;
        return depth;
    }
    static Backend& cpu() { return *find_backend(DeviceType::CPU); }
    static void complemented(void* dst, const void* src, size_t bytes) {
        auto* d = static_cast<unsigned char*>(dst);
        const auto* s = static_cast<const unsigned char*>(src);
        for (size_t i = 0; i < bytes; ++i) d[i] = static_cast<unsigned char>(~s[i]);
    }
};

}  // namespace nl::test
