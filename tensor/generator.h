// Generator = (seed, offset, stream): the whole state of a random stream (docs/STREAMS.md). An op
// that needs B Philox blocks calls reserve(B), reads blocks [offset, offset + B) and the generator
// moves on; so every value is a pure function of (seed, stream, offset, element index, op, params,
// dtype) and never of the device, the thread count or the launch grid.
#pragma once
#include <cstdint>
#include <vector>

#include "tensor/device.h"

namespace nl {

// Version of the stream layout and transforms in docs/STREAMS.md. Changing any stream bumps it.
constexpr uint32_t kStreamVersion = 2;
// PyTorch's default seed (c10::default_rng_seed_val), so a fresh program starts from a known state.
constexpr uint64_t kDefaultSeed = 67280421310721ull;

class Generator {
public:
    explicit Generator(uint64_t seed = kDefaultSeed, uint32_t stream = 0)
        : seed_(seed), stream_(stream) {}

    // torch.Generator.manual_seed: sets the seed and rewinds to offset 0.
    Generator& manual_seed(uint64_t seed) {
        seed_ = seed;
        offset_ = 0;
        return *this;
    }
    uint64_t initial_seed() const { return seed_; }
    // torch.Generator.seed: a fresh non-deterministic seed from the OS, set and returned.
    uint64_t seed();

    uint64_t offset() const { return offset_; }  // in Philox blocks of 4 words
    void set_offset(uint64_t offset) { offset_ = offset; }
    uint32_t stream() const { return stream_; }
    // Same seed and offset, another stream id: an independent sequence (counter word 2 differs).
    Generator with_stream(uint32_t stream) const {
        Generator g(*this);
        g.stream_ = stream;
        return g;
    }

    // Reserves `blocks` blocks and returns the first; the offset advances past them.
    uint64_t reserve(uint64_t blocks) {
        const uint64_t first = offset_;
        offset_ += blocks;
        return first;
    }

    // torch.Generator.get_state / set_state: 24 bytes (version, stream, seed, offset; little
    // endian). set_state throws ValueError for a wrong size or stream version.
    std::vector<uint8_t> get_state() const;
    void set_state(const std::vector<uint8_t>& state);

    bool operator==(const Generator& o) const {
        return seed_ == o.seed_ && offset_ == o.offset_ && stream_ == o.stream_;
    }

private:
    uint64_t seed_;
    uint64_t offset_ = 0;
    uint32_t stream_;
};

// The default generator of a device (torch.default_generator / torch.cuda.default_generators).
Generator& default_generator(Device device = Device::cpu());
// torch.manual_seed: seeds the default generators of every device.
void manual_seed(uint64_t seed);
// torch.seed: a non-deterministic seed for every device's default generator; returns it.
uint64_t seed();
// torch.initial_seed: the CPU default generator's seed.
uint64_t initial_seed();

}  // namespace nl
