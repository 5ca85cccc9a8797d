#include "core/log.h"

#include <fmt/format.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "core/json_text.h"

namespace tandem {
namespace {
spdlog::level::level_enum to_spdlog(LogLevel level) {
  switch (level) {
    case LogLevel::debug: return spdlog::level::debug;
    case LogLevel::info: return spdlog::level::info;
    case LogLevel::warn: return spdlog::level::warn;
    case LogLevel::error: return spdlog::level::err;
  }
  return spdlog::level::info;
}
}  // namespace

void init_logging(std::string_view level) {
  auto logger = spdlog::get("tandem");
  if (!logger) logger = spdlog::stderr_logger_mt("tandem");
  logger->set_pattern(R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l",%v})", spdlog::pattern_time_type::utc);
  logger->set_level(spdlog::level::from_str(std::string(level)));
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

bool log_enabled(LogLevel level) { return spdlog::default_logger_raw()->should_log(to_spdlog(level)); }

void log_message(LogLevel level, std::string_view message) {
  if (!log_enabled(level)) return;
  spdlog::default_logger_raw()->log(to_spdlog(level), "\"msg\":{}", json_quote(message));
}

void log_fields(LogLevel level, std::string_view members) {
  if (!log_enabled(level)) return;
  spdlog::default_logger_raw()->log(to_spdlog(level), "{}", members);
}

std::string json_quote(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  append_json_string(out, text);
  return out;
}

}  // namespace tandem
