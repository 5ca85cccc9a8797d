import { useEffect, useRef, useState } from "react";

// REL-5, DESK-4: live updates over GET /api/v1/stream. One WebSocket for the page, shared by
// every screen that listens; it reconnects after a pause when the server closes it (a login
// ending, rights changing, a restart), and says whether it is connected.
// "reconnected" is ours: sent to every listener when the stream is back after a break, since
// whatever changed meanwhile was not sent — read again.
export interface StreamMessage {
  type: "ticket.created" | "ticket.updated" | "reconnected";
  id: string;
  version: number;
}
// Whether a message may concern ticket `id`.
export const concerns = (m: StreamMessage, id: string) => m.type === "reconnected" || m.id === id;

type Listener = (m: StreamMessage) => void;
const listeners = new Set<Listener>();
const watchers = new Set<(live: boolean) => void>();
let socket: WebSocket | null = null;
let retry: ReturnType<typeof setTimeout> | null = null;
let pause = 1000;
let live = false;
let broken = false;  // the stream was connected once and broke since

function setLive(next: boolean) {
  live = next;
  for (const w of watchers) w(next);
}

function connect() {
  if (socket || retry || listeners.size === 0) return;
  const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/api/v1/stream`;
  const ws = new WebSocket(url);
  socket = ws;
  ws.onopen = () => {
    pause = 1000;
    setLive(true);
    if (broken) for (const l of listeners) l({ type: "reconnected", id: "", version: 0 });
    broken = false;
  };
  ws.onmessage = (e) => {
    let message: StreamMessage;
    try {
      message = JSON.parse(String(e.data));
    } catch {
      return;
    }
    for (const l of listeners) l(message);
  };
  ws.onclose = () => {
    // A socket closed on purpose, after a newer one was opened, is no news.
    if (socket !== ws) return;
    socket = null;
    broken = true;
    setLive(false);
    if (listeners.size === 0) return;
    retry = setTimeout(() => {
      retry = null;
      connect();
    }, pause);
    pause = Math.min(pause * 2, 30000);
  };
}

function disconnectIfUnused() {
  if (listeners.size > 0) return;
  if (retry) clearTimeout(retry);
  retry = null;
  const closing = socket;
  socket = null;
  broken = false;
  closing?.close();
  setLive(false);
}

// Calls `onMessage` for every message while the component is shown; returns whether the
// stream is connected.
export function useStream(onMessage: Listener): boolean {
  const latest = useRef(onMessage);
  latest.current = onMessage;
  const [connected, setConnected] = useState(live);
  useEffect(() => {
    const listener: Listener = (m) => latest.current(m);
    listeners.add(listener);
    watchers.add(setConnected);
    setConnected(live);
    connect();
    return () => {
      listeners.delete(listener);
      watchers.delete(setConnected);
      disconnectIfUnused();
    };
  }, []);
  return connected;
}

// Calls `refresh` once for each burst of messages (a bulk update, a busy morning), `wait` ms after
// the burst's first message.
export function useStreamBurst(refresh: () => void, wait = 300): boolean {
  const latest = useRef(refresh);
  latest.current = refresh;
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (pending.current) clearTimeout(pending.current);
    },
    [],
  );
  return useStream(() => {
    if (pending.current) return;
    pending.current = setTimeout(() => {
      pending.current = null;
      latest.current();
    }, wait);
  });
}
