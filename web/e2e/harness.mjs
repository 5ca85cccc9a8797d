// A real `tandem serve` with the demo's store and the built UI, and Debian's chromium driven by
// playwright-core, for the end-to-end tests. Paths come from the environment (scripts/test.sh
// sets them): TANDEM_BINARY, TANDEM_E2E_ARTIFACTS (screenshots), CHROMIUM.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before } from "node:test";
import { chromium } from "playwright-core";
import axe from "axe-core";

const here = dirname(fileURLToPath(import.meta.url));
const binary = resolve(process.env.TANDEM_BINARY ?? join(here, "../../build/src/app/tandem"));
export const artifacts = resolve(process.env.TANDEM_E2E_ARTIFACTS ?? join(here, "../../build/e2e-artifacts"));
export const password = "demo-Passw0rd!";

function freePort() {
  return new Promise((done, failed) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => done(port));
    });
    s.on("error", failed);
  });
}

export async function startTandem() {
  const dir = mkdtempSync(join(tmpdir(), "tandem-e2e-"));
  const port = await freePort();
  const env = {
    PATH: process.env.PATH,
    TANDEM_DATA_DIR: dir,
    TANDEM_LISTEN: `127.0.0.1:${port}`,
    TANDEM_WEB_DIR: resolve(here, "../dist"),
    TANDEM_LOG: "warn",
    TANDEM_PASSWORD_COST: "minimal",
    // The provider's first administrator, beside the demo's people.
    TANDEM_ADMIN_EMAIL: "admin@campus-mobility.example",
    TANDEM_ADMIN_PASSWORD: password,
  };
  // REL-1: mail out through the Postfix that scripts/with-mail-servers.sh starts, when it runs. It
  // relays for tandem.test and customer.test only: mail to anyone else is refused for good.
  if (process.env.TANDEM_TEST_MTA) {
    env.TANDEM_SMTP_URL = `smtp://127.0.0.1:${process.env.TANDEM_TEST_MTA.split(" ")[0]}`;
    env.TANDEM_MAIL_FROM = "support@tandem.test";
  }
  execFileSync(binary, ["demo", "--tickets", "0"], { env, cwd: dir, stdio: "ignore" });
  const server = spawn(binary, ["serve"], { env, cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  server.stderr.on("data", (d) => (log += d));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(base + "/healthz")).ok) break;
    } catch {}
    if (i > 100 || server.exitCode !== null) throw new Error("tandem did not start: " + log);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base,
    // Another subcommand beside the server, with its configuration (e.g. `mailgate` with a mail
    // on its standard input); its exit code.
    cli(args, input) {
      try {
        execFileSync(binary, args, { env, cwd: dir, input, stdio: ["pipe", "ignore", "ignore"] });
        return 0;
      } catch (e) {
        return e.status;
      }
    },
    async stop() {
      server.kill("SIGTERM");
      await new Promise((r) => server.once("exit", r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function launchBrowser() {
  // The flags a closed network needs: no background connections, no component updates.
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
           "--disable-component-update", "--disable-sync"],
  });
}

// REL-6: axe-core on the page as it stands; the serious and critical violations, by rule.
export async function accessibilityViolations(page) {
  await page.addScriptTag({ content: axe.source });
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

export async function screenshot(page, name) {
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, name + ".png"), fullPage: true });
}

// One server with the demo's store and one browser for a test file, started before its tests
// and stopped after them. The returned object's fields are set once `before` has run.
export function useTandem() {
  const shared = {};
  before(async () => {
    shared.tandem = await startTandem();
    shared.browser = await launchBrowser();
  });
  after(async () => {
    await shared.browser?.close();
    await shared.tandem?.stop();
  });
  return shared;
}

// A fresh browser context with the locale given, signed in as the demo person at `path`.
export async function signedIn(shared, email, locale, path = "/") {
  const context = await shared.browser.newContext({ locale });
  const page = await context.newPage();
  await page.goto(shared.tandem.base + path);
  await page.getByLabel(/电子邮箱|E-mail/).fill(email);
  await page.getByLabel(/^(密码|Password)$/).fill(password);
  await page.getByRole("button", { name: /^(登录|Sign in)$/ }).click();
  await page.getByRole("navigation").waitFor();
  return { context, page };
}

// The API as a demo person, signed in through the login route in a context of its own: get(path)
// answers the body; post(path, data) asserts success and answers the body.
export async function apiAs(shared, email) {
  const context = await shared.browser.newContext();
  const login = await context.request.post(shared.tandem.base + "/api/v1/auth/login", { data: { email, password } });
  if (login.status() !== 200) throw new Error(`login ${email}: ${login.status()} ${await login.text()}`);
  const csrf = (await login.json()).csrf_token;
  return {
    get: async (path) => (await context.request.get(shared.tandem.base + path)).json(),
    post: async (path, data) => {
      const r = await context.request.post(shared.tandem.base + path, { data, headers: { "X-CSRF-Token": csrf } });
      if (!r.ok()) throw new Error(`${path}: ${r.status()} ${await r.text()}`);
      return r.json();
    },
  };
}
