// FDB-1, DESK-8, OPS-1, FDB-4: a member rates a resolved ticket on its page (in English, then
// another in Chinese); a low rating opens a recovery task for the desk; the agent's dashboard
// charts satisfaction and hands out every report as CSV and XLSX; a service's public status page
// reads without signing in. axe-core on each screen.
import { test } from "node:test";
import assert from "node:assert/strict";
import { accessibilityViolations, apiAs, screenshot, signedIn, useTandem } from "./harness.mjs";

const shared = useTandem();

async function resolvedTicket(email, subject) {
  const member = await apiAs(shared, email);
  const ticket = await member.post("/api/v1/tickets", { type: "incident", subject, description: "Details for the desk." });
  const agent = await apiAs(shared, "li.na@campus-mobility.example");
  await agent.post(`/api/v1/tickets/${ticket.id}/transitions`, { to: "in_progress" });
  await agent.post(`/api/v1/tickets/${ticket.id}/transitions`, { to: "resolved", resolution: "Replaced and tested." });
  return { ticket, agent };
}

test("a member rates a resolved ticket, a low rating reaches the desk, and the dashboard shows it", async () => {
  const { ticket, agent } = await resolvedTicket("emma.wilson@university.example", "Charging cable missing RATEE2E");
  const { page: p } = await signedIn(shared, "emma.wilson@university.example", "en-GB", `/requests/${ticket.id}`);
  await p.getByLabel(/^(Language|语言)/).selectOption("en");
  await p.getByRole("heading", { name: "How did we do?" }).waitFor();
  assert.deepEqual(await accessibilityViolations(p), []);
  await p.getByRole("button", { name: "Send rating" }).click();
  await p.getByRole("alert").filter({ hasText: "Choose a score from 1 to 5." }).waitFor();
  await p.getByText("2 — dissatisfied").click();
  await p.getByLabel("Anything to add? (optional)").fill("It took three days.");
  await p.getByRole("button", { name: "Send rating" }).click();
  await p.getByRole("status").filter({ hasText: "Thank you: your rating is recorded." }).waitFor();
  await p.getByText("You rated this 2 out of 5. You can change it.").waitFor();
  assert.deepEqual(await accessibilityViolations(p), []);
  await screenshot(p, "rating-en");

  const tasks = await agent.get(`/api/v1/recovery-tasks?ticket_id=${ticket.id}`);
  assert.equal(tasks.items.length, 1, JSON.stringify(tasks));
  assert.equal(tasks.items[0].signal, "rating_low");

  // The desk finds it on the Recovery page, puts it right and says what was done.
  const { page: r } = await signedIn(shared, "li.na@campus-mobility.example", "en-GB", "/recovery");
  await r.getByLabel(/^(Language|语言)/).selectOption("en");
  const task = r.getByRole("listitem").filter({ hasText: "RATEE2E" });
  await task.getByRole("heading", { name: /^Low rating: #\d+ Charging cable missing RATEE2E$/ }).waitFor();
  assert.deepEqual(await accessibilityViolations(r), []);
  await task.getByRole("button", { name: "Done: Low rating" }).click();
  await task.getByText("Write what was done first.").waitFor();
  await task.getByLabel("What was done").fill("Called Emma; a cable is on its way.");
  await task.getByRole("button", { name: "Done: Low rating" }).click();
  await r.getByRole("status").filter({ hasText: /The task of #\d+ is done\./ }).waitFor();
  assert.equal((await agent.get(`/api/v1/recovery-tasks?ticket_id=${ticket.id}`)).items[0].status, "done");
  await screenshot(r, "recovery-en");

  const { page: d } = await signedIn(shared, "li.na@campus-mobility.example", "en-GB", "/dashboard");
  await d.getByLabel(/^(Language|语言)/).selectOption("en");
  await d.getByRole("table", { name: /^Satisfied with the help/ }).waitFor();
  const csvLink = d.getByRole("link", { name: "Satisfaction as CSV" });
  const csv = await d.request.get(new URL(await csvLink.getAttribute("href"), shared.tandem.base).href);
  assert.equal(csv.status(), 200);
  assert.match(csv.headers()["content-type"], /^text\/csv/);
  assert.match(await csv.text(), /responses,score_1,score_2/);
  const xlsx = await d.request.get(new URL(await d.getByRole("link", { name: "Satisfaction as Excel (XLSX)" }).getAttribute("href"), shared.tandem.base).href);
  assert.equal(xlsx.status(), 200);
  assert.equal((await xlsx.body()).subarray(0, 2).toString(), "PK", "a zip, as every workbook is");
  assert.deepEqual(await accessibilityViolations(d), []);
  await screenshot(d, "dashboard-satisfaction-en");
});

test("a member rates the desk's first answer, a touchpoint of its own", async () => {
  const member = await apiAs(shared, "emma.wilson@university.example");
  const ticket = await member.post("/api/v1/tickets", { type: "incident", subject: "Seat belt stuck FIRSTE2E", description: "Rear left." });
  const agent = await apiAs(shared, "li.na@campus-mobility.example");
  await agent.post(`/api/v1/tickets/${ticket.id}/comments`, { body: "We will look at it this afternoon.", public: true });
  const { page: p } = await signedIn(shared, "emma.wilson@university.example", "en-GB", `/requests/${ticket.id}`);
  await p.getByLabel(/^(Language|语言)/).selectOption("en");
  const panel = p.getByRole("region", { name: "How was our first answer?" });
  await panel.waitFor();
  assert.equal(await p.getByRole("heading", { name: "How did we do?" }).count(), 0, "not resolved: only the first answer is rated");
  await panel.getByText("4 — satisfied").click();
  await panel.getByRole("button", { name: "Send rating" }).click();
  await panel.getByRole("status").waitFor();
  assert.deepEqual(await accessibilityViolations(p), []);
  const ratings = await agent.get(`/api/v1/ratings?ticket_id=${ticket.id}`);
  assert.equal(ratings.items[0].touchpoint, "first_response");
  assert.equal(ratings.items[0].score, 4);
  await screenshot(p, "rating-first-answer-en");
});

test("a member rates in Chinese, and a service's status page reads without signing in", async () => {
  const { ticket } = await resolvedTicket("zhang.wei@university.example", "车钥匙找不到了 RATEZH");
  const { page: p } = await signedIn(shared, "zhang.wei@university.example", "zh-CN", `/requests/${ticket.id}`);
  await p.getByLabel(/^(Language|语言)/).selectOption("zh-CN");
  await p.getByRole("heading", { name: "您对这次服务满意吗？" }).waitFor();
  await p.getByText("5 分 — 非常满意").click();
  await p.getByRole("button", { name: "提交评价" }).click();
  await p.getByRole("status").filter({ hasText: "谢谢！已记录您的评价。" }).waitFor();
  assert.deepEqual(await accessibilityViolations(p), []);
  await screenshot(p, "rating-zh");

  const admin = await apiAs(shared, "admin@campus-mobility.example");
  const services = await admin.get("/api/v1/services?lang=all");
  const service = services.items[0];
  // The page forbids scripts (CSP); the test lets axe in all the same.
  const visitor = await shared.browser.newContext({ locale: "zh-CN", bypassCSP: true });
  const s = await visitor.newPage();
  const page = await s.goto(`${shared.tandem.base}/status/${service.slug}`);
  assert.equal(page.status(), 200);
  await s.getByRole("heading", { name: service.name["zh-CN"] ?? service.name.en, level: 1 }).waitFor();
  await s.getByRole("status").waitFor();
  await s.getByText(/近 90 天可用率/).waitFor();
  assert.deepEqual(await accessibilityViolations(s), []);
  await screenshot(s, "status-page-zh");
  const feed = await s.request.get(`${shared.tandem.base}/status/${service.slug}.atom`);
  assert.equal(feed.status(), 200);
  assert.match(await feed.text(), /<feed xmlns="http:\/\/www.w3.org\/2005\/Atom"/);
  await visitor.close();
});
