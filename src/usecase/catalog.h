// DESK-5, REL-2, ONB-11: the service catalog. Administrators keep services, their request types
// (form, price, quota, channels, terms) and the entitlement rules; each consumer sees only what
// a rule entitles them to — in the catalog, by id and when requesting — and staff see it all.
// Submitting a request type checks the answers in the user's language and raises a
// service_request ticket that keeps them with the price of the day.
//
// Texts are translatable: a body gives a string (in the writer's language) or
// {"en": "…", "zh-CN": "…"}; a patch merges per language, so a translator sends only theirs.
// The definitions are read once per change into a cache (`current_catalog`), so a catalog page
// for thousands of request types reads one small fingerprint query from the store.
#pragma once

#include <array>
#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "domain/catalog/approval.h"
#include "domain/catalog/entitlement.h"
#include "domain/catalog/form.h"
#include "domain/catalog/fulfilment.h"
#include "domain/catalog/localized_text.h"
#include "domain/catalog/money.h"
#include "domain/tickets/ticket.h"
#include "storage/definitions.h"
#include "storage/fulfilment.h"
#include "storage/scope.h"
#include "storage/ticket_requests.h"
#include "storage/tickets.h"
#include "usecase/context.h"
#include "usecase/overrides.h"

namespace tandem::usecase {

struct ServiceView {
  storage::StoredDefinition stored;
  catalog::LocalizedText name, description;
  // FDB-4: its status page's address, /status/{slug}: set by hand, or made from the English name
  // when it was created (services from before then: made from the name now, else the id).
  std::string slug;
};

// One request of the type per `per` (a user or their organisation) every `months` months.
struct Quota {
  std::int64_t count = 1;
  storage::QuotaHolder per = storage::QuotaHolder::user;
  std::int64_t months = 12;
};

struct RequestTypeView {
  storage::StoredDefinition stored;
  std::string service_id;
  catalog::LocalizedText name, description, terms;
  catalog::Form form;
  catalog::Money price;                    // before the prices of options chosen
  std::optional<Quota> quota;
  std::vector<tickets::Channel> channels;  // through which it may be requested
  std::vector<catalog::ApprovalStep> approval;  // in order; none: fulfilled without approval
  std::vector<catalog::TaskTemplate> tasks;     // the fulfilment procedure (usecase/fulfilment.h)
};

struct EntitlementView {
  storage::StoredDefinition stored;
  catalog::EntitlementRule rule;
  bool for_service = true;  // the rule's target is a service (else a request type)
};

// The fields of each definition's body; any other is refused by name.
inline constexpr std::array<std::string_view, 5> kServiceFields = {"name", "description", "slug", "order", "active"};
inline constexpr std::array<std::string_view, 12> kRequestTypeFields = {
    "service_id", "name", "description", "terms", "form", "price", "quota", "channels", "approval", "tasks", "order", "active"};
inline constexpr std::array<std::string_view, 7> kEntitlementFields = {
    "service_id", "request_type_id", "organization_id", "group_id", "tier_id", "role", "requirement_ids"};

// Services, request types and entitlements: a JSON object of the body's fields; the use case
// checks each and names the wrong ones.
struct CatalogInput {
  std::string fields_json = "{}";
};

Result<ServiceView> create_service(const Services& s, const identity::Actor& actor, const CatalogInput& in);
Result<std::vector<ServiceView>> list_services(const Services& s, const identity::Actor& actor);
Result<ServiceView> get_service(const Services& s, const identity::Actor& actor, std::string_view id);
Result<ServiceView> update_service(const Services& s, const identity::Actor& actor, std::string_view id,
                                   std::int64_t expected_version, const CatalogInput& patch);
// conflict while request types or entitlement rules name it.
Result<void> delete_service(const Services& s, const identity::Actor& actor, std::string_view id);

Result<RequestTypeView> create_request_type(const Services& s, const identity::Actor& actor, const CatalogInput& in);
struct RequestTypeQuery {
  std::optional<std::string> service_id;
  storage::PageRequest page;
};
Result<storage::Page<RequestTypeView>> list_request_types(const Services& s, const identity::Actor& actor, const RequestTypeQuery& q);
// not_found for a consumer it does not entitle (as for one that does not exist).
Result<RequestTypeView> get_request_type(const Services& s, const identity::Actor& actor, std::string_view id);
Result<RequestTypeView> update_request_type(const Services& s, const identity::Actor& actor, std::string_view id,
                                            std::int64_t expected_version, const CatalogInput& patch);
// conflict once it has been requested (retire it with active: false) or while rules name it.
Result<void> delete_request_type(const Services& s, const identity::Actor& actor, std::string_view id);

Result<EntitlementView> create_entitlement(const Services& s, const identity::Actor& actor, const CatalogInput& in);
Result<std::vector<EntitlementView>> list_entitlements(const Services& s, const identity::Actor& actor);
Result<EntitlementView> get_entitlement(const Services& s, const identity::Actor& actor, std::string_view id);
Result<EntitlementView> update_entitlement(const Services& s, const identity::Actor& actor, std::string_view id,
                                           std::int64_t expected_version, const CatalogInput& patch);
Result<void> delete_entitlement(const Services& s, const identity::Actor& actor, std::string_view id);

// What a request of a type raised now through the portal may expect (DESK-3 fed by DESK-5): the
// targets of the SLA policy that would apply to it at the default priority for the reader's
// organisation and tiers, and when they would fall due in the policy's calendar. Classification
// rules that raise a request's priority may shorten it; the request's own clock is the promise.
struct ExpectedTimeframe {
  std::string calendar_id;
  std::optional<std::chrono::minutes> first_response, resolution;  // business minutes
  std::optional<Time> first_response_by, resolution_by;
};

// GET /api/v1/catalog: the active services and request types the caller sees, each with
// whether they may request it now and, if not, what they lack.
struct CatalogEntry {
  const RequestTypeView* request_type;
  catalog::Entitlement entitlement;
  const ExpectedTimeframe* timeframe = nullptr;  // in the page's; none when no policy applies
};
struct CatalogSection {
  const ServiceView* service;
  std::vector<CatalogEntry> request_types;
};
// ONB-8, ONB-9: training requirements and the content digest of each training now: a person
// meets a training requirement with a pass on the training's present content.
struct TrainingLinks {
  std::unordered_map<std::string, std::string> training_of;  // requirement id → training id
  std::unordered_map<std::string, std::string> digest_of;    // training id → digest of its content
};
// ONB-7: a service's published terms and the version people must have accepted.
struct TermsRef {
  std::string id;
  std::int64_t version = 0;
  std::string offering_id;  // terms of an offering ask only its subscribers; empty: everyone the service's items reach
};
struct Catalog;  // the cached definitions; below
struct CatalogPage {
  std::shared_ptr<const Catalog> kept;  // owns what the sections point at
  std::vector<CatalogSection> sections;
  std::optional<std::string> next_after;  // where the next page of services starts
  std::deque<ExpectedTimeframe> timeframes;  // one per policy that applies to some entry
  // ONB-8: where the reader stands on requirements they gave evidence for (by id: missing,
  // pending, rejected, expired, met), for what an entry says is missing.
  std::map<std::string, std::string> requirement_status;
};
// A page of services (`page.limit` of them) with every request type of each the caller sees.
Result<CatalogPage> catalog_for(const Services& s, const identity::Actor& actor, const storage::PageRequest& page);

// POST /api/v1/requests: a service_request ticket for the request type, for the caller or (DESK-6)
// whom they act for. The answers arrive as a JSON object.
struct NewRequest {
  std::string request_type_id;
  std::string answers_json = "{}";
  std::optional<std::string> on_behalf_of;
  std::optional<tickets::Channel> channel;
  // Staff waive the quota or a missing tier for this one request (DESK-9; usecase/overrides.h).
  std::optional<Waiver> waiver;
};
Result<storage::Ticket> submit_request(const Services& s, const identity::Actor& actor, const NewRequest& in,
                                       tickets::Channel arrived_through);
// What a ticket raised through the catalog was requested with; not_found when the caller does
// not see the ticket or it was not raised through the catalog.
struct RequestView {
  storage::TicketRequest request;
  std::vector<storage::RequestApproval> approvals;  // by step, then approver
  std::vector<storage::RequestTask> tasks;          // in the procedure's order
};
Result<RequestView> get_request(const Services& s, const identity::Actor& actor, std::string_view ticket_id);

// Whether `service_id` names a service the actor may use on a ticket: any service for staff,
// one they see for consumers.
Result<bool> service_usable(const Services& s, const identity::Actor& actor, std::string_view service_id);

struct Catalog {
  std::vector<ServiceView> services;            // in order
  std::vector<RequestTypeView> request_types;   // in order
  std::vector<EntitlementView> entitlement_rules;
  catalog::Entitlements entitlements;
  bool needs_tiers = false;  // some rule needs an offering tier
  bool needs_groups = false;  // some rule names a group of people
  std::unordered_map<std::string, std::size_t> service_at, request_type_at;
  // By request type: its service's index (SIZE_MAX when gone), and the rules naming it and its
  // service, found once per load rather than per type on every catalog page.
  std::vector<std::size_t> service_of_type;
  std::vector<std::pair<const catalog::Entitlements::RuleIndices*, const catalog::Entitlements::RuleIndices*>> rules_of_type;
  std::unordered_map<std::string, catalog::LocalizedText> tier_names;  // by tier id, for what a reader is missing
  bool needs_requirements = false;  // some rule needs an enablement requirement (ONB-8)
  std::unordered_map<std::string, catalog::LocalizedText> requirement_names;  // by requirement id
  std::vector<std::string> inactive_requirements;  // met by everyone: nobody can give evidence for them
  TrainingLinks trainings;
  std::unordered_map<std::string, std::vector<TermsRef>> terms_of_service;  // published, active terms by the service they cover
  std::unordered_map<std::string, catalog::LocalizedText> terms_titles;     // by terms id
  std::unordered_map<std::string, std::string> offering_of_tier;             // by tier id
  bool terms_need_offerings = false;  // some published terms cover an offering: a reader's tiers are read

  const ServiceView* service(std::string_view id) const;
  const RequestTypeView* request_type(std::string_view id) const;
};
// The catalog as stored now, parsed once per change (kept under the definitions' fingerprint).
Result<std::shared_ptr<const Catalog>> current_catalog(const Services& s);

}  // namespace tandem::usecase
