import { useEffect, useState } from "react";
import { Button } from "react-aria-components";
import { api, type Page } from "../api";
import { Failure, Loading } from "../components/Status";
import { useLocale } from "../i18n";
import { errorText } from "../paged";
import type { Option } from "./fields";

// REL-1 (admin): one person with two accounts — a second address, a number they wrote from. The
// duplicate's tickets, watches and addresses move to the account kept, the duplicate is closed,
// and the audit log records the merge.
interface Person {
  id: string;
  name: string;
  email: string;
}
interface Merged {
  merged: { tickets: number; identities: number };
}

export function MergePeople({ organizations, providerId }: { organizations: Option[]; providerId: string }) {
  const { t } = useLocale();
  const customers = organizations.filter((o) => o.value !== providerId);
  const [organization, setOrganization] = useState(customers[0]?.value ?? "");
  const [people, setPeople] = useState<Person[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [keep, setKeep] = useState("");
  const [duplicate, setDuplicate] = useState("");
  const [notice, setNotice] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    if (!organization) return;
    setPeople(null);
    api<Page<Person>>("GET", `/api/v1/users?organization_id=${encodeURIComponent(organization)}&active=true&limit=500`)
      .then((page) => {
        setPeople(page.items);
        setKeep(page.items[0]?.id ?? "");
        setDuplicate(page.items[1]?.id ?? "");
        setError(null);
      })
      .catch((e) => setError(errorText(e)));
  }, [organization, generation]);

  const label = (p: Person) => `${p.name} <${p.email}>`;
  const named = (id: string) => people?.find((p) => p.id === id);
  return (
    <section aria-labelledby="merge-title" className="resource">
      <h1 id="merge-title">{t("merge.title")}</h1>
      <p className="lead">{t("merge.lead")}</p>
      <form
        aria-label={t("merge.title")}
        onSubmit={(e) => {
          e.preventDefault();
          const kept = named(keep), gone = named(duplicate);
          if (!kept || !gone) return;
          setNotice(null);
          api<Merged>("POST", `/api/v1/users/${encodeURIComponent(keep)}/merge`, { from_user_id: duplicate })
            .then((done) => {
              setNotice(
                t("merge.done", { duplicate: label(gone), kept: label(kept), tickets: String(done.merged.tickets), identities: String(done.merged.identities) }),
              );
              setGeneration((g) => g + 1);
            })
            .catch((err) => setNotice(errorText(err)));
        }}
      >
        <div className="field">
          <label htmlFor="merge-organization">{t("admin.organization")}</label>
          <select id="merge-organization" value={organization} onChange={(e) => setOrganization(e.target.value)}>
            {customers.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
        <Failure message={error} />
        {organization && !people && !error && <Loading />}
        {people && people.length < 2 && <p>{t("merge.tooFew")}</p>}
        {people && people.length >= 2 && (
          <>
            <div className="field">
              <label htmlFor="merge-duplicate">{t("merge.duplicate")}</label>
              <select id="merge-duplicate" value={duplicate} onChange={(e) => setDuplicate(e.target.value)} aria-describedby="merge-duplicate-help">
                {people.map((p) => (
                  <option key={p.id} value={p.id}>
                    {label(p)}
                  </option>
                ))}
              </select>
              <p className="help" id="merge-duplicate-help">
                {t("merge.duplicate.help")}
              </p>
            </div>
            <div className="field">
              <label htmlFor="merge-keep">{t("merge.keep")}</label>
              <select id="merge-keep" value={keep} onChange={(e) => setKeep(e.target.value)}>
                {people.map((p) => (
                  <option key={p.id} value={p.id}>
                    {label(p)}
                  </option>
                ))}
              </select>
            </div>
            <Button type="submit" isDisabled={!keep || keep === duplicate}>
              {t("merge.submit")}
            </Button>
            {keep === duplicate && <p className="help">{t("merge.same")}</p>}
          </>
        )}
      </form>
      <p role="status" className="notice">
        {notice}
      </p>
    </section>
  );
}
