import { useCallback, useEffect, useState } from "react";
import { Button, GridList, GridListItem } from "react-aria-components";
import { queues, queueTickets, search, type DeskTicket, type Queue, type SearchHit } from "../api";
import { SlaBadges } from "../components/SlaBadges";
import { useLocale, word } from "../i18n";
import { errorText, usePaged } from "../paged";
import { Failure, Loading } from "../components/Status";
import { Link, navigate } from "../router";
import { useStreamBurst } from "../stream";

// DESK-9 (agent workspace): the queues an agent works from with their counts, and the chosen
// queue's tickets in its sort — arrow keys move through the list, Enter opens a ticket. Both
// follow other agents' changes live.
export function Desk({ queueId }: { queueId: string | null }) {
  const { t } = useLocale();
  const [all, setAll] = useState<Queue[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const readQueues = useCallback(
    () =>
      queues()
        .then((p) => {
          setAll(p.items);
          setError(null);
        })
        .catch((e) => setError(errorText(e))),
    [],
  );
  useEffect(() => {
    void readQueues();
  }, [readQueues]);
  const live = useStreamBurst(() => void readQueues());
  // Back at the desk, the agent finds the queue they left.
  const wanted = queueId ?? sessionStorage.getItem("tandem.queue");
  const chosen = all?.find((q) => q.id === wanted) ?? all?.[0] ?? null;
  useEffect(() => {
    if (chosen) sessionStorage.setItem("tandem.queue", chosen.id);
  }, [chosen]);
  const [query, setQuery] = useState<string | null>(null);

  return (
    <main id="main" className="desk">
      <div className="desk-head">
        <h1>{t("desk.title")}</h1>
        <p role="status" className={live ? "live on" : "live"}>
          {live ? t("desk.live") : t("desk.offline")}
        </p>
      </div>
      <Failure message={error} />
      {!all && !error && <Loading />}
      {all && all.length === 0 && <p>{t("desk.noQueues")}</p>}
      <form
        role="search"
        className="desk-search"
        onSubmit={(e) => {
          e.preventDefault();
          const q = String(new FormData(e.currentTarget).get("q") ?? "").trim();
          setQuery(q || null);
        }}
      >
        <label htmlFor="desk-q">{t("desk.search")}</label>
        <input id="desk-q" name="q" type="search" defaultValue={query ?? ""} />
        <Button type="submit">{t("desk.searchGo")}</Button>
      </form>
      {query && <SearchResults key={query} query={query} onClear={() => setQuery(null)} />}
      {!query && all && chosen && (
        <div className="desk-grid">
          <nav aria-label={t("desk.queues")}>
            <ul className="queues">
              {all.map((q) => (
                <li key={q.id}>
                  <Link to={`/desk/queues/${q.id}`} aria-current={q.id === chosen.id ? "page" : undefined}>
                    <span>{q.name}</span>{" "}
                    <span className="count" aria-label={t("desk.count", { n: String(q.count) })}>
                      {q.count}
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          <QueueTickets key={chosen.id} queue={chosen} />
        </div>
      )}
    </main>
  );
}

function QueueTickets({ queue }: { queue: Queue }) {
  const { t } = useLocale();
  const fetchPage = useCallback((cursor: string | null) => queueTickets(queue.id, cursor), [queue.id]);
  const { items, error, hasMore, more, reload } = usePaged<DeskTicket>(fetchPage);
  useStreamBurst(() => void reload());
  return (
    <section aria-labelledby="queue-name" className="queue">
      <h2 id="queue-name">{queue.name}</h2>
      <p className="help">{t("desk.keys")}</p>
      <Failure message={error} />
      {items && <TicketGrid labelledBy="queue-name" tickets={items} empty={t("desk.empty")} />}
      {hasMore && <Button onPress={() => void more()}>{t("desk.more")}</Button>}
    </section>
  );
}

// One box over every ticket and comment the agent may see, Chinese and English, best first.
function SearchResults({ query, onClear }: { query: string; onClear: () => void }) {
  const { t } = useLocale();
  const fetchPage = useCallback((cursor: string | null) => search(query, cursor), [query]);
  const { items, error, hasMore, more } = usePaged<SearchHit>(fetchPage);
  return (
    <section aria-labelledby="search-title" className="queue">
      <h2 id="search-title">{t("desk.results", { q: query })}</h2>
      <Button className="react-aria-Button secondary-plain" onPress={onClear}>
        {t("desk.backToQueues")}
      </Button>
      <Failure message={error} />
      {!items && !error && <Loading />}
      {items && <TicketGrid labelledBy="search-title" tickets={items} empty={t("desk.noResults")} />}
      {hasMore && <Button onPress={() => void more()}>{t("desk.more")}</Button>}
    </section>
  );
}

// Tickets as a grid the arrow keys move through; Enter or a click opens one at the desk.
function TicketGrid(props: { labelledBy: string; tickets: (SearchHit & { sla?: DeskTicket["sla"] })[]; empty: string }) {
  const { t, dateTime } = useLocale();
  return (
    <GridList
      aria-labelledby={props.labelledBy}
      className="tickets"
      items={props.tickets}
      onAction={(key) => navigate(`/desk/tickets/${String(key)}`)}
      renderEmptyState={() => <p>{props.empty}</p>}
    >
      {(tk) => (
        <GridListItem id={tk.id} textValue={`#${tk.number} ${tk.subject}`} className={`ticket-row priority-${tk.priority}`}>
          <span className="number">#{tk.number}</span>
          <span className="subject">{tk.subject}</span>
          <span className="badge">{word(t, "priority", tk.priority)}</span>
          <span>{word(t, "status", tk.status)}</span>
          <span>{word(t, "type", tk.type)}</span>
          {tk.sla !== undefined && <SlaBadges sla={tk.sla} />}
          <span className="updated">{dateTime(tk.updated_at)}</span>
        </GridListItem>
      )}
    </GridList>
  );
}
