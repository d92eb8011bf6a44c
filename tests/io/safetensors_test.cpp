// safetensors: round trips for every dtype, files laid out differently from ours, and a
// refusal for each way a header can lie about the data.
#include "tensor/io/safetensors.h"

#include <gtest/gtest.h>

#include "tensor/errors.h"
#include "tensor/io/bytes.h"
#include "tests/io/io_test_util.h"

namespace nl::io {
namespace {

using testing::raw_bytes;
using testing::sample_tensor;
using testing::io_error_of;
using testing::ScratchDir;

// A file from a header text and a data area, as another writer might produce it.
std::vector<uint8_t> make_file(const std::string& header, const std::vector<uint8_t>& area) {
    std::vector<uint8_t> out;
    detail::append_le64(out, header.size());
    out.insert(out.end(), header.begin(), header.end());
    out.insert(out.end(), area.begin(), area.end());
    return out;
}

Safetensors decode_file(const std::vector<uint8_t>& b) { return decode_safetensors(b.data(), b.size(), "w.safetensors"); }
std::string safetensors_error(const std::vector<uint8_t>& b) {
    return io_error_of([&] { decode_file(b); });
}

TEST(Safetensors, RoundTripEveryDTypeWithMetadata) {
    std::map<std::string, Tensor> tensors;
    for (DType d : kAllDTypes) tensors[dtype_name(d)] = sample_tensor(d);
    tensors["scalar"] = full({}, 2.5);
    tensors["empty"] = zeros({0, 4}, DType::Int32);
    tensors["view"] = arange(12).reshape({3, 4}).transpose(0, 1);  // non-contiguous input
    const std::map<std::string, std::string> meta = {{"format", "pt"}, {"note", "σ"}};
    const auto bytes = encode_safetensors(tensors, meta);
    EXPECT_EQ(detail::load_le64(bytes.data()) % 8, 0u);  // data area aligned
    const Safetensors back = decode_file(bytes);
    EXPECT_EQ(back.metadata, meta);
    ASSERT_EQ(back.tensors.size(), tensors.size());
    for (const auto& [name, t] : tensors) {
        SCOPED_TRACE(name);
        const Tensor& b = back.tensors.at(name);
        EXPECT_EQ(b.dtype(), t.dtype());  // bfloat16 stays bfloat16 here
        EXPECT_EQ(b.shape(), t.shape());
        EXPECT_EQ(raw_bytes(b), raw_bytes(t));
    }
    EXPECT_STREQ(safetensors_dtype_name(DType::BFloat16), "BF16");
    EXPECT_STREQ(safetensors_dtype_name(DType::Bool), "BOOL");
}

TEST(Safetensors, ReadsOtherLayouts) {
    // Tensors stored in the reverse of name order, unpadded header, zero-size tensor at the end.
    const std::string header =
        R"({"b":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},)"
        R"("a":{"dtype":"I32","shape":[1,1],"data_offsets":[2,6]},)"
        R"("z":{"dtype":"F64","shape":[0],"data_offsets":[6,6]},"__metadata__":{}})";
    const auto f = decode_file(make_file(header, {7, 8, 0x01, 0x00, 0x00, 0x80}));
    EXPECT_EQ(f.tensors.at("b").to_int_vector(), (std::vector<int64_t>{7, 8}));
    EXPECT_EQ(f.tensors.at("a").to_int_vector(), (std::vector<int64_t>{-2147483647}));
    EXPECT_EQ(f.tensors.at("z").numel(), 0);
    const auto bools = decode_file(make_file(R"({"m":{"dtype":"BOOL","shape":[3],"data_offsets":[0,3]}}  )", {0, 5, 1}));
    EXPECT_EQ(raw_bytes(bools.tensors.at("m")), (std::vector<uint8_t>{0, 1, 1}));
    EXPECT_TRUE(decode_file(make_file("{}", {})).tensors.empty());
}

TEST(Safetensors, RefusesLies) {
    const std::string t = R"("t":{"dtype":"F32","shape":[2],"data_offsets":[0,8]})";
    const std::vector<uint8_t> area(8, 0);
    struct Case {
        std::vector<uint8_t> bytes;
        const char* expect;
    };
    std::vector<uint8_t> huge_len(16, ' ');
    huge_len[7] = 0x7F;
    std::vector<uint8_t> past_end = make_file("{" + t + "}", area);
    past_end[0] += 20;
    std::string deep = "{\"t\":{\"shape\":[[[1]]]}}";
    const std::vector<Case> cases = {
        {{1, 2, 3}, "too short"},
        {huge_len, "above the limit of 100000000"},
        {past_end, "runs past the end of the file"},
        {make_file("[]", {}), "does not start with '{'"},
        {make_file("{\"t\":", {}), "not valid JSON"},
        {make_file("{" + t + "," + t + "}", area), "the key 't' twice"},
        {make_file(R"({"t":{"dtype":"F32","dtype":"F32","shape":[2],"data_offsets":[0,8]}})", area), "'dtype' twice"},
        {make_file(deep, {}), "nests deeper"},
        {make_file(R"({"t":{"dtype":"I8","shape":[8],"data_offsets":[0,8]}})", area), "unsupported dtype 'I8'"},
        {make_file(R"({"t":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", area), "needs 12 bytes but data_offsets span 8"},
        {make_file(R"({"t":{"dtype":"F32","shape":[2],"data_offsets":[0,16]}})", area), "not inside the data area of 8"},
        {make_file(R"({"t":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}})", area), "not inside the data area"},
        {make_file(R"({"t":{"dtype":"F32","shape":[2],"data_offsets":[0,8.0]}})", area), "non-negative integers"},
        {make_file(R"({"t":{"dtype":"F32","shape":[2],"data_offsets":[-8,0]}})", area), "non-negative integers"},
        {make_file(R"({"t":{"dtype":"F32","shape":[2],"data_offsets":[0]}})", area), "must be [begin, end]"},
        {make_file(R"({"t":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}})", area), "shape entries must be non-negative"},
        {make_file(R"({"t":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,8]}})", area), "more elements than fit"},
        {make_file(R"({"t":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"crc":1}})", area), "unknown field 'crc'"},
        {make_file(R"({"t":{"dtype":"F32","shape":[2]}})", area), "has no 'data_offsets'"},
        {make_file(R"({"t":[1]})", area), "is not an object"},
        {make_file(R"({"__metadata__":{"k":1}})", {}), "value 'k' is not a string"},
        {make_file(R"({"a":{"dtype":"U8","shape":[6],"data_offsets":[0,6]},"b":{"dtype":"U8","shape":[4],"data_offsets":[4,8]}})", area),
         "tensors 'a' and 'b' overlap"},
        {make_file(R"({"a":{"dtype":"U8","shape":[4],"data_offsets":[4,8]}})", area), "a hole of 4 bytes before tensor 'a'"},
        {make_file(R"({"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]}})", area), "4 bytes that no tensor uses"},
    };
    for (const Case& c : cases) {
        const std::string msg = safetensors_error(c.bytes);
        EXPECT_NE(msg.find(c.expect), std::string::npos) << "message: " << msg << "\nexpected: " << c.expect;
        EXPECT_EQ(msg.rfind("w.safetensors: ", 0), 0u) << msg;
    }
}

TEST(Safetensors, WriterRefusesBadNames) {
    EXPECT_THROW(encode_safetensors({{"", zeros({1})}}), ValueError);
    EXPECT_THROW(encode_safetensors({{"__metadata__", zeros({1})}}), ValueError);
    EXPECT_THROW(encode_safetensors({{"t", Tensor()}}), ValueError);
    EXPECT_THROW(encode_safetensors({{"bad\xFF", zeros({1})}}), ValueError);
}

TEST(Safetensors, FileRoundTrip) {
    ScratchDir dir;
    const std::string path = dir.file("w.safetensors");
    save_safetensors(path, {{"w", sample_tensor(DType::Float16)}});
    EXPECT_EQ(raw_bytes(load_safetensors(path).tensors.at("w")), raw_bytes(sample_tensor(DType::Float16)));
    EXPECT_THROW(save_safetensors(path, {{"w", zeros({1})}}), IOError);
    EXPECT_THROW(load_safetensors(path, 16), IOError);  // above max_bytes
}

}  // namespace
}  // namespace nl::io
