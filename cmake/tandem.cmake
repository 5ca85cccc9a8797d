# Warnings apply to our own targets only (STYLE.md: -Wall -Wextra -Werror on our code).
function(tandem_warnings target)
  # -Wno-restrict: g++ 12 at -O3 flags `"literal" + std::string` falsely (GCC bug 105329).
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror -Wno-missing-field-initializers -Wno-restrict)
endfunction()

# tandem_module(NAME SOURCES ... DEPS ...) — one module = one folder, one target.
function(tandem_module name)
  cmake_parse_arguments(M "" "" "SOURCES;PUBLIC;PRIVATE" ${ARGN})
  add_library(tandem_${name} STATIC ${M_SOURCES})
  target_include_directories(tandem_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(tandem_${name} PUBLIC ${M_PUBLIC} PRIVATE ${M_PRIVATE})
  tandem_warnings(tandem_${name})
endfunction()

# Embeds data files (migrations, the OpenAPI document, permission tables) into the binary as
# `std::string_view`s, looked up by their path relative to BASE. Reconfigures when a file changes.
function(tandem_embed target base namespace)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${target}_embedded.cpp)
  set(body "#include <map>\n#include <string>\n#include <string_view>\nnamespace ${namespace} {\nnamespace {\n")
  set(table "")
  set(i 0)
  foreach(file ${ARGN})
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${base}/${file})
    file(READ ${base}/${file} hex HEX)
    string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")
    string(APPEND body "constexpr char f${i}[] = {${bytes} 0};\n")
    string(APPEND table "    {\"${file}\", std::string_view(f${i}, sizeof(f${i}) - 1)},\n")
    math(EXPR i "${i} + 1")
  endforeach()
  string(APPEND body "}  // namespace\n\nconst std::map<std::string, std::string_view>& embedded_files() {\n  static const std::map<std::string, std::string_view> files{\n${table}  };\n  return files;\n}\n}  // namespace ${namespace}\n")
  file(GENERATE OUTPUT ${out} CONTENT "${body}")
  target_sources(${target} PRIVATE ${out})
endfunction()
