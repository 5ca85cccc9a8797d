#include "http/html_page.h"

namespace tandem::http {
namespace {

constexpr std::string_view kStyle =
    "body{font-family:system-ui,-apple-system,'PingFang SC','Microsoft YaHei',sans-serif;margin:0;color:#1b1f24;background:#f6f7f9}"
    "main{max-width:44rem;margin:0 auto;padding:1.5rem 1rem}"
    "h1{font-size:1.6rem;margin:.2rem 0 .6rem}h2{font-size:1.2rem;margin-top:2rem}"
    ".state{padding:.8rem 1rem;border-radius:.4rem;font-weight:600;color:#fff}"
    ".operational{background:#1f7a3a}.maintenance{background:#8a5a00}.major_outage{background:#b3261e}"
    "ol,ul{padding-left:1.2rem}li{margin:.6rem 0}time{color:#4a525c}"
    ".entry{background:#fff;border:1px solid #d6d9de;border-radius:.4rem;padding:.6rem .9rem;margin:.6rem 0}"
    "fieldset{border:1px solid #d6d9de;border-radius:.4rem}label{display:block;margin:.3rem 0}"
    "textarea{width:100%;min-height:6rem;font:inherit}button{font:inherit;padding:.5rem 1.2rem;background:#1d4ed8;color:#fff;"
    "border:0;border-radius:.3rem;cursor:pointer}.error{color:#b3261e;font-weight:600}"
    "a{color:#1d4ed8}footer{margin-top:2rem;color:#4a525c;font-size:.9rem}";

}  // namespace

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    std::string_view entity;
    switch (c) {
      case '&': entity = "&amp;"; break;
      case '<': entity = "&lt;"; break;
      case '>': entity = "&gt;"; break;
      case '"': entity = "&quot;"; break;
      case '\'': entity = "&#39;"; break;
      case '\t': case '\n': case '\r': out.push_back(c); continue;
      default:
        // Other C0 controls are not allowed in XML 1.0 at all (a feed with one is dropped whole).
        if (static_cast<unsigned char>(c) >= 0x20) out.push_back(c);
        continue;
    }
    out.append(entity.data(), entity.size());
  }
  return out;
}

Response html_page(int status, std::string_view lang, std::string_view title, std::string_view body, std::string_view head) {
  Response r;
  r.status = status;
  r.content_type = "text/html; charset=utf-8";
  r.body.reserve(body.size() + 2048);
  r.body += "<!doctype html>\n<html lang=\"";
  r.body += lang;
  r.body += "\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>";
  r.body += escape_html(title);
  r.body += "</title><style>";
  r.body += kStyle;
  r.body += "</style>";
  r.body += head;
  r.body += "</head><body><main>";
  r.body += body;
  r.body += "</main></body></html>\n";
  // Nothing here may be framed by another site (a rating form clicked through a frame).
  r.set_header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'");
  r.set_header("X-Content-Type-Options", "nosniff");
  return r;
}

}  // namespace tandem::http
