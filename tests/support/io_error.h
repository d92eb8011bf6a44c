// The message of the IOError a call throws, for the tests of file reading and writing; the test
// fails when it throws nothing (or something else).
#pragma once
#include <gtest/gtest.h>

#include <string>

#include "tensor/errors.h"

namespace nl::test {

template <class F>
std::string io_error_of(F&& f) {
    try {
        f();
    } catch (const IOError& e) {
        return e.what();
    }
    ADD_FAILURE() << "expected nl::IOError";
    return {};
}

}  // namespace nl::test
