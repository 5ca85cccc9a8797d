import { useEffect, useState } from "react";
import { Button } from "react-aria-components";
import { ApiError, decide, pendingApprovals, type PendingApproval } from "../api";
import { useLocale } from "../i18n";
import { Failure, Loading } from "../components/Status";

// DESK-5: the requests waiting for one's decision; approve, or reject with a reason the
// requester reads.
export function Approvals() {
  const { t } = useLocale();
  const [items, setItems] = useState<PendingApproval[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [said, setSaid] = useState<string | null>(null);

  async function load() {
    try {
      setItems((await pendingApprovals()).items);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }
  useEffect(() => {
    void load();
  }, []);

  return (
    <main id="main">
      <h1>{t("approvals.title")}</h1>
      <p role="status">{said}</p>
      <Failure message={error} />
      {!items && !error && <Loading />}
      {items && items.length === 0 && <p>{t("approvals.empty")}</p>}
      {items?.map((a) => (
        <Pending
          key={a.ticket_id}
          item={a}
          onDecided={(text) => {
            setSaid(text);
            void load();
          }}
        />
      ))}
    </main>
  );
}

function Pending({ item, onDecided }: { item: PendingApproval; onDecided: (said: string) => void }) {
  const { t } = useLocale();
  const [comment, setComment] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = `approval-${item.ticket_id}`;

  async function answer(decision: "approve" | "reject") {
    if (decision === "reject" && !comment.trim()) {
      setProblem(t("approvals.reasonNeeded"));
      document.getElementById(`${id}-comment`)?.focus();
      return;
    }
    setBusy(true);
    try {
      await decide(item.ticket_id, decision, comment.trim());
      onDecided(t(decision === "approve" ? "approvals.approved" : "approvals.rejected", { number: String(item.number) }));
    } catch (e) {
      setProblem(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="item" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>
        #{item.number} {item.subject}
      </h2>
      <p className="help">{t("requests.step", { step: String(item.step) })}</p>
      <p className="answers">{item.description}</p>
      <dl className="facts">
        <dt>{t("catalog.price")}</dt>
        <dd>{Number(item.price) === 0 ? t("catalog.free") : item.price}</dd>
      </dl>
      <div className="field">
        <label htmlFor={`${id}-comment`}>{t("approvals.comment")}</label>
        <textarea
          id={`${id}-comment`}
          rows={2}
          value={comment}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${id}-problem` : undefined}
          onChange={(e) => setComment(e.target.value)}
        />
        {problem && (
          <p id={`${id}-problem`} className="error">
            {problem}
          </p>
        )}
      </div>
      <p className="buttons">
        {/* Each button says which request it decides, as a screen reader moves between them. */}
        <Button isDisabled={busy} aria-describedby={`${id}-title`} onPress={() => void answer("approve")}>
          {t("approvals.approve")}
        </Button>{" "}
        <Button isDisabled={busy} aria-describedby={`${id}-title`} className="react-aria-Button secondary" onPress={() => void answer("reject")}>
          {t("approvals.reject")}
        </Button>
      </p>
    </section>
  );
}
