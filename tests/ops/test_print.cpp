// Tensor::str() against PyTorch's exact repr strings (default print options): fixed / integer /
// scientific float modes, widths, dtype and size suffixes, empty tensors, line wrapping at 80
// columns, and summarisation with "..." past 1000 elements.
#include <limits>
#include <sstream>

#include "ops_test_util.h"

namespace nl {
namespace {

std::string repeat_join(const std::string& item, int n, const std::string& sep) {
    std::string s;
    for (int i = 0; i < n; ++i) s += (i ? sep : "") + item;
    return s;
}

TEST(Print, Floats) {
    EXPECT_EQ(tensor({1.5, -2.0}).str(), "tensor([ 1.5000, -2.0000])");
    EXPECT_EQ(tensor({1, 2, 3}).str(), "tensor([1., 2., 3.])");
    EXPECT_EQ(tensor({-1, 2}).str(), "tensor([-1.,  2.])");
    EXPECT_EQ(zeros({3}).str(), "tensor([0., 0., 0.])");
    EXPECT_EQ(tensor({-0.0}).str(), "tensor([-0.])");
    EXPECT_EQ(tensor({1.12345}).str(), "tensor([1.1235])");
    EXPECT_EQ(tensor({100.5, 2.25}).str(), "tensor([100.5000,   2.2500])");
    EXPECT_EQ(full({}, 3.5).str(), "tensor(3.5000)");
    EXPECT_EQ(full({}, 0.0).str(), "tensor(0.)");
    EXPECT_EQ(from_vector({1, 2, 3, 4}, {2, 2}).str(), "tensor([[1., 2.],\n        [3., 4.]])");
    EXPECT_EQ(from_vector({1, 2, 3, 4}, {2, 2}).transpose(0, 1).str(), "tensor([[1., 3.],\n        [2., 4.]])");
}

TEST(Print, ScientificMode) {
    EXPECT_EQ(tensor({1e-5, 1.0}).str(), "tensor([1.0000e-05, 1.0000e+00])");
    EXPECT_EQ(tensor({-1e-5, 1.0}).str(), "tensor([-1.0000e-05,  1.0000e+00])");
    EXPECT_EQ(tensor({1e9, 1.0}).str(), "tensor([1.0000e+09, 1.0000e+00])");  // integers, but a 1e9 range
    EXPECT_EQ(tensor({0.1, 123.456}).str(), "tensor([1.0000e-01, 1.2346e+02])");
}

TEST(Print, NonFinite) {
    const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
    EXPECT_EQ(tensor({nan, 1.5, inf}).str(), "tensor([   nan, 1.5000,    inf])");
    EXPECT_EQ(tensor({1, inf}).str(), "tensor([1., inf])");
    EXPECT_EQ(tensor({nan, -inf}).str(), "tensor([nan, -inf])");
    EXPECT_EQ(tensor({-nan}).str(), "tensor([nan])");  // Python prints every NaN without a sign
}

TEST(Print, IntegersAndBool) {
    EXPECT_EQ(arange(5).str(), "tensor([0, 1, 2, 3, 4])");
    EXPECT_EQ(tensor({-5, 10}, {DType::Int64}).str(), "tensor([-5, 10])");
    EXPECT_EQ(tensor({1, 0}, {DType::Bool}).str(), "tensor([ True, False])");
    EXPECT_EQ(full({}, 7.0, {DType::Int64}).str(), "tensor(7)");
    EXPECT_EQ(full({}, 1.0, {DType::Bool}).str(), "tensor(True)");
    EXPECT_EQ(tensor({1, 2}, {DType::Int32}).str(), "tensor([1, 2], dtype=torch.int32)");
    EXPECT_EQ(tensor({1, 200}, {DType::UInt8}).str(), "tensor([  1, 200], dtype=torch.uint8)");
    EXPECT_EQ(arange(8).view({2, 2, 2}).str(), "tensor([[[0, 1],\n         [2, 3]],\n\n        [[4, 5],\n         [6, 7]]])");
    EXPECT_EQ(zeros({2, 2}, {DType::Int32}).str(), "tensor([[0, 0],\n        [0, 0]], dtype=torch.int32)");
}

TEST(Print, DtypeSuffixes) {
    EXPECT_EQ(tensor({1.5, 2.25}, {DType::Float16}).str(), "tensor([1.5000, 2.2500], dtype=torch.float16)");
    EXPECT_EQ(tensor({1.5, 2.25}, {DType::Float64}).str(), "tensor([1.5000, 2.2500], dtype=torch.float64)");
    EXPECT_EQ(tensor({1, 2}, {DType::BFloat16}).str(), "tensor([1., 2.], dtype=torch.bfloat16)");
    // A suffix that would pass column 80 goes on its own line, aligned under the contents.
    const std::string row = repeat_join("1.5000", 9, ", ");
    EXPECT_EQ(full({18}, 1.5, {DType::Float64}).str(),
              "tensor([" + row + ",\n        " + row + "],\n       dtype=torch.float64)");
    EXPECT_EQ(full({3}, 1.5, {DType::Float64}).str(), "tensor([1.5000, 1.5000, 1.5000], dtype=torch.float64)");
}

TEST(Print, Empty) {
    EXPECT_EQ(zeros({0}).str(), "tensor([])");
    EXPECT_EQ(zeros({2, 0}).str(), "tensor([], size=(2, 0))");
    EXPECT_EQ(arange(0).str(), "tensor([], dtype=torch.int64)");
    EXPECT_EQ(zeros({0}, {DType::Bool}).str(), "tensor([], dtype=torch.bool)");
    EXPECT_EQ(zeros({0, 3}, {DType::Int32}).str(), "tensor([], size=(0, 3), dtype=torch.int32)");
}

TEST(Print, LineWrapping) {
    EXPECT_EQ(arange(0.0, 30.0, 1.0, {DType::Float32}).str(),
              "tensor([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12., 13.,\n"
              "        14., 15., 16., 17., 18., 19., 20., 21., 22., 23., 24., 25., 26., 27.,\n"
              "        28., 29.])");
    // Rows of a matrix wrap with one more space of indent.
    const std::string l1 = repeat_join("1.", 18, ", "), l2 = repeat_join("1.", 12, ", ");
    EXPECT_EQ(ones({2, 30}).str(), "tensor([[" + l1 + ",\n         " + l2 + "],\n        [" + l1 + ",\n         " + l2 + "]])");
}

TEST(Print, Summarised) {
    EXPECT_EQ(arange(2000).str(), "tensor([   0,    1,    2,  ..., 1997, 1998, 1999])");
    // 1000 elements exactly are printed in full (threshold is "more than 1000").
    EXPECT_EQ(arange(1000).str().find("..."), std::string::npos);
    EXPECT_EQ(arange(2000).view({40, 50}).str(),
              "tensor([[   0,    1,    2,  ...,   47,   48,   49],\n"
              "        [  50,   51,   52,  ...,   97,   98,   99],\n"
              "        [ 100,  101,  102,  ...,  147,  148,  149],\n"
              "        ...,\n"
              "        [1850, 1851, 1852,  ..., 1897, 1898, 1899],\n"
              "        [1900, 1901, 1902,  ..., 1947, 1948, 1949],\n"
              "        [1950, 1951, 1952,  ..., 1997, 1998, 1999]])");
    const std::string row = "[1., 1., 1.,  ..., 1., 1., 1.]";
    EXPECT_EQ(ones({40, 50}).str(), "tensor([" + row + ",\n        " + row + ",\n        " + row + ",\n        ...,\n        " +
                                        row + ",\n        " + row + ",\n        " + row + "])");
    EXPECT_EQ(arange(1120).view({7, 2, 80}).str(),
              "tensor([[[   0,    1,    2,  ...,   77,   78,   79],\n"
              "         [  80,   81,   82,  ...,  157,  158,  159]],\n"
              "\n"
              "        [[ 160,  161,  162,  ...,  237,  238,  239],\n"
              "         [ 240,  241,  242,  ...,  317,  318,  319]],\n"
              "\n"
              "        [[ 320,  321,  322,  ...,  397,  398,  399],\n"
              "         [ 400,  401,  402,  ...,  477,  478,  479]],\n"
              "\n"
              "        ...,\n"
              "\n"
              "        [[ 640,  641,  642,  ...,  717,  718,  719],\n"
              "         [ 720,  721,  722,  ...,  797,  798,  799]],\n"
              "\n"
              "        [[ 800,  801,  802,  ...,  877,  878,  879],\n"
              "         [ 880,  881,  882,  ...,  957,  958,  959]],\n"
              "\n"
              "        [[ 960,  961,  962,  ..., 1037, 1038, 1039],\n"
              "         [1040, 1041, 1042,  ..., 1117, 1118, 1119]]])");
    // The width comes from the shown elements only: the hidden 123456.5 does not widen it.
    Tensor v = zeros({2000});
    v.set({1000}, 123456.5);
    EXPECT_EQ(v.str(), "tensor([0., 0., 0.,  ..., 0., 0., 0.])");
}

TEST(Print, StreamOperatorAndUndefined) {
    std::ostringstream os;
    os << tensor({1, 2}, {DType::Int64});
    EXPECT_EQ(os.str(), "tensor([1, 2])");
    EXPECT_EQ(Tensor().str(), "tensor(undefined)");
}

}  // namespace
}  // namespace nl
