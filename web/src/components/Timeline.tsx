import { useEffect, useState } from "react";
import { personName, type TicketEvent, type User } from "../api";
import { useLocale, word } from "../i18n";

// The channels' signs: decorative only, the channel's name is written beside them.
const channelSigns: Record<string, string> = {
  portal: "⌂",
  email: "✉",
  chat: "✎",
  phone: "☎",
  messaging: "✆",
  api: "⚙",
  monitoring: "⚠",
};

// Everything that happened to a ticket, oldest first (DESK-1, REL-1): replies, internal notes
// set apart so no one mistakes one for a reply, logged calls, status changes with their
// reasons, and what the desk's rules did. Consumers are sent only the public events.
export function Timeline({ events, user }: { events: TicketEvent[]; user: User }) {
  const { t } = useLocale();
  const names = useNames(events.flatMap((e) => [e.actor_id, ...people(e)]));
  const actor = (id: string) =>
    id === user.id ? t("timeline.you") : !id || id === "system" ? t("timeline.system") : (names[id] ?? t("timeline.desk"));
  return (
    <ol className="timeline">
      {events.map((e) => (
        <li key={e.id} className={`event ${e.public ? "public" : "internal"} kind-${e.kind}`}>
          <p className="event-head">
            <span className="channel">
              <span aria-hidden="true">{channelSigns[e.channel] ?? "•"}</span> {word(t, "channel", e.channel)}
            </span>{" "}
            <strong>{actor(e.actor_id)}</strong> · {word(t, "event", e.kind)}
            {!e.public && <span className="internal-tag">{t("timeline.internal")}</span>} ·{" "}
            <EventTime iso={e.created_at} />
          </p>
          <EventBody event={e} names={names} />
        </li>
      ))}
    </ol>
  );
}

function EventTime({ iso }: { iso: string }) {
  const { dateTime } = useLocale();
  return <time dateTime={iso}>{dateTime(iso)}</time>;
}

interface Change {
  field: string;
  from: unknown;
  to: unknown;
}
// OFF-1: a ticket handed over when its person left is shown as the change of person it is.
const changesOf = (e: TicketEvent): Change[] =>
  (e.kind === "fields_changed" || e.kind === "handed_over") && Array.isArray(e.data.changes) ? e.data.changes : [];
const namesPeople = (field: string) => ["assignee_id", "watchers", "requester_id", "on_behalf_of"].includes(field);
// The people a change names (an assignee, watchers), whose names the timeline shows.
const people = (e: TicketEvent): string[] =>
  changesOf(e)
    .filter((c) => namesPeople(c.field))
    .flatMap((c) => [c.from, c.to].flat())
    .filter((v): v is string => typeof v === "string");

function EventBody({ event: e, names }: { event: TicketEvent; names: Record<string, string> }) {
  const { t } = useLocale();
  const text = e.body ? <p className="event-body">{e.body}</p> : null;
  if (e.kind === "fields_changed" || e.kind === "handed_over") {
    const shown = (c: Change, v: unknown): string => {
      if (v === null || v === undefined || v === "") return "—";
      if (Array.isArray(v)) return v.length ? v.map((x) => shown(c, x)).join(", ") : "—";
      if (typeof v === "boolean") return t(v ? "timeline.yes" : "timeline.no");
      if (namesPeople(c.field)) return names[String(v)] ?? t("timeline.someone");
      if (c.field === "priority" || c.field === "impact" || c.field === "urgency") return word(t, "priority", String(v));
      if (c.field === "team_id" || c.field === "service_id") return t("timeline.changed");
      return String(v);
    };
    return (
      <ul className="changes">
        {changesOf(e).map((c) => (
          <li key={c.field}>
            {word(t, "field", c.field)}: {shown(c, c.from)} → {shown(c, c.to)}
          </li>
        ))}
      </ul>
    );
  }
  if (e.kind === "status_changed")
    return (
      <>
        <p>
          {word(t, "status", String(e.data.from ?? ""))} → {word(t, "status", String(e.data.to ?? ""))}
        </p>
        {text}
      </>
    );
  // REL-1: a mail that may not act — a stranger's, a machine's — says who sent it and why it
  // changed nothing.
  if (e.kind === "message")
    return (
      <>
        <p className="flagged">
          {t("timeline.message.flagged", { from: String(e.data.from ?? ""), reason: String(e.data.flagged ?? "") })}
        </p>
        {text}
        <Folded event={e} />
      </>
    );
  if (e.kind === "comment" && typeof e.data.folded === "string")
    return (
      <>
        {text}
        <Folded event={e} />
      </>
    );
  if (e.kind === "call") {
    const minutes = Math.round(Number(e.data.duration_seconds ?? 0) / 60);
    return (
      <>
        <p>{t(e.data.direction === "outbound" ? "timeline.call.outbound" : "timeline.call.inbound", { minutes: String(minutes) })}</p>
        {text}
      </>
    );
  }
  return text;
}

// What a mail quoted or signed off with, folded away until asked for.
function Folded({ event: e }: { event: TicketEvent }) {
  const { t } = useLocale();
  if (typeof e.data.folded !== "string" || !e.data.folded) return null;
  return (
    <details className="folded">
      <summary>{t("timeline.folded")}</summary>
      <pre>{e.data.folded}</pre>
    </details>
  );
}

// The names of the people behind `ids`, as they arrive.
function useNames(ids: string[]): Record<string, string> {
  const [known, setKnown] = useState<Record<string, string>>({});
  const wanted = [...new Set(ids)].filter((id) => id && id !== "system").sort().join(",");
  useEffect(() => {
    let current = true;
    for (const id of wanted ? wanted.split(",") : [])
      void personName(id).then((name) => {
        if (current && name) setKnown((k) => (k[id] === name ? k : { ...k, [id]: name }));
      });
    return () => {
      current = false;
    };
  }, [wanted]);
  return known;
}
