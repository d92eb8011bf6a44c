# nl_gui: the desktop app's panels and frame logic (Dear ImGui + OpenGL), included from
# gui/CMakeLists.txt only when GLFW, Dear ImGui and OpenGL were found (NOISELAB_HAVE_GUI).
# Everything except gl_texture_sink.cpp works without a GL context, so tests drive the panels
# with a headless ImGui context. Lessons (gui/lessons/, with the simulations in
# gui/lessons/sims/) are part of the same library.
file(GLOB NL_GUI_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
file(GLOB_RECURSE NL_GUI_LESSON_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/lessons/*.cpp)
# The Models workspace (gui/models/: diffusion, GAN, VAE and language-model panels over nl_models).
file(GLOB NL_GUI_MODELS_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/models/*.cpp)
add_library(nl_gui STATIC ${NL_GUI_SOURCES} ${NL_GUI_LESSON_SOURCES} ${NL_GUI_MODELS_SOURCES})
target_include_directories(nl_gui PUBLIC ${PROJECT_SOURCE_DIR})
target_link_libraries(nl_gui PUBLIC nl_sampling nl_render nl_tensor PkgConfig::IMGUI PkgConfig::GLFW OpenGL::GL)
# Lesson 8 (gui/lessons/sims/genmodels*.cpp) feeds noise to the tiny models; lesson 17 samples
# from the character model.
target_link_libraries(nl_gui PUBLIC nl_models)
target_compile_definitions(nl_gui PRIVATE NOISELAB_LESSONS_DIR="${PROJECT_SOURCE_DIR}/assets/lessons"
                           NOISELAB_VERSION="${PROJECT_VERSION}")
if(NOISELAB_HAVE_CUDA)  # the experiment record names the GPUs (gpu/device.h)
  target_compile_definitions(nl_gui PRIVATE NOISELAB_RECORD_GPU=1)
  # The image view's CUDA-GL interop sink (gui/interop/, not in the globs above: it calls gpu/),
  # which make_texture_sink returns when NOISELAB_GUI_INTEROP is defined.
  target_sources(nl_gui PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/interop/grid_spec.cpp
                 ${CMAKE_CURRENT_SOURCE_DIR}/interop/gl_grid_texture.cpp ${CMAKE_CURRENT_SOURCE_DIR}/interop/interop_sink.cpp)
  target_compile_definitions(nl_gui PRIVATE NOISELAB_GUI_INTEROP=1)
endif()
if(TARGET nlohmann_json::nlohmann_json)
  target_link_libraries(nl_gui PUBLIC nlohmann_json::nlohmann_json)
endif()
# Precompiled: the heavy headers most of these ~60 sources include (nlohmann/json alone is about
# 2.5 s of parsing per file, then Dear ImGui), so each file skips them. No source here defines a
# macro that changes these headers (IMGUI_DEFINE_MATH_OPERATORS and the like) before including them.
target_precompile_headers(nl_gui PRIVATE <nlohmann/json.hpp> <imgui.h> <functional> <memory> <string> <vector>)
# 64 files: batches of 16 keep both cores busy.
nl_unity_build(nl_gui BATCH 16)
