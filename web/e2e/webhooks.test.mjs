// OPS-3, REL-5 (admin): an administrator subscribes a receiver — here an HTTP server of the test
// on loopback, which the webhook is allowed to reach — to new tickets, keeps the secret shown
// once, and sees a member's new ticket arrive signed with it; a receiver that fails shows in the
// delivery log with its answer (giving up and "Send again" take hours of back-off: the API tests
// step through them on a manual clock). The same page in Chinese. axe-core on each view.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import { accessibilityViolations, apiAs, screenshot, signedIn, useTandem } from "./harness.mjs";

const shared = useTandem();

// What the receiver got, and the status it answers with next.
const received = [];
let answer = 200;
const receiver = createServer((req, res) => {
  let body = "";
  req.on("data", (chunk) => (body += chunk));
  req.on("end", () => {
    received.push({ headers: req.headers, body });
    res.writeHead(answer, { "Content-Type": "text/plain" }).end("ok");
  });
});
await new Promise((done) => receiver.listen(0, "127.0.0.1", done));
const receiverUrl = `http://127.0.0.1:${receiver.address().port}/sms`;
after(() => receiver.close());

async function until(what, check) {
  for (let i = 0; i < 100; ++i) {
    const value = check();
    if (value) return value;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`waited 10 s for ${what}`);
}

test("an administrator subscribes a gateway to new tickets and reads what was sent", async () => {
  const { page: p } = await signedIn(shared, "admin@campus-mobility.example", "en-GB", "/admin/webhooks");
  await p.getByRole("heading", { name: "Webhooks", level: 1 }).waitFor();
  await p.getByText("No webhooks yet.").waitFor();
  const form = p.getByRole("form", { name: "Add webhook" });
  await form.getByLabel("Name").fill("SMS gateway 短信网关");
  await form.getByLabel("Receiver's address").fill("http://127.0.0.1:9/refused");
  await form.getByRole("button", { name: "Add webhook" }).click();
  await p.getByRole("status").filter({ hasText: /url: points into the local network/ }).waitFor();

  await form.getByLabel("Receiver's address").fill(receiverUrl);
  await form.getByLabel("May reach the local network").check();
  await form.getByLabel("Ticket changed").check();
  await form.getByRole("button", { name: "Add webhook" }).click();
  const shown = p.getByRole("region", { name: /The secret of “SMS gateway 短信网关”/ });
  await shown.waitFor();
  const secret = await shown.getByLabel("Secret").inputValue();
  assert.ok(secret.length >= 32);
  await p.getByRole("rowheader", { name: "SMS gateway 短信网关" }).waitFor();
  assert.deepEqual(await accessibilityViolations(p), []);
  await screenshot(p, "webhooks-secret-en");

  // A member's new ticket reaches the receiver within seconds, signed with that secret.
  const zhang = await apiAs(shared, "zhang.wei@university.example");
  const ticket = await zhang.post("/api/v1/tickets", { type: "incident", subject: "Car 3 will not start WEBHOOKE2E", description: "Dead battery?" });
  const got = await until("the new ticket's post", () => received.find((r) => r.body.includes("WEBHOOKE2E")));
  assert.equal(got.headers["tandem-event"], "ticket.created");
  const stamp = got.headers["tandem-timestamp"];
  assert.equal(got.headers["tandem-signature"], "sha256=" + createHmac("sha256", secret).update(`${stamp}.${got.body}`).digest("hex"));
  assert.equal(JSON.parse(got.body).data.ticket.id, ticket.id);

  // A receiver that fails: the log says what it answered; mended, a test goes through.
  answer = 503;
  await p.getByRole("button", { name: "Send a test to SMS gateway 短信网关" }).click();
  await p.getByRole("status").filter({ hasText: "A test event for “SMS gateway 短信网关” is on its way" }).waitFor();
  await until("the failing test", () => received.find((r) => r.headers["tandem-event"] === "webhook.ping"));
  await p.getByRole("button", { name: "Deliveries of SMS gateway 短信网关" }).click();
  const log = p.getByRole("region", { name: "Deliveries — SMS gateway 短信网关" });
  await log.getByRole("heading", { name: "Deliveries — SMS gateway 短信网关" }).waitFor();
  assert.equal(await p.evaluate(() => document.activeElement?.id), "webhook-log-title", "the reader is taken to the log");
  await log.getByRole("cell", { name: /Delivered \(200\)/ }).first().waitFor();
  for (let i = 0; i < 50 && !(await log.getByText(/the receiver answered 503/).count()); ++i) {
    await log.getByRole("button", { name: "Read again" }).click();
    await new Promise((done) => setTimeout(done, 200));
  }
  await log.getByText(/the receiver answered 503/).waitFor();
  assert.deepEqual(await accessibilityViolations(p), []);
  await screenshot(p, "webhooks-log-en");

  await p.getByRole("button", { name: "Switch off SMS gateway 短信网关" }).click();
  await p.getByRole("status").filter({ hasText: "“SMS gateway 短信网关” is off" }).waitFor();
});

test("the webhooks page in Chinese", async () => {
  const { page: p } = await signedIn(shared, "admin@campus-mobility.example", "zh-CN", "/admin/webhooks");
  await p.getByLabel(/^(Language|语言)/).selectOption("zh-CN");
  await p.getByRole("heading", { name: "Webhook", level: 1 }).waitFor();
  const form = p.getByRole("form", { name: "添加 Webhook" });
  await form.getByLabel("名称").fill("推送网关");
  await form.getByLabel("接收方地址").fill("https://push.example/hooks");
  await form.getByLabel("共享资源将晚归还").check();
  await form.getByLabel("哪些组织的事件").selectOption({ label: "Riverside University 河畔大学 — Car-share Club" });
  await form.getByRole("button", { name: "添加 Webhook" }).click();
  await p.getByRole("region", { name: /“推送网关”的密钥/ }).waitFor();
  await p.getByRole("rowheader", { name: "推送网关" }).waitFor();
  assert.deepEqual(await accessibilityViolations(p), []);
  await screenshot(p, "webhooks-zh");
});
