// The data files of STYLE.md §10 (permissions, workflows, priority rules) share one syntax:
// lines of words separated by white space; '#' starts a comment; blank lines are skipped.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace tandem {

// Calls `line(number, words)` for every line that has words, numbering from 1; stops at and
// returns the first error.
Result<void> for_each_table_line(std::string_view table,
                                 const std::function<Result<void>(int number, const std::vector<std::string>& words)>& line);

// Lists stored one item per line (items may contain spaces, never a line break).
std::string join_lines(const std::vector<std::string>& items);
std::vector<std::string> split_lines(const std::string& text);

}  // namespace tandem
