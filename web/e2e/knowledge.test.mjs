// The help centre (KB-1) and shift-left suggestions (REL-2): a student finds an article by two
// Chinese characters with the words marked and says it helped; an English reader gets the
// English text; a suggestion while raising a ticket answers the question, nothing is sent and
// the deflection is counted; an agent writes an article in Markdown (sanitised when shown),
// sends it to review, publishes it, edits it and reads what changed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { accessibilityViolations, screenshot, signedIn, useTandem } from "./harness.mjs";

const shared = useTandem();

test("a student searches the help centre in Chinese and says the article helped", async () => {
  const { context, page } = await signedIn(shared, "zhang.wei@university.example", "zh-CN");
  await page.getByRole("navigation").getByRole("link", { name: "帮助中心" }).click();
  await page.getByRole("heading", { name: "帮助中心", level: 1 }).waitFor();
  await page.getByRole("link", { name: "宿舍 VPN 连接超时怎么办" }).waitFor();
  assert.equal(await page.getByRole("link", { name: "新门禁系统（草稿）" }).count(), 0, "drafts are the staff's");
  assert.deepEqual(await accessibilityViolations(page), []);

  await page.getByRole("searchbox", { name: "搜索帮助中心" }).fill("打印");
  await page.getByRole("button", { name: "搜索", exact: true }).click();
  const hit = page.getByRole("listitem").filter({ hasText: "打印机驱动安装指南" });
  await hit.waitFor();
  const marked = await hit.locator("mark").allInnerTexts();
  assert.ok(marked.length >= 1, "the query is marked");
  for (const m of marked) assert.equal(m, "打印");
  await screenshot(page, "help-search-zh-CN");
  assert.deepEqual(await accessibilityViolations(page), []);

  await hit.getByRole("link").click();
  await page.getByRole("heading", { name: "打印机驱动安装指南", level: 1 }).waitFor();
  assert.equal(await page.locator(".article-body table").count(), 1, "the Markdown table is rendered");
  await page.getByRole("button", { name: "阅读English版" }).click();
  await page.getByRole("heading", { name: "Installing the printer driver", level: 1 }).waitFor();
  await page.getByRole("button", { name: "有帮助", exact: true }).click();
  await page.getByRole("status").filter({ hasText: "谢谢" }).waitFor();
  assert.deepEqual(await accessibilityViolations(page), []);
  await context.close();
});

test("an English reader gets the English text of an article written in Chinese", async () => {
  const { context, page } = await signedIn(shared, "emma.wilson@university.example", "en", "/help");
  await page.getByRole("link", { name: "VPN times out in the dorm" }).click();
  await page.getByRole("heading", { name: "VPN times out in the dorm", level: 1 }).waitFor();
  await page.getByRole("button", { name: "No", exact: true }).click();
  await page.getByLabel("What was missing or wrong? (optional)").fill("It did not mention the proxy settings.");
  await page.getByRole("button", { name: "Send", exact: true }).click();
  await page.getByRole("status").filter({ hasText: "Thank you" }).waitFor();
  assert.deepEqual(await accessibilityViolations(page), []);
  await context.close();
});

test("a suggestion answers the question before a ticket is raised, and each deflection is counted", async () => {
  const agent = await signedIn(shared, "li.na@campus-mobility.example", "zh-CN");
  const deflections = () =>
    agent.page.evaluate(async () => (await (await fetch("/api/v1/reports/deflection?to=2100-01-01T00:00:00Z")).json()).total.deflections);
  const before = await deflections();

  const { context, page } = await signedIn(shared, "zhang.wei@university.example", "zh-CN", "/ask");
  await page.getByLabel("简要描述").fill("VPN 连接超时");
  const suggestions = page.getByRole("region", { name: "这些文章也许能解答" });
  await suggestions.getByRole("button", { name: "宿舍 VPN 连接超时怎么办" }).click();
  await suggestions.getByRole("article", { name: "宿舍 VPN 连接超时怎么办" }).getByText("重新安装最新版客户端").waitFor();
  assert.deepEqual(await accessibilityViolations(page), []);
  await screenshot(page, "ask-suggestions-zh-CN");
  await suggestions.getByRole("button", { name: "这解决了我的问题" }).click();
  await page.getByRole("status").filter({ hasText: "没有向服务台提交任何内容" }).waitFor();
  assert.equal(await deflections(), before + 1, "the answered question is counted");
  await context.close();

  // Another reads a suggestion and leaves the form unsent for another screen: counted too.
  const emma = await signedIn(shared, "emma.wilson@university.example", "en", "/ask");
  await emma.page.getByLabel("In a few words").fill("eduroam Wi-Fi");
  await emma.page.getByRole("region", { name: "These articles may answer it" }).getByRole("button", { name: "Connecting to eduroam Wi-Fi" }).click();
  await emma.page.getByRole("article", { name: "Connecting to eduroam Wi-Fi" }).waitFor();
  await emma.page.getByRole("navigation").getByRole("link", { name: "My tickets" }).click();
  await emma.page.getByRole("heading", { name: "My tickets", level: 1 }).waitFor();
  let after = await deflections();
  for (let i = 0; i < 50 && after < before + 2; i++) after = await deflections();
  assert.equal(after, before + 2, "leaving after reading a suggestion is counted");
  // The desk sees the rate on its dashboard.
  await agent.page.getByRole("navigation").getByRole("link", { name: "仪表板" }).click();
  await agent.page.getByRole("table", { name: /由帮助中心解答、未提交工单的问题/ }).waitFor();
  await emma.context.close();
  await agent.context.close();
});

test("an agent writes, reviews, publishes and edits an article and reads what changed", async () => {
  const { context, page } = await signedIn(shared, "tom.baker@campus-mobility.example", "en", "/help");
  await page.getByRole("link", { name: "Write an article" }).click();
  await page.getByRole("heading", { name: "Write an article", level: 1 }).waitFor();
  await page.getByRole("button", { name: "Save as a version" }).click();
  await page.locator("#kb-title-problem").waitFor();
  assert.deepEqual(await accessibilityViolations(page), []);

  await page.getByLabel("Language of this text").selectOption("en");
  await page.getByLabel(/^Title/).fill("Returning a car after hours");
  await page.getByLabel(/^Text/).fill("Leave the key in the **key box**.\n\n<script>window.hacked = 1</script>\n\nCall the desk if it is full.");
  await page.getByRole("group", { name: "Related services" }).getByLabel("Car sharing").check();
  await page.getByRole("button", { name: "Save as a version" }).click();
  await page.getByRole("heading", { name: "Returning a car after hours", level: 1 }).waitFor();
  assert.equal(await page.locator(".article-body strong").innerText(), "key box");
  assert.equal(await page.locator(".article-body script").count(), 0);
  assert.equal(await page.evaluate(() => window.hacked), undefined);

  await page.getByRole("button", { name: "Ask for review" }).click();
  await page.getByRole("status").filter({ hasText: "in review" }).waitFor();
  await page.getByRole("button", { name: "Publish" }).click();
  await page.getByRole("status").filter({ hasText: "published" }).waitFor();

  await page.getByRole("link", { name: "Edit the article" }).click();
  await page.getByLabel(/^Text/).fill("Leave the key in the **key box**.\n\nCall the desk if it is full: 400-800-1234.");
  await page.getByRole("button", { name: "Save as a version" }).click();
  await page.getByRole("heading", { name: "Returning a car after hours", level: 1 }).waitFor();
  const rows = page.getByRole("table").getByRole("row");
  await rows.nth(2).waitFor();
  assert.equal(await rows.count(), 3, "a header and two versions");
  await page.getByRole("button", { name: "Show changes of version 2" }).click();
  const diff = page.getByRole("region", { name: /Changes in version 2/ });
  await diff.locator("ins").filter({ hasText: "400-800-1234" }).waitFor();
  assert.ok((await diff.locator("del").count()) >= 1);
  await screenshot(page, "article-versions-en");
  assert.deepEqual(await accessibilityViolations(page), []);

  // Readers find it now.
  const student = await signedIn(shared, "emma.wilson@university.example", "en", "/help?q=key%20box");
  await student.page.getByRole("link", { name: /Returning a car after hours/ }).waitFor();
  await student.context.close();
  await context.close();
});

test("an administrator names the hosts whose images articles may show", async () => {
  const { context, page } = await signedIn(shared, "admin@campus-mobility.example", "en", "/help");
  await page.getByText("Images from other sites").click();
  await page.getByLabel("Hosts whose images articles and posts may show").fill("img.university.example\nnot a host!");
  await page.getByRole("button", { name: "Save the hosts" }).click();
  await page.getByText(/is not a host name/).waitFor();
  await page.getByLabel("Hosts whose images articles and posts may show").fill("IMG.university.example");
  await page.getByRole("button", { name: "Save the hosts" }).click();
  await page.getByRole("status").filter({ hasText: "Saved" }).waitFor();
  const hosts = await page.evaluate(async () => (await (await fetch("/api/v1/knowledge/image-hosts")).json()).hosts);
  assert.deepEqual(hosts, ["img.university.example"]);
  assert.deepEqual(await accessibilityViolations(page), []);
  await context.close();
});
