// REL-1, REL-3, DESK-10: channels besides the portal, and what they file. Administrators
// configure channels (their secrets shown once); a channel's hook files each message once —
// onto the sender's open ticket from that channel or a new one — and each alert group as one
// incident; every delivery, refused or not, is in the channel's delivery log.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/channels/alerts.h"
#include "domain/channels/channel.h"
#include "storage/channels.h"
#include "usecase/context.h"

namespace tandem::usecase {

struct NewChannel {
  std::string kind, name;
  std::optional<std::string> address, format, organization_id;
  // Twilio's: the account's auth token, which signs its requests (Tandem makes every other secret).
  std::optional<std::string> secret;
};
struct ChannelWithSecret {
  storage::Channel channel;
  std::string secret;  // shown once
};
Result<ChannelWithSecret> create_channel(const Services& s, const identity::Actor& actor, const NewChannel& in);
Result<storage::Page<storage::Channel>> list_channels(const Services& s, const identity::Actor& actor, const storage::PageRequest& page);
Result<storage::Channel> get_channel(const Services& s, const identity::Actor& actor, std::string_view id);

struct ChannelPatch {
  std::optional<std::string> name;
  std::optional<std::optional<std::string>> address, organization_id;  // null clears
  std::optional<bool> active;
};
Result<storage::Channel> update_channel(const Services& s, const identity::Actor& actor, std::string_view id,
                                        std::int64_t expected_version, const ChannelPatch& patch);
// A new secret, shown once; the old one stops working at once.
Result<ChannelWithSecret> rotate_channel_secret(const Services& s, const identity::Actor& actor, std::string_view id);
Result<storage::Page<storage::ChannelDelivery>> channel_deliveries(const Services& s, const identity::Actor& actor, std::string_view id,
                                                                   const storage::PageRequest& page);

// ---- what a hook delivers (channels/hooks.h authenticates and reads it) ---------------------

// An active channel with a hook, for its hook: not_found otherwise, whoever asks.
Result<storage::Channel> hook_channel(const Services& s, std::string_view id);

// How a delivery ended, for the hook's answer and the delivery log.
struct Filed {
  std::string outcome;  // filed, duplicate, ignored, unmatched
  std::optional<std::string> ticket_id, event_id;
  bool created = false;  // a new ticket
  std::string reason;
};

struct InboundMessage {
  std::string message_id;  // unique per channel; a repeat is the same message
  channels::Sender sender;
  std::string from;  // as sent
  std::string name;
  std::string text;
  std::optional<std::string> ticket_id;
  struct File {
    std::string name;   // as sent; made safe when stored
    std::string bytes;
  };
  std::vector<File> files;  // added to the ticket after the message, each on its own
  std::string payload;  // the body as received: kept in the delivery log when nobody can take it
};
// Files a message from a person: onto `ticket_id` when the sender may write there, else onto the
// sender's newest open ticket this channel filed for them, else onto a new ticket. A sender no
// identity names is added to the channel's organisation for unknown senders; without one, the
// message waits in the delivery log (outcome unmatched).
Result<Filed> file_message(const Services& s, const storage::Channel& channel, const InboundMessage& in);

// REL-1: a finished call a telephony system reports (Twilio's status callback): logged on the
// caller's newest open ticket from the channel, else on a new ticket raised for them; once per
// call. Unknown numbers as for messages.
struct InboundCall {
  std::string call_id;    // unique per channel
  std::string direction;  // inbound or outbound
  std::string number;     // the other party, E.164
  channels::Sender sender;
  std::string status;     // completed, busy, no-answer, failed, canceled
  std::int64_t duration_seconds = 0;
  std::string payload;
};
Result<Filed> file_call(const Services& s, const storage::Channel& channel, const InboundCall& call);

// Files an alert group (DESK-10): firing opens an incident for the group, or adds to the one
// open; resolved resolves it; resolved with none open is ignored.
Result<Filed> file_alert_group(const Services& s, const storage::Channel& channel, const channels::AlertGroup& group);

// A delivery the hook refused (authentication, a body it cannot read), in the log.
Result<void> log_refused_delivery(const Services& s, const storage::Channel& channel, int status, std::string outcome, std::string reason);

// ---- shared by the channels' use cases (usecase/mail.cpp) -----------------------------------

// An entry of the channel's delivery log, made now; and one written in its own transaction.
storage::ChannelDelivery new_delivery(const Services& s, const storage::Channel& channel, std::string outcome, int status, std::string reason);
Result<void> log_delivery(const Services& s, const storage::ChannelDelivery& d);

// The user a sender is: the owner of the sender's identity; else, when `may_add` and the channel
// adds unknown senders, someone new in its organisation (an address no mail reaches when they
// are known by a number or a handle); else nobody.
Result<std::optional<std::string>> sender_account(const Services& s, const storage::Channel& channel, const channels::Sender& sender,
                                                  const std::string& from, const std::string& name, bool may_add = true);

}  // namespace tandem::usecase
