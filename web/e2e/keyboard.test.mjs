// Keyboard only (issue "Web UI" §7; REL-6): signing in, asking a question and replying on it
// without a mouse — every stop reached with Tab, every choice made with the keys, and the
// element that has the focus outlined by the app's own focus ring.
import { test } from "node:test";
import assert from "node:assert/strict";
import { password, useTandem } from "./harness.mjs";

const shared = useTandem();

// Presses Tab until the focused element's accessible text is `name`; fails after `limit` stops.
async function tabTo(page, name, limit = 40) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => {
      const e = document.activeElement;
      const label = e?.id ? document.querySelector(`label[for="${e.id}"]`)?.textContent : null;
      return (e?.getAttribute("aria-label") ?? label ?? e?.closest("label")?.textContent ?? e?.textContent ?? "").trim();
    });
    if (focused === name) {
      // Our focus ring (styles.css), not the browser's default, which a page may hide.
      const outline = await page.evaluate(() => {
        const style = getComputedStyle(document.activeElement);
        return `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`;
      });
      assert.equal(outline, "solid 3px rgb(240, 165, 0)", `the focus on “${name}” is visible`);
      return;
    }
  }
  assert.fail(`Tab never reached “${name}”`);
}

test("a user signs in, asks a question and replies on it with the keyboard alone", async () => {
  const context = await shared.browser.newContext({ locale: "zh-CN" });
  const page = await context.newPage();
  await page.goto(shared.tandem.base + "/");
  await tabTo(page, "跳到主要内容");
  await tabTo(page, "电子邮箱");
  await page.keyboard.type("zhang.wei@university.example");
  await tabTo(page, "密码");
  await page.keyboard.type(password);
  await page.keyboard.press("Enter");
  await page.getByRole("navigation", { name: "主导航" }).waitFor();

  await tabTo(page, "寻求帮助");
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "寻求帮助", level: 1 }).waitFor();
  await tabTo(page, "故障 — 有东西坏了或无法使用");
  await page.keyboard.press("ArrowDown");
  assert.equal(await page.getByRole("radio", { name: /咨询/ }).isChecked(), true, "the arrow key chose a question");
  await tabTo(page, "简要描述 *");
  await page.keyboard.type("借车押金什么时候退还？");
  await tabTo(page, "发送");
  await page.keyboard.press("Enter");
  await page.getByRole("status").filter({ hasText: /咨询 #\d+ 已提交/ }).waitFor();

  await tabTo(page, "查看进展");
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "与服务台的沟通" }).waitFor();
  await tabTo(page, "您的回复");
  await page.keyboard.type("补充：押金是上周五支付的。");
  await tabTo(page, "发送");
  await page.keyboard.press("Enter");
  await page.getByText("已发送。服务台会在工单中看到。").waitFor();
  await page.getByRole("listitem").filter({ hasText: "补充：押金是上周五支付的。" }).waitFor();
  await context.close();
});

// Admin §5 by keyboard: open the teams, create one with a member in the dialog (Space ticks a
// box, Enter sends), and leave an edit with Escape, the focus back on the button that opened it.
test("an administrator creates a team with the keyboard alone", async () => {
  const context = await shared.browser.newContext({ locale: "en" });
  const page = await context.newPage();
  await page.goto(shared.tandem.base + "/");
  await tabTo(page, "E-mail");
  await page.keyboard.type("admin@campus-mobility.example");
  await tabTo(page, "Password");
  await page.keyboard.type(password);
  await page.keyboard.press("Enter");
  await page.getByRole("navigation", { name: "Main" }).waitFor();

  await tabTo(page, "Administration");
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Administration", level: 1 }).waitFor();
  // The new screen is announced: its title, and the focus on its heading, not left in the menu.
  await page.waitForFunction(() => document.activeElement?.tagName === "H1");
  assert.equal(await page.title(), "Administration · Tandem");
  await tabTo(page, "Teams");
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Teams", level: 1 }).waitFor();
  await tabTo(page, "New team");
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog");
  await dialog.waitFor();
  await tabTo(page, "Name *");
  await page.keyboard.type("Weekend desk");
  await tabTo(page, "Tom Baker <tom.baker@campus-mobility.example>");
  await page.keyboard.press("Space");
  await tabTo(page, "Create");
  await page.keyboard.press("Enter");
  await page.getByRole("status").filter({ hasText: "Weekend desk is created." }).waitFor();
  const row = page.getByRole("row").filter({ hasText: "Weekend desk" });
  assert.match(await row.innerText(), /Tom Baker/);

  await tabTo(page, "Edit Weekend desk", 80);
  await page.keyboard.press("Enter");
  await dialog.waitFor();
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "detached" });
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("aria-label")), "Edit Weekend desk");
  await context.close();
});
