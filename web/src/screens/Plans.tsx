import { useCallback, useEffect, useState, type FormEvent } from "react";
import { Button } from "react-aria-components";
import {
  ApiError,
  acceptPlan,
  acceptsPlans,
  api,
  createPlan,
  isStaff,
  managesPlans,
  movePlanAction,
  plan as readPlan,
  planEvents,
  plans,
  planScenarios,
  reviewPlan,
  type Page,
  type Plan,
  type PlanAction,
  type PlanActionStatus,
  type PlanEvent,
  type PlanObjective,
  type User,
} from "../api";
import { DialogForm } from "../components/DialogForm";
import { AdaptPlan } from "./PlanAdapt";
import { TextArea, useFormProblems } from "../components/Form";
import { Failure, Loading } from "../components/Status";
import { useLocale, word } from "../i18n";
import { errorText, usePaged } from "../paged";
import { Link, navigate } from "../router";

// ONB-2, ONB-3: the onboarding plans the person sees — the provider's staff every plan, a
// customer their organisation's, anyone else the plans that name them — with how far each is.
export function Plans({ user }: { user: User }) {
  const { t } = useLocale();
  const { items, error, hasMore, more } = usePaged(plans);
  const [making, setMaking] = useState(false);
  return (
    <main id="main">
      <h1>{t("plans.title")}</h1>
      <p className="help">{t(isStaff(user) ? "plans.lead.staff" : "plans.lead.consumer")}</p>
      {managesPlans(user) && (
        <p className="buttons">
          <Button onPress={() => setMaking(true)}>{t("plans.new")}</Button>
        </p>
      )}
      {making && <NewPlan onClose={() => setMaking(false)} />}
      <Failure message={error} />
      {!items && !error && <Loading />}
      {items && items.length === 0 && <p>{t("plans.empty")}</p>}
      {items && items.length > 0 && (
        <table className="list">
          <caption className="visually-hidden">{t("plans.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("plans.plan")}</th>
              <th scope="col">{t("plans.scenario")}</th>
              <th scope="col">{t("plans.status")}</th>
              <th scope="col">{t("plans.progress")}</th>
              <th scope="col">{t("plans.overdue")}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((p) => (
              <tr key={p.id}>
                <td>
                  <Link to={`/plans/${encodeURIComponent(p.id)}`}>{p.name ?? p.id}</Link>
                </td>
                <td>{word(t, "plans.scenario", p.scenario)}</td>
                <td>{word(t, "plans.state", p.status)}</td>
                <td>{t("plans.doneOf", { done: String(p.progress.done), total: String(p.progress.total) })}</td>
                <td>{p.overdue_count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {hasMore && (
        <p>
          <Button onPress={() => void more()}>{t("plans.more")}</Button>
        </p>
      )}
    </main>
  );
}

interface Choice {
  value: string;
  label: string;
}

async function choices(path: string): Promise<Choice[]> {
  const page = await api<Page<{ id: string; name?: string | null }>>("GET", `${path}${path.includes("?") ? "&" : "?"}limit=500`);
  return page.items.map((i) => ({ value: i.id, label: i.name ?? i.id }));
}

// A relationship manager makes a plan from a template: for whom, which scenario, from when.
function NewPlan({ onClose }: { onClose: () => void }) {
  const { t } = useLocale();
  const form = useFormProblems();
  const [busy, setBusy] = useState(false);
  const [lists, setLists] = useState<{ templates: Choice[]; organizations: Choice[]; calendars: Choice[] } | null>(null);
  const [people, setPeople] = useState<Choice[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    Promise.all([choices("/api/v1/onboarding-templates"), choices("/api/v1/organizations"), choices("/api/v1/calendars")])
      .then(([templates, organizations, calendars]) => setLists({ templates, organizations, calendars }))
      .catch((e) => setFailure(errorText(e)));
  }, []);

  async function choosePeople(organization: string) {
    setPeople(organization ? await choices(`/api/v1/users?organization_id=${encodeURIComponent(organization)}`).catch(() => []) : []);
  }

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const body: Record<string, string> = {};
    for (const key of ["template_id", "organization_id", "scenario", "start_date", "user_id", "calendar_id", "start_trigger", "end_criterion"]) {
      const value = String(data.get(key) ?? "").trim();
      if (value) body[key] = value;
    }
    const found: Record<string, string> = {};
    for (const key of ["template_id", "organization_id", "scenario", "start_date"]) if (!body[key]) found[key] = t("plans.required");
    if (!form.check(found)) return;
    setBusy(true);
    try {
      const made = await createPlan(body);
      onClose();
      navigate(`/plans/${encodeURIComponent(made.id)}`);
    } catch (err) {
      form.refused(err);
    } finally {
      setBusy(false);
    }
  }

  const select = (name: string, label: string, options: Choice[], required: boolean, onChange?: (v: string) => void) => {
    const problem = form.problems[name];
    return (
      <div className="field">
        <label htmlFor={`plan-${name}`}>{label}</label>
        <select
          id={`plan-${name}`}
          name={name}
          defaultValue=""
          aria-required={required || undefined}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `plan-${name}-problem` : undefined}
          onChange={(e) => onChange?.(e.target.value)}
        >
          <option value="">{required ? t("plans.choose") : t("plans.none")}</option>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
        {problem && (
          <p id={`plan-${name}-problem`} className="error">
            {problem}
          </p>
        )}
      </div>
    );
  };

  return (
    <DialogForm
      isOpen
      title={t("plans.new")}
      submitLabel={t("plans.make")}
      refusal={form.refusal ?? failure}
      busy={busy || !lists}
      onClose={onClose}
      onSubmit={(e) => void submit(e)}
    >
      {!lists && !failure && <Loading />}
      {lists && (
        <>
          {select("template_id", t("plans.template"), lists.templates, true)}
          {select("organization_id", t("plans.organization"), lists.organizations, true, (v) => void choosePeople(v))}
          {select(
            "scenario",
            t("plans.scenario"),
            planScenarios.map((s) => ({ value: s, label: word(t, "plans.scenario", s) })),
            true,
          )}
          {select("user_id", t("plans.person"), people, false)}
          <div className="field">
            <label htmlFor="plan-start_date">{t("plans.start")}</label>
            <input
              id="plan-start_date"
              name="start_date"
              type="date"
              aria-required
              aria-invalid={form.problems.start_date ? true : undefined}
              aria-describedby={form.problems.start_date ? "plan-start_date-problem" : "plan-start_date-help"}
            />
            <p id="plan-start_date-help" className="help">
              {t("plans.start.help")}
            </p>
            {form.problems.start_date && (
              <p id="plan-start_date-problem" className="error">
                {form.problems.start_date}
              </p>
            )}
          </div>
          {select("calendar_id", t("plans.calendar"), lists.calendars, false)}
          {(["start_trigger", "end_criterion"] as const).map((key) => (
            <div className="field" key={key}>
              <label htmlFor={`plan-${key}`}>{t(key === "start_trigger" ? "plans.trigger" : "plans.endCriterion")}</label>
              <input
                id={`plan-${key}`}
                name={key}
                aria-invalid={form.problems[key] ? true : undefined}
                aria-describedby={form.problems[key] ? `plan-${key}-problem` : undefined}
              />
              {form.problems[key] && (
                <p id={`plan-${key}-problem`} className="error">
                  {form.problems[key]}
                </p>
              )}
            </div>
          ))}
        </>
      )}
    </DialogForm>
  );
}

// The moves an action offers from where it stands (plans.txt); `done` from any open state.
const movesFrom: Record<PlanActionStatus, PlanActionStatus[]> = {
  open: ["in_progress", "done", "dropped"],
  in_progress: ["done", "open", "dropped"],
  done: ["open"],
  dropped: ["open"],
};

// One plan as both sides see it: where it stands, what is late and whose it is, the objectives'
// live values, the customer's acceptance, each side's actions to move, and the timeline.
export function PlanView({ id, user }: { id: string; user: User }) {
  const { t, dateTime } = useLocale();
  const [shown, setShown] = useState<Plan | null>(null);
  const [events, setEvents] = useState<PlanEvent[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [said, setSaid] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const titleOf = (key: string) => shown?.actions.find((a) => a.key === key)?.title ?? key;

  const load = useCallback(async () => {
    try {
      const [p, e] = await Promise.all([readPlan(id), planEvents(id)]);
      setShown(p);
      setEvents(e.items);
    } catch (e) {
      setError(errorText(e));
    }
  }, [id]);
  useEffect(() => {
    void load();
  }, [load]);

  async function act(run: () => Promise<Plan>, done: string) {
    setBusy(true);
    setProblem(null);
    try {
      setShown(await run());
      setSaid(done);
      setEvents((await planEvents(id)).items);
    } catch (e) {
      // An action waiting for others names them, by their titles.
      const waiting = e instanceof ApiError && e.code === "dependency_open" ? e.details.map((d) => titleOf(d.problem)) : [];
      setProblem(waiting.length ? `${errorText(e)} ${t("plans.waitingFor", { list: waiting.join(", ") })}` : errorText(e));
    } finally {
      setBusy(false);
    }
  }

  if (error)
    return (
      <main id="main">
        <h1>{t("plans.title")}</h1>
        <Failure message={error} />
      </main>
    );
  if (!shown)
    return (
      <main id="main">
        <Loading />
      </main>
    );
  const p = shown;
  const works = p.status !== "draft" && p.status !== "reviewed";
  const mayMove = (a: PlanAction) => isStaff(user) || a.performed_by !== "provider";
  const keyTitle = new Map(p.actions.map((a) => [a.key, a.title ?? a.key]));
  return (
    <main id="main">
      <p>
        <Link to="/plans">{t("plans.back")}</Link>
      </p>
      <h1>{p.name ?? p.id}</h1>
      <p role="status">
        {said}
      </p>
      {problem && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}
      <dl className="facts">
        <dt>{t("plans.status")}</dt>
        <dd>{word(t, "plans.state", p.status)}</dd>
        <dt>{t("plans.scenario")}</dt>
        <dd>{word(t, "plans.scenario", p.scenario)}</dd>
        <dt>{t("plans.start")}</dt>
        <dd>{p.start_date}</dd>
        {p.start_trigger && (
          <>
            <dt>{t("plans.trigger")}</dt>
            <dd>{p.start_trigger}</dd>
          </>
        )}
        {p.end_criterion && (
          <>
            <dt>{t("plans.endCriterion")}</dt>
            <dd>{p.end_criterion}</dd>
          </>
        )}
        <dt>{t("plans.progress")}</dt>
        <dd>
          <progress max={Math.max(p.progress.total, 1)} value={p.progress.done} aria-label={t("plans.progress")} />{" "}
          {t("plans.doneOf", { done: String(p.progress.done), total: String(p.progress.total) })}
        </dd>
        <dt>{t("plans.acceptance")}</dt>
        <dd>
          {p.accepted_by && p.accepted_at
            ? t("plans.acceptedBy", {
                name: p.accepted_by.name ?? p.accepted_by.id,
                at: dateTime(p.accepted_at),
                version: String(p.accepted_version ?? ""),
              })
            : t("plans.notAccepted")}
        </dd>
      </dl>
      {p.status === "draft" && acceptsPlans(user) && (
        <section aria-labelledby="plan-accept">
          <h2 id="plan-accept">{t("plans.accept.title")}</h2>
          <p className="help">{t("plans.accept.help")}</p>
          <Button isDisabled={busy} onPress={() => void act(() => acceptPlan(p.id), t("plans.accepted"))}>
            {t("plans.accept")}
          </Button>
        </section>
      )}
      {p.status === "draft" && !acceptsPlans(user) && <p className="help">{t("plans.waitingForCustomer")}</p>}

      <section aria-labelledby="plan-overdue">
        <h2 id="plan-overdue">{t("plans.overdueTitle", { n: String(p.overdue.length) })}</h2>
        {p.overdue.length === 0 ? (
          <p>{t("plans.nothingOverdue")}</p>
        ) : (
          <ul>
            {p.overdue.map((a) => (
              <li key={a.id}>
                {t("plans.overdueItem", { title: a.title ?? a.key, due: a.due, owner: ownerText(t, a) })}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="plan-actions">
        <h2 id="plan-actions">{t("plans.actions")}</h2>
        <table className="list">
          <thead>
            <tr>
              <th scope="col">{t("plans.action")}</th>
              <th scope="col">{t("plans.side")}</th>
              <th scope="col">{t("plans.owner")}</th>
              <th scope="col">{t("plans.due")}</th>
              <th scope="col">{t("plans.status")}</th>
              {works && <th scope="col">{t("plans.move")}</th>}
            </tr>
          </thead>
          <tbody>
            {p.actions.map((a) => (
              <tr key={a.id} className={a.overdue ? "late" : undefined}>
                <th scope="row" id={`action-${a.id}`}>
                  {a.title ?? a.key}
                  {a.depends_on.length > 0 && (
                    <span className="help">
                      {" "}
                      {t("plans.after", { list: a.depends_on.map((k) => keyTitle.get(k) ?? k).join(", ") })}
                    </span>
                  )}
                </th>
                <td>{word(t, "plans.side", a.performed_by)}</td>
                <td>{ownerText(t, a)}</td>
                <td className="date">
                  {a.due}
                  {a.overdue && <strong> {t("plans.late")}</strong>}
                </td>
                <td>{word(t, "plans.action.state", a.status)}</td>
                {works && (
                  <td>
                    <div className="moves">
                      {mayMove(a)
                        ? movesFrom[a.status].map((to) => (
                            <Button
                              key={to}
                              className="react-aria-Button secondary"
                              isDisabled={busy}
                              aria-describedby={`action-${a.id}`}
                              onPress={() =>
                                void act(
                                  () => movePlanAction(p.id, a.id, to),
                                  t("plans.moved", { title: a.title ?? a.key, state: word(t, "plans.action.state", to) }),
                                )
                              }
                            >
                              {word(t, "plans.to", to)}
                            </Button>
                          ))
                        : null}
                    </div>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      {managesPlans(user) && p.status !== "reviewed" && (
        <AdaptPlan
          key={p.version}
          plan={p}
          onAdapted={(adapted) => {
            setShown(adapted);
            setSaid(t("plans.adapt.saved", { version: String(adapted.version) }));
            void planEvents(id).then((e) => setEvents(e.items));
          }}
        />
      )}

      {p.objectives && p.objectives.length > 0 && (
        <section aria-labelledby="plan-objectives">
          <h2 id="plan-objectives">{t("plans.objectives")}</h2>
          {p.objectives_measured_at && <p className="help">{t("plans.measuredAt", { at: dateTime(p.objectives_measured_at) })}</p>}
          <table className="list">
            <thead>
              <tr>
                <th scope="col">{t("plans.objective")}</th>
                <th scope="col">{t("plans.target")}</th>
                <th scope="col">{t("plans.value")}</th>
                <th scope="col">{t("plans.met")}</th>
              </tr>
            </thead>
            <tbody>
              {p.objectives.map((o) => (
                <tr key={o.key}>
                  <th scope="row">{o.name ?? o.key}</th>
                  <td>{o.target}</td>
                  <td>
                    {o.value === null ? t("plans.noValue") : Math.round(o.value * 100) / 100}
                    <span className="help"> ({basisText(t, o)})</span>
                  </td>
                  <td>{o.met ? t("plans.metYes") : t("plans.metNo")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}

      {p.review && <ReviewRecord plan={p} titles={keyTitle} />}
      {!p.review && managesPlans(user) && (p.status === "in_progress" || p.status === "completed") && (
        <ReviewForm
          plan={p}
          onReviewed={(reviewed) => {
            setShown(reviewed);
            setSaid(t("plans.review.done"));
            void planEvents(id).then((e) => setEvents(e.items));
          }}
        />
      )}

      <section aria-labelledby="plan-timeline">
        <h2 id="plan-timeline">{t("plans.timeline")}</h2>
        <ol className="timeline">
          {events.map((e) => (
            <li key={e.id}>
              <time dateTime={e.created_at}>{dateTime(e.created_at)}</time> {e.actor.name ?? t("plans.someone")}:{" "}
              {eventText(t, e, keyTitle)}
            </li>
          ))}
        </ol>
      </section>
    </main>
  );
}

// ONB-5: the review that closes the plan — risk, what users and the customer said, errors still
// open, improvements for the register — each line of a list field one entry.
function ReviewForm({ plan, onReviewed }: { plan: Plan; onReviewed: (p: Plan) => void }) {
  const { t } = useLocale();
  const form = useFormProblems();
  const [busy, setBusy] = useState(false);
  const lines = (text: string) =>
    text
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const text = (key: string) => String(data.get(key) ?? "").trim();
    const found: Record<string, string> = {};
    if (!text("risk_assessment")) found.risk_assessment = t("plans.required");
    const satisfaction: Record<string, number> = {};
    for (const side of ["users", "customer"]) {
      if (!text(side)) continue;
      const n = Number(text(side));
      if (!(n >= 1 && n <= 5)) found[`satisfaction.${side}`] = t("plans.review.score");
      else satisfaction[side] = n;
    }
    if (!form.check(found)) return;
    setBusy(true);
    try {
      onReviewed(
        await reviewPlan(plan.id, {
          risk_assessment: text("risk_assessment"),
          summary: text("summary"),
          satisfaction,
          open_errors: lines(text("open_errors")),
          improvements: lines(text("improvements")).map((title) => ({ title })),
        }),
      );
    } catch (err) {
      form.refused(err);
    } finally {
      setBusy(false);
    }
  }

  const score = (side: "users" | "customer") => {
    const problem = problemFor(`satisfaction.${side}`);
    return (
      <div className="field">
        <label htmlFor={`review-${side}`}>{t(side === "users" ? "plans.review.users" : "plans.review.customer")}</label>
        <input
          id={`review-${side}`}
          name={side}
          type="number"
          min={1}
          max={5}
          step={0.5}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `review-${side}-problem` : undefined}
        />
        {problem && (
          <p id={`review-${side}-problem`} className="error">
            {problem}
          </p>
        )}
      </div>
    );
  };

  // The server names a list's entries ("open_errors[1]"): shown beside the list.
  const problemFor = (field: string) =>
    Object.entries(form.problems).find(([key]) => key === field || key.startsWith(`${field}[`) || key.startsWith(`${field}.`))?.[1];
  const open = plan.actions.filter((a) => a.status === "open" || a.status === "in_progress");
  return (
    <section aria-labelledby="plan-review">
      <h2 id="plan-review">{t("plans.review.title")}</h2>
      <p className="help">
        {open.length ? t("plans.review.openItems", { list: open.map((a) => a.title ?? a.key).join(", ") }) : t("plans.review.allDone")}
      </p>
      <form onSubmit={(e) => void submit(e)} noValidate className="reply">
        <TextArea id="review-risk" name="risk_assessment" label={t("plans.review.risk")} rows={3} problem={problemFor("risk_assessment")} />
        {score("users")}
        {score("customer")}
        <TextArea id="review-errors" name="open_errors" label={t("plans.review.errors")} rows={2} problem={problemFor("open_errors")} />
        <TextArea
          id="review-improvements"
          name="improvements"
          label={t("plans.review.improvements")}
          rows={2}
          problem={problemFor("improvements")}
        />
        <TextArea id="review-summary" name="summary" label={t("plans.review.summary")} rows={3} problem={problemFor("summary")} />
        {form.refusal && (
          <p role="alert" className="error">
            {form.refusal}
          </p>
        )}
        <p className="buttons">
          <Button type="submit" isDisabled={busy}>
            {t("plans.review.submit")}
          </Button>
        </p>
      </form>
    </section>
  );
}

function ReviewRecord({ plan, titles }: { plan: Plan; titles: Map<string, string> }) {
  const { t, dateTime } = useLocale();
  const r = plan.review!;
  const score = (n: number | null) => (n === null ? t("plans.review.notAsked") : String(n));
  return (
    <section aria-labelledby="plan-review">
      <h2 id="plan-review">{t("plans.review.record")}</h2>
      <p>{t("plans.review.by", { name: r.reviewed_by.name ?? r.reviewed_by.id, at: dateTime(r.reviewed_at) })}</p>
      <dl className="facts">
        <dt>{t("plans.review.openItemsLabel")}</dt>
        <dd>{r.open_items.length ? r.open_items.map((i) => titles.get(i.key) ?? i.key).join(", ") : t("plans.review.allDone")}</dd>
        <dt>{t("plans.review.users")}</dt>
        <dd>{score(r.satisfaction.users)}</dd>
        <dt>{t("plans.review.customer")}</dt>
        <dd>{score(r.satisfaction.customer)}</dd>
        <dt>{t("plans.review.risk")}</dt>
        <dd>{r.risk_assessment}</dd>
        <dt>{t("plans.review.errorsLabel")}</dt>
        <dd>{r.open_errors.length ? r.open_errors.join("; ") : t("plans.none")}</dd>
        <dt>{t("plans.review.improvementsLabel")}</dt>
        <dd>{r.improvement_ids.length}</dd>
        {r.summary && (
          <>
            <dt>{t("plans.review.summary")}</dt>
            <dd>{r.summary}</dd>
          </>
        )}
      </dl>
    </section>
  );
}

function ownerText(t: ReturnType<typeof useLocale>["t"], a: PlanAction): string {
  const role = word(t, "role", a.owner.role);
  return a.owner.person?.name ? `${a.owner.person.name} (${role})` : role;
}

// What an objective's value was computed from, in the reader's language.
function basisText(t: ReturnType<typeof useLocale>["t"], o: PlanObjective): string {
  const n = (key: string) => String(o.counts[key] ?? 0);
  if (!o.recorded) return t(o.metric === "satisfaction_average" ? "plans.basis.noRatings" : "plans.basis.noRequirements");
  if (o.metric === "tickets_per_user_first_days")
    return t("plans.basis.firstDays", { tickets: n("tickets"), people: n("people"), days: String(o.days ?? "") });
  if (o.metric === "first_contact_resolution") return t("plans.basis.firstContact", { first: n("first_contact"), resolved: n("resolved") });
  if (o.metric === "share_of_users_eligible") return t("plans.basis.eligible", { eligible: n("eligible"), people: n("people") });
  return o.basis;
}

function eventText(t: ReturnType<typeof useLocale>["t"], e: PlanEvent, titles: Map<string, string>): string {
  const d = e.data as Record<string, unknown>;
  if (e.kind === "action_moved") {
    const key = String(d.key ?? "");
    return t("plans.event.moved", {
      title: titles.get(key) ?? key,
      from: word(t, "plans.action.state", String(d.from)),
      to: word(t, "plans.action.state", String(d.to)),
    });
  }
  if (e.kind === "accepted") return t("plans.event.accepted", { version: String(e.plan_version) });
  if (e.kind === "adapted") return t("plans.event.adapted", { version: String(e.plan_version) });
  if (e.kind === "created") return t("plans.event.created");
  if (e.kind === "reviewed") return t("plans.event.reviewed");
  return e.kind;
}
