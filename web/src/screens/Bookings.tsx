import { useCallback, useEffect, useState, type FormEvent } from "react";
import { Button } from "react-aria-components";
import { api, ApiError, type Page } from "../api";
import { Failure, Loading } from "../components/Status";
import { useLocale, word } from "../i18n";
import type { MessageKey } from "../i18n/en";
import { errorText } from "../paged";

// REL-5: the organisation's shared resources (the car-share club's cars), booked in turn. A
// member books a time, picks the car up, says when they will be back if they run late, and
// returns it; the next member is told when the one before will be late (Notifications).
interface Resource {
  id: string;
  name: string;
  kind: string;
  location: string;
  active: boolean;
}
interface Booking {
  id: string;
  resource_id: string;
  starts_at: string;
  ends_at: string;
  state: string;
  own: boolean;
  expected_return_at?: string | null;
  late_estimate?: string | null;
}

// <input type="datetime-local"> speaks the browser's local time; the API, RFC 3339.
const toInput = (d: Date) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
const fromInput = (v: string) => new Date(v).toISOString();

export function Bookings() {
  const { t, dateTime } = useLocale();
  const [resources, setResources] = useState<Resource[] | null>(null);
  const [mine, setMine] = useState<Booking[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const read = useCallback(async () => {
    try {
      const [r, b] = await Promise.all([
        api<Page<Resource>>("GET", "/api/v1/resources?limit=200"),
        api<Page<Booking>>("GET", "/api/v1/bookings"),
      ]);
      setResources(r.items);
      setMine(b.items);
      setError(null);
    } catch (e) {
      setError(errorText(e));
    }
  }, []);
  useEffect(() => {
    void read();
  }, [read]);
  const nameOf = (id: string) => resources?.find((r) => r.id === id)?.name ?? id;
  const act = (b: Booking, verb: string, body: Record<string, unknown>, done: string) =>
    api("POST", `/api/v1/bookings/${encodeURIComponent(b.id)}/${verb}`, body)
      .then(() => {
        setNotice(done);
        return read();
      })
      .catch((e) => setNotice(errorText(e)));

  return (
    <main id="main">
      <h1>{t("bookings.title")}</h1>
      <p className="lead">{t("bookings.lead")}</p>
      <Failure message={error} />
      <p role="status" className="notice">
        {notice}
      </p>
      {(!resources || !mine) && !error && <Loading />}
      {mine && (
        <section aria-labelledby="mine-title">
          <h2 id="mine-title">{t("bookings.mine")}</h2>
          {mine.length === 0 && <p>{t("bookings.none")}</p>}
          <ul className="cards">
            {mine.map((b) => (
              <li key={b.id} className="card">
                <h3>{nameOf(b.resource_id)}</h3>
                <p>
                  {dateTime(b.starts_at)} – {dateTime(b.ends_at)} · {word(t, "bookingState", b.state)}
                </p>
                {b.late_estimate && b.state === "booked" && (
                  <p className="warning">{t("bookings.lateBefore", { at: dateTime(b.late_estimate) })}</p>
                )}
                {b.expected_return_at && b.state === "picked_up" && <p>{t("bookings.youSaid", { at: dateTime(b.expected_return_at) })}</p>}
                {b.state === "booked" && (
                  <>
                    <Button onPress={() => void act(b, "pickup", {}, t("bookings.pickedUp", { name: nameOf(b.resource_id) }))}>
                      {t("bookings.pickUp")}
                    </Button>
                    <Button onPress={() => void act(b, "cancel", {}, t("bookings.cancelled"))}>{t("bookings.cancel")}</Button>
                  </>
                )}
                {b.state === "picked_up" && <Holding booking={b} name={nameOf(b.resource_id)} act={act} />}
              </li>
            ))}
          </ul>
        </section>
      )}
      {resources && (
        <section aria-labelledby="book-title">
          <h2 id="book-title">{t("bookings.book")}</h2>
          {resources.length === 0 && <p>{t("bookings.noResources")}</p>}
          {resources.filter((r) => r.active).length > 0 && (
            <BookForm resources={resources.filter((r) => r.active)} onBooked={async (message) => (setNotice(message), read())} />
          )}
        </section>
      )}
    </main>
  );
}

function BookForm({ resources, onBooked }: { resources: Resource[]; onBooked: (message: string) => Promise<void> }) {
  const { t } = useLocale();
  const [problem, setProblem] = useState<string | null>(null);
  const start = new Date(Date.now() + 60 * 60_000);
  start.setMinutes(0, 0, 0);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const id = String(data.get("resource"));
    try {
      await api("POST", `/api/v1/resources/${encodeURIComponent(id)}/bookings`, {
        starts_at: fromInput(String(data.get("starts_at"))),
        ends_at: fromInput(String(data.get("ends_at"))),
      });
      setProblem(null);
      await onBooked(t("bookings.booked", { name: resources.find((r) => r.id === id)?.name ?? id }));
    } catch (err) {
      setProblem(err instanceof ApiError && err.details.length ? err.details.map((d) => `${d.field}: ${d.problem}`).join("; ") : errorText(err));
    }
  }
  return (
    <form onSubmit={(e) => void submit(e)} aria-labelledby="book-title" className="filters">
      <div className="field">
        <label htmlFor="book-resource">{t("bookings.resource")}</label>
        <select id="book-resource" name="resource">
          {resources.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
              {r.location ? ` — ${r.location}` : ""}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="book-start">{t("bookings.from")}</label>
        <input id="book-start" name="starts_at" type="datetime-local" required defaultValue={toInput(start)} />
      </div>
      <div className="field">
        <label htmlFor="book-end">{t("bookings.until")}</label>
        <input id="book-end" name="ends_at" type="datetime-local" required defaultValue={toInput(new Date(start.getTime() + 2 * 60 * 60_000))} />
      </div>
      <p className="help">{t("bookings.timesHelp")}</p>
      {problem && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}
      <Button type="submit">{t("bookings.bookIt")}</Button>
    </form>
  );
}

// While out: return it, or say when it will be back so the next person is told.
function Holding(props: {
  booking: Booking;
  name: string;
  act: (b: Booking, verb: string, body: Record<string, unknown>, done: string) => Promise<unknown>;
}) {
  const { t } = useLocale();
  const { booking: b, name, act } = props;
  const later = new Date(Math.max(Date.now(), new Date(b.ends_at).getTime()) + 30 * 60_000);
  return (
    <>
      <Button onPress={() => void act(b, "return", {}, t("bookings.returned", { name }))}>{t("bookings.return")}</Button>
      <ConditionForm booking={b} name={name} />
      <form
        className="filters"
        aria-label={t("bookings.lateForm", { name })}
        onSubmit={(e) => {
          e.preventDefault();
          const data = new FormData(e.currentTarget);
          const location = String(data.get("location") ?? "").trim();
          void act(b, "estimate", { expected_return_at: fromInput(String(data.get("back"))), ...(location ? { location } : {}) }, t("bookings.told"));
        }}
      >
        <div className="field">
          <label htmlFor={`back-${b.id}`}>{t("bookings.backAt")}</label>
          <input id={`back-${b.id}`} name="back" type="datetime-local" required defaultValue={toInput(later)} />
        </div>
        <div className="field">
          <label htmlFor={`where-${b.id}`}>{t("bookings.where")}</label>
          <input id={`where-${b.id}`} name="location" maxLength={500} />
        </div>
        <Button type="submit">{t("bookings.tell")}</Button>
      </form>
    </>
  );
}

// FDB-3: the state the resource was found in at pick-up; the member before is credited (or
// debited) by the club's rules, and never the one who rates.
function ConditionForm({ booking: b, name }: { booking: Booking; name: string }) {
  const { t } = useLocale();
  const [said, setSaid] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const legend = `condition-${b.id}`;
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const score = Number(data.get("score") ?? 0);
    setSaid(null);
    if (!score) {
      setProblem(t("bookings.condition.choose"));
      return;
    }
    try {
      const rated = await api<{ credited: boolean }>("POST", `/api/v1/bookings/${encodeURIComponent(b.id)}/condition`, {
        score,
        comment: String(data.get("comment") ?? "").trim(),
      });
      setProblem(null);
      setSaid(t(rated.credited ? "bookings.condition.credited" : "bookings.condition.recorded"));
    } catch (err) {
      setProblem(err instanceof ApiError ? errorText(err) : String(err));
    }
  }
  return (
    <form className="stacked" onSubmit={(e) => void submit(e)} noValidate aria-labelledby={legend}>
      <fieldset aria-describedby={problem ? `${legend}-problem` : undefined}>
        <legend id={legend}>{t("bookings.condition.question", { name })}</legend>
        <div className="checks">
          {[5, 4, 3, 2, 1].map((n) => (
            <label key={n} className="check">
              <input type="radio" name="score" value={n} required={n === 5} /> {t(`bookings.condition.${n}` as MessageKey)}
            </label>
          ))}
        </div>
        {problem && (
          <p id={`${legend}-problem`} className="error" role="alert">
            {problem}
          </p>
        )}
      </fieldset>
      <div className="field">
        <label htmlFor={`${legend}-comment`}>{t("bookings.condition.comment")}</label>
        <input id={`${legend}-comment`} name="comment" maxLength={1000} />
      </div>
      <Button type="submit">{t("bookings.condition.send")}</Button>
      <p role="status">{said}</p>
    </form>
  );
}
