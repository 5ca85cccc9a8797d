// The agent workspace and the portal together (issue "Web UI" §3, §4, Done means): a user
// raises an incident in Chinese; an agent finds it in a queue with the keyboard, takes it,
// writes an internal note, replies and resolves it with a resolution; the user, whose page stays
// open, sees the reply and the new status arrive without reloading, and never the note.
import { test } from "node:test";
import assert from "node:assert/strict";
import { accessibilityViolations, screenshot, signedIn, useTandem } from "./harness.mjs";

const shared = useTandem();

test("an agent replies to and resolves a Chinese incident; the user sees it live", async () => {
  // The agent's desk is open on "Unassigned" before the incident exists.
  const agent = await signedIn(shared, "li.na@campus-mobility.example", "zh-CN");
  const a = agent.page;
  await a.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "服务台" }).click();
  await a.getByRole("heading", { name: "服务台", level: 1 }).waitFor();
  await a.getByText("实时：其他人的更改会即时显示在这里。").waitFor();
  await a.getByRole("navigation", { name: "队列" }).getByRole("link", { name: /待分配/ }).click();
  const unassigned = a.getByRole("navigation", { name: "队列" }).getByRole("link", { name: /待分配/ });
  const before = Number((await unassigned.innerText()).match(/(\d+)\s*$/)[1]);

  const user = await signedIn(shared, "zhang.wei@university.example", "zh-CN", "/ask");
  const u = user.page;
  await u.getByRole("radio", { name: /故障/ }).check();
  await u.getByLabel("简要描述").fill("宿舍网络无法连接");
  await u.getByLabel("详细情况").fill("三号楼 402 宿舍的网口没有信号，换了网线也不行。");
  await u.getByRole("button", { name: "发送" }).click();
  const number = (await u.getByRole("status").innerText()).match(/#(\d+)/)[1];
  await u.getByRole("link", { name: "查看进展" }).click();
  await u.getByRole("heading", { name: "与服务台的沟通" }).waitFor();

  // The new ticket and the queue's count reach the open desk without a reload.
  await unassigned.filter({ hasText: new RegExp(`${before + 1}\\s*$`) }).waitFor();
  const rows = a.getByRole("row");
  const row = rows.filter({ hasText: `#${number}` });
  await row.waitFor();
  assert.deepEqual(await accessibilityViolations(a), []);
  await screenshot(a, "desk-zh-CN");
  // Keyboard only: into the list, down the rows to the new ticket, Enter opens it.
  await rows.first().focus();
  const count = await rows.count();
  for (let i = 0; i < count && !(await row.evaluate((r) => r === document.activeElement)); i++) await a.keyboard.press("ArrowDown");
  assert.ok(await row.evaluate((r) => r === document.activeElement), "the arrow keys reach the ticket");
  await a.keyboard.press("Enter");
  await a.getByRole("heading", { name: `#${number} 宿舍网络无法连接`, level: 1 }).waitFor();

  await a.getByRole("button", { name: "由我处理" }).click();
  await a.getByText("这个工单现在由您处理。").waitFor();
  // Triage: a higher priority and the desk's team, saved on the version read.
  await a.getByLabel("优先级", { exact: true }).selectOption({ label: "高" });
  await a.getByLabel("团队", { exact: true }).selectOption({ label: "Service desk 服务台" });
  await a.getByRole("button", { name: "保存分诊" }).click();
  await a.getByText("分诊已保存。").waitFor();
  await a.getByRole("listitem").filter({ hasText: "优先级: 中 → 高" }).first().waitFor();
  // A later triage on a fresh page changes the priority alone: the team stays.
  await a.reload();
  await a.getByLabel("优先级", { exact: true }).selectOption({ label: "紧急" });
  await a.getByRole("button", { name: "保存分诊" }).click();
  await a.getByText("分诊已保存。").waitFor();
  await a.getByRole("listitem").filter({ hasText: "优先级: 高 → 紧急" }).first().waitFor();
  const team = a.getByLabel("团队", { exact: true });
  assert.equal(await team.evaluate((select) => select.selectedOptions[0].textContent), "Service desk 服务台");
  await a.locator("label", { hasText: "内部备注" }).click();
  await a.getByLabel("您的备注（仅员工可见）").fill("交换机 3F-02 端口 14 已禁用");
  await a.getByRole("button", { name: "添加备注" }).click();
  const note = a.getByRole("listitem").filter({ hasText: "交换机 3F-02 端口 14 已禁用" });
  await note.waitFor();
  assert.match(await note.innerText(), /内部——仅员工可见/);

  await a.locator("label", { hasText: "回复提单人" }).click();
  await a.getByLabel("您的回复（提单人可见）").fill("已为您重新启用网口，请重新连接试试。");
  await a.getByRole("button", { name: "发送回复" }).click();
  // The user's page was not reloaded: the reply arrives over the stream.
  await u.getByText("已为您重新启用网口，请重新连接试试。").waitFor();

  await a.getByRole("button", { name: "设为“处理中”" }).click();
  await a.getByText("工单现在是“处理中”。").waitFor();
  await a.getByRole("button", { name: "设为“已解决”" }).click();
  const dialog = a.getByRole("dialog");
  await dialog.getByRole("button", { name: "确认" }).click();
  await dialog.getByText("请填写此项。").waitFor();
  assert.deepEqual(await accessibilityViolations(a), []);
  await dialog.getByLabel("解决方法（提单人可见）").fill("网口在交换机上被误禁用，已重新启用。");
  await dialog.getByRole("button", { name: "确认" }).click();
  await dialog.waitFor({ state: "detached" });
  await a.getByText("工单现在是“已解决”。").waitFor();
  await screenshot(a, "ticket-desk-zh-CN");
  // Search from the desk: a two-character Chinese word finds the ticket by its text.
  await a.getByRole("link", { name: "返回服务台" }).click();
  await a.getByRole("searchbox", { name: "搜索工单和回复" }).fill("网口");
  await a.keyboard.press("Enter");
  await a.getByRole("heading", { name: "“网口”的搜索结果" }).waitFor();
  await a.getByRole("row").filter({ hasText: `#${number}` }).waitFor();
  assert.deepEqual(await accessibilityViolations(a), []);

  await u.getByText("网口在交换机上被误禁用，已重新启用。").waitFor();
  assert.equal(await u.locator("dd").first().innerText(), "已解决");
  assert.equal(await u.getByText("交换机 3F-02 端口 14 已禁用").count(), 0, "the internal note never reaches the user");
  assert.deepEqual(await accessibilityViolations(u), []);
  await screenshot(u, "ticket-user-zh-CN");

  // The notification centre counted the reply and the status changes as they came.
  const bell = u.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: /^通知（\d+ 条未读）$/ });
  const unread = Number((await bell.innerText()).match(/\d+/)[0]);
  assert.ok(unread >= 2, `unread ${unread}`);
  await bell.click();
  await u.getByRole("heading", { name: "通知", level: 1 }).waitFor();
  const reply = u.getByRole("listitem").filter({ hasText: "回复" }).first();
  await reply.waitFor();
  assert.deepEqual(await accessibilityViolations(u), []);
  await reply.getByRole("button", { name: "打开工单" }).click();
  await u.getByRole("heading", { name: `#${number} 宿舍网络无法连接`, level: 1 }).waitFor();
  await u.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: `通知（${unread - 1} 条未读）` }).waitFor();
  // Not solved after all: the requester reopens it from the same page.
  await u.getByRole("button", { name: "问题未解决：重新打开" }).click();
  await u.getByText("工单现在是“处理中”。").waitFor();
  await u.locator("dd").first().filter({ hasText: /^处理中$/ }).waitFor();
  await user.context.close();
  await agent.context.close();
});

test("a consumer cannot open another organisation's ticket by its address", async () => {
  const owner = await signedIn(shared, "zhang.wei@university.example", "zh-CN", "/requests");
  await owner.page.getByRole("link", { name: "车辆无法解锁" }).click();
  await owner.page.getByRole("heading", { name: /车辆无法解锁/, level: 1 }).waitFor();
  const address = new URL(owner.page.url()).pathname;
  const id = address.split("/").pop();

  const stranger = await signedIn(shared, "chen.jing@greenway-club.example", "zh-CN", address);
  await stranger.page.getByText("没有此申请，或您无权查看。").waitFor();
  assert.equal(await stranger.page.getByText("车辆无法解锁").count(), 0);
  // The desk's address for it is no way round: consumers have no desk.
  await stranger.page.goto(shared.tandem.base + `/desk/tickets/${id}`);
  await stranger.page.getByRole("heading", { name: "此地址没有页面。" }).waitFor();
  assert.equal(await stranger.page.getByText("车辆无法解锁").count(), 0);
  await owner.context.close();
  await stranger.context.close();
});
