// Two portal instances on one database, as behind a load balancer: sessions
// and form tokens work on either, and the email outbox sends each email once
// however many dispatchers run. The second instance runs as a cluster of two
// web workers (WEB_CONCURRENCY=2): both serve, a worker that dies is
// replaced, and SIGTERM still lets a download finish.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { csrfToken, DEMO, expect, test } from "./support/fixtures";
import { uniqueEmail } from "./support/users";

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** Server-rendered HTML without React's text separators (`Welcome, <!-- -->Name`). */
function textOf(html: string): string {
  return html.replace(/<!-- -->/g, "");
}

/** The web workers a cluster primary has forked (its other children are PostgreSQL's or esbuild's). */
function webWorkerPids(primary: number): number[] {
  const pids: number[] = [];
  for (const task of fs.readdirSync(`/proc/${primary}/task`)) {
    const children = fs.readFileSync(`/proc/${primary}/task/${task}/children`, "utf8").trim();
    for (const pid of children ? children.split(" ").map(Number) : []) {
      const command = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
      if (command.some((arg) => arg.endsWith("app/server/start.ts"))) pids.push(pid);
    }
  }
  return pids.sort((a, b) => a - b);
}

/** GET on a new connection each time (as separate browsers would), so the cluster may hand it to any worker. */
function getOnNewConnection(url: string): Promise<{ status: number; worker: string | undefined }> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent: false }, (response) => {
      response.resume();
      response.on("end", () => resolve({ status: response.statusCode ?? 0, worker: response.headers["x-portal-worker"] as string | undefined }));
    });
    request.on("error", reject);
  });
}

async function workersAnswering(url: string, requests: number): Promise<Set<string>> {
  const workers = new Set<string>();
  for (let i = 0; i < requests; i++) {
    const answer = await getOnNewConnection(url);
    expect(answer.status, `request ${i + 1} to ${url}`).toBe(200);
    expect(answer.worker, "X-Portal-Worker header").toMatch(/^\d+$/);
    workers.add(answer.worker!);
  }
  return workers;
}

interface Instance {
  child: ChildProcess;
  url: string;
  log: () => string;
}

/** Another portal on the first one's database (which it migrated and seeded), as a second machine would run it. */
async function startInstance(workers: number): Promise<Instance> {
  const dataDir = process.env.E2E_DATA_DIR;
  if (!dataDir) throw new Error("E2E_DATA_DIR is not set (playwright.config.ts sets it)");
  const port = await freePort();
  const pgPort = process.env.E2E_PG_PORT ?? "54398";
  // The first instance's embedded database keeps its passwords beside its data.
  const logins = JSON.parse(fs.readFileSync(path.join(dataDir, "postgres.credentials.json"), "utf8")) as { superuser: string; runtime: string };
  const child = spawn(process.execPath, ["--import", "tsx", "app/server/start.ts"], {
    cwd: path.dirname(test.info().config.configFile ?? path.resolve("playwright.config.ts")),
    detached: true, // its own process group, so it can be stopped with everything it started
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      PORT: String(port),
      // As an operator runs instances on a shared server: the runtime login to serve with, the owner's to migrate with.
      DATABASE_URL: `postgres://portal_runtime:${encodeURIComponent(logins.runtime)}@127.0.0.1:${pgPort}/postgres`,
      DATABASE_OWNER_URL: `postgres://postgres:${encodeURIComponent(logins.superuser)}@127.0.0.1:${pgPort}/postgres`,
      NODE_ENV: "test",
      SEED_DEMO: "false",
      AUDIT_SIGNING_KEY_FILE: path.join(dataDir, "keys", "audit-ed25519.pem"),
      EMAIL_DISPATCH_INTERVAL_MS: "500",
      WEB_CONCURRENCY: String(workers),
    },
  });
  let log = "";
  child.stdout?.on("data", (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (log += chunk.toString()));
  return { child, url: `http://localhost:${port}`, log: () => log };
}

/** Polls /healthz until the instance first answers. */
async function firstAnswer(instance: Instance, intervalMs: number): Promise<void> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (instance.child.exitCode !== null) throw new Error(`The instance exited (${instance.child.exitCode}):\n${instance.log()}`);
    try {
      const response = await fetch(`${instance.url}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`The instance did not answer /healthz:\n${instance.log()}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

let second: ChildProcess | null = null;
let secondURL = "";
let secondLog = "";

test.describe("Two instances of the portal on one database", () => {
  test.describe.configure({ mode: "serial" });

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    const instance = await startInstance(2);
    second = instance.child;
    secondURL = instance.url;
    second.stdout?.on("data", (chunk: Buffer) => (secondLog += chunk.toString()));
    second.stderr?.on("data", (chunk: Buffer) => (secondLog += chunk.toString()));
    await firstAnswer(instance, 250);
  });

  test.afterAll(async () => {
    const child = second;
    second = null;
    if (!child?.pid || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    process.kill(-child.pid, "SIGTERM");
    const stopped = await Promise.race([exited.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 10_000))]);
    if (!stopped) process.kill(-child.pid, "SIGKILL");
  });

  test("a session started on one instance works on the other, and signing out on the other ends it on both", async ({
    page,
    signIn,
    visit,
    playwright,
    baseURL,
  }) => {
    await signIn(page, DEMO.chiefOfficer.email);
    const session = (await page.context().cookies()).find((c) => c.name === "portal_session");
    expect(session, "session cookie").toBeTruthy();
    const cookieHeader = `portal_session=${session!.value}`;

    // The cookie alone, sent to the second instance.
    const onB = await playwright.request.newContext({ baseURL: secondURL, extraHTTPHeaders: { Cookie: cookieHeader } });
    const dashboardB = await onB.get("/");
    expect(dashboardB.status()).toBe(200);
    expect(textOf(await dashboardB.text())).toContain(`Welcome, ${DEMO.chiefOfficer.name}`);
    await onB.dispose();

    // The same browser on the second instance (cookies are per host, not per port): sign out there.
    await visit(page, `${secondURL}/`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Welcome, ${DEMO.chiefOfficer.name}`);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(`${secondURL}/sign-in`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sign in");
    await expect(page.locator(".portal-account")).toHaveCount(0);

    // The old cookie, sent to the first instance, no longer signs anyone in.
    const onA = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Cookie: cookieHeader } });
    const agreementsA = await onA.get("/agreements", { maxRedirects: 0 });
    expect(agreementsA.status()).toBe(302);
    expect(agreementsA.headers().location).toBe("/sign-in?returnTo=%2Fagreements");
    const homeA = textOf(await (await onA.get("/")).text());
    expect(homeA).toContain("Sign in");
    expect(homeA).not.toContain(`Welcome, ${DEMO.chiefOfficer.name}`);
    await onA.dispose();
  });

  test("with both instances sending email, five quick invitations are each delivered exactly once", async ({ page, signIn, visit }) => {
    await signIn(page, DEMO.admin.email);
    await visit(page, "/admin/users/invite");
    const token = await csrfToken(page);
    const westmoor = await page.getByLabel("Organisation").locator("option", { hasText: "Westmoor County Council (council)" }).getAttribute("value");
    const emails = Array.from({ length: 5 }, (_, i) => uniqueEmail(`pair${i}`));
    // Sent at once, alternately to each instance.
    const answers = await Promise.all(
      emails.map((email, i) =>
        page.request.post(`${i % 2 === 0 ? "" : secondURL}/admin/users/invite`, {
          form: { _csrf: token, fullName: `Pair Invitee ${i}`, email, organisationId: westmoor ?? "", roles: "evaluator" },
          maxRedirects: 0,
        }),
      ),
    );
    for (const answer of answers) {
      expect(answer.status(), await answer.text()).toBe(302);
      expect(answer.headers().location).toBe("/admin/users");
    }

    // Wait until the dispatchers have handled all five.
    const rows = page.locator("tbody tr");
    await expect(async () => {
      await page.goto("/admin/emails");
      for (const email of emails) {
        await expect(rows.filter({ has: page.getByRole("cell", { name: email, exact: true }) })).toHaveText(/Kept in portal/, { timeout: 100 });
      }
    }).toPass({ timeout: 20_000 });
    // One email to each address, counted over every page. (Not the whole list's count: the portal's own
    // background jobs, every 10 minutes, may queue a reminder to someone else in the meantime.)
    for (const email of emails) {
      await page.goto(`/admin/emails?to=${encodeURIComponent(email)}`);
      await expect(page.locator("caption")).toHaveText(`1 email to ${email}`);
    }
    await page.goto("/admin/emails");

    for (const email of emails) {
      const row = rows.filter({ has: page.getByRole("cell", { name: email, exact: true }) });
      await expect(row, email).toHaveCount(1);
      await expect(row.getByRole("cell").nth(3)).toHaveText("Kept in portal");
    }
    // Each was handed to a transport once: one attempt apiece.
    for (const email of emails) {
      await visit(page, "/admin/emails");
      await rows.filter({ has: page.getByRole("cell", { name: email, exact: true }) }).getByRole("link").click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("You have been invited to the Children's Placements Portal");
      const attempts = page.locator(".govuk-summary-list__row").filter({ hasText: "Attempts" }).locator("dd");
      await expect(attempts, email).toHaveText("1");
      await expect(page.locator("pre")).toContainText("Dear Pair Invitee");
    }
  });

  test("the second instance answers from two worker processes, and a worker that dies is replaced while the other keeps answering", async () => {
    const primary = second!.pid!;
    const workers = webWorkerPids(primary);
    expect(workers).toHaveLength(2);
    expect(secondLog).toContain("2 web workers");
    // The primary hands new connections to its workers in turn.
    expect([...(await workersAnswering(`${secondURL}/healthz`, 10))].sort()).toEqual(["1", "2"]);

    process.kill(workers[0]!, "SIGKILL");
    await expect.poll(() => secondLog, { timeout: 10_000 }).toMatch(new RegExp(`Web worker \\d+ \\(pid ${workers[0]}\\) stopped unexpectedly \\(SIGKILL\\)`));
    // Until its replacement is up, the other worker takes every request.
    const survivor = await workersAnswering(`${secondURL}/healthz`, 6);
    expect(survivor.size).toBe(1);

    await expect.poll(() => webWorkerPids(primary).filter((pid) => !workers.includes(pid)), { timeout: 20_000 }).toHaveLength(1);
    const now = webWorkerPids(primary);
    expect(now).toHaveLength(2);
    expect(now).not.toContain(workers[0]);
    expect(now).toContain(workers[1]);
    // The replacement serves too: a worker number not seen before, beside the survivor's.
    await expect.poll(async () => [...(await workersAnswering(`${secondURL}/healthz`, 4))].sort(), { timeout: 10_000 }).toEqual(
      [...survivor, "3"].sort(),
    );
  });

  test("stopped with SIGTERM, as a deploy stops it, an instance finishes the download in progress and exits cleanly", async ({ page, signIn }) => {
    const child = second!;
    const workers = webWorkerPids(child.pid!);
    expect(workers).toHaveLength(2);
    await signIn(page, DEMO.officer.email);
    const session = (await page.context().cookies()).find((c) => c.name === "portal_session")!;
    const download = await fetch(`${secondURL}/audit/export.csv`, { headers: { cookie: `portal_session=${session.value}` } });
    expect(download.status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    process.kill(child.pid!, "SIGTERM");
    const csv = await download.text();
    expect(csv.split("\n")[0]).toContain("Sequence");
    expect(csv.trimEnd().split("\n").length).toBeGreaterThan(10);
    expect(await exited, secondLog).toBe(0);
    expect(secondLog).toContain("SIGTERM: finishing the requests in progress, then stopping");
    expect(secondLog).toContain("Stopped.");
    // No worker is left behind.
    for (const pid of workers) expect(fs.existsSync(`/proc/${pid}`), `worker ${pid}`).toBe(false);
  });
});

test("stopped with SIGTERM the moment it first answers, while its other workers are still starting, an instance still stops cleanly", async () => {
  test.setTimeout(120_000);
  // Four workers on this machine's two cores start one after another: the first answers well before the last.
  const instance = await startInstance(4);
  const exited = new Promise<number | null>((resolve) => instance.child.once("exit", (code) => resolve(code)));
  try {
    await firstAnswer(instance, 20);
    process.kill(instance.child.pid!, "SIGTERM");
    expect(await exited, instance.log()).toBe(0);
    expect(instance.log()).toContain("SIGTERM: finishing the requests in progress, then stopping");
    expect(instance.log()).toContain("Stopped.");
  } finally {
    if (instance.child.exitCode === null && instance.child.pid) process.kill(-instance.child.pid, "SIGKILL");
  }
});
