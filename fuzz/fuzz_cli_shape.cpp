// libFuzzer target: the --shape parser (nl::app::parse_shape). Bad text must raise an nl::
// exception naming the flag; an accepted shape must respect the documented limits (1-16 sizes,
// each >= 1, at most 2^40 elements) and read back the same from its canonical "a,b,c" form.
#include <cstddef>
#include <cstdint>
#include <string>

#include "app/cli_parse.h"
#include "fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    nl::Shape s;
    bool ok = false;
    try {
        s = nl::app::parse_shape(text, "--shape");
        ok = true;
    } catch (const nl::Error& e) {
        FUZZ_CHECK(std::string(e.what()).find("--shape") != std::string::npos);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "unexpected exception: %s\n", e.what());
        std::abort();
    }
    if (!ok) return 0;
    FUZZ_CHECK(!s.empty() && s.size() <= nl::app::kMaxRank);
    int64_t numel = 1;
    std::string canon;
    for (int64_t d : s) {
        FUZZ_CHECK(d >= 1 && d <= nl::app::kMaxNumel);
        numel *= d;  // no overflow: each partial product stays <= 2^40 when the whole does
        FUZZ_CHECK(numel <= nl::app::kMaxNumel);
        canon += (canon.empty() ? "" : ",") + std::to_string(d);
    }
    FUZZ_CHECK(nl::app::parse_shape(canon, "--shape") == s);
    return 0;
}
