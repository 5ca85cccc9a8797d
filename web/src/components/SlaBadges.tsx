import { useEffect, useState } from "react";
import type { SlaTarget, Ticket } from "../api";
import { useLocale } from "../i18n";

// DESK-3: a ticket's agreed timeframes as badges that count down while the clock runs: time
// left, or how long overdue; paused while the ticket waits for the user; done once met.
export function SlaBadges({ sla }: { sla: Ticket["sla"] }) {
  const now = useNow(30_000);
  if (!sla) return null;
  return (
    <span className="sla">
      {sla.first_response && <Badge name="first_response" target={sla.first_response} now={now} />}
      {sla.resolution && <Badge name="resolution" target={sla.resolution} now={now} />}
    </span>
  );
}

function Badge({ name, target, now }: { name: "first_response" | "resolution"; target: SlaTarget; now: number }) {
  const { t } = useLocale();
  const label = t(name === "first_response" ? "sla.firstResponse" : "sla.resolution");
  let state: string = target.state;
  let text: string;
  if (target.state === "met") text = t("sla.met");
  else if (target.paused || !target.due) {
    state = "paused";
    text = t("sla.paused");
  } else {
    const left = Date.parse(target.due) - now;
    if (left < 0) state = "breached";
    text = left >= 0 ? t("sla.left", { time: span(t, left) }) : t("sla.overdue", { time: span(t, -left) });
  }
  return (
    <span className={`badge sla-${state}`}>
      {label}: {text}
    </span>
  );
}

function span(t: ReturnType<typeof useLocale>["t"], ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return t("sla.minutes", { n: String(minutes) });
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return t("sla.hours", { h: String(hours), m: String(minutes % 60) });
  return t("sla.days", { n: String(Math.floor(hours / 24)) });
}

function useNow(every: number): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), every);
    return () => clearInterval(timer);
  }, [every]);
  return now;
}
