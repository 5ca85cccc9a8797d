// Enablement requirements in a real browser (issue 8; ONB-8, ONB-9): a trip type of the car-share
// club needs an international driving permit, a trip briefing and its terms, which the administrator
// publishes. The member reads in the catalog what is missing, gives evidence from "my
// requirements"; the desk rejects it with a reason she reads, then approves the next; she fails
// the quiz, then passes it; she accepts the terms; the trip can be requested. Both languages.
import { test } from "node:test";
import assert from "node:assert/strict";
import { accessibilityViolations, password, screenshot, signedIn, useTandem } from "./harness.mjs";

const shared = useTandem();

// The administrator's setup through the API: the requirement, a service with a request type and
// the rule that gives it to the club with the requirement.
async function gatedTrip() {
  const admin = await shared.browser.newContext();
  const login = await admin.request.post(shared.tandem.base + "/api/v1/auth/login", {
    data: { email: "admin@campus-mobility.example", password },
  });
  const csrf = (await login.json()).csrf_token;
  const post = async (path, data) => {
    const r = await admin.request.post(shared.tandem.base + path, { data, headers: { "X-CSRF-Token": csrf } });
    assert.equal(r.status(), 201, `${path}: ${await r.text()}`);
    return r.json();
  };
  const get = async (path) => (await admin.request.get(shared.tandem.base + path)).json();
  const club = (await get("/api/v1/organizations?limit=100")).items.find((o) => o.name.startsWith("Greenway"));
  // A service of its own: the club's rule for all of car sharing would let the trip through.
  const trips = await post("/api/v1/services", { name: { en: "Long-distance trips", "zh-CN": "长途出行" } });
  const licence = await post("/api/v1/requirements", {
    kind: "licence",
    category: "IDP",
    validity_days: 365,
    name: { en: "International driving permit", "zh-CN": "国际驾照" },
  });
  const trip = await post("/api/v1/request-types", {
    service_id: trips.id,
    name: { en: "Long-distance trip", "zh-CN": "长途用车" },
  });
  const video = await post("/api/v1/trainings", {
    title: { en: "Trip briefing and quiz", "zh-CN": "长途出行须知与测验" },
    content: [{ kind: "video", url: "https://media.example.org/safety.mp4" }],
    questions: [
      { text: { en: "May you drive after drinking?", "zh-CN": "酒后可以驾驶吗？" }, choices: [{ en: "Yes", "zh-CN": "可以" }, { en: "No", "zh-CN": "不可以" }], answer: 1 },
    ],
    pass_mark: 1,
  });
  const safety = await post("/api/v1/requirements", { kind: "training", training_id: video.id, name: { en: "Trip briefing", "zh-CN": "长途出行培训" } });
  await post("/api/v1/entitlements", { request_type_id: trip.id, organization_id: club.id, requirement_ids: [licence.id, safety.id] });
  await post("/api/v1/terms", {
    service_id: trips.id,
    title: { en: "Trip terms", "zh-CN": "长途用车条款" },
    text: { en: "Return the car within the booked time.", "zh-CN": "请在预订时间内还车。" },
  });
  await admin.close();
}

test("a member meets the licence, training and terms a trip needs: evidence rejected with a reason, then approved", async () => {
  await gatedTrip();
  // The administrator publishes the terms from the admin pages.
  const admin = await signedIn(shared, "admin@campus-mobility.example", "en-GB", "/admin/terms");
  await admin.page.getByRole("button", { name: "Publish version 1: Trip terms" }).click();
  await admin.page.getByText("Published: Trip terms.", { exact: false }).waitFor();
  await admin.page.getByRole("button", { name: "Publish version 1: Trip terms" }).waitFor({ state: "detached" });
  await admin.context.close();

  const member = await signedIn(shared, "chen.jing@greenway-club.example", "zh-CN");
  const m = member.page;
  const trip = m.getByRole("listitem").filter({ has: m.getByRole("heading", { name: "长途用车" }) });
  await trip.getByText("需要满足资格要求“国际驾照”").waitFor();
  assert.equal(await trip.getByRole("link", { name: "申请" }).count(), 0, "nothing to request while the permit is missing");

  await m.getByRole("navigation", { name: /^(Main|主导航)$/ }).getByRole("link", { name: "我的资格" }).click();
  await m.getByRole("heading", { name: "我的资格", level: 1 }).waitFor();
  const licence = m.getByRole("region", { name: "国际驾照 (IDP)" });
  await licence.getByText("尚未提交").waitFor();
  await licence.getByRole("button", { name: "提交证明" }).click();
  await licence.getByText("请描述您的证明，或选择一个文件。").waitFor();
  await licence.getByLabel(/^您的证明/).fill("国际驾照照片已发到车队邮箱");
  assert.deepEqual(await accessibilityViolations(m), []);
  await licence.getByRole("button", { name: "提交证明" }).click();
  await m.getByRole("status").filter({ hasText: "您关于“国际驾照”的证明已提交" }).waitFor();
  await licence.getByText("审核中").waitFor();
  await screenshot(m, "requirements-pending-zh-CN");

  const agent = await signedIn(shared, "tom.baker@campus-mobility.example", "en-GB");
  const a = agent.page;
  await a.getByRole("navigation", { name: /^(Main|主导航)$/ }).getByRole("link", { name: "Evidence" }).click();
  const waiting = a.getByRole("region", { name: "International driving permit" });
  await waiting.getByText("国际驾照照片已发到车队邮箱").waitFor();
  await waiting.getByRole("button", { name: "Reject" }).click();
  await waiting.getByText("Give a reason: the person reads it.").waitFor();
  await waiting.getByLabel("Reason (the person reads it)").fill("照片模糊，请重新拍摄 / the photo is blurred");
  assert.deepEqual(await accessibilityViolations(a), []);
  await screenshot(a, "evidence-en");
  await waiting.getByRole("button", { name: "Reject" }).click();
  await a.getByRole("status").filter({ hasText: "Rejected: International driving permit." }).waitFor();
  await a.getByText("No evidence waits for a decision.").waitFor();

  await m.reload();
  await licence.getByText("未通过：照片模糊，请重新拍摄 / the photo is blurred").waitFor();
  // This time a photo as a file, with a note; the desk opens the file from its queue.
  await licence.getByLabel(/^您的证明/).fill("新照片");
  const photo = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from("permit pixels")]);
  await licence.getByLabel(/^文件（可选）/).setInputFiles({ name: "国际驾照.png", mimeType: "image/png", buffer: photo });
  await licence.getByRole("button", { name: "提交证明" }).click();
  await licence.getByText("审核中").waitFor();

  await a.reload();
  const link = waiting.getByRole("link", { name: /^Open the file given: 国际驾照\.png \(/ });
  await link.waitFor();
  const fetched = await a.request.get(shared.tandem.base + (await link.getAttribute("href")));
  assert.equal(fetched.status(), 200);
  assert.deepEqual(Buffer.from(await fetched.body()), photo);
  assert.match(fetched.headers()["content-disposition"], /^attachment/);
  assert.deepEqual(await accessibilityViolations(a), []);
  await waiting.getByLabel("Reason (the person reads it)").fill("Clear and valid");
  await waiting.getByRole("button", { name: "Approve" }).click();
  await a.getByRole("status").filter({ hasText: "Approved: International driving permit." }).waitFor();
  await agent.context.close();

  await m.reload();
  await licence.getByText("已满足").waitFor();

  // The training: a wrong answer does not pass, the right one does; the server scores both.
  const safety = m.getByRole("region", { name: "长途出行培训" });
  await safety.getByRole("link", { name: "参加培训" }).click();
  await m.getByRole("heading", { name: "长途出行须知与测验", level: 1 }).waitFor();
  await m.getByRole("button", { name: "提交答案" }).click();
  await m.getByRole("alert").filter({ hasText: "请先回答第 1 题。" }).waitFor();
  await m.getByRole("radio", { name: "可以", exact: true }).check();
  assert.deepEqual(await accessibilityViolations(m), []);
  await m.getByRole("button", { name: "提交答案" }).click();
  await m.getByRole("status").filter({ hasText: "未通过：答对 0 / 1 题" }).waitFor();
  await m.getByRole("radio", { name: "不可以" }).check();
  await m.getByRole("button", { name: "提交答案" }).click();
  await m.getByRole("status").filter({ hasText: "已通过：答对 1 / 1 题" }).waitFor();
  await screenshot(m, "training-passed-zh-CN");
  await m.getByRole("link", { name: "我的资格" }).first().click();
  await safety.getByText("已满足").waitFor();
  await m.getByRole("navigation", { name: /^(Main|主导航)$/ }).getByRole("link", { name: "服务目录" }).click();
  await trip.waitFor();
  assert.equal(await trip.getByText("需要满足资格要求“国际驾照”").count(), 0, "the permit is no longer missing");
  // Only the terms are left: read and accepted from the catalog's own link.
  assert.equal(await trip.getByRole("link", { name: "申请" }).count(), 0, "nor while the terms wait");
  await trip.getByRole("link", { name: "需要接受“长途用车条款”" }).click();
  await m.getByRole("heading", { name: "长途用车条款", level: 1 }).waitFor();
  await m.getByText("请在预订时间内还车。").waitFor();
  assert.deepEqual(await accessibilityViolations(m), []);
  await m.getByRole("button", { name: "我接受这些条款" }).click();
  await m.getByRole("status").filter({ hasText: "您已接受第 1 版" }).waitFor();
  await m.getByRole("link", { name: "服务目录" }).first().click();
  await trip.getByRole("link", { name: "申请" }).waitFor();
  await member.context.close();
});
