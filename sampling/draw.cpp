// One draw and its theory (see draw.h).
#include "sampling/draw.h"

#include "tensor/errors.h"
#include "tensor/random.h"

namespace nl::sampling {

namespace {

Tensor weights_tensor(const Draw& d, Device device) {
    return from_vector(d.weights, {static_cast<int64_t>(d.weights.size())}, DType::Float64).to(device);
}

// cuRAND's engines draw four distributions, each through its op's engine overload.
Tensor draw_with_engine(const Draw& d, const TensorOptions& o, Generator& gen) {
    const double a = d.params[0], b = d.params[1];
    switch (d.dist) {
        case Dist::Uniform: {
            Tensor t = Tensor::empty(d.shape, o);
            return uniform_(t, a, b, d.engine, &gen);
        }
        case Dist::Normal: {
            Tensor t = Tensor::empty(d.shape, o);
            return normal_(t, a, b, d.engine, &gen);
        }
        case Dist::LogNormal: {
            Tensor t = Tensor::empty(d.shape, o);
            return log_normal_(t, a, b, d.engine, &gen);
        }
        case Dist::Poisson: return poisson(a, d.shape, o, d.engine, &gen);
        default: break;
    }
    throw ValueError(std::string("engine ") + engine_name(d.engine) + " does not draw " + dist_name(d.dist) +
                     "; cuRAND's engines draw " + kCurandDistributions);
}

}  // namespace

Tensor draw(const Draw& d, Generator& gen) {
    const TensorOptions o{d.dtype, d.device};
    if (d.engine != Engine::Philox) return draw_with_engine(d, o, gen);
    const double a = d.params[0], b = d.params[1];
    const int64_t n = shape_numel(d.shape);
    Tensor t;
    switch (d.dist) {
        case Dist::Normal: return normal(a, b, d.shape, o, &gen);
        case Dist::Uniform: t = Tensor::empty(d.shape, o); return uniform_(t, a, b, &gen);
        case Dist::LogNormal: t = Tensor::empty(d.shape, o); return log_normal_(t, a, b, &gen);
        case Dist::Exponential: t = Tensor::empty(d.shape, o); return exponential_(t, a, &gen);
        case Dist::Cauchy: t = Tensor::empty(d.shape, o); return cauchy_(t, a, b, &gen);
        case Dist::Geometric: t = Tensor::empty(d.shape, o); return geometric_(t, a, &gen);
        case Dist::RandInt: return randint(static_cast<int64_t>(a), static_cast<int64_t>(b), d.shape, o, &gen);
        case Dist::Bernoulli: return bernoulli(a, d.shape, o, &gen);
        case Dist::Poisson: return poisson(full(d.shape, a, o), &gen);
        case Dist::RandPerm: return randperm(d.shape.at(0), o, &gen);
        case Dist::Multinomial: return multinomial(weights_tensor(d, d.device), n, d.replacement, &gen).reshape(d.shape);
        case Dist::Categorical: return sample_logits(weights_tensor(d, d.device), a, n, &gen).reshape(d.shape);
    }
    throw ValueError("unknown distribution");
}

stats::Distribution theory(const Draw& d) {
    using K = stats::Distribution::Kind;
    stats::Distribution out;  // a and b: the parameters, in the table's order; unused ones 0
    const int count = dist_def(d.dist).param_count;
    out.a = count > 0 ? d.params[0] : 0.0;
    out.b = count > 1 ? d.params[1] : 0.0;
    switch (d.dist) {
        case Dist::Normal: out.kind = K::Normal; break;
        case Dist::Uniform: out.kind = K::Uniform; break;
        case Dist::LogNormal: out.kind = K::LogNormal; break;
        case Dist::Exponential: out.kind = K::Exponential; break;
        case Dist::Cauchy: out.kind = K::Cauchy; break;
        case Dist::RandInt: out.kind = K::RandInt; break;
        case Dist::Bernoulli: out.kind = K::Bernoulli; break;
        case Dist::Geometric: out.kind = K::Geometric; break;
        case Dist::Poisson: out.kind = K::Poisson; break;
        case Dist::RandPerm:
            out.kind = K::Permutation;
            out.a = static_cast<double>(d.shape.empty() ? 1 : d.shape[0]);
            break;
        case Dist::Multinomial: {
            out.kind = K::Categorical;
            double sum = 0.0;
            for (double w : d.weights) sum += w;
            for (double w : d.weights) out.probs.push_back(w / sum);
            break;
        }
        case Dist::Categorical:
            out.kind = K::Categorical;
            out.a = 0.0;  // the temperature is in the probabilities
            out.probs = softmax_with_temperature(weights_tensor(d, Device::cpu()), d.params[0]).to_vector();
            break;
    }
    return out;
}

std::string theory_missing(const Draw& d) {
    if (d.dist == Dist::Multinomial && !d.replacement && shape_numel(d.shape) > 1)
        return "draws without replacement are not independent: each one's chances depend on those before";
    return "";
}

std::string untested_reason(const Draw& d) {
    if (std::string why = theory_missing(d); !why.empty()) return why;
    if (d.dist == Dist::Poisson && d.params[0] == 0.0) return "every value is 0 (lambda = 0)";
    if (d.dist == Dist::Normal && d.params[1] == 0.0) return "every value is the mean (std = 0)";
    if (d.dist == Dist::Categorical && d.params[0] == 0.0) return "temperature 0 is argmax: no randomness";
    return "";
}

}  // namespace nl::sampling
