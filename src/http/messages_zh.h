// Error messages in Simplified Chinese (ONB-11), chosen by the stable error code; an unknown
// code keeps the English text.
#pragma once

#include <string>
#include <string_view>

namespace tandem::http {

std::string chinese_message(std::string_view code, const std::string& english);

}  // namespace tandem::http
