// The first dashboard (issue "Web UI" §6; OPS-1): volume by type and channel, tickets per day,
// SLA attainment and backlog age. A new incident raised from the portal shows in the agent's
// charts after a reload; a customer's dashboard counts its own organisation's tickets only.
import { test } from "node:test";
import assert from "node:assert/strict";
import { accessibilityViolations, screenshot, signedIn, useTandem } from "./harness.mjs";

const shared = useTandem();

// The number a chart's table shows for one row ("nothing measured yet" is not a number).
async function count(page, caption, row) {
  const table = page.getByRole("table", { name: caption, exact: true });
  await table.waitFor();
  const cells = table.getByRole("row").filter({ has: page.getByRole("rowheader", { name: row, exact: true }) });
  if ((await cells.count()) === 0) return 0;
  return Number((await cells.getByRole("cell").innerText()).trim());
}

async function openDashboard(page, name = "Dashboard") {
  await page.getByRole("navigation", { name: /^(Main|主导航)$/ }).getByRole("link", { name }).click();
  await page.getByRole("heading", { name, level: 1 }).waitFor();
}

async function raise(email, locale, kind, subject) {
  const who = await signedIn(shared, email, locale, "/ask");
  await who.page.getByText(kind).click();
  await who.page.getByLabel(/^(In a few words|简要描述)/).fill(subject);
  await who.page.getByRole("button", { name: /^(Send|发送)$/ }).click();
  await who.page.getByRole("status").filter({ hasText: /is raised|已提交/ }).waitFor();
  await who.context.close();
}

test("the dashboard counts new tickets, and a customer sees its own organisation's numbers only", async () => {
  // The university's customer, before: its incidents and compliments.
  const customer = await signedIn(shared, "fleet.office@university.example", "zh-CN");
  const c = customer.page;
  await openDashboard(c, "仪表板");
  const ownIncidents = await count(c, "按类型的工单数", "故障");
  const ownCompliments = await count(c, "按类型的工单数", "表扬");
  assert.deepEqual(await accessibilityViolations(c), []);

  const agent = await signedIn(shared, "tom.baker@campus-mobility.example", "en");
  const a = agent.page;
  await openDashboard(a);
  const incidents = await count(a, "Tickets by type", "Incident");
  const compliments = await count(a, "Tickets by type", "Compliment");
  const portal = await count(a, "Tickets by channel", "Portal");
  const fresh = await count(a, "Open tickets by age", "under a day");
  assert.deepEqual(await accessibilityViolations(a), []);

  // A university student's incident, and a compliment from the other customer, the car-share club.
  await raise("emma.wilson@university.example", "en", "something is broken or does not work", "The projector in room 101 shows no picture");
  await raise("chen.jing@greenway-club.example", "zh-CN", "您想感谢某人", "取车的师傅非常耐心");

  await a.reload();
  await a.getByRole("heading", { name: "Dashboard", level: 1 }).waitFor();
  assert.equal(await count(a, "Tickets by type", "Incident"), incidents + 1);
  assert.equal(await count(a, "Tickets by type", "Compliment"), compliments + 1);
  assert.equal(await count(a, "Tickets by channel", "Portal"), portal + 2);
  assert.equal(await count(a, "Open tickets by age", "under a day"), fresh + 2);
  await a.getByText("Show the numbers").click();
  const today = a.getByRole("table", { name: "Tickets raised per day" }).getByRole("row").last();
  assert.ok(Number((await today.getByRole("cell").innerText()).trim()) >= 2, "today's row holds the new tickets");
  // A shorter period: seven times 24 hours touch seven or eight calendar days, a row each under
  // the header row (the table stays open while the new period is read).
  const perDay = a.getByRole("table", { name: "Tickets raised per day" }).getByRole("row");
  const thirtyDays = await perDay.count();
  await a.getByLabel("Period").selectOption({ label: "the last 7 days" });
  await a.waitForFunction(() => document.querySelectorAll('[aria-busy="true"]').length === 0 && !document.querySelector("main p[aria-live]"));
  const rows = await perDay.count();
  assert.ok(rows === 1 + 7 || rows === 1 + 8, `${rows} rows, ${thirtyDays} before`);
  assert.equal(await count(a, "Tickets by type", "Incident"), incidents + 1, "today's incident is within the week");
  await screenshot(a, "dashboard-en");
  await agent.context.close();

  // The customer counts its student's incident, never the club's compliment.
  await c.reload();
  await c.getByRole("heading", { name: "仪表板", level: 1 }).waitFor();
  assert.equal(await count(c, "按类型的工单数", "故障"), ownIncidents + 1);
  assert.equal(await count(c, "按类型的工单数", "表扬"), ownCompliments);
  await screenshot(c, "dashboard-zh-CN");
  await customer.context.close();
});
