// The visual registry: the built-in visuals, then the simulations' table (sims/sims_table.cpp).
#include "gui/lessons/visuals.h"

namespace nl::gui {

const std::vector<LessonVisual>& lesson_visuals() {
    static const std::vector<LessonVisual> all = [] {
        std::vector<LessonVisual> v = {
            sampler_visual(),
            seeds_visual(),
            local_generator_visual(),
            permutation_visual(),
            rows_visual(),
            dropout_visual(),
            multinomial_visual(),
            dtypes_visual(),
            charlm_visual(),
        };
        for (LessonVisual& s : sims_visuals()) v.push_back(std::move(s));
        return v;
    }();
    return all;
}

const LessonVisual* find_visual(const std::string& id) {
    for (const LessonVisual& v : lesson_visuals())
        if (v.id == id) return &v;
    return nullptr;
}

std::string visual_ids() {
    std::vector<std::string> ids;
    for (const LessonVisual& v : lesson_visuals()) ids.push_back(v.id);
    return join_with_commas(ids);
}

std::string join_with_commas(const std::vector<std::string>& items) {
    std::string out;
    for (const std::string& item : items) out += (out.empty() ? "" : ", ") + item;
    return out;
}

}  // namespace nl::gui
