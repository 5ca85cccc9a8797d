import { useCallback, useEffect, useState } from "react";
import { Button } from "react-aria-components";
import { api, personName, type Page } from "../api";
import { Failure, Loading } from "../components/Status";
import { useLocale } from "../i18n";
import { usePaged } from "../paged";
import type { Option } from "./fields";
import { nameIn } from "./lookups";

// OPS-2 (admin §5): the audit log, newest first — who did what to which record, when, and the
// hash that chains each entry to the one before (`tandem audit verify` checks the chain).
interface AuditEntry {
  id: string;
  seq: number;
  at: string;
  action: string;
  actor_id: string;
  organization_id: string;
  target_type: string;
  target_id: string;
  hash: string;
  prev_hash: string;
}

const filterKeys = ["action", "actor_id", "target_type", "target_id", "organization_id", "since", "until"] as const;
type Filter = Partial<Record<(typeof filterKeys)[number], string>>;

// A day picked in the form is a whole day in UTC: since its start, until its end.
function query(filter: Filter): string {
  const q = new URLSearchParams();
  for (const k of filterKeys) {
    const v = filter[k];
    if (!v) continue;
    if (k === "since") q.set(k, `${v}T00:00:00Z`);
    else if (k === "until") q.set(k, `${v}T23:59:59.999Z`);
    else q.set(k, v);
  }
  return q.toString();
}

export function AuditLog({ people, organizations }: { people: Option[]; organizations: Option[] }) {
  const { t } = useLocale();
  const [filter, setFilter] = useState<Filter>({});
  const q = query(filter);

  return (
    <section aria-labelledby="audit-title" className="resource">
      <h1 id="audit-title">{t("audit.title")}</h1>
      <p className="lead">{t("audit.lead")}</p>
      <form
        className="filters"
        role="search"
        aria-label={t("audit.filter")}
        onSubmit={(e) => {
          e.preventDefault();
          const data = new FormData(e.currentTarget);
          setFilter(Object.fromEntries(filterKeys.map((k) => [k, String(data.get(k) ?? "").trim()])));
        }}
      >
        <div className="field">
          <label htmlFor="audit-action">{t("audit.action")}</label>
          <input id="audit-action" name="action" placeholder="ticket.update" />
        </div>
        <div className="field">
          <label htmlFor="audit-actor">{t("audit.actor")}</label>
          <select id="audit-actor" name="actor_id" defaultValue="">
            <option value="">{t("audit.anyone")}</option>
            {people.map((p) => (
              <option key={p.value} value={p.value}>
                {p.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-organization">{t("admin.organization")}</label>
          <select id="audit-organization" name="organization_id" defaultValue="">
            <option value="">{t("audit.anyOrganization")}</option>
            {organizations.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-target-type">{t("audit.targetType")}</label>
          <input id="audit-target-type" name="target_type" placeholder="ticket" />
        </div>
        <div className="field">
          <label htmlFor="audit-target">{t("audit.target")}</label>
          <input id="audit-target" name="target_id" />
        </div>
        <div className="field">
          <label htmlFor="audit-since">{t("audit.since")}</label>
          <input id="audit-since" name="since" type="date" />
        </div>
        <div className="field">
          <label htmlFor="audit-until">{t("audit.until")}</label>
          <input id="audit-until" name="until" type="date" />
        </div>
        <Button type="submit">{t("audit.apply")}</Button>
      </form>
      {/* A new filter starts a new list: the old entries never stand for the filtered ones. */}
      <Entries key={q} query={q} people={people} organizations={organizations} />
    </section>
  );
}

function Entries({ query, people, organizations }: { query: string; people: Option[]; organizations: Option[] }) {
  const { t, dateTime } = useLocale();
  const fetchPage = useCallback(
    (cursor: string | null): Promise<Page<AuditEntry>> =>
      api("GET", `/api/v1/audit?limit=100${query ? `&${query}` : ""}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`),
    [query],
  );
  const { items, error, hasMore, more } = usePaged(fetchPage);
  return (
    <>
      <Failure message={error} />
      {!items && !error && <Loading />}
      {items && items.length === 0 && <p>{t("audit.empty")}</p>}
      {items && items.length > 0 && (
        <div className="table-scroll">
          <table className="list">
            <caption className="visually-hidden">{t("audit.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("audit.seq")}</th>
                <th scope="col">{t("audit.when")}</th>
                <th scope="col">{t("audit.actor")}</th>
                <th scope="col">{t("audit.action")}</th>
                <th scope="col">{t("audit.target")}</th>
                <th scope="col">{t("admin.organization")}</th>
                <th scope="col">{t("audit.hash")}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((a) => (
                <tr key={a.id}>
                  <th scope="row">{a.seq}</th>
                  <td>{dateTime(a.at)}</td>
                  <td>{a.actor_id ? <PersonName id={a.actor_id} known={people} /> : t("audit.system")}</td>
                  <td>
                    <code>{a.action}</code>
                  </td>
                  <td>
                    {a.target_type} <code>{a.target_id}</code>
                  </td>
                  <td>{a.organization_id ? nameIn(organizations, a.organization_id) : "—"}</td>
                  <td>
                    <code title={a.hash}>{a.hash.slice(0, 12)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {hasMore && <Button onPress={() => void more()}>{t("admin.more")}</Button>}
    </>
  );
}

// A person's name: at once for the staff already known, else once read; the id while reading or
// when it cannot be read.
function PersonName({ id, known }: { id: string; known: Option[] }) {
  const [name, setName] = useState<string | null>(known.find((p) => p.value === id)?.label ?? null);
  useEffect(() => {
    if (name !== null) return;
    let current = true;
    void personName(id).then((n) => current && setName(n));
    return () => {
      current = false;
    };
  }, [id, name]);
  return <>{name ?? id}</>;
}
