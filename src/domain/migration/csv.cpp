#include "domain/migration/csv.h"

#include <algorithm>

namespace tandem::migration {

Result<std::vector<CsvRecord>> parse_csv(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::vector<CsvRecord> out;
  CsvRecord record;
  std::string field;
  bool quoted = false, was_quoted = false;
  std::size_t line = 1, started = 1;
  auto end_record = [&] {
    record.push_back(std::move(field));
    field.clear();
    if (!(record.size() == 1 && record[0].empty() && !was_quoted)) out.push_back(std::move(record));
    record.clear();
    was_quoted = false;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    char ch = text[i];
    if (quoted) {
      if (ch == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
          if (i + 1 < text.size() && text[i + 1] != ',' && text[i + 1] != '\r' && text[i + 1] != '\n')
            return fail(Code::malformed, "CSV line " + std::to_string(line) + ": text after a closing quote.");
        }
      } else {
        if (ch == '\n') ++line;
        field += ch;
      }
      continue;
    }
    if (ch == '"') {
      if (!field.empty()) return fail(Code::malformed, "CSV line " + std::to_string(line) + ": a quote inside an unquoted field.");
      quoted = was_quoted = true;
      started = line;
    } else if (ch == ',') {
      record.push_back(std::move(field));
      field.clear();
    } else if (ch == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      continue;  // the \n ends the record
    } else if (ch == '\n') {
      end_record();
      ++line;
    } else {
      field += ch;
    }
  }
  if (quoted) return fail(Code::malformed, "CSV line " + std::to_string(started) + ": a quoted field is never closed.");
  if (!field.empty() || !record.empty() || was_quoted) end_record();
  return out;
}

Result<CsvTable> CsvTable::make(std::vector<CsvRecord> records, const std::vector<std::string>& required) {
  CsvTable t;
  Error e(Code::invalid_argument, "The CSV header is not the documented layout.");
  if (records.empty()) {
    e.details.push_back({"file", "is empty: the first line must name the columns"});
    return fail(std::move(e));
  }
  t.header_ = std::move(records.front());
  for (auto& h : t.header_) {
    auto first = h.find_first_not_of(" \t"), last = h.find_last_not_of(" \t");
    h = first == std::string::npos ? "" : h.substr(first, last - first + 1);
  }
  for (std::size_t i = 0; i < t.header_.size(); ++i)
    for (std::size_t j = i + 1; j < t.header_.size(); ++j)
      if (t.header_[i] == t.header_[j] && !t.header_[i].empty()) e.details.push_back({t.header_[i], "is named twice"});
  for (const auto& r : required)
    if (std::find(t.header_.begin(), t.header_.end(), r) == t.header_.end()) e.details.push_back({r, "column is missing"});
  if (!e.details.empty()) return fail(std::move(e));
  // Lines are counted by records: a record with a quoted line break counts as one here; good
  // enough to find the row, and exact for the common file without them.
  for (std::size_t i = 1; i < records.size(); ++i) {
    t.rows_.push_back(std::move(records[i]));
    t.lines_.push_back(i + 1);
  }
  return t;
}

std::string_view CsvTable::at(std::size_t row, std::string_view column) const {
  auto it = std::find(header_.begin(), header_.end(), column);
  if (it == header_.end()) return {};
  auto index = std::size_t(it - header_.begin());
  const auto& r = rows_.at(row);
  return index < r.size() ? std::string_view(r[index]) : std::string_view();
}

}  // namespace tandem::migration
