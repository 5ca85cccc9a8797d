import { useCallback, useEffect, useState, type FormEvent } from "react";
import { Button } from "react-aria-components";
import { api, ApiError, isStaff, writesKnowledge, type Page, type User } from "../api";
import { DialogForm } from "../components/DialogForm";
import { Problem, Refusal, useFormProblems } from "../components/Form";
import { Failure, Loading } from "../components/Status";
import { useLocale } from "../i18n";
import type { MessageKey } from "../i18n/en";
import { errorText, usePaged } from "../paged";
import { Link, navigate } from "../router";

// COM-1…COM-4: the user community — spaces, questions and discussions, answers and votes,
// reputation and super users, moderation.

interface Member {
  id: string;
  name: string;
  points: number;
  level: number;
  badges: string[];
}
interface Space {
  id: string;
  name: string;
  service_id: string | null;
  language: string;
  version: number;
  audience?: { organization_ids: string[]; roles: string[]; offering_ids: string[] };
  super_users: { user_id: string; backup_user_id: string }[];
  subscribed: boolean;
}
interface Post {
  id: string;
  topic_id: string;
  author: Member;
  body: string;
  body_html: string;
  version: number;
  staff: boolean;
  hidden: boolean;
  score: number;
  accepted: boolean;
  my_vote: number;
  created_at: string;
}
interface Topic {
  id: string;
  space_id: string;
  space_name: string;
  kind: "question" | "discussion";
  title: string;
  author: Member | null;
  body_html: string;
  first_post_id: string;
  opening: Post;
  accepted_post_id: string | null;
  ticket_id: string | null;
  locked: boolean;
  hidden: boolean;
  replies: number;
  subscribed: boolean;
  moderator: boolean;
  last_activity_at: string;
}
interface ModerationEntry {
  id: string;
  action: string;
  target_kind: string;
  target_id: string;
  actor_id: string;
  reason: string;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
  created_at: string;
}

const spacePath = (id: string) => `/community/spaces/${encodeURIComponent(id)}`;
const topicPath = (id: string) => `/community/topics/${encodeURIComponent(id)}`;

// A member as others see them: name, level and badges.
function MemberName({ member }: { member: Member }) {
  const { t } = useLocale();
  return (
    <span className="member">
      <strong>{member.name}</strong> <span className="help">{t("community.level", { level: String(member.level) })}</span>
      {member.badges.map((b) => (
        <span key={b} className={`badge ${b}`}>
          {t(`community.badge.${b}` as MessageKey)}
        </span>
      ))}
    </span>
  );
}

function FollowButton({ path, following, onChange }: { path: string; following: boolean; onChange: (on: boolean) => void }) {
  const { t } = useLocale();
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <Button
        aria-pressed={following}
        onPress={() =>
          api(following ? "DELETE" : "PUT", `${path}/subscription`, following ? undefined : {})
            .then(() => {
              setError(null);
              onChange(!following);
            })
            .catch((e) => setError(errorText(e)))
        }
      >
        {following ? t("community.following") : t("community.follow")}
      </Button>
      <Failure message={error} />
    </>
  );
}

export function Community({ user }: { user: User }) {
  const { t } = useLocale();
  const fetchPage = useCallback((cursor: string | null) => api<Page<Space>>("GET", `/api/v1/spaces?limit=100${cursor ? `&cursor=${cursor}` : ""}`), []);
  const { items, error, hasMore, more, reload } = usePaged(fetchPage);
  return (
    <main id="main" className="community">
      <h1>{t("community.title")}</h1>
      <p className="lead">{t("community.lead")}</p>
      {(isStaff(user) || user.roles.some((r) => r === "admin")) && (
        <p>
          <Link to="/community/moderation">{t("community.log")}</Link>
        </p>
      )}
      {!items ? (
        error ? <Failure message={error} /> : <Loading />
      ) : items.length === 0 ? (
        <p>{t("community.spaces.none")}</p>
      ) : (
        <ul className="spaces">
          {items.map((s) => (
            <li key={s.id}>
              <Link to={spacePath(s.id)} lang={s.language}>
                {s.name}
              </Link>
            </li>
          ))}
        </ul>
      )}
      {hasMore && <Button onPress={() => void more()}>{t("kb.more")}</Button>}
      {user.roles.some((r) => ["admin", "agent", "relationship_manager"].includes(r)) && <NewSpace onMade={() => void reload()} />}
    </main>
  );
}

function NewSpace({ onMade }: { onMade: () => void }) {
  const { t, language } = useLocale();
  const form = useFormProblems();
  const [services, setServices] = useState<{ id: string; name: string }[]>([]);
  useEffect(() => {
    api<Page<{ id: string; name: string | Record<string, string> }>>("GET", "/api/v1/services?limit=500")
      .then((p) => setServices(p.items.map((s) => ({ id: s.id, name: typeof s.name === "string" ? s.name : (s.name[language] ?? Object.values(s.name)[0] ?? s.id) }))))
      .catch(() => setServices([]));
  }, [language]);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const name = String(data.get("name") ?? "").trim();
    if (!form.check(name ? {} : { name: t("login.required") })) return;
    const service = String(data.get("service_id") ?? "");
    try {
      const made = await api<Space>("POST", "/api/v1/spaces", { name, language: data.get("language"), ...(service ? { service_id: service } : {}) });
      onMade();
      navigate(spacePath(made.id));
    } catch (err) {
      form.refused(err);
    }
  }
  return (
    <section aria-labelledby="new-space">
      <h2 id="new-space">{t("community.space.new")}</h2>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <div className="field">
          <label htmlFor="space-name">{t("community.space.name")}</label>
          <input id="space-name" name="name" maxLength={200} aria-invalid={form.problems.name ? true : undefined} aria-describedby={form.problems.name ? "space-name-problem" : undefined} />
          <Problem id="space-name-problem" text={form.problems.name} />
        </div>
        <div className="field">
          <label htmlFor="space-language">{t("kb.versions.language")}</label>
          <select id="space-language" name="language" defaultValue={language}>
            <option value="zh-CN">简体中文</option>
            <option value="en">English</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="space-service">{t("community.space.service")}</label>
          <select id="space-service" name="service_id" defaultValue="" aria-describedby="space-service-help">
            <option value="">{t("ask.service.none")}</option>
            {services.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
          <p className="help" id="space-service-help">
            {t("community.space.service.help")}
          </p>
        </div>
        <Refusal text={form.refusal} />
        <Button type="submit">{t("community.space.create")}</Button>
      </form>
    </section>
  );
}

export function SpaceView({ id, user }: { id: string; user: User }) {
  const { t, dateTime } = useLocale();
  const [space, setSpace] = useState<Space | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    api<Space>("GET", `/api/v1/spaces/${encodeURIComponent(id)}`)
      .then((s) => live && setSpace(s))
      .catch((e) => live && setError(e instanceof ApiError && e.status === 404 ? t("community.space.missing") : errorText(e)));
    return () => {
      live = false;
    };
  }, [id, t]);
  const fetchPage = useCallback(
    (cursor: string | null) => api<Page<Topic>>("GET", `/api/v1/spaces/${encodeURIComponent(id)}/topics?limit=20${cursor ? `&cursor=${cursor}` : ""}`),
    [id],
  );
  const topics = usePaged(fetchPage);
  if (!space)
    return (
      <main id="main">
        <h1>{error ?? t("community.title")}</h1>
        {!error && <Loading />}
        <p>
          <Link to="/community">{t("community.back")}</Link>
        </p>
      </main>
    );
  return (
    <main id="main" className="community">
      <p>
        <Link to="/community">{t("community.back")}</Link>
      </p>
      <h1 lang={space.language}>{space.name}</h1>
      <FollowButton path={`/api/v1/spaces/${encodeURIComponent(space.id)}`} following={space.subscribed} onChange={(on) => setSpace({ ...space, subscribed: on })} />
      <section aria-labelledby="topics-title">
        <h2 id="topics-title">{t("community.topics")}</h2>
        {!topics.items ? (
          topics.error ? <Failure message={topics.error} /> : <Loading />
        ) : topics.items.length === 0 ? (
          <p>{t("community.topics.none")}</p>
        ) : (
          <ul className="topics">
            {topics.items.map((tp) => (
              <li key={tp.id}>
                <span className="badge">{t(`community.kind.${tp.kind}` as MessageKey)}</span> <Link to={topicPath(tp.id)}>{tp.title}</Link>{" "}
                {tp.accepted_post_id && <span className="badge ok">{t("community.answered")}</span>}
                {tp.locked && <span className="badge">{t("community.locked")}</span>}
                {tp.hidden && <span className="badge">{t("community.hidden")}</span>}
                <p className="help">
                  {tp.author && <MemberName member={tp.author} />} · {t("community.replies", { n: String(tp.replies) })} ·{" "}
                  {dateTime(tp.last_activity_at)}
                </p>
              </li>
            ))}
          </ul>
        )}
        {topics.hasMore && <Button onPress={() => void topics.more()}>{t("kb.more")}</Button>}
      </section>
      {user.roles.some((r) => ["admin", "agent", "relationship_manager"].includes(r)) && <EditSpace space={space} onChanged={setSpace} />}
      <NewTopic spaceId={space.id} />
      <Leaderboard spaceId={space.id} />
      <SuperUsers space={space} user={user} onChanged={setSpace} />
    </main>
  );
}

// COM-1: staff rename a space, change its language or who reads it; its topics follow at once.
function EditSpace({ space, onChanged }: { space: Space; onChanged: (s: Space) => void }) {
  const { t } = useLocale();
  const form = useFormProblems();
  const [organizations, setOrganizations] = useState<{ id: string; name: string }[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => {
    api<Page<{ id: string; name: string }>>("GET", "/api/v1/organizations?limit=500")
      .then((p) => setOrganizations(p.items))
      .catch(() => setOrganizations([]));
  }, []);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const name = String(data.get("name") ?? "").trim();
    if (!form.check(name ? {} : { name: t("login.required") })) return;
    try {
      const saved = await api<Space>(
        "PATCH",
        `/api/v1/spaces/${encodeURIComponent(space.id)}`,
        { name, language: data.get("language"), audience: { organization_ids: data.getAll("organization_ids").map(String) } },
        { "If-Match": `"v${space.version}"` },
      );
      onChanged(saved);
      setNotice(t("community.space.saved"));
    } catch (err) {
      setNotice(null);
      form.refused(err);
    }
  }
  return (
    <details className="settings">
      <summary>{t("community.space.edit")}</summary>
      <form key={space.version} onSubmit={(e) => void submit(e)} noValidate>
        <div className="field">
          <label htmlFor="edit-space-name">{t("community.space.name")}</label>
          <input id="edit-space-name" name="name" defaultValue={space.name} maxLength={200} />
          <Problem text={form.problems.name} />
        </div>
        <div className="field">
          <label htmlFor="edit-space-language">{t("kb.versions.language")}</label>
          <select id="edit-space-language" name="language" defaultValue={space.language}>
            <option value="zh-CN">简体中文</option>
            <option value="en">English</option>
          </select>
        </div>
        <fieldset className="field">
          <legend>{t("community.space.audience")}</legend>
          <p className="help">{t("community.space.audience.help")}</p>
          {organizations.map((o) => (
            <label key={o.id} className="check">
              <input type="checkbox" name="organization_ids" value={o.id} defaultChecked={space.audience?.organization_ids.includes(o.id)} /> {o.name}
            </label>
          ))}
        </fieldset>
        <Refusal text={form.refusal} />
        <p role="status" className="notice">
          {notice}
        </p>
        <Button type="submit">{t("community.space.save")}</Button>
      </form>
    </details>
  );
}

function NewTopic({ spaceId }: { spaceId: string }) {
  const { t } = useLocale();
  const form = useFormProblems();
  const [kind, setKind] = useState<"question" | "discussion">("question");
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const title = String(data.get("title") ?? "").trim();
    const body = String(data.get("body") ?? "");
    const found: Record<string, string> = {};
    if (!title) found.title = t("login.required");
    if (!body.trim()) found.body = t("login.required");
    if (!form.check(found)) return;
    try {
      const made = await api<Topic>("POST", "/api/v1/topics", { space_id: spaceId, title, body, kind });
      navigate(topicPath(made.id));
    } catch (err) {
      form.refused(err);
    }
  }
  return (
    <section aria-labelledby="new-topic">
      <h2 id="new-topic">{t("community.topic.new")}</h2>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <fieldset className="field">
          <legend>{t("community.topic.kind")}</legend>
          {(["question", "discussion"] as const).map((k) => (
            <label key={k} className="check">
              <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} /> {t(`community.kind.${k}` as MessageKey)}
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor="topic-title">{t("community.topic.title")}</label>
          <input id="topic-title" name="title" maxLength={200} aria-invalid={form.problems.title ? true : undefined} aria-describedby={form.problems.title ? "topic-title-problem" : undefined} />
          <Problem id="topic-title-problem" text={form.problems.title} />
        </div>
        <div className="field">
          <label htmlFor="topic-body">{t("community.topic.body")}</label>
          <textarea id="topic-body" name="body" rows={5} aria-invalid={form.problems.body ? true : undefined} aria-describedby={`topic-body-help${form.problems.body ? " topic-body-problem" : ""}`} />
          <p className="help" id="topic-body-help">
            {t("community.markdown")}
          </p>
          <Problem id="topic-body-problem" text={form.problems.body} />
        </div>
        <Refusal text={form.refusal} />
        <Button type="submit">{t("community.topic.post")}</Button>
      </form>
    </section>
  );
}

function Leaderboard({ spaceId }: { spaceId: string }) {
  const { t } = useLocale();
  const [period, setPeriod] = useState("month");
  const [rows, setRows] = useState<{ member: Member; points: number }[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    api<{ items: { member: Member; points: number }[] }>("GET", `/api/v1/leaderboard?space_id=${encodeURIComponent(spaceId)}&period=${period}`)
      .then((r) => live && setRows(r.items))
      .catch((e) => live && setError(errorText(e)));
    return () => {
      live = false;
    };
  }, [spaceId, period]);
  return (
    <section aria-labelledby="board-title">
      <h2 id="board-title">{t("community.leaderboard")}</h2>
      <div className="field">
        <label htmlFor="board-period">{t("community.leaderboard.period")}</label>
        <select id="board-period" value={period} onChange={(e) => setPeriod(e.target.value)}>
          {["week", "month", "all"].map((p) => (
            <option key={p} value={p}>
              {t(`community.period.${p}` as MessageKey)}
            </option>
          ))}
        </select>
      </div>
      {!rows ? (
        error ? <Failure message={error} /> : <Loading />
      ) : rows.length === 0 ? (
        <p>{t("community.leaderboard.none")}</p>
      ) : (
        <ol className="leaderboard">
          {rows.map((r) => (
            <li key={r.member.id}>
              <MemberName member={r.member} /> — {t("community.points", { n: String(r.points) })}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function SuperUsers({ space, user, onChanged }: { space: Space; user: User; onChanged: (s: Space) => void }) {
  const { t } = useLocale();
  const [names, setNames] = useState<Record<string, string>>({});
  const [people, setPeople] = useState<{ id: string; name: string }[]>([]);
  const form = useFormProblems();
  const appoints = user.roles.some((r) => ["admin", "agent", "relationship_manager"].includes(r));
  useEffect(() => {
    const ids = space.super_users.flatMap((s) => [s.user_id, s.backup_user_id]);
    void Promise.all(ids.map(async (i) => [i, ((await api<Member>("GET", `/api/v1/users/${encodeURIComponent(i)}`).catch(() => null))?.name ?? i)] as const)).then(
      (found) => setNames(Object.fromEntries(found)),
    );
  }, [space.super_users]);
  useEffect(() => {
    if (appoints)
      api<Page<{ id: string; name: string; roles: string[] }>>("GET", "/api/v1/users?limit=500")
        .then((p) => setPeople(p.items.filter((u) => !u.roles.some((r) => ["admin", "agent", "specialist", "relationship_manager"].includes(r)))))
        .catch(() => setPeople([]));
  }, [appoints]);
  async function appoint(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    try {
      onChanged(
        await api<Space>("POST", `/api/v1/spaces/${encodeURIComponent(space.id)}/super-users`, {
          user_id: data.get("user_id"),
          backup_user_id: data.get("backup_user_id"),
        }),
      );
      form.clear();
    } catch (err) {
      form.refused(err);
    }
  }
  return (
    <section aria-labelledby="supers-title">
      <h2 id="supers-title">{t("community.superUsers")}</h2>
      <p className="help">{t("community.superUsers.help")}</p>
      {space.super_users.length === 0 ? (
        <p>{t("community.superUsers.none")}</p>
      ) : (
        <ul>
          {space.super_users.map((s) => (
            <li key={s.user_id}>
              {t("community.superUsers.entry", { name: names[s.user_id] ?? s.user_id, backup: names[s.backup_user_id] ?? s.backup_user_id })}
            </li>
          ))}
        </ul>
      )}
      {appoints && people.length > 1 && (
        <form onSubmit={(e) => void appoint(e)}>
          {(["user_id", "backup_user_id"] as const).map((field) => (
            <div className="field" key={field}>
              <label htmlFor={`su-${field}`}>{t(field === "user_id" ? "community.superUsers.who" : "community.superUsers.backup")}</label>
              <select id={`su-${field}`} name={field} defaultValue={people[field === "user_id" ? 0 : 1]?.id}>
                {people.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
              <Problem text={form.problems[field]} />
            </div>
          ))}
          <Refusal text={form.refusal} />
          <Button type="submit">{t("community.superUsers.appoint")}</Button>
        </form>
      )}
    </section>
  );
}

export function TopicView({ id, user }: { id: string; user: User }) {
  const { t, dateTime } = useLocale();
  const [topic, setTopic] = useState<Topic | null>(null);
  const [replies, setReplies] = useState<Post[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [flagging, setFlagging] = useState<Post | null>(null);
  const [moderating, setModerating] = useState<{ action: string; target: string } | null>(null);
  const [editing, setEditing] = useState<Post | null>(null);
  const [relocating, setRelocating] = useState<"move" | "merge" | null>(null);
  const [choices, setChoices] = useState<{ id: string; name: string }[]>([]);
  const load = useCallback(() => {
    let live = true;
    api<Topic & { replies_page: Page<Post> }>("GET", `/api/v1/topics/${encodeURIComponent(id)}`)
      .then((tp) => {
        if (!live) return;
        setTopic(tp);
        setReplies(tp.replies_page.items);
      })
      .catch((e) => live && setError(e instanceof ApiError && e.status === 404 ? t("community.topic.missing") : errorText(e)));
    return () => {
      live = false;
    };
  }, [id, t]);
  useEffect(load, [load]);
  if (!topic)
    return (
      <main id="main">
        <h1>{error ?? t("community.title")}</h1>
        {!error && <Loading />}
        <p>
          <Link to="/community">{t("community.back")}</Link>
        </p>
      </main>
    );
  const asker = topic.author?.id === user.id;
  const act = (p: Promise<unknown>, done: string) =>
    p
      .then(() => {
        setError(null);
        setNotice(done);
        load();
      })
      .catch((e) => {
        setNotice(null);
        setError(errorText(e));
      });
  const post = (p: Post, opening: boolean) => (
    <article key={p.id} className={`post${p.accepted ? " accepted" : ""}${p.hidden ? " hidden-post" : ""}`} aria-label={t("community.post.by", { name: p.author.name })}>
      <p className="help">
        <MemberName member={p.author} />
        {p.staff && <span className="badge staff">{t("community.staffReply")}</span>} · {dateTime(p.created_at)}
        {p.accepted && <span className="badge ok">{t("community.accepted")}</span>}
        {p.hidden && <span className="badge">{t("community.hidden")}</span>}
      </p>
      {/* Sanitised by the server (KB-1). */}
      <div className="article-body" dangerouslySetInnerHTML={{ __html: p.body_html }} />
      <div className="post-actions" role="group" aria-label={t("community.post.actions", { name: p.author.name })}>
        {!opening && (
          <>
            <span>{t("community.score", { n: String(p.score) })}</span>
            {p.author.id !== user.id && (
              <>
                <Button aria-pressed={p.my_vote === 1} aria-label={t("community.vote.up", { name: p.author.name })} onPress={() => void act(api("POST", `/api/v1/posts/${p.id}/votes`, { value: p.my_vote === 1 ? 0 : 1 }), t("community.voted"))}>
                  ▲ {t("community.vote.useful")}
                </Button>
                <Button aria-pressed={p.my_vote === -1} aria-label={t("community.vote.down", { name: p.author.name })} onPress={() => void act(api("POST", `/api/v1/posts/${p.id}/votes`, { value: p.my_vote === -1 ? 0 : -1 }), t("community.voted"))}>
                  ▼
                </Button>
              </>
            )}
            {topic.kind === "question" && (asker || topic.moderator) && !p.accepted && !p.hidden && (
              <Button onPress={() => void act(api("POST", `/api/v1/topics/${topic.id}/accepted-answer`, { post_id: p.id }), t("community.acceptedNow"))}>
                {t("community.accept")}
              </Button>
            )}
            {writesKnowledge(user) && (
              <Button
                onPress={() =>
                  void api<{ id: string }>("POST", `/api/v1/posts/${p.id}/promote`, {})
                    .then((a) => navigate(`/help/articles/${encodeURIComponent(a.id)}`))
                    .catch((e) => setError(errorText(e)))
                }
              >
                {t("community.promote")}
              </Button>
            )}
          </>
        )}
        {((p.author.id === user.id && !topic.locked) || topic.moderator) && <Button onPress={() => setEditing(p)}>{t("community.edit")}</Button>}
        {p.author.id !== user.id && <Button onPress={() => setFlagging(p)}>{t("community.flag")}</Button>}
        {topic.moderator && (
          <>
            <Button onPress={() => setModerating({ action: p.hidden ? "unhide" : "hide", target: p.id })}>{p.hidden ? t("community.mod.unhide") : t("community.mod.hide")}</Button>
            <Button onPress={() => setModerating({ action: "delete", target: p.id })}>{t("community.mod.delete")}</Button>
          </>
        )}
      </div>
    </article>
  );
  return (
    <main id="main" className="community topic">
      <p>
        <Link to={spacePath(topic.space_id)}>{t("community.backTo", { space: topic.space_name })}</Link>
      </p>
      <h1>{topic.title}</h1>
      <p>
        <span className="badge">{t(`community.kind.${topic.kind}` as MessageKey)}</span>
        {topic.locked && <span className="badge">{t("community.locked")}</span>}
        {topic.ticket_id && (
          <>
            {" "}
            <Link to={isStaff(user) ? `/desk/tickets/${topic.ticket_id}` : `/requests/${topic.ticket_id}`}>{t("community.ticket.open")}</Link>
          </>
        )}
      </p>
      <FollowButton path={`/api/v1/topics/${encodeURIComponent(topic.id)}`} following={topic.subscribed} onChange={(on) => setTopic({ ...topic, subscribed: on })} />
      {topic.moderator && (
        <div role="group" aria-label={t("community.mod.topic")} className="post-actions">
          <Button onPress={() => setModerating({ action: topic.locked ? "unlock" : "lock", target: topic.id })}>{topic.locked ? t("community.mod.unlock") : t("community.mod.lock")}</Button>
          {!topic.ticket_id && (
            <Button onPress={() => void act(api("POST", `/api/v1/topics/${topic.id}/ticket`, {}), t("community.ticket.made"))}>{t("community.ticket.make")}</Button>
          )}
          <Button
            onPress={() => {
              setChoices([]);
              setRelocating("move");
              void api<Page<Space>>("GET", "/api/v1/spaces?limit=100").then((p) => setChoices(p.items.filter((x) => x.id !== topic.space_id).map((x) => ({ id: x.id, name: x.name }))));
            }}
          >
            {t("community.mod.move")}
          </Button>
          <Button
            onPress={() => {
              setChoices([]);
              setRelocating("merge");
              void api<Page<Topic>>("GET", `/api/v1/spaces/${encodeURIComponent(topic.space_id)}/topics?limit=100`).then((p) =>
                setChoices(p.items.filter((x) => x.id !== topic.id).map((x) => ({ id: x.id, name: x.title }))),
              );
            }}
          >
            {t("community.mod.merge")}
          </Button>
        </div>
      )}
      <p role="status" className="notice">
        {notice}
      </p>
      <Failure message={error} />
      {post(topic.opening, true)}
      <section aria-labelledby="replies-title">
        <h2 id="replies-title">{t("community.replies", { n: String(replies.length) })}</h2>
        {replies.map((p) => post(p, false))}
      </section>
      {topic.locked && !topic.moderator ? <p>{t("community.lockedHelp")}</p> : <Reply topicId={topic.id} onPosted={load} />}
      <DialogForm
        isOpen={relocating !== null}
        title={relocating === "merge" ? t("community.merge.title") : t("community.move.title")}
        submitLabel={relocating === "merge" ? t("community.mod.merge") : t("community.mod.move")}
        refusal={null}
        onClose={() => setRelocating(null)}
        onSubmit={(e) => {
          e.preventDefault();
          const data = new FormData(e.currentTarget);
          const to = String(data.get("to") ?? "");
          const reason = String(data.get("reason") ?? "").trim() || "—";
          const action = relocating;
          setRelocating(null);
          if (!to || !action) return;
          const body = { action, target_id: topic.id, reason, ...(action === "move" ? { space_id: to } : { into_id: to }) };
          void api("POST", "/api/v1/moderation", body)
            .then(() => navigate(action === "move" ? topicPath(topic.id) : topicPath(to)))
            .then(() => {
              setNotice(t("community.mod.done"));
              load();
            })
            .catch((err) => setError(errorText(err)));
        }}
      >
        <div className="field">
          <label htmlFor="relocate-to">{relocating === "merge" ? t("community.merge.into") : t("community.move.to")}</label>
          <select id="relocate-to" name="to">
            {choices.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="relocate-reason">{t("community.mod.reason")}</label>
          <input id="relocate-reason" name="reason" maxLength={500} />
        </div>
      </DialogForm>
      <DialogForm
        isOpen={editing !== null}
        title={t("community.edit.title")}
        submitLabel={t("community.edit.save")}
        refusal={null}
        onClose={() => setEditing(null)}
        onSubmit={(e) => {
          e.preventDefault();
          const body = String(new FormData(e.currentTarget).get("body") ?? "");
          const target = editing;
          setEditing(null);
          if (target && body.trim())
            void act(api("PATCH", `/api/v1/posts/${target.id}`, { body }, { "If-Match": `"v${target.version}"` }), t("community.edited"));
        }}
      >
        <div className="field">
          <label htmlFor="edit-body">{t("community.reply.body")}</label>
          <textarea id="edit-body" name="body" rows={6} defaultValue={editing?.body ?? ""} />
        </div>
      </DialogForm>
      <DialogForm
        isOpen={flagging !== null}
        title={t("community.flag.title")}
        submitLabel={t("community.flag")}
        refusal={null}
        onClose={() => setFlagging(null)}
        onSubmit={(e) => {
          e.preventDefault();
          const reason = String(new FormData(e.currentTarget).get("reason") ?? "").trim() || "spam";
          const target = flagging;
          setFlagging(null);
          if (target) void act(api("POST", `/api/v1/posts/${target.id}/flags`, { reason }), t("community.flagged"));
        }}
      >
        <div className="field">
          <label htmlFor="flag-reason">{t("community.flag.reason")}</label>
          <select id="flag-reason" name="reason" defaultValue="spam">
            {["spam", "abuse", "off_topic", "wrong"].map((r) => (
              <option key={r} value={r}>
                {t(`community.flag.${r}` as MessageKey)}
              </option>
            ))}
          </select>
        </div>
      </DialogForm>
      <DialogForm
        isOpen={moderating !== null}
        title={moderating ? t(`community.mod.${moderating.action}` as MessageKey) : ""}
        submitLabel={moderating ? t(`community.mod.${moderating.action}` as MessageKey) : ""}
        refusal={null}
        onClose={() => setModerating(null)}
        onSubmit={(e) => {
          e.preventDefault();
          const reason = String(new FormData(e.currentTarget).get("reason") ?? "").trim();
          const m = moderating;
          setModerating(null);
          if (m) void act(api("POST", "/api/v1/moderation", { action: m.action, target_id: m.target, reason: reason || "—" }), t("community.mod.done"));
        }}
      >
        <div className="field">
          <label htmlFor="mod-reason">{t("community.mod.reason")}</label>
          <input id="mod-reason" name="reason" maxLength={500} />
          <p className="help">{t("community.mod.reason.help")}</p>
        </div>
      </DialogForm>
    </main>
  );
}

function Reply({ topicId, onPosted }: { topicId: string; onPosted: () => void }) {
  const { t } = useLocale();
  const form = useFormProblems();
  const [key, setKey] = useState(0);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const body = String(new FormData(e.currentTarget).get("body") ?? "");
    if (!form.check(body.trim() ? {} : { body: t("login.required") })) return;
    try {
      await api("POST", `/api/v1/topics/${encodeURIComponent(topicId)}/replies`, { body });
      setKey((k) => k + 1);
      onPosted();
    } catch (err) {
      form.refused(err);
    }
  }
  return (
    <form key={key} onSubmit={(e) => void submit(e)} noValidate aria-labelledby="reply-title">
      <h2 id="reply-title">{t("community.reply")}</h2>
      <div className="field">
        <label htmlFor="reply-body">{t("community.reply.body")}</label>
        <textarea id="reply-body" name="body" rows={4} aria-invalid={form.problems.body ? true : undefined} aria-describedby={form.problems.body ? "reply-body-problem" : "reply-help"} />
        <p className="help" id="reply-help">
          {t("community.markdown")}
        </p>
        <Problem id="reply-body-problem" text={form.problems.body} />
      </div>
      <Refusal text={form.refusal} />
      <Button type="submit">{t("community.reply.send")}</Button>
    </form>
  );
}

export function ModerationLog() {
  const { t, dateTime } = useLocale();
  const fetchPage = useCallback((cursor: string | null) => api<Page<ModerationEntry>>("GET", `/api/v1/moderation-log?limit=50${cursor ? `&cursor=${cursor}` : ""}`), []);
  const { items, error, hasMore, more } = usePaged(fetchPage);
  return (
    <main id="main">
      <p>
        <Link to="/community">{t("community.back")}</Link>
      </p>
      <h1>{t("community.log")}</h1>
      {!items ? (
        error ? <Failure message={error} /> : <Loading />
      ) : items.length === 0 ? (
        <p>{t("community.log.none")}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t("kb.versions.when")}</th>
              <th scope="col">{t("community.log.action")}</th>
              <th scope="col">{t("community.log.target")}</th>
              <th scope="col">{t("community.log.reason")}</th>
              <th scope="col">{t("community.log.change")}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((e) => (
              <tr key={e.id}>
                <td>{dateTime(e.created_at)}</td>
                <td>{t(`community.mod.${e.action}` as MessageKey)}</td>
                <td>
                  {e.target_kind === "topic" ? <Link to={topicPath(e.target_id)}>{e.target_id}</Link> : e.target_id}
                </td>
                <td>{e.reason}</td>
                <td>
                  <code>{JSON.stringify(e.before)}</code> → <code>{JSON.stringify(e.after)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {hasMore && <Button onPress={() => void more()}>{t("kb.more")}</Button>}
    </main>
  );
}
