// OPS-1: a report as a table — the one shape its CSV and XLSX files are written from, so the
// files hold the numbers the JSON holds. Pure: writing the CSV text is here; the XLSX file,
// written by a library to disk, is the HTTP edge's (http/spreadsheet.h).
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace tandem::feedback {

// A cell: empty, text, a whole number or a fraction (a share, a mean).
using Cell = std::variant<std::monostate, std::string, std::int64_t, double>;

struct Table {
  std::string name;                  // the sheet's name: letters, digits, spaces; at most 31 characters
  std::vector<std::string> columns;  // the header row
  std::vector<std::vector<Cell>> rows;
};

// RFC 4180 text: a UTF-8 byte order mark (so a spreadsheet reads Chinese as such), the header,
// one line per row, CRLF line ends; a field with a comma, quote or line break is quoted. Text
// cells are neutralised (feedback.h) — a number never is, so -3 stays a number.
std::string to_csv(const Table& table);

// A fraction as the JSON and the files write it: at most four decimals.
double rounded(double fraction);

}  // namespace tandem::feedback
