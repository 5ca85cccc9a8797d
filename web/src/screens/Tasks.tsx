import { useState } from "react";
import { Button } from "react-aria-components";
import { ApiError, moveTask, openTasks, type Task } from "../api";
import { useLocale, word } from "../i18n";
import { usePaged } from "../paged";
import { Link } from "../router";
import { Loading } from "../components/Status";

// DESK-5: the fulfilment tasks to do, soonest due first; staff start and finish them, and the
// requester sees each step on their request.
export function Tasks() {
  const { t, dateTime } = useLocale();
  const { items, error: unread, hasMore, more, reload } = usePaged<Task>(openTasks);
  const [said, setSaid] = useState<string | null>(null);
  const [refused, setRefused] = useState<string | null>(null);
  const error = refused ?? unread;

  async function move(task: Task, state: "in_progress" | "done") {
    try {
      await moveTask(task, state);
      setSaid(t(state === "done" ? "tasks.finished" : "tasks.started", { name: task.name }));
      setRefused(null);
    } catch (e) {
      // Changed by someone else meanwhile (412), or no longer open: the fresh list tells.
      setRefused(e instanceof ApiError && e.status === 412 ? t("tasks.stale") : e instanceof Error ? e.message : String(e));
    }
    await reload();
  }

  return (
    <main id="main">
      <h1>{t("tasks.title")}</h1>
      <p role="status">{said}</p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {!items && !error && <Loading />}
      {items && items.length === 0 && <p>{t("tasks.empty")}</p>}
      {items && items.length > 0 && (
        <table className="list">
          <thead>
            <tr>
              <th scope="col">{t("tasks.task")}</th>
              <th scope="col">{t("requests.status")}</th>
              <th scope="col">{t("tasks.due")}</th>
              <th scope="col">{t("tasks.request")}</th>
              <th scope="col">{t("tasks.actions")}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((task) => (
              <tr key={task.ticket_id + task.key}>
                <td>{task.name}</td>
                <td>{word(t, "task", task.state)}</td>
                <td>{task.due_at ? dateTime(task.due_at) : "—"}</td>
                <td>
                  <Link to={`/requests/${task.ticket_id}`}>{t("tasks.open")}</Link>
                </td>
                <td className="buttons">
                  {task.state === "open" && (
                    <Button className="react-aria-Button secondary" onPress={() => void move(task, "in_progress")}>
                      {t("tasks.start")}
                    </Button>
                  )}{" "}
                  <Button onPress={() => void move(task, "done")} aria-label={t("tasks.finishNamed", { name: task.name })}>
                    {t("tasks.finish")}
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {hasMore && <Button onPress={() => void more()}>{t("requests.more")}</Button>}
    </main>
  );
}
