// The simulations' visuals (lessons 8, 9, 12, 14, 15, 16): one entry per simulation, each made
// in its own gui/lessons/sims/<name>_visual.cpp (sims_visuals.h). Owned by the sims engineer;
// see gui/lessons/lesson.h for the contract.
#include "gui/lessons/lesson.h"
#include "gui/lessons/sims/sims_visuals.h"

namespace nl::gui {

std::vector<LessonVisual> sims_visuals() {
    return {
        sims::gpu_repro_visual(),   // lesson 12
        sims::dataloader_visual(),  // lesson 14
        sims::init_visual(),        // lesson 16
        sims::moons_visual(),       // lesson 15
        sims::devices_visual(),     // lesson 9
        sims::genmodels_visual(),   // lesson 8
    };
}

}  // namespace nl::gui
