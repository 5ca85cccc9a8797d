import { useEffect, useRef, useState } from "react";

// REL-5, DESK-4: live updates over GET /api/v1/stream. One WebSocket for the page, shared by
// every screen that listens; it reconnects after a pause when the server closes it (a login
// ending, rights changing, a restart), and says whether it is connected.
export interface StreamMessage {
  type: "ticket.created" | "ticket.updated";
  id: string;
  version: number;
}

type Listener = (m: StreamMessage) => void;
const listeners = new Set<Listener>();
const watchers = new Set<(live: boolean) => void>();
let socket: WebSocket | null = null;
let retry: ReturnType<typeof setTimeout> | null = null;
let pause = 1000;
let live = false;

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
    socket = null;
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
  socket?.close();
  socket = null;
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
