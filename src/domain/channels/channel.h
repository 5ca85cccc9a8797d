// REL-1, REL-3, DESK-10: the ways messages reach the desk besides the portal. A channel is
// configured by an administrator and authenticates what it delivers: a signed hook (generic
// messaging and telephony), a bearer secret (Alertmanager), or the MTA (e-mail). Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "domain/tickets/ticket.h"

namespace tandem::channels {

enum class Kind { email, imap, telephony, messaging, alertmanager };
// How a hook's body is shaped: `generic` is Tandem's own JSON (or, for Alertmanager, its v4
// webhook); the others are a provider's own format.
enum class Format { generic, telegram, twilio };

std::string_view to_string(Kind v);
std::string_view to_string(Format v);
std::optional<Kind> parse_kind(std::string_view text);
std::optional<Format> parse_format(std::string_view text);
std::span<const Kind> all_kinds();

// Whether `format` is one `kind` can speak: Telegram is messaging, Twilio is telephony.
bool speaks(Kind kind, Format format);
// The ticket channel its messages carry.
tickets::Channel ticket_channel(Kind kind);
// Whether it delivers through POST /api/v1/hooks/{id} (e-mail comes through the MTA or IMAP).
bool has_hook(Kind kind);
// Whether `url` names a mailbox as an imap channel's address must: imap:// or imaps://, a user,
// a host and a mailbox ("imaps://support%40desk.example@imap.example.com/INBOX"), nothing else
// (no query, fragment, blanks or control characters).
bool is_mailbox_url(std::string_view url);

// Who a message is from, as one of a user's identities: an e-mail address, a phone number in
// E.164, or a handle (a chat name such as "@wang_fang", taken as it is).
struct Sender {
  std::string kind;        // email, phone, handle
  std::string normalized;  // as identities are compared
};
std::optional<Sender> sender_of(std::string_view from);

// The signature of a hook: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`
// (several v1 while a secret is rotated).
enum class Verdict { valid, missing, malformed, stale, mismatch };
inline constexpr std::int64_t kHookTolerance = 300;  // seconds either way
Verdict check_signature(std::string_view secret, std::string_view header, std::string_view body, std::int64_t now_seconds);
// The header a sender writes: what tests and the documentation's example use.
std::string signature_header(std::string_view secret, std::string_view body, std::int64_t at_seconds);
std::string_view explain(Verdict v);

// The subject a message without one gets: its first line, at most 80 characters, whole
// characters only.
std::string subject_from_text(std::string_view text);

}  // namespace tandem::channels
