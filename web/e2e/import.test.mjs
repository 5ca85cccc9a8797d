// OFF-3 on screen: an administrator brings a customer's tickets in from another desk. The CSV
// file is checked first — the report says what would be created and what is rejected, and why —
// then imported; the same file again creates nothing. A Request Tracker import asks which
// organisation its requesters join. In English and Chinese; axe-core on each.
import { test } from "node:test";
import assert from "node:assert/strict";
import { accessibilityViolations, screenshot, signedIn, useTandem } from "./harness.mjs";

const shared = useTandem();

const csv = [
  "ticket,kind,created_at,organization,author_email,author_name,type,status,subject,body",
  "OLD-7,ticket,2026-03-01T09:00:00Z,Northgate Bike Co-op 北门单车合作社,zhou.min@northgate.example,周敏,incident,new,车锁打不开 Bike lock stuck,锁卡住了。",
  "OLD-7,reply,2026-03-01T10:00:00Z,Northgate Bike Co-op 北门单车合作社,desk@old-desk.example,Old Desk,,,,We reset it remotely.",
  "OLD-7,status,2026-03-01T10:05:00Z,Northgate Bike Co-op 北门单车合作社,desk@old-desk.example,Old Desk,,resolved,,",
  "OLD-8,ticket,2026-03-02T09:00:00Z,Northgate Bike Co-op 北门单车合作社,zhou.min@northgate.example,周敏,incident,flying,Bad status,",
].join("\r\n");

test("an administrator checks a CSV file, then imports it", async () => {
  const { page: p } = await signedIn(shared, "admin@campus-mobility.example", "en-GB", "/admin/import");
  await p.getByRole("heading", { name: "Import", level: 1 }).waitFor();
  await p.getByLabel("Format").selectOption("csv");
  await p.getByLabel("File", { exact: true }).setInputFiles({ name: "old-desk.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  assert.deepEqual(await accessibilityViolations(p), []);
  await p.getByRole("button", { name: "Check the file" }).click();

  const report = p.getByRole("region", { name: "What the import would do (nothing has changed yet)" });
  await report.waitFor();
  assert.match(await report.getByRole("row", { name: /^Tickets/ }).innerText(), /Tickets\s+1\s+0\s+1/);
  assert.match(await report.getByRole("row", { name: /^People/ }).innerText(), /People\s+2\s+0\s+0/);
  await report.getByText("'flying' is not a state of incident tickets").waitFor();
  assert.deepEqual(await accessibilityViolations(p), []);
  await screenshot(p, "import-check-en");

  await report.getByRole("button", { name: "Import this file" }).click();
  const done = p.getByRole("region", { name: "Imported" });
  await done.getByRole("status").filter({ hasText: "Importing the same file again would create nothing new." }).waitFor();
  assert.match(await done.getByRole("row", { name: /^Tickets/ }).innerText(), /Tickets\s+1\s+0\s+1/);

  // The same file again: everything is merged, nothing new.
  await p.getByRole("button", { name: "Check the file" }).click();
  const again = p.getByRole("region", { name: "What the import would do (nothing has changed yet)" });
  await again.waitFor();
  assert.match(await again.getByRole("row", { name: /^Tickets/ }).innerText(), /Tickets\s+0\s+1\s+1/);

  // The imported ticket is on the desk, with its conversation.
  const found = await (await p.request.get(shared.tandem.base + "/api/v1/search?q=" + encodeURIComponent("车锁"))).json();
  assert.equal(found.items.length, 1, JSON.stringify(found));

  // A Request Tracker import names the organisation its requesters join; in Chinese.
  await p.getByLabel("Language").selectOption("zh-CN");
  await p.getByRole("heading", { name: "导入", level: 1 }).waitFor();
  await p.getByLabel("格式").selectOption("rt");
  await p.getByLabel("提交人所属组织").waitFor();
  assert.deepEqual(await accessibilityViolations(p), []);
  await screenshot(p, "import-rt-zh");
});
