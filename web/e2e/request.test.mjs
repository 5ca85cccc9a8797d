// Requesting from the catalog in a real browser (issue "Web UI" §4, REL-2, DESK-5): the form is
// rendered from the request type's schema, the server's checks appear beside each field in the
// user's language, a quota refusal is told plainly, and a submitted request says where it stands.
import { test } from "node:test";
import assert from "node:assert/strict";
import { accessibilityViolations, password, screenshot, signedIn, useTandem } from "./harness.mjs";

const shared = useTandem();

function item(page, name) {
  return page.getByRole("listitem").filter({ has: page.getByRole("heading", { name }) });
}

test("a user's answers are checked field by field in Chinese, then the request is submitted", async () => {
  const { context, page } = await signedIn(shared, "zhang.wei@university.example", "zh-CN", "/catalog");
  await item(page, "VPN 访问").getByRole("link", { name: "申请" }).click();
  await page.getByRole("heading", { name: "VPN 访问", level: 1 }).waitFor();
  await page.getByRole("button", { name: "提交申请" }).click();
  await page.getByRole("alert").filter({ hasText: "部分回答需要修改" }).waitFor();
  // The server's own messages, in the user's language, beside the fields they name.
  assert.equal(await page.locator("#field-reason-problem").innerText(), "必填");
  assert.equal(await page.getByLabel("用途").getAttribute("aria-invalid"), "true");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "field-reason", "focus on the first answer to fix");
  assert.deepEqual(await accessibilityViolations(page), []);
  await screenshot(page, "request-errors-zh-CN");

  await page.getByLabel("用途").fill("在家访问图书馆数据库");
  await page.getByLabel("使用截止日期").fill("2027-06-30");
  await page.getByRole("button", { name: "提交申请" }).click();
  const done = page.getByRole("status");
  await done.waitFor();
  assert.match(await done.innerText(), /^申请 #\d+ 已提交，当前状态：(新建|处理中)。$/);
  await screenshot(page, "request-done-zh-CN");

  // A deep link to the form works, and the quota of one laptop in three years is told plainly.
  await page.goto(page.url().replace(/\/catalog\/.*$/, "/catalog"));
  await item(page, "笔记本电脑申请").getByRole("link", { name: "申请" }).click();
  await page.getByLabel("型号").selectOption("standard");
  await page.getByLabel("申请理由").fill("旧电脑坏了");
  await page.getByRole("button", { name: "提交申请" }).click();
  await page.getByRole("alert").filter({ hasText: "已达到此请求类型的配额" }).waitFor();
  await context.close();
});

test("a laptop request with prices on its options waits for approval", async () => {
  const { context, page } = await signedIn(shared, "emma.wilson@university.example", "en-GB", "/catalog");
  await item(page, "Laptop request").getByRole("link", { name: "Request it" }).click();
  const model = page.getByLabel("Model");
  await model.waitFor();
  assert.match(await model.innerText(), /Performance, 16 inch \(Price 8999\.00\)/);
  await model.selectOption("performance");
  await page.getByLabel("Reason").fill("Simulation work for the thesis");
  assert.deepEqual(await accessibilityViolations(page), []);
  await page.getByRole("button", { name: "Submit the request" }).click();
  await page.getByRole("status").filter({ hasText: "waiting for approval" }).waitFor();
  await screenshot(page, "request-awaiting-approval-en");

  // Tenancy: the car-share club's request type is not found by its address either.
  const club = await shared.browser.newContext();
  await club.request.post(shared.tandem.base + "/api/v1/auth/login", {
    data: { email: "chen.jing@greenway-club.example", password },
  });
  const theirs = await (await club.request.get(shared.tandem.base + "/api/v1/catalog")).json();
  const damage = theirs.items.flatMap((s) => s.request_types).find((t) => t.name === "车辆损坏报告");
  assert.ok(damage, "the club sees its damage report");
  await club.close();
  await page.goto(shared.tandem.base + "/catalog/" + damage.id);
  await page.getByRole("alert").filter({ hasText: "There is no such request type" }).waitFor();
  assert.equal(await page.getByText("车辆损坏报告").count(), 0);
  await context.close();
});
