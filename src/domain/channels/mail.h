// REL-1: what a mail means to the desk, once it is parsed (channels/mail.h): whether a machine
// wrote it and must never be answered (RFC 3834 and the auto-responders that ignore it), which
// ticket it belongs to by our signed reference, and which part of its text is new — quoted
// replies and signatures are folded away. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tandem::channels {

// A header as received: its name (any case) and its value, unfolded and decoded.
using MailHeader = std::pair<std::string, std::string>;

// Why a mail is a machine's — an auto-reply, a bounce, a list or bulk mail — or nullopt for a
// person's. Such mail is never answered, and opens no ticket.
std::optional<std::string> automatic_reason(const std::vector<MailHeader>& headers, std::string_view from_address,
                                            std::string_view content_type);

// Whether the receiving MTA's Authentication-Results says the sender's domain failed DMARC
// (`dmarc=fail`): then the From is not to be believed.
bool fails_dmarc(std::string_view authentication_results);

// The reference of a ticket in the subject of the mail we send ("[T#42-1a2b3c4d]") and in its
// Reply-To ("support+t42-1a2b3c4d@…"): the ticket's number and the first 8 hex digits of
// HMAC-SHA256(key, ticket id). Signed, so that a guessed number threads nothing.
struct TicketReference {
  std::int64_t number = 0;
  std::string signature;  // 8 lower-case hex digits
};
std::string reference_signature(std::string_view key, std::string_view ticket_id);
std::string subject_tag(std::int64_t number, std::string_view signature);
// The first reference in a subject, or in an address's plus part; nullopt when there is none.
std::optional<TicketReference> reference_in_subject(std::string_view subject);
std::optional<TicketReference> reference_in_address(std::string_view address);

// A mail's text split into what is new and what it quotes or signs off with (folded on the
// timeline): a quoted block ("> …"), a reply header ("On … wrote:", "在 … 写道："), a forwarded
// or original message separator, an Outlook header block, a signature ("-- ").
struct FoldedText {
  std::string text;    // what the sender wrote now; the whole text when nothing is folded
  std::string folded;  // the rest, as it was
};
FoldedText fold_quoted(std::string_view text);

// The subject without reply and forward prefixes (Re:, Fwd:, AW:, 回复：, 转发：), for a new
// ticket's subject.
std::string clean_subject(std::string_view subject);

}  // namespace tandem::channels
