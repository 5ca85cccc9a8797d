import { useCallback, useEffect, useRef, useState, type FormEvent } from "react";
import { Button } from "react-aria-components";
import { api, isStaff, type Page, type User } from "../api";
import { Failure, Loading } from "../components/Status";
import { useLocale, word } from "../i18n";
import { errorText, problemsText, usePaged } from "../paged";

// FDB-2: "you said, we did". Members tell the provider what to improve; the desk links each item
// to an entry of the improvement register (or declines it, saying why); everyone in the
// organisation sees what became of what was said.
interface Feedback {
  id: string;
  text: string;
  source: string;
  status: "new" | "linked" | "declined";
  improvement: { id?: string; title?: string; status: string } | null; // id and title: staff only
  public_note: string;
  mine: boolean;
  created_at: string;
  etag?: string; // staff
}
interface Improvement {
  id: string;
  title: string;
  status: string;
}

export function YouSaid({ user }: { user: User }) {
  const { t } = useLocale();
  const staff = isStaff(user);
  const fetchPage = useCallback(
    (cursor: string | null) => api<Page<Feedback>>("GET", `/api/v1/feedback?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`),
    [],
  );
  const { items, error, hasMore, more, reload } = usePaged(fetchPage);
  const [notice, setNotice] = useState<string | null>(null);
  const [improvements, setImprovements] = useState<Improvement[]>([]);
  useEffect(() => {
    if (!staff) return;
    api<Page<Improvement>>("GET", "/api/v1/improvements?limit=200")
      .then((p) => setImprovements(p.items))
      .catch(() => setImprovements([]));
  }, [staff]);
  const said = (text: string) => {
    setNotice(text);
    document.getElementById("you-said-notice")?.focus();
    void reload();
  };
  return (
    <main id="main">
      <h1>{t("yousaid.title")}</h1>
      <p className="lead">{t(staff ? "yousaid.lead.staff" : "yousaid.lead")}</p>
      {!staff && <GiveFeedback onGiven={() => said(t("yousaid.thanks"))} />}
      <p role="status" className="notice" id="you-said-notice" tabIndex={-1}>
        {notice}
      </p>
      <Failure message={error} />
      {!items && !error && <Loading />}
      {items && items.length === 0 && <p>{t("yousaid.none")}</p>}
      {items && items.length > 0 && (
        <ul className="cards">
          {items.map((f) => (
            <li key={f.id} className="card" aria-labelledby={`fb-${f.id}`}>
              <p id={`fb-${f.id}`}>
                <q>{f.text}</q> {f.mine && <span className="badge">{t("yousaid.yours")}</span>}
              </p>
              <p>
                <strong>{t(`yousaid.status.${f.status}`)}</strong>
                {f.improvement && (
                  <>
                    {" "}
                    — {f.improvement.title ? `${f.improvement.title}: ` : ""}
                    {word(t, "improvementStatus", f.improvement.status)}
                  </>
                )}
              </p>
              {f.public_note && <p>{t("yousaid.weSay", { note: f.public_note })}</p>}
              {staff && f.status !== "linked" && <Link improvements={improvements} item={f} onDone={said} />}
            </li>
          ))}
        </ul>
      )}
      {hasMore && <Button onPress={() => void more()}>{t("yousaid.more")}</Button>}
    </main>
  );
}

function GiveFeedback({ onGiven }: { onGiven: () => void }) {
  const { t } = useLocale();
  const [problem, setProblem] = useState<string | null>(null);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const text = String(new FormData(form).get("text") ?? "").trim();
    if (!text) {
      setProblem(t("yousaid.textNeeded"));
      document.getElementById("you-said-text")?.focus();
      return;
    }
    try {
      await api("POST", "/api/v1/feedback", { text });
      setProblem(null);
      form.reset();
      onGiven();
    } catch (err) {
      setProblem(errorText(err));
    }
  }
  return (
    <form className="stacked" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="you-said-give">
      <h2 id="you-said-give">{t("yousaid.give")}</h2>
      <div className="field">
        <label htmlFor="you-said-text">{t("yousaid.text")}</label>
        <textarea
          id="you-said-text"
          name="text"
          rows={3}
          maxLength={2000}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? "you-said-problem" : undefined}
        />
        {problem && (
          <p id="you-said-problem" className="error" role="alert">
            {problem}
          </p>
        )}
      </div>
      <Button type="submit">{t("yousaid.send")}</Button>
    </form>
  );
}

// Staff: link the item to an improvement, or decline it saying why.
function Link({ improvements, item, onDone }: { improvements: Improvement[]; item: Feedback; onDone: (said: string) => void }) {
  const { t } = useLocale();
  const [problem, setProblem] = useState<{ field: "improvement" | "note" | null; text: string } | null>(null);
  const form = useRef<HTMLFormElement>(null);
  const id = `fb-${item.id}`;
  async function send(decline: boolean) {
    if (!form.current) return;
    const data = new FormData(form.current);
    const note = String(data.get("note") ?? "").trim();
    const improvement = String(data.get("improvement") ?? "");
    if (!decline && !improvement) {
      setProblem({ field: "improvement", text: t("yousaid.chooseImprovement") });
      document.getElementById(`${id}-improvement`)?.focus();
      return;
    }
    if (decline && !note) {
      setProblem({ field: "note", text: t("yousaid.whyNeeded") });
      document.getElementById(`${id}-note`)?.focus();
      return;
    }
    const body = decline ? { status: "declined", public_note: note } : { improvement_id: improvement, public_note: note };
    try {
      await api("PATCH", `/api/v1/feedback/${encodeURIComponent(item.id)}`, body, { "If-Match": item.etag! });
      setProblem(null);
      onDone(t(decline ? "yousaid.declinedNotice" : "yousaid.linkedNotice"));
    } catch (err) {
      setProblem({ field: null, text: problemsText(err) });
    }
  }
  const on = (field: "improvement" | "note") =>
    problem?.field === field ? { "aria-invalid": true as const, "aria-describedby": `${id}-problem` } : {};
  return (
    <form
      ref={form}
      className="stacked"
      aria-label={t("yousaid.answer", { text: Array.from(item.text).slice(0, 40).join("") })}
      onSubmit={(e) => {
        e.preventDefault();
        void send(false);
      }}
    >
      <div className="field">
        <label htmlFor={`${id}-improvement`}>{t("yousaid.improvement")}</label>
        <select id={`${id}-improvement`} name="improvement" defaultValue="" {...on("improvement")}>
          <option value="">{t("yousaid.chooseImprovement")}</option>
          {improvements
            .filter((i) => i.status !== "done" && i.status !== "rejected")
            .map((i) => (
              <option key={i.id} value={i.id}>
                {i.title}
              </option>
            ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-note`}>{t("yousaid.note")}</label>
        <input id={`${id}-note`} name="note" maxLength={2000} {...on("note")} />
      </div>
      {problem && (
        <p role="alert" className="error" id={`${id}-problem`}>
          {problem.text}
        </p>
      )}
      <Button type="submit">{t("yousaid.link")}</Button> <Button onPress={() => void send(true)}>{t("yousaid.decline")}</Button>
    </form>
  );
}
