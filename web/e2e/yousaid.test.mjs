// FDB-2: 张伟 tells the provider what to improve (in Chinese); an agent links it to an entry of
// the improvement register; 张伟 is told, and Emma of the same university sees what is being done.
// axe-core on each screen.
import { test } from "node:test";
import assert from "node:assert/strict";
import { accessibilityViolations, apiAs, screenshot, signedIn, useTandem } from "./harness.mjs";

const shared = useTandem();

test("feedback given in the portal is linked to an improvement, and its giver and organisation see it", async () => {
  const admin = await apiAs(shared, "admin@campus-mobility.example");
  await admin.post("/api/v1/improvements", { title: "Weekend desk cover YOUSAIDE2E", description: "Saturdays 9–17." });

  const { page: z } = await signedIn(shared, "zhang.wei@university.example", "zh-CN", "/you-said");
  await z.getByLabel(/^(Language|语言)/).selectOption("zh-CN");
  await z.getByRole("heading", { name: "您说，我们做", level: 1 }).waitFor();
  await z.getByRole("button", { name: "提交" }).click();
  await z.getByText("请先写下您希望我们改进的地方。").waitFor();
  await z.getByLabel("您的想法或意见").fill("周末也希望有人接电话 YOUSAIDZH");
  await z.getByRole("button", { name: "提交" }).click();
  await z.getByRole("status").filter({ hasText: "谢谢！我们已收到，进展会通知您。" }).waitFor();
  await z.getByRole("listitem").filter({ hasText: "YOUSAIDZH" }).getByText("已收到").waitFor();
  assert.deepEqual(await accessibilityViolations(z), []);
  await screenshot(z, "you-said-zh");

  const { page: a } = await signedIn(shared, "li.na@campus-mobility.example", "en-GB", "/you-said");
  await a.getByLabel(/^(Language|语言)/).selectOption("en");
  const item = a.getByRole("listitem").filter({ hasText: "YOUSAIDZH" });
  await item.getByLabel("Improvement").selectOption({ label: "Weekend desk cover YOUSAIDE2E" });
  await item.getByLabel("What we tell them (required to decline)").fill("Two agents on Saturdays from next month.");
  assert.deepEqual(await accessibilityViolations(a), []);
  await item.getByRole("button", { name: "Link" }).click();
  await a.getByRole("status").filter({ hasText: "Linked: the person who gave it is told." }).waitFor();
  await screenshot(a, "you-said-staff-en");

  const zhang = await apiAs(shared, "zhang.wei@university.example");
  const told = (await zhang.get("/api/v1/notifications")).items.find((n) => n.kind === "feedback_linked");
  assert.ok(told, "张伟 is told");
  assert.match(told.summary, /Two agents on Saturdays from next month\./);

  const { page: e } = await signedIn(shared, "emma.wilson@university.example", "en-GB", "/you-said");
  await e.getByLabel(/^(Language|语言)/).selectOption("en");
  const seen = e.getByRole("listitem").filter({ hasText: "YOUSAIDZH" });
  await seen.getByText("We are on it").waitFor();
  await seen.getByText("We say: Two agents on Saturdays from next month.").waitFor();
  assert.equal(await seen.getByText("yours").count(), 0, "not Emma's");
  assert.deepEqual(await accessibilityViolations(e), []);
  await screenshot(e, "you-said-en");
});
