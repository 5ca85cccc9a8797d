import { useCallback, useEffect, useState, type FormEvent, type ReactNode } from "react";
import { Button } from "react-aria-components";
import { api, type Page, type User } from "../api";
import { useLookups } from "../admin/lookups";
import { Problem, useFormProblems } from "../components/Form";
import { Failure, Loading } from "../components/Status";
import { useLocale, word } from "../i18n";
import { errorText, problemsText, usePaged } from "../paged";

// FDB-3: one's points (earned by the rules: peers' votes, the state one left a shared car in, a
// good rating of one's help; or awarded by staff), one's organisation's leaderboard, and prize
// draws that anyone can check: the seed's SHA-256 is shown before the draw, the seed after.
export const runsDraws = (user: User) => user.roles.some((r) => ["admin", "relationship_manager"].includes(r));

interface PointsView {
  total: number;
  last_7_days: number;
  last_30_days: number;
  history: { id: string; points: number; reason: string; created_at: string }[];
}
interface Board {
  items: { member: { id: string; name: string }; points: number }[];
}
interface Draw {
  id: string;
  organization_id: string;
  name: string;
  prize: string;
  winners: number;
  period_from: string;
  period_to: string;
  min_points: number;
  weighted: boolean;
  state: "open" | "drawn";
  seed_sha256: string;
  seed: string | null;
  entrants: { user_id: string; tickets: number }[] | null;
  winner_list: { user_id: string; name: string | null }[]; // null: since moved to another organisation
  etag: string;
}

const fromInput = (v: string) => new Date(v).toISOString();
const winnersText = (d: Draw, t: ReturnType<typeof useLocale>["t"]) =>
  d.winner_list.map((w) => w.name ?? t("points.formerMember")).join(", ") || t("points.nobody");

export function Points({ user }: { user: User }) {
  const { t } = useLocale();
  return (
    <main id="main">
      <h1>{t("points.title")}</h1>
      <p className="lead">{t("points.lead")}</p>
      <MyPoints />
      {!user.roles.some((r) => ["admin", "agent", "specialist", "relationship_manager"].includes(r)) && (
        <Leaderboard organizationId={user.organization_id} />
      )}
      <Draws user={user} />
    </main>
  );
}

function MyPoints() {
  const { t, dateTime } = useLocale();
  const [v, setV] = useState<PointsView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<PointsView>("GET", "/api/v1/points")
      .then(setV)
      .catch((e) => setError(errorText(e)));
  }, []);
  return (
    <section aria-labelledby="my-points">
      <h2 id="my-points">{t("points.mine")}</h2>
      <Failure message={error} />
      {!v && !error && <Loading />}
      {v && (
        <>
          <dl className="facts">
            <dt>{t("points.total")}</dt>
            <dd className="big-number">{v.total}</dd>
            <dt>{t("points.last30")}</dt>
            <dd>{v.last_30_days}</dd>
          </dl>
          {v.history.length === 0 ? (
            <p>{t("points.none")}</p>
          ) : (
            <table className="list">
              <caption>{t("points.history")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("points.when")}</th>
                  <th scope="col">{t("points.why")}</th>
                  <th scope="col">{t("points.points")}</th>
                </tr>
              </thead>
              <tbody>
                {v.history.map((e) => (
                  <tr key={e.id}>
                    <td>{dateTime(e.created_at)}</td>
                    <td>{word(t, "pointsReason", e.reason)}</td>
                    <td>{e.points > 0 ? `+${e.points}` : e.points}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}

function Leaderboard({ organizationId }: { organizationId: string }) {
  const { t } = useLocale();
  const [board, setBoard] = useState<Board | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<Board>("GET", `/api/v1/leaderboard?organization_id=${encodeURIComponent(organizationId)}&period=month`)
      .then(setBoard)
      .catch((e) => setError(errorText(e)));
  }, [organizationId]);
  return (
    <section aria-labelledby="leaderboard">
      <h2 id="leaderboard">{t("points.leaderboard")}</h2>
      <Failure message={error} />
      {!board && !error && <Loading />}
      {board && board.items.length === 0 && <p>{t("points.boardEmpty")}</p>}
      {board && board.items.length > 0 && (
        <ol className="leaderboard">
          {board.items.map((row) => (
            <li key={row.member.id}>
              {row.member.name} — {t("points.pointsN", { n: String(row.points) })}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function Draws({ user }: { user: User }) {
  const { t, dateTime } = useLocale();
  const manager = runsDraws(user);
  const fetchPage = useCallback(
    (cursor: string | null) => api<Page<Draw>>("GET", `/api/v1/draws?limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`),
    [],
  );
  const { items, error, hasMore, more, reload } = usePaged(fetchPage);
  const [notice, setNotice] = useState<string | null>(null);
  const run = (d: Draw) =>
    api<Draw>("POST", `/api/v1/draws/${encodeURIComponent(d.id)}/run`, {}, { "If-Match": d.etag })
      .then((done) => {
        setNotice(t("points.drawnNotice", { name: done.name, winners: winnersText(done, t) }));
        document.getElementById("draws-notice")?.focus();
        void reload();
      })
      .catch((e) => setNotice(problemsText(e)));
  return (
    <section aria-labelledby="draws">
      <h2 id="draws">{t("points.draws")}</h2>
      <p>{t("points.draws.lead")}</p>
      {manager && <DrawForm user={user} onMade={(name) => (setNotice(t("points.drawMade", { name })), void reload())} />}
      {manager && <AwardForm user={user} onAwarded={(text) => (setNotice(text), document.getElementById("draws-notice")?.focus())} />}
      <p role="status" className="notice" id="draws-notice" tabIndex={-1}>
        {notice}
      </p>
      <Failure message={error} />
      {!items && !error && <Loading />}
      {items && items.length === 0 && <p>{t("points.noDraws")}</p>}
      {items && items.length > 0 && (
        <ul className="cards">
          {items.map((d) => (
            <li key={d.id} className="card" aria-labelledby={`draw-${d.id}`}>
              <h3 id={`draw-${d.id}`}>{d.name}</h3>
              <dl className="facts">
                <dt>{t("points.prize")}</dt>
                <dd>{d.prize}</dd>
                <dt>{t("points.period")}</dt>
                <dd>
                  {dateTime(d.period_from)} – {dateTime(d.period_to)}
                </dd>
                <dt>{t("points.who")}</dt>
                <dd>{t(d.weighted ? "points.whoWeighted" : "points.whoEqual", { n: String(d.min_points) })}</dd>
                <dt>{t("points.commitment")}</dt>
                <dd>
                  <code className="hash">{d.seed_sha256}</code>
                </dd>
                {d.state === "drawn" && (
                  <>
                    <dt>{t("points.winners")}</dt>
                    <dd>{winnersText(d, t)}</dd>
                    <dt>{t("points.seed")}</dt>
                    <dd>
                      <code className="hash">{d.seed}</code>
                    </dd>
                    <dt>{t("points.entrants")}</dt>
                    <dd>{d.entrants?.length ?? 0}</dd>
                  </>
                )}
              </dl>
              {d.state === "drawn" ? (
                <p className="help">{t("points.check")}</p>
              ) : (
                manager && (
                  <Button onPress={() => void run(d)} aria-label={t("points.drawNamed", { name: d.name })}>
                    {t("points.drawNow")}
                  </Button>
                )
              )}
            </li>
          ))}
        </ul>
      )}
      {hasMore && <Button onPress={() => void more()}>{t("points.moreDraws")}</Button>}
    </section>
  );
}

function DrawForm({ user, onMade }: { user: User; onMade: (name: string) => void }) {
  const { t, language } = useLocale();
  const { lookups, error } = useLookups(user.organization_id, language);
  const { problems, refusal, refused, clear } = useFormProblems();
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    const text = (k: string) => String(data.get(k) ?? "").trim();
    clear();
    try {
      const made = await api<Draw>("POST", "/api/v1/draws", {
        organization_id: text("organization_id"),
        name: text("name"),
        prize: text("prize"),
        winners: Number(text("winners") || "1"),
        min_points: Number(text("min_points") || "1"),
        weighted: data.get("weighted") === "on",
        ...(text("period_from") ? { period_from: fromInput(text("period_from")) } : {}),
        ...(text("period_to") ? { period_to: fromInput(text("period_to")) } : {}),
      });
      form.reset();
      onMade(made.name);
    } catch (err) {
      refused(err);
    }
  }
  // Each field with its problem, announced through aria-describedby (REL-6).
  const field = (name: string, id: string, label: string, input: (a11y: Record<string, unknown>) => ReactNode) => {
    const problem = problems[name];
    return (
      <div className="field">
        <label htmlFor={id}>{label}</label>
        {input({ id, name, "aria-invalid": problem ? true : undefined, "aria-describedby": problem ? `${id}-problem` : undefined })}
        <Problem id={`${id}-problem`} text={problem} />
      </div>
    );
  };
  return (
    <form className="stacked" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="draw-form">
      <h3 id="draw-form">{t("points.newDraw")}</h3>
      <Failure message={error} />
      {field("organization_id", "draw-org", t("points.organization"), (a) => (
        <select {...a} required defaultValue="">
          <option value="" disabled>
            {lookups ? t("points.chooseOrganization") : t("app.loading")}
          </option>
          {(lookups?.organizations ?? []).map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      ))}
      {field("name", "draw-name", t("points.name"), (a) => <input {...a} required maxLength={200} />)}
      {field("prize", "draw-prize", t("points.prize"), (a) => <input {...a} required maxLength={500} />)}
      {field("period_from", "draw-from", t("points.from"), (a) => <input {...a} required type="datetime-local" />)}
      {field("period_to", "draw-to", t("points.to"), (a) => <input {...a} required type="datetime-local" />)}
      {field("min_points", "draw-min", t("points.minPoints"), (a) => <input {...a} type="number" min={1} defaultValue={1} />)}
      {field("winners", "draw-winners", t("points.winnersCount"), (a) => <input {...a} type="number" min={1} max={100} defaultValue={1} />)}
      <label className="check">
        <input type="checkbox" name="weighted" /> {t("points.weighted")}
      </label>
      {refusal && (
        <p role="alert" className="error">
          {refusal}
        </p>
      )}
      <Button type="submit">{t("points.makeDraw")}</Button>
    </form>
  );
}

// Points by hand: a reward or a correction, with the reason the person reads in their history.
function AwardForm({ user, onAwarded }: { user: User; onAwarded: (said: string) => void }) {
  const { t, language } = useLocale();
  const { lookups } = useLookups(user.organization_id, language);
  const [organization, setOrganization] = useState("");
  const [people, setPeople] = useState<{ id: string; name: string }[] | null>(null);
  const { problems, refusal, refused, clear } = useFormProblems();
  useEffect(() => {
    if (!organization) return setPeople(null);
    let current = true;
    api<Page<{ id: string; name: string }>>("GET", `/api/v1/users?organization_id=${encodeURIComponent(organization)}&limit=500`)
      .then((p) => current && setPeople(p.items))
      .catch(() => current && setPeople([]));
    return () => {
      current = false;
    };
  }, [organization]);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    const text = (k: string) => String(data.get(k) ?? "").trim();
    clear();
    try {
      await api("POST", "/api/v1/points", { user_id: text("user_id"), points: Number(text("points") || "0"), reason: text("reason") });
      const name = people?.find((p) => p.id === text("user_id"))?.name ?? "";
      form.reset();
      onAwarded(t("points.awarded", { name, points: text("points") }));
    } catch (err) {
      refused(err);
    }
  }
  const described = (name: string, id: string) =>
    problems[name] ? { "aria-invalid": true as const, "aria-describedby": `${id}-problem` } : {};
  return (
    <form className="stacked" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="award-form">
      <h3 id="award-form">{t("points.award")}</h3>
      <div className="field">
        <label htmlFor="award-org">{t("points.organization")}</label>
        <select id="award-org" value={organization} onChange={(e) => setOrganization(e.target.value)}>
          <option value="">{lookups ? t("points.chooseOrganization") : t("app.loading")}</option>
          {(lookups?.organizations ?? []).map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="award-person">{t("points.person")}</label>
        <select id="award-person" name="user_id" defaultValue="" {...described("user_id", "award-person")}>
          <option value="">{organization ? t("points.choosePerson") : t("points.chooseOrganizationFirst")}</option>
          {(people ?? []).map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
        <Problem id="award-person-problem" text={problems.user_id} />
      </div>
      <div className="field">
        <label htmlFor="award-points">{t("points.points")}</label>
        <input id="award-points" name="points" type="number" min={-1000} max={1000} {...described("points", "award-points")} />
        <Problem id="award-points-problem" text={problems.points} />
      </div>
      <div className="field">
        <label htmlFor="award-reason">{t("points.reason")}</label>
        <input id="award-reason" name="reason" maxLength={200} {...described("reason", "award-reason")} />
        <Problem id="award-reason-problem" text={problems.reason} />
      </div>
      {refusal && (
        <p role="alert" className="error">
          {refusal}
        </p>
      )}
      <Button type="submit">{t("points.awardIt")}</Button>
    </form>
  );
}
