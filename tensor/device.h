// Where a tensor lives: the CPU or CUDA device N. Parsing accepts PyTorch's spellings
// ("cpu", "cuda", "cuda:1").
#pragma once
#include <string>
#include <string_view>

namespace nl {

enum class DeviceType : uint8_t { CPU, CUDA };

struct Device {
    DeviceType type = DeviceType::CPU;
    int index = 0;

    static Device cpu() { return {}; }
    static Device cuda(int i = 0) { return {DeviceType::CUDA, i}; }
    bool is_cpu() const { return type == DeviceType::CPU; }
    bool is_cuda() const { return type == DeviceType::CUDA; }
    bool operator==(const Device& o) const { return type == o.type && index == o.index; }
    bool operator!=(const Device& o) const { return !(*this == o); }
    std::string str() const;  // "cpu", "cuda:0"
};

// Throws ValueError for anything else than cpu, cuda, cuda:N (N >= 0).
Device parse_device(std::string_view s);

}  // namespace nl
