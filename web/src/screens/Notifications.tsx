import { useCallback, useEffect, useState } from "react";
import { Button } from "react-aria-components";
import { markAllRead, markRead, notificationsPage, notificationsRead, ticketPath, unreadCount, type Notification, type User } from "../api";
import { useLocale, word } from "../i18n";
import { Failure, Loading } from "../components/Status";
import { errorText, usePaged } from "../paged";
import { navigate } from "../router";
import { useStreamBurst } from "../stream";

// How many notifications wait unread: read at once, again after every burst of live changes
// and whenever some are marked read.
export function useUnread(): number | null {
  const [count, setCount] = useState<number | null>(null);
  const read = useCallback(() => {
    unreadCount()
      .then(setCount)
      .catch(() => setCount(null));
  }, []);
  useEffect(() => {
    read();
    addEventListener(notificationsRead, read);
    return () => removeEventListener(notificationsRead, read);
  }, [read]);
  useStreamBurst(read, 500);
  return count;
}

// DESK-4, REL-5: the notification centre — newest first, the unread ones marked; opening one
// marks it read and goes to its ticket or onboarding plan.
export function Notifications({ user }: { user: User }) {
  const { t, dateTime } = useLocale();
  const fetchPage = useCallback((cursor: string | null) => notificationsPage(cursor), []);
  const { items, error, hasMore, more, reload } = usePaged<Notification>(fetchPage);
  const [failed, setFailed] = useState<string | null>(null);
  useStreamBurst(() => void reload(), 500);

  async function open(n: Notification) {
    if (!n.read) await markRead(n.id).catch(() => {});
    if (n.plan_id) navigate(`/plans/${encodeURIComponent(n.plan_id)}`);
    else if (n.requirement_id) navigate("/requirements");
    else if (n.topic_id) navigate(`/community/topics/${encodeURIComponent(n.topic_id)}`);
    else if (n.broadcast_id) navigate("/news");
    else if (n.feedback_id) navigate("/you-said");
    else if (n.booking_id) navigate("/bookings");
    else if (n.ticket_id) navigate(ticketPath(user, n.ticket_id));
  }
  return (
    <main id="main">
      <h1>{t("notifications.title")}</h1>
      <Failure message={error ?? failed} />
      {!items && !error && <Loading />}
      {items && items.length === 0 && <p>{t("notifications.empty")}</p>}
      {items && items.some((n) => !n.read) && (
        <Button className="react-aria-Button secondary-plain" onPress={() =>
            void markAllRead()
              .then(() => setFailed(null))
              .catch((e) => setFailed(errorText(e)))
              .finally(() => void reload())
          }>
          {t("notifications.readAll")}
        </Button>
      )}
      {items && items.length > 0 && (
        <ul className="notifications">
          {items.map((n) => (
            <li key={n.id} className={n.read ? "read" : "unread"}>
              <p>
                {!n.read && <span className="badge unread-tag">{t("notifications.unread")}</span>}{" "}
                <strong>{word(t, "notice", n.kind)}</strong> · <time dateTime={n.created_at}>{dateTime(n.created_at)}</time>
              </p>
              <p>{n.summary}</p>
              <Button className="react-aria-Button small" onPress={() => void open(n)}>
                {t("notifications.open")}
              </Button>
            </li>
          ))}
        </ul>
      )}
      {hasMore && <Button onPress={() => void more()}>{t("notifications.more")}</Button>}
    </main>
  );
}
