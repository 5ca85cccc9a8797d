import { useCallback, useState } from "react";
import { Button } from "react-aria-components";
import { api, type Page } from "../api";
import { Failure, Loading } from "../components/Status";
import { useLocale, word } from "../i18n";
import { problemsText, usePaged } from "../paged";
import { textIn, type Broadcast } from "../screens/News";
import type { User } from "../api";
import type { Option } from "./fields";
import { useLookups } from "./lookups";

// REL-5 (staff): broadcasts. A maintenance window, a major incident's news or a notice is
// written in English and Chinese, kept as a draft, then published once: to the service's
// subscribers by their own channels, and to every person of the organisations chosen (and the
// people on a major incident) in the portal and by e-mail. Its reach counts who heard it how.
const kinds = ["maintenance", "major_incident", "notice"];
const fromInput = (v: string) => (v ? new Date(v).toISOString() : null);


// The staff screen (/broadcasts): agents and relationship managers publish too, not only
// administrators.
export function BroadcastsScreen({ user }: { user: User }) {
  const locale = useLocale();
  const { lookups, error } = useLookups(user.organization_id, locale.language);
  return (
    <main id="main">
      <Failure message={error} />
      {lookups ? (
        <Broadcasts organizations={lookups.organizations} services={lookups.services} providerId={user.organization_id} />
      ) : (
        !error && <Loading />
      )}
    </main>
  );
}

export function Broadcasts({ organizations, services, providerId }: { organizations: Option[]; services: Option[]; providerId: string }) {
  const { t, language, dateTime } = useLocale();
  const customers = organizations.filter((o) => o.value !== providerId);
  const fetchPage = useCallback(
    (cursor: string | null) => api<Page<Broadcast>>("GET", `/api/v1/broadcasts?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`),
    [],
  );
  const { items, error, hasMore, more, reload } = usePaged(fetchPage);
  const [kind, setKind] = useState("maintenance");
  const [notice, setNotice] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const publish = (b: Broadcast) =>
    api<Broadcast>("POST", `/api/v1/broadcasts/${encodeURIComponent(b.id)}/publish`, {}, { "If-Match": b.etag })
      .then((done) => {
        setConfirming(null);
        setNotice(t("broadcasts.published", { title: textIn(done.title, language), people: String(done.reach?.people ?? 0) }));
        void reload();
      })
      .catch((e) => setNotice(problemsText(e)));

  return (
    <section aria-labelledby="broadcasts-title" className="resource">
      <h1 id="broadcasts-title">{t("broadcasts.title")}</h1>
      <p className="lead">{t("broadcasts.lead")}</p>
      <form
        className="stacked"
        aria-label={t("broadcasts.write")}
        onSubmit={(e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          const text = (name: string) => String(form.get(name) ?? "").trim();
          const texts = (prefix: string) => {
            const out: Record<string, string> = {};
            for (const lang of ["en", "zh-CN"]) if (text(`${prefix}-${lang}`)) out[lang] = text(`${prefix}-${lang}`);
            return out;
          };
          const body: Record<string, unknown> = {
            kind,
            title: texts("title"),
            body: texts("body"),
            organization_ids: form.getAll("organization_ids").map(String),
          };
          if (text("service_id")) body.service_id = text("service_id");
          if (text("ticket_id")) body.ticket_id = text("ticket_id");
          if (text("starts_at")) body.starts_at = fromInput(text("starts_at"));
          if (text("ends_at")) body.ends_at = fromInput(text("ends_at"));
          setBusy(true);
          setNotice(null);
          api<Broadcast>("POST", "/api/v1/broadcasts", body)
            .then((made) => {
              setNotice(t("broadcasts.drafted", { title: textIn(made.title, language) }));
              void reload();
            })
            .catch((err) => setNotice(problemsText(err)))
            .finally(() => setBusy(false));
        }}
      >
        <div className="field">
          <label htmlFor="broadcast-kind">{t("broadcasts.kind")}</label>
          <select id="broadcast-kind" value={kind} onChange={(e) => setKind(e.target.value)}>
            {kinds.map((k) => (
              <option key={k} value={k}>
                {word(t, "broadcastKind", k)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="broadcast-service">{t("broadcasts.service")}</label>
          <select id="broadcast-service" name="service_id" defaultValue="" aria-describedby="broadcast-service-help">
            <option value="">{t("broadcasts.noService")}</option>
            {services.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
          <p className="help" id="broadcast-service-help">
            {t("broadcasts.service.help")}
          </p>
        </div>
        {kind === "major_incident" && (
          <div className="field">
            <label htmlFor="broadcast-ticket">{t("broadcasts.ticket")}</label>
            <input id="broadcast-ticket" name="ticket_id" required aria-describedby="broadcast-ticket-help" />
            <p className="help" id="broadcast-ticket-help">
              {t("broadcasts.ticket.help")}
            </p>
          </div>
        )}
        {kind === "maintenance" && (
          <>
            <div className="field">
              <label htmlFor="broadcast-starts">{t("broadcasts.startsAt")}</label>
              <input id="broadcast-starts" name="starts_at" type="datetime-local" required />
            </div>
            <div className="field">
              <label htmlFor="broadcast-ends">{t("broadcasts.endsAt")}</label>
              <input id="broadcast-ends" name="ends_at" type="datetime-local" required />
            </div>
          </>
        )}
        <fieldset className="field">
          <legend>{t("broadcasts.organizations")}</legend>
          <p className="help">{t("broadcasts.organizations.help")}</p>
          <div className="checks">
            {customers.map((o) => (
              <label key={o.value} className="check">
                <input type="checkbox" name="organization_ids" value={o.value} /> {o.label}
              </label>
            ))}
          </div>
        </fieldset>
        <div className="field">
          <label htmlFor="broadcast-title-en">{t("broadcasts.titleEn")}</label>
          <input id="broadcast-title-en" name="title-en" maxLength={200} />
        </div>
        <div className="field">
          <label htmlFor="broadcast-title-zh">{t("broadcasts.titleZh")}</label>
          <input id="broadcast-title-zh" name="title-zh-CN" maxLength={200} lang="zh-CN" />
        </div>
        <div className="field">
          <label htmlFor="broadcast-body-en">{t("broadcasts.bodyEn")}</label>
          <textarea id="broadcast-body-en" name="body-en" rows={4} maxLength={8000} />
        </div>
        <div className="field">
          <label htmlFor="broadcast-body-zh">{t("broadcasts.bodyZh")}</label>
          <textarea id="broadcast-body-zh" name="body-zh-CN" rows={4} maxLength={8000} lang="zh-CN" />
        </div>
        <Button type="submit" isDisabled={busy}>
          {t("broadcasts.write")}
        </Button>
      </form>
      <p role="status" className="notice">
        {notice}
      </p>
      <Failure message={error} />
      {!items && !error && <Loading />}
      {items && items.length === 0 && <p>{t("broadcasts.none")}</p>}
      {items && items.length > 0 && (
        <div className="table-scroll">
          <table className="list">
            <caption className="visually-hidden">{t("broadcasts.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("broadcasts.titleCol")}</th>
                <th scope="col">{t("broadcasts.kind")}</th>
                <th scope="col">{t("broadcasts.state")}</th>
                <th scope="col">{t("broadcasts.reach")}</th>
                <th scope="col">{t("admin.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((b) => {
                const title = textIn(b.title, language);
                return (
                  <tr key={b.id}>
                    <th scope="row">{title}</th>
                    <td>
                      {word(t, "broadcastKind", b.kind)}
                      {b.starts_at && b.ends_at && <div className="help">{t("news.window", { from: dateTime(b.starts_at), to: dateTime(b.ends_at) })}</div>}
                    </td>
                    <td>
                      {word(t, "broadcastState", b.state)}
                      {b.published_at && <> · {dateTime(b.published_at)}</>}
                    </td>
                    <td>
                      {b.state === "published"
                        ? t("broadcasts.reachText", {
                            people: String(b.reach?.people ?? 0),
                            portal: String(b.reach?.portal ?? 0),
                            email: String(b.reach?.email ?? 0),
                            sms: String(b.reach?.sms ?? 0),
                            push: String(b.reach?.push ?? 0),
                          })
                        : "—"}
                    </td>
                    <td className="actions">
                      {b.state === "draft" && confirming !== b.id && (
                        <Button aria-label={t("broadcasts.publishNamed", { title })} onPress={() => setConfirming(b.id)}>
                          {t("broadcasts.publish")}
                        </Button>
                      )}
                      {b.state === "draft" && confirming === b.id && (
                        <>
                          <span className="help">{t("broadcasts.sure")}</span>{" "}
                          <Button autoFocus aria-label={t("broadcasts.confirmNamed", { title })} onPress={() => void publish(b)}>
                            {t("broadcasts.confirm")}
                          </Button>
                          <Button onPress={() => setConfirming(null)}>{t("broadcasts.notYet")}</Button>
                        </>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {hasMore && <Button onPress={() => void more()}>{t("broadcasts.more")}</Button>}
    </section>
  );
}
