import { useState } from "react";
import { ApiError } from "../api";
import { errorText } from "../paged";

// A labelled text area whose problem, when there is one, is announced with it (REL-6).
export function TextArea(props: {
  id: string;
  name: string;
  label: string;
  rows?: number;
  problem?: string | null;
  autoFocus?: boolean;
  defaultValue?: string;
}) {
  const problemId = `${props.id}-problem`;
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <textarea
        id={props.id}
        name={props.name}
        rows={props.rows ?? 4}
        autoFocus={props.autoFocus}
        defaultValue={props.defaultValue}
        aria-invalid={props.problem ? true : undefined}
        aria-describedby={props.problem ? problemId : undefined}
      />
      {props.problem && (
        <p id={problemId} className="error">
          {props.problem}
        </p>
      )}
    </div>
  );
}

// A form's problems: each beside its field, or one refusal of the whole form. `refused` sorts a
// failed call's error into them; `clear` forgets them when the form closes.
export function useFormProblems() {
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [refusal, setRefusal] = useState<string | null>(null);
  return {
    problems,
    refusal,
    // Problems found before sending: the refusal of an earlier try goes with them.
    check(found: Record<string, string>): boolean {
      setProblems(found);
      setRefusal(null);
      return Object.keys(found).length === 0;
    },
    refused(err: unknown) {
      if (err instanceof ApiError && err.details.length > 0) setProblems(Object.fromEntries(err.details.map((d) => [d.field, d.problem])));
      else setRefusal(errorText(err));
    },
    clear() {
      setProblems({});
      setRefusal(null);
    },
  };
}

// A field's problem, announced through the field's aria-describedby (REL-6); nothing when none.
export function Problem({ id, text }: { id?: string; text?: string | null }) {
  return text ? (
    <p id={id} className="error">
      {text}
    </p>
  ) : null;
}

// A whole form's refusal, announced at once.
export function Refusal({ text }: { text: string | null }) {
  return text ? (
    <p role="alert" className="error">
      {text}
    </p>
  ) : null;
}
