import { useEffect, useState, type FormEvent } from "react";
import { Button } from "react-aria-components";
import { ApiError, requestType, submitRequest, upload, type FormField, type RequestType, type Ticket } from "../api";
import { useLocale, word } from "../i18n";
import { Link } from "../router";
import { Loading } from "../components/Status";

type Answers = Record<string, string | string[]>;

// REL-2, DESK-5: a request type's form rendered from its schema — required fields, options with
// their prices, fields shown only after another answer — checked by the server, whose messages
// (in the user's language) appear beside each field.
export function RequestForm({ id }: { id: string }) {
  const { t } = useLocale();
  const [type, setType] = useState<RequestType | null>(null);
  const [answers, setAnswers] = useState<Answers>({});
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [refusal, setRefusal] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [made, setMade] = useState<Ticket | null>(null);

  useEffect(() => {
    requestType(id)
      .then(setType)
      .catch((e) => setRefusal(e instanceof ApiError && e.status === 404 ? t("request.notFound") : String(e)));
  }, [id, t]);

  if (refusal && !type)
    return (
      <main id="main">
        <p role="alert" className="error">{refusal}</p>
        <BackLink />
      </main>
    );
  if (!type)
    return (
      <main id="main">
        <Loading />
      </main>
    );
  if (made)
    return (
      <main id="main">
        <h1>{type.name}</h1>
        <p role="status" className="done">
          {t("request.done", { number: String(made.number), status: word(t, "status", made.status) })}
        </p>
        <BackLink />
      </main>
    );

  const shown = (f: FormField) => {
    if (!f.show_when) return true;
    const answer = answers[f.show_when.field];
    const given = Array.isArray(answer) ? answer : answer ? [answer] : [];
    return given.some((v) => f.show_when!.equals.includes(v));
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setRefusal(null);
    const sent: Record<string, unknown> = {};
    for (const f of type!.form.fields) {
      const a = answers[f.key];
      if (!shown(f) || a === undefined || a === "" || (Array.isArray(a) && a.length === 0)) continue;
      sent[f.key] = f.type === "number" ? Number(a) : a;
    }
    try {
      setMade(await submitRequest(type!.id, sent));
    } catch (err) {
      if (err instanceof ApiError && err.details.length > 0) {
        const byField: Record<string, string> = {};
        for (const d of err.details) byField[d.field.replace(/^answers\./, "")] = d.problem;
        setProblems(byField);
        setRefusal(t("request.invalid"));
        // The keyboard user lands on the first answer to fix.
        const first = type!.form.fields.find((f) => byField[f.key]);
        if (first) requestAnimationFrame(() => document.getElementById(`field-${first.key}`)?.focus());
      } else {
        setProblems({});
        setRefusal(err instanceof Error ? err.message : String(err));
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <main id="main" className="request">
      <h1>{type.name}</h1>
      {type.description && <p className="lead">{type.description}</p>}
      <form onSubmit={submit} noValidate>
        {type.form.fields.filter(shown).map((f) => (
          <Field
            key={f.key}
            field={f}
            value={answers[f.key]}
            problem={problems[f.key]}
            onChange={(v) => setAnswers((before) => ({ ...before, [f.key]: v }))}
          />
        ))}
        {type.terms && (
          <section aria-label={t("request.terms")} className="terms">
            <h2>{t("request.terms")}</h2>
            <p>{type.terms}</p>
          </section>
        )}
        {refusal && (
          <p role="alert" className="error">
            {refusal}
          </p>
        )}
        <Button type="submit" isDisabled={busy}>
          {busy ? t("request.submitting") : t("request.submit")}
        </Button>
      </form>
      <BackLink />
    </main>
  );
}

function Field(props: { field: FormField; value: string | string[] | undefined; problem?: string; onChange: (v: string | string[]) => void }) {
  const { t } = useLocale();
  const f = props.field;
  const id = `field-${f.key}`;
  const describedBy = [f.help ? `${id}-help` : "", props.problem ? `${id}-problem` : ""].filter(Boolean).join(" ") || undefined;
  const common = { id, "aria-describedby": describedBy, "aria-invalid": props.problem ? true : undefined, required: f.required };
  const text = typeof props.value === "string" ? props.value : "";
  const list = Array.isArray(props.value) ? props.value : [];
  const optionLabel = (o: { label: string; price: string }) =>
    Number(o.price) > 0 ? `${o.label} (${t("catalog.price")} ${o.price})` : o.label;
  let input;
  switch (f.type) {
    case "long_text":
      input = <textarea {...common} rows={5} value={text} maxLength={f.max_length} onChange={(e) => props.onChange(e.target.value)} />;
      break;
    case "choice":
      input = (
        <select {...common} value={text} onChange={(e) => props.onChange(e.target.value)}>
          <option value="">{t("request.choose")}</option>
          {f.options?.map((o) => (
            <option key={o.value} value={o.value}>
              {optionLabel(o)}
            </option>
          ))}
        </select>
      );
      break;
    case "multi_choice":
      return (
        <fieldset className="field" aria-describedby={describedBy}>
          <legend>
            {f.label}
            {f.required && <span aria-hidden="true"> *</span>}
          </legend>
          {f.options?.map((o) => (
            <label key={o.value} className="check">
              <input
                type="checkbox"
                checked={list.includes(o.value)}
                onChange={(e) => props.onChange(e.target.checked ? [...list, o.value] : list.filter((v) => v !== o.value))}
              />{" "}
              {optionLabel(o)}
            </label>
          ))}
          <Notes id={id} help={f.help} problem={props.problem} />
        </fieldset>
      );
    case "file":
      input = (
        <input
          {...common}
          type="file"
          multiple={(f.max_files ?? 1) > 1}
          onChange={async (e) => {
            const chosen = Array.from(e.target.files ?? []).slice(0, f.max_files ?? 1);
            const ids = [];
            for (const file of chosen) ids.push((await upload(file)).id);
            props.onChange(ids);
          }}
        />
      );
      break;
    default:
      input = (
        <input
          {...common}
          type={f.type === "number" ? "number" : f.type === "date" ? "date" : "text"}
          inputMode={f.type === "money" ? "decimal" : undefined}
          min={f.min}
          max={f.max}
          maxLength={f.max_length}
          value={text}
          onChange={(e) => props.onChange(e.target.value)}
        />
      );
  }
  return (
    <div className="field">
      <label htmlFor={id}>
        {f.label}
        {f.required && <span aria-hidden="true"> *</span>}
      </label>
      {input}
      <Notes id={id} help={f.help} problem={props.problem} />
    </div>
  );
}

function Notes(props: { id: string; help?: string; problem?: string }) {
  return (
    <>
      {props.help && (
        <p id={`${props.id}-help`} className="help">
          {props.help}
        </p>
      )}
      {props.problem && (
        <p id={`${props.id}-problem`} className="error">
          {props.problem}
        </p>
      )}
    </>
  );
}

function BackLink() {
  const { t } = useLocale();
  return (
    <p>
      <Link to="/catalog">{t("request.back")}</Link>
    </p>
  );
}


