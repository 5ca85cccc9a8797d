// OPS-1: every report as JSON, CSV or XLSX (?format=), the files written from the report's
// tables (domain/feedback/table.h) so they hold what the JSON holds. Text cells a spreadsheet
// would take for a formula are written as text with a leading apostrophe, and an XLSX file holds
// no formula at all: every cell is a string or a number.
#pragma once

#include <span>
#include <string_view>

#include "domain/feedback/table.h"
#include "http/json_body.h"

namespace tandem::http {

enum class ReportFormat { json, csv, xlsx };

// ?format=: json unless asked; a problem in `e` for any other word.
ReportFormat report_format(Error& e, const Request& r);

// ?format= of a query report_window has checked already: json unless csv or xlsx.
ReportFormat report_format_of(const Request& r);

// The report in the format: `json` as it is; CSV, the first table; XLSX, a sheet per table.
// `name` names the file ("sla" → sla-2026-12-07.csv, the day of `to`).
Result<Response> report_response(ReportFormat format, std::string_view name, std::string_view day, Json json,
                                 std::span<const feedback::Table> tables);

// The workbook's bytes: a sheet per table, a bold header row, widths fitted to the header.
Result<std::string> xlsx_workbook(std::span<const feedback::Table> tables);

}  // namespace tandem::http
