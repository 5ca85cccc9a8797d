// REL-5: an agent writes a notice in English and Chinese for the car-share club, keeps it as a
// draft, and publishes it after a second look; a member reads it on the News page in Chinese and
// in the notification centre, and chooses how a service's news reaches him. axe-core on each.
import { test } from "node:test";
import assert from "node:assert/strict";
import { accessibilityViolations, apiAs, screenshot, signedIn, useTandem } from "./harness.mjs";

const shared = useTandem();
const UNIVERSITY = "Riverside University 河畔大学 — Car-share Club";

test("an agent publishes a notice to the club and a member reads it in his language", async () => {
  const { page: p } = await signedIn(shared, "li.na@campus-mobility.example", "en-GB", "/broadcasts");
  await p.getByLabel(/^(Language|语言)/).selectOption("en");
  await p.getByRole("heading", { name: "Broadcasts", level: 1 }).waitFor();
  const form = p.getByRole("form", { name: "Save as draft" });
  await form.getByLabel("Kind").selectOption("notice");
  await form.getByLabel(UNIVERSITY).check();
  await form.getByLabel("Title (English)").fill("New cars arrive Monday NEWSE2E");
  await form.getByLabel("Title (Chinese)").fill("周一新车到 NEWSE2E");
  await form.getByLabel("Text (English)").fill("Two electric cars join the club.");
  await form.getByLabel("Text (Chinese)").fill("俱乐部新增两辆电动车。");
  await form.getByRole("button", { name: "Save as draft" }).click();
  await p.getByRole("status").filter({ hasText: "“New cars arrive Monday NEWSE2E” is saved as a draft" }).waitFor();
  const row = p.getByRole("row").filter({ hasText: "NEWSE2E" });
  await row.getByRole("cell", { name: "Draft" }).waitFor();
  assert.deepEqual(await accessibilityViolations(p), []);

  await row.getByRole("button", { name: "Publish New cars arrive Monday NEWSE2E" }).click();
  await row.getByText("It goes out at once and cannot be taken back.").waitFor();
  await row.getByRole("button", { name: "Publish now — New cars arrive Monday NEWSE2E" }).click();
  await p.getByRole("status").filter({ hasText: /went out to \d+ people/ }).waitFor();
  await row.getByRole("cell", { name: /people: \d+ in the portal/ }).waitFor();
  assert.deepEqual(await accessibilityViolations(p), []);
  await screenshot(p, "broadcasts-en");

  // The member reads it in Chinese, and finds it in his notifications.
  const { page: m } = await signedIn(shared, "zhang.wei@university.example", "zh-CN", "/news");
  await m.getByLabel(/^(Language|语言)/).selectOption("zh-CN");
  await m.getByRole("heading", { name: "周一新车到 NEWSE2E" }).waitFor();
  await m.getByText("俱乐部新增两辆电动车。").waitFor();
  assert.deepEqual(await accessibilityViolations(m), []);
  const zhang = await apiAs(shared, "zhang.wei@university.example");
  const notes = await zhang.get("/api/v1/notifications");
  assert.ok(notes.items.some((n) => n.kind === "broadcast" && n.summary === "周一新车到 NEWSE2E"), JSON.stringify(notes.items.slice(0, 3)));

  // He chooses SMS for the first service of his catalog.
  const firstForm = m.getByRole("form", { name: /的接收方式$/ }).first();
  await firstForm.getByLabel("短信").check();
  await firstForm.getByRole("button", { name: /^保存/ }).click();
  await m.getByRole("status").filter({ hasText: /您已关注/ }).waitFor();
  const mine = await zhang.get("/api/v1/service-subscriptions");
  assert.deepEqual(mine.items[0].channels, ["sms"]);
  assert.deepEqual(await accessibilityViolations(m), []);
  await screenshot(m, "news-zh");
});
