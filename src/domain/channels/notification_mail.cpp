#include "domain/channels/notification_mail.h"

#include <kainjow/mustache.hpp>

#include <array>
#include <map>
#include <utility>

namespace tandem::channels {
namespace {

using kainjow::mustache::data;
using kainjow::mustache::mustache;

struct Template {
  std::string_view subject;
  std::string_view text;
};

// Triple braces: the values are plain text, never HTML-escaped. The footer says how to answer.
constexpr std::string_view kFooterEn =
    "{{#link}}\n\nSee the request: {{{link}}}{{/link}}\n\n-- \nReply to this e-mail to answer; keep {{{tag}}} in the subject.";
constexpr std::string_view kFooterZh = "{{#link}}\n\n查看请求：{{{link}}}{{/link}}\n\n-- \n直接回复本邮件即可答复；请保留主题中的 {{{tag}}}。";

const std::map<std::pair<std::string_view, std::string_view>, Template>& templates() {
  static const std::map<std::pair<std::string_view, std::string_view>, Template> t{
      {{"en", "created"},
       {"We have your request: {{{subject}}}",
        "Hello {{{name}}},\n\nWe have your request \"{{{subject}}}\" (number {{{number}}}) and will answer by e-mail."}},
      {{"en", "reply"}, {"Re: {{{subject}}}", "{{{author}}} wrote on your request \"{{{subject}}}\":\n\n{{{text}}}"}},
      {{"en", "status_changed"},
       {"{{{subject}}}: {{{status}}}",
        "Hello {{{name}}},\n\nYour request \"{{{subject}}}\" is now {{{status}}}.{{#text}}\n\n{{{author}}} noted:\n\n{{{text}}}{{/text}}"
        "{{#rating_link}}\n\nHow did we do? One click rates us, from 5 (very satisfied) to 1:\n"
        "5: {{{rating_link}}}?score=5\n4: {{{rating_link}}}?score=4\n3: {{{rating_link}}}?score=3\n"
        "2: {{{rating_link}}}?score=2\n1: {{{rating_link}}}?score=1{{/rating_link}}"}},
      {{"en", "major_incident_update"},
       {"Update: {{{subject}}}", "There is news of the incident that affects your request \"{{{subject}}}\":\n\n{{{text}}}"}},
      {{"zh-CN", "created"}, {"已收到您的请求：{{{subject}}}", "{{{name}}}，您好：\n\n我们已收到您的请求“{{{subject}}}”（编号 {{{number}}}），将通过邮件答复您。"}},
      {{"zh-CN", "reply"}, {"回复：{{{subject}}}", "{{{author}}} 在您的请求“{{{subject}}}”中写道：\n\n{{{text}}}"}},
      {{"zh-CN", "status_changed"},
       {"{{{subject}}}：{{{status}}}",
        "{{{name}}}，您好：\n\n您的请求“{{{subject}}}”现在的状态是：{{{status}}}。{{#text}}\n\n{{{author}}} 备注：\n\n{{{text}}}{{/text}}"
        "{{#rating_link}}\n\n对这次服务满意吗？点击即可评分（5 分为非常满意，1 分为非常不满意）：\n"
        "5 分：{{{rating_link}}}?score=5\n4 分：{{{rating_link}}}?score=4\n3 分：{{{rating_link}}}?score=3\n"
        "2 分：{{{rating_link}}}?score=2\n1 分：{{{rating_link}}}?score=1{{/rating_link}}"}},
      {{"zh-CN", "major_incident_update"},
       {"进展：{{{subject}}}", "影响您的请求“{{{subject}}}”的事件有新进展：\n\n{{{text}}}"}},
      // REL-5: a broadcast is not a request: nothing to answer, and it says why it came.
      {{"en", "broadcast"},
       {"{{{subject}}}",
        "Hello {{{name}}},\n\n{{{text}}}{{#link}}\n\nMore: {{{link}}}{{/link}}\n\n-- \nYou get this as news of {{{author}}}. Choose how "
        "you hear of it, or stop, on the service's page of the portal."}},
      {{"zh-CN", "broadcast"},
       {"{{{subject}}}",
        "{{{name}}}，您好：\n\n{{{text}}}{{#link}}\n\n详情：{{{link}}}{{/link}}\n\n-- \n您收到此邮件，是因为这是关于“{{{author}}}”的通知。"
        "可在门户中该服务的页面上选择接收方式或退订。"}},
      // FDB-1: a relationship survey's invitation and its one reminder; {{{text}}} is its introduction.
      {{"en", "survey_invitation"},
       {"{{{subject}}}",
        "Hello {{{name}}},\n\n{{{author}}} asks how we are doing: a few questions, a minute or two.{{#text}}\n\n{{{text}}}{{/text}}"
        "{{#link}}\n\nAnswer here: {{{link}}}{{/link}}\n\n-- \nYou get this once, and one reminder if you do not answer."}},
      {{"zh-CN", "survey_invitation"},
       {"{{{subject}}}",
        "{{{name}}}，您好：\n\n{{{author}}}想了解我们做得如何：几个问题，一两分钟即可。{{#text}}\n\n{{{text}}}{{/text}}"
        "{{#link}}\n\n在这里作答：{{{link}}}{{/link}}\n\n-- \n此邮件只发一次；如未作答，会再提醒一次。"}},
      {{"en", "survey_reminder"},
       {"Reminder: {{{subject}}}",
        "Hello {{{name}}},\n\nA reminder: {{{author}}} would still like your answer to “{{{subject}}}”.{{#link}}\n\nAnswer here: "
        "{{{link}}}{{/link}}\n\n-- \nThis is the only reminder."}},
      {{"zh-CN", "survey_reminder"},
       {"提醒：{{{subject}}}",
        "{{{name}}}，您好：\n\n提醒一下：{{{author}}}仍期待您回答“{{{subject}}}”。{{#link}}\n\n在这里作答：{{{link}}}{{/link}}"
        "\n\n-- \n这是唯一一次提醒。"}},
  };
  return t;
}

std::string_view language_of(std::string_view language) { return language.starts_with("zh") ? "zh-CN" : "en"; }

std::string render(std::string_view tmpl, const data& values) {
  mustache m{std::string(tmpl)};
  return m.render(values);
}

}  // namespace

std::string state_label(std::string_view state, std::string_view language) {
  static const std::map<std::string_view, std::array<std::string_view, 2>> labels{
      {"new", {"new", "新建"}},
      {"triaged", {"triaged", "已分诊"}},
      {"in_progress", {"in progress", "处理中"}},
      {"waiting_for_user", {"waiting for your answer", "等待您的答复"}},
      {"awaiting_approval", {"awaiting approval", "等待审批"}},
      {"fulfilment", {"being fulfilled", "处理中"}},
      {"resolved", {"resolved", "已解决"}},
      {"closed", {"closed", "已关闭"}},
      {"cancelled", {"cancelled", "已取消"}},
      {"rejected", {"rejected", "已拒绝"}},
      {"acknowledged", {"acknowledged", "已确认"}},
  };
  auto it = labels.find(state);
  if (it == labels.end()) return std::string(state);
  return std::string(it->second[language_of(language) == "zh-CN" ? 1 : 0]);
}

RenderedMail render_notification(const NotificationFacts& f) {
  auto language = language_of(f.language);
  auto it = templates().find({language, f.kind});
  if (it == templates().end()) it = templates().find({language, "reply"});
  data values;
  values.set("name", f.recipient_name);
  values.set("number", std::to_string(f.number));
  values.set("subject", f.subject);
  values.set("tag", f.reference_tag);
  values.set("author", f.author);
  values.set("status", state_label(f.status, language));
  // Sections open on a non-empty string: an empty one is false.
  if (f.text.empty()) values.set("text", data(data::type::bool_false));
  else values.set("text", f.text);
  if (f.link.empty()) values.set("link", data(data::type::bool_false));
  else values.set("link", f.link);
  if (f.rating_link.empty()) values.set("rating_link", data(data::type::bool_false));
  else values.set("rating_link", f.rating_link);
  RenderedMail out;
  if (f.kind == "broadcast" || f.kind.starts_with("survey_")) {
    out.subject = render(it->second.subject, values);
    out.text = render(it->second.text, values) + "\n";
    return out;
  }
  out.subject = render(it->second.subject, values) + " " + f.reference_tag;
  out.text = render(std::string(it->second.text) + std::string(language == "zh-CN" ? kFooterZh : kFooterEn), values) + "\n";
  return out;
}

std::optional<std::int64_t> mail_retry_delay_ms(int attempts_made) {
  constexpr std::array<std::int64_t, 6> kMinutes = {1, 5, 15, 60, 240, 720};
  if (attempts_made < 1 || attempts_made > int(kMinutes.size())) return std::nullopt;
  return kMinutes[std::size_t(attempts_made - 1)] * 60'000;
}

}  // namespace tandem::channels
