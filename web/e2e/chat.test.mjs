// REL-3: a member asks the chat how to charge the car and the bot quotes the club's article;
// the answer helped and the chat closes. Another member asks for a person: the agent whose Chats
// page is open receives the conversation, answers, and ends it. axe-core on each screen.
import { test } from "node:test";
import assert from "node:assert/strict";
import { accessibilityViolations, screenshot, signedIn, useTandem } from "./harness.mjs";

const shared = useTandem();

test("the bot answers from the knowledge base and an answer that helped closes the chat", async () => {
  const { page: p } = await signedIn(shared, "emma.wilson@university.example", "en-GB", "/help");
  await p.getByLabel(/^(Language|语言)/).selectOption("en");
  await p.getByRole("button", { name: "Chat with us" }).click();
  const panel = p.getByRole("region", { name: "Chat" });
  await panel.getByText("No messages yet: ask anything.").waitFor();
  const input = panel.getByLabel("Your message");
  assert.equal(await input.evaluate((e) => e === document.activeElement), true, "opening the chat puts the cursor in it");
  await input.fill("How do I charge the car?");
  await panel.getByRole("button", { name: "Send" }).click();
  const log = panel.getByRole("log", { name: "Conversation" });
  await log.getByText(/This article may help: “How do I charge the car\?”/).waitFor();
  await log.getByText(/Park in a charging bay/).waitFor();
  await log.getByRole("link", { name: "Read “How do I charge the car?”" }).waitFor();
  assert.deepEqual(await accessibilityViolations(p), []);
  await screenshot(p, "chat-answer-en");

  await panel.getByRole("button", { name: "Yes, that helped" }).click();
  await log.getByText("Glad it helped! This chat is closed; start a new one any time.").waitFor();
  assert.equal(await panel.getByRole("button", { name: "End chat" }).count(), 0, "an ended chat has nothing to end");
  // The chat follows the person across screens.
  await p.getByRole("link", { name: "My tickets" }).click();
  await log.getByText("Glad it helped!", { exact: false }).waitFor();
});

test("asking for a person brings in the agent on the Chats page, who answers and ends the chat", async () => {
  const { page: agent } = await signedIn(shared, "li.na@campus-mobility.example", "en-GB", "/chats");
  await agent.getByLabel(/^(Language|语言)/).selectOption("en");
  await agent.getByRole("heading", { name: "Chats", level: 1 }).waitFor();
  await agent.getByText("You are available for chats.").waitFor();
  await agent.getByRole("heading", { name: /How the bot did/ }).waitFor();
  assert.deepEqual(await accessibilityViolations(agent), []);

  const { page: m } = await signedIn(shared, "zhang.wei@university.example", "zh-CN", "/help");
  await m.getByLabel(/^(Language|语言)/).selectOption("zh-CN");
  await m.getByRole("button", { name: "在线咨询" }).click();
  const panel = m.getByRole("region", { name: "在线咨询" });
  await panel.getByLabel("您的消息").fill("转人工");
  await panel.getByLabel("您的消息").press("Enter");
  await panel.getByText("您正在与 李娜 对话。").waitFor();
  await panel.getByRole("log").getByText(/李娜 将为您继续服务/).waitFor();

  await agent.getByRole("status").filter({ hasText: "张伟 is waiting for you in a chat." }).waitFor();
  const transcript = agent.getByRole("log", { name: "Conversation with 张伟" });
  await transcript.getByText("转人工", { exact: true }).waitFor();
  await agent.getByText("Handed over: the person asked for someone.").waitFor();
  await agent.getByLabel("Reply to 张伟").fill("您好，我是李娜，请问车辆有什么问题？");
  await agent.getByRole("button", { name: "Send" }).click();
  await panel.getByRole("log").getByText("您好，我是李娜，请问车辆有什么问题？").waitFor();
  assert.deepEqual(await accessibilityViolations(m), []);
  await screenshot(m, "chat-agent-zh");

  await panel.getByLabel("您的消息").fill("车门打不开");
  await panel.getByRole("button", { name: "发送" }).click();
  await transcript.getByText("车门打不开").waitFor();
  assert.deepEqual(await accessibilityViolations(agent), []);
  await screenshot(agent, "chats-console-en");
  await agent.getByRole("button", { name: "End the chat with 张伟" }).click();
  await panel.getByRole("log").getByText("李娜 结束了对话。").waitFor();
  await agent.getByText("This chat has ended.").waitFor();
});
