# Locating a GCC's plugin headers and building kstack.so against them.
#
# kstack_find_plugin_dir(CC OUT_DIR OUT_PACKAGE) asks the driver itself
# (`CC -print-file-name=plugin`), the only answer that is right for every
# Debian layout (native, gcc-N, cross), and names the Debian package that
# ships the headers so a failure can say what to install.

function(kstack_plugin_package cc out_package)
  execute_process(COMMAND ${cc} -dumpversion OUTPUT_VARIABLE version
                  OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  string(REGEX MATCH "^[0-9]+" major "${version}")
  execute_process(COMMAND ${cc} -dumpmachine OUTPUT_VARIABLE machine
                  OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  execute_process(COMMAND gcc -dumpmachine OUTPUT_VARIABLE host
                  OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(machine STREQUAL host OR machine STREQUAL "")
    set(${out_package} "gcc-${major}-plugin-dev" PARENT_SCOPE)
  else()
    set(${out_package} "gcc-${major}-plugin-dev-${machine}" PARENT_SCOPE)
  endif()
endfunction()

function(kstack_find_plugin_dir cc out_dir out_package)
  kstack_plugin_package(${cc} package)
  set(${out_package} ${package} PARENT_SCOPE)
  execute_process(COMMAND ${cc} -print-file-name=plugin
                  OUTPUT_VARIABLE dir OUTPUT_STRIP_TRAILING_WHITESPACE
                  RESULT_VARIABLE rc ERROR_QUIET)
  if(rc EQUAL 0 AND EXISTS "${dir}/include/gcc-plugin.h")
    set(${out_dir} ${dir} PARENT_SCOPE)
  else()
    set(${out_dir} "" PARENT_SCOPE)
  endif()
endfunction()

# kstack_add_plugin(TARGET CC OUTPUT_DIRECTORY SOURCES...)
function(kstack_add_plugin target cc output_directory)
  kstack_find_plugin_dir(${cc} plugin_dir package)
  if(NOT plugin_dir)
    message(FATAL_ERROR
      "kstack: no GCC plugin headers for '${cc}' "
      "('${cc} -print-file-name=plugin' has no include/gcc-plugin.h); "
      "install the Debian package ${package}")
  endif()
  add_library(${target} MODULE ${ARGN})
  target_include_directories(${target} SYSTEM PRIVATE ${plugin_dir}/include)
  target_include_directories(${target} PRIVATE ${PROJECT_SOURCE_DIR}/include
                             ${PROJECT_SOURCE_DIR}/tool)
  # GCC is built without RTTI and exceptions; a plugin must match.
  target_compile_options(${target} PRIVATE -fno-rtti -fno-exceptions
                         -Wno-unused-parameter)
  set_target_properties(${target} PROPERTIES
    PREFIX "" OUTPUT_NAME kstack
    LIBRARY_OUTPUT_DIRECTORY ${output_directory})
  message(STATUS "kstack: plugin for ${cc} (${plugin_dir}) -> ${output_directory}/kstack.so")
endfunction()
