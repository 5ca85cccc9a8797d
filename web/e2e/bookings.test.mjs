// REL-5 (the car-share story): an administrator adds two cars for the university's club; 张伟
// books one on the Bookings page after Emma; Emma takes it and says she will be an hour late;
// 张伟 is told — on his bookings and in his notifications, with the other car free for his time.
// The same pages in Chinese; axe-core on each.
import { test } from "node:test";
import assert from "node:assert/strict";
import { accessibilityViolations, apiAs as apiAsPerson, screenshot, signedIn, useTandem } from "./harness.mjs";

const shared = useTandem();
const UNIVERSITY = "Riverside University 河畔大学 — Car-share Club";

const apiAs = (email) => apiAsPerson(shared, email);

// <input type="datetime-local"> in the page's (UTC, headless) time.
const local = (d) => d.toISOString().slice(0, 16);

test("the next driver hears that the car will be late, with another car free", async () => {
  const admin = await signedIn(shared, "admin@campus-mobility.example", "en-GB", "/admin/resources");
  const a = admin.page;
  await a.getByLabel(/^(Language|语言)/).selectOption("en");
  await a.getByRole("heading", { name: "Shared resources", level: 1 }).waitFor();
  for (const [name, where] of [
    ["Campus car 1 校园车1", "North gate"],
    ["Campus car 2 校园车2", "Library"],
  ]) {
    await a.getByRole("button", { name: "New resource" }).click();
    const dialog = a.getByRole("dialog");
    await dialog.getByLabel(/^Organisation/).selectOption({ label: UNIVERSITY });
    await dialog.getByLabel(/^Name/).fill(name);
    await dialog.getByLabel(/^Kind/).fill("car");
    await dialog.getByLabel(/^Where it is kept/).fill(where);
    await dialog.getByRole("button", { name: "Create" }).click();
    await a.getByRole("rowheader", { name }).waitFor();
  }
  assert.deepEqual(await accessibilityViolations(a), []);

  const emma = await apiAs("emma.wilson@university.example");
  const car = (await emma.get("/api/v1/resources")).items.find((r) => r.name === "Campus car 1 校园车1");
  const now = Date.now();
  const hers = await emma.post(`/api/v1/resources/${car.id}/bookings`, {
    starts_at: new Date(now).toISOString(),
    ends_at: new Date(now + 40 * 60_000).toISOString(),
  });

  const { page: p } = await signedIn(shared, "zhang.wei@university.example", "en-GB", "/bookings");
  await p.getByLabel(/^(Language|语言)/).selectOption("en");
  await p.getByRole("heading", { name: "Bookings", level: 1 }).waitFor();
  const form = p.getByRole("form", { name: "Book a resource" });
  await form.getByLabel("Resource").selectOption({ label: "Campus car 1 校园车1 — North gate" });
  // Overlapping Emma's time: refused, and said why.
  await form.getByLabel("From").fill(local(new Date(now + 30 * 60_000)));
  await form.getByLabel("Until").fill(local(new Date(now + 120 * 60_000)));
  await form.getByRole("button", { name: "Book" }).click();
  await form.getByRole("alert").filter({ hasText: /booked for part of that time/ }).waitFor();
  await form.getByLabel("From").fill(local(new Date(now + 45 * 60_000)));
  await form.getByRole("button", { name: "Book" }).click();
  await p.getByRole("status").filter({ hasText: "Campus car 1 校园车1 is booked for you." }).waitFor();
  assert.deepEqual(await accessibilityViolations(p), []);

  // Emma takes the car and will be an hour late.
  await emma.post(`/api/v1/bookings/${hers.id}/pickup`, {});
  await emma.post(`/api/v1/bookings/${hers.id}/estimate`, {
    expected_return_at: new Date(now + 100 * 60_000).toISOString(),
    location: "Ring road, exit 4",
  });
  // The server's timer tells him within seconds.
  const warning = p.getByText(/The one before you is late: expected back about/);
  for (let i = 0; i < 60 && !(await warning.isVisible()); i++) {
    await p.waitForTimeout(500);
    await p.reload();
  }
  await warning.waitFor();
  await screenshot(p, "bookings-late-en");
  await p.goto(shared.tandem.base + "/notifications");
  await p.getByText(/Campus car 1 校园车1 will be late for your booking/).waitFor();
  await p.getByText(/Ring road, exit 4/).waitFor();
  await p.getByText(/Free for your time instead: Campus car 2 校园车2/).waitFor();
  assert.deepEqual(await accessibilityViolations(p), []);

  await p.getByLabel(/^(Language|语言)/).selectOption("zh-CN");
  await p.goto(shared.tandem.base + "/bookings");
  await p.getByRole("heading", { name: "预订", level: 1 }).waitFor();
  await p.getByText(/前一位将晚归还/).waitFor();
  assert.deepEqual(await accessibilityViolations(p), []);
  await screenshot(p, "bookings-zh");
});
