// REL-1: a mail, once read (channels/mail.h), filed on the desk. It is taken once per
// Message-ID; it threads by our signed reference (subject or Reply-To address), then by any
// Message-ID of a ticket's messages it answers, else it opens a ticket. A machine's mail (RFC
// 3834, bounces, lists) is never answered and opens nothing; one that threads is recorded on the
// ticket without changing it. Mail from someone who is not one of the ticket's people is recorded
// for the agents, flagged, and changes nothing.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/channels/mail.h"
#include "usecase/channels.h"

namespace tandem::usecase {

struct MailFile {
  std::string name, content_type;
  std::string bytes;
};

struct IncomingMail {
  std::string message_id;  // without <>; the reader makes one from the content when it has none
  std::vector<std::string> in_reply_to, references;
  std::string from_address, from_name;
  std::vector<std::string> recipients;  // To, Cc and Reply-To addresses: a reference may be in one
  std::string subject;
  std::vector<channels::MailHeader> headers;
  std::string content_type;  // the top level's
  std::string text;          // the text a person reads: the plain part, else the HTML's text
  std::string authentication_results;
  std::vector<MailFile> attachments;
};

// Which channel a mail comes in on: `channel_id`, an active e-mail channel; or the first active
// one, made ("E-mail") on first use.
Result<storage::Channel> mail_channel(const Services& s, const std::optional<std::string>& channel_id);

// A random key kept in the settings under `setting_name`, made on first use (by whichever node
// comes first; the others read it).
Result<std::string> stored_secret(const Services& s, std::string_view setting_name);
// The key that signs ticket references in mail.
Result<std::string> mail_reference_key(const Services& s);

// `attachment_limit`: the largest file kept, in bytes; larger ones are named on the timeline.
Result<Filed> file_mail(const Services& s, const storage::Channel& channel, const IncomingMail& mail, std::size_t attachment_limit);

}  // namespace tandem::usecase
