import { useCallback, useEffect, useState, type FormEvent } from "react";
import { Button } from "react-aria-components";
import { api, postForm, type Page } from "../api";
import { TextArea, useFormProblems } from "../components/Form";
import { Failure, Loading } from "../components/Status";
import { useLocale, word } from "../i18n";
import { errorText, usePaged } from "../paged";
import { Link } from "../router";

// ONB-8: what the catalog asks of a person, where they stand on it, and the evidence they give.
interface Evidence {
  id: string;
  requirement_id: string;
  user_id: string;
  note: string;
  file: { name: string; size: number; content_type: string; url: string } | null;
  status: "pending" | "approved" | "rejected";
  reason: string;
  expires_on: string | null;
  created_at: string;
}
interface Standing {
  requirement_id: string;
  name: string | null;
  kind: string;
  category: string | null;
  training_id: string | null;
  status: "missing" | "pending" | "met" | "rejected" | "expired";
  expires_on: string | null;
  latest_evidence: Evidence | null;
}

export function MyRequirements() {
  const { t } = useLocale();
  const [items, setItems] = useState<Standing[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [said, setSaid] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      setItems((await api<Page<Standing>>("GET", "/api/v1/me/requirements")).items);
    } catch (e) {
      setError(errorText(e));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <main id="main">
      <h1>{t("requirements.title")}</h1>
      <p className="help">{t("requirements.lead")}</p>
      <p role="status">{said}</p>
      <Failure message={error} />
      {!items && !error && <Loading />}
      {items && items.length === 0 && <p>{t("requirements.empty")}</p>}
      {items?.map((r) => (
        <Requirement
          key={r.requirement_id}
          standing={r}
          onGiven={() => {
            setSaid(t("requirements.given", { name: r.name ?? r.requirement_id }));
            void load();
          }}
        />
      ))}
    </main>
  );
}

function Requirement({ standing: r, onGiven }: { standing: Standing; onGiven: () => void }) {
  const { t } = useLocale();
  const form = useFormProblems();
  const [busy, setBusy] = useState(false);
  const id = `requirement-${r.requirement_id}`;
  // Evidence is given for anything not met and not waiting; a training is met by its training.
  const gives = r.kind !== "training" && (r.status === "missing" || r.status === "rejected" || r.status === "expired");

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const note = String(data.get("note") ?? "").trim();
    const file = data.get("file");
    const chosen = file instanceof File && file.name !== "" ? file : null;
    if (!form.check(note || chosen ? {} : { note: t("requirements.noteNeeded") })) return;
    setBusy(true);
    try {
      const path = `/api/v1/requirements/${encodeURIComponent(r.requirement_id)}/evidence`;
      if (chosen) {
        const body = new FormData();
        if (note) body.append("note", note);
        body.append("file", chosen, chosen.name);
        await postForm(path, body);
      } else {
        await api("POST", path, { note });
      }
      onGiven();
    } catch (err) {
      form.refused(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="item" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>
        {r.name ?? r.requirement_id}
        {r.category ? ` (${r.category})` : ""}
      </h2>
      <p>
        <strong>{word(t, "requirements.status", r.status)}</strong>
        {r.status === "met" && r.expires_on && ` · ${t("requirements.until", { day: r.expires_on })}`}
      </p>
      {r.latest_evidence?.status === "rejected" && (
        <p>{t("requirements.rejectedBecause", { reason: r.latest_evidence.reason })}</p>
      )}
      {r.training_id && r.status !== "met" && (
        <p>
          <Link to={`/trainings/${encodeURIComponent(r.training_id)}`} aria-describedby={`${id}-title`}>
            {t("requirements.takeTraining")}
          </Link>
        </p>
      )}
      {gives && (
        <form onSubmit={(e) => void submit(e)} noValidate className="reply">
          <TextArea id={`${id}-note`} name="note" label={t("requirements.note")} rows={2} problem={form.problems.note} />
          <div className="field">
            <label htmlFor={`${id}-file`}>{t("requirements.file")}</label>
            <input
              id={`${id}-file`}
              name="file"
              type="file"
              aria-describedby={form.problems.file ? `${id}-file-help ${id}-file-problem` : `${id}-file-help`}
              aria-invalid={form.problems.file ? true : undefined}
            />
            <p id={`${id}-file-help`} className="help">
              {t("requirements.file.help")}
            </p>
            {form.problems.file && (
              <p id={`${id}-file-problem`} className="error">
                {form.problems.file}
              </p>
            )}
          </div>
          {form.refusal && (
            <p role="alert" className="error">
              {form.refusal}
            </p>
          )}
          <p className="buttons">
            <Button type="submit" isDisabled={busy} aria-describedby={`${id}-title`}>
              {t("requirements.give")}
            </Button>
          </p>
        </form>
      )}
    </section>
  );
}

// A file's size as people read it: 512 B, 37.2 kB, 3.4 MB.
function fileSize(bytes: number, language: string): string {
  const [value, unit] = bytes < 1024 ? [bytes, "byte"] : bytes < 1024 * 1024 ? [bytes / 1024, "kilobyte"] : [bytes / 1024 / 1024, "megabyte"];
  return new Intl.NumberFormat(language, { style: "unit", unit, unitDisplay: "short", maximumFractionDigits: 1 }).format(value);
}

// The provider's agents decide on the evidence waiting, oldest first.
export function EvidenceQueue() {
  const { t } = useLocale();
  const fetchPage = useCallback(
    (cursor: string | null) =>
      api<Page<Evidence>>("GET", `/api/v1/evidence?status=pending&limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`),
    [],
  );
  const { items, error, hasMore, more, reload } = usePaged(fetchPage);
  const [names, setNames] = useState<Map<string, string>>(new Map());
  const [said, setSaid] = useState<string | null>(null);
  useEffect(() => {
    api<Page<{ id: string; name: string | null }>>("GET", "/api/v1/requirements?limit=500")
      .then((p) => setNames(new Map(p.items.map((r) => [r.id, r.name ?? r.id]))))
      .catch(() => {});
  }, []);
  return (
    <main id="main">
      <h1>{t("evidence.title")}</h1>
      <p className="help">{t("evidence.lead")}</p>
      <p role="status">{said}</p>
      <Failure message={error} />
      {!items && !error && <Loading />}
      {items && items.length === 0 && <p>{t("evidence.empty")}</p>}
      {items?.map((e) => (
        <Decide
          key={e.id}
          evidence={e}
          name={names.get(e.requirement_id) ?? e.requirement_id}
          onDecided={(text) => {
            setSaid(text);
            void reload();
          }}
        />
      ))}
      {hasMore && <Button onPress={() => void more()}>{t("evidence.more")}</Button>}
    </main>
  );
}

function Decide({ evidence: e, name, onDecided }: { evidence: Evidence; name: string; onDecided: (said: string) => void }) {
  const { t, dateTime, language } = useLocale();
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = `evidence-${e.id}`;

  async function decide(decision: "approved" | "rejected") {
    const reason = (document.getElementById(`${id}-reason`) as HTMLTextAreaElement | null)?.value.trim() ?? "";
    const until = (document.getElementById(`${id}-until`) as HTMLInputElement | null)?.value ?? "";
    if (!reason) {
      setProblem(t("evidence.reasonNeeded"));
      document.getElementById(`${id}-reason`)?.focus();
      return;
    }
    setBusy(true);
    try {
      await api("POST", `/api/v1/evidence/${encodeURIComponent(e.id)}/decision`, {
        decision,
        reason,
        ...(decision === "approved" && until ? { expires_on: until } : {}),
      });
      onDecided(t(decision === "approved" ? "evidence.approved" : "evidence.rejected", { name }));
    } catch (err) {
      setProblem(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="item" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{name}</h2>
      <p className="help">{t("evidence.given", { at: dateTime(e.created_at) })}</p>
      {e.note && <p className="answers">{e.note}</p>}
      {e.file && (
        <p>
          <a href={e.file.url} download={e.file.name} aria-describedby={`${id}-title`}>
            {t("evidence.file", { name: e.file.name, size: fileSize(e.file.size, language) })}
          </a>
        </p>
      )}
      <div className="field">
        <label htmlFor={`${id}-reason`}>{t("evidence.reason")}</label>
        <textarea
          id={`${id}-reason`}
          rows={2}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${id}-problem` : undefined}
        />
        {problem && (
          <p id={`${id}-problem`} className="error">
            {problem}
          </p>
        )}
      </div>
      <div className="field">
        <label htmlFor={`${id}-until`}>{t("evidence.until")}</label>
        <input id={`${id}-until`} type="date" aria-describedby={`${id}-until-help`} />
        <p id={`${id}-until-help`} className="help">
          {t("evidence.until.help")}
        </p>
      </div>
      <p className="buttons">
        <Button isDisabled={busy} aria-describedby={`${id}-title`} onPress={() => void decide("approved")}>
          {t("evidence.approve")}
        </Button>{" "}
        <Button isDisabled={busy} aria-describedby={`${id}-title`} className="react-aria-Button secondary" onPress={() => void decide("rejected")}>
          {t("evidence.reject")}
        </Button>
      </p>
    </section>
  );
}

// A page that reads one thing, before it has it: what went wrong, or that it is loading.
function Waiting({ title, error }: { title: string; error: string | null }) {
  return (
    <main id="main">
      {error && <h1>{title}</h1>}
      {error ? <Failure message={error} /> : <Loading />}
    </main>
  );
}

interface Training {
  id: string;
  title: string | null;
  content: { kind: "video" | "document"; url: string; title: string | null }[];
  questions: { text: string | null; choices: (string | null)[] }[];
  pass_mark: number;
}
interface Attempt {
  correct: number;
  questions: number;
  passed: boolean;
}

// ONB-9: a training to take — what to watch or read, then the quiz, scored by the server.
export function TakeTraining({ id }: { id: string }) {
  const { t } = useLocale();
  const [training, setTraining] = useState<Training | null>(null);
  const [passed, setPassed] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<Attempt | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const path = `/api/v1/trainings/${encodeURIComponent(id)}`;
    Promise.all([api<Training>("GET", path), api<{ passed: boolean }>("GET", `${path}/attempts`)])
      .then(([tr, record]) => {
        setTraining(tr);
        setPassed(record.passed);
      })
      .catch((e) => setError(errorText(e)));
  }, [id]);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (!training) return;
    const data = new FormData(e.currentTarget);
    const answers = training.questions.map((_, i) => data.get(`q${i}`));
    const unanswered = answers.findIndex((a) => a === null);
    if (unanswered >= 0) {
      setProblem(t("training.unanswered", { n: String(unanswered + 1) }));
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      const attempt = await api<Attempt>("POST", `/api/v1/trainings/${encodeURIComponent(id)}/attempts`, { answers: answers.map(Number) });
      setResult(attempt);
      if (attempt.passed) setPassed(true);
    } catch (err) {
      setProblem(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  if (!training) return <Waiting title={t("training.title")} error={error} />;
  return (
    <main id="main">
      <p>
        <Link to="/requirements">{t("training.back")}</Link>
      </p>
      <h1>{training.title ?? training.id}</h1>
      {passed && <p>{t("training.alreadyPassed")}</p>}
      {training.content.length > 0 && (
        <ul>
          {training.content.map((c) => (
            <li key={c.url}>
              <a href={c.url} target="_blank" rel="noopener noreferrer">
                {c.title ?? word(t, "training.kind", c.kind)}
              </a>
            </li>
          ))}
        </ul>
      )}
      <p role="status">
        {result &&
          t(result.passed ? "training.passed" : "training.failed", { correct: String(result.correct), questions: String(result.questions) })}
      </p>
      <form onSubmit={(e) => void submit(e)} noValidate className="reply">
        {training.questions.map((q, i) => (
          <fieldset key={i}>
            <legend>{`${i + 1}. ${q.text ?? ""}`}</legend>
            {q.choices.map((choice, j) => (
              <label key={j} className="choice">
                <input type="radio" name={`q${i}`} value={j} /> {choice}
              </label>
            ))}
          </fieldset>
        ))}
        {problem && (
          <p role="alert" className="error">
            {problem}
          </p>
        )}
        <p className="buttons">
          <Button type="submit" isDisabled={busy}>
            {training.questions.length ? t("training.submit") : t("training.done")}
          </Button>
        </p>
      </form>
    </main>
  );
}

interface Terms {
  id: string;
  title: string | null;
  text: string | null;
  current_version: number | null;
}

// ONB-7: terms to read and accept; accepting records the version and the channel (the portal).
export function AcceptTerms({ id }: { id: string }) {
  const { t } = useLocale();
  const [terms, setTerms] = useState<Terms | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [said, setSaid] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api<Terms>("GET", `/api/v1/terms/${encodeURIComponent(id)}`)
      .then(setTerms)
      .catch((e) => setError(errorText(e)));
  }, [id]);

  async function accept() {
    setBusy(true);
    setProblem(null);
    try {
      const a = await api<{ version: number }>("POST", `/api/v1/terms/${encodeURIComponent(id)}/acceptances`, { channel: "portal" });
      setSaid(t("terms.accepted", { version: String(a.version) }));
    } catch (e) {
      setProblem(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  if (!terms) return <Waiting title={t("terms.title")} error={error} />;
  return (
    <main id="main">
      <p>
        <Link to="/catalog">{t("terms.back")}</Link>
      </p>
      <h1>{terms.title ?? terms.id}</h1>
      {terms.current_version === null ? (
        <p>{t("terms.notPublished")}</p>
      ) : (
        <>
          <p className="help">{t("terms.version", { version: String(terms.current_version) })}</p>
          <div className="answers terms-text">{terms.text}</div>
          <p role="status">{said}</p>
          {problem && (
            <p role="alert" className="error">
              {problem}
            </p>
          )}
          {!said && (
            <p className="buttons">
              <Button isDisabled={busy} onPress={() => void accept()}>
                {t("terms.accept")}
              </Button>
            </p>
          )}
        </>
      )}
    </main>
  );
}
