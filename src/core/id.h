// Opaque resource ids (API.md): a type prefix and 26 Crockford base32 characters holding 48 bits
// of creation time and 80 random bits, so ids sort by creation and make stable cursors.
#pragma once

#include <string>
#include <string_view>

#include "core/clock.h"

namespace tandem {

std::string new_id(std::string_view prefix, Time now);
// True when `id` has the given prefix and the shape new_id produces.
bool is_id(std::string_view id, std::string_view prefix);

}  // namespace tandem
