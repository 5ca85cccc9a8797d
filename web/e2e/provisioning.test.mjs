// ONB-13 (admin): an administrator gives the car-share club's identity provider a SCIM token on
// the provisioning page, in English and in Chinese; the token shown once provisions a person
// through /scim/v2, and once revoked on the page it is refused. axe-core on the page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { accessibilityViolations, screenshot, signedIn, useTandem } from "./harness.mjs";

const shared = useTandem();
const CLUB = "Greenway Car-share Club 绿道汽车共享俱乐部";

async function scim(token, method, path, body) {
  const response = await fetch(shared.tandem.base + "/scim/v2" + path, {
    method,
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/scim+json" },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, body: await response.json().catch(() => null) };
}

test("an administrator gives an identity provider a SCIM token and takes it back", async () => {
  const { page: p } = await signedIn(shared, "admin@campus-mobility.example", "en-GB", "/admin/provisioning");
  await p.getByRole("heading", { name: "Provisioning (SCIM)", level: 1 }).waitFor();
  await p.getByText("This organisation has no SCIM token.").or(p.getByRole("table")).waitFor();
  await p.getByLabel("Organisation").selectOption({ label: CLUB });
  await p.getByText("This organisation has no SCIM token.").waitFor();
  await p.getByLabel("Token name").fill("Entra ID");
  await p.getByRole("button", { name: "Create a SCIM token" }).click();

  const shown = p.getByRole("region", { name: /Token “Entra ID”/ });
  await shown.waitFor();
  const address = await shown.getByLabel("SCIM address").inputValue();
  assert.equal(address, shared.tandem.base + "/scim/v2");
  const token = await shown.getByLabel("Secret token").inputValue();
  assert.match(token, /^tdm_scim_/);
  await p.getByRole("rowheader", { name: "Entra ID" }).waitFor();
  assert.deepEqual(await accessibilityViolations(p), []);
  await screenshot(p, "provisioning-token-en");

  // The token works as the identity provider would use it: a person of the club is made.
  const made = await scim(token, "POST", "/Users", {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
    userName: "scim.person@club.example",
    name: { givenName: "Scim", familyName: "Person" },
    emails: [{ value: "scim.person@club.example", primary: true }],
    active: true,
  });
  assert.equal(made.status, 201, JSON.stringify(made.body));

  // Revoked on the page, it is refused at once, and the page says so.
  await p.getByRole("button", { name: "Revoke token Entra ID" }).click();
  await p.getByRole("status").filter({ hasText: "Token “Entra ID” is revoked; it no longer works." }).waitFor();
  await p.getByText("This organisation has no SCIM token.").waitFor();
  assert.equal(await shown.count(), 0, "the secret is no longer on the page");
  assert.equal((await scim(token, "GET", "/Users")).status, 401);
});

test("the provisioning page in Chinese", async () => {
  const { page: p } = await signedIn(shared, "admin@campus-mobility.example", "zh-CN", "/admin/provisioning");
  await p.getByLabel("Language").selectOption("zh-CN");
  await p.getByRole("heading", { name: "自动开通（SCIM）", level: 1 }).waitFor();
  await p.getByLabel("组织").selectOption({ label: CLUB });
  await p.getByRole("button", { name: "创建 SCIM 令牌" }).click();
  const shown = p.getByRole("region", { name: /令牌“SCIM”/ });
  await shown.waitFor();
  assert.match(await shown.getByLabel("密钥令牌").inputValue(), /^tdm_scim_/);
  assert.deepEqual(await accessibilityViolations(p), []);
  await screenshot(p, "provisioning-token-zh");
});
