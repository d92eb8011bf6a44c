// conv2d against a naive loop (random shapes, stride, padding, dilation, groups, bias; bit-exact
// in float32 because both sum over (c, ki, kj) in order), conv_transpose2d as the adjoint of
// conv2d and against a naive scatter loop, upsample_nearest2d and avg_pool2d hand values.
#include <cmath>

#include "ops_test_util.h"

namespace nl {
namespace {
using test::expect_error;
using test::expect_values;

struct ConvCase {
    int64_t N, C, H, W, O, kh, kw, sh, sw, ph, pw, dh, dw, groups;
};

// Naive conv2d accumulating in T over (c, ki, kj) in order from 0, skipping padding, then + bias.
template <class T>
std::vector<double> naive_conv2d(const Tensor& x, const Tensor& w, const Tensor& b, const ConvCase& c, int64_t Ho,
                                 int64_t Wo) {
    const std::vector<double> xv = x.to_vector(), wv = w.to_vector();
    const std::vector<double> bv = b.defined() ? b.to_vector() : std::vector<double>();
    const int64_t Cg = c.C / c.groups, Og = c.O / c.groups;
    std::vector<double> out;
    for (int64_t n = 0; n < c.N; ++n)
        for (int64_t o = 0; o < c.O; ++o)
            for (int64_t oh = 0; oh < Ho; ++oh)
                for (int64_t ow = 0; ow < Wo; ++ow) {
                    T acc = T(0);
                    const int64_t g = o / Og;
                    for (int64_t ci = 0; ci < Cg; ++ci)
                        for (int64_t ki = 0; ki < c.kh; ++ki)
                            for (int64_t kj = 0; kj < c.kw; ++kj) {
                                const int64_t ih = oh * c.sh - c.ph + ki * c.dh, iw = ow * c.sw - c.pw + kj * c.dw;
                                if (ih < 0 || ih >= c.H || iw < 0 || iw >= c.W) continue;
                                const int64_t cin = g * Cg + ci;
                                acc += static_cast<T>(xv[((n * c.C + cin) * c.H + ih) * c.W + iw]) *
                                       static_cast<T>(wv[((o * Cg + ci) * c.kh + ki) * c.kw + kj]);
                            }
                    if (!bv.empty()) acc += static_cast<T>(bv[o]);
                    out.push_back(static_cast<double>(acc));
                }
    return out;
}

const ConvCase kCases[] = {
    // N  C  H   W  O  kh kw sh sw ph pw dh dw groups
    {1, 1, 5, 5, 1, 3, 3, 1, 1, 0, 0, 1, 1, 1},   {2, 3, 8, 7, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1},
    {1, 4, 9, 9, 6, 3, 2, 2, 1, 1, 0, 1, 1, 2},   {3, 6, 7, 10, 6, 1, 1, 1, 1, 0, 0, 1, 1, 3},
    {2, 2, 11, 6, 3, 3, 3, 2, 3, 2, 1, 2, 1, 1},  {1, 8, 6, 6, 8, 3, 3, 1, 1, 1, 1, 1, 1, 8},
    {2, 5, 12, 12, 7, 5, 4, 3, 2, 2, 1, 1, 2, 1}, {1, 3, 4, 4, 2, 1, 1, 2, 2, 0, 0, 1, 1, 1},
    {5, 16, 16, 16, 32, 3, 3, 1, 1, 1, 1, 1, 1, 1},
    // "Same" convolutions (stride 1, output as wide as the input: im2col's one-run path), dilated,
    // rectangular, and with a kernel wider than the image.
    {2, 3, 9, 7, 4, 3, 3, 1, 1, 2, 2, 2, 2, 1},   {1, 2, 6, 5, 3, 5, 3, 1, 1, 2, 1, 1, 1, 1},
    {1, 2, 3, 3, 2, 5, 5, 1, 1, 2, 2, 1, 1, 1},   {2, 4, 5, 6, 2, 3, 3, 1, 1, 0, 1, 1, 1, 2},
};

// Random input, weight and bias of a case (seeds from `seed` on, which advances).
struct ConvOperands {
    Tensor x, w, b;
};
ConvOperands operands_of(const ConvCase& c, uint64_t& seed) {
    ConvOperands o;
    o.x = test::random_tensor({c.N, c.C, c.H, c.W}, ++seed);
    o.w = test::random_tensor({c.O, c.C / c.groups, c.kh, c.kw}, ++seed);
    o.b = test::random_tensor({c.O}, ++seed);
    return o;
}

TEST(Conv, Conv2dMatchesNaiveLoop) {
    uint64_t seed = 500;
    for (const ConvCase& c : kCases) {
        const auto [x, w, b] = operands_of(c, seed);
        const int64_t Ho = (c.H + 2 * c.ph - c.dh * (c.kh - 1) - 1) / c.sh + 1;
        const int64_t Wo = (c.W + 2 * c.pw - c.dw * (c.kw - 1) - 1) / c.sw + 1;
        const Tensor y = conv2d(x, w, b, {c.sh, c.sw}, {c.ph, c.pw}, {c.dh, c.dw}, c.groups);
        expect_values(y, {c.N, c.O, Ho, Wo}, naive_conv2d<float>(x, w, b, c, Ho, Wo));
        const Tensor y_nobias = conv2d(x, w, Tensor{}, {c.sh, c.sw}, {c.ph, c.pw}, {c.dh, c.dw}, c.groups);
        expect_values(y_nobias, {c.N, c.O, Ho, Wo}, naive_conv2d<float>(x, w, Tensor{}, c, Ho, Wo));
        const Tensor xd = x.to(DType::Float64), wd = w.to(DType::Float64), bd = b.to(DType::Float64);
        expect_values(conv2d(xd, wd, bd, {c.sh, c.sw}, {c.ph, c.pw}, {c.dh, c.dw}, c.groups), {c.N, c.O, Ho, Wo},
                      naive_conv2d<double>(xd, wd, bd, c, Ho, Wo));
    }
}

TEST(Conv, Conv2dUnbatchedStridedAndHalf) {
    const Tensor x = test::random_tensor({3, 6, 6}, 40);
    const Tensor w = test::random_tensor({2, 3, 3, 3}, 41);
    const Tensor y = conv2d(x, w, Tensor{}, 1, 1);
    ASSERT_EQ(y.shape(), (Shape{2, 6, 6}));
    EXPECT_TRUE(test::same_values(y, conv2d(x.unsqueeze(0), w, Tensor{}, 1, 1).squeeze(0)));
    // A non-contiguous input gives the same result.
    const Tensor xt = x.transpose(1, 2);
    EXPECT_TRUE(test::same_values(conv2d(xt, w, Tensor{}, 1, 1), conv2d(xt.contiguous(), w, Tensor{}, 1, 1)));
    // float16: computed in float32, rounded once.
    const Tensor yh = conv2d(x.to(DType::Float16), w.to(DType::Float16), Tensor{}, 1, 1);
    EXPECT_EQ(yh.dtype(), DType::Float16);
    const Tensor yf = conv2d(x.to(DType::Float16).to(DType::Float32), w.to(DType::Float16).to(DType::Float32),
                             Tensor{}, 1, 1);
    EXPECT_TRUE(test::same_values(yh, yf.to(DType::Float16)));
    // Hand value: a 3x3 box filter over ones with padding 1 counts the neighbours.
    expect_values(conv2d(ones({1, 1, 3, 3}), ones({1, 1, 3, 3}), Tensor{}, 1, 1), {1, 1, 3, 3},
                  {4, 6, 4, 6, 9, 6, 4, 6, 4});
}

TEST(Conv, Conv2dErrors) {
    expect_error<ShapeError>([] { conv2d(zeros({1, 3, 5, 5}), zeros({2, 4, 3, 3})); },
                             {"conv2d", "[2, 4, 3, 3]", "[1, 3, 5, 5]"});
    expect_error<ShapeError>([] { conv2d(zeros({1, 4, 5, 5}), zeros({3, 2, 3, 3}), Tensor{}, 1, 0, 1, 2); },
                             {"conv2d", "groups=2"});
    expect_error<ShapeError>([] { conv2d(zeros({1, 1, 2, 2}), zeros({1, 1, 3, 3})); },
                             {"conv2d", "[1, 1, 2, 2]", "[1, 1, 3, 3]"});
    expect_error<DTypeError>([] { conv2d(zeros({1, 1, 3, 3}, {DType::Int64}), zeros({1, 1, 1, 1}, {DType::Int64})); },
                             {"conv2d", "int64", "float32"});
    expect_error<DTypeError>([] { conv2d(zeros({1, 1, 3, 3}), zeros({1, 1, 1, 1}, {DType::Float64})); },
                             {"conv2d", "float64", "float32"});
    expect_error<ValueError>([] { conv2d(zeros({1, 1, 3, 3}), zeros({1, 1, 1, 1}), Tensor{}, 0); },
                             {"conv2d", "stride", "(0, 0)"});
    expect_error<ShapeError>([] { conv2d(zeros({3, 3}), zeros({1, 1, 1, 1})); }, {"conv2d", "[3, 3]"});
    expect_error<ShapeError>([] { conv2d(zeros({1, 1, 3, 3}), zeros({2, 1, 1, 1}), zeros({3})); },
                             {"conv2d", "bias", "[3]"});
    // An empty kernel window (the GPU launcher once divided by its size).
    expect_error<ShapeError>([] { conv2d(zeros({1, 1, 4, 4}), zeros({2, 1, 0, 3}), zeros({2}), 1, 1); },
                             {"conv2d", "[2, 1, 0, 3]", "0 x 3", "at least 1"});
    expect_error<ShapeError>([] { conv2d_add(zeros({1, 1, 4, 4}), zeros({2, 1, 3, 0}), Tensor{}, zeros({1}), 1, 1); },
                             {"conv2d_add", "3 x 0"});
    expect_error<ShapeError>([] { conv_transpose2d(zeros({1, 1, 4, 4}), zeros({1, 2, 0, 0})); },
                             {"conv_transpose2d", "0 x 0"});
}

// A convolution whose im2col matrix (144 x 16,384 floats: 9.4 MB) is larger than the scratch a
// thread keeps (8 MiB) takes a buffer of its own; then a small one reuses the kept buffer.
TEST(Conv, Conv2dLargerThanTheKeptScratch) {
    const ConvCase big{1, 16, 128, 128, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1}, small{1, 16, 12, 12, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1};
    uint64_t seed = 700;
    for (const ConvCase& c : {big, small, big}) {
        const auto [x, w, b] = operands_of(c, seed);
        const Tensor y = conv2d(x, w, b, 1, 1);
        expect_values(y, {1, 3, c.H, c.W}, naive_conv2d<float>(x, w, b, c, c.H, c.W));
    }
}

// conv2d_add is conv2d, then add: every dtype, every broadcast form of the addend a network uses
// (a residual, a per-image channel bias, a narrowed row of a wider matrix, a transposed view) and
// every geometry of kCases give the two ops' values exactly.
TEST(Conv, Conv2dAddIsConvThenAdd) {
    uint64_t seed = 300;
    for (const ConvCase& c : kCases) {
        const auto [x, w, b] = operands_of(c, seed);
        const Size2 st{c.sh, c.sw}, pad{c.ph, c.pw}, dil{c.dh, c.dw};
        const Tensor y = conv2d(x, w, b, st, pad, dil, c.groups);
        const int64_t Ho = y.size(2), Wo = y.size(3);
        // [N, O + 3] narrowed to O columns: the per-block slices of one matmul over all embeddings.
        const Tensor wide = test::random_tensor({c.N, c.O + 3}, ++seed);
        const Tensor addends[] = {
            test::random_tensor({c.N, c.O, Ho, Wo}, ++seed),                       // a residual
            test::random_tensor({c.N, c.O, 1, 1}, ++seed),                         // a channel bias per image
            wide.narrow(1, 2, c.O).unsqueeze(2).unsqueeze(3),                     // the same, a strided view
            test::random_tensor({c.O, 1, 1}, ++seed),                              // per channel
            test::random_tensor({Wo}, ++seed),                                     // per column
            test::random_tensor({c.N, c.O, Wo, Ho}, ++seed).transpose(2, 3),       // a transposed view
        };
        for (DType dt : {DType::Float32, DType::Float64, DType::Float16, DType::BFloat16}) {
            const Tensor xd = x.to(dt), wd = w.to(dt), bd = b.to(dt);
            for (const Tensor& a : addends) {
                const Tensor ad = a.to(dt);
                const Tensor want = add(conv2d(xd, wd, bd, st, pad, dil, c.groups), ad);
                const Tensor got = conv2d_add(xd, wd, bd, ad, st, pad, dil, c.groups);
                ASSERT_EQ(got.dtype(), dt);
                EXPECT_TRUE(test::same_values(got, want))
                    << dtype_name(dt) << " addend " << shape_str(a.shape()) << " case C=" << c.C << " O=" << c.O;
            }
            // Without a bias.
            const Tensor ad = addends[0].to(dt);
            EXPECT_TRUE(test::same_values(conv2d_add(xd, wd, Tensor{}, ad, st, pad, dil, c.groups),
                                          add(conv2d(xd, wd, Tensor{}, st, pad, dil, c.groups), ad)));
        }
    }
    // Hand values: a 3x3 box filter over ones (neighbour counts) plus 10 * arange, and an unbatched
    // input with an [O, Ho, Wo] addend; a NaN addend gives NaN there only.
    const Tensor plus = mul(arange(9).reshape({1, 1, 3, 3}), 10.0);
    expect_values(conv2d_add(ones({1, 1, 3, 3}), ones({1, 1, 3, 3}), Tensor{}, plus, 1, 1), {1, 1, 3, 3},
                  {4, 16, 24, 36, 49, 56, 64, 76, 84});
    const Tensor nan_at_4 = from_vector({0, 0, 0, 0, test::kNaN, 0, 0, 0, 0}, {1, 3, 3});
    expect_values(conv2d_add(ones({1, 3, 3}), ones({1, 1, 3, 3}), Tensor{}, nan_at_4, 1, 1), {1, 3, 3},
                  {4, 6, 4, 6, test::kNaN, 6, 4, 6, 4});
}

TEST(Conv, Conv2dAddErrorsNameTheAddend) {
    const Tensor x = zeros({2, 3, 5, 5}), w = zeros({4, 3, 3, 3});  // output [2, 4, 3, 3]
    expect_error<DTypeError>([&] { conv2d_add(x, w, Tensor{}, zeros({2, 4, 3, 3}, {DType::Float64})); },
                             {"conv2d_add", "addend", "float64", "float32"});
    expect_error<ShapeError>([&] { conv2d_add(x, w, Tensor{}, zeros({2, 3, 3, 3})); },
                             {"conv2d_add", "addend shape [2, 3, 3, 3]", "output shape [2, 4, 3, 3]"});
    // An addend that would broadcast the output to a larger shape is refused, not broadcast.
    expect_error<ShapeError>([&] { conv2d_add(x, w, Tensor{}, zeros({5, 2, 4, 3, 3})); },
                             {"conv2d_add", "[5, 2, 4, 3, 3]", "[2, 4, 3, 3]"});
    expect_error<ShapeError>([&] { conv2d_add(x, w, Tensor{}, zeros({2, 4, 3, 2})); }, {"conv2d_add", "[2, 4, 3, 2]"});
    expect_error<ValueError>([&] { conv2d_add(x, w, Tensor{}, Tensor{}); }, {"conv2d_add", "addend", "undefined"});
    // The convolution's own checks name conv2d_add.
    expect_error<ShapeError>([&] { conv2d_add(zeros({1, 1, 2, 2}), zeros({1, 1, 3, 3}), Tensor{}, zeros({1})); },
                             {"conv2d_add", "[1, 1, 2, 2]", "[1, 1, 3, 3]"});
}

double dot(const Tensor& a, const Tensor& b) {
    const std::vector<double> x = a.to_vector(), y = b.to_vector();
    double s = 0;
    for (size_t i = 0; i < x.size(); ++i) s += x[i] * y[i];
    return s;
}

TEST(Conv, ConvTransposeIsTheAdjointOfConv) {
    uint64_t seed = 700;
    for (const ConvCase& c : kCases) {
        const Tensor x = test::random_tensor({c.N, c.C, c.H, c.W}, ++seed, DType::Float64);
        const Tensor w = test::random_tensor({c.O, c.C / c.groups, c.kh, c.kw}, ++seed, DType::Float64);
        const Tensor y = conv2d(x, w, Tensor{}, {c.sh, c.sw}, {c.ph, c.pw}, {c.dh, c.dw}, c.groups);
        const Tensor r = test::random_tensor(y.shape(), ++seed, DType::Float64);
        // output_padding recovers the input size that the strided conv rounded away.
        const int64_t oph = c.H - ((y.size(2) - 1) * c.sh - 2 * c.ph + c.dh * (c.kh - 1) + 1);
        const int64_t opw = c.W - ((y.size(3) - 1) * c.sw - 2 * c.pw + c.dw * (c.kw - 1) + 1);
        const Tensor xt = conv_transpose2d(r, w, Tensor{}, {c.sh, c.sw}, {c.ph, c.pw}, {oph, opw}, c.groups,
                                           {c.dh, c.dw});
        ASSERT_EQ(xt.shape(), x.shape());
        const double lhs = dot(y, r), rhs = dot(x, xt);
        EXPECT_NEAR(lhs, rhs, 1e-10 * std::max(1.0, std::fabs(lhs)));
    }
}

TEST(Conv, ConvTransposeMatchesScatterLoop) {
    // x [2, 4, 3, 5], w [4, 3, 3, 2] (groups 2 -> out channels 6), stride (2, 1), padding (1, 0),
    // output_padding (1, 0), dilation (1, 2).
    const Tensor x = test::random_tensor({2, 4, 3, 5}, 800, DType::Float64);
    const Tensor w = test::random_tensor({4, 3, 3, 2}, 801, DType::Float64);
    const Tensor b = test::random_tensor({6}, 802, DType::Float64);
    const int64_t sh = 2, sw = 1, ph = 1, pw = 0, oph = 1, dh = 1, dw = 2, groups = 2;
    const Tensor y = conv_transpose2d(x, w, b, {sh, sw}, {ph, pw}, {oph, 0}, groups, {dh, dw});
    const int64_t Ho = (3 - 1) * sh - 2 * ph + dh * 2 + oph + 1, Wo = (5 - 1) * sw - 2 * pw + dw * 1 + 0 + 1;
    ASSERT_EQ(y.shape(), (Shape{2, 6, Ho, Wo}));
    std::vector<double> ref(static_cast<size_t>(2 * 6 * Ho * Wo), 0.0);
    const std::vector<double> xv = x.to_vector(), wv = w.to_vector(), bv = b.to_vector();
    for (int64_t n = 0; n < 2; ++n)
        for (int64_t ci = 0; ci < 4; ++ci)
            for (int64_t oc = 0; oc < 3; ++oc)
                for (int64_t ih = 0; ih < 3; ++ih)
                    for (int64_t iw = 0; iw < 5; ++iw)
                        for (int64_t ki = 0; ki < 3; ++ki)
                            for (int64_t kj = 0; kj < 2; ++kj) {
                                const int64_t oh = ih * sh - ph + ki * dh, ow = iw * sw - pw + kj * dw;
                                if (oh < 0 || oh >= Ho || ow < 0 || ow >= Wo) continue;
                                const int64_t o = (ci / 2) * 3 + oc;
                                ref[((n * 6 + o) * Ho + oh) * Wo + ow] +=
                                    xv[((n * 4 + ci) * 3 + ih) * 5 + iw] * wv[((ci * 3 + oc) * 3 + ki) * 2 + kj];
                            }
    for (int64_t n = 0; n < 2; ++n)
        for (int64_t o = 0; o < 6; ++o)
            for (int64_t i = 0; i < Ho * Wo; ++i) ref[(n * 6 + o) * Ho * Wo + i] += bv[o];
    expect_values(y, {2, 6, Ho, Wo}, ref, 1e-13);
    expect_error<ValueError>([&] { conv_transpose2d(x, w, b, 1, 0, 1, 2); },
                             {"conv_transpose2d", "output_padding", "(1, 1)"});
    expect_error<ShapeError>([&] { conv_transpose2d(x, w, zeros({3}, {DType::Float64}), 1, 0, 0, 2); },
                             {"conv_transpose2d", "bias", "[3]"});
}

TEST(Conv, UpsampleNearest) {
    const Tensor x = from_vector({1, 2, 3, 4}, {1, 1, 2, 2});
    expect_values(upsample_nearest2d(x, 2), {1, 1, 4, 4}, {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4});
    // Non-integer scale: out = floor(3 * 1.5) = 4, src = floor(dst * float(1 / 1.5)) = 0, 0, 1, 2.
    const Tensor r = from_vector({10, 20, 30}, {1, 1, 1, 3});
    expect_values(upsample_nearest2d(r, 1.0, 1.5), {1, 1, 1, 4}, {10, 10, 20, 30});
    // Down-scaling and any dtype; unbatched input.
    const Tensor i = from_vector({1, 2, 3, 4, 5, 6, 7, 8}, {1, 2, 4}, {DType::Int64});
    const Tensor d = upsample_nearest2d(i, 0.5);
    EXPECT_EQ(d.dtype(), DType::Int64);
    expect_values(d, {1, 1, 2}, {1, 3});
    expect_error<ValueError>([&] { upsample_nearest2d(x, 0.0); }, {"upsample_nearest2d", "> 0"});
    expect_error<ShapeError>([&] { upsample_nearest2d(x, 0.25); }, {"upsample_nearest2d", "[1, 1, 2, 2]"});
}

// Every element size (1, 2, 4, 8 bytes) and scale (2x repeats each row, 3x three times, 1.5x and
// 0.6x some) against the index rule applied by hand.
TEST(Conv, UpsampleNearestEveryDtypeAndScale) {
    const Tensor base = test::random_tensor({2, 3, 5, 7}, 90, DType::Float64, -100, 100);
    for (DType dt : {DType::Bool, DType::UInt8, DType::Float16, DType::BFloat16, DType::Int32, DType::Float32,
                     DType::Int64, DType::Float64}) {
        const Tensor x = base.to(dt);
        const std::vector<double> xv = x.to_vector();
        for (const auto& [sh, sw] : std::vector<std::pair<double, double>>{{2, 2}, {3, 1}, {1.5, 0.6}, {0.6, 2}}) {
            const Tensor y = upsample_nearest2d(x, sh, sw);
            const int64_t Ho = y.size(2), Wo = y.size(3);
            ASSERT_EQ(Ho, static_cast<int64_t>(5 * sh)) << dtype_name(dt);
            auto src = [](int64_t dst, int64_t in, int64_t out, double scale) -> int64_t {
                if (out == in) return dst;
                if (out == 2 * in) return dst / 2;
                return std::min<int64_t>(static_cast<int64_t>(std::floor(static_cast<float>(dst) * static_cast<float>(1.0 / scale))), in - 1);
            };
            std::vector<double> want;
            for (int64_t plane = 0; plane < 6; ++plane)
                for (int64_t i = 0; i < Ho; ++i)
                    for (int64_t j = 0; j < Wo; ++j)
                        want.push_back(xv[static_cast<size_t>((plane * 5 + src(i, 5, Ho, sh)) * 7 + src(j, 7, Wo, sw))]);
            expect_values(y, {2, 3, Ho, Wo}, want);
        }
    }
}

TEST(Conv, AvgPool) {
    const Tensor x = arange(0.0, 16.0, 1.0, {DType::Float32}).view({1, 1, 4, 4});
    expect_values(avg_pool2d(x, 2), {1, 1, 2, 2}, {2.5, 4.5, 10.5, 12.5});
    expect_values(avg_pool2d(x, 3, 1), {1, 1, 2, 2}, {5, 6, 9, 10});
    // Padding 1, kernel 2, stride 2: windows at -1..0, 1..2, 3..4.
    // count_include_pad divides by 4 everywhere; without it by the real element count.
    expect_values(avg_pool2d(x, 2, 2, 1), {1, 1, 3, 3}, {0 / 4.0, 3 / 4.0, 3 / 4.0, 12 / 4.0, 30 / 4.0, 18 / 4.0,
                                                         12 / 4.0, 27 / 4.0, 15 / 4.0});
    expect_values(avg_pool2d(x, 2, 2, 1, false, false), {1, 1, 3, 3}, {0, 1.5, 3, 6, 7.5, 9, 12, 13.5, 15});
    // ceil_mode: 5 wide, kernel 2, stride 2 -> 3 outputs; the last window holds one column.
    const Tensor y = arange(0.0, 10.0, 1.0, {DType::Float32}).view({1, 1, 2, 5});
    expect_values(avg_pool2d(y, 2, 2, 0, true), {1, 1, 1, 3}, {3, 5, 6.5});
    expect_values(avg_pool2d(y, 2, 2, 0, false), {1, 1, 1, 2}, {3, 5});
    expect_error<ValueError>([&] { avg_pool2d(x, 2, 2, 2); }, {"avg_pool2d", "padding", "half"});
    expect_error<DTypeError>([] { avg_pool2d(zeros({1, 1, 2, 2}, {DType::Int64}), 2); }, {"avg_pool2d", "int64"});
}

}  // namespace
}  // namespace nl
