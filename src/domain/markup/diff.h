// KB-1: what changed between two versions of a text, line by line, as a reviewer reads it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tandem::markup {

struct DiffLine {
  enum class Op { same, added, removed };
  Op op = Op::same;
  std::string text;
  bool operator==(const DiffLine&) const = default;
};

// The lines of `after` against `before`: a shortest edit (longest common subsequence), removals
// before additions where lines were replaced. Texts too long to compare line by line (more
// than kMaxDiffCells line pairs after their common start and end) show as all removed, then all
// added.
inline constexpr std::size_t kMaxDiffCells = 4'000'000;
std::vector<DiffLine> diff_lines(std::string_view before, std::string_view after);

}  // namespace tandem::markup
