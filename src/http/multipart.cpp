#include "http/multipart.h"

#include <algorithm>
#include <cctype>

namespace tandem::http {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The parameters of a header value such as `form-data; name="file"; filename="a b.png"`.
std::vector<std::pair<std::string, std::string>> parameters(std::string_view value) {
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t i = value.find(';');
  while (i != std::string_view::npos && i < value.size()) {
    ++i;
    while (i < value.size() && (value[i] == ' ' || value[i] == '\t')) ++i;
    auto eq = value.find('=', i);
    if (eq == std::string_view::npos) break;
    auto key = lower(trim(value.substr(i, eq - i)));
    i = eq + 1;
    std::string v;
    if (i < value.size() && value[i] == '"') {
      for (++i; i < value.size() && value[i] != '"'; ++i) {
        if (value[i] == '\\' && i + 1 < value.size()) ++i;
        v += value[i];
      }
      i = value.find(';', i);
    } else {
      auto end = value.find(';', i);
      v = std::string(trim(value.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i)));
      i = end;
    }
    out.emplace_back(std::move(key), std::move(v));
  }
  return out;
}

Error malformed(std::string what) { return Error(Code::malformed, "The multipart body is malformed: " + what + "."); }

}  // namespace

Result<std::string> multipart_boundary(std::string_view content_type) {
  auto semicolon = content_type.find(';');
  if (lower(trim(content_type.substr(0, semicolon))) != "multipart/form-data")
    return fail(Code::unsupported_media, "Send the file as multipart/form-data with a field named file.");
  for (auto& [k, v] : parameters(content_type))
    if (k == "boundary" && !v.empty() && v.size() <= 70) return v;
  return fail(malformed("no boundary"));
}

Result<std::vector<FormPart>> parse_multipart(std::string_view body, std::string_view boundary) {
  std::string delimiter = "--" + std::string(boundary);
  std::vector<FormPart> parts;
  // The first delimiter may start the body or follow a preamble after CRLF.
  std::size_t pos = body.starts_with(delimiter) ? 0 : body.find("\r\n" + delimiter);
  if (pos == std::string_view::npos) return fail(malformed("no opening boundary"));
  if (pos != 0) pos += 2;
  while (true) {
    pos += delimiter.size();
    if (body.substr(pos, 2) == "--") return parts;  // the closing delimiter
    if (body.substr(pos, 2) != "\r\n") return fail(malformed("a boundary line does not end"));
    pos += 2;
    auto headers_end = body.find("\r\n\r\n", pos);
    if (headers_end == std::string_view::npos) return fail(malformed("a part's headers do not end"));
    FormPart part;
    bool disposition = false;
    auto headers = body.substr(pos, headers_end - pos);
    std::size_t line_start = 0;
    while (line_start <= headers.size()) {
      auto line_end = headers.find("\r\n", line_start);
      auto line = headers.substr(line_start, line_end == std::string_view::npos ? std::string_view::npos : line_end - line_start);
      auto colon = line.find(':');
      if (colon != std::string_view::npos) {
        auto name = lower(trim(line.substr(0, colon)));
        auto value = trim(line.substr(colon + 1));
        if (name == "content-disposition") {
          if (lower(value.substr(0, value.find(';'))) != "form-data") return fail(malformed("a part is not form-data"));
          disposition = true;
          for (auto& [k, v] : parameters(value)) {
            if (k == "name") part.name = v;
            else if (k == "filename") part.filename = v;
          }
        } else if (name == "content-type") {
          part.content_type = std::string(value);
        }
      }
      if (line_end == std::string_view::npos) break;
      line_start = line_end + 2;
    }
    if (!disposition) return fail(malformed("a part has no Content-Disposition"));
    auto data_start = headers_end + 4;
    auto next = body.find("\r\n" + delimiter, data_start);
    if (next == std::string_view::npos) return fail(malformed("a part does not end with a boundary"));
    part.data = body.substr(data_start, next - data_start);
    parts.push_back(std::move(part));
    if (parts.size() > 100) return fail(malformed("more than 100 parts"));
    pos = next + 2;
  }
}

}  // namespace tandem::http
