// Raising an incident from the portal in Chinese (issue "Web UI" §4; REL-1, DESK-1): the kind,
// a subject (required, checked before sending), details and the service; then following it from
// "my tickets".
import { test } from "node:test";
import assert from "node:assert/strict";
import { accessibilityViolations, screenshot, signedIn, useTandem } from "./harness.mjs";

const shared = useTandem();

test("a user raises an incident about a service and finds it among their tickets", async () => {
  const { context, page } = await signedIn(shared, "zhang.wei@university.example", "zh-CN");
  await page.getByRole("link", { name: "寻求帮助" }).click();
  await page.getByRole("heading", { name: "寻求帮助", level: 1 }).waitFor();
  assert.deepEqual(await accessibilityViolations(page), []);
  await page.getByRole("button", { name: "发送" }).click();
  await page.getByText("请填写此项。").waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), "ask-subject");

  await page.getByRole("radio", { name: /故障/ }).check();
  await page.getByLabel("简要描述").fill("图书馆的打印机无法连接");
  await page.getByLabel("详细情况").fill("三楼打印机显示脱机，重启后仍然无法打印。");
  await page.getByLabel("涉及哪项服务？").selectOption({ label: "信息技术服务" });
  await screenshot(page, "ask-zh-CN");
  await page.getByRole("button", { name: "发送" }).click();
  const done = await page.getByRole("status").innerText();
  const number = done.match(/#(\d+)/)[1];
  assert.match(done, /^故障 #\d+ 已提交/);

  await page.getByRole("link", { name: "查看进展" }).click();
  await page.getByRole("heading", { name: `#${number} 图书馆的打印机无法连接` }).waitFor();
  await page.getByRole("navigation").getByRole("link", { name: "我的工单" }).click();
  const row = page.getByRole("row").filter({ hasText: `#${number}` });
  await row.waitFor();
  assert.match(await row.innerText(), /故障/);
  assert.deepEqual(await accessibilityViolations(page), []);
  await context.close();
});

test("a representative raises an incident on behalf of a student, who finds it among their tickets", async () => {
  const rep = await signedIn(shared, "liu.yang@university.example", "zh-CN", "/ask");
  await rep.page.getByLabel("为谁提交").selectOption({ label: "张伟" });
  await rep.page.getByLabel("简要描述").fill("代张伟报告：宿舍门禁卡失效");
  await rep.page.getByRole("button", { name: "发送" }).click();
  const number = (await rep.page.getByRole("status").innerText()).match(/#(\d+)/)[1];
  assert.deepEqual(await accessibilityViolations(rep.page), []);

  const student = await signedIn(shared, "zhang.wei@university.example", "zh-CN", "/requests");
  await student.page.getByRole("row").filter({ hasText: `#${number}` }).filter({ hasText: "代张伟报告：宿舍门禁卡失效" }).waitFor();
  await rep.context.close();
  await student.context.close();
});
