// The engine option of the random ops (engine.h): names, and the ops, which reserve generator
// blocks like every random op and hand the filling to the engine provider (cuRAND, gpu/engines.cpp)
// or, for Engine::Philox, to the ops of random.h.
#include "tensor/engine.h"

#include <cctype>
#include <cmath>

#include "tensor/errors.h"
#include "tensor/number_text.h"
#include "tensor/ops.h"
#include "tensor/random.h"

namespace nl {

#if defined(NL_WITH_CUDA_BACKEND)
namespace gpu {
EngineProvider* curand_engine_provider();  // gpu/engines.cpp
}
EngineProvider* engine_provider() { return gpu::curand_engine_provider(); }
#else
EngineProvider* engine_provider() { return nullptr; }
#endif

const char* engine_name(Engine e) {
    switch (e) {
        case Engine::Philox: return "philox";
        case Engine::CurandPhilox: return "curand_philox";
        case Engine::XORWOW: return "xorwow";
        case Engine::MRG32k3a: return "mrg32k3a";
        case Engine::MTGP32: return "mtgp32";
        case Engine::MT19937: return "mt19937";
        case Engine::Sobol32: return "sobol32";
        case Engine::ScrambledSobol32: return "scrambled_sobol32";
    }
    return "?";
}

std::string all_engine_names() {
    std::string s;
    for (Engine e : kAllEngines) {
        if (!s.empty()) s += ", ";
        s += engine_name(e);
    }
    return s;
}

Engine parse_engine(std::string_view name) {
    std::string n;
    for (char c : name) n += c == '-' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (Engine e : kAllEngines)
        if (n == engine_name(e)) return e;
    throw ValueError("unknown engine '" + std::string(name) + "'; valid engines: " + all_engine_names());
}

bool is_quasi_random(Engine e) { return e == Engine::Sobol32 || e == Engine::ScrambledSobol32; }

const char* const kCurandDistributions = "uniform, normal, lognormal and poisson";

bool engine_draws(Engine engine, std::string_view dist_name) {
    return engine == Engine::Philox || dist_name == "uniform" || dist_name == "normal" || dist_name == "lognormal" ||
           dist_name == "poisson";
}

std::string engine_shape_problem(Engine engine, const Shape& shape) {
    const int64_t dims = is_quasi_random(engine) && shape.size() >= 2 ? shape.back() : 1;
    if (dims <= kMaxQuasiDimensions) return "";
    return std::string("engine ") + engine_name(engine) + " supports at most " + std::to_string(kMaxQuasiDimensions) +
           " dimensions (the last size), got " + std::to_string(dims);
}

namespace {

// The generator's stream id selects an independent sequence by changing the engine's seed.
uint64_t mix_stream(uint64_t seed, uint32_t stream) {
    if (stream == 0) return seed;
    uint64_t z = seed ^ (static_cast<uint64_t>(stream) * 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void require_floating(DType d, const char* op, Engine e) {
    if (!is_floating(d))
        throw DTypeError(std::string(op) + " (engine " + engine_name(e) + "): dtype " + dtype_name(d) +
                         " is not supported; valid dtypes: float32, float16, bfloat16, float64");
}

Tensor& engine_fill(Tensor& t, EngineDist dist, double a, double b, Engine engine, Generator* gen, const char* op) {
    EngineProvider* provider = engine_provider();
    if (!provider)
        throw DeviceError(std::string(op) + ": engine " + engine_name(engine) +
                          " needs cuRAND, and this build has none (the CUDA toolkit was not found at build "
                          "time); engine philox works everywhere");
    const bool quasi = is_quasi_random(engine);
    const int64_t dims = quasi && t.dim() >= 2 ? t.size(-1) : 1;
    if (const std::string why = engine_shape_problem(engine, t.shape()); !why.empty())
        throw ValueError(std::string(op) + ": " + why);
    const int64_t n = t.numel();
    // Values (pseudo-random) or points (quasi-random) this call takes from the engine: cuRAND's
    // Box-Muller makes normals in pairs, so an odd count uses one more.
    uint64_t units = quasi ? static_cast<uint64_t>(dims > 0 ? n / dims : 0) : static_cast<uint64_t>(n);
    if (!quasi && (dist == EngineDist::Normal || dist == EngineDist::LogNormal)) units += units & 1u;
    Generator& g = gen ? *gen : default_generator(t.device());
    const uint64_t first = g.reserve((units + 3) / 4);
    if (n == 0) return t;
    if (dist == EngineDist::Poisson && a == 0.0) {  // rate 0: every count is 0 (cuRAND refuses lambda 0)
        t.copy_(zeros(t.shape(), {t.dtype(), t.device()}));
        return t;
    }
    EngineRequest r;
    r.engine = engine;
    r.dist = dist;
    r.dtype = t.dtype();
    r.numel = n;
    r.seed = mix_stream(g.initial_seed(), g.stream());
    r.position = first * 4;
    r.a = a;
    r.b = b;
    r.dimensions = dims;
    if (t.is_contiguous()) {
        provider->fill(r, t.data_ptr(), t.device());
    } else {
        Tensor tmp = Tensor::empty(t.shape(), {t.dtype(), t.device()});
        provider->fill(r, tmp.data_ptr(), t.device());
        t.copy_(tmp);
    }
    return t;
}
}  // namespace

Tensor rand(const Shape& shape, TensorOptions opts, Engine engine, Generator* gen) {
    if (engine == Engine::Philox) return rand(shape, opts, gen);
    require_floating(opts.dtype, "rand", engine);
    Tensor t = Tensor::empty(shape, opts);
    return engine_fill(t, EngineDist::Uniform, 0.0, 1.0, engine, gen, "rand");
}

Tensor& uniform_(Tensor& t, double from, double to, Engine engine, Generator* gen) {
    if (engine == Engine::Philox) return uniform_(t, from, to, gen);
    require_floating(t.dtype(), "uniform_", engine);
    if (!std::isfinite(from) || !std::isfinite(to) || !(from <= to) || !std::isfinite(to - from))
        throw ValueError("uniform_ expects finite from <= to, but found from=" + shortest_decimal(from) + " to=" + shortest_decimal(to));
    engine_fill(t, EngineDist::Uniform, 0.0, 1.0, engine, gen, "uniform_");
    // from + (to - from) * u in double, rounded once to t's dtype (the engines' u has at most 53 bits).
    if (from != 0.0 || to != 1.0) t.copy_(add(mul(t.to(DType::Float64), to - from), from).to(t.dtype()));
    return t;
}

Tensor randn(const Shape& shape, TensorOptions opts, Engine engine, Generator* gen) {
    if (engine == Engine::Philox) return randn(shape, opts, gen);
    Tensor t = Tensor::empty(shape, opts);
    return normal_(t, 0.0, 1.0, engine, gen);
}

Tensor& normal_(Tensor& t, double mean, double std, Engine engine, Generator* gen) {
    if (engine == Engine::Philox) return normal_(t, mean, std, gen);
    require_floating(t.dtype(), "normal_", engine);
    if (!std::isfinite(mean)) throw ValueError("normal_: mean must be finite, got " + shortest_decimal(mean));
    if (!(std >= 0.0) || !std::isfinite(std))
        throw ValueError("normal expects std >= 0.0 (and finite), but found std " + shortest_decimal(std));
    return engine_fill(t, EngineDist::Normal, mean, std, engine, gen, "normal_");
}

Tensor& log_normal_(Tensor& t, double mean, double std, Engine engine, Generator* gen) {
    if (engine == Engine::Philox) return log_normal_(t, mean, std, gen);
    require_floating(t.dtype(), "log_normal_", engine);
    if (!std::isfinite(mean)) throw ValueError("log_normal_: mean must be finite, got " + shortest_decimal(mean));
    if (!(std > 0.0) || !std::isfinite(std))
        throw ValueError("log_normal_ expects std > 0.0 (and finite), but found std=" + shortest_decimal(std));
    return engine_fill(t, EngineDist::LogNormal, mean, std, engine, gen, "log_normal_");
}

Tensor poisson(double lambda, const Shape& shape, TensorOptions opts, Engine engine, Generator* gen) {
    if (!(lambda >= 0.0) || !std::isfinite(lambda))
        throw ValueError("poisson expects lambda >= 0 (and finite), but found lambda=" + shortest_decimal(lambda));
    // cuRAND's counts are 32-bit: keep the rate ten standard deviations below 2^32.
    if (engine != Engine::Philox && lambda + 10.0 * std::sqrt(lambda) >= 4294967296.0)
        throw ValueError(std::string("poisson (engine ") + engine_name(engine) + "): lambda=" + shortest_decimal(lambda) +
                         " is too large for cuRAND's 32-bit counts; valid: lambda <= 4.29e9 (engine philox has no such limit)");
    if (opts.dtype == DType::Bool || opts.dtype == DType::UInt8)
        throw DTypeError(std::string("poisson: dtype ") + dtype_name(opts.dtype) +
                         " is not supported; valid dtypes: int64, int32, float32, float64, float16, bfloat16");
    if (engine == Engine::Philox) {
        const DType rate_dtype = is_floating(opts.dtype) ? opts.dtype : DType::Float64;
        Tensor counts = poisson(full(shape, lambda, {rate_dtype, opts.device}), gen);
        return counts.dtype() == opts.dtype ? counts : counts.to(opts.dtype);
    }
    Tensor t = Tensor::empty(shape, opts);
    return engine_fill(t, EngineDist::Poisson, lambda, 0.0, engine, gen, "poisson");
}

Tensor random_bits(const Shape& shape, Device device, Engine engine, Generator* gen) {
    if (engine == Engine::Philox) return randint(0, int64_t(1) << 32, shape, {DType::Int64, device}, gen);
    Tensor t = Tensor::empty(shape, {DType::Int64, device});
    return engine_fill(t, EngineDist::Bits, 0.0, 0.0, engine, gen, "random_bits");
}

}  // namespace nl
