// REL-2, DESK-5: the form of a request type, and the check of a user's answers to it. A form is
// data the provider agrees with its customers (seed 7.4): its fields, which are required, which
// show only after another answer, the prices of options; the check speaks the user's language
// and names every wrong answer at once, so that one round trip shows all that needs fixing.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "domain/catalog/localized_text.h"
#include "domain/catalog/money.h"

namespace tandem::catalog {

// A `file` answer names uploads made before submitting (POST /api/v1/uploads); the use case finds
// them and attaches them to the request's ticket.
enum class FieldType { text, long_text, number, money, choice, multi_choice, date, user, file };
std::optional<FieldType> parse_field_type(std::string_view text);
std::string_view to_string(FieldType type);

struct FormOption {
  std::string value;     // what an answer carries
  LocalizedText label;   // what people read; the value when empty
  Money price;           // added to the request's price when chosen
};

// The field is asked only while `field` (an earlier choice) is answered with one of `equals`
// (for a multi-choice, while it holds one of them). A hidden field is neither required nor kept.
struct ShowWhen {
  std::string field;
  std::vector<std::string> equals;
};

struct FormField {
  std::string key;  // [a-z0-9_], 1–64 bytes; answers are keyed by it
  FieldType type = FieldType::text;
  LocalizedText label;
  LocalizedText help;  // may be empty
  bool required = false;
  std::vector<FormOption> options;  // choice and multi-choice only
  std::optional<double> min, max;   // number only
  std::size_t max_length = 0;       // text and long text, in bytes; 0 is the type's own limit
  std::size_t max_files = 0;        // file only: how many may be given; 0 is one
  std::optional<ShowWhen> show_when;
  LocalizedText message;  // said instead of the built-in message when an answer is wrong; may be empty
};

// One answer as it arrived. The use case reads JSON into this: a string is text, a number is
// a number (with the text it was written as), an array of strings is a list, null or nothing
// is none, anything else is other (wrong for every field).
struct Answer {
  enum class Kind { none, text, number, list, other };
  Kind kind = Kind::none;
  std::string text;
  double number = 0;
  std::vector<std::string> list;

  static Answer of_text(std::string t) { return {Kind::text, std::move(t), 0, {}}; }
  static Answer of_number(double n, std::string written) { return {Kind::number, std::move(written), n, {}}; }
  static Answer of_list(std::vector<std::string> l) { return {Kind::list, {}, 0, std::move(l)}; }
  friend bool operator==(const Answer&, const Answer&) = default;
};
using Answers = std::map<std::string, Answer, std::less<>>;

// A key of a form field or a fulfilment task: 1–64 characters of a-z, 0-9 and _.
bool valid_key(std::string_view key);

inline constexpr std::size_t kMaxFormFields = 100;
inline constexpr std::size_t kMaxFieldOptions = 200;
inline constexpr std::size_t kTextAnswerLimit = 1000;
inline constexpr std::size_t kLongTextAnswerLimit = 65536;
inline constexpr std::size_t kMaxFilesPerField = 10;

class Form {
 public:
  Form() = default;
  // Checks the fields as a whole; each problem is named "form.fields[i].<part>": a key used
  // twice or malformed, options on a field that takes none (or none on a choice), min above
  // max, a show_when that names no earlier choice field or a value it does not offer.
  static Result<Form> make(std::vector<FormField> fields);

  const std::vector<FormField>& fields() const { return fields_; }
  const FormField* field(std::string_view key) const;

  // The answers as kept: only the fields shown, money written with two decimals, lists
  // without repeats, a file field's answer always a list of upload ids. Otherwise invalid_argument naming "answers.<key>" for every wrong or
  // missing answer and every key the form does not have, in `language` (en or zh-CN).
  Result<Answers> check(const Answers& given, std::string_view language) const;

  // The sum of the prices of the options chosen in checked answers.
  Money price_of(const Answers& checked) const;

 private:
  explicit Form(std::vector<FormField> fields) : fields_(std::move(fields)) {}
  bool shown(const FormField& f, const Answers& answers) const;
  std::vector<FormField> fields_;
};

}  // namespace tandem::catalog
