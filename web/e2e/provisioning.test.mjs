// ONB-13 (admin): an administrator gives the car-share club's identity provider a SCIM token on
// the provisioning page, in English and in Chinese, and says what its groups mean here and which
// plan a new person starts; the token shown once provisions a person through /scim/v2 — who starts
// their plan and becomes a customer through their group — and once revoked on the page it is
// refused. axe-core on the page.
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

  // What the identity provider's groups mean here, and the plan a new person starts.
  const settings = p.getByRole("form", { name: "What provisioning does" });
  await settings.getByText("No group gives a role: people keep the roles they have.").waitFor();
  await settings.getByRole("button", { name: "Add a group" }).click();
  await settings.getByLabel("Group (its name in the identity provider)").fill("Club managers");
  await settings.getByLabel("Role it gives").selectOption("customer");
  const template = settings.getByLabel("Onboarding plan for new people");
  await template.locator("option").nth(1).waitFor({ state: "attached" });
  await template.selectOption({ index: 1 });
  assert.deepEqual(await accessibilityViolations(p), []);
  await settings.getByRole("button", { name: "Save provisioning settings" }).click();
  await settings.getByRole("status").filter({ hasText: "Provisioning settings saved." }).waitFor();
  await screenshot(p, "provisioning-settings-en");

  // The token works as the identity provider would use it: a person of the club is made.
  const made = await scim(token, "POST", "/Users", {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
    userName: "scim.person@club.example",
    name: { givenName: "Scim", familyName: "Person" },
    emails: [{ value: "scim.person@club.example", primary: true }],
    active: true,
  });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const get = async (path) => (await p.request.get(shared.tandem.base + path)).json();
  const club = (await get("/api/v1/organizations?limit=100")).items.find((o) => o.name === CLUB);
  const plans = (await get(`/api/v1/plans?organization_id=${club.id}&limit=100`)).items;
  assert.ok(plans.some((plan) => plan.user_id === made.body.id && plan.scenario === "new_user"), "their new_user plan started");
  const group = await scim(token, "POST", "/Groups", {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
    displayName: "Club managers",
    members: [{ value: made.body.id }],
  });
  assert.equal(group.status, 201, JSON.stringify(group.body));
  assert.deepEqual((await get(`/api/v1/users/${made.body.id}`)).roles, ["customer"], "the group's role");

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
