import { useMemo } from "react";
import type { User } from "../api";
import { Failure, Loading } from "../components/Status";
import type { MessageKey } from "../i18n/en";
import { useLocale } from "../i18n";
import { Link } from "../router";
import { OverridesReport } from "../screens/OverridesReport";
import { AuditLog } from "./AuditLog";
import { Channels } from "./Channels";
import { Import } from "./Import";
import { MergePeople } from "./MergePeople";
import { Provisioning } from "./Provisioning";
import { Webhooks } from "./Webhooks";
import { useLookups } from "./lookups";
import { ResourceScreen } from "./Resource";
import { resourceSpec, sections, sectionTexts, type AdminSection } from "./resources";

// Admin §5: the provider's administrators keep the directory, the desk's time rules, the catalog
// and who may use it, and read the audit log — one page per record kind, all reached from here.
const everyPage: { key: AdminSection | "provisioning" | "channels" | "webhooks" | "merge" | "import" | "overrides" | "audit"; title: MessageKey; lead: MessageKey }[] = [
  ...sections.map((key) => ({ key, ...sectionTexts[key] })),
  { key: "channels", title: "channels.title", lead: "channels.nav.lead" },
  { key: "webhooks", title: "webhooks.title", lead: "webhooks.nav.lead" },
  { key: "merge", title: "merge.title", lead: "merge.nav.lead" },
  { key: "provisioning", title: "provisioning.title", lead: "provisioning.nav.lead" },
  { key: "import", title: "import.title", lead: "import.nav.lead" },
  { key: "overrides", title: "app.nav.overrides", lead: "admin.overrides.lead" },
  { key: "audit", title: "audit.title", lead: "audit.lead" },
];

export function Admin({ page, user }: { page: string | null; user: User }) {
  const locale = useLocale();
  const { t } = locale;
  const { lookups, error, refresh } = useLookups(user.organization_id, locale.language);
  const section = sections.find((s) => s === page) ?? null;
  const spec = useMemo(() => (section && lookups ? resourceSpec(section, locale, lookups) : null), [section, lookups, locale]);
  const known = page === null || everyPage.some((p) => p.key === page);

  return (
    <main id="main" className="admin">
      <nav aria-label={t("admin.nav")} className="admin-nav">
        <ul>
          <li>
            <Link to="/admin" aria-current={page === null ? "page" : undefined}>
              {t("admin.home")}
            </Link>
          </li>
          {everyPage.map((p) => (
            <li key={p.key}>
              <Link to={`/admin/${p.key}`} aria-current={page === p.key ? "page" : undefined}>
                {t(p.title)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className="admin-page">
        <Failure message={error} />
        {!known && <h1>{t("app.notFound")}</h1>}
        {page === null && <Home />}
        {section && !lookups && !error && <Loading />}
        {/* A change here may rename what the other pages name: read the names again after it. */}
        {spec && <ResourceScreen key={section} spec={spec} onChanged={refresh} />}
        {page === "provisioning" &&
          (lookups ? <Provisioning organizations={lookups.organizations} providerId={user.organization_id} /> : !error && <Loading />)}
        {page === "channels" &&
          (lookups ? <Channels organizations={lookups.organizations} providerId={user.organization_id} /> : !error && <Loading />)}
        {page === "webhooks" &&
          (lookups ? <Webhooks organizations={lookups.organizations} providerId={user.organization_id} /> : !error && <Loading />)}
        {page === "merge" &&
          (lookups ? <MergePeople organizations={lookups.organizations} providerId={user.organization_id} /> : !error && <Loading />)}
        {page === "import" && <Import />}
        {page === "overrides" && <OverridesReport user={user} embedded />}
        {page === "audit" && (lookups ? <AuditLog people={lookups.staff} organizations={lookups.organizations} /> : !error && <Loading />)}
      </div>
    </main>
  );
}

function Home() {
  const { t } = useLocale();
  return (
    <section aria-labelledby="admin-title">
      <h1 id="admin-title">{t("admin.title")}</h1>
      <p className="lead">{t("admin.lead")}</p>
      <ul className="admin-cards">
        {everyPage.map((p) => (
          <li key={p.key}>
            <Link to={`/admin/${p.key}`}>{t(p.title)}</Link>
            <p className="help">{t(p.lead)}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}
