// The five routes of an ordered collection of provider configuration — classification rules
// (DESK-2), business calendars and SLA policies (DESK-3): list, create, read, merge-patch with
// If-Match, delete. The use cases authorise and check; this only maps HTTP onto them.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "http/dto.h"
#include "http/router.h"
#include "usecase/catalog.h"
#include "usecase/context.h"

namespace tandem::http {

template <class Input, class View>
struct DefinitionRoutes {
  using Services = usecase::Services;
  using Actor = identity::Actor;
  std::string collection;  // "/api/v1/calendars"
  // The body's known fields, in storage that outlives the router (a list at namespace scope).
  std::span<const std::string_view> fields;
  Input (*input)(Fields&, const Json& body);
  Result<std::vector<View>> (*list)(const Services&, const Actor&);
  Result<View> (*create)(const Services&, const Actor&, const Input&);
  Result<View> (*get)(const Services&, const Actor&, std::string_view id);
  Result<View> (*update)(const Services&, const Actor&, std::string_view id, std::int64_t expected_version, const Input&);
  Result<void> (*remove)(const Services&, const Actor&, std::string_view id);
  // How a view is written for the request (the caller's language, ?lang=); to_json(view) when unset.
  Json (*render)(const View&, const Request&) = nullptr;

  Json body(const View& v, const Request& r) const {
    if constexpr (requires { to_json(v); })
      if (!render) return to_json(v);
    return render(v, r);
  }
};

// The body as a definition's use case reads it: the use case checks each field and names the
// wrong ones (the catalog's kinds, onboarding templates).
inline usecase::CatalogInput definition_json(Fields&, const Json& body) { return usecase::CatalogInput{body.dump()}; }

// The fields every stored definition shows beside its own: id, order, active, version, etag and
// times.
inline Json stored_fields(const storage::StoredDefinition& d) {
  return {{"id", d.id},
          {"order", d.position},
          {"active", d.active},
          {"version", d.version},
          {"etag", etag_of(d.version)},
          {"created_at", time_text(d.created_at)},
          {"updated_at", time_text(d.updated_at)}};
}

// 200/201 with `body`, the ETag of the stored row's version and (for 201) its Location.
template <class Stored>
Response versioned_response(int status, const Json& body, const Stored& stored, std::string_view collection) {
  Response out = json_response(status, body);
  out.set_header("ETag", etag_of(stored.version));
  if (status == 201) out.set_header("Location", std::string(collection) + "/" + stored.id);
  return out;
}


template <class Input, class View>
void add_definition_routes(Router& router, const usecase::Services& s, DefinitionRoutes<Input, View> d) {
  const RouteOptions signed_in{};
  auto one = d.collection + "/{id}";
  router.add("GET", d.collection, signed_in, [&s, d](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto all, d.list(s, r.actor()));
    Json items = Json::array();
    for (const auto& v : all) items.push_back(d.body(v, r));
    return page_response(std::move(items), std::nullopt);
  });
  router.add("POST", d.collection, signed_in, [&s, d](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r));
    Fields f(body, d.fields);
    auto in = d.input(f, body);
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto created, d.create(s, r.actor(), in));
    return versioned_response(201, d.body(created, r), created.stored, d.collection);
  });
  router.add("GET", one, signed_in, [&s, d](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto found, d.get(s, r.actor(), r.param("id")));
    return versioned_response(200, d.body(found, r), found.stored, d.collection);
  });
  router.add("PATCH", one, signed_in, [&s, d](Request& r) -> Result<Response> {
    ASSIGN_OR_RETURN(auto body, parse_json_object(r, BodyKind::merge_patch));
    ASSIGN_OR_RETURN(auto version, required_if_match(r));
    Fields f(body, d.fields);
    auto in = d.input(f, body);
    TRY(f.finish());
    ASSIGN_OR_RETURN(auto updated, d.update(s, r.actor(), r.param("id"), version, in));
    return versioned_response(200, d.body(updated, r), updated.stored, d.collection);
  });
  router.add("DELETE", one, signed_in, [&s, d](Request& r) -> Result<Response> {
    TRY(d.remove(s, r.actor(), r.param("id")));
    return no_content();
  });
}

}  // namespace tandem::http
