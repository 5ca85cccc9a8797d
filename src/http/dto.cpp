#include "http/dto.h"

#include "core/log.h"

namespace tandem::http {

std::string time_text(std::int64_t ms) { return to_rfc3339(from_millis(ms)); }

Json nullable_time(const std::optional<std::int64_t>& ms) { return ms ? Json(time_text(*ms)) : Json(nullptr); }

Json stored_text_in(const std::string& stored, std::string_view language) {
  auto texts = Json::parse(stored, nullptr, false);
  if (!texts.is_object() || texts.empty()) return "";
  if (auto it = texts.find(std::string(language)); it != texts.end()) return *it;
  if (auto it = texts.find("en"); it != texts.end()) return *it;
  return texts.begin().value();
}

namespace {
Json nullable(const std::optional<std::string>& v) { return v ? Json(*v) : Json(nullptr); }
}  // namespace

// DESK-3: the agreed timeframes of a ticket as read when it was loaded; a target not agreed is null.
Json sla_json(const std::optional<sla::Reading>& reading) {
  if (!reading) return nullptr;
  auto when = [](const std::optional<Time>& t) { return t ? Json(to_rfc3339(*t)) : Json(nullptr); };
  Json out = {{"policy", {{"id", reading->policy_id}, {"name", reading->policy_name}}}};
  for (auto m : sla::kMetrics) out[std::string(sla::to_string(m))] = nullptr;
  for (const auto& t : reading->clock.targets) {
    Json pauses = Json::array();
    for (const auto& p : t.pauses) pauses.push_back({{"from", to_rfc3339(p.from)}, {"to", to_rfc3339(p.to)}});
    Json target = {{"target_minutes", t.target.count()},
                   {"due", when(t.due)},
                   {"state", sla::to_string(t.state)},
                   {"paused", t.paused},
                   {"started_at", when(t.started_at)},
                   {"stopped_at", when(t.stopped_at)},
                   {"warning_at", when(t.warning_at)},
                   {"elapsed_seconds", std::chrono::duration_cast<std::chrono::seconds>(t.elapsed).count()},
                   {"pauses", pauses}};
    if (t.metric == sla::Metric::next_update) {
      target["cycle"] = t.cycle;
      target["breached_cycles"] = t.breached_cycles;
    }
    out[std::string(sla::to_string(t.metric))] = target;
  }
  return out;
}

Json to_json(const storage::Ticket& t) {
  return {{"id", t.id},
          {"number", t.number},
          {"type", tickets::to_string(t.type)},
          {"channel", tickets::to_string(t.channel)},
          {"subject", t.subject},
          {"description", t.description},
          {"status", t.status},
          {"priority", tickets::to_string(t.priority)},
          {"impact", tickets::to_string(t.impact)},
          {"urgency", tickets::to_string(t.urgency)},
          {"organization_id", t.organization_id},
          {"requester_id", t.requester_id},
          {"on_behalf_of", nullable(t.on_behalf_of)},
          {"service_id", nullable(t.service_id)},
          {"category", t.category},
          {"team_id", nullable(t.team_id)},
          {"assignee_id", nullable(t.assignee_id)},
          {"tags", t.tags},
          {"watchers", t.watchers},
          {"version", t.version},
          {"etag", etag_of(t.version)},
          {"created_at", time_text(t.created_at)},
          {"updated_at", time_text(t.updated_at)},
          {"resolved_at", nullable_time(t.resolved_at)},
          {"closed_at", nullable_time(t.closed_at)},
          {"major_incident", t.major_incident},
          {"sla", sla_json(t.sla)}};
}

Json to_json(const storage::TicketLink& l) {
  return {{"ticket_id", l.ticket_id}, {"other_id", l.other_id}, {"kind", l.kind}, {"created_by", l.created_by},
          {"created_at", time_text(l.created_at)}};
}

Json to_json(const storage::Notification& n) {
  return {{"id", n.id},
          {"ticket_id", n.ticket_id.empty() ? Json(nullptr) : Json(n.ticket_id)},
          {"plan_id", n.plan_id ? Json(*n.plan_id) : Json(nullptr)},
          {"requirement_id", n.requirement_id ? Json(*n.requirement_id) : Json(nullptr)},
          {"topic_id", n.topic_id ? Json(*n.topic_id) : Json(nullptr)},
          {"booking_id", n.booking_id ? Json(*n.booking_id) : Json(nullptr)},
          {"broadcast_id", n.broadcast_id ? Json(*n.broadcast_id) : Json(nullptr)},
          {"feedback_id", n.feedback_id ? Json(*n.feedback_id) : Json(nullptr)},
          {"event_id", n.event_id},
          {"kind", n.kind},
          {"summary", n.summary},
          {"read", n.read_at.has_value()},
          {"created_at", time_text(n.created_at)},
          {"read_at", nullable_time(n.read_at)}};
}

Json to_json(const storage::TicketEvent& e) {
  auto data = Json::parse(e.data, nullptr, /*allow_exceptions=*/false);
  if (data.is_discarded()) data = Json::object();
  return {{"id", e.id},
          {"ticket_id", e.ticket_id},
          {"seq", e.seq},
          {"kind", e.kind},
          {"actor_id", e.actor_id},
          {"channel", tickets::to_string(e.channel)},
          {"public", e.visibility == storage::Visibility::public_},
          {"body", e.body},
          {"data", std::move(data)},
          {"created_at", time_text(e.created_at)}};
}

Json to_json(const storage::RecoveryTask& t) {
  return {{"id", t.id},
          {"ticket_id", t.ticket_id},
          {"organization_id", t.organization_id},
          {"signal", t.signal},
          {"assignee_id", nullable(t.assignee_id)},
          {"team", nullable(t.team_id)},
          {"due", nullable_time(t.due_at)},
          {"status", t.status},
          {"note", t.note},
          {"created_at", time_text(t.created_at)},
          {"done_at", nullable_time(t.done_at)},
          {"done_by", nullable(t.done_by)}};
}

Json to_json(const usecase::QueueView& v) {
  const auto& q = v.queue;
  auto filter = Json::parse(q.filter, nullptr, /*allow_exceptions=*/false);
  return {{"id", q.id},
          {"name", q.name},
          {"shared", !q.owner_id},
          {"owner_id", q.owner_id ? Json(*q.owner_id) : Json(nullptr)},
          {"filter", filter.is_object() ? filter : Json::object()},
          {"count", v.count},
          {"created_by", q.created_by},
          {"version", q.version},
          {"created_at", time_text(q.created_at)},
          {"updated_at", time_text(q.updated_at)}};
}

Json to_json(const usecase::RuleView& v) {
  const auto& r = v.stored;
  auto object = [](const std::string& text) {
    auto j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
    return j.is_object() ? j : Json::object();
  };
  return {{"id", r.id},
          {"name", r.name},
          {"position", r.position},
          {"active", r.active},
          {"conditions", object(r.conditions)},
          {"actions", object(r.actions)},
          {"version", r.version},
          {"etag", etag_of(r.version)},
          {"created_at", time_text(r.created_at)},
          {"updated_at", time_text(r.updated_at)}};
}

Json to_json(const usecase::CalendarView& v) {
  const auto& d = v.stored;
  Json out = {{"id", d.id}, {"name", d.name}};
  out.update(Json::parse(d.definition));
  out.update({{"version", d.version}, {"etag", etag_of(d.version)}, {"created_at", time_text(d.created_at)},
              {"updated_at", time_text(d.updated_at)}});
  return out;
}

Json to_json(const usecase::EntitlementView& v) {
  const auto& d = v.stored;
  Json out = {{"id", d.id}, {"group_id", nullptr}};  // rules kept before groups existed name none
  out.update(Json::parse(d.definition));
  out.update({{"version", d.version}, {"etag", etag_of(d.version)}, {"created_at", time_text(d.created_at)},
              {"updated_at", time_text(d.updated_at)}});
  return out;
}

Json to_json(const usecase::PolicyView& v) {
  const auto& d = v.stored;
  Json out = {{"id", d.id}, {"name", d.name}, {"order", d.position}, {"active", d.active}};
  out.update(Json::parse(d.definition));
  out.update({{"version", d.version}, {"etag", etag_of(d.version)}, {"created_at", time_text(d.created_at)},
              {"updated_at", time_text(d.updated_at)}});
  return out;
}

Json to_json(const storage::Organization& o) {
  return {{"id", o.id}, {"name", o.name}, {"kind", identity::to_string(o.kind)}, {"version", o.version},
          {"created_at", time_text(o.created_at)}, {"updated_at", time_text(o.updated_at)}};
}

std::string to_json_text(const storage::User& u) {
  // Strings come from validated UTF-8 input; json_quote escapes what JSON requires.
  std::string out;
  out.reserve(512);
  auto key = [&](std::string_view k) {
    out += out.size() > 1 ? ",\"" : "\"";
    out += k;
    out += "\":";
  };
  auto text = [&](std::string_view k, std::string_view v) {
    key(k);
    out += json_quote(v);
  };
  auto list = [&](std::string_view k, const auto& items, auto name) {
    key(k);
    out += '[';
    bool first = true;
    for (const auto& item : items) {
      if (!first) out += ',';
      first = false;
      out += json_quote(name(item));
    }
    out += ']';
  };
  out += '{';
  text("id", u.id);
  text("organization_id", u.organization_id);
  text("email", u.email);
  text("name", u.name);
  list("roles", u.roles, [](identity::Role r) { return identity::to_string(r); });
  text("language", u.language);
  text("time_zone", u.time_zone);
  list("flags", u.flags, [](identity::UserFlag f) { return identity::to_string(f); });
  list("represented_user_ids", u.represented_user_ids, [](const std::string& id) -> std::string_view { return id; });
  key("identities");
  out += '[';
  for (std::size_t i = 0; i < u.identities.size(); ++i) {
    if (i) out += ',';
    out += "{\"kind\":" + json_quote(u.identities[i].kind) + ",\"value\":" + json_quote(u.identities[i].value) + "}";
  }
  out += ']';
  key("active");
  out += u.active ? "true" : "false";
  key("external_id");
  out += u.external_id ? json_quote(*u.external_id) : "null";
  key("left_at");
  out += u.left_at ? json_quote(time_text(*u.left_at)) : "null";
  key("version");
  out += std::to_string(u.version);
  text("created_at", time_text(u.created_at));
  text("updated_at", time_text(u.updated_at));
  out += '}';
  return out;
}

Json to_json(const storage::Team& t) {
  return {{"id", t.id}, {"organization_id", t.organization_id}, {"name", t.name}, {"description", t.description},
          {"skills", t.skills}, {"languages", t.languages}, {"member_ids", t.member_ids},
          {"lead_id", t.lead_id ? Json(*t.lead_id) : Json(nullptr)}, {"version", t.version},
          {"created_at", time_text(t.created_at)}, {"updated_at", time_text(t.updated_at)}};
}

Json to_json(const storage::UserGroup& g) {
  return {{"id", g.id}, {"organization_id", g.organization_id}, {"name", g.name}, {"description", g.description},
          {"external_id", g.external_id ? Json(*g.external_id) : Json(nullptr)}, {"member_ids", g.member_ids},
          {"version", g.version}, {"created_at", time_text(g.created_at)}, {"updated_at", time_text(g.updated_at)}};
}

Json to_json(const storage::AccessToken& t) {
  Json j = {{"id", t.id}, {"name", t.name}, {"created_at", time_text(t.created_at)}, {"expires_at", nullptr}};
  if (t.expires_at) j["expires_at"] = time_text(*t.expires_at);
  return j;
}

Json to_json(const audit::Entry& e) {
  return {{"seq", e.seq}, {"id", e.id}, {"at", time_text(e.at_ms)}, {"actor_id", e.actor_id},
          {"organization_id", e.organization_id}, {"action", e.action}, {"target_type", e.target_type},
          {"target_id", e.target_id}, {"before_digest", e.before_digest}, {"after_digest", e.after_digest},
          {"prev_hash", e.prev_hash}, {"hash", e.hash}};
}

}  // namespace tandem::http
