import { useCallback, useEffect, useState, type FormEvent, type ReactNode } from "react";
import { Button } from "react-aria-components";
import { ApiError, improvements, overrideReport, proposeImprovement, type Improvement, type Override, type OverrideReport, type User } from "../api";
import { useLocale, word } from "../i18n";
import { Link } from "../router";
import { Failure, Loading } from "../components/Status";

// DESK-9 (admin §5): every override of a guarded rule — who, on which ticket, why, and how it
// turned out — counted by rule, reason and outcome; overrides that recur become an entry of the
// improvement register, so the rule itself gets fixed.
// Administrators read it among the admin pages (`embedded`: a section of their page); relationship
// managers as a page of its own.
export function OverridesReport({ user, embedded = false }: { user: User; embedded?: boolean }) {
  const { t, dateTime } = useLocale();
  const [report, setReport] = useState<OverrideReport | null>(null);
  const [items, setItems] = useState<Override[]>([]);
  const [register, setRegister] = useState<Improvement[]>([]);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const read = useCallback(async () => {
    try {
      const [first, entries] = await Promise.all([overrideReport(null), improvements()]);
      setReport(first);
      setItems(first.items);
      setRegister(entries.items);
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }, []);
  useEffect(() => {
    void read();
  }, [read]);
  async function more() {
    if (!report?.next_cursor) return;
    const next = await overrideReport(report.next_cursor);
    setReport(next);
    setItems((before) => [...before, ...next.items]);
  }

  // A call, not a component: a component made here would be new on every render, and React
  // would rebuild the page (and lose what is typed in it) each time.
  const frame = (children: ReactNode, className?: string) =>
    embedded ? <section className={className}>{children}</section> : <main id="main" className={className}>{children}</main>;
  if (error) return frame(<Failure message={error} />);
  if (!report) return frame(<Loading />);
  const s = report.summary;
  return frame(
    <>
      <h1>{t("overrides.title")}</h1>
      <p className="lead">{t("overrides.lead", { n: String(s.overrides) })}</p>
      <div className="summary">
        <Counts caption={t("overrides.byRule")} counts={s.by_rule} label={(k) => word(t, "rule", k)} />
        <Counts caption={t("overrides.byReason")} counts={s.by_reason} label={(k) => word(t, "reason", k)} />
        <Counts caption={t("overrides.byOutcome")} counts={s.by_outcome} label={(k) => word(t, "outcome", k)} />
      </div>
      <section aria-labelledby="overrides-list">
        <h2 id="overrides-list">{t("overrides.list")}</h2>
        {items.length === 0 ? (
          <p>{t("overrides.empty")}</p>
        ) : (
          <table className="list">
            <thead>
              <tr>
                <th scope="col">{t("overrides.pick")}</th>
                <th scope="col">{t("overrides.when")}</th>
                <th scope="col">{t("overrides.ticket")}</th>
                <th scope="col">{t("overrides.rule")}</th>
                <th scope="col">{t("overrides.reason")}</th>
                <th scope="col">{t("overrides.justification")}</th>
                <th scope="col">{t("overrides.outcome")}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((o) => (
                <tr key={o.id}>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={t("overrides.pickOne", { justification: o.justification })}
                      checked={chosen.has(o.id)}
                      disabled={o.improvement_id !== null || !user.roles.includes("admin")}
                      onChange={(e) =>
                        setChosen((before) => {
                          const next = new Set(before);
                          if (e.target.checked) next.add(o.id);
                          else next.delete(o.id);
                          return next;
                        })
                      }
                    />
                  </td>
                  <td>{dateTime(o.created_at)}</td>
                  <td>
                    <Link to={`/desk/tickets/${o.target_id}`}>{t("overrides.open")}</Link>
                  </td>
                  <td>{word(t, "rule", o.rule)}</td>
                  <td>{word(t, "reason", o.reason_code)}</td>
                  <td className="justification">{o.justification}</td>
                  <td>{word(t, "outcome", o.outcome)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {report.next_cursor && <Button onPress={() => void more()}>{t("overrides.more")}</Button>}
      </section>
      <Register
        managed={user.roles.includes("admin")}
        entries={register}
        chosen={[...chosen]}
        onProposed={async () => {
          setChosen(new Set());
          await read();
        }}
      />
    </>,
    "report",
  );
}

function Counts({ caption, counts, label }: { caption: string; counts: Record<string, number>; label: (k: string) => string }) {
  const rows = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  return (
    <table className="list counts">
      <caption>{caption}</caption>
      <tbody>
        {rows.map(([k, n]) => (
          <tr key={k}>
            <th scope="row">{label(k)}</th>
            <td>{n}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

// Administrators propose entries; relationship managers read the register.
function Register(props: { managed: boolean; entries: Improvement[]; chosen: string[]; onProposed: () => Promise<void> }) {
  const { t } = useLocale();
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    const title = String(data.get("title") ?? "").trim();
    setDone(null);
    if (props.chosen.length === 0) return setProblem(t("register.pickFirst"));
    if (!title) return setProblem(t("login.required"));
    try {
      await proposeImprovement(title, String(data.get("description") ?? ""), props.chosen);
      form.reset();
      setProblem(null);
      setDone(t("register.proposed", { title }));
      await props.onProposed();
    } catch (err) {
      setProblem(err instanceof ApiError && err.details.length > 0 ? err.details.map((d) => d.problem).join("; ") : String(err));
    }
  }
  return (
    <section aria-labelledby="register">
      <h2 id="register">{t("register.title")}</h2>
      {props.entries.length === 0 ? (
        <p>{t("register.empty")}</p>
      ) : (
        <ul className="register">
          {props.entries.map((i) => (
            <li key={i.id}>
              <strong>{i.title}</strong> — {word(t, "improvement", i.status)} ·{" "}
              {t("register.overrides", { n: String(i.override_ids.length) })}
              {i.description && <p className="help">{i.description}</p>}
            </li>
          ))}
        </ul>
      )}
      {props.managed && (
      <form className="propose" onSubmit={(e) => void submit(e)} noValidate>
        <h3>{t("register.propose", { n: String(props.chosen.length) })}</h3>
        <div className="field">
          <label htmlFor="register-title">{t("register.entryTitle")}</label>
          <input id="register-title" name="title" aria-describedby={problem ? "register-problem" : undefined} />
        </div>
        <div className="field">
          <label htmlFor="register-description">{t("register.description")}</label>
          <textarea id="register-description" name="description" rows={3} />
        </div>
        {problem && (
          <p id="register-problem" className="error" role="alert">
            {problem}
          </p>
        )}
        <Button type="submit">{t("register.submit")}</Button>
        {done && (
          <p role="status" className="notice">
            {done}
          </p>
        )}
      </form>
      )}
    </section>
  );
}
