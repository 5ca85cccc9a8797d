import { useEffect, useState, type FormEvent } from "react";
import { Button } from "react-aria-components";
import { ApiError, chooseRouting, patchTicket, teams, type DeskTicket, type Team } from "../api";
import { useLocale, word } from "../i18n";
import { errorText } from "../paged";
import { Loading } from "./Status";

const priorities = ["low", "medium", "high", "critical"];
const levels = ["low", "medium", "high"];

// DESK-2 (agent workspace): the desk's own triage of a ticket — impact, urgency, priority, team,
// category and tags — changed in one go on the version read (If-Match). What changed lands on
// the timeline; a priority set by hand stays until impact or urgency change.
export function Triage({ ticket, onSaved }: { ticket: DeskTicket; onSaved: (message: string) => Promise<void> }) {
  const { t } = useLocale();
  // The teams, once read: a select shown before its options arrive keeps "no team" whatever
  // its default, and saving would take the ticket's team away. If they cannot be read, the team
  // is left out of the form.
  const [all, setAll] = useState<Team[] | "unknown" | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    teams()
      .then((p) => setAll(p.items))
      .catch(() => setAll("unknown"));
  }, []);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const patch: Record<string, unknown> = {};
    const text = (k: string) => String(data.get(k) ?? "");
    for (const k of ["impact", "urgency", "priority"]) if (text(k) !== ticket[k as "impact"]) patch[k] = text(k);
    if (data.has("team_id") && (text("team_id") || null) !== ticket.team_id) patch.team_id = text("team_id") || null;
    if (text("category").trim() !== ticket.category) patch.category = text("category").trim();
    const tags = text("tags")
      .split(/[,，]/)
      .map((s) => s.trim())
      .filter(Boolean);
    if (tags.join(",") !== ticket.tags.join(",")) patch.tags = tags;
    if (Object.keys(patch).length === 0) {
      setProblem(t("triage.unchanged"));
      return;
    }
    try {
      // REL-4: a team or category chosen here is the agent's routing, which the router learns from.
      const routing: { team_id?: string | null; category?: string } = {};
      if ("team_id" in patch) routing.team_id = patch.team_id as string | null;
      if ("category" in patch) routing.category = patch.category as string;
      delete patch.team_id;
      delete patch.category;
      const routed = Object.keys(routing).length > 0 ? await chooseRouting(ticket, routing) : ticket;
      if (Object.keys(patch).length > 0) await patchTicket(routed, patch);
      setProblem(null);
      await onSaved(t("triage.saved"));
    } catch (err) {
      if (err instanceof ApiError && err.status === 412) setProblem(t("ticket.stale"));
      else setProblem(err instanceof ApiError && err.details.length ? err.details.map((d) => `${d.field}: ${d.problem}`).join("; ") : errorText(err));
      await onSaved("");
    }
  }
  const choice = (name: "impact" | "urgency" | "priority", values: string[]) => (
    <div className="field">
      <label htmlFor={`triage-${name}`}>{t(`field.${name}` as const)}</label>
      <select id={`triage-${name}`} name={name} defaultValue={ticket[name]}>
        {values.map((v) => (
          <option key={v} value={v}>
            {word(t, "priority", v)}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <section aria-labelledby="triage" className="triage">
      <h2 id="triage">{t("triage.title")}</h2>
      {all === null && <Loading />}
      {all !== null && (
      <form onSubmit={(e) => void submit(e)} noValidate key={ticket.version}>
        <div className="triage-fields">
          {choice("impact", levels)}
          {choice("urgency", levels)}
          {choice("priority", priorities)}
          {Array.isArray(all) && (
            <div className="field">
              <label htmlFor="triage-team">{t("field.team_id")}</label>
              <select id="triage-team" name="team_id" defaultValue={ticket.team_id ?? ""}>
                <option value="">{t("triage.noTeam")}</option>
                {all.map((team) => (
                  <option key={team.id} value={team.id}>
                    {team.name}
                  </option>
                ))}
              </select>
            </div>
          )}
          <div className="field">
            <label htmlFor="triage-category">{t("field.category")}</label>
            <input id="triage-category" name="category" defaultValue={ticket.category} />
          </div>
          <div className="field">
            <label htmlFor="triage-tags">{t("triage.tags")}</label>
            <input id="triage-tags" name="tags" defaultValue={ticket.tags.join(", ")} />
          </div>
        </div>
        {problem && (
          <p role="alert" className="error">
            {problem}
          </p>
        )}
        <Button type="submit">{t("triage.save")}</Button>
      </form>
      )}
    </section>
  );
}
