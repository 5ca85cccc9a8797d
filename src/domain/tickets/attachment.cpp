#include "domain/tickets/attachment.h"

#include <algorithm>

#include <utf8proc.h>

#include <cstdio>

namespace tandem::tickets {
namespace {

bool starts_with(std::string_view bytes, std::string_view magic) { return bytes.substr(0, magic.size()) == magic; }

}  // namespace

std::string safe_file_name(std::string_view client_name) {
  if (auto slash = client_name.find_last_of("/\\"); slash != std::string_view::npos) client_name.remove_prefix(slash + 1);
  std::string out;
  auto* p = reinterpret_cast<const utf8proc_uint8_t*>(client_name.data());
  std::size_t i = 0;
  while (i < client_name.size()) {
    utf8proc_int32_t cp;
    auto step = utf8proc_iterate(p + i, utf8proc_ssize_t(client_name.size() - i), &cp);
    if (step <= 0) {
      out += '_';
      ++i;
      continue;
    }
    auto category = utf8proc_category(cp);
    bool control = category == UTF8PROC_CATEGORY_CC || category == UTF8PROC_CATEGORY_CF || category == UTF8PROC_CATEGORY_ZL ||
                   category == UTF8PROC_CATEGORY_ZP;
    if (!control && cp != '"') {
      if (out.size() + std::size_t(step) > 200) break;
      out.append(client_name.substr(i, std::size_t(step)));
    }
    i += std::size_t(step);
  }
  auto first = out.find_first_not_of(". ");
  out = first == std::string::npos ? "" : out.substr(first);
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out.empty() ? "attachment" : out;
}

std::string sniff_content_type(std::string_view bytes) {
  if (starts_with(bytes, "\x89PNG\r\n\x1a\n")) return "image/png";
  if (starts_with(bytes, "\xff\xd8\xff")) return "image/jpeg";
  if (starts_with(bytes, "GIF87a") || starts_with(bytes, "GIF89a")) return "image/gif";
  if (starts_with(bytes, "RIFF") && bytes.size() >= 12 && bytes.substr(8, 4) == "WEBP") return "image/webp";
  if (starts_with(bytes, "%PDF-")) return "application/pdf";
  if (starts_with(bytes, "PK\x03\x04")) return "application/zip";
  if (bytes.find('\0') != std::string_view::npos) return "application/octet-stream";
  auto* p = reinterpret_cast<const utf8proc_uint8_t*>(bytes.data());
  for (std::size_t i = 0; i < bytes.size();) {
    utf8proc_int32_t cp;
    auto step = utf8proc_iterate(p + i, utf8proc_ssize_t(bytes.size() - i), &cp);
    if (step <= 0) return "application/octet-stream";
    i += std::size_t(step);
  }
  return "text/plain; charset=utf-8";
}

std::size_t utf8_length(std::string_view text) {
  return std::size_t(std::ranges::count_if(text, [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

bool valid_utf8(std::string_view text) {
  auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  for (std::size_t i = 0; i < text.size();) {
    utf8proc_int32_t cp;
    auto step = utf8proc_iterate(p + i, utf8proc_ssize_t(text.size() - i), &cp);
    if (step <= 0) return false;
    i += std::size_t(step);
  }
  return true;
}

std::string content_disposition(std::string_view name) {
  std::string ascii, encoded;
  for (unsigned char ch : name) {
    ascii += (ch >= 0x20 && ch < 0x7f && ch != '"' && ch != '\\') ? char(ch) : '_';
    bool unreserved = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '.' || ch == '-' ||
                      ch == '_' || ch == '~';
    if (unreserved) {
      encoded += char(ch);
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", ch);
      encoded += hex;
    }
  }
  return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

}  // namespace tandem::tickets
