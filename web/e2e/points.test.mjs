// FDB-3: 张伟 picks up the club's car after Emma and rates how he found it (in Chinese); Emma's
// points show the credit; an administrator draws a prize among the club's people with points,
// and Emma reads the published seed and the winners. axe-core on each screen.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { accessibilityViolations, apiAs, screenshot, signedIn, useTandem } from "./harness.mjs";

const shared = useTandem();
const UNIVERSITY = "Riverside University 河畔大学 — Car-share Club";

test("the next driver's rating credits the one before, and a prize draw is published with its seed", async () => {
  const admin = await apiAs(shared, "admin@campus-mobility.example");
  const orgs = await admin.get("/api/v1/organizations?limit=100");
  const club = orgs.items.find((o) => o.name === UNIVERSITY);
  assert.ok(club, "the demo's club");
  const car = await admin.post("/api/v1/resources", { organization_id: club.id, name: "Points car 积分车", kind: "car", location: "East gate" });

  // Emma drives first and brings it back; 张伟 takes it next (both may pick up early).
  const emma = await apiAs(shared, "emma.wilson@university.example");
  const zhang = await apiAs(shared, "zhang.wei@university.example");
  const now = Date.now();
  const hers = await emma.post(`/api/v1/resources/${car.id}/bookings`, {
    starts_at: new Date(now + 2 * 60_000).toISOString(),
    ends_at: new Date(now + 30 * 60_000).toISOString(),
  });
  await emma.post(`/api/v1/bookings/${hers.id}/pickup`, {});
  await emma.post(`/api/v1/bookings/${hers.id}/return`, {});
  const his = await zhang.post(`/api/v1/resources/${car.id}/bookings`, {
    starts_at: new Date(now + 3 * 60_000).toISOString(),
    ends_at: new Date(now + 90 * 60_000).toISOString(),
  });
  await zhang.post(`/api/v1/bookings/${his.id}/pickup`, {});
  const before = (await emma.get("/api/v1/points")).total;

  const { page: z } = await signedIn(shared, "zhang.wei@university.example", "zh-CN", "/bookings");
  await z.getByLabel(/^(Language|语言)/).selectOption("zh-CN");
  const form = z.getByRole("form", { name: "您取到的Points car 积分车状况如何？" });
  await form.getByRole("button", { name: "提交" }).click();
  await form.getByRole("alert").filter({ hasText: "请先选择车况。" }).waitFor();
  await form.getByLabel("5 分 — 非常干净，随时可用").check();
  await form.getByLabel("您发现了什么？（可不填）").fill("很干净");
  await form.getByRole("button", { name: "提交" }).click();
  await form.getByRole("status").filter({ hasText: "谢谢！上一位成员会因此得到加分（或扣分）。" }).waitFor();
  assert.deepEqual(await accessibilityViolations(z), []);
  await screenshot(z, "condition-rating-zh");
  assert.equal((await emma.get("/api/v1/points")).total, before + 5, "Emma, who returned it, is credited");

  // A draw over the points earned up to now, set up and drawn.
  const draw = await admin.post("/api/v1/draws", {
    organization_id: club.id,
    name: "Clean car draw POINTSE2E",
    prize: "A free weekend with the car",
    winners: 1,
    period_from: new Date(now - 3600_000).toISOString(),
    period_to: new Date().toISOString(),
    min_points: 5,
  });
  assert.equal(draw.seed, null, "secret before the draw");
  const { page: a } = await signedIn(shared, "admin@campus-mobility.example", "en-GB", "/points");
  await a.getByLabel(/^(Language|语言)/).selectOption("en");
  await a.getByRole("heading", { name: "Set up a prize draw" }).waitFor();
  assert.deepEqual(await accessibilityViolations(a), []);
  await a.getByRole("button", { name: "Draw now: “Clean car draw POINTSE2E”" }).click();
  await a.getByRole("status").filter({ hasText: /^“Clean car draw POINTSE2E” is drawn\. Winners: / }).waitFor();
  assert.deepEqual(await accessibilityViolations(a), []);
  await screenshot(a, "draw-drawn-en");

  // Points by hand, with the reason Emma reads.
  const award = a.getByRole("form", { name: "Award points" });
  await award.getByLabel("Organisation").selectOption({ label: UNIVERSITY });
  await award.getByLabel("Person", { exact: true }).selectOption({ label: "Emma Wilson" });
  await award.getByRole("button", { name: "Award" }).click();
  await award.getByText("is required: 1–200 characters, what the points are for").waitFor();
  await award.getByLabel("Points", { exact: true }).fill("10");
  await award.getByLabel("What for (the person reads it)").fill("Cleaned the car park");
  await award.getByRole("button", { name: "Award" }).click();
  await a.getByRole("status").filter({ hasText: "10 points for Emma Wilson." }).waitFor();
  assert.deepEqual(await accessibilityViolations(a), []);

  const { page: e } = await signedIn(shared, "emma.wilson@university.example", "en-GB", "/points");
  await e.getByLabel(/^(Language|语言)/).selectOption("en");
  await e.getByRole("heading", { name: "Your points" }).waitFor();
  await e.getByText("the next driver found it as it should be").first().waitFor();
  await e.getByText("awarded by staff").first().waitFor();
  const card = e.getByRole("listitem").filter({ hasText: "Clean car draw POINTSE2E" });
  await card.getByText("Seed", { exact: true }).waitFor();
  const drawn = await emma.get(`/api/v1/draws/${draw.id}`);
  assert.equal(createHash("sha256").update(drawn.seed).digest("hex"), draw.seed_sha256, "the seed published is the one committed to");
  assert.ok(drawn.entrants.some((x) => x.user_id === drawn.winner_list[0].user_id));
  assert.deepEqual(await accessibilityViolations(e), []);
  await screenshot(e, "points-en");
});
