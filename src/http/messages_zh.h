// Error messages in Simplified Chinese (ONB-11), chosen by the stable error code; an unknown
// code keeps the English text.
#pragma once

#include <string>
#include <string_view>

namespace tandem::http {

std::string chinese_message(std::string_view code, const std::string& english);

// A field's problem (an error's `details[].problem`) in Simplified Chinese: the common phrases
// by table — exact ones, and those that carry a value (a number, a list, an id), whose value is
// kept. A problem the table does not know keeps its English, and one already in Chinese (a
// request form's own message) is left as it is.
std::string chinese_problem(const std::string& english);

}  // namespace tandem::http
