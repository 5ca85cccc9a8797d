import { useCallback, useEffect, useState } from "react";
import { Button } from "react-aria-components";
import { api, type Page } from "../api";
import { Failure, Loading } from "../components/Status";
import { useLocale, word } from "../i18n";
import { errorText, usePaged } from "../paged";

// REL-5: the news a person gets — the broadcasts that reached them (maintenance windows, major
// incidents' news, notices), each in their language — and how they hear each service's news:
// in the portal, by e-mail, SMS or push, or not at all.
export interface Broadcast {
  id: string;
  kind: string;
  service_id: string | null;
  title: Record<string, string>;
  body: Record<string, string>;
  starts_at: string | null;
  ends_at: string | null;
  state: string;
  reach?: Record<string, number>; // staff only
  published_at: string | null;
  version: number;
  etag: string;
  created_at: string;
}
interface Subscription {
  id: string;
  service_id: string;
  channels: string[];
}
interface Service {
  id: string;
  name: string;
}

export const newsChannels = ["portal", "email", "sms", "push"];

// A text kept per language, in the reader's (else English, else any).
export function textIn(texts: Record<string, string>, language: string): string {
  return texts[language] ?? texts.en ?? Object.values(texts)[0] ?? "";
}

export function News() {
  const { t, language, dateTime } = useLocale();
  const fetchPage = useCallback(
    (cursor: string | null) => api<Page<Broadcast>>("GET", `/api/v1/broadcasts?reached=me&limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`),
    [],
  );
  const { items, error, hasMore, more } = usePaged(fetchPage);
  return (
    <main id="main">
      <h1>{t("news.title")}</h1>
      <p className="lead">{t("news.lead")}</p>
      <Failure message={error} />
      {!items && !error && <Loading />}
      {items && items.length === 0 && <p>{t("news.none")}</p>}
      {items && items.length > 0 && (
        <ul className="cards">
          {items.map((b) => (
            <li key={b.id} id={b.id} className="card">
              <h2>{textIn(b.title, language)}</h2>
              <p className="help">
                {word(t, "broadcastKind", b.kind)}
                {b.published_at && <> · {dateTime(b.published_at)}</>}
              </p>
              {b.starts_at && b.ends_at && <p>{t("news.window", { from: dateTime(b.starts_at), to: dateTime(b.ends_at) })}</p>}
              <p className="pre-line">{textIn(b.body, language)}</p>
            </li>
          ))}
        </ul>
      )}
      {hasMore && <Button onPress={() => void more()}>{t("news.more")}</Button>}
      <Following />
    </main>
  );
}

// Each service of the person's catalog, with the channels its news reaches them by.
function Following() {
  const { t, language } = useLocale();
  const [services, setServices] = useState<Service[] | null>(null);
  const [mine, setMine] = useState<Subscription[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const read = useCallback(async () => {
    try {
      const [s, m] = await Promise.all([
        api<Page<{ id: string; name: string | Record<string, string> }>>("GET", "/api/v1/services?limit=500"),
        api<Page<Subscription>>("GET", "/api/v1/service-subscriptions"),
      ]);
      setServices(s.items.map((x) => ({ id: x.id, name: typeof x.name === "string" ? x.name : textIn(x.name, language) })));
      setMine(m.items);
      setError(null);
    } catch (e) {
      setError(errorText(e));
    }
  }, [language]);
  useEffect(() => {
    void read();
  }, [read]);
  const save = (service: Service, form: HTMLFormElement) => {
    const channels = new FormData(form).getAll("channels").map(String);
    api("POST", "/api/v1/service-subscriptions", { service_id: service.id, channels })
      .then(() => {
        setNotice(channels.length ? t("news.saved", { name: service.name }) : t("news.muted", { name: service.name }));
        return read();
      })
      .catch((e) => setNotice(errorText(e)));
  };
  const stop = (service: Service, sub: Subscription) =>
    api("DELETE", `/api/v1/service-subscriptions/${encodeURIComponent(sub.id)}`)
      .then(() => {
        setNotice(t("news.stopped", { name: service.name }));
        return read();
      })
      .catch((e) => setNotice(errorText(e)));
  return (
    <section aria-labelledby="following-title">
      <h2 id="following-title">{t("news.following")}</h2>
      <p className="help">{t("news.following.lead")}</p>
      <p role="status" className="notice">
        {notice}
      </p>
      <Failure message={error} />
      {(!services || !mine) && !error && <Loading />}
      {services && mine && services.length === 0 && <p>{t("news.noServices")}</p>}
      {services && mine && (
        <ul className="cards">
          {services.map((s) => {
            const sub = mine.find((m) => m.service_id === s.id);
            return (
              <li key={s.id} className="card">
                <form
                  aria-label={t("news.howFor", { name: s.name })}
                  onSubmit={(e) => {
                    e.preventDefault();
                    save(s, e.currentTarget);
                  }}
                >
                  <fieldset>
                    <legend>{s.name}</legend>
                    <p className="help">
                      {!sub ? t("news.notFollowing") : sub.channels.length === 0 ? t("news.mutedState") : t("news.followingState")}
                    </p>
                    <div className="checks">
                      {newsChannels.map((c) => (
                        <label key={c} className="check">
                          <input type="checkbox" name="channels" value={c} defaultChecked={sub?.channels.includes(c) ?? false} />{" "}
                          {word(t, "newsChannel", c)}
                        </label>
                      ))}
                    </div>
                  </fieldset>
                  <Button type="submit" aria-label={t("news.saveFor", { name: s.name })}>
                    {t("news.save")}
                  </Button>
                  {sub && (
                    <Button aria-label={t("news.stopFor", { name: s.name })} onPress={() => void stop(s, sub)}>
                      {t("news.stop")}
                    </Button>
                  )}
                </form>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
