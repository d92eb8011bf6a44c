#include "tensor/generator.h"

#include <array>
#include <map>
#include <mutex>
#include <random>

#include "tensor/errors.h"

namespace nl {

namespace {
std::mutex g_defaults_mutex;
// One default generator per device, created on first use; std::map keeps references stable.
std::map<std::pair<int, int>, Generator>& defaults() {
    static std::map<std::pair<int, int>, Generator> m;
    return m;
}
uint64_t g_global_seed = kDefaultSeed;

uint64_t os_seed() {
    std::random_device rd;
    return (static_cast<uint64_t>(rd()) << 32) ^ rd();
}

void put_le(std::vector<uint8_t>& out, uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
uint64_t get_le(const std::vector<uint8_t>& in, size_t at, int bytes) {
    uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v |= static_cast<uint64_t>(in[at + i]) << (8 * i);
    return v;
}
}  // namespace

uint64_t Generator::seed() {
    manual_seed(os_seed());
    return seed_;
}

std::vector<uint8_t> Generator::get_state() const {
    std::vector<uint8_t> s;
    put_le(s, kStreamVersion, 4);
    put_le(s, stream_, 4);
    put_le(s, seed_, 8);
    put_le(s, offset_, 8);
    return s;
}

void Generator::set_state(const std::vector<uint8_t>& state) {
    if (state.size() != 24)
        throw ValueError("generator state must be 24 bytes, got " + std::to_string(state.size()));
    const uint64_t version = get_le(state, 0, 4);
    if (version != kStreamVersion)
        throw ValueError("generator state is for stream version " + std::to_string(version) +
                         ", this build uses version " + std::to_string(kStreamVersion));
    stream_ = static_cast<uint32_t>(get_le(state, 4, 4));
    seed_ = get_le(state, 8, 8);
    offset_ = get_le(state, 16, 8);
}

Generator& default_generator(Device device) {
    std::lock_guard<std::mutex> lock(g_defaults_mutex);
    auto key = std::make_pair(static_cast<int>(device.type), device.index);
    auto it = defaults().find(key);
    if (it == defaults().end()) it = defaults().emplace(key, Generator(g_global_seed)).first;
    return it->second;
}

void manual_seed(uint64_t s) {
    std::lock_guard<std::mutex> lock(g_defaults_mutex);
    g_global_seed = s;
    for (auto& kv : defaults()) kv.second.manual_seed(s);
}

uint64_t seed() {
    const uint64_t s = os_seed();
    manual_seed(s);
    return s;
}

uint64_t initial_seed() { return default_generator(Device::cpu()).initial_seed(); }

}  // namespace nl
