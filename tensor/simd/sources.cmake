# tensor/simd/: included by tensor/CMakeLists.txt. The portable files build with the project's
# flags; each kernels_<isa>.cpp gets its own instruction-set flags, and the driver picks one at
# run time from the CPU's features (simd_dispatch.cpp), so the binary still runs on any x86-64.
set(NL_SIMD_DIR ${CMAKE_CURRENT_LIST_DIR})
target_sources(nl_tensor PRIVATE
  ${NL_SIMD_DIR}/simd_dispatch.cpp
  ${NL_SIMD_DIR}/random_fill.cpp
  ${NL_SIMD_DIR}/randperm.cpp
  ${NL_SIMD_DIR}/categorical.cpp)

if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
  target_sources(nl_tensor PRIVATE
    ${NL_SIMD_DIR}/kernels_sse2.cpp
    ${NL_SIMD_DIR}/kernels_avx2.cpp
    ${NL_SIMD_DIR}/kernels_avx512.cpp)
  set_source_files_properties(${NL_SIMD_DIR}/kernels_sse2.cpp PROPERTIES COMPILE_OPTIONS "-msse2")
  set_source_files_properties(${NL_SIMD_DIR}/kernels_avx2.cpp PROPERTIES COMPILE_OPTIONS "-mavx2;-mfma;-mf16c")
  set_source_files_properties(${NL_SIMD_DIR}/kernels_avx512.cpp PROPERTIES
    COMPILE_OPTIONS "-mavx512f;-mavx512dq;-mavx512bw;-mavx512vl;-mfma;-mf16c;-mavx2;$<$<CXX_COMPILER_ID:GNU>:-Wno-maybe-uninitialized>")
# (GCC 12 warns spuriously inside its own AVX-512 headers: _mm512_undefined_* "may be uninitialized";
# clang has no such warning and would warn about the unknown option.)
  set_source_files_properties(${NL_SIMD_DIR}/simd_dispatch.cpp PROPERTIES COMPILE_DEFINITIONS "NL_SIMD_X86=1")
endif()
