import { useEffect, useRef, useState, type FormEvent } from "react";
import { Button } from "react-aria-components";
import { ApiError, catalogPage, personName, raiseTicket, recordDeflection, type RaisedType, type Ticket, type User } from "../api";
import { Suggestions } from "../components/Suggestions";
import { useLocale, word } from "../i18n";
import { Link } from "../router";

const kinds: RaisedType[] = ["incident", "consultation", "complaint", "compliment"];

// REL-1, DESK-1: raise an incident, a question, a complaint or a compliment from the portal,
// optionally about one of the services one sees.
export function AskForHelp({ user }: { user: User }) {
  const { t } = useLocale();
  const represented = useRepresented(user);
  const [type, setType] = useState<RaisedType>("incident");
  const [services, setServices] = useState<{ id: string; name: string }[]>([]);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [refusal, setRefusal] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [made, setMade] = useState<Ticket | null>(null);
  const [subject, setSubject] = useState("");
  const [service, setService] = useState("");
  const [solved, setSolved] = useState(false);
  const deflection = useDeflection(subject, service || null, made !== null || solved);

  useEffect(() => {
    catalogPage(null)
      .then((page) => setServices(page.items.map((s) => s.service)))
      .catch(() => setServices([]));
  }, []);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const subject = String(data.get("subject") ?? "").trim();
    const service = String(data.get("service") ?? "");
    const forWhom = String(data.get("on_behalf_of") ?? "");
    if (!subject) {
      setProblems({ subject: t("login.required") });
      document.getElementById("ask-subject")?.focus();
      return;
    }
    setBusy(true);
    setProblems({});
    setRefusal(null);
    try {
      deflection.sent();
      setMade(await raiseTicket(type, subject, String(data.get("description") ?? ""), service || null, forWhom || null));
    } catch (err) {
      if (err instanceof ApiError && err.details.length > 0) {
        setProblems(Object.fromEntries(err.details.map((d) => [d.field, d.problem])));
        setRefusal(t("request.invalid"));
      } else setRefusal(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  if (solved)
    return (
      <main id="main">
        <h1>{t("ask.title")}</h1>
        <p role="status" className="done">
          {t("suggest.thanks")}
        </p>
        <p>
          <Link to="/help">{t("suggest.more")}</Link>
        </p>
      </main>
    );

  if (made)
    return (
      <main id="main">
        <h1>{t("ask.title")}</h1>
        <p role="status" className="done">
          {t("ask.done", { number: String(made.number), type: word(t, "type", made.type) })}
        </p>
        <p>
          <Link to={`/requests/${made.id}`}>{t("ask.follow")}</Link>
        </p>
      </main>
    );

  return (
    <main id="main" className="request">
      <h1>{t("ask.title")}</h1>
      <p className="lead">{t("ask.lead")}</p>
      <form onSubmit={submit} noValidate>
        <fieldset className="field">
          <legend>{t("ask.kind")}</legend>
          {kinds.map((k) => (
            <label key={k} className="check">
              <input type="radio" name="type" value={k} checked={type === k} onChange={() => setType(k)} /> {word(t, "type", k)}
              <span className="help"> — {t(`ask.kind.${k}` as const)}</span>
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor="ask-subject">
            {t("ask.subject")}
            <span aria-hidden="true"> *</span>
          </label>
          <input
            id="ask-subject"
            name="subject"
            required
            maxLength={200}
            onChange={(e) => {
              setSubject(e.target.value);
              if (problems.subject) setProblems({});
            }}
            aria-invalid={problems.subject ? true : undefined}
            aria-describedby={problems.subject ? "ask-subject-problem" : undefined}
          />
          {problems.subject && (
            <p id="ask-subject-problem" className="error">
              {problems.subject}
            </p>
          )}
        </div>
        <div className="field">
          <label htmlFor="ask-description">{t("ask.description")}</label>
          <textarea id="ask-description" name="description" rows={6} />
        </div>
        {represented.length > 0 && (
          <div className="field">
            <label htmlFor="ask-for">{t("ask.forWhom")}</label>
            <select id="ask-for" name="on_behalf_of" defaultValue="">
              <option value="">{t("ask.forMyself")}</option>
              {represented.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
            <p className="help">{t("ask.forWhomHelp")}</p>
          </div>
        )}
        {services.length > 0 && (
          <div className="field">
            <label htmlFor="ask-service">{t("ask.service")}</label>
            <select id="ask-service" name="service" value={service} onChange={(e) => setService(e.target.value)}>
              <option value="">{t("ask.service.none")}</option>
              {services.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <Suggestions
          query={subject}
          serviceId={service || null}
          onOpened={deflection.opened}
          onSolved={() => {
            deflection.solved();
            setSolved(true);
          }}
        />
        {refusal && (
          <p role="alert" className="error">
            {refusal}
          </p>
        )}
        <Button type="submit" isDisabled={busy}>
          {busy ? t("request.submitting") : t("ask.submit")}
        </Button>
      </form>
    </main>
  );
}

// DESK-6: the people a representative acts for, by name.
function useRepresented(user: User): { id: string; name: string }[] {
  const [people, setPeople] = useState<{ id: string; name: string }[]>([]);
  const ids = (user.represented_user_ids ?? []).join(",");
  useEffect(() => {
    let current = true;
    const wanted = ids ? ids.split(",") : [];
    void Promise.all(wanted.map(async (id) => ({ id, name: (await personName(id)) ?? id }))).then((found) => {
      if (current) setPeople(found);
    });
    return () => {
      current = false;
    };
  }, [ids]);
  return people;
}

// REL-2: a suggestion opened and the form left unsent counts as a deflection — when the person
// says the article answered them, or when they leave the screen or the page without sending.
function useDeflection(query: string, serviceId: string | null, done: boolean) {
  const opened = useRef<{ kind: "article" | "answer"; id: string } | null>(null);
  const finished = useRef(false);
  const latest = useRef({ query, serviceId });
  latest.current = { query, serviceId };
  finished.current = finished.current || done;
  useEffect(() => {
    const leave = () => {
      if (opened.current && !finished.current) {
        finished.current = true;
        void recordDeflection(opened.current.kind, opened.current.id, latest.current.serviceId, latest.current.query);
      }
    };
    addEventListener("pagehide", leave);
    return () => {
      removeEventListener("pagehide", leave);
      leave();
    };
  }, []);
  return {
    opened: (which: { kind: "article" | "answer"; id: string }) => {
      opened.current = which;
    },
    solved: () => {
      if (opened.current && !finished.current) {
        finished.current = true;
        void recordDeflection(opened.current.kind, opened.current.id, latest.current.serviceId, latest.current.query);
      }
    },
    sent: () => {
      finished.current = true;
    },
  };
}
