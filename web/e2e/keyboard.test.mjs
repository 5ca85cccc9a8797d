// Keyboard only (issue "Web UI" §7; REL-6): signing in, asking a question and replying on it
// without a mouse — every stop reached with Tab, every choice made with the keys, and the
// element that has the focus outlined by the app's own focus ring.
import { test } from "node:test";
import assert from "node:assert/strict";
import { password, useTandem } from "./harness.mjs";

const shared = useTandem();

// Presses Tab until the focused element's accessible text is `name` (a string, or a pattern it
// matches) and, when `about` is given, its description (aria-describedby) is that; fails after
// `limit` stops.
async function tabTo(page, name, limit = 40, about = null) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press("Tab");
    const [focused, description] = await page.evaluate(() => {
      const e = document.activeElement;
      const label = e?.id ? document.querySelector(`label[for="${e.id}"]`)?.textContent : null;
      const described = e?.getAttribute("aria-describedby");
      return [
        (e?.getAttribute("aria-label") ?? label ?? e?.closest("label")?.textContent ?? e?.textContent ?? "").trim(),
        described ? (document.getElementById(described)?.textContent ?? "").trim() : "",
      ];
    });
    const named = typeof name === "string" ? focused === name : name.test(focused);
    if (named && (about === null || description === about)) {
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
  await page.waitForFunction(() => document.activeElement?.textContent === "Teams" && document.activeElement.tagName === "H1");
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
  // The focus comes back to the button that opened the dialog.
  await page.waitForFunction(() => document.activeElement?.getAttribute("aria-label") === "Edit Weekend desk");
  await context.close();
});

// The laptop flow by keyboard (issue "Web UI" §4 and §7): a user requests it from the catalog
// and the fleet office approves it from its inbox, each with Tab, arrow keys and Enter alone.
test("a laptop is requested and approved with the keyboard alone", async () => {
  async function signIn(context, email) {
    const page = await context.newPage();
    await page.goto(shared.tandem.base + "/");
    await tabTo(page, /^(E-mail|电子邮箱)$/);
    await page.keyboard.type(email);
    await tabTo(page, /^(Password|密码)$/);
    await page.keyboard.type(password);
    await page.keyboard.press("Enter");
    await page.getByRole("navigation").first().waitFor();
    return page;
  }
  const emma = await shared.browser.newContext({ locale: "en" });
  const user = await signIn(emma, "emma.wilson@university.example");
  await user.getByRole("heading", { name: "Laptop request" }).waitFor();
  await tabTo(user, "Request it", 60, "Laptop request");
  await user.keyboard.press("Enter");
  await user.getByRole("heading", { name: "Laptop request", level: 1 }).waitFor();
  await tabTo(user, /^Model/);
  await user.keyboard.press("ArrowDown");
  assert.notEqual(await user.getByLabel("Model").inputValue(), "", "the arrow key chose a model");
  await tabTo(user, /^Reason/);
  await user.keyboard.type("Teaching from home");
  await tabTo(user, "Submit the request");
  await user.keyboard.press("Enter");
  const done = user.getByRole("status").filter({ hasText: "waiting for approval" });
  await done.waitFor();
  const number = (await done.innerText()).match(/#(\d+)/)[1];
  await emma.close();

  const office = await shared.browser.newContext({ locale: "zh-CN" });
  const approver = await signIn(office, "fleet.office@university.example");
  await tabTo(approver, "待我审批");
  await approver.keyboard.press("Enter");
  const pending = approver.getByRole("region", { name: new RegExp(`^#${number} `) });
  await pending.waitFor();
  const title = (await pending.getByRole("heading").innerText()).trim();
  await tabTo(approver, "批准", 60, title);
  await approver.keyboard.press("Enter");
  await approver.getByRole("status").filter({ hasText: `您已批准申请 #${number}` }).waitFor();
  await office.close();
});

// The agent's daily move by keyboard (issue "Web UI" §3 and §7): from the desk's queue into a
// ticket with the arrow keys and Enter, a note switched to with the arrow keys, a reply sent.
test("an agent opens a ticket from the queue and replies with the keyboard alone", async () => {
  const context = await shared.browser.newContext({ locale: "zh-CN" });
  const page = await context.newPage();
  await page.goto(shared.tandem.base + "/");
  await tabTo(page, "电子邮箱");
  await page.keyboard.type("li.na@campus-mobility.example");
  await tabTo(page, "密码");
  await page.keyboard.type(password);
  await page.keyboard.press("Enter");
  await page.getByRole("navigation", { name: "主导航" }).waitFor();
  await tabTo(page, "服务台");
  await page.keyboard.press("Enter");
  await page.getByRole("link", { name: /待分配/ }).waitFor();
  await tabTo(page, /待分配/);
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: /待分配/, level: 2 }).waitFor();
  const grid = page.getByRole("grid");
  await grid.getByRole("row").first().waitFor();
  // Into the list with Tab; the arrow keys move within it; Enter opens the focused ticket.
  for (let i = 0; i < 40 && !(await grid.evaluate((g) => g.contains(document.activeElement))); i++) await page.keyboard.press("Tab");
  await page.keyboard.press("End");
  const chosen = await page.evaluate(() => document.activeElement?.closest('[role="row"]')?.getAttribute("aria-label") ?? document.activeElement?.textContent);
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { level: 1 }).filter({ hasText: /^#\d+ / }).waitFor();
  assert.ok(chosen && chosen.includes((await page.getByRole("heading", { level: 1 }).innerText()).split(" ")[0]), `opened ${chosen}`);

  await tabTo(page, "回复提单人", 80);
  await page.keyboard.press("ArrowDown");
  assert.equal(await page.getByRole("radio", { name: "内部备注" }).isChecked(), true, "the arrow key chose a note");
  await page.keyboard.press("ArrowUp");
  await tabTo(page, "您的回复（提单人可见）");
  await page.keyboard.type("我们已收到，正在处理。");
  await tabTo(page, "发送回复");
  await page.keyboard.press("Enter");
  await page.getByText("回复已发送。").waitFor();
  await page.getByRole("listitem").filter({ hasText: "我们已收到，正在处理。" }).waitFor();
  await context.close();
});
