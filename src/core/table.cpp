#include "core/table.h"

#include <sstream>

namespace tandem {

Result<void> for_each_table_line(std::string_view table,
                                 const std::function<Result<void>(int, const std::vector<std::string>&)>& line) {
  std::istringstream in{std::string(table)};
  std::string text;
  int number = 0;
  while (std::getline(in, text)) {
    ++number;
    if (auto hash = text.find('#'); hash != std::string::npos) text.resize(hash);
    std::istringstream words_in(text);
    std::vector<std::string> words;
    for (std::string w; words_in >> w;) words.push_back(std::move(w));
    if (!words.empty()) TRY(line(number, words));
  }
  return {};
}

std::string join_lines(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += '\n';
    out += item;
  }
  return out;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace tandem
