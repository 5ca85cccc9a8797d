import { useCallback, useEffect, useRef, useState } from "react";
import { Button, GridList, GridListItem } from "react-aria-components";
import { queues, queueTickets, search, type DeskTicket, type Queue, type SearchHit } from "../api";
import { SlaBadges } from "../components/SlaBadges";
import { useLocale, word } from "../i18n";
import { usePaged } from "../paged";
import { Link, navigate } from "../router";
import { useStream } from "../stream";

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
        .catch((e) => setError(e instanceof Error ? e.message : String(e))),
    [],
  );
  useEffect(() => {
    void readQueues();
  }, [readQueues]);
  // Back at the desk, the agent finds the queue they left.
  const wanted = queueId ?? sessionStorage.getItem("tandem.queue");
  const chosen = all?.find((q) => q.id === wanted) ?? all?.[0] ?? null;
  useEffect(() => {
    if (chosen) sessionStorage.setItem("tandem.queue", chosen.id);
  }, [chosen]);
  const [query, setQuery] = useState<string | null>(null);

  const reloadList = useRef<() => void>(() => {});
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  const live = useStream(() => {
    // Changes come in bursts (a bulk update, a busy morning): one refresh for each burst.
    if (pending.current) return;
    pending.current = setTimeout(() => {
      pending.current = null;
      void readQueues();
      reloadList.current();
    }, 300);
  });
  useEffect(() => () => void (pending.current && clearTimeout(pending.current)), []);

  return (
    <main id="main" className="desk">
      <div className="desk-head">
        <h1>{t("desk.title")}</h1>
        <p role="status" className={live ? "live on" : "live"}>
          {live ? t("desk.live") : t("desk.offline")}
        </p>
      </div>
      {error && (
        <p role="alert" className="error">
          {t("app.error", { message: error })}
        </p>
      )}
      {!all && !error && <p aria-live="polite">{t("app.loading")}</p>}
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
          <QueueTickets key={chosen.id} queue={chosen} onReload={(r) => (reloadList.current = r)} />
        </div>
      )}
    </main>
  );
}

function QueueTickets({ queue, onReload }: { queue: Queue; onReload: (reload: () => void) => void }) {
  const { t, dateTime } = useLocale();
  const fetchPage = useCallback((cursor: string | null) => queueTickets(queue.id, cursor), [queue.id]);
  const { items, error, hasMore, more, reload } = usePaged<DeskTicket>(fetchPage);
  useEffect(() => onReload(reload), [onReload, reload]);
  return (
    <section aria-labelledby="queue-name" className="queue">
      <h2 id="queue-name">{queue.name}</h2>
      <p className="help">{t("desk.keys")}</p>
      {error && (
        <p role="alert" className="error">
          {t("app.error", { message: error })}
        </p>
      )}
      {items && (
        <GridList
          aria-labelledby="queue-name"
          className="tickets"
          items={items}
          onAction={(key) => navigate(`/desk/tickets/${String(key)}`)}
          renderEmptyState={() => <p>{t("desk.empty")}</p>}
        >
          {(tk) => (
            <GridListItem id={tk.id} textValue={`#${tk.number} ${tk.subject}`} className={`ticket-row priority-${tk.priority}`}>
              <span className="number">#{tk.number}</span>
              <span className="subject">{tk.subject}</span>
              <span className="badge">{word(t, "priority", tk.priority)}</span>
              <span>{word(t, "status", tk.status)}</span>
              <span>{word(t, "type", tk.type)}</span>
              <SlaBadges sla={tk.sla} />
              <span className="updated">{dateTime(tk.updated_at)}</span>
            </GridListItem>
          )}
        </GridList>
      )}
      {hasMore && <Button onPress={() => void more()}>{t("desk.more")}</Button>}
    </section>
  );
}

// One box over every ticket and comment the agent may see, Chinese and English, best first.
function SearchResults({ query, onClear }: { query: string; onClear: () => void }) {
  const { t, dateTime } = useLocale();
  const fetchPage = useCallback((cursor: string | null) => search(query, cursor), [query]);
  const { items, error, hasMore, more } = usePaged<SearchHit>(fetchPage);
  return (
    <section aria-labelledby="search-title" className="queue">
      <h2 id="search-title">{t("desk.results", { q: query })}</h2>
      <Button className="react-aria-Button secondary-plain" onPress={onClear}>
        {t("desk.backToQueues")}
      </Button>
      {error && (
        <p role="alert" className="error">
          {t("app.error", { message: error })}
        </p>
      )}
      {!items && !error && <p aria-live="polite">{t("app.loading")}</p>}
      {items && (
        <GridList
          aria-labelledby="search-title"
          className="tickets"
          items={items}
          onAction={(key) => navigate(`/desk/tickets/${String(key)}`)}
          renderEmptyState={() => <p>{t("desk.noResults")}</p>}
        >
          {(hit) => (
            <GridListItem id={hit.id} textValue={`#${hit.number} ${hit.subject}`} className={`ticket-row priority-${hit.priority}`}>
              <span className="number">#{hit.number}</span>
              <span className="subject">{hit.subject}</span>
              <span className="badge">{word(t, "priority", hit.priority)}</span>
              <span>{word(t, "status", hit.status)}</span>
              <span>{word(t, "type", hit.type)}</span>
              <span className="updated">{dateTime(hit.updated_at)}</span>
            </GridListItem>
          )}
        </GridList>
      )}
      {hasMore && <Button onPress={() => void more()}>{t("desk.more")}</Button>}
    </section>
  );
}
