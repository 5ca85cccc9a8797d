// Reading back the zip files the API answers (exports), with libzip, for the API tests.
#pragma once

#include <zip.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

namespace tandem::testing {

// Every file of a zip, by name.
inline std::map<std::string, std::string> unzip(const std::string& bytes) {
  std::map<std::string, std::string> out;
  zip_error_t error;
  zip_error_init(&error);
  auto* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  auto* z = source ? zip_open_from_source(source, ZIP_RDONLY, &error) : nullptr;
  if (!z) {
    if (source) zip_source_free(source);
    return out;
  }
  for (zip_int64_t i = 0; i < zip_get_num_entries(z, 0); ++i) {
    zip_stat_t st;
    if (zip_stat_index(z, zip_uint64_t(i), 0, &st) != 0) continue;
    std::string content(st.size, '\0');
    auto* f = zip_fopen_index(z, zip_uint64_t(i), 0);
    if (!f) continue;
    auto n = zip_fread(f, content.data(), content.size());
    zip_fclose(f);
    if (n >= 0) content.resize(std::size_t(n));
    out[st.name] = std::move(content);
  }
  zip_discard(z);
  return out;
}

// The files of `dir` (not its folders) zipped, as bytes: what an import is given.
inline std::string zip_directory(const std::filesystem::path& dir, const std::filesystem::path& scratch) {
  int error = 0;
  auto* z = zip_open(scratch.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  if (!z) return "";
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    auto* source = zip_source_file(z, entry.path().c_str(), 0, -1);
    if (source && zip_file_add(z, entry.path().filename().c_str(), source, ZIP_FL_ENC_UTF_8) < 0) zip_source_free(source);
  }
  if (zip_close(z) != 0) return "";
  std::ifstream in(scratch, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  std::filesystem::remove(scratch);
  return bytes.str();
}

}  // namespace tandem::testing
