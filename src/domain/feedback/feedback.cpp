#include "domain/feedback/feedback.h"

#include <algorithm>
#include <charconv>
#include <vector>

#include "core/crypto.h"

namespace tandem::feedback {
namespace {

// A link's signature: the HMAC's first 128 bits in hex, enough against forgery, short in a mail.
constexpr std::size_t kSignatureHex = 32;

std::string claims_text(const RatingLink& link) {
  return link.ticket_id + "." + link.user_id + "." + std::to_string(link.expires_at) + "." + link.nonce;
}

bool url_safe_part(std::string_view part) {
  return !part.empty() && std::ranges::all_of(part, [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

}  // namespace

Nps nps(std::span<const int> answers) {
  Nps n;
  for (int a : answers) {
    if (a < 0 || a > 10) continue;
    ++n.responses;
    if (a >= 9) ++n.promoters;
    else if (a >= 7) ++n.passives;
    else ++n.detractors;
  }
  if (n.responses > 0) n.score = 100.0 * double(n.promoters - n.detractors) / double(n.responses);
  return n;
}

Nps nps(const std::array<std::int64_t, 11>& by_score) {
  Nps n;
  for (std::size_t score = 0; score < by_score.size(); ++score) {
    auto count = by_score[score];
    n.responses += count;
    if (score >= 9) n.promoters += count;
    else if (score >= 7) n.passives += count;
    else n.detractors += count;
  }
  if (n.responses > 0) n.score = 100.0 * double(n.promoters - n.detractors) / double(n.responses);
  return n;
}

TouchpointEffect touchpoint_effect(std::span<const TouchpointPair> pairs) {
  TouchpointEffect e;
  std::int64_t good_sum = 0, poor_sum = 0;
  for (const auto& p : pairs) {
    if (p.touchpoint_score < 1 || p.touchpoint_score > 5 || p.resolution_score < 1 || p.resolution_score > 5 || p.count <= 0) continue;
    e.pairs += p.count;
    if (p.touchpoint_score >= 4) e.after_good_count += p.count, good_sum += p.resolution_score * p.count;
    else if (p.touchpoint_score <= 2) e.after_poor_count += p.count, poor_sum += p.resolution_score * p.count;
  }
  if (e.after_good_count) e.after_good = double(good_sum) / double(e.after_good_count);
  if (e.after_poor_count) e.after_poor = double(poor_sum) / double(e.after_poor_count);
  if (e.after_good && e.after_poor) e.swing = *e.after_good - *e.after_poor;
  return e;
}

Csat csat(std::span<const int> ratings) {
  Csat c;
  std::int64_t sum = 0;
  for (int r : ratings) {
    if (r < 1 || r > 5) continue;
    ++c.responses;
    sum += r;
    if (r >= 4) ++c.satisfied;
  }
  if (c.responses > 0) {
    c.percent = 100.0 * double(c.satisfied) / double(c.responses);
    c.mean = double(sum) / double(c.responses);
  }
  return c;
}

Csat csat(const std::array<std::int64_t, 5>& by_score) {
  Csat c;
  std::int64_t sum = 0;
  for (std::size_t i = 0; i < by_score.size(); ++i) {
    c.responses += by_score[i];
    sum += by_score[i] * std::int64_t(i + 1);
    if (i >= 3) c.satisfied += by_score[i];
  }
  if (c.responses > 0) {
    c.percent = 100.0 * double(c.satisfied) / double(c.responses);
    c.mean = double(sum) / double(c.responses);
  }
  return c;
}

std::string neutralised_cell(std::string_view text) {
  if (!text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos) return "'" + std::string(text);
  return std::string(text);
}

std::string sign_rating_link(std::string_view key, const RatingLink& link) {
  auto claims = claims_text(link);
  return claims + "." + hmac_sha256_hex(key, claims).substr(0, kSignatureHex);
}

Result<RatingLink> read_rating_link(std::string_view key, std::string_view token, std::int64_t now_ms) {
  auto malformed = [] { return fail(Code::invalid_argument, "This is not a rating link.", "link_malformed"); };
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    auto dot = token.find('.', start);
    parts.push_back(token.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (parts.size() != 5 || !std::ranges::all_of(parts, url_safe_part)) return malformed();
  if (!std::ranges::all_of(parts[2], [](char c) { return c >= '0' && c <= '9'; })) return malformed();
  RatingLink link{std::string(parts[0]), std::string(parts[1]), 0, std::string(parts[3])};
  auto [end, ec] = std::from_chars(parts[2].data(), parts[2].data() + parts[2].size(), link.expires_at);
  if (ec != std::errc() || end != parts[2].data() + parts[2].size()) return malformed();
  auto expected = hmac_sha256_hex(key, claims_text(link)).substr(0, kSignatureHex);
  if (!constant_time_equal(expected, parts[4])) return fail(Code::permission_denied, "This rating link is not one of ours.", "link_tampered");
  if (now_ms >= link.expires_at) return fail(Code::failed_precondition, "This rating link has expired: rate from the portal.", "link_expired");
  return link;
}

std::string slug_from(std::string_view name) {
  constexpr std::size_t kLimit = 60;
  std::string out;
  bool gap = false;
  for (char c : name) {
    char lower = (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
    if ((lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9')) {
      if (gap && !out.empty()) out += '-';
      if (out.size() >= kLimit) break;
      out += lower;
      gap = false;
    } else {
      gap = true;
    }
  }
  if (out.size() > kLimit) out.resize(kLimit);
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

bool valid_slug(std::string_view text) {
  if (text.empty() || text.size() > 60 || text.front() == '-' || text.back() == '-') return false;
  return std::ranges::all_of(text, [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

double availability(std::vector<Outage> outages, std::int64_t from, std::int64_t to) {
  if (to <= from) return 1.0;
  std::vector<std::pair<std::int64_t, std::int64_t>> spans;
  for (const auto& o : outages) {
    auto start = std::max(o.start, from);
    auto end = std::min(o.end.value_or(to), to);
    if (start < end) spans.emplace_back(start, end);
  }
  std::ranges::sort(spans);
  std::int64_t down = 0, reached = from;  // time already counted up to `reached`
  for (const auto& [start, end] : spans) {
    auto counted_from = std::max(start, reached);
    if (end > counted_from) down += end - counted_from;
    reached = std::max(reached, end);
  }
  return 1.0 - double(down) / double(to - from);
}

std::int64_t recovery_hours(std::string_view signal) {
  if (signal == "complaint") return 4;
  if (signal == "rating_low" || signal == "sla_breach" || signal == "negative_sentiment") return 8;
  if (signal == "repeat_contact") return 48;
  return 24;  // reopen, override, and any kind added later
}

}  // namespace tandem::feedback
