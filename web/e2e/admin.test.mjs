// The administrators' screens (issue "Web UI" §5; ONB-11, DESK-2, DESK-3, OPS-2): an administrator
// working in Chinese takes a new customer organisation from nothing to a working catalog — the
// organisation, a person in it, an entitlement to a service — and the person signs in and sees
// that service; a team, a business calendar and an SLA policy are created and edited, each
// form refusing what is wrong beside the field (in the browser first, then the server's own
// problems); the audit log lists what was done. axe-core on every admin page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { accessibilityViolations, password, screenshot, signedIn, useTandem } from "./harness.mjs";

const shared = useTandem();
const CATALOG_EMPTY = "目录中暂时没有向您开放的项目。请联系贵组织在服务商处的联系人。";

// The problem shown with a field once the form was refused (the answer arrives after the click).
async function problemOf(page, field) {
  await field.and(page.locator('[aria-invalid="true"]')).waitFor();
  const problem = page.locator("#" + (await field.getAttribute("aria-describedby")));
  await problem.waitFor();
  return problem;
}

async function openAdmin(page, name) {
  await page.getByRole("navigation", { name: "系统管理" }).getByRole("link", { name, exact: true }).click();
  await page.getByRole("heading", { name, level: 1 }).waitFor();
}

test("an administrator sets up a customer, its people and the desk's rules", async () => {
  const admin = await signedIn(shared, "admin@campus-mobility.example", "zh-CN");
  const p = admin.page;
  // The administrator's profile says English; they switch to Chinese here.
  await p.getByLabel("Language").selectOption("zh-CN");
  await p.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "系统管理" }).click();
  await p.getByRole("heading", { name: "系统管理", level: 1 }).waitFor();
  assert.deepEqual(await accessibilityViolations(p), []);

  // A customer organisation, from nothing.
  await openAdmin(p, "组织");
  await p.getByRole("button", { name: "新建组织" }).click();
  let dialog = p.getByRole("dialog");
  await dialog.getByRole("button", { name: "创建" }).click();
  await dialog.getByText("此项必填。").waitFor();
  assert.equal(await dialog.getByLabel(/^名称/).getAttribute("aria-invalid"), "true");
  await dialog.getByLabel(/^名称/).fill("Harbour College 海港学院");
  await dialog.getByRole("button", { name: "创建" }).click();
  await p.getByRole("status").filter({ hasText: "已创建 Harbour College 海港学院。" }).waitFor();
  await p.getByRole("rowheader", { name: "Harbour College 海港学院" }).waitFor();
  assert.deepEqual(await accessibilityViolations(p), []);

  // A person in it: the server's own refusal (an e-mail address it cannot take) shows beside
  // the field in Chinese, and nothing is created until it is right.
  await openAdmin(p, "人员");
  await p.getByRole("button", { name: "新建人员" }).click();
  dialog = p.getByRole("dialog");
  await dialog.getByLabel(/^名称/).fill("Wang Fang 王芳");
  await dialog.getByLabel(/^电子邮箱/).fill("not an address");
  await dialog.getByLabel(/^组织/).selectOption({ label: "Harbour College 海港学院" });
  await dialog.getByRole("group", { name: "角色" }).getByLabel("用户", { exact: true }).check();
  await dialog.getByLabel(/^初始密码/).fill(password);
  await dialog.getByRole("button", { name: "创建" }).click();
  const emailProblem = await problemOf(p, dialog.getByLabel(/^电子邮箱/));
  assert.equal((await emailProblem.innerText()).trim(), "必须是电子邮件地址", "the server's problem, in the administrator's language");
  assert.deepEqual(await accessibilityViolations(p), []);
  await screenshot(p, "admin-user-dialog-zh");
  await dialog.getByLabel(/^电子邮箱/).fill("wang.fang@harbour.example");
  await dialog.getByRole("button", { name: "创建" }).click();
  await p.getByRole("status").filter({ hasText: "已创建 Wang Fang 王芳。" }).waitFor();
  const person = p.getByRole("row").filter({ hasText: "wang.fang@harbour.example" });
  assert.match(await person.innerText(), /Harbour College 海港学院/);

  // Before the entitlement the new person's catalog is empty; after it, 信息技术服务 (IT services) is there.
  const member = await signedIn(shared, "wang.fang@harbour.example", "zh-CN", "/catalog");
  await member.page.getByText(CATALOG_EMPTY).waitFor();
  assert.equal(await member.page.getByRole("heading", { name: "信息技术服务" }).count(), 0);
  await openAdmin(p, "使用权限");
  await p.getByRole("button", { name: "新建使用权限" }).click();
  dialog = p.getByRole("dialog");
  await dialog.getByLabel(/^组织/).selectOption({ label: "Harbour College 海港学院" });
  await dialog.getByLabel(/^服务/).selectOption({ label: "信息技术服务" });
  await dialog.getByRole("button", { name: "创建" }).click();
  await p.getByRole("row").filter({ hasText: "Harbour College 海港学院" }).filter({ hasText: "信息技术服务" }).waitFor();
  assert.deepEqual(await accessibilityViolations(p), []);
  await member.page.reload();
  await member.page.getByRole("heading", { name: "信息技术服务" }).waitFor();
  await member.context.close();

  // A team with a member; then the team is edited on the version read.
  await openAdmin(p, "团队");
  await p.getByRole("button", { name: "新建团队" }).click();
  dialog = p.getByRole("dialog");
  await dialog.getByLabel(/^名称/).fill("Night shift 夜班");
  await dialog.getByRole("group", { name: "成员" }).getByLabel(/李娜/).check();
  await dialog.getByRole("group", { name: "语言" }).getByLabel("简体中文").check();
  await dialog.getByRole("button", { name: "创建" }).click();
  const team = p.getByRole("row").filter({ hasText: "Night shift 夜班" });
  await team.waitFor();
  assert.match(await team.innerText(), /李娜/);
  await team.getByRole("button", { name: "编辑 Night shift 夜班" }).click();
  dialog = p.getByRole("dialog");
  await dialog.getByLabel(/^技能/).fill("夜间故障, charging");
  // Meanwhile another administrator saves the team first: this save is refused, the dialog
  // shows their version, and nothing of theirs is lost when it is made again on it.
  const other = await signedIn(shared, "admin@campus-mobility.example", "zh-CN", "/admin/teams");
  const theirs = other.page.getByRole("row").filter({ hasText: "Night shift 夜班" });
  await theirs.getByRole("button", { name: "编辑 Night shift 夜班" }).click();
  await other.page.getByRole("dialog").getByLabel(/^说明/).fill("Weekdays 18:00–22:00");
  await other.page.getByRole("dialog").getByRole("button", { name: "保存" }).click();
  await other.page.getByRole("status").filter({ hasText: "已保存 Night shift 夜班。" }).waitFor();
  await other.context.close();
  await dialog.getByRole("button", { name: "保存" }).click();
  await dialog.getByText("在您编辑期间，有人修改了这条记录。表单现已显示其修改后的内容：请重新修改后保存。").waitFor();
  assert.equal(await dialog.getByLabel(/^说明/).inputValue(), "Weekdays 18:00–22:00");
  await dialog.getByLabel(/^技能/).fill("夜间故障、charging");
  await dialog.getByRole("button", { name: "保存" }).click();
  await p.getByRole("status").filter({ hasText: "已保存 Night shift 夜班。" }).waitFor();
  await team.filter({ hasText: "夜间故障, charging" }).waitFor();

  // A calendar: hours written wrongly are refused in the browser, then taken.
  await openAdmin(p, "工作日历");
  await p.getByRole("button", { name: "新建工作日历" }).click();
  dialog = p.getByRole("dialog");
  await dialog.getByLabel(/^名称/).fill("Evenings 晚间");
  await dialog.getByLabel(/^时区/).fill("Asia/Shanghai");
  await dialog.getByLabel("星期一").fill("18 to 22");
  await dialog.getByRole("button", { name: "创建" }).click();
  await dialog.getByText("请按 09:00-12:00, 13:00-18:00 的格式填写，或留空表示当天不上班。").waitFor();
  await dialog.getByLabel("星期一").fill("18:00-22:00");
  await dialog.getByLabel("星期二").fill("18:00-22:00");
  await dialog.getByLabel(/^节假日/).fill("2027-01-01");
  await dialog.getByRole("button", { name: "创建" }).click();
  const calendar = p.getByRole("row").filter({ hasText: "Evenings 晚间" });
  await calendar.waitFor();
  assert.match(await calendar.innerText(), /星期一 18:00-22:00; 星期二 18:00-22:00/);
  assert.deepEqual(await accessibilityViolations(p), []);

  // An SLA policy on that calendar: the server names a wrong condition beside the field.
  await openAdmin(p, "SLA 策略");
  await p.getByRole("button", { name: "新建SLA 策略" }).click();
  dialog = p.getByRole("dialog");
  await dialog.getByLabel(/^名称/).fill("Evening complaints 晚间投诉");
  await dialog.getByLabel(/^顺序/).fill("5");
  await dialog.getByLabel(/^工作日历/).selectOption({ label: "Evenings 晚间" });
  await dialog.getByLabel("首次响应").fill("30");
  await dialog.getByLabel(/^条件/).fill('{"colour": ["red"]}');
  await dialog.getByRole("button", { name: "创建" }).click();
  const conditionsProblem = await problemOf(p, dialog.getByLabel(/^条件/));
  assert.match(await conditionsProblem.innerText(), /colour/);
  await dialog.getByLabel(/^条件/).fill('{"type": ["complaint"]}');
  await dialog.getByRole("button", { name: "创建" }).click();
  const policy = p.getByRole("row").filter({ hasText: "Evening complaints 晚间投诉" });
  await policy.waitFor();
  assert.match(await policy.innerText(), /首次响应 30 分钟/);
  assert.match(await policy.innerText(), /Evenings 晚间/);

  // A request type's form: a wrong part of it is named beside the form; the right one is kept.
  await openAdmin(p, "服务");
  await p.getByRole("rowheader").first().waitFor();
  assert.deepEqual(await accessibilityViolations(p), []);
  await openAdmin(p, "请求类型与表单");
  const card = p.getByRole("row").filter({ has: p.getByRole("rowheader", { name: "充电卡" }) });
  await card.getByRole("button", { name: "编辑 充电卡" }).click();
  dialog = p.getByRole("dialog");
  assert.equal(await dialog.getByLabel("English").first().inputValue(), "Charging card");
  const form = dialog.getByLabel(/^表单/);
  await form.fill('{"fields": [{"key": "card_number", "type": "colour", "label": {"en": "Card number", "zh-CN": "卡号"}}]}');
  await dialog.getByRole("button", { name: "保存" }).click();
  const formProblem = await problemOf(p, form);
  assert.match(await formProblem.innerText(), /form\.fields\[0\]\.type/);
  await screenshot(p, "admin-request-type-dialog-zh");
  await form.fill('{"fields": [{"key": "card_number", "type": "text", "label": {"en": "Card number", "zh-CN": "卡号"}}]}');
  await dialog.getByRole("button", { name: "保存" }).click();
  await p.getByRole("status").filter({ hasText: "已保存 充电卡。" }).waitFor();
  await card.getByRole("cell", { name: "1", exact: true }).waitFor(); // one form field now
  assert.deepEqual(await accessibilityViolations(p), []);
  await screenshot(p, "admin-request-types-zh");

  // An onboarding template (ONB-1): actions that wait for each other in a circle are refused,
  // the circle named beside the actions in Chinese; the template is kept once they do not.
  await openAdmin(p, "入驻模板");
  await p.getByRole("button", { name: "新建入驻模板" }).click();
  dialog = p.getByRole("dialog");
  await dialog.getByLabel("English").fill("New member");
  await dialog.getByLabel("简体中文").fill("新会员入驻");
  const step = (key, after) =>
    `{"key": "${key}", "title": {"zh-CN": "${key}"}, "dimension": "organizations_people", "performed_by": "consumer", "owner_role": "customer", "due_offset_days": 2, "depends_on": ["${after}"]}`;
  const actions = dialog.getByLabel(/^行动/);
  await actions.fill(`[${step("sign", "pay")}, ${step("pay", "sign")}]`);
  await dialog.getByRole("button", { name: "创建" }).click();
  assert.equal((await (await problemOf(p, actions)).innerText()).trim(), "这些行动相互循环等待，永远无法开始：sign → pay → sign");
  await actions.fill(`[${step("sign", "pay").replace('["pay"]', "[]")}, ${step("pay", "sign")}]`);
  await dialog.getByRole("button", { name: "创建" }).click();
  const onboarding = p.getByRole("row").filter({ hasText: "新会员入驻" });
  await onboarding.waitFor();
  await onboarding.getByRole("cell", { name: "项目", exact: true }).waitFor();
  assert.deepEqual(await accessibilityViolations(p), []);

  // The audit log holds what was done, and is filtered by action.
  await openAdmin(p, "审计日志");
  await p.getByLabel("操作", { exact: true }).fill("team.create");
  await p.getByRole("button", { name: "查看" }).click();
  const created = p.getByRole("row").filter({ hasText: "team.create" });
  await created.first().waitFor();
  assert.equal(await p.getByRole("row").filter({ hasText: "organization.create" }).count(), 0);
  assert.match(await created.first().innerText(), /Administrator/);
  assert.deepEqual(await accessibilityViolations(p), []);
  await screenshot(p, "admin-audit-zh");
  await admin.context.close();
});
