// The models' layers on the GPU (gpu/nn_kernels.cu through CudaOps) against tensor/ops.h on the
// CPU, on the shapes DigitsUNet runs (512 images of 1x20x20, widths 16/32/64, GroupNorm(8)) cut
// to a few images, plus edge cases: stride 2 on odd sizes, no padding, no bias, empty and single
// batches, strided inputs, channel counts that take several shared-memory chunks; the GAN's and
// VAE's decoder layers (conv_transpose2d, batch_norm) and layer_norm, avg_pool2d. Exact where
// the kernel does the CPU's IEEE operations in the CPU's order (conv2d, conv_transpose2d,
// group_norm, layer_norm, batch_norm, avg_pool2d, clamp, upsampling, cat, tensor-scalar
// arithmetic); within docs/GPU.md's tolerances elsewhere (CUDA's exp / erf / tanh).
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "gpu/kernels.h"
#include "gpu_test_util.h"
#include "tensor/backend.h"
#include "tensor/ops.h"
#include "tensor/ops_internal.h"
#include "tensor/random.h"

namespace nl {
namespace {

using gpu_test::data;
using gpu_test::same_bytes;
using gpu_test::same_values_nan_aware;
Tensor gpu(const Tensor& t) { return t.to(Device::cuda()); }

// gpu_test::max_rel of a result that must still be on the GPU.
double max_rel_on_gpu(const Tensor& cpu, const Tensor& dev, double floor) {
    EXPECT_TRUE(dev.device().is_cuda());
    return gpu_test::max_rel(cpu, dev, floor);
}

struct ConvCase {
    const char* name;
    Shape x, w;
    bool bias;
    Size2 stride, padding, dilation;
    int64_t groups;
};

const ConvCase kConvCases[] = {
    {"conv_in", {3, 1, 20, 20}, {16, 1, 3, 3}, true, 1, 1, 1, 1},
    {"res1 conv", {3, 16, 20, 20}, {16, 16, 3, 3}, true, 1, 1, 1, 1},
    {"down1 (stride 2)", {3, 16, 20, 20}, {32, 16, 3, 3}, true, 2, 1, 1, 1},
    {"down2 (stride 2, 10 -> 5)", {3, 32, 10, 10}, {32, 32, 3, 3}, true, 2, 1, 1, 1},
    {"res3 conv1 (C*9 = 576)", {3, 64, 10, 10}, {32, 64, 3, 3}, true, 1, 1, 1, 1},
    {"res3 skip (1x1)", {3, 64, 10, 10}, {32, 64, 1, 1}, true, 1, 0, 1, 1},
    {"mid (5 x 5: a row of 4 + 1 pixels)", {3, 32, 5, 5}, {32, 32, 3, 3}, true, 1, 1, 1, 1},
    {"conv_out (one channel)", {3, 16, 20, 20}, {1, 16, 3, 3}, true, 1, 1, 1, 1},
    {"odd sizes, stride 2, no padding, no bias", {2, 3, 7, 9}, {5, 3, 3, 3}, false, 2, 0, 1, 1},
    {"rectangular stride and padding", {2, 3, 8, 11}, {4, 3, 2, 3}, true, {1, 3}, {2, 0}, 1, 1},
    {"rectangular kernel 2x3, stride 1", {2, 3, 8, 11}, {4, 3, 2, 3}, true, 1, {1, 0}, 1, 1},
    {"5x5, padding 2, no bias", {2, 3, 13, 17}, {9, 3, 5, 5}, false, 1, 2, 1, 1},
    {"7x7, padding 3, channels in chunks", {1, 40, 9, 10}, {12, 40, 7, 7}, true, 1, 3, 1, 1},
    {"1x7 kernel", {2, 2, 6, 15}, {3, 2, 1, 7}, true, 1, {0, 3}, 1, 1},
    {"dilation and groups", {2, 4, 9, 9}, {6, 2, 3, 3}, true, 1, 2, 2, 2},
    {"depthwise", {2, 8, 6, 6}, {8, 1, 3, 3}, false, 1, 1, 1, 8},
    {"single image", {1, 2, 5, 5}, {3, 2, 3, 3}, true, 1, 1, 1, 1},
    {"empty batch", {0, 2, 5, 5}, {3, 2, 3, 3}, true, 1, 1, 1, 1},
    {"several weight chunks", {2, 300, 6, 6}, {10, 300, 3, 3}, true, 1, 1, 1, 1},
    {"large image (two pixel tiles per row block)", {1, 2, 37, 41}, {3, 2, 3, 3}, true, 1, 1, 1, 1},
    {"300 wide (75 pixel groups a row)", {1, 2, 3, 300}, {3, 2, 3, 3}, true, 1, 1, 1, 1},
    {"600 wide (too wide for the tiled kernel)", {1, 1, 2, 600}, {2, 1, 3, 3}, true, 1, 1, 1, 1},
    {"many output channels (tiles of 8, last partial)", {2, 4, 4, 4}, {300, 4, 3, 3}, true, 1, 1, 1, 1},
};

// Sets the convolution kernel for a scope and puts the previous choice back, also when a check throws.
class ConvKernelScope {
public:
    explicit ConvKernelScope(gpu::detail::ConvKernel k) : previous_(gpu::detail::conv_kernel()) { gpu::detail::set_conv_kernel(k); }
    ~ConvKernelScope() { gpu::detail::set_conv_kernel(previous_); }
    ConvKernelScope(const ConvKernelScope&) = delete;
    ConvKernelScope& operator=(const ConvKernelScope&) = delete;

private:
    gpu::detail::ConvKernel previous_;
};

// The kernel geometry of a case (as CudaOps::conv2d fills it).
gpu::detail::ConvGeometry geometry_of(const ConvCase& c) {
    const int64_t kh = c.w[2], kw = c.w[3];
    const int64_t Ho = (c.x[2] + 2 * c.padding.h - c.dilation.h * (kh - 1) - 1) / c.stride.h + 1;
    const int64_t Wo = (c.x[3] + 2 * c.padding.w - c.dilation.w * (kw - 1) - 1) / c.stride.w + 1;
    return {c.x[0],   c.x[1],       c.x[2],       c.x[3],       c.w[0],       kh,           kw,          Ho,
            Wo,       c.groups,     c.stride.h,   c.stride.w,   c.padding.h,  c.padding.w,  c.dilation.h, c.dilation.w};
}

// Every case on the GPU equals the CPU byte for byte, with the kernel currently chosen (which
// `tiled_cases` says: true when the tiled kernel is chosen and must run where it applies).
void expect_conv_cases_exact(bool tiled_cases) {
    for (DType dt : {DType::Float32, DType::Float64, DType::Float16}) {
        for (const ConvCase& c : kConvCases) {
            if (tiled_cases && c.x[0] > 0) {
                const gpu::detail::ConvGeometry g = geometry_of(c);
                const bool applies = g.sh == 1 && g.sw == 1 && g.dh == 1 && g.dw == 1 && g.groups == 1 && g.Wo <= 512 &&
                                     (g.kw == 1 || g.kw == 3 || g.kw == 5 || g.kw == 7) && g.kh <= 7;
                EXPECT_EQ(gpu::detail::conv_kernel_for(g, dt) == gpu::detail::ConvKernel::Tiled, applies)
                    << c.name << ": which kernel runs";
            }
            const Tensor x = data(c.x, dt, 1), w = data(c.w, dt, 2), b = c.bias ? data({c.w[0]}, dt, 3) : Tensor();
            const Tensor cpu = conv2d(x, w, b, c.stride, c.padding, c.dilation, c.groups);
            const int64_t before = ops_detail::through_host_calls();
            const Tensor dev = conv2d(gpu(x), gpu(w), c.bias ? gpu(b) : b, c.stride, c.padding, c.dilation, c.groups);
            EXPECT_EQ(ops_detail::through_host_calls(), before) << c.name << ": ran through the host";
            EXPECT_TRUE(dev.device().is_cuda());
            EXPECT_TRUE(same_bytes(cpu, dev)) << c.name << ", " << dtype_name(dt);
            // conv2d_add: the kernel's epilogue adds a residual, or a per-image channel bias read
            // from a narrowed [N, O + 2] matrix (strides O + 2, 1, 0, 0), as the CPU's two ops.
            const Tensor residual = data(cpu.shape(), dt, 9);
            const Tensor wide = data({c.x[0], c.w[0] + 2}, dt, 10);
            const Tensor channel = wide.narrow(1, 1, c.w[0]).unsqueeze(2).unsqueeze(3);
            for (const Tensor& a : {residual, channel}) {
                const Tensor want = conv2d_add(x, w, b, a, c.stride, c.padding, c.dilation, c.groups);
                const Tensor got = conv2d_add(gpu(x), gpu(w), c.bias ? gpu(b) : b, gpu(a.contiguous()),
                                              c.stride, c.padding, c.dilation, c.groups);
                EXPECT_TRUE(same_bytes(want, got)) << c.name << ", conv2d_add " << shape_str(a.shape()) << ", " << dtype_name(dt);
            }
            const Tensor got_view = conv2d_add(gpu(x), gpu(w), c.bias ? gpu(b) : b, gpu(wide).narrow(1, 1, c.w[0]).unsqueeze(2).unsqueeze(3),
                                               c.stride, c.padding, c.dilation, c.groups);
            EXPECT_TRUE(same_bytes(conv2d_add(x, w, b, channel, c.stride, c.padding, c.dilation, c.groups), got_view))
                << c.name << ", conv2d_add of a narrowed view on the GPU, " << dtype_name(dt);
            EXPECT_EQ(ops_detail::through_host_calls(), before) << c.name << ": conv2d_add ran through the host";
        }
    }
    // Unbatched and strided inputs (made dense on the device first).
    const Tensor x = data({2, 16, 20, 20}, DType::Float32, 4), w = data({16, 16, 3, 3}, DType::Float32, 5);
    // conv2d_add's other addend layouts, read in place: a transposed view, a row [Wo], a channel
    // column [O, 1, 1], and an unbatched input with an [O, Ho, Wo] addend.
    const Tensor res_t = data({2, 16, 20, 20}, DType::Float32, 11).transpose(2, 3);
    const Tensor row = data({20}, DType::Float32, 12), column = data({16, 1, 1}, DType::Float32, 13);
    for (const Tensor& a : {res_t, row, column}) {
        EXPECT_TRUE(same_bytes(conv2d_add(x, w, Tensor(), a, 1, 1),
                               conv2d_add(gpu(x), gpu(w), Tensor(), gpu(a.contiguous()), 1, 1)))
            << "conv2d_add " << shape_str(a.shape());
    }
    EXPECT_TRUE(same_bytes(conv2d_add(x, w, Tensor(), res_t, 1, 1),
                           conv2d_add(gpu(x), gpu(w), Tensor(), gpu(res_t.transpose(2, 3).contiguous()).transpose(2, 3), 1, 1)))
        << "conv2d_add of a transposed view on the GPU";
    EXPECT_TRUE(same_bytes(conv2d_add(x.select(0, 1), w, Tensor(), res_t.select(0, 0), 1, 1),
                           conv2d_add(gpu(x).select(0, 1), gpu(w), Tensor(), gpu(res_t.select(0, 0).contiguous()), 1, 1)))
        << "unbatched conv2d_add";
    // NaN addends keep their bits as in the CPU's add (x86 returns the NaN operand, quieted), not
    // the GPU's canonical NaN: a negative default NaN, a payload, a signalling payload.
    Tensor nan_row = data({20}, DType::Float32, 14).contiguous();
    for (const auto& [at, bits] : {std::pair{3, 0xFFC00000u}, std::pair{7, 0x7FC12345u}, std::pair{11, 0xFF812345u}})
        std::memcpy(nan_row.data<float>() + at, &bits, sizeof bits);
    for (DType dt : {DType::Float32, DType::Float16, DType::BFloat16}) {
        const Tensor xd = x.to(dt), wd = w.to(dt), ad = nan_row.to(dt);
        EXPECT_TRUE(same_bytes(conv2d_add(xd, wd, Tensor(), ad, 1, 1), conv2d_add(gpu(xd), gpu(wd), Tensor(), gpu(ad), 1, 1)))
            << "conv2d_add with NaN addends, " << dtype_name(dt);
    }
    EXPECT_TRUE(same_bytes(conv2d(x.select(0, 1), w, Tensor(), 1, 1), conv2d(gpu(x).select(0, 1), gpu(w), Tensor(), 1, 1)));
    EXPECT_TRUE(same_bytes(conv2d(x.transpose(2, 3), w, Tensor(), 2, 1), conv2d(gpu(x).transpose(2, 3), gpu(w), Tensor(), 2, 1)));
    EXPECT_TRUE(same_bytes(conv2d(x, w.transpose(2, 3), Tensor(), 1, 1), conv2d(gpu(x), gpu(w).transpose(2, 3), Tensor(), 1, 1)));
    // Infinite and NaN weights where the window meets the padding: the CPU's im2col adds 0 * w
    // there (NaN); the tiled kernel adds those terms too, the direct one skips them (docs/GPU.md).
    Tensor wi = data({2, 1, 3, 3}, DType::Float32, 6).contiguous();
    wi.data<float>()[0] = std::numeric_limits<float>::infinity();
    wi.data<float>()[9 + 8] = std::numeric_limits<float>::quiet_NaN();
    const Tensor xi = data({1, 1, 6, 7}, DType::Float32, 7);
    const Tensor ci = conv2d(xi, wi, Tensor(), 1, 1), gi = conv2d(gpu(xi), gpu(wi), Tensor(), 1, 1);
    if (tiled_cases) {
        EXPECT_TRUE(same_values_nan_aware(ci, gi)) << "the padding's 0 * inf and 0 * NaN terms";
    }
}

TEST(GpuLayers, Conv2dIsTheCpusSum) {
    NL_REQUIRE_GPU();
    const ConvKernelScope direct(gpu::detail::ConvKernel::Direct);
    expect_conv_cases_exact(false);
}

// The register-tiled kernel (opt-in: NOISELAB_CONV_KERNEL=tiled) on the same cases, and which
// kernel runs where.
TEST(GpuLayers, Conv2dTiledKernelIsTheCpusSum) {
    NL_REQUIRE_GPU();
    const ConvKernelScope tiled(gpu::detail::ConvKernel::Tiled);
    using gpu::detail::ConvGeometry;
    auto kernel_for = [](ConvGeometry g) { return gpu::detail::conv_kernel_for(g, DType::Float32); };
    //                            N    C   H   W   O  kh kw Ho  Wo  groups sh sw ph pw dh dw
    EXPECT_EQ(kernel_for(ConvGeometry{512, 16, 20, 20, 16, 3, 3, 20, 20, 1, 1, 1, 1, 1, 1, 1}), gpu::detail::ConvKernel::Tiled);
    EXPECT_EQ(kernel_for(ConvGeometry{512, 64, 10, 10, 32, 1, 1, 10, 10, 1, 1, 1, 0, 0, 1, 1}), gpu::detail::ConvKernel::Tiled);
    EXPECT_EQ(kernel_for(ConvGeometry{512, 16, 20, 20, 32, 3, 3, 10, 10, 1, 2, 2, 1, 1, 1, 1}), gpu::detail::ConvKernel::Direct)
        << "stride 2";
    EXPECT_EQ(kernel_for(ConvGeometry{2, 4, 9, 9, 6, 3, 3, 9, 9, 2, 1, 1, 2, 2, 2, 2}), gpu::detail::ConvKernel::Direct)
        << "dilation and groups";
    EXPECT_EQ(kernel_for(ConvGeometry{1, 1, 2, 600, 2, 3, 3, 2, 600, 1, 1, 1, 1, 1, 1, 1}), gpu::detail::ConvKernel::Direct)
        << "wider than 512";
    EXPECT_EQ(kernel_for(ConvGeometry{0, 16, 20, 20, 16, 3, 3, 20, 20, 1, 1, 1, 1, 1, 1, 1}), gpu::detail::ConvKernel::Direct)
        << "empty batch";
    expect_conv_cases_exact(true);
}

TEST(GpuLayers, GroupNorm) {
    NL_REQUIRE_GPU();
    struct Case {
        Shape x;
        int64_t groups;
        bool affine;
    } cases[] = {{{4, 16, 20, 20}, 8, true}, {{4, 32, 10, 10}, 8, true}, {{4, 64, 5, 5}, 8, true},
                 {{3, 6, 7}, 3, false},      {{2, 4}, 2, true},            {{1, 8, 33, 33}, 1, true},
                 {{0, 8, 4, 4}, 8, true},    {{2, 8, 300}, 2, true}};  // rows of 1200: several per lane
    for (DType dt : {DType::Float32, DType::Float64, DType::BFloat16}) {
        for (const Case& c : cases) {
            // An offset and a scale that make the two-pass statistics matter.
            const Tensor x = data(c.x, dt, 6, 3.0) + 5.0;
            const int64_t C = c.x[1];
            const Tensor w = c.affine ? data({C}, dt, 7) : Tensor(), b = c.affine ? data({C}, dt, 8) : Tensor();
            const Tensor cpu = group_norm(x, c.groups, w, b);
            const int64_t before = ops_detail::through_host_calls();
            const Tensor dev = group_norm(gpu(x), c.groups, c.affine ? gpu(w) : w, c.affine ? gpu(b) : b);
            EXPECT_EQ(ops_detail::through_host_calls(), before);
            // The statistics are summed in the CPU's order (kNormLanes lanes, then halved pairwise).
            EXPECT_TRUE(same_bytes(cpu, dev)) << shape_str(c.x) << " " << dtype_name(dt);
            // group_norm_silu: the silu of each stored value, with detmath's exp as the CPU.
            const Tensor cpu_silu = group_norm_silu(x, c.groups, w, b);
            const Tensor dev_silu = group_norm_silu(gpu(x), c.groups, c.affine ? gpu(w) : w, c.affine ? gpu(b) : b);
            EXPECT_EQ(ops_detail::through_host_calls(), before);
            EXPECT_TRUE(same_bytes(cpu_silu, dev_silu)) << "group_norm_silu " << shape_str(c.x) << " " << dtype_name(dt);
        }
    }
    // A NaN in a group makes that group's outputs NaN on both devices, the other groups' values
    // stay exact (the NaN's bits are the GPU's own: docs/GPU.md).
    Tensor x = data({2, 4, 3, 3}, DType::Float32, 9).contiguous();
    x.data<float>()[1 * 36 + 2 * 9 + 4] = std::numeric_limits<float>::quiet_NaN();  // image 1, group 1 of 2
    const Tensor w = data({4}, DType::Float32, 10), b = data({4}, DType::Float32, 11);
    for (const bool silu : {false, true}) {
        const Tensor cpu = silu ? group_norm_silu(x, 2, w, b) : group_norm(x, 2, w, b);
        const Tensor dev = silu ? group_norm_silu(gpu(x), 2, gpu(w), gpu(b)) : group_norm(gpu(x), 2, gpu(w), gpu(b));
        EXPECT_TRUE(same_values_nan_aware(cpu, dev)) << (silu ? "group_norm_silu" : "group_norm") << " with a NaN";
        EXPECT_TRUE(std::isnan(dev.cpu().data<float>()[1 * 36 + 2 * 9])) << "the NaN's group";
        EXPECT_FALSE(std::isnan(dev.cpu().data<float>()[1 * 36])) << "the other group";
    }
}

// The GAN's and VAE's decoder layers and the classifier's pooling (gpu/layer_kernels.cu and, for
// layer_norm, group_norm's kernel): the CPU's bytes, with nothing through the host.
TEST(GpuLayers, DecoderLayersAreTheCpus) {
    NL_REQUIRE_GPU();
    for (DType dt : {DType::Float32, DType::Float64, DType::Float16, DType::BFloat16}) {
        SCOPED_TRACE(dtype_name(dt));
        const int64_t before = ops_detail::through_host_calls();
        // conv_transpose2d: the GAN's 4x4 / stride 2 / padding 1 upsampling at its widths, then
        // output_padding, dilation, groups, rectangular options, no bias, unbatched, empty batch.
        struct TCase {
            const char* name;
            Shape x, w;
            bool bias;
            Size2 stride, padding, output_padding;
            int64_t groups;
            Size2 dilation;
        } tcases[] = {
            {"GAN up1 (5 -> 10)", {2, 128, 5, 5}, {128, 64, 4, 4}, true, 2, 1, 0, 1, 1},
            {"GAN up2 (10 -> 20, one channel)", {2, 64, 10, 10}, {64, 1, 4, 4}, true, 2, 1, 0, 1, 1},
            {"3x3 stride 1", {2, 3, 7, 9}, {3, 5, 3, 3}, true, 1, 1, 0, 1, 1},
            {"output_padding", {2, 3, 6, 6}, {3, 4, 3, 3}, false, 2, 1, 1, 1, 1},
            {"groups and dilation", {2, 4, 6, 5}, {4, 3, 3, 3}, true, 1, 2, 0, 2, 2},
            {"rectangular", {2, 3, 5, 8}, {3, 2, 2, 3}, true, {3, 1}, {1, 0}, {2, 0}, 1, {1, 2}},
            {"empty batch", {0, 3, 5, 5}, {3, 2, 3, 3}, true, 2, 0, 0, 1, 1},
        };
        for (const TCase& c : tcases) {
            const Tensor x = data(c.x, dt, 11), w = data(c.w, dt, 12);
            const Tensor b = c.bias ? data({c.w[1] * c.groups}, dt, 13) : Tensor();
            const Tensor cpu = conv_transpose2d(x, w, b, c.stride, c.padding, c.output_padding, c.groups, c.dilation);
            const Tensor dev = conv_transpose2d(gpu(x), gpu(w), c.bias ? gpu(b) : b, c.stride, c.padding, c.output_padding,
                                                c.groups, c.dilation);
            EXPECT_TRUE(dev.device().is_cuda());
            EXPECT_TRUE(same_bytes(cpu, dev)) << c.name;
        }
        const Tensor im = data({4, 6, 9, 11}, dt, 14, 2.0);
        EXPECT_TRUE(same_bytes(conv_transpose2d(im.select(0, 1), data({6, 2, 4, 4}, dt, 15), Tensor(), 2, 1),
                               conv_transpose2d(gpu(im).select(0, 1), gpu(data({6, 2, 4, 4}, dt, 15)), Tensor(), 2, 1)))
            << "unbatched";
        EXPECT_TRUE(same_bytes(conv_transpose2d(im.transpose(2, 3), data({6, 2, 3, 3}, dt, 16)),
                               conv_transpose2d(gpu(im).transpose(2, 3), gpu(data({6, 2, 3, 3}, dt, 16)))))
            << "strided input";
        // avg_pool2d: the classifier's 2x2, then padding counted or not, ceil mode, rectangular.
        EXPECT_TRUE(same_bytes(avg_pool2d(im, 2), avg_pool2d(gpu(im), 2)));
        EXPECT_TRUE(same_bytes(avg_pool2d(im, 3, 1, 1), avg_pool2d(gpu(im), 3, 1, 1)));
        EXPECT_TRUE(same_bytes(avg_pool2d(im, 3, 2, 1, true, false), avg_pool2d(gpu(im), 3, 2, 1, true, false)));
        EXPECT_TRUE(same_bytes(avg_pool2d(im, {2, 3}, Size2{1, 2}, {1, 0}, true), avg_pool2d(gpu(im), {2, 3}, Size2{1, 2}, {1, 0}, true)));
        EXPECT_TRUE(same_bytes(avg_pool2d(im.select(0, 2), 2), avg_pool2d(gpu(im).select(0, 2), 2)));
        // batch_norm with the running statistics, affine or not, and on [N, C] and [N, C, L].
        const Tensor mean = data({6}, dt, 17), var = data({6}, dt, 18) * data({6}, dt, 18) + 0.25;
        const Tensor w6 = data({6}, dt, 19), b6 = data({6}, dt, 20);
        EXPECT_TRUE(same_bytes(batch_norm(im, mean, var, w6, b6), batch_norm(gpu(im), gpu(mean), gpu(var), gpu(w6), gpu(b6))));
        EXPECT_TRUE(same_bytes(batch_norm(im, mean, var, Tensor(), Tensor(), 1e-3),
                               batch_norm(gpu(im), gpu(mean), gpu(var), Tensor(), Tensor(), 1e-3)));
        const Tensor flat = im.reshape({4, 6, 99});
        EXPECT_TRUE(same_bytes(batch_norm(flat, mean, var, w6), batch_norm(gpu(flat), gpu(mean), gpu(var), gpu(w6))));
        EXPECT_TRUE(same_bytes(batch_norm(flat.select(2, 0), mean, var), batch_norm(gpu(flat).select(2, 0), gpu(mean), gpu(var))));
        // layer_norm over the last one, two and three dims, with an offset that makes the two
        // passes matter; rows of 594 values span several lanes each.
        const Tensor shifted = im + 4.0;
        EXPECT_TRUE(same_bytes(layer_norm(shifted, {11}, data({11}, dt, 21), data({11}, dt, 22)),
                               layer_norm(gpu(shifted), {11}, gpu(data({11}, dt, 21)), gpu(data({11}, dt, 22)))));
        EXPECT_TRUE(same_bytes(layer_norm(shifted, {9, 11}), layer_norm(gpu(shifted), {9, 11})));
        EXPECT_TRUE(same_bytes(layer_norm(shifted, {6, 9, 11}, Tensor(), Tensor(), 1e-2),
                               layer_norm(gpu(shifted), {6, 9, 11}, Tensor(), Tensor(), 1e-2)));
        EXPECT_EQ(ops_detail::through_host_calls(), before) << "every layer above ran on its kernel";
    }
}

TEST(GpuLayers, SiluAndGelu) {
    NL_REQUIRE_GPU();
    for (DType dt : {DType::Float32, DType::Float64}) {
        Tensor x = data({4096}, dt, 9, 4.0);
        const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
        x = cat({x, from_vector({0.0, -0.0, nan, inf, -inf, 90.0, -90.0, 1e-30}, {8}, {dt})});
        const Tensor gx = gpu(x);
        // silu: detmath.h's exp on both sides, the same values (NaN where the CPU has NaN). gelu:
        // CUDA's erf / tanh against the C library's, relative to max(|x|, 1) since
        // 1 + erf(x / sqrt 2) cancels for negative x.
        const double tol = dt == DType::Float32 ? 1e-6 : 1e-14;
        EXPECT_TRUE(same_values_nan_aware(silu(x), silu(gx))) << dtype_name(dt);
        EXPECT_LT(max_rel_on_gpu(gelu(x), gelu(gx), 1.0), tol) << dtype_name(dt);
        EXPECT_LT(max_rel_on_gpu(gelu(x, "tanh"), gelu(gx, "tanh"), 1.0), tol) << dtype_name(dt);
    }
    const Tensor h = data({1000}, DType::Float16, 10, 3.0);
    EXPECT_TRUE(same_bytes(silu(h), silu(gpu(h)))) << "float16: one rounding of the float32 value";
}

TEST(GpuLayers, ExactElementwiseAndCopies) {
    NL_REQUIRE_GPU();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (DType dt : {DType::Float32, DType::Float64, DType::Float16, DType::BFloat16}) {
        SCOPED_TRACE(dtype_name(dt));
        const Tensor x = cat({data({1000}, dt, 11, 2.0), from_vector({nan, -0.0, 1.0, -1.0}, {4}, {dt})});
        const Tensor gx = gpu(x);
        const int64_t before = ops_detail::through_host_calls();
        // Tensor-scalar arithmetic: the scalar in the compute dtype (0.1 as a float for float32).
        EXPECT_TRUE(same_bytes(x * 0.1, gx * 0.1));
        EXPECT_TRUE(same_bytes(x + 3.0, gx + 3.0));
        EXPECT_TRUE(same_bytes(x - 0.7, gx - 0.7));
        EXPECT_TRUE(same_bytes(x / 7.0, gx / 7.0));
        EXPECT_TRUE(same_bytes(1.0 - x, 1.0 - gx));
        EXPECT_TRUE(same_bytes(2.0 / x, 2.0 / gx));
        EXPECT_TRUE(same_bytes(0.5 * x.narrow(0, 1, 500), 0.5 * gx.narrow(0, 1, 500)));  // an offset view
        // clamp: NaN passes, -0 stays, one-sided bounds.
        EXPECT_TRUE(same_bytes(clamp(x, -1.0, 1.0), clamp(gx, -1.0, 1.0)));
        EXPECT_TRUE(same_bytes(clamp(x, 0.3), clamp(gx, 0.3)));
        EXPECT_TRUE(same_bytes(clamp(x, std::nullopt, -0.2), clamp(gx, std::nullopt, -0.2)));
        EXPECT_EQ(ops_detail::through_host_calls(), before);
    }
    const Tensor im = data({3, 32, 5, 5}, DType::Float32, 12), gim = gpu(im);
    const int64_t before = ops_detail::through_host_calls();
    // Nearest upsampling: the UNet's 2x, same size, and other factors (float(1 / scale) rule).
    EXPECT_TRUE(same_bytes(upsample_nearest2d(im, 2.0), upsample_nearest2d(gim, 2.0)));
    EXPECT_TRUE(same_bytes(upsample_nearest2d(im, 1.0), upsample_nearest2d(gim, 1.0)));
    EXPECT_TRUE(same_bytes(upsample_nearest2d(im, 1.7, 0.5), upsample_nearest2d(gim, 1.7, 0.5)));
    EXPECT_TRUE(same_bytes(upsample_nearest2d(im.select(0, 2), 3.0), upsample_nearest2d(gim.select(0, 2), 3.0)));
    EXPECT_TRUE(same_bytes(upsample_nearest2d(im.transpose(2, 3), 2.0), upsample_nearest2d(gim.transpose(2, 3), 2.0)));
    // cat: the UNet's channel cat, other dims, strided and empty parts, more parts than one launch takes.
    const Tensor other = data({3, 16, 5, 5}, DType::Float32, 13), go = gpu(other);
    EXPECT_TRUE(same_bytes(cat({im, other}, 1), cat({gim, go}, 1)));
    EXPECT_TRUE(same_bytes(cat({im, im}, 0), cat({gim, gim}, 0)));
    EXPECT_TRUE(same_bytes(cat({im, im.transpose(2, 3)}, -1), cat({gim, gim.transpose(2, 3)}, -1)));
    EXPECT_TRUE(same_bytes(cat({im.narrow(1, 0, 0), other}, 1), cat({gim.narrow(1, 0, 0), go}, 1)));
    std::vector<Tensor> parts, gparts;
    for (int i = 0; i < 19; ++i) {
        parts.push_back(im.narrow(1, i, 1 + i % 3));
        gparts.push_back(gim.narrow(1, i, 1 + i % 3));
    }
    EXPECT_TRUE(same_bytes(cat(parts, 1), cat(gparts, 1)));
    const Tensor li = from_vector({3, 1, 4}, {3}, {DType::Int64}), lb = from_vector({1, 0}, {2}, {DType::Bool});
    EXPECT_TRUE(same_bytes(cat({li, li}), cat({gpu(li), gpu(li)})));
    EXPECT_TRUE(same_bytes(cat({lb, lb, lb}), cat({gpu(lb), gpu(lb), gpu(lb)})));
    // embedding: rows of the table by index_select, no host check beyond the op's own.
    const Tensor table = data({11, 64}, DType::Float32, 14);
    const Tensor labels = from_vector({3, 10, 0, 10, 7}, {5}, {DType::Int64});
    EXPECT_TRUE(same_bytes(embedding(labels, table), embedding(gpu(labels), gpu(table))));
    EXPECT_TRUE(same_bytes(embedding(labels.view({5, 1}), table), embedding(gpu(labels).view({5, 1}), gpu(table))));
    EXPECT_EQ(ops_detail::through_host_calls(), before);
}

}  // namespace
}  // namespace nl
