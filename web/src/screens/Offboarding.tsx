import { useCallback, useEffect, useState } from "react";
import { Button } from "react-aria-components";
import { api, ApiError, isStaff, personName, type Page, type User } from "../api";
import { Failure, Loading } from "../components/Status";
import { useLocale, word } from "../i18n";
import { errorText, usePaged } from "../paged";
import { Link, navigate } from "../router";

// OFF-1 on screen: the provider's administrators and relationship managers, or an organisation's
// customer, take a person through leaving — access ends at once, what they hold comes back,
// their open tickets are handed over, and at the end what is personal is erased; the record
// stays and says who did each step and when. OFF-2: the provider ends a customer organisation's
// service — everyone offboarded, the account settled on one final invoice or credit note.
interface Step {
  key: string;
  status: "pending" | "done";
  done_at?: string;
  done_by?: string;
  note?: string;
}
interface Money {
  amount: string;
  currency: string;
}
interface Settlement {
  lines: { kind: string; description: string; amount: Money }[];
  total: Money;
  document: { kind: "invoice" | "credit_note"; id: string; number: number | null } | null;
}
interface Offboarding {
  id: string;
  kind: "user" | "organization";
  subject_id: string;
  organization_id: string;
  reason: string;
  effective_at: string;
  status: "open" | "completed";
  steps: Step[];
  facts: {
    message?: string;
    thank_you?: string;
    open_work?: string[];
    handed_over?: { to: string; tickets: string[] };
    erasure?: { former_name: string };
    people?: string[];
    part_of?: string;
    export?: string;
  };
  settlement: Settlement | null;
  created_at: string;
  completed_at: string | null;
}
interface Asset {
  id: string;
  name: string;
  kind: string;
  state: "assigned" | "returned" | "written_off";
}
interface Option {
  id: string;
  name: string;
}

const assetKinds = ["laptop", "phone", "tablet", "car_key", "badge", "key", "card", "vehicle", "other"];

function Name({ id }: { id: string }) {
  const [name, setName] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    void personName(id).then((n) => current && setName(n));
    return () => {
      current = false;
    };
  }, [id]);
  return <>{name ?? id}</>;
}

function OrganizationName({ id }: { id: string }) {
  const [name, setName] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    api<Option>("GET", `/api/v1/organizations/${encodeURIComponent(id)}`)
      .then((o) => current && setName(o.name))
      .catch(() => current && setName(null));
    return () => {
      current = false;
    };
  }, [id]);
  return <>{name ?? id}</>;
}

function SettlementView({ settlement }: { settlement: Settlement }) {
  const { t } = useLocale();
  const money = (m: Money) => `${m.amount} ${m.currency}`;
  return (
    <section aria-labelledby="settlement-title">
      <h2 id="settlement-title">{t("settlement.title")}</h2>
      {settlement.document ? (
        <p>
          <strong>{t(`settlement.document.${settlement.document.kind}`, { number: String(settlement.document.number ?? "") })}</strong>
        </p>
      ) : (
        <p className="help">{t("settlement.provisional")}</p>
      )}
      {settlement.lines.length === 0 && <p>{t("settlement.none")}</p>}
      <table>
        <thead>
          <tr>
            <th scope="col">{t("settlement.what")}</th>
            <th scope="col">{t("settlement.amount")}</th>
          </tr>
        </thead>
        <tbody>
          {settlement.lines.map((l, i) => (
            <tr key={i}>
              <td>
                {word(t, "settlement.kind", l.kind)}: {l.description}
              </td>
              <td className="number">{money(l.amount)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t("settlement.total")}</th>
            <td className="number">
              {money(settlement.total)}
              {settlement.total.amount.startsWith("-") && ` (${t("settlement.credit")})`}
            </td>
          </tr>
        </tfoot>
      </table>
    </section>
  );
}

function usePeople(organizationId: string, except: string) {
  const [people, setPeople] = useState<Option[]>([]);
  useEffect(() => {
    if (!organizationId) return;
    let current = true;
    api<Page<Option>>("GET", `/api/v1/users?organization_id=${encodeURIComponent(organizationId)}&active=true&limit=500`)
      .then((page) => current && setPeople(page.items.filter((p) => p.id !== except)))
      .catch(() => current && setPeople([]));
    return () => {
      current = false;
    };
  }, [organizationId, except]);
  return people;
}

interface RetentionPolicy {
  archive_contact: boolean;
  archive_days: number;
  uploads: "keep" | "erase";
  version: number;
}

// OFF-1: what the organisation keeps of a person who leaves, and for how long.
function RetentionPolicyForm({ organization }: { organization: string }) {
  const { t } = useLocale();
  const [policy, setPolicy] = useState<RetentionPolicy | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => {
    // A late answer for the organisation chosen before must not be shown, or saved, as this one's.
    let live = true;
    setPolicy(null);
    setNotice(null);
    setProblem(null);
    api<RetentionPolicy>("GET", `/api/v1/organizations/${encodeURIComponent(organization)}/retention`)
      .then((p) => live && setPolicy(p))
      .catch((e) => live && setProblem(errorText(e)));
    return () => {
      live = false;
    };
  }, [organization]);
  if (!policy) return problem ? <Failure message={problem} /> : <Loading />;
  return (
    <form
      key={`${organization}-${policy.version}`}
      aria-labelledby="retention-title"
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        api<RetentionPolicy>(
          "PUT",
          `/api/v1/organizations/${encodeURIComponent(organization)}/retention`,
          { archive_contact: data.get("archive_contact") === "on", archive_days: Number(data.get("archive_days")), uploads: data.get("uploads") },
          { "If-Match": `"v${policy.version}"` },
        )
          .then((saved) => {
            setPolicy(saved);
            setProblem(null);
            setNotice(t("retention.saved"));
          })
          .catch((err) => {
            setNotice(null);
            setProblem(errorText(err));
          });
      }}
    >
      <div className="field">
        <label>
          <input type="checkbox" name="archive_contact" defaultChecked={policy.archive_contact} /> {t("retention.archiveContact")}
        </label>
      </div>
      <div className="field">
        <label htmlFor="retention-days">{t("retention.days")}</label>
        <input id="retention-days" name="archive_days" type="number" min={1} max={3650} required defaultValue={policy.archive_days} aria-describedby="retention-days-help" />
        <p className="help" id="retention-days-help">
          {t("retention.days.help")}
        </p>
      </div>
      <fieldset className="field">
        <legend>{t("retention.uploads")}</legend>
        <label>
          <input type="radio" name="uploads" value="keep" defaultChecked={policy.uploads === "keep"} /> {t("retention.uploads.keep")}
        </label>
        <label>
          <input type="radio" name="uploads" value="erase" defaultChecked={policy.uploads === "erase"} /> {t("retention.uploads.erase")}
        </label>
      </fieldset>
      <Failure message={problem} />
      <p role="status" className="notice">
        {notice}
      </p>
      <Button type="submit">{t("retention.save")}</Button>
    </form>
  );
}

interface PersonArchive {
  contact: { name: string; emails: string[]; phones: string[] };
  kept_until: string;
}

// What the retention policy kept of the person, for those who manage offboardings.
function ArchiveView({ id, step }: { id: string; step: string }) {
  const { t, dateTime } = useLocale();
  const [archive, setArchive] = useState<PersonArchive | null | "none" | "hidden">(null);
  useEffect(() => {
    let live = true;
    setArchive(null);
    api<PersonArchive>("GET", `/api/v1/offboardings/${encodeURIComponent(id)}/archive`)
      .then((a) => live && setArchive(a))
      .catch((e) => live && setArchive(e instanceof ApiError && e.status === 404 ? "none" : "hidden"));
    return () => {
      live = false;
    };
  }, [id, step]);
  if (archive === null || archive === "hidden") return null;
  return (
    <section aria-labelledby="archive-title">
      <h2 id="archive-title">{t("retention.archive.title")}</h2>
      {archive === "none" ? (
        <p>{t("retention.archive.none")}</p>
      ) : (
        <dl className="facts">
          <dt>{t("retention.archive.name")}</dt>
          <dd>{archive.contact.name}</dd>
          <dt>{t("retention.archive.emails")}</dt>
          <dd>{archive.contact.emails.join(", ") || "—"}</dd>
          <dt>{t("retention.archive.phones")}</dt>
          <dd>{archive.contact.phones.join(", ") || "—"}</dd>
          <dt>{t("retention.archive.until")}</dt>
          <dd>{dateTime(archive.kept_until)}</dd>
        </dl>
      )}
    </section>
  );
}

export function Offboardings({ user }: { user: User }) {
  const { t, dateTime } = useLocale();
  const staff = isStaff(user);
  const [organizations, setOrganizations] = useState<Option[]>([]);
  const [organization, setOrganization] = useState(staff ? "" : user.organization_id);
  const people = usePeople(organization, user.id);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!staff) return;
    api<Page<Option>>("GET", "/api/v1/organizations?limit=500")
      .then((page) => {
        const customers = page.items.filter((o) => o.id !== user.organization_id);
        setOrganizations(customers);
        setOrganization((chosen) => chosen || customers[0]?.id || "");
      })
      .catch((e) => setProblem(errorText(e)));
  }, [staff, user.organization_id]);
  const fetchPage = useCallback(
    (cursor: string | null) => api<Page<Offboarding>>("GET", `/api/v1/offboardings?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`),
    [],
  );
  const { items, error, hasMore, more } = usePaged(fetchPage);

  return (
    <main id="main">
      <h1>{t("offboarding.title")}</h1>
      <p className="help">{t("offboarding.lead")}</p>
      {staff && (
        <div className="field">
          <label htmlFor="offboarding-organization">{t("admin.organization")}</label>
          <select id="offboarding-organization" value={organization} onChange={(e) => setOrganization(e.target.value)}>
            {organizations.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </div>
      )}
      <form
        className="filters"
        aria-label={t("offboarding.start")}
        onSubmit={(e) => {
          e.preventDefault();
          const data = new FormData(e.currentTarget);
          const day = String(data.get("effective") ?? "");
          setBusy(true);
          setProblem(null);
          api<Offboarding>("POST", `/api/v1/users/${encodeURIComponent(String(data.get("person") ?? ""))}/offboarding`, {
            reason: String(data.get("reason") ?? ""),
            ...(day ? { effective_at: `${day}T00:00:00Z` } : {}),
          })
            .then((record) => navigate(`/offboarding/${encodeURIComponent(record.id)}`))
            .catch((err) => {
              setProblem(errorText(err));
              setBusy(false);
            });
        }}
      >
        <div className="field">
          <label htmlFor="offboarding-person">{t("offboarding.person")}</label>
          <select id="offboarding-person" name="person" required>
            {people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="offboarding-reason">{t("offboarding.reason")}</label>
          <input id="offboarding-reason" name="reason" required maxLength={2000} />
        </div>
        <div className="field">
          <label htmlFor="offboarding-effective">{t("offboarding.effective")}</label>
          <input id="offboarding-effective" name="effective" type="date" aria-describedby="offboarding-effective-help" />
          <p id="offboarding-effective-help" className="help">
            {t("offboarding.effective.help")}
          </p>
        </div>
        <Button type="submit" isDisabled={busy || people.length === 0}>
          {t("offboarding.start")}
        </Button>
      </form>
      <Failure message={problem} />
      {staff && organization && (
        <>
          <h2>{t("offboarding.organization.title")}</h2>
          <p className="help">{t("offboarding.organization.lead")}</p>
          <form
            className="filters"
            aria-label={t("offboarding.organization.start")}
            onSubmit={(e) => {
              e.preventDefault();
              const data = new FormData(e.currentTarget);
              const day = String(data.get("effective") ?? "");
              const exitDescription = String(data.get("exit_description") ?? "").trim();
              setBusy(true);
              setProblem(null);
              api<Offboarding>("POST", `/api/v1/organizations/${encodeURIComponent(organization)}/offboarding`, {
                reason: String(data.get("reason") ?? ""),
                ...(day ? { effective_at: `${day}T00:00:00Z` } : {}),
                ...(exitDescription ? { exit_payments: [{ description: exitDescription, amount: String(data.get("exit_amount") ?? "").trim() }] } : {}),
              })
                .then((record) => navigate(`/offboarding/${encodeURIComponent(record.id)}`))
                .catch((err) => {
                  setProblem(errorText(err));
                  setBusy(false);
                });
            }}
          >
            <div className="field">
              <label htmlFor="organization-offboarding-reason">{t("offboarding.reason")}</label>
              <input id="organization-offboarding-reason" name="reason" required maxLength={2000} />
            </div>
            <div className="field">
              <label htmlFor="organization-offboarding-effective">{t("offboarding.organization.effective")}</label>
              <input id="organization-offboarding-effective" name="effective" type="date" aria-describedby="offboarding-effective-help" />
            </div>
            <div className="field">
              <label htmlFor="organization-offboarding-exit">{t("offboarding.exit.description")}</label>
              <input id="organization-offboarding-exit" name="exit_description" maxLength={200} aria-describedby="organization-offboarding-exit-help" />
            </div>
            <div className="field">
              <label htmlFor="organization-offboarding-amount">{t("offboarding.exit.amount")}</label>
              <input id="organization-offboarding-amount" name="exit_amount" inputMode="decimal" pattern="-?[0-9]+(\.[0-9]{1,2})?" aria-describedby="organization-offboarding-exit-help" />
              <p id="organization-offboarding-exit-help" className="help">
                {t("offboarding.exit.help")}
              </p>
            </div>
            <Button type="submit" isDisabled={busy}>
              {t("offboarding.organization.start")}
            </Button>
          </form>
        </>
      )}
      <h2>{t("export.title")}</h2>
      <p className="help">{t("export.lead")}</p>
      {organization && (
        <p>
          <a href={`/api/v1/organizations/${encodeURIComponent(organization)}/export`} download>
            {staff ? t("export.downloadNamed", { name: organizations.find((o) => o.id === organization)?.name ?? organization }) : t("export.download")}
          </a>
        </p>
      )}
      <h2 id="retention-title">{t("retention.title")}</h2>
      <p className="help">{t("retention.lead")}</p>
      {organization && <RetentionPolicyForm organization={organization} />}
      <h2>{t("offboarding.records")}</h2>
      <Failure message={error} />
      {!items && !error && <Loading />}
      {items && items.length === 0 && <p>{t("offboarding.none")}</p>}
      {items && items.length > 0 && (
        <ul>
          {items.map((o) => (
            <li key={o.id}>
              <Link to={`/offboarding/${encodeURIComponent(o.id)}`}>
                {o.kind === "organization" ? (
                  <>
                    <OrganizationName id={o.subject_id} /> ({t("offboarding.organizationRecord")})
                  </>
                ) : (
                  <Name id={o.subject_id} />
                )}{" "}
                — {word(t, "offboarding.status", o.status)} ({dateTime(o.created_at)})
              </Link>
            </li>
          ))}
        </ul>
      )}
      {hasMore && <Button onPress={() => void more()}>{t("admin.more")}</Button>}
    </main>
  );
}

export function OffboardingView({ id }: { id: string }) {
  const { t, dateTime } = useLocale();
  const [record, setRecord] = useState<Offboarding | null>(null);
  const [assets, setAssets] = useState<Asset[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [handover, setHandover] = useState("");
  const [people, setPeople] = useState<Offboarding[]>([]);
  const colleagues = usePeople(record?.kind === "user" ? record.organization_id : "", record?.subject_id ?? "");

  const load = useCallback(() => {
    api<Offboarding>("GET", `/api/v1/offboardings/${encodeURIComponent(id)}`)
      .then(async (r) => {
        setRecord(r);
        if (r.kind === "organization") {
          const page = await api<Page<Offboarding>>("GET", `/api/v1/offboardings?organization_id=${encodeURIComponent(r.subject_id)}&limit=500`);
          setPeople(page.items.filter((o) => o.kind === "user" && o.facts.part_of === r.id));
          return;
        }
        const page = await api<Page<Asset>>("GET", `/api/v1/assets?assigned_to=${encodeURIComponent(r.subject_id)}&limit=100`);
        setAssets(page.items);
      })
      .catch((e) => setError(errorText(e)));
  }, [id]);
  useEffect(load, [load]);

  const act = (call: Promise<unknown>, done: string) =>
    call
      .then(() => {
        setProblem(null);
        setNotice(done);
        load();
      })
      .catch((e) => setProblem(errorText(e)));

  if (error) return <main id="main"><Failure message={error} /></main>;
  if (!record) return <main id="main"><Loading /></main>;
  const erased = record.facts.erasure?.former_name;
  return (
    <main id="main">
      <p>
        <Link to="/offboarding">{t("offboarding.back")}</Link>
      </p>
      <h1>
        {record.kind === "organization" ? (
          <>
            {t("offboarding.ofOrganization")} <OrganizationName id={record.subject_id} />
          </>
        ) : (
          <>
            {t("offboarding.of")} {erased ?? <Name id={record.subject_id} />}
          </>
        )}
      </h1>
      <dl className="facts">
        <dt>{t("offboarding.reason")}</dt>
        <dd>{record.reason}</dd>
        <dt>{t("offboarding.accessEnds")}</dt>
        <dd>{dateTime(record.effective_at)}</dd>
        <dt>{t("offboarding.state")}</dt>
        <dd>{word(t, "offboarding.status", record.status)}</dd>
      </dl>
      <p role="status" className="notice">
        {notice}
      </p>
      <Failure message={problem} />
      <h2>{t("offboarding.steps")}</h2>
      <ol className="steps">
        {record.steps.map((s) => (
          <li key={s.key}>
            <strong>{word(t, "offboarding.step", s.key)}</strong> — {word(t, "offboarding.stepStatus", s.status)}
            <p className="help">{word(t, "offboarding.stepHelp", s.key)}</p>
            {s.status === "done" && (
              <p>
                {s.note} {s.done_at && `(${dateTime(s.done_at)})`}
              </p>
            )}
            {s.status === "pending" && s.key === "open_work" && (
              <div className="field">
                <label htmlFor="offboarding-handover">{t("offboarding.handover")}</label>
                <select id="offboarding-handover" value={handover} onChange={(e) => setHandover(e.target.value)}>
                  <option value="">{t("offboarding.handover.default")}</option>
                  {colleagues.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name}
                    </option>
                  ))}
                </select>
              </div>
            )}
            {s.status === "pending" && (
              <Button
                aria-label={t("offboarding.markDone", { step: word(t, "offboarding.step", s.key) })}
                onPress={() =>
                  void act(
                    api("POST", `/api/v1/offboardings/${encodeURIComponent(record.id)}/steps/${s.key}/transitions`, {
                      to: "done",
                      ...(s.key === "open_work" && handover ? { handover_to: handover } : {}),
                    }),
                    t("offboarding.stepDone", { step: word(t, "offboarding.step", s.key) }),
                  )
                }
              >
                {t("offboarding.done")}
              </Button>
            )}
          </li>
        ))}
      </ol>
      {record.kind === "user" && <ArchiveView id={record.id} step={record.steps.find((s) => s.key === "archive")?.status ?? ""} />}
      {(record.facts.message || record.facts.thank_you) && (
        <>
          <h2>{t("offboarding.words")}</h2>
          {record.facts.message && <blockquote>{record.facts.message}</blockquote>}
          {record.facts.thank_you && <blockquote>{record.facts.thank_you}</blockquote>}
        </>
      )}
      {record.settlement && <SettlementView settlement={record.settlement} />}
      {record.kind === "organization" && (
        <>
          <h2>{t("offboarding.people")}</h2>
          <ul>
            {people.map((p) => (
              <li key={p.id}>
                <Link to={`/offboarding/${encodeURIComponent(p.id)}`}>
                  <Name id={p.subject_id} />
                </Link>{" "}
                — {word(t, "offboarding.status", p.status)}
              </li>
            ))}
          </ul>
          <p>
            <a href={`/api/v1/organizations/${encodeURIComponent(record.subject_id)}/export`} download>
              {t("offboarding.exportLink")}
            </a>
          </p>
        </>
      )}
      {record.kind === "user" && <h2>{t("offboarding.assets")}</h2>}
      {record.kind === "user" && assets.length === 0 && <p>{t("offboarding.assets.none")}</p>}
      {assets.length > 0 && (
        <ul>
          {assets.map((a) => (
            <li key={a.id}>
              {a.name} ({word(t, "asset.kind", a.kind)}) — {word(t, "asset.state", a.state)}{" "}
              {a.state === "assigned" &&
                (["returned", "written_off"] as const).map((to) => (
                  <Button
                    key={to}
                    aria-label={t(to === "returned" ? "asset.markReturned" : "asset.markWrittenOff", { name: a.name })}
                    onPress={() =>
                      void act(
                        api("POST", `/api/v1/assets/${encodeURIComponent(a.id)}/transitions`, { to }),
                        t("asset.settled", { name: a.name, state: word(t, "asset.state", to) }),
                      )
                    }
                  >
                    {word(t, "asset.to", to)}
                  </Button>
                ))}
            </li>
          ))}
        </ul>
      )}
      {!erased && record.kind === "user" && (
        <form
          className="filters"
          aria-label={t("asset.register")}
          onSubmit={(e) => {
            e.preventDefault();
            const form = e.currentTarget;
            const data = new FormData(form);
            void act(
              api("POST", "/api/v1/assets", { name: String(data.get("name") ?? ""), kind: String(data.get("kind") ?? ""), assigned_to: record.subject_id }),
              t("asset.registered", { name: String(data.get("name") ?? "") }),
            ).then(() => form.reset());
          }}
        >
          <div className="field">
            <label htmlFor="asset-name">{t("asset.name")}</label>
            <input id="asset-name" name="name" required maxLength={200} />
          </div>
          <div className="field">
            <label htmlFor="asset-kind">{t("asset.kindLabel")}</label>
            <select id="asset-kind" name="kind" defaultValue="car_key">
              {assetKinds.map((k) => (
                <option key={k} value={k}>
                  {word(t, "asset.kind", k)}
                </option>
              ))}
            </select>
          </div>
          <Button type="submit">{t("asset.register")}</Button>
        </form>
      )}
    </main>
  );
}
