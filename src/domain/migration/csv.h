// OFF-3: reading the CSV another desk exports (RFC 4180): fields separated by commas, quoted
// with double quotes when they hold a comma, a quote (doubled) or a line break; records ended by
// CRLF or LF; a UTF-8 byte-order mark at the start ignored. Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace tandem::migration {

using CsvRecord = std::vector<std::string>;

// Every record of `text`, the header first. malformed, naming the line, for a quote left open or
// a quote inside an unquoted field; a record that is one empty field (a blank line) is skipped.
Result<std::vector<CsvRecord>> parse_csv(std::string_view text);

// A table read with its header: each record's field by column name.
class CsvTable {
 public:
  // invalid_argument when a column in `required` is missing, or a name is there twice.
  static Result<CsvTable> make(std::vector<CsvRecord> records, const std::vector<std::string>& required);
  std::size_t size() const { return rows_.size(); }
  // The field of row `row` (0: the first record after the header) in `column`; empty when the
  // column or the field is missing.
  std::string_view at(std::size_t row, std::string_view column) const;
  // The line of the file the row came from, for messages (the header is line 1).
  std::size_t line_of(std::size_t row) const { return lines_.at(row); }

 private:
  std::vector<std::string> header_;
  std::vector<CsvRecord> rows_;
  std::vector<std::size_t> lines_;
};

}  // namespace tandem::migration
