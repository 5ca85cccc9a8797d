import { lazy, Suspense, useEffect, useRef, useState } from "react";
import { Button } from "react-aria-components";
import { acceptsPlans, answersChats, currentSession, isAdmin, isStaff, publishesNews, readsChatReport, readsOverrides, readsReports, sessionEnded, setLanguage, signOut, worksRecovery, type User } from "./api";
import { languages, LocaleProvider, preferredLanguage, useLocale, type Language } from "./i18n";
import { Link, usePath } from "./router";
import { Catalog } from "./screens/Catalog";
import { Login } from "./screens/Login";
import { Approvals } from "./screens/Approvals";
import { AskForHelp } from "./screens/AskForHelp";
import { MyRequests, RequestView } from "./screens/MyRequests";
import { RequestForm } from "./screens/RequestForm";
import { Bookings } from "./screens/Bookings";
import { News } from "./screens/News";
import { Chats } from "./screens/Chats";
import { Recovery } from "./screens/Recovery";
import { ChatWidget } from "./components/ChatWidget";
import { BroadcastsScreen } from "./admin/Broadcasts";
import { Notifications, useUnread } from "./screens/Notifications";
import { Tasks } from "./screens/Tasks";

// OFF-1: who takes people through leaving (the screen itself loads when first opened).
const managesOffboarding = (user: User) => user.roles.some((r) => ["admin", "relationship_manager", "customer"].includes(r));

// The staff's screens load when first opened: the portal's first load stays small (issue
// "Web UI", Done means: under 300 KB of compressed JavaScript).
const Desk = lazy(() => import("./screens/Desk").then((m) => ({ default: m.Desk })));
const TicketDesk = lazy(() => import("./screens/TicketDesk").then((m) => ({ default: m.TicketDesk })));
const Admin = lazy(() => import("./admin/Admin").then((m) => ({ default: m.Admin })));
const Dashboard = lazy(() => import("./screens/Dashboard").then((m) => ({ default: m.Dashboard })));
const Plans = lazy(() => import("./screens/Plans").then((m) => ({ default: m.Plans })));
const PlanView = lazy(() => import("./screens/Plans").then((m) => ({ default: m.PlanView })));
const MyRequirements = lazy(() => import("./screens/Requirements").then((m) => ({ default: m.MyRequirements })));
const TakeTraining = lazy(() => import("./screens/Requirements").then((m) => ({ default: m.TakeTraining })));
const AcceptTerms = lazy(() => import("./screens/Requirements").then((m) => ({ default: m.AcceptTerms })));
const EvidenceQueue = lazy(() => import("./screens/Requirements").then((m) => ({ default: m.EvidenceQueue })));
const AccessReviews = lazy(() => import("./screens/AccessReviews").then((m) => ({ default: m.AccessReviews })));
const AccessReviewView = lazy(() => import("./screens/AccessReviews").then((m) => ({ default: m.AccessReviewView })));
const Offboardings = lazy(() => import("./screens/Offboarding").then((m) => ({ default: m.Offboardings })));
const Leaving = lazy(() => import("./screens/Leaving").then((m) => ({ default: m.Leaving })));
const OffboardingView = lazy(() => import("./screens/Offboarding").then((m) => ({ default: m.OffboardingView })));
const HelpCentre = lazy(() => import("./screens/Knowledge").then((m) => ({ default: m.HelpCentre })));
const ArticleView = lazy(() => import("./screens/Knowledge").then((m) => ({ default: m.ArticleView })));
const ArticleEditor = lazy(() => import("./screens/Knowledge").then((m) => ({ default: m.ArticleEditor })));
const YouSaid = lazy(() => import("./screens/YouSaid").then((m) => ({ default: m.YouSaid })));
const Points = lazy(() => import("./screens/Points").then((m) => ({ default: m.Points })));
const Surveys = lazy(() => import("./screens/Surveys").then((m) => ({ default: m.Surveys })));
const SurveyPage = lazy(() => import("./screens/Surveys").then((m) => ({ default: m.SurveyPage })));
const Community = lazy(() => import("./screens/Community").then((m) => ({ default: m.Community })));
const SpaceView = lazy(() => import("./screens/Community").then((m) => ({ default: m.SpaceView })));
const TopicView = lazy(() => import("./screens/Community").then((m) => ({ default: m.TopicView })));
const ModerationLog = lazy(() => import("./screens/Community").then((m) => ({ default: m.ModerationLog })));
const OverridesReport = lazy(() => import("./screens/OverridesReport").then((m) => ({ default: m.OverridesReport })));

type Session = { state: "checking" } | { state: "signed-out" } | { state: "signed-in"; user: User };

export function App() {
  const [session, setSession] = useState<Session>({ state: "checking" });
  const [language, setChosen] = useState<Language>(preferredLanguage());

  useEffect(() => {
    currentSession()
      .then((user) => setSession(user ? { state: "signed-in", user } : { state: "signed-out" }))
      .catch(() => setSession({ state: "signed-out" }));
    const ended = () => setSession({ state: "signed-out" });
    addEventListener(sessionEnded, ended);
    return () => removeEventListener(sessionEnded, ended);
  }, []);

  const user = session.state === "signed-in" ? session.user : null;
  const shown: Language = user && (user.language === "en" || user.language === "zh-CN") ? user.language : language;

  async function choose(next: Language) {
    localStorage.setItem("tandem.language", next);
    setChosen(next);
    if (!user) return;
    try {
      setSession({ state: "signed-in", user: await setLanguage(user, next) });
    } catch {
      // The profile keeps its language; this browser shows the one chosen until the next sign-in.
      setSession({ state: "signed-in", user: { ...user, language: next } });
    }
  }

  return (
    <LocaleProvider language={shown} timeZone={user?.time_zone}>
      <Shell
        user={user}
        checking={session.state === "checking"}
        onLanguage={(l) => void choose(l)}
        onSignedIn={(u) => setSession({ state: "signed-in", user: u })}
        onSignedOut={() => setSession({ state: "signed-out" })}
      />
    </LocaleProvider>
  );
}

function Shell(props: {
  user: User | null;
  checking: boolean;
  onLanguage: (l: Language) => void;
  onSignedIn: (u: User) => void;
  onSignedOut: () => void;
}) {
  const { t, language } = useLocale();
  const path = usePath();
  useAnnouncedPage(path, t("app.name"));
  return (
    <>
      <a className="skip" href="#main">
        {t("app.skip")}
      </a>
      <header className="top">
        <span className="brand">{t("app.name")}</span>
        {props.user && (
          <nav aria-label={t("app.nav")}>
            <NavLink to="/catalog" current={path === "/" || path.startsWith("/catalog")} label={t("app.nav.catalog")} />
            <NavLink to="/help" current={path.startsWith("/help")} label={t("app.nav.help")} />
            <NavLink to="/community" current={path.startsWith("/community")} label={t("app.nav.community")} />
            <NavLink to="/ask" current={path === "/ask"} label={t("app.nav.ask")} />
            <NavLink to="/requests" current={path.startsWith("/requests")} label={t("app.nav.requests")} />
            <NavLink to="/approvals" current={path === "/approvals"} label={t("app.nav.approvals")} />
            {!isStaff(props.user) && <NavLink to="/bookings" current={path === "/bookings"} label={t("app.nav.bookings")} />}
            {isStaff(props.user) && <NavLink to="/desk" current={path.startsWith("/desk")} label={t("app.nav.desk")} />}
            <NotificationsLink current={path === "/notifications"} />
            <NavLink to="/news" current={path === "/news"} label={t("app.nav.news")} />
            <NavLink to="/surveys" current={path.startsWith("/surveys")} label={t("app.nav.surveys")} />
            <NavLink to="/points" current={path === "/points"} label={t("app.nav.points")} />
            <NavLink to="/you-said" current={path === "/you-said"} label={t("app.nav.yousaid")} />
            <NavLink to="/plans" current={path.startsWith("/plans")} label={t("app.nav.plans")} />
            {isStaff(props.user) ? (
              <NavLink to="/evidence" current={path === "/evidence"} label={t("app.nav.evidence")} />
            ) : (
              <NavLink to="/requirements" current={path === "/requirements"} label={t("app.nav.requirements")} />
            )}
            {acceptsPlans(props.user) && (
              <NavLink to="/access-reviews" current={path.startsWith("/access-reviews")} label={t("app.nav.accessReviews")} />
            )}
            {managesOffboarding(props.user) && (
              <NavLink to="/offboarding" current={path.startsWith("/offboarding")} label={t("app.nav.offboarding")} />
            )}
            {isStaff(props.user) && <NavLink to="/tasks" current={path === "/tasks"} label={t("app.nav.tasks")} />}
            {answersChats(props.user) && <NavLink to="/chats" current={path === "/chats"} label={t("app.nav.chats")} />}
            {worksRecovery(props.user) && <NavLink to="/recovery" current={path === "/recovery"} label={t("app.nav.recovery")} />}
            {publishesNews(props.user) && (
              <NavLink to="/broadcasts" current={path === "/broadcasts"} label={t("app.nav.broadcasts")} />
            )}
            {readsReports(props.user) && (
              <NavLink to="/dashboard" current={path === "/dashboard"} label={t("app.nav.dashboard")} />
            )}
            {isAdmin(props.user) && <NavLink to="/admin" current={path.startsWith("/admin")} label={t("app.nav.admin")} />}
            {readsOverrides(props.user) && !isAdmin(props.user) && (
              <NavLink to="/admin/overrides" current={path === "/admin/overrides"} label={t("app.nav.overrides")} />
            )}
          </nav>
        )}
        <label className="language">
          {t("app.language")}{" "}
          <select value={language} onChange={(e) => props.onLanguage(e.target.value as Language)}>
            {languages.map((l) => (
              <option key={l.code} value={l.code} lang={l.code}>
                {l.name}
              </option>
            ))}
          </select>
        </label>
        {props.user && (
          <span className="who">
            {t("app.signedInAs", { name: props.user.name })}{" "}
            {!isStaff(props.user) && (
              <>
                <Link to="/leaving">{t("leaving.nav")}</Link>{" "}
              </>
            )}
            <Button onPress={() => void signOut().finally(props.onSignedOut)}>{t("app.signOut")}</Button>
          </span>
        )}
      </header>
      {props.checking ? (
        <main id="main">
          <p aria-live="polite">{t("app.loading")}</p>
        </main>
      ) : !props.user ? (
        <Login onSignedIn={props.onSignedIn} />
      ) : (
        <Suspense
          fallback={
            <main id="main">
              <p aria-live="polite">{t("app.loading")}</p>
            </main>
          }
        >
          <Screen path={path} user={props.user} />
          {!isStaff(props.user) && <ChatWidget />}
        </Suspense>
      )}
    </>
  );
}

function Screen({ path, user }: { path: string; user: User }) {
  const { t } = useLocale();
  if (path === "/" || path === "/catalog") return <Catalog />;
  // Leaving signs the person out: the session the server ended is ended here too.
  if (path === "/leaving" && !isStaff(user)) return <Leaving onLeft={() => dispatchEvent(new Event(sessionEnded))} />;
  const request = path.match(/^\/catalog\/([^/]+)$/);
  if (request) return <RequestForm key={request[1]} id={decodeURIComponent(request[1])} />;
  if (path === "/requests") return <MyRequests user={user} />;
  if (path === "/ask") return <AskForHelp user={user} />;
  if (path === "/help") return <HelpCentre user={user} />;
  if (path === "/help/new" && isStaff(user)) return <ArticleEditor id={null} />;
  const editing = path.match(/^\/help\/articles\/([^/]+)\/edit$/);
  if (editing && isStaff(user)) return <ArticleEditor key={editing[1]} id={decodeURIComponent(editing[1])} />;
  if (path === "/community") return <Community user={user} />;
  if (path === "/community/moderation") return <ModerationLog />;
  const space = path.match(/^\/community\/spaces\/([^/]+)$/);
  if (space) return <SpaceView key={space[1]} id={decodeURIComponent(space[1])} user={user} />;
  const topic = path.match(/^\/community\/topics\/([^/]+)$/);
  if (topic) return <TopicView key={topic[1]} id={decodeURIComponent(topic[1])} user={user} />;
  const reading = path.match(/^\/help\/articles\/([^/]+)$/);
  if (reading) return <ArticleView key={reading[1]} id={decodeURIComponent(reading[1])} user={user} />;
  const mine = path.match(/^\/requests\/([^/]+)$/);
  if (mine) return <RequestView key={mine[1]} id={decodeURIComponent(mine[1])} user={user} />;
  if (isAdmin(user)) {
    const admin = path.match(/^\/admin(?:\/([^/]+))?$/);
    if (admin) return <Admin page={admin[1] ? decodeURIComponent(admin[1]) : null} user={user} />;
  }
  if (readsOverrides(user) && path === "/admin/overrides") return <OverridesReport user={user} />;
  if (isStaff(user)) {
    if (path === "/desk") return <Desk queueId={null} />;
    const queue = path.match(/^\/desk\/queues\/([^/]+)$/);
    if (queue) return <Desk queueId={decodeURIComponent(queue[1])} />;
    const desk = path.match(/^\/desk\/tickets\/([^/]+)$/);
    if (desk) return <TicketDesk key={desk[1]} id={decodeURIComponent(desk[1])} user={user} />;
  }
  if (readsReports(user) && path === "/dashboard") return <Dashboard />;
  if (path === "/approvals") return <Approvals />;
  if (path === "/bookings") return <Bookings />;
  if (path === "/news") return <News />;
  if (path === "/surveys") return <Surveys user={user} />;
  if (path === "/points") return <Points user={user} />;
  if (path === "/you-said") return <YouSaid user={user} />;
  const surveyPath = path.match(/^\/surveys\/([^/]+)$/);
  if (surveyPath) return <SurveyPage key={surveyPath[1]} id={decodeURIComponent(surveyPath[1])} user={user} />;
  if (path === "/recovery" && worksRecovery(user)) return <Recovery />;
  if (path === "/chats" && answersChats(user)) return <Chats readsReport={readsChatReport(user)} />;
  if (path === "/broadcasts" && publishesNews(user)) return <BroadcastsScreen user={user} />;
  if (path === "/plans") return <Plans user={user} />;
  if (acceptsPlans(user) && path === "/access-reviews") return <AccessReviews user={user} />;
  const review = path.match(/^\/access-reviews\/([^/]+)$/);
  if (acceptsPlans(user) && review) return <AccessReviewView key={review[1]} id={decodeURIComponent(review[1])} />;
  if (path === "/requirements" && !isStaff(user)) return <MyRequirements />;
  if (path === "/evidence" && isStaff(user)) return <EvidenceQueue />;
  const terms = path.match(/^\/terms\/([^/]+)$/);
  if (terms) return <AcceptTerms key={terms[1]} id={decodeURIComponent(terms[1])} />;
  const training = path.match(/^\/trainings\/([^/]+)$/);
  if (training) return <TakeTraining key={training[1]} id={decodeURIComponent(training[1])} />;
  const onePlan = path.match(/^\/plans\/([^/]+)$/);
  if (onePlan) return <PlanView key={onePlan[1]} id={decodeURIComponent(onePlan[1])} user={user} />;
  if (managesOffboarding(user) && path === "/offboarding") return <Offboardings user={user} />;
  const leaving = path.match(/^\/offboarding\/([^/]+)$/);
  if (managesOffboarding(user) && leaving) return <OffboardingView key={leaving[1]} id={decodeURIComponent(leaving[1])} />;
  if (path === "/notifications") return <Notifications user={user} />;
  if (path === "/tasks") return <Tasks />;
  return (
    <main id="main">
      <h1>{t("app.notFound")}</h1>
      <p>
        <Link to="/catalog">{t("app.notFound.back")}</Link>
      </p>
    </main>
  );
}

function NavLink(props: { to: string; current: boolean; label: string }) {
  return (
    <Link to={props.to} aria-current={props.current ? "page" : undefined}>
      {props.label}
    </Link>
  );
}

// The notification centre in the navigation, with how many wait unread.
function NotificationsLink({ current }: { current: boolean }) {
  const { t } = useLocale();
  const unread = useUnread();
  return (
    <NavLink
      to="/notifications"
      current={current}
      label={unread ? t("app.nav.notificationsUnread", { n: String(unread) }) : t("app.nav.notifications")}
    />
  );
}

// REL-6: after moving to another screen, the page's title names it and the keyboard's focus is on
// its heading — not left on the link in the navigation — so a screen reader says where one is
// and Tab goes on from there. Screens load their data first, so the heading is waited for.
function useAnnouncedPage(path: string, appName: string) {
  // The path last announced: the first screen is not "moved to", and React's development
  // double run of effects is not a second move.
  const last = useRef(path);
  useEffect(() => {
    const focus = last.current !== path;
    last.current = path;
    // Whatever had the focus when the screen changed (the link followed, or nothing): the focus
    // moves only from there, never out of a field the person has gone on to.
    const from = document.activeElement;
    let frame = 0;
    const started = performance.now();
    const look = () => {
      // While the next screen loads, React keeps the last one in the page, hidden: the heading
      // sought is the one shown.
      const heading = [...document.querySelectorAll<HTMLElement>("main h1")].find((h) => h.getClientRects().length > 0);
      if (heading) {
        document.title = `${heading.textContent} · ${appName}`;
        const idle = document.activeElement === from || document.activeElement === document.body || !document.activeElement?.isConnected;
        if (focus && idle) {
          heading.tabIndex = -1;
          heading.focus();
        }
      } else if (performance.now() - started < 3000) frame = requestAnimationFrame(look);
    };
    frame = requestAnimationFrame(look);
    return () => cancelAnimationFrame(frame);
  }, [path, appName]);
}
