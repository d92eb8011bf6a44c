// The built-in lesson visuals (gui/lessons/visuals.cpp registers them; lesson.h explains the
// registry). Each lives in its own file gui/lessons/visual_<name>.cpp and is exposed here only
// through its registry entry.
#pragma once
#include "gui/lessons/lesson.h"

namespace nl::gui {

// "sampler": the app's own tensor view and/or histogram for the lesson's sampler settings.
// visual_params: {"show": "histogram" | "view" | "both", "code": "plain" | "rand_scaled" | "randn_affine"}
LessonVisual sampler_visual();
// "seeds" (lesson 11) and "local_generator" (lesson 13): visual_seeds.cpp.
// local_generator's visual_params: {"local_seed": 1234, "local_draws": 3}
LessonVisual seeds_visual();
// "permutation" (lesson 4) and "rows" (lesson 5): visual_indices.cpp; n is the sampler's shape[0]
// (2-40); rows' visual_params: {"k": 8}.
LessonVisual permutation_visual();
LessonVisual rows_visual();
// "dropout" (lesson 6): visual_dropout.cpp; visual_params: {"keep_prob": 0.5, "draws": 200}.
LessonVisual dropout_visual();
// "multinomial" (lesson 7): visual_multinomial.cpp; visual_params: {"large": false,
// "temperature": 1, "top_k": 0, "top_p": 1, "samples": 20000}.
LessonVisual multinomial_visual();
// "dtypes" (lesson 10): visual_dtypes.cpp; n is the sampler's element count (1000 - 4 Mi).
LessonVisual dtypes_visual();
// "charlm" (lesson 17): visual_charlm.cpp; visual_params: {"temperature": 0.8, "top_k": 0,
// "top_p": 1, "prefix": ""}.
LessonVisual charlm_visual();
LessonVisual local_generator_visual();

}  // namespace nl::gui
