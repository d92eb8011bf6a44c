// libFuzzer target: nl::io::decode_safetensors on arbitrary bytes. Malformed files must raise an
// nl:: exception; an accepted file must hold only data that was in the input and survive a
// re-encode / decode round trip unchanged.
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_util.h"
#include "tensor/io/safetensors.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    nl::io::Safetensors st;
    if (!nl::fuzz::expect_clean_rejection([&] { st = nl::io::decode_safetensors(data, size, "fuzz.safetensors"); }))
        return 0;
    size_t bytes = 0;
    for (const auto& [name, t] : st.tensors) {
        FUZZ_CHECK(!name.empty());
        FUZZ_CHECK(t.defined());
        bytes += static_cast<size_t>(t.numel()) * nl::dtype_size(t.dtype());
    }
    FUZZ_CHECK(bytes <= size);
    // What was accepted can be written and read back identically (no exception allowed here).
    auto again = nl::io::encode_safetensors(st.tensors, st.metadata);
    nl::io::Safetensors st2 = nl::io::decode_safetensors(again.data(), again.size(), "fuzz-reencoded.safetensors");
    FUZZ_CHECK(st2.metadata == st.metadata);
    FUZZ_CHECK(nl::io::encode_safetensors(st2.tensors, st2.metadata) == again);
    return 0;
}
