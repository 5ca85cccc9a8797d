// JSON-lines logging through spdlog: every line is one JSON object with time and level.
#pragma once

#include <string>
#include <string_view>

namespace tandem {

enum class LogLevel { debug, info, warn, error };

void init_logging(std::string_view level);
bool log_enabled(LogLevel level);
// A plain message: {"time":…,"level":…,"msg":"…"}.
void log_message(LogLevel level, std::string_view message);
// Extra members already serialised as `"k":v,"k2":v2` (no braces), e.g. the access log.
void log_fields(LogLevel level, std::string_view members);
// `text` as a JSON string literal, quotes included.
std::string json_quote(std::string_view text);

}  // namespace tandem
