// The simulations' visuals (lessons 8, 9, 12, 14, 15, 16): one make_visual line per simulation.
// Owned by the sims engineer; see gui/lessons/lesson.h for the contract.
#include "gui/lessons/lesson.h"

namespace nl::gui {

std::vector<LessonVisual> sims_visuals() {
    return {
        // make_visual<DataLoaderSim>("dataloader", dataloader_update, dataloader_draw, dataloader_code),
    };
}

}  // namespace nl::gui
