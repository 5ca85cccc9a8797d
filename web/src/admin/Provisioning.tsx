import { useCallback, useEffect, useState } from "react";
import { Button } from "react-aria-components";
import { api, type Page } from "../api";
import { Failure, Loading } from "../components/Status";
import { useLocale, word } from "../i18n";
import { errorText } from "../paged";
import type { Option } from "./fields";

// ONB-13 (admin): an administrator gives a customer organisation's identity provider (Entra ID,
// Okta…) what it needs to provision that organisation's people — the SCIM address and a token,
// shown once — and revokes a token, which stops working at once. They also say what the
// provider's groups mean here (the role each gives) and which onboarding plan a new person starts.
interface ScimToken {
  id: string;
  name: string;
  created_at: string;
  created_by: string;
  token?: string;
}

export function Provisioning({ organizations, providerId }: { organizations: Option[]; providerId: string }) {
  const { t, dateTime } = useLocale();
  const customers = organizations.filter((o) => o.value !== providerId);
  const [organization, setOrganization] = useState(customers[0]?.value ?? "");
  const [tokens, setTokens] = useState<ScimToken[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<ScimToken | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const address = `${window.location.origin}/scim/v2`;

  const load = useCallback(() => {
    if (!organization) return;
    setTokens(null);
    api<Page<ScimToken>>("GET", `/api/v1/scim-tokens?organization_id=${encodeURIComponent(organization)}`)
      .then((page) => {
        setTokens(page.items);
        setError(null);
      })
      .catch((e) => setError(errorText(e)));
  }, [organization]);
  useEffect(load, [load]);

  return (
    <section aria-labelledby="provisioning-title" className="resource">
      <h1 id="provisioning-title">{t("provisioning.title")}</h1>
      <p className="lead">{t("provisioning.lead")}</p>
      <form
        className="filters"
        aria-label={t("provisioning.create")}
        onSubmit={(e) => {
          e.preventDefault();
          const name = String(new FormData(e.currentTarget).get("name") ?? "").trim();
          setBusy(true);
          setNotice(null);
          api<ScimToken>("POST", "/api/v1/scim-tokens", { organization_id: organization, ...(name ? { name } : {}) })
            .then((token) => {
              setCreated(token);
              load();
            })
            .catch((err) => setNotice(errorText(err)))
            .finally(() => setBusy(false));
        }}
      >
        <div className="field">
          <label htmlFor="provisioning-organization">{t("admin.organization")}</label>
          <select
            id="provisioning-organization"
            value={organization}
            onChange={(e) => {
              setOrganization(e.target.value);
              setCreated(null);
              setNotice(null);
            }}
          >
            {customers.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="provisioning-name">{t("provisioning.name")}</label>
          <input id="provisioning-name" name="name" placeholder="Entra ID" maxLength={200} />
        </div>
        <Button type="submit" isDisabled={!organization || busy}>
          {t("provisioning.create")}
        </Button>
      </form>
      <p role="status" className="notice">
        {notice}
      </p>
      {created?.token && (
        <div className="notice" role="region" aria-labelledby="provisioning-secret-title">
          <h2 id="provisioning-secret-title">{t("provisioning.shownOnce", { name: created.name })}</h2>
          <p>{t("provisioning.giveToProvider")}</p>
          <div className="field">
            <label htmlFor="provisioning-address">{t("provisioning.address")}</label>
            <input id="provisioning-address" readOnly value={address} onFocus={(e) => e.currentTarget.select()} />
          </div>
          <div className="field">
            <label htmlFor="provisioning-token">{t("provisioning.token")}</label>
            <input id="provisioning-token" readOnly value={created.token} onFocus={(e) => e.currentTarget.select()} />
          </div>
        </div>
      )}
      <Failure message={error} />
      {organization && !tokens && !error && <Loading />}
      {!organization && <p>{t("provisioning.noCustomers")}</p>}
      {tokens && tokens.length === 0 && <p>{t("provisioning.none")}</p>}
      {tokens && tokens.length > 0 && (
        <div className="table-scroll">
          <table className="list">
            <caption className="visually-hidden">{t("provisioning.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("provisioning.name")}</th>
                <th scope="col">{t("provisioning.createdAt")}</th>
                <th scope="col">{t("admin.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((token) => (
                <tr key={token.id}>
                  <th scope="row">{token.name}</th>
                  <td>{dateTime(token.created_at)}</td>
                  <td>
                    <Button
                      aria-label={t("provisioning.revokeNamed", { name: token.name })}
                      onPress={() =>
                        api("DELETE", `/api/v1/scim-tokens/${encodeURIComponent(token.id)}`)
                          .then(() => {
                            setNotice(t("provisioning.revoked", { name: token.name }));
                            if (created?.id === token.id) setCreated(null);
                            load();
                          })
                          .catch((e) => setNotice(errorText(e)))
                      }
                    >
                      {t("provisioning.revoke")}
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {organization && <Settings key={organization} organization={organization} />}
    </section>
  );
}

interface GroupRole {
  group: string;
  role: string;
}
interface ProvisioningSettings {
  group_roles: GroupRole[];
  new_user_template_id: string | null;
  etag: string;
}
const consumerRoles = ["customer", "user", "representative"];

function Settings({ organization }: { organization: string }) {
  const { t, language } = useLocale();
  const [settings, setSettings] = useState<ProvisioningSettings | null>(null);
  const [rows, setRows] = useState<GroupRole[]>([]);
  const [template, setTemplate] = useState("");
  const [templates, setTemplates] = useState<{ id: string; name: string }[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const path = `/api/v1/organizations/${encodeURIComponent(organization)}/provisioning`;
  const load = useCallback(() => {
    api<ProvisioningSettings>("GET", path)
      .then((s) => {
        setSettings(s);
        setRows(s.group_roles);
        setTemplate(s.new_user_template_id ?? "");
      })
      .catch((e) => setProblem(errorText(e)));
  }, [path]);
  useEffect(load, [load]);
  useEffect(() => {
    // A template's name in the reader's language (the list may give every language).
    const named = (name: string | Record<string, string>) =>
      typeof name === "string" ? name : (name[language] ?? name.en ?? Object.values(name)[0] ?? "");
    api<Page<{ id: string; name: string | Record<string, string> }>>("GET", `/api/v1/onboarding-templates?lang=${encodeURIComponent(language)}`)
      .then((page) => setTemplates(page.items.map((tpl) => ({ id: tpl.id, name: named(tpl.name) }))))
      .catch(() => setTemplates([]));
  }, [language]);
  if (!settings) return problem ? <Failure message={problem} /> : <Loading />;
  return (
    <form
      aria-labelledby="provisioning-settings-title"
      onSubmit={(e) => {
        e.preventDefault();
        setNotice(null);
        setProblem(null);
        api<ProvisioningSettings>(
          "PUT",
          path,
          { group_roles: rows.filter((r) => r.group.trim()), new_user_template_id: template || null },
          { "If-Match": settings.etag },
        )
          .then((saved) => {
            setSettings(saved);
            setRows(saved.group_roles);
            setNotice(t("provisioning.settings.saved"));
          })
          .catch((err) => setProblem(errorText(err)));
      }}
    >
      <h2 id="provisioning-settings-title">{t("provisioning.settings.title")}</h2>
      <p className="help">{t("provisioning.settings.lead")}</p>
      <fieldset>
        <legend>{t("provisioning.settings.groups")}</legend>
        {rows.length === 0 && <p>{t("provisioning.settings.noGroups")}</p>}
        {rows.map((row, i) => (
          <div className="filters" key={i}>
            <div className="field">
              <label htmlFor={`group-${i}`}>{t("provisioning.settings.group")}</label>
              <input
                id={`group-${i}`}
                value={row.group}
                maxLength={200}
                onChange={(e) => setRows(rows.map((r, j) => (j === i ? { ...r, group: e.target.value } : r)))}
              />
            </div>
            <div className="field">
              <label htmlFor={`group-role-${i}`}>{t("provisioning.settings.role")}</label>
              <select id={`group-role-${i}`} value={row.role} onChange={(e) => setRows(rows.map((r, j) => (j === i ? { ...r, role: e.target.value } : r)))}>
                {consumerRoles.map((role) => (
                  <option key={role} value={role}>
                    {word(t, "role", role)}
                  </option>
                ))}
              </select>
            </div>
            <Button
              aria-label={t("provisioning.settings.removeNamed", { group: row.group || String(i + 1) })}
              onPress={() => setRows(rows.filter((_, j) => j !== i))}
            >
              {t("provisioning.settings.remove")}
            </Button>
          </div>
        ))}
        <Button onPress={() => setRows([...rows, { group: "", role: "customer" }])}>{t("provisioning.settings.add")}</Button>
      </fieldset>
      <div className="field">
        <label htmlFor="provisioning-template">{t("provisioning.settings.template")}</label>
        <select id="provisioning-template" value={template} onChange={(e) => setTemplate(e.target.value)} aria-describedby="provisioning-template-help">
          <option value="">{t("provisioning.settings.noTemplate")}</option>
          {templates.map((tpl) => (
            <option key={tpl.id} value={tpl.id}>
              {tpl.name}
            </option>
          ))}
        </select>
        <p id="provisioning-template-help" className="help">
          {t("provisioning.settings.templateHelp")}
        </p>
      </div>
      <Button type="submit">{t("provisioning.settings.save")}</Button>
      <p role="status" className="notice">
        {notice}
      </p>
      <Failure message={problem} />
    </form>
  );
}
