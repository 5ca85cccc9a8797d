import { useCallback, useEffect, useState, type FormEvent } from "react";
import { Button } from "react-aria-components";
import { deskTicket, link, links, patchTicket, search, type DeskTicket, type SearchHit, type TicketLink } from "../api";
import { useLocale, word } from "../i18n";
import { errorText } from "../paged";
import { Link } from "../router";

// DESK-7 (agent workspace): a ticket's links — the major incident it belongs to, the tickets a
// major incident gathers, related ones — marking a ticket a major incident, and linking it to
// another found by its words. A major incident's public replies reach every linked requester.
export function Links({ ticket, onChanged }: { ticket: DeskTicket; onChanged: () => Promise<void> }) {
  const { t } = useLocale();
  const [shown, setShown] = useState<{ link: TicketLink; other: DeskTicket | null }[]>([]);
  const [hits, setHits] = useState<SearchHit[] | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const read = useCallback(async () => {
    const page = await links(ticket.id);
    setShown(await Promise.all(page.items.map(async (l) => ({ link: l, other: await deskTicket(l.other_id).catch(() => null) }))));
  }, [ticket.id]);
  useEffect(() => {
    void read().catch(() => setShown([]));
  }, [read]);

  async function find(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const q = String(new FormData(e.currentTarget).get("q") ?? "").trim();
    if (!q) return;
    const page = await search(q, null).catch(() => ({ items: [] as SearchHit[] }));
    setHits(page.items.filter((h) => h.id !== ticket.id).slice(0, 10));
  }
  async function act(what: () => Promise<unknown>, done: string) {
    try {
      await what();
      setNotice(done);
      setHits(null);
      await read();
      await onChanged();
    } catch (err) {
      setNotice(errorText(err));
    }
  }
  return (
    <section aria-labelledby="links" className="links">
      <h2 id="links">{t("links.title")}</h2>
      <p>
        {ticket.major_incident ? (
          <strong className="badge major">{t("links.isMajor")}</strong>
        ) : (
          <Button
            className="react-aria-Button secondary-plain"
            onPress={() => void act(() => patchTicket(ticket, { major_incident: true }), t("links.markedMajor"))}
          >
            {t("links.markMajor")}
          </Button>
        )}
      </p>
      {shown.length === 0 ? (
        <p>{t("links.none")}</p>
      ) : (
        <ul>
          {shown.map(({ link: l, other }) => (
            <li key={`${l.kind}-${l.other_id}`}>
              {word(t, "linkKind", l.kind)}:{" "}
              <Link to={`/desk/tickets/${l.other_id}`}>{other ? `#${other.number} ${other.subject}` : l.other_id}</Link>
              {other && <> — {word(t, "status", other.status)}</>}
            </li>
          ))}
        </ul>
      )}
      <form role="search" className="desk-search" onSubmit={(e) => void find(e)}>
        <label htmlFor="link-q">{t("links.find")}</label>
        <input id="link-q" name="q" type="search" />
        <Button type="submit">{t("desk.searchGo")}</Button>
      </form>
      {hits && hits.length === 0 && <p>{t("desk.noResults")}</p>}
      {hits && hits.length > 0 && (
        <ul className="link-hits">
          {hits.map((h) => (
            <li key={h.id}>
              #{h.number} {h.subject} ({word(t, "status", h.status)}){" "}
              <Button className="react-aria-Button small" onPress={() => void act(() => link(ticket.id, h.id, "parent"), t("links.linked"))}>
                {t("links.asParent", { number: String(h.number) })}
              </Button>{" "}
              <Button
                className="react-aria-Button small secondary-plain"
                onPress={() => void act(() => link(ticket.id, h.id, "related"), t("links.linked"))}
              >
                {t("links.asRelated", { number: String(h.number) })}
              </Button>
            </li>
          ))}
        </ul>
      )}
      {notice && (
        <p role="status" className="notice">
          {notice}
        </p>
      )}
    </section>
  );
}
