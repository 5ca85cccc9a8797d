// FDB-1: an administrator writes a relationship survey (the NPS question built in, a score and a
// text after it) and publishes it; a member answers in English and another in Chinese; the
// results page shows the NPS, the counts and each organisation's figure. axe-core on each screen.
import { test } from "node:test";
import assert from "node:assert/strict";
import { accessibilityViolations, apiAs, screenshot, signedIn, useTandem } from "./harness.mjs";

const shared = useTandem();
const title = "Term check-in SURVEYE2E";

// A datetime-local value a week from now.
function nextWeek() {
  const d = new Date(Date.now() + 7 * 24 * 3600 * 1000);
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

test("a survey is written and published, answered in English and Chinese, and its results read", async () => {
  const { page: a } = await signedIn(shared, "admin@campus-mobility.example", "en-GB", "/surveys");
  await a.getByLabel(/^(Language|语言)/).selectOption("en");
  await a.getByRole("heading", { name: "Write a survey" }).waitFor();
  // Sent without a closing time and a prompt: each problem is named.
  await a.getByLabel("Title (English)").fill(title);
  await a.getByRole("button", { name: "Save as draft" }).click();
  await a.getByRole("alert").filter({ hasText: "The survey was not saved." }).waitFor();
  await a.getByLabel("Title (Chinese)").fill("学期回访 SURVEYE2E");
  await a.getByLabel("Closes").fill(nextWeek());
  const first = a.getByRole("group", { name: "Question 1" });
  await first.getByLabel("Question (English)").fill("How quick were our replies?");
  await first.getByLabel("Question (Chinese)").fill("我们回复得快吗？");
  await first.getByLabel("An answer is required").check();
  await a.getByRole("button", { name: "Add a question" }).click();
  const second = a.getByRole("group", { name: "Question 2" });
  await second.getByLabel("Question (English)").fill("What should we change?");
  await second.getByLabel("Question (Chinese)").fill("我们应该改进什么？");
  assert.deepEqual(await accessibilityViolations(a), []);
  await a.getByRole("button", { name: "Save as draft" }).click();
  await a.getByRole("status").filter({ hasText: `“${title}” is saved as a draft.` }).waitFor();
  await a.getByRole("button", { name: `Publish “${title}”` }).click();
  await a.getByRole("status").filter({ hasText: `“${title}” is published` }).waitFor();
  await a.getByRole("row").filter({ hasText: title }).getByText("Open", { exact: true }).waitFor();
  assert.deepEqual(await accessibilityViolations(a), []);
  await screenshot(a, "surveys-keeper-en");

  const admin = await apiAs(shared, "admin@campus-mobility.example");
  const made = (await admin.get("/api/v1/surveys")).items.find((s) => s.title.en === title);
  assert.ok(made, "the survey is listed");
  assert.equal(made.questions[0].kind, "nps");

  // Emma answers in English: the required questions first, then her answers.
  const { page: e } = await signedIn(shared, "emma.wilson@university.example", "en-GB", "/surveys");
  await e.getByLabel(/^(Language|语言)/).selectOption("en");
  await e.getByRole("link", { name: `Answer “${title}”` }).click();
  await e.getByRole("heading", { name: title, level: 1 }).waitFor();
  await e.getByRole("button", { name: "Send my answers" }).click();
  await e.getByText("Please answer this question.").first().waitFor();
  assert.deepEqual(await accessibilityViolations(e), []);
  await e.getByRole("group", { name: /recommend us/ }).getByLabel("9", { exact: true }).check();
  await e.getByRole("group", { name: /How quick were our replies/ }).getByLabel("4 — good").check();
  await e.getByLabel("What should we change?").fill("Answer on weekends too.");
  await e.getByRole("button", { name: "Send my answers" }).click();
  await e.getByRole("status").filter({ hasText: /^Thank you: you answered on \d{4}-\d{2}-\d{2}\.$/ }).waitFor();
  assert.deepEqual(await accessibilityViolations(e), []);
  await screenshot(e, "survey-answered-en");

  // Zhang Wei answers in Chinese.
  const { page: z } = await signedIn(shared, "zhang.wei@university.example", "zh-CN", `/surveys/${made.id}`);
  await z.getByLabel(/^(Language|语言)/).selectOption("zh-CN");
  await z.getByRole("heading", { name: "学期回访 SURVEYE2E", level: 1 }).waitFor();
  await z.getByRole("group", { name: /推荐给朋友或同事/ }).getByLabel("3", { exact: true }).check();
  await z.getByRole("group", { name: /我们回复得快吗/ }).getByLabel("2 分 — 较差").check();
  await z.getByRole("button", { name: "提交回答" }).click();
  await z.getByRole("status").filter({ hasText: /^谢谢！您已于 .* 作答。$/ }).waitFor();
  assert.deepEqual(await accessibilityViolations(z), []);
  await screenshot(z, "survey-answered-zh");

  // The results: one promoter, one detractor — NPS 0.
  const results = await admin.get(`/api/v1/surveys/${made.id}/results`);
  assert.equal(results.answered, 2);
  assert.equal(results.nps.score, 0);
  await a.goto(`${shared.tandem.base}/surveys/${made.id}`);
  await a.getByRole("heading", { name: "Results" }).waitFor();
  await a.getByRole("table", { name: /^Promoters \(9–10\)/ }).waitFor();
  await a.getByRole("table", { name: "NPS by organisation" }).waitFor();
  await a.getByText("Answer on weekends too.").waitFor();
  assert.equal((await a.locator(".big-number").textContent()).trim(), "0");
  const csv = await a.request.get(new URL(await a.getByRole("link", { name: "The results as CSV" }).getAttribute("href"), shared.tandem.base).href);
  assert.equal(csv.status(), 200);
  assert.match(await csv.text(), /question,kind,answer,responses/);
  assert.deepEqual(await accessibilityViolations(a), []);
  await screenshot(a, "survey-results-en");
});
