import { useCallback, useEffect, useState, type FormEvent } from "react";
import { Button } from "react-aria-components";
import {
  api,
  ApiError,
  articlePath,
  personName,
  publishesKnowledge,
  isAdmin,
  ticketPath,
  writesKnowledge,
  type Article,
  type ArticleState,
  type ArticleVersion,
  type Page,
  type SearchPage,
  type Snippet,
  type FoundItem,
  type User,
} from "../api";
import { Failure, Loading } from "../components/Status";
import { Problem, Refusal, useFormProblems } from "../components/Form";
import { useLocale } from "../i18n";
import type { MessageKey } from "../i18n/en";
import { errorText, usePaged } from "../paged";
import { Link, navigate } from "../router";

const languageNames: Record<string, string> = { "zh-CN": "简体中文", en: "English" };
const consumerRoles = ["customer", "user", "representative", "partner_user"];

// Text from the server in pieces, the query's words marked: the pieces are text, never markup.
export function Marked({ pieces }: { pieces: Snippet[] }) {
  return (
    <>
      {pieces.map((p, i) => (p.mark ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
    </>
  );
}

// KB-1: the help centre — one search over the articles (and, for those allowed, tickets) a
// person may read, and the newest articles; staff also see drafts and write new ones.
export function HelpCentre({ user }: { user: User }) {
  const { t } = useLocale();
  const params = new URLSearchParams(location.search);
  const [query, setQuery] = useState(params.get("q") ?? "");
  const [state, setState] = useState<ArticleState | "">(writesKnowledge(user) ? ((params.get("state") as ArticleState) ?? "") : "");
  return (
    <main id="main" className="knowledge">
      <h1>{t("kb.title")}</h1>
      <p className="lead">{t("kb.lead")}</p>
      <form
        role="search"
        aria-label={t("kb.search")}
        onSubmit={(e) => {
          e.preventDefault();
          const q = String(new FormData(e.currentTarget).get("q") ?? "").trim();
          history.replaceState(null, "", q ? `/help?q=${encodeURIComponent(q)}` : "/help");
          setQuery(q);
        }}
      >
        <label htmlFor="kb-q">{t("kb.search")}</label>{" "}
        <input id="kb-q" name="q" type="search" defaultValue={query} placeholder={t("kb.search.placeholder")} />{" "}
        <Button type="submit">{t("kb.search.go")}</Button>
      </form>
      {writesKnowledge(user) && (
        <p>
          <Link to="/help/new">{t("kb.new")}</Link>
        </p>
      )}
      {isAdmin(user) && !query && <ImageHostsForm />}
      {query ? (
        <SearchResults key={query} query={query} user={user} />
      ) : (
        <>
          {writesKnowledge(user) && (
            <div className="field">
              <label htmlFor="kb-state">{t("kb.state.filter")}</label>
              <select id="kb-state" value={state} onChange={(e) => setState(e.target.value as ArticleState | "")}>
                <option value="">{t("kb.state.all")}</option>
                {(["draft", "review", "published", "archived"] as const).map((s) => (
                  <option key={s} value={s}>
                    {t(`kb.state.${s}` as MessageKey)}
                  </option>
                ))}
              </select>
            </div>
          )}
          <ArticleList key={state} state={state} />
        </>
      )}
    </main>
  );
}

// KB-1: images in articles and posts come from our attachments, and from the hosts named here.
function ImageHostsForm() {
  const { t } = useLocale();
  const [hosts, setHosts] = useState<{ hosts: string[]; etag: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const form = useFormProblems();
  const load = useCallback(() => {
    let live = true;
    fetch("/api/v1/knowledge/image-hosts", { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(async (r) => {
        if (r.ok && live) setHosts({ hosts: ((await r.json()) as { hosts: string[] }).hosts, etag: r.headers.get("ETag") ?? "" });
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  useEffect(load, [load]);
  if (!hosts) return null;
  return (
    <details className="settings">
      <summary>{t("kb.images")}</summary>
      <form
        key={hosts.etag}
        onSubmit={(e) => {
          e.preventDefault();
          const list = String(new FormData(e.currentTarget).get("hosts") ?? "")
            .split(/[\s,]+/)
            .filter(Boolean);
          api<{ hosts: string[] }>("PUT", "/api/v1/knowledge/image-hosts", { hosts: list }, { "If-Match": hosts.etag })
            .then(() => {
              load();  // with its new ETag
              form.clear();
              setNotice(t("kb.images.saved"));
            })
            .catch((err) => {
              setNotice(null);
              form.refused(err);
            });
        }}
      >
        <div className="field">
          <label htmlFor="kb-hosts">{t("kb.images.hosts")}</label>
          <textarea id="kb-hosts" name="hosts" rows={3} defaultValue={hosts.hosts.join("\n")} aria-describedby="kb-hosts-help" />
          <p className="help" id="kb-hosts-help">
            {t("kb.images.help")}
          </p>
          <Problem text={form.problems.hosts} />
        </div>
        <Refusal text={form.refusal} />
        <p role="status" className="notice">
          {notice}
        </p>
        <Button type="submit">{t("kb.images.save")}</Button>
      </form>
    </details>
  );
}

function ArticleList({ state }: { state: string }) {
  const { t, dateTime } = useLocale();
  const fetchPage = useCallback(
    (cursor: string | null) => {
      const params = new URLSearchParams({ limit: "20" });
      if (state) params.set("state", state);
      if (cursor) params.set("cursor", cursor);
      return api<Page<Article>>("GET", `/api/v1/articles?${params}`);
    },
    [state],
  );
  const { items, error, hasMore, more } = usePaged(fetchPage);
  if (!items) return error ? <Failure message={error} /> : <Loading />;
  return (
    <section aria-labelledby="kb-newest">
      <h2 id="kb-newest">{t("kb.newest")}</h2>
      {items.length === 0 ? (
        <p>{t("kb.none")}</p>
      ) : (
        <ul className="articles">
          {items.map((a) => (
            <li key={a.id}>
              <Link to={`/help/articles/${encodeURIComponent(a.id)}`} lang={a.language}>
                {a.title}
              </Link>{" "}
              {a.state !== "published" && <span className="badge">{t(`kb.state.${a.state}` as MessageKey)}</span>}{" "}
              <span className="help">{t("kb.updated", { when: dateTime(a.text_updated_at) })}</span>
            </li>
          ))}
        </ul>
      )}
      <Failure message={error} />
      {hasMore && <Button onPress={() => void more()}>{t("kb.more")}</Button>}
    </section>
  );
}

// Where a hit is read: a ticket where its reader follows tickets, a topic (or the topic of a
// reply) in the community, an article in the help centre.
function hitPath(user: User, h: FoundItem): string {
  if (h.kind === "ticket") return ticketPath(user, encodeURIComponent(h.id));
  if (h.topic_id) return `/community/topics/${encodeURIComponent(h.topic_id)}`;
  return `/help/articles/${encodeURIComponent(h.id)}`;
}

function SearchResults({ query, user }: { query: string; user: User }) {
  const { t } = useLocale();
  const [kind, setKind] = useState("");
  const fetchPage = useCallback(
    (cursor: string | null) => {
      const params = new URLSearchParams({ q: query, limit: "20" });
      if (kind) params.set("kind", kind);
      if (cursor) params.set("cursor", cursor);
      return api<SearchPage>("GET", `/api/v1/search?${params}`);
    },
    [query, kind],
  );
  const { items, error, hasMore, more } = usePaged(fetchPage);
  return (
    <section aria-labelledby="kb-results">
      <h2 id="kb-results">{t("kb.results", { q: query })}</h2>
      <fieldset className="field kinds">
        <legend>{t("kb.kind")}</legend>
        {["", "article", "topic", "ticket"].map((k) => (
          <label key={k} className="check">
            <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} />{" "}
            {t(`kb.kind.${k || "all"}` as MessageKey)}
          </label>
        ))}
      </fieldset>
      {!items ? (
        error ? <Failure message={error} /> : <Loading />
      ) : items.length === 0 ? (
        <p role="status">{t("kb.results.none")}</p>
      ) : (
        <ol className="hits" aria-live="polite">
          {items.map((h) => (
            <li key={`${h.kind}-${h.id}`}>
              <span className="badge">{t(`kb.kind.${h.kind}` as MessageKey)}</span>{" "}
              <Link to={hitPath(user, h)} lang={h.language}>
                {h.title_highlight ? <Marked pieces={h.title_highlight} /> : h.kind === "ticket" ? `#${h.number} ${h.title}` : h.title}
              </Link>
              {h.highlight && (
                <p className="snippet" lang={h.language}>
                  <Marked pieces={h.highlight} />
                </p>
              )}
            </li>
          ))}
        </ol>
      )}
      <Failure message={items ? error : null} />
      {hasMore && <Button onPress={() => void more()}>{t("kb.more")}</Button>}
    </section>
  );
}

// One article as its reader sees it, in their language when it has one; with "was this
// helpful", and for staff its state, its versions and what changed between them.
export function ArticleView({ id, user }: { id: string; user: User }) {
  const { t, dateTime } = useLocale();
  const [lang, setLang] = useState<string | null>(null);
  const [article, setArticle] = useState<Article | null>(null);
  const [etag, setEtag] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [missing, setMissing] = useState(false);
  const load = useCallback(() => {
    let live = true;
    const path = articlePath(id) + (lang ? `?lang=${encodeURIComponent(lang)}` : "");
    fetch(path, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(async (r) => {
        if (!live) return;
        if (r.status === 404) return setMissing(true);
        if (!r.ok) throw new ApiError(r.status, "error", (await r.json())?.error?.message ?? r.statusText);
        setEtag(r.headers.get("ETag") ?? "");
        setArticle((await r.json()) as Article);
      })
      .catch((e) => live && setError(errorText(e)));
    return () => {
      live = false;
    };
  }, [id, lang]);
  useEffect(load, [load]);
  if (missing)
    return (
      <main id="main">
        <h1>{t("kb.missing")}</h1>
        <p>
          <Link to="/help">{t("kb.back")}</Link>
        </p>
      </main>
    );
  if (!article)
    return (
      <main id="main">
        <h1 className="visually-hidden">{t("kb.title")}</h1>
        {error ? <Failure message={error} /> : <Loading />}
      </main>
    );
  const staff = writesKnowledge(user);
  return (
    <main id="main" className="article">
      <p>
        <Link to="/help">{t("kb.back")}</Link>
      </p>
      <article lang={article.language}>
        <h1>{article.title}</h1>
        <p className="help">
          {t("kb.updated", { when: dateTime(article.text_updated_at) })}
          {staff && (
            <>
              {" · "}
              <span className="badge">{t(`kb.state.${article.state}` as MessageKey)}</span>
            </>
          )}
        </p>
        {article.languages.length > 1 && (
          <p>
            {article.languages
              .filter((l) => l !== article.language)
              .map((l) => (
                <Button key={l} className="link" onPress={() => setLang(l)}>
                  {t("kb.readIn", { language: languageNames[l] ?? l })}
                </Button>
              ))}
          </p>
        )}
        {/* body_html is rendered from Markdown and sanitised by the server's allow-list (KB-1). */}
        <div className="article-body" dangerouslySetInnerHTML={{ __html: article.body_html ?? "" }} />
      </article>
      {article.state === "published" && <Helpful article={article} />}
      {staff && (
        <StaffTools
          article={article}
          etag={etag}
          user={user}
          onChanged={(a, tag) => {
            setArticle(a);
            setEtag(tag);
          }}
        />
      )}
    </main>
  );
}

function Helpful({ article }: { article: Article }) {
  const { t } = useLocale();
  const [answer, setAnswer] = useState<boolean | null>(null);
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string | null>(null);
  function send(helpful: boolean, comment?: string) {
    api("POST", `${articlePath(article.id)}/feedback`, { helpful, language: article.language, ...(comment ? { comment } : {}) })
      .then(() => {
        setError(null);
        setSent(Boolean(comment) || helpful);
      })
      .catch((e) => setError(errorText(e)));
  }
  return (
    <section aria-labelledby="kb-helpful" className="helpful">
      <h2 id="kb-helpful">{t("kb.helpful")}</h2>
      {sent ? (
        <p role="status" className="done">
          {t("kb.helpful.thanks")}
        </p>
      ) : (
        <>
          <div role="group" aria-labelledby="kb-helpful">
            <Button
              aria-pressed={answer === true}
              onPress={() => {
                setAnswer(true);
                send(true);
              }}
            >
              {t("kb.helpful.yes")}
            </Button>{" "}
            <Button
              aria-pressed={answer === false}
              onPress={() => {
                setAnswer(false);
                send(false);
              }}
            >
              {t("kb.helpful.no")}
            </Button>
          </div>
          {answer === false && (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                send(false, String(new FormData(e.currentTarget).get("comment") ?? "").trim());
              }}
            >
              <div className="field">
                <label htmlFor="kb-comment">{t("kb.helpful.comment")}</label>
                <textarea id="kb-comment" name="comment" rows={3} maxLength={2000} />
              </div>
              <Button type="submit">{t("kb.helpful.send")}</Button>
            </form>
          )}
        </>
      )}
      <Failure message={error} />
    </section>
  );
}

const moves: { from: ArticleState[]; to: ArticleState | "publish"; label: MessageKey; publisher: boolean }[] = [
  { from: ["draft"], to: "review", label: "kb.action.review", publisher: false },
  { from: ["draft", "review"], to: "publish", label: "kb.action.publish", publisher: true },
  { from: ["review"], to: "draft", label: "kb.action.back", publisher: false },
  { from: ["published"], to: "archived", label: "kb.action.archive", publisher: true },
  { from: ["archived"], to: "draft", label: "kb.action.reopen", publisher: false },
];

function StaffTools(props: { article: Article; etag: string; user: User; onChanged: (a: Article, etag: string) => void }) {
  const { t } = useLocale();
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const a = props.article;
  async function move(to: ArticleState | "publish") {
    try {
      const changed =
        to === "publish"
          ? await api<Article>("POST", `${articlePath(a.id)}/publish`, {})
          : await api<Article>("PATCH", articlePath(a.id), { state: to }, { "If-Match": props.etag });
      props.onChanged(changed, `"v${changed.version}"`);
      setError(null);
      setNotice(t(`kb.state.now`, { state: t(`kb.state.${changed.state}` as MessageKey) }));
    } catch (e) {
      setNotice(null);
      setError(errorText(e));
    }
  }
  return (
    <section aria-labelledby="kb-manage" className="manage">
      <h2 id="kb-manage">{t("kb.manage")}</h2>
      <p>
        <Link to={`/help/articles/${encodeURIComponent(a.id)}/edit`}>{t("kb.edit")}</Link>
      </p>
      <div role="group" aria-labelledby="kb-manage">
        {moves
          .filter((m) => m.from.includes(a.state) && (!m.publisher || publishesKnowledge(props.user)))
          .map((m) => (
            <Button key={m.label} onPress={() => void move(m.to)}>
              {t(m.label)}
            </Button>
          ))}
      </div>
      <p role="status" className="notice">
        {notice}
      </p>
      <Failure message={error} />
      <Versions article={a} />
    </section>
  );
}

interface DiffLine {
  op: "same" | "added" | "removed";
  text: string;
}

function Versions({ article }: { article: Article }) {
  const { t, dateTime } = useLocale();
  const [versions, setVersions] = useState<ArticleVersion[] | null>(null);
  const [authors, setAuthors] = useState<Record<string, string>>({});
  const [diff, setDiff] = useState<{ title: string; lines: DiffLine[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    api<Page<ArticleVersion>>("GET", `${articlePath(article.id)}/versions`)
      .then(async (page) => {
        if (!live) return;
        setVersions(page.items);
        const ids = [...new Set(page.items.map((v) => v.author_id))];
        const named = await Promise.all(ids.map(async (i) => [i, (await personName(i)) ?? i] as const));
        if (live) setAuthors(Object.fromEntries(named));
      })
      .catch((e) => live && setError(errorText(e)));
    return () => {
      live = false;
    };
  }, [article.id, article.version]);
  async function show(v: ArticleVersion) {
    try {
      const params = new URLSearchParams({ language: v.language, from: String(v.number - 1), to: String(v.number) });
      const d = await api<{ lines: DiffLine[] }>("GET", `${articlePath(article.id)}/diff?${params}`);
      setDiff({ title: t("kb.diff.title", { number: String(v.number), language: languageNames[v.language] ?? v.language }), lines: d.lines });
    } catch (e) {
      setError(errorText(e));
    }
  }
  if (!versions) return error ? <Failure message={error} /> : <Loading />;
  return (
    <>
      <h3>{t("kb.versions")}</h3>
      <table>
        <thead>
          <tr>
            <th scope="col">{t("kb.versions.number")}</th>
            <th scope="col">{t("kb.versions.language")}</th>
            <th scope="col">{t("kb.versions.author")}</th>
            <th scope="col">{t("kb.versions.when")}</th>
            <th scope="col">{t("kb.versions.feedback")}</th>
            <th scope="col">
              <span className="visually-hidden">{t("kb.versions.changes")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={`${v.language}-${v.number}`}>
              <td>{v.number}</td>
              <td>{languageNames[v.language] ?? v.language}</td>
              <td>{authors[v.author_id] ?? v.author_id}</td>
              <td>{dateTime(v.created_at)}</td>
              <td>{t("kb.versions.counts", { yes: String(v.feedback.helpful), no: String(v.feedback.unhelpful) })}</td>
              <td>
                <Button className="link" onPress={() => void show(v)}>
                  {t("kb.versions.show", { number: String(v.number) })}
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {diff && (
        <section aria-label={diff.title} className="diff">
          <h4>{diff.title}</h4>
          <pre>
            {diff.lines.map((l, i) =>
              l.op === "same" ? (
                <span key={i}>{"  " + l.text + "\n"}</span>
              ) : l.op === "added" ? (
                <ins key={i}>{"+ " + l.text + "\n"}</ins>
              ) : (
                <del key={i}>{"- " + l.text + "\n"}</del>
              ),
            )}
          </pre>
        </section>
      )}
      <Failure message={error} />
    </>
  );
}

interface Option {
  id: string;
  name: string;
}

// Writing an article (new, or a new version or translation of one): Markdown, the language,
// related services and the audience. Saved as a draft; publishing is a step of its own.
export function ArticleEditor({ id }: { id: string | null }) {
  const { t, language } = useLocale();
  const [article, setArticle] = useState<Article | null>(null);
  const [etag, setEtag] = useState("");
  const [services, setServices] = useState<Option[]>([]);
  const [organizations, setOrganizations] = useState<Option[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [textLanguage, setTextLanguage] = useState<string>(language);
  const form = useFormProblems();
  useEffect(() => {
    let live = true;
    api<Page<{ id: string; name: string | Record<string, string> }>>("GET", "/api/v1/services?limit=500")
      .then((p) => live && setServices(p.items.map((s) => ({ id: s.id, name: typeof s.name === "string" ? s.name : (s.name[language] ?? Object.values(s.name)[0] ?? s.id) }))))
      .catch(() => live && setServices([]));
    api<Page<Option>>("GET", "/api/v1/organizations?limit=500")
      .then((p) => live && setOrganizations(p.items))
      .catch(() => live && setOrganizations([]));
    if (id)
      fetch(`${articlePath(id)}?lang=${encodeURIComponent(textLanguage)}`, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(async (r) => {
          if (!r.ok) throw new ApiError(r.status, "error", (await r.json())?.error?.message ?? r.statusText);
          if (!live) return;
          setEtag(r.headers.get("ETag") ?? "");
          setArticle((await r.json()) as Article);
        })
        .catch((e) => live && setError(errorText(e)));
    return () => {
      live = false;
    };
  }, [id, language, textLanguage]);

  async function save(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const title = String(data.get("title") ?? "").trim();
    const body = String(data.get("body") ?? "");
    const found: Record<string, string> = {};
    if (!title) found.title = t("login.required");
    if (!body.trim()) found.body = t("login.required");
    if (!form.check(found)) return;
    const audience = { organization_ids: data.getAll("organization_ids").map(String), roles: data.getAll("roles").map(String) };
    const service_ids = data.getAll("service_ids").map(String);
    try {
      const saved = id
        ? await api<Article>("PATCH", articlePath(id), { title, body, language: textLanguage, audience, service_ids }, { "If-Match": etag })
        : await api<Article>("POST", "/api/v1/articles", { title, body, language: textLanguage, audience, service_ids });
      navigate(`/help/articles/${encodeURIComponent(saved.id)}`);
    } catch (err) {
      form.refused(err);
    }
  }

  if (id && !article)
    return (
      <main id="main">
        <h1>{t("kb.edit")}</h1>
        {error ? <Failure message={error} /> : <Loading />}
      </main>
    );
  const sameText = article && article.language === textLanguage;
  const problem = (field: string) => <Problem id={`kb-${field}-problem`} text={form.problems[field]} />;
  return (
    <main id="main" className="request">
      <h1>{id ? t("kb.edit") : t("kb.new")}</h1>
      <p className="lead">{t("kb.editor.lead")}</p>
      <form key={`${article?.version ?? "new"}-${textLanguage}`} onSubmit={(e) => void save(e)} noValidate>
        <div className="field">
          <label htmlFor="kb-language">{t("kb.editor.language")}</label>
          <select id="kb-language" value={textLanguage} onChange={(e) => setTextLanguage(e.target.value)} aria-describedby="kb-language-help">
            {Object.entries(languageNames).map(([code, name]) => (
              <option key={code} value={code}>
                {name}
              </option>
            ))}
          </select>
          <p className="help" id="kb-language-help">
            {id ? t("kb.editor.language.help") : t("kb.editor.language.new")}
          </p>
        </div>
        <div className="field">
          <label htmlFor="kb-title">
            {t("kb.editor.title")}
            <span aria-hidden="true"> *</span>
          </label>
          <input
            id="kb-title"
            name="title"
            required
            maxLength={200}
            defaultValue={sameText ? article.title : ""}
            aria-invalid={form.problems.title ? true : undefined}
            aria-describedby={form.problems.title ? "kb-title-problem" : undefined}
          />
          {problem("title")}
        </div>
        <div className="field">
          <label htmlFor="kb-body">
            {t("kb.editor.body")}
            <span aria-hidden="true"> *</span>
          </label>
          <textarea
            id="kb-body"
            name="body"
            rows={14}
            required
            defaultValue={sameText ? (article.body ?? "") : ""}
            aria-invalid={form.problems.body ? true : undefined}
            aria-describedby={`kb-body-help${form.problems.body ? " kb-body-problem" : ""}`}
          />
          <p className="help" id="kb-body-help">
            {t("kb.editor.body.help")}
          </p>
          {problem("body")}
        </div>
        {services.length > 0 && (
          <fieldset className="field">
            <legend>{t("kb.editor.services")}</legend>
            {services.map((s) => (
              <label key={s.id} className="check">
                <input type="checkbox" name="service_ids" value={s.id} defaultChecked={article?.service_ids.includes(s.id)} /> {s.name}
              </label>
            ))}
            {problem("service_ids")}
          </fieldset>
        )}
        <fieldset className="field">
          <legend>{t("kb.editor.audience")}</legend>
          <p className="help">{t("kb.editor.audience.help")}</p>
          {organizations.length > 0 && (
            <fieldset>
              <legend>{t("kb.editor.audience.organizations")}</legend>
              {organizations.map((o) => (
                <label key={o.id} className="check">
                  <input type="checkbox" name="organization_ids" value={o.id} defaultChecked={article?.audience.organization_ids.includes(o.id)} />{" "}
                  {o.name}
                </label>
              ))}
            </fieldset>
          )}
          <fieldset>
            <legend>{t("kb.editor.audience.roles")}</legend>
            {consumerRoles.map((r) => (
              <label key={r} className="check">
                <input type="checkbox" name="roles" value={r} defaultChecked={article?.audience.roles.includes(r)} /> {t(`role.${r}` as MessageKey)}
              </label>
            ))}
          </fieldset>
          {problem("audience.organization_ids")}
          {problem("audience.roles")}
        </fieldset>
        <Refusal text={form.refusal} />
        <Refusal text={Object.keys(form.problems).length > 0 ? t("request.invalid") : null} />
        <Button type="submit">{t("kb.editor.save")}</Button>
      </form>
    </main>
  );
}
