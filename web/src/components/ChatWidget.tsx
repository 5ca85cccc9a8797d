import { useEffect, useRef, useState, type FormEvent } from "react";
import { Button } from "react-aria-components";
import { useChatSocket, type Chat, type ChatFrame, type ChatMessage } from "../chat";
import { useLocale } from "../i18n";
import { Link } from "../router";

// REL-3: the portal's chat with the knowledge bot. It answers from the articles the person may
// read, quoting them; the buttons under an answer say whether it helped, ask for a person or for
// a ticket. A person who takes over is named; a ticket opened from the chat is linked with the
// time of the promised reply. The panel stays open across screens; the conversation survives a
// reload (the server sends the chat in progress on connecting).
export function ChatWidget() {
  const { t, dateTime } = useLocale();
  const [open, setOpen] = useState(false);
  const [chat, setChat] = useState<Chat | null>(null);
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [ready, setReady] = useState(false);
  const chatId = useRef<string | null>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  const onFrame = (f: ChatFrame) => {
    if (f.type === "ready") return setReady(true);
    if (f.type === "error") return setError(f.error.message);
    if (f.type === "chat") {
      setChat(f.chat);
      if (!f.chat) {
        chatId.current = null;
        return setMessages([]);
      }
      chatId.current = f.chat.id;
      if (f.chat.messages) setMessages(f.chat.messages);
      return;
    }
    // The first message of a new chat starts a new transcript.
    if (chatId.current !== f.chat_id) {
      chatId.current = f.chat_id;
      setChat(null);
      setMessages([f.message]);
      return;
    }
    setMessages((m) => (m.some((x) => x.id === f.message.id) ? m : [...m, f.message]));
  };
  const { connected, send } = useChatSocket(false, open, onFrame);
  useEffect(() => {
    if (open) input.current?.focus();
  }, [open]);

  const post = (frame: Record<string, unknown>) => {
    setError(null);
    if (!send(frame)) setError(t("chat.offline"));
  };
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const text = input.current?.value.trim() ?? "";
    if (!text) return setError(t("chat.empty"));
    post({ type: "say", text });
    if (input.current) input.current.value = "";
  };
  const last = messages[messages.length - 1];
  const live = chat?.state !== "ended" && chatId.current !== null;
  const offers = live && chat?.state !== "agent" && last?.author === "bot" && !!last.article;
  return (
    <aside className="chat-widget" aria-label={t("chat.title")}>
      <Button className="react-aria-Button chat-toggle" aria-expanded={open} aria-controls="chat-panel" onPress={() => setOpen(!open)}>
        {open ? t("chat.close") : t("chat.open")}
      </Button>
      {open && (
        <section id="chat-panel" className="chat-panel" aria-labelledby="chat-title">
          <h2 id="chat-title">{t("chat.title")}</h2>
          <p className="help" role="status">
            {!connected ? t("chat.connecting") : chat?.state === "agent" && chat.agent_name ? t("chat.withAgent", { name: chat.agent_name }) : t("chat.lead")}
          </p>
          <div role="log" aria-label={t("chat.log")}>
          <ol className="chat-log">
            {ready && messages.length === 0 && <li className="chat-bot">{t("chat.empty.log")}</li>}
            {messages.map((m) => (
              <li key={m.id} className={`chat-${m.author}`}>
                <span className="chat-who">{m.author === "bot" ? t("chat.bot") : m.author === "user" ? t("chat.you") : m.author_name}</span>
                <p className="pre-line">{m.text}</p>
                {m.article && (
                  <Link to={`/help/articles/${encodeURIComponent(m.article.id)}`}>{t("chat.readArticle", { title: m.article.title })}</Link>
                )}
              </li>
            ))}
          </ol>
          </div>
          {chat?.state === "ended" && chat.ticket_id && (
            <p className="notice">
              {chat.promised_at ? t("chat.ticketBy", { time: dateTime(chat.promised_at) }) : t("chat.ticket")}{" "}
              <Link to={`/requests/${encodeURIComponent(chat.ticket_id)}`}>{t("chat.seeTicket", { subject: chat.ticket_subject ?? chat.ticket_id })}</Link>
            </p>
          )}
          {offers && (
            <div className="chat-offers" role="group" aria-label={t("chat.offers")}>
              <Button onPress={() => post({ type: "helped" })}>{t("chat.helped")}</Button>
              <Button onPress={() => post({ type: "not_helped" })}>{t("chat.notHelped")}</Button>
              <Button onPress={() => post({ type: "person" })}>{t("chat.person")}</Button>
              <Button onPress={() => post({ type: "ticket" })}>{t("chat.ticketPlease")}</Button>
            </div>
          )}
          <form className="chat-form" onSubmit={submit}>
            <label htmlFor="chat-input">{t("chat.message")}</label>
            <textarea
              id="chat-input"
              ref={input}
              rows={2}
              maxLength={4000}
              onKeyDown={(e) => {
                if (e.key === "Enter" && !e.shiftKey) {
                  e.preventDefault();
                  e.currentTarget.form?.requestSubmit();
                }
              }}
            />
            <Button type="submit" isDisabled={!connected}>
              {t("chat.send")}
            </Button>
            {live && (
              <Button onPress={() => post({ type: "end" })}>{t("chat.end")}</Button>
            )}
          </form>
          <p role="alert" className="error">
            {error}
          </p>
        </section>
      )}
    </aside>
  );
}
