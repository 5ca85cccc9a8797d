// Validation shared by the use cases: every invalid field of one request is collected and
// reported at once (API.md "validation lists every invalid field").
#pragma once

#include <string>
#include <vector>

#include "core/error.h"

namespace tandem::usecase {

class Problems {
 public:
  void add(std::string field, std::string problem) { details_.push_back({std::move(field), std::move(problem)}); }
  bool any() const { return !details_.empty(); }
  const std::vector<FieldProblem>& details() const { return details_; }
  Error error() const {
    Error e(Code::invalid_argument, "Some fields are invalid.");
    e.details = details_;
    return e;
  }

 private:
  std::vector<FieldProblem> details_;
};

// Without leading and trailing white space.
std::string trimmed(const std::string& s);
// Not blank and at most `max` bytes.
void check_text(Problems& p, const std::string& field, const std::string& value, std::size_t max = 200);

}  // namespace tandem::usecase
