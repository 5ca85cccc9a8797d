import { useCallback, useEffect, useState } from "react";
import { Button } from "react-aria-components";
import { myTickets, requestDetail, ticket, type RequestDetail, type Ticket, type User } from "../api";
import { useLocale, word } from "../i18n";
import { usePaged } from "../paged";
import { Link } from "../router";

// REL-2, DESK-4: the requests one made (or made for those one represents), newest first, with
// where each stands and by when it is promised.
export function MyRequests({ user }: { user: User }) {
  const { t, dateTime } = useLocale();
  const fetchPage = useCallback((cursor: string | null) => myTickets(user, cursor), [user]);
  const { items, error, hasMore, more } = usePaged<Ticket>(fetchPage);

  return (
    <main id="main">
      <h1>{t("requests.title")}</h1>
      {error && (
        <p role="alert" className="error">
          {t("app.error", { message: error })}
        </p>
      )}
      {!items && !error && <p aria-live="polite">{t("app.loading")}</p>}
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

// One request: its status and promise, its answers, its approval step by step and its tasks.
export function RequestView({ id }: { id: string }) {
  const { t, dateTime } = useLocale();
  const [shown, setShown] = useState<{ ticket: Ticket; detail: RequestDetail | null } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    ticket(id)
      .then(async (tk) => setShown({ ticket: tk, detail: tk.type === "service_request" ? await requestDetail(id) : null }))
      .catch((e) => setError(e instanceof Error && "status" in e && e.status === 404 ? t("requests.notFound") : String(e)));
  }, [id, t]);
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
        <p aria-live="polite">{t("app.loading")}</p>
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
      <p>
        <Link to="/requests">{t("requests.back")}</Link>
      </p>
    </main>
  );
}
