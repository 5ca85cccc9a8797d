// Reading back zip files (exports, the zip writer's archives) with libzip, for the tests.
#pragma once

#include <zip.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

namespace tandem::testing {

// What libzip reads of an archive, every entry read whole (one more read past its end makes
// libzip check the entry's CRC; a failed check leaves the entry out).
struct ZipContents {
  bool opened = false;
  std::int64_t entries = -1;
  std::map<std::string, std::string> files;
  std::map<std::string, int> methods;  // ZIP_CM_STORE, ZIP_CM_DEFLATE
};

inline ZipContents read_zip(const std::string& bytes) {
  ZipContents out;
  zip_error_t error;
  zip_error_init(&error);
  auto* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  auto* z = source ? zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &error) : nullptr;
  if (!z) {
    if (source) zip_source_free(source);
    return out;
  }
  out.opened = true;
  out.entries = zip_get_num_entries(z, 0);
  for (zip_int64_t i = 0; i < out.entries; ++i) {
    zip_stat_t st;
    if (zip_stat_index(z, zip_uint64_t(i), 0, &st) != 0) continue;
    std::string content(st.size, '\0');
    auto* f = zip_fopen_index(z, zip_uint64_t(i), 0);
    if (!f) continue;
    auto n = zip_fread(f, content.data(), content.size());
    char past;
    auto beyond = zip_fread(f, &past, 1);
    zip_fclose(f);
    if (n != zip_int64_t(content.size()) || beyond != 0) continue;
    out.files[st.name] = std::move(content);
    out.methods[st.name] = st.comp_method;
  }
  zip_discard(z);
  return out;
}

// Every file of a zip, by name.
inline std::map<std::string, std::string> unzip(const std::string& bytes) { return read_zip(bytes).files; }

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
