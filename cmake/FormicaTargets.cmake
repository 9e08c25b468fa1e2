# Helpers shared by every layer's CMakeLists.txt.

set(FORMICA_VECTORS_DIR "${PROJECT_SOURCE_DIR}/tests/vectors")

# formica_layer(NAME SOURCES a.cpp b.cpp DEPS formica_base ... LIBS external::lib ...)
# Defines the static library formica_<NAME>; public headers live in include/formica/<NAME>/.
function(formica_layer name)
  cmake_parse_arguments(L "" "" "SOURCES;DEPS;LIBS" ${ARGN})
  add_library(formica_${name} STATIC ${L_SOURCES})
  target_include_directories(formica_${name}
    PUBLIC "${PROJECT_SOURCE_DIR}/include"
    PRIVATE "${CMAKE_CURRENT_SOURCE_DIR}")
  target_link_libraries(formica_${name} PUBLIC ${L_DEPS} ${L_LIBS})
endfunction()

# formica_test(NAME SOURCES x_test.cpp ... DEPS formica_x ...)
# One GoogleTest executable per layer; tests find vectors through FORMICA_VECTORS_DIR.
function(formica_test name)
  if(NOT FORMICA_TESTS)
    return()
  endif()
  cmake_parse_arguments(T "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  target_include_directories(${name} PRIVATE "${CMAKE_CURRENT_SOURCE_DIR}")
  target_compile_definitions(${name} PRIVATE
    FORMICA_VECTORS_DIR="${FORMICA_VECTORS_DIR}"
    FORMICA_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 120)
endfunction()

# formica_fuzz(NAME SOURCES f.cpp DEPS formica_codec ...): a libFuzzer target (FORMICA_FUZZ only).
function(formica_fuzz name)
  cmake_parse_arguments(F "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${F_SOURCES})
  target_link_libraries(${name} PRIVATE ${F_DEPS})
  target_link_options(${name} PRIVATE -fsanitize=fuzzer)
  set_property(GLOBAL APPEND PROPERTY FORMICA_FUZZ_TARGETS ${name})
endfunction()
