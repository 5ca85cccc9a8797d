import { useCallback, useEffect, useState } from "react";
import { Button } from "react-aria-components";
import { api, type Page } from "../api";
import { Failure, Loading } from "../components/Status";
import { useLocale } from "../i18n";
import { errorText } from "../paged";
import type { Option } from "./fields";

// ONB-13 (admin): an administrator gives a customer organisation's identity provider (Entra ID,
// Okta…) what it needs to provision that organisation's people — the SCIM address and a token,
// shown once — and revokes a token, which stops working at once.
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
    </section>
  );
}
