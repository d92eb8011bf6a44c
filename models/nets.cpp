// The forward passes (see nets.h); comments name the matching lines of models/train/nets.py.
#include "models/nets.h"

#include <vector>

#include "models/schedule.h"
#include "tensor/errors.h"
#include "tensor/ops.h"

namespace nl::models {

Tensor Linear::operator()(const Tensor& x) const { return linear(x, w, b); }
Tensor Conv::operator()(const Tensor& x) const { return conv2d(x, w, b, stride, padding); }
Tensor Conv::plus(const Tensor& x, const Tensor& addend) const { return conv2d_add(x, w, b, addend, stride, padding); }
Tensor GroupNorm::operator()(const Tensor& x) const { return group_norm(x, groups, w, b, 1e-5); }
Tensor GroupNorm::then_silu(const Tensor& x) const { return group_norm_silu(x, groups, w, b, 1e-5); }

namespace {

Linear lin(const Weights& w, const std::string& p, int64_t in, int64_t out) {
    return {w.get(p + ".weight", {out, in}), w.get(p + ".bias", {out})};
}
Conv conv(const Weights& w, const std::string& p, int64_t cin, int64_t cout, int64_t k, int64_t stride,
          int64_t padding) {
    return {w.get(p + ".weight", {cout, cin, k, k}), w.get(p + ".bias", {cout}), stride, padding};
}
GroupNorm gn(const Weights& w, const std::string& p, int64_t c) {
    return {w.get(p + ".weight", {c}), w.get(p + ".bias", {c}), 8};
}
int64_t dim_of(const Weights& w, const std::string& name, size_t axis, size_t rank) {
    const Shape& s = w.shape_of(name);
    if (s.size() != rank)
        throw IOError(w.path() + ": tensor '" + name + "' has shape " + shape_str(s) + ", expected rank " +
                      std::to_string(rank));
    return s[axis];
}
void check_batch(const char* what, const Tensor& t, int64_t B) {
    if (t.dim() != 1 || t.size(0) != B)
        throw ShapeError(std::string(what) + " must have shape [" + std::to_string(B) + "], got " + shape_str(t.shape()));
}

}  // namespace

// ---- Toy2DNet ------------------------------------------------------------------------------------

Toy2DNet::Toy2DNet(const Weights& w) : w_(w) { bind(); }
void Toy2DNet::to(Device d) {
    w_ = w_.to(d);
    bind();
}
void Toy2DNet::bind() {
    const int64_t hidden = dim_of(w_, "l1.weight", 0, 2);
    const int64_t in = dim_of(w_, "l1.weight", 1, 2);
    fourier_ = dim_of(w_, "x_freqs", 0, 1);
    datasets_ = 5;
    emb_ = static_cast<int>(in - 2 - 4 * fourier_ - datasets_);
    if (emb_ <= 0 || emb_ % 2)
        throw IOError(w_.path() + ": l1.weight input width " + std::to_string(in) + " does not fit 2 + 4 * " +
                      std::to_string(fourier_) + " (x_freqs) + embedding (even, > 0) + 5");
    freqs_ = w_.get("x_freqs", {fourier_});
    const int64_t cond = emb_ + datasets_;
    l1_ = lin(w_, "l1", in, hidden);
    l2_ = lin(w_, "l2", hidden, hidden);
    c2_ = lin(w_, "c2", cond, hidden);
    l3_ = lin(w_, "l3", hidden, hidden);
    c3_ = lin(w_, "c3", cond, hidden);
    out_ = lin(w_, "out", hidden, 2);
    // l(h) + c(cond) as one matmul over cat(h, cond): a copy is cheaper here than an elementwise add
    // of two [B, hidden] tensors (the sum is the same up to float32 rounding order).
    l2c2_ = {cat({l2_.w, c2_.w}, 1), add(l2_.b, c2_.b)};
    l3c3_ = {cat({l3_.w, c3_.w}, 1), add(l3_.b, c3_.b)};
}

Tensor Toy2DNet::forward(const Tensor& x, const Tensor& alpha_bar, const Tensor& dataset) const {
    if (x.dim() != 2 || x.size(1) != 2) throw ShapeError("toy2d denoiser: x must be [B, 2], got " + shape_str(x.shape()));
    const int64_t B = x.size(0);
    check_batch("toy2d denoiser: alpha_bar", alpha_bar, B);
    check_batch("toy2d denoiser: dataset", dataset, B);
    // c = cat(embedding, one_hot(dataset)); one_hot as rows of the identity
    // The condition is made where alpha_bar and dataset live (the samplers keep them on the host:
    // no device round trip per step) and then moved to x's device.
    const Tensor oh = eq(dataset.to(DType::Int64).unsqueeze(1), arange(datasets_, {DType::Int64, dataset.device()}).unsqueeze(0))
                          .to(DType::Float32)
                          .to(x.device());
    const Tensor c = cat({noise_level_embedding(alpha_bar, emb_).to(x.device()), oh}, 1);
    // a = (x[:, :, None] * x_freqs).flatten(1): x0 * f0..f(F-1), then x1 * f0..f(F-1)
    const Tensor a = mul(x.unsqueeze(2), freqs_.reshape({1, 1, fourier_})).reshape({B, 2 * fourier_});
    Tensor h = silu(l1_(cat({x, sin(a), cos(a), c}, 1)));
    h = silu(l2c2_(cat({h, c}, 1)));  // silu(l2(h) + c2(c))
    h = silu(l3c3_(cat({h, c}, 1)));  // silu(l3(h) + c3(c))
    // The MLP gives v; eps = sqrt(1 - alpha_bar) x + sqrt(alpha_bar) v (nets.py: why).
    const Tensor ab = alpha_bar.to(DType::Float32).unsqueeze(1).to(x.device());
    return add(mul(sqrt(sub(1, ab)), x), mul(sqrt(ab), out_(h)));
}

// ---- DigitsUNet ----------------------------------------------------------------------------------

DigitsUNet::DigitsUNet(const Weights& w) : w_(w) { bind(); }
void DigitsUNet::to(Device d) {
    w_ = w_.to(d);
    bind();
}

DigitsUNet::Res DigitsUNet::res(const std::string& p, int64_t cin, int64_t cout) const {
    Res r;
    r.n1 = gn(w_, p + ".norm1", cin);
    r.c1 = conv(w_, p + ".conv1", cin, cout, 3, 1, 1);
    r.emb = lin(w_, p + ".emb", emb_, cout);
    r.n2 = gn(w_, p + ".norm2", cout);
    r.c2 = conv(w_, p + ".conv2", cout, cout, 3, 1, 1);
    if (cin != cout) r.skip = conv(w_, p + ".skip", cin, cout, 1, 1, 0);
    return r;
}

void DigitsUNet::bind() {
    c_ = dim_of(w_, "conv_in.weight", 0, 4);
    emb_ = dim_of(w_, "t1.weight", 0, 2);
    if (c_ % 8) throw IOError(w_.path() + ": conv_in.weight width " + std::to_string(c_) + " is not a multiple of 8 (GroupNorm(8))");
    const int64_t c = c_;
    t1_ = lin(w_, "t1", 32, emb_);
    t2_ = lin(w_, "t2", emb_, emb_);
    label_ = w_.get("label.weight", {11, emb_});
    label_host_ = label_.cpu();
    conv_in_ = conv(w_, "conv_in", 1, c, 3, 1, 1);
    res1_ = res("res1", c, c);
    down1_ = conv(w_, "down1", c, 2 * c, 3, 2, 1);
    res2_ = res("res2", 2 * c, 2 * c);
    down2_ = conv(w_, "down2", 2 * c, 2 * c, 3, 2, 1);
    mid1_ = res("mid1", 2 * c, 2 * c);
    mid2_ = res("mid2", 2 * c, 2 * c);
    up2_ = conv(w_, "up2", 2 * c, 2 * c, 3, 1, 1);
    res3_ = res("res3", 4 * c, 2 * c);
    up1_ = conv(w_, "up1", 2 * c, c, 3, 1, 1);
    res4_ = res("res4", 2 * c, c);
    // The six blocks' embedding projections read the same e: their weights stacked make one
    // linear, whose columns each block narrows to (a view: conv2d_add reads it in place).
    std::vector<Tensor> ws, bs;
    int64_t column = 0;
    for (Res* r : {&res1_, &res2_, &mid1_, &mid2_, &res3_, &res4_}) {
        r->emb_column = column;
        column += r->emb.w.size(0);
        ws.push_back(r->emb.w);
        bs.push_back(r->emb.b);
    }
    emb_all_ = {cat(ws, 0), cat(bs, 0)};
    norm_out_ = gn(w_, "norm_out", c);
    conv_out_ = conv(w_, "conv_out", c, 1, 3, 1, 1);
}

// Each "norm, silu" and each "conv, then add" runs as one fused op (the same values as PyTorch's
// separate ones): four ops a block instead of eight, the launches and passes over memory a GPU
// step pays for.
Tensor DigitsUNet::Res::operator()(const Tensor& x, const Tensor& emb_all) const {
    // h = self.conv1(F.silu(self.norm1(x))) + self.emb(e)[:, :, None, None]
    const Tensor emb_e = emb_all.narrow(1, emb_column, emb.w.size(0));
    const Tensor h = c1.plus(n1.then_silu(x), emb_e.unsqueeze(2).unsqueeze(3));
    // self.conv2(F.silu(self.norm2(h))) + self.skip(x)
    return c2.plus(n2.then_silu(h), skip.w.defined() ? skip(x) : x);
}

Tensor DigitsUNet::forward(const Tensor& x, const Tensor& alpha_bar, const Tensor& label) const {
    if (x.dim() != 4 || x.size(1) != 1 || x.size(2) != 20 || x.size(3) != 20)
        throw ShapeError("digits denoiser: x must be [B, 1, 20, 20], got " + shape_str(x.shape()));
    const int64_t B = x.size(0);
    check_batch("digits denoiser: alpha_bar", alpha_bar, B);
    check_batch("digits denoiser: label", label, B);
    // The noise-level embedding is computed where alpha_bar lives (the sampler keeps it on the
    // host, so a device run does not wait for the GPU here) and then moved to x's device.
    // Labels given on the host (the samplers') are looked up in the host copy of the table and the
    // rows copied over: a device lookup checks its indices on the host, a wait for the GPU.
    const Tensor label_rows = label.device().is_cpu() ? embedding(label.to(DType::Int64), label_host_).to(x.device())
                                                      : embedding(label.to(DType::Int64).to(label_.device()), label_);
    Tensor e = t2_(silu(t1_(noise_level_embedding(alpha_bar, 32).to(x.device())))) + label_rows;
    e = silu(e);
    const Tensor emb_all = emb_all_(e);  // every block's self.emb(e), side by side
    const Tensor h0 = res1_(conv_in_(x), emb_all);
    const Tensor h1 = res2_(down1_(h0), emb_all);
    Tensor h = down2_(h1);
    h = mid2_(mid1_(h, emb_all), emb_all);
    h = up2_(upsample_nearest2d(h, 2.0));
    h = res3_(cat({h, h1}, 1), emb_all);
    h = up1_(upsample_nearest2d(h, 2.0));
    h = res4_(cat({h, h0}, 1), emb_all);
    return conv_out_(norm_out_.then_silu(h));
}

// ---- DigitsClassifier ----------------------------------------------------------------------------

DigitsClassifier::DigitsClassifier(const Weights& w) : w_(w) { bind(); }
void DigitsClassifier::to(Device d) {
    w_ = w_.to(d);
    bind();
}
void DigitsClassifier::bind() {
    c1_ = conv(w_, "conv1", 1, 16, 3, 1, 1);
    c2_ = conv(w_, "conv2", 16, 32, 3, 1, 1);
    fc1_ = lin(w_, "fc1", 32 * 5 * 5, 64);
    fc2_ = lin(w_, "fc2", 64, 10);
}
Tensor DigitsClassifier::forward(const Tensor& x) const {
    if (x.dim() != 4 || x.size(1) != 1 || x.size(2) != 20 || x.size(3) != 20)
        throw ShapeError("digits classifier: x must be [B, 1, 20, 20], got " + shape_str(x.shape()));
    Tensor h = avg_pool2d(relu(c1_(x)), 2);
    h = avg_pool2d(relu(c2_(h)), 2);
    return fc2_(relu(fc1_(h.reshape({x.size(0), -1}))));
}

// ---- DigitsGenerator -----------------------------------------------------------------------------

DigitsGenerator::DigitsGenerator(const Weights& w) : w_(w) { bind(); }
void DigitsGenerator::to(Device d) {
    w_ = w_.to(d);
    bind();
}
void DigitsGenerator::bind() {
    const int64_t in = dim_of(w_, "fc.weight", 1, 2);
    z_dim_ = in - 16;
    if (z_dim_ <= 0) throw IOError(w_.path() + ": fc.weight input width " + std::to_string(in) + " leaves no latent");
    // Widths from the file: up1 maps c0 -> c1 channels (ConvTranspose weights are [in, out, k, k]).
    c0_ = dim_of(w_, "up1.weight", 0, 4);
    const int64_t c1 = dim_of(w_, "up1.weight", 1, 4);
    label_ = w_.get("label.weight", {10, 16});
    fc_ = lin(w_, "fc", in, c0_ * 5 * 5);
    const char* parts[4] = {"weight", "bias", "running_mean", "running_var"};
    for (int i = 0; i < 4; ++i) {
        bn0_[i] = w_.get(std::string("bn0.") + parts[i], {c0_});
        bn1_[i] = w_.get(std::string("bn1.") + parts[i], {c1});
    }
    up1_w_ = w_.get("up1.weight", {c0_, c1, 4, 4});
    up1_b_ = w_.get("up1.bias", {c1});
    up2_w_ = w_.get("up2.weight", {c1, 1, 4, 4});
    up2_b_ = w_.get("up2.bias", {1});
}
Tensor DigitsGenerator::forward(const Tensor& z, const Tensor& label) const {
    if (z.dim() != 2 || z.size(1) != z_dim_)
        throw ShapeError("digits generator: z must be [B, " + std::to_string(z_dim_) + "], got " + shape_str(z.shape()));
    check_batch("digits generator: label", label, z.size(0));
    Tensor h = fc_(cat({z, embedding(label.to(DType::Int64), label_)}, 1)).reshape({-1, c0_, 5, 5});
    h = relu(batch_norm(h, bn0_[2], bn0_[3], bn0_[0], bn0_[1]));
    h = relu(batch_norm(conv_transpose2d(h, up1_w_, up1_b_, 2, 1), bn1_[2], bn1_[3], bn1_[0], bn1_[1]));
    return tanh(conv_transpose2d(h, up2_w_, up2_b_, 2, 1));
}

// ---- DigitsVAE -----------------------------------------------------------------------------------

DigitsVAE::DigitsVAE(const Weights& w) : w_(w) { bind(); }
void DigitsVAE::to(Device d) {
    w_ = w_.to(d);
    bind();
}
void DigitsVAE::bind() {
    z_dim_ = dim_of(w_, "mu.weight", 0, 2);
    enc1_ = lin(w_, "enc1", 400, 512);
    enc2_ = lin(w_, "enc2", 512, 256);
    mu_ = lin(w_, "mu", 256, z_dim_);
    logvar_ = lin(w_, "logvar", 256, z_dim_);
    dec1_ = lin(w_, "dec1", z_dim_, 256);
    dec2_ = lin(w_, "dec2", 256, 512);
    dec3_ = lin(w_, "dec3", 512, 400);
}
void DigitsVAE::encode(const Tensor& x, Tensor& mu, Tensor& logvar) const {
    if (x.dim() != 4 || x.size(1) * x.size(2) * x.size(3) != 400)
        throw ShapeError("digits VAE: x must be [B, 1, 20, 20], got " + shape_str(x.shape()));
    const Tensor h = relu(enc2_(relu(enc1_(x.reshape({x.size(0), 400})))));
    mu = mu_(h);
    logvar = logvar_(h);
}
Tensor DigitsVAE::decode(const Tensor& z) const {
    if (z.dim() != 2 || z.size(1) != z_dim_)
        throw ShapeError("digits VAE: z must be [B, " + std::to_string(z_dim_) + "], got " + shape_str(z.shape()));
    return sigmoid(dec3_(relu(dec2_(relu(dec1_(z)))))).reshape({-1, 1, 20, 20});
}

// ---- CharMLP -------------------------------------------------------------------------------------

CharMLP::CharMLP(const Weights& w) : w_(w) { bind(); }
void CharMLP::to(Device d) {
    w_ = w_.to(d);
    bind();
}
void CharMLP::bind() {
    emb_ = dim_of(w_, "embed.weight", 1, 2);
    const int64_t in = dim_of(w_, "l1.weight", 1, 2);
    if (in % emb_) throw IOError(w_.path() + ": l1.weight input width " + std::to_string(in) + " is not a multiple of the embedding width");
    context_ = in / emb_;
    const int64_t hidden = dim_of(w_, "l1.weight", 0, 2);
    embed_ = w_.get("embed.weight", {kVocab, emb_});
    l1_ = lin(w_, "l1", in, hidden);
    l2_ = lin(w_, "l2", hidden, hidden);
    out_ = lin(w_, "out", hidden, kVocab);
}
Tensor CharMLP::forward(const Tensor& ctx) const {
    if (ctx.dim() != 2 || ctx.size(1) != context_)
        throw ShapeError("char model: context must be [B, " + std::to_string(context_) + "], got " + shape_str(ctx.shape()));
    // Contexts are built on the host from the symbols drawn so far: they go to the model's device.
    Tensor h = embedding(ctx.to(DType::Int64).to(embed_.device()), embed_).reshape({ctx.size(0), -1});
    h = tanh(l1_(h));
    h = tanh(l2_(h));
    return out_(h);
}

}  // namespace nl::models
