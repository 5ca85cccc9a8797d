// Times from clients: whatever parses must print back and parse to the same instant.
#include <cstdint>
#include <string>

#include "core/clock.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  tandem::Time t;
  if (tandem::parse_rfc3339(text, t)) {
    tandem::Time back;
    if (!tandem::parse_rfc3339(tandem::to_rfc3339(t), back) || back != t) __builtin_trap();
  }
  return 0;
}
