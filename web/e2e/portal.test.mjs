// The portal in a real browser (issue "Web UI" §1, §2, §4, §7): any address shows the sign-in
// form until one signs in; a user reads their entitled catalog in their own language, with
// what each item needs and when a request raised now is expected; the language can be switched;
// a reload keeps the session; no page has serious or critical accessibility violations.
import { test } from "node:test";
import assert from "node:assert/strict";
import { accessibilityViolations, password, screenshot, useTandem } from "./harness.mjs";

const shared = useTandem();

async function signIn(page, email) {
  await page.getByLabel(/电子邮箱|E-mail/).fill(email);
  await page.getByLabel(/^(密码|Password)$/).fill(password);
  await page.getByRole("button", { name: /^(登录|Sign in)$/ }).click();
}

test("a deep link shows the sign-in form first, in the browser's language, and passes axe", async () => {
  const context = await shared.browser.newContext({ locale: "zh-CN" });
  const page = await context.newPage();
  await page.goto(shared.tandem.base + "/tickets/some-deep-link");
  await page.getByRole("heading", { name: "登录 Tandem" }).waitFor();
  assert.equal(await page.locator('input[type="password"]').count(), 1);
  assert.equal(await page.evaluate(() => document.documentElement.lang), "zh-CN");
  assert.deepEqual(await accessibilityViolations(page), []);
  await screenshot(page, "sign-in-zh-CN");

  // A wrong password is told in the page's language and signs no one in.
  await page.getByLabel("电子邮箱").fill("zhang.wei@university.example");
  await page.getByLabel("密码").fill("not-the-password");
  await page.getByRole("button", { name: "登录" }).click();
  await page.getByRole("alert").filter({ hasText: "电子邮箱或密码不正确" }).waitFor();
  await context.close();
});

test("a user reads their entitled catalog in Chinese, and it survives a reload", async () => {
  const context = await shared.browser.newContext({ locale: "en-GB" });
  const page = await context.newPage();
  await page.goto(shared.tandem.base + "/");
  await page.getByRole("heading", { name: "Sign in to Tandem" }).waitFor();
  await signIn(page, "zhang.wei@university.example");
  // 张伟's profile says zh-CN: the UI and the catalog's texts follow it.
  await page.getByRole("heading", { name: "服务目录", level: 1 }).waitFor();
  await page.getByRole("heading", { name: "笔记本电脑申请" }).waitFor();
  const laptop = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "笔记本电脑申请" }) });
  assert.match(await laptop.innerText(), /前完成|无约定时限/);
  // The club's catalog is another organisation's: none of it shows.
  assert.equal(await page.getByText("车辆损坏报告").count(), 0);
  assert.deepEqual(await accessibilityViolations(page), []);
  await screenshot(page, "catalog-zh-CN");

  await page.reload();
  await page.getByRole("heading", { name: "笔记本电脑申请" }).waitFor();
  assert.equal(await page.locator('input[type="password"]').count(), 0, "still signed in");

  // Switching the language changes the profile: the catalog answers in English from then on.
  await page.getByLabel("语言").selectOption("en");
  await page.getByRole("heading", { name: "Service catalog", level: 1 }).waitFor();
  await page.reload();
  await page.getByRole("heading", { name: "Laptop request" }).waitFor();
  await screenshot(page, "catalog-en");
  await page.getByLabel("Language").selectOption("zh-CN");
  await page.getByRole("heading", { name: "服务目录", level: 1 }).waitFor();

  // The session ends elsewhere (here: its cookie is gone): the next call brings back the sign-in.
  await context.clearCookies();
  await page.getByRole("navigation").getByRole("link", { name: "我的工单" }).click();
  await page.getByRole("heading", { name: "登录 Tandem" }).waitFor();
  await signIn(page, "zhang.wei@university.example");
  await page.getByRole("navigation").waitFor();

  await page.getByRole("button", { name: "退出登录" }).click();
  await page.getByRole("heading", { name: "登录 Tandem" }).waitFor();
  await page.goto(shared.tandem.base + "/catalog");
  await page.locator('input[type="password"]').waitFor();
  await context.close();
});

test("a member of the car-share club sees the club's catalog and not the university's", async () => {
  const context = await shared.browser.newContext({ locale: "zh-CN" });
  const page = await context.newPage();
  await page.goto(shared.tandem.base + "/catalog");
  await signIn(page, "chen.jing@greenway-club.example");
  await page.getByRole("heading", { name: "车辆损坏报告" }).waitFor();
  assert.equal(await page.getByText("笔记本电脑申请").count(), 0, "the university's catalog is not theirs");
  assert.deepEqual(await accessibilityViolations(page), []);
  await screenshot(page, "catalog-club-zh-CN");
  await context.close();
});
