import { useState } from "react";
import { Button } from "react-aria-components";
import { postForm } from "../api";
import { useLocale, word } from "../i18n";
import { Failure } from "../components/Status";
import { errorText } from "../paged";

// OFF-3 (admin): an administrator brings a customer in from another desk — our own export, the
// documented CSV layout or a Request Tracker export. The file is checked first (a dry run that
// changes nothing and says what would be created, merged or rejected, and why); only then can
// exactly that file be imported.
interface Count {
  created: number;
  merged: number;
  rejected: number;
}
interface Report {
  format: string;
  dry_run: boolean;
  digest: string;
  counts: Record<string, Count>;
  rejected: { kind: string; source_id: string; reason: string }[];
  dropped_references: number;
}

const kinds = ["organizations", "users", "tickets", "events", "attachments", "links"];

export function Import() {
  const { t } = useLocale();
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState("tandem");
  const [organization, setOrganization] = useState("");
  const [report, setReport] = useState<Report | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const send = (confirm: string | null) => {
    if (!file) return;
    const body = new FormData();
    body.append("format", format);
    body.append("dry_run", confirm ? "false" : "true");
    if (confirm) body.append("confirm", confirm);
    if (format === "rt") body.append("organization", organization);
    body.append("file", file, file.name);
    setBusy(true);
    setProblem(null);
    postForm<Report>("/api/v1/imports", body)
      .then(setReport)
      .catch((e) => {
        setReport(null);
        setProblem(errorText(e));
      })
      .finally(() => setBusy(false));
  };

  return (
    <section aria-labelledby="import-title" className="resource">
      <h1 id="import-title">{t("import.title")}</h1>
      <p className="lead">{t("import.lead")}</p>
      <form
        className="filters"
        aria-label={t("import.check")}
        onSubmit={(e) => {
          e.preventDefault();
          send(null);
        }}
      >
        <div className="field">
          <label htmlFor="import-format">{t("import.format")}</label>
          <select
            id="import-format"
            value={format}
            onChange={(e) => {
              setFormat(e.target.value);
              setReport(null);
            }}
          >
            {["tandem", "csv", "rt"].map((f) => (
              <option key={f} value={f}>
                {word(t, "import.formatName", f)}
              </option>
            ))}
          </select>
        </div>
        {format === "rt" && (
          <div className="field">
            <label htmlFor="import-organization">{t("import.organization")}</label>
            <input
              id="import-organization"
              required
              maxLength={200}
              value={organization}
              onChange={(e) => {
                setOrganization(e.target.value);
                setReport(null);
              }}
              aria-describedby="import-organization-help"
            />
            <p id="import-organization-help" className="help">
              {t("import.organization.help")}
            </p>
          </div>
        )}
        <div className="field">
          <label htmlFor="import-file">{t("import.file")}</label>
          <input
            id="import-file"
            type="file"
            required
            accept={format === "csv" ? ".csv,text/csv" : ".zip,application/zip"}
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setReport(null);
            }}
          />
        </div>
        <Button type="submit" isDisabled={busy || !file}>
          {t("import.check")}
        </Button>
      </form>
      <Failure message={problem} />
      {report && (
        <section aria-labelledby="import-report-title" aria-live="polite">
          <h2 id="import-report-title">{report.dry_run ? t("import.report.dry") : t("import.report.done")}</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">{t("import.kind")}</th>
                <th scope="col">{report.dry_run ? t("import.wouldCreate") : t("import.created")}</th>
                <th scope="col">{t("import.merged")}</th>
                <th scope="col">{t("import.rejected")}</th>
              </tr>
            </thead>
            <tbody>
              {kinds.map((k) => (
                <tr key={k}>
                  <th scope="row">{word(t, "import.kindName", k)}</th>
                  <td className="number">{report.counts[k]?.created ?? 0}</td>
                  <td className="number">{report.counts[k]?.merged ?? 0}</td>
                  <td className="number">{report.counts[k]?.rejected ?? 0}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {report.dropped_references > 0 && <p>{t("import.dropped", { count: String(report.dropped_references) })}</p>}
          {report.rejected.length > 0 && (
            <>
              <h3>{t("import.rejectedTitle")}</h3>
              <ul>
                {report.rejected.map((r, i) => (
                  <li key={i}>
                    {word(t, "import.kindName", r.kind)} {r.source_id.replace("\n", " / ")}: {r.reason}
                  </li>
                ))}
              </ul>
            </>
          )}
          {report.dry_run ? (
            <Button isDisabled={busy} onPress={() => send(report.digest)}>
              {t("import.run")}
            </Button>
          ) : (
            <p role="status">{t("import.doneNote")}</p>
          )}
        </section>
      )}
    </section>
  );
}
