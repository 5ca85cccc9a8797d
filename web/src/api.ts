// The public API, as API.md describes it: JSON, a session cookie set at sign-in, and the CSRF
// token sent with every unsafe method. The UI has no routes of its own on the server.

export interface User {
  id: string;
  name: string;
  email: string;
  roles: string[];
  organization_id: string;
  language: string;
  time_zone: string;
  represented_user_ids?: string[];
}

export interface Problem {
  field: string;
  problem: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Problem[] = [],
  ) {
    super(message);
  }
}

let csrfToken: string | null = sessionStorage.getItem("tandem.csrf");

// Sent on `window` when a call finds the session gone.
export const sessionEnded = "tandem:session-ended";

function keepCsrf(token: string | null) {
  csrfToken = token;
  if (token) sessionStorage.setItem("tandem.csrf", token);
  else sessionStorage.removeItem("tandem.csrf");
}

export async function api<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const init: RequestInit = { method, headers: { Accept: "application/json", ...headers }, credentials: "same-origin" };
  const h = init.headers as Record<string, string>;
  if (body !== undefined) {
    h["Content-Type"] = method === "PATCH" ? "application/merge-patch+json" : "application/json";
    init.body = JSON.stringify(body);
  }
  if (method !== "GET" && csrfToken) h["X-CSRF-Token"] = csrfToken;
  const response = await fetch(path, init);
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    // Not ours (a proxy's error page): the status says what happened.
  }
  if (!response.ok) {
    // The session ended (expired, signed out elsewhere, the user deactivated): back to sign-in.
    if (response.status === 401 && path !== "/api/v1/auth/login" && path !== "/api/v1/auth/session")
      dispatchEvent(new Event(sessionEnded));
    const e = data?.error ?? {};
    throw new ApiError(response.status, e.code ?? "error", e.message ?? response.statusText, e.details ?? []);
  }
  return data as T;
}

// The session this browser holds, if any: who is signed in and the CSRF token of the session.
export async function currentSession(): Promise<User | null> {
  try {
    const s = await api<{ user: User; csrf_token: string | null }>("GET", "/api/v1/auth/session");
    keepCsrf(s.csrf_token);
    return s.user;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}

export async function signIn(email: string, password: string): Promise<User> {
  const s = await api<{ user: User; csrf_token: string }>("POST", "/api/v1/auth/login", { email, password });
  keepCsrf(s.csrf_token);
  names.clear();
  return s.user;
}

export async function signOut(): Promise<void> {
  try {
    await api("POST", "/api/v1/auth/logout");
  } finally {
    keepCsrf(null);
    // What one person may read of others is not the next one's.
    names.clear();
  }
}

// One's own language is a field one may change oneself (If-Match: the ETag of one's record).
export async function setLanguage(user: User, language: string): Promise<User> {
  const response = await fetch("/api/v1/me", { credentials: "same-origin" });
  const etag = response.headers.get("ETag") ?? "";
  return api<User>("PATCH", `/api/v1/users/${user.id}`, { language }, { "If-Match": etag });
}

// GET /api/v1/catalog (issue "Service catalog").
export interface Missing {
  kind: string;
  id: string;
  message: string;
}
export interface Timeframe {
  calendar_id: string;
  first_response_minutes: number | null;
  first_response_by: string | null;
  resolution_minutes: number | null;
  resolution_by: string | null;
}
export interface CatalogItem {
  id: string;
  name: string;
  description: string | null;
  price: string;
  eligible: boolean;
  missing: Missing[];
  timeframe: Timeframe | null;
}
export interface CatalogSection {
  service: { id: string; name: string; description: string | null };
  request_types: CatalogItem[];
}
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export function catalogPage(cursor: string | null): Promise<Page<CatalogSection>> {
  return api("GET", "/api/v1/catalog" + (cursor ? `?cursor=${encodeURIComponent(cursor)}` : ""));
}

// GET /api/v1/request-types/{id}: the form of a request type in the reader's language.
export interface FormOption {
  value: string;
  label: string;
  price: string;
}
export interface FormField {
  key: string;
  type: "text" | "long_text" | "number" | "money" | "choice" | "multi_choice" | "date" | "user" | "file";
  label: string;
  help?: string;
  required: boolean;
  options?: FormOption[];
  min?: number;
  max?: number;
  max_length?: number;
  max_files?: number;
  show_when?: { field: string; equals: string[] };
}
export interface RequestType {
  id: string;
  service_id: string;
  name: string;
  description: string | null;
  terms: string | null;
  price: string;
  form: { fields: FormField[] };
}
export function requestType(id: string): Promise<RequestType> {
  return api("GET", `/api/v1/request-types/${encodeURIComponent(id)}`);
}

export interface SlaTarget {
  target_minutes: number;
  due: string | null;
  state: string;
  paused: boolean;
}
export interface Ticket {
  id: string;
  number: number;
  type: string;
  subject: string;
  description: string;
  status: string;
  created_at: string;
  sla: { policy: { id: string; name: string }; first_response: SlaTarget | null; resolution: SlaTarget | null } | null;
}

// What one raised, newest first: a consumer's whole sight (their own, those they represent, their
// organisation's for a customer); staff's own.
export function myTickets(user: User, cursor: string | null): Promise<Page<Ticket>> {
  const mine = isStaff(user) ? `&requester_id=${encodeURIComponent(user.id)}` : "";
  return api("GET", "/api/v1/tickets?sort=-created_at" + mine + (cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""));
}

// POST /api/v1/tickets: an incident, question, complaint or compliment raised from the portal.
export type RaisedType = "incident" | "consultation" | "complaint" | "compliment";
export function raiseTicket(
  type: RaisedType,
  subject: string,
  description: string,
  serviceId: string | null,
  onBehalfOf: string | null = null,
): Promise<Ticket> {
  const body: Record<string, string> = { type, subject, description };
  if (serviceId) body.service_id = serviceId;
  if (onBehalfOf) body.on_behalf_of = onBehalfOf;
  return api("POST", "/api/v1/tickets", body);
}

// GET /api/v1/requests/{id}: what was requested, its approval and its fulfilment tasks.
export interface Approver {
  user_id: string;
  decision: string;
  comment: string;
  decided_at: string | null;
}
export interface ApprovalStep {
  step: number;
  mode: "any" | "all";
  state: string;
  approvers: Approver[];
}
export interface Task {
  key: string;
  name: string;
  state: string;
  due_at: string | null;
  finished_at: string | null;
  // staff only
  ticket_id?: string;
  etag?: string;
}

// DESK-5: the fulfilment tasks staff work, soonest due first.
export function openTasks(cursor: string | null): Promise<Page<Task>> {
  return api("GET", "/api/v1/tasks?state=open,in_progress" + (cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""));
}
export function moveTask(task: Task, state: "in_progress" | "done"): Promise<Task> {
  return api("PATCH", `/api/v1/requests/${encodeURIComponent(task.ticket_id!)}/tasks/${encodeURIComponent(task.key)}`, { state }, {
    "If-Match": task.etag!,
  });
}

export const staffRoles = ["admin", "agent", "specialist", "relationship_manager"];
export const isStaff = (user: User) => user.roles.some((r) => staffRoles.includes(r));
export const isAdmin = (user: User) => user.roles.includes("admin");
// The reports (report.sla): staff see every organisation's numbers, a customer its own.
export const readsReports = (user: User) => isStaff(user) || user.roles.includes("customer");
export interface RequestDetail {
  ticket_id: string;
  request_type_id: string;
  answers: Record<string, unknown>;
  price: string;
  approval: ApprovalStep[] | null;
  tasks: Task[];
}
export function requestDetail(ticketId: string): Promise<RequestDetail> {
  return api("GET", `/api/v1/requests/${encodeURIComponent(ticketId)}`);
}

// GET /api/v1/approvals: the requests waiting for the caller's decision.
export interface PendingApproval extends RequestDetail {
  step: number;
  number: number;
  subject: string;
  description: string;
}
export function pendingApprovals(): Promise<Page<PendingApproval>> {
  return api("GET", "/api/v1/approvals");
}
export function decide(ticketId: string, decision: "approve" | "reject", comment: string): Promise<unknown> {
  return api("POST", `/api/v1/requests/${encodeURIComponent(ticketId)}/approvals`, comment ? { decision, comment } : { decision });
}
export function submitRequest(requestTypeId: string, answers: Record<string, unknown>): Promise<Ticket> {
  return api("POST", "/api/v1/requests", { request_type_id: requestTypeId, answers });
}

// A multipart/form-data POST (files): the answer as JSON, or an ApiError as api() throws it.
export async function postForm<T>(path: string, body: FormData): Promise<T> {
  const response = await fetch(path, {
    method: "POST",
    body,
    credentials: "same-origin",
    headers: csrfToken ? { "X-CSRF-Token": csrfToken } : {},
  });
  const data = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, data?.error?.code ?? "error", data?.error?.message ?? "", data?.error?.details ?? []);
  return data as T;
}

// POST /api/v1/uploads: a file for a form's file field, named by its id in the answers.
export function upload(file: File): Promise<{ id: string; name: string }> {
  const body = new FormData();
  body.append("file", file, file.name);
  return postForm("/api/v1/uploads", body);
}

// The service desk (issue "Service desk core"): a ticket as staff read it, its timeline, and
// what staff and requesters do to it.
export interface DeskTicket extends Ticket {
  channel: string;
  priority: string;
  impact: string;
  urgency: string;
  organization_id: string;
  requester_id: string;
  on_behalf_of: string | null;
  service_id: string | null;
  category: string;
  team_id: string | null;
  assignee_id: string | null;
  tags: string[];
  version: number;
  etag: string;
  updated_at: string;
  resolved_at: string | null;
  major_incident: boolean;
}
export interface TicketEvent {
  id: string;
  ticket_id: string;
  seq: number;
  kind: string;
  actor_id: string;
  channel: string;
  public: boolean;
  body: string;
  data: Record<string, unknown>;
  created_at: string;
}
export function deskTicket(id: string): Promise<DeskTicket> {
  return api("GET", `/api/v1/tickets/${encodeURIComponent(id)}`);
}
// The whole timeline, oldest first, read page by page.
export async function timeline(id: string): Promise<TicketEvent[]> {
  const events: TicketEvent[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const page: Page<TicketEvent> = await api("GET", `/api/v1/tickets/${encodeURIComponent(id)}/timeline${query}`);
    events.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return events;
}
export function comment(id: string, body: string, isPublic: boolean): Promise<TicketEvent> {
  return api("POST", `/api/v1/tickets/${encodeURIComponent(id)}/comments`, { body, public: isPublic });
}
export interface Call {
  summary: string;
  duration_seconds: number;
  direction: "inbound" | "outbound";
  public: boolean;
}
export function logCall(id: string, call: Call): Promise<TicketEvent> {
  return api("POST", `/api/v1/tickets/${encodeURIComponent(id)}/calls`, call);
}
export type TransitionField = "resolution" | "recovery_action" | "credited_to";
// Staff move the version they read (If-Match: a change by someone else meanwhile answers 412);
// a requester's close or reopen applies to the ticket as it stands, the workflow decides.
export function moveTicket(
  ticket: DeskTicket,
  to: string,
  fields: Partial<Record<TransitionField, string>>,
  asRead = true,
): Promise<DeskTicket> {
  return api("POST", `/api/v1/tickets/${encodeURIComponent(ticket.id)}/transitions`, { to, ...fields }, asRead ? { "If-Match": ticket.etag } : {});
}
export function patchTicket(ticket: DeskTicket, patch: Record<string, unknown>): Promise<DeskTicket> {
  return api("PATCH", `/api/v1/tickets/${encodeURIComponent(ticket.id)}`, patch, { "If-Match": ticket.etag });
}

// REL-4: where the router would send a ticket, and the agent's choice (which trains it).
export interface RouteGuess {
  value: string;
  confidence: number;
  source: "classifier" | "rules";
  words: { term: string; weight: number }[];
  rules: string[];
}
export interface RoutingSuggestion {
  team: RouteGuess | null;
  category: RouteGuess | null;
  threshold: number;
}
export function routingSuggestion(ticket: DeskTicket): Promise<RoutingSuggestion> {
  return api("GET", `/api/v1/tickets/${encodeURIComponent(ticket.id)}/routing-suggestion`);
}
export function chooseRouting(ticket: DeskTicket, choice: { team_id?: string | null; category?: string }): Promise<DeskTicket> {
  return api("POST", `/api/v1/tickets/${encodeURIComponent(ticket.id)}/routing-suggestion`, choice, { "If-Match": ticket.etag });
}

// GET /api/v1/workflows: the moves of each type's workflow and who may make them.
export interface WorkflowTransition {
  from: string;
  to: string;
  performers: string[];
  needs: TransitionField[];
  reopens: boolean;
}
export interface Workflow {
  type: string;
  initial: string;
  reopen_days: number;
  states: { name: string; category: string }[];
  transitions: WorkflowTransition[];
}
let workflowsRead: Promise<Workflow[]> | null = null;
export function workflows(): Promise<Workflow[]> {
  workflowsRead ??= api<Page<Workflow>>("GET", "/api/v1/workflows")
    .then((p) => p.items)
    .catch((e) => {
      workflowsRead = null;
      throw e;
    });
  return workflowsRead;
}
// The moves `user` may offer on `ticket`: staff by their roles, consumers as the requester side.
export function movesFor(all: Workflow[], ticket: Ticket, user: User): WorkflowTransition[] {
  const flow = all.find((w) => w.type === ticket.type);
  const as = isStaff(user) ? user.roles : ["requester"];
  return (flow?.transitions ?? []).filter((m) => m.from === ticket.status && m.performers.some((p) => as.includes(p)));
}

// Saved queues with live counts, and a queue's tickets in its sort.
export interface Queue {
  id: string;
  name: string;
  shared: boolean;
  filter: Record<string, string>;
  count: number;
}
export function queues(): Promise<Page<Queue>> {
  return api("GET", "/api/v1/queues?limit=100");
}
export function queueTickets(id: string, cursor: string | null): Promise<Page<DeskTicket>> {
  return api("GET", `/api/v1/queues/${encodeURIComponent(id)}/tickets?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
}

// A person's name as the caller may read it; null when the caller may not (another
// organisation's staff seen by a consumer).
const names = new Map<string, Promise<string | null>>();
export function personName(id: string): Promise<string | null> {
  let known = names.get(id);
  if (!known) {
    known = api<User>("GET", `/api/v1/users/${encodeURIComponent(id)}`)
      .then((u) => u.name)
      .catch(() => null);
    names.set(id, known);
  }
  return known;
}

// DESK-9: breaking a guarded rule for a ticket, with a reason and a justification, and the
// report administrators read of every such override, with the improvement register.
export type OverrideRule = "sla.first_response" | "sla.next_update" | "sla.resolution" | "workflow.transition";
export interface Override {
  id: string;
  rule: string;
  target_id: string;
  organization_id: string;
  actor_id: string;
  reason_code: string;
  justification: string;
  details: Record<string, unknown>;
  improvement_id: string | null;
  outcome: string;
  created_at: string;
}
export interface OverrideReport extends Page<Override> {
  summary: {
    overrides: number;
    by_rule: Record<string, number>;
    by_actor: Record<string, number>;
    by_reason: Record<string, number>;
    by_outcome: Record<string, number>;
  };
}
export function overrideReasons(): Promise<{ codes: string[] }> {
  return api("GET", "/api/v1/override-reasons");
}
export function override(body: {
  rule: OverrideRule;
  target_id: string;
  reason_code: string;
  justification: string;
  extend_minutes?: number;
  to?: string;
}): Promise<Override> {
  return api("POST", "/api/v1/overrides", body);
}
export function overrideReport(cursor: string | null): Promise<OverrideReport> {
  return api("GET", "/api/v1/overrides?limit=50" + (cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""));
}
export interface Improvement {
  id: string;
  title: string;
  description: string;
  status: string;
  override_ids: string[];
  created_at: string;
}
export function improvements(): Promise<Page<Improvement>> {
  return api("GET", "/api/v1/improvements?limit=100");
}
export function proposeImprovement(title: string, description: string, overrideIds: string[]): Promise<Improvement> {
  return api("POST", "/api/v1/improvements", { title, description, override_ids: overrideIds });
}
export const mayOverrideSla = (user: User) => user.roles.some((r) => ["admin", "agent", "relationship_manager"].includes(r));
export const readsOverrides = (user: User) => user.roles.some((r) => ["admin", "relationship_manager"].includes(r));
// REL-5: who writes and publishes broadcasts (permission broadcast.manage).
// REL-3: agents who take the chats the bot hands over (chat.answer), and who read its results (chat.report).
export const answersChats = (user: User) => user.roles.some((r) => ["admin", "agent", "specialist"].includes(r));
export const readsChatReport = (user: User) => user.roles.some((r) => ["admin", "agent", "specialist", "relationship_manager"].includes(r));
export const worksRecovery = (user: User) => user.roles.some((r) => ["admin", "agent", "specialist", "relationship_manager"].includes(r));
export const publishesNews = (user: User) => user.roles.some((r) => ["admin", "agent", "relationship_manager"].includes(r));

// DESK-4, REL-5: the notification centre — replies, status and time changes on one's tickets.
export interface Notification {
  id: string;
  ticket_id: string | null; // what it is about: a ticket or (ONB-3) an onboarding plan
  plan_id: string | null;
  requirement_id: string | null;
  topic_id?: string | null; // COM-1: a community topic followed
  booking_id?: string | null; // REL-5: a booked resource running late
  broadcast_id?: string | null; // REL-5: a maintenance window, a major incident's news
  feedback_id?: string | null; // FDB-2: what became of one's feedback
  kind: string;
  summary: string;
  read: boolean;
  created_at: string;
}
export const notificationsRead = "tandem:notifications-read";
export function notificationsPage(cursor: string | null): Promise<Page<Notification>> {
  return api("GET", "/api/v1/notifications?limit=30" + (cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""));
}
export function unreadCount(): Promise<number> {
  return api<{ unread: number }>("GET", "/api/v1/notifications/unread-count").then((r) => r.unread);
}
export async function markRead(id: string): Promise<void> {
  await api("POST", `/api/v1/notifications/${encodeURIComponent(id)}/read`);
  dispatchEvent(new Event(notificationsRead));
}
export async function markAllRead(): Promise<void> {
  await api("POST", "/api/v1/notifications/read-all");
  dispatchEvent(new Event(notificationsRead));
}
// Where a ticket is followed: staff at the desk, everyone else among their tickets.
export const ticketPath = (user: User, ticketId: string) =>
  isStaff(user) ? `/desk/tickets/${ticketId}` : `/requests/${ticketId}`;

// GET /api/v1/search: tickets and comments the caller may see, best first (OPS-2).
export interface SearchHit {
  id: string;
  number: number;
  type: string;
  subject: string;
  status: string;
  priority: string;
  updated_at: string;
}
export function search(q: string, cursor: string | null): Promise<Page<SearchHit>> {
  return api("GET", `/api/v1/search?kind=ticket&limit=50&q=${encodeURIComponent(q)}` + (cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""));
}

// DESK-7: links between tickets — a major incident is the parent of the tickets it caused.
export interface TicketLink {
  ticket_id: string;
  other_id: string;
  kind: "parent" | "child" | "related";
  created_at: string;
}
export function links(id: string): Promise<Page<TicketLink>> {
  return api("GET", `/api/v1/tickets/${encodeURIComponent(id)}/links`);
}
export function link(id: string, otherId: string, kind: TicketLink["kind"]): Promise<TicketLink> {
  return api("POST", `/api/v1/tickets/${encodeURIComponent(id)}/links`, { ticket_id: otherId, kind });
}

// The provider's teams, for triage (staff).
export interface Team {
  id: string;
  name: string;
  member_ids: string[];
}
export function teams(): Promise<Page<Team>> {
  return api("GET", "/api/v1/teams?limit=200");
}

// ONB-2…ONB-4: onboarding plans, which both sides read; relationship managers make them, the
// organisation's customer accepts them, each side works its own actions.
export const managesPlans = (user: User) => user.roles.includes("admin") || user.roles.includes("relationship_manager");
export const acceptsPlans = (user: User) => user.roles.includes("customer");
export interface PlanPerson {
  id: string;
  name: string | null;
}
export type PlanActionStatus = "open" | "in_progress" | "done" | "dropped";
export interface PlanAction {
  id: string;
  key: string;
  title: string | null;
  dimension: string;
  performed_by: "provider" | "consumer" | "consumer_partner";
  owner: { role: string; person: PlanPerson | null };
  due: string;
  due_offset_days: number;
  depends_on: string[];
  status: PlanActionStatus;
  overdue: boolean;
}
export interface PlanObjective {
  key: string;
  name: string | null;
  metric: string;
  target: number;
  days?: number;
  value: number | null;
  met: boolean;
  recorded: boolean;
  counts: Record<string, number>;
  basis: string;
}
export interface Plan {
  id: string;
  template_id: string;
  name: string | null;
  organization_id: string;
  user_id: string | null;
  scenario: string;
  status: "draft" | "accepted" | "in_progress" | "completed" | "reviewed";
  start_date: string;
  start_trigger: string;
  end_criterion: string;
  today: string;
  actions: PlanAction[];
  progress: { done: number; total: number };
  overdue: PlanAction[];
  overdue_count: number;
  objectives?: PlanObjective[];
  objectives_measured_at?: string | null;
  accepted_by: PlanPerson | null;
  accepted_at: string | null;
  accepted_version: number | null;
  review: PlanReview | null;
  version: number;
}
export interface PlanReview {
  reviewed_by: PlanPerson;
  reviewed_at: string;
  all_complete: boolean;
  open_items: { id: string; key: string; status: PlanActionStatus }[];
  satisfaction: { users: number | null; customer: number | null };
  open_errors: string[];
  risk_assessment: string;
  summary: string;
  improvement_ids: string[];
}
export interface PlanEvent {
  id: string;
  plan_version: number;
  kind: string;
  actor_id: string;
  actor: PlanPerson;
  action_id: string | null;
  data: Record<string, unknown>;
  created_at: string;
}
export const planScenarios = [
  "new_organization",
  "new_customer_existing_org",
  "existing_customer_new_services",
  "migration_from_provider",
  "new_user",
  "existing_user_new_services",
  "version_switch",
  "service_migration",
] as const;
export function plans(cursor: string | null): Promise<Page<Plan>> {
  return api("GET", `/api/v1/plans?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
}
export function plan(id: string): Promise<Plan> {
  return api("GET", `/api/v1/plans/${encodeURIComponent(id)}`);
}
export function planEvents(id: string): Promise<Page<PlanEvent>> {
  return api("GET", `/api/v1/plans/${encodeURIComponent(id)}/events?limit=500`);
}
export function createPlan(body: Record<string, string>): Promise<Plan> {
  return api("POST", "/api/v1/plans", body);
}
export function acceptPlan(id: string): Promise<Plan> {
  return api("POST", `/api/v1/plans/${encodeURIComponent(id)}/acceptance`, {});
}
export function movePlanAction(planId: string, actionId: string, to: PlanActionStatus): Promise<Plan> {
  return api("POST", `/api/v1/plans/${encodeURIComponent(planId)}/actions/${encodeURIComponent(actionId)}/transitions`, { to });
}
// ONB-3: the plan's whole list of actions as it should be (kept ones by id, with what changed).
export function adaptPlan(plan: Plan, actions: Record<string, unknown>[]): Promise<Plan> {
  return api("PATCH", `/api/v1/plans/${encodeURIComponent(plan.id)}`, { actions }, { "If-Match": `"v${plan.version}"` });
}
export function reviewPlan(id: string, review: Record<string, unknown>): Promise<Plan> {
  return api("POST", `/api/v1/plans/${encodeURIComponent(id)}/review`, review);
}

// KB-1: knowledge articles. REL-2: suggestions while a ticket is written, and deflections.
export type ArticleState = "draft" | "review" | "published" | "archived";
export interface Audience {
  organization_ids: string[];
  roles: string[];
  offering_ids: string[];
}
export interface Article {
  id: string;
  state: ArticleState;
  language: string;
  original_language: string;
  languages: string[];
  title: string;
  body?: string;
  body_html?: string;
  text_version: number;
  author_id: string;
  text_author_id: string;
  audience: Audience;
  service_ids: string[];
  feedback: { helpful: number; unhelpful: number };
  version: number;
  updated_at: string;
  text_updated_at: string;
  published_at: string | null;
}
export interface ArticleVersion {
  language: string;
  number: number;
  title: string;
  author_id: string;
  created_at: string;
  feedback: { helpful: number; unhelpful: number };
}
export interface Snippet {
  text: string;
  mark: boolean;
}
export interface FoundItem {
  kind: "article" | "topic" | "post" | "answer" | "ticket";
  id: string;
  topic_id?: string | null;
  title: string;
  language?: string;
  number?: number;
  status?: string;
  title_highlight?: Snippet[];
  highlight?: Snippet[];
}
export interface Facet {
  value: string;
  count: number;
}
export interface SearchPage extends Page<FoundItem> {
  facets: { kind?: Facet[]; language?: Facet[]; service_id?: Facet[] };
}

export const writesKnowledge = (user: User) => isStaff(user);
export const publishesKnowledge = (user: User) => user.roles.some((r) => r === "admin" || r === "agent");

export const articlePath = (id: string) => `/api/v1/articles/${encodeURIComponent(id)}`;

export function suggestions(q: string, serviceId: string | null, signal?: AbortSignal): Promise<Page<FoundItem>> {
  const params = new URLSearchParams({ q });
  if (serviceId) params.set("service_id", serviceId);
  return fetch(`/api/v1/suggestions?${params}`, { credentials: "same-origin", headers: { Accept: "application/json" }, signal }).then(
    async (r) => {
      if (!r.ok) throw new ApiError(r.status, "error", r.statusText);
      return (await r.json()) as Page<FoundItem>;
    },
  );
}

// The user read a suggestion and left without raising a ticket. Sent with keepalive, so that it
// also leaves when the page is being closed.
export function recordDeflection(kind: "article" | "answer", id: string, serviceId: string | null, query: string): Promise<void> {
  const headers: Record<string, string> = { "Content-Type": "application/json", Accept: "application/json" };
  if (csrfToken) headers["X-CSRF-Token"] = csrfToken;
  const body = JSON.stringify({ kind, id, query: query.slice(0, 500), ...(serviceId ? { service_id: serviceId } : {}) });
  return fetch("/api/v1/deflections", { method: "POST", credentials: "same-origin", keepalive: true, headers, body }).then(() => undefined);
}

// FDB-1: a person's rating of a resolved ticket that served them (1–5, a comment); rating again
// replaces it.
export type Touchpoint = "resolution" | "first_response";
export interface Rating {
  id: string;
  ticket_id: string;
  touchpoint: Touchpoint;
  user_id: string;
  score: number;
  comment: string;
  via: string;
  updated_at: string;
}
export async function myRating(ticketId: string, userId: string, touchpoint: Touchpoint = "resolution"): Promise<Rating | null> {
  const page = await api<Page<Rating>>("GET", `/api/v1/ratings?ticket_id=${encodeURIComponent(ticketId)}`);
  return page.items.find((r) => r.user_id === userId && r.touchpoint === touchpoint) ?? null;
}
export function rateTicket(ticketId: string, score: number, comment: string, touchpoint: Touchpoint = "resolution"): Promise<Rating> {
  return api("POST", "/api/v1/ratings", { ticket_id: ticketId, score, comment, touchpoint });
}

// DESK-8: the recovery tasks moments of truth open, for staff.
export interface RecoveryTask {
  id: string;
  ticket_id: string;
  signal: string;
  assignee_id: string | null;
  team: string | null;
  due: string | null;
  status: "open" | "done";
  note: string;
  created_at: string;
  done_at: string | null;
}
export function recoveryTasks(status: string, mine: boolean, cursor: string | null): Promise<Page<RecoveryTask>> {
  const q = new URLSearchParams({ limit: "20" });
  if (status) q.set("status", status);
  if (mine) q.set("assignee_id", "me");
  if (cursor) q.set("cursor", cursor);
  return api("GET", `/api/v1/recovery-tasks?${q}`);
}
export function completeRecoveryTask(id: string, note: string): Promise<RecoveryTask> {
  return api("POST", `/api/v1/recovery-tasks/${encodeURIComponent(id)}/completion`, { note });
}

// FDB-1: relationship surveys. Their keepers (admin, relationship managers) write and publish
// them; the people invited answer once; staff and an organisation's customer read the results.
export const keepsSurveys = (user: User) => user.roles.some((r) => ["admin", "relationship_manager"].includes(r));
export const readsSurveyResults = (user: User) =>
  user.roles.some((r) => ["admin", "agent", "specialist", "relationship_manager", "customer"].includes(r));
export interface SurveyQuestion {
  key: string;
  kind: "nps" | "scale" | "choice" | "text";
  prompt: Record<string, string>;
  options: Record<string, string>[];
  required: boolean;
}
export interface Survey {
  id: string;
  title: Record<string, string>;
  intro: Record<string, string>;
  questions: SurveyQuestion[];
  anonymous: boolean;
  opens_at: string | null;
  closes_at: string | null;
  state: "draft" | "scheduled" | "open" | "closed";
  invitation?: { invited_at: string; answered: boolean; answered_on: string | null };
  organization_ids?: string[];
  reminder_days?: number;
  etag?: string;
}
export interface Nps {
  responses: number;
  promoters: number;
  passives: number;
  detractors: number;
  score: number | null;
}
export interface SurveyResults {
  withheld: boolean; // anonymous, and too few answers to show
  invited: number;
  answered: number;
  response_rate: number | null;
  nps: Nps | null;
  questions: { key: string; kind: string; responses: number; counts: number[]; csat?: { mean: number | null } }[];
  organizations: { id: string; name: string; invited: number; answered: number; withheld: boolean; nps: Nps | null }[];
  texts?: { question_key: string; text: string; organization_id: string | null; user_id: string | null }[];
}
export function surveys(cursor: string | null): Promise<Page<Survey>> {
  return api("GET", `/api/v1/surveys?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
}
export function survey(id: string): Promise<Survey> {
  return api("GET", `/api/v1/surveys/${encodeURIComponent(id)}`);
}
export function createSurvey(body: Record<string, unknown>): Promise<Survey> {
  return api("POST", "/api/v1/surveys", body);
}
export function surveyAction(s: Survey, action: "publish" | "close"): Promise<Survey> {
  return api("POST", `/api/v1/surveys/${encodeURIComponent(s.id)}/${action}`, {}, { "If-Match": s.etag! });
}
export function answerSurvey(id: string, answers: Record<string, number | string>): Promise<{ id: string }> {
  return api("POST", `/api/v1/surveys/${encodeURIComponent(id)}/responses`, { answers });
}
export function surveyResults(id: string): Promise<SurveyResults> {
  return api("GET", `/api/v1/surveys/${encodeURIComponent(id)}/results`);
}
