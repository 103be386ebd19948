// What `npm start` prints, as a new checkout sees it: one plain line saying
// which mode is running, and no chatter from the build tools (remix build
// used to print "NODE_ENV=production" just before the portal said it was
// showing development-only demo sign-ins).
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "#app/database/embedded";
import { cleanupAll, spawnNode, tempDir, type Child } from "#test/bench/lib/processes";
import { copyWorkingTree } from "#test/bench/lib/tree";

const root = process.cwd();

async function printed(child: Child, pattern: RegExp, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (pattern.test(child.stdout())) return child.output();
    if (child.hasExited()) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`The portal did not print ${pattern}:\n${child.output()}`);
}

function portalEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of ["NODE_ENV", "DATABASE_URL", "PORT", "BASE_URL", "EMBEDDED_PG_PORT", "PORTAL_DATA_DIR", "SMTP_URL", "SEED_DEMO", "DEMO_PASSWORD", "VITEST", "VITEST_POOL_ID", "VITEST_WORKER_ID"]) {
    delete env[key];
  }
  return { ...env, ...extra };
}

afterAll(() => cleanupAll());

describe("what npm start prints", () => {
  it("a fresh checkout builds quietly, then says it runs in development mode above the demo sign-ins; in production it says so and shows none", async () => {
    const { dir } = tempDir("portal-start-console-");
    // As root, PostgreSQL runs as another user, which must be able to reach the data folder.
    fs.chmodSync(dir, 0o755);
    const tree = path.join(dir, "portal");
    copyWorkingTree(root, tree);
    const port = String(await freePort());
    const env = { PORT: port, EMBEDDED_PG_PORT: String(await freePort()), PORTAL_DATA_DIR: path.join(tree, ".data") };

    const development = spawnNode(["--import", "tsx", "app/server/start.ts"], { cwd: tree, env: portalEnv(env), label: "portal (development)" });
    const first = await printed(development, /Password for all/, 240_000);
    await development.stop();
    expect(first).toContain("Building the portal (production bundle)…");
    expect(first).not.toMatch(/\[info\]|building\.\.\.|\(NODE_ENV=production\)|Vite/);
    expect(first).toMatch(/Running in development mode: demo sign-ins are shown below\./);
    expect(first).not.toMatch(/development only/);
    expect(first).not.toMatch(/Warning:/);

    const production = spawnNode(["--import", "tsx", "app/server/start.ts"], {
      cwd: tree,
      env: portalEnv({ ...env, NODE_ENV: "production" }),
      label: "portal (production)",
    });
    const second = await printed(production, /Running in production mode/, 120_000);
    await production.stop();
    expect(second).not.toMatch(/Building/);
    expect(second).not.toMatch(/Demo sign-ins|Password for all/);
  }, 400_000);
});
