import type { ReactNode } from "react";
import type { MessageKey } from "../i18n/en";
import { useLocale, word } from "../i18n";

// The fields of an administrator's edit form, described as data: how each shows a stored value,
// and how the form's inputs become the value sent back. The form is uncontrolled — each input
// starts from the stored value and is read once, on submit — so a field is two small functions.
export type Option = { value: string; label: string };

export type FieldKind =
  | "text" // a line of text; empty means absent
  | "password"
  | "textarea"
  | "number"
  | "checkbox" // true / false
  | "select" // one of `options`; `nullable` offers "none"
  | "checks" // any of `options`, as an array
  | "list" // words separated by commas or new lines, as an array
  | "json" // any JSON value, written out
  | "translated" // { en, zh-CN }: the texts of the catalog in both languages
  | "week" // business hours: { mon: [["09:00", "12:00"], …], … }
  | "minutes"; // { part: minutes } for each of `parts`

export interface FieldSpec {
  key: string;
  label: MessageKey;
  kind: FieldKind;
  help?: MessageKey;
  required?: boolean;
  // Sent when creating only (a first password), or offered when editing only (active).
  createOnly?: boolean;
  editOnly?: boolean;
  options?: Option[];
  nullable?: boolean;
  parts?: { key: string; label: MessageKey }[];
  initial?: unknown; // what a new record starts with
  emptyAs?: unknown; // what an emptied text means (a time zone: "UTC"), instead of no value
}

export const weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
const translations = ["en", "zh-CN"] as const;

// "09:00-12:00, 13:00-18:00" ⇄ [["09:00","12:00"],["13:00","18:00"]]
export function spansText(spans: unknown): string {
  return Array.isArray(spans) ? spans.map((s) => (Array.isArray(s) ? s.join("-") : "")).join(", ") : "";
}
export function parseSpans(text: string): string[][] | null {
  const spans: string[][] = [];
  for (const part of text.split(/[,，;；]/).map((p) => p.trim()).filter(Boolean)) {
    const m = part.match(/^(\d{1,2}:\d{2})\s*[-–~至]\s*(\d{1,2}:\d{2})$/);
    if (!m) return null;
    spans.push([m[1].padStart(5, "0"), m[2].padStart(5, "0")]);
  }
  return spans;
}

export const splitList = (text: string) =>
  text
    .split(/[,，、\n]/)
    .map((w) => w.trim())
    .filter(Boolean);

// The value a field's inputs give, or the problem with them (in the UI's language).
export type Read = { value: unknown } | { problem: MessageKey };

export function readField(spec: FieldSpec, data: FormData): Read {
  const one = (name: string) => String(data.get(name) ?? "").trim();
  switch (spec.kind) {
    case "password": {
      // Taken as typed: spaces at either end are part of a password.
      const typed = String(data.get(spec.key) ?? "");
      return typed ? { value: typed } : { value: undefined };
    }
    case "text":
    case "textarea":
      if (one(spec.key)) return { value: one(spec.key) };
      return spec.required ? { problem: "admin.required" } : { value: spec.emptyAs };
    case "number": {
      const text = one(spec.key);
      if (!text) return spec.required ? { problem: "admin.required" } : { value: undefined };
      const n = Number(text);
      return Number.isFinite(n) ? { value: n } : { problem: "admin.notNumber" };
    }
    case "checkbox":
      return { value: data.get(spec.key) === "on" };
    case "select": {
      const v = one(spec.key);
      if (v) return { value: v };
      return spec.required ? { problem: "admin.required" } : { value: spec.nullable ? null : undefined };
    }
    case "checks":
      return { value: data.getAll(spec.key).map(String) };
    case "list":
      return { value: splitList(String(data.get(spec.key) ?? "")) };
    case "json": {
      const text = one(spec.key);
      if (!text) return spec.required ? { problem: "admin.required" } : { value: undefined };
      try {
        return { value: JSON.parse(text) };
      } catch {
        return { problem: "admin.notJson" };
      }
    }
    case "translated": {
      const value: Record<string, string> = {};
      for (const l of translations) if (one(`${spec.key}.${l}`)) value[l] = one(`${spec.key}.${l}`);
      if (spec.required && Object.keys(value).length === 0) return { problem: "admin.required" };
      return { value };
    }
    case "week": {
      const value: Record<string, string[][]> = {};
      for (const day of weekdays) {
        const spans = parseSpans(one(`${spec.key}.${day}`));
        if (!spans) return { problem: "admin.badHours" };
        if (spans.length) value[day] = spans;
      }
      return { value };
    }
    case "minutes": {
      const value: Record<string, number> = {};
      for (const part of spec.parts ?? []) {
        const text = one(`${spec.key}.${part.key}`);
        if (!text) continue;
        const n = Number(text);
        if (!Number.isInteger(n) || n < 0) return { problem: "admin.notMinutes" };
        value[part.key] = n;
      }
      return { value };
    }
  }
}

// One field of the form, labelled, with its problem announced with it (REL-6).
export function FieldInput({ spec, value, problem, idPrefix }: { spec: FieldSpec; value: unknown; problem?: string; idPrefix: string }) {
  const { t } = useLocale();
  // A stored value the options do not list (a member since deactivated) is still offered, by
  // its id: saving the form must not drop what the administrator did not touch.
  const stored = (Array.isArray(value) ? value : value === null || value === undefined || value === "" ? [] : [value]).map(String);
  const options = [
    ...(spec.options ?? []),
    ...stored.filter((v) => !(spec.options ?? []).some((o) => o.value === v)).map((v) => ({ value: v, label: v })),
  ];
  const required = spec.required ? { "aria-required": true as const } : {};
  const id = `${idPrefix}-${spec.key}`;
  const problemId = `${id}-problem`;
  const invalid = problem ? { "aria-invalid": true as const, "aria-describedby": problemId } : {};
  const help = spec.help && <p className="help">{t(spec.help)}</p>;
  const problemText = problem && (
    <p id={problemId} className="error">
      {problem}
    </p>
  );
  const text = (v: unknown) => (v === null || v === undefined ? "" : String(v));
  const group = (inputs: ReactNode) => (
    <fieldset className="field" {...(problem ? { "aria-describedby": problemId } : {})}>
      <legend>
        {t(spec.label)}
        {spec.required && <span aria-hidden="true"> *</span>}
      </legend>
      {help}
      {inputs}
      {problemText}
    </fieldset>
  );
  switch (spec.kind) {
    case "checkbox":
      return (
        <div className="field">
          <label className="check">
            <input type="checkbox" name={spec.key} defaultChecked={value === true} {...invalid} /> {t(spec.label)}
          </label>
          {help}
          {problemText}
        </div>
      );
    case "checks": {
      const chosen = Array.isArray(value) ? value.map(String) : [];
      return group(
        <div className="checks">
          {options.map((o) => (
            <label key={o.value} className="check">
              <input type="checkbox" name={spec.key} value={o.value} defaultChecked={chosen.includes(o.value)} /> {o.label}
            </label>
          ))}
        </div>,
      );
    }
    case "translated": {
      const texts = (value ?? {}) as Record<string, string>;
      return group(
        translations.map((l) => (
          <div key={l} className="inline-field">
            <label htmlFor={`${id}-${l}`}>{t(l === "en" ? "admin.inEnglish" : "admin.inChinese")}</label>
            <input id={`${id}-${l}`} name={`${spec.key}.${l}`} lang={l} defaultValue={texts[l] ?? ""} {...invalid} />
          </div>
        )),
      );
    }
    case "week": {
      const hours = (value ?? {}) as Record<string, unknown>;
      return group(
        weekdays.map((d) => (
          <div key={d} className="inline-field">
            <label htmlFor={`${id}-${d}`}>{word(t, "weekday", d)}</label>
            <input id={`${id}-${d}`} name={`${spec.key}.${d}`} defaultValue={spansText(hours[d])} placeholder="09:00-12:00, 13:00-18:00" {...invalid} />
          </div>
        )),
      );
    }
    case "minutes": {
      const parts = (value ?? {}) as Record<string, unknown>;
      return group(
        (spec.parts ?? []).map((p) => (
          <div key={p.key} className="inline-field">
            <label htmlFor={`${id}-${p.key}`}>{t(p.label)}</label>
            <input id={`${id}-${p.key}`} name={`${spec.key}.${p.key}`} inputMode="numeric" defaultValue={text(parts[p.key])} {...invalid} />
          </div>
        )),
      );
    }
  }
  let input: ReactNode;
  switch (spec.kind) {
    case "textarea":
    case "json":
      input = (
        <textarea
          id={id}
          name={spec.key}
          rows={spec.kind === "json" ? 8 : 3}
          className={spec.kind === "json" ? "code" : undefined}
          spellCheck={spec.kind !== "json"}
          {...required}
          defaultValue={spec.kind === "json" ? (value === undefined || value === null ? "" : JSON.stringify(value, null, 2)) : text(value)}
          {...invalid}
        />
      );
      break;
    case "select":
      input = (
        <select id={id} name={spec.key} defaultValue={text(value)} {...required} {...invalid}>
          {spec.nullable || !spec.required ? (
            <option value="">{t("admin.none")}</option>
          ) : (
            // Nothing chosen yet is shown as such, not as the first option chosen unseen.
            <option value="" disabled>
              {t("admin.choose")}
            </option>
          )}
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      );
      break;
    case "list":
      input = <textarea id={id} name={spec.key} rows={2} defaultValue={Array.isArray(value) ? value.join(", ") : ""} {...invalid} />;
      break;
    default:
      input = (
        <input
          id={id}
          name={spec.key}
          type={spec.kind === "password" ? "password" : "text"}
          inputMode={spec.kind === "number" ? "decimal" : undefined}
          autoComplete={spec.kind === "password" ? "new-password" : "off"}
          defaultValue={spec.kind === "password" ? "" : text(value)}
          {...required}
          {...invalid}
        />
      );
  }
  return (
    <div className="field">
      <label htmlFor={id}>
        {t(spec.label)}
        {spec.required && <span aria-hidden="true"> *</span>}
      </label>
      {help}
      {input}
      {problemText}
    </div>
  );
}

// RFC 7396: the merge patch that turns `before` into `after` — unchanged fields left out, an
// object's removed keys sent as null, arrays and values replaced whole.
export function mergePatch(before: unknown, after: Record<string, unknown>): Record<string, unknown> {
  const was = isObject(before) ? before : {};
  const patch: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(after)) {
    if (value === undefined) {
      // A field emptied: a text stays a text (the directory keeps "" for no description).
      if (typeof was[key] === "string") {
        if (was[key] !== "") patch[key] = "";
      } else if (was[key] !== undefined && was[key] !== null) patch[key] = null;
      continue;
    }
    if (same(was[key], value)) continue;
    if (isObject(value) && isObject(was[key])) {
      const inner = mergePatch(was[key], value);
      for (const gone of Object.keys(was[key] as object)) if (!(gone in value)) inner[gone] = null;
      patch[key] = inner;
    } else patch[key] = value;
  }
  return patch;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
