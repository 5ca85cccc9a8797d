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
  return s.user;
}

export async function signOut(): Promise<void> {
  try {
    await api("POST", "/api/v1/auth/logout");
  } finally {
    keepCsrf(null);
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
export function raiseTicket(type: RaisedType, subject: string, description: string, serviceId: string | null): Promise<Ticket> {
  const body: Record<string, string> = { type, subject, description };
  if (serviceId) body.service_id = serviceId;
  return api("POST", "/api/v1/tickets", body);
}
export function ticket(id: string): Promise<Ticket> {
  return api("GET", `/api/v1/tickets/${encodeURIComponent(id)}`);
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

// POST /api/v1/uploads: a file for a form's file field, named by its id in the answers.
export async function upload(file: File): Promise<{ id: string; name: string }> {
  const body = new FormData();
  body.append("file", file, file.name);
  const response = await fetch("/api/v1/uploads", {
    method: "POST",
    body,
    credentials: "same-origin",
    headers: csrfToken ? { "X-CSRF-Token": csrfToken } : {},
  });
  const data = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, data?.error?.code ?? "error", data?.error?.message ?? "", data?.error?.details ?? []);
  return data;
}
