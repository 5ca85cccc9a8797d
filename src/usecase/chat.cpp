#include "usecase/chat.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "core/id.h"
#include "core/log.h"
#include "domain/markup/markdown.h"
#include "storage/knowledge.h"
#include "storage/tickets.h"
#include "storage/users.h"
#include "usecase/knowledge.h"
#include "usecase/sla_policies.h"
#include "usecase/ticket_sla.h"
#include "usecase/tickets.h"
#include "usecase/validation.h"

namespace tandem::usecase {
namespace {

using identity::Actor;
using storage::Chat;
using storage::ChatMessage;
using storage::Scope;

constexpr std::string_view kBotName = "Tandem";
// With no SLA policy to say when the first reply is due, a ticket opened from a chat is promised
// a reply within a day.
constexpr std::chrono::hours kDefaultPromise{24};
constexpr std::size_t kChatSubjectLimit = 120;  // of a ticket opened from a chat: its first words
// Each term of a question is searched alone; the best this many of each are candidates.
constexpr int kHitsPerTerm = 50;

Error not_found_chat() { return Error(Code::not_found, "No such chat."); }
Error chat_moved_on() {
  return Error(Code::conflict, "The chat changed while this message was on its way; send it again.", "chat_changed");
}

bool chinese(std::string_view language) { return language.starts_with("zh"); }

// What the bot says, in the user's language.
struct BotLines {
  std::string_view greet, answer, ask_again, to_agent, no_agent, ticket_opened, resolved, ended, agent_ended, agent_left;
};
constexpr BotLines kEnglish{
    "Hello! Ask me anything about our services: I answer from the knowledge base, and I can bring in a person or open a ticket "
    "for you.",
    "This article may help: “{title}”\n\n{quote}\n\nDid this answer your question?",
    "Sorry that did not help. Could you put the question another way? You can also ask for a person or have a ticket opened.",
    "{agent} is taking over and can see our conversation.",
    "Nobody is available to chat right now, so I opened ticket {ticket} with our conversation. We will reply by {time}.",
    "I opened ticket {ticket} with our conversation. We will reply by {time}.",
    "Glad it helped! This chat is closed; start a new one any time.",
    "The chat has ended.",
    "{agent} ended the chat.",
    "{agent} had to leave.",
};
constexpr BotLines kChinese{
    "您好！有什么可以帮您？我会从知识库中为您解答，也可以为您转接人工客服或提交工单。",
    "这篇文章也许能帮到您：「{title}」\n\n{quote}\n\n这个回答解决您的问题了吗？",
    "抱歉没能帮到您。能换个说法描述一下问题吗？您也可以转人工客服或让我为您提交工单。",
    "{agent} 将为您继续服务，并能看到我们之前的对话。",
    "目前没有客服在线，我已用我们的对话为您创建工单 {ticket}，我们会在 {time} 前回复您。",
    "我已用我们的对话为您创建工单 {ticket}，我们会在 {time} 前回复您。",
    "很高兴能帮到您！本次对话已结束，如有需要可随时再发起。",
    "对话已结束。",
    "{agent} 结束了对话。",
    "{agent} 已离开。",
};
const BotLines& lines_for(std::string_view language) { return chinese(language) ? kChinese : kEnglish; }

std::string fill(std::string_view line, std::initializer_list<std::pair<std::string_view, std::string>> values) {
  std::string out(line);
  for (const auto& [key, value] : values) {
    std::string marker = "{" + std::string(key) + "}";
    for (auto at = out.find(marker); at != std::string::npos; at = out.find(marker, at + value.size())) out.replace(at, marker.size(), value);
  }
  return out;
}

// "2026-12-07 18:00 UTC": what a person reads in a message; the chat also carries the instant.
std::string readable_time(std::int64_t ms) {
  auto text = to_rfc3339(from_millis(ms));  // 2026-12-07T18:00:00Z or with milliseconds
  return text.substr(0, 10) + " " + text.substr(11, 5) + " UTC";
}

std::string cut_to(std::string text, std::size_t limit) {
  if (text.size() <= limit) return text;
  std::size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  text.resize(cut);
  return text + "…";
}

Result<std::string> name_of(storage::Connection& c, const std::optional<std::string>& user_id) {
  if (!user_id) return std::string();
  ASSIGN_OR_RETURN(auto user, storage::users::find(c, Scope::system(), *user_id));
  return user ? user->name : std::string();
}

// Everything a party is shown of a chat, read in the transaction that changed it.
Result<ChatView> view_of(storage::Connection& c, const Chat& chat, bool with_messages) {
  ChatView v;
  v.chat = chat;
  ASSIGN_OR_RETURN(v.user_name, name_of(c, chat.user_id));
  if (chat.agent_id) {
    ASSIGN_OR_RETURN(auto agent, name_of(c, chat.agent_id));
    v.agent_name = agent;
  }
  if (chat.ticket_id) {
    ASSIGN_OR_RETURN(auto ticket, storage::ticket_store::find(c, Scope::system(), *chat.ticket_id));
    if (ticket) v.ticket_subject = ticket->subject;
  }
  if (!with_messages) return v;
  ASSIGN_OR_RETURN(auto messages, storage::chat_messages::of_chat(c, chat.id));
  std::map<std::string, std::string> names;
  for (auto& m : messages) {
    ChatMessageView mv{std::move(m), std::string(kBotName), std::nullopt};
    if (mv.message.author_id) {
      auto [it, fresh] = names.try_emplace(*mv.message.author_id);
      if (fresh) {
        ASSIGN_OR_RETURN(it->second, name_of(c, mv.message.author_id));
      }
      mv.author_name = it->second;
    }
    if (mv.message.article_id) {
      ASSIGN_OR_RETURN(auto texts, storage::articles::current_texts(c, *mv.message.article_id));
      for (const auto& t : texts)
        if (!mv.article_title || t.language == chat.language) mv.article_title = t.title;
    }
    v.messages.push_back(std::move(mv));
  }
  return v;
}

// A message written to a chat, with what its readers see of it.
struct Writer {
  storage::Connection& c;
  const Services& s;
  Chat& chat;
  ChatDeliveries& out;

  Result<ChatMessageView> add(std::string author, std::optional<std::string> author_id, std::string body,
                              std::optional<std::string> article_id = std::nullopt, std::optional<std::int64_t> confidence = std::nullopt,
                              std::optional<std::string> article_title = std::nullopt) {
    ChatMessage m;
    m.id = new_id("chm", s.clock.now());
    m.chat_id = chat.id;
    m.author = std::move(author);
    m.author_id = std::move(author_id);
    m.body = std::move(body);
    m.article_id = std::move(article_id);
    m.confidence = confidence;
    m.created_at = to_millis(s.clock.now());
    TRY(storage::chat_messages::append(c, m));
    ChatMessageView v{std::move(m), std::string(kBotName), std::move(article_title)};
    if (v.message.author_id) {
      ASSIGN_OR_RETURN(v.author_name, name_of(c, v.message.author_id));
    }
    return v;
  }
  // Told to the user's windows and, while one holds the chat, to its agent's consoles.
  Result<void> tell(const ChatMessageView& m) {
    ASSIGN_OR_RETURN(auto v, view_of(c, chat, false));
    out.push_back({chat.user_id, false, v, m, false});
    if (chat.state == "agent" && chat.agent_id) out.push_back({*chat.agent_id, true, std::move(v), m, false});
    return {};
  }
  Result<void> say(std::string author, std::optional<std::string> author_id, std::string body,
                   std::optional<std::string> article_id = std::nullopt, std::optional<std::int64_t> confidence = std::nullopt,
                   std::optional<std::string> article_title = std::nullopt) {
    ASSIGN_OR_RETURN(auto m, add(std::move(author), std::move(author_id), std::move(body), std::move(article_id), confidence,
                                 std::move(article_title)));
    return tell(m);
  }
  Result<void> bot(std::string body) { return say("bot", std::nullopt, std::move(body)); }
  // The chat's state to its user's windows, or to an agent's consoles (with the transcript when
  // they are taking it over).
  Result<void> state_to_user() {
    ASSIGN_OR_RETURN(auto v, view_of(c, chat, false));
    out.push_back({chat.user_id, false, std::move(v), std::nullopt, false});
    return {};
  }
  Result<void> state_to_agent(const std::string& agent, bool with_messages) {
    ASSIGN_OR_RETURN(auto v, view_of(c, chat, with_messages));
    out.push_back({agent, true, std::move(v), std::nullopt, with_messages});
    return {};
  }
  // Writes the chat's row over the version read; a change that won the race meanwhile undoes
  // this one (chat_changed), to be tried again on the chat as it now is.
  Result<void> touch() {
    chat.updated_at = to_millis(s.clock.now());
    chat.version += 1;
    ASSIGN_OR_RETURN(bool written, storage::chats::update(c, chat));
    if (!written) return fail(chat_moved_on());
    return {};
  }
  Result<void> save(const Actor& actor, std::string action) {
    TRY(touch());
    return record(c, s, actor, {std::move(action), "chat", chat.id, chat.organization_id, std::nullopt, canonical(chat)});
  }
};

// The chat `seen` as it is now, held for the transaction; chat_changed when it moved on.
Result<Chat> locked(storage::Connection& c, const Chat& seen) {
  ASSIGN_OR_RETURN(auto found, storage::chats::find(c, seen.id, storage::Lock::for_update));
  if (!found || found->version != seen.version) return fail(chat_moved_on());
  return std::move(*found);
}

// The chat `agent` holds, for the transaction: not_found for anyone else's, conflict once ended.
Result<Chat> held_by(storage::Connection& c, const Actor& agent, std::string_view chat_id) {
  ASSIGN_OR_RETURN(auto chat, storage::chats::find(c, chat_id, storage::Lock::for_update));
  if (!chat || chat->agent_id != agent.user_id) return fail(not_found_chat());
  if (chat->state != "agent") return fail(Code::conflict, "The chat has ended.", "chat_ended");
  return std::move(*chat);
}

// Whether the user may still answer chats: active, and with a role that does.
Result<bool> still_answers(storage::Connection& c, const std::string& id) {
  ASSIGN_OR_RETURN(auto user, storage::users::find(c, Scope::system(), id));
  if (!user || !user->active) return false;
  Actor agent{user->id, user->organization_id, user->roles, {}, user->language};
  return may_chat(agent, true).has_value();
}

// The available agent with the fewest chats in progress (the first such by id), if any.
Result<std::optional<std::string>> least_busy_agent(storage::Connection& c, const ChatHub& hub, const std::string& except = {}) {
  auto online = hub.agents_online();
  std::erase(online, except);
  std::ranges::sort(online);
  ASSIGN_OR_RETURN(auto loads, storage::chats::load_of_agents(c, online));
  std::optional<std::string> best;
  std::int64_t fewest = 0;
  for (const auto& [id, load] : loads) {
    // One who lost the right to answer since their console opened is passed over.
    ASSIGN_OR_RETURN(bool answers, still_answers(c, id));
    if (!answers) continue;
    if (!best || load < fewest) best = id, fewest = load;
  }
  return best;
}

// The reply promised for a ticket: its first response target's due, or a day.
Result<std::int64_t> promised_reply(const Services& s, const storage::Ticket& ticket) {
  ASSIGN_OR_RETURN(auto timeframes, current_timeframes(s));
  auto reading = read_sla(*timeframes, ticket, s.clock.now());
  if (reading)
    for (const auto& target : reading->clock.targets)
      if (target.metric == sla::Metric::first_response && target.due) return to_millis(*target.due);
  return to_millis(s.clock.now() + kDefaultPromise);
}

// The transcript's lines so far.
Result<std::vector<chat::TranscriptLine>> transcript_of(storage::Connection& c, const Chat& chat) {
  ASSIGN_OR_RETURN(auto v, view_of(c, chat, true));
  std::vector<chat::TranscriptLine> lines;
  for (const auto& m : v.messages) lines.push_back({m.message.created_at, m.author_name, m.message.body});
  return lines;
}

using ChatWrite = std::function<Result<void>(Writer&, const storage::Ticket&)>;

// Opens a ticket in the user's name with the chat's transcript (`transcript`, written before
// the new lines), and writes the chat's new lines and state in the ticket's transaction with
// `write_chat`: neither is written without the other. `chat` is the chat as read (`fresh`: not
// written yet, inserted here).
Result<ChatDeliveries> ticket_from_chat(const Services& s, const Actor& user, const Chat& chat, bool fresh, const std::string& transcript,
                                        const std::string& subject, const ChatWrite& write_chat) {
  ChatDeliveries out;
  NewTicket t;
  t.subject = subject;
  t.description = cut_to(fmt::format("{}\n\n{}", chinese(chat.language) ? "聊天记录：" : "Chat transcript:", transcript), 60'000);
  t.facts.emplace_back("chat", chat.id);
  t.write_after = [&](storage::Connection& c, const storage::Ticket& ticket) -> Result<void> {
    Chat current = chat;
    if (fresh) {
      ASSIGN_OR_RETURN(auto open, storage::chats::open_of_user(c, chat.user_id, storage::Lock::for_update));
      if (open) return fail(chat_moved_on());  // another window opened one meanwhile
      TRY(storage::chats::insert(c, current));
      TRY(record(c, s, user, {"chat.started", "chat", current.id, current.organization_id, std::nullopt, canonical(current)}));
    } else {
      ASSIGN_OR_RETURN(current, locked(c, chat));
      if (current.state == "ended") return fail(chat_moved_on());
    }
    Writer w{c, s, current, out};
    return write_chat(w, ticket);
  };
  TRY(create_ticket(s, user, t, tickets::Channel::chat));
  return out;
}

// The best article for the user's words among the published ones they may read.
Result<std::optional<std::pair<chat::Answer, ArticleView>>> best_article(const Services& s, const Actor& actor, const std::string& text) {
  auto terms = chat::question_terms(text);
  if (terms.empty()) return std::nullopt;
  std::map<std::string, chat::Candidate> candidates;
  for (const auto& term : terms) {
    KnowledgeSearch in{term, {"article"}, std::nullopt, std::nullopt, kHitsPerTerm, 0, false, kSuggestionCandidates};
    auto found = search_knowledge(s, actor, in);
    if (!found) {
      if (found.error().code == Code::permission_denied) return std::nullopt;  // no knowledge they may read
      if (found.error().code == Code::invalid_argument) continue;              // a term that is no query alone
      return fail(found.error());
    }
    for (const auto& hit : found->hits) {
      auto& c = candidates[hit.id];
      c.article_id = hit.id;
      c.matched_terms.push_back(term);
      c.score = std::max(c.score, hit.score);
    }
  }
  std::vector<chat::Candidate> list;
  for (auto& [_, c] : candidates) list.push_back(std::move(c));
  auto best = chat::best_answer(list, terms);
  if (!best) return std::nullopt;
  ASSIGN_OR_RETURN(auto article, get_article(s, actor, best->article_id));
  return std::pair{*best, std::move(article)};
}

// What the bot quotes of an article: its first block of Markdown that is not a heading, as text.
std::string opening_of(std::string_view markdown) {
  for (std::string_view rest = markdown; !rest.empty();) {
    auto end = rest.find("\n\n");
    auto block = rest.substr(0, end);
    auto first = block.find_first_not_of(" \t\r\n");
    if (first != std::string_view::npos && block[first] != '#') return chat::quote_of(markup::markdown_to_text(block));
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 2);
  }
  return chat::quote_of(markup::markdown_to_text(markdown));
}

Chat new_chat(const Services& s, const Actor& actor) {
  Chat chat;
  chat.id = new_id("cht", s.clock.now());
  chat.organization_id = actor.organization_id;
  chat.user_id = actor.user_id;
  chat.language = actor.language;
  chat.created_at = chat.updated_at = to_millis(s.clock.now());
  return chat;
}

chat::Intent intent_of_action(ChatAction action, const std::string& text) {
  switch (action) {
    case ChatAction::helped: return chat::Intent::helped;
    case ChatAction::not_helped: return chat::Intent::not_helped;
    case ChatAction::person: return chat::Intent::person;
    case ChatAction::ticket: return chat::Intent::ticket;
    case ChatAction::say:
    case ChatAction::end: break;
  }
  auto intent = chat::intent_of(text);
  // Words with nothing to search ("ok", "?") are no question the bot could fail: it asks for one.
  if (intent == chat::Intent::question && chat::question_terms(text).empty()) return chat::Intent::greeting;
  return intent;
}

// Hands the chat to `agent`, who must still be available: the agent's consoles get the
// transcript, the user is told who took over.
Result<void> hand_to_agent(Writer& w, const ChatHub& hub, const Actor& actor, const std::string& agent, bool first_hand_off) {
  auto online = hub.agents_online();
  if (std::ranges::find(online, agent) == online.end()) return fail(chat_moved_on());  // gone since chosen
  w.chat.state = "agent";
  w.chat.agent_id = agent;
  w.chat.outcome = "handed_off";
  if (first_hand_off) w.chat.handed_off_at = to_millis(w.s.clock.now());
  ASSIGN_OR_RETURN(auto name, name_of(w.c, agent));
  TRY(w.save(actor, "chat.handed_off"));
  TRY(w.state_to_agent(agent, true));
  TRY(w.bot(fill(lines_for(w.chat.language).to_agent, {{"agent", name}})));
  return w.state_to_user();
}

// Ends the chat with the bot's line (told to both parties while an agent holds it).
Result<void> end_chat(Writer& w, const Actor& actor, std::string line) {
  auto agent = w.chat.state == "agent" ? w.chat.agent_id : std::nullopt;
  TRY(w.bot(std::move(line)));
  w.chat.state = "ended";
  w.chat.ended_at = to_millis(w.s.clock.now());
  if (!w.chat.outcome) w.chat.outcome = "abandoned";
  TRY(w.save(actor, "chat.ended"));
  TRY(w.state_to_user());
  if (agent) TRY(w.state_to_agent(*agent, false));
  return {};
}

}  // namespace

std::uint64_t ChatHub::join(const std::string& user_id, bool agent, Sink sink) {
  std::lock_guard lock(mutex_);
  auto id = next_++;
  members_.emplace(id, Member{user_id, agent, std::move(sink)});
  return id;
}

bool ChatHub::leave(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  auto it = members_.find(id);
  if (it == members_.end()) return false;
  auto [user_id, agent, _] = std::move(it->second);
  members_.erase(it);
  if (!agent) return false;
  return std::ranges::none_of(members_, [&](const auto& m) { return m.second.agent && m.second.user_id == user_id; });
}

void ChatHub::send(const std::string& user_id, bool to_agent, const std::string& json) const {
  std::lock_guard lock(mutex_);
  for (const auto& [_, m] : members_)
    if (m.user_id == user_id && m.agent == to_agent) m.sink(json);
}

std::vector<std::string> ChatHub::agents_online() const {
  std::set<std::string> agents;
  std::lock_guard lock(mutex_);
  for (const auto& [_, m] : members_)
    if (m.agent) agents.insert(m.user_id);
  return {agents.begin(), agents.end()};
}

std::optional<ChatAction> chat_action_named(std::string_view name) {
  constexpr std::pair<std::string_view, ChatAction> kNames[] = {{"say", ChatAction::say},       {"helped", ChatAction::helped},
                                                                {"not_helped", ChatAction::not_helped}, {"person", ChatAction::person},
                                                                {"ticket", ChatAction::ticket}, {"end", ChatAction::end}};
  for (auto [n, a] : kNames)
    if (n == name) return a;
  return std::nullopt;
}

Result<void> may_chat(const Actor& actor, bool as_agent) { return authorize(actor, as_agent ? "chat.answer" : "chat.use"); }

Result<std::optional<ChatView>> open_chat(const Services& s, const Actor& actor) {
  TRY(may_chat(actor, false));
  return s.db.read([&](storage::Connection& c) -> Result<std::optional<ChatView>> {
    ASSIGN_OR_RETURN(auto chat, storage::chats::open_of_user(c, actor.user_id));
    if (!chat) return std::nullopt;
    ASSIGN_OR_RETURN(auto v, view_of(c, *chat, true));
    return v;
  });
}

Result<std::vector<ChatView>> agent_chats(const Services& s, const Actor& agent) {
  TRY(may_chat(agent, true));
  return s.db.read([&](storage::Connection& c) -> Result<std::vector<ChatView>> {
    ASSIGN_OR_RETURN(auto page, storage::chats::list(c, Scope::for_actor(agent), {"agent", agent.user_id}, {200, ""}));
    std::vector<ChatView> out;
    for (const auto& chat : page.items) {
      ASSIGN_OR_RETURN(auto v, view_of(c, chat, true));
      out.push_back(std::move(v));
    }
    return out;
  });
}

Result<ChatDeliveries> chat_turn(const Services& s, const ChatHub& hub, const Actor& actor, ChatAction action, const std::string& text_in) {
  TRY(may_chat(actor, false));
  auto text = trimmed(text_in);
  Problems p;
  if (action == ChatAction::say && text.empty()) p.add("text", "must not be blank");
  if (text.size() > kChatMessageLimit) p.add("text", "must be at most " + std::to_string(kChatMessageLimit) + " bytes");
  if (p.any()) return fail(p.error());
  const auto& lines = lines_for(actor.language);

  ASSIGN_OR_RETURN(auto existing, s.db.read([&](storage::Connection& c) { return storage::chats::open_of_user(c, actor.user_id); }));
  if (action == ChatAction::end) {
    if (!existing) return fail(not_found_chat());
    return s.db.write([&](storage::Connection& c) -> Result<ChatDeliveries> {
      ASSIGN_OR_RETURN(auto chat, locked(c, *existing));
      ChatDeliveries out;
      Writer w{c, s, chat, out};
      TRY(end_chat(w, actor, std::string(lines_for(chat.language).ended)));
      return out;
    });
  }

  // With an agent, the bot stays out of it: the message goes to the agent.
  if (existing && existing->state == "agent") {
    if (action != ChatAction::say) return fail(Code::conflict, "An agent has this chat: write to them.", "chat_with_agent");
    return s.db.write([&](storage::Connection& c) -> Result<ChatDeliveries> {
      ASSIGN_OR_RETURN(auto chat, locked(c, *existing));
      ChatDeliveries out;
      Writer w{c, s, chat, out};
      TRY(w.say("user", actor.user_id, text));
      TRY(w.touch());
      return out;
    });
  }

  auto intent = intent_of_action(action, text);
  std::optional<std::pair<chat::Answer, ArticleView>> best;
  if (intent != chat::Intent::person && intent != chat::Intent::ticket && !text.empty()) {
    ASSIGN_OR_RETURN(best, best_article(s, actor, text));
  }
  chat::Memory memory;
  if (existing) memory = {existing->failures, existing->answered};
  auto turn = chat::next_turn(memory, intent, best ? std::optional(best->first) : std::nullopt);
  // What the user said, or the button pressed when they typed nothing.
  auto said = text.empty() ? std::string(chat::to_string(intent)) : text;
  Chat chat = existing ? *existing : new_chat(s, actor);
  bool fresh = !existing;

  std::optional<std::string> agent;
  if (turn.move == chat::Move::hand_off) {
    ASSIGN_OR_RETURN(agent, s.db.read([&](storage::Connection& c) { return least_busy_agent(c, hub); }));
  }
  if (turn.move == chat::Move::open_ticket || (turn.move == chat::Move::hand_off && !agent)) {
    // The transcript so far and this line; the chat's first words are the ticket's subject.
    ASSIGN_OR_RETURN(auto so_far, s.db.read([&](storage::Connection& c) -> Result<std::vector<chat::TranscriptLine>> {
      if (fresh) return std::vector<chat::TranscriptLine>{};
      return transcript_of(c, chat);
    }));
    ASSIGN_OR_RETURN(auto name, s.db.read([&](storage::Connection& c) { return name_of(c, actor.user_id); }));
    so_far.push_back({to_millis(s.clock.now()), name, said});
    std::string subject = said;
    for (const auto& m : so_far)
      if (m.who == name) {
        subject = m.text;
        break;
      }
    return ticket_from_chat(s, actor, chat, fresh, chat::transcript_text(so_far), cut_to(subject, kChatSubjectLimit),
                            [&](Writer& w, const storage::Ticket& ticket) -> Result<void> {
                              TRY(w.say("user", actor.user_id, said));
                              ASSIGN_OR_RETURN(auto promised, promised_reply(s, ticket));
                              w.chat.ticket_id = ticket.id;
                              w.chat.promised_at = promised;
                              w.chat.outcome = "ticket";
                              w.chat.failures = turn.memory.failures;
                              w.chat.answered = false;
                              if (turn.move == chat::Move::hand_off) {
                                w.chat.handoff_reason = std::string(chat::to_string(*turn.reason));
                                w.chat.handed_off_at = to_millis(s.clock.now());
                              }
                              auto line = turn.move == chat::Move::hand_off ? lines.no_agent : lines.ticket_opened;
                              TRY(w.bot(fill(line, {{"ticket", ticket.id}, {"time", readable_time(promised)}})));
                              w.chat.state = "ended";
                              w.chat.ended_at = to_millis(s.clock.now());
                              TRY(w.save(actor, "chat.ticket_opened"));
                              return w.state_to_user();
                            });
  }

  return s.db.write([&](storage::Connection& c) -> Result<ChatDeliveries> {
    Chat current = chat;
    if (fresh) {
      ASSIGN_OR_RETURN(auto open, storage::chats::open_of_user(c, actor.user_id, storage::Lock::for_update));
      if (open) return fail(chat_moved_on());  // another window opened one meanwhile: this line joins it
      TRY(storage::chats::insert(c, current));
      TRY(record(c, s, actor, {"chat.started", "chat", current.id, current.organization_id, std::nullopt, canonical(current)}));
    } else {
      ASSIGN_OR_RETURN(current, locked(c, chat));
      if (current.state != "bot") return fail(chat_moved_on());
    }
    ChatDeliveries out;
    Writer w{c, s, current, out};
    TRY(w.say("user", actor.user_id, said));
    current.failures = turn.memory.failures;
    current.answered = turn.memory.answered;
    switch (turn.move) {
      case chat::Move::answer: {
        const auto& [answer, article] = *best;
        auto body = fill(lines.answer, {{"title", article.text.title}, {"quote", opening_of(article.text.body)}});
        TRY(w.say("bot", std::nullopt, body, answer.article_id, std::int64_t(answer.confidence * 100 + 0.5), article.text.title));
        TRY(w.save(actor, "chat.answered"));
        break;
      }
      case chat::Move::greet:
        TRY(w.bot(std::string(lines.greet)));
        TRY(w.save(actor, "chat.greeted"));
        break;
      case chat::Move::ask_again:
        TRY(w.bot(std::string(lines.ask_again)));
        TRY(w.save(actor, "chat.not_helped"));
        break;
      case chat::Move::close_resolved:
        current.outcome = "resolved_by_bot";
        TRY(w.bot(std::string(lines.resolved)));
        current.state = "ended";
        current.ended_at = to_millis(s.clock.now());
        TRY(w.save(actor, "chat.resolved_by_bot"));
        TRY(w.state_to_user());
        break;
      case chat::Move::hand_off:
        current.handoff_reason = std::string(chat::to_string(*turn.reason));
        TRY(hand_to_agent(w, hub, actor, *agent, true));
        break;
      case chat::Move::open_ticket: break;  // above
    }
    return out;
  });
}

Result<ChatDeliveries> agent_say(const Services& s, const Actor& agent, std::string_view chat_id, const std::string& text_in) {
  TRY(may_chat(agent, true));
  auto text = trimmed(text_in);
  Problems p;
  if (text.empty()) p.add("text", "must not be blank");
  if (text.size() > kChatMessageLimit) p.add("text", "must be at most " + std::to_string(kChatMessageLimit) + " bytes");
  if (p.any()) return fail(p.error());
  return s.db.write([&](storage::Connection& c) -> Result<ChatDeliveries> {
    ASSIGN_OR_RETURN(auto chat, held_by(c, agent, chat_id));
    ChatDeliveries out;
    Writer w{c, s, chat, out};
    TRY(w.say("agent", agent.user_id, text));
    TRY(w.touch());
    return out;
  });
}

Result<ChatDeliveries> agent_end(const Services& s, const Actor& agent, std::string_view chat_id) {
  TRY(may_chat(agent, true));
  return s.db.write([&](storage::Connection& c) -> Result<ChatDeliveries> {
    ASSIGN_OR_RETURN(auto chat, held_by(c, agent, chat_id));
    ChatDeliveries out;
    Writer w{c, s, chat, out};
    ASSIGN_OR_RETURN(auto name, name_of(c, agent.user_id));
    TRY(end_chat(w, agent, fill(lines_for(chat.language).agent_ended, {{"agent", name}})));
    return out;
  });
}

namespace {

// One chat of an agent who left: to the next available agent, else to a ticket.
Result<ChatDeliveries> pass_on(const Services& s, const ChatHub& hub, const std::string& leaving, const Chat& chat) {
  ASSIGN_OR_RETURN(auto next, s.db.read([&](storage::Connection& c) { return least_busy_agent(c, hub, leaving); }));
  ASSIGN_OR_RETURN(auto user, s.db.read([&](storage::Connection& c) { return storage::users::find(c, Scope::system(), chat.user_id); }));
  if (!user) return ChatDeliveries{};
  const auto& lines = lines_for(chat.language);
  ASSIGN_OR_RETURN(auto leaver, s.db.read([&](storage::Connection& c) { return name_of(c, leaving); }));
  if (next) {
    return s.db.write([&](storage::Connection& c) -> Result<ChatDeliveries> {
      ASSIGN_OR_RETURN(auto current, locked(c, chat));
      ChatDeliveries out;
      Writer w{c, s, current, out};
      TRY(w.bot(fill(lines.agent_left, {{"agent", leaver}})));
      TRY(hand_to_agent(w, hub, system_actor(), *next, false));
      return out;
    });
  }
  Actor as_user{user->id, user->organization_id, user->roles, {}, chat.language};
  ASSIGN_OR_RETURN(auto so_far, s.db.read([&](storage::Connection& c) { return transcript_of(c, chat); }));
  auto subject = cut_to(chinese(chat.language) ? "聊天：" + user->name : "Chat with " + user->name, kChatSubjectLimit);
  return ticket_from_chat(s, as_user, chat, false, chat::transcript_text(so_far), subject,
                          [&](Writer& w, const storage::Ticket& ticket) -> Result<void> {
                            ASSIGN_OR_RETURN(auto promised, promised_reply(s, ticket));
                            TRY(w.bot(fill(lines.agent_left, {{"agent", leaver}})));
                            w.chat.ticket_id = ticket.id;
                            w.chat.promised_at = promised;
                            w.chat.outcome = "ticket";
                            TRY(w.bot(fill(lines.no_agent, {{"ticket", ticket.id}, {"time", readable_time(promised)}})));
                            w.chat.state = "ended";
                            w.chat.ended_at = to_millis(s.clock.now());
                            TRY(w.save(system_actor(), "chat.ticket_opened"));
                            return w.state_to_user();
                          });
}

}  // namespace

Result<ChatDeliveries> agent_left(const Services& s, const ChatHub& hub, const std::string& agent_id) {
  ChatDeliveries out;
  ASSIGN_OR_RETURN(auto held, s.db.read([&](storage::Connection& c) -> Result<std::vector<Chat>> {
    ASSIGN_OR_RETURN(auto page, storage::chats::list(c, Scope::system(), {"agent", agent_id}, {200, ""}));
    return page.items;
  }));
  for (auto chat : held) {
    // A chat that moved on meanwhile (the user wrote, or ended it) is read again and tried again.
    for (int attempt = 0; attempt < 3; ++attempt) {
      auto passed = pass_on(s, hub, agent_id, chat);
      if (passed) {
        for (auto& d : *passed) out.push_back(std::move(d));
        break;
      }
      if (passed.error().slug != "chat_changed") {
        log_message(LogLevel::error, "chat " + chat.id + ": passing it on from an agent who left: " + passed.error().message);
        break;
      }
      ASSIGN_OR_RETURN(auto again, s.db.read([&](storage::Connection& c) { return storage::chats::find(c, chat.id); }));
      if (!again || again->state != "agent" || again->agent_id != agent_id) break;
      chat = std::move(*again);
    }
  }
  return out;
}

Result<IdleChats> end_idle_chats(const Services& s) {
  auto before = to_millis(s.clock.now() - kChatIdle);
  IdleChats result;
  ASSIGN_OR_RETURN(auto idle, s.db.read([&](storage::Connection& c) { return storage::chats::idle(c, before, 500); }));
  for (const auto& chat : idle) {
    auto ended = s.db.write([&](storage::Connection& c) -> Result<bool> {
      ASSIGN_OR_RETURN(auto current, storage::chats::find(c, chat.id, storage::Lock::for_update));
      if (!current || current->state == "ended" || current->updated_at >= before) return false;  // someone wrote meanwhile
      Writer w{c, s, *current, result.deliveries};
      TRY(end_chat(w, system_actor(), std::string(lines_for(current->language).ended)));
      return true;
    });
    if (!ended) return fail(ended.error());
    result.ended += *ended;
  }
  return result;
}

Result<storage::Page<Chat>> list_chats(const Services& s, const Actor& actor, const storage::ChatFilter& filter,
                                       const storage::PageRequest& page) {
  TRY(may_chat(actor, false));
  // Staff who do not answer chats read only their own, as anyone else.
  auto scope = Scope::for_actor(actor);
  if (actor.staff() && !authorize(actor, "chat.answer")) {
    identity::Actor self = actor;
    self.roles = {identity::Role::user};
    scope = Scope::for_actor(self);
  }
  return s.db.read([&](storage::Connection& c) { return storage::chats::list(c, scope, filter, page); });
}

Result<ChatView> get_chat(const Services& s, const Actor& actor, std::string_view id) {
  TRY(may_chat(actor, false));
  bool answers = authorize(actor, "chat.answer").has_value();
  return s.db.read([&](storage::Connection& c) -> Result<ChatView> {
    ASSIGN_OR_RETURN(auto chat, storage::chats::find(c, id));
    if (!chat || (!answers && chat->user_id != actor.user_id)) return fail(not_found_chat());
    return view_of(c, *chat, true);
  });
}

Result<ChatReport> chat_report(const Services& s, const Actor& actor, std::int64_t from, std::int64_t to) {
  TRY(authorize(actor, "chat.report"));
  if (to <= from) {
    Error e(Code::invalid_argument, "Some query parameters are invalid.");
    e.details.push_back({"to", "must be after from"});
    return fail(std::move(e));
  }
  ChatReport r;
  ASSIGN_OR_RETURN(r.counts, s.db.read([&](storage::Connection& c) { return storage::chats::counts(c, Scope::for_actor(actor), from, to); }));
  if (r.counts.chats > 0) {
    r.resolution_rate = double(r.counts.resolved_by_bot) / double(r.counts.chats);
    r.handoff_rate = double(r.counts.handed_off) / double(r.counts.chats);
  }
  return r;
}

}  // namespace tandem::usecase
