// Uploads from clients: any body and boundary either parse into parts that lie inside the body,
// or fail as malformed; file names from them always sanitise to a safe name.
#include <cstdint>
#include <string>

#include "domain/tickets/attachment.h"
#include "http/multipart.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string input(reinterpret_cast<const char*>(data), size);
  // The first line is the boundary, the rest the body.
  auto newline = input.find('\n');
  std::string boundary = newline == std::string::npos ? "b" : input.substr(0, newline);
  std::string_view body = newline == std::string::npos ? std::string_view(input) : std::string_view(input).substr(newline + 1);
  if (boundary.empty()) boundary = "b";
  auto parts = tandem::http::parse_multipart(body, boundary);
  if (!parts) return 0;
  for (const auto& p : *parts) {
    if (p.data.data() < body.data() || p.data.data() + p.data.size() > body.data() + body.size()) __builtin_trap();
    if (p.filename) {
      auto name = tandem::tickets::safe_file_name(*p.filename);
      if (name.empty() || name.find('/') != std::string::npos || name.find('\\') != std::string::npos || name.size() > 200 ||
          name.front() == '.')
        __builtin_trap();
    }
  }
  return 0;
}
