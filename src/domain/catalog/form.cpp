#include "domain/catalog/form.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <set>

#include <date/date.h>
#include <fmt/format.h>

namespace tandem::catalog {
namespace {

constexpr std::array<std::pair<FieldType, std::string_view>, 9> kTypes = {{{FieldType::text, "text"},
                                                                            {FieldType::long_text, "long_text"},
                                                                            {FieldType::number, "number"},
                                                                            {FieldType::money, "money"},
                                                                            {FieldType::choice, "choice"},
                                                                            {FieldType::multi_choice, "multi_choice"},
                                                                            {FieldType::date, "date"},
                                                                            {FieldType::user, "user"},
                                                                            {FieldType::file, "file"}}};

bool has_options(FieldType t) { return t == FieldType::choice || t == FieldType::multi_choice; }

// The built-in messages of the answer check, in each language the catalog speaks (ONB-11).
enum class Says {
  required, not_text, too_long, not_number, below, above, not_money, not_option, not_list, not_date, not_user, not_files, unknown
};

std::string said(Says what, bool chinese, std::string_view detail = {}) {
  switch (what) {
    case Says::required: return chinese ? "必填" : "is required";
    case Says::not_text: return chinese ? "必须是文本" : "must be text";
    case Says::too_long: return chinese ? fmt::format("不能超过 {} 字节", detail) : fmt::format("must be at most {} bytes", detail);
    case Says::not_number: return chinese ? "必须是数字" : "must be a number";
    case Says::below: return chinese ? fmt::format("不能小于 {}", detail) : fmt::format("must be at least {}", detail);
    case Says::above: return chinese ? fmt::format("不能大于 {}", detail) : fmt::format("must be at most {}", detail);
    case Says::not_money: return chinese ? "必须是金额，例如 \"12.50\"" : "must be an amount such as \"12.50\"";
    case Says::not_option: return chinese ? fmt::format("必须是以下之一：{}", detail) : fmt::format("must be one of: {}", detail);
    case Says::not_list:
      return chinese ? fmt::format("必须是由以下选项组成的列表：{}", detail) : fmt::format("must be a list of options from: {}", detail);
    case Says::not_date: return chinese ? "必须是日期，例如 2026-12-01" : "must be a date such as 2026-12-01";
    case Says::not_user: return chinese ? "必须是用户的 ID" : "must be the id of a user";
    case Says::not_files:
      return chinese ? fmt::format("必须是上传文件的 ID，或至多 {} 个 ID 的列表", detail)
                     : fmt::format("must be the id of an upload, or a list of at most {}", detail);
    case Says::unknown: return chinese ? "不是此表单的字段" : "is not a field of this form";
  }
  return {};
}

std::string number_text(double n) {
  char out[32];
  std::snprintf(out, sizeof out, "%.15g", n);
  return out;
}

bool valid_date(std::string_view text) {
  int y = 0;
  unsigned m = 0, d = 0;
  char rest = 0;
  std::string s(text);
  if (s.size() != 10 || std::sscanf(s.c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &rest) != 3 || s[4] != '-' || s[7] != '-') return false;
  return date::year_month_day{date::year(y), date::month(m), date::day(d)}.ok();
}

std::string values_of(const FormField& f) {
  std::string out;
  for (const auto& o : f.options) out += (out.empty() ? "" : ", ") + o.value;
  return out;
}

bool offers(const FormField& f, std::string_view value) {
  return std::any_of(f.options.begin(), f.options.end(), [&](const FormOption& o) { return o.value == value; });
}

// The answer to one shown field as kept, or the built-in problem with it.
std::optional<Answer> checked_answer(const FormField& f, const Answer& a, bool chinese, std::string& problem) {
  auto wrong = [&](Says what, std::string_view detail = {}) {
    problem = said(what, chinese, detail);
    return std::nullopt;
  };
  switch (f.type) {
    case FieldType::text:
    case FieldType::long_text: {
      if (a.kind != Answer::Kind::text) return wrong(Says::not_text);
      auto limit = f.max_length ? f.max_length : (f.type == FieldType::text ? kTextAnswerLimit : kLongTextAnswerLimit);
      if (a.text.size() > limit) return wrong(Says::too_long, std::to_string(limit));
      return a;
    }
    case FieldType::number: {
      if (a.kind != Answer::Kind::number || !std::isfinite(a.number)) return wrong(Says::not_number);
      if (f.min && a.number < *f.min) return wrong(Says::below, number_text(*f.min));
      if (f.max && a.number > *f.max) return wrong(Says::above, number_text(*f.max));
      return Answer::of_number(a.number, number_text(a.number));
    }
    case FieldType::money: {
      if (a.kind != Answer::Kind::text && a.kind != Answer::Kind::number) return wrong(Says::not_money);
      auto amount = Money::parse(a.text);
      if (!amount) return wrong(Says::not_money);
      return Answer::of_text(amount->to_string());
    }
    case FieldType::choice:
      if (a.kind != Answer::Kind::text || !offers(f, a.text)) return wrong(Says::not_option, values_of(f));
      return a;
    case FieldType::multi_choice: {
      if (a.kind != Answer::Kind::list) return wrong(Says::not_list, values_of(f));
      std::vector<std::string> kept;
      for (const auto& v : a.list) {
        if (!offers(f, v)) return wrong(Says::not_list, values_of(f));
        if (std::find(kept.begin(), kept.end(), v) == kept.end()) kept.push_back(v);
      }
      return Answer::of_list(std::move(kept));
    }
    case FieldType::date:
      if (a.kind != Answer::Kind::text || !valid_date(a.text)) return wrong(Says::not_date);
      return a;
    case FieldType::user:
      // Whether the user exists and may be named is the use case's question (it reads the store).
      if (a.kind != Answer::Kind::text || a.text.empty() || a.text.size() > 64) return wrong(Says::not_user);
      return a;
    case FieldType::file: {
      // Whether the uploads exist and are the requester's is the use case's question.
      auto most = std::max<std::size_t>(f.max_files, 1);
      auto ids = a.kind == Answer::Kind::text ? std::vector<std::string>{a.text} : a.list;
      if ((a.kind != Answer::Kind::text && a.kind != Answer::Kind::list) || ids.size() > most)
        return wrong(Says::not_files, std::to_string(most));
      std::vector<std::string> kept;
      for (const auto& id : ids) {
        if (id.empty() || id.size() > 64) return wrong(Says::not_files, std::to_string(most));
        if (std::find(kept.begin(), kept.end(), id) == kept.end()) kept.push_back(id);
      }
      return Answer::of_list(std::move(kept));
    }
  }
  return wrong(Says::not_text);
}

bool answered(const Answer& a) {
  switch (a.kind) {
    case Answer::Kind::none: return false;
    case Answer::Kind::text: return !std::all_of(a.text.begin(), a.text.end(), [](unsigned char c) { return std::isspace(c); });
    case Answer::Kind::list: return !a.list.empty();
    default: return true;
  }
}

}  // namespace

std::optional<FieldType> parse_field_type(std::string_view text) {
  for (auto [type, name] : kTypes)
    if (name == text) return type;
  return std::nullopt;
}

std::string_view to_string(FieldType type) {
  for (auto [t, name] : kTypes)
    if (t == type) return name;
  return "text";
}

bool valid_key(std::string_view key) {
  return !key.empty() && key.size() <= 64 &&
         std::all_of(key.begin(), key.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

Result<Form> Form::make(std::vector<FormField> fields) {
  Error e(Code::invalid_argument, "The form is invalid.");
  auto problem = [&](std::size_t i, std::string_view part, std::string text) {
    e.details.push_back({fmt::format("form.fields[{}]{}{}", i, part.empty() ? "" : ".", part), std::move(text)});
  };
  if (fields.size() > kMaxFormFields) e.details.push_back({"form.fields", fmt::format("must be at most {} fields", kMaxFormFields)});
  std::set<std::string_view> keys;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const auto& f = fields[i];
    if (!valid_key(f.key)) problem(i, "key", "must be 1–64 characters of a-z, 0-9 and _");
    else if (!keys.insert(f.key).second) problem(i, "key", "\"" + f.key + "\" is the key of an earlier field");
    if (f.label.empty()) problem(i, "label", "is required");
    if (has_options(f.type)) {
      if (f.options.empty()) problem(i, "options", "a choice needs at least one option");
      if (f.options.size() > kMaxFieldOptions) problem(i, "options", fmt::format("must be at most {} options", kMaxFieldOptions));
      std::set<std::string_view> values;
      for (std::size_t o = 0; o < f.options.size(); ++o) {
        const auto& value = f.options[o].value;
        if (value.empty() || value.size() > 200) problem(i, fmt::format("options[{}].value", o), "must be 1–200 bytes");
        else if (!values.insert(value).second) problem(i, fmt::format("options[{}].value", o), "\"" + value + "\" is offered twice");
        if (f.options[o].price < Money()) problem(i, fmt::format("options[{}].price", o), "must not be negative");
      }
    } else if (!f.options.empty()) {
      problem(i, "options", "only choice and multi_choice fields have options");
    }
    if ((f.min || f.max) && f.type != FieldType::number) problem(i, "min", "only number fields have min and max");
    if (f.min && f.max && *f.min > *f.max) problem(i, "max", "must not be below min");
    if (f.max_length && f.type != FieldType::text && f.type != FieldType::long_text)
      problem(i, "max_length", "only text and long_text fields have a max_length");
    if (f.max_files && f.type != FieldType::file) problem(i, "max_files", "only file fields have max_files");
    if (f.max_files > kMaxFilesPerField) problem(i, "max_files", fmt::format("must be at most {}", kMaxFilesPerField));
    if (f.type == FieldType::text && f.max_length > kTextAnswerLimit)
      problem(i, "max_length", fmt::format("must be at most {} for a text field", kTextAnswerLimit));
    if (f.type == FieldType::long_text && f.max_length > kLongTextAnswerLimit)
      problem(i, "max_length", fmt::format("must be at most {} for a long_text field", kLongTextAnswerLimit));
    if (f.show_when) {
      auto earlier = std::find_if(fields.begin(), fields.begin() + std::ptrdiff_t(i),
                                  [&](const FormField& g) { return g.key == f.show_when->field; });
      if (earlier == fields.begin() + std::ptrdiff_t(i) || !has_options(earlier->type))
        problem(i, "show_when.field", "must be the key of an earlier choice or multi_choice field");
      else if (f.show_when->equals.empty())
        problem(i, "show_when.equals", "must list at least one option of \"" + earlier->key + "\"");
      else
        for (const auto& v : f.show_when->equals)
          if (!offers(*earlier, v)) problem(i, "show_when.equals", "\"" + v + "\" is not an option of \"" + earlier->key + "\"");
    }
  }
  if (!e.details.empty()) return std::unexpected(std::move(e));
  return Form(std::move(fields));
}

const FormField* Form::field(std::string_view key) const {
  auto it = std::find_if(fields_.begin(), fields_.end(), [&](const FormField& f) { return f.key == key; });
  return it == fields_.end() ? nullptr : &*it;
}

bool Form::shown(const FormField& f, const Answers& kept) const {
  if (!f.show_when) return true;
  auto it = kept.find(f.show_when->field);  // earlier fields are decided first, so hidden ones are absent
  if (it == kept.end()) return false;
  const auto& equals = f.show_when->equals;
  auto listed = [&](const std::string& v) { return std::find(equals.begin(), equals.end(), v) != equals.end(); };
  if (it->second.kind == Answer::Kind::list) return std::any_of(it->second.list.begin(), it->second.list.end(), listed);
  return listed(it->second.text);
}

Result<Answers> Form::check(const Answers& given, std::string_view language) const {
  bool chinese = language == "zh-CN";
  Error e(Code::invalid_argument, chinese ? "部分回答无效。" : "Some answers are invalid.");
  Answers kept;
  for (const auto& f : fields_) {
    if (!shown(f, kept)) continue;
    auto it = given.find(f.key);
    std::string problem;
    if (it == given.end() || !answered(it->second)) {
      if (f.required) problem = said(Says::required, chinese);
    } else if (auto answer = checked_answer(f, it->second, chinese, problem)) {
      kept.emplace(f.key, std::move(*answer));
    }
    if (!problem.empty()) e.details.push_back({"answers." + f.key, f.message.empty() ? problem : std::string(f.message.in(language))});
  }
  for (const auto& [key, _] : given)
    if (!field(key)) e.details.push_back({"answers." + key, said(Says::unknown, chinese)});
  if (!e.details.empty()) return std::unexpected(std::move(e));
  return kept;
}

Money Form::price_of(const Answers& checked) const {
  Money total;
  for (const auto& f : fields_) {
    auto it = checked.find(f.key);
    if (it == checked.end() || !has_options(f.type)) continue;
    for (const auto& o : f.options)
      if (o.value == it->second.text || std::find(it->second.list.begin(), it->second.list.end(), o.value) != it->second.list.end())
        total = total + o.price;
  }
  return total;
}

}  // namespace tandem::catalog
