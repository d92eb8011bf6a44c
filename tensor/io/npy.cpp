// .npy reader and writer. The header is a Python dict literal; we parse the small subset NumPy
// writes (strings, True/False, tuples of integers) with a strict hand-written parser rather than
// anything resembling eval, and check every length against the bytes actually present.
#include "tensor/io/npy.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <set>

#include "tensor/errors.h"
#include "tensor/io/bytes.h"

namespace nl::io {
namespace {

constexpr uint8_t kMagic[6] = {0x93, 'N', 'U', 'M', 'P', 'Y'};
constexpr size_t kMaxRank = 64;  // NumPy 2's NPY_MAXDIMS; NumPy 1 allows 32

struct NpyType {
    DType dtype;
    bool big_endian;
};

// The descr NumPy writes for each dtype we store (bfloat16 is saved as float32 before this).
const char* descr_of(DType d) {
    switch (d) {
        case DType::Float32: return "<f4";
        case DType::Float16: return "<f2";
        case DType::Float64: return "<f8";
        case DType::Int64: return "<i8";
        case DType::Int32: return "<i4";
        case DType::UInt8: return "|u1";
        case DType::Bool: return "|b1";
        case DType::BFloat16: break;
    }
    throw DTypeError(std::string("no .npy dtype for ") + dtype_name(d));
}

constexpr const char* kSupportedDescrs = "<f4, <f2, <f8, <i8, <i4, |u1, |b1 (or their big-endian '>' forms)";

bool parse_descr(const std::string& s, NpyType& out) {
    if (s.size() != 3) return false;
    const std::string code = s.substr(1);
    DType d;
    if (code == "f4") d = DType::Float32;
    else if (code == "f2") d = DType::Float16;
    else if (code == "f8") d = DType::Float64;
    else if (code == "i8") d = DType::Int64;
    else if (code == "i4") d = DType::Int32;
    else if (code == "u1") d = DType::UInt8;
    else if (code == "b1") d = DType::Bool;
    else return false;
    const char order = s[0];
    if (dtype_size(d) == 1) {
        // Byte order is meaningless for one byte; NumPy writes '|' but accepts any of these.
        if (order != '|' && order != '<' && order != '>' && order != '=') return false;
        out = {d, false};
        return true;
    }
    // '=' (native) and '|' are not written by NumPy for multi-byte types: refuse rather than guess.
    if (order != '<' && order != '>') return false;
    out = {d, order == '>'};
    return true;
}

// Printable excerpt of a header for error messages (non-ASCII bytes escaped, length bounded).
std::string excerpt(const std::string& s) {
    std::string out;
    for (size_t i = 0; i < s.size() && out.size() < 120; ++i) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        if (c >= 32 && c < 127) {
            out += static_cast<char>(c);
        } else {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02x", c);
            out += buf;
        }
    }
    if (out.size() >= 120) out += "...";
    return out;
}

// Parses {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), } and nothing fancier.
class HeaderParser {
public:
    HeaderParser(const std::string& text, const std::string& file) : s_(text), file_(file) {}

    void parse(NpyType& type, bool& fortran, Shape& shape) {
        std::set<std::string> seen;
        ws();
        expect('{');
        for (;;) {
            ws();
            if (peek() == '}') break;
            const std::string key = string_literal("a key");
            if (!seen.insert(key).second) fail("key '" + key + "' appears twice");
            ws();
            expect(':');
            ws();
            if (key == "descr") {
                if (peek() == '[') fail("structured dtypes (a list descr) are not supported; expected one of " + std::string(kSupportedDescrs));
                const std::string d = string_literal("the descr");
                if (!parse_descr(d, type)) fail("unsupported dtype '" + d + "'; supported: " + kSupportedDescrs);
            } else if (key == "fortran_order") {
                fortran = boolean();
            } else if (key == "shape") {
                shape = tuple_of_ints();
            } else {
                fail("unexpected key '" + key + "' (a .npy header has exactly 'descr', 'fortran_order' and 'shape')");
            }
            ws();
            if (peek() == ',') {
                ++i_;
                continue;
            }
            if (peek() != '}') fail("expected ',' or '}' after the value of '" + key + "'");
        }
        ++i_;  // '}'
        ws();
        if (i_ != s_.size()) fail("unexpected text after the closing '}'");
        for (const char* k : {"descr", "fortran_order", "shape"})
            if (!seen.count(k)) fail(std::string("missing key '") + k + "'");
    }

private:
    [[noreturn]] void fail(const std::string& what) const {
        throw IOError(file_ + ": malformed .npy header: " + what + " [header: " + excerpt(s_) + "]");
    }
    char peek() const { return i_ < s_.size() ? s_[i_] : '\0'; }
    void ws() {
        while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) ++i_;
    }
    void expect(char c) {
        if (peek() != c) fail(std::string("expected '") + c + "' at byte " + std::to_string(i_));
        ++i_;
    }
    std::string string_literal(const char* what) {
        const char q = peek();
        if (q != '\'' && q != '"') fail(std::string("expected a quoted string for ") + what + " at byte " + std::to_string(i_));
        ++i_;
        const size_t start = i_;
        while (i_ < s_.size() && s_[i_] != q) {
            if (s_[i_] == '\\') fail("escape sequences in strings are not supported");
            ++i_;
        }
        if (i_ >= s_.size()) fail("unterminated string");
        return s_.substr(start, i_++ - start);
    }
    bool boolean() {
        if (s_.compare(i_, 4, "True") == 0) {
            i_ += 4;
            return true;
        }
        if (s_.compare(i_, 5, "False") == 0) {
            i_ += 5;
            return false;
        }
        fail("fortran_order must be True or False");
    }
    int64_t integer() {
        if (peek() < '0' || peek() > '9') fail("shape entries must be non-negative integers (at byte " + std::to_string(i_) + ")");
        uint64_t v = 0;
        while (peek() >= '0' && peek() <= '9') {
            const uint64_t digit = static_cast<uint64_t>(peek() - '0');
            if (v > (static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) - digit) / 10)
                fail("a shape entry does not fit in int64");
            v = v * 10 + digit;
            ++i_;
        }
        if (peek() == 'L') ++i_;  // Python 2 long literal, as old NumPy wrote
        return static_cast<int64_t>(v);
    }
    Shape tuple_of_ints() {
        Shape shape;
        expect('(');
        ws();
        while (peek() != ')') {
            if (shape.size() >= kMaxRank) fail("more than " + std::to_string(kMaxRank) + " dimensions");
            shape.push_back(integer());
            ws();
            if (peek() == ',') {
                ++i_;
                ws();
            } else if (peek() != ')') {
                fail("expected ',' or ')' in the shape");
            }
        }
        ++i_;
        return shape;
    }

    const std::string& s_;
    const std::string& file_;
    size_t i_ = 0;
};

std::string shape_tuple(const Shape& s) {
    if (s.empty()) return "()";
    std::string out = "(";
    for (size_t i = 0; i < s.size(); ++i) out += (i ? ", " : "") + std::to_string(s[i]);
    return out + (s.size() == 1 ? ",)" : ")");
}

}  // namespace

std::vector<uint8_t> encode_npy(const Tensor& input) {
    if (!input.defined()) throw ValueError("encode_npy: the tensor is undefined");
    Tensor t = input.cpu();
    if (t.dtype() == DType::BFloat16) t = t.to(DType::Float32);  // exact; NumPy has no bfloat16
    t = t.contiguous();

    std::string header = "{'descr': '" + std::string(descr_of(t.dtype())) +
                         "', 'fortran_order': False, 'shape': " + shape_tuple(t.shape()) + ", }";
    // Pad with spaces so the data starts on a 64-byte boundary, ending the header with '\n'.
    size_t preamble = 10;
    auto padded = [&](size_t pre) { return (pre + header.size() + 1 + 63) / 64 * 64 - pre; };
    if (padded(preamble) > 0xFFFF) preamble = 12;  // format 2.0: 4-byte header length
    const size_t hlen = padded(preamble);
    header.append(hlen - header.size() - 1, ' ');
    header.push_back('\n');

    std::vector<uint8_t> out;
    out.reserve(preamble + hlen + t.nbytes());
    out.insert(out.end(), kMagic, kMagic + 6);
    out.push_back(preamble == 10 ? 1 : 2);
    out.push_back(0);
    if (preamble == 10) detail::append_le16(out, static_cast<uint16_t>(hlen));
    else detail::append_le32(out, static_cast<uint32_t>(hlen));
    out.insert(out.end(), header.begin(), header.end());
    const uint8_t* p = static_cast<const uint8_t*>(t.data_ptr());
    out.insert(out.end(), p, p + t.nbytes());
    return out;
}

void save_npy(const std::string& path, const Tensor& t, bool overwrite) {
    write_file_atomic(path, encode_npy(t), overwrite);
}

Tensor decode_npy(const uint8_t* data, size_t size, const std::string& name) {
    auto fail = [&](const std::string& what) { return IOError(name + ": " + what); };
    if (size < 10)
        throw fail("too short for a .npy file (" + std::to_string(size) + " bytes; the preamble alone is 10)");
    if (std::memcmp(data, kMagic, 6) != 0) throw fail("not a .npy file (it does not start with \\x93NUMPY)");
    const int major = data[6], minor = data[7];
    size_t preamble, hlen;
    if (major == 1 && minor == 0) {
        preamble = 10;
        hlen = detail::load_le16(data + 8);
    } else if ((major == 2 || major == 3) && minor == 0) {
        if (size < 12) throw fail("truncated .npy preamble (" + std::to_string(size) + " bytes, format 2.0/3.0 needs 12)");
        preamble = 12;
        hlen = detail::load_le32(data + 8);
    } else {
        throw fail("unsupported .npy format version " + std::to_string(major) + "." + std::to_string(minor) +
                   " (supported: 1.0, 2.0, 3.0)");
    }
    if (hlen > size - preamble)
        throw fail("the header length " + std::to_string(hlen) + " runs past the end of the file (" +
                   std::to_string(size) + " bytes)");
    // Format 1/2 headers are Latin-1 and 3 is UTF-8; every byte we accept is ASCII either way.
    const std::string header(reinterpret_cast<const char*>(data + preamble), hlen);
    NpyType type{DType::Float32, false};
    bool fortran = false;
    Shape shape;
    HeaderParser(header, name).parse(type, fortran, shape);

    const size_t itemsize = dtype_size(type.dtype);
    uint64_t numel = 1, nbytes = 0;
    for (int64_t d : shape)
        if (detail::mul_overflow_u64(numel, static_cast<uint64_t>(d), numel))
            throw fail("shape " + shape_str(shape) + " has more elements than fit in 64 bits");
    if (!detail::strides_fit_int64(shape))
        throw fail("shape " + shape_str(shape) + ": its sizes (zeros counted as 1) multiply to more than 2^63");
    const size_t offset = preamble + hlen;
    const size_t available = size - offset;
    const bool overflow = detail::mul_overflow_u64(numel, itemsize, nbytes);
    if (overflow || nbytes != available)
        throw fail("shape " + shape_str(shape) + " of " + dtype_name(type.dtype) + " needs " +
                   (overflow ? std::string("more than 2^64") : std::to_string(nbytes)) +
                   " bytes of data but the file has " + std::to_string(available) +
                   (overflow || nbytes > available ? " (truncated file?)" : " (trailing bytes after the data)"));

    // Fortran data of shape (a, b, c) is C data of shape (c, b, a); allocate that, then reorder.
    const bool reorder = fortran && shape.size() > 1;
    Shape storage_shape = shape;
    if (reorder) storage_shape.assign(shape.rbegin(), shape.rend());
    Tensor t = Tensor::empty(storage_shape, type.dtype);
    uint8_t* dst = static_cast<uint8_t*>(t.data_ptr());
    if (nbytes) std::memcpy(dst, data + offset, nbytes);
    if (type.big_endian) detail::byteswap_items(dst, numel, itemsize);
    if (type.dtype == DType::Bool)
        for (size_t i = 0; i < numel; ++i) dst[i] = dst[i] != 0;  // a C++ bool must hold 0 or 1
    if (!reorder) return t;
    std::vector<int64_t> strides(shape.size());
    int64_t stride = 1;
    for (size_t k = 0; k < shape.size(); ++k) {
        strides[k] = stride;
        stride *= std::max<int64_t>(shape[k], 1);  // fits: strides_fit_int64 above
    }
    return make_view(t, shape, strides, 0).contiguous();
}

Tensor load_npy(const std::string& path, size_t max_bytes) {
    const std::vector<uint8_t> bytes = read_file(path, max_bytes);
    return decode_npy(bytes.data(), bytes.size(), path);
}

}  // namespace nl::io
