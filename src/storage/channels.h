// REL-1, REL-3, DESK-10: channels, what their hooks were sent (the delivery log), the messages
// they filed (once each) and the conversations they keep on one ticket (an alert group's
// incident). Channels are the provider's configuration: no organisation scope applies; the use
// cases let administrators alone read them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/channels/channel.h"
#include "storage/database.h"
#include "storage/scope.h"

namespace tandem::storage {

struct Channel {
  std::string id;
  channels::Kind kind = channels::Kind::messaging;
  std::string name;
  std::optional<std::string> address;
  channels::Format format = channels::Format::generic;
  std::string secret;
  std::optional<std::string> organization_id;  // where unknown senders are added
  std::optional<std::string> requester_id;     // who raises what it files without a sender
  bool active = true;
  std::int64_t version = 1;
  std::int64_t created_at = 0, updated_at = 0;
};
std::string canonical(const Channel& c);  // for the audit log: never the secret

struct ChannelDelivery {
  std::string id, channel_id;
  std::string outcome;  // filed, duplicate, refused, invalid, ignored, unmatched
  int status = 0;       // what the hook answered
  std::string reason;
  std::optional<std::string> message_id, ticket_id;
  std::optional<std::string> payload;  // kept when the message waits for someone (unmatched)
  std::int64_t created_at = 0;
};

struct ChannelMessage {
  std::string channel_id, message_id, ticket_id;
  std::optional<std::string> event_id, user_id;
  std::int64_t created_at = 0;
};

namespace channel_store {
Result<void> insert(Connection& c, const Channel& ch);
Result<void> update(Connection& c, const Channel& ch);
Result<std::optional<Channel>> find(Connection& c, std::string_view id, Lock lock = Lock::none);
Result<Page<Channel>> list(Connection& c, const PageRequest& page);
// The first channel of `kind`, active or not, oldest first (mailgate's default e-mail channel).
Result<std::optional<Channel>> first_of_kind(Connection& c, channels::Kind kind);
}  // namespace channel_store

namespace channel_deliveries {
Result<void> insert(Connection& c, const ChannelDelivery& d);
// Newest first.
Result<Page<ChannelDelivery>> list(Connection& c, std::string_view channel_id, const PageRequest& page);
}  // namespace channel_deliveries

namespace channel_messages {
// False when the channel filed this message id before (nothing is written).
Result<bool> insert(Connection& c, const ChannelMessage& m);
Result<std::optional<ChannelMessage>> find(Connection& c, std::string_view channel_id, std::string_view message_id);
// The ticket a mail's Message-ID names, whichever e-mail channel filed it (mail threads by any
// Message-ID of a ticket's messages).
Result<std::optional<std::string>> ticket_of_message(Connection& c, std::string_view message_id);
// How many messages the channel filed from the user since `since` (ms): a loop's pace.
Result<std::int64_t> count_since(Connection& c, std::string_view channel_id, std::string_view user_id, std::int64_t since);
// REL-1: a merged person's messages are the survivor's, so their next one joins the same tickets.
Result<void> move_sender(Connection& c, std::string_view from_user, std::string_view to_user);
// The sender's newest ticket this channel filed a message on, among `ticket_ids`' open ones
// (the use case decides which are open): newest message first.
Result<std::vector<std::string>> tickets_of_sender(Connection& c, std::string_view channel_id, std::string_view user_id, int limit);
}  // namespace channel_messages

namespace channel_threads {
Result<std::optional<std::string>> ticket_of(Connection& c, std::string_view channel_id, std::string_view key);
// The conversation begun, when the channel has none by that key yet (false: it has one — the
// caller looks at its ticket, locked, and takes it over with `put` or leaves it).
Result<bool> begin(Connection& c, std::string_view channel_id, std::string_view key, std::string_view ticket_id, std::string_view service,
                   std::int64_t at);
Result<void> put(Connection& c, std::string_view channel_id, std::string_view key, std::string_view ticket_id, std::string_view service,
                 std::int64_t at);
// The tickets of the channel's conversations about `service` that began since `since` (ms),
// oldest first.
Result<std::vector<std::string>> tickets_of_service(Connection& c, std::string_view channel_id, std::string_view service, std::int64_t since);
}  // namespace channel_threads

}  // namespace tandem::storage
