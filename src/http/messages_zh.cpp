#include "http/messages_zh.h"

#include <array>
#include <map>
#include <regex>

namespace tandem::http {

std::string chinese_message(std::string_view code, const std::string& english) {
  static const std::map<std::string_view, std::string_view> catalog = {
      {"validation_failed", "部分字段无效。"},
      {"malformed_request", "请求格式有误，无法解析。"},
      {"malformed_json", "请求正文不是有效的 JSON。"},
      {"unauthenticated", "请先登录。"},
      {"invalid_credentials", "电子邮件地址或密码错误。"},
      {"account_locked", "登录失败次数过多，账户已暂时锁定。"},
      {"forbidden", "您无权执行此操作。"},
      {"csrf_failed", "缺少或无效的 CSRF 令牌。"},
      {"not_found", "未找到该资源。"},
      {"conflict", "操作与现有数据冲突。"},
      {"identity_taken", "该身份标识已被其他用户使用。"},
      {"transition_not_allowed", "按工单的流程，当前状态不能转到所请求的状态。"},
      {"precondition_failed", "该记录已被他人修改，请刷新后重试。"},
      {"precondition_required", "修改需要 If-Match 请求头。"},
      {"payload_too_large", "请求正文过大。"},
      {"unsupported_media_type", "不支持的内容类型。"},
      {"rate_limited", "请求过于频繁，请稍后再试。"},
      {"unavailable", "服务暂时不可用，请稍后再试。"},
      {"internal", "服务器内部出错。"},
      {"method_not_allowed", "该路径不支持此方法。"},
      {"plan_not_accepted", "计划尚未确认：工作开始前需由该组织的客户负责人确认。"},
      {"plan_not_draft", "只有草稿状态的计划才能确认。"},
      {"plan_reviewed", "计划已复盘，现已成为记录，不能再修改。"},
      {"dependency_open", "此行动所依赖的行动尚未完成。"},
      {"plan_not_reviewable", "只有进行中或已完成的计划才能复盘。"},
      {"action_move_not_allowed", "该行动当前的状态不能改为所请求的状态。"},
  };
  auto it = catalog.find(code);
  return it == catalog.end() ? english : std::string(it->second);
}

constexpr std::size_t kLongestMatched = 300;

std::string chinese_problem(const std::string& english) {
  static const std::map<std::string_view, std::string_view, std::less<>> exact = {
      {"is required", "必填"},
      {"is empty", "不能为空"},
      {"invalid value", "值无效"},
      {"must be true or false", "必须是 true 或 false"},
      {"must be an object", "必须是 JSON 对象"},
      {"must be a JSON object", "必须是 JSON 对象"},
      {"must be an array of strings", "必须是字符串数组"},
      {"must be a string", "必须是文本"},
      {"must be a number", "必须是数字"},
      {"must be a whole number", "必须是整数"},
      {"must be an e-mail address", "必须是电子邮件地址"},
      {"must be an IANA time zone such as Asia/Shanghai", "必须是 IANA 时区，例如 Asia/Shanghai"},
      {"is not a cursor this server gave out", "不是本服务器给出的分页游标"},
      {"is not a report parameter", "不是报表的参数"},
      {"must be after from", "必须晚于 from"},
      {"a report covers at most 366 days", "报表最多涵盖 366 天"},
      {"team is for the service desk's staff only", "按团队分组仅限服务台员工使用"},
      {"must not repeat a member", "成员不能重复"},
      {"the lead must be a member of the team", "负责人必须是团队成员"},
      {"staff belong to the provider organisation", "员工属于服务提供方组织"},
      {"only a representative represents users", "只有代表角色可以代表其他用户"},
      {"periods must be in order and must not overlap", "时段必须按时间顺序且不能重叠"},
      {"must be an RFC 3339 time", "必须是 RFC 3339 时间"},
      {"must be an RFC 3339 time such as 2026-11-01T00:00:00Z", "必须是 RFC 3339 时间，例如 2026-11-01T00:00:00Z"},
      {"must be met, breached or open", "必须是 met、breached 或 open"},
      {"the tier is retired", "该档位已停用"},
      {"is not a phone number", "不是电话号码"},
  };
  // Phrases with a value in them; the value ($1, $2) is kept as it is.
  static const std::array<std::pair<std::regex, const char*>, 11> patterns = {{
      {std::regex(R"re(^allowed: (.+)$)re"), "可选值：$1"},
      {std::regex(R"re(^must be at most (\d+) bytes$)re"), "最多 $1 字节"},
      {std::regex(R"re(^must be text of at most (\d+) bytes$)re"), "必须是不超过 $1 字节的文本"},
      {std::regex(R"re(^must be (\d+) to (\d+) bytes$)re"), "长度必须为 $1 到 $2 字节"},
      {std::regex(R"re(^must be a whole number from (-?\d+) to (-?\d+)$)re"), "必须是 $1 到 $2 之间的整数"},
      {std::regex(R"re(^unknown value '(.+)'$)re"), "未知的值“$1”"},
      {std::regex(R"re(^"(.+)" is named twice$)re"), "“$1”重复出现"},
      {std::regex(R"re(^"(.+)" is the key of an earlier (\w+)$)re"), "“$1”已被前面的项使用"},
      {std::regex(R"re(^not a state of this workflow; states: (.+)$)re"), "不是此流程的状态；可用状态：$1"},
      {std::regex(R"re(^not a staff member: (.+)$)re"), "不是员工：$1"},
      {std::regex(R"re(^the actions depend on each other in a circle, so none could ever start: (.+)$)re"),
       "这些行动相互循环等待，永远无法开始：$1"},
  }};
  // "no such <record>[: <id>]": the record named in Chinese, the id kept.
  static const std::map<std::string_view, std::string_view, std::less<>> records = {
      {"organisation", "组织"}, {"user", "用户"}, {"team", "团队"}, {"group", "用户组"}, {"calendar", "工作日历"},
      {"service", "服务"}, {"request type", "请求类型"}, {"offering", "服务产品"}, {"offering tier", "订阅档位"},
      {"tier", "订阅档位"}, {"member of staff or team", "员工或团队"}, {"active webhook endpoint", "已启用的 webhook 端点"},
      {"eligibility requirement", "启用条件"}, {"user in the organisation", "该组织中的用户"}, {"ticket", "工单"},
      {"SLA policy", "SLA 策略"}, {"queue", "队列"}};
  if (auto it = exact.find(english); it != exact.end()) return std::string(it->second);
  // A problem that long repeats a value someone sent; it is not matched (std::regex recurses per
  // character) and stays as written.
  if (english.size() > kLongestMatched) return english;
  if (std::string_view text = english; text.starts_with("no such ")) {
    text.remove_prefix(8);
    auto colon = text.find(": ");
    auto record = records.find(text.substr(0, colon));
    if (record != records.end())
      return "不存在此" + std::string(record->second) + (colon == std::string_view::npos ? "" : "：" + std::string(text.substr(colon + 2)));
  }
  for (const auto& [pattern, chinese] : patterns)
    if (std::regex_match(english, pattern)) return std::regex_replace(english, pattern, chinese);
  return english;
}

}  // namespace tandem::http
