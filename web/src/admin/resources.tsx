import { api } from "../api";
import { languages, word, type Locale } from "../i18n";
import type { MessageKey } from "../i18n/en";
import type { Option } from "./fields";
import { nameIn, type Lookups } from "./lookups";
import type { ResourceSpec, Stored } from "./Resource";

// The records of admin §5, each as a list and an edit form over its API (see ../../../docs and
// the OpenAPI document for each field's rules; the server checks them all and names the wrong
// ones, which the form shows beside the field).
export type AdminSection =
  | "organizations"
  | "users"
  | "teams"
  | "calendars"
  | "sla-policies"
  | "services"
  | "request-types"
  | "entitlements"
  | "onboarding-templates"
  | "requirements"
  | "trainings"
  | "terms"
  | "routing-rules"
  | "resources";

// Each section's title and lead, in the order the admin menu lists them.
export const sectionTexts: Record<AdminSection, { title: MessageKey; lead: MessageKey }> = {
  organizations: { title: "admin.organizations", lead: "admin.organizations.lead" },
  users: { title: "admin.users", lead: "admin.users.lead" },
  teams: { title: "admin.teams", lead: "admin.teams.lead" },
  calendars: { title: "admin.calendars", lead: "admin.calendars.lead" },
  "sla-policies": { title: "admin.slaPolicies", lead: "admin.slaPolicies.lead" },
  services: { title: "admin.services", lead: "admin.services.lead" },
  "request-types": { title: "admin.requestTypes", lead: "admin.requestTypes.lead" },
  entitlements: { title: "admin.entitlements", lead: "admin.entitlements.lead" },
  "onboarding-templates": { title: "admin.onboardingTemplates", lead: "admin.onboardingTemplates.lead" },
  requirements: { title: "admin.requirements", lead: "admin.requirements.lead" },
  trainings: { title: "admin.trainings", lead: "admin.trainings.lead" },
  terms: { title: "admin.termsSection", lead: "admin.termsSection.lead" },
  "routing-rules": { title: "rules.title", lead: "rules.lead" },
  resources: { title: "resources.title", lead: "resources.lead" },
};
export const sections = Object.keys(sectionTexts) as AdminSection[];

const roles = ["admin", "agent", "specialist", "relationship_manager", "customer", "user", "representative", "partner_user"];
const ruleConditionLabels: Record<string, MessageKey> = {
  words: "rules.words",
  languages: "rules.languages",
  time_zones: "rules.timeZones",
  user_flags: "rules.flags",
  types: "rules.types",
  channels: "rules.channels",
  organization_ids: "rules.organizations",
  service_ids: "rules.services",
};
const ticketTypes = ["incident", "service_request", "complaint", "compliment", "consultation"];
const ticketChannels = ["portal", "email", "chat", "phone", "messaging", "api", "monitoring"];
const flags = ["accessibility_needs", "priority_repair", "third_party_bill_contact", "accessible_formats", "vip"];
const languageOptions: Option[] = languages.map((l) => ({ value: l.code, label: l.name }));

// A catalog text read with ?lang=all, in the UI's language (or the other when it has only one).
export function inLanguage(value: unknown, language: string): string {
  if (typeof value === "string") return value;
  if (!value || typeof value !== "object") return "";
  const texts = value as Record<string, string>;
  return texts[language] ?? texts.en ?? texts["zh-CN"] ?? "";
}

const yesNo = (t: Locale["t"], v: unknown) => (v === false ? t("admin.no") : t("admin.yes"));
const list = (v: unknown) => (Array.isArray(v) && v.length ? v.join(", ") : "—");

export function resourceSpec(section: AdminSection, { t, language, dateTime }: Locale, l: Lookups): ResourceSpec {
  const words = (group: string, values: string[]): Option[] => values.map((v) => ({ value: v, label: word(t, group, v) }));
  const name = (item: Stored) => inLanguage(item.name, language) || item.id;
  switch (section) {
    case "organizations":
      return {
        path: "/api/v1/organizations",
        ...sectionTexts[section],
        noun: "noun.organization",
        name,
        removal: "delete",
        columns: [
          { label: "admin.name", cell: name },
          { label: "admin.kind", cell: (o) => word(t, "orgKind", String(o.kind)) },
          { label: "admin.createdAt", cell: (o) => dateTime(String(o.created_at)) },
        ],
        fields: [{ key: "name", label: "admin.name", kind: "text", required: true }],
      };
    case "users":
      return {
        path: "/api/v1/users",
        ...sectionTexts[section],
        noun: "noun.user",
        name,
        removal: "deactivate",
        columns: [
          { label: "admin.name", cell: name },
          { label: "admin.email", cell: (u) => String(u.email) },
          { label: "admin.organization", cell: (u) => nameIn(l.organizations, u.organization_id) },
          { label: "admin.roles", cell: (u) => (u.roles as string[]).map((r) => word(t, "role", r)).join(", ") },
          { label: "admin.language", cell: (u) => languageOptions.find((o) => o.value === u.language)?.label ?? String(u.language) },
          { label: "admin.active", cell: (u) => yesNo(t, u.active) },
        ],
        fields: [
          { key: "name", label: "admin.name", kind: "text", required: true },
          { key: "email", label: "admin.email", kind: "text", required: true },
          { key: "organization_id", label: "admin.organization", kind: "select", options: l.organizations, required: true },
          { key: "roles", label: "admin.roles", kind: "checks", options: words("role", roles) },
          { key: "language", label: "admin.language", kind: "select", options: languageOptions, required: true, initial: "zh-CN" },
          { key: "time_zone", label: "admin.timeZone", kind: "text", help: "admin.timeZone.help", emptyAs: "UTC" },
          { key: "flags", label: "admin.flags", kind: "checks", options: words("flag", flags) },
          { key: "password", label: "admin.password", kind: "password", createOnly: true, help: "admin.password.help" },
          { key: "active", label: "admin.active", kind: "checkbox", editOnly: true },
        ],
      };
    // REL-5: what an organisation's people book in turn (the car-share club's cars).
    case "resources":
      return {
        path: "/api/v1/resources",
        ...sectionTexts[section],
        noun: "noun.resource",
        name,
        columns: [
          { label: "admin.name", cell: name },
          { label: "resources.kind", cell: (r) => String(r.kind) },
          { label: "admin.organization", cell: (r) => nameIn(l.organizations, r.organization_id) },
          { label: "resources.location", cell: (r) => String(r.location || "—") },
          { label: "admin.active", cell: (r) => yesNo(t, r.active) },
        ],
        fields: [
          { key: "organization_id", label: "admin.organization", kind: "select", options: l.organizations, required: true, createOnly: true },
          { key: "name", label: "admin.name", kind: "text", required: true },
          { key: "kind", label: "resources.kind", kind: "text", required: true, help: "resources.kind.help" },
          { key: "location", label: "resources.location", kind: "text" },
          { key: "active", label: "admin.active", kind: "checkbox", initial: true },
        ],
      };
    // DESK-2, REL-4: the ordered rules that set a new ticket's team, category and priority, and
    // suggest routing when the trained router is unsure.
    case "routing-rules":
      return {
        path: "/api/v1/routing-rules",
        ...sectionTexts[section],
        noun: "noun.rule",
        name,
        removal: "delete",
        columns: [
          { label: "admin.name", cell: name },
          { label: "admin.order", cell: (r) => String(r.position) },
          { label: "admin.active", cell: (r) => yesNo(t, r.active) },
          {
            label: "admin.conditions",
            cell: (r) =>
              Object.entries((r.conditions ?? {}) as Record<string, string[]>)
                .filter(([, values]) => Array.isArray(values) && values.length > 0)
                .map(([key, values]) => {
                  const shown = values.map((v) =>
                    key === "organization_ids" ? nameIn(l.organizations, v) : key === "service_ids" ? nameIn(l.services, v) : v,
                  );
                  return `${t(ruleConditionLabels[key] ?? "admin.conditions")}: ${shown.join(", ")}`;
                })
                .join("; ") || t("rules.always"),
          },
          {
            label: "rules.actions",
            cell: (r) => {
              const a = (r.actions ?? {}) as Record<string, string>;
              const parts: string[] = [];
              if (a.team_id) parts.push(`${t("field.team_id")}: ${nameIn(l.teams, a.team_id)}`);
              if (a.skill) parts.push(`${t("rules.skill")}: ${a.skill}`);
              if (a.category) parts.push(`${t("field.category")}: ${a.category}`);
              if (a.priority) parts.push(`${t("field.priority")}: ${word(t, "priority", a.priority)}`);
              return parts.join("; ") || "—";
            },
          },
        ],
        fields: [
          { key: "name", label: "admin.name", kind: "text", required: true },
          { key: "position", label: "admin.order", kind: "number", help: "rules.position.help" },
          { key: "active", label: "admin.active", kind: "checkbox", initial: true },
          { key: "conditions.words", label: "rules.words", kind: "list", help: "rules.words.help" },
          { key: "conditions.languages", label: "rules.languages", kind: "checks", options: languageOptions },
          { key: "conditions.time_zones", label: "rules.timeZones", kind: "list", help: "rules.timeZones.help" },
          { key: "conditions.user_flags", label: "rules.flags", kind: "checks", options: words("flag", flags) },
          { key: "conditions.types", label: "rules.types", kind: "checks", options: words("type", ticketTypes) },
          { key: "conditions.channels", label: "rules.channels", kind: "checks", options: words("channel", ticketChannels) },
          { key: "conditions.organization_ids", label: "rules.organizations", kind: "checks", options: l.organizations },
          { key: "conditions.service_ids", label: "rules.services", kind: "checks", options: l.services },
          { key: "actions.team_id", label: "field.team_id", kind: "select", options: l.teams },
          { key: "actions.skill", label: "rules.skill", kind: "text", help: "rules.skill.help" },
          { key: "actions.category", label: "field.category", kind: "text" },
          { key: "actions.priority", label: "field.priority", kind: "select", options: words("priority", ["low", "medium", "high", "critical"]) },
        ],
      };
    case "teams":
      return {
        path: "/api/v1/teams",
        ...sectionTexts[section],
        noun: "noun.team",
        name,
        removal: "delete",
        columns: [
          { label: "admin.name", cell: name },
          { label: "admin.members", cell: (team) => (team.member_ids as string[]).map((id) => nameIn(l.staff, id)).join("; ") || "—" },
          { label: "admin.teamLead", cell: (team) => nameIn(l.staff, team.lead_id) },
          { label: "admin.languages", cell: (team) => list(team.languages) },
          { label: "admin.skills", cell: (team) => list(team.skills) },
        ],
        fields: [
          { key: "name", label: "admin.name", kind: "text", required: true },
          { key: "description", label: "admin.description", kind: "textarea" },
          { key: "member_ids", label: "admin.members", kind: "checks", options: l.staff },
          { key: "lead_id", label: "admin.teamLead", kind: "select", options: l.staff, nullable: true },
          { key: "languages", label: "admin.languages", kind: "checks", options: languageOptions },
          { key: "skills", label: "admin.skills", kind: "list", help: "admin.list.help" },
        ],
      };
    case "calendars":
      return {
        path: "/api/v1/calendars",
        ...sectionTexts[section],
        noun: "noun.calendar",
        name,
        removal: "delete",
        columns: [
          { label: "admin.name", cell: name },
          { label: "admin.timeZone", cell: (c) => String(c.time_zone) },
          {
            label: "admin.hours",
            cell: (c) =>
              c.always_open
                ? t("admin.alwaysOpen")
                : Object.entries(c.hours as Record<string, string[][]>)
                    .map(([day, spans]) => `${word(t, "weekday", day)} ${spans.map((s) => s.join("-")).join(", ")}`)
                    .join("; ") || "—",
          },
          { label: "admin.holidays", cell: (c) => String((c.holidays as string[]).length) },
        ],
        fields: [
          { key: "name", label: "admin.name", kind: "text", required: true },
          { key: "time_zone", label: "admin.timeZone", kind: "text", required: true, help: "admin.calendarZone.help" },
          { key: "always_open", label: "admin.alwaysOpen", kind: "checkbox" },
          { key: "hours", label: "admin.hours", kind: "week", help: "admin.hours.help" },
          { key: "holidays", label: "admin.holidays", kind: "list", help: "admin.dates.help" },
          { key: "extra_working_days", label: "admin.extraDays", kind: "list", help: "admin.dates.help" },
        ],
      };
    case "sla-policies":
      return {
        path: "/api/v1/sla-policies",
        ...sectionTexts[section],
        noun: "noun.slaPolicy",
        name,
        removal: "delete",
        columns: [
          { label: "admin.order", cell: (p) => String(p.order) },
          { label: "admin.name", cell: name },
          { label: "admin.active", cell: (p) => yesNo(t, p.active) },
          { label: "admin.calendar", cell: (p) => nameIn(l.calendars, p.calendar_id) },
          {
            label: "admin.targets",
            cell: (p) =>
              Object.entries(p.targets as Record<string, number>)
                .map(([k, v]) => t("admin.targetMinutes", { target: word(t, "target", k), n: String(v) }))
                .join("; "),
          },
          { label: "admin.conditions", cell: (p) => JSON.stringify(p.conditions) },
        ],
        fields: [
          { key: "name", label: "admin.name", kind: "text", required: true },
          { key: "order", label: "admin.order", kind: "number", required: true, help: "admin.order.help" },
          { key: "active", label: "admin.active", kind: "checkbox", initial: true },
          { key: "calendar_id", label: "admin.calendar", kind: "select", options: l.calendars, required: true },
          {
            key: "targets",
            label: "admin.targets",
            kind: "minutes",
            help: "admin.targets.help",
            parts: [
              { key: "first_response", label: "target.first_response" },
              { key: "next_update", label: "target.next_update" },
              { key: "resolution", label: "target.resolution" },
            ],
          },
          { key: "warn_at", label: "admin.warnAt", kind: "number", help: "admin.warnAt.help" },
          { key: "pause_statuses", label: "admin.pauseStatuses", kind: "list", help: "admin.list.help" },
          { key: "conditions", label: "admin.conditions", kind: "json", help: "admin.conditions.help" },
          { key: "escalations", label: "admin.escalations", kind: "json", help: "admin.escalations.help" },
        ],
      };
    case "services":
      return {
        path: "/api/v1/services",
        query: "lang=all",
        ...sectionTexts[section],
        noun: "noun.service",
        name,
        removal: "delete",
        columns: [
          { label: "admin.name", cell: name },
          { label: "admin.description", cell: (s) => inLanguage(s.description, language) || "—" },
          {
            label: "admin.statusPage",
            cell: (s) => (
              <a href={`/status/${encodeURIComponent(String(s.slug))}`} target="_blank" rel="noreferrer">
                /status/{String(s.slug)}
              </a>
            ),
          },
          { label: "admin.order", cell: (s) => String(s.order) },
          { label: "admin.active", cell: (s) => yesNo(t, s.active) },
        ],
        fields: [
          { key: "name", label: "admin.name", kind: "translated", required: true },
          { key: "description", label: "admin.description", kind: "translated" },
          { key: "slug", label: "admin.slug", kind: "text", help: "admin.slug.help" },
          { key: "order", label: "admin.order", kind: "number" },
          { key: "active", label: "admin.active", kind: "checkbox", initial: true },
        ],
      };
    case "request-types":
      return {
        path: "/api/v1/request-types",
        query: "lang=all",
        ...sectionTexts[section],
        noun: "noun.requestType",
        name,
        removal: "delete",
        columns: [
          { label: "admin.name", cell: name },
          { label: "admin.service", cell: (r) => nameIn(l.services, r.service_id) },
          { label: "admin.price", cell: (r) => String(r.price) },
          { label: "admin.formFields", cell: (r) => String((r.form as { fields: unknown[] }).fields.length) },
          { label: "admin.approval", cell: (r) => (r.approval ? t("admin.yes") : t("admin.no")) },
          { label: "admin.active", cell: (r) => yesNo(t, r.active) },
        ],
        fields: [
          { key: "name", label: "admin.name", kind: "translated", required: true },
          { key: "service_id", label: "admin.service", kind: "select", options: l.services, required: true },
          { key: "description", label: "admin.description", kind: "translated" },
          { key: "terms", label: "admin.terms", kind: "translated" },
          { key: "price", label: "admin.price", kind: "text", help: "admin.price.help" },
          { key: "order", label: "admin.order", kind: "number" },
          { key: "active", label: "admin.active", kind: "checkbox", initial: true },
          { key: "form", label: "admin.form", kind: "json", help: "admin.form.help" },
          { key: "approval", label: "admin.approval", kind: "json", help: "admin.approval.help" },
          { key: "tasks", label: "admin.tasks", kind: "json", help: "admin.tasks.help" },
          { key: "quota", label: "admin.quota", kind: "json", help: "admin.quota.help" },
        ],
      };
    case "entitlements":
      return {
        path: "/api/v1/entitlements",
        ...sectionTexts[section],
        noun: "noun.entitlement",
        name: (e) => [nameIn(l.organizations, e.organization_id), nameIn(l.services, e.service_id)].join(" · "),
        removal: "delete",
        columns: [
          { label: "admin.organization", cell: (e) => (e.organization_id ? nameIn(l.organizations, e.organization_id) : t("admin.everyone")) },
          { label: "admin.service", cell: (e) => nameIn(l.services, e.service_id) },
          { label: "admin.requestType", cell: (e) => (e.request_type_id ? nameIn(l.requestTypes, e.request_type_id) : t("admin.wholeService")) },
          { label: "admin.role", cell: (e) => (e.role ? word(t, "role", String(e.role)) : "—") },
          { label: "admin.group", cell: (e) => nameIn(l.groups, e.group_id) },
          { label: "admin.tier", cell: (e) => nameIn(l.tiers, e.tier_id) },
          {
            label: "admin.requirements",
            cell: (e) => ((e.requirement_ids as string[] | undefined) ?? []).map((id) => nameIn(l.requirements, id)).join(", ") || "—",
          },
        ],
        fields: [
          { key: "organization_id", label: "admin.organization", kind: "select", options: l.organizations, nullable: true, help: "admin.entitlement.orgHelp" },
          { key: "service_id", label: "admin.service", kind: "select", options: l.services, nullable: true },
          { key: "request_type_id", label: "admin.requestType", kind: "select", options: l.requestTypes, nullable: true, help: "admin.entitlement.typeHelp" },
          { key: "role", label: "admin.role", kind: "select", options: words("role", roles), nullable: true },
          { key: "group_id", label: "admin.group", kind: "select", options: l.groups, nullable: true },
          { key: "tier_id", label: "admin.tier", kind: "select", options: l.tiers, nullable: true },
          { key: "requirement_ids", label: "admin.requirements", kind: "checks", options: l.requirements, help: "admin.requirements.help" },
        ],
      };
    case "onboarding-templates":
      return {
        path: "/api/v1/onboarding-templates",
        query: "lang=all",
        ...sectionTexts[section],
        noun: "noun.onboardingTemplate",
        name,
        removal: "delete",
        columns: [
          { label: "admin.name", cell: name },
          { label: "admin.controlMethod", cell: (o) => word(t, "controlMethod", String(o.control_method)) },
          { label: "admin.offering", cell: (o) => nameIn(l.offerings, o.offering_id) },
          { label: "admin.actionsCount", cell: (o) => String((o.actions as unknown[]).length) },
          { label: "admin.objectivesCount", cell: (o) => String((o.objectives as unknown[]).length) },
        ],
        fields: [
          { key: "name", label: "admin.name", kind: "translated", required: true },
          { key: "offering_id", label: "admin.offering", kind: "select", options: l.offerings, nullable: true },
          {
            key: "control_method",
            label: "admin.controlMethod",
            kind: "select",
            required: true,
            initial: "project",
            options: words("controlMethod", ["programme", "project", "normal_change", "standard_change", "automated_deployment", "audit_assurance"]),
          },
          { key: "checklist", label: "admin.checklist", kind: "json", help: "admin.checklist.help" },
          { key: "objectives", label: "admin.objectives", kind: "json", help: "admin.objectives.help" },
          { key: "scope", label: "admin.scope", kind: "json", help: "admin.scope.help" },
          { key: "actions", label: "admin.templateActions", kind: "json", required: true, help: "admin.templateActions.help" },
        ],
      };
    case "requirements":
      return {
        path: "/api/v1/requirements",
        query: "lang=all",
        ...sectionTexts[section],
        noun: "noun.requirement",
        name,
        removal: "delete",
        columns: [
          { label: "admin.name", cell: name },
          { label: "admin.requirementKind", cell: (r) => word(t, "requirementKind", String(r.kind)) },
          { label: "admin.category", cell: (r) => (r.category ? String(r.category) : "—") },
          { label: "admin.validityDays", cell: (r) => (r.validity_days ? String(r.validity_days) : "—") },
          { label: "admin.active", cell: (r) => yesNo(t, r.active) },
        ],
        fields: [
          { key: "name", label: "admin.name", kind: "translated", required: true },
          {
            key: "kind",
            label: "admin.requirementKind",
            kind: "select",
            required: true,
            options: words("requirementKind", ["clearance", "training", "certification", "safety_training", "age", "identity", "licence", "custom"]),
          },
          { key: "training_id", label: "admin.training", kind: "select", options: l.trainings, nullable: true, help: "admin.training.help" },
          { key: "category", label: "admin.category", kind: "text", help: "admin.category.help" },
          { key: "validity_days", label: "admin.validityDays", kind: "number", help: "admin.validityDays.help" },
          { key: "reminder_days", label: "admin.reminderDays", kind: "number", help: "admin.reminderDays.help" },
          { key: "description", label: "admin.description", kind: "translated" },
          { key: "order", label: "admin.order", kind: "number" },
          { key: "active", label: "admin.active", kind: "checkbox", initial: true },
        ],
      };
    case "trainings":
      return {
        path: "/api/v1/trainings",
        query: "lang=all",
        ...sectionTexts[section],
        noun: "noun.training",
        name: (item) => inLanguage(item.title, language) || item.id,
        removal: "delete",
        columns: [
          { label: "admin.name", cell: (item) => inLanguage(item.title, language) || item.id },
          { label: "admin.questionsCount", cell: (item) => String((item.questions as unknown[]).length) },
          { label: "admin.passMark", cell: (item) => String(item.pass_mark) },
          { label: "admin.active", cell: (item) => yesNo(t, item.active) },
        ],
        fields: [
          { key: "title", label: "admin.name", kind: "translated", required: true },
          { key: "content", label: "admin.trainingContent", kind: "json", help: "admin.trainingContent.help" },
          { key: "questions", label: "admin.questions", kind: "json", help: "admin.questions.help" },
          { key: "pass_mark", label: "admin.passMark", kind: "number", help: "admin.passMark.help" },
          { key: "order", label: "admin.order", kind: "number" },
          { key: "active", label: "admin.active", kind: "checkbox", initial: true },
        ],
      };
    case "terms":
      return {
        path: "/api/v1/terms",
        query: "lang=all",
        ...sectionTexts[section],
        noun: "noun.terms",
        name: (item) => inLanguage(item.title, language) || item.id,
        removal: "delete",
        columns: [
          { label: "admin.name", cell: (item) => inLanguage(item.title, language) || item.id },
          { label: "admin.service", cell: (item) => nameIn(l.services, item.covers_service_id) },
          { label: "admin.termsCurrent", cell: (item) => (item.current_version ? String(item.current_version) : t("admin.termsDraftOnly")) },
          { label: "admin.termsLatest", cell: (item) => String(item.latest_version ?? "—") },
        ],
        fields: [
          { key: "title", label: "admin.name", kind: "translated", required: true },
          { key: "service_id", label: "admin.service", kind: "select", options: l.services, nullable: true, help: "admin.termsCover.help" },
          { key: "offering_id", label: "admin.offering", kind: "select", options: l.offerings, nullable: true },
          { key: "text", label: "admin.termsText", kind: "translated", help: "admin.termsText.help" },
          { key: "active", label: "admin.active", kind: "checkbox", initial: true },
        ],
        rowAction: {
          label: (item) => (item.latest_version && item.latest_version !== item.current_version ? t("admin.termsPublish", { n: String(item.latest_version) }) : null),
          run: (item) => api("POST", `/api/v1/terms/${encodeURIComponent(item.id)}/publish`, {}),
          done: (item) => t("admin.termsPublished", { name: inLanguage(item.title, language) || item.id }),
        },
      };
  }
}
