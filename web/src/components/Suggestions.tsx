import { useEffect, useState } from "react";
import { Button } from "react-aria-components";
import { api, articlePath, suggestions, type Article, type FoundItem } from "../api";
import { useLocale } from "../i18n";

// REL-2: what the knowledge base may already answer, shown while a ticket is written. Opening
// one shows it in place (the form keeps what was typed); "this answered it" — or leaving the
// page without sending after opening one — counts a deflection for the service.
export function Suggestions(props: { query: string; serviceId: string | null; onOpened: (opened: { kind: "article" | "answer"; id: string }) => void; onSolved: () => void }) {
  const { t } = useLocale();
  const [hits, setHits] = useState<FoundItem[]>([]);
  const [open, setOpen] = useState<Article | null>(null);
  const [answer, setAnswer] = useState<FoundItem | null>(null);
  useEffect(() => {
    const q = props.query.trim();
    if (q.length < 2) {
      setHits([]);
      return;
    }
    const abort = new AbortController();
    // Asked a moment after typing stops, not at every key.
    const timer = setTimeout(() => {
      suggestions(q, props.serviceId, abort.signal)
        .then((page) => setHits(page.items))
        .catch(() => undefined);
    }, 250);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [props.query, props.serviceId]);
  async function show(hit: FoundItem) {
    // An accepted answer from the community shows as found, with its discussion a link away.
    if (hit.kind === "answer") {
      setOpen(null);
      setAnswer(hit);
      props.onOpened({ kind: "answer", id: hit.id });
      return;
    }
    try {
      setAnswer(null);
      setOpen(await api<Article>("GET", articlePath(hit.id)));
      props.onOpened({ kind: "article", id: hit.id });
    } catch {
      setOpen(null);
    }
  }
  if (hits.length === 0) return null;
  return (
    <section aria-labelledby="suggest-title" className="suggestions">
      <h2 id="suggest-title">{t("suggest.title")}</h2>
      <ul>
        {hits.map((h) => (
          <li key={h.id}>
            <Button
              className="link"
              aria-expanded={open?.id === h.id || answer?.id === h.id}
              onPress={() => void (open?.id === h.id || answer?.id === h.id ? (setOpen(null), setAnswer(null)) : show(h))}
            >
              {h.title}
            </Button>
          </li>
        ))}
      </ul>
      {answer && (
        <article aria-label={answer.title} lang={answer.language} className="suggested">
          <h3>
            {answer.title} <span className="badge ok">{t("kb.kind.answer")}</span>
          </h3>
          <p>
            {(answer.highlight ?? []).map((p, i) => (p.mark ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
          </p>
          {answer.topic_id && (
            <p>
              <a href={`/community/topics/${encodeURIComponent(answer.topic_id)}`} target="_blank" rel="noopener">
                {t("suggest.discussion")}
              </a>
            </p>
          )}
          <Button onPress={props.onSolved}>{t("suggest.solved")}</Button>
        </article>
      )}
      {open && (
        <article aria-label={open.title} lang={open.language} className="suggested">
          <h3>{open.title}</h3>
          {/* Sanitised by the server (KB-1). */}
          <div className="article-body" dangerouslySetInnerHTML={{ __html: open.body_html ?? "" }} />
          <Button onPress={props.onSolved}>{t("suggest.solved")}</Button>
        </article>
      )}
    </section>
  );
}
