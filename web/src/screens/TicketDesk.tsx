import { useCallback, useEffect, useRef, useState, type FormEvent } from "react";
import { Button, Label, Radio, RadioGroup } from "react-aria-components";
import {
  ApiError,
  comment,
  deskTicket,
  logCall,
  mayOverrideSla,
  moveTicket,
  movesFor,
  override,
  overrideReasons,
  patchTicket,
  timeline,
  workflows,
  type DeskTicket,
  type OverrideRule,
  type TicketEvent,
  type TransitionField,
  type User,
  type WorkflowTransition,
} from "../api";
import { DialogForm } from "../components/DialogForm";
import { TextArea, useFormProblems } from "../components/Form";
import { Links } from "../components/Links";
import { SlaBadges } from "../components/SlaBadges";
import { Timeline } from "../components/Timeline";
import { RoutingAdvice } from "../components/RoutingAdvice";
import { Triage } from "../components/Triage";
import { useLocale, word } from "../i18n";
import { Link } from "../router";
import { errorText } from "../paged";
import { concerns, useStream } from "../stream";
import { Loading } from "../components/Status";

// DESK-1, REL-1 (agent workspace): one ticket with its whole timeline — internal notes set
// apart — and what an agent does to it: reply, note, log a call, take it, move it along its
// workflow with the fields a move needs. Another agent's change shows without a reload.
export function TicketDesk({ id, user }: { id: string; user: User }) {
  const { t } = useLocale();
  const [ticket, setTicket] = useState<DeskTicket | null>(null);
  const [events, setEvents] = useState<TicketEvent[]>([]);
  const [moves, setMoves] = useState<WorkflowTransition[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [asking, setAsking] = useState<WorkflowTransition | null>(null);
  const [overriding, setOverriding] = useState(false);

  const read = useCallback(async () => {
    try {
      const [tk, evs, flows] = await Promise.all([deskTicket(id), timeline(id), workflows()]);
      setTicket(tk);
      setEvents(evs);
      setMoves(movesFor(flows, tk, user));
      setError(null);
    } catch (e) {
      // Once shown, the ticket stays (with the draft being written); a failed re-read is a notice.
      const message = e instanceof ApiError && e.status === 404 ? t("ticket.notFound") : errorText(e);
      if (shown.current) setNotice(t("app.error", { message }));
      else setError(message);
    }
  }, [id, user, t]);
  const shown = useRef(false);
  shown.current = ticket !== null;
  useEffect(() => {
    void read();
  }, [read]);
  useStream((m) => {
    if (concerns(m, id)) void read();
  });

  async function act(what: () => Promise<unknown>, done: string) {
    setNotice(null);
    try {
      await what();
      setNotice(done);
    } catch (e) {
      if (e instanceof ApiError && e.status === 412) setNotice(t("ticket.stale"));
      else setNotice(t("app.error", { message: errorText(e) }));
    }
    await read();
  }

  if (error)
    return (
      <main id="main">
        <p role="alert" className="error">
          {error}
        </p>
        <p>
          <Link to="/desk">{t("ticket.back")}</Link>
        </p>
      </main>
    );
  if (!ticket)
    return (
      <main id="main">
        <Loading />
      </main>
    );
  const tk = ticket;
  return (
    <main id="main" className="ticket-view">
      <p>
        <Link to="/desk">{t("ticket.back")}</Link>
      </p>
      <h1>
        #{tk.number} {tk.subject}
      </h1>
      <dl className="facts">
        <dt>{t("requests.status")}</dt>
        <dd className="status">{word(t, "status", tk.status)}</dd>
        <dt>{t("requests.type")}</dt>
        <dd>{word(t, "type", tk.type)}</dd>
        <dt>{t("ticket.priority")}</dt>
        <dd>{word(t, "priority", tk.priority)}</dd>
        <dt>{t("ticket.channel")}</dt>
        <dd>{word(t, "channel", tk.channel)}</dd>
        <dt>{t("ticket.sla")}</dt>
        <dd>{tk.sla ? <SlaBadges sla={tk.sla} /> : t("ticket.noSla")}</dd>
        <dt>{t("ticket.assignee")}</dt>
        <dd>
          {tk.assignee_id === user.id ? t("ticket.you") : tk.assignee_id ? t("ticket.someoneElse") : t("ticket.nobody")}{" "}
          {tk.assignee_id !== user.id && (
            <Button className="react-aria-Button small" onPress={() => void act(() => patchTicket(tk, { assignee_id: user.id }), t("ticket.taken"))}>
              {t("ticket.take")}
            </Button>
          )}
        </dd>
      </dl>
      {notice && (
        <p role="status" className="notice">
          {notice}
        </p>
      )}
      {moves.length > 0 && (
        <section aria-labelledby="moves" className="moves">
          <h2 id="moves">{t("ticket.moves")}</h2>
          {moves.map((m) => (
            <Button
              key={m.to}
              onPress={() =>
                m.needs.length > 0 ? setAsking(m) : void act(() => moveTicket(tk, m.to, {}), t("ticket.moved", { status: word(t, "status", m.to) }))
              }
            >
              {t("ticket.moveTo", { status: word(t, "status", m.to) })}
            </Button>
          ))}
        </section>
      )}
      {tk.sla && mayOverrideSla(user) && (
        <p>
          <Button className="react-aria-Button secondary-plain" onPress={() => setOverriding(true)}>
            {t("override.open")}
          </Button>
        </p>
      )}
      <OverrideDialog
        ticket={tk}
        isOpen={overriding}
        onClose={() => setOverriding(false)}
        onDone={async () => {
          setOverriding(false);
          setNotice(t("override.done"));
          await read();
        }}
      />
      <TransitionDialog
        move={asking}
        onClose={() => setAsking(null)}
        onMove={async (fields) => {
          const m = asking!;
          await moveTicket(tk, m.to, fields);
          setAsking(null);
          setNotice(t("ticket.moved", { status: word(t, "status", m.to) }));
          await read();
        }}
      />
      <section aria-labelledby="description">
        <h2 id="description">{t("ticket.description")}</h2>
        <p className="answers">{tk.description || "—"}</p>
      </section>
      <RoutingAdvice
        ticket={tk}
        onRouted={async (message) => {
          setNotice(message);
          await read();
        }}
      />
      <Triage
        ticket={tk}
        onSaved={async (message) => {
          if (message) setNotice(message);
          await read();
        }}
      />
      <Links ticket={tk} onChanged={read} />
      <section aria-labelledby="history">
        <h2 id="history">{t("ticket.timeline")}</h2>
        <Timeline events={events} user={user} />
      </section>
      <Composer
        ticket={tk}
        onDone={(message) => {
          setNotice(message);
          void read();
        }}
      />
    </main>
  );
}

type Mode = "reply" | "note" | "call";

// Reply publicly, write an internal note, or record a phone call (REL-1).
function Composer({ ticket, onDone }: { ticket: DeskTicket; onDone: (message: string) => void }) {
  const { t } = useLocale();
  const [mode, setMode] = useState<Mode>("reply");
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    const body = String(data.get("body") ?? "").trim();
    if (!body) {
      setProblem(t("login.required"));
      document.getElementById("composer-body")?.focus();
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      if (mode === "call") {
        const minutes = Number(data.get("minutes") ?? 0);
        await logCall(ticket.id, {
          summary: body,
          duration_seconds: Math.round(minutes * 60),
          direction: data.get("direction") === "outbound" ? "outbound" : "inbound",
          public: false,
        });
      } else await comment(ticket.id, body, mode === "reply");
      form.reset();
      onDone(t(mode === "reply" ? "composer.replied" : mode === "note" ? "composer.noted" : "composer.called"));
    } catch (err) {
      setProblem(err instanceof ApiError && err.details.length > 0 ? err.details.map((d) => d.problem).join("; ") : errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="composer" className={`composer mode-${mode}`}>
      <h2 id="composer">{t("composer.title")}</h2>
      <RadioGroup value={mode} onChange={(v) => setMode(v as Mode)} orientation="horizontal" className="modes">
        <Label>{t("composer.mode")}</Label>
        <Radio value="reply">{t("composer.reply")}</Radio>
        <Radio value="note">{t("composer.note")}</Radio>
        <Radio value="call">{t("composer.call")}</Radio>
      </RadioGroup>
      <form onSubmit={(e) => void submit(e)} noValidate>
        {mode === "call" && (
          <div className="call-fields">
            <label>
              {t("composer.minutes")} <input name="minutes" type="number" min={0} max={1440} defaultValue={5} />
            </label>
            <label>
              {t("composer.direction")}{" "}
              <select name="direction" defaultValue="inbound">
                <option value="inbound">{t("composer.inbound")}</option>
                <option value="outbound">{t("composer.outbound")}</option>
              </select>
            </label>
          </div>
        )}
        <TextArea
          id="composer-body"
          name="body"
          label={t(mode === "reply" ? "composer.replyLabel" : mode === "note" ? "composer.noteLabel" : "composer.callLabel")}
          problem={problem}
        />
        <Button type="submit" isDisabled={busy}>
          {t(mode === "reply" ? "composer.sendReply" : mode === "note" ? "composer.addNote" : "composer.logCall")}
        </Button>
      </form>
    </section>
  );
}

// A move that needs fields (a resolution to resolve): asked for in a dialog; nothing moves until
// they are given.
function TransitionDialog(props: {
  move: WorkflowTransition | null;
  onClose: () => void;
  onMove: (fields: Partial<Record<TransitionField, string>>) => Promise<void>;
}) {
  const { t } = useLocale();
  const { problems, refusal, check, refused, clear } = useFormProblems();
  const move = props.move;
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (!move) return;
    const data = new FormData(e.currentTarget);
    const fields: Partial<Record<TransitionField, string>> = {};
    const missing: Record<string, string> = {};
    for (const n of move.needs) {
      const value = String(data.get(n) ?? "").trim();
      if (value) fields[n] = value;
      else missing[n] = t("login.required");
    }
    if (!check(missing)) return;
    await props.onMove(fields).catch(refused);
  }
  const close = () => {
    clear();
    props.onClose();
  };
  return (
    <DialogForm
      isOpen={move !== null}
      title={move ? t("ticket.moveTo", { status: word(t, "status", move.to) }) : ""}
      submitLabel={t("ticket.confirmMove")}
      refusal={refusal}
      onClose={close}
      onSubmit={(e) => void submit(e)}
    >
      {move?.needs.map((n, i) => (
        <TextArea key={n} id={`move-${n}`} name={n} label={word(t, "needs", n)} problem={problems[n]} autoFocus={i === 0} />
      ))}
    </DialogForm>
  );
}

// DESK-9: an agreed time extended for this ticket, with a reason code and a justification that
// the administrators' overrides report shows. Nothing changes until all three are given.
function OverrideDialog(props: { ticket: DeskTicket; isOpen: boolean; onClose: () => void; onDone: () => Promise<void> }) {
  const { t } = useLocale();
  const [codes, setCodes] = useState<string[]>([]);
  const { problems, refusal, check, refused, clear } = useFormProblems();
  useEffect(() => {
    if (props.isOpen)
      overrideReasons()
        .then((r) => setCodes(r.codes))
        .catch(refused);
  }, [props.isOpen]);
  const targets: OverrideRule[] = [];
  if (props.ticket.sla?.first_response) targets.push("sla.first_response");
  if (props.ticket.sla?.resolution) targets.push("sla.resolution");

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const rule = String(data.get("rule") ?? "") as OverrideRule;
    const minutes = Number(data.get("minutes") ?? "");
    const reason = String(data.get("reason") ?? "");
    const justification = String(data.get("justification") ?? "").trim();
    const missing: Record<string, string> = {};
    if (!Number.isInteger(minutes) || minutes < 1) missing.extend_minutes = t("override.minutesNeeded");
    if (!reason) missing.reason_code = t("login.required");
    if (justification.length < 10) missing.justification = t("override.justificationNeeded");
    if (!check(missing)) return;
    try {
      await override({ rule, target_id: props.ticket.id, reason_code: reason, justification, extend_minutes: minutes });
    } catch (err) {
      refused(err);
      return;
    }
    await props.onDone();
  }
  const problem = (field: string, id: string) =>
    problems[field] ? (
      <p id={id} className="error">
        {problems[field]}
      </p>
    ) : null;
  const close = () => {
    clear();
    props.onClose();
  };
  return (
    <DialogForm
      isOpen={props.isOpen}
      title={t("override.title")}
      submitLabel={t("override.submit")}
      refusal={refusal}
      onClose={close}
      onSubmit={(e) => void submit(e)}
    >
      <p className="help">{t("override.lead")}</p>
      <div className="field">
        <label htmlFor="override-rule">{t("override.rule")}</label>
        <select id="override-rule" name="rule" defaultValue={targets[targets.length - 1]}>
          {targets.map((r) => (
            <option key={r} value={r}>
              {t(r === "sla.first_response" ? "sla.firstResponse" : "sla.resolution")}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="override-minutes">{t("override.minutes")}</label>
        <input
          id="override-minutes"
          name="minutes"
          type="number"
          min={1}
          defaultValue={60}
          aria-invalid={problems.extend_minutes ? true : undefined}
          aria-describedby={problems.extend_minutes ? "override-minutes-problem" : undefined}
        />
        {problem("extend_minutes", "override-minutes-problem")}
      </div>
      <div className="field">
        <label htmlFor="override-reason">{t("override.reason")}</label>
        <select
          id="override-reason"
          name="reason"
          defaultValue=""
          aria-invalid={problems.reason_code ? true : undefined}
          aria-describedby={problems.reason_code ? "override-reason-problem" : undefined}
        >
          <option value="">{t("request.choose")}</option>
          {codes.map((c) => (
            <option key={c} value={c}>
              {word(t, "reason", c)}
            </option>
          ))}
        </select>
        {problem("reason_code", "override-reason-problem")}
      </div>
      <TextArea id="override-justification" name="justification" label={t("override.justification")} problem={problems.justification} />
    </DialogForm>
  );
}
