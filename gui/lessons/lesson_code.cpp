// PyTorch snippet helpers (see lesson_code.h).
#include "gui/lessons/lesson_code.h"

#include <cmath>
#include <sstream>

namespace nl::gui::code {

std::string py_num(double v) {
    if (std::isinf(v)) return v > 0 ? "float('inf')" : "float('-inf')";
    if (std::isnan(v)) return "float('nan')";
    std::ostringstream os;
    os.precision(10);
    os << v;
    return os.str();
}

std::string py_shape(const std::vector<int64_t>& s) {
    std::string out = "(";
    for (size_t i = 0; i < s.size(); ++i) out += (i ? ", " : "") + std::to_string(s[i]);
    if (s.size() == 1) out += ",";
    return out + ")";
}

std::string py_dtype(DType d) { return std::string("torch.") + dtype_name(d); }

std::string seed_line(const SamplerSettings& s) {
    if (s.generator == GeneratorMode::Local) return "g = torch.Generator().manual_seed(" + std::to_string(s.seed) + ")\n";
    return "torch.manual_seed(" + std::to_string(s.seed) + ")\n";
}

std::string gen_arg(const SamplerSettings& s) { return s.generator == GeneratorMode::Local ? ", generator=g" : ""; }

}  // namespace nl::gui::code
