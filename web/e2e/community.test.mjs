// The community (COM-1…COM-4): a student reads the charging Q&A with its accepted answer and
// super user, asks a question; another member answers and gets an up-vote, the asker accepts it;
// the desk moderates (the hidden post is gone for members, the action in the moderation log) and
// turns the topic into the asker's ticket.
import { test } from "node:test";
import assert from "node:assert/strict";
import { accessibilityViolations, screenshot, signedIn, useTandem } from "./harness.mjs";

const shared = useTandem();

test("members ask, answer, vote and accept; the desk moderates and makes a ticket of the topic", async () => {
  const student = await signedIn(shared, "zhang.wei@university.example", "zh-CN");
  const page = student.page;
  await page.getByRole("navigation").getByRole("link", { name: "社区" }).click();
  await page.getByRole("heading", { name: "社区", level: 1 }).waitFor();
  await page.getByRole("link", { name: "充电问答 Charging Q&A" }).click();
  await page.getByRole("heading", { name: "充电问答 Charging Q&A", level: 1 }).waitFor();
  await page.getByRole("heading", { name: "超级用户", level: 2 }).waitFor();
  await page.getByText(/刘洋（后备：张伟）/).waitFor();
  await page.getByRole("link", { name: "如何给电动车充电？How do I charge the car?" }).click();
  const answer = page.getByRole("article", { name: "刘洋 的帖子" });
  await answer.getByText("已采纳的回答").waitFor();
  await answer.getByText("超级用户").waitFor();
  await page.getByRole("article", { name: "李娜 的帖子" }).getByText("服务台回复").waitFor();
  assert.deepEqual(await accessibilityViolations(page), []);
  await screenshot(page, "community-topic-zh-CN");

  // A new question.
  await page.getByRole("link", { name: /返回充电问答/ }).click();
  await page.getByRole("button", { name: "发布" }).click();
  await page.locator("#topic-title-problem").waitFor();
  await page.getByLabel("标题").fill("还车时需要充满电吗？ RETURNQ");
  await page.getByLabel("您的问题或想讨论的内容").fill("周末借车，还车时电量有要求吗？");
  await page.getByRole("button", { name: "发布" }).click();
  await page.getByRole("heading", { name: "还车时需要充满电吗？ RETURNQ", level: 1 }).waitFor();
  assert.equal(await page.getByRole("button", { name: /点赞/ }).count(), 0, "no vote on one's own post");
  const topicUrl = page.url();

  // Another member answers; the asker votes it up and accepts it.
  const emma = await signedIn(shared, "emma.wilson@university.example", "en", new URL(topicUrl).pathname);
  await emma.page.getByRole("heading", { name: /RETURNQ/, level: 1 }).waitFor();
  await emma.page.getByLabel("Reply", { exact: true }).fill("At least 30% — the rules are in the help centre. EMMAANSWER");
  await emma.page.getByRole("button", { name: "Send the reply" }).click();
  await emma.page.getByText("EMMAANSWER").waitFor();
  assert.deepEqual(await accessibilityViolations(emma.page), []);
  // A typo mended: the author edits their reply.
  await emma.page.getByRole("article").filter({ hasText: "EMMAANSWER" }).getByRole("button", { name: "Edit" }).click();
  await emma.page.getByRole("dialog").getByLabel("Reply").fill("At least 30% — the rules are in the help centre (Returning the car). EMMAANSWER");
  await emma.page.getByRole("button", { name: "Save the post" }).click();
  await emma.page.getByText("(Returning the car)").waitFor();
  const emmaId = await emma.page.evaluate(async () => (await (await fetch("/api/v1/me")).json()).id);

  await page.reload();
  const reply = page.getByRole("article", { name: "Emma Wilson 的帖子" });
  await reply.getByRole("button", { name: /有用：为 Emma Wilson 的帖子点赞/ }).click();
  await page.getByRole("status").filter({ hasText: "已计入您的投票" }).waitFor();
  await reply.getByText("得分 1").waitFor();
  await reply.getByRole("button", { name: "采纳这个回答" }).click();
  await page.getByRole("article", { name: "Emma Wilson 的帖子" }).getByText("已采纳的回答").waitFor();
  const points = await page.evaluate(async (id) => (await (await fetch(`/api/v1/users/${id}/reputation`)).json()).points, emmaId);
  assert.ok(points >= 25, `an up-vote and an accepted answer (${points})`);

  // The desk: a spam reply hidden with a reason, the log, the ticket.
  await emma.page.getByLabel("Reply", { exact: true }).fill("Cheap charging cards here! SPAMREPLY");
  await emma.page.getByRole("button", { name: "Send the reply" }).click();
  await emma.page.getByText("SPAMREPLY").waitFor();
  const desk = await signedIn(shared, "li.na@campus-mobility.example", "zh-CN", new URL(topicUrl).pathname);
  const spam = desk.page.getByRole("article").filter({ hasText: "SPAMREPLY" });
  await spam.getByRole("button", { name: "隐藏" }).click();
  await desk.page.getByLabel("原因（记入管理日志）").fill("广告 ADREASON");
  await desk.page.getByRole("dialog").getByRole("button", { name: "隐藏" }).click();
  await desk.page.getByRole("status").filter({ hasText: "已完成并记录" }).waitFor();
  await spam.getByText("已隐藏").waitFor();
  await emma.page.reload();
  await emma.page.getByText("EMMAANSWER").waitFor();
  assert.equal(await emma.page.getByText("SPAMREPLY").count(), 0, "members no longer see it");

  await desk.page.getByRole("button", { name: "转为工单" }).click();
  await desk.page.getByRole("status").filter({ hasText: "话题已转为其作者的工单" }).waitFor();
  await desk.page.getByRole("link", { name: "对应的工单" }).click();
  await desk.page.getByRole("heading", { name: /RETURNQ/, level: 1 }).waitFor();

  await desk.page.goto(shared.tandem.base + "/community/moderation");
  const row = desk.page.getByRole("row").filter({ hasText: "ADREASON" });
  await row.waitFor();
  assert.match(await row.innerText(), /隐藏/);
  assert.deepEqual(await accessibilityViolations(desk.page), []);

  for (const c of [student, emma, desk]) await c.context.close();
});

test("the desk makes a space, renames it and moves a topic into it", async () => {
  const { context, page } = await signedIn(shared, "tom.baker@campus-mobility.example", "en", "/community");
  await page.getByRole("heading", { name: "New space" }).waitFor();
  await page.getByLabel("Name", { exact: true }).fill("Parking");
  await page.getByLabel("Language", { exact: true }).selectOption("en");
  await page.getByRole("button", { name: "Create the space" }).click();
  await page.getByRole("heading", { name: "Parking", level: 1 }).waitFor();
  await page.getByText("Edit the space").click();
  await page.getByLabel("Name", { exact: true }).fill("Parking and returns 停车");
  await page.getByRole("group", { name: "Who reads it" }).getByLabel(/Riverside University/).check();
  await page.getByRole("button", { name: "Save the space" }).click();
  await page.getByRole("heading", { name: "Parking and returns 停车", level: 1 }).waitFor();
  assert.deepEqual(await accessibilityViolations(page), []);

  await page.getByRole("link", { name: "All spaces" }).click();
  await page.getByRole("link", { name: "充电问答 Charging Q&A" }).click();
  await page.getByRole("link", { name: "Best places to park near the library?" }).click();
  await page.getByRole("group", { name: "Moderate the topic" }).getByRole("button", { name: "Move" }).click();
  await page.getByRole("dialog").getByLabel("Space").selectOption({ label: "Parking and returns 停车" });
  await page.getByRole("dialog").getByRole("button", { name: "Move" }).click();
  await page.getByRole("link", { name: "Back to Parking and returns 停车" }).waitFor();
  await context.close();
});
