// How much memory a device can give, and byte counts for messages. Used to refuse oversized
// requests before allocating (check_allocation in tensor.h).
#pragma once
#include <cstdint>
#include <string>

#include "tensor/device.h"

namespace nl {

// Bytes the device can still allocate: MemAvailable for the CPU (cgroup limits included), the
// free device memory for CUDA (through its backend).
uint64_t available_memory(Device device);
// "1.50 GiB", "512 B".
std::string format_bytes(uint64_t bytes);

}  // namespace nl
