import { useCallback, useEffect, useRef, useState } from "react";
import { Button } from "react-aria-components";
import { api, type Page } from "../api";
import { StateFilter } from "../components/StateFilter";
import { Failure, Loading } from "../components/Status";
import { useLocale, word } from "../i18n";
import { problemsText, usePaged } from "../paged";
import type { Option } from "./fields";

// OPS-3, REL-5 (admin): outbound webhooks. An administrator subscribes a receiver — an SMS or
// push gateway, a chat room, the provider's own tools — to events, gives it the signing secret
// (shown once, replaced at any time), tries it with a test event and reads what each delivery
// did; a delivery given up after its retries is sent again from the log.
interface Webhook {
  id: string;
  name: string;
  url: string;
  events: string[];
  organization_id: string | null;
  local_network: boolean;
  active: boolean;
  version: number;
  secret?: string;
}

interface EventDelivery {
  id: string;
  event: string;
  state: string;
  attempts: number;
  next_at: string | null;
  last_status: number | null;
  last_error: string | null;
  payload: unknown;
  created_at: string;
  delivered_at: string | null;
}

const events = ["ticket.created", "ticket.updated", "major_incident.updated", "booking.late", "broadcast.message"];


export function Webhooks({ organizations, providerId }: { organizations: Option[]; providerId: string }) {
  const { t } = useLocale();
  const customers = organizations.filter((o) => o.value !== providerId);
  const fetchPage = useCallback(
    (cursor: string | null) =>
      api<Page<Webhook>>("GET", `/api/v1/webhooks?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`),
    [],
  );
  const { items: webhooks, error, hasMore, more, reload } = usePaged(fetchPage);
  const [notice, setNotice] = useState<string | null>(null);
  const [shown, setShown] = useState<Webhook | null>(null);
  const [reading, setReading] = useState<Webhook | null>(null);
  const [busy, setBusy] = useState(false);

  const organizationName = (id: string | null) => (id ? (organizations.find((o) => o.value === id)?.label ?? id) : t("webhooks.everyOrganization"));
  const act = (promise: Promise<unknown>, done: string) =>
    promise
      .then(() => {
        setNotice(done);
        void reload();
      })
      .catch((e) => setNotice(problemsText(e)));

  return (
    <section aria-labelledby="webhooks-title" className="resource">
      <h1 id="webhooks-title">{t("webhooks.title")}</h1>
      <p className="lead">{t("webhooks.lead")}</p>
      <form
        className="filters"
        aria-label={t("webhooks.add")}
        onSubmit={(e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          const text = (name: string) => String(form.get(name) ?? "").trim();
          const body: Record<string, unknown> = {
            name: text("name"),
            url: text("url"),
            events: form.getAll("events").map(String),
            local_network: form.get("local_network") === "on",
          };
          if (text("organization_id")) body.organization_id = text("organization_id");
          setBusy(true);
          setNotice(null);
          api<Webhook>("POST", "/api/v1/webhooks", body)
            .then((created) => {
              setShown(created);
              void reload();
            })
            .catch((err) => setNotice(problemsText(err)))
            .finally(() => setBusy(false));
        }}
      >
        <div className="field">
          <label htmlFor="webhook-name">{t("webhooks.name")}</label>
          <input id="webhook-name" name="name" required maxLength={200} />
        </div>
        <div className="field">
          <label htmlFor="webhook-url">{t("webhooks.url")}</label>
          <input id="webhook-url" name="url" type="url" required maxLength={2000} placeholder="https://sms.example/hooks/tandem" />
        </div>
        <fieldset className="field">
          <legend>{t("webhooks.events")}</legend>
          <div className="checks">
            {events.map((ev) => (
              <label key={ev} className="check">
                <input type="checkbox" name="events" value={ev} defaultChecked={ev === "ticket.created"} /> {word(t, "webhookEvent", ev)}
              </label>
            ))}
          </div>
        </fieldset>
        <div className="field">
          <label htmlFor="webhook-organization">{t("webhooks.organization")}</label>
          <select id="webhook-organization" name="organization_id" defaultValue="" aria-describedby="webhook-organization-help">
            <option value="">{t("webhooks.everyOrganization")}</option>
            {customers.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
          <p className="help" id="webhook-organization-help">
            {t("webhooks.organization.help")}
          </p>
        </div>
        <div className="field">
          <label className="check">
            <input type="checkbox" name="local_network" aria-describedby="webhook-local-help" /> {t("webhooks.localNetwork")}
          </label>
          <p className="help" id="webhook-local-help">
            {t("webhooks.localNetwork.help")}
          </p>
        </div>
        <Button type="submit" isDisabled={busy}>
          {t("webhooks.add")}
        </Button>
      </form>
      <p role="status" className="notice">
        {notice}
      </p>
      {shown?.secret && <SecretShown webhook={shown} />}
      <Failure message={error} />
      {!webhooks && !error && <Loading />}
      {webhooks && webhooks.length === 0 && <p>{t("webhooks.none")}</p>}
      {webhooks && webhooks.length > 0 && (
        <div className="table-scroll">
          <table className="list">
            <caption className="visually-hidden">{t("webhooks.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("webhooks.name")}</th>
                <th scope="col">{t("webhooks.url")}</th>
                <th scope="col">{t("webhooks.events")}</th>
                <th scope="col">{t("webhooks.organization")}</th>
                <th scope="col">{t("webhooks.state")}</th>
                <th scope="col">{t("admin.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {webhooks.map((w) => (
                <tr key={w.id}>
                  <th scope="row">{w.name}</th>
                  <td>
                    {w.url}
                    {w.local_network && <div className="help">{t("webhooks.localNetwork")}</div>}
                  </td>
                  <td>{w.events.map((ev) => word(t, "webhookEvent", ev)).join(", ")}</td>
                  <td>{organizationName(w.organization_id)}</td>
                  <td>{w.active ? t("channels.on") : t("channels.off")}</td>
                  <td className="actions">
                    <Button aria-label={t("webhooks.logOf", { name: w.name })} onPress={() => setReading(w)}>
                      {t("webhooks.log")}
                    </Button>
                    <Button
                      aria-label={t("webhooks.testOf", { name: w.name })}
                      onPress={() => act(api("POST", `/api/v1/webhooks/${encodeURIComponent(w.id)}/ping`), t("webhooks.tested", { name: w.name }))}
                    >
                      {t("webhooks.test")}
                    </Button>
                    <Button
                      aria-label={t("webhooks.newSecretFor", { name: w.name })}
                      onPress={() =>
                        api<Webhook>("POST", `/api/v1/webhooks/${encodeURIComponent(w.id)}/secret`)
                          .then((rotated) => {
                            setShown(rotated);
                            setNotice(t("webhooks.rotated", { name: w.name }));
                            void reload();
                          })
                          .catch((e) => setNotice(problemsText(e)))
                      }
                    >
                      {t("webhooks.newSecret")}
                    </Button>
                    <Button
                      aria-label={t(w.active ? "webhooks.switchOffNamed" : "webhooks.switchOnNamed", { name: w.name })}
                      onPress={() =>
                        act(
                          api("PATCH", `/api/v1/webhooks/${encodeURIComponent(w.id)}`, { active: !w.active }, { "If-Match": `"v${w.version}"` }),
                          t(w.active ? "webhooks.switchedOff" : "webhooks.switchedOn", { name: w.name }),
                        )
                      }
                    >
                      {t(w.active ? "channels.switchOff" : "channels.switchOn")}
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {hasMore && <Button onPress={() => void more()}>{t("webhooks.more")}</Button>}
      {reading && <DeliveryLog key={reading.id} webhook={reading} />}
    </section>
  );
}

// The secret and how a receiver checks what it is sent, until the page is left.
function SecretShown({ webhook }: { webhook: Webhook }) {
  const { t } = useLocale();
  return (
    <div className="notice" role="region" aria-labelledby="webhook-secret-title">
      <h2 id="webhook-secret-title">{t("webhooks.shownOnce", { name: webhook.name })}</h2>
      <p>{t("webhooks.how")}</p>
      <div className="field">
        <label htmlFor="webhook-secret">{t("channels.secret")}</label>
        <input id="webhook-secret" readOnly value={webhook.secret} onFocus={(e) => e.currentTarget.select()} />
      </div>
    </div>
  );
}

function DeliveryLog({ webhook }: { webhook: Webhook }) {
  const { t, dateTime } = useLocale();
  // Opened from a row's "Deliveries": the reader is taken to it.
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const [state, setState] = useState("");
  const [notice, setNotice] = useState<string | null>(null);
  const base = `/api/v1/webhooks/${encodeURIComponent(webhook.id)}/deliveries`;
  const fetchPage = useCallback(
    (cursor: string | null) =>
      api<Page<EventDelivery>>("GET", `${base}?limit=50${state ? `&state=${state}` : ""}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`),
    [base, state],
  );
  const { items, error, hasMore, more, reload } = usePaged(fetchPage);
  const again = (d: EventDelivery) =>
    api("POST", `${base}/${encodeURIComponent(d.id)}/retry`)
      .then(() => {
        setNotice(t("webhooks.sentAgain", { event: word(t, "webhookEvent", d.event) }));
        void reload();
      })
      .catch((e) => setNotice(problemsText(e)));
  return (
    <section aria-labelledby="webhook-log-title">
      <h2 id="webhook-log-title" ref={heading} tabIndex={-1}>
        {t("webhooks.logTitle", { name: webhook.name })}
      </h2>
      <p className="help">{t("webhooks.logLead")}</p>
      <StateFilter id="webhook-log-state" value={state} onChange={setState} states={["pending", "delivered", "failed"]} group="deliveryState" all="webhooks.all" />
      <Button onPress={() => void reload()}>{t("channels.refresh")}</Button>
      {/* Always there, so that its first message is announced. */}
      <p role="status" className={notice ? "notice" : undefined}>
        {notice}
      </p>
      <Failure message={error} />
      {!items && !error && <Loading />}
      {items && items.length === 0 && <p>{t("webhooks.logEmpty")}</p>}
      {items && items.length > 0 && (
        <div className="table-scroll">
          <table className="list">
            <caption className="visually-hidden">{t("webhooks.logTitle", { name: webhook.name })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("channels.at")}</th>
                <th scope="col">{t("webhooks.event")}</th>
                <th scope="col">{t("webhooks.state")}</th>
                <th scope="col">{t("channels.payload")}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((d) => (
                <tr key={d.id}>
                  <th scope="row">{dateTime(d.created_at)}</th>
                  <td>{word(t, "webhookEvent", d.event)}</td>
                  <td>
                    {word(t, "deliveryState", d.state)}
                    {d.last_status !== null && ` (${d.last_status})`}
                    {d.state === "delivered" && d.delivered_at && <> · {dateTime(d.delivered_at)}</>}
                    {d.state === "pending" && d.attempts > 0 && d.next_at && (
                      <> · {t("outbox.nextTry", { tries: String(d.attempts), at: dateTime(d.next_at) })}</>
                    )}
                    {d.last_error && <div className="help">{d.last_error}</div>}
                    {d.state === "failed" && (
                      <Button aria-label={t("webhooks.sendAgainOf", { event: word(t, "webhookEvent", d.event), at: dateTime(d.created_at) })} onPress={() => void again(d)}>
                        {t("webhooks.sendAgain")}
                      </Button>
                    )}
                  </td>
                  <td>
                    <details>
                      <summary>{t("channels.payload")}</summary>
                      <pre>{JSON.stringify(d.payload, null, 2)}</pre>
                    </details>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {hasMore && <Button onPress={() => void more()}>{t("channels.more")}</Button>}
    </section>
  );
}
