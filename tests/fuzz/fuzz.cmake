# tests/fuzz/fuzz.cmake - the libFuzzer targets as ctest tests (label fuzz).
# Included from tests/CMakeLists.txt after TEST_ENV is set. Each test builds the
# targets with clang (tests/fuzz/run.sh, a CMake project of its own, so the gcc
# build is untouched) and runs one for NSTRACE_FUZZ_SECONDS over the corpus.
set(NSTRACE_FUZZ_SECONDS 20 CACHE STRING "How long each fuzz target runs in ctest")
foreach(target decoders formatters)
  add_test(NAME fuzz.${target}
    COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/run.sh ${target} ${NSTRACE_FUZZ_SECONDS})
  set_tests_properties(fuzz.${target} PROPERTIES LABELS fuzz
    ENVIRONMENT "${TEST_ENV}" TIMEOUT 300)
endforeach()
