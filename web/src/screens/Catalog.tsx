import { Button } from "react-aria-components";
import { catalogPage, type CatalogItem, type CatalogSection } from "../api";
import { useLocale } from "../i18n";
import { usePaged } from "../paged";
import { Link } from "../router";
import { Loading } from "../components/Status";

// ONB-10, REL-2: the catalog the signed-in person is entitled to — for each request type whether
// they may request it now, what is missing if not, and when a request raised now is expected.
export function Catalog() {
  const { t } = useLocale();
  const { items: sections, error, hasMore, more, reload } = usePaged<CatalogSection>(catalogPage);

  return (
    <main id="main" className="catalog">
      <h1>{t("catalog.title")}</h1>
      <p className="lead">{t("catalog.lead")}</p>
      {error && (
        <p role="alert" className="error">
          {t("app.error", { message: error })} <Button onPress={() => void reload()}>{t("app.retry")}</Button>
        </p>
      )}
      {!sections && !error && <Loading />}
      {sections && sections.length === 0 && <p>{t("catalog.empty")}</p>}
      {sections?.map((s) => (
        <section key={s.service.id} aria-labelledby={`svc-${s.service.id}`} className="service">
          <h2 id={`svc-${s.service.id}`}>{s.service.name}</h2>
          {s.service.description && <p>{s.service.description}</p>}
          <ul className="items">
            {s.request_types.map((item) => (
              <Item key={item.id} item={item} />
            ))}
          </ul>
        </section>
      ))}
      {hasMore && <Button onPress={() => void more()}>{t("catalog.more")}</Button>}
    </main>
  );
}

function Item({ item }: { item: CatalogItem }) {
  const { t, dateTime } = useLocale();
  const when = item.timeframe?.resolution_by ?? item.timeframe?.first_response_by ?? null;
  const promise = !item.timeframe || !when
    ? t("catalog.expected.none")
    : item.timeframe.resolution_by
      ? t("catalog.expected.resolution", { when: dateTime(when) })
      : t("catalog.expected.firstResponse", { when: dateTime(when) });
  return (
    <li className="item" aria-labelledby={`rt-${item.id}`}>
      <h3 id={`rt-${item.id}`}>{item.name}</h3>
      {item.description && <p>{item.description}</p>}
      <dl>
        <dt>{t("catalog.price")}</dt>
        <dd>{Number(item.price) === 0 ? t("catalog.free") : item.price}</dd>
        <dt>{t("catalog.expected")}</dt>
        <dd>{promise}</dd>
      </dl>
      {item.eligible ? (
        <>
          <p className="eligible">{t("catalog.eligible")}</p>
          <Link className="action" to={`/catalog/${item.id}`} aria-describedby={`rt-${item.id}`}>
            {t("catalog.request")}
          </Link>
        </>
      ) : (
        <div className="not-eligible">
          <p>{t("catalog.notEligible")}</p>
          <p>{t("catalog.missing")}:</p>
          <ul>
            {item.missing.map((m) => (
              <li key={m.kind + m.id}>
                {m.kind === "terms" ? (
                  <Link to={`/terms/${encodeURIComponent(m.id)}`}>{m.message}</Link>
                ) : m.kind === "requirement" ? (
                  <Link to="/requirements">{m.message}</Link>
                ) : (
                  m.message
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
    </li>
  );
}
