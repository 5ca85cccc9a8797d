import { useState, type FormEvent } from "react";
import { Button } from "react-aria-components";
import { ApiError, adaptPlan, type Plan, type PlanAction } from "../api";
import { useLocale, word } from "../i18n";
import { errorText } from "../paged";

// ONB-3: the relationship manager adapts a plan — an action retitled, retimed, given to another
// role, taken out, or a new one added — until it is reviewed. The server checks the adapted plan
// as a whole (keys, roles of the right side, dependencies and their cycles) and its problems
// appear beside the action they concern. Adapting an accepted plan makes it a draft again, for
// the customer to accept anew.

const rolesOf: Record<PlanAction["performed_by"], string[]> = {
  provider: ["relationship_manager", "agent", "specialist", "admin"],
  consumer: ["customer", "user", "representative"],
  consumer_partner: ["partner_user", "customer", "representative"],
};
const dimensions = ["organizations_people", "value_streams_processes", "information_technology", "partners_suppliers"];

interface Row {
  id: string | null; // null: added here
  key: string;
  title: string;
  due: string;
  performed_by: PlanAction["performed_by"];
  dimension: string;
  owner_role: string;
  depends_on: string[];
  removed: boolean;
  was: PlanAction | null;
}

function rowOf(a: PlanAction): Row {
  return {
    id: a.id,
    key: a.key,
    title: a.title ?? a.key,
    due: a.due,
    performed_by: a.performed_by,
    dimension: a.dimension,
    owner_role: a.owner.role,
    depends_on: a.depends_on,
    removed: false,
    was: a,
  };
}

// Whole days from `from` to `to`, both YYYY-MM-DD.
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

// A key for an added action, unlike any other in the plan and any added and discarded before
// (so that no "after" silently moves to another new action).
function freshKey(rows: Row[], from: number): [string, number] {
  for (let n = from; ; ++n) if (!rows.some((r) => r.key === `added_${n}`)) return [`added_${n}`, n + 1];
}

export function AdaptPlan({ plan, onAdapted }: { plan: Plan; onAdapted: (p: Plan) => void }) {
  const { t } = useLocale();
  const [open, setOpen] = useState(false);
  const [rows, setRows] = useState<Row[]>([]);
  const [problems, setProblems] = useState<Record<string, string[]>>({});
  const [refusal, setRefusal] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [nextKey, setNextKey] = useState(1);

  function start() {
    setRows(plan.actions.map(rowOf));
    setProblems({});
    setRefusal(null);
    setOpen(true);
  }
  // The first action with a problem takes the focus, so that its problems are read out with it.
  function focusFirstProblem(keys: string[]) {
    const first = rows.find((r) => keys.includes(r.key));
    if (first) requestAnimationFrame(() => document.getElementById(`adapt-${first.key}-title`)?.focus());
  }
  const change = (i: number, patch: Partial<Row>) => setRows((all) => all.map((r, j) => (j === i ? { ...r, ...patch } : r)));

  async function save(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const kept = rows.filter((r) => !r.removed);
    const removedKeys = new Set(rows.filter((r) => r.removed).map((r) => r.key));
    // Checked here first: an empty title or day would only come back from the server.
    const found: Record<string, string[]> = {};
    kept.forEach((r) => {
      const mine: string[] = [];
      if (!r.title.trim()) mine.push(t("plans.adapt.titleNeeded"));
      if (!r.due) mine.push(t("plans.adapt.dueNeeded"));
      else if (r.due < plan.start_date) mine.push(t("plans.adapt.dueBeforeStart", { start: plan.start_date }));
      if (mine.length) found[r.key] = mine;
    });
    setProblems(found);
    setRefusal(Object.keys(found).length ? t("plans.adapt.problems") : null);
    if (Object.keys(found).length) {
      focusFirstProblem(Object.keys(found));
      return;
    }
    // Only what changed is sent for a kept action (a title in the writer's language, a due day
    // fixed); an action that waited for one taken out no longer waits for it.
    const actions = kept.map((r) => {
      const depends_on = r.depends_on.filter((k) => !removedKeys.has(k));
      if (r.was) {
        const out: Record<string, unknown> = { id: r.id };
        if (r.title.trim() !== (r.was.title ?? r.was.key)) out.title = r.title.trim();
        if (r.due !== r.was.due) out.due = r.due;
        if (r.owner_role !== r.was.owner.role) Object.assign(out, { owner_role: r.owner_role, owner_id: null });
        if (depends_on.length !== r.depends_on.length) out.depends_on = depends_on;
        return out;
      }
      return {
        key: r.key,
        title: r.title.trim(),
        dimension: r.dimension,
        performed_by: r.performed_by,
        owner_role: r.owner_role,
        due: r.due,
        due_offset_days: daysBetween(plan.start_date, r.due),
        depends_on,
      };
    });
    setBusy(true);
    try {
      onAdapted(await adaptPlan(plan, actions));
      setOpen(false);
    } catch (err) {
      // "actions[3].owner_role": beside the fourth action sent; anything else for the whole form.
      const byKey: Record<string, string[]> = {};
      const rest: string[] = [];
      if (err instanceof ApiError)
        for (const d of err.details) {
          const at = /^actions\[(\d+)\]/.exec(d.field);
          const row = at ? kept[Number(at[1])] : undefined;
          if (row) (byKey[row.key] ??= []).push(d.problem);
          else rest.push(`${d.field}: ${d.problem}`);
        }
      setProblems(byKey);
      focusFirstProblem(Object.keys(byKey));
      setRefusal(
        Object.keys(byKey).length && !rest.length ? t("plans.adapt.problems") : [errorText(err), ...rest].filter(Boolean).join(" "),
      );
    } finally {
      setBusy(false);
    }
  }

  if (!open)
    return (
      <section aria-labelledby="plan-adapt">
        <h2 id="plan-adapt">{t("plans.adapt.title")}</h2>
        <p className="help">{t(plan.status === "draft" ? "plans.adapt.help" : "plans.adapt.helpAccepted")}</p>
        <Button onPress={start}>{t("plans.adapt.start")}</Button>
      </section>
    );
  const others = (r: Row) => rows.filter((o) => o.key !== r.key && !o.removed);
  return (
    <section aria-labelledby="plan-adapt">
      <h2 id="plan-adapt">{t("plans.adapt.title")}</h2>
      <p className="help">{t(plan.status === "draft" ? "plans.adapt.help" : "plans.adapt.helpAccepted")}</p>
      <form onSubmit={(e) => void save(e)} noValidate className="adapt">
        {rows.map((r, i) => {
          const id = `adapt-${r.key}`;
          const mine = problems[r.key];
          const legend = r.was ? (r.was.title ?? r.was.key) : t("plans.adapt.newAction", { n: String(i + 1) });
          return (
            <fieldset key={r.key} className={r.removed ? "removed" : undefined}>
              <legend>{legend}</legend>
              {mine && (
                <ul id={`${id}-problems`} className="error">
                  {mine.map((m) => (
                    <li key={m}>{m}</li>
                  ))}
                </ul>
              )}
              <div className="field">
                <label htmlFor={`${id}-title`}>{t("plans.adapt.actionTitle")}</label>
                <input
                  id={`${id}-title`}
                  value={r.title}
                  disabled={r.removed}
                  aria-invalid={mine ? true : undefined}
                  aria-describedby={mine ? `${id}-problems` : undefined}
                  onChange={(e) => change(i, { title: e.target.value })}
                />
              </div>
              <div className="field">
                <label htmlFor={`${id}-due`}>{t("plans.due")}</label>
                <input
                  id={`${id}-due`}
                  type="date"
                  min={plan.start_date}
                  value={r.due}
                  disabled={r.removed}
                  aria-describedby={mine ? `${id}-problems` : undefined}
                  onChange={(e) => change(i, { due: e.target.value })}
                />
              </div>
              {!r.was && (
                <>
                  <div className="field">
                    <label htmlFor={`${id}-side`}>{t("plans.side")}</label>
                    <select
                      id={`${id}-side`}
                      value={r.performed_by}
                      onChange={(e) => {
                        const side = e.target.value as Row["performed_by"];
                        change(i, { performed_by: side, owner_role: rolesOf[side][0] });
                      }}
                    >
                      {(["provider", "consumer", "consumer_partner"] as const).map((s) => (
                        <option key={s} value={s}>
                          {word(t, "plans.side", s)}
                        </option>
                      ))}
                    </select>
                  </div>
                  <div className="field">
                    <label htmlFor={`${id}-dimension`}>{t("plans.adapt.dimension")}</label>
                    <select id={`${id}-dimension`} value={r.dimension} onChange={(e) => change(i, { dimension: e.target.value })}>
                      {dimensions.map((d) => (
                        <option key={d} value={d}>
                          {word(t, "plans.dimension", d)}
                        </option>
                      ))}
                    </select>
                  </div>
                </>
              )}
              <div className="field">
                <label htmlFor={`${id}-role`}>{t("plans.adapt.ownerRole")}</label>
                <select id={`${id}-role`} value={r.owner_role} disabled={r.removed} onChange={(e) => change(i, { owner_role: e.target.value })}>
                  {[...new Set([r.owner_role, ...rolesOf[r.performed_by]])].map((role) => (
                    <option key={role} value={role}>
                      {word(t, "role", role)}
                    </option>
                  ))}
                </select>
              </div>
              {!r.was && (
                <div className="field">
                  <label htmlFor={`${id}-after`}>{t("plans.adapt.after")}</label>
                  <select
                    id={`${id}-after`}
                    value={r.depends_on[0] ?? ""}
                    onChange={(e) => change(i, { depends_on: e.target.value ? [e.target.value] : [] })}
                  >
                    <option value="">{t("plans.adapt.afterNothing")}</option>
                    {others(r).map((o) => (
                      <option key={o.key} value={o.key}>
                        {o.title || o.key}
                      </option>
                    ))}
                  </select>
                </div>
              )}
              {r.was ? (
                <div className="field">
                  <label>
                    <input type="checkbox" checked={r.removed} onChange={(e) => change(i, { removed: e.target.checked })} />{" "}
                    {t("plans.adapt.remove")}
                  </label>
                </div>
              ) : (
                <Button
                  className="react-aria-Button secondary"
                  onPress={() =>
                    setRows((all) =>
                      all.filter((_, j) => j !== i).map((o) => ({ ...o, depends_on: o.depends_on.filter((k) => k !== r.key) })),
                    )
                  }
                >
                  {t("plans.adapt.discard")}
                </Button>
              )}
            </fieldset>
          );
        })}
        {refusal && (
          <p role="alert" className="error">
            {refusal}
          </p>
        )}
        <p className="buttons">
          <Button
            className="react-aria-Button secondary"
            onPress={() => {
              const [key, after] = freshKey(rows, nextKey);
              setNextKey(after);
              setRows((all) => [
                ...all,
                {
                  id: null,
                  key,
                  title: "",
                  due: plan.today > plan.start_date ? plan.today : plan.start_date,
                  performed_by: "provider",
                  dimension: dimensions[0],
                  owner_role: rolesOf.provider[0],
                  depends_on: [],
                  removed: false,
                  was: null,
                },
              ]);
            }}
          >
            {t("plans.adapt.add")}
          </Button>{" "}
          <Button type="submit" isDisabled={busy}>
            {t("plans.adapt.save")}
          </Button>{" "}
          <Button className="react-aria-Button secondary" onPress={() => setOpen(false)}>
            {t("ticket.cancel")}
          </Button>
        </p>
      </form>
    </section>
  );
}
