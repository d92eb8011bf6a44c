// Forward passes of the shipped networks, built from tensor/ops.h, layer for layer as
// models/train/nets.py defines them (same parameter names). Each constructor fetches and checks
// every tensor it needs (Weights::get), so a wrong or damaged file fails at load time with an
// IOError naming the tensor. Inputs must be on the device the network was moved to (to()).
#pragma once
#include <string>

#include "models/weights.h"
#include "tensor/tensor.h"

namespace nl::models {

struct Linear {
    Tensor w, b;
    Tensor operator()(const Tensor& x) const;
};
struct Conv {
    Tensor w, b;
    int64_t stride = 1, padding = 0;
    Tensor operator()(const Tensor& x) const;
    Tensor plus(const Tensor& x, const Tensor& addend) const;  // (*this)(x) + addend, as one op
};
struct GroupNorm {
    Tensor w, b;
    int64_t groups = 8;
    Tensor operator()(const Tensor& x) const;
    Tensor then_silu(const Tensor& x) const;  // silu((*this)(x)), as one op
};

// eps(x_t [B,2], alpha_bar [B], dataset [B] int64 in 0..4): the 2-D toy denoiser (an MLP over x,
// Fourier features of x and the conditioning, which is also added to each hidden layer; its output
// v gives eps = sqrt(1 - alpha_bar) x + sqrt(alpha_bar) v). The widths (hidden, embedding, number
// of frequencies) come from the tensors' shapes.
class Toy2DNet {
public:
    explicit Toy2DNet(const Weights& w);
    Tensor forward(const Tensor& x, const Tensor& alpha_bar, const Tensor& dataset) const;
    void to(Device d);
    int datasets() const { return datasets_; }

private:
    void bind();
    Weights w_;
    Linear l1_, l2_, c2_, l3_, c3_, out_;
    Linear l2c2_, l3c3_;  // [l2 | c2] and [l3 | c3]: each pair as one matmul
    Tensor freqs_;  // x_freqs [F]: angular frequencies of the Fourier features
    int datasets_ = 5, emb_ = 32;
    int64_t fourier_ = 6;
};

// eps(x_t [B,1,20,20], alpha_bar [B], label [B] int64 in 0..10; 10 = no class): the digits UNet.
class DigitsUNet {
public:
    static constexpr int kNullLabel = 10;
    explicit DigitsUNet(const Weights& w);
    Tensor forward(const Tensor& x, const Tensor& alpha_bar, const Tensor& label) const;
    void to(Device d);
    int64_t channels() const { return c_; }

private:
    struct Res {
        GroupNorm n1, n2;
        Conv c1, c2, skip;  // skip.w undefined: identity
        Linear emb;
        int64_t emb_column = 0;  // where emb's outputs start in the columns of emb_all_
        // x, and emb_all_(e): the block reads its own columns of that one product.
        Tensor operator()(const Tensor& x, const Tensor& emb_all) const;
    };
    void bind();
    Res res(const std::string& p, int64_t cin, int64_t cout) const;
    Weights w_;
    int64_t c_ = 32, emb_ = 128;
    Linear t1_, t2_;
    Tensor label_;
    Tensor label_host_;  // label_ on the host: labels given on the host are looked up there
    Conv conv_in_, down1_, down2_, up2_, up1_, conv_out_;
    Res res1_, res2_, mid1_, mid2_, res3_, res4_;
    Linear emb_all_;  // every block's emb stacked: one matmul a forward instead of six
    GroupNorm norm_out_;
};

// Logits [B,10] of digits [B,1,20,20] in [-1, 1]: the judge of generated samples.
class DigitsClassifier {
public:
    explicit DigitsClassifier(const Weights& w);
    Tensor forward(const Tensor& x) const;
    void to(Device d);

private:
    void bind();
    Weights w_;
    Conv c1_, c2_;
    Linear fc1_, fc2_;
};

// Class-conditional DCGAN generator: z [B, z_dim], label [B] int64 0..9 -> [B,1,20,20] in [-1, 1].
class DigitsGenerator {
public:
    explicit DigitsGenerator(const Weights& w);
    Tensor forward(const Tensor& z, const Tensor& label) const;
    int64_t z_dim() const { return z_dim_; }
    void to(Device d);

private:
    void bind();
    Weights w_;
    int64_t z_dim_ = 64;
    int64_t c0_ = 128;  // channels of the 5x5 map (read from the file)
    Tensor label_, bn0_[4], bn1_[4], up1_w_, up1_b_, up2_w_, up2_b_;
    Linear fc_;
};

// MLP VAE on 400 pixels in [0, 1]: encode -> (mu, logvar) [B, z_dim]; decode z -> [B,1,20,20] in [0, 1].
class DigitsVAE {
public:
    explicit DigitsVAE(const Weights& w);
    void encode(const Tensor& x, Tensor& mu, Tensor& logvar) const;
    Tensor decode(const Tensor& z) const;
    int64_t z_dim() const { return z_dim_; }
    void to(Device d);

private:
    void bind();
    Weights w_;
    int64_t z_dim_ = 2;
    Linear enc1_, enc2_, mu_, logvar_, dec1_, dec2_, dec3_;
};

// Character MLP: context [B, 8] int64 symbols (0 = '.', 1..26 = a..z) -> next-symbol logits [B, 27].
class CharMLP {
public:
    static constexpr int kVocab = 27;
    explicit CharMLP(const Weights& w);
    Tensor forward(const Tensor& context) const;
    int64_t context() const { return context_; }
    void to(Device d);

private:
    void bind();
    Weights w_;
    int64_t context_ = 8, emb_ = 24;
    Tensor embed_;
    Linear l1_, l2_, out_;
};

}  // namespace nl::models
