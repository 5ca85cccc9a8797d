// Onboarding plans in a real browser (issue 8; ONB-2, ONB-3, ONB-4): the university's fleet office
// reads the plan the provider made for it and accepts it; its own action waits for the
// provider's kick-off, which the relationship manager holds; then the fleet office finishes its
// part. The relationship manager makes a new person's plan through the dialog. Both languages.
import { test } from "node:test";
import assert from "node:assert/strict";
import { accessibilityViolations, screenshot, signedIn, useTandem } from "./harness.mjs";

const shared = useTandem();

async function openPlans(page, nav, title) {
  await page.getByRole("navigation", { name: /^(Main|主导航)$/ }).getByRole("link", { name: nav }).click();
  await page.getByRole("heading", { name: title, level: 1 }).waitFor();
}

function actionRow(page, title) {
  return page.getByRole("row").filter({ has: page.getByRole("rowheader", { name: new RegExp(`^${title}`) }) });
}

test("the fleet office accepts its plan, and each side works its own actions in order", async () => {
  const office = await signedIn(shared, "fleet.office@university.example", "zh-CN");
  const o = office.page;
  await openPlans(o, "入驻", "入驻计划");
  assert.deepEqual(await accessibilityViolations(o), []);
  await o.getByRole("link", { name: "汽车共享俱乐部：新组织入驻" }).click();
  await o.getByRole("heading", { name: "汽车共享俱乐部：新组织入驻", level: 1 }).waitFor();
  // Started a week ago: the kick-off and the member list are late already.
  await o.getByRole("heading", { name: /^逾期（[1-9]）$/ }).waitFor();
  assert.equal(await o.getByRole("button", { name: "完成" }).count(), 0, "no work before the plan is accepted");
  assert.deepEqual(await accessibilityViolations(o), []);
  await screenshot(o, "plan-draft-zh-CN");
  await o.getByRole("button", { name: "确认计划" }).click();
  await o.getByRole("status").filter({ hasText: "您已确认计划" }).waitFor();
  await o.getByText(/王芳 \(Fleet office\) 于 .+ 确认/).waitFor();

  // Its own action waits for the provider's kick-off, and says so; the provider's has no buttons here.
  await actionRow(o, "提交首批会员名单").getByRole("button", { name: "完成" }).click();
  await o.getByRole("alert").filter({ hasText: "需先完成：与车队办公室召开启动会" }).waitFor();
  assert.equal(await actionRow(o, "与车队办公室召开启动会").getByRole("button").count(), 0);

  const grace = await signedIn(shared, "grace.chen@campus-mobility.example", "en-GB");
  const g = grace.page;
  await openPlans(g, "Onboarding", "Onboarding plans");
  await g.getByRole("link", { name: "Car-share club: a new organisation" }).click();
  await actionRow(g, "Kick-off meeting").getByRole("button", { name: "Done" }).click();
  await g.getByRole("status").filter({ hasText: "“Kick-off meeting with the fleet office” is now done." }).waitFor();
  await g.getByText("1 of 5 done").waitFor();
  await g.getByText("Grace Chen: “Kick-off meeting with the fleet office” moved from open to done.").waitFor();
  await g.getByText(/\d+ tickets from \d+ people in their first 30 days/).waitFor();
  await g.getByText(/^Measured from the desk's data at .+; measured again every few minutes\.$/).waitFor();
  assert.deepEqual(await accessibilityViolations(g), []);
  await screenshot(g, "plan-under-way-en");

  await o.reload();
  await actionRow(o, "提交首批会员名单").getByRole("button", { name: "完成" }).click();
  await o.getByRole("status").filter({ hasText: "“提交首批会员名单”现在是已完成。" }).waitFor();
  await o.getByText("已完成 2 / 5").waitFor();
  await office.context.close();

  // The new member of staff's plan, under way, is reviewed: a score out of range is said beside
  // its field; the unfinished actions become open items; the plan is a record afterwards.
  await g.getByRole("link", { name: "All onboarding plans" }).click();
  await g.getByRole("link", { name: "University IT: a new member of staff" }).click();
  const review = g.getByRole("region", { name: "Review the plan" });
  await review.getByText(/Not finished, and listed as open items: Hand over a laptop, Read the IT induction guide, Two-week check-in/).waitFor();
  await review.getByLabel("Risk assessment").fill("Low: the laptop arrives this week.");
  await review.getByLabel("Users' satisfaction (1–5)").fill("7");
  await review.getByRole("button", { name: "Record the review" }).click();
  await review.getByText("Give a number from 1 to 5, or leave it empty.").waitFor();
  await review.getByLabel("Users' satisfaction (1–5)").fill("4");
  await review.getByLabel("Improvements for the register (one per line)").fill("Order laptops before the first day");
  assert.deepEqual(await accessibilityViolations(g), []);
  await review.getByRole("button", { name: "Record the review" }).click();
  await g.getByRole("status").filter({ hasText: "The plan is reviewed: it is a record now." }).waitFor();
  const record = g.getByRole("region", { name: "Review", exact: true });
  assert.match(await record.innerText(), /Hand over a laptop, Read the IT induction guide, Two-week check-in/);
  assert.match(await record.innerText(), /Low: the laptop arrives this week\./);
  assert.equal(await g.getByRole("button", { name: "Done" }).count(), 0, "a reviewed plan is a record");
  await screenshot(g, "plan-reviewed-en");

  // A new person's plan, made through the dialog: what is missing is said beside its field.
  await g.getByRole("link", { name: "All onboarding plans" }).click();
  await g.getByRole("button", { name: "New plan" }).click();
  const dialog = g.getByRole("dialog");
  await dialog.getByLabel("Template").selectOption({ label: "University IT: a new member of staff" });
  await dialog.getByRole("button", { name: "Make the plan" }).click();
  await dialog.getByText("Choose or enter this.").first().waitFor();
  assert.equal(await dialog.getByLabel("Organisation").getAttribute("aria-invalid"), "true");
  await dialog.getByLabel("Organisation").selectOption({ label: "Riverside University 河畔大学 — Car-share Club" });
  await dialog.getByLabel("Scenario").selectOption("new_user");
  await dialog.getByLabel("Person (for a person's plan)").selectOption({ label: "张伟" });
  await dialog.getByLabel("Start date").fill(new Date().toISOString().slice(0, 10));
  await dialog.getByLabel("Done when").fill("Zhang Wei works on his own laptop");
  assert.deepEqual(await accessibilityViolations(g), []);
  await dialog.getByRole("button", { name: "Make the plan" }).click();
  await g.getByRole("heading", { name: "University IT: a new member of staff", level: 1 }).waitFor();
  await g.getByText("This plan is a draft: the organisation's customer accepts it before the work starts.").waitFor();
  await g.getByText("0 of 4 done").waitFor();
  await g.getByText("Zhang Wei works on his own laptop").waitFor();

  // ONB-3: adapted before the customer accepts it — the check-in taken out, the induction due a
  // day later, a VPN action added after the laptop; a new action without a title is caught first.
  await g.getByRole("button", { name: "Adapt the plan" }).click();
  const checkIn = g.getByRole("group", { name: "Two-week check-in" });
  await checkIn.getByLabel(/Take this action out of the plan/).check();
  const induction = g.getByRole("group", { name: "Read the IT induction guide" });
  const due = await induction.getByLabel("Due").inputValue();
  const later = new Date(Date.parse(due + "T00:00:00Z") + 86_400_000).toISOString().slice(0, 10);
  await induction.getByLabel("Due").fill(later);
  await g.getByRole("button", { name: "Add an action" }).click();
  const added = g.getByRole("group", { name: "New action 5" });
  await added.getByLabel("After").selectOption({ label: "Hand over a laptop" });
  await g.getByRole("button", { name: "Save the adapted plan" }).click();
  await added.getByText("Give the action a title.").waitFor();
  await added.getByLabel("Title").fill("Set up VPN access");
  await added.getByLabel("Owner role").selectOption({ label: "specialist" });
  assert.deepEqual(await accessibilityViolations(g), []);
  await screenshot(g, "plan-adapt-en");
  await g.getByRole("button", { name: "Save the adapted plan" }).click();
  await g.getByRole("status").filter({ hasText: "The plan is adapted (version 2)." }).waitFor();
  await actionRow(g, "Set up VPN access").getByText("specialist").waitFor();
  assert.match(await actionRow(g, "Set up VPN access").innerText(), /after Hand over a laptop/i);
  assert.equal(await actionRow(g, "Two-week check-in").count(), 0, "taken out");
  assert.match(await actionRow(g, "Read the IT induction guide").innerText(), new RegExp(later));
  await g.getByText("0 of 4 done").waitFor();
  await grace.context.close();

  // The person it is for reads it; another organisation's people see none of the university's plans.
  const zhang = await signedIn(shared, "zhang.wei@university.example", "zh-CN");
  await openPlans(zhang.page, "入驻", "入驻计划");
  await zhang.page.getByRole("link", { name: "学校信息中心：新员工入职" }).waitFor();
  assert.equal(await zhang.page.getByRole("link", { name: "汽车共享俱乐部：新组织入驻" }).count(), 0);
  await zhang.context.close();
  const club = await signedIn(shared, "chen.jing@greenway-club.example", "zh-CN");
  await openPlans(club.page, "入驻", "入驻计划");
  await club.page.getByText("还没有入驻计划。").waitFor();
  await club.context.close();
});
