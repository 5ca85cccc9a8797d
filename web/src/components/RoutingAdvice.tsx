import { useEffect, useState } from "react";
import { Button } from "react-aria-components";
import { ApiError, chooseRouting, routingSuggestion, teams, type DeskTicket, type RouteGuess, type RoutingSuggestion } from "../api";
import { useLocale } from "../i18n";
import { errorText } from "../paged";
import { Loading } from "./Status";

// REL-4 (staff): where the router would send the ticket — the classifier's team and category
// with its confidence and the words that drove it, or the classification rules that fired — and
// a button to take it. Changing team or category in the triage below is a correction, which the
// router learns from too.
export function RoutingAdvice({ ticket, onRouted }: { ticket: DeskTicket; onRouted: (message: string) => Promise<void> }) {
  const { t } = useLocale();
  const [advice, setAdvice] = useState<RoutingSuggestion | null>(null);
  const [names, setNames] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    routingSuggestion(ticket)
      .then((a) => current && setAdvice(a))
      .catch((e) => current && setProblem(errorText(e)));
    teams()
      .then((p) => current && setNames(Object.fromEntries(p.items.map((team) => [team.id, team.name]))))
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [ticket.id, ticket.version]);

  const why = (g: RouteGuess) =>
    g.source === "classifier"
      ? t("routing.byClassifier", {
          confidence: String(Math.round(g.confidence * 100)),
          words: g.words.map((w) => w.term).join(", ") || "—",
        })
      : t("routing.byRules", { rules: g.rules.join(", ") });
  const differs =
    advice &&
    ((advice.team && advice.team.value !== ticket.team_id) || (advice.category && advice.category.value !== ticket.category));

  return (
    <section aria-labelledby="routing-title">
      <h2 id="routing-title">{t("routing.title")}</h2>
      {!advice && !problem && <Loading />}
      {advice && !advice.team && !advice.category && <p>{t("routing.none")}</p>}
      {advice && (advice.team || advice.category) && (
        <dl className="facts">
          {advice.team && (
            <>
              <dt>{t("field.team_id")}</dt>
              <dd>
                {names[advice.team.value] ?? advice.team.value} <span className="help">{why(advice.team)}</span>
              </dd>
            </>
          )}
          {advice.category && (
            <>
              <dt>{t("field.category")}</dt>
              <dd>
                {advice.category.value} <span className="help">{why(advice.category)}</span>
              </dd>
            </>
          )}
        </dl>
      )}
      {advice && differs && (
        <Button
          onPress={() => {
            const choice: { team_id?: string; category?: string } = {};
            if (advice.team) choice.team_id = advice.team.value;
            if (advice.category) choice.category = advice.category.value;
            chooseRouting(ticket, choice)
              .then(() => onRouted(t("routing.accepted")))
              .catch((e) => setProblem(e instanceof ApiError && e.status === 412 ? t("ticket.stale") : errorText(e)));
          }}
        >
          {t("routing.accept")}
        </Button>
      )}
      {advice && !differs && (advice.team || advice.category) && <p className="help">{t("routing.followed")}</p>}
      {problem && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}
    </section>
  );
}
