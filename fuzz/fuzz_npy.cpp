// libFuzzer target: nl::io::decode_npy on arbitrary bytes. A malformed file must raise an nl::
// exception (IOError / ValueError); anything else (a crash, an ASan/UBSan report, another
// exception type, a huge allocation) is a finding. A decoded tensor must match its header.
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_util.h"
#include "tensor/io/npy.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    nl::fuzz::expect_clean_rejection([&] {
        nl::Tensor t = nl::io::decode_npy(data, size, "fuzz.npy");
        // The data must have come from the input: never more elements than bytes.
        FUZZ_CHECK(t.defined());
        FUZZ_CHECK(static_cast<size_t>(t.numel()) <= size);
        // Re-encoding a decoded tensor and decoding it again gives the same bytes.
        auto again = nl::io::encode_npy(t);
        nl::Tensor u = nl::io::decode_npy(again.data(), again.size(), "fuzz-reencoded.npy");
        FUZZ_CHECK(nl::io::encode_npy(u) == again);
    });
    return 0;
}
