import { useEffect, useState } from "react";
import { api, type Page } from "../api";
import { Failure, Loading } from "../components/Status";
import { useLocale, word } from "../i18n";
import { errorText } from "../paged";

// OPS-1 (issue "Web UI" §6): the first dashboard — how many tickets came in, of which kind and by
// which channel, day by day; how often the agreed times were kept; and how old the open tickets
// are. Staff see every organisation, a customer its own (the reports scope it). Each chart is a
// table underneath, so a screen reader reads the same numbers the bars show.
interface VolumeGroup {
  key: string;
  tickets: number;
  open: number;
}
interface Volume {
  from: string;
  to: string;
  groups: VolumeGroup[];
  total: { tickets: number; open: number };
  days: { day: string; tickets: number }[];
}
interface Attainment {
  met: number;
  breached: number;
  open: number;
  attainment: number | null;
}
interface SlaGroup {
  key: string;
  name: string;
  tickets: number;
  targets: Record<string, Attainment>;
}
interface SlaReport {
  groups: SlaGroup[];
  total: SlaGroup;
}
interface BacklogGroup {
  key: string;
  open: number;
  by_age: Record<string, number>;
  oldest: string | null;
}
interface Backlog {
  as_of: string;
  buckets: string[];
  groups: BacklogGroup[];
  total: BacklogGroup;
}
interface Deflections {
  services: { service_id: string | null; deflections: number; tickets: number; rate: number }[];
  total: { deflections: number; tickets: number; rate: number };
}
interface Satisfaction {
  groups: { key: string; name: string; responses: number; csat: number | null; mean: number | null }[];
  total: { responses: number; csat: number | null; mean: number | null };
  days: { day: string; responses: number; csat: number | null }[];
}
interface Reports {
  period: string;
  satisfaction: Satisfaction;
  byType: Volume;
  byChannel: Volume;
  sla: SlaReport;
  backlog: Backlog;
  deflections: Deflections;
  vulnerable: Vulnerable;
  touchpoints: Touchpoints;
  serviceNames: Record<string, string>;
}
// DESK-8: the touchpoints that make or break the experience, ranked by their swing.
interface Touchpoints {
  touchpoints: { touchpoint: string; ratings: number; swing: number | null }[];
}
// REL-6: how fast the tickets of people with a vulnerability flag were resolved, per organisation.
interface Vulnerable {
  organizations: { organization_id: string; organization: string; tickets: number; median_resolution_hours: number | null; all_mean_resolution_hours: number | null }[];
}

const periods = [7, 30, 90] as const;

async function readReports(days: number, language: string): Promise<Reports> {
  const to = new Date();
  const from = new Date(to.getTime() - days * 86_400_000);
  const period = `from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`;
  const [byType, byChannel, sla, backlog, deflections, services, satisfaction, vulnerable, touchpoints] = await Promise.all([
    api<Volume>("GET", `/api/v1/reports/volume?${period}&group_by=type`),
    api<Volume>("GET", `/api/v1/reports/volume?${period}&group_by=channel`),
    api<SlaReport>("GET", `/api/v1/reports/sla?${period}&group_by=type`),
    api<Backlog>("GET", "/api/v1/reports/backlog?group_by=type"),
    api<Deflections>("GET", `/api/v1/reports/deflection?${period}`),
    api<Page<{ id: string; name: string | Record<string, string> }>>("GET", "/api/v1/services?limit=500").catch(() => ({ items: [], next_cursor: null })),
    api<Satisfaction>("GET", `/api/v1/reports/satisfaction?${period}&group_by=service`),
    api<Vulnerable>("GET", `/api/v1/reports/vulnerable?${period}`),
    api<Touchpoints>("GET", `/api/v1/reports/touchpoints?${period}`),
  ]);
  const serviceNames = Object.fromEntries(
    services.items.map((s) => [s.id, typeof s.name === "string" ? s.name : (s.name[language] ?? Object.values(s.name)[0] ?? s.id)]),
  );
  return { period, satisfaction, byType, byChannel, sla, backlog, deflections, vulnerable, touchpoints, serviceNames };
}

export function Dashboard() {
  const { t, language } = useLocale();
  const [days, setDays] = useState<number>(30);
  const [reports, setReports] = useState<Reports | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  useEffect(() => {
    let current = true;
    // The charts of the last period stay while the next is read (marked busy), so the page
    // does not jump and an open table of numbers stays open.
    setLoading(true);
    setError(null);
    readReports(days, language)
      .then((r) => {
        if (current) setReports(r);
      })
      .catch((e) => {
        if (current) setError(errorText(e));
      })
      .finally(() => {
        if (current) setLoading(false);
      });
    return () => {
      current = false;
    };
  }, [days, language]);

  return (
    <main id="main" className="dashboard">
      <h1>{t("dashboard.title")}</h1>
      <p className="lead">{t("dashboard.lead")}</p>
      <div className="field period">
        <label htmlFor="dashboard-period">{t("dashboard.period")}</label>
        <select id="dashboard-period" value={days} onChange={(e) => setDays(Number(e.target.value))}>
          {periods.map((d) => (
            <option key={d} value={d}>
              {t("dashboard.lastDays", { n: String(d) })}
            </option>
          ))}
        </select>
      </div>
      <Failure message={error} />
      {loading && <Loading />}
      {reports && (
        <div aria-busy={loading}>
          <Charts reports={reports} />
        </div>
      )}
    </main>
  );
}

function Charts({ reports }: { reports: Reports }) {
  const { t } = useLocale();
  const { byType, byChannel, sla, backlog } = reports;
  const percent = (a: Attainment | undefined) => (a?.attainment == null ? null : Math.round(a.attainment * 100));
  const share = (fraction: number | null) => (fraction == null ? null : Math.round(fraction * 100));
  return (
    <>
      <p className="headline">
        {t("dashboard.headline", { raised: String(byType.total.tickets), open: String(backlog.total.open) })}
      </p>
      <div className="charts">
        <Bars
          caption={t("dashboard.byType")}
          valueLabel={t("dashboard.tickets")}
          rows={byType.groups.map((g) => ({ label: word(t, "type", g.key), value: g.tickets }))}
        />
        <Bars
          caption={t("dashboard.byChannel")}
          valueLabel={t("dashboard.tickets")}
          rows={byChannel.groups.map((g) => ({ label: word(t, "channel", g.key), value: g.tickets }))}
        />
      </div>
      <Days days={byType.days} />
      <div className="charts">
        {(["first_response", "resolution"] as const).map((target) => (
          <Bars
            key={target}
            caption={t("dashboard.attainment", { target: word(t, "target", target) })}
            valueLabel={t("dashboard.kept")}
            max={100}
            unit="%"
            rows={[
              { label: t("dashboard.allTypes"), value: percent(sla.total.targets[target]) },
              ...sla.groups.map((g) => ({ label: word(t, "type", g.key), value: percent(g.targets[target]) })),
            ]}
          />
        ))}
      </div>
      <div className="charts">
        <Bars
          caption={t("dashboard.satisfaction", { n: String(reports.satisfaction.total.responses) })}
          valueLabel={t("dashboard.satisfied")}
          max={100}
          unit="%"
          rows={[
            { label: t("dashboard.allServices"), value: share(reports.satisfaction.total.csat) },
            ...reports.satisfaction.groups.map((g) => ({
              label: g.key === "none" ? t("dashboard.noService") : g.name,
              value: share(g.csat),
            })),
          ]}
        />
      </div>
      <BacklogTable backlog={backlog} />
      <div className="charts">
        <Bars
          caption={t("dashboard.deflection", { n: String(reports.deflections.total.deflections) })}
          valueLabel={t("dashboard.deflection.rate")}
          max={100}
          unit="%"
          rows={[
            { label: t("dashboard.allServices"), value: reports.deflections.total.deflections + reports.deflections.total.tickets ? Math.round(reports.deflections.total.rate * 100) : null },
            ...reports.deflections.services.map((row) => ({
              label: row.service_id ? (reports.serviceNames[row.service_id] ?? row.service_id) : t("dashboard.noService"),
              value: Math.round(row.rate * 100),
            })),
          ]}
        />
      </div>
      <div className="charts">
        <Bars
          caption={t("dashboard.touchpoints")}
          valueLabel={t("dashboard.touchpoints.swing")}
          max={4}
          rows={reports.touchpoints.touchpoints
            .filter((tp) => tp.touchpoint !== "resolution")
            .map((tp) => ({ label: word(t, "touchpoint", tp.touchpoint), value: tp.swing === null ? null : Math.round(tp.swing * 100) / 100 }))}
        />
        <Bars
          caption={t("dashboard.vulnerable")}
          valueLabel={t("dashboard.vulnerable.hours")}
          unit={t("dashboard.hoursUnit")}
          rows={reports.vulnerable.organizations.flatMap((o) => [
            { label: t("dashboard.vulnerable.flagged", { org: o.organization, n: String(o.tickets) }), value: o.median_resolution_hours },
            { label: t("dashboard.vulnerable.all", { org: o.organization }), value: o.all_mean_resolution_hours },
          ])}
        />
      </div>
      <Downloads period={reports.period} />
    </>
  );
}

// OPS-1: every report to take away, for the period shown: CSV (one table) or XLSX (a sheet per table).
function Downloads({ period }: { period: string }) {
  const { t } = useLocale();
  const reports = [
    { name: "volume", query: `${period}&group_by=type` },
    { name: "sla", query: period },
    { name: "satisfaction", query: period },
    { name: "backlog", query: "" },
    { name: "deflection", query: period },
    { name: "overrides", query: period },
    { name: "onboarding", query: period },
    { name: "vulnerable", query: period },
    { name: "touchpoints", query: period },
  ] as const;
  return (
    <section aria-labelledby="downloads-title" className="downloads">
      <h2 id="downloads-title">{t("dashboard.downloads")}</h2>
      <p>{t("dashboard.downloads.lead")}</p>
      <ul>
        {reports.map((r) => (
          <li key={r.name}>
            <a href={`/api/v1/reports/${r.name}?${r.query}${r.query ? "&" : ""}format=csv`} download>
              {t("dashboard.csv", { report: t(`dashboard.report.${r.name}`) })}
            </a>{" "}
            ·{" "}
            <a href={`/api/v1/reports/${r.name}?${r.query}${r.query ? "&" : ""}format=xlsx`} download>
              {t("dashboard.xlsx", { report: t(`dashboard.report.${r.name}`) })}
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}

// A horizontal bar per row, drawn in a table: label, bar and number. `null` is "nothing to
// measure yet", not zero.
export function Bars(props: { caption: string; valueLabel: string; rows: { label: string; value: number | null }[]; max?: number; unit?: string }) {
  const { t } = useLocale();
  const max = props.max ?? Math.max(1, ...props.rows.map((r) => r.value ?? 0));
  return (
    <table className="chart">
      <caption>{props.caption}</caption>
      <thead className="visually-hidden">
        <tr>
          <th scope="col">{t("dashboard.what")}</th>
          <th scope="col">{props.valueLabel}</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.length === 0 && (
          <tr>
            <td colSpan={2}>{t("dashboard.nothing")}</td>
          </tr>
        )}
        {props.rows.map((r) => (
          <tr key={r.label}>
            <th scope="row">{r.label}</th>
            <td>
              {r.value !== null && <span className="bar" style={{ width: `${(r.value / max) * 100}%` }} aria-hidden="true" />}
              <span className="value">{r.value === null ? t("dashboard.notYet") : `${r.value}${props.unit ?? ""}`}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

// Tickets raised per day: columns drawn for the eye, the same numbers in a table for everyone.
function Days({ days }: { days: { day: string; tickets: number }[] }) {
  const { t, language } = useLocale();
  const max = Math.max(1, ...days.map((d) => d.tickets));
  const short = new Intl.DateTimeFormat(language, { month: "numeric", day: "numeric", timeZone: "UTC" });
  const label = (day: string) => short.format(new Date(`${day}T00:00:00Z`));
  const width = 640;
  const height = 160;
  const step = days.length ? width / days.length : width;
  return (
    <section className="days" aria-labelledby="days-title">
      <h2 id="days-title">{t("dashboard.perDay")}</h2>
      <svg viewBox={`0 0 ${width} ${height + 20}`} aria-hidden="true" className="columns">
        {days.map((d, i) => {
          const h = (d.tickets / max) * height;
          return <rect key={d.day} x={i * step + step * 0.15} y={height - h} width={step * 0.7} height={h} />;
        })}
        {days.length > 0 && (
          <>
            <text x={0} y={height + 16}>
              {label(days[0].day)}
            </text>
            <text x={width} y={height + 16} textAnchor="end">
              {label(days[days.length - 1].day)}
            </text>
          </>
        )}
      </svg>
      <details>
        <summary>{t("dashboard.showNumbers")}</summary>
        <table className="list">
          <caption className="visually-hidden">{t("dashboard.perDay")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("dashboard.day")}</th>
              <th scope="col">{t("dashboard.tickets")}</th>
            </tr>
          </thead>
          <tbody>
            {days.map((d) => (
              <tr key={d.day}>
                <th scope="row">{label(d.day)}</th>
                <td>{d.tickets}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}

function BacklogTable({ backlog }: { backlog: Backlog }) {
  const { t, dateTime } = useLocale();
  const rows = [...backlog.groups, { ...backlog.total, key: "total" }];
  const max = Math.max(1, ...backlog.buckets.map((b) => backlog.total.by_age[b] ?? 0));
  return (
    <section aria-labelledby="backlog-title">
      <h2 id="backlog-title">{t("dashboard.backlog")}</h2>
      <Bars
        caption={t("dashboard.backlogAge")}
        valueLabel={t("dashboard.open")}
        max={max}
        rows={backlog.buckets.map((b) => ({ label: word(t, "age", b), value: backlog.total.by_age[b] ?? 0 }))}
      />
      <div className="table-scroll">
        <table className="list">
          <caption>{t("dashboard.backlogByType")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("dashboard.what")}</th>
              <th scope="col">{t("dashboard.open")}</th>
              {backlog.buckets.map((b) => (
                <th key={b} scope="col">
                  {word(t, "age", b)}
                </th>
              ))}
              <th scope="col">{t("dashboard.oldest")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((g) => (
              <tr key={g.key}>
                <th scope="row">{g.key === "total" ? t("dashboard.allTypes") : word(t, "type", g.key)}</th>
                <td>{g.open}</td>
                {backlog.buckets.map((b) => (
                  <td key={b}>{g.by_age[b] ?? 0}</td>
                ))}
                <td>{g.oldest ? dateTime(g.oldest) : "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
