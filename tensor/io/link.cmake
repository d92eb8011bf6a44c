# tensor/io's dependencies, included by tensor/CMakeLists.txt: nlohmann-json (recipes and the
# safetensors header; public, recipe.h exposes nlohmann::json) and stb (PNG encoding, private).
if(NOT TARGET nlohmann_json::nlohmann_json)
  message(FATAL_ERROR "tensor/io needs nlohmann-json >= 3 (Debian: apt-get install nlohmann-json3-dev)")
endif()
if(NOT TARGET PkgConfig::STB)
  message(FATAL_ERROR "tensor/io needs stb's stb_image_write (Debian: apt-get install libstb-dev)")
endif()
target_link_libraries(nl_tensor PUBLIC nlohmann_json::nlohmann_json PRIVATE PkgConfig::STB)
