// Host-to-device copies that do not wait for the GPU. A copy from ordinary (pageable) host memory
// had to synchronise the stream, since the caller may free the source as soon as the call returns;
// models copy a few small tensors to the GPU every step (the noise-level embedding, label rows), so
// every step waited for all queued kernels, and the host could never run ahead of the GPU. Here the
// bytes go first into one of a few pinned staging buffers (a host memcpy), the DMA from there is
// queued on the stream, and an event says when the buffer may be reused.
#pragma once
#include <cstddef>

#include "gpu/device.h"

namespace nl::gpu {

// Queues a copy of `bytes` from `src` (any host memory, free to reuse on return) to `dst` on
// `stream` of the current device. Returns false, having done nothing, when the copy is larger
// than a staging buffer or pinned memory cannot be had: the caller then copies synchronously.
bool copy_to_device_staged(void* dst, const void* src, size_t bytes, int device, StreamHandle stream);

// The size above which copy_to_device_staged declines.
constexpr size_t kStagingBufferBytes = size_t(4) << 20;

}  // namespace nl::gpu
