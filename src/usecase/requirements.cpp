#include "usecase/requirements.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <shared_mutex>

#include "core/id.h"
#include "domain/tickets/attachment.h"
#include "storage/attachments.h"
#include "storage/tickets.h"
#include "storage/training_attempts.h"
#include "storage/users.h"
#include "usecase/attachments.h"
#include "usecase/catalog_definitions.h"
#include "usecase/definition_access.h"
#include "usecase/validation.h"

namespace tandem::usecase {
namespace {

using namespace catalog_definitions;
namespace ob = ::tandem::onboarding;

const TranslatableKind kRequirement{Kind::requirement,        "requirement",
                                    "req",                    kRequirementFields,
                                    "an enablement requirement", "No such enablement requirement.",
                                    "requirement.manage"};
constexpr std::string_view kKinds = "clearance, training, certification, safety_training, age, identity, licence, custom";

struct CheckedRequirement {
  Json definition;
  RequirementView view;
};

Result<std::optional<CheckedRequirement>> check_requirement(storage::Connection& c, const Json& def, std::string_view language,
                                                             Problems& p) {
  RequirementView v;
  if (auto name = def.find("name"); name == def.end() || name->is_null()) p.add("name", "is required");
  else v.name = text_of(*name, "name", language, 200, p).value_or(LocalizedText());
  v.description = optional_text(def, "description", language, 2000, p);
  auto kind = def.find("kind");
  if (kind == def.end() || kind->is_null()) p.add("kind", "is required");
  else if (auto parsed = kind->is_string() ? ob::parse_requirement_kind(kind->get<std::string>()) : std::nullopt) v.kind = *parsed;
  else p.add("kind", "allowed: " + std::string(kKinds));
  if (auto category = def.find("category"); category != def.end() && !category->is_null()) {
    if (!category->is_string() || category->get<std::string>().empty() || category->get<std::string>().size() > 50)
      p.add("category", "must be a short text, such as a licence's category (C1)");
    else v.category = category->get<std::string>();
  }
  if (auto training = def.find("training_id"); training != def.end() && !training->is_null()) {
    if (v.kind != ob::RequirementKind::training) p.add("training_id", "is only for a training requirement");
    else if (!training->is_string()) p.add("training_id", "must be a training's id");
    else {
      ASSIGN_OR_RETURN(auto found, storage::definitions::find(c, Kind::training, training->get<std::string>()));
      if (!found) p.add("training_id", "no such training");
      else v.training_id = found->id;
    }
  } else if (v.kind == ob::RequirementKind::training) {
    p.add("training_id", "is required for a training requirement: passing the training meets it");
  }
  auto whole = [&](const char* key, int low, int high) -> std::optional<int> {
    auto it = def.find(key);
    if (it == def.end() || it->is_null()) return std::nullopt;
    if (!it->is_number_integer() || it->get<std::int64_t>() < low || it->get<std::int64_t>() > high) {
      p.add(key, fmt::format("must be a whole number from {} to {}", low, high));
      return std::nullopt;
    }
    return int(it->get<std::int64_t>());
  };
  v.validity_days = whole("validity_days", 1, 36500);
  v.reminder_days = whole("reminder_days", 0, 365).value_or(30);
  if (p.any()) return std::optional<CheckedRequirement>();
  Json definition = {{"name", text_json(v.name)},
                     {"description", text_json(v.description)},
                     {"kind", ob::to_string(v.kind)},
                     {"category", v.category.empty() ? Json(nullptr) : Json(v.category)},
                     {"training_id", v.training_id ? Json(*v.training_id) : Json(nullptr)},
                     {"validity_days", v.validity_days ? Json(*v.validity_days) : Json(nullptr)},
                     {"reminder_days", v.reminder_days}};
  return std::optional<CheckedRequirement>(CheckedRequirement{std::move(definition), std::move(v)});
}

RequirementView requirement_view(storage::StoredDefinition stored) {
  auto def = Json::parse(stored.definition);
  RequirementView v;
  v.name = stored_text(def["name"]);
  v.description = stored_text(def["description"]);
  v.kind = ob::parse_requirement_kind(def.value("kind", "")).value_or(ob::RequirementKind::custom);
  if (def["category"].is_string()) v.category = def["category"].get<std::string>();
  if (def["training_id"].is_string()) v.training_id = def["training_id"].get<std::string>();
  if (def["validity_days"].is_number_integer()) v.validity_days = def["validity_days"].get<int>();
  v.reminder_days = def.value("reminder_days", 30);
  v.stored = std::move(stored);
  return v;
}

date::sys_days today_of(const Services& s) { return date::floor<date::days>(s.clock.now()); }

ob::Evidence evidence_state(const storage::RequirementEvidence& e) {
  ob::Evidence state{ob::parse_evidence_status(e.status).value_or(ob::EvidenceStatus::pending), std::nullopt};
  if (e.expires_on) state.expires_on = parse_day(*e.expires_on);
  return state;
}

// Where one person stands, from their evidence (`rows`: by requirement, newest first) and their
// training passes.
Result<std::map<std::string, ob::RequirementStatus>> standing_of(storage::Connection& c, const std::vector<storage::RequirementEvidence>& rows,
                                                                 std::string_view user_id, date::sys_days today,
                                                                 const TrainingLinks& trainings) {
  std::map<std::string, ob::RequirementStatus> out;
  for (std::size_t i = 0; i < rows.size();) {
    std::vector<ob::Evidence> one;
    auto end = i;
    for (; end < rows.size() && rows[end].requirement_id == rows[i].requirement_id; ++end) one.push_back(evidence_state(rows[end]));
    out[rows[i].requirement_id] = ob::status_of(one, today);
    i = end;
  }
  // A training requirement is met by a pass on the training's present content, whatever
  // evidence was given for it (before it became one).
  if (!trainings.training_of.empty()) {
    ASSIGN_OR_RETURN(auto passes, storage::training_attempts::passes_of(c, user_id));
    for (const auto& [requirement, training] : trainings.training_of) {
      auto digest = trainings.digest_of.find(training);
      if (digest != trainings.digest_of.end() && passes.contains(training + "\n" + digest->second))
        out[requirement] = ob::RequirementStatus::met;
    }
  }
  return out;
}

}  // namespace

Result<RequirementView> create_requirement(const Services& s, const Actor& actor, const CatalogInput& in) {
  return create_translatable<RequirementView>(s, actor, kRequirement, in.fields_json,
                                              [&](storage::Connection& c, const Json& def, Problems& p) {
                                                return check_requirement(c, def, actor.language, p);
                                              });
}

Result<std::vector<RequirementView>> list_requirements(const Services& s, const Actor& actor) {
  return list_definitions(s, actor, "requirement.read", Kind::requirement, requirement_view);
}

Result<RequirementView> get_requirement(const Services& s, const Actor& actor, std::string_view id) {
  return get_definition(s, actor, "requirement.read", Kind::requirement, id, kRequirement.missing, requirement_view);
}

Result<RequirementView> update_requirement(const Services& s, const Actor& actor, std::string_view id, std::int64_t expected_version,
                                           const CatalogInput& patch) {
  return patch_translatable<RequirementView>(s, actor, kRequirement, id, expected_version, patch.fields_json,
                                             [&](storage::Connection& c, const Json& def, Problems& p) {
                                               return check_requirement(c, def, actor.language, p);
                                             });
}

Result<void> delete_requirement(const Services& s, const Actor& actor, std::string_view id) {
  TRY(authorize(actor, kRequirement.manage));
  return s.db.write([&](storage::Connection& c) -> Result<void> {
    ASSIGN_OR_RETURN(auto stored, load_definition(c, Kind::requirement, id, kRequirement.missing));
    ASSIGN_OR_RETURN(auto rule, first_naming(c, Kind::entitlement, stored.id, {"requirement_ids"}));
    if (rule)
      return fail(Code::conflict, "An entitlement rule still needs this requirement: " + rule->id + ". Change the rule first.",
                  "requirement_in_use");
    return remove_definition(c, s, actor, Kind::requirement, kRequirement.type, stored);
  });
}

namespace {

// ONB-8: the file an `attachment_id` of evidence names — the caller's own upload of the last day
// (POST /api/v1/uploads; taken, as a request takes one) or an attachment of a ticket of their
// organisation that they see. Its content is in their organisation's files already.
Result<storage::EvidenceFile> file_named(storage::Connection& c, const Actor& actor, const std::string& id, std::int64_t now) {
  auto refused = [](std::string problem) {
    Problems p;
    p.add("attachment_id", std::move(problem));
    return fail(p.error());
  };
  if (id.starts_with("upl_")) {
    ASSIGN_OR_RETURN(auto upload, storage::staged_uploads::find_own(c, actor.user_id, id, now - kStagedUploadLifeMs));
    if (!upload) return refused("no upload of yours made in the last day");
    ASSIGN_OR_RETURN(bool taken, storage::staged_uploads::take(c, actor.user_id, upload->id));
    if (!taken) return fail(Code::conflict, "The upload " + id + " was taken meanwhile; upload it again.");
    return storage::EvidenceFile{upload->sha256, upload->name, upload->size, upload->content_type};
  }
  ASSIGN_OR_RETURN(auto attached, storage::attachments::find(c, storage::Scope::for_actor(actor), id));
  if (!attached || attached->organization_id != actor.organization_id)
    return refused("no attachment you see: upload the file, or send it as multipart/form-data");
  return storage::EvidenceFile{attached->sha256, attached->name, attached->size, attached->content_type};
}

}  // namespace

Result<storage::RequirementEvidence> submit_evidence(const Services& s, const Actor& actor, std::string_view requirement_id,
                                                     const EvidenceInput& in) {
  TRY(authorize(actor, "evidence.submit"));
  Problems p;
  if (!tickets::valid_utf8(in.note)) p.add("note", "must be UTF-8 text");
  else if (in.file || in.attachment_id) {
    if (in.note.size() > 2000) p.add("note", "must be at most 2000 bytes");
    if (in.file && in.file->bytes.empty()) p.add("file", "is empty");
    if (in.file && in.attachment_id) p.add("attachment_id", "give a file or an attachment_id, not both");
    if (in.attachment_id && in.attachment_id->empty()) p.add("attachment_id", "must not be empty");
  } else {
    check_text(p, "note", trimmed(in.note), 2000);
  }
  if (p.any()) return fail(p.error());
  // Whether this evidence may be given at all, before any file is written: a refused one leaves
  // nothing on disk, and nobody fills it with evidence nobody has looked at yet.
  TRY(s.db.read([&](storage::Connection& c) -> Result<void> {
    ASSIGN_OR_RETURN(auto stored, storage::definitions::find(c, Kind::requirement, requirement_id));
    if (!stored || !stored->active) return fail(Code::not_found, kRequirement.missing);
    if (requirement_view(std::move(*stored)).kind == ob::RequirementKind::training)
      return fail(Code::conflict, "A training requirement is met by passing its training, not by evidence.", "met_by_training");
    ASSIGN_OR_RETURN(auto waiting, storage::requirement_evidence::pending_of_user(c, actor.user_id));
    if (waiting >= kMaxPendingEvidence)
      return fail(Code::rate_limited, fmt::format("You have {} pieces of evidence waiting for the service desk; wait for its decisions first.",
                                                  waiting));
    return {};
  }));
  // No sweep decides on the file between its writing and its row's commit.
  std::shared_lock uploading(*s.attachment_files);
  std::optional<storage::EvidenceFile> file;
  if (in.file) {
    ASSIGN_OR_RETURN(auto sha, storage::blobs::put(organisation_files(s, actor.organization_id), in.file->bytes));
    file = storage::EvidenceFile{sha, tickets::safe_file_name(in.file->client_name), std::int64_t(in.file->bytes.size()),
                                 tickets::sniff_content_type(in.file->bytes)};
  }
  return s.db.write([&](storage::Connection& c) -> Result<storage::RequirementEvidence> {
    ASSIGN_OR_RETURN(auto stored, storage::definitions::find(c, Kind::requirement, requirement_id));
    if (!stored || !stored->active) return fail(Code::not_found, kRequirement.missing);
    auto requirement = requirement_view(std::move(*stored));
    if (requirement.kind == ob::RequirementKind::training)
      return fail(Code::conflict, "A training requirement is met by passing its training, not by evidence.", "met_by_training");
    auto now = s.clock.now();
    storage::RequirementEvidence e;
    e.id = new_id("evd", now);
    e.requirement_id = requirement.stored.id;
    e.user_id = actor.user_id;
    e.organization_id = actor.organization_id;
    e.note = trimmed(in.note);
    e.file = file;
    if (in.attachment_id) {
      ASSIGN_OR_RETURN(e.file, file_named(c, actor, *in.attachment_id, to_millis(now)));
    }
    e.created_at = to_millis(now);
    TRY(storage::requirement_evidence::insert(c, e));
    TRY(record(c, s, actor, {"evidence.submit", "requirement_evidence", e.id, e.organization_id, std::nullopt, canonical(e)}));
    return e;
  });
}

Result<EvidenceDownload> get_evidence_file(const Services& s, const Actor& actor, std::string_view evidence_id) {
  ASSIGN_OR_RETURN(auto found, s.db.read([&](storage::Connection& c) {
    return storage::requirement_evidence::find(c, storage::Scope::for_actor(actor), evidence_id);
  }));
  if (!found || !found->file) return fail(Code::not_found, "No such evidence file.");
  ASSIGN_OR_RETURN(auto bytes, storage::blobs::get(organisation_files(s, found->organization_id), found->file->sha256));
  return EvidenceDownload{std::move(*found->file), std::move(bytes)};
}

Result<storage::RequirementEvidence> decide_evidence(const Services& s, const Actor& actor, std::string_view evidence_id,
                                                     const EvidenceDecision& in) {
  TRY(authorize(actor, "evidence.decide"));
  Problems p;
  auto decision = ob::parse_evidence_status(in.decision);
  if (!decision || *decision == ob::EvidenceStatus::pending) p.add("decision", "allowed: approved, rejected");
  check_text(p, "reason", trimmed(in.reason), 2000);
  std::optional<date::sys_days> expires;
  if (in.expires_on) {
    expires = parse_day(*in.expires_on);
    if (!expires) p.add("expires_on", "must be a day as YYYY-MM-DD");
    else if (*expires < today_of(s)) p.add("expires_on", "must not be in the past");
    else if (decision == ob::EvidenceStatus::rejected) p.add("expires_on", "only an approval runs until a day");
  }
  if (p.any()) return fail(p.error());
  return s.db.write([&](storage::Connection& c) -> Result<storage::RequirementEvidence> {
    ASSIGN_OR_RETURN(auto found, storage::requirement_evidence::find(c, storage::Scope::for_actor(actor), evidence_id, storage::Lock::for_update));
    if (!found) return fail(Code::not_found, "No such evidence.");
    auto e = std::move(*found);
    if (e.status != "pending")
      return fail(Error(Code::conflict, fmt::format("This evidence is already {}.", e.status), "already_decided"));
    if (e.user_id == actor.user_id) return fail(Code::permission_denied, "Nobody decides on their own evidence.");
    auto before = canonical(e);
    std::optional<int> validity;
    if (*decision == ob::EvidenceStatus::approved) {
      ASSIGN_OR_RETURN(auto stored, storage::definitions::find(c, Kind::requirement, e.requirement_id));
      if (stored) validity = requirement_view(std::move(*stored)).validity_days;
      if (auto last = ob::approval_expiry(expires, validity, today_of(s))) e.expires_on = day_text(*last);
    }
    e.status = ob::to_string(*decision);
    e.reason = trimmed(in.reason);
    e.decided_by = actor.user_id;
    e.decided_at = to_millis(s.clock.now());
    e.version += 1;
    TRY(storage::requirement_evidence::update(c, e));
    TRY(record(c, s, actor, {"evidence.decide", "requirement_evidence", e.id, e.organization_id, before, canonical(e)}));
    return e;
  });
}

Result<storage::Page<storage::RequirementEvidence>> list_evidence(const Services& s, const Actor& actor, std::string_view status,
                                                                  const storage::PageRequest& page) {
  TRY(authorize(actor, "evidence.decide"));
  if (!status.empty() && !ob::parse_evidence_status(status)) {
    Problems p;
    p.add("status", "allowed: pending, approved, rejected");
    return fail(p.error());
  }
  return s.db.read([&](storage::Connection& c) { return storage::requirement_evidence::list(c, status, page); });
}

Result<int> remind_expiring_requirements(const Services& s, int limit) {
  return s.db.write([&](storage::Connection& c) -> Result<int> {
    auto today = today_of(s);
    ASSIGN_OR_RETURN(auto due, storage::requirement_evidence::to_remind(c, day_text(today + date::days(365)), limit));
    int reminded = 0;
    for (auto& e : due) {
      ASSIGN_OR_RETURN(auto stored, storage::definitions::find(c, Kind::requirement, e.requirement_id));
      if (!stored) continue;
      auto requirement = requirement_view(std::move(*stored));
      if (!ob::reminder_due(evidence_state(e), today, requirement.reminder_days)) continue;
      ASSIGN_OR_RETURN(auto person, storage::users::find(c, storage::Scope::system(), e.user_id));
      if (person && person->active) {
        bool zh = person->language == "zh-CN";
        auto name = std::string(requirement.name.in(zh ? "zh-CN" : "en"));
        storage::Notification n;
        n.id = new_id("ntf", s.clock.now());
        n.user_id = person->id;
        n.event_id = e.id;
        n.kind = "requirement_expiring";
        n.summary = zh ? fmt::format("您的“{}”将于 {} 到期，请在此之前提交新的证明。", name, *e.expires_on)
                       : fmt::format("Your “{}” runs out on {}: give new evidence before then.", name, *e.expires_on);
        n.created_at = to_millis(s.clock.now());
        n.requirement_id = e.requirement_id;
        TRY(storage::notifications::insert(c, n));
        ++reminded;
      }
      e.reminded_at = to_millis(s.clock.now());
      e.version += 1;
      TRY(storage::requirement_evidence::update(c, e));
    }
    return reminded;
  });
}

Result<std::map<std::string, ob::RequirementStatus>> requirement_statuses(storage::Connection& c, std::string_view user_id,
                                                                          date::sys_days today, const TrainingLinks& trainings) {
  ASSIGN_OR_RETURN(auto rows, storage::requirement_evidence::of_user(c, user_id));
  return standing_of(c, rows, user_id, today, trainings);
}

Result<std::vector<RequirementStanding>> my_requirements(const Services& s, const Actor& actor) {
  TRY(authorize(actor, "requirement.read"));
  ASSIGN_OR_RETURN(auto cat, current_catalog(s));
  // The requirements the catalog's rules ask of people of the caller's organisation and role.
  std::set<std::string> concerned;
  for (const auto& r : cat->entitlement_rules) {
    const auto& rule = r.rule;
    bool org = rule.organization_id.empty() || rule.organization_id == actor.organization_id;
    bool role = !rule.role || std::ranges::find(actor.roles, *rule.role) != actor.roles.end();
    if (org && role) concerned.insert(rule.requirement_ids.begin(), rule.requirement_ids.end());
  }
  return s.db.read([&](storage::Connection& c) -> Result<std::vector<RequirementStanding>> {
    ASSIGN_OR_RETURN(auto rows, storage::requirement_evidence::of_user(c, actor.user_id));
    for (const auto& e : rows) concerned.insert(e.requirement_id);
    // Where they stand, evidence and training passes alike, as the catalog reads it.
    auto today = today_of(s);
    ASSIGN_OR_RETURN(auto statuses, standing_of(c, rows, actor.user_id, today, cat->trainings));
    std::vector<RequirementStanding> out;
    for (const auto& id : concerned) {
      ASSIGN_OR_RETURN(auto stored, storage::definitions::find(c, Kind::requirement, id));
      if (!stored || !stored->active) continue;  // an inactive requirement asks nothing (usecase/catalog.cpp)
      auto status = statuses.find(id);
      RequirementStanding one{requirement_view(std::move(*stored)),
                              status == statuses.end() ? ob::RequirementStatus::missing : status->second, std::nullopt, std::nullopt};
      // Their newest evidence, and the last day of the approval that holds (rows: newest first).
      for (const auto& e : rows) {
        if (e.requirement_id != id) continue;
        if (!one.latest) one.latest = e;
        if (!one.expires_on && ob::approval_holds(evidence_state(e), today)) one.expires_on = e.expires_on;
      }
      out.push_back(std::move(one));
    }
    return out;
  });
}

}  // namespace tandem::usecase
