// Typed errors raised by the library. Messages name the bad value and the valid range; the command
// line prints them and exits with status 2, the GUI shows them in its status bar. Never exit().
#pragma once
#include <stdexcept>
#include <string>

namespace nl {

class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};
// A value outside its valid range (probability, std, temperature, bounds...).
class ValueError : public Error {
public:
    using Error::Error;
};
// Shapes that are malformed, negative, incompatible or too large.
class ShapeError : public Error {
public:
    using Error::Error;
};
// A dtype an op does not support.
class DTypeError : public Error {
public:
    using Error::Error;
};
// A request larger than the memory the machine (or GPU) has; raised before allocating.
class MemoryError : public Error {
public:
    using Error::Error;
};
// Files: unreadable, malformed, truncated, unwritable.
class IOError : public Error {
public:
    using Error::Error;
};
// Devices: no GPU, no driver, a failed CUDA call.
class DeviceError : public Error {
public:
    using Error::Error;
};

}  // namespace nl
