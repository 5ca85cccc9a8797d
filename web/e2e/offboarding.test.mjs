// OFF-1 on screen: a relationship manager takes the car-share club's member Chen Jing through
// leaving — her access ends at once (her signed-in browser is sent to sign-in), the car key she
// holds blocks the assets step until it is marked returned, erasure waits for the thank-you, and
// at the end the record names her "Former user N". In English, with the page read in Chinese
// too; axe-core on each.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { accessibilityViolations, screenshot, signedIn, useTandem } from "./harness.mjs";

const shared = useTandem();
const CLUB = "Greenway Car-share Club 绿道汽车共享俱乐部";

test("a member leaves: access ends, the car key comes back, her data is erased", async () => {
  const member = await signedIn(shared, "chen.jing@greenway-club.example", "zh-CN", "/catalog");
  const { page: p } = await signedIn(shared, "grace.chen@campus-mobility.example", "en-GB", "/offboarding");
  await p.getByRole("heading", { name: "Offboarding", level: 1 }).waitFor();
  await p.getByText("No one has been offboarded yet.").waitFor();
  await p.getByLabel("Organisation").selectOption({ label: CLUB });
  await p.getByLabel("Person leaving").locator("option", { hasText: "陈静" }).waitFor({ state: "attached" });
  await p.getByLabel("Person leaving").selectOption({ label: "陈静" });
  await p.getByLabel("Reason").fill("Membership ended 会员退出");
  assert.deepEqual(await accessibilityViolations(p), []);
  await p.getByRole("button", { name: "Start offboarding" }).click();

  await p.getByRole("heading", { name: "Offboarding of 陈静", level: 1 }).waitFor();
  const steps = p.getByRole("list").filter({ hasText: "Erase personal data" });
  assert.match(await steps.getByRole("listitem").filter({ hasText: "End access" }).innerText(), /done/);
  // Her browser's next call is refused: back to sign-in.
  await member.page.reload();
  await member.page.getByRole("button", { name: "登录" }).waitFor();

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
