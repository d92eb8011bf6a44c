// NumPy .npy files (format versions 1.0, 2.0 and 3.0), so tensors move to and from Python with
// np.load / np.save. Readers are defensive: every size and offset is checked against the file
// before use and malformed files raise IOError naming the file and the problem.
//
// dtypes: float32 <f4, float16 <f2, float64 <f8, int64 <i8, int32 <i4, uint8 |u1, bool |b1.
// bfloat16 has no NumPy dtype: save_npy writes it as float32 (<f4), which holds every bfloat16
// value exactly, so np.load gives the same numbers (convert back with torch if the dtype matters).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "tensor/io/atomic_file.h"
#include "tensor/tensor.h"

namespace nl::io {

// The bytes of a .npy file holding t (any device or layout; written C-order, little-endian,
// format 1.0, or 2.0 when the header needs more than 64 KiB). Throws ValueError for an undefined t.
std::vector<uint8_t> encode_npy(const Tensor& t);
// Writes encode_npy(t) atomically (see write_file_atomic; without overwrite an existing file is kept).
void save_npy(const std::string& path, const Tensor& t, bool overwrite = false);

// Parses .npy bytes into a contiguous CPU tensor. Accepts format 1.0/2.0/3.0 headers, C or
// Fortran order (Fortran data is reordered to C order), little- or big-endian data (swapped),
// and the seven dtypes above. `name` is the file name used in error messages.
Tensor decode_npy(const uint8_t* data, size_t size, const std::string& name);
Tensor load_npy(const std::string& path, size_t max_bytes = kDefaultMaxFileBytes);

}  // namespace nl::io
