// A stand-in for the CUDA backend that keeps "device" memory on the host, so that tests on
// machines without a GPU can make cuda:0 tensors and run every op, model and sampler on them
// through the device dispatch (tensor/ops_internal.h). Random ops delegate to the CPU backend
// (same words, same bits); optional stand-in kernels (DeviceOps) can be plugged in through ops().
// Install it for a test with HostMemoryCuda::Install, which restores the real backend afterwards.
#pragma once
#include <cstdlib>
#include <cstring>

#include "tensor/backend.h"

namespace nl::test {

class HostMemoryCuda final : public Backend {
public:
    const char* name() const override { return "host-memory stand-in for cuda"; }
    int device_count() const override { return 1; }
    size_t available_memory(int) const override { return size_t{1} << 30; }
    void* allocate(size_t bytes, int) override { return std::malloc(bytes); }
    void deallocate(void* p, size_t, int) override { std::free(p); }
    void copy_from_host(void* dst, const void* src, size_t bytes, int) override { std::memcpy(dst, src, bytes); }
    void copy_to_host(void* dst, const void* src, size_t bytes, int) override { std::memcpy(dst, src, bytes); }
    void copy_on_device(void* dst, const void* src, size_t bytes, int) override { std::memcpy(dst, src, bytes); }
    void random_fill(const RandomRequest& req, void* out, int) override { cpu().random_fill(req, out, 0); }
    void randperm(int64_t n, uint64_t seed, uint64_t offset, uint32_t stream, int64_t* out, int) override {
        cpu().randperm(n, seed, offset, stream, out, 0);
    }
    DeviceOps* ops() override { return kernels; }
    DeviceOps* kernels = nullptr;  // stand-in kernels, or none: every op then runs through the host

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
    static Backend& cpu() { return *find_backend(DeviceType::CPU); }
};

}  // namespace nl::test
