import { useEffect, useRef, useState, type FormEvent } from "react";
import { Button } from "react-aria-components";
import { api } from "../api";
import { useChatSocket, type Chat, type ChatFrame, type ChatMessage } from "../chat";
import { Failure } from "../components/Status";
import { useLocale, word } from "../i18n";
import { errorText } from "../paged";

// REL-3: the agent's side of chat. While this screen is open the agent is available: the bot
// hands over the chats it cannot answer (unsure, asked for a person, two answers that did not
// help) to the available agent with the fewest, each with its transcript. Above them, how the bot
// did over the last thirty days.
interface BotReport {
  chats: number;
  resolved_by_bot: number;
  handed_off: number;
  handed_to_agent: number;
  handed_to_ticket: number;
  abandoned: number;
  resolution_rate: number;
  handoff_rate: number;
}

export function Chats(props: { readsReport: boolean }) {
  const { t } = useLocale();
  const [chats, setChats] = useState<Chat[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [ready, setReady] = useState(false);
  const input = useRef<HTMLTextAreaElement>(null);
  const known = useRef(new Set<string>());
  const onFrame = (f: ChatFrame) => {
    if (f.type === "ready") return setReady(true);
    if (f.type === "error") return setError(f.error.message);
    if (f.type === "chat") {
      const c = f.chat;
      if (!c) return;
      if (!known.current.has(c.id)) {
        known.current.add(c.id);
        if (c.state === "agent") setNotice(t("chats.arrived", { name: c.user_name }));
      }
      setChats((all) =>
        all.some((x) => x.id === c.id) ? all.map((x) => (x.id === c.id ? { ...c, messages: c.messages ?? x.messages } : x)) : [...all, c],
      );
      setSelected((s) => s ?? c.id);
      return;
    }
    setChats((all) =>
      all.map((x) =>
        x.id === f.chat_id && !(x.messages ?? []).some((m) => m.id === f.message.id)
          ? { ...x, messages: [...(x.messages ?? []), f.message] }
          : x,
      ),
    );
  };
  const { connected, send } = useChatSocket(true, true, onFrame);
  useEffect(() => {
    if (!connected) setReady(false);
  }, [connected]);
  const current = chats.find((c) => c.id === selected) ?? null;
  const post = (frame: Record<string, unknown>) => {
    setError(null);
    if (!send(frame)) setError(t("chat.offline"));
  };
  const reply = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const text = input.current?.value.trim() ?? "";
    if (!current || !text) return setError(t("chat.empty"));
    post({ type: "say", chat_id: current.id, text });
    if (input.current) input.current.value = "";
  };
  const open = chats.filter((c) => c.state === "agent");
  return (
    <main id="main">
      <h1>{t("chats.title")}</h1>
      <p className="lead">{t("chats.lead")}</p>
      <p role="status" className="help">
        {connected && ready ? t("chats.available") : t("chat.connecting")}
      </p>
      {props.readsReport && <BotResults />}
      <p role="status" className="notice">
        {notice}
      </p>
      <div className="chat-console">
        <section className="chat-list" aria-labelledby="chat-list-title">
          <h2 id="chat-list-title">{t("chats.list")}</h2>
          {open.length === 0 && <p>{t("chats.none")}</p>}
          <ul>
            {chats.map((c) => (
              <li key={c.id}>
                <button type="button" aria-pressed={c.id === selected} onClick={() => setSelected(c.id)}>
                  {c.user_name} · {word(t, "chatState", c.state)}
                </button>
              </li>
            ))}
          </ul>
        </section>
        {current && (
          <section aria-labelledby="chat-with">
            <h2 id="chat-with">{t("chats.with", { name: current.user_name })}</h2>
            {current.handoff_reason && <p className="help">{word(t, "handoffReason", current.handoff_reason)}</p>}
            <div role="log" aria-label={t("chats.transcript", { name: current.user_name })}>
            <ol className="chat-log">
              {(current.messages ?? []).map((m: ChatMessage) => (
                <li key={m.id} className={`chat-${m.author}`}>
                  <span className="chat-who">{m.author === "bot" ? t("chat.bot") : m.author_name}</span>
                  <p className="pre-line">{m.text}</p>
                </li>
              ))}
            </ol>
            </div>
            {current.state === "agent" ? (
              <form className="chat-form" onSubmit={reply}>
                <label htmlFor="agent-input">{t("chats.reply", { name: current.user_name })}</label>
                <textarea id="agent-input" ref={input} rows={3} maxLength={4000} />
                <Button type="submit" isDisabled={!connected}>
                  {t("chat.send")}
                </Button>
                <Button onPress={() => post({ type: "end", chat_id: current.id })}>{t("chats.end", { name: current.user_name })}</Button>
              </form>
            ) : (
              <p>{t("chats.ended")}</p>
            )}
          </section>
        )}
      </div>
      <p role="alert" className="error">
        {error}
      </p>
    </main>
  );
}

function BotResults() {
  const { t } = useLocale();
  const [report, setReport] = useState<BotReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<BotReport>("GET", "/api/v1/reports/bot")
      .then(setReport)
      .catch((e) => setError(errorText(e)));
  }, []);
  const percent = (x: number) => `${Math.round(x * 100)}%`;
  return (
    <section aria-labelledby="bot-results">
      <h2 id="bot-results">{t("chats.results")}</h2>
      <Failure message={error} />
      {report && (
        <dl className="figures">
          <dt>{t("chats.count")}</dt>
          <dd>{report.chats}</dd>
          <dt>{t("chats.resolution")}</dt>
          <dd>{percent(report.resolution_rate)}</dd>
          <dt>{t("chats.handoff")}</dt>
          <dd>{percent(report.handoff_rate)}</dd>
          <dt>{t("chats.toTicket")}</dt>
          <dd>{report.handed_to_ticket}</dd>
        </dl>
      )}
    </section>
  );
}
