// An SLA override from the agent workspace and the administrators' report (issue "Web UI"
// Done means; DESK-9): an agent extends the resolution time of a complaint with a reason and a
// justification — the dialog refuses a short one first — and the administrator finds the
// override in the overrides report, counted by reason, and turns it into an improvement.
import { test } from "node:test";
import assert from "node:assert/strict";
import { accessibilityViolations, screenshot, signedIn, useTandem } from "./harness.mjs";

const shared = useTandem();

test("an agent's SLA override with a justification shows in the admin report", async () => {
  const agent = await signedIn(shared, "tom.baker@campus-mobility.example", "en");
  const a = agent.page;
  await a.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Desk" }).click();
  await a.getByRole("navigation", { name: "Queues" }).getByRole("link", { name: /Unassigned/ }).click();
  await a.getByRole("row").filter({ hasText: "The car was left dirty and late" }).click();
  await a.getByRole("heading", { name: /The car was left dirty and late/, level: 1 }).waitFor();
  await a.getByRole("button", { name: "Extend an agreed time…" }).click();
  const dialog = a.getByRole("dialog");
  await dialog.getByLabel("Which agreed time").selectOption({ label: "Resolution" });
  await dialog.getByLabel("Extend by (minutes)").fill("120");
  await dialog.getByLabel("Reason").selectOption({ label: "service recovery" });
  await dialog.getByLabel(/^Justification/).fill("too short");
  await dialog.getByRole("button", { name: "Record the override" }).click();
  await dialog.getByText("Explain why in at least 10 characters.").waitFor();
  assert.deepEqual(await accessibilityViolations(a), []);
  await screenshot(a, "override-dialog-en");
  const justification = "The member missed an appointment; the cleaning crew needs the afternoon.";
  await dialog.getByLabel(/^Justification/).fill(justification);
  await dialog.getByRole("button", { name: "Record the override" }).click();
  await dialog.waitFor({ state: "detached" });
  await a.getByText("The override is recorded and the agreed time extended.").waitFor();
  await a.getByRole("listitem").filter({ hasText: "overrode the agreed time" }).waitFor();

  const manager = await signedIn(shared, "admin@campus-mobility.example", "en");
  const m = manager.page;
  await m.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Administration" }).click();
  await m.getByRole("navigation", { name: "Administration" }).getByRole("link", { name: "Overrides" }).click();
  await m.getByRole("heading", { name: "Overrides report", level: 1 }).waitFor();
  const row = m.getByRole("row").filter({ hasText: justification });
  await row.waitFor();
  assert.match(await row.innerText(), /resolution time/);
  assert.match(await row.innerText(), /service recovery/);
  const byReason = m.locator("table", { has: m.getByText("By reason") });
  assert.match(await byReason.innerText(), /service recovery\s+1/);
  assert.deepEqual(await accessibilityViolations(m), []);

  await row.getByRole("checkbox").check();
  await m.getByLabel("Title").fill("Cleaning after late returns");
  await m.getByRole("button", { name: "Propose it" }).click();
  await m.getByText("“Cleaning after late returns” is in the register.").waitFor();
  await m.getByRole("listitem").filter({ hasText: "Cleaning after late returns" }).filter({ hasText: "1 overrides" }).waitFor();
  await screenshot(m, "overrides-report-en");
  await agent.context.close();
  await manager.context.close();
});
