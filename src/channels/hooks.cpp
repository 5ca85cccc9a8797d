#include "channels/hooks.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>

#include "core/crypto.h"
#include "usecase/validation.h"

namespace tandem::channels {
namespace {

using Json = nlohmann::json;

constexpr std::size_t kTextLimit = 60'000;  // as a ticket's description
constexpr std::size_t kFilesLimit = 10;       // of a message; their size is bounded by the request's

// `body[key]` as text; its problems are named `field` (the key itself when empty).
std::optional<std::string> text_field(const Json& body, const char* key, usecase::Problems& p, bool required, std::size_t limit,
                                      std::string field = {}) {
  if (field.empty()) field = key;
  if (!body.contains(key) || body[key].is_null()) {
    if (required) p.add(field, "is required");
    return std::nullopt;
  }
  if (!body[key].is_string()) {
    p.add(field, "must be a string");
    return std::nullopt;
  }
  auto v = body[key].get<std::string>();
  if (required && v.empty()) p.add(field, "must not be empty");
  else if (v.size() > limit) p.add(field, "must be at most " + std::to_string(limit) + " bytes");
  return v;
}

std::map<std::string, std::string> string_map(const Json& v) {
  std::map<std::string, std::string> out;
  if (!v.is_object()) return out;
  for (const auto& [k, x] : v.items())
    if (x.is_string()) out[k] = x.get<std::string>();
  return out;
}

std::string string_of(const Json& v, const char* key) {
  return v.is_object() && v.contains(key) && v[key].is_string() ? v[key].get<std::string>() : std::string();
}

Error unauthenticated(std::string_view why) { return Error(Code::unauthenticated, "The delivery is not authenticated: " + std::string(why) + "."); }

// The Authorization header's bearer secret, compared in constant time.
bool bearer_matches(std::string_view header, std::string_view secret) {
  constexpr std::string_view kScheme = "Bearer ";
  if (header.size() <= kScheme.size()) return false;
  for (std::size_t i = 0; i < kScheme.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(header[i])) != std::tolower(static_cast<unsigned char>(kScheme[i]))) return false;
  return constant_time_equal(header.substr(kScheme.size()), secret);
}

}  // namespace

Result<usecase::InboundMessage> read_generic_message(const Json& body) {
  usecase::Problems p;
  if (!body.is_object()) {
    p.add("body", "must be a JSON object");
    return fail(p.error());
  }
  for (const auto& [key, _] : body.items())
    if (key != "message_id" && key != "from" && key != "name" && key != "text" && key != "ticket_id" && key != "attachments")
      p.add(key, "is not a field of a message");
  usecase::InboundMessage m;
  m.message_id = text_field(body, "message_id", p, true, 200).value_or("");
  m.from = text_field(body, "from", p, true, 320).value_or("");
  m.name = text_field(body, "name", p, false, 200).value_or("");
  m.text = text_field(body, "text", p, true, kTextLimit).value_or("");
  m.ticket_id = text_field(body, "ticket_id", p, false, 100);
  if (!m.from.empty()) {
    if (auto sender = sender_of(m.from)) m.sender = *sender;
    else p.add("from", "must be an e-mail address, a phone number in E.164 (+8613800138000) or a handle");
  }
  // Files come inline, base64: a hook fetches nothing from a URL it is given (no SSRF).
  if (auto files = body.find("attachments"); files != body.end() && !files->is_null()) {
    if (!files->is_array()) p.add("attachments", "must be a list of {\"name\", \"data\" (base64)}");
    else if (files->size() > kFilesLimit) p.add("attachments", "may hold at most " + std::to_string(kFilesLimit) + " files");
    else
      for (std::size_t i = 0; i < files->size(); ++i) {
        const auto& f = (*files)[i];
        auto field = "attachments[" + std::to_string(i) + "]";
        if (!f.is_object()) {
          p.add(field, "must be an object with name and data");
          continue;
        }
        for (const auto& [key, _] : f.items())
          if (key != "name" && key != "data") p.add(field + "." + key, "is not a field of a file");
        auto name = text_field(f, "name", p, true, 255, field + ".name");
        auto data = f.find("data");
        std::optional<std::string> bytes;
        if (data == f.end() || !data->is_string()) p.add(field + ".data", "is required: the file's bytes in base64");
        else if (!(bytes = base64_decode(data->get<std::string>()))) p.add(field + ".data", "is not base64");
        else if (bytes->empty()) p.add(field + ".data", "is empty");
        if (name && bytes && !bytes->empty()) m.files.push_back({*name, std::move(*bytes)});
      }
  }
  if (p.any()) return fail(p.error());
  return m;
}

Result<std::optional<usecase::InboundMessage>> read_telegram_update(const Json& body) {
  usecase::Problems p;
  if (!body.is_object() || !body.contains("update_id") || !body["update_id"].is_number_integer()) {
    p.add("update_id", "is required: this is not a Telegram update");
    return fail(p.error());
  }
  if (!body.contains("message") || !body["message"].is_object()) return std::optional<usecase::InboundMessage>();
  const auto& msg = body["message"];
  const auto& from = msg.value("from", Json::object());
  const auto& chat = msg.value("chat", Json::object());
  if (!msg.contains("message_id") || !msg["message_id"].is_number_integer()) p.add("message.message_id", "is required");
  if (!from.contains("id") || !from["id"].is_number_integer()) p.add("message.from.id", "is required");
  if (!chat.contains("id") || !chat["id"].is_number_integer()) p.add("message.chat.id", "is required");
  if (p.any()) return fail(p.error());
  // Photos, stickers and the like have no text: their caption, or what they are.
  std::string text = string_of(msg, "text");
  if (text.empty()) text = string_of(msg, "caption");
  if (text.empty()) return std::optional<usecase::InboundMessage>();
  if (text.size() > kTextLimit) {
    p.add("message.text", "must be at most " + std::to_string(kTextLimit) + " bytes");
    return fail(p.error());
  }
  usecase::InboundMessage m;
  // A chat's message ids count per chat; a user's id stays when they rename themselves.
  m.message_id = "tg-" + std::to_string(chat["id"].get<std::int64_t>()) + "-" + std::to_string(msg["message_id"].get<std::int64_t>());
  m.from = "telegram:" + std::to_string(from["id"].get<std::int64_t>());
  m.sender = Sender{"handle", m.from};
  m.name = string_of(from, "first_name");
  if (auto last = string_of(from, "last_name"); !last.empty()) m.name += (m.name.empty() ? "" : " ") + last;
  if (m.name.empty()) m.name = string_of(from, "username");
  if (m.name.size() > 200) m.name.resize(200);
  m.text = text;
  return std::optional(std::move(m));
}

Result<AlertGroup> read_alertmanager(const Json& body) {
  usecase::Problems p;
  if (!body.is_object()) {
    p.add("body", "must be a JSON object");
    return fail(p.error());
  }
  if (string_of(body, "version") != "4") p.add("version", "must be \"4\" (Alertmanager's webhook)");
  AlertGroup g;
  g.group_key = string_of(body, "groupKey");
  g.status = string_of(body, "status");
  g.receiver = string_of(body, "receiver");
  g.external_url = string_of(body, "externalURL");
  g.group_labels = string_map(body.value("groupLabels", Json::object()));
  g.common_labels = string_map(body.value("commonLabels", Json::object()));
  g.common_annotations = string_map(body.value("commonAnnotations", Json::object()));
  if (body.contains("alerts") && body["alerts"].is_array()) {
    for (const auto& a : body["alerts"]) {
      if (!a.is_object()) continue;
      g.alerts.push_back({string_of(a, "status"), string_map(a.value("labels", Json::object())),
                          string_map(a.value("annotations", Json::object())), string_of(a, "startsAt"), string_of(a, "endsAt"),
                          string_of(a, "fingerprint"), string_of(a, "generatorURL")});
    }
  }
  for (auto& [field, problem] : problems_of(g)) p.add(field, problem);
  if (p.any()) return fail(p.error());
  return g;
}

std::vector<FormField> read_form(std::string_view body) {
  auto decode = [](std::string_view in) {
    std::string out;
    for (std::size_t i = 0; i < in.size(); ++i) {
      if (in[i] == '+') {
        out += ' ';
      } else if (in[i] == '%' && i + 2 < in.size() && std::isxdigit(static_cast<unsigned char>(in[i + 1])) &&
                 std::isxdigit(static_cast<unsigned char>(in[i + 2]))) {
        out += char(std::stoi(std::string(in.substr(i + 1, 2)), nullptr, 16));
        i += 2;
      } else {
        out += in[i];
      }
    }
    return out;
  };
  std::vector<FormField> out;
  while (!body.empty()) {
    auto amp = body.find('&');
    auto pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    out.push_back({decode(pair.substr(0, eq)), eq == std::string_view::npos ? std::string() : decode(pair.substr(eq + 1))});
  }
  return out;
}

std::string twilio_signature(std::string_view auth_token, std::string_view url, std::vector<FormField> form) {
  std::ranges::stable_sort(form, [](const FormField& a, const FormField& b) { return a.name < b.name; });
  std::string data(url);
  for (const auto& f : form) data += f.name + f.value;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha1(), auth_token.data(), int(auth_token.size()), reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &length);
  std::string out(4 * ((length + 2) / 3) + 1, '\0');
  auto written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), mac, int(length));
  out.resize(std::size_t(written));
  return out;
}

Result<std::optional<usecase::InboundCall>> read_twilio_call(const std::vector<FormField>& form) {
  auto field = [&](std::string_view name) {
    for (const auto& f : form)
      if (f.name == name) return f.value;
    return std::string();
  };
  usecase::Problems p;
  usecase::InboundCall call;
  call.call_id = field("CallSid");
  if (call.call_id.empty() || call.call_id.size() > 100) p.add("CallSid", "is required: this is not a Twilio status callback");
  call.status = field("CallStatus");
  static constexpr std::string_view kFinished[] = {"completed", "busy", "no-answer", "failed", "canceled"};
  bool finished = std::ranges::find(kFinished, call.status) != std::end(kFinished);
  auto direction = field("Direction");
  call.direction = direction.starts_with("outbound") ? "outbound" : "inbound";
  call.number = call.direction == "inbound" ? field("From") : field("To");
  if (auto sender = sender_of(call.number); sender && sender->kind == "phone") call.sender = *sender;
  else p.add(call.direction == "inbound" ? "From" : "To", "must be a phone number in E.164");
  auto duration = field("CallDuration");
  if (!duration.empty()) {
    if (duration.size() > 6 || !std::ranges::all_of(duration, [](char ch) { return ch >= '0' && ch <= '9'; })) p.add("CallDuration", "must be seconds");
    else call.duration_seconds = std::stoll(duration);
  }
  if (p.any()) return fail(p.error());
  if (!finished) return std::optional<usecase::InboundCall>();  // ringing, in progress: the finished one will come
  return std::optional(std::move(call));
}

Result<HookAnswer> receive_hook(const usecase::Services& s, const HookRequest& r) {
  ASSIGN_OR_RETURN(auto channel, usecase::hook_channel(s, r.channel_id));
  // Refusals go to the log, then to the sender as the error.
  auto refuse = [&](Error e) -> Result<HookAnswer> {
    int status = e.code == Code::unauthenticated ? 401 : 422;
    TRY(usecase::log_refused_delivery(s, channel, status, status == 401 ? "refused" : "invalid",
                                      e.details.empty() ? e.message : e.details.front().field + " " + e.details.front().problem));
    return fail(std::move(e));
  };
  auto now = to_millis(s.clock.now()) / 1000;
  if (channel.kind == Kind::alertmanager) {
    if (!bearer_matches(r.authorization, channel.secret)) return refuse(unauthenticated("the Authorization header must be Bearer <the channel's secret>"));
  } else if (channel.format == Format::twilio) {
    auto origin = channel.address.value_or("");
    while (!origin.empty() && origin.back() == '/') origin.pop_back();
    // Twilio signs the URL it called: the hook address, configured without a query string.
    auto url = origin + "/api/v1/hooks/" + channel.id;
    if (r.twilio_signature.empty() || !constant_time_equal(r.twilio_signature, twilio_signature(channel.secret, url, read_form(r.body))))
      return refuse(unauthenticated("X-Twilio-Signature does not match " + url + " and the body under the account's auth token"));
  } else if (channel.format == Format::telegram) {
    if (r.telegram_token.empty() || !constant_time_equal(r.telegram_token, channel.secret))
      return refuse(unauthenticated("X-Telegram-Bot-Api-Secret-Token must be the channel's secret (setWebhook's secret_token)"));
  } else if (auto verdict = check_signature(channel.secret, r.signature, r.body, now); verdict != Verdict::valid) {
    return refuse(unauthenticated(explain(verdict)));
  }

  HookAnswer answer;
  if (channel.format == Format::twilio) {
    auto call = read_twilio_call(read_form(r.body));
    if (!call) return refuse(call.error());
    if (!*call) {
      answer.filed = {"ignored", std::nullopt, std::nullopt, false, "the call is not finished yet"};
      TRY(usecase::log_refused_delivery(s, channel, 200, answer.filed.outcome, answer.filed.reason));
      return answer;
    }
    (*call)->payload = r.body;
    ASSIGN_OR_RETURN(answer.filed, usecase::file_call(s, channel, **call));
    answer.status = answer.filed.outcome == "unmatched" ? 202 : answer.filed.created ? 201 : 200;
    return answer;
  }
  auto body = Json::parse(r.body, nullptr, false);
  if (body.is_discarded()) return refuse(Error(Code::invalid_argument, "The body is not JSON."));
  if (channel.kind == Kind::alertmanager) {
    auto group = read_alertmanager(body);
    if (!group) return refuse(group.error());
    ASSIGN_OR_RETURN(answer.filed, usecase::file_alert_group(s, channel, *group));
  } else {
    std::optional<usecase::InboundMessage> message;
    if (channel.format == Format::telegram) {
      auto update = read_telegram_update(body);
      if (!update) return refuse(update.error());
      message = std::move(*update);
      if (!message) {
        answer.filed = {"ignored", std::nullopt, std::nullopt, false, "the update carries no text message"};
        TRY(usecase::log_refused_delivery(s, channel, 200, answer.filed.outcome, answer.filed.reason));
        return answer;
      }
    } else {
      auto read = read_generic_message(body);
      if (!read) return refuse(read.error());
      message = std::move(*read);
    }
    message->payload = r.body;
    auto filed = usecase::file_message(s, channel, *message);
    if (!filed && filed.error().code == Code::invalid_argument) return refuse(filed.error());
    TRY(filed);
    answer.filed = std::move(*filed);
  }
  answer.status = answer.filed.outcome == "unmatched" ? 202 : answer.filed.created ? 201 : 200;
  return answer;
}

}  // namespace tandem::channels
