import { useCallback, useEffect, useRef, useState, type FormEvent } from "react";
import { Button, Label, Radio, RadioGroup } from "react-aria-components";
import {
  ApiError,
  comment,
  deskTicket,
  moveTicket,
  movesFor,
  myRating,
  myTickets,
  rateTicket,
  type Touchpoint,
  requestDetail,
  timeline,
  workflows,
  type DeskTicket,
  type Rating,
  type RequestDetail,
  type Ticket,
  type TicketEvent,
  type User,
  type WorkflowTransition,
} from "../api";
import { TextArea } from "../components/Form";
import { Timeline } from "../components/Timeline";
import { concerns, useStream } from "../stream";
import { useLocale, word } from "../i18n";
import type { MessageKey } from "../i18n/en";
import { errorText, usePaged } from "../paged";
import { Link } from "../router";
import { Failure, Loading } from "../components/Status";

// REL-2, DESK-4: the requests one made (or made for those one represents), newest first, with
// where each stands and by when it is promised.
export function MyRequests({ user }: { user: User }) {
  const { t, dateTime } = useLocale();
  const fetchPage = useCallback((cursor: string | null) => myTickets(user, cursor), [user]);
  const { items, error, hasMore, more } = usePaged<Ticket>(fetchPage);

  return (
    <main id="main">
      <h1>{t("requests.title")}</h1>
      <Failure message={error} />
      {!items && !error && <Loading />}
      {items && items.length === 0 && <p>{t("requests.empty")}</p>}
      {items && items.length > 0 && (
        <table className="list">
          <thead>
            <tr>
              <th scope="col">{t("requests.number")}</th>
              <th scope="col">{t("requests.subject")}</th>
              <th scope="col">{t("requests.type")}</th>
              <th scope="col">{t("requests.status")}</th>
              <th scope="col">{t("requests.promised")}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((r) => (
              <tr key={r.id}>
                <td>#{r.number}</td>
                <td>
                  <Link to={`/requests/${r.id}`}>{r.subject}</Link>
                </td>
                <td>{word(t, "type", r.type)}</td>
                <td>{word(t, "status", r.status)}</td>
                <td>{r.sla?.resolution?.due ? dateTime(r.sla.resolution.due) : "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {hasMore && <Button onPress={() => void more()}>{t("requests.more")}</Button>}
    </main>
  );
}

// One ticket as its requester follows it (REL-2, DESK-4): status and promise, the answers, the
// approval step by step, the tasks, and the conversation with the desk — a reply from the desk
// appears while the page is open.
export function RequestView({ id, user }: { id: string; user: User }) {
  const { t, dateTime } = useLocale();
  const [shown, setShown] = useState<{
    ticket: DeskTicket;
    detail: RequestDetail | null;
    events: TicketEvent[];
    moves: WorkflowTransition[];
  } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const read = useCallback(
    () =>
      Promise.all([deskTicket(id), timeline(id), workflows()])
        .then(async ([tk, events, flows]) =>
          setShown({
            ticket: tk,
            events,
            moves: movesFor(flows, tk, user).filter((m) => m.needs.length === 0),
            detail: tk.type === "service_request" ? await requestDetail(id) : null,
          }),
        )
        .catch((e) => {
          const message = e instanceof ApiError && e.status === 404 ? t("requests.notFound") : errorText(e);
          // Once shown, the page stays (with the reply being written); a failed re-read is a notice.
          if (loaded.current) setNotice(t("app.error", { message }));
          else setError(message);
        }),
    [id, t, user],
  );
  const loaded = useRef(false);
  loaded.current = shown !== null;
  useEffect(() => {
    void read();
  }, [read]);
  useStream((m) => {
    if (concerns(m, id)) void read();
  });
  if (error)
    return (
      <main id="main">
        <p role="alert" className="error">{error}</p>
        <p>
          <Link to="/requests">{t("requests.back")}</Link>
        </p>
      </main>
    );
  if (!shown)
    return (
      <main id="main">
        <Loading />
      </main>
    );
  const { ticket: tk, detail } = shown;
  return (
    <main id="main" className="request-view">
      <h1>
        #{tk.number} {tk.subject}
      </h1>
      <dl className="facts">
        <dt>{t("requests.status")}</dt>
        <dd>{word(t, "status", tk.status)}</dd>
        <dt>{t("requests.promised")}</dt>
        <dd>{tk.sla?.resolution?.due ? dateTime(tk.sla.resolution.due) : "—"}</dd>
        {detail && (
          <>
            <dt>{t("catalog.price")}</dt>
            <dd>{Number(detail.price) === 0 ? t("catalog.free") : detail.price}</dd>
          </>
        )}
      </dl>
      {tk.description && (
        <section aria-labelledby="answers">
          <h2 id="answers">{t("requests.answers")}</h2>
          <p className="answers">{tk.description}</p>
        </section>
      )}
      {detail?.approval && (
        <section aria-labelledby="approval">
          <h2 id="approval">{t("requests.approval")}</h2>
          <ol>
            {detail.approval.map((s) => (
              <li key={s.step}>
                {t("requests.step", { step: String(s.step) })}: {word(t, "approval", s.state)}
                {s.approvers
                  .filter((a) => a.comment)
                  .map((a) => (
                    <blockquote key={a.user_id}>{a.comment}</blockquote>
                  ))}
              </li>
            ))}
          </ol>
        </section>
      )}
      {detail && detail.tasks.length > 0 && (
        <section aria-labelledby="tasks">
          <h2 id="tasks">{t("requests.tasks")}</h2>
          <ol>
            {detail.tasks.map((task) => (
              <li key={task.key}>
                {task.name} — {word(t, "task", task.state)}
                {task.due_at && !task.finished_at && <> ({t("requests.due", { when: dateTime(task.due_at) })})</>}
              </li>
            ))}
          </ol>
        </section>
      )}
      {shown.moves.length > 0 && (
        <section aria-labelledby="your-moves" className="moves">
          <h2 id="your-moves">{t("requests.moves")}</h2>
          {shown.moves.map((m) => (
            <Button
              key={m.to}
              className="react-aria-Button secondary-plain"
              onPress={() =>
                void moveTicket(tk, m.to, {}, false)
                  .then((moved) => {
                    // The new status at once, beside the notice; the rest follows the read.
                    setShown((before) => before && { ...before, ticket: moved, moves: [] });
                    setNotice(t("ticket.moved", { status: word(t, "status", m.to) }));
                  })
                  .catch((e) => setNotice(t("app.error", { message: errorText(e) })))
                  .finally(() => void read())
              }
            >
              {t(m.reopens ? "requests.reopen" : "ticket.moveTo", { status: word(t, "status", m.to) })}
            </Button>
          ))}
        </section>
      )}
      {notice && (
        <p role="status" className="notice">
          {notice}
        </p>
      )}
      {tk.resolved_at && (user.id === tk.requester_id || user.id === tk.on_behalf_of) && <RatingPanel ticketId={id} userId={user.id} />}
      {/* DESK-8: the desk's first answer is a touchpoint of its own, rated once someone else has answered. */}
      {(user.id === tk.requester_id || user.id === tk.on_behalf_of) &&
        shown.events.some((e) => e.kind === "comment" && e.actor_id !== user.id) && (
          <RatingPanel ticketId={id} userId={user.id} touchpoint="first_response" />
        )}
      <section aria-labelledby="conversation">
        <h2 id="conversation">{t("requests.conversation")}</h2>
        <Timeline events={shown.events} user={user} />
        <ReplyForm ticketId={id} onSent={() => void read()} />
      </section>
      <p>
        <Link to="/requests">{t("requests.back")}</Link>
      </p>
    </main>
  );
}

// The requester's reply to the desk; a ticket waiting for them goes back to work with it.
function ReplyForm({ ticketId, onSent }: { ticketId: string; onSent: () => void }) {
  const { t } = useLocale();
  const [problem, setProblem] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const body = String(new FormData(form).get("body") ?? "").trim();
    setSent(false);
    if (!body) {
      setProblem(t("login.required"));
      document.getElementById("reply-body")?.focus();
      return;
    }
    try {
      await comment(ticketId, body, true);
      form.reset();
      setProblem(null);
      setSent(true);
      onSent();
    } catch (err) {
      setProblem(errorText(err));
    }
  }
  return (
    <form className="reply" onSubmit={(e) => void submit(e)} noValidate>
      <TextArea id="reply-body" name="body" label={t("requests.reply")} rows={3} problem={problem} />
      <Button type="submit">{t("requests.send")}</Button>
      {sent && (
        <p role="status" className="notice">
          {t("requests.sent")}
        </p>
      )}
    </form>
  );
}

// FDB-1: how the person the ticket served found it, once it is resolved — a score from 1 to 5
// and a comment; sending again replaces the rating.
function RatingPanel({ ticketId, userId, touchpoint = "resolution" }: { ticketId: string; userId: string; touchpoint?: Touchpoint }) {
  const key = touchpoint === "first_response" ? "first" : "resolution";
  const { t } = useLocale();
  const [rating, setRating] = useState<Rating | null | undefined>(undefined);
  const [score, setScore] = useState<string>("");
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    let current = true;
    myRating(ticketId, userId, touchpoint)
      .then((r) => {
        if (!current) return;
        setRating(r);
        if (r) setScore(String(r.score));
      })
      .catch((e) => current && setProblem(errorText(e)));
    return () => {
      current = false;
    };
  }, [ticketId, userId, touchpoint]);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setSaved(false);
    if (!score) {
      setProblem(t("rating.choose"));
      return;
    }
    const comment = String(new FormData(e.currentTarget).get("comment") ?? "").trim();
    try {
      setRating(await rateTicket(ticketId, Number(score), comment, touchpoint));
      setProblem(null);
      setSaved(true);
    } catch (err) {
      setProblem(errorText(err));
    }
  }
  if (rating === undefined && !problem) return null;
  return (
    <section aria-labelledby={`rating-title-${key}`} className="rating">
      <h2 id={`rating-title-${key}`}>{t(touchpoint === "first_response" ? "rating.firstTitle" : "rating.title")}</h2>
      {rating && <p>{t("rating.yours", { score: String(rating.score) })}</p>}
      <form onSubmit={(e) => void submit(e)} noValidate>
        <RadioGroup value={score} onChange={setScore} orientation="horizontal" className="scores" isRequired>
          <Label>{t("rating.score")}</Label>
          {[5, 4, 3, 2, 1].map((n) => (
            <Radio key={n} value={String(n)}>
              {t(`rating.score.${n}` as MessageKey)}
            </Radio>
          ))}
        </RadioGroup>
        <TextArea id={`rating-comment-${key}`} name="comment" label={t("rating.comment")} rows={2} defaultValue={rating?.comment ?? ""} />
        <Button type="submit">{t(rating ? "rating.change" : "rating.send")}</Button>
        {problem && (
          <p role="alert" className="error">
            {problem}
          </p>
        )}
        {saved && (
          <p role="status" className="notice">
            {t("rating.saved")}
          </p>
        )}
      </form>
    </section>
  );
}
