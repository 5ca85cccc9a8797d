// REL-4 (staff): the ticket page suggests where a ticket goes — here by a classification rule,
// before the router has been trained — saying why; the agent takes the suggestion, which moves
// the ticket and is kept as a label for the router's next training. axe-core on the page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { accessibilityViolations, apiAs as apiAsPerson, screenshot, signedIn, useTandem } from "./harness.mjs";

const shared = useTandem();

const apiAs = (email) => apiAsPerson(shared, email);

test("an agent takes the routing the rules suggest", async () => {
  const admin = await apiAs("admin@campus-mobility.example");
  const team = (await admin.get("/api/v1/teams?limit=200")).items.find((t) => t.name === "Service desk 服务台");
  assert.ok(team, "the demo's service desk team");
  await admin.post("/api/v1/classification-rules", {
    name: "Projectors to the service desk",
    conditions: { words: ["projector"] },
    actions: { team_id: team.id, category: "AV equipment" },
  });
  const user = await apiAs("zhang.wei@university.example");
  const ticket = await user.post("/api/v1/tickets", { type: "incident", subject: "Projector in hall C flickers", description: "Since this morning." });
  // The rule set the team when the ticket came in; an agent moved it elsewhere since.
  const agent = await apiAs("li.na@campus-mobility.example");
  const moved = await agent.post(`/api/v1/tickets/${ticket.id}/routing-suggestion`, { team_id: null, category: "Other" });
  assert.equal(moved.team_id, null);

  const { page: p } = await signedIn(shared, "li.na@campus-mobility.example", "en-GB", `/desk/tickets/${ticket.id}`);
  await p.getByLabel(/^(Language|语言)/).selectOption("en");
  const advice = p.getByRole("region", { name: "Suggested routing" });
  await advice.getByText("Service desk 服务台").waitFor();
  await advice.getByText("(by the rules: Projectors to the service desk)").first().waitFor();
  await advice.getByText("AV equipment").waitFor();
  assert.deepEqual(await accessibilityViolations(p), []);
  await screenshot(p, "routing-en");

  await advice.getByRole("button", { name: "Take the suggestion" }).click();
  await p.getByText("The ticket is routed as suggested.").waitFor();
  await advice.getByText(/The ticket is where the router would send it/).waitFor();
  assert.equal(await p.getByLabel("Team", { exact: true }).inputValue(), team.id);
  const after = await agent.get(`/api/v1/tickets/${ticket.id}`);
  assert.equal(after.category, "AV equipment");
});

// REL-4 (admin): a routing rule made on its own page, by the person's language and a word,
// sending to a team; the next matching ticket goes there when raised.
test("an administrator makes a routing rule and the next ticket follows it", async () => {
  const { page: p } = await signedIn(shared, "admin@campus-mobility.example", "en-GB", "/admin/routing-rules");
  await p.getByLabel(/^(Language|语言)/).selectOption("en");
  await p.getByRole("heading", { name: "Routing rules", level: 1 }).waitFor();
  await p.getByRole("button", { name: "New rule" }).click();
  const dialog = p.getByRole("dialog");
  await dialog.getByLabel(/^Name/).fill("Chinese Wi-Fi trouble");
  await dialog.getByLabel(/^Words in the ticket/).fill("wifi, 无线");
  await dialog.getByRole("group", { name: "The person's language" }).getByLabel("简体中文", { exact: true }).check();
  await dialog.getByLabel(/^Team/).selectOption({ label: "Service desk 服务台" });
  await dialog.getByLabel(/^Category/).fill("Network");
  assert.deepEqual(await accessibilityViolations(p), []);
  await dialog.getByRole("button", { name: "Create" }).click();
  await p.getByRole("rowheader", { name: "Chinese Wi-Fi trouble" }).waitFor();
  const row = p.getByRole("row").filter({ hasText: "Chinese Wi-Fi trouble" });
  await row.getByText("Team: Service desk 服务台; Category: Network").waitFor();
  await row.getByText(/The person's language: zh-CN/).waitFor();
  await row.getByText(/Words in the ticket: wifi, 无线/).waitFor();
  await screenshot(p, "routing-rules-en");

  const user = await apiAs("zhang.wei@university.example");
  const me = await user.get("/api/v1/me");
  assert.match(me.language ?? "zh-CN", /^zh/, "the demo's 张伟 reads Chinese");
  const ticket = await user.post("/api/v1/tickets", { type: "incident", subject: "宿舍无线网络断了", description: "wifi 连不上" });
  const agent = await apiAs("li.na@campus-mobility.example");
  const seen = await agent.get(`/api/v1/tickets/${ticket.id}`);
  const team = (await agent.get("/api/v1/teams?limit=200")).items.find((t) => t.name === "Service desk 服务台");
  assert.equal(seen.team_id, team.id);
  assert.equal(seen.category, "Network");

  // A rule by skill: charging trouble goes to whichever team has that skill.
  await p.getByRole("button", { name: "New rule" }).click();
  await dialog.getByLabel(/^Name/).fill("Charging by skill");
  await dialog.getByLabel(/^Words in the ticket/).fill("充电");
  await dialog.getByLabel(/^Skill/).fill("charging");
  await dialog.getByRole("button", { name: "Create" }).click();
  await p.getByRole("row").filter({ hasText: "Charging by skill" }).getByText("Skill: charging").waitFor();
  const charging = await user.post("/api/v1/tickets", { type: "incident", subject: "充电桩没电", description: "充电 失败" });
  const fleet = (await agent.get("/api/v1/teams?limit=200")).items.find((t) => t.name === "Fleet maintenance 车队维护");
  assert.equal((await agent.get(`/api/v1/tickets/${charging.id}`)).team_id, fleet.id);
});
