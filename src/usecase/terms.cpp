#include "usecase/terms.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/id.h"
#include "domain/tickets/ticket.h"
#include "usecase/catalog_definitions.h"
#include "usecase/definition_access.h"
#include "usecase/validation.h"

namespace tandem::usecase {
namespace {

using namespace catalog_definitions;

const TranslatableKind kTerms{Kind::terms, "terms", "trm", kTermsFields, "terms and conditions", "No such terms.", "terms.manage"};
constexpr std::size_t kTextLimit = 100'000;

struct CheckedTerms {
  Json definition;
  TermsView view;
};

Json versions_json(const std::vector<TermsVersion>& versions) {
  Json out = Json::array();
  for (const auto& v : versions)
    out.push_back({{"number", v.number}, {"text", text_json(v.text)}, {"published_at", v.published_at ? Json(*v.published_at) : Json(nullptr)}});
  return out;
}

Json definition_of(const TermsView& v) {
  return {{"name", text_json(v.title)},
          {"title", text_json(v.title)},
          {"service_id", v.service_id ? Json(*v.service_id) : Json(nullptr)},
          {"offering_id", v.offering_id ? Json(*v.offering_id) : Json(nullptr)},
          {"covers_service_id", v.covers_service_id},
          {"versions", versions_json(v.versions)},
          {"current_version", v.current ? Json(*v.current) : Json(nullptr)}};
}

TermsView terms_view(storage::StoredDefinition stored) {
  auto def = Json::parse(stored.definition);
  TermsView v;
  v.title = stored_text(def["title"]);
  if (def["service_id"].is_string()) v.service_id = def["service_id"].get<std::string>();
  if (def["offering_id"].is_string()) v.offering_id = def["offering_id"].get<std::string>();
  v.covers_service_id = def.value("covers_service_id", "");
  for (const auto& version : def.value("versions", Json::array())) {
    TermsVersion one{version.value("number", std::int64_t(1)), stored_text(version["text"]), std::nullopt};
    if (version["published_at"].is_number_integer()) one.published_at = version["published_at"].get<std::int64_t>();
    v.versions.push_back(std::move(one));
  }
  if (def["current_version"].is_number_integer()) v.current = def["current_version"].get<std::int64_t>();
  v.stored = std::move(stored);
  return v;
}

// The whole definition a body makes: the title, what the terms cover, and — when the body gave
// a text — a new draft version (or the unpublished draft's text replaced).
Result<std::optional<CheckedTerms>> check_body(storage::Connection& c, const Json& def, std::string_view language, Problems& p) {
  TermsView v;
  storage::StoredDefinition kept;
  kept.definition = def.dump();
  auto before = terms_view(kept);
  v.versions = before.versions;
  v.current = before.current;
  if (auto title = def.find("title"); title == def.end() || title->is_null()) p.add("title", "is required");
  else v.title = text_of(*title, "title", language, 200, p).value_or(LocalizedText());
  auto service = id_field(def, "service_id", p);
  auto offering = id_field(def, "offering_id", p);
  if (!service == !offering) p.add("service_id", "give a service_id or an offering_id: the terms cover one of them");
  if (service) {
    ASSIGN_OR_RETURN(auto found, storage::definitions::find(c, Kind::service, *service));
    if (!found) p.add("service_id", "no such service");
    v.service_id = service;
    v.covers_service_id = *service;
  }
  if (offering) {
    ASSIGN_OR_RETURN(auto found, storage::definitions::find(c, Kind::offering, *offering));
    auto offered = found ? Json::parse(found->definition).value("service_id", Json()) : Json();
    if (!found) p.add("offering_id", "no such offering");
    else if (!offered.is_string()) p.add("offering_id", "covers no service: terms cover a service's items");
    else v.covers_service_id = offered.get<std::string>();
    v.offering_id = offering;
  }
  if (auto text = def.find("text"); text != def.end() && !text->is_null()) {
    // A new text merges per language onto the latest version's, as the catalog's texts do: an
    // edit in one language keeps the others.
    Json merged = *text;
    if (!v.versions.empty() && (text->is_string() || text->is_object())) {
      merged = text_json(v.versions.back().text);
      merged.merge_patch(text->is_string() ? Json{{std::string(language), *text}} : *text);
    }
    if (auto given = text_of(merged, "text", language, kTextLimit, p)) {
      bool draft = !v.versions.empty() && !v.versions.back().published_at;
      if (draft) v.versions.back().text = *given;
      else if (v.versions.empty() || !(v.versions.back().text.translations() == given->translations()))
        v.versions.push_back({std::int64_t(v.versions.size()) + 1, *given, std::nullopt});
    }
  } else if (v.versions.empty()) {
    p.add("text", "is required: the terms people accept");
  }
  if (p.any()) return std::optional<CheckedTerms>();
  auto definition = definition_of(v);
  return std::optional<CheckedTerms>(CheckedTerms{std::move(definition), std::move(v)});
}

}  // namespace

void apply_terms(const std::unordered_map<std::string, std::vector<TermsRef>>& terms_of_service, std::string_view service_id,
                 const catalog::CatalogReader& reader, catalog::Entitlement& e) {
  if (!e.visible) return;
  auto terms = terms_of_service.find(std::string(service_id));
  if (terms == terms_of_service.end()) return;
  for (const auto& t : terms->second) {
    if (!t.offering_id.empty() && std::ranges::find(reader.offering_ids, t.offering_id) == reader.offering_ids.end()) continue;
    if (std::ranges::find(reader.terms_accepted, t.id + "\n" + std::to_string(t.version)) == reader.terms_accepted.end()) {
      e.eligible = false;
      e.missing.push_back({catalog::Missing::Kind::terms, t.id});
    }
  }
}

Result<TermsView> create_terms(const Services& s, const Actor& actor, const CatalogInput& in) {
  return create_translatable<TermsView>(s, actor, kTerms, in.fields_json, [&](storage::Connection& c, const Json& def, Problems& p) {
    return check_body(c, def, actor.language, p);
  });
}

Result<std::vector<TermsView>> list_terms(const Services& s, const Actor& actor) {
  return list_definitions(s, actor, "terms.read", Kind::terms, terms_view);
}

Result<TermsView> get_terms(const Services& s, const Actor& actor, std::string_view id) {
  return get_definition(s, actor, "terms.read", Kind::terms, id, kTerms.missing, terms_view);
}

Result<TermsView> update_terms(const Services& s, const Actor& actor, std::string_view id, std::int64_t expected_version,
                               const CatalogInput& patch) {
  return patch_translatable<TermsView>(s, actor, kTerms, id, expected_version, patch.fields_json,
                                       [&](storage::Connection& c, const Json& def, Problems& p) {
                                         return check_body(c, def, actor.language, p);
                                       });
}

Result<void> delete_terms(const Services& s, const Actor& actor, std::string_view id) {
  TRY(authorize(actor, kTerms.manage));
  return s.db.write([&](storage::Connection& c) -> Result<void> {
    ASSIGN_OR_RETURN(auto stored, load_definition(c, Kind::terms, id, kTerms.missing));
    if (terms_view(stored).current)
      return fail(Code::conflict, "Published terms are the record of what people accepted: make them inactive instead.", "terms_published");
    return remove_definition(c, s, actor, Kind::terms, kTerms.type, stored);
  });
}

Result<TermsView> publish_terms(const Services& s, const Actor& actor, std::string_view id) {
  TRY(authorize(actor, kTerms.manage));
  return s.db.write([&](storage::Connection& c) -> Result<TermsView> {
    ASSIGN_OR_RETURN(auto stored, load_definition(c, Kind::terms, id, kTerms.missing));
    auto before = storage::canonical(Kind::terms, stored);
    auto v = terms_view(stored);
    if (v.versions.empty() || (v.current && *v.current == v.versions.back().number))
      return fail(Error(Code::conflict, "The latest version is published already: change the text to make a new one.", "already_published"));
    v.versions.back().published_at = to_millis(s.clock.now());
    v.current = v.versions.back().number;
    stored.definition = definition_of(v).dump();
    return update_definition(c, s, actor, Kind::terms, kTerms.type, std::move(stored), before, std::move(v));
  });
}

Result<storage::TermsAcceptance> accept_terms(const Services& s, const Actor& actor, std::string_view id, std::string_view channel) {
  TRY(authorize(actor, "terms.accept"));
  if (!tickets::parse_channel(channel)) {
    Problems p;
    p.add("channel", "allowed: portal, email, chat, phone, messaging, api");
    return fail(p.error());
  }
  return s.db.write([&](storage::Connection& c) -> Result<storage::TermsAcceptance> {
    ASSIGN_OR_RETURN(auto stored, storage::definitions::find(c, Kind::terms, id));
    if (!stored) return fail(Code::not_found, kTerms.missing);
    auto v = terms_view(std::move(*stored));
    if (!v.current) return fail(Error(Code::conflict, "These terms are not published yet.", "terms_not_published"));
    storage::TermsAcceptance a{new_id("tac", s.clock.now()), v.stored.id, *v.current, actor.user_id, actor.organization_id,
                               std::string(channel), to_millis(s.clock.now())};
    ASSIGN_OR_RETURN(auto accepted, storage::terms_acceptances::accepted_by(c, actor.user_id));
    if (accepted.contains(a.terms_id + "\n" + std::to_string(a.terms_version))) return a;  // accepted before: nothing to add
    TRY(storage::terms_acceptances::insert(c, a));
    TRY(record(c, s, actor, {"terms.accept", "terms_acceptance", a.id, a.organization_id, std::nullopt, canonical(a)}));
    return a;
  });
}

}  // namespace tandem::usecase
