#include "domain/channels/channel.h"

#include <array>
#include <charconv>

#include "core/crypto.h"
#include "domain/identity/identity.h"

namespace tandem::channels {
namespace {

constexpr std::array kKinds{Kind::email, Kind::imap, Kind::telephony, Kind::messaging, Kind::alertmanager};
constexpr std::array kFormats{Format::generic, Format::telegram, Format::twilio};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool is_hex(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789abcdefABCDEF") == std::string_view::npos;
}

}  // namespace

std::string_view to_string(Kind v) {
  switch (v) {
    case Kind::email: return "email";
    case Kind::imap: return "imap";
    case Kind::telephony: return "telephony";
    case Kind::messaging: return "messaging";
    case Kind::alertmanager: return "alertmanager";
  }
  return "email";
}

std::string_view to_string(Format v) {
  switch (v) {
    case Format::generic: return "generic";
    case Format::telegram: return "telegram";
    case Format::twilio: return "twilio";
  }
  return "generic";
}

std::optional<Kind> parse_kind(std::string_view text) {
  for (auto k : kKinds)
    if (to_string(k) == text) return k;
  return std::nullopt;
}

std::optional<Format> parse_format(std::string_view text) {
  for (auto f : kFormats)
    if (to_string(f) == text) return f;
  return std::nullopt;
}

std::span<const Kind> all_kinds() { return kKinds; }

bool speaks(Kind kind, Format format) {
  switch (format) {
    case Format::generic: return true;
    case Format::telegram: return kind == Kind::messaging;
    case Format::twilio: return kind == Kind::telephony;
  }
  return false;
}

tickets::Channel ticket_channel(Kind kind) {
  switch (kind) {
    case Kind::email:
    case Kind::imap: return tickets::Channel::email;
    case Kind::telephony: return tickets::Channel::phone;
    case Kind::messaging: return tickets::Channel::messaging;
    case Kind::alertmanager: return tickets::Channel::monitoring;
  }
  return tickets::Channel::api;
}

bool has_hook(Kind kind) { return kind != Kind::email && kind != Kind::imap; }

bool is_mailbox_url(std::string_view url) {
  std::string_view rest;
  if (url.starts_with("imaps://")) rest = url.substr(8);
  else if (url.starts_with("imap://")) rest = url.substr(7);
  else return false;
  for (char ch : url)
    if (static_cast<unsigned char>(ch) <= 0x20 || static_cast<unsigned char>(ch) >= 0x7f || ch == '?' || ch == '#' || ch == ';')
      return false;
  // Nor written as %XX: the mailbox's name goes into IMAP commands, where a line break would end
  // one and begin another.
  for (std::size_t i = 0; i + 2 < url.size(); ++i) {
    if (url[i] != '%') continue;
    auto hex = [](char c) { return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1; };
    int hi = hex(url[i + 1]), lo = hex(url[i + 2]);
    if (hi < 0 || lo < 0) return false;
    int byte = hi * 16 + lo;
    if (byte < 0x20 || byte >= 0x7f) return false;
  }
  auto slash = rest.find('/');
  if (slash == std::string_view::npos || slash + 1 == rest.size()) return false;  // a mailbox is named
  auto authority = rest.substr(0, slash);
  auto at = authority.rfind('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == authority.size()) return false;  // a user and a host
  return authority.substr(0, at).find(':') == std::string_view::npos;  // the password is the channel's secret, not the URL's
}

std::optional<Sender> sender_of(std::string_view from) {
  from = trim(from);
  if (from.empty() || from.size() > 320) return std::nullopt;
  if (from.front() != '@' && from.find('@') != std::string_view::npos) {  // "@name" is a chat handle
    if (auto email = identity::normalize_email(from)) return Sender{"email", *email};
    return std::nullopt;
  }
  if (from.front() == '+') {
    // E.164: a plus, then 8 to 15 digits (spaces and dashes as people write them).
    std::size_t digits = 0;
    for (char ch : from.substr(1)) {
      if (ch >= '0' && ch <= '9') ++digits;
      else if (ch != ' ' && ch != '-') return std::nullopt;
    }
    if (digits < 8 || digits > 15) return std::nullopt;
    if (auto phone = identity::normalize_phone(from)) return Sender{"phone", *phone};
    return std::nullopt;
  }
  if (from.size() > 200) return std::nullopt;
  for (unsigned char ch : from)  // a handle is one word
    if (ch <= 0x20 || ch == 0x7f) return std::nullopt;
  return Sender{"handle", std::string(from)};
}

Verdict check_signature(std::string_view secret, std::string_view header, std::string_view body, std::int64_t now_seconds) {
  header = trim(header);
  if (header.empty()) return Verdict::missing;
  std::optional<std::int64_t> at;
  std::vector<std::string_view> signatures;
  while (!header.empty()) {
    auto comma = header.find(',');
    auto part = trim(header.substr(0, comma));
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    auto eq = part.find('=');
    if (eq == std::string_view::npos) return Verdict::malformed;
    auto key = part.substr(0, eq), value = part.substr(eq + 1);
    if (key == "t") {
      std::int64_t t = 0;
      auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), t);
      if (ec != std::errc() || p != value.data() + value.size() || at) return Verdict::malformed;
      at = t;
    } else if (key == "v1") {
      if (!is_hex(value)) return Verdict::malformed;
      signatures.push_back(value);
    }  // other schemes are a sender's business: ignored
  }
  if (!at || signatures.empty()) return Verdict::malformed;
  if (*at < now_seconds - kHookTolerance || *at > now_seconds + kHookTolerance) return Verdict::stale;
  auto expected = hmac_sha256_hex(secret, std::to_string(*at) + "." + std::string(body));
  bool match = false;
  for (auto s : signatures) {
    std::string lower(s);
    for (auto& ch : lower) ch = char(std::tolower(static_cast<unsigned char>(ch)));
    match = constant_time_equal(lower, expected) || match;
  }
  return match ? Verdict::valid : Verdict::mismatch;
}

std::string signature_header(std::string_view secret, std::string_view body, std::int64_t at_seconds) {
  auto t = std::to_string(at_seconds);
  return "t=" + t + ",v1=" + hmac_sha256_hex(secret, t + "." + std::string(body));
}

std::string_view explain(Verdict v) {
  switch (v) {
    case Verdict::valid: return "signed";
    case Verdict::missing: return "no X-Tandem-Signature header";
    case Verdict::malformed: return "the X-Tandem-Signature header is not t=<unix seconds>,v1=<hex>";
    case Verdict::stale: return "the signature's time is more than five minutes away from the server's";
    case Verdict::mismatch: return "the signature does not match the body under the channel's secret";
  }
  return "refused";
}

std::string subject_from_text(std::string_view text) {
  text = trim(text);
  while (!text.empty() && (text.front() == '\n' || text.front() == '\r')) text.remove_prefix(1);
  auto line = text.substr(0, text.find_first_of("\r\n"));
  std::string out;
  std::size_t characters = 0;
  for (std::size_t i = 0; i < line.size();) {
    auto lead = static_cast<unsigned char>(line[i]);
    std::size_t n = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 1;
    if (i + n > line.size()) break;
    if (characters == 80) {
      out += "…";
      break;
    }
    out.append(line.substr(i, n));
    i += n;
    ++characters;
  }
  out = std::string(trim(out));
  return out.empty() ? std::string("(no subject)") : out;
}

}  // namespace tandem::channels
