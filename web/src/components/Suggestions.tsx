import { useEffect, useState } from "react";
import { Button } from "react-aria-components";
import { api, articlePath, suggestions, type Article, type FoundItem } from "../api";
import { useLocale } from "../i18n";

// REL-2: what the knowledge base may already answer, shown while a ticket is written. Opening
// one shows it in place (the form keeps what was typed); "this answered it" — or leaving the
// page without sending after opening one — counts a deflection for the service.
export function Suggestions(props: { query: string; serviceId: string | null; onOpened: (id: string | null) => void; onSolved: () => void }) {
  const { t } = useLocale();
  const [hits, setHits] = useState<FoundItem[]>([]);
  const [open, setOpen] = useState<Article | null>(null);
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
  async function show(id: string) {
    try {
      setOpen(await api<Article>("GET", articlePath(id)));
      props.onOpened(id);
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
            <Button className="link" aria-expanded={open?.id === h.id} onPress={() => void (open?.id === h.id ? setOpen(null) : show(h.id))}>
              {h.title}
            </Button>
          </li>
        ))}
      </ul>
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
