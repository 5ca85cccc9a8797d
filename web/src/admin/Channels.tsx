import { useCallback, useState } from "react";
import { Button } from "react-aria-components";
import { api, type Page } from "../api";
import { StateFilter } from "../components/StateFilter";
import { Failure, Loading } from "../components/Status";
import { useLocale, word } from "../i18n";
import { errorText, problemsText, usePaged } from "../paged";
import { Link } from "../router";
import type { Option } from "./fields";

// REL-1, REL-3, DESK-10 (admin): the ways messages reach the desk besides the portal. An
// administrator adds a channel and gives its sender the hook's address and secret — shown once,
// replaced at any time — and reads what each delivery did, refused ones too. A messaging
// channel may add senders nobody knows to a customer organisation; otherwise their messages wait
// in the log.
interface Channel {
  id: string;
  kind: string;
  name: string;
  address: string | null;
  format: string;
  organization_id: string | null;
  active: boolean;
  hook_path: string | null;
  version: number;
  secret?: string;
}

interface Delivery {
  id: string;
  outcome: string;
  status: number;
  reason: string;
  ticket_id: string | null;
  payload: string | null;
  created_at: string;
}

interface OutgoingMail {
  id: string;
  ticket_id: string;
  kind: string;
  state: string;
  attempts: number;
  next_at: string | null;
  recipient: string | null;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

const kinds = ["messaging", "telephony", "alertmanager", "email", "imap"];
const formats = ["generic", "telegram", "twilio"];

export function Channels({ organizations, providerId }: { organizations: Option[]; providerId: string }) {
  const { t } = useLocale();
  const customers = organizations.filter((o) => o.value !== providerId);
  const fetchPage = useCallback(
    (cursor: string | null) =>
      api<Page<Channel>>("GET", `/api/v1/channels?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`),
    [],
  );
  const { items: channels, error, hasMore, more, reload: load } = usePaged(fetchPage);
  const [notice, setNotice] = useState<string | null>(null);
  const [shown, setShown] = useState<Channel | null>(null);
  const [reading, setReading] = useState<Channel | null>(null);
  const [kind, setKind] = useState("messaging");
  const [format, setFormat] = useState("generic");
  const [busy, setBusy] = useState(false);

  const organizationName = (id: string | null) => (id ? (organizations.find((o) => o.value === id)?.label ?? id) : null);
  const change = (channel: Channel, body: Record<string, unknown>, done: string) =>
    api("PATCH", `/api/v1/channels/${encodeURIComponent(channel.id)}`, body, { "If-Match": `"v${channel.version}"` })
      .then(() => {
        setNotice(done);
        void load();
      })
      .catch((e) => setNotice(errorText(e)));

  return (
    <section aria-labelledby="channels-title" className="resource">
      <h1 id="channels-title">{t("channels.title")}</h1>
      <p className="lead">{t("channels.lead")}</p>
      <form
        className="filters"
        aria-label={t("channels.add")}
        onSubmit={(e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          const text = (name: string) => String(form.get(name) ?? "").trim();
          const body: Record<string, unknown> = { kind, name: text("name"), format: text("format") || "generic" };
          if (text("address")) body.address = text("address");
          const secret = String(form.get("secret") ?? ""); // a password's blanks are its own
          if (secret.trim()) body.secret = secret;
          if (text("organization_id")) body.organization_id = text("organization_id");
          setBusy(true);
          setNotice(null);
          api<Channel>("POST", "/api/v1/channels", body)
            .then((created) => {
              // A mailbox's password is the administrator's own: it is not shown back.
              if (created.kind === "imap") setNotice(t("channels.imapAdded", { name: created.name }));
              else setShown(created);
              void load();
            })
            .catch((err) => setNotice(problemsText(err)))
            .finally(() => setBusy(false));
        }}
      >
        <div className="field">
          <label htmlFor="channel-kind">{t("channels.kind")}</label>
          <select
            id="channel-kind"
            name="kind"
            value={kind}
            onChange={(e) => {
              setKind(e.target.value);
              setFormat("generic");
            }}
          >
            {kinds.map((k) => (
              <option key={k} value={k}>
                {word(t, "channelKind", k)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="channel-name">{t("channels.name")}</label>
          <input id="channel-name" name="name" required maxLength={200} />
        </div>
        <div className="field">
          <label htmlFor="channel-address">{t(kind === "imap" ? "channels.mailbox" : "channels.address")}</label>
          <input
            id="channel-address"
            name="address"
            maxLength={320}
            required={kind === "imap"}
            aria-describedby="channel-address-help"
            placeholder={kind === "imap" ? "imaps://support%40desk.example@imap.example.com/INBOX" : undefined}
          />
          <p className="help" id="channel-address-help">
            {t(kind === "imap" ? "channels.mailbox.help" : "channels.address.help")}
          </p>
        </div>
        {kind === "imap" && (
          <div className="field">
            <label htmlFor="channel-password">{t("channels.mailboxPassword")}</label>
            <input id="channel-password" name="secret" type="password" required maxLength={200} autoComplete="off" />
          </div>
        )}
        {kind !== "alertmanager" && (
          <>
            {(kind === "messaging" || kind === "telephony") && (
              <div className="field">
                <label htmlFor="channel-format">{t("channels.format")}</label>
                <select id="channel-format" name="format" value={format} onChange={(e) => setFormat(e.target.value)}>
                  {formats
                    .filter((f) => f === "generic" || (f === "telegram" ? kind === "messaging" : kind === "telephony"))
                    .map((f) => (
                      <option key={f} value={f}>
                        {word(t, "channelFormat", f)}
                      </option>
                    ))}
                </select>
              </div>
            )}
            {(kind === "messaging" || kind === "telephony") && format === "twilio" && (
              <div className="field">
                <label htmlFor="channel-secret-in">{t("channels.twilioToken")}</label>
                <input id="channel-secret-in" name="secret" required maxLength={200} aria-describedby="channel-secret-help" />
                <p className="help" id="channel-secret-help">
                  {t("channels.twilioToken.help")}
                </p>
              </div>
            )}
            <div className="field">
              <label htmlFor="channel-organization">{t("channels.strangers")}</label>
              <select id="channel-organization" name="organization_id" defaultValue="" aria-describedby="channel-organization-help">
                <option value="">{t("channels.strangers.wait")}</option>
                {customers.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
              <p className="help" id="channel-organization-help">
                {t("channels.strangers.help")}
              </p>
            </div>
          </>
        )}
        <Button type="submit" isDisabled={busy}>
          {t("channels.add")}
        </Button>
      </form>
      <p role="status" className="notice">
        {notice}
      </p>
      {shown?.secret && <SecretShown channel={shown} />}
      <Failure message={error} />
      {!channels && !error && <Loading />}
      {channels && channels.length === 0 && <p>{t("channels.none")}</p>}
      {channels && channels.length > 0 && (
        <div className="table-scroll">
          <table className="list">
            <caption className="visually-hidden">{t("channels.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("channels.name")}</th>
                <th scope="col">{t("channels.kind")}</th>
                <th scope="col">{t("channels.strangers")}</th>
                <th scope="col">{t("channels.state")}</th>
                <th scope="col">{t("admin.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {channels.map((c) => (
                <tr key={c.id}>
                  <th scope="row">{c.name}</th>
                  <td>
                    {word(t, "channelKind", c.kind)}
                    {c.format !== "generic" && ` · ${word(t, "channelFormat", c.format)}`}
                    {c.address && ` · ${c.address}`}
                  </td>
                  <td>{c.kind !== "alertmanager" ? (organizationName(c.organization_id) ?? t("channels.strangers.wait")) : "—"}</td>
                  <td>{c.active ? t("channels.on") : t("channels.off")}</td>
                  <td className="actions">
                    {c.hook_path && (
                      <Button aria-label={t("channels.logOf", { name: c.name })} onPress={() => setReading(c)}>
                        {t("channels.log")}
                      </Button>
                    )}
                    {c.hook_path && c.format !== "twilio" && (
                      <Button
                        aria-label={t("channels.newSecretFor", { name: c.name })}
                        onPress={() =>
                          api<Channel>("POST", `/api/v1/channels/${encodeURIComponent(c.id)}/secret`)
                            .then((rotated) => {
                              setShown(rotated);
                              setNotice(t("channels.rotated", { name: c.name }));
                              void load();
                            })
                            .catch((e) => setNotice(errorText(e)))
                        }
                      >
                        {t("channels.newSecret")}
                      </Button>
                    )}
                    <Button
                      aria-label={t(c.active ? "channels.switchOffNamed" : "channels.switchOnNamed", { name: c.name })}
                      onPress={() =>
                        change(c, { active: !c.active }, t(c.active ? "channels.switchedOff" : "channels.switchedOn", { name: c.name }))
                      }
                    >
                      {t(c.active ? "channels.switchOff" : "channels.switchOn")}
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {hasMore && <Button onPress={() => void more()}>{t("channels.moreChannels")}</Button>}
      {reading && <DeliveryLog key={reading.id} channel={reading} />}
      <Outbox />
    </section>
  );
}

// The hook's address and secret, and how a sender uses them, until the page is left.
function SecretShown({ channel }: { channel: Channel }) {
  const { t } = useLocale();
  const address = channel.hook_path ? window.location.origin + channel.hook_path : null;
  const how =
    channel.kind === "alertmanager"
      ? t("channels.how.alertmanager")
      : channel.format === "twilio"
        ? t("channels.how.twilio")
        : channel.format === "telegram"
        ? t("channels.how.telegram")
        : channel.hook_path
          ? t("channels.how.generic")
          : t("channels.how.email");
  return (
    <div className="notice" role="region" aria-labelledby="channel-secret-title">
      <h2 id="channel-secret-title">{t("channels.shownOnce", { name: channel.name })}</h2>
      <p>{how}</p>
      {address && (
        <div className="field">
          <label htmlFor="channel-hook">{t("channels.hook")}</label>
          <input id="channel-hook" readOnly value={address} onFocus={(e) => e.currentTarget.select()} />
        </div>
      )}
      <div className="field">
        <label htmlFor="channel-secret">{t("channels.secret")}</label>
        <input id="channel-secret" readOnly value={channel.secret} onFocus={(e) => e.currentTarget.select()} />
      </div>
    </div>
  );
}

function DeliveryLog({ channel }: { channel: Channel }) {
  const { t, dateTime } = useLocale();
  const fetchPage = useCallback(
    (cursor: string | null) =>
      api<Page<Delivery>>(
        "GET",
        `/api/v1/channels/${encodeURIComponent(channel.id)}/deliveries?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      ),
    [channel.id],
  );
  const { items, error, hasMore, more, reload } = usePaged(fetchPage);
  return (
    <section aria-labelledby="channel-log-title">
      <h2 id="channel-log-title">{t("channels.logTitle", { name: channel.name })}</h2>
      <p className="help">{t("channels.logLead")}</p>
      <Button onPress={() => void reload()}>{t("channels.refresh")}</Button>
      <Failure message={error} />
      {!items && !error && <Loading />}
      {items && items.length === 0 && <p>{t("channels.logEmpty")}</p>}
      {items && items.length > 0 && (
        <div className="table-scroll">
          <table className="list">
            <caption className="visually-hidden">{t("channels.logTitle", { name: channel.name })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("channels.at")}</th>
                <th scope="col">{t("channels.outcome")}</th>
                <th scope="col">{t("channels.reason")}</th>
                <th scope="col">{t("channels.ticket")}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((d) => (
                <tr key={d.id}>
                  <th scope="row">{dateTime(d.created_at)}</th>
                  <td>
                    {word(t, "deliveryOutcome", d.outcome)} ({d.status})
                  </td>
                  <td>
                    {d.reason}
                    {d.payload && (
                      <details>
                        <summary>{t("channels.payload")}</summary>
                        <pre>{d.payload}</pre>
                      </details>
                    )}
                  </td>
                  <td>{d.ticket_id ? <Link to={`/desk/tickets/${encodeURIComponent(d.ticket_id)}`}>{t("channels.openTicket")}</Link> : "—"}</td>
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

// REL-1: the mail the desk sends, as the relay took it or did not; a failed one is sent again.
function Outbox() {
  const { t, dateTime } = useLocale();
  const [state, setState] = useState("");
  const [notice, setNotice] = useState<string | null>(null);
  const fetchPage = useCallback(
    (cursor: string | null) =>
      api<Page<OutgoingMail>>(
        "GET",
        `/api/v1/outgoing-mail?limit=50${state ? `&state=${state}` : ""}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      ),
    [state],
  );
  const { items, error, hasMore, more, reload } = usePaged(fetchPage);
  const retry = (m: OutgoingMail) =>
    api("POST", `/api/v1/outgoing-mail/${encodeURIComponent(m.id)}/retry`)
      .then(() => {
        setNotice(t("outbox.retried", { to: m.recipient ?? "" }));
        void reload();
      })
      .catch((e) => setNotice(errorText(e)));
  return (
    <section aria-labelledby="outbox-title">
      <h2 id="outbox-title">{t("outbox.title")}</h2>
      <p className="help">{t("outbox.lead")}</p>
      <StateFilter id="outbox-state" value={state} onChange={setState} states={["queued", "sent", "failed"]} group="mailState" all="outbox.all" />
      <Button onPress={() => void reload()}>{t("channels.refresh")}</Button>
      {notice && (
        <p role="status" className="notice">
          {notice}
        </p>
      )}
      <Failure message={error} />
      {!items && !error && <Loading />}
      {items && items.length === 0 && <p>{t("outbox.empty")}</p>}
      {items && items.length > 0 && (
        <div className="table-scroll">
          <table className="list">
            <caption className="visually-hidden">{t("outbox.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("channels.at")}</th>
                <th scope="col">{t("outbox.what")}</th>
                <th scope="col">{t("outbox.to")}</th>
                <th scope="col">{t("outbox.state")}</th>
                <th scope="col">{t("channels.ticket")}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((m) => (
                <tr key={m.id}>
                  <th scope="row">{dateTime(m.created_at)}</th>
                  <td>{word(t, "mailKind", m.kind)}</td>
                  <td>{m.recipient ?? "—"}</td>
                  <td>
                    {word(t, "mailState", m.state)}
                    {m.state === "sent" && m.sent_at && <> · {dateTime(m.sent_at)}</>}
                    {m.state === "queued" && m.attempts > 0 && m.next_at && (
                      <> · {t("outbox.nextTry", { tries: String(m.attempts), at: dateTime(m.next_at) })}</>
                    )}
                    {m.last_error && <div className="help">{m.last_error}</div>}
                    {m.state === "failed" && (
                      <Button aria-label={t("outbox.retryTo", { to: m.recipient ?? m.id })} onPress={() => void retry(m)}>
                        {t("outbox.retry")}
                      </Button>
                    )}
                  </td>
                  <td>
                    <Link to={`/desk/tickets/${encodeURIComponent(m.ticket_id)}`}>{t("channels.openTicket")}</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {hasMore && <Button onPress={() => void more()}>{t("outbox.more")}</Button>}
    </section>
  );
}
