// JSON shapes of the identity resources (DTOs), apart from the storage records (STYLE.md §8).
#pragma once

#include "http/json_body.h"
#include "storage/audit_log.h"
#include "storage/organizations.h"
#include "storage/recovery_tasks.h"
#include "storage/sessions.h"
#include "storage/teams.h"
#include "storage/user_groups.h"
#include "storage/tickets.h"
#include "storage/users.h"
#include "usecase/calendars.h"
#include "usecase/catalog.h"
#include "usecase/classification.h"
#include "usecase/queues.h"
#include "usecase/sla_policies.h"

namespace tandem::http {

Json to_json(const storage::Organization& org);
// Users are the most read resource (every /me, every list page): written straight to text.
std::string to_json_text(const storage::User& user);
Json to_json(const storage::Team& team);
Json to_json(const storage::UserGroup& group);
Json to_json(const storage::AccessToken& token);
Json to_json(const audit::Entry& entry);
Json to_json(const storage::Ticket& ticket);
Json to_json(const storage::TicketEvent& event);
Json to_json(const storage::TicketLink& link);
Json to_json(const storage::Notification& notification);
Json to_json(const storage::RecoveryTask& task);
Json to_json(const usecase::QueueView& queue);
Json to_json(const usecase::RuleView& rule);
Json to_json(const usecase::CalendarView& calendar);
Json to_json(const usecase::PolicyView& policy);
std::string time_text(std::int64_t ms);
// An RFC 3339 time, or null.
Json nullable_time(const std::optional<std::int64_t>& ms);
// A translatable text as stored (a JSON object by language) in `language`, else English, else any.
Json stored_text_in(const std::string& stored, std::string_view language);
Json to_json(const usecase::EntitlementView& rule);

// Browser sessions arrive through the portal; personal access tokens through the API.
inline tickets::Channel arrival_channel(const Request& r) {
  return r.auth && r.auth->session_hash.empty() ? tickets::Channel::api : tickets::Channel::portal;
}

// A field holding one of an enumeration's names; the allowed names in the problem otherwise.
template <class E, class Parse>
std::optional<E> parse_enum(Fields& f, const std::string& field, Parse parse, std::span<const E> allowed, bool required = false) {
  auto text = f.text(field, required);
  if (!text) return std::nullopt;
  auto v = parse(*text);
  if (!v) f.problem(field, "unknown value '" + *text + "'; allowed: " + tickets::allowed_names(allowed));
  return v;
}

template <class T>
std::string to_json_text(const T& resource) {
  return to_json(resource).dump(-1, ' ', false, Json::error_handler_t::replace);
}

// `{"items":[…],"next_cursor":…}` (API.md), each item as to_json_text writes it.
template <class T>
Response list_response(const storage::Page<T>& page) {
  std::string items = "[";
  for (const auto& item : page.items) {
    if (items.size() > 1) items += ',';
    items += to_json_text(item);
  }
  items += ']';
  return page_response(std::move(items), page.next_after);
}
// Every item at once: a list without a next page.
template <class T>
Response list_response(const std::vector<T>& items) {
  return list_response(storage::Page<T>{items, std::nullopt});
}

// 200/201 with the resource, its ETag and (for 201) its Location.
template <class T>
Response resource_response(int status, const T& resource, std::string_view collection) {
  Response r;
  r.status = status;
  r.body = to_json_text(resource);
  r.set_header("ETag", etag_of(resource.version));
  if (status == 201) r.set_header("Location", std::string(collection) + "/" + resource.id);
  return r;
}

}  // namespace tandem::http
