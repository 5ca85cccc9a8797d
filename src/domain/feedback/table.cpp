#include "domain/feedback/table.h"

#include <cmath>

#include <fmt/format.h>

#include "domain/feedback/feedback.h"

namespace tandem::feedback {
namespace {

void field(std::string& out, std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += text;
    return;
  }
  out += '"';
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

void cell(std::string& out, const Cell& c) {
  if (const auto* text = std::get_if<std::string>(&c)) field(out, neutralised_cell(*text));
  else if (const auto* whole = std::get_if<std::int64_t>(&c)) out += std::to_string(*whole);
  else if (const auto* fraction = std::get_if<double>(&c)) out += fmt::format("{}", *fraction);
}

}  // namespace

std::string to_csv(const Table& table) {
  std::string out = "\xEF\xBB\xBF";
  for (std::size_t i = 0; i < table.columns.size(); ++i) {
    if (i) out += ',';
    field(out, neutralised_cell(table.columns[i]));
  }
  out += "\r\n";
  for (const auto& row : table.rows) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i) out += ',';
      cell(out, row[i]);
    }
    out += "\r\n";
  }
  return out;
}

double rounded(double fraction) { return std::round(fraction * 10000.0) / 10000.0; }

}  // namespace tandem::feedback
