// Marks functions that compile both as host C++ and as CUDA device code, so the CPU loop and the
// CUDA kernel call the very same Philox round and transform (see docs/STREAMS.md).
#pragma once

#if defined(__CUDACC__)
#define NL_HOST_DEVICE __host__ __device__ __forceinline__
#else
#define NL_HOST_DEVICE inline
#endif
