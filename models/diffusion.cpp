// DDPM / DDIM updates and the DiffusionStepper (see diffusion.h).
#include "models/diffusion.h"

#include <cmath>

#include "tensor/errors.h"
#include "tensor/ops.h"
#include "tensor/random.h"

namespace nl::models {

Tensor ToyEps::eps(const Tensor& x, const Tensor& alpha_bar) const {
    const Tensor ds = full({x.size(0)}, dataset_, {DType::Int64});  // on the host, as alpha_bar
    return net_.forward(x, alpha_bar, ds);
}

DigitsEps::DigitsEps(const DigitsUNet& net, std::vector<int64_t> labels, double guidance)
    : net_(net), labels_(std::move(labels)), guidance_(guidance) {
    for (int64_t l : labels_)
        if (l < 0 || l > DigitsUNet::kNullLabel)
            throw ValueError("digit class " + std::to_string(l) + " is out of range; valid: 0 to 9 (10 = unconditional)");
    if (!std::isfinite(guidance_)) throw ValueError("guidance must be finite");
}

Tensor DigitsEps::eps(const Tensor& x, const Tensor& alpha_bar) const {
    const int64_t B = x.size(0);
    if (B != static_cast<int64_t>(labels_.size()))
        throw ShapeError("digits sampler: batch " + std::to_string(B) + " but " + std::to_string(labels_.size()) + " labels");
    std::vector<double> lab(labels_.begin(), labels_.end());
    bool any_cond = false;
    for (int64_t l : labels_) any_cond |= l != DigitsUNet::kNullLabel;
    // Labels stay on the host: the net looks them up there (no device index check per step).
    const Tensor cond = from_vector(lab, {B}, {DType::Int64});
    if (!any_cond || guidance_ == 1.0) return net_.forward(x, alpha_bar, cond);
    // One pass over [conditional; unconditional].
    const Tensor null = full({B}, DigitsUNet::kNullLabel, {DType::Int64});
    const Tensor both = net_.forward(cat({x, x}, 0), cat({alpha_bar, alpha_bar}, 0), cat({cond, null}, 0));
    const Tensor e_c = both.narrow(0, 0, B), e_u = both.narrow(0, B, B);
    Tensor guided = e_u + (e_c - e_u) * guidance_;
    // Unconditional rows (label 10) get plain e_u. The labels live on the host: the mask is made
    // there (one small copy to the device), and only when some row needs it.
    bool any_null = false;
    for (int64_t l : labels_) any_null |= l == DigitsUNet::kNullLabel;
    if (!any_null) return guided;
    std::vector<double> null_rows(labels_.size());
    for (size_t i = 0; i < labels_.size(); ++i) null_rows[i] = labels_[i] == DigitsUNet::kNullLabel;
    const Tensor is_null = from_vector(null_rows, {B, 1, 1, 1}, {DType::Bool}).to(x.device());
    return where(is_null, e_u, guided);
}

SamplerKind parse_sampler(const std::string& name) {
    if (name == "ddpm") return SamplerKind::DDPM;
    if (name == "ddim") return SamplerKind::DDIM;
    throw ValueError("sampler '" + name + "' is not known; valid: ddpm, ddim");
}
const char* sampler_name(SamplerKind k) { return k == SamplerKind::DDPM ? "ddpm" : "ddim"; }

void SamplerConfig::validate() const {
    if (steps < 1 || steps > kDiffusionT)
        throw ValueError("steps = " + std::to_string(steps) + " is out of range; valid: 1 to " + std::to_string(kDiffusionT));
    if (!(eta >= 0.0 && eta <= 1.0)) throw ValueError("eta = " + std::to_string(eta) + " is out of range; valid: 0 to 1");
    if (!(temperature >= 0.0 && temperature <= 10.0))
        throw ValueError("temperature = " + std::to_string(temperature) + " is out of range; valid: 0 to 10");
}

DiffusionStepper::DiffusionStepper(const EpsModel& model, int64_t n, const SamplerConfig& config, uint64_t seed)
    : model_(model), config_(config), gen_(seed) {
    config_.validate();
    if (n < 1 || n > 100000) throw ValueError("n = " + std::to_string(n) + " is out of range; valid: 1 to 100000");
    ab_ = alpha_bar(config_.schedule);
    ts_ = timesteps(config_.steps);
    Shape shape{n};
    for (int64_t s : model_.sample_shape()) shape.push_back(s);
    DiffusionFrame f;
    f.index = 0;
    f.timestep = ts_[0];
    f.alpha_bar = ab_[ts_[0]];
    f.x = randn(shape, {DType::Float32, config_.device}, &gen_) * config_.temperature;
    frames_.push_back(std::move(f));
}


const DiffusionFrame& DiffusionStepper::frame(int i) const {
    if (!keep_history_) {
        if (i != done_steps_) throw ShapeError("frame " + std::to_string(i) + ": history is off, only the latest frame (" + std::to_string(done_steps_) + ") is kept");
        return frames_.back();
    }
    if (i < 0 || i >= num_frames())
        throw ShapeError("frame " + std::to_string(i) + " is out of range; valid: 0 to " + std::to_string(num_frames() - 1));
    return frames_[i];
}

const DiffusionFrame& DiffusionStepper::step() {
    if (done()) return frames_.back();
    const int i = done_steps_;
    DiffusionFrame& cur = frames_.back();
    const Tensor& x = cur.x;
    const double ab_t = ab_[ts_[i]];
    const double ab_prev = i + 1 < config_.steps ? ab_[ts_[i + 1]] : 1.0;
    // On the host: the nets compute the noise-level embedding from it there and copy the result
    // over, so a device run never waits for the GPU to read alpha_bar back.
    const Tensor ab_vec = full({x.size(0)}, ab_t, {DType::Float32});
    const Tensor eps = model_.eps(x, ab_vec);
    Tensor x0 = (x - eps * std::sqrt(1.0 - ab_t)) * (1.0 / std::sqrt(ab_t));
    if (model_.clip_x0()) x0 = clamp(x0, Scalar(-1.0), Scalar(1.0));
    cur.x0 = x0;
    last_x0_ = x0;
    Tensor next;
    double sigma = 0.0;
    if (config_.sampler == SamplerKind::DDIM) {
        sigma = config_.eta * std::sqrt((1.0 - ab_prev) / (1.0 - ab_t)) * std::sqrt(std::max(0.0, 1.0 - ab_t / ab_prev));
        const double dir = std::sqrt(std::max(0.0, 1.0 - ab_prev - sigma * sigma));
        // With a clipped x_0 the step uses the noise consistent with it, eps = (x_t - sqrt(ab) x_0) /
        // sqrt(1 - ab), as DDPM's posterior does: keeping the model's raw eps beside a clipped x_0
        // pushes guided samples out of range (guidance 3 then saturates digits into blobs; measured
        // in docs/MODELS.md), and with it DDIM(eta = 1) equals DDPM also when clipping is active.
        const Tensor eps_used = model_.clip_x0() ? (x - x0 * std::sqrt(ab_t)) * (1.0 / std::sqrt(1.0 - ab_t)) : eps;
        next = x0 * std::sqrt(ab_prev) + eps_used * dir;
    } else {
        // The posterior q(x_prev | x_t, x_0) over the (possibly strided) step t -> prev.
        const double alpha = ab_t / ab_prev, beta = 1.0 - alpha;
        next = x0 * (std::sqrt(ab_prev) * beta / (1.0 - ab_t)) + x * (std::sqrt(alpha) * (1.0 - ab_prev) / (1.0 - ab_t));
        sigma = std::sqrt(std::max(0.0, beta * (1.0 - ab_prev) / (1.0 - ab_t)));
    }
    if (sigma > 0.0 && config_.temperature > 0.0)
        next = next + randn(x.shape(), {DType::Float32, x.device()}, &gen_) * (sigma * config_.temperature);
    DiffusionFrame f;
    f.index = i + 1;
    f.timestep = i + 1 < config_.steps ? ts_[i + 1] : -1;
    f.alpha_bar = ab_prev;
    f.x = next;
    if (!keep_history_) frames_.clear();
    frames_.push_back(std::move(f));
    ++done_steps_;
    return frames_.back();
}

const Tensor& DiffusionStepper::run(const std::function<void(int, int)>& progress) {
    while (!done()) {
        step();
        if (progress) progress(done_steps_, config_.steps);
    }
    return x();
}

Tensor diffusion_sample(const EpsModel& model, int64_t n, const SamplerConfig& config, uint64_t seed,
                        const std::function<void(int, int)>& progress) {
    DiffusionStepper s(model, n, config, seed);
    s.set_keep_history(false);
    return s.run(progress);
}

}  // namespace nl::models
