// The recipe encoding of a draw (see recipe.h).
#include "sampling/recipe.h"

#include <cmath>

#include "tensor/errors.h"
#include "tensor/number_list.h"

namespace nl::sampling {

void write_draw(const Draw& d, io::Recipe& r) {
    const DistDef& def = dist_def(d.dist);
    r.op = def.name;
    r.params.clear();
    r.probs.clear();
    for (int i = 0; i < def.param_count; ++i) r.params[def.keys[i]] = d.params[i];
    if (d.dist == Dist::Multinomial) {
        r.probs = d.weights;
        r.params["replacement"] = std::string(d.replacement ? "true" : "false");
    }
    if (d.dist == Dist::Categorical) r.params["logits"] = join_numbers(d.weights);
    if (d.engine != Engine::Philox) r.params["engine"] = std::string(engine_name(d.engine));
    r.shape = d.shape;
    r.dtype = d.dtype;
    r.device = d.device;
}

Draw read_draw(const io::Recipe& r) {
    Draw d;
    d.params[0] = d.params[1] = 0.0;  // unused slots stay 0, as the front ends keep them
    if (!find_dist(r.op, d.dist))
        throw ValueError("recipe field 'op': '" + r.op + "' is not a distribution this version samples; valid: " + dist_names());
    const DistDef& def = dist_def(d.dist);
    bool has[2] = {false, false};
    bool has_logits = false;
    for (const auto& [key, value] : r.params) {
        const std::string field = "recipe field 'params." + key + "'";
        const std::string* text = std::get_if<std::string>(&value);
        if (key == "engine" && text) {
            try {
                d.engine = parse_engine(*text);
            } catch (const ValueError& e) {
                throw ValueError(field + ": " + e.what());
            }
            continue;
        }
        if (key == "replacement" && text && d.dist == Dist::Multinomial) {
            if (*text != "true" && *text != "false") throw ValueError(field + ": expected \"true\" or \"false\", got '" + *text + "'");
            d.replacement = *text == "true";
            continue;
        }
        if (key == "logits" && text && d.dist == Dist::Categorical) {
            d.weights = parse_number_list(*text, field, kMaxRecipeWeights, true);
            has_logits = true;
            continue;
        }
        const int i = key_index(d.dist, key);
        if (i < 0) throw ValueError(field + ": not a parameter of " + def.name + " in this version");
        if (text) throw ValueError(field + ": expected a number, got the text '" + text->substr(0, 40) + "'");
        d.params[i] = std::get<double>(value);
        has[i] = true;
    }
    for (int i = 0; i < def.param_count; ++i) {
        if (has[i]) continue;
        if (std::isnan(def.torch_defaults[i]))
            throw ValueError(std::string("recipe field 'params.") + def.keys[i] + "' is missing; " + def.name + " needs it");
        d.params[i] = def.torch_defaults[i];
    }
    if (d.dist == Dist::Categorical && !has_logits)
        throw ValueError("recipe field 'params.logits' is missing; categorical draws by its logits");
    if (d.dist != Dist::Multinomial && !r.probs.empty())
        throw ValueError(std::string("recipe field 'probs': ") + def.name + " draws by no probs list");
    if (d.dist == Dist::Multinomial) {
        if (r.probs.empty()) throw ValueError("recipe field 'probs' is missing; multinomial draws by its probs");
        d.weights = r.probs;
    }
    d.shape = r.shape;
    d.dtype = r.dtype;
    d.device = r.device;
    return d;
}

}  // namespace nl::sampling
