// A request that needs approval, end to end in a real browser (issue "Web UI" §4; DESK-4,
// DESK-5): a user requests a laptop, the university's fleet office approves it from its inbox
// (a rejection needs a reason), the desk finishes its first fulfilment task, and the user follows
// the request — approval, then each task — from "my requests".
import { test } from "node:test";
import assert from "node:assert/strict";
import { accessibilityViolations, screenshot, signedIn, useTandem } from "./harness.mjs";

const shared = useTandem();

test("a laptop is requested, approved by the fleet office, its first task done by the desk, and followed by its requester", async () => {
  const emma = await signedIn(shared, "emma.wilson@university.example", "en-GB");
  const laptop = emma.page.getByRole("listitem").filter({ has: emma.page.getByRole("heading", { name: "Laptop request" }) });
  await laptop.getByRole("link", { name: "Request it" }).click();
  await emma.page.getByLabel("Model").selectOption("light");
  await emma.page.getByLabel("Reason").fill("Fieldwork abroad");
  await emma.page.getByRole("button", { name: "Submit the request" }).click();
  const done = await emma.page.getByRole("status").innerText();
  const number = done.match(/#(\d+)/)[1];

  const office = await signedIn(shared, "fleet.office@university.example", "zh-CN");
  await office.page.getByRole("link", { name: "待我审批" }).click();
  const pending = office.page.getByRole("region", { name: new RegExp(`#${number} `) });
  await pending.waitFor();
  assert.match(await pending.innerText(), /Lightweight, 13 inch|轻薄款 13 英寸/);
  assert.deepEqual(await accessibilityViolations(office.page), []);
  await screenshot(office.page, "approvals-zh-CN");
  // A rejection needs a reason; nothing is decided without one.
  await pending.getByRole("button", { name: "拒绝" }).click();
  await pending.getByText("请说明拒绝的理由").waitFor();
  await pending.getByRole("button", { name: "批准" }).click();
  await office.page.getByRole("status").filter({ hasText: `您已批准申请 #${number}` }).waitFor();
  // Decided: it leaves the inbox once the list is read again.
  await office.page.getByRole("region", { name: new RegExp(`#${number} `) }).waitFor({ state: "detached" });
  await office.context.close();

  await emma.page.getByRole("link", { name: "My tickets" }).click();
  const row = emma.page.getByRole("row").filter({ hasText: `#${number}` });
  await row.waitFor();
  assert.match(await row.innerText(), /being fulfilled/);
  assert.deepEqual(await accessibilityViolations(emma.page), []);
  await row.getByRole("link").click();
  await emma.page.getByRole("heading", { name: "Approval" }).waitFor();
  const steps = await emma.page.getByRole("region", { name: "Approval" }).innerText();
  assert.match(steps, /Step 1: approved/);
  const tasks = await emma.page.getByRole("region", { name: "Fulfilment" }).innerText();
  assert.match(tasks, /Order the laptop — to do/);
  assert.match(tasks, /Hand it over — waiting for an earlier step/);
  assert.deepEqual(await accessibilityViolations(emma.page), []);
  await screenshot(emma.page, "request-view-en");

  // The desk orders it: the next tasks open, and the requester sees it on reload.
  const agent = await signedIn(shared, "li.na@campus-mobility.example", "zh-CN");
  await agent.page.getByRole("link", { name: "任务" }).click();
  await agent.page.getByRole("button", { name: "完成：订购笔记本电脑" }).click();
  await agent.page.getByRole("status").filter({ hasText: "已完成：订购笔记本电脑" }).waitFor();
  await agent.page.getByRole("button", { name: "完成：订购笔记本电脑" }).waitFor({ state: "detached" });
  assert.ok((await agent.page.getByRole("button", { name: "完成：安装学校标准系统" }).count()) >= 1, "the next task is open");
  assert.deepEqual(await accessibilityViolations(agent.page), []);
  await screenshot(agent.page, "tasks-zh-CN");
  await agent.context.close();
  await emma.page.reload();
  const progressed = await emma.page.getByRole("region", { name: "Fulfilment" }).innerText();
  assert.match(progressed, /Order the laptop — done/);
  assert.match(progressed, /Install the university image — to do/);
  // Consumers have no task list.
  assert.equal(await emma.page.getByRole("link", { name: "Tasks" }).count(), 0);

  // Another person's request is not shown by its address.
  const other = await signedIn(shared, "zhang.wei@university.example", "zh-CN");
  await other.page.goto(emma.page.url());
  await other.page.getByRole("alert").filter({ hasText: "没有此申请" }).waitFor();
  await other.context.close();
  await emma.context.close();
});
