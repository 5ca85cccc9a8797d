import { useCallback, useEffect, useState, type FormEvent } from "react";
import { Button } from "react-aria-components";
import {
  answerSurvey,
  createSurvey,
  keepsSurveys,
  readsSurveyResults,
  survey as fetchSurvey,
  surveyAction,
  surveyResults,
  surveys,
  type Nps,
  type Survey,
  type SurveyQuestion,
  type SurveyResults,
  type User,
} from "../api";
import { Problem, useFormProblems } from "../components/Form";
import { Failure, Loading } from "../components/Status";
import { useLocale } from "../i18n";
import type { MessageKey } from "../i18n/en";
import { errorText, problemsText, usePaged } from "../paged";
import { Link } from "../router";
import { useLookups } from "../admin/lookups";
import { Bars } from "./Dashboard";
import { textIn } from "./News";

// FDB-1: relationship surveys. Their keepers write one (the NPS question is built in, their own
// questions follow), choose the organisations, the window and the reminder, and publish it; the
// people invited find it here (and in their mail) and answer once; results show the NPS, each
// question counted and each organisation's turnout.
const fromInput = (v: string) => (v ? new Date(v).toISOString() : null);
const stateKey = (state: string) => `surveys.state.${state}` as MessageKey;

export function Surveys({ user }: { user: User }) {
  const { t, language, dateTime } = useLocale();
  const keeper = keepsSurveys(user);
  const fetchPage = useCallback((cursor: string | null) => surveys(cursor), []);
  const { items, error, hasMore, more, reload } = usePaged<Survey>(fetchPage);
  const [notice, setNotice] = useState<string | null>(null);
  const act = (s: Survey, action: "publish" | "close") =>
    surveyAction(s, action)
      .then((done) => {
        setNotice(t(action === "publish" ? "surveys.publishedNotice" : "surveys.closedNotice", { title: textIn(done.title, language) }));
        // The button pressed is gone with the survey's new state: the focus goes to what happened.
        document.getElementById("surveys-notice")?.focus();
        void reload();
      })
      .catch((e) => setNotice(problemsText(e)));
  return (
    <main id="main">
      <h1>{t("surveys.title")}</h1>
      <p className="lead">{t(keeper ? "surveys.lead.keeper" : "surveys.lead")}</p>
      {keeper && (
        <SurveyWriter
          user={user}
          onMade={(made) => {
            setNotice(t("surveys.drafted", { title: textIn(made.title, language) }));
            void reload();
          }}
        />
      )}
      <p role="status" className="notice" id="surveys-notice" tabIndex={-1}>
        {notice}
      </p>
      <Failure message={error} />
      {!items && !error && <Loading />}
      {items && items.length === 0 && <p>{t("surveys.none")}</p>}
      {items && items.length > 0 && (
        <div className="table-scroll">
          <table className="list">
            <caption className="visually-hidden">{t("surveys.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("surveys.titleCol")}</th>
                <th scope="col">{t("surveys.stateCol")}</th>
                <th scope="col">{t("surveys.window")}</th>
                <th scope="col">{t("surveys.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((s) => {
                const title = textIn(s.title, language);
                const open = s.state === "open" && s.invitation && !s.invitation.answered;
                return (
                  <tr key={s.id}>
                    <th scope="row">
                      <Link to={`/surveys/${s.id}`}>{title}</Link>
                    </th>
                    <td>
                      {t(stateKey(s.state))}
                      {s.invitation?.answered && <div className="help">{t("surveys.answeredOn", { day: s.invitation.answered_on ?? "" })}</div>}
                    </td>
                    <td>{s.closes_at ? t("surveys.until", { when: dateTime(s.closes_at) }) : "—"}</td>
                    <td>
                      {open && <Link to={`/surveys/${s.id}`}>{t("surveys.answerLink", { title })}</Link>}
                      {keeper && s.state === "draft" && (
                        <Button onPress={() => void act(s, "publish")} aria-label={t("surveys.publishNamed", { title })}>
                          {t("surveys.publish")}
                        </Button>
                      )}
                      {keeper && (s.state === "open" || s.state === "scheduled") && (
                        <Button onPress={() => void act(s, "close")} aria-label={t("surveys.closeNamed", { title })}>
                          {t("surveys.close")}
                        </Button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {hasMore && <Button onPress={() => void more()}>{t("surveys.more")}</Button>}
    </main>
  );
}

interface DraftQuestion {
  id: number;
  kind: "scale" | "choice" | "text";
}

// The keeper's form: titles and introduction in both languages, the organisations, the window,
// the reminder, anonymity and the questions after the built-in NPS one.
function SurveyWriter({ user, onMade }: { user: User; onMade: (s: Survey) => void }) {
  const { t, language } = useLocale();
  const { lookups, error } = useLookups(user.organization_id, language);
  const { problems, refusal, refused, clear } = useFormProblems();
  const [questions, setQuestions] = useState<DraftQuestion[]>([{ id: 1, kind: "scale" }]);
  const [nextId, setNextId] = useState(2);
  const [busy, setBusy] = useState(false);
  const customers = (lookups?.organizations ?? []).filter((o) => o.value !== user.organization_id);

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formElement = e.currentTarget;
    const form = new FormData(formElement);
    const text = (name: string) => String(form.get(name) ?? "").trim();
    const texts = (prefix: string) => {
      const out: Record<string, string> = {};
      for (const lang of ["en", "zh-CN"]) if (text(`${prefix}-${lang}`)) out[lang] = text(`${prefix}-${lang}`);
      return out;
    };
    const body: Record<string, unknown> = {
      title: texts("title"),
      intro: texts("intro"),
      organization_ids: form.getAll("organization_ids").map(String),
      anonymous: form.get("anonymous") === "on",
      reminder_days: Number(text("reminder_days") || "0"),
      questions: questions.map((q, i) => {
        const prefix = `q${q.id}`;
        const out: Record<string, unknown> = { kind: q.kind, prompt: texts(`${prefix}-prompt`), required: form.get(`${prefix}-required`) === "on" };
        if (q.kind === "choice")
          out.options = text(`${prefix}-options`)
            .split("\n")
            .map((o) => o.trim())
            .filter(Boolean);
        out.key = `q${i + 1}`;
        return out;
      }),
    };
    if (text("opens_at")) body.opens_at = fromInput(text("opens_at"));
    if (text("closes_at")) body.closes_at = fromInput(text("closes_at"));
    setBusy(true);
    clear();
    createSurvey(body)
      .then((made) => {
        formElement.reset();
        setQuestions([{ id: nextId, kind: "scale" }]);
        setNextId(nextId + 1);
        onMade(made);
      })
      .catch(refused)
      .finally(() => setBusy(false));
  }

  // The form's problems by field, each beside its field; those of a question by its place.
  const problem = (field: string) => problems[field] ?? null;
  const titleProblem = problem("title") ?? problem("title.en");
  const closesProblem = problem("closes_at");
  // A question's problem named by its place, as the form shows it ("Question 2: prompt …").
  const named = (field: string) =>
    field.replace(/^questions\[(\d+)\]\.?/, (_, i: string) => `${t("surveys.questionN", { n: String(Number(i) + 1) })} `);
  const listed = Object.entries(problems);
  return (
    <section aria-labelledby="survey-writer">
      <h2 id="survey-writer">{t("surveys.write")}</h2>
      <Failure message={error} />
      <form className="stacked" aria-labelledby="survey-writer" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="survey-title-en">{t("surveys.titleEn")}</label>
          <input
            id="survey-title-en"
            name="title-en"
            maxLength={200}
            aria-invalid={titleProblem ? true : undefined}
            aria-describedby={titleProblem ? "survey-title-problem" : undefined}
          />
          <Problem id="survey-title-problem" text={titleProblem} />
        </div>
        <div className="field">
          <label htmlFor="survey-title-zh">{t("surveys.titleZh")}</label>
          <input id="survey-title-zh" name="title-zh-CN" lang="zh-CN" />
        </div>
        <div className="field">
          <label htmlFor="survey-intro-en">{t("surveys.introEn")}</label>
          <textarea id="survey-intro-en" name="intro-en" rows={2} maxLength={2000} />
        </div>
        <div className="field">
          <label htmlFor="survey-intro-zh">{t("surveys.introZh")}</label>
          <textarea id="survey-intro-zh" name="intro-zh-CN" rows={2} maxLength={2000} lang="zh-CN" />
        </div>
        <fieldset className="field">
          <legend>{t("surveys.organizations")}</legend>
          <p className="help">{t("surveys.organizations.help")}</p>
          <div className="checks">
            {customers.map((o) => (
              <label key={o.value} className="check">
                <input type="checkbox" name="organization_ids" value={o.value} /> {o.label}
              </label>
            ))}
          </div>
        </fieldset>
        <div className="field">
          <label htmlFor="survey-opens">{t("surveys.opensAt")}</label>
          <input id="survey-opens" name="opens_at" type="datetime-local" aria-describedby="survey-opens-help" />
          <p className="help" id="survey-opens-help">
            {t("surveys.opensAt.help")}
          </p>
        </div>
        <div className="field">
          <label htmlFor="survey-closes">{t("surveys.closesAt")}</label>
          <input
            id="survey-closes"
            name="closes_at"
            type="datetime-local"
            required
            aria-invalid={closesProblem ? true : undefined}
            aria-describedby={closesProblem ? "survey-closes-problem" : undefined}
          />
          <Problem id="survey-closes-problem" text={closesProblem} />
        </div>
        <div className="field">
          <label htmlFor="survey-reminder">{t("surveys.reminderDays")}</label>
          <input id="survey-reminder" name="reminder_days" type="number" min={0} max={30} defaultValue={3} aria-describedby="survey-reminder-help" />
          <p className="help" id="survey-reminder-help">
            {t("surveys.reminderDays.help")}
          </p>
        </div>
        <label className="check">
          <input type="checkbox" name="anonymous" /> {t("surveys.anonymous")}
        </label>
        <fieldset className="field">
          <legend>{t("surveys.questions")}</legend>
          <p className="help">{t("surveys.questions.help")}</p>
          <ol className="survey-questions">
            {questions.map((q, i) => {
              const prefix = `q${q.id}`;
              const place = t("surveys.questionN", { n: String(i + 1) });
              const promptProblem = problem(`questions[${i}].prompt`) ?? problem(`questions[${i}].prompt.en`);
              const optionsProblem = problem(`questions[${i}].options`);
              return (
                <li key={q.id}>
                  <fieldset>
                    <legend>{place}</legend>
                    <div className="field">
                      <label htmlFor={`${prefix}-kind`}>{t("surveys.kind")}</label>
                      <select
                        id={`${prefix}-kind`}
                        value={q.kind}
                        onChange={(e) => setQuestions(questions.map((x) => (x.id === q.id ? { ...x, kind: e.target.value as DraftQuestion["kind"] } : x)))}
                      >
                        <option value="scale">{t("surveys.kind.scale")}</option>
                        <option value="choice">{t("surveys.kind.choice")}</option>
                        <option value="text">{t("surveys.kind.text")}</option>
                      </select>
                    </div>
                    <div className="field">
                      <label htmlFor={`${prefix}-prompt-en`}>{t("surveys.promptEn")}</label>
                      <input
                        id={`${prefix}-prompt-en`}
                        name={`${prefix}-prompt-en`}
                        maxLength={500}
                        aria-invalid={promptProblem ? true : undefined}
                        aria-describedby={promptProblem ? `${prefix}-prompt-problem` : undefined}
                      />
                      <Problem id={`${prefix}-prompt-problem`} text={promptProblem} />
                    </div>
                    <div className="field">
                      <label htmlFor={`${prefix}-prompt-zh`}>{t("surveys.promptZh")}</label>
                      <input id={`${prefix}-prompt-zh`} name={`${prefix}-prompt-zh-CN`} lang="zh-CN" />
                    </div>
                    {q.kind === "choice" && (
                      <div className="field">
                        <label htmlFor={`${prefix}-options`}>{t("surveys.options")}</label>
                        <textarea id={`${prefix}-options`} name={`${prefix}-options`} rows={3} aria-describedby={`${prefix}-options-help`} />
                        <p className="help" id={`${prefix}-options-help`}>
                          {optionsProblem ?? t("surveys.options.help")}
                        </p>
                      </div>
                    )}
                    <label className="check">
                      <input type="checkbox" name={`${prefix}-required`} /> {t("surveys.required")}
                    </label>
                    <Button
                      onPress={() => {
                        setQuestions(questions.filter((x) => x.id !== q.id));
                        // The button goes with its question: the focus goes to adding one.
                        requestAnimationFrame(() => document.getElementById("survey-add-question")?.focus());
                      }}
                      aria-label={t("surveys.removeQuestion", { n: String(i + 1) })}
                    >
                      {t("surveys.remove")}
                    </Button>
                  </fieldset>
                </li>
              );
            })}
          </ol>
          <Button
            id="survey-add-question"
            onPress={() => {
              setQuestions([...questions, { id: nextId, kind: "text" }]);
              setNextId(nextId + 1);
              // The new question's first field takes the focus.
              requestAnimationFrame(() => document.getElementById(`q${nextId}-kind`)?.focus());
            }}
          >
            {t("surveys.addQuestion")}
          </Button>
        </fieldset>
        {(refusal || listed.length > 0) && (
          <div role="alert" className="error">
            {refusal ?? t("surveys.fix")}
            {listed.length > 0 && (
              <ul>
                {listed.map(([field, text]) => (
                  <li key={field}>
                    {named(field)}: {text}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
        <Button type="submit" isDisabled={busy}>
          {t("surveys.saveDraft")}
        </Button>
      </form>
    </section>
  );
}

// One survey: the form while it waits for the person's answer; its results for those who read them.
export function SurveyPage({ id, user }: { id: string; user: User }) {
  const { t, language, dateTime } = useLocale();
  const [s, setSurvey] = useState<Survey | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let current = true;
    fetchSurvey(id)
      .then((found) => current && setSurvey(found))
      .catch((e) => current && setError(errorText(e)));
    return () => {
      current = false;
    };
  }, [id, generation]);
  if (error)
    return (
      <main id="main">
        <h1>{t("surveys.title")}</h1>
        <Failure message={error} />
        <Link to="/surveys">{t("surveys.back")}</Link>
      </main>
    );
  if (!s)
    return (
      <main id="main">
        <Loading />
      </main>
    );
  const title = textIn(s.title, language);
  const intro = textIn(s.intro, language);
  const waiting = s.state === "open" && s.invitation && !s.invitation.answered;
  return (
    <main id="main">
      <h1>{title}</h1>
      <p>
        <Link to="/surveys">{t("surveys.back")}</Link>
      </p>
      {intro && <p className="lead">{intro}</p>}
      <p>
        {t(stateKey(s.state))}
        {s.closes_at && <> · {t("surveys.until", { when: dateTime(s.closes_at) })}</>}
        {s.anonymous && <> · {t("surveys.isAnonymous")}</>}
      </p>
      {waiting && (
        <AnswerForm
          survey={s}
          onAnswered={() => {
            setGeneration(generation + 1);
            // The form goes: the focus moves to the message that replaces it.
            requestAnimationFrame(() => document.getElementById("survey-said")?.focus());
          }}
        />
      )}
      <p role="status" className={s.invitation?.answered ? "notice" : undefined} id="survey-said" tabIndex={-1}>
        {s.invitation?.answered &&
          (s.invitation.answered_on ? t("surveys.thanks", { day: s.invitation.answered_on }) : t("surveys.thanksAnonymous"))}
      </p>
      {readsSurveyResults(user) && s.state !== "draft" && <Results id={s.id} questions={s.questions} />}
    </main>
  );
}

function AnswerForm({ survey, onAnswered }: { survey: Survey; onAnswered: () => void }) {
  const { t, language } = useLocale();
  const { problems, refusal, check, refused } = useFormProblems();
  const [busy, setBusy] = useState(false);
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const answers: Record<string, number | string> = {};
    const found: Record<string, string> = {};
    for (const q of survey.questions) {
      const value = String(form.get(q.key) ?? "").trim();
      if (!value) {
        if (q.required) found[`answers.${q.key}`] = t("surveys.answerNeeded");
        continue;
      }
      answers[q.key] = q.kind === "text" ? value : Number(value);
    }
    if (!check(found)) {
      const first = survey.questions.find((q) => found[`answers.${q.key}`]);
      if (first) document.getElementById(`answer-${first.key}`)?.focus();
      return;
    }
    setBusy(true);
    answerSurvey(survey.id, answers)
      .then(onAnswered)
      .catch(refused)
      .finally(() => setBusy(false));
  }
  return (
    <form className="stacked survey-answer" onSubmit={submit} noValidate aria-label={t("surveys.answerForm")}>
      {survey.questions.map((q) => (
        <Question key={q.key} question={q} language={language} problem={problems[`answers.${q.key}`] ?? null} />
      ))}
      {refusal && (
        <p role="alert" className="error">
          {refusal}
        </p>
      )}
      <Button type="submit" isDisabled={busy}>
        {t("surveys.send")}
      </Button>
    </form>
  );
}

function Question({ question: q, language, problem }: { question: SurveyQuestion; language: string; problem: string | null }) {
  const { t } = useLocale();
  const prompt = textIn(q.prompt, language);
  const problemId = `answer-${q.key}-problem`;
  const helpId = `answer-${q.key}-help`;
  const described = problem ? problemId : undefined;
  if (q.kind === "text")
    return (
      <div className="field">
        <label htmlFor={`answer-${q.key}`}>
          {prompt}
          {q.required && ` (${t("surveys.requiredMark")})`}
        </label>
        <textarea id={`answer-${q.key}`} name={q.key} rows={3} maxLength={2000} aria-invalid={problem ? true : undefined} aria-describedby={described} />
        <Problem id={problemId} text={problem} />
      </div>
    );
  // Scores and options: a group of radio buttons; NPS 0–10 with what its ends mean.
  const choices: { value: number; label: string }[] =
    q.kind === "nps"
      ? Array.from({ length: 11 }, (_, i) => ({ value: i, label: String(i) }))
      : q.kind === "scale"
        ? Array.from({ length: 5 }, (_, i) => ({ value: i + 1, label: t(`surveys.scale.${i + 1}` as MessageKey) }))
        : q.options.map((o, i) => ({ value: i, label: textIn(o, language) }));
  return (
    <fieldset className={`field choices ${q.kind}`} aria-describedby={[q.kind === "nps" ? helpId : "", described ?? ""].join(" ").trim() || undefined}>
      <legend>
        {prompt}
        {q.required && ` (${t("surveys.requiredMark")})`}
      </legend>
      {q.kind === "nps" && (
        <p className="help" id={helpId}>
          {t("surveys.nps.help")}
        </p>
      )}
      <div className="radios">
        {choices.map((c, i) => (
          <label key={c.value} className="check">
            <input type="radio" name={q.key} value={c.value} id={i === 0 ? `answer-${q.key}` : undefined} aria-invalid={problem ? true : undefined} />{" "}
            {c.label}
          </label>
        ))}
      </div>
      <Problem id={problemId} text={problem} />
    </fieldset>
  );
}

function npsText(n: Nps | null | undefined, t: (k: MessageKey, v?: Record<string, string>) => string) {
  return n && n.score !== null ? String(Math.round(n.score)) : t("surveys.noAnswers");
}

function Results({ id, questions }: { id: string; questions: SurveyQuestion[] }) {
  const { t, language } = useLocale();
  const [results, setResults] = useState<SurveyResults | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    surveyResults(id)
      .then((r) => current && setResults(r))
      .catch((e) => current && setError(errorText(e)));
    return () => {
      current = false;
    };
  }, [id]);
  if (error) return <Failure message={error} />;
  if (!results) return <Loading />;
  if (results.withheld)
    return (
      <section aria-labelledby="survey-results">
        <h2 id="survey-results">{t("surveys.results")}</h2>
        <p>{t("surveys.withheld", { answered: String(results.answered) })}</p>
      </section>
    );
  const nps = results.nps;
  const promptOf = (key: string) => {
    const asked = questions.find((q) => q.key === key);
    return asked ? textIn(asked.prompt, language) : key;
  };
  return (
    <section aria-labelledby="survey-results">
      <h2 id="survey-results">{t("surveys.results")}</h2>
      <dl className="facts">
        <dt>{t("surveys.npsScore")}</dt>
        <dd className="big-number">{npsText(nps, t)}</dd>
        <dt>{t("surveys.turnout")}</dt>
        <dd>
          {t("surveys.turnoutOf", {
            answered: String(results.answered),
            invited: String(results.invited),
            rate: results.response_rate === null ? "—" : `${Math.round(results.response_rate * 100)}%`,
          })}
        </dd>
      </dl>
      {nps && (
        <Bars
          caption={t("surveys.npsSplit")}
          valueLabel={t("surveys.people")}
          rows={[
            { label: t("surveys.promoters"), value: nps.promoters },
            { label: t("surveys.passives"), value: nps.passives },
            { label: t("surveys.detractors"), value: nps.detractors },
          ]}
        />
      )}
      {results.questions
        .filter((q) => q.kind === "scale" || q.kind === "choice")
        .map((q) => {
          const asked = questions.find((x) => x.key === q.key);
          const prompt = promptOf(q.key);
          const label = (i: number) => (q.kind === "scale" ? t(`surveys.scale.${i + 1}` as MessageKey) : asked ? textIn(asked.options[i] ?? {}, language) : String(i));
          return <Bars key={q.key} caption={prompt} valueLabel={t("surveys.people")} rows={q.counts.map((n, i) => ({ label: label(i), value: n }))} />;
        })}
      {results.organizations.length > 0 && (
        <Bars
          caption={t("surveys.npsByOrganization")}
          valueLabel={t("surveys.npsScore")}
          rows={results.organizations.map((o) => ({ label: o.name, value: o.nps?.score == null ? null : Math.round(o.nps.score) }))}
          max={100}
        />
      )}
      <p>
        <a href={`/api/v1/surveys/${encodeURIComponent(id)}/results?format=csv`} download>
          {t("surveys.download.csv")}
        </a>{" "}
        ·{" "}
        <a href={`/api/v1/surveys/${encodeURIComponent(id)}/results?format=xlsx`} download>
          {t("surveys.download.xlsx")}
        </a>
      </p>
      {results.texts && results.texts.length > 0 && (
        <>
          <h3>{t("surveys.texts")}</h3>
          <ul className="cards">
            {results.texts.map((x, i) => (
              <li key={i} className="card">
                <p>{x.text}</p>
                <p className="help">{promptOf(x.question_key)}</p>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
