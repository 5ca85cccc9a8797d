import { useCallback, useRef, useState, type FormEvent, type ReactNode } from "react";
import { Button } from "react-aria-components";
import { api, ApiError, type Page } from "../api";
import { DialogForm } from "../components/DialogForm";
import { Failure, Loading } from "../components/Status";
import type { MessageKey } from "../i18n/en";
import { useLocale } from "../i18n";
import { errorText, usePaged } from "../paged";
import { FieldInput, mergePatch, readField, type FieldSpec } from "./fields";

// One kind of record an administrator keeps (admin §5): its list, page by page, and a dialog
// that creates or edits one. Edits go back as a merge patch of what changed, on the version read
// (If-Match), so two administrators never overwrite each other unseen.
export interface Stored {
  id: string;
  version: number;
  [field: string]: unknown;
}

// A field's stored value; "outer.inner" reads a part of an object field.
function valueAt(item: Stored, key: string): unknown {
  if (!key.includes(".")) return item[key];
  const [outer, inner] = key.split(".", 2);
  const whole = item[outer];
  return whole && typeof whole === "object" ? (whole as Record<string, unknown>)[inner] : undefined;
}

// An object field made of parts is sent whole when it changed, not as a patch of its parts.
function wholeParts(patch: Record<string, unknown>, body: Record<string, unknown>, nested: Set<string>): Record<string, unknown> {
  for (const outer of nested) if (outer in patch) patch[outer] = body[outer];
  return patch;
}

export interface Column {
  label: MessageKey;
  cell: (item: Stored) => ReactNode;
}

export interface ResourceSpec {
  path: string; // /api/v1/teams
  query?: string; // read with, e.g. lang=all for the catalog's texts in every language
  title: MessageKey;
  lead: MessageKey;
  noun: MessageKey; // "team", in "New team" and "Edit team"
  columns: Column[];
  fields: FieldSpec[];
  name: (item: Stored) => string;
  // What deleting does, when it may be done: "delete", or "deactivate" for people.
  removal?: "delete" | "deactivate";
  creatable?: boolean;
  // One more thing a row may offer (publishing terms' latest version): its button's words when
  // it applies to the item, what it does, and what to say once done.
  rowAction?: { label: (item: Stored) => string | null; run: (item: Stored) => Promise<unknown>; done: (item: Stored) => string };
}

// `stale`: the edit was refused because someone changed the record meanwhile; the dialog shows
// their version now.
type Editing = { mode: "create" } | { mode: "edit"; item: Stored; stale?: boolean } | null;

export function ResourceScreen({ spec, onChanged }: { spec: ResourceSpec; onChanged?: () => void }) {
  const { t } = useLocale();
  const query = spec.query ?? "";
  const fetchPage = useCallback(
    (cursor: string | null): Promise<Page<Stored>> =>
      api("GET", `${spec.path}?limit=50${query ? `&${query}` : ""}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`),
    [spec.path, query],
  );
  const { items, error, hasMore, more, reload } = usePaged(fetchPage);
  const [editing, setEditing] = useState<Editing>(null);
  const [removing, setRemoving] = useState<Stored | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const noun = t(spec.noun);
  const heading = useRef<HTMLHeadingElement>(null);

  return (
    <section aria-labelledby="resource-title" className="resource">
      <h1 id="resource-title" ref={heading} tabIndex={-1}>
        {t(spec.title)}
      </h1>
      <p className="lead">{t(spec.lead)}</p>
      {spec.creatable !== false && (
        <Button onPress={() => setEditing({ mode: "create" })}>{t("admin.new", { noun })}</Button>
      )}
      <p role="status" className="notice">
        {notice}
      </p>
      <Failure message={error} />
      {!items && !error && <Loading />}
      {items && items.length === 0 && <p>{t("admin.empty")}</p>}
      {items && items.length > 0 && (
        <div className="table-scroll">
          <table className="list">
            <caption className="visually-hidden">{t(spec.title)}</caption>
            <thead>
              <tr>
                {spec.columns.map((c) => (
                  <th key={c.label} scope="col">
                    {t(c.label)}
                  </th>
                ))}
                <th scope="col">{t("admin.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.id}>
                  {spec.columns.map((c, i) =>
                    i === 0 ? (
                      <th key={c.label} scope="row">
                        {c.cell(item)}
                      </th>
                    ) : (
                      <td key={c.label}>{c.cell(item)}</td>
                    ),
                  )}
                  <td className="row-actions">
                    <Button className="react-aria-Button small" aria-label={t("admin.editOne", { name: spec.name(item) })} onPress={() => setEditing({ mode: "edit", item })}>
                      {t("admin.edit")}
                    </Button>
                    {spec.rowAction?.label(item) && (
                      <Button
                        className="react-aria-Button small"
                        aria-label={`${spec.rowAction.label(item)}: ${spec.name(item)}`}
                        onPress={() =>
                          void spec.rowAction!
                            .run(item)
                            .then(() => setNotice(spec.rowAction!.done(item)))
                            .catch((e) => setNotice(errorText(e)))
                            .finally(() => void reload())
                        }
                      >
                        {spec.rowAction.label(item)}
                      </Button>
                    )}
                    {/* A person already deactivated has nothing left to remove; other records
                        are deleted whether active or not. */}
                    {(spec.removal === "delete" || (spec.removal === "deactivate" && item.active !== false)) && (
                      <Button
                        className="react-aria-Button secondary small"
                        aria-label={t(spec.removal === "delete" ? "admin.deleteOne" : "admin.deactivateOne", { name: spec.name(item) })}
                        onPress={() => setRemoving(item)}
                      >
                        {t(spec.removal === "delete" ? "admin.delete" : "admin.deactivate")}
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {hasMore && <Button onPress={() => void more()}>{t("admin.more")}</Button>}
      {editing && (
        <EditDialog
          key={editing.mode === "edit" ? `${editing.item.id}-${editing.item.version}` : "new"}
          spec={spec}
          editing={editing}
          onClose={() => setEditing(null)}
          onStale={(fresh) => {
            setEditing({ mode: "edit", item: fresh, stale: true });
            void reload();
          }}
          onSaved={(saved) => {
            setEditing(null);
            setNotice(t(editing.mode === "create" ? "admin.created" : "admin.saved", { name: spec.name(saved) }));
            void reload();
            onChanged?.();
          }}
        />
      )}
      {removing && (
        <RemoveDialog
          spec={spec}
          item={removing}
          onClose={() => setRemoving(null)}
          onStale={() => void reload()}
          onRemoved={() => {
            setRemoving(null);
            setNotice(t(spec.removal === "delete" ? "admin.deleted" : "admin.deactivated", { name: spec.name(removing) }));
            // The row (and the button that opened the dialog) is gone: the focus goes to the page.
            requestAnimationFrame(() => heading.current?.focus());
            void reload();
            onChanged?.();
          }}
        />
      )}
    </section>
  );
}

const etag = (item: Stored) => `"v${item.version}"`;

function EditDialog(props: {
  spec: ResourceSpec;
  editing: NonNullable<Editing>;
  onClose: () => void;
  onSaved: (saved: Stored) => void;
  onStale: (fresh: Stored) => void;
}) {
  const { t } = useLocale();
  const { spec, editing } = props;
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [refusal, setRefusal] = useState<string | null>(
    editing.mode === "edit" && editing.stale ? t("admin.changedMeanwhile") : null,
  );
  const form = useRef<HTMLFormElement | null>(null);
  const [saving, setSaving] = useState(false);
  const item = editing.mode === "edit" ? editing.item : null;
  const fields = spec.fields.filter((f) => (item ? !f.createOnly : !f.editOnly));

  // Problems beside their fields: said once for the whole form, and the first field to fix
  // gets the focus (it is marked once React has drawn the problems).
  function refusedBesideFields() {
    setRefusal(t("admin.fixFields"));
    requestAnimationFrame(() => form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
  }

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (saving) return;
    const data = new FormData(e.currentTarget);
    const body: Record<string, unknown> = {};
    const found: Record<string, string> = {};
    // A key "outer.inner" is a part of an object field (a rule's conditions and actions), which
    // goes whole: its parts left empty are left out.
    const nested = new Set<string>();
    for (const f of fields) {
      const read = readField(f, data);
      if ("problem" in read) found[f.key] = t(read.problem);
      else if (f.key.includes(".")) {
        const [outer, inner] = f.key.split(".", 2);
        nested.add(outer);
        const whole = (body[outer] ?? {}) as Record<string, unknown>;
        const empty = read.value === undefined || read.value === null || read.value === "" || (Array.isArray(read.value) && read.value.length === 0);
        body[outer] = empty ? whole : { ...whole, [inner]: read.value };
      } else body[f.key] = read.value;
    }
    setProblems(found);
    setRefusal(null);
    if (Object.keys(found).length) return refusedBesideFields();
    setSaving(true);
    try {
      const path = `${spec.path}${item ? `/${encodeURIComponent(item.id)}` : ""}${spec.query ? `?${spec.query}` : ""}`;
      const saved = item
        ? await api<Stored>("PATCH", path, wholeParts(mergePatch(item, body), body, nested), { "If-Match": etag(item) })
        : await api<Stored>("POST", path, Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined && v !== null)));
      props.onSaved(saved);
    } catch (err) {
      // Each problem beside its field; one about a part of a field (form.fields[2].key) beside
      // the field it is part of; the rest, and a refusal of the whole, above the buttons.
      if (err instanceof ApiError && err.details.length) {
        const beside: Record<string, string> = {};
        const rest: string[] = [];
        for (const d of err.details) {
          const owner = fields.find((f) => d.field === f.key || d.field.startsWith(`${f.key}.`) || d.field.startsWith(`${f.key}[`));
          if (owner) beside[owner.key] = [beside[owner.key], owner.key === d.field ? d.problem : `${d.field}: ${d.problem}`].filter(Boolean).join("; ");
          else rest.push(`${d.field}: ${d.problem}`);
        }
        setProblems(beside);
        if (rest.length) setRefusal(rest.join("; "));
        else refusedBesideFields();
      } else if (err instanceof ApiError && err.status === 412 && item) {
        // Someone saved first: show their version, so the change is made again on it.
        try {
          props.onStale(await api<Stored>("GET", `${spec.path}/${encodeURIComponent(item.id)}${spec.query ? `?${spec.query}` : ""}`));
        } catch (again) {
          setRefusal(errorText(again));
        }
      } else setRefusal(errorText(err));
    } finally {
      setSaving(false);
    }
  }

  const noun = t(spec.noun);
  return (
    <DialogForm
      isOpen
      title={item ? t("admin.editTitle", { name: spec.name(item) }) : t("admin.new", { noun })}
      submitLabel={item ? t("admin.save") : t("admin.create")}
      refusal={refusal}
      busy={saving}
      formRef={form}
      onClose={props.onClose}
      onSubmit={(e) => void submit(e)}
    >
      {fields.map((f, i) => (
        <FieldInput key={f.key} spec={f} value={item ? valueAt(item, f.key) : f.initial} problem={problems[f.key]} idPrefix={`edit-${i}`} />
      ))}
    </DialogForm>
  );
}

function RemoveDialog(props: { spec: ResourceSpec; item: Stored; onClose: () => void; onRemoved: () => void; onStale: () => void }) {
  const { t } = useLocale();
  const [refusal, setRefusal] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const name = props.spec.name(props.item);
  const deleting = props.spec.removal === "delete";
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    try {
      await api("DELETE", `${props.spec.path}/${encodeURIComponent(props.item.id)}`, undefined, { "If-Match": etag(props.item) });
      props.onRemoved();
    } catch (err) {
      if (err instanceof ApiError && err.status === 412) {
        setRefusal(t("admin.changedBeforeRemoval"));
        props.onStale();
      } else setRefusal(errorText(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <DialogForm
      isOpen
      title={t(deleting ? "admin.deleteOne" : "admin.deactivateOne", { name })}
      submitLabel={t(deleting ? "admin.delete" : "admin.deactivate")}
      refusal={refusal}
      busy={busy}
      onClose={props.onClose}
      onSubmit={(e) => void submit(e)}
    >
      <p>{t(deleting ? "admin.deleteWarning" : "admin.deactivateWarning", { name })}</p>
    </DialogForm>
  );
}
