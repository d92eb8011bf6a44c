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
    std::string out;
    for (const LessonVisual& v : lesson_visuals()) out += (out.empty() ? "" : ", ") + v.id;
    return out;
}

}  // namespace nl::gui
