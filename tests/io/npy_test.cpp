// .npy: round trips for every dtype, the exact header layout NumPy expects, the header variants
// NumPy can write (2.0, 3.0, Fortran order, big-endian), and refusals with clear messages.
#include "tensor/io/npy.h"

#include <gtest/gtest.h>

#include "tensor/errors.h"
#include "tests/io/io_test_util.h"

namespace nl::io {
namespace {

using testing::raw_bytes;
using testing::sample_tensor;
using testing::io_error_of;
using testing::ScratchDir;

// A .npy file from parts: version, header dict text (padded as NumPy does), raw data bytes.
std::vector<uint8_t> make_npy(int major, const std::string& dict, const std::vector<uint8_t>& data) {
    std::vector<uint8_t> out = {0x93, 'N', 'U', 'M', 'P', 'Y', static_cast<uint8_t>(major), 0};
    const size_t pre = major == 1 ? 10 : 12;
    std::string h = dict;
    while ((pre + h.size() + 1) % 64) h += ' ';
    h += '\n';
    for (size_t i = 0; i < (major == 1 ? 2u : 4u); ++i) out.push_back(static_cast<uint8_t>(h.size() >> (8 * i)));
    out.insert(out.end(), h.begin(), h.end());
    out.insert(out.end(), data.begin(), data.end());
    return out;
}

Tensor decode(const std::vector<uint8_t>& b) { return decode_npy(b.data(), b.size(), "test.npy"); }
std::string npy_error(const std::vector<uint8_t>& b) {
    return io_error_of([&] { decode(b); });
}

template <class T>
std::vector<uint8_t> le_bytes(std::initializer_list<T> values) {
    std::vector<uint8_t> out;
    for (T v : values) {
        const uint8_t* p = reinterpret_cast<const uint8_t*>(&v);
        out.insert(out.end(), p, p + sizeof(T));
    }
    return out;
}

TEST(Npy, RoundTripEveryDType) {
    for (DType d : kAllDTypes) {
        SCOPED_TRACE(dtype_name(d));
        const Tensor t = sample_tensor(d);
        const Tensor back = decode(encode_npy(t));
        EXPECT_EQ(back.shape(), t.shape());
        if (d == DType::BFloat16) {
            // No NumPy bfloat16: stored as float32, every value exact.
            EXPECT_EQ(back.dtype(), DType::Float32);
            EXPECT_EQ(raw_bytes(back), raw_bytes(t.to(DType::Float32)));
        } else {
            EXPECT_EQ(back.dtype(), d);
            EXPECT_EQ(raw_bytes(back), raw_bytes(t));  // bit for bit, NaN and -0 included
        }
    }
}

TEST(Npy, RoundTripShapes) {
    for (const Shape& s : {Shape{}, Shape{0}, Shape{5}, Shape{3, 0, 2}, Shape{1, 1, 1, 1, 7}}) {
        SCOPED_TRACE(shape_str(s));
        const Tensor t = arange(shape_numel(s)).reshape(s).to(DType::Int32);
        const Tensor back = decode(encode_npy(t));
        EXPECT_EQ(back.shape(), s);
        EXPECT_EQ(back.to_vector(), t.to_vector());
    }
}

TEST(Npy, NonContiguousInputIsWrittenInLogicalOrder) {
    const Tensor t = arange(6).reshape({2, 3}).transpose(0, 1);  // [[0,3],[1,4],[2,5]]
    const Tensor back = decode(encode_npy(t));
    EXPECT_EQ(back.shape(), (Shape{3, 2}));
    EXPECT_EQ(back.to_int_vector(), (std::vector<int64_t>{0, 3, 1, 4, 2, 5}));
}

TEST(Npy, HeaderLayoutMatchesNumPy) {
    const auto b = encode_npy(zeros({2, 3}, DType::Float16));
    ASSERT_GE(b.size(), 10u);
    EXPECT_EQ(b[6], 1);
    EXPECT_EQ(b[7], 0);
    const size_t hlen = b[8] | (b[9] << 8);
    EXPECT_EQ((10 + hlen) % 64, 0u);
    const std::string header(b.begin() + 10, b.begin() + 10 + static_cast<long>(hlen));
    EXPECT_EQ(header.rfind("{'descr': '<f2', 'fortran_order': False, 'shape': (2, 3), }", 0), 0u) << header;
    EXPECT_EQ(header.back(), '\n');
    EXPECT_EQ(b.size(), 10 + hlen + 12);
    const std::string one(reinterpret_cast<const char*>(encode_npy(zeros({4}, DType::Bool)).data()) + 10, 60);
    EXPECT_NE(one.find("'descr': '|b1'"), std::string::npos);
    EXPECT_NE(one.find("'shape': (4,)"), std::string::npos);
    const std::string scalar(reinterpret_cast<const char*>(encode_npy(zeros({}, DType::UInt8)).data()) + 10, 60);
    EXPECT_NE(scalar.find("'descr': '|u1'"), std::string::npos);
    EXPECT_NE(scalar.find("'shape': ()"), std::string::npos);
}

TEST(Npy, ReadsFormat2And3) {
    for (int major : {2, 3}) {
        const auto b = make_npy(major, "{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }",
                                le_bytes<int32_t>({-1, 2, 70000}));
        EXPECT_EQ(decode(b).to_int_vector(), (std::vector<int64_t>{-1, 2, 70000}));
    }
}

TEST(Npy, ReadsFortranOrder) {
    // np.asfortranarray(np.arange(6).reshape(2, 3)): memory holds columns: 0 3 1 4 2 5.
    const auto b = make_npy(1, "{'descr': '<i8', 'fortran_order': True, 'shape': (2, 3), }",
                            le_bytes<int64_t>({0, 3, 1, 4, 2, 5}));
    const Tensor t = decode(b);
    EXPECT_EQ(t.shape(), (Shape{2, 3}));
    EXPECT_TRUE(t.is_contiguous());
    EXPECT_EQ(t.to_int_vector(), (std::vector<int64_t>{0, 1, 2, 3, 4, 5}));
    // Three dimensions: element (i, j, k) at i + 2j + 6k.
    std::vector<uint8_t> data;
    for (int k = 0; k < 4; ++k)
        for (int j = 0; j < 3; ++j)
            for (int i = 0; i < 2; ++i) data.push_back(static_cast<uint8_t>(100 * i + 10 * j + k));
    const Tensor t3 = decode(make_npy(1, "{'descr': '|u1', 'fortran_order': True, 'shape': (2, 3, 4), }", data));
    for (int i = 0; i < 2; ++i)
        for (int j = 0; j < 3; ++j)
            for (int k = 0; k < 4; ++k) EXPECT_EQ(t3.at({i, j, k}), 100 * i + 10 * j + k);
}

TEST(Npy, ReadsBigEndianBySwapping) {
    const auto b = make_npy(1, "{'descr': '>i4', 'fortran_order': False, 'shape': (2,), }",
                            {0x00, 0x00, 0x01, 0x02, 0xFF, 0xFF, 0xFF, 0xFE});
    EXPECT_EQ(decode(b).to_int_vector(), (std::vector<int64_t>{258, -2}));
    const auto f = make_npy(1, "{'descr': '>f8', 'fortran_order': False, 'shape': (1,), }",
                            {0x3F, 0xF8, 0, 0, 0, 0, 0, 0});  // 1.5
    EXPECT_EQ(decode(f).item(), 1.5);
    const auto h = make_npy(1, "{'descr': '>f2', 'fortran_order': False, 'shape': (1,), }", {0xC0, 0x00});  // -2
    EXPECT_EQ(decode(h).item(), -2.0);
}

TEST(Npy, AcceptsHeaderSpellingsNumPyUses) {
    // Double quotes, no trailing comma, keys in another order, Python 2 long suffix.
    const auto b = make_npy(1, "{\"shape\": (2L, 1), \"fortran_order\": False, \"descr\": \"<f4\"}",
                            le_bytes<float>({1.0f, -3.5f}));
    const Tensor t = decode(b);
    EXPECT_EQ(t.shape(), (Shape{2, 1}));
    EXPECT_EQ(t.to_vector(), (std::vector<double>{1.0, -3.5}));
}

TEST(Npy, BoolBytesAreNormalised) {
    const Tensor t = decode(make_npy(1, "{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }", {0, 2, 255}));
    EXPECT_EQ(raw_bytes(t), (std::vector<uint8_t>{0, 1, 1}));
}

TEST(Npy, RefusesWithClearMessages) {
    const std::string ok_tail = "'fortran_order': False, 'shape': (2,), }";
    struct Case {
        std::vector<uint8_t> bytes;
        const char* expect;
    };
    const std::vector<uint8_t> two_f4 = le_bytes<float>({1, 2});
    const std::vector<Case> cases = {
        {make_npy(1, "{'descr': '<i2', " + ok_tail, {1, 0, 2, 0}), "unsupported dtype '<i2'"},
        {make_npy(1, "{'descr': '=f4', " + ok_tail, two_f4), "unsupported dtype '=f4'"},
        {make_npy(1, "{'descr': [('a', '<f4')], " + ok_tail, two_f4), "structured dtypes"},
        {make_npy(1, "{'descr': '<f4', 'shape': (2,), }", two_f4), "missing key 'fortran_order'"},
        {make_npy(1, "{'descr': '<f4', 'descr': '<f4', " + ok_tail, two_f4), "appears twice"},
        {make_npy(1, "{'descr': '<f4', 'extra': 1, " + ok_tail, two_f4), "unexpected key 'extra'"},
        {make_npy(1, "{'descr': '<f4', 'fortran_order': 0, 'shape': (2,), }", two_f4), "True or False"},
        {make_npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (-2,), }", two_f4), "non-negative"},
        {make_npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2.0,), }", two_f4), "expected ','"},
        {make_npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }", two_f4),
         "does not fit in int64"},
        {make_npy(1, "{'descr': '<f4', " + ok_tail + " x", two_f4), "after the closing"},
        {make_npy(1, "{'descr': '<f4', " + ok_tail, le_bytes<float>({1})), "needs 8 bytes of data but the file has 4"},
        {make_npy(1, "{'descr': '<f4', " + ok_tail, le_bytes<float>({1, 2, 3})), "trailing bytes"},
        // 2^32 * 2^32 * 16 elements: refused from the header, before any allocation.
        {make_npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296, 16), }", two_f4),
         "more elements than fit in 64 bits"},
        {make_npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 1073741824), }", two_f4),
         "needs more than 2^64 bytes"},
        {{'N', 'U', 'M', 'P', 'Y', 0, 0, 0, 0, 0, 0}, "not a .npy file"},
        {{0x93, 'N', 'U', 'M', 'P', 'Y', 4, 0, 0, 0}, "unsupported .npy format version 4.0"},
        {{0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 0xFF, 0xFF}, "runs past the end of the file"},
        {{0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0, 0, 0}, "format 2.0/3.0 needs 12"},
        {{0x93, 'N'}, "too short"},
    };
    for (const Case& c : cases) {
        const std::string msg = npy_error(c.bytes);
        EXPECT_NE(msg.find(c.expect), std::string::npos) << "message: " << msg << "\nexpected: " << c.expect;
        EXPECT_EQ(msg.rfind("test.npy: ", 0), 0u) << msg;
    }
    std::string deep = "(";
    for (int i = 0; i < 65; ++i) deep += "1, ";
    EXPECT_NE(npy_error(make_npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': " + deep + "), }", two_f4))
                  .find("more than 64 dimensions"),
              std::string::npos);
}

TEST(Npy, FileRoundTripAndNoOverwrite) {
    ScratchDir dir;
    const std::string path = dir.file("t.npy");
    const Tensor t = sample_tensor(DType::Float64);
    save_npy(path, t);
    EXPECT_EQ(raw_bytes(load_npy(path)), raw_bytes(t));
    EXPECT_THROW(save_npy(path, zeros({1})), IOError);
    EXPECT_EQ(raw_bytes(load_npy(path)), raw_bytes(t));
    save_npy(path, zeros({1}), /*overwrite=*/true);
    EXPECT_EQ(load_npy(path).shape(), (Shape{1}));
    try {
        load_npy(dir.file("missing.npy"));
        FAIL();
    } catch (const IOError& e) {
        EXPECT_NE(std::string(e.what()).find("missing.npy"), std::string::npos);
    }
    EXPECT_THROW(encode_npy(Tensor()), ValueError);
}

}  // namespace
}  // namespace nl::io
