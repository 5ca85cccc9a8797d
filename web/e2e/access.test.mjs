// An access review in a real browser (issue 8; ONB-12): the university's fleet office reviews
// every grant its people hold (a catalog rule named by its service), confirms one, and revokes a
// representative's account — whose open browser is signed out at its next step.
import { test } from "node:test";
import assert from "node:assert/strict";
import { accessibilityViolations, screenshot, signedIn, useTandem } from "./harness.mjs";

const shared = useTandem();

test("the fleet office confirms one grant and revokes an account, which ends at once", async () => {
  const liu = await signedIn(shared, "liu.yang@university.example", "zh-CN");
  const office = await signedIn(shared, "fleet.office@university.example", "zh-CN");
  const o = office.page;
  await o.getByRole("navigation", { name: /^(Main|主导航)$/ }).getByRole("link", { name: "权限审查" }).click();
  await o.getByRole("heading", { name: "权限审查", level: 1 }).waitFor();
  await o.getByRole("button", { name: "立即开始审查" }).click();
  await o.getByRole("heading", { name: "权限审查", level: 1 }).waitFor();
  const zhang = o.getByRole("row").filter({ has: o.getByRole("rowheader", { name: /^张伟 <zhang\.wei@university\.example> 的账号$/ }) });
  await zhang.getByRole("button", { name: "确认" }).click();
  await o.getByRole("status").filter({ hasText: "已确认：张伟" }).waitFor();
  await zhang.getByText("已确认").waitFor();
  // A catalog rule is named by what it opens, in the reader's language.
  await o.getByRole("rowheader", { name: "本组织可在服务目录中申请“信息技术服务”" }).waitFor();
  assert.deepEqual(await accessibilityViolations(o), []);

  const account = o.getByRole("row").filter({ has: o.getByRole("rowheader", { name: /^刘洋 <liu\.yang@university\.example> 的账号$/ }) });
  await account.getByRole("button", { name: "撤销" }).click();
  const dialog = o.getByRole("dialog");
  await dialog.getByText("撤销立即生效").waitFor();
  await screenshot(o, "access-review-revoke-zh-CN");
  await dialog.getByRole("button", { name: "撤销" }).click();
  await o.getByRole("status").filter({ hasText: "已撤销：刘洋" }).waitFor();
  await account.getByText("已撤销").waitFor();
  assert.equal(await account.getByRole("button").count(), 0, "a revocation is final here");

  // The representative's open browser: the next step finds the session gone.
  await liu.page.getByRole("navigation").getByRole("link", { name: "我的工单" }).click();
  await liu.page.getByRole("button", { name: /^(登录|Sign in)$/ }).waitFor();
  await liu.context.close();
  await office.context.close();
});
