// Alternative random engines: cuRAND's generators (XORWOW, MRG32k3a, MTGP32, MT19937, its own
// Philox ordering, Sobol32 and scrambled Sobol32 quasi-random points), offered next to Noise Lab's
// Philox streams as an `engine` option of the main random ops, on the CPU (cuRAND's host API, no
// GPU needed) and on CUDA devices (its device generators). Engine::Philox is the default and simply
// calls the ops of random.h, so only it has the stream contract of docs/STREAMS.md (CPU == GPU,
// prefix stability, golden hashes). The others are reproducible per (engine, device): the same
// seed, generator offset and shape give the same values on that device; docs/GPU.md has the
// table of what each engine guarantees. cuRAND is found only by the CUDA build (gpu/ provides
// these engines); a build without it throws DeviceError for every engine but Philox.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "tensor/generator.h"
#include "tensor/tensor.h"

namespace nl {

enum class Engine : uint8_t {
    Philox,            // Noise Lab's Philox4x32-10 streams (the default)
    CurandPhilox,      // cuRAND's PHILOX4_32_10 with cuRAND's own ordering and transforms
    XORWOW,            // cuRAND's default pseudo-random generator
    MRG32k3a,          // L'Ecuyer's combined multiple recursive generator
    MTGP32,            // Mersenne Twister for GPUs
    MT19937,           // the classic Mersenne Twister
    Sobol32,           // quasi-random (low-discrepancy) points
    ScrambledSobol32,  // quasi-random, scrambled
};
constexpr Engine kAllEngines[] = {Engine::Philox, Engine::CurandPhilox, Engine::XORWOW,  Engine::MRG32k3a,
                                  Engine::MTGP32, Engine::MT19937,      Engine::Sobol32, Engine::ScrambledSobol32};

// "philox", "curand_philox", "xorwow", "mrg32k3a", "mtgp32", "mt19937", "sobol32", "scrambled_sobol32"
const char* engine_name(Engine e);
// Parses those names (case-insensitive, '-' for '_' accepted); throws ValueError listing them.
Engine parse_engine(std::string_view name);
std::string all_engine_names();
bool is_quasi_random(Engine e);  // Sobol32, ScrambledSobol32
// Whether `engine` draws the distribution of this name (the names the command line and the app
// share: "uniform", "normal", "lognormal", "poisson", ...): cuRAND's engines draw those four,
// Philox every distribution. One list for both front ends.
bool engine_draws(Engine engine, std::string_view dist_name);
// "uniform, normal, lognormal and poisson": what cuRAND's engines draw, for messages.
extern const char* const kCurandDistributions;
// The quasi-random engines draw points whose dimension is a tensor's last size: cuRAND's Sobol
// direction vectors go up to this many.
constexpr int64_t kMaxQuasiDimensions = 20000;
// "" when `engine` can fill a tensor of `shape`, else why not (a Sobol point too long).
std::string engine_shape_problem(Engine engine, const Shape& shape);

// ---- ops with an engine -----------------------------------------------------------------------
// Float dtypes: float32, float64, float16, bfloat16 (the last two generated in float32, rounded).
// cuRAND's uniforms lie in (0, 1] (not [0, 1)); its normals use Box-Muller (pseudo-random
// engines) or the inverse CDF (quasi-random engines). Quasi-random engines treat the last
// dimension of the shape as the point's dimension (at most 20000): row i of a [N, D] tensor is
// point i; 1-D shapes are one-dimensional points. Seeds are ignored by the Sobol engines.
Tensor rand(const Shape& shape, TensorOptions opts, Engine engine, Generator* gen = nullptr);
Tensor randn(const Shape& shape, TensorOptions opts, Engine engine, Generator* gen = nullptr);
// uniform_ with an engine: from + (to - from) * u in double, rounded once to t's dtype; cuRAND's u
// lies in (0, 1], so values lie in (from, to] before that rounding.
Tensor& uniform_(Tensor& t, double from, double to, Engine engine, Generator* gen = nullptr);
Tensor& normal_(Tensor& t, double mean, double std, Engine engine, Generator* gen = nullptr);
Tensor& log_normal_(Tensor& t, double mean, double std, Engine engine, Generator* gen = nullptr);
// Poisson(lambda) counts (lambda >= 0; cuRAND's engines: below about 4.29e9, their counts being
// 32-bit), int64 by default (any dtype holding the counts).
Tensor poisson(double lambda, const Shape& shape, TensorOptions opts, Engine engine, Generator* gen = nullptr);
// The engine's raw 32-bit outputs as int64 in [0, 2^32) (Philox: the stream's words).
Tensor random_bits(const Shape& shape, Device device, Engine engine, Generator* gen = nullptr);

// ---- the provider seam (implemented by gpu/engines.cpp) -----------------------------------------
enum class EngineDist : uint8_t { Uniform, Normal, LogNormal, Poisson, Bits };

struct EngineRequest {
    Engine engine = Engine::XORWOW;
    EngineDist dist = EngineDist::Uniform;
    DType dtype = DType::Float32;
    int64_t numel = 0;
    uint64_t seed = 0;       // already mixed with the generator's stream id
    uint64_t position = 0;   // cuRAND offset: values (pseudo-random) or points (quasi-random)
    double a = 0.0, b = 1.0; // mean and std (Normal, LogNormal); lambda in a (Poisson)
    int64_t dimensions = 1;  // quasi-random engines: numel = points * dimensions
};

class EngineProvider {
public:
    virtual ~EngineProvider() = default;
    // Fills `out` (numel elements of dtype, contiguous, on `device`).
    virtual void fill(const EngineRequest& req, void* out, Device device) = 0;
};

// The provider of cuRAND's engines, or nullptr in a build without CUDA.
EngineProvider* engine_provider();

}  // namespace nl
