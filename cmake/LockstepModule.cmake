# lockstep_module(NAME DEPS ...): one module = one static library target
# lockstep_<NAME> built from src/<NAME>/*.cc, public headers in include/.
function(lockstep_module name)
  cmake_parse_arguments(M "" "" "DEPS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cc)
  add_library(lockstep_${name} STATIC ${sources})
  target_include_directories(lockstep_${name}
    PUBLIC ${PROJECT_SOURCE_DIR}/include
    PRIVATE ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(lockstep_${name} PUBLIC ${M_DEPS})
  add_library(lockstep::${name} ALIAS lockstep_${name})
endfunction()
