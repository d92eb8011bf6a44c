// Recipe <-> JSON with field-by-field validation.
#include "tensor/io/recipe.h"

#include <cmath>
#include <limits>

#include "tensor/errors.h"
#include "tensor/io/bytes.h"

namespace nl::io {
namespace {

using json = nlohmann::json;

[[noreturn]] void bad(const std::string& field, const std::string& what) {
    throw ValueError("recipe field '" + field + "': " + what);
}

const char* type_name(const json& v) { return v.type_name(); }  // "string", "number", "array"...

// A value for an error message: bounded length, invalid UTF-8 replaced instead of throwing.
std::string short_dump(const json& v) {
    std::string s = v.dump(-1, ' ', false, json::error_handler_t::replace);
    return s.size() > 60 ? s.substr(0, 57) + "..." : s;
}

// A non-negative integer up to `max`; refuses floats (even 3.0: a seed written as 3.0 is a bug).
uint64_t get_unsigned(const json& v, const std::string& field, uint64_t max) {
    uint64_t x = 0;
    if (v.is_number_unsigned()) {
        x = v.get<uint64_t>();
    } else if (v.is_number_integer()) {  // signed storage (values built in C++ from int)
        const int64_t s = v.get<int64_t>();
        if (s < 0) bad(field, std::to_string(s) + " is negative; it must be >= 0");
        x = static_cast<uint64_t>(s);
    } else {
        bad(field, std::string("expected a non-negative integer, got ") + type_name(v) + " " + short_dump(v));
    }
    if (x > max) bad(field, std::to_string(x) + " is above the maximum " + std::to_string(max));
    return x;
}

std::string get_string(const json& v, const std::string& field) {
    if (!v.is_string()) bad(field, std::string("expected a string, got ") + type_name(v) + " " + short_dump(v));
    return v.get<std::string>();
}

bool is_lower_hex(const std::string& s) {
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

bool valid_op_name(const std::string& s) {
    if (s.empty() || s.size() > 64) return false;
    for (char c : s)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
              c == '.'))
            return false;
    return true;
}

const char* const kFields[] = {"format", "version", "op",     "params",         "probs",       "shape", "dtype",
                               "device", "seed",    "offset", "stream", "stream_version", "tensor_hash", "extra"};

}  // namespace

bool Recipe::operator==(const Recipe& o) const {
    return op == o.op && params == o.params && probs == o.probs && shape == o.shape && dtype == o.dtype &&
           device == o.device && seed == o.seed && offset == o.offset && stream == o.stream &&
           stream_version == o.stream_version && tensor_hash == o.tensor_hash && extra == o.extra;
}

json recipe_to_json(const Recipe& r) {
    json j = json::object();
    j["format"] = kRecipeFormat;
    j["version"] = kRecipeVersion;
    j["op"] = r.op;
    json params = json::object();
    for (const auto& [key, value] : r.params) {
        if (const double* d = std::get_if<double>(&value)) {
            if (!std::isfinite(*d)) bad("params." + key, "JSON cannot hold the non-finite value " + std::to_string(*d));
            params[key] = *d;
        } else {
            params[key] = std::get<std::string>(value);
        }
    }
    j["params"] = std::move(params);
    for (size_t i = 0; i < r.probs.size(); ++i)
        if (!std::isfinite(r.probs[i])) bad("probs[" + std::to_string(i) + "]", "JSON cannot hold a non-finite value");
    j["probs"] = r.probs;
    j["shape"] = r.shape;
    j["dtype"] = dtype_name(r.dtype);
    j["device"] = r.device.str();
    j["seed"] = r.seed;
    j["offset"] = r.offset;
    j["stream"] = r.stream;
    j["stream_version"] = r.stream_version;
    j["tensor_hash"] = r.tensor_hash;
    j["extra"] = r.extra;
    recipe_from_json(j);  // the same checks as reading, so a written recipe always reads back
    return j;
}

Recipe recipe_from_json(const json& j) {
    if (!j.is_object()) throw ValueError(std::string("a recipe must be a JSON object, got ") + type_name(j));
    for (const auto& item : j.items()) {
        bool known = false;
        for (const char* f : kFields) known = known || item.key() == f;
        if (!known) {
            std::string list;
            for (const char* f : kFields) list += (list.empty() ? "" : ", ") + std::string(f);
            bad(item.key(), "unknown field (valid fields: " + list + ")");
        }
    }
    auto required = [&](const char* field) -> const json& {
        auto it = j.find(field);
        if (it == j.end()) bad(field, "missing");
        return *it;
    };

    if (auto it = j.find("format"); it != j.end() && get_string(*it, "format") != kRecipeFormat)
        bad("format", "expected \"" + std::string(kRecipeFormat) + "\", got " + short_dump(*it));
    if (auto it = j.find("version"); it != j.end()) {
        const uint64_t v = get_unsigned(*it, "version", std::numeric_limits<uint32_t>::max());
        if (v < 1 || v > static_cast<uint64_t>(kRecipeVersion))
            bad("version", "version " + std::to_string(v) + " is not supported (this build reads versions 1 to " +
                               std::to_string(kRecipeVersion) + "; a newer Noise Lab wrote it?)");
    }

    Recipe r;
    r.op = get_string(required("op"), "op");
    if (!valid_op_name(r.op))
        bad("op", "'" + r.op + "' is not a valid op name (1-64 letters, digits, '_', '-', '.')");

    if (auto it = j.find("params"); it != j.end()) {
        if (!it->is_object()) bad("params", std::string("expected an object, got ") + type_name(*it));
        for (const auto& p : it->items()) {
            const std::string field = "params." + p.key();
            if (p.key().empty()) bad("params", "a parameter has an empty name");
            if (p.value().is_number()) r.params[p.key()] = p.value().get<double>();
            else if (p.value().is_string()) r.params[p.key()] = p.value().get<std::string>();
            else bad(field, std::string("expected a number or a string, got ") + type_name(p.value()));
        }
    }

    if (auto it = j.find("probs"); it != j.end()) {
        if (!it->is_array()) bad("probs", std::string("expected an array of numbers, got ") + type_name(*it));
        r.probs.reserve(it->size());
        for (size_t i = 0; i < it->size(); ++i) {
            const json& v = (*it)[i];
            const std::string field = "probs[" + std::to_string(i) + "]";
            if (!v.is_number()) bad(field, std::string("expected a number, got ") + type_name(v));
            const double p = v.get<double>();
            if (!(p >= 0.0) || !std::isfinite(p)) bad(field, std::to_string(p) + " is not a finite weight >= 0");
            r.probs.push_back(p);
        }
    }

    const json& shape = required("shape");
    if (!shape.is_array()) bad("shape", std::string("expected an array of sizes, got ") + type_name(shape));
    if (shape.size() > kMaxRecipeRank)
        bad("shape", std::to_string(shape.size()) + " dimensions, more than the maximum " +
                         std::to_string(kMaxRecipeRank));
    int64_t numel = 1;
    for (size_t i = 0; i < shape.size(); ++i) {
        const int64_t size = static_cast<int64_t>(
            get_unsigned(shape[i], "shape[" + std::to_string(i) + "]", static_cast<uint64_t>(kMaxRecipeNumel)));
        r.shape.push_back(size);
        if (size != 0 && numel > kMaxRecipeNumel / size)
            bad("shape", short_dump(shape) + " has more than 2^40 elements, beyond anything Noise Lab samples");
        numel *= size;
    }
    // A zero size makes the element count 0 whatever follows, but the tensor's strides still
    // multiply the other sizes: [0, 2^40, 2^40, 2^40] must not reach Tensor::empty.
    if (!detail::strides_fit_int64(r.shape))
        bad("shape", short_dump(shape) + ": its sizes (zeros counted as 1) multiply to more than 2^63");

    try {
        r.dtype = parse_dtype(get_string(required("dtype"), "dtype"));
    } catch (const DTypeError& e) {
        bad("dtype", e.what());
    }
    try {
        r.device = parse_device(get_string(required("device"), "device"));
    } catch (const ValueError& e) {
        bad("device", e.what());
    }
    r.seed = get_unsigned(required("seed"), "seed", std::numeric_limits<uint64_t>::max());
    r.offset = get_unsigned(required("offset"), "offset", std::numeric_limits<uint64_t>::max());
    r.stream = static_cast<uint32_t>(get_unsigned(required("stream"), "stream", std::numeric_limits<uint32_t>::max()));
    r.stream_version = static_cast<uint32_t>(
        get_unsigned(required("stream_version"), "stream_version", std::numeric_limits<uint32_t>::max()));
    if (r.stream_version < 1) bad("stream_version", "0 is not a stream version (they start at 1)");

    if (auto it = j.find("tensor_hash"); it != j.end()) {
        r.tensor_hash = get_string(*it, "tensor_hash");
        if (!r.tensor_hash.empty() && (r.tensor_hash.size() != 16 || !is_lower_hex(r.tensor_hash)))
            bad("tensor_hash", "'" + r.tensor_hash + "' is not 16 lower-case hex digits");
    }
    if (auto it = j.find("extra"); it != j.end()) {
        if (!it->is_object()) bad("extra", std::string("expected an object, got ") + type_name(*it));
        r.extra = *it;
    }
    return r;
}

std::string recipe_to_string(const Recipe& r, int indent) {
    // error_handler::strict: invalid UTF-8 in a string (op, params, extra) throws instead of
    // producing a file other readers reject.
    try {
        return recipe_to_json(r).dump(indent);
    } catch (const json::type_error& e) {
        throw ValueError(std::string("recipe: cannot write as JSON: ") + e.what());
    }
}

Recipe parse_recipe(const std::string& text, const std::string& source) {
    json j;
    try {
        j = json::parse(text);
    } catch (const json::exception& e) {
        // parse_error, and out_of_range 406 for a number beyond double ("1e66666"; found by
        // fuzz_recipe): both mean the text is not a recipe.
        throw IOError(source + ": the recipe is not valid JSON: " + e.what());
    }
    return recipe_from_json(j);
}

void to_json(json& j, const Recipe& r) { j = recipe_to_json(r); }
void from_json(const json& j, Recipe& r) { r = recipe_from_json(j); }

}  // namespace nl::io
