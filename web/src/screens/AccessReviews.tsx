import { useCallback, useEffect, useState } from "react";
import { Button } from "react-aria-components";
import { api, type Page, type User } from "../api";
import { DialogForm } from "../components/DialogForm";
import { Failure, Loading } from "../components/Status";
import { useLocale, word } from "../i18n";
import { errorText, usePaged } from "../paged";
import { Link, navigate } from "../router";

// ONB-12: an organisation's customer reviews every grant its people hold, confirming or revoking
// each; a revocation takes effect at once, and the review stays as the record.
interface Grant {
  id: string;
  kind: "account" | "role" | "membership" | "token" | "entitlement" | "subscription";
  // Names of the catalog (a service, a tier) are kept in both languages: { en, "zh-CN" }.
  subject: Record<string, string | Record<string, string> | null>;
  decision: "confirm" | "revoke" | null;
  decided_at: string | null;
}
interface Review {
  id: string;
  organization_id: string;
  grants?: Grant[]; // one review's first page; more from its grants route
  grants_next_cursor?: string | null;
  decided: number;
  total: number;
  created_at: string;
}

export function AccessReviews({ user }: { user: User }) {
  const { t, dateTime } = useLocale();
  const fetchPage = useCallback(
    (cursor: string | null) => api<Page<Review>>("GET", `/api/v1/access-reviews?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`),
    [],
  );
  const { items, error, hasMore, more } = usePaged(fetchPage);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function open() {
    setBusy(true);
    try {
      const review = await api<Review>("POST", "/api/v1/access-reviews", { organization_id: user.organization_id });
      navigate(`/access-reviews/${encodeURIComponent(review.id)}`);
    } catch (e) {
      setProblem(errorText(e));
      setBusy(false);
    }
  }

  return (
    <main id="main">
      <h1>{t("reviews.title")}</h1>
      <p className="help">{t("reviews.lead")}</p>
      <p className="buttons">
        <Button isDisabled={busy} onPress={() => void open()}>
          {t("reviews.open")}
        </Button>
      </p>
      {problem && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}
      <Failure message={error} />
      {!items && !error && <Loading />}
      {items && items.length === 0 && <p>{t("reviews.empty")}</p>}
      {items && items.length > 0 && (
        <ul>
          {items.map((r) => (
            <li key={r.id}>
              <Link to={`/access-reviews/${encodeURIComponent(r.id)}`}>
                {t("reviews.item", { at: dateTime(r.created_at), decided: String(r.decided), total: String(r.total) })}
              </Link>
            </li>
          ))}
        </ul>
      )}
      {hasMore && <Button onPress={() => void more()}>{t("reviews.more")}</Button>}
    </main>
  );
}

// A name kept in both languages, in the reader's (the other when it has only that one).
function named(value: string | Record<string, string> | null | undefined, language: string): string | null {
  if (value == null || typeof value === "string") return value ?? null;
  return value[language] ?? Object.values(value)[0] ?? null;
}

function what(locale: ReturnType<typeof useLocale>, g: Grant): string {
  const { t, language } = locale;
  const s = (key: string) => named(g.subject[key], language);
  const who = s("name") ?? s("email") ?? s("user_id") ?? "";
  switch (g.kind) {
    case "account":
      return t("reviews.grant.account", { who: `${who} <${s("email") ?? ""}>` });
    case "role":
      return t("reviews.grant.role", { who, role: word(t, "role", s("role") ?? "") });
    case "membership":
      return t("reviews.grant.membership", { who, group: s("group") ?? "" });
    case "token":
      return t("reviews.grant.token", { who, token: s("token_name") ?? "" });
    case "entitlement":
      return t("reviews.grant.entitlement", { target: s("target") ?? s("service_id") ?? s("request_type_id") ?? "" });
    case "subscription": {
      const tier = s("tier") ?? s("tier_id") ?? "";
      return g.subject.user_id ? t("reviews.grant.subscription.person", { who, tier }) : t("reviews.grant.subscription", { tier });
    }
  }
}

export function AccessReviewView({ id }: { id: string }) {
  const locale = useLocale();
  const { t } = locale;
  const [review, setReview] = useState<Review | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [said, setSaid] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<Grant | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [moreFailed, setMoreFailed] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api<Review>("GET", `/api/v1/access-reviews/${encodeURIComponent(id)}`)
      .then(setReview)
      .catch((e) => setError(errorText(e)));
  }, [id]);

  async function decide(g: Grant, decision: "confirm" | "revoke") {
    setBusy(true);
    setRefusal(null);
    try {
      const answer = await api<Review & { grant: Grant }>("POST", `/api/v1/access-reviews/${encodeURIComponent(id)}/decisions`, {
        grant_id: g.id,
        decision,
      });
      setReview((r) =>
        r && { ...r, decided: answer.decided, total: answer.total, grants: (r.grants ?? []).map((x) => (x.id === answer.grant.id ? answer.grant : x)) },
      );
      setSaid(t(decision === "confirm" ? "reviews.confirmed" : "reviews.revoked", { what: what(locale, g) }));
      setRevoking(null);
    } catch (e) {
      if (decision === "revoke") setRefusal(errorText(e));
      else setSaid(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  // A large organisation's grants come a page at a time.
  async function more() {
    if (!review?.grants_next_cursor) return;
    setBusy(true);
    try {
      const page = await api<Page<Grant>>(
        "GET",
        `/api/v1/access-reviews/${encodeURIComponent(id)}/grants?limit=200&cursor=${encodeURIComponent(review.grants_next_cursor)}`,
      );
      setReview((r) => r && { ...r, grants: [...(r.grants ?? []), ...page.items], grants_next_cursor: page.next_cursor });
      setMoreFailed(null);
    } catch (e) {
      setMoreFailed(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  if (!review)
    return (
      <main id="main">
        {error && <h1>{t("reviews.title")}</h1>}
        {error ? <Failure message={error} /> : <Loading />}
      </main>
    );
  return (
    <main id="main">
      <p>
        <Link to="/access-reviews">{t("reviews.back")}</Link>
      </p>
      <h1>{t("reviews.one")}</h1>
      <p>{t("reviews.progress", { decided: String(review.decided), total: String(review.total) })}</p>
      <p role="status">{said}</p>
      <table className="list">
        <thead>
          <tr>
            <th scope="col">{t("reviews.grant")}</th>
            <th scope="col">{t("reviews.decision")}</th>
            <th scope="col">{t("reviews.actions")}</th>
          </tr>
        </thead>
        <tbody>
          {(review.grants ?? []).map((g) => (
            <tr key={g.id}>
              <th scope="row" id={`grant-${g.id}`}>
                {what(locale, g)}
              </th>
              <td>{g.decision ? word(t, "reviews.decision", g.decision) : t("reviews.undecided")}</td>
              <td>
                {g.decision !== "revoke" && (
                  <div className="moves">
                    {g.decision !== "confirm" && (
                      <Button
                        className="react-aria-Button secondary"
                        isDisabled={busy}
                        aria-describedby={`grant-${g.id}`}
                        onPress={() => void decide(g, "confirm")}
                      >
                        {t("reviews.confirm")}
                      </Button>
                    )}
                    <Button className="react-aria-Button secondary" isDisabled={busy} aria-describedby={`grant-${g.id}`} onPress={() => setRevoking(g)}>
                      {t("reviews.revoke")}
                    </Button>
                  </div>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Failure message={moreFailed} />
      {review.grants_next_cursor && (
        <p>
          <Button isDisabled={busy} onPress={() => void more()}>
            {t("reviews.moreGrants", { shown: String(review.grants?.length ?? 0), total: String(review.total) })}
          </Button>
        </p>
      )}
      {revoking && (
        <DialogForm
          isOpen
          title={t("reviews.revokeTitle")}
          submitLabel={t("reviews.revoke")}
          refusal={refusal}
          busy={busy}
          onClose={() => {
            setRevoking(null);
            setRefusal(null);
          }}
          onSubmit={(e) => {
            e.preventDefault();
            void decide(revoking, "revoke");
          }}
        >
          <p>{what(locale, revoking)}</p>
          <p>{t("reviews.revokeWarning")}</p>
        </DialogForm>
      )}
    </main>
  );
}
