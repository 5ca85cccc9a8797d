// OFF-1 on screen: a relationship manager takes the car-share club's member Chen Jing through
// leaving — her access ends at once (her signed-in browser is sent to sign-in), the year she paid
// ahead is settled on a credit note for the days left (OFF-2), the car key she holds blocks the
// assets step until it is marked returned, erasure waits for the thank-you, and at the end the
// record names her "Former user N". OFF-2: a customer organisation's service ends — everyone
// offboarded, the exit fee and the account settled on a final invoice. In English, with pages
// read in Chinese too; axe-core on each.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { accessibilityViolations, password, screenshot, signedIn, useTandem } from "./harness.mjs";

const shared = useTandem();
const CLUB = "Greenway Car-share Club 绿道汽车共享俱乐部";

test("a member leaves: access ends, the car key comes back, her data is erased", async () => {
  const member = await signedIn(shared, "chen.jing@greenway-club.example", "zh-CN", "/catalog");
  const { page: p } = await signedIn(shared, "grace.chen@campus-mobility.example", "en-GB", "/offboarding");
  await p.getByRole("heading", { name: "Offboarding", level: 1 }).waitFor();
  await p.getByText("No one has been offboarded yet.").waitFor();
  await p.getByLabel("Organisation", { exact: true }).selectOption({ label: CLUB });
  await p.getByLabel("Person leaving").locator("option", { hasText: "陈静" }).waitFor({ state: "attached" });
  await p.getByLabel("Person leaving").selectOption({ label: "陈静" });
  await p.getByRole("form", { name: "Start offboarding", exact: true }).getByLabel("Reason").fill("Membership ended 会员退出");
  assert.deepEqual(await accessibilityViolations(p), []);
  await p.getByRole("button", { name: "Start offboarding" }).click();

  await p.getByRole("heading", { name: "Offboarding of 陈静", level: 1 }).waitFor();
  const steps = p.getByRole("list").filter({ hasText: "Erase personal data" });
  assert.match(await steps.getByRole("listitem").filter({ hasText: "End access" }).innerText(), /done/);
  // Her browser's next call is refused: back to sign-in.
  await member.page.reload();
  await member.page.getByRole("button", { name: "登录" }).waitFor();
  // The year she paid ahead: the whole days left come back on a credit note.
  const settlement = p.getByRole("region", { name: "Settlement" });
  await settlement.getByText(/^Credit note No\. \d+$/).waitFor();
  assert.match(await settlement.getByRole("row").filter({ hasText: "Unused prepaid fee" }).innerText(), /Credit: Unused prepaid fee: Regular .*-\d+\.\d\d CNY/);
  assert.match(await settlement.getByRole("row", { name: /Total/ }).innerText(), /-\d+\.\d\d CNY \(owed to the customer\)/);

  // The car key she holds keeps the assets step open until it is back.
  await p.getByText("车钥匙 Car key — 沪A·EV123 (car key) — held").waitFor();
  await p.getByRole("button", { name: "Mark done: Assets back" }).click();
  await p.getByRole("alert").filter({ hasText: "Still held: 车钥匙 Car key — 沪A·EV123" }).waitFor();
  await p.getByRole("button", { name: "Returned: 车钥匙 Car key — 沪A·EV123" }).click();
  await p.getByText("车钥匙 Car key — 沪A·EV123 (car key) — returned").waitFor();
  await p.getByRole("button", { name: "Mark done: Assets back" }).click();
  await p.getByRole("status").filter({ hasText: "“Assets back” is done." }).waitFor();
  assert.deepEqual(await accessibilityViolations(p), []);
  await screenshot(p, "offboarding-record-en");

  // Erasure waits for the thank-you.
  for (const step of ["Tell the person", "Open tickets", "Archive records"]) {
    await p.getByRole("button", { name: `Mark done: ${step}` }).click();
    await p.getByRole("status").filter({ hasText: `“${step}” is done.` }).waitFor();
  }
  await p.getByRole("button", { name: "Mark done: Erase personal data" }).click();
  await p.getByRole("alert").filter({ hasText: "waits for: thank_you" }).waitFor();
  await p.getByRole("button", { name: "Mark done: Say thank you" }).click();
  await p.getByText("Thank you for working with us.").or(p.getByText("感谢您一直以来的信任与合作")).waitFor();
  await p.getByRole("button", { name: "Mark done: Erase personal data" }).click();
  await p.getByRole("heading", { name: /^Offboarding of Former user \d+$/, level: 1 }).waitFor();
  await p.getByRole("button", { name: "Mark done: Close the record" }).click();
  await p.getByText("completed", { exact: true }).waitFor();
  assert.equal(await p.getByText("陈静").count(), 0, "her name is nowhere on the record");

  // The same record, read in Chinese.
  await p.getByLabel("Language").selectOption("zh-CN");
  await p.getByRole("heading", { name: /^退出流程：/, level: 1 }).waitFor();
  await p.getByText("已完成", { exact: true }).first().waitFor();
  assert.deepEqual(await accessibilityViolations(p), []);
  await screenshot(p, "offboarding-record-zh");
});

test("an organisation's customer downloads all its data", async () => {
  const { page: p } = await signedIn(shared, "fleet.office@university.example", "zh-CN", "/offboarding");
  await p.getByRole("heading", { name: "带走数据", level: 2 }).waitFor();
  const [download] = await Promise.all([p.waitForEvent("download"), p.getByRole("link", { name: "下载本组织的数据（zip）" }).click()]);
  assert.match(download.suggestedFilename(), /^tandem-export-org_.*\.zip$/);
  const bytes = readFileSync(await download.path());
  assert.equal(bytes.subarray(0, 2).toString(), "PK", "a zip");
  assert.ok(bytes.includes(Buffer.from("tickets.json")), "with the tickets");
  assert.deepEqual(await accessibilityViolations(p), []);
});

test("the university's customer keeps a leaver's contact details for 90 days, and sees them on the record", async () => {
  const { page: p } = await signedIn(shared, "fleet.office@university.example", "en-GB", "/offboarding");
  // She reads in Chinese; the policy is read in Chinese first, then set in English.
  await p.getByRole("form", { name: "离开的人保留哪些信息" }).getByLabel("保存天数").waitFor();
  await p.getByLabel("语言").selectOption("en");
  const policy = p.getByRole("form", { name: "What is kept of people who leave" });
  await policy.getByLabel("Keep a leaver's name, e-mail addresses and phone numbers aside after their erasure").waitFor();
  assert.equal(await policy.getByLabel("For how many days").inputValue(), "365");
  assert.ok(await policy.getByLabel("Keep them with the tickets (the author shown as a former user)").isChecked());
  // A time out of range is refused where it is typed, and nothing is saved.
  await policy.getByLabel("For how many days").fill("0");
  await policy.getByRole("button", { name: "Save the retention policy" }).click();
  assert.equal(await policy.getByLabel("For how many days").evaluate((input) => input.validity.valid), false);
  await policy.getByLabel("Keep a leaver's name, e-mail addresses and phone numbers aside after their erasure").check();
  await policy.getByLabel("For how many days").fill("90");
  await policy.getByLabel("Erase them with the person (a file someone else attached too stays)").check();
  assert.deepEqual(await accessibilityViolations(p), []);
  await policy.getByRole("button", { name: "Save the retention policy" }).click();
  await policy.getByRole("status").filter({ hasText: "Retention policy saved." }).waitFor();
  await p.reload();
  await p.getByLabel("For how many days").waitFor();
  assert.equal(await p.getByLabel("For how many days").inputValue(), "90", "kept after a reload");

  // Emma Wilson leaves; at the archive step her details are set aside, and stay after her erasure.
  await p.getByLabel("Person leaving").locator("option", { hasText: "Emma Wilson" }).waitFor({ state: "attached" });
  await p.getByLabel("Person leaving").selectOption({ label: "Emma Wilson" });
  await p.getByRole("form", { name: "Start offboarding", exact: true }).getByLabel("Reason").fill("Graduated");
  await p.getByRole("button", { name: "Start offboarding" }).click();
  await p.getByRole("heading", { name: "Offboarding of Emma Wilson", level: 1 }).waitFor();
  await p.getByText("Nothing of this person is kept aside", { exact: false }).waitFor();
  for (const step of ["Tell the person", "Open tickets", "Assets back", "Archive records", "Say thank you", "Erase personal data"]) {
    await p.getByRole("button", { name: `Mark done: ${step}` }).click();
    await p.getByRole("status").filter({ hasText: `“${step}” is done.` }).waitFor();
  }
  const kept = p.getByRole("region", { name: "Kept by the retention policy" });
  await kept.getByText("Emma Wilson").waitFor();
  await kept.getByText("emma.wilson@university.example").waitFor();
  await p.getByRole("heading", { name: /^Offboarding of Former user \d+$/, level: 1 }).waitFor();
  assert.match(await p.getByRole("listitem").filter({ hasText: "Archive records" }).innerText(), /archived for 90 days, until \d{4}-\d\d-\d\d/);
  assert.deepEqual(await accessibilityViolations(p), []);

  await p.getByLabel("Language").selectOption("zh-CN");
  await p.getByRole("region", { name: "按保留策略保存的内容" }).getByText("Emma Wilson").waitFor();
  await screenshot(p, "offboarding-retention-zh");
});

test("the provider ends a customer organisation's service and settles the account", async () => {
  // A small customer of its own, with one user signed in, set up through the API.
  const admin = await shared.browser.newContext();
  const login = await admin.request.post(shared.tandem.base + "/api/v1/auth/login", { data: { email: "admin@campus-mobility.example", password } });
  const csrf = (await login.json()).csrf_token;
  const post = async (path, data) => {
    const r = await admin.request.post(shared.tandem.base + path, { data, headers: { "X-CSRF-Token": csrf } });
    assert.equal(r.status(), 201, `${path}: ${await r.text()}`);
    return r.json();
  };
  const org = await post("/api/v1/organizations", { name: "Eastside Scooter Society 东区滑板车协会" });
  await post("/api/v1/users", { email: "wu.lei@eastside.example", name: "吴磊", roles: ["customer"], organization_id: org.id, language: "zh-CN", password });
  const leaving = await signedIn(shared, "wu.lei@eastside.example", "zh-CN", "/catalog");

  const { page: p } = await signedIn(shared, "grace.chen@campus-mobility.example", "en-GB", "/offboarding");
  // The first test left her reading in Chinese; this one starts in English.
  await p.getByLabel("语言").or(p.getByLabel("Language")).selectOption("en");
  await p.getByRole("heading", { name: "Offboarding", level: 1 }).waitFor();
  await p.getByLabel("Organisation", { exact: true }).selectOption({ label: org.name });
  const form = p.getByRole("form", { name: "Start the organisation's offboarding" });
  await form.getByLabel("Reason").fill("Contract not renewed 合同到期");
  await form.getByLabel("Exit payment (optional)").fill("Early termination");
  await form.getByLabel("Amount").fill("12.345");
  await form.getByRole("button", { name: "Start the organisation's offboarding" }).click();
  assert.equal(await form.getByLabel("Amount").evaluate((el) => el.validity.patternMismatch), true, "a third decimal is refused before sending");
  assert.equal(await p.getByRole("heading", { name: /^Offboarding of the organisation/ }).count(), 0, "nothing started");
  await form.getByLabel("Amount").fill("150.00");
  assert.deepEqual(await accessibilityViolations(p), []);
  await form.getByRole("button", { name: "Start the organisation's offboarding" }).click();

  await p.getByRole("heading", { name: `Offboarding of the organisation ${org.name}`, level: 1 }).waitFor();
  await p.getByText("As things stand now; the document is issued when the settlement step is done.").waitFor();
  await p.getByRole("link", { name: "吴磊" }).waitFor();
  // Their signed-in browser is refused at once.
  await leaving.page.reload();
  await leaving.page.getByRole("button", { name: "登录" }).waitFor();

  for (const step of ["Notify the customer", "Settle the account", "Hand over the data", "Close the record"]) {
    await p.getByRole("button", { name: `Mark done: ${step}` }).click();
    await p.getByRole("status").filter({ hasText: `“${step}” is done.` }).waitFor();
  }
  const settlement = p.getByRole("region", { name: "Settlement" });
  await settlement.getByText(/^Final invoice No\. \d+$/).waitFor();
  assert.match(await settlement.getByRole("row").filter({ hasText: "Early termination" }).innerText(), /Exit payment: Early termination\s+150\.00 CNY/);
  assert.match(await settlement.getByRole("row", { name: /Total/ }).innerText(), /150\.00 CNY/);
  await p.getByRole("link", { name: "Download the organisation's data (zip)" }).waitFor();
  assert.deepEqual(await accessibilityViolations(p), []);
  await screenshot(p, "offboarding-organization-en");
  await p.getByLabel("Language").selectOption("zh-CN");
  await p.getByRole("heading", { name: /^组织撤销：/, level: 1 }).waitFor();
  await p.getByRole("region", { name: "结算" }).getByText(/^最终发票 第 \d+ 号$/).waitFor();
  assert.deepEqual(await accessibilityViolations(p), []);
  await screenshot(p, "offboarding-organization-zh");
  await admin.close();
});

test("a member leaving by herself is first offered the tier without a monthly fee", async () => {
  const admin = await shared.browser.newContext();
  const login = await admin.request.post(shared.tandem.base + "/api/v1/auth/login", { data: { email: "admin@campus-mobility.example", password } });
  const csrf = (await login.json()).csrf_token;
  const call = async (method, path, data) => {
    const r = await admin.request.fetch(shared.tandem.base + path, { method, data, headers: { "X-CSRF-Token": csrf } });
    assert.ok(r.ok(), `${path}: ${await r.text()}`);
    return r.json();
  };
  const club = (await call("GET", "/api/v1/organizations?limit=100")).items.find((o) => o.name === CLUB);
  const tiers = (await call("GET", "/api/v1/offering-tiers?lang=en")).items;
  const regular = tiers.find((t) => JSON.stringify(t.name).includes("Regular"));
  const member = await call("POST", "/api/v1/users", {
    email: "sun.yue@greenway-club.example", name: "孙悦", roles: ["user"], organization_id: club.id, language: "zh-CN", password,
  });
  await call("POST", "/api/v1/subscriptions", { tier_id: regular.id, user_id: member.id });
  await admin.close();

  const { page: p } = await signedIn(shared, "sun.yue@greenway-club.example", "zh-CN", "/catalog");
  await p.getByRole("link", { name: "退出服务", exact: true }).click();
  await p.getByRole("heading", { name: "退出服务", level: 1 }).waitFor();
  const offers = p.getByRole("region", { name: "以更低费用保留" });
  await offers.getByText(/不再使用常规会员（每月 30\.00 CNY），改为保留偶尔用车（每月 0\.00 CNY）/).waitFor();
  assert.deepEqual(await accessibilityViolations(p), []);
  await screenshot(p, "leaving-offer-zh");
  await offers.getByRole("button", { name: "改为偶尔用车" }).click();
  await p.getByRole("status").filter({ hasText: /起您持有偶尔用车/ }).waitFor();
  await offers.waitFor({ state: "detached" });  // nothing more to offer once the change is on its way

  // In English, she leaves for good: signed out at once.
  await p.getByLabel("语言").selectOption("en");
  await p.getByRole("heading", { name: "Leave the service", level: 1 }).waitFor();
  await p.getByLabel("Why are you leaving?").fill("Moving to another city");
  assert.deepEqual(await accessibilityViolations(p), []);
  await p.getByRole("button", { name: "Leave the service now" }).click();
  await p.getByRole("button", { name: "Sign in" }).waitFor();
});
