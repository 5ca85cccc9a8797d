// Addresses, phone numbers and passwords as people type them.
#include <cstdint>
#include <string>

#include "domain/identity/identity.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto email = tandem::identity::normalize_email(text);
  if (email) {
    // Normalising is idempotent: the comparable form compares equal to itself.
    auto again = tandem::identity::normalize_email(*email);
    if (!again || *again != *email) __builtin_trap();
  }
  (void)tandem::identity::normalize_phone(text);
  (void)tandem::identity::password_problem(text);
  return 0;
}
