// A draw in words (see command_line.h).
#include "sampling/command_line.h"

#include "tensor/number_list.h"
#include "tensor/number_text.h"

namespace nl::sampling {

std::string shape_arg(const Shape& s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) out += (i ? "," : "") + std::to_string(s[i]);
    return out;
}

std::string describe(const Draw& d) {
    const DistDef& def = dist_def(d.dist);
    std::string out = std::string(def.name) + "(";
    bool first = true;
    auto add = [&](const std::string& kv) {
        out += (first ? "" : ", ") + kv;
        first = false;
    };
    for (int i = 0; i < def.param_count; ++i) add(std::string(def.keys[i]) + "=" + shortest_decimal(d.params[i]));
    if (d.dist == Dist::RandPerm && !d.shape.empty()) add("n=" + std::to_string(d.shape[0]));
    if (def.weights) add(std::string(def.weights) + "=" + list_text(d.weights));
    if (d.dist == Dist::Multinomial) add(std::string("replacement=") + (d.replacement ? "true" : "false"));
    return out + ")";
}

std::string sample_flags(const Draw& d, uint64_t seed, uint64_t offset, uint32_t stream) {
    const DistDef& def = dist_def(d.dist);
    std::string f = std::string("--dist ") + def.name;
    for (int i = 0; i < def.param_count; ++i) f += std::string(" --") + def.keys[i] + " " + shortest_decimal(d.params[i]);
    if (def.weights) f += std::string(" --") + def.weights + "=" + join_numbers(d.weights);
    if (d.dist == Dist::Multinomial && d.replacement) f += " --replacement";
    f += " --shape " + shape_arg(d.shape) + " --dtype " + dtype_name(d.dtype) + " --device " + d.device.str() + " --seed " + std::to_string(seed);
    if (stream) f += " --stream " + std::to_string(stream);
    if (offset) f += " --offset " + std::to_string(offset);
    if (d.engine != Engine::Philox) f += std::string(" --engine ") + engine_name(d.engine);
    return f;
}

}  // namespace nl::sampling
