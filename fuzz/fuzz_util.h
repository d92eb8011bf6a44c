// Shared helpers for the libFuzzer targets in fuzz/: run a parser on fuzz input and let only
// Noise Lab's own typed errors (tensor/errors.h) through; anything else aborts so libFuzzer
// records the input as a finding.
#pragma once
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "tensor/errors.h"

// An invariant the parser promised: abort (a libFuzzer finding) when it does not hold.
#define FUZZ_CHECK(cond)                                                                \
    do {                                                                                \
        if (!(cond)) {                                                                  \
            std::fprintf(stderr, "FUZZ_CHECK failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
            std::abort();                                                               \
        }                                                                               \
    } while (0)

namespace nl::fuzz {

// Runs f; an nl::Error (the documented way to refuse bad input) is fine, any other exception is
// a bug (a std::out_of_range from a stray .at(), nlohmann's own type_error, std::bad_alloc from
// an unchecked size...) and aborts with its message.
// Returns true when f finished without throwing.
template <class F>
bool expect_clean_rejection(F&& f) {
    try {
        f();
        return true;
    } catch (const nl::Error& e) {
        // Every refusal says something: an empty message would leave the user guessing.
        if (std::string(e.what()).empty()) {
            std::fprintf(stderr, "nl::Error with an empty message\n");
            std::abort();
        }
        return false;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "unexpected exception (not an nl::Error): %s\n", e.what());
        std::abort();
    } catch (...) {
        std::fprintf(stderr, "unexpected non-std exception\n");
        std::abort();
    }
}

}  // namespace nl::fuzz
