// Major incidents from the agent workspace (issue "Web UI" §3; DESK-7): an agent marks a ticket
// a major incident, links another requester's ticket to it found by its words, and replies on
// the major incident; the linked ticket's requester, whose page stays open, reads the update.
import { test } from "node:test";
import assert from "node:assert/strict";
import { accessibilityViolations, signedIn, useTandem } from "./harness.mjs";

const shared = useTandem();

test("a public update on a major incident reaches a linked ticket's requester live", async () => {
  const user = await signedIn(shared, "emma.wilson@university.example", "en", "/ask");
  const u = user.page;
  await u.getByLabel("In a few words").fill("No cars shown near the library");
  await u.getByRole("button", { name: "Send" }).click();
  const number = (await u.getByRole("status").innerText()).match(/#(\d+)/)[1];
  await u.getByRole("link", { name: "Follow it" }).click();
  await u.getByRole("heading", { name: "Conversation with the desk" }).waitFor();

  const agent = await signedIn(shared, "tom.baker@campus-mobility.example", "en");
  const a = agent.page;
  await a.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Desk" }).click();
  await a.getByRole("navigation", { name: "Queues" }).getByRole("link", { name: /Unassigned/ }).click();
  await a.getByRole("row").filter({ hasText: "车辆无法解锁" }).click();
  const major = (await a.getByRole("heading", { level: 1 }).innerText()).match(/#(\d+)/)[1];
  await a.getByRole("button", { name: "Mark as a major incident" }).click();
  await a.getByText("This ticket is a major incident now.").waitFor();

  await a.getByRole("link", { name: "Back to the desk" }).click();
  await a.getByRole("row").filter({ hasText: `#${number}` }).click();
  await a.getByRole("heading", { name: `#${number} No cars shown near the library`, level: 1 }).waitFor();
  await a.getByRole("searchbox", { name: "Find a ticket to link" }).fill("车辆");
  await a.keyboard.press("Enter");
  await a.getByRole("button", { name: `#${major} is the major incident behind this` }).click();
  await a.getByText("The tickets are linked.").waitFor();
  await a.getByRole("listitem").filter({ hasText: "Major incident (parent)" }).filter({ hasText: `#${major}` }).waitFor();
  assert.deepEqual(await accessibilityViolations(a), []);

  await a.getByRole("link", { name: `#${major} 车辆无法解锁` }).click();
  await a.getByRole("heading", { name: `#${major} 车辆无法解锁`, level: 1 }).waitFor();
  await a.getByLabel("Your reply (the requester reads it)").fill("Every car at the library stop is being reset; expect them back in 30 minutes.");
  await a.getByRole("button", { name: "Send the reply" }).click();

  // Emma's page was not reloaded: the major incident's update arrives on her own ticket.
  const update = u.getByRole("listitem").filter({ hasText: "Every car at the library stop is being reset" });
  await update.waitFor();
  assert.match(await update.innerText(), /major incident update/);
  await user.context.close();
  await agent.context.close();
});
