// Every random op of tensor/random.h as a uniform test subject: a name, the dtypes it supports,
// how to run it for an output shape with a generator, and how many Philox blocks it must consume
// (docs/STREAMS.md, table "Blocks per op"). Shared by the contract tests, the golden hashes and
// nl_stream_dump, so that a new op added here is covered by all three.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "tensor/generator.h"
#include "tensor/random.h"
#include "tensor/tensor.h"

namespace nl::testing {

struct OpCase {
    std::string name;            // unique, no spaces (used as a key in tests/golden/streams_v<N>.txt)
    std::vector<DType> dtypes;   // output (or input-parameter) dtypes the op supports
    // Runs the op on `device` so that its output has `shape` (or, for multinomial/sample_logits,
    // [rows,] num_samples; randperm: [n]) and dtype `d`, drawing from `gen`.
    std::function<Tensor(const Shape& shape, DType d, Generator& gen, Device device)> run_on;
    Tensor run(const Shape& shape, DType d, Generator& gen, Device device = Device::cpu()) const {
        return run_on(shape, d, gen, device);
    }
    // Philox blocks the op reserves for that shape and dtype, from the documented layout.
    std::function<uint64_t(const Shape& shape, DType d)> blocks;
    // Element i of the output depends on the stream and i alone (not on the numel): prefix and
    // batch stability hold for any shape. False: randperm, multinomial without replacement.
    bool elementwise = true;
    // Takes per-element parameters from param_tensor (element i's parameter depends on i), so
    // running at another offset is not a shifted copy of a longer run.
    bool indexed_params = false;
    // In-place form on an existing tensor (uniform_, normal_, ...), or empty.
    std::function<void(Tensor& t, Generator& gen)> fill;
    // Largest numel the op accepts for dtype d (randperm into float16 etc.), 0 = unlimited.
    std::function<int64_t(DType d)> max_numel;
};

const std::vector<OpCase>& op_catalog();
const OpCase& find_op(const std::string& name);  // throws std::out_of_range

// Deterministic per-element parameters (means, stds, probabilities, rates) used by the ops that
// take tensors; a function of the flat index only, so prefix stability can hold.
Tensor param_tensor(const std::string& which, const Shape& shape, DType d, Device device = Device::cpu());

// The bytes of a tensor, row-major, contiguous (exact comparison of any dtype).
std::vector<uint8_t> tensor_bytes(const Tensor& t);
// First `count` values as text ("0.25,-1.5,..."; integers exactly, floats with %.9g / %.17g).
std::string first_values(const Tensor& t, int64_t count);

const std::vector<DType>& floating_dtypes();
const std::vector<DType>& all_dtypes();

}  // namespace nl::testing
