// Reading back the zip files the API answers (exports), with libzip, for the API tests.
#pragma once

#include <zip.h>

#include <map>
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

}  // namespace tandem::testing
