// REL-3: chat with the knowledge bot, and the agents it hands over to. A user's chat opens with
// their first message; the bot answers from published knowledge they may read (quoting the
// article), resolves the chat when the answer helped, opens a ticket with the transcript when
// asked, and hands over — when unsure, when asked for a person, after two answers that did not
// help — to the online agent with the fewest chats, or, with none online, to a ticket with the
// transcript and the time of the promised reply. Every message is kept; what each party must be
// told is returned for the live connections (ChatHub) to deliver once the change is written.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "domain/chat/bot.h"
#include "storage/chats.h"
#include "usecase/context.h"

namespace tandem::usecase {

// Who is connected to chat on this node (thread-safe): users' chat windows, and agents' consoles.
// An agent is available while one of their consoles is open. Sinks run on the caller's thread
// and must only hand the text over.
// (One node's; several nodes share them through the store's change feed — issue 13.)
class ChatHub {
 public:
  using Sink = std::function<void(const std::string& json)>;
  std::uint64_t join(const std::string& user_id, bool agent, Sink sink);
  // True when it was the last console of an agent, who is no longer available.
  bool leave(std::uint64_t id);
  // To every window of `user_id`'s of one kind: their chat windows, or their agent's consoles.
  void send(const std::string& user_id, bool to_agent, const std::string& json) const;
  std::vector<std::string> agents_online() const;

 private:
  struct Member {
    std::string user_id;
    bool agent = false;
    Sink sink;
  };
  mutable std::mutex mutex_;
  std::map<std::uint64_t, Member> members_;
  std::uint64_t next_ = 1;
};

struct ChatMessageView {
  storage::ChatMessage message;
  std::string author_name;  // the user's or agent's name; "Tandem" for the bot
  std::optional<std::string> article_title;
};
struct ChatView {
  storage::Chat chat;
  std::string user_name;
  std::optional<std::string> agent_name;
  std::optional<std::string> ticket_subject;
  std::vector<ChatMessageView> messages;  // the transcript, when asked for
};

// What one party is told: a message of a chat, or the chat itself (its state, and with
// `with_messages` the whole transcript: an agent taking a chat over, a user resuming one).
struct ChatDelivery {
  std::string to;         // user id
  bool to_agent = false;  // their agent's consoles, not their own chat windows
  ChatView chat;
  std::optional<ChatMessageView> message;
  bool with_messages = false;
};
using ChatDeliveries = std::vector<ChatDelivery>;

// What a user may do: say something, or press one of the bot's offers.
enum class ChatAction { say, helped, not_helped, person, ticket, end };
std::optional<ChatAction> chat_action_named(std::string_view name);

// The longest message a chat takes.
inline constexpr std::size_t kChatMessageLimit = 4000;
// A chat nobody wrote in for this long ends (abandoned while the bot had it).
inline constexpr std::chrono::minutes kChatIdle{30};

// Whether `actor` may open a chat window (chat.use) or an agent's console (chat.answer).
Result<void> may_chat(const identity::Actor& actor, bool as_agent);

// The user's chat that has not ended, with its transcript; nullopt when there is none.
Result<std::optional<ChatView>> open_chat(const Services& s, const identity::Actor& actor);
// An agent's chats in progress, each with its transcript (a console that opens or reconnects).
Result<std::vector<ChatView>> agent_chats(const Services& s, const identity::Actor& agent);

// The user's turn. `text` with say (and optional with the others, when typed); the chat opens
// with the first message.
Result<ChatDeliveries> chat_turn(const Services& s, const ChatHub& hub, const identity::Actor& actor, ChatAction action,
                                 const std::string& text);
// An agent's message to, or end of, a chat they hold.
Result<ChatDeliveries> agent_say(const Services& s, const identity::Actor& agent, std::string_view chat_id, const std::string& text);
Result<ChatDeliveries> agent_end(const Services& s, const identity::Actor& agent, std::string_view chat_id);
// The agent's last console closed: each chat they held goes to another online agent, or to a
// ticket with its transcript.
Result<ChatDeliveries> agent_left(const Services& s, const ChatHub& hub, const std::string& agent_id);
// Chats quiet for kChatIdle end; the ones the bot had are abandoned. How many ended, and what
// their parties are told.
struct IdleChats {
  int ended = 0;
  ChatDeliveries deliveries;
};
Result<IdleChats> end_idle_chats(const Services& s);

// Reading chats afterwards: staff with chat.answer every chat, anyone else their own.
Result<storage::Page<storage::Chat>> list_chats(const Services& s, const identity::Actor& actor, const storage::ChatFilter& filter,
                                                const storage::PageRequest& page);
Result<ChatView> get_chat(const Services& s, const identity::Actor& actor, std::string_view id);

// REL-3: how the bot did with the chats started in [from, to).
struct ChatReport {
  storage::ChatCounts counts;
  double resolution_rate = 0;  // resolved_by_bot / chats
  double handoff_rate = 0;     // handed_off / chats
};
Result<ChatReport> chat_report(const Services& s, const identity::Actor& actor, std::int64_t from, std::int64_t to);

}  // namespace tandem::usecase
