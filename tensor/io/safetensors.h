// safetensors files (Hugging Face's format for weights): an 8-byte little-endian header length,
// a JSON header {"name": {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {...}},
// then the data area. The reader trusts nothing: the header length is checked against the file
// and a 100 MB ceiling, the JSON against the schema (no duplicate keys, no unknown fields), and
// the tensors must tile the data area exactly (in bounds, no overlap, no holes, sizes matching
// numel * itemsize), as the reference implementation requires.
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "tensor/io/atomic_file.h"
#include "tensor/tensor.h"

namespace nl::io {

constexpr uint64_t kMaxSafetensorsHeader = 100'000'000;  // the reference implementation's limit

struct Safetensors {
    std::map<std::string, Tensor> tensors;            // contiguous CPU tensors
    std::map<std::string, std::string> metadata;      // "__metadata__" (string -> string)
};

// "F32", "F16", "BF16", "F64", "I64", "I32", "U8", "BOOL".
const char* safetensors_dtype_name(DType d);

// The bytes of a safetensors file (tensors in name order, header padded to 8 bytes so the data
// is aligned). Throws ValueError for an undefined tensor or an empty / reserved name.
std::vector<uint8_t> encode_safetensors(const std::map<std::string, Tensor>& tensors,
                                        const std::map<std::string, std::string>& metadata = {});
void save_safetensors(const std::string& path, const std::map<std::string, Tensor>& tensors,
                      const std::map<std::string, std::string>& metadata = {}, bool overwrite = false);

// Parses safetensors bytes; IOError naming `name` (and the tensor) for anything malformed.
Safetensors decode_safetensors(const uint8_t* data, size_t size, const std::string& name);
Safetensors load_safetensors(const std::string& path, size_t max_bytes = kDefaultMaxFileBytes);

}  // namespace nl::io
