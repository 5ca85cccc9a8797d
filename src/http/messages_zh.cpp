#include "http/messages_zh.h"

#include <map>

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
  };
  auto it = catalog.find(code);
  return it == catalog.end() ? english : std::string(it->second);
}

}  // namespace tandem::http
