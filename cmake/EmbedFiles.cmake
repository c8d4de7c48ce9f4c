# accredit_embed(TARGET DIR): compiles every file under DIR into a static library exposing
#   std::optional<std::string_view> accredit::assets::Find(std::string_view relative_path);
#   std::vector<std::string_view> accredit::assets::List();
function(accredit_embed target dir)
  file(GLOB_RECURSE _files CONFIGURE_DEPENDS ${dir}/*)
  set(_out ${CMAKE_CURRENT_BINARY_DIR}/${target}.cc)
  add_custom_command(
    OUTPUT ${_out}
    COMMAND ${CMAKE_COMMAND} -DDIR=${dir} -DOUT=${_out} -P ${PROJECT_SOURCE_DIR}/cmake/EmbedScript.cmake
    DEPENDS ${_files} ${PROJECT_SOURCE_DIR}/cmake/EmbedScript.cmake
    COMMENT "Embedding ${dir}")
  add_library(${target} STATIC ${_out})
  target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR}/src)
endfunction()
