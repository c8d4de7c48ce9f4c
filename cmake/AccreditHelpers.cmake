# Compile flags live in one INTERFACE target (STYLE rule 25).
include(CheckCXXCompilerFlag)
add_library(accredit_warnings INTERFACE)
set(_acc_common_flags -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
    -Woverloaded-virtual -Wimplicit-fallthrough -Wformat=2 -Wcast-qual)
set(_acc_gcc_flags -Wlogical-op -Wduplicated-cond -Wduplicated-branches)
# -Wnull-dereference is clang-only: g++ 12 at -O2 reports "potential null pointer dereference"
# inside libstdc++ code inlined from CLI11 and kainjow mustache (false positives we cannot fix).
set(_acc_clang_flags -Wthread-safety -Wnull-dereference)
foreach(flag IN LISTS _acc_common_flags)
  target_compile_options(accredit_warnings INTERFACE $<$<COMPILE_LANGUAGE:CXX>:${flag}>)
endforeach()
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  target_compile_options(accredit_warnings INTERFACE ${_acc_gcc_flags})
elseif(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  target_compile_options(accredit_warnings INTERFACE ${_acc_clang_flags})
endif()
if(ACC_WERROR)
  target_compile_options(accredit_warnings INTERFACE -Werror)
endif()
if(ACC_SANITIZE)
  string(REPLACE ";" "," _acc_san "${ACC_SANITIZE}")
  target_compile_options(accredit_warnings INTERFACE -fsanitize=${_acc_san} -fno-sanitize-recover=undefined
                         -fno-omit-frame-pointer)
  target_link_options(accredit_warnings INTERFACE -fsanitize=${_acc_san})
endif()

# accredit_module(NAME DEPS ...): one static library per src/<NAME>/, sources globbed.
function(accredit_module name)
  cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
  file(GLOB _srcs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/${name}/*.cc)
  add_library(accredit_${name} STATIC ${_srcs})
  target_include_directories(accredit_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(accredit_${name} PUBLIC ${ARG_DEPS} PRIVATE accredit_warnings)
endfunction()

# accredit_test(NAME DEPS ...): tests/<NAME>/*_test.cc -> accredit_<NAME>_tests, registered with ctest.
function(accredit_test name)
  cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
  file(GLOB _srcs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/${name}/*.cc)
  if(NOT _srcs)
    return()
  endif()
  add_executable(accredit_${name}_tests ${_srcs})
  target_link_libraries(accredit_${name}_tests PRIVATE accredit_${name} ${ARG_DEPS} accredit_testing
                        GTest::gtest GTest::gtest_main GTest::gmock accredit_warnings)
  target_compile_definitions(accredit_${name}_tests PRIVATE
    ACC_SOURCE_DIR="${PROJECT_SOURCE_DIR}" ACC_BINARY_DIR="${PROJECT_BINARY_DIR}")
  # Tests named *Slow* or *LibreOffice* (> 1 s: external converters, big inputs) get the ctest
  # label "slow" (STYLE rule 22); everything else is "unit".
  gtest_discover_tests(accredit_${name}_tests DISCOVERY_TIMEOUT 60
    TEST_FILTER "-*Slow*:*LibreOffice*" TEST_LIST accredit_${name}_fast
    PROPERTIES ENVIRONMENT "ACC_SOURCE_DIR=${PROJECT_SOURCE_DIR}" LABELS unit)
  gtest_discover_tests(accredit_${name}_tests DISCOVERY_TIMEOUT 60
    TEST_FILTER "*Slow*:*LibreOffice*" TEST_LIST accredit_${name}_slow
    PROPERTIES ENVIRONMENT "ACC_SOURCE_DIR=${PROJECT_SOURCE_DIR}" LABELS slow TIMEOUT 600)
endfunction()
