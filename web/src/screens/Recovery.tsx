import { useCallback, useEffect, useState, type FormEvent } from "react";
import { Button } from "react-aria-components";
import { completeRecoveryTask, deskTicket, recoveryTasks, type RecoveryTask } from "../api";
import { TextArea } from "../components/Form";
import { Failure, Loading } from "../components/Status";
import { useLocale } from "../i18n";
import type { MessageKey } from "../i18n/en";
import { errorText, usePaged } from "../paged";
import { Link } from "../router";

// DESK-8: the moments of truth waiting for the desk — a complaint, a low rating, a reopen, a
// breach, angry words, a person back soon after a resolution, an override — each with its ticket,
// its team and when it is due, most recent first; done with a note of what was done.
export function Recovery() {
  const { t } = useLocale();
  const [status, setStatus] = useState("open");
  const [mine, setMine] = useState(false);
  const [said, setSaid] = useState<string | null>(null);
  const fetchPage = useCallback((cursor: string | null) => recoveryTasks(status, mine, cursor), [status, mine]);
  const { items, error, hasMore, more, reload } = usePaged<RecoveryTask>(fetchPage);
  return (
    <main id="main">
      <h1>{t("recovery.title")}</h1>
      <p className="lead">{t("recovery.lead")}</p>
      <div className="filters">
        <div className="field">
          <label htmlFor="recovery-status">{t("recovery.show")}</label>
          <select id="recovery-status" value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="open">{t("recovery.open")}</option>
            <option value="done">{t("recovery.done")}</option>
            <option value="">{t("recovery.all")}</option>
          </select>
        </div>
        <label className="check">
          <input type="checkbox" checked={mine} onChange={(e) => setMine(e.target.checked)} /> {t("recovery.mine")}
        </label>
      </div>
      <p role="status">{said}</p>
      <Failure message={error} />
      {!items && !error && <Loading />}
      {items && items.length === 0 && <p>{t("recovery.empty")}</p>}
      {items && items.length > 0 && (
        <ol className="recovery-list">
          {items.map((task) => (
            <Task
              key={task.id}
              task={task}
              onDone={(text) => {
                setSaid(text);
                void reload();
              }}
            />
          ))}
        </ol>
      )}
      {hasMore && <Button onPress={() => void more()}>{t("recovery.more")}</Button>}
    </main>
  );
}

function Task({ task, onDone }: { task: RecoveryTask; onDone: (said: string) => void }) {
  const { t, dateTime } = useLocale();
  const [ticket, setTicket] = useState<{ number: number; subject: string } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    deskTicket(task.ticket_id)
      .then((tk) => current && setTicket({ number: tk.number, subject: tk.subject }))
      .catch(() => current && setTicket(null));
    return () => {
      current = false;
    };
  }, [task.ticket_id]);
  const overdue = task.status === "open" && task.due !== null && new Date(task.due).getTime() < Date.now();
  const id = `task-${task.id}`;
  const signal = t(`recovery.signal.${task.signal}` as MessageKey);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const note = String(new FormData(e.currentTarget).get("note") ?? "").trim();
    if (!note) {
      setProblem(t("recovery.noteNeeded"));
      document.getElementById(`${id}-note`)?.focus();
      return;
    }
    try {
      await completeRecoveryTask(task.id, note);
      onDone(t("recovery.completed", { ticket: ticket ? `#${ticket.number}` : task.ticket_id }));
    } catch (err) {
      setProblem(errorText(err));
    }
  }
  return (
    <li className="item" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>
        {signal}: <Link to={`/desk/tickets/${task.ticket_id}`}>{ticket ? `#${ticket.number} ${ticket.subject}` : task.ticket_id}</Link>
      </h2>
      <dl className="facts">
        <dt>{t("recovery.due")}</dt>
        <dd className={overdue ? "overdue" : undefined}>
          {task.due ? dateTime(task.due) : "—"}
          {overdue && <> ({t("recovery.overdue")})</>}
        </dd>
        <dt>{t("recovery.opened")}</dt>
        <dd>{dateTime(task.created_at)}</dd>
        {task.status === "done" && (
          <>
            <dt>{t("recovery.whatWasDone")}</dt>
            <dd>{task.note}</dd>
          </>
        )}
      </dl>
      {task.status === "open" && (
        <form onSubmit={(e) => void submit(e)} noValidate aria-label={t("recovery.complete", { signal })}>
          <TextArea id={`${id}-note`} name="note" label={t("recovery.note")} rows={2} problem={problem} />
          <Button type="submit">{t("recovery.complete", { signal })}</Button>
        </form>
      )}
    </li>
  );
}
