// cuRAND's engines behind tensor/engine.h: host generators (curandCreateGeneratorHost, no GPU
// needed) for CPU tensors, device generators for CUDA tensors. One generator per (engine, device)
// is created on first use and kept (creating one is slow); every call sets it to the request's
// seed and position, so the values depend only on (engine, device, seed, position, shape), never
// on the calls made before.
//
// Positions: cuRAND's absolute offset (curandSetGeneratorOffset), in values for the pseudo-random
// engines and in points for the quasi-random ones. MTGP32 and MT19937 cannot skip ahead, so they
// are seeded with mix(seed, position) instead (position 0: the seed itself, as plain cuRAND).
#include <cuda_runtime_api.h>
#include <curand.h>

#include <cstring>
#include <map>
#include <mutex>
#include <type_traits>
#include <vector>

#include "gpu/allocator.h"
#include "gpu/cuda_check.h"
#include "gpu/device.h"
#include "gpu/kernels.h"
#include "tensor/engine.h"
#include "tensor/errors.h"
#include "tensor/half.h"

namespace nl::gpu {

namespace {

curandRngType_t rng_type(Engine e) {
    switch (e) {
        case Engine::CurandPhilox: return CURAND_RNG_PSEUDO_PHILOX4_32_10;
        case Engine::XORWOW: return CURAND_RNG_PSEUDO_XORWOW;
        case Engine::MRG32k3a: return CURAND_RNG_PSEUDO_MRG32K3A;
        case Engine::MTGP32: return CURAND_RNG_PSEUDO_MTGP32;
        case Engine::MT19937: return CURAND_RNG_PSEUDO_MT19937;
        case Engine::Sobol32: return CURAND_RNG_QUASI_SOBOL32;
        case Engine::ScrambledSobol32: return CURAND_RNG_QUASI_SCRAMBLED_SOBOL32;
        case Engine::Philox: break;
    }
    throw ValueError(std::string("engine ") + engine_name(e) + " is not a cuRAND engine");
}

bool can_skip_ahead(Engine e) { return e != Engine::MTGP32 && e != Engine::MT19937; }

uint64_t mix_position(uint64_t seed, uint64_t position) {
    if (position == 0) return seed;
    uint64_t z = seed ^ (position * 0xD1B54A32D192ED03ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

// What cuRAND generates before conversion to the tensor's dtype.
enum class Raw { F32, F64, U32 };
Raw raw_type(const EngineRequest& r) {
    if (r.dist == EngineDist::Poisson || r.dist == EngineDist::Bits) return Raw::U32;
    return r.dtype == DType::Float64 ? Raw::F64 : Raw::F32;
}
size_t raw_size(Raw t) { return t == Raw::F64 ? 8 : 4; }
DType raw_dtype(Raw t) { return t == Raw::F64 ? DType::Float64 : DType::Float32; }

void generate(curandGenerator_t g, const EngineRequest& r, Raw raw, void* p, size_t n) {
    const bool f64 = raw == Raw::F64;
    switch (r.dist) {
        case EngineDist::Uniform:
            if (f64) NL_CURAND_CHECK(curandGenerateUniformDouble(g, static_cast<double*>(p), n));
            else NL_CURAND_CHECK(curandGenerateUniform(g, static_cast<float*>(p), n));
            return;
        case EngineDist::Normal:
            if (f64) NL_CURAND_CHECK(curandGenerateNormalDouble(g, static_cast<double*>(p), n, r.a, r.b));
            else NL_CURAND_CHECK(curandGenerateNormal(g, static_cast<float*>(p), n, static_cast<float>(r.a), static_cast<float>(r.b)));
            return;
        case EngineDist::LogNormal:
            if (f64) NL_CURAND_CHECK(curandGenerateLogNormalDouble(g, static_cast<double*>(p), n, r.a, r.b));
            else NL_CURAND_CHECK(curandGenerateLogNormal(g, static_cast<float*>(p), n, static_cast<float>(r.a), static_cast<float>(r.b)));
            return;
        case EngineDist::Poisson:
            NL_CURAND_CHECK(curandGeneratePoisson(g, static_cast<unsigned int*>(p), n, r.a));
            return;
        case EngineDist::Bits:
            NL_CURAND_CHECK(curandGenerate(g, static_cast<unsigned int*>(p), n));
            return;
    }
}

// Host conversion of n raw values (index i of the output reads raw[src(i)]) into dtype.
template <class S>
void convert_host(const S* raw, void* out, DType dtype, int64_t n, int64_t points, int64_t dims) {
    auto src = [&](int64_t i) { return dims > 1 ? raw[(i % dims) * points + i / dims] : raw[i]; };
    dispatch_dtype(dtype, [&](auto tag) {
        using T = decltype(tag);
        T* o = static_cast<T*>(out);
        for (int64_t i = 0; i < n; ++i) {
            if constexpr (std::is_same<T, Half>::value || std::is_same<T, BFloat16>::value) o[i] = T(static_cast<float>(src(i)));
            else if constexpr (std::is_same<T, bool>::value) o[i] = src(i) != 0;
            else o[i] = static_cast<T>(src(i));
        }
    });
}

class CurandEngines final : public EngineProvider {
public:
    ~CurandEngines() override {
        for (auto& kv : slots_)
            if (kv.second.gen) curandDestroyGenerator(kv.second.gen);  // errors ignored at exit
    }

    void fill(const EngineRequest& r, void* out, Device device) override {
        const int dev = device.is_cuda() ? device.index : -1;
        std::lock_guard<std::mutex> lock(mutex_);
        if (dev >= 0) {
            DeviceGuard guard(dev);
            Slot& s = slot(dev, r.engine);
            NL_CURAND_CHECK(curandSetStream(s.gen, current_stream(dev)));
            configure(s, dev, r);
            fill_device(s.gen, r, out, dev);
        } else {
            Slot& s = slot(dev, r.engine);
            configure(s, dev, r);
            fill_host(s.gen, r, out);
        }
    }

private:
    struct Slot {
        curandGenerator_t gen = nullptr;
        bool seeded = false;
        uint64_t seed = 0;
        int64_t dims = 0;
    };

    Slot& slot(int dev, Engine e) {
        Slot& s = slots_[{dev, static_cast<int>(e)}];
        if (!s.gen) create(s, dev, e);
        return s;
    }

    static void create(Slot& s, int dev, Engine e) {
        if (dev < 0) NL_CURAND_CHECK(curandCreateGeneratorHost(&s.gen, rng_type(e)));
        else NL_CURAND_CHECK(curandCreateGenerator(&s.gen, rng_type(e)));
        s.seeded = false;
        s.dims = 0;
    }

    static void configure(Slot& s, int dev, const EngineRequest& r) {
        if (is_quasi_random(r.engine)) {
            if (s.dims != r.dimensions) {
                NL_CURAND_CHECK(curandSetQuasiRandomGeneratorDimensions(s.gen, static_cast<unsigned int>(r.dimensions)));
                s.dims = r.dimensions;
            }
            NL_CURAND_CHECK(curandSetGeneratorOffset(s.gen, r.position));
            return;
        }
        if (!can_skip_ahead(r.engine)) {
            // MTGP32 / MT19937 cannot be put back to a known state once used (and re-seeding
            // with an unchanged seed does nothing), so a used generator is replaced.
            if (s.seeded) {
                NL_CURAND_CHECK(curandDestroyGenerator(s.gen));
                s.gen = nullptr;
                create(s, dev, r.engine);
                if (dev >= 0) NL_CURAND_CHECK(curandSetStream(s.gen, current_stream(dev)));
            }
            NL_CURAND_CHECK(curandSetPseudoRandomGeneratorSeed(s.gen, mix_position(r.seed, r.position)));
            s.seeded = true;
            return;
        }
        if (!s.seeded || s.seed != r.seed) {
            NL_CURAND_CHECK(curandSetPseudoRandomGeneratorSeed(s.gen, r.seed));
            s.seeded = true;
            s.seed = r.seed;
        }
        // Setting the offset restarts the sequence at that position, whatever came before.
        NL_CURAND_CHECK(curandSetGeneratorOffset(s.gen, r.position));
    }

    // Count generated: numel, plus one for an odd count of pseudo-random normals (made in pairs).
    static size_t generated_count(const EngineRequest& r) {
        size_t n = static_cast<size_t>(r.numel);
        if (!is_quasi_random(r.engine) && (r.dist == EngineDist::Normal || r.dist == EngineDist::LogNormal)) n += n & 1u;
        return n;
    }

    static void fill_host(curandGenerator_t g, const EngineRequest& r, void* out) {
        const Raw raw = raw_type(r);
        const size_t n = generated_count(r);
        std::vector<unsigned char> buf(n * raw_size(raw));
        generate(g, r, raw, buf.data(), n);
        const int64_t points = r.numel / r.dimensions;
        switch (raw) {
            case Raw::F32: convert_host(reinterpret_cast<const float*>(buf.data()), out, r.dtype, r.numel, points, r.dimensions); break;
            case Raw::F64: convert_host(reinterpret_cast<const double*>(buf.data()), out, r.dtype, r.numel, points, r.dimensions); break;
            case Raw::U32: convert_host(reinterpret_cast<const uint32_t*>(buf.data()), out, r.dtype, r.numel, points, r.dimensions); break;
        }
    }

    static void fill_device(curandGenerator_t g, const EngineRequest& r, void* out, int dev) {
        const StreamHandle stream = current_stream(dev);
        const Raw raw = raw_type(r);
        const size_t n = generated_count(r);
        const bool direct = n == static_cast<size_t>(r.numel) && r.dimensions == 1 && raw != Raw::U32 &&
                            r.dtype == raw_dtype(raw) && reinterpret_cast<uintptr_t>(out) % 16 == 0;
        if (direct) {
            generate(g, r, raw, out, n);
            return;
        }
        DeviceBuffer buf(n * raw_size(raw), dev);
        generate(g, r, raw, buf.get(), n);
        const void* src = buf.get();
        DeviceBuffer transposed;
        if (r.dimensions > 1) {  // cuRAND writes dimension-major: [dims, points] -> [points, dims]
            transposed = DeviceBuffer(static_cast<size_t>(r.numel) * raw_size(raw), dev);
            detail::launch_transpose(src, transposed.get(), r.dimensions, r.numel / r.dimensions, raw_size(raw), stream);
            src = transposed.get();
        }
        if (raw == Raw::U32) detail::launch_convert_u32(static_cast<const uint32_t*>(src), out, r.dtype, r.numel, stream);
        else detail::launch_convert(src, raw_dtype(raw), out, r.dtype, r.numel, stream);
    }

    std::mutex mutex_;
    std::map<std::pair<int, int>, Slot> slots_;  // (device or -1 for the CPU, engine)
};

}  // namespace

EngineProvider* curand_engine_provider() {
    static CurandEngines provider;
    return &provider;
}

}  // namespace nl::gpu
