import { useEffect, useState } from "react";
import { Button } from "react-aria-components";
import { api } from "../api";
import { Failure, Loading } from "../components/Status";
import { useLocale } from "../i18n";
import { errorText } from "../paged";

// OFF-4, OFF-1: a person leaves the service by themselves. First what they could keep instead —
// a cheaper tier of what they hold (the car-share story: no monthly fee over the summer) — then,
// if they still want to go, their access ends at once and what they paid ahead is settled.
interface Money {
  amount: string;
  currency: string;
}
interface Offer {
  subscription_id: string;
  tier_id: string;
  name: string;
  monthly_fee: Money;
  current: { tier_id: string; name: string; monthly_fee: Money };
}

export function Leaving({ onLeft }: { onLeft: () => void }) {
  const { t, dateTime } = useLocale();
  const [offers, setOffers] = useState<Offer[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const load = () =>
    api<{ offers: Offer[] }>("GET", "/api/v1/me/leaving")
      .then((r) => setOffers(r.offers))
      .catch((e) => setError(errorText(e)));
  useEffect(() => {
    void load();
  }, []);
  const money = (m: Money) => `${m.amount} ${m.currency}`;
  if (error) return <main id="main"><Failure message={error} /></main>;
  if (!offers) return <main id="main"><Loading /></main>;
  return (
    <main id="main">
      <h1>{t("leaving.title")}</h1>
      <p className="lead">{t("leaving.lead")}</p>
      {offers.length > 0 && (
        <section aria-labelledby="leaving-offers-title">
          <h2 id="leaving-offers-title">{t("leaving.offers")}</h2>
          <ul>
            {offers.map((o) => (
              <li key={o.subscription_id + o.tier_id}>
                <p>
                  {t("leaving.offer", {
                    current: o.current.name,
                    currentFee: money(o.current.monthly_fee),
                    name: o.name,
                    fee: money(o.monthly_fee),
                  })}
                </p>
                <Button
                  isDisabled={busy}
                  onPress={() => {
                    setBusy(true);
                    setProblem(null);
                    api<{ effective_at: string }>("POST", `/api/v1/subscriptions/${encodeURIComponent(o.subscription_id)}/tier-change`, {
                      tier_id: o.tier_id,
                    })
                      // The offers are read again before the change is announced, so what the
                      // notice says and what the page shows agree.
                      .then((changed) => load().then(() => setNotice(t("leaving.switched", { name: o.name, date: dateTime(changed.effective_at) }))))
                      .catch((e) => setProblem(errorText(e)))
                      .finally(() => setBusy(false));
                  }}
                >
                  {t("leaving.switch", { name: o.name })}
                </Button>
              </li>
            ))}
          </ul>
        </section>
      )}
      <p role="status" className="notice">
        {notice}
      </p>
      <form
        aria-labelledby="leaving-confirm-title"
        onSubmit={(e) => {
          e.preventDefault();
          const reason = String(new FormData(e.currentTarget).get("reason") ?? "");
          setBusy(true);
          setProblem(null);
          api("POST", "/api/v1/me/leaving", { reason })
            .then(onLeft)
            .catch((err) => {
              setProblem(errorText(err));
              setBusy(false);
            });
        }}
      >
        <h2 id="leaving-confirm-title">{t("leaving.confirmTitle")}</h2>
        <p className="help" id="leaving-help">
          {t("leaving.help")}
        </p>
        <div className="field">
          <label htmlFor="leaving-reason">{t("leaving.reason")}</label>
          <textarea id="leaving-reason" name="reason" required maxLength={2000} aria-describedby="leaving-help" />
        </div>
        <Button type="submit" isDisabled={busy}>
          {t("leaving.leave")}
        </Button>
      </form>
      <Failure message={problem} />
    </main>
  );
}
