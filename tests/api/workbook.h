// OPS-1: reading a report's files back in the API tests — the workbook with openpyxl (a real
// reader, not ours; Debian's python3, where the package installs it), and a CSV field or a
// workbook cell compared with the JSON's figure.
#pragma once

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

namespace tandem::testing {

// {"sheets": {name: [[cell, …], …]}, "formulas": [coordinates]}, or a discarded value when the
// bytes are no workbook.
inline nlohmann::json read_workbook(const std::string& bytes) {
  static int n = 0;
  auto path = std::filesystem::temp_directory_path() /
              ("tandem-test-" + std::to_string(::getpid()) + "-" + std::to_string(n++) + ".xlsx");
  std::ofstream(path, std::ios::binary) << bytes;
  std::string command = "/usr/bin/python3 " TANDEM_FIXTURES "/read_xlsx.py " + path.string() + " 2>/dev/null";
  std::string out;
  if (FILE* p = ::popen(command.c_str(), "r")) {
    char buf[4096];
    for (std::size_t got; (got = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, got);
    ::pclose(p);
  }
  std::filesystem::remove(path);
  return nlohmann::json::parse(out, nullptr, false);
}

// Numbers compared as numbers; an empty field is a null.
inline bool same_cell(const std::string& field, const nlohmann::json& cell) {
  if (cell.is_null()) return field.empty();
  if (cell.is_string()) return field == cell.get<std::string>();
  if (field.empty()) return false;
  return std::abs(std::stod(field) - cell.get<double>()) < 1e-9;
}

}  // namespace tandem::testing
