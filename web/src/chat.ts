import { useEffect, useRef, useState } from "react";

// REL-3: the chat socket, GET /api/v1/chat — a user's chat window, or with ?as=agent an agent's
// console. On (re)connecting the server sends the chat(s) in progress with their transcripts,
// then {"type":"ready"}; after that, each message and each change of a chat as it happens.
export interface ChatMessage {
  id: string;
  author: "user" | "bot" | "agent";
  author_id: string | null;
  author_name: string;
  text: string;
  created_at: string;
  article?: { id: string; title: string; confidence: number };
}
export interface Chat {
  id: string;
  user_id: string;
  user_name: string;
  language: string;
  state: "bot" | "agent" | "ended";
  outcome: string | null;
  handoff_reason: string | null;
  agent_id: string | null;
  agent_name: string | null;
  ticket_id: string | null;
  ticket_subject: string | null;
  promised_at: string | null;
  created_at: string;
  ended_at: string | null;
  messages?: ChatMessage[];
}
export type ChatFrame =
  | { type: "chat"; chat: Chat | null }
  | { type: "message"; chat_id: string; message: ChatMessage }
  | { type: "ready" }
  | { type: "error"; status: number; error: { code: string; message: string; details: { field: string; problem: string }[] } };

// Keeps one socket open while `enabled`, reconnecting after a growing pause when it breaks.
// Returns whether it is connected and how to send a frame (false when it is not connected).
export function useChatSocket(asAgent: boolean, enabled: boolean, onFrame: (f: ChatFrame) => void) {
  const latest = useRef(onFrame);
  latest.current = onFrame;
  const socket = useRef<WebSocket | null>(null);
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    if (!enabled) return;
    let stopped = false;
    let pause = 1000;
    let retry: ReturnType<typeof setTimeout> | null = null;
    const connect = () => {
      const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/api/v1/chat${asAgent ? "?as=agent" : ""}`;
      const ws = new WebSocket(url);
      socket.current = ws;
      ws.onopen = () => {
        pause = 1000;
        setConnected(true);
      };
      ws.onmessage = (e) => {
        try {
          latest.current(JSON.parse(String(e.data)) as ChatFrame);
        } catch {
          // not a frame of ours
        }
      };
      ws.onclose = () => {
        if (socket.current === ws) socket.current = null;
        setConnected(false);
        if (stopped) return;
        retry = setTimeout(connect, pause);
        pause = Math.min(pause * 2, 30000);
      };
    };
    connect();
    return () => {
      stopped = true;
      if (retry) clearTimeout(retry);
      socket.current?.close();
      socket.current = null;
      setConnected(false);
    };
  }, [asAgent, enabled]);
  const send = (frame: Record<string, unknown>) => {
    const ws = socket.current;
    if (!ws || ws.readyState !== WebSocket.OPEN) return false;
    ws.send(JSON.stringify(frame));
    return true;
  };
  return { connected, send };
}
