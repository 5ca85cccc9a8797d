#include "http/report_formats.h"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <xlsxwriter.h>

#include "core/crypto.h"
#include "domain/feedback/feedback.h"

namespace tandem::http {
namespace {

// Excel's limits: a cell holds at most 32,767 characters; a sheet's name 31, without []:*?/\.
constexpr std::size_t kCellLimit = 32767;
constexpr std::size_t kSheetNameLimit = 31;

std::string cut_utf8(std::string text, std::size_t limit) {
  if (text.size() <= limit) return text;
  auto end = limit;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;  // not inside a character
  text.resize(end);
  return text;
}

std::string sheet_name(std::string_view name, std::size_t index) {
  std::string out;
  for (char c : name)
    if (std::string_view("[]:*?/\\").find(c) == std::string_view::npos) out += c;
  out = cut_utf8(out, kSheetNameLimit);
  return out.empty() ? fmt::format("Sheet {}", index + 1) : out;
}

// libxlsxwriter writes its zip to a file; the file lives only while the answer is made.
std::filesystem::path scratch_file() {
  static std::atomic<std::uint64_t> counter{0};
  return std::filesystem::temp_directory_path() / fmt::format("tandem-report-{}-{}.xlsx", random_token(9), counter++);
}

struct Removed {
  std::filesystem::path path;
  ~Removed() {
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
  }
};

}  // namespace

ReportFormat report_format(Error& e, const Request& r) {
  auto text = r.query_value("format");
  if (!text || *text == "json") return ReportFormat::json;
  if (*text == "csv") return ReportFormat::csv;
  if (*text == "xlsx") return ReportFormat::xlsx;
  e.details.push_back({"format", "allowed: json, csv, xlsx"});
  return ReportFormat::json;
}

ReportFormat report_format_of(const Request& r) {
  Error ignored;
  return report_format(ignored, r);
}

Result<std::string> xlsx_workbook(std::span<const feedback::Table> tables) {
  auto path = scratch_file();
  Removed cleanup{path};
  auto file = path.string();
  lxw_workbook* book = workbook_new(file.c_str());
  if (!book) return fail(Code::internal, "The spreadsheet cannot be written.");
  lxw_format* bold = workbook_add_format(book);
  format_set_bold(bold);
  lxw_error problem = LXW_NO_ERROR;
  auto note = [&](lxw_error err) {
    if (err != LXW_NO_ERROR && problem == LXW_NO_ERROR) problem = err;
  };
  for (std::size_t i = 0; i < tables.size(); ++i) {
    const auto& table = tables[i];
    auto name = sheet_name(table.name, i);
    lxw_worksheet* sheet = workbook_add_worksheet(book, name.c_str());
    if (!sheet) sheet = workbook_add_worksheet(book, nullptr);  // a repeated name: Excel's own
    if (!sheet) {
      workbook_close(book);
      return fail(Code::internal, "The spreadsheet cannot be written.");
    }
    for (std::size_t col = 0; col < table.columns.size(); ++col) {
      auto header = cut_utf8(feedback::neutralised_cell(table.columns[col]), kCellLimit);
      note(worksheet_write_string(sheet, 0, lxw_col_t(col), header.c_str(), bold));
      note(worksheet_set_column(sheet, lxw_col_t(col), lxw_col_t(col), std::max(10.0, double(header.size()) + 2.0), nullptr));
    }
    for (std::size_t row = 0; row < table.rows.size(); ++row) {
      auto at = lxw_row_t(row + 1);
      for (std::size_t col = 0; col < table.rows[row].size(); ++col) {
        const auto& cell = table.rows[row][col];
        if (const auto* text = std::get_if<std::string>(&cell)) {
          auto value = cut_utf8(feedback::neutralised_cell(*text), kCellLimit);
          note(worksheet_write_string(sheet, at, lxw_col_t(col), value.c_str(), nullptr));
        } else if (const auto* whole = std::get_if<std::int64_t>(&cell)) {
          note(worksheet_write_number(sheet, at, lxw_col_t(col), double(*whole), nullptr));
        } else if (const auto* fraction = std::get_if<double>(&cell)) {
          note(worksheet_write_number(sheet, at, lxw_col_t(col), *fraction, nullptr));
        }
      }
    }
  }
  note(workbook_close(book));
  if (problem != LXW_NO_ERROR) return fail(Code::internal, std::string("The spreadsheet cannot be written: ") + lxw_strerror(problem));
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in && !in.eof()) return fail(Code::internal, "The spreadsheet cannot be read back.");
  return bytes.str();
}

Result<Response> report_response(ReportFormat format, std::string_view name, std::string_view day, Json json,
                                 std::span<const feedback::Table> tables) {
  if (format == ReportFormat::json) return json_response(200, json);
  Response r;
  if (format == ReportFormat::csv) {
    static const feedback::Table empty;
    r.body = feedback::to_csv(tables.empty() ? empty : tables.front());
    r.content_type = "text/csv; charset=utf-8";
  } else {
    ASSIGN_OR_RETURN(r.body, xlsx_workbook(tables));
    r.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  }
  r.set_header("Content-Disposition",
               fmt::format("attachment; filename=\"{}-{}.{}\"", name, day, format == ReportFormat::csv ? "csv" : "xlsx"));
  r.set_header("X-Content-Type-Options", "nosniff");
  return r;
}

}  // namespace tandem::http
